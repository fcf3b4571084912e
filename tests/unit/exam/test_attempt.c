/* test_attempt.c - the life of an attempt: start, answers, position, finish,
 * the deadline (checked and by timer), durability barriers, recovery after a
 * restart (server/exam/attempt.c).
 *
 * The in-RAM exam and candidates are built by hand as the loader builds them
 * (see test_registry.c); the database is real (db_open + db_migrate, the
 * catalog rows the foreign keys need) and written by a real writer thread, or
 * by wr_apply_now during recovery (writer not running). */
#include "unit.h"
#include "unit_loop.h"
#include "unit_exam.h"

#include "core/clock.h"
#include "core/mailbox.h"
#include "core/mem.h"
#include "exam/attempt.h"
#include "store/db.h"
#include "store/writer.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- the exam: two sections, four questions ----
 *
 * TWK right/wrong 5/0/0: q1 (key: bank option B; shown through perm 3,2,1,0,
 * so label C is right), q2 (key: D, identity perm).
 * TKP weighted, options worth 1..5: q3 (identity: label E = 5), q4 (perm
 * 4,3,2,1,0: label A = 5). Each section's maximum is 10. */
static const struct section_rule rules[2] = {
	{ .code = "TWK", .type = SCORING_RIGHT_WRONG, .correct = 5, .wrong = 0, .blank = 0 },
	{ .code = "TKP", .type = SCORING_WEIGHTED, .blank = 0 },
};
static struct rt_item items[4] = {
	{ .id = 1, .section = "TWK", .n_options = 4, .value = { 0, 1, 0, 0 } },
	{ .id = 2, .section = "TWK", .n_options = 4, .value = { 0, 0, 0, 1 } },
	{ .id = 3, .section = "TKP", .n_options = 5, .value = { 1, 2, 3, 4, 5 } },
	{ .id = 4, .section = "TKP", .n_options = 5, .value = { 1, 2, 3, 4, 5 } },
};
static const uint8_t perms[4][UJ_OPTIONS_MAX] = {
	{ 3, 2, 1, 0 }, { 0, 1, 2, 3 }, { 0, 1, 2, 3, 4 }, { 4, 3, 2, 1, 0 }
};

static struct rt_exam *add_exam(struct registry *r, int64_t id, const char *code, int duration_s)
{
	struct rt_exam *e = unit_exam_add(r, id, code, duration_s, 2, 4);
	str_copy(e->def.sec[0].code, sizeof e->def.sec[0].code, "TWK");
	str_copy(e->def.sec[1].code, sizeof e->def.sec[1].code, "TKP");
	/* Pass: total >= 12 and TKP >= 6. */
	e->def.n_rules = 1;
	str_copy(e->def.rules[0].track, sizeof e->def.rules[0].track, "umum");
	e->def.rules[0].has_total = 1;
	e->def.rules[0].total = 12;
	e->def.rules[0].n_min = 1;
	e->def.rules[0].min_section[0] = 1;
	e->def.rules[0].min_value[0] = 6;
	e->section_from[1] = 3;
	return e;
}

static struct rt_candidate *add_candidate(struct registry *r, struct rt_exam *e, int64_t id,
					  const char *regno, int extra_s)
{
	struct rt_candidate *c = unit_candidate_add(r, e, id, regno, extra_s);
	str_copy(c->track, sizeof c->track, "umum");
	c->rule = &e->def.rules[0];
	for (int i = 0; i < c->n; i++) {
		c->q[i].item = &items[i];
		c->q[i].section = (uint8_t)(i < 2 ? 0 : 1);
		c->q[i].rule = &rules[c->q[i].section];
		c->q[i].n_options = (uint8_t)items[i].n_options;
		memcpy(c->q[i].perm, perms[i], sizeof c->q[i].perm);
	}
	return c;
}

/* ---- fixture ---- */

struct fx {
	char dir[64], path[128];
	struct event_base *base;
	struct mailbox *mb;
	struct event *tick;
	sqlite3 *ro; /* read-only observer */
	struct exam_rt x;
	struct rt_exam *e;       /* 3600 s */
	struct rt_exam *e_short; /* 1 s */
	struct rt_candidate *c[7]; /* c[1..6], ids 1..6 */
};

static const char catalog_sql[] =
	"INSERT INTO banks (id, code) VALUES (1, 'BANK');"
	"INSERT INTO bank_versions (id, bank_id, version_no, title, sections_json, source_sha256,"
	" imported_at) VALUES (1, 1, 1, 'Bank', '[]', '', 0);"
	"UPDATE banks SET current_version_id = 1;"
	"INSERT INTO exams (id, code, bank_id, definition_json, created_at) VALUES"
	" (1, 'EX-1', 1, '{}', 0), (2, 'EX-SHORT', 1, '{}', 0);"
	"INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s, pw_hash,"
	" created_at) VALUES (1, 1, '0001', 'A', 'umum', 0, x'00', 0),"
	" (2, 1, '0002', 'B', 'umum', 0, x'00', 0), (3, 1, '0003', 'C', 'umum', 0, x'00', 0),"
	" (4, 1, '0004', 'D', 'umum', 0, x'00', 0), (5, 2, '0005', 'E', 'umum', 0, x'00', 0),"
	" (6, 2, '0006', 'F', 'umum', 1, x'00', 0);";

/* A database with the catalog rows, a loop, a mailbox, the registry; a
 * writer when with_writer (recovery runs without one). Candidates 1-4 sit
 * EX-1, 5-6 EX-SHORT (6 with 1 s extra time). */
