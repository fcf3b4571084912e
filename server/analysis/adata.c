/* adata.c - reading the finished attempts of an exam or a bank for analysis.
 *
 * One read transaction: the exams, then per finished attempt its paper (the
 * bank version it was drawn from, loaded once with catalog's own parser),
 * its answers (the label a candidate saw, turned back into the bank's option
 * order through the paper's permutation), its stored section scores and its
 * events (time per item, adata_dwell). Points come from exam/scoring.h, the
 * same functions that scored the attempt. Disqualified attempts are left
 * out: their answers are not the candidate's own work. */
#include "analysis/adata.h"
#include "catalog/catalog.h"
#include "core/hmap.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "exam/paper.h"
#include "exam/scoring.h"
#include "store/db.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A bank version papers were drawn from, with what reading a paper needs. */
struct ad_version {
	struct bank_snapshot snap;
	int64_t min_id;              /* dense index by item id - min_id */
	int64_t span;
	int32_t *by_id;              /* snapshot index + 1; 0 = not in this version */
	int (*value)[UJ_OPTIONS_MAX]; /* scoring_option_value per item and option */
	int32_t *ia;                 /* analysis item index per snapshot item; -1 none yet */
	int sec_map[UJ_SECTIONS_MAX]; /* snapshot section -> analysis section */
};

/* Everything being built; moved into struct adata at the end. */
struct ad_build {
	sqlite3 *db;
	struct adata *a;
	sqlite3_stmt *q_ans, *q_ev;
	int n_vers;
	struct ad_version **vers;
	struct hmap by_item; /* items.id -> analysis item index + 1 (keys in the snapshots) */
	int n_sec;
	struct ia_section sec[UJ_SECTIONS_MAX];
	size_t sec_code_off[UJ_SECTIONS_MAX], sec_title_off[UJ_SECTIONS_MAX];
	int32_t *item_ord;  /* per item: bank order in the current version, else after */
	size_t *item_code_off;
	size_t n_items, cap_items, *obs_cap;
	struct ia_item *items;
	size_t n_persons, cap_persons;
	struct ia_person *persons;
	int64_t *person_cand;
	int *person_rule;
	char *str;
	size_t str_len, str_cap;
	/* per attempt scratch */
	struct adata_ev *ev;
	size_t cap_ev;
};

static size_t ad_str(struct ad_build *b, const char *s)
{
	size_t n = strlen(s) + 1, off = b->str_len;
	if (b->str_len + n > b->str_cap) {
		b->str_cap = (b->str_len + n) * 2 + 256;
		b->str = xrealloc(b->str, b->str_cap);
	}
	memcpy(b->str + off, s, n);
	b->str_len += n;
	return off;
}

const char *adata_time_source_name(enum adata_time_source s)
{
	static const char *const names[] = { NULL, "position", "answers", "mixed" };
	return (unsigned)s < sizeof names / sizeof *names ? names[s] : NULL;
}

/* ---- time per item ------------------------------------------------------- */

enum adata_time_source adata_dwell(const struct adata_ev *ev, int n_ev, int64_t started_at,
				   int64_t finished_at, int n_q, int32_t *time_ms)
{
	int64_t t = started_at, pending = 0;
	int paused = 0, cur = 1, has_pos = 0;

	assert(n_q >= 0 && finished_at >= started_at);
	for (int i = 0; i < n_ev && !has_pos; i++)
		has_pos = ev[i].kind == ADATA_EV_POSITION;
	for (int q = 0; q < n_q; q++)
		time_ms[q] = has_pos ? 0 : -1;
	for (int i = 0; i < n_ev; i++) {
		int64_t at = ev[i].at < t ? t : ev[i].at > finished_at ? finished_at : ev[i].at;
		int n = ev[i].n;
		switch (ev[i].kind) {
		case ADATA_EV_PAUSE:
			if (!paused) {
				if (has_pos) {
					if (cur >= 1 && cur <= n_q)
						time_ms[cur - 1] += (int32_t)(at - t);
				} else {
					pending += at - t;
				}
				paused = 1;
			}
			t = at;
			break;
		case ADATA_EV_RESUME:
			paused = 0;
			t = at;
			break;
		case ADATA_EV_POSITION:
		case ADATA_EV_ANSWER:
			if (!has_pos) {
				if (ev[i].kind != ADATA_EV_ANSWER || n < 1 || n > n_q)
					break;
				/* the time since the previous answer was spent on this one */
				if (time_ms[n - 1] < 0)
					time_ms[n - 1] = 0;
				time_ms[n - 1] += (int32_t)(pending + (paused ? 0 : at - t));
				pending = 0;
				t = at;
				break;
			}
			if (!paused && cur >= 1 && cur <= n_q)
				time_ms[cur - 1] += (int32_t)(at - t);
			t = at;
			cur = n;
			break;
		default:
			break;
		}
	}
	if (has_pos && !paused && cur >= 1 && cur <= n_q)
		time_ms[cur - 1] += (int32_t)(finished_at - t);
	return has_pos ? ADATA_TIME_POSITION : ADATA_TIME_ANSWERS;
}

