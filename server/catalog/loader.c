/* loader.c - catalog and state loading for the server. */
#include "catalog/loader.h"
#include "catalog/catalog.h"
#include "store/db.h"
#include "core/jcheck.h"
#include "core/log.h"
#include "core/mem.h"
#include "exam/paper.h"
#include "exam/scoring.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* What the loader's thread keeps of an exam: the registry's exam, and its
 * own copy of what building a candidate's questions checks, so that it never
 * reads fields the loop changes (a staff edit of the exam). */
struct loader_exam {
	struct rt_exam *rt;
	int paper_len, n_sections;
};

void loader_init(struct loader *L)
{
	memset(L, 0, sizeof *L);
	hmap_init(&L->items);
	hmap_init(&L->assets);
	hmap_init(&L->versions);
	hmap_init(&L->exams);
}

void loader_free(struct loader *L)
{
	size_t it = 0;
	struct rt_item *item;
	struct rt_asset *a;
	struct rt_bank_version *v;

	while ((item = hmap_next(&L->items, &it))) {
		free(item->text_json);
		for (int i = 0; i < item->n_options; i++)
			free(item->opt_text_json[i]);
		free(item);
	}
	it = 0;
	while ((a = hmap_next(&L->assets, &it))) {
		free(a->data);
		free(a);
	}
	it = 0;
	while ((v = hmap_next(&L->versions, &it))) {
		bank_sections_free(v->sec, v->n_sections);
		free(v);
	}
	hmap_free(&L->items);
	hmap_free(&L->assets);
	hmap_free(&L->versions);
	it = 0;
	{
		struct loader_exam *le;
		while ((le = hmap_next(&L->exams, &it)))
			free(le); /* the exams themselves belong to the registry */
	}
	hmap_free(&L->exams);
}

static char *loader_json_string(const char *s)
{
	json_t *j = json_string(s);
	char *out = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	if (!out)
		abort();
	return out;
}

static struct rt_asset *loader_asset(struct loader *L, sqlite3 *db, const char *ref, char *err,
				     size_t errlen)
{
	const char *sha = ref + 7; /* after "sha256:" */
	struct rt_asset *a = hmap_gets(&L->assets, sha);
	sqlite3_stmt *st;

	if (a)
		return a;
	st = db_prepare(db, "SELECT id, mime, data FROM assets WHERE sha256 = ?", err, errlen);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		a = xcalloc(1, sizeof *a);
		a->id = sqlite3_column_int64(st, 0);
		str_copy(a->sha, sizeof a->sha, sha);
		str_copy(a->mime, sizeof a->mime, (const char *)sqlite3_column_text(st, 1));
		a->len = (size_t)sqlite3_column_bytes(st, 2);
		a->data = xmalloc(a->len ? a->len : 1);
		memcpy(a->data, sqlite3_column_blob(st, 2), a->len);
		hmap_puts(&L->assets, a->sha, a);
	} else {
		snprintf(err, errlen, "stored image %s is missing", sha);
	}
	sqlite3_finalize(st);
	return a;
}

/* Turn a parsed stored item into a serving item. */
static struct rt_item *loader_make_item(struct loader *L, sqlite3 *db, int64_t id,
					const struct bank_item *bi, const struct section_rule *sec,
					char *err, size_t errlen)
{
	struct rt_item *it = xcalloc(1, sizeof *it);
	it->id = id;
	str_copy(it->section, sizeof it->section, sec[bi->section].code);
	it->text_json = loader_json_string(bi->text);
	it->text_json_len = strlen(it->text_json);
	it->n_options = bi->n_options;
	for (int k = 0; k < bi->n_images; k++) {
		if (!(it->images[k] = loader_asset(L, db, bi->images[k], err, errlen)))
			goto fail;
		it->n_images++;
	}
	for (int k = 0; k < bi->n_options; k++) {
		it->opt_text_json[k] = loader_json_string(bi->opt[k].text);
		it->opt_text_json_len[k] = strlen(it->opt_text_json[k]);
		if (bi->opt[k].image && !(it->opt_image[k] = loader_asset(L, db, bi->opt[k].image, err, errlen)))
			goto fail;
		it->value[k] = scoring_option_value(&sec[bi->section], &bi->opt[k]);
	}
	return it;
fail:
	free(it->text_json);
	for (int k = 0; k < bi->n_options; k++)
		free(it->opt_text_json[k]);
	free(it);
	return NULL;
}

