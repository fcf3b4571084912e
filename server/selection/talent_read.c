/* talent_read.c - the reads of talent mapping (include/selection/talent.h):
 * the periods with their counts, a period's grid (boxes and every employee
 * with the previous period's box), the pool, succession candidates, the
 * CSV export, and what the live feed needs to know. One read transaction
 * per call, any connection. */
#include "core/clock.h"
#include "core/csv.h"
#include "core/mem.h"
#include "selection/ident.h"
#include "selection/talent.h"
#include "selection/talent_int.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static const char *const tr_sanc_id[NB_SANC_MAX] = { "ringan", "sedang", "berat" };
static const char *const tr_perf_id[NB_PERF_MAX] = { "Di bawah ekspektasi", "Sesuai ekspektasi",
						     "Di atas ekspektasi" };
static const char *const tr_pot_id[NB_POT_MAX] = { "Rendah", "Menengah", "Tinggi" };

/* What a period's reads share. */
struct tr_period {
	int64_t id, prev_id, created_at, closed_at;
	char code[UJ_TALENT_CODE_MAX + 1], prev[UJ_TALENT_CODE_MAX + 1];
	char *name, *config_text;
	struct nb_config cfg;
};

static void tr_period_free(struct tr_period *p)
{
	free(p->name);
	free(p->config_text);
}

static const char *tr_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

