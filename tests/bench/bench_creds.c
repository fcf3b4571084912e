/* bench_creds.c - the credentials CSV (registration_no,name,password), as
 * printed by `ujian candidates import`. */
#include "bench.h"
#include "core/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CREDS_COLS_MAX 32 /* columns looked at; more are allowed and ignored */

struct creds_parser {
	const char *data;
	size_t len, pos;
	int line;
	char *out;  /* unquoted fields, NUL-terminated, in order */
	size_t o;
};

struct creds_record {
	int line;
	int nf;
	const char *f[CREDS_COLS_MAX];
};

/* Read one RFC 4180 field at the cursor into p->out. Returns it, or NULL with
 * a message. */
static const char *creds_field(struct creds_parser *p, char *err, size_t errlen)
{
	char *start = p->out + p->o;
	size_t n = 0;

	if (p->pos < p->len && p->data[p->pos] == '"') {
		int opened = p->line;
		p->pos++;
		for (;;) {
			if (p->pos >= p->len) {
				snprintf(err, errlen, "line %d: a quoted field is never closed", opened);
				return NULL;
			}
			char c = p->data[p->pos];
			if (c == '"') {
				if (p->pos + 1 < p->len && p->data[p->pos + 1] == '"') {
					start[n++] = '"';
					p->pos += 2;
					continue;
				}
				p->pos++;
				break;
			}
			if (c == '\n')
				p->line++;
			start[n++] = c;
			p->pos++;
		}
		if (p->pos < p->len && p->data[p->pos] != ',' && p->data[p->pos] != '\r' &&
		    p->data[p->pos] != '\n') {
			snprintf(err, errlen, "line %d: text after a closing quote", p->line);
			return NULL;
		}
	} else {
		while (p->pos < p->len) {
			char c = p->data[p->pos];
			if (c == ',' || c == '\r' || c == '\n')
				break;
			if (c == '"') {
				snprintf(err, errlen, "line %d: a quote inside an unquoted field", p->line);
				return NULL;
			}
			start[n++] = c;
			p->pos++;
		}
	}
	if (n > BENCH_CSV_FIELD_MAX) {
		snprintf(err, errlen, "line %d: a field longer than %d bytes", p->line,
			 BENCH_CSV_FIELD_MAX);
		return NULL;
	}
	start[n] = '\0';
	p->o += n + 1;
	return start;
}

/* Next record into r. Returns 1, 0 at the end of the data, -1 with a message. */
static int creds_record(struct creds_parser *p, struct creds_record *r, char *err, size_t errlen)
{
	if (p->pos >= p->len)
		return 0;
	r->line = p->line;
	r->nf = 0;
	for (;;) {
		const char *f = creds_field(p, err, errlen);
		if (!f)
			return -1;
		if (r->nf < CREDS_COLS_MAX)
			r->f[r->nf] = f;
		r->nf++;
		if (p->pos < p->len && p->data[p->pos] == ',') {
			p->pos++;
			continue;
		}
		break;
	}
	if (p->pos < p->len && p->data[p->pos] == '\r')
		p->pos++;
	if (p->pos < p->len && p->data[p->pos] == '\n')
		p->pos++;
	p->line++;
	return 1;
}

int creds_id_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n >= 1 && n <= max &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

struct creds_sorted {
	const char *regno;
	int line;
};

static int creds_cmp(const void *a, const void *b)
{
	return strcmp(((const struct creds_sorted *)a)->regno,
		      ((const struct creds_sorted *)b)->regno);
}

/* Refuse duplicate registration numbers: two simulated candidates on one
 * account would keep replacing each other's session. */
static int creds_unique(const struct bench_creds *c, const int *lines, char *err, size_t errlen)
{
	struct creds_sorted *v = xmalloc((c->n + 1) * sizeof *v);
	int rc = 0;
	for (size_t i = 0; i < c->n; i++) {
		v[i].regno = c->v[i].regno;
		v[i].line = lines[i];
	}
	qsort(v, c->n, sizeof *v, creds_cmp);
	for (size_t i = 1; i < c->n; i++)
		if (strcmp(v[i - 1].regno, v[i].regno) == 0) {
			int a = v[i - 1].line < v[i].line ? v[i - 1].line : v[i].line;
			int b = v[i - 1].line < v[i].line ? v[i].line : v[i - 1].line;
			snprintf(err, errlen, "registration number %s appears twice (lines %d and %d)",
				 v[i].regno, a, b);
			rc = -1;
			break;
		}
	free(v);
	return rc;
}

