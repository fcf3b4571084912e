/* bidding_import.c - the applicants of a selection from a CSV
 * (docs/FORMATS-SELECTION.md, "Applicants of an open-bidding selection"):
 * every row checked inside one transaction (vacancy, kind, NIP against the
 * employee registry, NIK, the exam and registration number), nothing
 * written unless every row is right, every bad row reported with its line
 * and field. */
#include "bidding_int.h"
#include "core/csv.h"
#include "core/hmap.h"
#include "core/mem.h"
#include "core/text.h"
#include "selection/ident.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { COL_VAC, COL_KIND, COL_NIP, COL_NIK, COL_NAME, COL_ORIGIN, COL_EXAM, COL_REGNO, COL_MAX };

/* Header names per column: Indonesian first, English accepted. */
static const char *const imp_names[COL_MAX][2] = {
	{ "lowongan", "vacancy" }, { "jenis", "kind" },	   { "nip", "nip" },
	{ "nik", "nik" },	   { "nama", "name" },	   { "asal", "origin" },
	{ "ujian", "exam" },	   { "no_peserta", "registration_no" },
};

struct imp_op {
	struct wr_op op;
	sqlite3 *db;
	const char *sel;
	const struct csv_doc *doc;
	const int *col;
	struct bid_result *r;
	struct bid_sel s;
};

static const char sql_vac[] = "SELECT id FROM vacancies WHERE selection_id = ? AND code = ?";
static const char sql_emp[] = "SELECT id, name FROM employees WHERE nip = ?";
static const char sql_exam[] = "SELECT id FROM exams WHERE code = ?";
static const char sql_cand[] =
	"SELECT c.id FROM candidates c JOIN exams x ON x.id = c.exam_id"
	" WHERE x.code = ? AND c.registration_no = ?";
static const char sql_dup_emp[] = "SELECT 1 FROM applicants WHERE vacancy_id = ? AND employee_id = ?";
static const char sql_dup_nik[] = "SELECT 1 FROM applicants WHERE vacancy_id = ? AND nik = ?";
static const char sql_count[] = "SELECT count(*) FROM applicants WHERE vacancy_id = ?";
static const char sql_insert[] =
	"INSERT INTO applicants (vacancy_id, kind, employee_id, nik, name, origin, exam_code,"
	" registration_no, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char *imp_cell(const struct csv_record *rec, const int *col, int c)
{
	return col[c] >= 0 && col[c] < rec->nfields ? rec->fields[col[c]] : "";
}

/* Map the header; every problem to errs. */
static int imp_header(const struct csv_record *h, int *col, struct errlist *errs)
{
	size_t start = errs->total;
	for (int c = 0; c < COL_MAX; c++)
		col[c] = -1;
	for (int i = 0; i < h->nfields; i++) {
		char name[40];
		int found = -1;
		str_copy(name, sizeof name, h->fields[i]);
		for (char *p = name; *p; p++)
			if (*p == ' ')
				*p = '_';
		for (int c = 0; c < COL_MAX && found < 0; c++)
			if (strcasecmp(name, imp_names[c][0]) == 0 ||
			    strcasecmp(name, imp_names[c][1]) == 0)
				found = c;
		if (found < 0)
			errlist_add(errs, h->line, NULL, h->fields[i], "unknown column");
		else if (col[found] >= 0)
			errlist_add(errs, h->line, NULL, h->fields[i], "column given twice");
		else
			col[found] = i;
	}
	if (col[COL_VAC] < 0)
		errlist_add(errs, h->line, NULL, "lowongan", "the header needs a column lowongan (vacancy)");
	if (col[COL_KIND] < 0)
		errlist_add(errs, h->line, NULL, "jenis", "the header needs a column jenis (internal/eksternal)");
	return errs->total == start ? 0 : -1;
}

