/* results.h - ranked results of an exam, exported as CSV or JSON.
 *
 * Reads stored attempts (works while the server runs; SQLite WAL readers do
 * not block the writer). Columns, in order: rank, registration_no, name,
 * track, one column per section (delivery order), total, passed,
 * finish_reason, finished_at. */
#ifndef UJIAN_RESULTS_H
#define UJIAN_RESULTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

enum results_format { RESULTS_CSV, RESULTS_JSON };

/* Write the ranked results of exam_code to out. Returns 0 or -1 with err. */
int results_export(sqlite3 *db, const char *exam_code, enum results_format fmt, FILE *out,
		   char *err, size_t errlen);

#endif