/* ---- sections, versions, items -------------------------------------------- */

/* The analysis section of code, added (from rule) when new. -1 when full. */
static int ad_section(struct ad_build *b, const struct section_rule *rule)
{
	for (int s = 0; s < b->n_sec; s++)
		if (strcmp(b->str + b->sec_code_off[s], rule->code) == 0)
			return s;
	if (b->n_sec == UJ_SECTIONS_MAX)
		return -1;
	memset(&b->sec[b->n_sec], 0, sizeof b->sec[b->n_sec]);
	b->sec_code_off[b->n_sec] = ad_str(b, rule->code);
	b->sec_title_off[b->n_sec] = ad_str(b, rule->title ? rule->title : rule->code);
	b->sec[b->n_sec].right_wrong = rule->type == SCORING_RIGHT_WRONG;
	return b->n_sec++;
}

/* The analysis section of an exam section code, or -1. */
static int ad_section_by_code(const struct ad_build *b, const char *code)
{
	for (int s = 0; s < b->n_sec; s++)
		if (strcmp(b->str + b->sec_code_off[s], code) == 0)
			return s;
	return -1;
}

static void ad_version_free(struct ad_version *v)
{
	catalog_bank_snapshot_free(&v->snap);
	free(v->by_id);
	free(v->value);
	free(v->ia);
	free(v);
}

/* Bank version vid, loaded on first use. NULL with err. */
static struct ad_version *ad_version_get(struct ad_build *b, int64_t vid, char *err, size_t errlen)
{
	struct ad_version *v;
	int64_t hi;

	for (int i = 0; i < b->n_vers; i++)
		if (b->vers[i]->snap.version_id == vid)
			return b->vers[i];
	v = xcalloc(1, sizeof *v);
	if (catalog_load_bank_version(b->db, 0, vid, &v->snap, err, errlen)) {
		free(v);
		return NULL;
	}
	if (v->snap.bank_id != b->a->bank_id) {
		snprintf(err, errlen, "bank version %lld belongs to another bank", (long long)vid);
		ad_version_free(v);
		return NULL;
	}
	v->min_id = hi = v->snap.n_items ? v->snap.item_ids[0] : 0;
	for (int i = 0; i < v->snap.n_items; i++) {
		if (v->snap.item_ids[i] < v->min_id)
			v->min_id = v->snap.item_ids[i];
		if (v->snap.item_ids[i] > hi)
			hi = v->snap.item_ids[i];
	}
	v->span = v->snap.n_items ? hi - v->min_id + 1 : 0;
	v->by_id = xcalloc((size_t)(v->span ? v->span : 1), sizeof *v->by_id);
	v->value = xcalloc((size_t)(v->snap.n_items ? v->snap.n_items : 1), sizeof *v->value);
	v->ia = xmalloc((size_t)(v->snap.n_items ? v->snap.n_items : 1) * sizeof *v->ia);
	for (int i = 0; i < v->snap.n_items; i++) {
		const struct bank_item *it = &v->snap.items[i];
		v->by_id[v->snap.item_ids[i] - v->min_id] = i + 1;
		v->ia[i] = -1;
		for (int o = 0; o < it->n_options; o++)
			v->value[i][o] = scoring_option_value(&v->snap.sec[it->section], &it->opt[o]);
	}
	for (int s = 0; s < v->snap.n_sections; s++)
		if ((v->sec_map[s] = ad_section(b, &v->snap.sec[s])) < 0) {
			snprintf(err, errlen, "more than %d sections across the bank's versions",
				 UJ_SECTIONS_MAX);
			ad_version_free(v);
			return NULL;
		}
	b->vers = xrealloc(b->vers, (size_t)(b->n_vers + 1) * sizeof *b->vers);
	b->vers[b->n_vers++] = v;
	return v;
}

