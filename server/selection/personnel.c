/* personnel.c - SKP ratings and sanctions: CSV imports and single entries
 * (personnel.h). */
#include "selection/personnel.h"
#include "bounds.h"
#include "core/hmap.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "selection/pcsv.h"
#include "selection/talent.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Above this many employees touched, one recompute of everyone is cheaper
 * than one per employee. */
#define PERS_RECOMPUTE_EACH_MAX 32

const char *const skp_codes[SKP_MAX] = { "sangat_baik", "baik", "butuh_perbaikan", "kurang",
					 "sangat_kurang" };
const char *const skp_labels[SKP_MAX] = { "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang",
					  "Sangat Kurang" };
const char *const sanction_codes[SANCTION_MAX] = { "light", "moderate", "heavy" };
const char *const sanction_labels[SANCTION_MAX] = { "Ringan", "Sedang", "Berat" };
static const char *const sanction_id_codes[SANCTION_MAX] = { "ringan", "sedang", "berat" };

/* s lower-cased with spaces and hyphens as underscores into b; 0, or -1
 * when it does not fit. */
static int pers_norm(const char *s, char *b, size_t n)
{
	size_t i = 0;
	for (; *s; s++) {
		if (i + 1 >= n)
			return -1;
		b[i++] = *s == ' ' || *s == '-' ? '_' : (char)tolower((unsigned char)*s);
	}
	b[i] = '\0';
	return 0;
}

int skp_parse(const char *s)
{
	char b[32];
	if (pers_norm(s, b, sizeof b))
		return -1;
	for (int k = 0; k < SKP_MAX; k++)
		if (strcmp(b, skp_codes[k]) == 0)
			return k;
	return -1;
}

int sanction_level_parse(const char *s)
{
	char b[32];
	if (pers_norm(s, b, sizeof b))
		return -1;
	for (int k = 0; k < SANCTION_MAX; k++)
		if (strcmp(b, sanction_codes[k]) == 0 || strcmp(b, sanction_id_codes[k]) == 0)
			return k;
	return -1;
}

/* ---- one checked record of either kind ---------------------------------- */

struct pers_row {
	int line;         /* 0: a single entry */
	const char *nip;
	int year;         /* SKP */
	int predikat;     /* SKP */
	const char *type; /* sanction */
	int level;        /* sanction */
	char date[11];    /* sanction */
	const char *note; /* sanction */
	int64_t emp_id;   /* found in the transaction */
	char *key;        /* import: the duplicate check's key (owned) */
};

enum pers_kind { PERS_SKP, PERS_SANCTION };

struct pers_op {
	struct wr_op op;
	enum pers_kind kind;
	sqlite3 *db;
	struct pers_row *rows;
	size_t n;
	const char *nip_field; /* the NIP column's name, for errors */
	const char *how;       /* "import" or "entry" (audit detail) */
	struct personnel_result *res;
	struct errlist *errs;
};

/* Check an NIP's structure; every problem to errs. 0 or -1. */
static int pers_nip(const char *nip, int line, const char *field, struct errlist *errs)
{
	char why[128];
	enum nip_fault f = nip_check(nip, why, sizeof why);
	if (f == NIP_OK)
		return 0;
	errlist_add(errs, line, NULL, field, "NIP \"%s\": %s", nip,
		    errs->lang == ERRLIST_ID ? nip_fault_id(f) : why);
	return -1;
}

static int pers_year(const char *s, int *year)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < UJ_SKP_YEAR_MIN || v > UJ_SKP_YEAR_MAX)
		return -1;
	*year = (int)v;
	return 0;
}

/* Check the fields of a sanction into row; every problem to errs. */
static void pers_check_sanction(const char *type, const char *level, const char *date,
				const char *note, const char *const names[4], struct pers_row *row,
				struct errlist *errs)
{
	row->type = type;
	row->note = note;
	if (!*type || text_utf8_chars(type) > UJ_SANCTION_TYPE_MAX || text_has_control(type, 0))
		errlist_add(errs, row->line, NULL, names[0],
			    "must be 1-%d characters without control characters",
			    UJ_SANCTION_TYPE_MAX);
	if ((row->level = sanction_level_parse(level)) < 0)
		errlist_add(errs, row->line, NULL, names[1],
			    "\"%s\" is not a sanction level (ringan, sedang, berat or light, moderate, heavy)",
			    level);
	if (pcsv_date(date, row->date))
		errlist_add(errs, row->line, NULL, names[2],
			    "\"%s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)", date);
	if (text_utf8_chars(note) > UJ_SANCTION_NOTE_MAX || text_has_control(note, 0))
		errlist_add(errs, row->line, NULL, names[3],
			    "must be at most %d characters without control characters",
			    UJ_SANCTION_NOTE_MAX);
}

