/* proctor.c - the proctoring domain's state: sittings live, the dashboards'
 * rows and their coalesced flush, the one-second tick (offline, token
 * rotation), broadcasts in RAM, and the domain's writer operations. */
#include "proctor/live.h"
#include "core/clock.h"
#include "exam/outage.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rng.h"
#include "core/text.h"
#include "store/event.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer operations -------------------------------------------------- */

static const char sql_notice[] = "INSERT INTO notices (exam_id, sitting_id, candidate_id, at,"
				 " staff_id, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_sitting[] =
	"UPDATE sittings SET token = ?2, prev_token = ?3, token_at = ?4, started_at = ?5,"
	" closed_at = ?6, closed_by = ?7, closed_head = ?8 WHERE id = ?1";
static const char sql_head[] = "SELECT id, hex(hash) FROM events ORDER BY id DESC LIMIT 1";

/* Bind v, or NULL for 0. */
static void pop_bind_ms(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Append o's event and read back its id (and hash, for a close). */
static int pop_event(struct wr_tx *tx, struct proctor_op *o)
{
	struct event_rec e = { .at = o->op.at, .actor = o->op.owner, .candidate_id = o->cand_id,
			       .kind = o->event, .label = -1, .detail = o->detail };
	sqlite3_stmt *st;
	if (event_append(tx, &e) || !(st = wr_stmt(tx, sql_head)) || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	o->out_id = sqlite3_column_int64(st, 0);
	str_copy(o->out_head, sizeof o->out_head, (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return 0;
}

static int pop_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct proctor_op *o = (struct proctor_op *)op;
	sqlite3_stmt *st;
	switch (o->kind) {
	case POP_EVENT:
		return pop_event(tx, o);
	case POP_NOTICE:
		if (!(st = wr_stmt(tx, sql_notice)))
			return -1;
		sqlite3_bind_int64(st, 1, o->exam_id);
		pop_bind_ms(st, 2, o->sitting_id);
		pop_bind_ms(st, 3, o->cand_id);
		sqlite3_bind_int64(st, 4, op->at);
		pop_bind_ms(st, 5, op->owner.kind == ACTOR_STAFF ? op->owner.id : 0);
		sqlite3_bind_text(st, 6, o->text, -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
		{
			int64_t notice = wr_last_id(tx);
			if (pop_event(tx, o))
				return -1;
			o->out_id = notice;
		}
		return 0;
	case POP_SITTING:
		/* The event first, so a close stores the head that includes it. */
		if (pop_event(tx, o) || !(st = wr_stmt(tx, sql_sitting)))
			return -1;
		sqlite3_bind_int64(st, 1, o->sitting_id);
		sqlite3_bind_text(st, 2, o->token, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, o->prev_token, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, o->token_at);
		pop_bind_ms(st, 5, o->started_at);
		pop_bind_ms(st, 6, o->closed_at);
		pop_bind_ms(st, 7, o->closed_by);
		if (o->closed_at)
			sqlite3_bind_text(st, 8, o->out_head, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 8);
		return wr_step(st);
	}
	return -1;
}

static void pop_done(struct wr_op *op)
{
	struct proctor_op *o = (struct proctor_op *)op;
	if (op->failed)
		log_error("proctor: a %s record was not stored", o->event ? o->event : "proctor");
	if (o->c && o->op.pending)
		outage_settle(o->pr->x, o->c);
	if (o->then)
		o->then(o);
}

static void pop_release(struct wr_op *op)
{
	struct proctor_op *o = (struct proctor_op *)op;
	json_decref(o->detail);
	free(o->text);
	free(o);
}

struct proctor_op *pop_new(struct proctor *pr, enum pop_kind kind, struct actor who, int64_t now)
{
	struct proctor_op *o = xcalloc(1, sizeof *o);
	wr_op_init(&o->op, pop_apply, who, now);
	o->op.done = pop_done;
	o->op.release = pop_release;
	o->kind = kind;
	o->pr = pr;
	return o;
}

void pop_submit(struct proctor *pr, struct proctor_op *o, pop_then_fn then, void *arg)
{
	assert(pr->x->w && o->event);
	o->then = then;
	o->arg = arg;
	if (o->c)
		o->op.pending = &o->c->pending; /* "reply after my writes" holds */
	writer_submit(pr->x->w, &o->op);
}

/* ---- rows ------------------------------------------------------------------ */

const char *pr_status(const struct rt_candidate *c)
{
	const struct rt_sitting *st = c->sitting;
	switch (c->status) {
	case ATT_FINISHED:
		return c->reason == FINISH_DISQUALIFIED ? "disqualified" : "finished";
	case ATT_IN_PROGRESS:
		return c->paused_at ? "paused" : "in_progress";
	default:
		if (!c->session)
			return "absent";
		return st && st->start_together && !st->started_at ? "waiting" : "login";
	}
}

static int pr_online(const struct rt_candidate *c, int64_t now)
{
	return c->last_seen && now - c->last_seen <= UJ_ONLINE_GRACE_MS;
}

/* One dashboard row of c. */
static json_t *pr_row(const struct proctor *pr, const struct rt_candidate *c, int64_t now)
{
	int answered = 0, flagged = 0, running = c->status == ATT_IN_PROGRESS;
	int64_t remaining = 0, deadline = 0;
	const struct pr_cand *lc = c->live;
	for (int i = 0; i < c->n; i++) {
		answered += c->ans[i].label >= 0;
		flagged += c->ans[i].flagged != 0;
	}
	if (running) {
		deadline = registry_deadline(c);
		remaining = clock_remaining_ms(deadline, c->paused_at ? c->paused_at : now);
		if (c->paused_at)
			deadline += now - c->paused_at;
	}
	return json_pack("{s:I,s:s,s:s,s:{s:s,s:s},s:s,s:b,s:o,s:i,s:i,s:i,s:o,s:o,s:o,s:o,s:i,"
			 "s:i,s:o,s:o,s:b}",
			 "id", (json_int_t)c->id, "regno", c->regno, "name", c->name, "seat", "addr",
			 c->seat_addr, "fp", c->seat_fp, "status", pr_status(c), "online",
			 pr_online(c, now), "offline_since",
			 lc && lc->offline ? clock_json(lc->offline_since) : json_null(), "answered",
			 answered, "flagged", flagged, "total", c->n, "position",
			 running ? json_integer(c->position) : json_null(), "remaining_ms",
			 running ? json_integer(remaining) : json_null(), "deadline",
			 running ? clock_json(deadline) : json_null(), "last_activity",
			 c->last_seen ? clock_json(c->last_seen) : json_null(), "incidents",
			 c->incidents, "extra_s", c->extra_s, "finish_reason",
			 c->status == ATT_FINISHED ? json_string(finish_reason_names[c->reason])
						   : json_null(),
			 "paused_reason",
			 c->paused_at ? json_string(c->pause_reason ? c->pause_reason : "") : json_null(),
			 "locked", session_locked(pr->auth, c));
}

/* Status counts of a sitting. */
static json_t *pr_counts(const struct pr_sitting *ls, int64_t now)
{
	static const char *const words[] = { "absent",	 "login",    "waiting",	    "in_progress",
					     "paused",	 "finished", "disqualified" };
	int n[7] = { 0 }, offline = 0, incidents = 0;
	json_t *o;
	for (int i = 0; i < ls->n_cands; i++) {
		const struct rt_candidate *c = ls->cands[i];
		const char *s = pr_status(c);
		for (int k = 0; k < 7; k++)
			if (strcmp(s, words[k]) == 0)
				n[k]++;
		offline += c->last_seen && c->status != ATT_FINISHED && !pr_online(c, now);
		incidents += c->incidents;
	}
	o = json_pack("{s:i,s:i,s:i}", "registered", ls->n_cands, "offline", offline, "incidents",
		      incidents);
	for (int k = 0; k < 7; k++)
		json_object_set_new(o, words[k], json_integer(n[k]));
	return o;
}

/* The sitting as the list and the dashboard show it. */
static json_t *pr_sitting_json(const struct rt_sitting *st, int with_token, int64_t now)
{
	const struct pr_sitting *ls = st->live;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:i,s:b,s:o,s:o,s:o,s:o}", "id",
			      (json_int_t)st->id, "exam", st->exam->def.code, "exam_title",
			      st->exam->def.title, "code", st->code, "room", st->room, "starts_at",
			      st->starts_at ? clock_json(st->starts_at) : json_null(), "rotate_min",
			      st->rotate_min, "start_together", st->start_together, "started_at",
			      st->started_at ? clock_json(st->started_at) : json_null(), "closed_at",
			      st->closed_at ? clock_json(st->closed_at) : json_null(), "token_at",
			      st->token_at ? clock_json(st->token_at) : json_null(), "counts",
			      pr_counts(ls, now));
	json_t *ids = json_array(), *names = json_array();
	for (int i = 0; i < st->n_proctors; i++) {
		json_array_append_new(ids, json_integer(st->proctor[i]));
		json_array_append_new(names, json_string(st->proctor_name[i]));
	}
	json_object_set_new(o, "proctor_ids", ids);
	json_object_set_new(o, "proctors", names);
	json_object_set_new(o, "token_required", json_boolean(st->exam->def.sitting_token));
	if (with_token)
		json_object_set_new(o, "token", json_string(st->token));
	return o;
}

json_t *proctor_dashboard_json(const struct proctor *pr, const struct rt_sitting *st,
			       int with_token, int64_t now)
{
	const struct pr_sitting *ls = st->live;
	json_t *rows = json_array();
	for (int i = 0; i < ls->n_cands; i++)
		json_array_append_new(rows, pr_row(pr, ls->cands[i], now));
	return json_pack("{s:o,s:o,s:o}", "sitting", pr_sitting_json(st, with_token, now),
			 "server_time", clock_json(now), "rows", rows);
}

/* sse_snapshot_fn: the dashboard without the token (streams carry none). */
static char *pr_snapshot(void *arg, size_t *len)
{
	struct pr_sitting *ls = arg;
	json_t *doc = proctor_dashboard_json(ls->pr, ls->st, 0, clock_now_ms());
	char *s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!s)
		abort(); /* out of memory */
	*len = strlen(s);
	return s;
}

void pr_publish(struct rt_sitting *st, const char *event, json_t *data)
{
	struct pr_sitting *ls = st->live;
	char *s = json_dumps(data, JSON_COMPACT);
	if (!s)
		abort();
	sse_publish(ls->topic, event, s, strlen(s));
	free(s);
}

/* ---- coalesced flush ------------------------------------------------------- */

/* arr (cap elements of elem bytes) grown to hold need; returns it. */
static void *pr_grow(void *arr, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	while (*cap < need)
		*cap *= 2;
	return xrealloc(arr, (size_t)*cap * elem);
}

static void pr_arm_flush(struct proctor *pr)
{
	struct timeval tv = { 0, UJ_SSE_FLUSH_MS * 1000 };
	if (pr->flush_armed)
		return;
	pr->flush_armed = 1;
	evtimer_add(pr->flush, &tv);
}

/* Queue the sitting for the next flush (once). */
static void pr_queue_sitting(struct proctor *pr, struct pr_sitting *ls)
{
	if (ls->n_dirty || ls->changed)
		return; /* already queued */
	pr->dirty_sittings = pr_grow(pr->dirty_sittings, &pr->cap_dirty_sittings,
				     pr->n_dirty_sittings + 1, sizeof *pr->dirty_sittings);
	pr->dirty_sittings[pr->n_dirty_sittings++] = ls;
	pr_arm_flush(pr);
}

void pr_touch(struct proctor *pr, struct rt_candidate *c)
{
	struct pr_cand *lc = c->live;
	struct pr_sitting *ls;
	if (!c->sitting || !lc || lc->dirty)
		return;
	ls = c->sitting->live;
	pr_queue_sitting(pr, ls);
	ls->dirty = pr_grow(ls->dirty, &ls->cap_dirty, ls->n_dirty + 1, sizeof *ls->dirty);
	ls->dirty[ls->n_dirty++] = c;
	lc->dirty = 1;
}

void pr_touch_sitting(struct proctor *pr, struct rt_sitting *st)
{
	struct pr_sitting *ls = st->live;
	pr_queue_sitting(pr, ls);
	ls->changed = 1;
}

/* Send each queued sitting's changed rows (one "rows" event) and, if the
 * sitting itself changed, a "sitting" event. */
static void pr_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proctor *pr = arg;
	int64_t now = clock_now_ms();
	(void)fd;
	(void)what;
	pr->flush_armed = 0;
	for (int i = 0; i < pr->n_dirty_sittings; i++) {
		struct pr_sitting *ls = pr->dirty_sittings[i];
		if (ls->changed) {
			json_t *s = pr_sitting_json(ls->st, 0, now);
			pr_publish(ls->st, "sitting", s);
			json_decref(s);
			ls->changed = 0;
		}
		if (ls->n_dirty) {
			json_t *rows = json_array(), *doc;
			for (int k = 0; k < ls->n_dirty; k++) {
				struct rt_candidate *c = ls->dirty[k];
				((struct pr_cand *)c->live)->dirty = 0;
				if (c->sitting == ls->st) /* may have moved since */
					json_array_append_new(rows, pr_row(pr, c, now));
			}
			ls->n_dirty = 0;
			doc = json_pack("{s:o,s:o,s:o}", "rows", rows, "counts", pr_counts(ls, now),
					"server_time", clock_json(now));
			pr_publish(ls->st, "rows", doc);
			json_decref(doc);
		}
	}
	pr->n_dirty_sittings = 0;
}