/* The analysis item of snapshot item si of v, created on first sight. */
static int32_t ad_item(struct ad_build *b, struct ad_version *v, int si)
{
	const struct bank_item *it = &v->snap.items[si];
	const struct section_rule *rule = &v->snap.sec[it->section];
	intptr_t known;
	struct ia_item *x;

	if (v->ia[si] >= 0)
		return v->ia[si];
	known = (intptr_t)hmap_get(&b->by_item, &v->snap.item_ids[si], sizeof(int64_t));
	if (known)
		return v->ia[si] = (int32_t)(known - 1);
	if (b->n_items == b->cap_items) {
		b->cap_items = b->cap_items ? b->cap_items * 2 : 128;
		b->items = xrealloc(b->items, b->cap_items * sizeof *b->items);
		b->obs_cap = xrealloc(b->obs_cap, b->cap_items * sizeof *b->obs_cap);
		b->item_code_off = xrealloc(b->item_code_off, b->cap_items * sizeof *b->item_code_off);
		b->item_ord = xrealloc(b->item_ord, b->cap_items * sizeof *b->item_ord);
	}
	x = &b->items[b->n_items];
	memset(x, 0, sizeof *x);
	x->item_id = v->snap.item_ids[si];
	x->section = v->sec_map[it->section];
	x->n_options = it->n_options;
	x->key = -1;
	x->blank_points = rule->blank;
	x->max_points = x->min_points = rule->blank;
	for (int o = 0; o < it->n_options; o++) {
		double p = rule->type == SCORING_WEIGHTED ? it->opt[o].points
			   : it->opt[o].correct		  ? rule->correct
							  : rule->wrong;
		if (rule->type == SCORING_RIGHT_WRONG && it->opt[o].correct && x->key < 0)
			x->key = o;
		x->opt_points[o] = p;
		if (p > x->max_points)
			x->max_points = p;
		if (p < x->min_points)
			x->min_points = p;
	}
	b->item_code_off[b->n_items] = ad_str(b, it->id);
	b->item_ord[b->n_items] = -1;
	b->obs_cap[b->n_items] = 0;
	hmap_put(&b->by_item, &v->snap.item_ids[si], sizeof(int64_t), (void *)(intptr_t)(b->n_items + 1));
	v->ia[si] = (int32_t)b->n_items;
	return (int32_t)b->n_items++;
}

static void ad_obs_add(struct ad_build *b, int32_t i, const struct ia_obs *o)
{
	struct ia_item *x = &b->items[i];
	if (x->n_obs == b->obs_cap[i]) {
		b->obs_cap[i] = b->obs_cap[i] ? b->obs_cap[i] * 2 : 64;
		x->obs = xrealloc(x->obs, b->obs_cap[i] * sizeof *x->obs);
	}
	x->obs[x->n_obs++] = *o;
}

/* ---- one attempt ----------------------------------------------------------- */

/* Stored section scores (scores_json) into p->section_score by code, and
 * each section's stored maximum into the sections' max_score. 0 or -1. */
static int ad_scores(struct ad_build *b, const char *js, struct ia_person *p)
{
	char why[128];
	json_t *j = js ? jc_parse(js, strlen(js), why, sizeof why) : NULL, *e;
	size_t i;

	if (!j || !json_is_array(j)) {
		json_decref(j);
		return -1;
	}
	json_array_foreach(j, i, e) {
		const char *code = json_string_value(json_object_get(e, "code"));
		int s = code ? ad_section_by_code(b, code) : -1;
		double mx = (double)json_integer_value(json_object_get(e, "max"));
		if (s < 0)
			continue;
		p->section_score[s] = (double)json_integer_value(json_object_get(e, "score"));
		if (mx > b->sec[s].max_score)
			b->sec[s].max_score = mx;
	}
	json_decref(j);
	return 0;
}

