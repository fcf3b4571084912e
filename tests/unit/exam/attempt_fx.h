/* attempt_fx.h - the fixture the attempt tests share (test_attempt.c,
 * test_attempt_time.c): an exam of two sections and four questions built
 * by hand, a real database written by a real writer thread, helpers to read
 * it back and to wait for durability. Static functions: each test file uses
 * most of them. */
#ifndef UJIAN_ATTEMPT_FX_H
#define UJIAN_ATTEMPT_FX_H

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

static __attribute__((unused)) struct rt_exam *add_exam(struct registry *r, int64_t id, const char *code, int duration_s)
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

static __attribute__((unused)) struct rt_candidate *add_candidate(struct registry *r, struct rt_exam *e, int64_t id,
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
static __attribute__((unused)) void fx_open(struct fx *f, int with_writer)
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

static __attribute__((unused)) void fx_close(struct fx *f)
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

static __attribute__((unused)) sqlite3_stmt *prep(sqlite3 *db, const char *fmt, va_list ap)
{
	char sql[512];
	sqlite3_stmt *st;
	vsnprintf(sql, sizeof sql, fmt, ap);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	return st;
}

/* The integer in the first column of the first row; dflt if no row or NULL. */
static __attribute__((unused)) int64_t qi(sqlite3 *db, int64_t dflt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static __attribute__((unused)) int64_t qi(sqlite3 *db, int64_t dflt, const char *fmt, ...)
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
static __attribute__((unused)) char *qs(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static __attribute__((unused)) char *qs(sqlite3 *db, const char *fmt, ...)
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
static __attribute__((unused)) void assert_qs(sqlite3 *db, const char *want, const char *sql)
{
	char *got = qs(db, "%s", sql);
	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", sql, got ? got : "NULL", want ? want : "NULL");
	free(got);
}

static __attribute__((unused)) int64_t n_events(sqlite3 *db, int64_t cand, const char *kind)
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

static __attribute__((unused)) void then_cb(struct rt_candidate *c, int ok, void *arg)
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
static __attribute__((unused)) void start_durable(struct fx *f, struct rt_candidate *c, int64_t now)
{
	struct then_rec t = { 0 };
	attempt_start(&f->x, c, now, then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 1);
}

/* Record an answer and wait until it is durable. */
static __attribute__((unused)) void answer_durable(struct fx *f, struct rt_candidate *c, int n, int label, uint32_t rev)
{
	struct then_rec t = { 0 };
	struct answer_rec rec = { .n = n, .label = label, .flagged = 0, .rev = rev };
	attempt_answer(&f->x, c, &rec, clock_now_ms(), then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(t.ok, 1);
}

static __attribute__((unused)) void wait_durable(struct fx *f, struct rt_candidate *c)
{
	struct then_rec t = { 0 };
	attempt_when_durable(&f->x, c, then_cb, &t);
	UNIT_WAIT_FOR(f->base, t.runs == 1);
	assert_int_equal(t.runs, 1);
	assert_int_equal(c->pending, 0);
}

/* Seconds until the timer's expiry as event_pending reports it. */
static __attribute__((unused)) int64_t timer_left_ms(struct event *ev)
{
	struct timeval at, now;
	assert_non_null(ev);
	assert_true(event_pending(ev, EV_TIMEOUT, &at));
	gettimeofday(&now, NULL);
	return ((int64_t)at.tv_sec - now.tv_sec) * 1000 + (at.tv_usec - now.tv_usec) / 1000;
}


#endif