/* ---- the observer ------------------------------------------------------------ */

/* A second device or address at login (not after a proctor's reset). */
static void pr_check_seat(struct proctor *pr, struct rt_candidate *c, int64_t now)
{
	struct pr_cand *lc = c->live;
	/* Another device: another address, or (behind one NAT address) another
	 * browser fingerprint when both logins sent one. */
	int moved = lc->logins > 0 &&
		    (strcmp(lc->addr, c->seat_addr) != 0 ||
		     (lc->fp[0] && c->seat_fp[0] && strcmp(lc->fp, c->seat_fp) != 0));
	if (moved && !lc->reset_pending) {
		json_t *extra = json_pack("{s:s,s:s,s:s,s:s}", "from_addr", lc->addr, "from_fp",
					  lc->fp, "addr", c->seat_addr, "fp", c->seat_fp);
		pr_incident(pr, c, "second_device", -1, "server", extra, now);
	}
	lc->reset_pending = 0;
	lc->logins++;
	str_copy(lc->addr, sizeof lc->addr, c->seat_addr);
	str_copy(lc->fp, sizeof lc->fp, c->seat_fp);
}

/* Ten answers within twenty seconds: an implausible pace, flagged at most
 * once a minute. */
static void pr_check_speed(struct proctor *pr, struct rt_candidate *c, int64_t now)
{
	struct pr_cand *lc = c->live;
	int64_t oldest;
	lc->ans[lc->ans_i] = now;
	lc->ans_i = (lc->ans_i + 1) % UJ_SPEED_ANSWERS;
	if (lc->ans_n < UJ_SPEED_ANSWERS)
		lc->ans_n++;
	if (lc->ans_n < UJ_SPEED_ANSWERS)
		return;
	oldest = lc->ans[lc->ans_i]; /* the ring is full: the next slot holds the oldest */
	if (now - oldest < UJ_SPEED_WINDOW_MS && now - lc->speed_at >= 60000) {
		json_t *extra = json_pack("{s:i,s:I}", "answers", UJ_SPEED_ANSWERS, "within_ms",
					  (json_int_t)(now - oldest));
		lc->speed_at = now;
		pr_incident(pr, c, "speed", -1, "server", extra, now);
	}
}