/* 1 if the prepared query with one text (and optional id) parameter has a row. */
static int imp_exists(struct wr_tx *tx, const char *sql, int64_t id, const char *text)
{
	sqlite3_stmt *st = wr_stmt(tx, sql);
	int found;
	if (!st)
		return -1;
	if (id) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	}
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int64_t imp_id(struct wr_tx *tx, const char *sql, int64_t id, const char *text,
		      char *name, size_t n)
{
	sqlite3_stmt *st = wr_stmt(tx, sql);
	int64_t out = 0;
	if (!st)
		return -1;
	if (id) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		out = sqlite3_column_int64(st, 0);
		if (name)
			str_copy(name, n, (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return out;
}

/* The first exam a stage of s is fed from ("" when none). */
static const char *imp_stage_exam(const struct bid_sel *s)
{
	for (int k = 0; k < s->cfg.n_stages; k++)
		if (s->cfg.stage[k].exam[0])
			return s->cfg.stage[k].exam;
	return "";
}

struct imp_row {
	int64_t vac, emp;
	int internal;
	char name[UJ_SEL_NAME_MAX + 1];
};

/* Check one row into out; problems to errs. seen: "vac/nip" and "vac/nik"
 * keys of the rows before (duplicates in the file). */
static int imp_row(struct wr_tx *tx, struct imp_op *o, const struct csv_record *rec,
		   struct hmap *seen, struct imp_row *out)
{
	struct errlist *errs = o->r->errs;
	const int *col = o->col;
	int line = rec->line;
	const char *vac = imp_cell(rec, col, COL_VAC), *kind = imp_cell(rec, col, COL_KIND);
	const char *nip = imp_cell(rec, col, COL_NIP), *nik = imp_cell(rec, col, COL_NIK);
	const char *name = imp_cell(rec, col, COL_NAME), *origin = imp_cell(rec, col, COL_ORIGIN);
	const char *exam = imp_cell(rec, col, COL_EXAM), *regno = imp_cell(rec, col, COL_REGNO);
	size_t start = errs->total;
	char why[128], key[UJ_CODE_MAX + 40];
	int64_t got;

	memset(out, 0, sizeof *out);
	if (!*vac)
		errlist_add(errs, line, NULL, "lowongan", "is required (a vacancy code)");
	else if ((got = imp_id(tx, sql_vac, o->s.id, vac, NULL, 0)) < 0)
		return -1;
	else if (!got)
		errlist_add(errs, line, NULL, "lowongan", "selection %s has no vacancy \"%s\"",
			    o->s.code, vac);
	else
		out->vac = got;
	if (strcasecmp(kind, "internal") == 0) {
		out->internal = 1;
	} else if (strcasecmp(kind, "eksternal") && strcasecmp(kind, "external")) {
		errlist_add(errs, line, NULL, "jenis", "must be internal or eksternal, not \"%s\"",
			    kind);
		return 0;
	}
	if (!bid_text_ok(name, UJ_SEL_NAME_MAX, 0))
		errlist_add(errs, line, NULL, "nama", "must be text of at most %d bytes",
			    UJ_SEL_NAME_MAX);
	else
		str_copy(out->name, sizeof out->name, name);
	if (!bid_text_ok(origin, UJ_SEL_NAME_MAX, 0))
		errlist_add(errs, line, NULL, "asal", "must be text of at most %d bytes",
			    UJ_SEL_NAME_MAX);
	if (out->internal) {
		if (*nik)
			errlist_add(errs, line, NULL, "nik", "an internal applicant is named by NIP, not NIK");
		if (!*nip)
			errlist_add(errs, line, NULL, "nip", "is required for an internal applicant");
		else if (nip_check(nip, why, sizeof why) != NIP_OK)
			errlist_add(errs, line, NULL, "nip", "\"%s\": %s", nip, why);
		else if ((got = imp_id(tx, sql_emp, 0, nip, *out->name ? NULL : out->name,
				       sizeof out->name)) < 0)
			return -1;
		else if (!got)
			errlist_add(errs, line, NULL, "nip", "no employee with NIP %s in the registry",
				    nip);
		else
			out->emp = got;
		snprintf(key, sizeof key, "%lld/%s", (long long)out->vac, nip);
	} else {
		if (*nip)
			errlist_add(errs, line, NULL, "nip", "an external applicant is named by NIK, not NIP");
		if (!*nik)
			errlist_add(errs, line, NULL, "nik", "is required for an external applicant");
		else if (!nik_check(nik, why, sizeof why))
			errlist_add(errs, line, NULL, "nik", "\"%s\": %s", nik, why);
		if (!*name)
			errlist_add(errs, line, NULL, "nama", "is required for an external applicant");
		if (!*origin)
			errlist_add(errs, line, NULL, "asal",
				    "is required for an external applicant (agency or company)");
		snprintf(key, sizeof key, "%lld/%s", (long long)out->vac, nik);
	}
	if (*exam && (got = imp_exists(tx, sql_exam, 0, exam)) <= 0) {
		if (got < 0)
			return -1;
		errlist_add(errs, line, NULL, "ujian", "no exam \"%s\"", exam);
	} else if (*regno) {
		const char *in = *exam ? exam : imp_stage_exam(&o->s);
		if (!*in)
			errlist_add(errs, line, NULL, "no_peserta",
				    "no exam to look it up in: give ujian, or feed a stage from an exam");
		else {
			sqlite3_stmt *st = wr_stmt(tx, sql_cand);
			int found;
			if (!st)
				return -1;
			sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, regno, -1, SQLITE_STATIC);
			found = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_reset(st);
			if (!found)
				errlist_add(errs, line, NULL, "no_peserta",
					    "exam %s has no candidate \"%s\"", in, regno);
		}
	}
	if (errs->total != start || !out->vac)
		return 0;
	if (hmap_gets(seen, key)) {
		errlist_add(errs, line, NULL, out->internal ? "nip" : "nik",
			    "this applicant is listed twice for vacancy %s", vac);
		return 0;
	}
	{
		char *k = xstrdup(key); /* the value owns the key: freed by imp_apply */
		hmap_puts(seen, k, k);
	}
	if (out->internal) {
		sqlite3_stmt *st = wr_stmt(tx, sql_dup_emp);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, out->vac);
		sqlite3_bind_int64(st, 2, out->emp);
		got = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	} else if ((got = imp_exists(tx, sql_dup_nik, out->vac, nik)) < 0) {
		return -1;
	}
	if (got)
		errlist_add(errs, line, NULL, out->internal ? "nip" : "nik",
			    "this applicant is already registered for vacancy %s", vac);
	return 0;
}

