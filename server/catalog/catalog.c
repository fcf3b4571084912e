/* catalog.c - importing banks, defining exams, loading them back. */
#include "catalog/catalog.h"
#include "core/clock.h"
#include "auth/cred.h"
#include "store/db.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/rng.h"

#include <errno.h>
#include <libgen.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

/* An image read from beside a bank file. */
struct bank_asset {
	char sha[65];
	const char *mime;
	unsigned char *data;
	size_t len;
};

static void catalog_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[SHA256_DIGEST_LENGTH];
	SHA256(data, len, h);
	cred_hex(h, sizeof h, out);
}

/* Read a file of at most max bytes. Returns a heap buffer or NULL with err. */
static unsigned char *catalog_read_file(const char *path, size_t max, size_t *len, char *err,
					size_t errlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	if (!f) {
		snprintf(err, errlen, "cannot open \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(max + 1);
	*len = fread(buf, 1, max + 1, f);
	fclose(f);
	if (*len > max) {
		snprintf(err, errlen, "\"%s\" is larger than %zu bytes", path, max);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Load and check one image reference; returns its asset index in *assets. */
static int catalog_load_image(const char *dir, const char *ref, struct bank_asset **assets,
			      int *n_assets, char *ref_out, char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, ref), sha[65], why[256];
	size_t len;
	const char *mime;
	unsigned char *data = catalog_read_file(path, UJ_IMAGE_BYTES_MAX, &len, why, sizeof why);
	int rc = -1;

	if (!data) {
		snprintf(err, errlen, "image %s", why);
		goto out;
	}
	if (bank_check_image(ref, data, len, &mime, why, sizeof why)) {
		snprintf(err, errlen, "image \"%s\": %s", path, why);
		free(data);
		goto out;
	}
	catalog_sha256_hex(data, len, sha);
	snprintf(ref_out, 72, "sha256:%s", sha);
	for (int i = 0; i < *n_assets; i++)
		if (strcmp((*assets)[i].sha, sha) == 0) {
			free(data);
			rc = 0;
			goto out;
		}
	*assets = xrealloc(*assets, (size_t)(*n_assets + 1) * sizeof **assets);
	struct bank_asset *a = &(*assets)[(*n_assets)++];
	memcpy(a->sha, sha, sizeof a->sha);
	a->mime = mime;
	a->data = data;
	a->len = len;
	rc = 0;
out:
	free(path);
	return rc;
}

void catalog_make_pools(const struct exam_def *ex, const struct bank_snapshot *snap,
			struct pool_item *storage, struct pool *pools)
{
	int pos = 0;
	for (int s = 0; s < ex->n_sections; s++) {
		pools[s].v = storage + pos;
		pools[s].n = 0;
		for (int i = 0; i < snap->n_items; i++) {
			const struct bank_item *it = &snap->items[i];
			if (it->section != ex->sec[s].bank_section)
				continue;
			struct pool_item *pi = &storage[pos++];
			pi->item_id = snap->item_ids[i];
			pi->topic = it->topic;
			pi->diff = (int)it->diff;
			pi->n_options = it->n_options;
			pools[s].n++;
		}
	}
}

/* Check every exam that uses bank_id against a candidate bank definition.
 * item ids do not matter for feasibility; indexes stand in for them. */
static int catalog_check_exams_against(sqlite3 *db, int64_t bank_id, const struct bank_def *def,
				       char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT code, definition_json FROM exams WHERE bank_id = ?",
				      err, errlen);
	struct bank_snapshot snap;
	int rc = -1;

	if (!st)
		return -1;
	memset(&snap, 0, sizeof snap);
	snap.n_sections = def->n_sections;
	memcpy(snap.sec, def->sec, sizeof snap.sec);
	snap.n_items = def->n_items;
	snap.items = def->items;
	snap.item_ids = xcalloc((size_t)def->n_items, sizeof *snap.item_ids);
	for (int i = 0; i < def->n_items; i++)
		snap.item_ids[i] = i + 1;
	sqlite3_bind_int64(st, 1, bank_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *js = (const char *)sqlite3_column_text(st, 1);
		char why[512];
		struct exam_def ex;
		struct pool pools[UJ_SECTIONS_MAX];
		struct pool_item *storage;
		json_t *root = jc_parse(js, strlen(js), why, sizeof why);
		int bad;

		if (!root || exam_parse(root, &ex, why, sizeof why)) {
			json_decref(root);
			snprintf(err, errlen, "stored exam \"%s\" is unreadable: %s", code, why);
			goto out;
		}
		json_decref(root);
		if (exam_bind(&ex, def->sec, def->n_sections, why, sizeof why)) {
			snprintf(err, errlen, "refused: exam \"%s\" uses this bank and would break: %s",
				 code, why);
			goto out;
		}
		storage = xcalloc((size_t)(def->n_items ? def->n_items : 1), sizeof *storage);
		catalog_make_pools(&ex, &snap, storage, pools);
		bad = paper_check(&ex, pools, why, sizeof why);
		free(storage);
		if (bad) {
			snprintf(err, errlen,
				 "refused: exam \"%s\" uses this bank and its blueprint could no longer be met: %s",
				 code, why);
			goto out;
		}
	}
	rc = 0;
out:
	free(snap.item_ids);
	sqlite3_finalize(st);
	return rc;
}

int64_t catalog_bank_id(sqlite3 *db, const char *code, int64_t *current_version)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	*current_version = 0;
	if (sqlite3_prepare_v2(db, "SELECT id, current_version_id FROM banks WHERE code = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*current_version = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return id;
}

/* Write a validated bank: assets, items, a new version. Inside a transaction. */
static int catalog_bank_write(sqlite3 *db, const struct bank_def *def, json_t *const *item_json,
			      const struct bank_asset *assets, int n_assets, const char *source_sha,
			      int64_t *bank_id, int *version_no, int *n_new, char *err,
			      size_t errlen)
{
	sqlite3_stmt *st = NULL, *ins = NULL, *sel = NULL, *link = NULL;
	int64_t version_id;
	char *sections = NULL;
	json_t *sj;
	int rc = -1;

	if (!*bank_id) {
		if (!(st = db_prepare(db, "INSERT INTO banks (code) VALUES (?)", err, errlen)))
			goto out;
		sqlite3_bind_text(st, 1, def->code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto dberr;
		*bank_id = sqlite3_last_insert_rowid(db);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!(st = db_prepare(db, "INSERT OR IGNORE INTO assets (sha256, mime, data) VALUES (?, ?, ?)",
			      err, errlen)))
		goto out;
	for (int i = 0; i < n_assets; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, assets[i].sha, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, assets[i].mime, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, assets[i].data, (int)assets[i].len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto dberr;
	}
	sqlite3_finalize(st);
	st = NULL;

	if (!(st = db_prepare(db,
			      "SELECT coalesce(max(version_no), 0) + 1 FROM bank_versions WHERE bank_id = ?",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, *bank_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto dberr;
	*version_no = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;

	sj = bank_sections_to_json(def->sec, def->n_sections);
	sections = json_dumps(sj, JSON_COMPACT);
	json_decref(sj);
	if (!(st = db_prepare(db,
			      "INSERT INTO bank_versions (bank_id, version_no, title, sections_json,"
			      " source_sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, *bank_id);
	sqlite3_bind_int(st, 2, *version_no);
	sqlite3_bind_text(st, 3, def->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sections, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, source_sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, clock_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto dberr;
	version_id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;

	ins = db_prepare(db,
			 "INSERT OR IGNORE INTO items (bank_id, item_code, content_sha256, content_json)"
			 " VALUES (?, ?, ?, ?)",
			 err, errlen);
	sel = db_prepare(db,
			 "SELECT id FROM items WHERE bank_id = ? AND item_code = ? AND content_sha256 = ?",
			 err, errlen);
	link = db_prepare(db,
			  "INSERT INTO bank_version_items (bank_version_id, ord, item_id) VALUES (?, ?, ?)",
			  err, errlen);
	if (!ins || !sel || !link)
		goto out;
	*n_new = 0;
	for (int i = 0; i < def->n_items; i++) {
		char *js = json_dumps(item_json[i], JSON_COMPACT | JSON_SORT_KEYS), sha[65];
		catalog_sha256_hex(js, strlen(js), sha);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, *bank_id);
		sqlite3_bind_text(ins, 2, def->items[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, sha, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, js, -1, SQLITE_TRANSIENT);
		free(js);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto dberr;
		*n_new += sqlite3_changes(db);
		sqlite3_reset(sel);
		sqlite3_bind_int64(sel, 1, *bank_id);
		sqlite3_bind_text(sel, 2, def->items[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(sel, 3, sha, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(sel) != SQLITE_ROW)
			goto dberr;
		sqlite3_reset(link);
		sqlite3_bind_int64(link, 1, version_id);
		sqlite3_bind_int(link, 2, i);
		sqlite3_bind_int64(link, 3, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(link) != SQLITE_DONE)
			goto dberr;
	}
	if (!(st = db_prepare(db, "UPDATE banks SET current_version_id = ? WHERE id = ?", err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, version_id);
	sqlite3_bind_int64(st, 2, *bank_id);
	if (sqlite3_step(st) != SQLITE_DONE || db_bump_catalog(db))
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	sqlite3_finalize(link);
	free(sections);
	return rc;
}

/* Load a JSON file; a problem goes to errs without the path (the caller
 * names the file). */
static json_t *catalog_load_json(const char *path, struct errlist *errs)
{
	char why[768];
	size_t plen = strlen(path);
	json_t *root = jc_load_file(path, UJ_JSON_FILE_MAX, why, sizeof why);
	if (!root) {
		const char *m = why;
		if (strncmp(why, path, plen) == 0 && why[plen] == ':' && why[plen + 1] == ' ')
			m = why + plen + 2;
		errlist_add(errs, 0, NULL, NULL, "%s", m);
	}
	return root;
}

int catalog_bank_import_all(sqlite3 *db, const char *path, FILE *out, struct errlist *errs)
{
	char err[1024];
	size_t errlen = sizeof err;
	struct bank_def def;
	struct bank_asset *assets = NULL;
	json_t *root = NULL, **item_json = NULL, *all = NULL;
	char why[768], *pathcopy = xstrdup(path), *dir, source_sha[65], *alljs = NULL;
	int n_assets = 0, rc = -1, have_def = 0, version_no = 0, n_new = 0;
	int64_t bank_id, current;

	memset(&def, 0, sizeof def);
	dir = dirname(pathcopy);
	err[0] = '\0';
	root = catalog_load_json(path, errs);
	if (!root || bank_check(root, &def, errs))
		goto out;
	have_def = 1;
	item_json = xcalloc((size_t)def.n_items, sizeof *item_json);
	for (int i = 0; i < def.n_items; i++) {
		struct bank_item *it = &def.items[i];
		char refs[UJ_ITEM_IMAGES_MAX][72], orefs[UJ_OPTIONS_MAX][72];
		char *rp[UJ_ITEM_IMAGES_MAX], *op[UJ_OPTIONS_MAX];
		for (int k = 0; k < it->n_images; k++) {
			rp[k] = refs[k];
			if (catalog_load_image(dir, it->images[k], &assets, &n_assets, refs[k], why,
					       sizeof why)) {
				char item[128], field[32];
				snprintf(item, sizeof item, "item \"%s\" (items[%d])", it->id, i);
				snprintf(field, sizeof field, "images[%d]", k);
				errlist_add(errs, 0, item, field, "%s", why);
			}
		}
		for (int k = 0; k < it->n_options; k++) {
			op[k] = NULL;
			if (!it->opt[k].image)
				continue;
			op[k] = orefs[k];
			if (catalog_load_image(dir, it->opt[k].image, &assets, &n_assets, orefs[k], why,
					       sizeof why)) {
				char item[160];
				snprintf(item, sizeof item, "item \"%s\" (items[%d]) options[%d]", it->id,
					 i, k);
				errlist_add(errs, 0, item, "image", "%s", why);
			}
		}
		if (errs->total == 0)
			item_json[i] = bank_item_to_json(it, def.sec, rp, op);
	}
	if (errs->total)
		goto out;
	/* Fingerprint of the whole version, to skip identical re-imports. */
	all = json_pack("{s:s,s:o,s:[]}", "title", def.title, "sections",
			bank_sections_to_json(def.sec, def.n_sections), "items");
	for (int i = 0; i < def.n_items; i++)
		json_array_append(json_object_get(all, "items"), item_json[i]);
	alljs = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	catalog_sha256_hex(alljs, strlen(alljs), source_sha);

	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		goto out;
	bank_id = catalog_bank_id(db, def.code, &current);
	if (bank_id) {
		sqlite3_stmt *st = db_prepare(db, "SELECT source_sha256, version_no FROM bank_versions WHERE id = ?",
					      err, errlen);
		int same = 0;
		if (!st)
			goto rollback;
		sqlite3_bind_int64(st, 1, current);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    strcmp((const char *)sqlite3_column_text(st, 0), source_sha) == 0) {
			same = 1;
			version_no = sqlite3_column_int(st, 1);
		}
		sqlite3_finalize(st);
		if (same) {
			db_exec(db, "ROLLBACK", why, sizeof why);
			fprintf(out, "bank %s unchanged (version %d, %d items)\n", def.code, version_no,
				def.n_items);
			rc = 0;
			goto out;
		}
		if (catalog_check_exams_against(db, bank_id, &def, err, errlen))
			goto rollback;
	}
	if (catalog_bank_write(db, &def, item_json, assets, n_assets, source_sha, &bank_id,
			       &version_no, &n_new, err, errlen))
		goto rollback;
	if (db_exec(db, "COMMIT", err, errlen))
		goto rollback;
	fprintf(out, "bank %s version %d imported: %d items (%d new or changed), %d sections, %d images\n",
		def.code, version_no, def.n_items, n_new, def.n_sections, n_assets);
	rc = 0;
	goto out;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (rc && errs->total == 0)
		errlist_add(errs, 0, NULL, NULL, "%s", err[0] ? err : "import failed");
	if (item_json)
		for (int i = 0; i < def.n_items; i++)
			json_decref(item_json[i]);
	free(item_json);
	for (int i = 0; i < n_assets; i++)
		free(assets[i].data);
	free(assets);
	if (have_def)
		bank_def_free(&def);
	json_decref(all);
	free(alljs);
	json_decref(root);
	free(pathcopy);
	return rc;
}

/* The one-message form of an importer: the first error, prefixed by path. */
static int catalog_first_error(int rc, const char *path, struct errlist *errs, char *err,
			       size_t errlen)
{
	char first[1024];
	if (rc) {
		errlist_first(errs, first, sizeof first);
		snprintf(err, errlen, "%s: %s", path, first);
	}
	errlist_free(errs);
	return rc;
}

int catalog_bank_import(sqlite3 *db, const char *path, FILE *out, char *err, size_t errlen)
{
	struct errlist errs;
	errlist_init(&errs, 1);
	return catalog_first_error(catalog_bank_import_all(db, path, out, &errs), path, &errs, err,
				   errlen);
}

int catalog_bank_list(sqlite3 *db, FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT b.code, v.version_no, (SELECT count(*) FROM bank_version_items WHERE"
		" bank_version_id = v.id), v.title FROM banks b JOIN bank_versions v ON"
		" v.id = b.current_version_id ORDER BY b.code",
		err, errlen);
	if (!st)
		return -1;
	fprintf(out, "%-24s %7s %6s  %s\n", "CODE", "VERSION", "ITEMS", "TITLE");
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(out, "%-24s %7d %6d  %s\n", sqlite3_column_text(st, 0),
			sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return 0;
}

int catalog_load_bank_version(sqlite3 *db, int64_t bank_id, int64_t version_id,
			      struct bank_snapshot *snap, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	json_t *sj = NULL;
	int rc = -1, n;
	char why[512];

	memset(snap, 0, sizeof *snap);
	if (version_id == 0) {
		if (!(st = db_prepare(db, "SELECT current_version_id FROM banks WHERE id = ?", err, errlen)))
			return -1;
		sqlite3_bind_int64(st, 1, bank_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			version_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!(st = db_prepare(db, "SELECT bank_id, sections_json FROM bank_versions WHERE id = ?", err,
			      errlen)))
		return -1;
	sqlite3_bind_int64(st, 1, version_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "bank version %lld not found", (long long)version_id);
		goto out;
	}
	snap->bank_id = sqlite3_column_int64(st, 0);
	snap->version_id = version_id;
	sj = jc_parse((const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1),
		      why, sizeof why);
	if (!sj || bank_parse_sections(sj, snap->sec, &snap->n_sections, why, sizeof why)) {
		snprintf(err, errlen, "stored bank version %lld: %s", (long long)version_id, why);
		goto out;
	}
	sqlite3_finalize(st);
	if (!(st = db_prepare(db,
			      "SELECT count(*) FROM bank_version_items WHERE bank_version_id = ?", err,
			      errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, version_id);
	sqlite3_step(st);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	snap->items = xcalloc((size_t)(n ? n : 1), sizeof *snap->items);
	snap->item_ids = xcalloc((size_t)(n ? n : 1), sizeof *snap->item_ids);
	if (!(st = db_prepare(db,
			      "SELECT i.id, i.content_json FROM bank_version_items v JOIN items i ON"
			      " i.id = v.item_id WHERE v.bank_version_id = ? ORDER BY v.ord",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, version_id);
	while (sqlite3_step(st) == SQLITE_ROW && snap->n_items < n) {
		json_t *ij = jc_parse((const char *)sqlite3_column_text(st, 1),
				      (size_t)sqlite3_column_bytes(st, 1), why, sizeof why);
		int bad = !ij || bank_parse_item(ij, (size_t)snap->n_items, snap->sec, snap->n_sections,
						 BANK_SOURCE_STORED, &snap->items[snap->n_items], why,
						 sizeof why);
		json_decref(ij);
		if (bad) {
			snprintf(err, errlen, "stored item %lld: %s", (long long)sqlite3_column_int64(st, 0),
				 why);
			goto out;
		}
		snap->item_ids[snap->n_items++] = sqlite3_column_int64(st, 0);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	json_decref(sj);
	if (rc)
		catalog_bank_snapshot_free(snap);
	return rc;
}

void catalog_bank_snapshot_free(struct bank_snapshot *snap)
{
	for (int i = 0; i < snap->n_items; i++)
		bank_item_free(&snap->items[i]);
	free(snap->items);
	free(snap->item_ids);
	bank_sections_free(snap->sec, snap->n_sections);
	memset(snap, 0, sizeof *snap);
}

int catalog_read_exam(sqlite3 *db, const char *code, int64_t *exam_id, int64_t *bank_id,
		      struct exam_def *ex, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, bank_id, definition_json FROM exams WHERE code = ?",
				      err, errlen);
	json_t *root = NULL;
	char why[512];
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "no such exam \"%s\" (see 'ujian exam list')", code);
		goto out;
	}
	if (exam_id)
		*exam_id = sqlite3_column_int64(st, 0);
	if (bank_id)
		*bank_id = sqlite3_column_int64(st, 1);
	root = jc_parse((const char *)sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st, 2),
			why, sizeof why);
	if (!root || exam_parse(root, ex, why, sizeof why)) {
		snprintf(err, errlen, "stored exam \"%s\" is unreadable: %s", code, why);
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	sqlite3_finalize(st);
	return rc;
}

int catalog_load_exam(sqlite3 *db, const char *code, int64_t *exam_id, struct exam_def *ex,
		      struct bank_snapshot *snap, char *err, size_t errlen)
{
	int64_t bank_id;

	memset(snap, 0, sizeof *snap);
	if (catalog_read_exam(db, code, exam_id, &bank_id, ex, err, errlen) ||
	    catalog_load_bank_version(db, bank_id, 0, snap, err, errlen))
		return -1;
	if (exam_bind(ex, snap->sec, snap->n_sections, err, errlen)) {
		catalog_bank_snapshot_free(snap);
		return -1;
	}
	return 0;
}

int catalog_exam_create_all(sqlite3 *db, const char *path, FILE *out, struct errlist *errs)
{
	json_t *root = catalog_load_json(path, errs);
	int rc = root ? catalog_exam_create_doc(db, root, out, errs) : -1;
	json_decref(root);
	return rc;
}

/* Best effort on a document that did not check: every sections[i].code
 * that the named bank (if it exists) does not have, reported as such. */
static void catalog_exam_sections_known(sqlite3 *db, json_t *root, struct errlist *errs)
{
	const char *bank = json_string_value(json_object_get(root, "bank"));
	json_t *secs = json_object_get(root, "sections"), *v;
	struct bank_snapshot snap;
	int64_t bank_id, current;
	char err[256], item[32];
	size_t i;

	if (!bank || !json_is_array(secs) || !(bank_id = catalog_bank_id(db, bank, &current)) ||
	    catalog_load_bank_version(db, bank_id, current, &snap, err, sizeof err))
		return;
	json_array_foreach(secs, i, v) {
		const char *code = json_string_value(json_object_get(v, "code"));
		int known = 0;
		if (!code)
			continue;
		for (int s = 0; s < snap.n_sections; s++)
			known |= strcmp(snap.sec[s].code, code) == 0;
		if (!known) {
			snprintf(item, sizeof item, "sections[%zu]", i);
			errlist_add(errs, 0, item, "code", "bank \"%s\" has no section \"%s\"", bank,
				    code);
		}
	}
	catalog_bank_snapshot_free(&snap);
}

int catalog_exam_create_doc(sqlite3 *db, json_t *root, FILE *out, struct errlist *errs)
{
	char err[1024];
	size_t errlen = sizeof err;
	struct exam_def ex;
	struct bank_snapshot snap;
	struct pool pools[UJ_SECTIONS_MAX];
	struct pool_item *storage = NULL;
	char why[768], *js = NULL;
	int64_t bank_id, current;
	sqlite3_stmt *st = NULL;
	int rc = -1, have_snap = 0;

	err[0] = '\0';
	if (exam_check(root, &ex, errs)) {
		/* A section code the bank lacks shows above only through what
		 * names it (tie_break, pass_rules): say what it really is. */
		catalog_exam_sections_known(db, root, errs);
		goto out;
	}
	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		goto out;
	bank_id = catalog_bank_id(db, ex.bank, &current);
	if (!bank_id) {
		errlist_add(errs, 0, NULL, "bank", "no bank with code \"%s\" (import it first)",
			    ex.bank);
		goto rollback;
	}
	if (catalog_load_bank_version(db, bank_id, current, &snap, err, errlen))
		goto rollback;
	have_snap = 1;
	if (exam_bind_check(&ex, snap.sec, snap.n_sections, errs))
		goto rollback;
	storage = xcalloc((size_t)(snap.n_items ? snap.n_items : 1), sizeof *storage);
	catalog_make_pools(&ex, &snap, storage, pools);
	if (paper_check(&ex, pools, why, sizeof why)) {
		snprintf(err, errlen, "bank \"%s\" cannot satisfy this blueprint: %s", ex.bank, why);
		goto rollback;
	}
	if (!(st = db_prepare(db, "SELECT 1 FROM exams WHERE code = ?", err, errlen)))
		goto rollback;
	sqlite3_bind_text(st, 1, ex.code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		errlist_add(errs, 0, NULL, "code", "an exam \"%s\" already exists", ex.code);
		goto rollback;
	}
	sqlite3_finalize(st);
	js = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!(st = db_prepare(db,
			      "INSERT INTO exams (code, bank_id, definition_json, created_at)"
			      " VALUES (?, ?, ?, ?)",
			      err, errlen)))
		goto rollback;
	sqlite3_bind_text(st, 1, ex.code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, bank_id);
	sqlite3_bind_text(st, 3, js, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, clock_now_ms());
	if (sqlite3_step(st) != SQLITE_DONE || db_bump_catalog(db)) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		goto rollback;
	}
	if (db_exec(db, "COMMIT", err, errlen))
		goto rollback;
	fprintf(out, "exam %s created: %d items per paper, %d s, bank %s\n", ex.code,
		exam_paper_length(&ex), ex.duration_s, ex.bank);
	rc = 0;
	goto out;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (rc && errs->total == 0)
		errlist_add(errs, 0, NULL, NULL, "%s", err[0] ? err : "exam create failed");
	sqlite3_finalize(st);
	if (have_snap)
		catalog_bank_snapshot_free(&snap);
	free(storage);
	free(js);
	return rc;
}

int catalog_exam_create(sqlite3 *db, const char *path, FILE *out, char *err, size_t errlen)
{
	struct errlist errs;
	errlist_init(&errs, 1);
	return catalog_first_error(catalog_exam_create_all(db, path, out, &errs), path, &errs, err,
				   errlen);
}

int catalog_exam_list(sqlite3 *db, FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT e.code, b.code, (SELECT count(*) FROM candidates c WHERE c.exam_id = e.id),"
		" (SELECT count(*) FROM candidates c JOIN attempts a ON a.candidate_id = c.id"
		"  WHERE c.exam_id = e.id AND a.status = 'finished'),"
		" json_extract(e.definition_json, '$.duration_s'),"
		" json_extract(e.definition_json, '$.title')"
		" FROM exams e JOIN banks b ON b.id = e.bank_id ORDER BY e.code",
		err, errlen);
	if (!st)
		return -1;
	fprintf(out, "%-20s %-20s %10s %8s %8s  %s\n", "CODE", "BANK", "CANDIDATES", "FINISHED",
		"DURATION", "TITLE");
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(out, "%-20s %-20s %10d %8d %7ds  %s\n", sqlite3_column_text(st, 0),
			sqlite3_column_text(st, 1), sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
			sqlite3_column_int(st, 4), sqlite3_column_text(st, 5));
	sqlite3_finalize(st);
	return 0;
}