static void proctor_observe(void *arg, struct rt_candidate *c, enum exam_change what)
{
	struct proctor *pr = arg;
	int64_t now = clock_now_ms();
	if (c->live) {
		struct pr_cand *lc = c->live;
		if (what == EXC_LOGIN)
			pr_check_seat(pr, c, now);
		else if (what == EXC_ANSWER)
			pr_check_speed(pr, c, now);
		else if (what == EXC_SEEN && lc->offline) {
			lc->offline = 0;
			lc->back_at = now;
		}
		pr_touch(pr, c);
	}
	if (pr->chain)
		pr->chain(pr->chain_arg, c, what);
}

/* ---- the tick: offline, token rotation ------------------------------------ */

static void pr_rotated(struct proctor_op *o)
{
	if (!o->op.failed)
		pr_touch_sitting(o->pr, o->st);
}

/* Rotate st's token now (by who), keeping the old one for the grace
 * period; RAM at once, the database through the writer. */
static void pr_rotate(struct proctor *pr, struct rt_sitting *st, struct actor who, int64_t now,
		      pop_then_fn then, void *arg)
{
	struct proctor_op *o = pop_new(pr, POP_SITTING, who, now);
	str_copy(st->prev_token, sizeof st->prev_token, st->token);
	pr_new_token(st->token);
	st->token_at = now;
	o->st = st;
	o->sitting_id = st->id;
	o->event = "sitting_token";
	o->detail = json_pack("{s:I,s:s}", "sitting", (json_int_t)st->id, "exam", st->exam->def.code);
	memcpy(o->token, st->token, sizeof o->token);
	memcpy(o->prev_token, st->prev_token, sizeof o->prev_token);
	o->token_at = st->token_at;
	o->started_at = st->started_at;
	o->closed_at = st->closed_at;
	pop_submit(pr, o, then ? then : pr_rotated, arg);
}

