/* csv.h - an RFC 4180 CSV reader for import files.
 *
 * The whole document is parsed into memory first so an importer can validate
 * every record before applying any. Each record remembers the line it starts
 * on, for error messages. */
#ifndef UJIAN_CSV_H
#define UJIAN_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_record {
	int line;     /* 1-based line where the record starts */
	int nfields;
	char **fields;
};

struct csv_doc {
	size_t nrecords;
	struct csv_record *records;
};

/* Parse data[0..len). Accepts LF or CRLF line ends, an optional UTF-8 BOM,
 * quoted fields with "" escapes; skips completely empty lines. Rejects NUL
 * bytes, invalid UTF-8, a stray quote inside an unquoted field, text after a
 * closing quote, an unterminated quote, records over max_record bytes and more
 * than max_records records. Returns 0, or -1 with "line N: what" in err. */
int csv_parse(const char *data, size_t len, size_t max_record, size_t max_records,
	      struct csv_doc *doc, char *err, size_t errlen);
/* The same with another field separator (';' as Excel writes CSV under
 * Indonesian regional settings). */
int csv_parse_sep(const char *data, size_t len, char sep, size_t max_record, size_t max_records,
		  struct csv_doc *doc, char *err, size_t errlen);
/* The separator of a file by its first line (the header): ';' when that
 * line, outside quotes, has more semicolons than commas, else ','. */
char csv_detect_sep(const char *data, size_t len);
void csv_free(struct csv_doc *doc);

/* Write s as one text cell of an export that a spreadsheet opens (RFC 4180:
 * quoted when it holds sep, a quote or a line break; quotes doubled). A
 * value of 12 or more digits, or of digits with a leading zero (NIP, NIK,
 * registration numbers), is written as the formula ="<digits>", which
 * Excel shows as text (not 1.99E+17, no lost zeros); any other value
 * starting with = + - @, a tab or a carriage return gets a leading
 * apostrophe, so a spreadsheet never runs it as a formula. */
void csv_write_cell(FILE *out, const char *s, char sep);

#endif