/* Read period code and the one created before it. 0, or -1 with err. */
static int tr_period_read(sqlite3 *db, const char *code, struct tr_period *p, char *err,
			  size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT id, name, config_json, created_at, coalesce(closed_at, 0),"
				      " (SELECT q.id FROM talent_periods q WHERE (q.created_at, q.id)"
				      " < (p.created_at, p.id) ORDER BY q.created_at DESC, q.id DESC"
				      " LIMIT 1) FROM talent_periods p WHERE code = ?1",
				      err, errlen);
	int rc = -1;
	memset(p, 0, sizeof *p);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "no such period \"%s\"", code);
		goto out;
	}
	snprintf(p->code, sizeof p->code, "%s", code);
	p->id = sqlite3_column_int64(st, 0);
	p->name = xstrdup(tr_col(st, 1));
	p->config_text = xstrdup(tr_col(st, 2));
	p->created_at = sqlite3_column_int64(st, 3);
	p->closed_at = sqlite3_column_int64(st, 4);
	p->prev_id = sqlite3_column_int64(st, 5);
	if (talent_config_load(p->config_text, p->created_at, &p->cfg, err, errlen))
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (p->prev_id) {
		if (!(st = db_prepare(db, "SELECT code FROM talent_periods WHERE id = ?1", err, errlen)))
			goto out;
		sqlite3_bind_int64(st, 1, p->prev_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(p->prev, sizeof p->prev, "%s", tr_col(st, 0));
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* The component of detail named code's display name (or code). */
static const char *tr_comp_name(json_t *comp)
{
	const char *n = json_string_value(json_object_get(comp, "name"));
	return n && *n ? n : json_string_value(json_object_get(comp, "code"));
}

/* Append "; " and text to buf. */
static void tr_append(char *buf, size_t n, const char *text)
{
	size_t k = strlen(buf);
	snprintf(buf + k, n - k, "%s%s", k ? "; " : "", text);
}

/* Why the placement has no box or is out of the pool, in words, from its
 * detail (reason code "pending": not computed yet). */
static void tr_reason_text(const char *code, json_t *detail, enum talent_lang lang, char *buf,
			   size_t n)
{
	json_t *reasons = json_object_get(detail, "reasons"), *r, *comp;
	json_t *win = json_object_get(json_object_get(detail, "performance"), "window");
	json_t *comps = json_object_get(detail, "components");
	json_t *sanc = json_object_get(detail, "sanction");
	int en = lang == TALENT_LANG_EN;
	char t[512];
	size_t i, k;

	buf[0] = '\0';
	if (strcmp(code, "pending") == 0) {
		snprintf(buf, n, "%s", en ? "Not computed yet" : "Belum dihitung");
		return;
	}
	json_array_foreach(reasons, i, r) {
		const char *rc = json_string_value(r);
		t[0] = '\0';
		if (strcmp(rc, "no_skp") == 0) {
			int a = (int)json_integer_value(json_array_get(win, 0));
			int b = (int)json_integer_value(json_array_get(win, 1));
			if (a == b)
				snprintf(t, sizeof t, en ? "No SKP rating for %d" : "Tidak ada SKP tahun %d",
					 b);
			else
				snprintf(t, sizeof t,
					 en ? "No SKP rating in %d-%d" : "Tidak ada SKP tahun %d-%d", a, b);
		} else if (strcmp(rc, "no_potential") == 0 || strcmp(rc, "disqualified") == 0) {
			int dq = strcmp(rc, "disqualified") == 0;
			json_array_foreach(comps, k, comp) {
				if (!json_is_true(json_object_get(comp, "missing")) ||
				    json_is_true(json_object_get(comp, "disqualified")) != dq)
					continue;
				if (dq)
					snprintf(t, sizeof t,
						 en ? "The attempt for %s was disqualified: no result"
						    : "Ujian %s didiskualifikasi: tidak ada hasil",
						 tr_comp_name(comp));
				else
					snprintf(t, sizeof t,
						 en ? "No value yet for %s" : "Nilai %s belum ada",
						 tr_comp_name(comp));
				break;
			}
		} else if (strcmp(rc, "sanction") == 0 && json_is_object(sanc)) {
			const char *lv = json_string_value(json_object_get(sanc, "level"));
			enum nb_sanction_level l = nb_sanction_parse(lv);
			snprintf(t, sizeof t,
				 en ? "A %s disciplinary sanction (%s, %s) within %d years before %s:"
				      " kept out of the talent pool"
				    : "Hukuman disiplin tingkat %s (%s, %s) dalam %d tahun sebelum %s:"
				      " tidak masuk kelompok talenta",
				 en ? lv : (l >= 0 ? tr_sanc_id[l] : lv),
				 json_string_value(json_object_get(sanc, "type")),
				 json_string_value(json_object_get(sanc, "date")),
				 (int)json_integer_value(json_object_get(sanc, "years")),
				 json_string_value(json_object_get(sanc, "reference_date")));
		}
		if (t[0])
			tr_append(buf, n, t);
	}
}

void talent_reason_text(const char *code, const char *detail_json, enum talent_lang lang,
			char *buf, size_t n)
{
	json_t *detail = detail_json ? json_loads(detail_json, 0, NULL) : NULL;
	tr_reason_text(detail ? (code ? code : "") : "pending", detail, lang, buf, n);
	json_decref(detail);
}

/* Every employee's row of period p (ordered by NIP) into a new array. */
static json_t *tr_rows(sqlite3 *db, const struct tr_period *p, enum talent_lang lang,
		       char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT e.nip, e.name, e.grade, e.position, e.position_type, e.unit, pl.perf,"
		" pl.potential, pl.pot_level, pl.box, pl.in_pool, pl.reason, pl.detail_json, pv.box,"
		" pl.employee_id IS NOT NULL FROM employees e"
		" LEFT JOIN placements pl ON pl.employee_id = e.id AND pl.period_id = ?1"
		" LEFT JOIN placements pv ON pv.employee_id = e.id AND pv.period_id = ?2"
		" ORDER BY e.nip",
		err, errlen);
	json_t *rows;
	char text[1024];
	if (!st)
		return NULL;
	rows = json_array();
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, p->prev_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int placed = sqlite3_column_int(st, 14);
		const char *code = placed ? tr_col(st, 11) : "pending";
		json_t *detail = json_loads(tr_col(st, 12), 0, NULL);
		json_t *row;
		tr_reason_text(code, detail, lang, text, sizeof text);
		row = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "nip", tr_col(st, 0), "name",
				tr_col(st, 1), "grade", tr_col(st, 2), "position", tr_col(st, 3),
				"position_type", tr_col(st, 4), "unit", tr_col(st, 5));
		json_object_set_new(row, "perf", sqlite3_column_type(st, 6) == SQLITE_NULL
							 ? json_null()
							 : json_string(tr_col(st, 6)));
		json_object_set_new(row, "potential", sqlite3_column_type(st, 7) == SQLITE_NULL
							      ? json_null()
							      : json_real(sqlite3_column_double(st, 7)));
		json_object_set_new(row, "pot_level", sqlite3_column_type(st, 8) == SQLITE_NULL
							      ? json_null()
							      : json_string(tr_col(st, 8)));
		json_object_set_new(row, "box", sqlite3_column_type(st, 9) == SQLITE_NULL
							? json_null()
							: json_integer(sqlite3_column_int(st, 9)));
		json_object_set_new(row, "prev_box", sqlite3_column_type(st, 13) == SQLITE_NULL
							     ? json_null()
							     : json_integer(sqlite3_column_int(st, 13)));
		json_object_set_new(row, "in_pool", json_boolean(sqlite3_column_int(st, 10)));
		json_object_set_new(row, "excluded",
				    json_boolean(json_is_true(json_object_get(detail, "excluded"))));
		json_object_set_new(row, "reason_code", json_string(code));
		json_object_set_new(row, "reason", json_string(text));
		json_array_append_new(rows, row);
		json_decref(detail);
	}
	sqlite3_finalize(st);
	return rows;
}