static void pr_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proctor *pr = arg;
	int64_t now = clock_now_ms();
	struct rt_sitting *st;
	size_t it = 0;
	(void)fd;
	(void)what;
	while ((st = hmap_next(&pr->sittings, &it))) {
		struct pr_sitting *ls = st->live;
		if (st->rotate_min > 0 && !st->closed_at && pr->x->w &&
		    now - st->token_at >= (int64_t)st->rotate_min * 60000)
			pr_rotate(pr, st, actor_system(), now, NULL, NULL);
		for (int i = 0; i < ls->n_cands; i++) {
			struct rt_candidate *c = ls->cands[i];
			struct pr_cand *lc = c->live;
			if (!lc->offline && c->last_seen && c->status != ATT_FINISHED &&
			    !pr_online(c, now)) {
				lc->offline = 1;
				lc->offline_since = c->last_seen;
				lc->back_at = 0;
				pr_touch(pr, c);
			}
		}
	}
}

/* ---- sittings and candidates: attaching the live state --------------------- */

void pr_new_token(char out[UJ_SITTING_TOKEN_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[UJ_SITTING_TOKEN_LEN];
	_Static_assert(sizeof alphabet - 1 == 32, "32 symbols: 5 bits each, no bias");
	rng_bytes(r, sizeof r);
	for (int i = 0; i < UJ_SITTING_TOKEN_LEN; i++)
		out[i] = alphabet[r[i] & 31];
	out[UJ_SITTING_TOKEN_LEN] = '\0';
}

/* Dashboard order: by registration number. */
static int pr_cand_cmp(const void *a, const void *b)
{
	return strcmp((*(struct rt_candidate *const *)a)->regno,
		      (*(struct rt_candidate *const *)b)->regno);
}

/* Rebuild every sitting's candidate list and attach the live state to new
 * sittings and candidates. */
static void pr_attach(struct proctor *pr)
{
	size_t it = 0;
	struct rt_exam *e;
	struct rt_sitting *st;

	while ((e = hmap_next(&pr->x->reg.exams, &it)))
		for (st = e->sittings; st; st = st->next) {
			struct pr_sitting *ls = st->live;
			if (!ls) {
				ls = xcalloc(1, sizeof *ls);
				ls->pr = pr;
				ls->st = st;
				ls->topic = sse_topic_new(pr->hub, "snapshot", pr_snapshot, ls);
				st->live = ls;
				hmap_put(&pr->sittings, &st->id, sizeof st->id, st);
			}
			ls->n_cands = 0;
		}
	for (struct rt_candidate *c = pr->x->reg.all; c; c = c->all_next) {
		struct pr_sitting *ls;
		if (!c->live)
			c->live = xcalloc(1, sizeof(struct pr_cand));
		if (!c->sitting)
			continue;
		ls = c->sitting->live;
		assert(ls);
		ls->cands = pr_grow(ls->cands, &ls->cap_cands, ls->n_cands + 1, sizeof *ls->cands);
		ls->cands[ls->n_cands++] = c;
	}
	it = 0;
	while ((st = hmap_next(&pr->sittings, &it))) {
		struct pr_sitting *ls = st->live;
		qsort(ls->cands, (size_t)ls->n_cands, sizeof *ls->cands, pr_cand_cmp);
		st->n_candidates = ls->n_cands;
	}
}

struct proctor *proctor_new(struct exam_rt *x, struct auth_rt *auth, struct sse_hub *hub)
{
	struct proctor *pr = xcalloc(1, sizeof *pr);
	struct timeval second = { 1, 0 };
	pr->x = x;
	pr->auth = auth;
	pr->hub = hub;
	hmap_init(&pr->sittings);
	pr->tick = event_new(x->base, -1, EV_PERSIST, pr_tick_cb, pr);
	pr->flush = evtimer_new(x->base, pr_flush_cb, pr);
	if (!pr->tick || !pr->flush)
		abort();
	evtimer_add(pr->tick, &second);
	x->observe = proctor_observe;
	x->observe_arg = pr;
	pr_attach(pr);
	return pr;
}

void proctor_chain(struct proctor *pr, exam_observe_fn fn, void *arg)
{
	pr->chain = fn;
	pr->chain_arg = arg;
}

void proctor_catalog_changed(struct proctor *pr)
{
	struct rt_sitting *st;
	size_t it = 0;
	pr_attach(pr);
	/* Candidates may have moved between sittings: every dashboard gets a
	 * fresh picture. */
	while ((st = hmap_next(&pr->sittings, &it))) {
		json_t *doc = proctor_dashboard_json(pr, st, 0, clock_now_ms());
		pr_publish(st, "snapshot", doc);
		json_decref(doc);
	}
}

static void pr_notices_free(struct pr_notice *n, int count)
{
	for (int i = 0; i < count; i++)
		free(n[i].text);
}

void proctor_free(struct proctor *pr)
{
	struct rt_sitting *st;
	size_t it = 0;
	if (!pr)
		return;
	event_free(pr->tick);
	event_free(pr->flush);
	while ((st = hmap_next(&pr->sittings, &it))) {
		struct pr_sitting *ls = st->live;
		sse_topic_free(ls->topic);
		pr_notices_free(ls->notices, ls->n_notices);
		free(ls->cands);
		free(ls->dirty);
		free(ls);
		st->live = NULL;
	}
	for (struct rt_candidate *c = pr->x->reg.all; c; c = c->all_next) {
		struct pr_cand *lc = c->live;
		if (lc)
			pr_notices_free(lc->notices, lc->n_notices);
		free(lc);
		c->live = NULL;
	}
	if (pr->x->observe_arg == pr)
		pr->x->observe = NULL;
	hmap_free(&pr->sittings);
	free(pr->dirty_sittings);
	free(pr);
}

/* ---- broadcasts ------------------------------------------------------------- */

/* Push a notice into a ring of UJ_NOTICES_KEPT (the oldest goes). */
static void pr_ring_push(struct pr_notice *ring, int *n, int *head, int64_t id, int64_t at,
			 const char *text)
{
	struct pr_notice *slot;
	if (*n < UJ_NOTICES_KEPT) {
		slot = &ring[(*head + *n) % UJ_NOTICES_KEPT];
		(*n)++;
	} else {
		slot = &ring[*head];
		free(slot->text);
		*head = (*head + 1) % UJ_NOTICES_KEPT;
	}
	slot->id = id;
	slot->at = at;
	slot->text = xstrdup(text);
}

void pr_notice_add(struct proctor *pr, struct rt_sitting *st, struct rt_candidate *c, int64_t id,
		   int64_t at, const char *text)
{
	(void)pr;
	if (c) {
		struct pr_cand *lc = c->live;
		pr_ring_push(lc->notices, &lc->n_notices, &lc->notice_head, id, at, text);
	} else {
		struct pr_sitting *ls = st->live;
		pr_ring_push(ls->notices, &ls->n_notices, &ls->notice_head, id, at, text);
	}
}

/* Append a ring's notices to arr. */
static void pr_ring_json(json_t *arr, const struct pr_notice *ring, int n, int head)
{
	for (int i = 0; i < n; i++) {
		const struct pr_notice *x = &ring[(head + i) % UJ_NOTICES_KEPT];
		json_array_append_new(arr, json_pack("{s:I,s:o,s:s}", "id", (json_int_t)x->id, "at",
						     clock_json(x->at), "text", x->text));
	}
}

static int pr_notice_cmp(const void *a, const void *b)
{
	int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
	int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));
	return (x < y) - (x > y); /* newest (highest id) first */
}

