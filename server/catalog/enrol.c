/* enrol.c - candidate import with paper generation. */
#include "catalog/enrol.h"
#include "bounds.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/csv.h"
#include "store/db.h"
#include "core/hmap.h"
#include "core/mem.h"
#include "exam/paper.h"
#include "core/text.h"
#include "selection/ident.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

enum enrol_col { COL_REGNO, COL_NAME, COL_PASSWORD, COL_TRACK, COL_EXTRA, COL_SITTING, COL_NIP,
		COL_MAX };

static const char *const enrol_col_names[COL_MAX] = { "registration_no", "name", "password",
						      "track", "extra_time_s", "sitting",
						      "nip" };

struct enrol_row {
	const char *regno, *name, *track, *sitting;
	const char *nip; /* NULL: none (the candidate is no employee) */
	int64_t sitting_id; /* 0: none */
	char password[UJ_PASSWORD_MAX + 1];
	int generated;
	int extra_s;
	uint8_t hash[CRED_HASH_LEN];
	uint8_t seed[RNG_SEED_LEN];
	struct paper_layout paper;
};

void enrol_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* Map header names to column positions; col[k] = -1 when absent. Reports
 * every problem of the header to errs. Returns 0 or -1. */
static int enrol_header(const struct csv_record *h, int *col, struct errlist *errs)
{
	size_t start = errs->total;
	for (int k = 0; k < COL_MAX; k++)
		col[k] = -1;
	for (int i = 0; i < h->nfields; i++) {
		int found = -1;
		for (int k = 0; k < COL_MAX; k++)
			if (strcmp(h->fields[i], enrol_col_names[k]) == 0)
				found = k;
		if (found < 0) {
			errlist_add(errs, h->line, NULL, NULL,
				    "unknown column \"%s\" (expected registration_no,name[,password][,track][,extra_time_s][,sitting][,nip])",
				    h->fields[i]);
			continue;
		}
		if (col[found] >= 0) {
			errlist_add(errs, h->line, NULL, NULL, "column \"%s\" appears twice",
				    h->fields[i]);
			continue;
		}
		col[found] = i;
	}
	if (errs->total == start && (col[COL_REGNO] != 0 || col[COL_NAME] != 1))
		errlist_add(errs, h->line, NULL, NULL, "the header must start with registration_no,name");
	return errs->total == start ? 0 : -1;
}

