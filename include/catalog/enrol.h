/* enrol.h - adding candidates to an exam from a CSV file.
 *
 * Every record is validated before anything is written; then candidates and
 * their freshly drawn papers are inserted in one transaction, and the issued
 * credentials are printed as CSV (registration_no,name,password). */
#ifndef UJIAN_ENROL_H
#define UJIAN_ENROL_H

#include "auth/cred.h"
#include "bounds.h"
#include "core/errlist.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Issued credentials of one import. */
struct enrol_cred {
	char *regno, *name;
	char password[UJ_PASSWORD_MAX + 1];
};

struct enrol_result {
	char sep; /* the separator found: ',' or ';' */
	size_t n;
	struct enrol_cred *cred;
};

/* Import the CSV text data[0..len) (comma or semicolon separated, the
 * separator found from the header line; optional UTF-8 BOM; LF or CRLF) into
 * exam_code. Every problem of the file goes to errs (capped there), each with
 * its line and field; then nothing is changed. Returns 0 and fills res (free
 * with enrol_result_free), or -1 with at least one entry in errs. */
int enrol_import_data(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		      const char *data, size_t len, struct enrol_result *res, struct errlist *errs);
/* Wipes the passwords. */
void enrol_result_free(struct enrol_result *res);
/* Import a file: problems go to errs (not naming the file), the credentials
 * to out as CSV; *sep is the separator found. Returns 0 or -1. */
int enrol_import_all(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		     const char *csv_path, FILE *out, struct errlist *errs, char *sep);

/* Import csv_path into exam_code (the first problem only). Credentials go to out only after the
 * transaction committed. Returns 0, or -1 with err ("<file>: line N field
 * \"F\": ...") and nothing changed. */
int enrol_import(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		 const char *csv_path, FILE *out, char *err, size_t errlen);

/* Write one CSV field, quoted when it holds a comma, quote or line break. */
void enrol_csv_field(FILE *out, const char *s);

#endif
