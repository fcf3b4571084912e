/* personnel.h - SKP ratings and disciplinary sanctions of the registry's
 * employees (tables skp, sanctions): CSV imports and single entries
 * (docs/FORMATS-SELECTION.md "SKP ratings", "Sanctions").
 *
 * Every write checks all its input first (every bad record with its line
 * and field, capped; an NIP must be in the registry), then applies in one
 * transaction with its audit event (actor: who) and the recompute of the
 * talent placements of the employees it touched (selection/talent.h).
 * Nothing is applied when anything is wrong. db: a read-write connection
 * with no transaction open. */
#ifndef UJIAN_PERSONNEL_H
#define UJIAN_PERSONNEL_H

#include "core/actor.h"
#include "core/errlist.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* SKP predikat, in order from best (stored codes). */
enum skp_predikat { SKP_SANGAT_BAIK, SKP_BAIK, SKP_BUTUH_PERBAIKAN, SKP_KURANG,
		    SKP_SANGAT_KURANG, SKP_MAX };
extern const char *const skp_codes[SKP_MAX];  /* "sangat_baik" ... */
extern const char *const skp_labels[SKP_MAX]; /* "Sangat Baik" ... */
/* A predikat written as its code or its name ("Sangat Baik", "sangat_baik",
 * "BUTUH PERBAIKAN"; case-insensitive), or -1. */
int skp_parse(const char *s);

/* Sanction levels (stored codes) and their Indonesian names. */
enum sanction_level { SANCTION_LIGHT, SANCTION_MODERATE, SANCTION_HEAVY, SANCTION_MAX };
extern const char *const sanction_codes[SANCTION_MAX];  /* "light" ... */
extern const char *const sanction_labels[SANCTION_MAX]; /* "Ringan" ... */
/* light/moderate/heavy or ringan/sedang/berat (case-insensitive), or -1. */
int sanction_level_parse(const char *s);

struct personnel_result {
	int created;   /* new rows */
	int updated;   /* SKP: a year's predikat changed */
	int unchanged; /* rows already stored as given */
};

/* Import the SKP CSV (nip, tahun, predikat): upsert per (employee, year). */
int skp_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
	       struct personnel_result *res, struct errlist *errs);
/* Set one employee's predikat for year (predikat: code or name). */
int skp_set(sqlite3 *db, const char *nip, int year, const char *predikat, struct actor who,
	    int64_t now, struct personnel_result *res, struct errlist *errs);

/* One sanction as given (strings as written; checked by the functions). */
struct sanction_in {
	const char *nip, *type, *level, *date, *note;
};
/* Import the sanctions CSV (nip, jenis, tingkat, tanggal, keterangan). A
 * record equal to a stored sanction (same NIP, type, level and date) is
 * counted unchanged, not added twice. */
int sanction_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
		    struct personnel_result *res, struct errlist *errs);
/* Add one sanction. */
int sanction_add(sqlite3 *db, const struct sanction_in *in, struct actor who, int64_t now,
		 struct personnel_result *res, struct errlist *errs);

#endif