/* The events of cand that place it or stop its clock into b->ev. *n out. */
static int ad_events(struct ad_build *b, int64_t cand, int *n, char *err, size_t errlen)
{
	int rc;
	*n = 0;
	sqlite3_reset(b->q_ev);
	sqlite3_bind_int64(b->q_ev, 1, cand);
	while ((rc = sqlite3_step(b->q_ev)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(b->q_ev, 1);
		struct adata_ev *e;
		if ((size_t)*n == b->cap_ev) {
			b->cap_ev = b->cap_ev ? b->cap_ev * 2 : 256;
			b->ev = xrealloc(b->ev, b->cap_ev * sizeof *b->ev);
		}
		e = &b->ev[*n];
		e->at = sqlite3_column_int64(b->q_ev, 0);
		e->n = sqlite3_column_int(b->q_ev, 2);
		switch (kind ? kind[0] : 0) {
		case 'p':
			e->kind = kind[1] == 'o' ? ADATA_EV_POSITION : ADATA_EV_PAUSE;
			break;
		case 'a':
			e->kind = ADATA_EV_ANSWER;
			break;
		case 'r':
			e->kind = ADATA_EV_RESUME;
			break;
		default:
			continue;
		}
		(*n)++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "reading events: %s", sqlite3_errmsg(b->db));
		return -1;
	}
	return 0;
}

/* One finished attempt of exam index ex: its observations and its person. */
static int ad_attempt(struct ad_build *b, int ex, sqlite3_stmt *row, char *err, size_t errlen)
{
	const struct exam_def *def = b->a->exams[ex].def;
	int64_t cand = sqlite3_column_int64(row, 0);
	const char *regno = (const char *)sqlite3_column_text(row, 1);
	const char *track = (const char *)sqlite3_column_text(row, 2);
	int64_t started = sqlite3_column_int64(row, 3), finished = sqlite3_column_int64(row, 4);
	struct paper_layout pl = { 0, NULL };
	struct ad_version *v;
	struct ia_person *p;
	int8_t chosen[UJ_PAPER_MAX];
	int32_t tms[UJ_PAPER_MAX];
	double sum[UJ_SECTIONS_MAX] = { 0 };
	int n_ev, rescored = 0, pi, rc = -1;
	enum adata_time_source src;

	regno = regno ? regno : "?";
	if (!(v = ad_version_get(b, sqlite3_column_int64(row, 7), err, errlen)))
		return -1;
	if (paper_layout_parse((const char *)sqlite3_column_text(row, 8),
			       (size_t)sqlite3_column_bytes(row, 8), &pl) ||
	    pl.n != exam_paper_length(def) || pl.n > UJ_PAPER_MAX) {
		snprintf(err, errlen, "candidate %s: the stored paper is unreadable", regno);
		goto out;
	}
	if (b->n_persons == b->cap_persons) {
		b->cap_persons = b->cap_persons ? b->cap_persons * 2 : 256;
		b->persons = xrealloc(b->persons, b->cap_persons * sizeof *b->persons);
		b->person_cand = xrealloc(b->person_cand, b->cap_persons * sizeof *b->person_cand);
		b->person_rule = xrealloc(b->person_rule, b->cap_persons * sizeof *b->person_rule);
	}
	pi = (int)b->n_persons;
	p = &b->persons[pi];
	for (int s = 0; s < UJ_SECTIONS_MAX; s++)
		p->section_score[s] = NAN;
	p->total = (double)sqlite3_column_int64(row, 6);
	p->exam = ex;
	if (ad_scores(b, (const char *)sqlite3_column_text(row, 5), p)) {
		snprintf(err, errlen, "candidate %s: the stored scores are unreadable", regno);
		goto out;
	}
	/* the answers (label as shown) */
	memset(chosen, -1, sizeof chosen);
	sqlite3_reset(b->q_ans);
	sqlite3_bind_int64(b->q_ans, 1, cand);
	while (sqlite3_step(b->q_ans) == SQLITE_ROW) {
		int n = sqlite3_column_int(b->q_ans, 0);
		const unsigned char *label = sqlite3_column_text(b->q_ans, 1);
		if (n >= 1 && n <= pl.n && label && label[0] >= 'A' && label[0] - 'A' < pl.q[n - 1].n_options)
			chosen[n - 1] = (int8_t)(label[0] - 'A');
	}
	if (ad_events(b, cand, &n_ev, err, errlen))
		goto out;
	src = adata_dwell(b->ev, n_ev, started, finished < started ? started : finished, pl.n, tms);
	if (src == ADATA_TIME_POSITION)
		b->a->n_time_position++;
	else
		b->a->n_time_answers++;
	for (int q = 0; q < pl.n; q++) {
		int64_t rel = pl.q[q].item_id - v->min_id;
		int si = rel >= 0 && rel < v->span ? v->by_id[rel] - 1 : -1;
		const struct bank_item *it;
		struct scoring_q sq;
		struct ia_obs o;
		int32_t ii;
		if (si < 0 || pl.q[q].section >= def->n_sections ||
		    v->snap.items[si].n_options != pl.q[q].n_options) {
			snprintf(err, errlen,
				 "candidate %s: paper question %d names an item not in its bank version",
				 regno, q + 1);
			goto out;
		}
		it = &v->snap.items[si];
		ii = ad_item(b, v, si);
		sq = (struct scoring_q){ .section = pl.q[q].section,
					 .rule = &v->snap.sec[it->section],
					 .n_options = pl.q[q].n_options,
					 .value = v->value[si],
					 .perm = pl.q[q].perm };
		o.person = pi;
		o.option = chosen[q] >= 0 ? (int8_t)pl.q[q].perm[chosen[q]] : -1;
		o.points = scoring_points(&sq, chosen[q]);
		o.time_ms = tms[q];
		sum[b->items[ii].section] += o.points;
		ad_obs_add(b, ii, &o);
	}
	for (int s = 0; s < b->n_sec; s++)
		if (!isnan(p->section_score[s]) && p->section_score[s] != sum[s])
			rescored = 1;
	b->a->n_rescored += rescored;
	b->person_cand[pi] = cand;
	b->person_rule[pi] = exam_rule_index(def, track ? track : "");
	b->n_persons++;
	b->a->exams[ex].n_persons++;
	rc = 0;
out:
	paper_layout_free(&pl);
	return rc;
}

