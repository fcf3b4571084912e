/* talent.h - talent-mapping periods and the nine-box placements they give
 * (docs/SELECTION.md, "Talent mapping").
 *
 * A placement (period, employee) is computed from the employee's SKP
 * ratings (performance), sanctions, and the period's potential components
 * (Ujian exam results of candidates carrying the employee's NIP, and values
 * the committee entered), and stored in table placements with the numbers
 * that made it (detail_json), so every period keeps its own history. The
 * rules themselves are selection/ninebox.h (pure); this module feeds them
 * from the database and reads the results back.
 *
 * Whoever changes an input (an import of employees, SKP or sanctions, an
 * entered component, a finished exam, a period's configuration) calls
 * talent_recompute afterwards.
 *
 * Writes (period create/edit, entered values) are checked whole first
 * (every problem to errs, English, or Indonesian when errs is ERRLIST_ID),
 * then applied in one transaction with their audit event and the
 * recompute (store/writer.h wr_apply_now on the caller's read-write
 * connection). Reads use any connection. Any thread, one connection per
 * thread. */
#ifndef UJIAN_TALENT_H
#define UJIAN_TALENT_H

#include "core/actor.h"
#include "core/errlist.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Recompute and store the placements of employee_id (0: every employee) in
 * period period_id (0: every period not closed), reading and writing db
 * (a read-write connection; runs inside the caller's transaction if one is
 * open, else in its own). now: server time in ms (updated_at). Returns the
 * number of placements whose box, levels, potential or reason changed, or
 * -1 with err. */
int talent_recompute(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
		     char *err, size_t errlen);

/* The same, calling changed(arg, period_id, employee_id) for each
 * placement that changed (after it is written, inside the transaction). */
typedef void (*talent_changed_fn)(void *arg, int64_t period_id, int64_t employee_id);
int talent_recompute_cb(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
			talent_changed_fn changed, void *arg, char *err, size_t errlen);

/* ---- periods ---- */

/* 1 if code is a valid period code: 1-32 of A-Z a-z 0-9 . _ -, starting
 * with a letter or digit. */
int talent_period_code_valid(const char *code);

/* Create period code with name and config (JSON, checked whole with
 * defaults filled in; the exams and sections it names must exist; the
 * reference date defaults to today in WIB, until_year to its year), then
 * place every employee in it. Audit event "talent_period_created". Returns 0,
 * or -1 with every problem in errs. */
int talent_period_create(sqlite3 *db, const char *code, const char *name, json_t *config,
			 struct actor who, int64_t now, struct errlist *errs);
/* Change period code's name (NULL: keep) and config (NULL: keep; else
 * replaced whole, defaults as at creation with the period's creation
 * date), then recompute its placements. Audit event "talent_period_edited".
 * Returns 0, or -1 with errs ("no such period" when it does not exist:
 * errs then has one entry with field "period"). */
int talent_period_edit(sqlite3 *db, const char *code, const char *name, json_t *config,
		       struct actor who, int64_t now, struct errlist *errs);

/* ---- entered component values ---- */

struct talent_score {
	int line;              /* CSV line or list index + 1, for messages */
	char *nip, *component; /* owned */
	char *value;           /* the value as given (owned); parsed by talent_scores_set */
};

struct talent_scores {
	struct talent_score *v;
	size_t n, cap;
};

/* Read `nip;component;value` rows (a header row naming those columns
 * first; ',' or ';'; BOM and CRLF fine; a decimal comma accepted when the
 * separator is ';') into out. Returns 0, or -1 with every problem in errs. */
int talent_scores_from_csv(const char *data, size_t len, struct talent_scores *out,
			   struct errlist *errs);
/* The same from {"scores":[{"nip","component","value"}]}. */
int talent_scores_from_json(json_t *body, struct talent_scores *out, struct errlist *errs);
void talent_scores_free(struct talent_scores *s);

/* Store the values s in period code (each NIP an employee, each component
 * an entered one of the period, each value a number 0..the component's
 * max, no pair twice), all or nothing, with the audit event
 * "talent_scores_entered" and the recompute of the employees concerned. *updated:
 * values stored. changed(arg, ...) as for talent_recompute_cb. Returns 0,
 * or -1 with every problem in errs. */
int talent_scores_set(sqlite3 *db, const char *code, const struct talent_scores *s,
		      struct actor who, int64_t now, int *updated, talent_changed_fn changed,
		      void *arg, struct errlist *errs);

/* ---- reads (selection/talent_read.c) ---- */

enum talent_lang { TALENT_LANG_ID, TALENT_LANG_EN };

/* {"periods":[{"code","name","created_at","closed_at","counts":{"employees",
 * "mapped","unmapped","excluded","pool"}}]} newest first (new reference),
 * or NULL with err. */
json_t *talent_periods_json(sqlite3 *db, char *err, size_t errlen);
/* The period's grid (docs/API.md "Talent mapping": "period", "boxes",
 * "employees" with prev_box from the period created before it), or NULL
 * with err ("no such period" when it does not exist). */
json_t *talent_period_json(sqlite3 *db, const char *code, enum talent_lang lang, char *err,
			   size_t errlen);
/* {"pool":[rows in pool order]}, or NULL with err. */
json_t *talent_pool_json(sqlite3 *db, const char *code, enum talent_lang lang, char *err,
			 size_t errlen);
/* {"candidates":[rows]}: top-box pool members with grade >= min_grade
 * (grade_ord; 0 = any), in pool order, at most n. NULL with err. */
json_t *talent_succession_json(sqlite3 *db, const char *code, int min_grade, int n,
			       enum talent_lang lang, char *err, size_t errlen);
/* The grid as CSV (UTF-8 BOM, CRLF, separator sep, Indonesian headers, NIP
 * as ="..." text, formula starts neutralised). 0, or -1 with err. */
int talent_export_csv(sqlite3 *db, const char *code, char sep, FILE *out, char *err,
		      size_t errlen);
/* A placement's reason in words (all that apply, "; "-separated) from its
 * stored reason code (placements.reason) and detail_json text (may be
 * NULL: "pending"), into buf. For the employee profile and the grid. */
void talent_reason_text(const char *code, const char *detail_json, enum talent_lang lang,
			char *buf, size_t n);
/* The codes of the exams that feed a period not closed (*codes: an array
 * of n strings, all the caller's to free with talent_strings_free).
 * Returns 0, or -1 with err. */
int talent_feeding_exams(sqlite3 *db, char ***codes, size_t *n, char *err, size_t errlen);
void talent_strings_free(char **v, size_t n);
/* The period ids (not closed) and the employee of candidate_id, when the
 * candidate carries a NIP of an employee: *employee_id (0 if none).
 * Returns 0, or -1 with err. */
int talent_candidate_employee(sqlite3 *db, int64_t candidate_id, int64_t *employee_id,
			      char *err, size_t errlen);

#endif