/* Load a bank version and every item of it not yet loaded. */
static struct rt_bank_version *loader_version(struct loader *L, sqlite3 *db, int64_t vid,
					      char *err, size_t errlen)
{
	struct rt_bank_version *v = hmap_get(&L->versions, &vid, sizeof vid);
	struct bank_snapshot snap;

	if (v)
		return v;
	if (catalog_load_bank_version(db, 0, vid, &snap, err, errlen))
		return NULL;
	for (int i = 0; i < snap.n_items; i++) {
		if (hmap_get(&L->items, &snap.item_ids[i], sizeof(int64_t)))
			continue;
		struct rt_item *it = loader_make_item(L, db, snap.item_ids[i], &snap.items[i], snap.sec,
						      err, errlen);
		if (!it) {
			catalog_bank_snapshot_free(&snap);
			return NULL;
		}
		hmap_put(&L->items, &it->id, sizeof it->id, it);
	}
	v = xcalloc(1, sizeof *v);
	v->id = vid;
	v->n_sections = snap.n_sections;
	/* Take over the section titles from the snapshot. */
	memcpy(v->sec, snap.sec, sizeof v->sec);
	snap.n_sections = 0;
	catalog_bank_snapshot_free(&snap);
	hmap_put(&L->versions, &v->id, sizeof v->id, v);
	return v;
}

static const struct section_rule *loader_rule(const struct rt_bank_version *v, const char *code)
{
	for (int i = 0; i < v->n_sections; i++)
		if (strcmp(v->sec[i].code, code) == 0)
			return &v->sec[i];
	return NULL;
}

/* An exam's definition from its stored text, bound to bank version vid,
 * with what the registry keeps beside it (title as JSON, paper length, the
 * first question of each section, section titles). 0 or -1 with err. */
static int loader_exam_def(struct loader *L, sqlite3 *db, int64_t id, const char *text,
			   size_t len, int64_t vid, struct exam_def *def, char **title_json,
			   int *paper_len, int *section_from, char **section_title, char *err,
			   size_t errlen)
{
	char why[512];
	json_t *root = jc_parse(text, len, why, sizeof why);
	struct rt_bank_version *v;

	if (!root || exam_parse(root, def, why, sizeof why)) {
		json_decref(root);
		snprintf(err, errlen, "stored exam %lld is unreadable: %s", (long long)id, why);
		return -1;
	}
	json_decref(root);
	v = loader_version(L, db, vid, err, errlen);
	if (!v || exam_bind(def, v->sec, v->n_sections, why, sizeof why)) {
		if (v)
			snprintf(err, errlen, "exam %s: %s", def->code, why);
		return -1;
	}
	*title_json = loader_json_string(def->title);
	*paper_len = 0;
	for (int s = 0; s < def->n_sections; s++) {
		section_from[s] = *paper_len + 1;
		*paper_len += def->sec[s].draw;
		section_title[s] = xstrdup(v->sec[def->sec[s].bank_section].title);
	}
	return 0;
}

static int loader_exams(struct loader *L, sqlite3 *db, struct load_batch *b, char *err,
			size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT e.id, e.definition_json, b.current_version_id FROM exams e"
				      " JOIN banks b ON b.id = e.bank_id ORDER BY e.id",
				      err, errlen);
	int rc = -1;
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct rt_exam *e;
		struct loader_exam *le;

		if (hmap_get(&L->exams, &id, sizeof id))
			continue;
		e = xcalloc(1, sizeof *e);
		e->id = id;
		hmap_init(&e->candidates);
		if (loader_exam_def(L, db, id, (const char *)sqlite3_column_text(st, 1),
				    (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2),
				    &e->def, &e->title_json, &e->paper_len, e->section_from,
				    e->section_title, err, errlen)) {
			free(e);
			goto out;
		}
		le = xcalloc(1, sizeof *le);
		le->rt = e;
		le->paper_len = e->paper_len;
		le->n_sections = e->def.n_sections;
		hmap_put(&L->exams, &e->id, sizeof e->id, le);
		b->exams = xrealloc(b->exams, (b->n_exams + 1) * sizeof *b->exams);
		b->exams[b->n_exams++] = e;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* The finish reason stored as text (the CHECK constraint admits only the
 * names; anything else reads as submitted). */