/* ---- exams ------------------------------------------------------------------ */

/* The exams to read (exam_id, or every exam of the bank) into a->exams, and
 * a->bank_id filled. 0 or -1 with err. */
static int ad_exams(struct ad_build *b, int64_t bank_id, int64_t exam_id, char *err, size_t errlen)
{
	struct adata *a = b->a;
	sqlite3_stmt *st = db_prepare(b->db,
				      "SELECT id, code, bank_id, definition_json FROM exams"
				      " WHERE (?1 > 0 AND id = ?1) OR (?1 = 0 AND bank_id = ?2) ORDER BY id",
				      err, errlen);
	int rc = -1, step;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_int64(st, 2, bank_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct adata_exam *e;
		char why[512];
		json_t *root;
		if (bank_id && sqlite3_column_int64(st, 2) != bank_id) {
			snprintf(err, errlen, "exam %s does not draw from this bank",
				 (const char *)sqlite3_column_text(st, 1));
			goto out;
		}
		a->bank_id = sqlite3_column_int64(st, 2);
		a->exams = xrealloc(a->exams, (size_t)(a->n_exams + 1) * sizeof *a->exams);
		e = &a->exams[a->n_exams++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->code = xstrdup((const char *)sqlite3_column_text(st, 1));
		e->def = xcalloc(1, sizeof *e->def);
		root = jc_parse((const char *)sqlite3_column_text(st, 3),
				(size_t)sqlite3_column_bytes(st, 3), why, sizeof why);
		if (!root || exam_parse(root, e->def, why, sizeof why)) {
			json_decref(root);
			snprintf(err, errlen, "stored exam %s is unreadable: %s", e->code, why);
			goto out;
		}
		json_decref(root);
		e->title = xstrdup(e->def->title);
	}
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "reading exams: %s", sqlite3_errmsg(b->db));
		goto out;
	}
	if (exam_id && !a->n_exams) {
		snprintf(err, errlen, "no such exam (id %lld)", (long long)exam_id);
		goto out;
	}
	if (!a->bank_id)
		a->bank_id = bank_id;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* The bank's code, current version (loaded first: its sections and item
 * order lead) and version number. 0 or -1 with err. */