/* Load the whole file; -1 with a message when unreadable or too large. */
static char *creds_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			data = xrealloc(data, cap + 1);
		}
		size_t r = fread(data + n, 1, cap - n, f);
		n += r;
		if (n > BENCH_CSV_FILE_MAX) {
			snprintf(err, errlen, "larger than %d bytes", BENCH_CSV_FILE_MAX);
			goto fail;
		}
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		goto fail;
	}
	fclose(f);
	*len = n;
	return data;
fail:
	fclose(f);
	free(data);
	return NULL;
}

int creds_load(const char *path, struct bench_creds *out, char *err, size_t errlen)
{
	struct creds_parser p = { 0 };
	struct creds_record r;
	char why[256];
	int col_regno = -1, col_pw = -1, header_nf, got, rc = -1;
	int *lines = NULL;
	size_t cap = 0;
	char *data;

	out->v = NULL;
	out->n = 0;
	data = creds_slurp(path, &p.len, why, sizeof why);
	if (!data) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if (memchr(data, '\0', p.len)) {
		snprintf(err, errlen, "%s: contains a NUL byte (not a text file?)", path);
		goto out;
	}
	p.data = data;
	p.line = 1;
	p.out = xmalloc(p.len + 1);
	if (p.len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		p.pos = 3;
	got = creds_record(&p, &r, why, sizeof why);
	if (got <= 0) {
		snprintf(err, errlen, "%s: %s", path,
			 got < 0 ? why : "empty file (expected the header registration_no,name,password)");
		goto out;
	}
	header_nf = r.nf;
	for (int i = 0; i < r.nf && i < CREDS_COLS_MAX; i++) {
		if (strcmp(r.f[i], "registration_no") == 0)
			col_regno = i;
		else if (strcmp(r.f[i], "password") == 0)
			col_pw = i;
	}
	if (col_regno < 0 || col_pw < 0) {
		snprintf(err, errlen,
			 "%s line 1: the header needs the columns registration_no and password "
			 "(the CSV that 'ujian candidates import' prints)",
			 path);
		goto out;
	}
	while ((got = creds_record(&p, &r, why, sizeof why)) > 0) {
		if (r.nf == 1 && r.f[0][0] == '\0')
			continue; /* blank line */
		if (r.nf != header_nf) {
			snprintf(err, errlen, "%s line %d: has %d fields; the header has %d", path,
				 r.line, r.nf, header_nf);
			goto out;
		}
		if (out->n == BENCH_CANDIDATES_MAX) {
			snprintf(err, errlen, "%s: more than %d candidates", path, BENCH_CANDIDATES_MAX);
			goto out;
		}
		const char *regno = r.f[col_regno], *pw = r.f[col_pw];
		if (!creds_id_ok(regno, BENCH_REGNO_MAX)) {
			snprintf(err, errlen,
				 "%s line %d: registration_no \"%.40s\" is not 1-%d of A-Z a-z 0-9 . _ -",
				 path, r.line, regno, BENCH_REGNO_MAX);
			goto out;
		}
		if (pw[0] == '\0' || strlen(pw) > BENCH_PASSWORD_MAX) {
			snprintf(err, errlen, "%s line %d: password is empty or longer than %d bytes",
				 path, r.line, BENCH_PASSWORD_MAX);
			goto out;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 1024;
			out->v = xrealloc(out->v, cap * sizeof *out->v);
			lines = xrealloc(lines, cap * sizeof *lines);
		}
		str_copy(out->v[out->n].regno, sizeof out->v[out->n].regno, regno);
		out->v[out->n].password = xstrdup(pw);
		lines[out->n] = r.line;
		out->n++;
	}
	if (got < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s: no candidates after the header", path);
		goto out;
	}
	if (creds_unique(out, lines, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		creds_free(out);
	free(lines);
	free(p.out);
	free(data);
	return rc;
}

void creds_free(struct bench_creds *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].password);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}
