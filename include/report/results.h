/* results.h - ranked results of an exam, exported as CSV, JSON or xlsx.
 *
 * Reads stored attempts (works while the server runs; SQLite WAL readers do
 * not block the writer). Finished attempts are ranked (exam/ranking.c); with
 * `all`, candidates who did not finish follow, each with a status: unfinished
 * (started, not finished), not started (logged in, never started), absent
 * (never logged in).
 *
 * Columns, in order: rank, registration number, name, track, one column per
 * section (delivery order), total, passed, status (only with `all`), finish
 * reason, finish time. CSV and xlsx headers are in Bahasa Indonesia by
 * default (English with RESULTS_LANG_EN); JSON keys are always the English
 * codes. Times are "YYYY-MM-DD HH:MM:SS" in the exam's time zone (field
 * "timezone": WIB, WITA or WIT), named in the time column's header.
 *
 * CSV (RFC 4180, CRLF, UTF-8 with a byte-order mark so Excel reads UTF-8):
 * - separator ',' or ';' (Excel under Indonesian regional settings expects
 *   ';', because ',' is the decimal separator there);
 * - a text value of 12 or more digits, or of digits with a leading zero
 *   (registration numbers, NIP, NIK), is written as the formula ="<digits>",
 *   which Excel shows as the digits, as text (not 1.99E+17, no lost zeros);
 * - any other text starting with = + - @, a tab or a carriage return gets a
 *   leading apostrophe, so a spreadsheet never runs a name as a formula.
 * xlsx (libxlsxwriter): the same table with a bold, frozen header row,
 * column widths, numbers as numbers, times as date-time cells, ids as text
 * cells; nothing is ever a formula. */
#ifndef UJIAN_RESULTS_H
#define UJIAN_RESULTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

enum results_format { RESULTS_CSV, RESULTS_JSON, RESULTS_XLSX };
enum results_lang { RESULTS_LANG_ID, RESULTS_LANG_EN };

struct results_opts {
	enum results_format format;
	char sep;               /* CSV: ',' or ';' */
	enum results_lang lang; /* CSV and xlsx headers and words */
	int all;                /* also candidates who did not finish, with a status */
};

/* CSV, ',', Bahasa Indonesia, finished attempts only. */
void results_opts_default(struct results_opts *o);

/* Write the results of exam_code as CSV or JSON (o->format) to out. Returns
 * 0 or -1 with err ("--exam X: no such exam ..." when it does not exist). */
int results_export_opts(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			FILE *out, char *err, size_t errlen);
/* Write them as an xlsx workbook to the file path (created or replaced).
 * Returns 0 or -1 with err. */
int results_export_xlsx(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			const char *path, char *err, size_t errlen);
/* The xlsx workbook in memory (for a download): written to a private
 * temporary file in $TMPDIR (or /tmp), read back and removed. *buf is the
 * caller's to free. Returns 0 or -1 with err. */
int results_export_xlsx_buf(sqlite3 *db, const char *exam_code, const struct results_opts *o,
			    unsigned char **buf, size_t *len, char *err, size_t errlen);

/* results_export_opts with the defaults and the given format. */
int results_export(sqlite3 *db, const char *exam_code, enum results_format fmt, FILE *out,
		   char *err, size_t errlen);

#endif