/* ---- the transaction ---------------------------------------------------- */

static const char sql_find_emp[] = "SELECT id FROM employees WHERE nip = ?";
static const char sql_skp_get[] = "SELECT predikat FROM skp WHERE employee_id = ? AND year = ?";
static const char sql_skp_put[] =
	"INSERT INTO skp (employee_id, year, predikat, updated_at) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (employee_id, year) DO UPDATE SET predikat = ?3, updated_at = ?4";
static const char sql_sanc_same[] =
	"SELECT 1 FROM sanctions WHERE employee_id = ? AND type = ? AND level = ? AND date = ?";
static const char sql_sanc_add[] =
	"INSERT INTO sanctions (employee_id, type, level, date, note, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";

/* Resolve every row's NIP to its employee; every unknown one to errs. */
static int pers_resolve(struct wr_tx *tx, struct pers_op *s)
{
	size_t start = s->errs->total;
	for (size_t i = 0; i < s->n; i++) {
		sqlite3_stmt *st = wr_stmt(tx, sql_find_emp);
		int rc;
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, s->rows[i].nip, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			s->rows[i].emp_id = sqlite3_column_int64(st, 0);
		else if (rc == SQLITE_DONE)
			errlist_add(s->errs, s->rows[i].line, NULL, s->nip_field,
				    "no employee with NIP %s in the registry (import the employees first)",
				    s->rows[i].nip);
		else
			return -1;
		sqlite3_reset(st);
	}
	return s->errs->total == start ? 0 : -1;
}

static int pers_write_skp(struct wr_tx *tx, struct pers_op *s, const struct pers_row *r)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_skp_get);
	const char *code = skp_codes[r->predikat];
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->emp_id);
	sqlite3_bind_int(st, 2, r->year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = strcmp((const char *)sqlite3_column_text(st, 0), code) == 0;
		sqlite3_reset(st);
		if (same) {
			s->res->unchanged++;
			return 0;
		}
		s->res->updated++;
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		s->res->created++;
	} else {
		return -1;
	}
	if (!(st = wr_stmt(tx, sql_skp_put)))
		return -1;
	sqlite3_bind_int64(st, 1, r->emp_id);
	sqlite3_bind_int(st, 2, r->year);
	sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, s->op.at);
	return wr_step(st);
}

static int pers_write_sanction(struct wr_tx *tx, struct pers_op *s, const struct pers_row *r)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_sanc_same);
	int rc;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->emp_id);
	sqlite3_bind_text(st, 2, r->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sanction_codes[r->level], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) {
		s->res->unchanged++;
		return 0;
	}
	if (rc != SQLITE_DONE || !(st = wr_stmt(tx, sql_sanc_add)))
		return -1;
	sqlite3_bind_int64(st, 1, r->emp_id);
	sqlite3_bind_text(st, 2, r->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sanction_codes[r->level], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->op.at);
	s->res->created++;
	return wr_step(st);
}

/* Recompute the placements of the employees the rows touched (each once;
 * few rows: quadratic is fine). */
static int pers_recompute(struct pers_op *s)
{
	char err[512];
	int rc = 0;

	if (s->n > PERS_RECOMPUTE_EACH_MAX) {
		rc = talent_recompute(s->db, 0, 0, s->op.at, err, sizeof err) < 0 ? -1 : 0;
	} else {
		for (size_t i = 0; i < s->n && rc == 0; i++) {
			size_t j = 0;
			while (j < i && s->rows[j].emp_id != s->rows[i].emp_id)
				j++;
			if (j == i &&
			    talent_recompute(s->db, 0, s->rows[i].emp_id, s->op.at, err, sizeof err) < 0)
				rc = -1;
		}
	}
	if (rc)
		errlist_add(s->errs, 0, NULL, NULL, "%s", err);
	return rc;
}