static int ad_bank(struct ad_build *b, char *err, size_t errlen)
{
	struct adata *a = b->a;
	sqlite3_stmt *st = db_prepare(b->db,
				      "SELECT b.code, b.current_version_id, v.version_no, v.title FROM banks b"
				      " LEFT JOIN bank_versions v ON v.id = b.current_version_id"
				      " WHERE b.id = ?",
				      err, errlen);
	struct ad_version *cur;
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a->bank_id);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 1) == SQLITE_NULL) {
		snprintf(err, errlen, "no such bank (id %lld)", (long long)a->bank_id);
		goto out;
	}
	a->bank_code = xstrdup((const char *)sqlite3_column_text(st, 0));
	a->bank_version_id = sqlite3_column_int64(st, 1);
	a->bank_version_no = sqlite3_column_int(st, 2);
	a->bank_title = xstrdup(sqlite3_column_text(st, 3) ? (const char *)sqlite3_column_text(st, 3) : "");
	/* loaded first: its sections (in its order) and its item order lead */
	if (!(cur = ad_version_get(b, a->bank_version_id, err, errlen)))
		goto out;
	assert(b->vers[0] == cur);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- the whole load ---------------------------------------------------------- */

static const struct ad_build *ad_sort_ctx;

static int ad_item_cmp(const void *x, const void *y)
{
	int32_t i = *(const int32_t *)x, j = *(const int32_t *)y;
	const struct ad_build *b = ad_sort_ctx;
	const struct ia_item *p = &b->items[i], *q = &b->items[j];
	if (p->section != q->section)
		return p->section < q->section ? -1 : 1;
	if (b->item_ord[i] != b->item_ord[j])
		return b->item_ord[i] < b->item_ord[j] ? -1 : 1;
	return p->item_id < q->item_id ? -1 : p->item_id > q->item_id;
}

/* Move the built data into a (items sorted by section, then bank order of
 * the current version, older revisions after by id), fixing string views. */
static void ad_finish(struct ad_build *b)
{
	struct adata *a = b->a;
	struct ad_version *cur = b->vers[0];
	int32_t *order = xmalloc((b->n_items ? b->n_items : 1) * sizeof *order);
	struct ia_item *items = xcalloc(b->n_items ? b->n_items : 1, sizeof *items);

	for (int i = 0; i < cur->snap.n_items; i++)
		if (cur->ia[i] >= 0)
			b->item_ord[cur->ia[i]] = i;
	for (size_t i = 0; i < b->n_items; i++) {
		order[i] = (int32_t)i;
		if (b->item_ord[i] < 0)
			b->item_ord[i] = INT32_MAX;
	}
	ad_sort_ctx = b;
	qsort(order, b->n_items, sizeof *order, ad_item_cmp);
	ad_sort_ctx = NULL;
	for (size_t i = 0; i < b->n_items; i++) {
		items[i] = b->items[order[i]];
		items[i].item_code = b->str + b->item_code_off[order[i]];
	}
	free(order);
	for (int s = 0; s < b->n_sec; s++) {
		b->sec[s].code = b->str + b->sec_code_off[s];
		b->sec[s].title = b->str + b->sec_title_off[s];
	}
	a->sections = xcalloc((size_t)(b->n_sec ? b->n_sec : 1), sizeof *a->sections);
	memcpy(a->sections, b->sec, (size_t)b->n_sec * sizeof *b->sec);
	a->items = items;
	a->persons = b->persons;
	a->person_candidate = b->person_cand;
	a->person_rule = b->person_rule;
	a->strings = b->str;
	free(b->items);
	b->items = NULL;
	b->persons = NULL;
	b->person_cand = NULL;
	b->person_rule = NULL;
	b->str = NULL;
	a->d.n_sections = b->n_sec;
	a->d.sections = a->sections;
	a->d.n_persons = (int)b->n_persons;
	a->d.persons = a->persons;
	a->d.n_items = (int)b->n_items;
	a->d.items = a->items;
	a->time_source = a->n_time_position && a->n_time_answers ? ADATA_TIME_MIXED
			 : a->n_time_position			? ADATA_TIME_POSITION
			 : a->n_time_answers			? ADATA_TIME_ANSWERS
								: ADATA_TIME_NONE;
}