static enum finish_reason loader_finish_reason(const char *name)
{
	for (int r = FINISH_NONE + 1; r < FINISH_REASON_MAX; r++)
		if (name && strcmp(name, finish_reason_names[r]) == 0)
			return (enum finish_reason)r;
	return FINISH_SUBMITTED;
}

/* Build a candidate's questions from its stored paper (checked against the
 * loader's copy of its exam): *n, *q and *ans (the caller's). 0 or -1. */
static int loader_paper(struct loader *L, sqlite3 *db, const struct loader_exam *le,
			const char *regno, int64_t vid, const char *layout, size_t len, int *n,
			struct rt_question **q_out, struct rt_answer **ans_out, char *err,
			size_t errlen)
{
	struct paper_layout pl;
	struct rt_bank_version *v = loader_version(L, db, vid, err, errlen);
	struct rt_question *qs;
	struct rt_answer *ans;
	int bad;

	if (!v)
		return -1;
	bad = paper_layout_parse(layout, len, &pl);
	if (bad || pl.n != le->paper_len) {
		if (!bad)
			paper_layout_free(&pl);
		snprintf(err, errlen, "candidate %s: stored paper is malformed", regno);
		return -1;
	}
	qs = xcalloc((size_t)pl.n, sizeof *qs);
	ans = xcalloc((size_t)pl.n, sizeof *ans);
	for (int i = 0; i < pl.n; i++) {
		struct rt_question *q = &qs[i];
		q->item = hmap_get(&L->items, &pl.q[i].item_id, sizeof(int64_t));
		q->section = pl.q[i].section;
		q->n_options = pl.q[i].n_options;
		memcpy(q->perm, pl.q[i].perm, sizeof q->perm);
		ans[i].label = -1;
		if (!q->item || q->section >= le->n_sections || q->n_options != q->item->n_options ||
		    !(q->rule = loader_rule(v, q->item->section))) {
			snprintf(err, errlen, "candidate %s: paper question %d is inconsistent", regno,
				 i + 1);
			paper_layout_free(&pl);
			free(qs);
			free(ans);
			return -1;
		}
	}
	*n = pl.n;
	*q_out = qs;
	*ans_out = ans;
	paper_layout_free(&pl);
	return 0;
}