static int pers_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct pers_op *s = (struct pers_op *)op;
	struct event_rec e = { .at = op->at, .actor = op->owner, .label = -1 };
	int rc;

	if (pers_resolve(tx, s))
		return -1;
	for (size_t i = 0; i < s->n; i++)
		if ((s->kind == PERS_SKP ? pers_write_skp(tx, s, &s->rows[i])
					 : pers_write_sanction(tx, s, &s->rows[i])))
			return -1;
	e.kind = s->kind == PERS_SKP ? "skp_recorded" : "sanctions_recorded";
	e.detail = json_pack("{s:s,s:i,s:i,s:i}", "by", s->how, "created", s->res->created,
			     "updated", s->res->updated, "unchanged", s->res->unchanged);
	if (s->n == 1)
		json_object_set_new(e.detail, "nip", json_string(s->rows[0].nip));
	rc = event_append(tx, &e);
	json_decref(e.detail);
	if (rc)
		return -1;
	return pers_recompute(s);
}

static void pers_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

/* Apply the checked rows in one transaction. 0, or -1 with errs. */
static int pers_run(sqlite3 *db, enum pers_kind kind, struct pers_row *rows, size_t n,
		    const char *nip_field, const char *how, struct actor who, int64_t now,
		    struct personnel_result *res, struct errlist *errs)
{
	struct pers_op s;
	char err[512];
	size_t start = errs->total;

	memset(&s, 0, sizeof s);
	wr_op_init(&s.op, pers_apply, who, now);
	s.op.release = pers_release;
	s.kind = kind;
	s.db = db;
	s.rows = rows;
	s.n = n;
	s.nip_field = nip_field;
	s.how = how;
	s.res = res;
	s.errs = errs;
	if (wr_apply_now(db, &s.op, err, sizeof err) == 0)
		return 0;
	memset(res, 0, sizeof *res);
	if (errs->total == start)
		errlist_add(errs, 0, NULL, NULL, "%s", err);
	return -1;
}

static void pers_rows_free(struct pers_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].key);
	free(rows);
}

/* ---- SKP ---------------------------------------------------------------- */

enum skp_col { SC_NIP, SC_YEAR, SC_PRED, SC_MAX };
static const struct pcsv_col skp_cols[SC_MAX] = {
	[SC_NIP] = { "nip", "nip", 1 },
	[SC_YEAR] = { "tahun", "year", 1 },
	[SC_PRED] = { "predikat", "rating", 1 },
};

static void skp_check(const char *year, const char *pred, const char *yname, const char *pname,
		      struct pers_row *row, struct errlist *errs)
{
	if (pers_year(year, &row->year))
		errlist_add(errs, row->line, NULL, yname, "\"%s\" is not a year %d-%d", year,
			    UJ_SKP_YEAR_MIN, UJ_SKP_YEAR_MAX);
	if ((row->predikat = skp_parse(pred)) < 0)
		errlist_add(errs, row->line, NULL, pname,
			    "\"%s\" is not an SKP predikat (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)",
			    pred);
}

int skp_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
	       struct personnel_result *res, struct errlist *errs)
{
	struct pcsv p;
	struct pers_row *rows = NULL;
	struct hmap seen;
	size_t n = 0;
	int rc = -1;

	memset(res, 0, sizeof *res);
	hmap_init(&seen);
	if (pcsv_open(&p, data, len, skp_cols, SC_MAX, UJ_EMP_ROWS_MAX, errs))
		goto out;
	n = pcsv_rows(&p);
	rows = xcalloc(n, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const struct csv_record *r = pcsv_row(&p, i);
		struct pers_row *row = &rows[i];
		const struct pers_row *first;
		size_t start = errs->total;
		row->line = r->line;
		if (!pcsv_row_shape(&p, r, errs))
			continue;
		row->nip = pcsv_get(&p, r, SC_NIP);
		pers_nip(row->nip, r->line, pcsv_name(&p, SC_NIP), errs);
		skp_check(pcsv_get(&p, r, SC_YEAR), pcsv_get(&p, r, SC_PRED), pcsv_name(&p, SC_YEAR),
			  pcsv_name(&p, SC_PRED), row, errs);
		if (errs->total != start)
			continue;
		row->key = xasprintf("%s/%d", row->nip, row->year);
		if ((first = hmap_gets(&seen, row->key)))
			errlist_add(errs, r->line, NULL, pcsv_name(&p, SC_YEAR),
				    "NIP %s year %d appears twice in the file (line %d)", row->nip,
				    row->year, first->line);
		else
			hmap_puts(&seen, row->key, row);
	}
	if (errs->total)
		goto out;
	rc = pers_run(db, PERS_SKP, rows, n, pcsv_name(&p, SC_NIP), "import", who, now, res, errs);
out:
	hmap_free(&seen);
	pers_rows_free(rows, n);
	pcsv_free(&p);
	return rc;
}