/* The nine boxes (9 first) with their counts over rows. */
static json_t *tr_boxes(const struct nb_config *c, json_t *rows)
{
	json_t *boxes = json_array(), *row;
	int count[10] = { 0 };
	size_t i;
	json_array_foreach(rows, i, row) {
		json_int_t b = json_integer_value(json_object_get(row, "box"));
		if (b >= 1 && b <= 9)
			count[b]++;
	}
	for (int b = 9; b >= 1; b--) {
		enum nb_perf p;
		enum nb_pot q;
		if (nb_box_levels(c, b, &p, &q))
			continue;
		json_array_append_new(boxes,
				      json_pack("{s:i,s:s,s:s,s:s,s:s,s:i,s:b}", "box", b, "perf",
						nb_perf_code(p), "pot", nb_pot_code(q), "label",
						c->label[p][q], "recommendation", c->rec[p][q],
						"count", count[b], "pool", c->pool[b]));
	}
	return boxes;
}

static json_t *tr_period_obj(const struct tr_period *p)
{
	json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:o}", "code", p->code, "name", p->name, "config",
			      nb_config_json(&p->cfg), "created_at", clock_json(p->created_at),
			      "closed_at", clock_json(p->closed_at));
	json_object_set_new(o, "previous", p->prev[0] ? json_string(p->prev) : json_null());
	return o;
}

json_t *talent_period_json(sqlite3 *db, const char *code, enum talent_lang lang, char *err,
			   size_t errlen)
{
	struct tr_period *p = xmalloc(sizeof *p);
	json_t *out = NULL, *rows;
	int own = sqlite3_get_autocommit(db) != 0;
	if (own && db_exec(db, "BEGIN", err, errlen)) {
		free(p);
		return NULL;
	}
	if (tr_period_read(db, code, p, err, errlen) == 0 && (rows = tr_rows(db, p, lang, err, errlen)))
		out = json_pack("{s:o,s:o,s:o}", "period", tr_period_obj(p), "boxes",
				tr_boxes(&p->cfg, rows), "employees", rows);
	if (own)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	tr_period_free(p);
	free(p);
	return out;
}