json_t *proctor_notices_json(const struct proctor *pr, const struct rt_candidate *c)
{
	json_t *all = json_array(), *out = json_array();
	const struct pr_cand *lc = c->live;
	json_t *items[2 * UJ_NOTICES_KEPT];
	size_t n;
	(void)pr;
	if (lc)
		pr_ring_json(all, lc->notices, lc->n_notices, lc->notice_head);
	if (c->sitting && c->sitting->live) {
		const struct pr_sitting *ls = c->sitting->live;
		pr_ring_json(all, ls->notices, ls->n_notices, ls->notice_head);
	}
	n = json_array_size(all);
	assert(n <= 2 * UJ_NOTICES_KEPT);
	for (size_t i = 0; i < n; i++)
		items[i] = json_array_get(all, i);
	qsort(items, n, sizeof *items, pr_notice_cmp);
	for (size_t i = 0; i < n && i < UJ_NOTICES_KEPT; i++)
		json_array_append(out, items[i]);
	json_decref(all);
	return out;
}

/* ---- reads ------------------------------------------------------------------ */

struct rt_sitting *proctor_sitting(const struct proctor *pr, int64_t id)
{
	return hmap_get(&pr->sittings, &id, sizeof id);
}

int proctor_may_see(const struct principal *p, const struct rt_sitting *st)
{
	if (p->kind != PRINCIPAL_STAFF)
		return 0;
	if (p->roles & (ROLE_ADMIN | ROLE_OBSERVER))
		return 1;
	if (!(p->roles & ROLE_PROCTOR))
		return 0;
	for (int i = 0; i < st->n_proctors; i++)
		if (st->proctor[i] == p->actor.id)
			return 1;
	for (int i = 0; i < p->staff.n_exams; i++)
		if (p->staff.exams[i] == st->exam->id)
			return 1;
	return 0;
}