int skp_set(sqlite3 *db, const char *nip, int year, const char *predikat, struct actor who,
	    int64_t now, struct personnel_result *res, struct errlist *errs)
{
	struct pers_row row = { .nip = nip, .year = year };
	size_t start = errs->total;
	memset(res, 0, sizeof *res);
	pers_nip(nip, 0, "nip", errs);
	if (year < UJ_SKP_YEAR_MIN || year > UJ_SKP_YEAR_MAX)
		errlist_add(errs, 0, NULL, "year", "\"%d\" is not a year %d-%d", year,
			    UJ_SKP_YEAR_MIN, UJ_SKP_YEAR_MAX);
	if ((row.predikat = skp_parse(predikat)) < 0)
		errlist_add(errs, 0, NULL, "predikat",
			    "\"%s\" is not an SKP predikat (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)",
			    predikat);
	if (errs->total != start)
		return -1;
	return pers_run(db, PERS_SKP, &row, 1, "nip", "entry", who, now, res, errs);
}

/* ---- sanctions ---------------------------------------------------------- */

enum sanc_col { NC_NIP, NC_TYPE, NC_LEVEL, NC_DATE, NC_NOTE, NC_MAX };
static const struct pcsv_col sanc_cols[NC_MAX] = {
	[NC_NIP] = { "nip", "nip", 1 },
	[NC_TYPE] = { "jenis", "type", 1 },
	[NC_LEVEL] = { "tingkat", "level", 1 },
	[NC_DATE] = { "tanggal", "date", 1 },
	[NC_NOTE] = { "keterangan", "note", 0 },
};

int sanction_import(sqlite3 *db, const char *data, size_t len, struct actor who, int64_t now,
		    struct personnel_result *res, struct errlist *errs)
{
	struct pcsv p;
	struct pers_row *rows = NULL;
	struct hmap seen;
	size_t n = 0;
	int rc = -1;

	memset(res, 0, sizeof *res);
	hmap_init(&seen);
	if (pcsv_open(&p, data, len, sanc_cols, NC_MAX, UJ_EMP_ROWS_MAX, errs))
		goto out;
	n = pcsv_rows(&p);
	rows = xcalloc(n, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const struct csv_record *r = pcsv_row(&p, i);
		struct pers_row *row = &rows[i];
		const char *names[4] = { pcsv_name(&p, NC_TYPE), pcsv_name(&p, NC_LEVEL),
					 pcsv_name(&p, NC_DATE), pcsv_name(&p, NC_NOTE) };
		const struct pers_row *first;
		size_t start = errs->total;
		row->line = r->line;
		if (!pcsv_row_shape(&p, r, errs))
			continue;
		row->nip = pcsv_get(&p, r, NC_NIP);
		pers_nip(row->nip, r->line, pcsv_name(&p, NC_NIP), errs);
		pers_check_sanction(pcsv_get(&p, r, NC_TYPE), pcsv_get(&p, r, NC_LEVEL),
				    pcsv_get(&p, r, NC_DATE), pcsv_get(&p, r, NC_NOTE), names, row,
				    errs);
		if (errs->total != start)
			continue;
		row->key = xasprintf("%s\x1f%s\x1f%d\x1f%s", row->nip, row->type, row->level,
				     row->date);
		if ((first = hmap_gets(&seen, row->key)))
			errlist_add(errs, r->line, NULL, NULL,
				    "the same sanction appears twice in the file (line %d)",
				    first->line);
		else
			hmap_puts(&seen, row->key, row);
	}
	if (errs->total)
		goto out;
	rc = pers_run(db, PERS_SANCTION, rows, n, pcsv_name(&p, NC_NIP), "import", who, now, res,
		      errs);
out:
	hmap_free(&seen);
	pers_rows_free(rows, n);
	pcsv_free(&p);
	return rc;
}

int sanction_add(sqlite3 *db, const struct sanction_in *in, struct actor who, int64_t now,
		 struct personnel_result *res, struct errlist *errs)
{
	static const char *const names[4] = { "type", "level", "date", "note" };
	struct pers_row row = { .nip = in->nip };
	size_t start = errs->total;
	memset(res, 0, sizeof *res);
	pers_nip(in->nip ? in->nip : "", 0, "nip", errs);
	pers_check_sanction(in->type ? in->type : "", in->level ? in->level : "",
			    in->date ? in->date : "", in->note ? in->note : "", names, &row, errs);
	if (errs->total != start)
		return -1;
	return pers_run(db, PERS_SANCTION, &row, 1, "nip", "entry", who, now, res, errs);
}