static void fx_open(struct fx *f, int with_writer)
{
	char err[256] = "";
	struct timeval tv = { 0, 10000 };
	sqlite3 *db;
	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-attempt-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/a.db", f->dir);
	db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	if (!db || db_migrate(db, err, sizeof err) || db_exec(db, catalog_sql, err, sizeof err))
		fail_msg("database: %s", err);
	db_close(db);
	f->ro = db_open(f->path, DB_OPEN_READONLY, err, sizeof err);
	assert_non_null(f->ro);
	f->base = event_base_new();
	assert_non_null(f->base);
	f->mb = mailbox_new(f->base);
	assert_non_null(f->mb);
	f->tick = event_new(f->base, -1, EV_PERSIST, unit_tick_cb, NULL);
	assert_non_null(f->tick);
	assert_int_equal(event_add(f->tick, &tv), 0);

	registry_init(&f->x.reg);
	f->x.base = f->base;
	f->e = add_exam(&f->x.reg, 1, "EX-1", 3600);
	f->e_short = add_exam(&f->x.reg, 2, "EX-SHORT", 1);
	for (int i = 1; i <= 6; i++) {
		char regno[16];
		snprintf(regno, sizeof regno, "%04d", i);
		f->c[i] = add_candidate(&f->x.reg, i <= 4 ? f->e : f->e_short, i, regno, i == 6);
	}
	if (with_writer) {
		f->x.w = writer_start(f->path, f->mb, 0, 0, err, sizeof err);
		if (!f->x.w)
			fail_msg("writer_start: %s", err);
	}
}

static void fx_close(struct fx *f)
{
	char p[160];
	if (f->x.w) {
		writer_stop(f->x.w);
		mailbox_drain(f->mb);
	}
	registry_free(&f->x.reg);
	db_close(f->ro);
	event_free(f->tick);
	mailbox_free(f->mb);
	event_base_free(f->base);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	assert_int_equal(rmdir(f->dir), 0);
}

/* ---- reading the database ---- */

static sqlite3_stmt *prep(sqlite3 *db, const char *fmt, va_list ap)
{
	char sql[512];
	sqlite3_stmt *st;
	vsnprintf(sql, sizeof sql, fmt, ap);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	return st;
}

