/* enrol.h - adding candidates to an exam from a CSV file.
 *
 * Every record is validated before anything is written; then candidates and
 * their freshly drawn papers are inserted in one transaction, and the issued
 * credentials are printed as CSV (registration_no,name,password). */
#ifndef UJIAN_ENROL_H
#define UJIAN_ENROL_H

#include "auth/cred.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Import csv_path into exam_code. Credentials go to out only after the
 * transaction committed. Returns 0, or -1 with err ("<file>: line N field
 * \"F\": ...") and nothing changed. */
int enrol_import(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		 const char *csv_path, FILE *out, char *err, size_t errlen);

/* Write one CSV field, quoted when it holds a comma, quote or line break. */
void enrol_csv_field(FILE *out, const char *s);

#endif
