/* pcsv.h - the personnel import files (employees, SKP ratings, sanctions:
 * docs/FORMATS-SELECTION.md) read as CSV with named columns.
 *
 * The same CSV rules as the candidate import (core/csv.h): comma or
 * semicolon (detected from the header line), an optional UTF-8 byte-order
 * mark, LF or CRLF. The header names the columns, in any order, each by its
 * Indonesian or its English name (case-insensitive; spaces and hyphens count
 * as underscores); required columns must be there, unknown or repeated ones
 * are errors. Values are trimmed of surrounding spaces. The whole document is
 * in memory, so an importer checks every record before applying any. */
#ifndef UJIAN_PCSV_H
#define UJIAN_PCSV_H

#include "core/csv.h"
#include "core/errlist.h"

#include <stddef.h>

#define PCSV_COLS_MAX 12

/* One column an import knows. */
struct pcsv_col {
	const char *id; /* Indonesian header name ("tanggal_lahir") */
	const char *en; /* English header name ("birth_date") */
	int required;
};

struct pcsv {
	struct csv_doc doc;
	const struct pcsv_col *cols;
	int ncols;
	int pos[PCSV_COLS_MAX];          /* field index of column k, -1 when absent */
	const char *name[PCSV_COLS_MAX]; /* column k as the file names it (for errors) */
	int nheader;                     /* fields of the header line */
	char sep;
};

/* Parse data[0..len) and map its header onto cols[0..ncols). Every problem
 * of the file or the header goes to errs (line numbers included); no
 * records after the header is an error too. Returns 0, or -1 (p is still to
 * be freed with pcsv_free). */
int pcsv_open(struct pcsv *p, const char *data, size_t len, const struct pcsv_col *cols,
	      int ncols, size_t max_rows, struct errlist *errs);
/* Number of data records (after the header). */
size_t pcsv_rows(const struct pcsv *p);
/* Data record i (0-based, after the header). */
const struct csv_record *pcsv_row(const struct pcsv *p, size_t i);
/* 1 when record r has as many fields as the header, else 0 with an error
 * naming its line. */
int pcsv_row_shape(const struct pcsv *p, const struct csv_record *r, struct errlist *errs);
/* The value of column k in r, trimmed ("" when the column is absent). An
 * identifier written as Excel text (="198503..." from an export) is given
 * without the =" ", and a value an export neutralised with a leading
 * apostrophe ('=..., '+..., '-..., '@..., before a tab or a carriage
 * return) without it. */
const char *pcsv_get(const struct pcsv *p, const struct csv_record *r, int k);
/* Column k's name as the file wrote it (its Indonesian name when absent). */
const char *pcsv_name(const struct pcsv *p, int k);
void pcsv_free(struct pcsv *p);

/* A date written YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY that exists in the
 * calendar, as "YYYY-MM-DD" into out (11 bytes). Returns 0, or -1. */
int pcsv_date(const char *s, char out[11]);

#endif