/* The integer in the first column of the first row; dflt if no row or NULL. */
static int64_t qi(sqlite3 *db, int64_t dflt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int64_t qi(sqlite3 *db, int64_t dflt, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	int64_t v = dflt;
	va_start(ap, fmt);
	st = prep(db, fmt, ap);
	va_end(ap);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text in the first column of the first row (caller frees); NULL if no
 * row or NULL. */
static char *qs(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *qs(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *st;
	char *v = NULL;
	va_start(ap, fmt);
	st = prep(db, fmt, ap);
	va_end(ap);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* assert that the text query gives want (NULL: SQL NULL or no row). */
static void assert_qs(sqlite3 *db, const char *want, const char *sql)
{
	char *got = qs(db, "%s", sql);
	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", sql, got ? got : "NULL", want ? want : "NULL");
	free(got);
}

static int64_t n_events(sqlite3 *db, int64_t cand, const char *kind)
{
	return qi(db, -1, "SELECT count(*) FROM events WHERE candidate_id = %lld AND kind = '%s'",
		  (long long)cand, kind);
}

/* ---- then callbacks ---- */

struct then_rec {
	int runs;
	int ok;                  /* the ok the domain reported */
	int order;               /* value of then_seq when it ran */
	int pending;             /* c->pending inside then */
	sqlite3 *ro;             /* if set: what the database showed inside then */
	int64_t att_rows, ans_rev, position;
};

static int then_seq;

static void then_cb(struct rt_candidate *c, int ok, void *arg)
{
	struct then_rec *t = arg;
	t->runs++;
	t->ok = ok;
	t->order = ++then_seq;
	t->pending = c->pending;
	if (t->ro) {
		t->att_rows = qi(t->ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = %lld",
				 (long long)c->id);
		t->ans_rev = qi(t->ro, -1, "SELECT max(rev) FROM answers WHERE candidate_id = %lld",
				(long long)c->id);
		t->position = qi(t->ro, -1, "SELECT position FROM attempts WHERE candidate_id = %lld",
				 (long long)c->id);
	}
}

/* Start c at now and wait until the start is durable. */
static void start_durable(struct fx *f, struct rt_candidate *c, int64_t now)
{
	struct then_rec t = { 0 };
	attempt_start(&f->x, c, now, then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 1);
}

/* Record an answer and wait until it is durable. */
static void answer_durable(struct fx *f, struct rt_candidate *c, int n, int label, uint32_t rev)
{
	struct then_rec t = { 0 };
	struct answer_rec rec = { .n = n, .label = label, .flagged = 0, .rev = rev };
	attempt_answer(&f->x, c, &rec, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 1);
}

static void wait_durable(struct fx *f, struct rt_candidate *c)
{
	struct then_rec t = { 0 };
	attempt_when_durable(&f->x, c, then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(c->pending, 0);
}

/* Seconds until the timer's expiry as event_pending reports it. */
static int64_t timer_left_ms(struct event *ev)
{
	struct timeval at, now;
	assert_non_null(ev);
	assert_true(event_pending(ev, EV_TIMEOUT, &at));
	gettimeofday(&now, NULL);
	return ((int64_t)at.tv_sec - now.tv_sec) * 1000 + (at.tv_usec - now.tv_usec) / 1000;
}

/* ---- tests ---- */

/* attempt_exam_open: inside [opens_at, closes_at); 0 means no limit. */
static void test_exam_open(void **state)
{
	(void)state;
	struct rt_exam e;
	memset(&e, 0, sizeof e);
	assert_true(attempt_exam_open(&e, 5));
	e.def.opens_at = 1000;
	assert_false(attempt_exam_open(&e, 999));
	assert_true(attempt_exam_open(&e, 1000));
	e.def.closes_at = 2000;
	assert_true(attempt_exam_open(&e, 1999));
	assert_false(attempt_exam_open(&e, 2000));
	e.def.opens_at = 0;
	assert_true(attempt_exam_open(&e, 1));
	assert_false(attempt_exam_open(&e, 2001));
}

/* attempt_start: RAM at once (in progress, clock, position 1, timer armed at
 * the deadline, one op pending); then runs after the commit; an attempts row
 * and one 'start' event by the candidate. */
static void test_start(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	int64_t now = clock_now_ms();
	t.ro = f.ro;

	attempt_start(&f.x, c, now, then_cb, &t);
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->started_at, now);
	assert_int_equal(c->credit_ms, 0);
	assert_int_equal(c->position, 1);
	assert_int_equal(c->pending, 1);
	assert_int_equal(t.runs, 0); /* not before the commit */
	int64_t left = timer_left_ms(c->deadline_ev);
	assert_true(left > 3600000 - 10000 && left <= 3600000 + 1000);

	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.att_rows, 1); /* durable when then runs */

	assert_qs(f.ro, "in_progress", "SELECT status FROM attempts WHERE candidate_id = 1");
	assert_int_equal(qi(f.ro, -1, "SELECT started_at FROM attempts WHERE candidate_id = 1"), now);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 1"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 1"), 1);
	assert_int_equal(qi(f.ro, -2, "SELECT finished_at FROM attempts WHERE candidate_id = 1"), -2);
	assert_int_equal(n_events(f.ro, 1, "start"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events"), 1);
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'start'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'start'"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'start'"), now);
	assert_qs(f.ro, NULL, "SELECT detail FROM events WHERE kind = 'start'");
	assert_qs(f.ro, NULL, "SELECT n FROM events WHERE kind = 'start'");

	/* Nobody else started. */
	assert_int_equal(f.c[2]->status, ATT_NOT_STARTED);
	assert_null(f.c[2]->deadline_ev);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts"), 1);
	fx_close(&f);
}

/* attempt_answer with a newer rev changes RAM at once and writes the answer
 * row and an 'answer' event; an equal or older rev changes nothing, reports
 * the stored state in *rec and still runs then (at once when nothing is in
 * flight, after the commit of the newer one otherwise). */
static void test_answer_revisions(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());

	struct then_rec t1 = { .ro = f.ro };
	struct answer_rec r1 = { .n = 2, .label = 3, .flagged = 1, .rev = 5 };
	int64_t at1 = clock_now_ms();
	attempt_answer(&f.x, c, &r1, at1, then_cb, &t1);
	assert_int_equal(c->ans[1].label, 3);
	assert_int_equal(c->ans[1].flagged, 1);
	assert_int_equal(c->ans[1].rev, 5);
	assert_int_equal(c->pending, 1);
	assert_int_equal(t1.runs, 0);
	UNIT_WAIT_FOR(f.base, t1.runs == 1);
	assert_int_equal(t1.runs, 1);
	assert_int_equal(t1.ans_rev, 5);
	assert_int_equal(r1.label, 3);
	assert_int_equal(r1.rev, 5);
	assert_qs(f.ro, "D", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM answers WHERE candidate_id = 1 AND n = 2"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM answers WHERE candidate_id = 1 AND n = 2"), 5);
	assert_int_equal(qi(f.ro, -1, "SELECT updated_at FROM answers WHERE candidate_id = 1 AND n = 2"),
			 at1);
	assert_int_equal(n_events(f.ro, 1, "answer"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT n FROM events WHERE kind = 'answer'"), 2);
	assert_qs(f.ro, "D", "SELECT label FROM events WHERE kind = 'answer'");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM events WHERE kind = 'answer'"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM events WHERE kind = 'answer'"), 5);
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'answer'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'answer'"), 1);

	/* Equal rev, nothing in flight: then runs at once with the stored state. */
	struct then_rec t2 = { 0 };
	struct answer_rec r2 = { .n = 2, .label = 0, .flagged = 0, .rev = 5 };
	attempt_answer(&f.x, c, &r2, clock_now_ms(), then_cb, &t2);
	assert_int_equal(t2.runs, 1);
	assert_int_equal(r2.n, 2);
	assert_int_equal(r2.label, 3);
	assert_int_equal(r2.flagged, 1);
	assert_int_equal(r2.rev, 5);
	assert_int_equal(c->ans[1].label, 3);
	assert_int_equal(c->pending, 0);

	/* Older rev: the same. */
	struct then_rec t3 = { 0 };
	struct answer_rec r3 = { .n = 2, .label = 1, .flagged = 0, .rev = 4 };
	attempt_answer(&f.x, c, &r3, clock_now_ms(), then_cb, &t3);
	assert_int_equal(t3.runs, 1);
	assert_int_equal(r3.label, 3);
	assert_int_equal(r3.rev, 5);
	assert_int_equal(c->ans[1].rev, 5);

	/* A newer one clearing the answer, then at once a stale one: the stale
	 * one reports rev 7 and its then runs after rev 7 is durable. */
	struct then_rec t4 = { .ro = f.ro }, t5 = { .ro = f.ro };
	struct answer_rec r4 = { .n = 2, .label = -1, .flagged = 0, .rev = 7 };
	struct answer_rec r5 = { .n = 2, .label = 2, .flagged = 1, .rev = 6 };
	then_seq = 0;
	attempt_answer(&f.x, c, &r4, clock_now_ms(), then_cb, &t4);
	attempt_answer(&f.x, c, &r5, clock_now_ms(), then_cb, &t5);
	assert_int_equal(r5.label, -1);
	assert_int_equal(r5.flagged, 0);
	assert_int_equal(r5.rev, 7);
	assert_int_equal(t5.runs, 0); /* rev 7 is still in flight */
	UNIT_WAIT_FOR(f.base, t4.runs == 1 && t5.runs == 1);
	assert_int_equal(t4.runs, 1);
	assert_int_equal(t5.runs, 1);
	assert_int_equal(t4.order, 1);
	assert_int_equal(t5.order, 2);
	assert_int_equal(t5.ans_rev, 7);
	assert_int_equal(c->ans[1].label, -1);
	assert_int_equal(c->ans[1].flagged, 0);
	assert_qs(f.ro, NULL, "SELECT label FROM answers WHERE candidate_id = 1 AND n = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT rev FROM answers WHERE candidate_id = 1 AND n = 2"), 7);
	assert_int_equal(n_events(f.ro, 1, "answer"), 2); /* the stale ones wrote nothing */
	assert_qs(f.ro, NULL, "SELECT label FROM events WHERE kind = 'answer' AND rev = 7");
	assert_int_equal(qi(f.ro, -1, "SELECT n FROM events WHERE kind = 'answer' AND rev = 7"), 2);

	/* Other questions are independent (the last one, first rev 1); flagged is stored as 0/1. */
	struct then_rec t6 = { 0 };
	struct answer_rec r6 = { .n = 4, .label = 4, .flagged = 2, .rev = 1 };
	attempt_answer(&f.x, c, &r6, clock_now_ms(), then_cb, &t6);
	assert_int_equal(c->ans[3].flagged, 1);
	UNIT_WAIT_FOR(f.base, t6.runs == 1);
	assert_qs(f.ro, "E", "SELECT label FROM answers WHERE candidate_id = 1 AND n = 4");
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM answers WHERE candidate_id = 1 AND n = 4"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT flagged FROM events WHERE kind = 'answer' AND n = 4"), 1);
	assert_int_equal(c->ans[1].rev, 7);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM answers"), 2);
	fx_close(&f);
}