static int imp_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct imp_op *o = (struct imp_op *)op;
	struct errlist *errs = o->r->errs;
	struct imp_row *rows = NULL;
	struct hmap seen;
	size_t n = o->doc->nrecords - 1;
	int rc = -1, loaded;
	sqlite3_stmt *st;

	hmap_init(&seen);
	loaded = bid_sel_load(o->db, o->sel, &o->s, o->r->err, sizeof o->r->err);
	if (loaded <= 0) {
		o->r->status = loaded < 0 ? BID_INTERNAL : BID_NOT_FOUND;
		if (!loaded)
			snprintf(o->r->err, sizeof o->r->err, "no such selection \"%s\"", o->sel);
		goto out;
	}
	o->r->selection_id = o->s.id;
	str_copy(o->r->selection, sizeof o->r->selection, o->s.code);
	if (o->s.closed) {
		o->r->status = BID_CLOSED;
		snprintf(o->r->err, sizeof o->r->err, "selection %s is closed", o->s.code);
		goto out;
	}
	rows = xcalloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; i < n; i++)
		if (imp_row(tx, o, &o->doc->records[i + 1], &seen, &rows[i]))
			goto out;
	if (errs->total) {
		o->r->status = BID_INVALID;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct csv_record *rec = &o->doc->records[i + 1];
		const char *nik = imp_cell(rec, o->col, COL_NIK), *exam = imp_cell(rec, o->col, COL_EXAM);
		const char *regno = imp_cell(rec, o->col, COL_REGNO);
		if (!(st = wr_stmt(tx, sql_insert)))
			goto out;
		sqlite3_bind_int64(st, 1, rows[i].vac);
		sqlite3_bind_text(st, 2, rows[i].internal ? "internal" : "external", -1, SQLITE_STATIC);
		if (rows[i].internal)
			sqlite3_bind_int64(st, 3, rows[i].emp);
		if (!rows[i].internal)
			sqlite3_bind_text(st, 4, nik, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, rows[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, imp_cell(rec, o->col, COL_ORIGIN), -1, SQLITE_STATIC);
		if (*exam)
			sqlite3_bind_text(st, 7, exam, -1, SQLITE_STATIC);
		if (*regno)
			sqlite3_bind_text(st, 8, regno, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, o->op.at);
		if (wr_step(st))
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int over = 0;
		if (!(st = wr_stmt(tx, sql_count)))
			goto out;
		sqlite3_bind_int64(st, 1, rows[i].vac);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int(st, 0) > UJ_SEL_APPLICANTS_MAX)
			over = 1;
		sqlite3_reset(st);
		if (over) {
			errlist_add(errs, 0, NULL, "lowongan", "a vacancy has at most %d applicants",
				    UJ_SEL_APPLICANTS_MAX);
			o->r->status = BID_INVALID;
			goto out;
		}
	}
	o->r->created = (int)n;
	{
		struct event_rec e = { .at = o->op.at, .actor = o->op.owner,
				       .kind = "selection_applicants", .label = -1 };
		e.detail = json_pack("{s:s,s:i}", "selection", o->s.code, "created", (int)n);
		rc = event_append(tx, &e);
		json_decref(e.detail);
	}