static void ad_build_free(struct ad_build *b)
{
	for (int i = 0; i < b->n_vers; i++)
		ad_version_free(b->vers[i]);
	free(b->vers);
	hmap_free(&b->by_item);
	if (b->items)
		for (size_t i = 0; i < b->n_items; i++)
			free(b->items[i].obs);
	free(b->items);
	free(b->obs_cap);
	free(b->item_code_off);
	free(b->item_ord);
	free(b->persons);
	free(b->person_cand);
	free(b->person_rule);
	free(b->str);
	free(b->ev);
	sqlite3_finalize(b->q_ans);
	sqlite3_finalize(b->q_ev);
}

int adata_load(sqlite3 *db, int64_t bank_id, int64_t exam_id, struct adata *out, char *err,
	       size_t errlen)
{
	struct ad_build b;
	sqlite3_stmt *st = NULL;
	int own_tx = sqlite3_get_autocommit(db), rc = -1, step;

	assert(exam_id > 0 || bank_id > 0);
	memset(out, 0, sizeof *out);
	memset(&b, 0, sizeof b);
	b.db = db;
	b.a = out;
	hmap_init(&b.by_item);
	if (own_tx && db_exec(db, "BEGIN", err, errlen))
		return -1;
	if (ad_exams(&b, bank_id, exam_id, err, errlen) || ad_bank(&b, err, errlen))
		goto out;
	for (int e = 0; e < out->n_exams; e++) /* items per paper: the largest draw */
		for (int s = 0; s < out->exams[e].def->n_sections; s++) {
			int k = ad_section_by_code(&b, out->exams[e].def->sec[s].code);
			if (k >= 0 && out->exams[e].def->sec[s].draw > b.sec[k].items_per_paper)
				b.sec[k].items_per_paper = out->exams[e].def->sec[s].draw;
		}
	if (!(b.q_ans = db_prepare(db, "SELECT n, label FROM answers WHERE candidate_id = ?", err,
				   errlen)) ||
	    !(b.q_ev = db_prepare(db,
				  "SELECT at, kind, n FROM events WHERE candidate_id = ? AND kind IN"
				  " ('position', 'answer', 'paused', 'resumed') ORDER BY id",
				  err, errlen)) ||
	    !(st = db_prepare(db,
			      "SELECT c.id, c.registration_no, c.track, a.started_at, a.finished_at,"
			      " a.scores_json, a.total, p.bank_version_id, p.layout_json"
			      " FROM candidates c JOIN attempts a ON a.candidate_id = c.id"
			      " JOIN papers p ON p.candidate_id = c.id"
			      " WHERE c.exam_id = ? AND a.status = 'finished'"
			      " AND a.finish_reason IS NOT 'disqualified' ORDER BY c.id",
			      err, errlen)))
		goto out;
	for (int e = 0; e < out->n_exams; e++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, out->exams[e].id);
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			if (ad_attempt(&b, e, st, err, errlen))
				goto out;
		if (step != SQLITE_DONE) {
			snprintf(err, errlen, "reading attempts: %s", sqlite3_errmsg(db));
			goto out;
		}
	}
	ad_finish(&b);
	rc = 0;
out:
	sqlite3_finalize(st);
	ad_build_free(&b);
	if (own_tx)
		sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (rc)
		adata_free(out);
	return rc;
}

void adata_free(struct adata *a)
{
	for (int e = 0; e < a->n_exams; e++) {
		free(a->exams[e].code);
		free(a->exams[e].title);
		free(a->exams[e].def);
	}
	free(a->exams);
	if (a->items)
		for (int i = 0; i < a->d.n_items; i++)
			free(a->items[i].obs);
	free(a->items);
	free(a->sections);
	free(a->persons);
	free(a->person_candidate);
	free(a->person_rule);
	free(a->bank_code);
	free(a->bank_title);
	free(a->strings);
	memset(a, 0, sizeof *a);
}
