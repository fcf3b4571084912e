/* jcheck.c - JSON field validation with messages that name the field. */
#include "core/jcheck.h"
#include "core/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jc_init(struct jcheck *jc, char *err, size_t errlen)
{
	jc->err = err;
	jc->errlen = errlen;
	jc->where[0] = '\0';
	jc->errs = NULL;
	jc->nfail = 0;
}

void jc_collect(struct jcheck *jc, struct errlist *errs)
{
	jc->errs = errs;
}

void jc_where(struct jcheck *jc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(jc->where, sizeof jc->where, fmt, ap);
	va_end(ap);
}

int jc_fail(struct jcheck *jc, const char *field, const char *fmt, ...)
{
	char what[512];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (jc->nfail++ == 0 && jc->err && jc->errlen) {
		if (jc->where[0] && field)
			snprintf(jc->err, jc->errlen, "%s field \"%s\": %s", jc->where, field, what);
		else if (field)
			snprintf(jc->err, jc->errlen, "field \"%s\": %s", field, what);
		else if (jc->where[0])
			snprintf(jc->err, jc->errlen, "%s: %s", jc->where, what);
		else
			snprintf(jc->err, jc->errlen, "%s", what);
	}
	/* An Indonesian list gets the format itself, to use its Indonesian twin;
	 * an English one the text as ever. */
	if (jc->errs && jc->errs->lang == ERRLIST_ID)
		errlist_addv(jc->errs, 0, jc->where, field, fmt, ap2);
	else if (jc->errs)
		errlist_add(jc->errs, 0, jc->where, field, "%s", what);
	va_end(ap2);
	return -1;
}

const char *jc_unknown_key(json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			return key;
	}
	return NULL;
}

int jc_only_keys(struct jcheck *jc, json_t *obj, const char *const *allowed)
{
	const char *key = jc_unknown_key(obj, allowed);
	return key ? jc_fail(jc, key, "unknown field") : 0;
}

int jc_string(struct jcheck *jc, json_t *obj, const char *key, int required, size_t maxbytes,
	      int multiline, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return jc_fail(jc, key, "is required");
		return 0;
	}
	if (!json_is_string(v))
		return jc_fail(jc, key, "must be a string");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return jc_fail(jc, key, "contains a NUL character");
	if (n == 0)
		return jc_fail(jc, key, "must not be empty");
	if (n > maxbytes)
		return jc_fail(jc, key, "is %zu bytes long; at most %zu allowed", n, maxbytes);
	if (text_has_control(s, multiline))
		return jc_fail(jc, key, "contains a control character");
	*out = s;
	return 0;
}

int jc_int(struct jcheck *jc, json_t *obj, const char *key, int required, long long min,
	   long long max, long long def, long long *out)
{
	json_t *v = json_object_get(obj, key);
	*out = def;
	if (!v) {
		if (required)
			return jc_fail(jc, key, "is required");
		return 0;
	}
	if (!json_is_integer(v))
		return jc_fail(jc, key, "must be an integer");
	long long x = json_integer_value(v);
	if (x < min || x > max)
		return jc_fail(jc, key, "must be between %lld and %lld (got %lld)", min, max, x);
	*out = x;
	return 0;
}

int jc_bool(struct jcheck *jc, json_t *obj, const char *key, int def, int *out)
{
	json_t *v = json_object_get(obj, key);
	*out = def;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return jc_fail(jc, key, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int jc_array(struct jcheck *jc, json_t *obj, const char *key, int required, size_t min,
	     size_t max, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return jc_fail(jc, key, "is required");
		return 0;
	}
	if (!json_is_array(v))
		return jc_fail(jc, key, "must be an array");
	size_t n = json_array_size(v);
	if (n < min || n > max)
		return jc_fail(jc, key, "must have %zu to %zu entries (has %zu)", min, max, n);
	*out = v;
	return 0;
}

int jc_object(struct jcheck *jc, json_t *obj, const char *key, int required, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return jc_fail(jc, key, "is required");
		return 0;
	}
	if (!json_is_object(v))
		return jc_fail(jc, key, "must be an object");
	*out = v;
	return 0;
}

json_t *jc_parse(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;
	/* A UTF-8 byte-order mark (Windows editors write one) is not JSON, but
	 * it is not an error of the document either. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		snprintf(err, errlen, "line %d column %d: %s", je.line, je.column, je.text);
	return root;
}

json_t *jc_load_file(const char *path, size_t maxbytes, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, perr[300];
	size_t n = 0, cap = 0;
	json_t *root = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				abort();
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > maxbytes) {
			snprintf(err, errlen, "%s: larger than %zu bytes", path, maxbytes);
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	root = jc_parse(buf, n, perr, sizeof perr);
	if (!root)
		snprintf(err, errlen, "%s: not valid JSON: %s", path, perr);
out:
	fclose(f);
	free(buf);
	return root;
}