/* attempt_position: RAM at once, the row after the commit. */
static void test_position(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());
	t.ro = f.ro;

	attempt_position(&f.x, c, 3, clock_now_ms(), then_cb, &t);
	assert_int_equal(c->position, 3);
	assert_int_equal(c->pending, 1);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.position, 3);
	attempt_position(&f.x, c, 4, clock_now_ms(), NULL, NULL); /* then may be NULL */
	assert_int_equal(c->position, 4);
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 1"), 4);
	assert_int_equal(qi(f.ro, -1, "SELECT position FROM attempts WHERE candidate_id = 2"), -1);
	fx_close(&f);
}

/* attempt_finish by the candidate: finished in RAM at once with scores from
 * the answers (TWK 5/10, TKP 10/10, total 15, passed), timer released; the
 * row has the scores; exactly one 'finish' event whose detail is exactly
 * {"reason":"submitted","total":15}, by the candidate. */
static void test_finish_submitted(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec t = { 0 };
	json_error_t je;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[2];
	start_durable(&f, c, clock_now_ms());
	answer_durable(&f, c, 1, 2, 1); /* C -> bank option B: right, 5 */
	answer_durable(&f, c, 3, 4, 1); /* E -> 5 */
	answer_durable(&f, c, 4, 0, 1); /* A -> bank option 5th: 5 */
	/* q2 stays blank: 0 */
	int n_ev = event_base_get_num_events(f.base, EVENT_BASE_COUNT_ADDED);
	int64_t fin = clock_now_ms() + 5, before = clock_now_ms();

	attempt_finish(&f.x, c, FINISH_SUBMITTED, fin, then_cb, &t);
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_SUBMITTED);
	assert_int_equal(c->finished_at, fin);
	assert_null(c->deadline_ev);
	assert_int_equal(event_base_get_num_events(f.base, EVENT_BASE_COUNT_ADDED), n_ev - 1);
	assert_int_equal(c->score[0], 5);
	assert_int_equal(c->max[0], 10);
	assert_int_equal(c->score[1], 10);
	assert_int_equal(c->max[1], 10);
	assert_int_equal(c->total, 15);
	assert_int_equal(c->max_total, 20);
	assert_int_equal(c->passed, 1);
	assert_int_equal(t.runs, 0);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.pending, 0);

	assert_qs(f.ro, "finished", "SELECT status FROM attempts WHERE candidate_id = 2");
	assert_qs(f.ro, "submitted", "SELECT finish_reason FROM attempts WHERE candidate_id = 2");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 2"), fin);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 2"), 15);
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 2"), 1);
	char *sj = qs(f.ro, "SELECT scores_json FROM attempts WHERE candidate_id = 2");
	assert_non_null(sj);
	json_t *arr = json_loads(sj, 0, &je);
	assert_non_null(arr);
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), 2);
	json_t *s0 = json_array_get(arr, 0), *s1 = json_array_get(arr, 1);
	assert_string_equal(json_string_value(json_object_get(s0, "code")), "TWK");
	assert_int_equal(json_integer_value(json_object_get(s0, "score")), 5);
	assert_int_equal(json_integer_value(json_object_get(s0, "max")), 10);
	assert_string_equal(json_string_value(json_object_get(s1, "code")), "TKP");
	assert_int_equal(json_integer_value(json_object_get(s1, "score")), 10);
	assert_int_equal(json_integer_value(json_object_get(s1, "max")), 10);
	json_decref(arr);
	free(sj);
	sj = attempt_scores_json(c); /* what was stored is this */
	assert_qs(f.ro, sj, "SELECT scores_json FROM attempts WHERE candidate_id = 2");
	free(sj);

	assert_int_equal(n_events(f.ro, 2, "finish"), 1);
	assert_qs(f.ro, "{\"reason\":\"submitted\",\"total\":15}",
		  "SELECT detail FROM events WHERE kind = 'finish'");
	assert_qs(f.ro, "candidate", "SELECT actor_kind FROM events WHERE kind = 'finish'");
	assert_int_equal(qi(f.ro, -1, "SELECT actor_id FROM events WHERE kind = 'finish'"), 2);
	int64_t at = qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish'");
	assert_true(at >= before && at <= clock_now_ms());

	/* Finished: the deadline check has nothing more to do. */
	assert_int_equal(attempt_expire_if_due(&f.x, c, fin + 10000000), 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(n_events(f.ro, 2, "finish"), 1);
	fx_close(&f);
}