static int loader_candidates(struct loader *L, sqlite3 *db, struct load_batch *b, char *err,
			     size_t errlen)
{
	sqlite3_stmt *st = db_prepare(
		db,
		"SELECT c.id, c.exam_id, c.registration_no, c.name, c.track, c.extra_time_s,"
		" c.pw_hash, p.bank_version_id, p.layout_json FROM candidates c JOIN papers p"
		" ON p.candidate_id = c.id WHERE c.id > ? ORDER BY c.id",
		err, errlen);
	struct rt_candidate **tail = &b->cands;
	int rc = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, L->max_cand_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t exam_id = sqlite3_column_int64(st, 1);
		struct rt_candidate *c = xcalloc(1, sizeof *c);
		struct loader_exam *le = hmap_get(&L->exams, &exam_id, sizeof exam_id);
		c->id = sqlite3_column_int64(st, 0);
		c->exam = le ? le->rt : NULL;
		str_copy(c->regno, sizeof c->regno, (const char *)sqlite3_column_text(st, 2));
		c->name = xstrdup((const char *)sqlite3_column_text(st, 3));
		str_copy(c->track, sizeof c->track, (const char *)sqlite3_column_text(st, 4));
		c->extra_s = sqlite3_column_int(st, 5);
		if (!c->exam || sqlite3_column_bytes(st, 6) != UJ_HASH_LEN) {
			snprintf(err, errlen, "candidate %lld is inconsistent", (long long)c->id);
			free(c->name);
			free(c);
			goto out;
		}
		memcpy(c->pw_hash, sqlite3_column_blob(st, 6), UJ_HASH_LEN);
		/* The pass rule is resolved on the loop (loader_merge): a staff
		 * edit may change the rules of a shared exam. */
		c->rule = NULL;
		if (loader_paper(L, db, le, c->regno, sqlite3_column_int64(st, 7),
				 (const char *)sqlite3_column_text(st, 8),
				 (size_t)sqlite3_column_bytes(st, 8), &c->n, &c->q, &c->ans, err,
				 errlen)) {
			free(c->name);
			free(c);
			goto out;
		}
		*tail = c;
		tail = &c->all_next;
		b->n_cands++;
		L->max_cand_id = c->id;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Every sitting of the exams loaded (with its proctors) into b->sittings,
 * and which loaded candidate is in which sitting into b->cand_sitting. */
static int loader_sittings(struct loader *L, sqlite3 *db, struct load_batch *b, char *err,
			   size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db,
				      "SELECT id, exam_id, code, room, starts_at, rotate_min,"
				      " start_together, token, prev_token, token_at, started_at,"
				      " closed_at FROM sittings ORDER BY id",
				      err, errlen);
	struct hmap byid;
	size_t cap = 0, ncand = 0;
	int rc = -1;

	hmap_init(&byid);
	if (!st)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t exam_id = sqlite3_column_int64(st, 1);
		struct loader_exam *le = hmap_get(&L->exams, &exam_id, sizeof exam_id);
		struct rt_sitting *s;
		if (!le)
			continue; /* its exam did not load (reported there) */
		if (b->n_sittings == cap) {
			cap = cap ? 2 * cap : 16;
			b->sittings = xrealloc(b->sittings, cap * sizeof *b->sittings);
		}
		s = &b->sittings[b->n_sittings++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(st, 0);
		s->exam = le->rt;
		str_copy(s->code, sizeof s->code, (const char *)sqlite3_column_text(st, 2));
		str_copy(s->room, sizeof s->room, (const char *)sqlite3_column_text(st, 3));
		s->starts_at = sqlite3_column_int64(st, 4);
		s->rotate_min = sqlite3_column_int(st, 5);
		s->start_together = sqlite3_column_int(st, 6) != 0;
		str_copy(s->token, sizeof s->token, (const char *)sqlite3_column_text(st, 7));
		str_copy(s->prev_token, sizeof s->prev_token, (const char *)sqlite3_column_text(st, 8));
		s->token_at = sqlite3_column_int64(st, 9);
		s->started_at = sqlite3_column_int64(st, 10); /* NULL reads as 0 */
		s->closed_at = sqlite3_column_int64(st, 11);
	}
	sqlite3_finalize(st);
	/* The array is complete: its entries' ids can key the map. */
	for (size_t i = 0; i < b->n_sittings; i++)
		hmap_put(&byid, &b->sittings[i].id, sizeof(int64_t), &b->sittings[i]);
	if (!(st = db_prepare(db, "SELECT p.sitting_id, p.staff_id, s.username FROM sitting_proctors p"
				  " JOIN staff s ON s.id = p.staff_id ORDER BY p.sitting_id, s.username",
			      err, errlen)))
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 0);
		struct rt_sitting *s = hmap_get(&byid, &sid, sizeof sid);
		if (s && s->n_proctors < UJ_SITTING_PROCTORS_MAX) {
			str_copy(s->proctor_name[s->n_proctors], sizeof s->proctor_name[0],
				 (const char *)sqlite3_column_text(st, 2));
			s->proctor[s->n_proctors++] = sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	if (!(st = db_prepare(db, "SELECT id, sitting_id FROM candidates WHERE sitting_id IS NOT NULL"
				  " AND id <= ?",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, L->max_cand_id);
	cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ncand == cap) {
			cap = cap ? 2 * cap : 256;
			b->cand_ids = xrealloc(b->cand_ids, 2 * cap * sizeof *b->cand_ids);
		}
		b->cand_ids[2 * ncand] = sqlite3_column_int64(st, 0);
		b->cand_ids[2 * ncand + 1] = sqlite3_column_int64(st, 1);
		ncand++;
	}
	for (size_t i = 0; i < ncand; i++)
		hmap_put(&b->cand_sitting, &b->cand_ids[2 * i], sizeof(int64_t),
			 &b->cand_ids[2 * i + 1]);
	b->has_sittings = 1;
	rc = 0;
out:
	sqlite3_finalize(st);
	hmap_free(&byid);
	return rc;
}

