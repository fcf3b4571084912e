/* pcsv.c - personnel import files as CSV with named columns (pcsv.h). */
#include "selection/pcsv.h"
#include "bounds.h"
#include "core/mem.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* 1 if header name h (as written) names column c: case-insensitive, with
 * space and hyphen taken as underscore. */
static int pcsv_same(const char *h, const char *c)
{
	for (; *h && *c; h++, c++) {
		char a = (char)tolower((unsigned char)*h);
		if (a == ' ' || a == '-')
			a = '_';
		if (a != *c)
			return 0;
	}
	return *h == '\0' && *c == '\0';
}

/* Trim spaces and tabs around every field in place (the fields are the
 * document's own buffers). */
static void pcsv_trim(struct csv_doc *doc)
{
	for (size_t i = 0; i < doc->nrecords; i++)
		for (int k = 0; k < doc->records[i].nfields; k++) {
			char *f = doc->records[i].fields[k], *s = f;
			size_t n;
			while (*s == ' ' || *s == '\t')
				s++;
			n = strlen(s);
			while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			memmove(f, s, n);
			f[n] = '\0';
		}
}

int pcsv_open(struct pcsv *p, const char *data, size_t len, const struct pcsv_col *cols,
	      int ncols, size_t max_rows, struct errlist *errs)
{
	const struct csv_record *h;
	size_t start = errs->total;
	char why[512];

	assert(ncols > 0 && ncols <= PCSV_COLS_MAX);
	memset(p, 0, sizeof *p);
	p->cols = cols;
	p->ncols = ncols;
	for (int k = 0; k < ncols; k++) {
		p->pos[k] = -1;
		p->name[k] = cols[k].id;
	}
	p->sep = csv_detect_sep(data, len);
	if (csv_parse_sep(data, len, p->sep, UJ_CSV_LINE_MAX, max_rows + 1, &p->doc, why,
			  sizeof why)) {
		errlist_add(errs, 0, NULL, NULL, "%s", why);
		return -1;
	}
	pcsv_trim(&p->doc);
	if (p->doc.nrecords == 0) {
		errlist_add(errs, 0, NULL, NULL, "empty file (expected a header line)");
		return -1;
	}
	h = &p->doc.records[0];
	p->nheader = h->nfields;
	for (int i = 0; i < h->nfields; i++) {
		int found = -1;
		for (int k = 0; k < ncols && found < 0; k++)
			if (pcsv_same(h->fields[i], cols[k].id) || pcsv_same(h->fields[i], cols[k].en))
				found = k;
		if (found < 0) {
			errlist_add(errs, h->line, NULL, h->fields[i], "unknown column \"%s\"",
				    h->fields[i]);
			continue;
		}
		if (p->pos[found] >= 0) {
			errlist_add(errs, h->line, NULL, h->fields[i], "column \"%s\" appears twice",
				    h->fields[i]);
			continue;
		}
		p->pos[found] = i;
		p->name[found] = h->fields[i];
	}
	for (int k = 0; k < ncols; k++)
		if (cols[k].required && p->pos[k] < 0)
			errlist_add(errs, h->line, NULL, cols[k].id,
				    "required column \"%s\" (or \"%s\") is missing", cols[k].id,
				    cols[k].en);
	if (errs->total == start && p->doc.nrecords == 1)
		errlist_add(errs, 0, NULL, NULL, "no records after the header");
	return errs->total == start ? 0 : -1;
}

size_t pcsv_rows(const struct pcsv *p)
{
	return p->doc.nrecords ? p->doc.nrecords - 1 : 0;
}

const struct csv_record *pcsv_row(const struct pcsv *p, size_t i)
{
	assert(i + 1 < p->doc.nrecords);
	return &p->doc.records[i + 1];
}

int pcsv_row_shape(const struct pcsv *p, const struct csv_record *r, struct errlist *errs)
{
	if (r->nfields == p->nheader)
		return 1;
	errlist_add(errs, r->line, NULL, NULL, "has %d fields; the header has %d", r->nfields,
		    p->nheader);
	return 0;
}

const char *pcsv_get(const struct pcsv *p, const struct csv_record *r, int k)
{
	char *f;
	size_t n;
	assert(k >= 0 && k < p->ncols);
	if (p->pos[k] < 0 || p->pos[k] >= r->nfields)
		return "";
	f = r->fields[p->pos[k]];
	n = strlen(f);
	/* ="digits" as our exports write identifiers: the digits */
	if (n >= 3 && f[0] == '=' && f[1] == '"' && f[n - 1] == '"') {
		memmove(f, f + 2, n - 3);
		f[n - 3] = '\0';
	} else if (f[0] == '\'' && f[1] && strchr("=+-@\t\r", f[1])) {
		memmove(f, f + 1, n); /* '=... as exports neutralise a formula */
	}
	return f;
}

const char *pcsv_name(const struct pcsv *p, int k)
{
	assert(k >= 0 && k < p->ncols);
	return p->name[k];
}

void pcsv_free(struct pcsv *p)
{
	csv_free(&p->doc);
}

static int pcsv_num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int pcsv_date(const char *s, char out[11])
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap, dim;
	if (strlen(s) != 10)
		return -1;
	if (s[4] == '-' && s[7] == '-') {
		y = pcsv_num(s, 4);
		m = pcsv_num(s + 5, 2);
		d = pcsv_num(s + 8, 2);
	} else if ((s[2] == '/' && s[5] == '/') || (s[2] == '-' && s[5] == '-')) {
		d = pcsv_num(s, 2);
		m = pcsv_num(s + 3, 2);
		y = pcsv_num(s + 6, 4);
	} else {
		return -1;
	}
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = m == 2 && leap ? 29 : days[m - 1];
	if (d > dim)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return 0;
}
