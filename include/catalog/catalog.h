/* catalog.h - banks and exams in the database.
 *
 * Imports validate everything first and then write in one transaction, so a
 * bad file changes nothing. Every change bumps meta.catalog_version, which a
 * running server polls to pick up new exams and candidates. */
#ifndef UJIAN_CATALOG_H
#define UJIAN_CATALOG_H

#include "catalog/bank.h"
#include "catalog/exam.h"
#include "exam/paper.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* One stored version of a bank with its items (bank order). */
struct bank_snapshot {
	int64_t bank_id, version_id;
	int n_sections;
	struct section_rule sec[UJ_SECTIONS_MAX];
	int n_items;
	struct bank_item *items;
	int64_t *item_ids;
};

/* The id of bank code (0 if none) and its current version id. */
int64_t catalog_bank_id(sqlite3 *db, const char *code, int64_t *current_version);

/* Import a bank file (images resolved beside it). Prints a one-line report
 * to out. Returns 0, or -1 with err and nothing changed. */
int catalog_bank_import(sqlite3 *db, const char *path, FILE *out, char *err, size_t errlen);
/* The same, reporting every problem of the file to errs (entries do not
 * name the file). Returns 0, or -1 with at least one entry in errs. */
int catalog_bank_import_all(sqlite3 *db, const char *path, FILE *out, struct errlist *errs);
/* Print code, current version, item count and title of every bank. */
int catalog_bank_list(sqlite3 *db, FILE *out, char *err, size_t errlen);

/* Every bank's current version: [{"code","version","items","title",
  * "imported_at"}]. NULL with err on failure. */
json_t *catalog_banks_json(sqlite3 *db, char *err, size_t errlen);

/* A bank version for authors, keys included: {"code","version","versions":
 * [{"version","title","items","imported_at"}],"sections":[...],"items":[the
 * stored item JSON, images as "sha256:<hex>"]}. version_no 0: the current
 * one. NULL with err ("not_found" for an unknown bank or version). */
json_t *catalog_bank_items_json(sqlite3 *db, const char *code, int version_no, char *err,
				size_t errlen);
/* A stored image by its SHA-256 (hex): 1 and *data (caller frees), *len,
 * mime; 0 if unknown; -1 on error. */
int catalog_asset(sqlite3 *db, const char *sha256, unsigned char **data, size_t *len,
		  char mime[32]);

/* Change an exam's definition with the fields in changes (title,
 * duration_s, opens_at, closes_at, token, show_score, pass_rules, tie_break,
 * timezone, archived, and the blueprint: sections, shuffle_items,
 * shuffle_options; null removes an optional one). Refused (every problem in
 * errs, nothing changed) for any other field (code, bank), for a result that
 * does not check, or - unless only "archived" changes - once a candidate of
 * the exam has started. A new blueprint redraws every candidate's paper
 * (new seeds, the bank's current version) in the same transaction;
 * *redrawn is their number, or -1 when papers were left as they were. On
 * success *out_def is the new definition bound to the bank. 0 or -1. */
int catalog_exam_update(sqlite3 *db, const char *code, json_t *changes, struct exam_def *out_def,
			int *redrawn, struct errlist *errs);

/* An exam's stored definition document (new reference), or NULL. */
json_t *catalog_exam_definition(sqlite3 *db, const char *code);

/* Define an exam from a file. Returns 0, or -1 with err and nothing changed. */
int catalog_exam_create(sqlite3 *db, const char *path, FILE *out, char *err, size_t errlen);
/* The same, reporting every problem of the file to errs. */
int catalog_exam_create_all(sqlite3 *db, const char *path, FILE *out, struct errlist *errs);
/* The same from a parsed document (a request body; root stays the caller's). */
int catalog_exam_create_doc(sqlite3 *db, json_t *root, FILE *out, struct errlist *errs);
int catalog_exam_list(sqlite3 *db, FILE *out, char *err, size_t errlen);

/* Load a bank version (version_id), or the bank's current version when
 * version_id is 0 and bank_id is given. Returns 0 or -1 with err. */
int catalog_load_bank_version(sqlite3 *db, int64_t bank_id, int64_t version_id,
			      struct bank_snapshot *snap, char *err, size_t errlen);
void catalog_bank_snapshot_free(struct bank_snapshot *snap);

/* Read an exam's stored definition by code (not bound to a bank: section
 * rules are unresolved). exam_id and bank_id may be NULL. Returns 0, or -1
 * with err ("no such exam ..." or "stored exam ... is unreadable: ..."). */
int catalog_read_exam(sqlite3 *db, const char *code, int64_t *exam_id, int64_t *bank_id,
		      struct exam_def *ex, char *err, size_t errlen);

/* Load an exam by code: its definition bound to the bank's current version
 * (snap is filled with that version). Returns 0 or -1 with err. */
int catalog_load_exam(sqlite3 *db, const char *code, int64_t *exam_id, struct exam_def *ex,
		      struct bank_snapshot *snap, char *err, size_t errlen);

/* Build one pool per exam section from a snapshot. storage must hold
 * snap->n_items entries; pools must hold ex->n_sections entries. */
void catalog_make_pools(const struct exam_def *ex, const struct bank_snapshot *snap,
			struct pool_item *storage, struct pool *pools);

#endif