/* Order of the sitting list: exam code, then scheduled start, then code. */
static int pr_sitting_cmp(const void *a, const void *b)
{
	const struct rt_sitting *x = *(const struct rt_sitting *const *)a;
	const struct rt_sitting *y = *(const struct rt_sitting *const *)b;
	int c = strcmp(x->exam->def.code, y->exam->def.code);
	if (c)
		return c;
	if (x->starts_at != y->starts_at)
		return x->starts_at < y->starts_at ? -1 : 1;
	return strcmp(x->code, y->code);
}

json_t *proctor_sittings_json(const struct proctor *pr, const struct principal *p, int64_t now)
{
	json_t *arr = json_array();
	struct rt_sitting *st, **list = xmalloc((pr->sittings.len + 1) * sizeof *list);
	size_t it = 0, n = 0;
	int actor = (p->roles & (ROLE_ADMIN | ROLE_PROCTOR)) != 0;
	while ((st = hmap_next(&pr->sittings, &it)))
		if (proctor_may_see(p, st))
			list[n++] = st;
	qsort(list, n, sizeof *list, pr_sitting_cmp);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, pr_sitting_json(list[i], actor, now));
	free(list);
	return json_pack("{s:o,s:o}", "sittings", arr, "server_time", clock_json(now));
}