int loader_load(struct loader *L, sqlite3 *db, struct load_batch *b, char *err, size_t errlen)
{
	int rc = -1;
	memset(b, 0, sizeof *b);
	hmap_init(&b->cand_sitting);
	if (db_exec(db, "BEGIN", err, errlen))
		return -1;
	b->catalog_version = db_meta_get(db, "catalog_version");
	if (loader_exams(L, db, b, err, errlen) || loader_candidates(L, db, b, err, errlen) ||
	    loader_sittings(L, db, b, err, errlen))
		goto out;
	L->catalog_version = b->catalog_version;
	rc = 0;
out:
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

void loader_sitting_update(struct rt_sitting *dst, const struct rt_sitting *src)
{
	assert(dst->id == src->id);
	str_copy(dst->code, sizeof dst->code, src->code);
	str_copy(dst->room, sizeof dst->room, src->room);
	dst->starts_at = src->starts_at;
	dst->rotate_min = src->rotate_min;
	dst->start_together = src->start_together;
	dst->n_proctors = src->n_proctors;
	memcpy(dst->proctor, src->proctor, sizeof dst->proctor);
	memcpy(dst->proctor_name, src->proctor_name, sizeof dst->proctor_name);
	/* What the runtime also changes: never go back to an older value. */
	if (src->token_at >= dst->token_at) {
		memcpy(dst->token, src->token, sizeof dst->token);
		memcpy(dst->prev_token, src->prev_token, sizeof dst->prev_token);
		dst->token_at = src->token_at;
	}
	if (src->started_at >= dst->started_at)
		dst->started_at = src->started_at;
	if (src->closed_at >= dst->closed_at)
		dst->closed_at = src->closed_at;
}

/* Loop thread: the batch's sittings into the registry (in place), then
 * every candidate's sitting and every sitting's count. */
static void loader_merge_sittings(struct registry *r, struct load_batch *b)
{
	struct hmap byid;
	struct rt_exam *e;
	struct rt_sitting *s;
	struct rt_candidate *c;
	size_t it = 0;

	hmap_init(&byid);
	while ((e = hmap_next(&r->exams, &it)))
		for (s = e->sittings; s; s = s->next) {
			hmap_put(&byid, &s->id, sizeof s->id, s);
			s->n_candidates = 0;
		}
	for (size_t i = 0; i < b->n_sittings; i++) {
		const struct rt_sitting *src = &b->sittings[i];
		struct rt_sitting **tail;
		if ((s = hmap_get(&byid, &src->id, sizeof src->id))) {
			assert(s->exam == src->exam);
			loader_sitting_update(s, src);
			continue;
		}
		s = xcalloc(1, sizeof *s);
		*s = *src;
		s->next = NULL;
		s->live = NULL;
		s->n_candidates = 0;
		for (tail = &s->exam->sittings; *tail; tail = &(*tail)->next)
			;
		*tail = s;
		hmap_put(&byid, &s->id, sizeof s->id, s);
	}
	for (c = r->all; c; c = c->all_next) {
		const int64_t *sid = hmap_get(&b->cand_sitting, &c->id, sizeof c->id);
		c->sitting = sid ? hmap_get(&byid, sid, sizeof *sid) : NULL;
		if (c->sitting && c->sitting->exam != c->exam)
			c->sitting = NULL; /* cannot happen: the catalog checks it */
		if (c->sitting)
			c->sitting->n_candidates++;
	}
	hmap_free(&byid);
}

void loader_batch_free(struct load_batch *b)
{
	free(b->exams);
	free(b->sittings);
	free(b->cand_ids);
	hmap_free(&b->cand_sitting);
	memset(b, 0, sizeof *b);
}

void loader_merge(struct registry *r, struct load_batch *b)
{
	struct rt_candidate *c = b->cands, *next;
	for (size_t i = 0; i < b->n_exams; i++)
		hmap_puts(&r->exams, b->exams[i]->def.code, b->exams[i]);
	for (; c; c = next) {
		int ri = exam_rule_index(&c->exam->def, c->track);
		next = c->all_next;
		c->rule = ri >= 0 ? &c->exam->def.rules[ri] : NULL;
		hmap_puts(&c->exam->candidates, c->regno, c);
		c->all_next = r->all;
		r->all = c;
		r->n_candidates++;
	}
	if (b->has_sittings)
		loader_merge_sittings(r, b);
	loader_batch_free(b);
}

int loader_parse_scores(const char *js, struct rt_candidate *c)
{
	char why[128];
	json_t *j = jc_parse(js, strlen(js), why, sizeof why), *e;
	size_t i;
	int rc = -1;

	if (!j || !json_is_array(j) || (int)json_array_size(j) != c->exam->def.n_sections)
		goto out;
	c->total = c->max_total = 0;
	json_array_foreach(j, i, e) {
		c->score[i] = (int)json_integer_value(json_object_get(e, "score"));
		c->max[i] = (int)json_integer_value(json_object_get(e, "max"));
		c->total += c->score[i];
		c->max_total += c->max[i];
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

int loader_load_state(sqlite3 *db, struct registry *r, char *err, size_t errlen)
{
	struct hmap byid;
	sqlite3_stmt *st = NULL;
	struct rt_candidate *c;
	int rc = -1;

	hmap_init(&byid);
	for (c = r->all; c; c = c->all_next)
		hmap_put(&byid, &c->id, sizeof c->id, c);
	if (db_exec(db, "BEGIN", err, errlen))
		goto out;

	st = db_prepare(db,
			"SELECT candidate_id, status, started_at, credit_ms, finished_at,"
			" finish_reason, scores_json, passed, position, paused_at, pause_reason"
			" FROM attempts",
			err, errlen);
	if (!st)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (!(c = hmap_get(&byid, &id, sizeof id)))
			continue;
		c->started_at = sqlite3_column_int64(st, 2);
		c->credit_ms = sqlite3_column_int64(st, 3);
		c->position = sqlite3_column_int(st, 8);
		if (c->position < 1 || c->position > c->n)
			c->position = 1;
		if (strcmp((const char *)sqlite3_column_text(st, 1), "finished") == 0) {
			c->status = ATT_FINISHED;
			c->finished_at = sqlite3_column_int64(st, 4);
			c->reason = loader_finish_reason((const char *)sqlite3_column_text(st, 5));
			c->passed = sqlite3_column_int(st, 7);
			if (loader_parse_scores((const char *)sqlite3_column_text(st, 6), c)) {
				snprintf(err, errlen, "candidate %s: stored scores are malformed",
					 c->regno);
				goto out;
			}
		} else {
			c->status = ATT_IN_PROGRESS;
			c->paused_at = sqlite3_column_int64(st, 9);
			if (c->paused_at)
				c->pause_reason = xstrdup(sqlite3_column_type(st, 10) == SQLITE_TEXT
								  ? (const char *)sqlite3_column_text(st, 10)
								  : "");
		}
	}
	sqlite3_finalize(st);

	st = db_prepare(db, "SELECT candidate_id, n, label, flagged, rev FROM answers", err, errlen);
	if (!st)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int n = sqlite3_column_int(st, 1);
		const unsigned char *label = sqlite3_column_text(st, 2);
		if (!(c = hmap_get(&byid, &id, sizeof id)) || n < 1 || n > c->n)
			continue;
		c->ans[n - 1].label = (int8_t)(label ? label[0] - 'A' : -1);
		c->ans[n - 1].flagged = (uint8_t)sqlite3_column_int(st, 3);
		c->ans[n - 1].rev = (uint32_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);

	st = db_prepare(db,
			"SELECT token_hash, candidate_id, created_at, state FROM sessions"
			" WHERE state IN ('active', 'replaced') ORDER BY candidate_id, created_at,"
			" state DESC",
			err, errlen);
	if (!st)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 1);
		if (!(c = hmap_get(&byid, &id, sizeof id)) || sqlite3_column_bytes(st, 0) != UJ_HASH_LEN)
			continue;
		registry_session_add(r, c, sqlite3_column_blob(st, 0), sqlite3_column_int64(st, 2),
				     strcmp((const char *)sqlite3_column_text(st, 3), "active") == 0
					     ? SES_ACTIVE
					     : SES_REPLACED);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	hmap_free(&byid);
	return rc;
}

void loader_reload_free(struct exam_reload *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->cands[i].q);
		free(r->cands[i].ans);
	}
	free(r->cands);
	free(r->title_json);
	for (int s = 0; s < UJ_SECTIONS_MAX; s++)
		free(r->section_title[s]);
	memset(r, 0, sizeof *r);
}

