/* employee.h - the employee registry (table employees): import by CSV,
 * lists, the profile of one employee, the export
 * (docs/FORMATS-SELECTION.md "Employees", docs/API.md "Employees").
 *
 * An employee is keyed by NIP (include/selection/ident.h: 18 digits, its
 * structure checked part by part). The import upserts by NIP and is all or
 * nothing: every bad record is reported with its line and field (capped,
 * core/errlist.h) and nothing is applied when any is bad. A change is
 * written in one transaction with its audit event (actor: who) and the
 * talent placements recomputed (selection/talent.h) in that transaction.
 *
 * Reads take a connection (any: the worker's read-only one does); writes
 * take a read-write connection of their own (no transaction open). */
#ifndef UJIAN_EMPLOYEE_H
#define UJIAN_EMPLOYEE_H

#include "core/actor.h"
#include "core/errlist.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Position types (employees.position_type). */
enum emp_type { EMP_JPT, EMP_ADMINISTRATOR, EMP_PENGAWAS, EMP_FUNGSIONAL, EMP_PELAKSANA,
		EMP_TYPE_MAX };
extern const char *const emp_type_codes[EMP_TYPE_MAX];  /* "jpt" ... as stored */
extern const char *const emp_type_labels[EMP_TYPE_MAX]; /* "JPT", "Administrator" ... */

/* The position type written as its code or its name ("JPT", "Jabatan
 * Pimpinan Tinggi", "administrator", "Jabatan Fungsional" ...,
 * case-insensitive), or -1. */
int emp_type_parse(const char *s);

struct emp_import_result {
	int created;   /* new NIPs */
	int updated;   /* existing NIPs with a changed value */
	int unchanged; /* existing NIPs written again as they were */
};

/* Import the employee CSV data[0..len) (header: nip, nama, golongan,
 * jabatan, jenis_jabatan, unit, instansi, pendidikan, tanggal_lahir or
 * their English names). Returns 0 with res filled, or -1 with every problem
 * in errs (nothing applied). now: server time, ms. */
int employee_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
		    struct emp_import_result *res, struct errlist *errs);

/* The list as {"employees":[{"nip","name","grade","position","position_type",
 * "unit","agency","education","birth_date"}],"units":[...]}, ordered by unit
 * then name; filters (NULL or "" = none): q matches NIP or name (substring,
 * case-insensitive), unit exactly, type a position type code. The units
 * are every unit in the registry. NULL with err on a database error. */
json_t *employee_list_json(sqlite3 *db, const char *q, const char *unit, const char *type,
			   char *err, size_t errlen);

/* One employee's profile (docs/API.md: employee, skp, sanctions, results,
 * placements). NULL with err[0] == '\0' when no employee has that NIP, NULL
 * with err on a database error. */
json_t *employee_profile_json(sqlite3 *db, const char *nip, char *err, size_t errlen);

/* The registry as CSV for a spreadsheet (UTF-8 BOM, CRLF, separator sep,
 * Indonesian headers unless english, NIP as ="..." text, formula starts
 * neutralised: core/csv.h csv_write_cell) to out. Returns 0 or -1 with err. */
int employee_export_csv(sqlite3 *db, char sep, int english, FILE *out, char *err, size_t errlen);

/* The id of the employee with NIP nip, 0 when none, -1 on a database error. */
int64_t employee_id(sqlite3 *db, const char *nip);

#endif