json_t *talent_periods_json(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT p.code, p.name, p.created_at, coalesce(p.closed_at, 0),"
		" (SELECT COUNT(*) FROM employees),"
		" (SELECT COUNT(*) FROM placements pl WHERE pl.period_id = p.id AND pl.box IS NOT NULL),"
		" (SELECT COUNT(*) FROM placements pl WHERE pl.period_id = p.id AND"
		"  json_extract(pl.detail_json, '$.excluded')),"
		" (SELECT COUNT(*) FROM placements pl WHERE pl.period_id = p.id AND pl.in_pool)"
		" FROM talent_periods p ORDER BY p.created_at DESC, p.id DESC",
		err, errlen);
	json_t *list;
	if (!st)
		return NULL;
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		int emp = sqlite3_column_int(st, 4), mapped = sqlite3_column_int(st, 5);
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:o,s:o,s:{s:i,s:i,s:i,s:i,s:i}}", "code", tr_col(st, 0),
				  "name", tr_col(st, 1), "created_at",
				  clock_json(sqlite3_column_int64(st, 2)), "closed_at",
				  clock_json(sqlite3_column_int64(st, 3)), "counts", "employees", emp,
				  "mapped", mapped, "unmapped", emp - mapped, "excluded",
				  sqlite3_column_int(st, 6), "pool", sqlite3_column_int(st, 7)));
	}
	sqlite3_finalize(st);
	return json_pack("{s:o}", "periods", list);
}

/* rows as ordering entries (pointing into rows). */
static struct nb_entry *tr_entries(json_t *rows, size_t *n)
{
	struct nb_entry *v = xcalloc(json_array_size(rows) + 1, sizeof *v);
	json_t *row;
	size_t i;
	json_array_foreach(rows, i, row) {
		json_t *pot = json_object_get(row, "potential");
		v[i].nip = json_string_value(json_object_get(row, "nip"));
		v[i].grade = grade_ord(json_string_value(json_object_get(row, "grade")));
		v[i].perf = nb_perf_parse(json_string_value(json_object_get(row, "perf")));
		v[i].pot = nb_pot_parse(json_string_value(json_object_get(row, "pot_level")));
		v[i].has_potential = json_is_number(pot);
		v[i].potential = json_number_value(pot);
		v[i].in_pool = json_is_true(json_object_get(row, "in_pool"));
		v[i].row = row;
	}
	*n = json_array_size(rows);
	return v;
}

/* The pool (min_grade < 0) or the succession candidates, as a new array. */
static json_t *tr_ordered(sqlite3 *db, const char *code, int min_grade, int max,
			  enum talent_lang lang, char *err, size_t errlen)
{
	json_t *all = talent_period_json(db, code, lang, err, errlen), *out;
	struct nb_entry *v;
	size_t n, k;
	if (!all)
		return NULL;
	v = tr_entries(json_object_get(all, "employees"), &n);
	k = min_grade < 0 ? nb_pool(v, n) : nb_succession(v, n, min_grade, (size_t)max);
	out = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append(out, v[i].row);
	free(v);
	json_decref(all);
	return out;
}

json_t *talent_pool_json(sqlite3 *db, const char *code, enum talent_lang lang, char *err,
			 size_t errlen)
{
	json_t *v = tr_ordered(db, code, -1, 0, lang, err, errlen);
	return v ? json_pack("{s:o}", "pool", v) : NULL;
}

json_t *talent_succession_json(sqlite3 *db, const char *code, int min_grade, int n,
			       enum talent_lang lang, char *err, size_t errlen)
{
	json_t *v = tr_ordered(db, code, min_grade < 0 ? 0 : min_grade, n, lang, err, errlen);
	return v ? json_pack("{s:o}", "candidates", v) : NULL;
}

/* A number for a spreadsheet: two decimals at most, decimal comma with ';'. */
static void tr_csv_num(FILE *out, double v, char sep)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.2f", v);
	if (strstr(buf, ".00"))
		*strstr(buf, ".00") = '\0';
	else if (buf[strlen(buf) - 1] == '0')
		buf[strlen(buf) - 1] = '\0';
	if (sep == ';' && strchr(buf, '.'))
		*strchr(buf, '.') = ',';
	fputs(buf, out);
}