int proctor_subscribe(struct proctor *pr, struct rt_sitting *st, struct evhttp_request *req)
{
	struct pr_sitting *ls = st->live;
	(void)pr;
	return sse_subscribe(ls->topic, req);
}

int proctor_must_wait(const struct rt_candidate *c)
{
	return c->sitting && c->sitting->start_together && !c->sitting->started_at;
}

/* ---- loading ---------------------------------------------------------------- */

int proctor_load(struct proctor *pr, sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct hmap byid;
	int rc = -1;

	hmap_init(&byid);
	for (struct rt_candidate *c = pr->x->reg.all; c; c = c->all_next)
		hmap_put(&byid, &c->id, sizeof c->id, c);
	/* The newest notices, oldest first so the rings keep the newest. */
	if (sqlite3_prepare_v2(db,
			       "SELECT id, sitting_id, candidate_id, at, body FROM notices"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 1), cid = sqlite3_column_int64(st, 2);
		struct rt_candidate *c = cid ? hmap_get(&byid, &cid, sizeof cid) : NULL;
		struct rt_sitting *s = sid ? proctor_sitting(pr, sid) : NULL;
		if (c || s)
			pr_notice_add(pr, s, c, sqlite3_column_int64(st, 0),
				      sqlite3_column_int64(st, 3),
				      (const char *)sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	/* Incident counts (the events of kind incident, by candidate). */
	if (sqlite3_prepare_v2(db,
			       "SELECT candidate_id, count(*) FROM events WHERE kind = 'incident'"
			       " AND candidate_id IS NOT NULL GROUP BY candidate_id",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		struct rt_candidate *c = hmap_get(&byid, &cid, sizeof cid);
		if (c)
			c->incidents = sqlite3_column_int(st, 1);
	}
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "proctoring: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	hmap_free(&byid);
	return rc;
}
