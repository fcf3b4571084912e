/* errtext_id.c - English -> Bahasa Indonesia for validation messages: an
 * exact lookup of a format, and the translation of a finished message by
 * matching it against every row's format (the most specific wins). The rows
 * (English format, Indonesian twin) are in errtext_id_rows.c. */
#include "core/errtext_id.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Conversions one format may hold, and the depth of nested translation. */
#define ERRTEXT_ID_CONV_MAX 8
#define ERRTEXT_ID_DEPTH 1

const char *errtext_id_lookup(const char *fmt)
{
	size_t n;
	const struct errtext_id_pair *rows = errtext_id_table(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].en, fmt) == 0)
			return rows[i].id;
	return NULL;
}

/* Length of the conversion specification at f (f[0] == '%'), and in *conv its
 * final character ('%' for "%%"). */
static size_t errtext_id_spec(const char *f, char *conv)
{
	size_t k = 1;
	while (f[k] && strchr("-+ #0", f[k]))
		k++;
	while (isdigit((unsigned char)f[k]) || f[k] == '*')
		k++;
	if (f[k] == '.') {
		k++;
		while (isdigit((unsigned char)f[k]) || f[k] == '*')
			k++;
	}
	while (f[k] && strchr("hlLqjzt", f[k]))
		k++;
	*conv = f[k];
	return f[k] ? k + 1 : k;
}

struct errtext_id_span {
	const char *p;
	size_t len;
};

/* Does text match fmt entirely? Conversions capture into caps[*ncap...]. */
static int errtext_id_match(const char *fmt, const char *text, struct errtext_id_span *caps,
			    int ncap)
{
	while (*fmt) {
		char conv;
		size_t k;
		if (*fmt != '%') {
			if (*fmt++ != *text++)
				return 0;
			continue;
		}
		k = errtext_id_spec(fmt, &conv);
		if (conv == '%') {
			if (*text++ != '%')
				return 0;
			fmt += k;
			continue;
		}
		if (ncap >= ERRTEXT_ID_CONV_MAX || conv == '\0')
			return 0;
		if (conv == 's') {
			/* Shortest first; the rest of the format decides. */
			for (size_t len = 0;; len++) {
				caps[ncap].p = text;
				caps[ncap].len = len;
				if (errtext_id_match(fmt + k, text + len, caps, ncap + 1))
					return 1;
				if (!text[len])
					return 0;
			}
		}
		if (strchr("diu", conv)) {
			size_t len = *text == '-' ? 1 : 0;
			size_t digits = 0;
			while (isdigit((unsigned char)text[len + digits]))
				digits++;
			if (!digits)
				return 0;
			caps[ncap].p = text;
			caps[ncap].len = len + digits;
			return errtext_id_match(fmt + k, text + len + digits, caps, ncap + 1);
		}
		return 0; /* a conversion the importers do not use */
	}
	return *text == '\0';
}

/* Literal characters of a format: how specific a row is. */
static size_t errtext_id_literals(const char *fmt)
{
	size_t n = 0;
	while (*fmt) {
		char conv;
		if (*fmt == '%') {
			fmt += errtext_id_spec(fmt, &conv);
			n += conv == '%';
		} else {
			fmt++;
			n++;
		}
	}
	return n;
}

static int errtext_id_text_depth(const char *text, char *out, size_t n, int depth)
{
	struct errtext_id_span caps[ERRTEXT_ID_CONV_MAX], best_caps[ERRTEXT_ID_CONV_MAX];
	const struct errtext_id_pair *best = NULL;
	size_t best_lit = 0, k = 0, nrows;
	const struct errtext_id_pair *rows = errtext_id_table(&nrows);
	int c = 0;

	assert(n > 0);
	for (size_t i = 0; i < nrows; i++) {
		size_t lit = errtext_id_literals(rows[i].en);
		if (best && lit <= best_lit)
			continue;
		if (errtext_id_match(rows[i].en, text, caps, 0)) {
			best = &rows[i];
			best_lit = lit;
			memcpy(best_caps, caps, sizeof caps);
		}
	}
	if (!best)
		return -1;
	/* The Indonesian format with each conversion replaced by its capture. */
	for (const char *f = best->id; *f && k + 1 < n;) {
		char conv, sub[512];
		const char *piece;
		size_t plen, adv;
		if (*f != '%') {
			out[k++] = *f++;
			continue;
		}
		adv = errtext_id_spec(f, &conv);
		f += adv;
		if (conv == '%') {
			out[k++] = '%';
			continue;
		}
		assert(c < ERRTEXT_ID_CONV_MAX);
		piece = best_caps[c].p;
		plen = best_caps[c].len;
		c++;
		if (conv == 's' && depth < ERRTEXT_ID_DEPTH && plen < sizeof sub) {
			char inner[512];
			memcpy(inner, piece, plen);
			inner[plen] = '\0';
			if (errtext_id_text_depth(inner, sub, sizeof sub, depth + 1) == 0) {
				piece = sub;
				plen = strlen(sub);
			}
		}
		if (plen > n - 1 - k)
			plen = n - 1 - k;
		memcpy(out + k, piece, plen);
		k += plen;
	}
	out[k] = '\0';
	return 0;
}

int errtext_id_text(const char *text, char *out, size_t n)
{
	return errtext_id_text_depth(text, out, n, 0);
}
