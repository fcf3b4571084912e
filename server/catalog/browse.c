/* browse.c - the catalog as the staff web reads it: banks with their
 * versions, a bank version's items with keys and images (for authors), a
 * stored image, an exam's stored document. Reads only. */
#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *catalog_banks_json(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT b.code, v.version_no, (SELECT count(*) FROM bank_version_items WHERE"
		" bank_version_id = v.id), v.title, v.imported_at FROM banks b JOIN bank_versions v ON"
		" v.id = b.current_version_id ORDER BY b.code",
		err, errlen);
	json_t *list;
	if (!st)
		return NULL;
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
			list, json_pack("{s:s,s:i,s:i,s:s,s:o}", "code", sqlite3_column_text(st, 0),
					"version", sqlite3_column_int(st, 1), "items",
					sqlite3_column_int(st, 2), "title", sqlite3_column_text(st, 3),
					"imported_at", clock_json(sqlite3_column_int64(st, 4))));
	sqlite3_finalize(st);
	return list;
}

/* The bank's versions, newest first. */
static json_t *catalog_versions_json(sqlite3 *db, int64_t bank_id, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT v.version_no, v.title, (SELECT count(*) FROM bank_version_items WHERE"
		" bank_version_id = v.id), v.imported_at FROM bank_versions v WHERE v.bank_id = ?"
		" ORDER BY v.version_no DESC",
		err, errlen);
	json_t *list;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, bank_id);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:i,s:s,s:i,s:o}", "version",
						      sqlite3_column_int(st, 0), "title",
						      sqlite3_column_text(st, 1), "items",
						      sqlite3_column_int(st, 2), "imported_at",
						      clock_json(sqlite3_column_int64(st, 3))));
	sqlite3_finalize(st);
	return list;
}

json_t *catalog_bank_items_json(sqlite3 *db, const char *code, int version_no, char *err,
				size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct bank_snapshot snap;
	json_t *out = NULL, *items, *versions, *secs;
	int64_t bank_id = 0, version_id = 0;
	int shown = 0;
	const char *sql = version_no
				  ? "SELECT b.id, v.id, v.version_no FROM banks b JOIN bank_versions v ON"
				    " v.bank_id = b.id WHERE b.code = ?1 AND v.version_no = ?2"
				  : "SELECT b.id, v.id, v.version_no FROM banks b JOIN bank_versions v ON"
				    " v.id = b.current_version_id WHERE b.code = ?1";

	memset(&snap, 0, sizeof snap);
	if (!(st = db_prepare(db, sql, err, errlen)))
		return NULL;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (version_no)
		sqlite3_bind_int(st, 2, version_no);
	if (sqlite3_step(st) == SQLITE_ROW) {
		bank_id = sqlite3_column_int64(st, 0);
		version_id = sqlite3_column_int64(st, 1);
		shown = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (!bank_id) {
		snprintf(err, errlen, "not_found");
		return NULL;
	}
	if (catalog_load_bank_version(db, bank_id, version_id, &snap, err, errlen) ||
	    !(versions = catalog_versions_json(db, bank_id, err, errlen)))
		goto out;
	items = json_array();
	for (int i = 0; i < snap.n_items; i++) {
		const struct bank_item *it = &snap.items[i];
		char *opt_refs[UJ_OPTIONS_MAX];
		for (int k = 0; k < it->n_options; k++)
			opt_refs[k] = it->opt[k].image;
		json_array_append_new(items, bank_item_to_json(it, snap.sec, it->images, opt_refs));
	}
	secs = bank_sections_to_json(snap.sec, snap.n_sections);
	out = json_pack("{s:s,s:i,s:o,s:o,s:o}", "code", code, "version", shown, "versions",
			versions, "sections", secs, "items", items);
out:
	catalog_bank_snapshot_free(&snap);
	return out;
}

int catalog_asset(sqlite3 *db, const char *sha256, unsigned char **data, size_t *len,
		  char mime[32])
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT mime, data FROM assets WHERE sha256 = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 1);
		*data = xmalloc(*len ? *len : 1);
		memcpy(*data, sqlite3_column_blob(st, 1), *len);
		str_copy(mime, 32, (const char *)sqlite3_column_text(st, 0));
		rc = 1;
	}
	sqlite3_finalize(st);
	return rc;
}

json_t *catalog_exam_definition(sqlite3 *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	json_t *doc = NULL;
	char why[256];
	if (sqlite3_prepare_v2(db, "SELECT definition_json FROM exams WHERE code = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		doc = jc_parse((const char *)sqlite3_column_text(st, 0),
			       (size_t)sqlite3_column_bytes(st, 0), why, sizeof why);
	sqlite3_finalize(st);
	return doc;
}
