/* examedit.c - changing an exam after it was defined (the staff web): the
 * editable fields, and a new blueprint's papers drawn again for every
 * candidate, all in one transaction and only before the first start. */
#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/rng.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields an edit may change (not code or bank: a new exam for those). */
static const char *const catalog_editable[] = { "title",      "duration_s", "opens_at",
						"closes_at",  "token",      "show_score",
						"pass_rules", "tie_break",  "timezone",
						"archived",   "sections",   "shuffle_items",
						"shuffle_options", "sitting_token", "scoreboard",
						"show_thresholds", "describe_figures", NULL };
/* Of those, the ones that decide papers: changing one redraws them. */
static const char *const catalog_blueprint[] = { "sections", "shuffle_items", "shuffle_options",
						 NULL };

/* Draw a new paper for every candidate of exam_id (none has started) from
 * the bank's current version snap: a fresh seed each, stored in papers.
 * Returns the count, or -1 with err. */
static int catalog_redraw(sqlite3 *db, int64_t exam_id, const struct exam_def *ex,
			  const struct bank_snapshot *snap, char *err, size_t errlen)
{
	struct pool pools[UJ_SECTIONS_MAX];
	struct pool_item *storage = xcalloc((size_t)(snap->n_items ? snap->n_items : 1),
					    sizeof *storage);
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char why[512];
	int n = -1, count = 0;

	catalog_make_pools(ex, snap, storage, pools);
	if (paper_check(ex, pools, why, sizeof why)) {
		snprintf(err, errlen, "the bank's current version cannot satisfy this blueprint: %s", why);
		goto out;
	}
	if (!(sel = db_prepare(db, "SELECT id FROM candidates WHERE exam_id = ? ORDER BY id", err,
			       errlen)) ||
	    !(upd = db_prepare(db,
			       "UPDATE papers SET bank_version_id = ?, seed = ?, layout_json = ?"
			       " WHERE candidate_id = ?",
			       err, errlen)))
		goto out;
	sqlite3_bind_int64(sel, 1, exam_id);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		uint8_t seed[RNG_SEED_LEN];
		struct paper_layout paper;
		json_t *lj;
		char *ls;
		int ok;
		rng_bytes(seed, sizeof seed);
		if (paper_draw(ex, pools, seed, &paper)) {
			snprintf(err, errlen, "drawing a paper failed");
			goto out;
		}
		lj = paper_layout_to_json(&paper);
		ls = json_dumps(lj, JSON_COMPACT);
		json_decref(lj);
		paper_layout_free(&paper);
		sqlite3_reset(upd);
		sqlite3_bind_int64(upd, 1, snap->version_id);
		sqlite3_bind_blob(upd, 2, seed, RNG_SEED_LEN, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 3, ls, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(upd, 4, sqlite3_column_int64(sel, 0));
		ok = sqlite3_step(upd) == SQLITE_DONE;
		free(ls);
		if (!ok) {
			snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
			goto out;
		}
		count++;
	}
	n = count;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	free(storage);
	return n;
}

int catalog_exam_update(sqlite3 *db, const char *code, json_t *changes, struct exam_def *out_def,
			int *redrawn, struct errlist *errs)
{
	char err[1024];
	size_t errlen = sizeof err;
	struct bank_snapshot snap;
	json_t *doc = NULL, *v;
	const char *key;
	sqlite3_stmt *st = NULL;
	char *js = NULL;
	int64_t exam_id = 0, bank_id, current;
	int rc = -1, have_snap = 0, only_archive = 1, blueprint = 0;

	err[0] = '\0';
	*redrawn = -1;
	json_object_foreach(changes, key, v) {
		int ok = 0;
		for (const char *const *k = catalog_editable; *k; k++)
			ok |= strcmp(*k, key) == 0;
		for (const char *const *k = catalog_blueprint; *k; k++)
			blueprint |= strcmp(*k, key) == 0;
		if (!ok)
			errlist_add(errs, 0, NULL, key,
				    "cannot be changed: it names the exam or its bank (create a new "
				    "exam instead)");
		only_archive &= strcmp(key, "archived") == 0;
	}
	if (errs->total)
		goto out;
	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		goto out;
	if (!(st = db_prepare(db, "SELECT id, definition_json FROM exams WHERE code = ?", err,
			      errlen)))
		goto rollback;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		errlist_add(errs, 0, NULL, "code", "no exam \"%s\"", code);
		goto rollback;
	}
	exam_id = sqlite3_column_int64(st, 0);
	doc = jc_parse((const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1),
		       err, errlen);
	sqlite3_finalize(st);
	st = NULL;
	if (!doc)
		goto rollback;
	/* The changes over the stored document; null removes an optional field. */
	json_object_foreach(changes, key, v) {
		if (json_is_null(v))
			json_object_del(doc, key);
		else
			json_object_set(doc, key, v);
	}
	if (exam_check(doc, out_def, errs))
		goto rollback;
	bank_id = catalog_bank_id(db, out_def->bank, &current);
	if (!bank_id || catalog_load_bank_version(db, bank_id, current, &snap, err, errlen))
		goto rollback;
	have_snap = 1;
	if (exam_bind_check(out_def, snap.sec, snap.n_sections, errs))
		goto rollback;
	/* Started attempts run on the definition they started with; archiving
	 * is always allowed. */
	if (!only_archive) {
		if (!(st = db_prepare(db,
				      "SELECT count(*) FROM attempts a JOIN candidates c ON"
				      " c.id = a.candidate_id WHERE c.exam_id = ?",
				      err, errlen)))
			goto rollback;
		sqlite3_bind_int64(st, 1, exam_id);
		sqlite3_step(st);
		if (sqlite3_column_int(st, 0) > 0) {
			errlist_add(errs, 0, NULL, NULL,
				    "%d candidate(s) have started: the exam can no longer be changed",
				    sqlite3_column_int(st, 0));
			goto rollback;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	/* A new blueprint: every candidate gets a new paper drawn to it. */
	if (blueprint && (*redrawn = catalog_redraw(db, exam_id, out_def, &snap, err, errlen)) < 0) {
		errlist_add(errs, 0, NULL, "sections", "%s", err);
		goto rollback;
	}
	js = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!(st = db_prepare(db, "UPDATE exams SET definition_json = ? WHERE id = ?", err, errlen)))
		goto rollback;
	sqlite3_bind_text(st, 1, js, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, exam_id);
	if (sqlite3_step(st) != SQLITE_DONE || db_bump_catalog(db)) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	if (db_exec(db, "COMMIT", err, errlen))
		goto rollback;
	rc = 0;
	goto out;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (rc && errs->total == 0)
		errlist_add(errs, 0, NULL, NULL, "%s", err[0] ? err : "exam update failed");
	sqlite3_finalize(st);
	if (have_snap)
		catalog_bank_snapshot_free(&snap);
	json_decref(doc);
	free(js);
	return rc;
}