static int enrol_exists(sqlite3_stmt *st, int64_t exam_id, const char *regno)
{
	int found;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_text(st, 2, regno, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	return found;
}

/* The id of the exam's sitting code (0 if none). */
static int64_t enrol_sitting(sqlite3_stmt *st, int64_t exam_id, const char *code)
{
	int64_t id = 0;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* An NIP belongs to one candidate of an exam: not twice in the file (seen
 * holds the rows so far by NIP), not already another candidate's. */
static void enrol_check_nip(sqlite3_stmt *st, int64_t exam_id, const char *exam_code,
			    struct hmap *seen, struct enrol_row *row, int line, struct errlist *errs)
{
	const struct enrol_row *first = hmap_gets(seen, row->nip);
	if (first) {
		errlist_add(errs, line, NULL, "nip", "NIP %s is also given to %s in the file",
			    row->nip, first->regno);
		return;
	}
	hmap_puts(seen, row->nip, row);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_text(st, 2, row->nip, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		errlist_add(errs, line, NULL, "nip", "NIP %s is already candidate %s of exam %s",
			    row->nip, (const char *)sqlite3_column_text(st, 0), exam_code);
	sqlite3_reset(st);
}

/* Validate one record into row, reporting every bad field to errs.
 * Returns 0 or -1. */
static int enrol_check_row(const struct csv_record *r, const int *col, const struct exam_def *ex,
			   struct enrol_row *row, struct errlist *errs)
{
	const char *f[COL_MAX];
	size_t start = errs->total;
	int nexpect = 0;

	for (int k = 0; k < COL_MAX; k++)
		f[k] = col[k] >= 0 && col[k] < r->nfields ? r->fields[col[k]] : "";
	for (int k = 0; k < COL_MAX; k++)
		if (col[k] >= 0)
			nexpect++;
	if (r->nfields != nexpect) {
		errlist_add(errs, r->line, NULL, NULL, "has %d fields; the header has %d", r->nfields,
			    nexpect);
		return -1;
	}
	if (!text_is_ident(f[COL_REGNO], UJ_REGNO_MAX, "Aa0._-", 1))
		errlist_add(errs, r->line, NULL, "registration_no",
			    "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -", f[COL_REGNO],
			    UJ_REGNO_MAX);
	if (!*f[COL_NAME] || text_utf8_chars(f[COL_NAME]) > UJ_TITLE_MAX ||
	    text_has_control(f[COL_NAME], 0))
		errlist_add(errs, r->line, NULL, "name",
			    "must be 1-%d characters without control characters", UJ_TITLE_MAX);
	row->regno = f[COL_REGNO];
	row->name = f[COL_NAME];
	row->generated = 0;
	if (*f[COL_PASSWORD]) {
		size_t n = strlen(f[COL_PASSWORD]);
		int printable = 1;
		for (size_t i = 0; i < n; i++)
			if (f[COL_PASSWORD][i] < 0x21 || f[COL_PASSWORD][i] > 0x7E)
				printable = 0;
		if (n < UJ_PASSWORD_MIN || n > UJ_PASSWORD_MAX || !printable)
			errlist_add(errs, r->line, NULL, "password",
				    "must be %d-%d printable ASCII characters without spaces (or empty to have one issued)",
				    UJ_PASSWORD_MIN, UJ_PASSWORD_MAX);
		else
			str_copy(row->password, sizeof row->password, f[COL_PASSWORD]);
	} else {
		row->generated = 1;
	}
	row->track = *f[COL_TRACK] ? f[COL_TRACK] : "umum";
	if (!text_is_ident(row->track, UJ_TRACK_MAX, "a0_-", 1)) {
		errlist_add(errs, r->line, NULL, "track", "\"%s\" is not a track name (a-z 0-9 _ -)",
			    row->track);
	} else if (ex->n_rules > 0 && exam_rule_index(ex, row->track) < 0) {
		char tracks[256] = "";
		for (int i = 0; i < ex->n_rules; i++) {
			if (i)
				strncat(tracks, ", ", sizeof tracks - strlen(tracks) - 1);
			strncat(tracks, ex->rules[i].track, sizeof tracks - strlen(tracks) - 1);
		}
		errlist_add(errs, r->line, NULL, "track",
			    "exam %s has no pass rule for track \"%s\" (tracks: %s)", ex->code,
			    row->track, tracks);
	}
	row->extra_s = 0;
	if (*f[COL_EXTRA]) {
		char *end;
		errno = 0;
		long v = strtol(f[COL_EXTRA], &end, 10);
		if (errno || *end || end == f[COL_EXTRA] || v < 0 || v > UJ_EXTRA_TIME_MAX_S)
			errlist_add(errs, r->line, NULL, "extra_time_s",
				    "\"%s\" must be a whole number of seconds 0-%d", f[COL_EXTRA],
				    UJ_EXTRA_TIME_MAX_S);
		else
			row->extra_s = (int)v;
	}
	row->sitting = f[COL_SITTING];
	row->sitting_id = 0;
	row->nip = NULL;
	if (*f[COL_NIP]) {
		char why[128];
		enum nip_fault nf = nip_check(f[COL_NIP], why, sizeof why);
		if (nf != NIP_OK)
			errlist_add(errs, r->line, NULL, "nip", "NIP \"%s\": %s", f[COL_NIP],
				    errs->lang == ERRLIST_ID ? nip_fault_id(nf) : why);
		else
			row->nip = f[COL_NIP];
	}
	return errs->total == start ? 0 : -1;
}

static int enrol_insert(sqlite3 *db, int64_t exam_id, int64_t version_id, struct enrol_row *rows,
			size_t n, char *err, size_t errlen)
{
	sqlite3_stmt *c = db_prepare(db,
				     "INSERT INTO candidates (exam_id, registration_no, name, track,"
				     " extra_time_s, pw_hash, created_at, sitting_id, nip)"
				     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				     err, errlen);
	sqlite3_stmt *p = db_prepare(db,
				     "INSERT INTO papers (candidate_id, bank_version_id, seed, layout_json,"
				     " created_at) VALUES (?, ?, ?, ?, ?)",
				     err, errlen);
	int64_t now = clock_now_ms();
	int rc = -1;

	if (!c || !p)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *lj = paper_layout_to_json(&rows[i].paper);
		char *ls = json_dumps(lj, JSON_COMPACT);
		int ok;
		json_decref(lj);
		sqlite3_reset(c);
		sqlite3_bind_int64(c, 1, exam_id);
		sqlite3_bind_text(c, 2, rows[i].regno, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 3, rows[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 4, rows[i].track, -1, SQLITE_STATIC);
		sqlite3_bind_int(c, 5, rows[i].extra_s);
		sqlite3_bind_blob(c, 6, rows[i].hash, CRED_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(c, 7, now);
		if (rows[i].sitting_id)
			sqlite3_bind_int64(c, 8, rows[i].sitting_id);
		else
			sqlite3_bind_null(c, 8);
		if (rows[i].nip)
			sqlite3_bind_text(c, 9, rows[i].nip, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(c, 9);
		ok = sqlite3_step(c) == SQLITE_DONE;
		if (ok) {
			sqlite3_reset(p);
			sqlite3_bind_int64(p, 1, sqlite3_last_insert_rowid(db));
			sqlite3_bind_int64(p, 2, version_id);
			sqlite3_bind_blob(p, 3, rows[i].seed, RNG_SEED_LEN, SQLITE_STATIC);
			sqlite3_bind_text(p, 4, ls, -1, SQLITE_STATIC);
			sqlite3_bind_int64(p, 5, now);
			ok = sqlite3_step(p) == SQLITE_DONE;
		}
		free(ls);
		if (!ok) {
			snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
			goto out;
		}
	}
	if (db_bump_catalog(db)) {
		snprintf(err, errlen, "database error: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(c);
	sqlite3_finalize(p);
	return rc;
}

void enrol_result_free(struct enrol_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->cred[i].regno);
		free(res->cred[i].name);
		OPENSSL_cleanse(res->cred[i].password, sizeof res->cred[i].password);
	}
	free(res->cred);
	res->cred = NULL;
	res->n = 0;
}

int enrol_import_data(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		      const char *data, size_t len, struct enrol_result *res, struct errlist *errs)
{
	struct csv_doc doc = { 0 };
	struct exam_def ex;
	struct bank_snapshot snap;
	struct pool pools[UJ_SECTIONS_MAX];
	struct pool_item *storage = NULL;
	struct enrol_row *rows = NULL;
	struct hmap seen, seen_nip;
	sqlite3_stmt *exists = NULL, *sitting = NULL, *nip_used = NULL;
	char err[1024], why[512];
	size_t nrows = 0, errlen = sizeof err;
	int col[COL_MAX], rc = -1, have_snap = 0, in_txn = 0;
	int64_t exam_id;

	memset(res, 0, sizeof *res);
	err[0] = '\0';
	hmap_init(&seen);
	hmap_init(&seen_nip);
	res->sep = csv_detect_sep(data, len);
	if (csv_parse_sep(data, len, res->sep, UJ_CSV_LINE_MAX, UJ_CSV_ROWS_MAX + 1, &doc, why,
			  sizeof why)) {
		errlist_add(errs, 0, NULL, NULL, "%s", why);
		goto out;
	}
	if (doc.nrecords == 0) {
		errlist_add(errs, 0, NULL, NULL, "empty file (expected a header line)");
		goto out;
	}
	if (enrol_header(&doc.records[0], col, errs))
		goto out;
	if (doc.nrecords == 1) {
		errlist_add(errs, 0, NULL, NULL, "no candidates after the header");
		goto out;
	}
	/* Hold the write lock from validation to commit so no concurrent import
	 * can add the same registration number in between. */
	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen))
		goto out;
	in_txn = 1;
	if (catalog_load_exam(db, exam_code, &exam_id, &ex, &snap, why, sizeof why)) {
		snprintf(err, errlen, "--exam %s: %s", exam_code, why);
		goto out;
	}
	have_snap = 1;
	exists = db_prepare(db, "SELECT 1 FROM candidates WHERE exam_id = ? AND registration_no = ?",
			    err, errlen);
	sitting = db_prepare(db, "SELECT id FROM sittings WHERE exam_id = ? AND code = ?", err,
			     errlen);
	nip_used = db_prepare(db, "SELECT registration_no FROM candidates WHERE exam_id = ? AND nip = ?",
			      err, errlen);
	if (!exists || !sitting || !nip_used)
		goto out;
	nrows = doc.nrecords - 1;
	rows = xcalloc(nrows, sizeof *rows);
	for (size_t i = 0; i < nrows; i++) {
		const struct csv_record *r = &doc.records[i + 1];
		const struct enrol_row *first;
		if (enrol_check_row(r, col, &ex, &rows[i], errs) ||
		    !text_is_ident(rows[i].regno, UJ_REGNO_MAX, "Aa0._-", 1))
			continue;
		if ((first = hmap_gets(&seen, rows[i].regno))) {
			errlist_add(errs, r->line, NULL, "registration_no",
				    "\"%s\" appears twice in the file", rows[i].regno);
			continue;
		}
		hmap_puts(&seen, rows[i].regno, &rows[i]);
		if (*rows[i].sitting &&
		    !(rows[i].sitting_id = enrol_sitting(sitting, exam_id, rows[i].sitting)))
			errlist_add(errs, r->line, NULL, "sitting", "exam %s has no sitting \"%s\"",
				    exam_code, rows[i].sitting);
		if (enrol_exists(exists, exam_id, rows[i].regno))
			errlist_add(errs, r->line, NULL, "registration_no",
				    "\"%s\" is already registered for exam %s", rows[i].regno,
				    exam_code);
		if (rows[i].nip)
			enrol_check_nip(nip_used, exam_id, exam_code, &seen_nip, &rows[i], r->line,
					errs);
	}
	if (errs->total)
		goto out;
	storage = xcalloc((size_t)(snap.n_items ? snap.n_items : 1), sizeof *storage);
	catalog_make_pools(&ex, &snap, storage, pools);
	if (paper_check(&ex, pools, why, sizeof why)) {
		snprintf(err, errlen, "exam %s: the bank's current version cannot satisfy the blueprint: %s",
			 exam_code, why);
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		struct enrol_row *row = &rows[i];
		if (row->generated)
			cred_generate_password(row->password, UJ_PASSWORD_GEN_LEN);
		cred_hash_password(key, exam_code, row->regno, row->password, row->hash);
		rng_bytes(row->seed, RNG_SEED_LEN);
		if (paper_draw(&ex, pools, row->seed, &row->paper)) {
			snprintf(err, errlen, "exam %s: drawing a paper failed", exam_code);
			goto out;
		}
	}
	if (enrol_insert(db, exam_id, snap.version_id, rows, nrows, err, errlen))
		goto out;
	if (db_exec(db, "COMMIT", err, errlen))
		goto out;
	in_txn = 0;
	res->cred = xcalloc(nrows, sizeof *res->cred);
	for (size_t i = 0; i < nrows; i++) {
		res->cred[i].regno = xstrdup(rows[i].regno);
		res->cred[i].name = xstrdup(rows[i].name);
		memcpy(res->cred[i].password, rows[i].password, sizeof res->cred[i].password);
	}
	res->n = nrows;
	rc = 0;
out:
	if (rc && errs->total == 0)
		errlist_add(errs, 0, NULL, NULL, "%s", err[0] ? err : "import failed");
	if (in_txn)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(exists);
	sqlite3_finalize(sitting);
	sqlite3_finalize(nip_used);
	if (rows) {
		for (size_t i = 0; i < nrows; i++) {
			paper_layout_free(&rows[i].paper);
			OPENSSL_cleanse(rows[i].password, sizeof rows[i].password);
		}
		free(rows);
	}
	if (have_snap)
		catalog_bank_snapshot_free(&snap);
	free(storage);
	hmap_free(&seen);
	hmap_free(&seen_nip);
	csv_free(&doc);
	return rc;
}

int enrol_import_all(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		     const char *csv_path, FILE *out, struct errlist *errs, char *sep)
{
	struct enrol_result res = { 0 };
	FILE *f = fopen(csv_path, "rb");
	char *data = NULL;
	size_t len = 0;
	int rc = -1;

	*sep = ',';
	if (!f) {
		errlist_add(errs, 0, NULL, NULL, "cannot open: %s", strerror(errno));
		goto out;
	}
	data = xmalloc((size_t)UJ_CSV_FILE_MAX + 1);
	len = fread(data, 1, (size_t)UJ_CSV_FILE_MAX + 1, f);
	if (len > (size_t)UJ_CSV_FILE_MAX) {
		errlist_add(errs, 0, NULL, NULL, "larger than %d bytes", UJ_CSV_FILE_MAX);
		goto out;
	}
	rc = enrol_import_data(db, key, exam_code, data, len, &res, errs);
	*sep = res.sep;
	if (rc)
		goto out;
	fputs("registration_no,name,password\n", out);
	for (size_t i = 0; i < res.n; i++) {
		enrol_csv_field(out, res.cred[i].regno);
		fputc(',', out);
		enrol_csv_field(out, res.cred[i].name);
		fputc(',', out);
		enrol_csv_field(out, res.cred[i].password);
		fputc('\n', out);
	}
	fflush(out);
out:
	enrol_result_free(&res);
	if (data) {
		OPENSSL_cleanse(data, len);
		free(data);
	}
	if (f)
		fclose(f);
	return rc;
}

int enrol_import(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *exam_code,
		 const char *csv_path, FILE *out, char *err, size_t errlen)
{
	struct errlist errs;
	char first[1024], sep;
	int rc;

	errlist_init(&errs, 1);
	rc = enrol_import_all(db, key, exam_code, csv_path, out, &errs, &sep);
	if (rc) {
		errlist_first(&errs, first, sizeof first);
		snprintf(err, errlen, "%s: %s", csv_path, first);
	}
	errlist_free(&errs);
	return rc;
}