/* attempt_expire_if_due: 0 before the deadline (nothing submitted), and at
 * or after it finishes the attempt at the deadline (not at now) with reason
 * time_up by the system; afterwards it keeps saying 1 without another
 * finish. Not started: 0. */
static void test_expire_if_due(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[3];
	int64_t t0 = clock_now_ms();

	assert_int_equal(attempt_expire_if_due(&f.x, f.c[4], t0 + 99999999), 0);
	assert_int_equal(f.c[4]->status, ATT_NOT_STARTED);
	assert_int_equal(f.c[4]->pending, 0);

	start_durable(&f, c, t0);
	answer_durable(&f, c, 1, 1, 1); /* B -> bank option C: wrong, 0 */
	answer_durable(&f, c, 3, 0, 1); /* A -> 1 */
	int64_t deadline = t0 + 3600 * 1000;
	assert_int_equal(registry_deadline(c), deadline);

	assert_int_equal(attempt_expire_if_due(&f.x, c, t0 + 1000), 0);
	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline - 1), 0);
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->pending, 0);
	assert_non_null(c->deadline_ev);

	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 5000), 1);
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_TIME_UP);
	assert_int_equal(c->finished_at, deadline);
	assert_null(c->deadline_ev);
	assert_int_equal(c->total, 1);
	assert_int_equal(c->passed, 0);
	assert_int_equal(c->pending, 1);
	wait_durable(&f, c);

	assert_qs(f.ro, "finished", "SELECT status FROM attempts WHERE candidate_id = 3");
	assert_qs(f.ro, "time_up", "SELECT finish_reason FROM attempts WHERE candidate_id = 3");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 3"),
			 deadline);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 3"), 1);
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 3"), 0);
	assert_int_equal(n_events(f.ro, 3, "finish"), 1);
	assert_qs(f.ro, "{\"reason\":\"time_up\",\"total\":1}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 3");
	assert_qs(f.ro, "system",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 3");
	assert_int_equal(
		qi(f.ro, -2, "SELECT actor_id FROM events WHERE kind = 'finish' AND candidate_id = 3"),
		-2);

	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 9000), 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(c->finished_at, deadline);
	fx_close(&f);
}

/* The deadline timer alone finishes an attempt through the event loop, with
 * no request: a 1 s exam, and 1 s + 1 s extra time; each finished at its own
 * deadline, time_up, by the system, never before the deadline. */