int talent_export_csv(sqlite3 *db, const char *code, char sep, FILE *out, char *err,
		      size_t errlen)
{
	static const char *const head[] = { "NIP", "Nama", "Golongan", "Jabatan", "Jenis jabatan",
					    "Unit kerja", "Kinerja", "Skor potensial", "Potensial",
					    "Kotak", "Kotak periode sebelumnya", "Kelompok talenta",
					    "Dikecualikan", "Keterangan" };
	static const char *const text_keys[] = { "nip", "name", "grade", "position",
						 "position_type", "unit" };
	json_t *all = talent_period_json(db, code, TALENT_LANG_ID, err, errlen), *row;
	size_t i;
	if (!all)
		return -1;
	fputs("\xEF\xBB\xBF", out); /* UTF-8 byte-order mark: Excel reads UTF-8 */
	for (size_t c = 0; c < sizeof head / sizeof *head; c++) {
		if (c)
			fputc(sep, out);
		csv_write_cell(out, head[c], sep);
	}
	fputs("\r\n", out);
	json_array_foreach(json_object_get(all, "employees"), i, row) {
		enum nb_perf p = nb_perf_parse(json_string_value(json_object_get(row, "perf")));
		enum nb_pot q = nb_pot_parse(json_string_value(json_object_get(row, "pot_level")));
		json_t *pot = json_object_get(row, "potential");
		json_t *box = json_object_get(row, "box"), *prev = json_object_get(row, "prev_box");
		for (size_t c = 0; c < sizeof text_keys / sizeof *text_keys; c++) {
			csv_write_cell(out, json_string_value(json_object_get(row, text_keys[c])), sep);
			fputc(sep, out);
		}
		csv_write_cell(out, p >= 0 ? tr_perf_id[p] : "", sep);
		fputc(sep, out);
		if (json_is_number(pot))
			tr_csv_num(out, json_number_value(pot), sep);
		fputc(sep, out);
		csv_write_cell(out, q >= 0 ? tr_pot_id[q] : "", sep);
		fputc(sep, out);
		if (json_is_integer(box))
			fprintf(out, "%d", (int)json_integer_value(box));
		fputc(sep, out);
		if (json_is_integer(prev))
			fprintf(out, "%d", (int)json_integer_value(prev));
		fputc(sep, out);
		fputs(json_is_true(json_object_get(row, "in_pool")) ? "Ya" : "Tidak", out);
		fputc(sep, out);
		fputs(json_is_true(json_object_get(row, "excluded")) ? "Ya" : "Tidak", out);
		fputc(sep, out);
		csv_write_cell(out, json_string_value(json_object_get(row, "reason")), sep);
		fputs("\r\n", out);
	}
	json_decref(all);
	return 0;
}

void talent_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int talent_feeding_exams(sqlite3 *db, char ***codes, size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT config_json, created_at FROM talent_periods"
				      " WHERE closed_at IS NULL",
				      err, errlen);
	struct nb_config *c = xmalloc(sizeof *c);
	char **v = NULL;
	size_t k = 0, cap = 0;
	int rc = 0;

	*codes = NULL;
	*n = 0;
	if (!st) {
		free(c);
		return -1;
	}
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		if (talent_config_load(tr_col(st, 0), sqlite3_column_int64(st, 1), c, err, errlen)) {
			rc = -1;
			break;
		}
		for (int i = 0; i < c->n_comp; i++) {
			int seen = 0;
			if (c->comp[i].kind != NB_KIND_EXAM)
				continue;
			for (size_t j = 0; j < k && !seen; j++)
				seen = strcmp(v[j], c->comp[i].exam) == 0;
			if (seen)
				continue;
			if (k == cap) {
				cap = cap ? 2 * cap : 8;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[k++] = xstrdup(c->comp[i].exam);
		}
	}
	sqlite3_finalize(st);
	free(c);
	if (rc) {
		talent_strings_free(v, k);
		return -1;
	}
	*codes = v;
	*n = k;
	return 0;
}

int talent_candidate_employee(sqlite3 *db, int64_t candidate_id, int64_t *employee_id,
			      char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT e.id FROM candidates c JOIN employees e ON e.nip = c.nip"
				      " WHERE c.id = ?1",
				      err, errlen);
	*employee_id = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, candidate_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*employee_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}