int loader_reload_exam(struct loader *L, sqlite3 *db, int64_t exam_id, struct exam_reload *r,
		       char *err, size_t errlen)
{
	struct loader_exam *le = hmap_get(&L->exams, &exam_id, sizeof exam_id);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->exam_id = exam_id;
	if (!le) {
		snprintf(err, errlen, "exam %lld is not loaded", (long long)exam_id);
		return -1;
	}
	if (db_exec(db, "BEGIN", err, errlen))
		return -1;
	if (!(st = db_prepare(db,
			      "SELECT e.definition_json, b.current_version_id FROM exams e"
			      " JOIN banks b ON b.id = e.bank_id WHERE e.id = ?",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "exam %lld is gone", (long long)exam_id);
		goto out;
	}
	if (loader_exam_def(L, db, exam_id, (const char *)sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_int64(st, 1), &r->def,
			    &r->title_json, &r->paper_len, r->section_from, r->section_title, err,
			    errlen))
		goto out;
	sqlite3_finalize(st);
	/* This thread's copy follows at once: candidates loaded from now on are
	 * checked against the new papers. */
	le->paper_len = r->paper_len;
	le->n_sections = r->def.n_sections;
	/* The candidates RAM already has (later ones are loaded as usual). */
	if (!(st = db_prepare(db,
			      "SELECT c.id, c.registration_no, p.bank_version_id, p.layout_json"
			      " FROM candidates c JOIN papers p ON p.candidate_id = c.id"
			      " WHERE c.exam_id = ? AND c.id <= ? ORDER BY c.id",
			      err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_int64(st, 2, L->max_cand_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct exam_reload_cand *c;
		if (r->n == cap) {
			cap = cap ? 2 * cap : 64;
			r->cands = xrealloc(r->cands, cap * sizeof *r->cands);
		}
		c = &r->cands[r->n];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		if (loader_paper(L, db, le, (const char *)sqlite3_column_text(st, 1),
				 sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3),
				 (size_t)sqlite3_column_bytes(st, 3), &c->n, &c->q, &c->ans, err,
				 errlen))
			goto out;
		r->n++;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc)
		loader_reload_free(r);
	return rc;
}

int loader_apply_reload(struct registry *reg, struct exam_reload *r)
{
	struct rt_exam *e = NULL, *x;
	struct rt_candidate *c;
	size_t it = 0, lo, hi;

	while ((x = hmap_next(&reg->exams, &it)))
		if (x->id == r->exam_id)
			e = x;
	if (!e)
		return -1;
	e->def = r->def;
	free(e->title_json);
	e->title_json = r->title_json;
	r->title_json = NULL;
	e->paper_len = r->paper_len;
	for (int s = 0; s < UJ_SECTIONS_MAX; s++) {
		free(e->section_title[s]);
		e->section_title[s] = r->section_title[s];
		r->section_title[s] = NULL;
		e->section_from[s] = r->section_from[s];
	}
	it = 0;
	while ((c = hmap_next(&e->candidates, &it))) {
		int ri = exam_rule_index(&e->def, c->track);
		c->rule = ri >= 0 ? &e->def.rules[ri] : NULL;
		/* Nobody has started (the edit was refused otherwise): the new
		 * paper replaces the old one, found by id (cands are in id order). */
		assert(c->status == ATT_NOT_STARTED);
		for (lo = 0, hi = r->n; lo < hi;) {
			size_t mid = (lo + hi) / 2;
			if (r->cands[mid].id < c->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < r->n && r->cands[lo].id == c->id) {
			free(c->q);
			free(c->ans);
			c->q = r->cands[lo].q;
			c->ans = r->cands[lo].ans;
			c->n = r->cands[lo].n;
			c->position = 1;
			r->cands[lo].q = NULL;
			r->cands[lo].ans = NULL;
		}
	}
	return 0;
}
