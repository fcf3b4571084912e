/* csv.c - RFC 4180 CSV parsing into memory. */
#include "core/csv.h"
#include "core/mem.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_builder {
	char *field;
	size_t flen, fcap;
	char **fields;
	int nf, fcapn;
};

static void csv_putc(struct csv_builder *b, char c)
{
	if (b->flen + 1 >= b->fcap) {
		b->fcap = b->fcap ? b->fcap * 2 : 64;
		b->field = xrealloc(b->field, b->fcap);
	}
	b->field[b->flen++] = c;
}

static void csv_end_field(struct csv_builder *b)
{
	if (b->nf == b->fcapn) {
		b->fcapn = b->fcapn ? b->fcapn * 2 : 8;
		b->fields = xrealloc(b->fields, (size_t)b->fcapn * sizeof *b->fields);
	}
	b->fields[b->nf++] = xstrndup(b->field ? b->field : "", b->flen);
	b->flen = 0;
}

static void csv_drop_fields(struct csv_builder *b)
{
	for (int i = 0; i < b->nf; i++)
		free(b->fields[i]);
	b->nf = 0;
}

char csv_detect_sep(const char *data, size_t len)
{
	size_t i = 0, commas = 0, semis = 0;
	int quoted = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (data[i] == '\r' || data[i] == '\n'))
		i++;
	for (; i < len && (quoted || data[i] != '\n'); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == ',')
			commas++;
		else if (!quoted && data[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

int csv_parse(const char *data, size_t len, size_t max_record, size_t max_records,
	      struct csv_doc *doc, char *err, size_t errlen)
{
	return csv_parse_sep(data, len, ',', max_record, max_records, doc, err, errlen);
}

int csv_parse_sep(const char *data, size_t len, char sep, size_t max_record, size_t max_records,
		  struct csv_doc *doc, char *err, size_t errlen)
{
	struct csv_builder b = { 0 };
	size_t i = 0, cap = 0, rec_start = 0;
	int line = 1, rec_line = 1, rc = -1;

	doc->nrecords = 0;
	doc->records = NULL;
	{
		const char *nul = memchr(data, '\0', len);
		if (nul) {
			int l = 1;
			for (const char *p = data; p < nul; p++)
				l += *p == '\n';
			snprintf(err, errlen, "line %d: contains a NUL byte (not a text file?)", l);
			goto out;
		}
	}
	if (!text_utf8_valid(data, len)) {
		/* Find the line for a useful message. */
		int l = 1;
		size_t ls = 0;
		for (size_t k = 0; k < len; k++) {
			if (data[k] == '\n') {
				if (!text_utf8_valid(data + ls, k - ls))
					break;
				l++;
				ls = k + 1;
			}
		}
		snprintf(err, errlen, "line %d: not valid UTF-8 (save the file as UTF-8)", l);
		goto out;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;

	while (i < len) {
		/* Start of a record. Skip blank lines. */
		if (data[i] == '\n' || (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')) {
			i += data[i] == '\r' ? 2 : 1;
			line++;
			continue;
		}
		rec_line = line;
		rec_start = i;
		for (;;) {
			/* One field. */
			if (i < len && data[i] == '"') {
				i++;
				for (;;) {
					if (i >= len) {
						snprintf(err, errlen,
							 "line %d: quoted field is not closed", rec_line);
						goto out;
					}
					if (data[i] == '"') {
						if (i + 1 < len && data[i + 1] == '"') {
							csv_putc(&b, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (data[i] == '\n')
						line++;
					csv_putc(&b, data[i++]);
				}
				if (i < len && data[i] != sep && data[i] != '\n' &&
				    !(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')) {
					snprintf(err, errlen,
						 "line %d: unexpected character after a closing quote",
						 line);
					goto out;
				}
			} else {
				while (i < len && data[i] != sep && data[i] != '\n' &&
				       !(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')) {
					if (data[i] == '"') {
						snprintf(err, errlen,
							 "line %d: a quote inside an unquoted field "
							 "(quote the whole field and double the quote)",
							 line);
						goto out;
					}
					csv_putc(&b, data[i++]);
				}
			}
			csv_end_field(&b);
			if (i - rec_start > max_record) {
				snprintf(err, errlen, "line %d: record longer than %zu bytes", rec_line,
					 max_record);
				goto out;
			}
			if (i < len && data[i] == sep) {
				i++;
				continue;
			}
			break;
		}
		if (i < len)
			i += data[i] == '\r' ? 2 : 1;
		line++;
		if (doc->nrecords == max_records) {
			snprintf(err, errlen, "line %d: more than %zu records", rec_line, max_records);
			goto out;
		}
		if (doc->nrecords == cap) {
			cap = cap ? cap * 2 : 64;
			doc->records = xrealloc(doc->records, cap * sizeof *doc->records);
		}
		struct csv_record *r = &doc->records[doc->nrecords++];
		r->line = rec_line;
		r->nfields = b.nf;
		r->fields = xmalloc((size_t)b.nf * sizeof *r->fields);
		memcpy(r->fields, b.fields, (size_t)b.nf * sizeof *r->fields);
		b.nf = 0;
	}
	rc = 0;
out:
	csv_drop_fields(&b);
	free(b.fields);
	free(b.field);
	if (rc != 0)
		csv_free(doc);
	return rc;
}

void csv_free(struct csv_doc *doc)
{
	for (size_t r = 0; r < doc->nrecords; r++) {
		for (int f = 0; f < doc->records[r].nfields; f++)
			free(doc->records[r].fields[f]);
		free(doc->records[r].fields);
	}
	free(doc->records);
	doc->records = NULL;
	doc->nrecords = 0;
}

/* 1 for an id that spreadsheets would mangle as a number: only digits, and
 * 12 or more of them (beyond 15 digits Excel also rounds) or a leading zero. */
static int csv_digit_id(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n >= 12 || (n > 1 && s[0] == '0');
}

/* One RFC 4180 field: quoted when it holds the separator, a quote or a line
 * break; quotes doubled. */
static void csv_write_raw(FILE *out, const char *s, char sep)
{
	if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void csv_write_cell(FILE *out, const char *s, char sep)
{
	char *v = NULL;
	if (csv_digit_id(s))
		v = xasprintf("=\"%s\"", s);
	else if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		 s[0] == '\r')
		v = xasprintf("'%s", s);
	csv_write_raw(out, v ? v : s, sep);
	free(v);
}