static void test_deadline_timer(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *a = f.c[5], *b = f.c[6];
	int64_t now = clock_now_ms();

	attempt_start(&f.x, a, now, NULL, NULL);
	attempt_start(&f.x, b, now, NULL, NULL);
	assert_non_null(a->deadline_ev);
	assert_true(timer_left_ms(a->deadline_ev) <= 1000 + 50);
	assert_true(timer_left_ms(b->deadline_ev) > 1500); /* its extra second counts */
	UNIT_WAIT_FOR(f.base, a->status == ATT_FINISHED && b->status == ATT_FINISHED && a->pending == 0 &&
				 b->pending == 0);
	assert_int_equal(a->status, ATT_FINISHED);
	assert_int_equal(b->status, ATT_FINISHED);
	assert_int_equal(a->pending, 0);
	assert_int_equal(b->pending, 0);
	assert_int_equal(a->reason, FINISH_TIME_UP);
	assert_int_equal(b->reason, FINISH_TIME_UP);
	assert_int_equal(a->finished_at, now + 1000);
	assert_int_equal(b->finished_at, now + 2000);
	assert_null(a->deadline_ev);
	assert_null(b->deadline_ev);

	assert_qs(f.ro, "time_up", "SELECT finish_reason FROM attempts WHERE candidate_id = 5");
	assert_int_equal(qi(f.ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = 6"),
			 now + 2000);
	assert_qs(f.ro, "{\"reason\":\"time_up\",\"total\":0}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 5");
	assert_qs(f.ro, "system",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 6");
	/* The timer finished no earlier than the deadline, by the server clock. */
	assert_true(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish' AND candidate_id = 5") >=
		    now + 1000);
	assert_true(qi(f.ro, -1, "SELECT at FROM events WHERE kind = 'finish' AND candidate_id = 6") >=
		    now + 2000);
	fx_close(&f);
}

/* attempt_when_durable: at once (synchronously) when nothing is in flight,
 * submitting nothing; otherwise after the commit of what was submitted
 * before, in order. */
static void test_when_durable(void **state)
{
	(void)state;
	struct fx f;
	struct then_rec tp = { 0 }, td = { 0 };
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[1];
	start_durable(&f, c, clock_now_ms());

	attempt_when_durable(&f.x, c, then_cb, &td);
	assert_int_equal(td.runs, 1);
	assert_int_equal(c->pending, 0);
	assert_int_equal(writer_backlog(f.x.w), 0);

	td = (struct then_rec){ .ro = f.ro };
	then_seq = 0;
	attempt_position(&f.x, c, 2, clock_now_ms(), then_cb, &tp);
	attempt_when_durable(&f.x, c, then_cb, &td);
	assert_int_equal(td.runs, 0);
	assert_int_equal(c->pending, 2);
	UNIT_WAIT_FOR(f.base, td.runs == 1);
	assert_int_equal(tp.runs, 1);
	assert_int_equal(td.runs, 1);
	assert_int_equal(tp.order, 1);
	assert_int_equal(td.order, 2);
	assert_int_equal(td.position, 2);
	assert_int_equal(td.pending, 0);
	fx_close(&f);
}

/* ---- recovery ---- */

#define T_NOW 1795395600000LL /* the pinned clock of the recovery tests */

/* The attempts row matching c's RAM state. */
static void put_attempt(sqlite3 *db, const struct rt_candidate *c)
{
	char sql[256], err[256] = "";
	snprintf(sql, sizeof sql,
		 "INSERT INTO attempts (candidate_id, status, started_at, credit_ms) VALUES"
		 " (%lld, '%s', %lld, %lld)",
		 (long long)c->id, attempt_status_names[c->status], (long long)c->started_at,
		 (long long)c->credit_ms);
	if (db_exec(db, sql, err, sizeof err))
		fail_msg("%s", err);
}

/* Candidates 1-4 on the 3600 s exam, as a restart finds them at T_NOW with
 * the server last alive at T_NOW - 60 s:
 *   1 running since T-10 min (deadline far ahead);
 *   2 running, deadline T-100 s: ran out before the server stopped;
 *   3 running, deadline T-30 s: ran out while the server was down;
 *   4 running, started T-10 s: after the last heartbeat;
 *   5 finished earlier; 6 not started. */
static sqlite3 *recovery_setup(struct fx *f, int64_t heartbeat)
{
	char err[256] = "";
	sqlite3 *db = db_open(f->path, DB_OPEN_EXISTING, err, sizeof err);
	assert_non_null(db);
	int64_t started[5] = { 0, T_NOW - 600000, T_NOW - 3700000, T_NOW - 3630000, T_NOW - 10000 };
	for (int i = 1; i <= 4; i++) {
		f->c[i]->status = ATT_IN_PROGRESS;
		f->c[i]->started_at = started[i];
		f->c[i]->position = 1;
		put_attempt(db, f->c[i]);
	}
	f->c[2]->ans[0].label = 2; /* right: 5 */
	f->c[2]->ans[0].rev = 1;
	f->c[5]->status = ATT_FINISHED;
	f->c[5]->reason = FINISH_SUBMITTED;
	f->c[5]->started_at = T_NOW - 900000;
	f->c[5]->finished_at = T_NOW - 899000;
	put_attempt(db, f->c[5]);
	assert_int_equal(db_exec(db,
				 "UPDATE attempts SET status = 'finished', finished_at = 1,"
				 " finish_reason = 'submitted' WHERE candidate_id = 5",
				 err, sizeof err),
			 0);
	/* An older event: the heartbeat is the last sign of life. */
	assert_int_equal(db_exec(db,
				 "INSERT INTO events (at, candidate_id, kind, actor_kind)"
				 " VALUES (1795395500000, 1, 'login', 'candidate')",
				 err, sizeof err),
			 0);
	if (heartbeat)
		assert_int_equal(db_meta_set(db, "heartbeat_ms", heartbeat), 0);
	return db;
}

static int64_t credit_of(sqlite3 *db, int64_t cand)
{
	return qi(db, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = %lld", (long long)cand);
}

static void check_finished_by_recovery(struct fx *f, struct rt_candidate *c, int64_t deadline,
				       int total)
{
	char want[64];
	char sql[160];
	assert_int_equal(c->status, ATT_FINISHED);
	assert_int_equal(c->reason, FINISH_TIME_UP);
	assert_int_equal(c->finished_at, deadline);
	assert_int_equal(c->total, total);
	assert_null(c->deadline_ev);
	assert_int_equal(qi(f->ro, -1, "SELECT finished_at FROM attempts WHERE candidate_id = %lld",
			    (long long)c->id),
			 deadline);
	snprintf(sql, sizeof sql, "SELECT finish_reason FROM attempts WHERE candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "time_up", sql);
	snprintf(sql, sizeof sql, "SELECT status FROM attempts WHERE candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "finished", sql);
	assert_int_equal(n_events(f->ro, c->id, "finish"), 1);
	snprintf(want, sizeof want, "{\"reason\":\"time_up\",\"total\":%d}", total);
	snprintf(sql, sizeof sql, "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, want, sql);
	snprintf(sql, sizeof sql,
		 "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "system", sql);
	assert_int_equal(qi(f->ro, -2,
			    "SELECT actor_id FROM events WHERE kind = 'finish' AND candidate_id = %lld",
			    (long long)c->id),
			 -2);
}

static void check_credit(struct fx *f, struct rt_candidate *c, int64_t delta)
{
	char want[64], sql[200];
	assert_int_equal(c->status, ATT_IN_PROGRESS);
	assert_int_equal(c->credit_ms, delta);
	assert_int_equal(credit_of(f->ro, c->id), delta);
	assert_int_equal(qi(f->ro, -1, "SELECT count(*) FROM time_ledger WHERE candidate_id = %lld",
			    (long long)c->id),
			 1);
	assert_int_equal(qi(f->ro, -1,
			    "SELECT delta_ms FROM time_ledger WHERE candidate_id = %lld"
			    " AND kind = 'outage_credit' AND at = %lld",
			    (long long)c->id, T_NOW),
			 delta);
	char *note = qs(f->ro, "SELECT note FROM time_ledger WHERE candidate_id = %lld",
			(long long)c->id);
	assert_non_null(note);
	assert_true(strlen(note) > 0);
	free(note);
	assert_int_equal(n_events(f->ro, c->id, "outage_credit"), 1);
	snprintf(want, sizeof want, "{\"delta_ms\":%lld}", (long long)delta);
	snprintf(sql, sizeof sql,
		 "SELECT detail FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, want, sql);
	snprintf(sql, sizeof sql,
		 "SELECT actor_kind FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
		 (long long)c->id);
	assert_qs(f->ro, "system", sql);
	assert_int_equal(qi(f->ro, -1,
			    "SELECT at FROM events WHERE kind = 'outage_credit' AND candidate_id = %lld",
			    (long long)c->id),
			 T_NOW);
	assert_non_null(c->deadline_ev);
	assert_true(event_pending(c->deadline_ev, EV_TIMEOUT, NULL));
}

/* Outage credit on: running attempts get the downtime since the last
 * heartbeat (or since their start, if later) in RAM and in the database,
 * with a ledger row and an 'outage_credit' event; an attempt whose time ran
 * out before the server stopped is finished at its deadline exactly as the
 * timer would (time_up, by the system); finished and unstarted candidates are
 * untouched; the timers are armed; recovery writes its own heartbeat. */
static void test_recover_with_credit(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);

	check_credit(&f, f.c[1], 60000);
	check_finished_by_recovery(&f, f.c[2], T_NOW - 100000, 5);
	check_credit(&f, f.c[3], 60000); /* was still running when the server stopped */
	assert_int_equal(registry_deadline(f.c[3]), T_NOW + 30000);
	check_credit(&f, f.c[4], 10000); /* from its start */
	assert_int_equal(f.c[5]->status, ATT_FINISHED);
	assert_int_equal(f.c[5]->credit_ms, 0);
	assert_null(f.c[5]->deadline_ev);
	assert_int_equal(f.c[6]->status, ATT_NOT_STARTED);
	assert_null(f.c[6]->deadline_ev);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE candidate_id IN (5, 6)"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 3);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE kind = 'finish'"), 1);
	assert_int_equal(db_meta_get(f.ro, "heartbeat_ms"), T_NOW);
	assert_int_equal(f.c[1]->pending, 0);
	assert_int_equal(f.c[2]->pending, 0);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* A committed event later than the heartbeat is a later sign of life: the
 * credit starts there. */
static void test_recover_event_after_heartbeat(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	assert_int_equal(db_exec(db,
				 "INSERT INTO events (at, candidate_id, kind, actor_kind)"
				 " VALUES (1795395580000, 1, 'answer', 'candidate')",
				 err, sizeof err),
			 0);
	clock_set_fake(T_NOW);
	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);
	check_credit(&f, f.c[1], 20000);
	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* Outage credit off: no credit, no ledger rows, no credit events; every
 * attempt whose deadline has passed by now is finished at its deadline, the
 * one that ran out during the downtime too, with the same finish event. */
static void test_recover_without_credit(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 0;
	sqlite3 *db = recovery_setup(&f, T_NOW - 60000);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);

	assert_int_equal(f.c[1]->status, ATT_IN_PROGRESS);
	assert_int_equal(f.c[1]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 1), 0);
	assert_non_null(f.c[1]->deadline_ev);
	assert_int_equal(f.c[4]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 4), 0);
	check_finished_by_recovery(&f, f.c[2], T_NOW - 100000, 5);
	check_finished_by_recovery(&f, f.c[3], T_NOW - 30000, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE kind = 'outage_credit'"), 0);
	assert_int_equal(db_meta_get(f.ro, "heartbeat_ms"), T_NOW);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* Outage credit on but no sign of life at all (no heartbeat, no event): no
 * credit can be computed; overdue attempts are still finished. */
static void test_recover_no_heartbeat(void **state)
{
	(void)state;
	char err[256] = "";
	struct fx f;
	fx_open(&f, 0);
	f.x.outage_credit = 1;
	sqlite3 *db = recovery_setup(&f, 0);
	assert_int_equal(db_exec(db, "DELETE FROM events", err, sizeof err), 0);
	clock_set_fake(T_NOW);

	assert_int_equal(attempt_recover(&f.x, db, err, sizeof err), 0);
	assert_int_equal(f.c[1]->credit_ms, 0);
	assert_int_equal(credit_of(f.ro, 1), 0);
	check_finished_by_recovery(&f, f.c[3], T_NOW - 30000, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM time_ledger"), 0);

	clock_set_fake(0);
	db_close(db);
	fx_close(&f);
}

/* A write the writer has to leave out (here: a start for a candidate the
 * database does not have, so the foreign key fails) is never reported as
 * durable: then runs once with ok = 0, nothing is stored, the candidate is
 * marked broken and every later barrier for it reports ok = 0 at once;
 * other candidates are not affected. */
static void test_failed_write_breaks_candidate(void **state)
{
	struct fx f;
	struct then_rec t = { 0 }, t2 = { 0 };
	struct rt_candidate *ghost;
	(void)state;
	fx_open(&f, 1);
	ghost = add_candidate(&f.x.reg, f.e, 77, "0077", 0); /* RAM only */
	attempt_start(&f.x, ghost, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f.base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 0);
	assert_int_equal(ghost->broken, 1);
	assert_int_equal(ghost->pending, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = 77"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM events WHERE candidate_id = 77"), 0);
	attempt_when_durable(&f.x, ghost, then_cb, &t2);
	assert_int_equal(t2.runs, 1);
	assert_int_equal(t2.ok, 0);
	/* The others carry on. */
	start_durable(&f, f.c[1], clock_now_ms());
	assert_int_equal(f.c[1]->broken, 0);
	assert_int_equal(qi(f.ro, -1, "SELECT count(*) FROM attempts WHERE candidate_id = 1"), 1);
	fx_close(&f);
}

/* A pause stops the clock and the timer: the attempt does not expire while
 * paused, however late; the resume credits the paused time (ledger "pause",
 * credit_ms) and re-arms the timer; the events carry the staff actor and the
 * reason. */
static void test_pause_resume(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *c = f.c[3];
	struct actor staff = { ACTOR_STAFF, 42 };
	int64_t t0 = clock_now_ms();

	start_durable(&f, c, t0);
	int64_t deadline = registry_deadline(c);
	attempt_pause(&f.x, c, staff, "Listrik padam", t0 + 1000, NULL, NULL);
	assert_int_equal(c->paused_at, t0 + 1000);
	assert_string_equal(c->pause_reason, "Listrik padam");
	assert_false(evtimer_pending(c->deadline_ev, NULL));
	/* Long past the deadline: a paused attempt does not expire. */
	assert_int_equal(attempt_expire_if_due(&f.x, c, deadline + 60000), 0);
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT paused_at FROM attempts WHERE candidate_id = 3"),
			 t0 + 1000);
	assert_qs(f.ro, "{\"reason\":\"Listrik padam\"}",
		  "SELECT detail FROM events WHERE kind = 'paused'");
	assert_qs(f.ro, "staff", "SELECT actor_kind FROM events WHERE kind = 'paused'");

	attempt_resume(&f.x, c, staff, "Listrik menyala", t0 + 61000, NULL, NULL);
	assert_int_equal(c->paused_at, 0);
	assert_null(c->pause_reason);
	assert_int_equal(c->credit_ms, 60000);
	assert_int_equal(registry_deadline(c), deadline + 60000);
	assert_true(evtimer_pending(c->deadline_ev, NULL));
	wait_durable(&f, c);
	assert_int_equal(qi(f.ro, -1, "SELECT credit_ms FROM attempts WHERE candidate_id = 3"), 60000);
	assert_int_equal(qi(f.ro, 0, "SELECT count(*) FROM attempts WHERE paused_at IS NOT NULL"), 0);
	assert_qs(f.ro, "pause", "SELECT kind FROM time_ledger WHERE candidate_id = 3");
	assert_int_equal(qi(f.ro, -1, "SELECT delta_ms FROM time_ledger WHERE candidate_id = 3"),
			 60000);
	assert_int_equal(n_events(f.ro, 3, "resumed"), 1);
	fx_close(&f);
}

/* A proctor's credit moves the deadline; ending by a proctor scores; a
 * disqualification keeps the scores and never passes, and ends a pause. */
static void test_credit_and_end_by(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f, 1);
	struct rt_candidate *a = f.c[3], *b = f.c[4];
	struct actor staff = { ACTOR_STAFF, 7 };
	int64_t t0 = clock_now_ms();

	start_durable(&f, a, t0);
	start_durable(&f, b, t0);
	int64_t deadline = registry_deadline(a);
	attempt_credit(&f.x, a, 300000, "proctor_extend", staff, "PC beku", t0, NULL, NULL);
	assert_int_equal(registry_deadline(a), deadline + 300000);
	wait_durable(&f, a);
	assert_qs(f.ro, "proctor_extend", "SELECT kind FROM time_ledger WHERE candidate_id = 3");
	assert_qs(f.ro, "PC beku", "SELECT note FROM time_ledger WHERE candidate_id = 3");

	/* b answers everything best: it would pass. */
	answer_durable(&f, b, 1, 2, 1);
	answer_durable(&f, b, 2, 3, 1);
	answer_durable(&f, b, 3, 4, 1);
	answer_durable(&f, b, 4, 0, 1);
	attempt_pause(&f.x, b, staff, "cek", t0 + 10, NULL, NULL);
	attempt_end_by(&f.x, b, FINISH_DISQUALIFIED, staff, "Joki", t0 + 20, NULL, NULL);
	assert_int_equal(b->status, ATT_FINISHED);
	assert_int_equal(b->paused_at, 0);
	assert_int_equal(b->total, 20);
	assert_int_equal(b->passed, 0);
	wait_durable(&f, b);
	assert_qs(f.ro, "disqualified", "SELECT finish_reason FROM attempts WHERE candidate_id = 4");
	assert_int_equal(qi(f.ro, -1, "SELECT passed FROM attempts WHERE candidate_id = 4"), 0);
	assert_int_equal(qi(f.ro, -1, "SELECT total FROM attempts WHERE candidate_id = 4"), 20);
	assert_qs(f.ro, "{\"note\":\"Joki\",\"reason\":\"disqualified\",\"total\":20}",
		  "SELECT detail FROM events WHERE kind = 'finish' AND candidate_id = 4");

	attempt_end_by(&f.x, a, FINISH_PROCTOR, staff, NULL, t0 + 30, NULL, NULL);
	wait_durable(&f, a);
	assert_qs(f.ro, "proctor", "SELECT finish_reason FROM attempts WHERE candidate_id = 3");
	assert_qs(f.ro, "staff",
		  "SELECT actor_kind FROM events WHERE kind = 'finish' AND candidate_id = 3");
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exam_open),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_answer_revisions),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_finish_submitted),
		cmocka_unit_test(test_expire_if_due),
		cmocka_unit_test(test_deadline_timer),
		cmocka_unit_test(test_when_durable),
		cmocka_unit_test(test_failed_write_breaks_candidate),
		cmocka_unit_test(test_recover_with_credit),
		cmocka_unit_test(test_recover_event_after_heartbeat),
		cmocka_unit_test(test_recover_without_credit),
		cmocka_unit_test(test_recover_no_heartbeat),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_credit_and_end_by),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