out:
	free(rows);
	{
		size_t it = 0;
		void *k;
		while ((k = hmap_next(&seen, &it)))
			free(k);
		hmap_free(&seen);
	}
	return rc;
}

static void imp_release(struct wr_op *op)
{
	(void)op;
}

void bid_applicants_import(sqlite3 *db, const char *sel, const char *csv, size_t len,
			   const struct bid_who *who, int64_t now, struct bid_result *r)
{
	struct csv_doc doc = { 0 };
	struct imp_op *o = NULL;
	int col[COL_MAX];
	char why[256];

	r->status = BID_OK;
	if (csv_parse_sep(csv, len, csv_detect_sep(csv, len), UJ_CSV_LINE_MAX,
			  UJ_SEL_APPLICANTS_MAX * 4 + 1, &doc, why, sizeof why)) {
		errlist_add(r->errs, 0, NULL, NULL, "%s", why);
		r->status = BID_INVALID;
		goto out;
	}
	if (doc.nrecords == 0) {
		errlist_add(r->errs, 0, NULL, NULL, "empty file (expected a header line)");
		r->status = BID_INVALID;
		goto out;
	}
	if (imp_header(&doc.records[0], col, r->errs)) {
		r->status = BID_INVALID;
		goto out;
	}
	if (doc.nrecords == 1) {
		errlist_add(r->errs, 0, NULL, NULL, "no applicants after the header");
		r->status = BID_INVALID;
		goto out;
	}
	o = xcalloc(1, sizeof *o);
	o->db = db;
	o->sel = sel;
	o->doc = &doc;
	o->col = col;
	o->r = r;
	wr_op_init(&o->op, imp_apply, who->actor, now);
	o->op.release = imp_release;
	if (wr_apply_now(db, &o->op, why, sizeof why) != 0 && r->status == BID_OK) {
		r->status = BID_INTERNAL;
		snprintf(r->err, sizeof r->err, "%s", why);
	}
out:
	free(o);
	csv_free(&doc);
}
