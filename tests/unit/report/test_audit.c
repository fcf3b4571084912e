/* test_audit.c - the audit log's reader (server/report/audit.c): verify's
 * verdicts and the head written down, the JSON for the API, the caller's
 * transaction left alone, filters and paging, the staff-table hook, times
 * for --since, and the readable printer. Tampering with real server logs is
 * tests/api/test_audit.py's. */
#include "unit.h"

#include "bounds.h"
#include "core/mem.h"
#include "report/audit.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T0 1795395500000LL /* 2026-11-23T07:58:20+07:00 */

struct ev_op {
	struct wr_op op;
	struct event_rec e;
	json_t *detail;
};

static void ev_release(struct wr_op *op)
{
	struct ev_op *o = (struct ev_op *)op;
	json_decref(o->detail);
	free(o);
}

static int ev_apply(struct wr_tx *tx, struct wr_op *op)
{
	return event_append(tx, &((struct ev_op *)op)->e);
}

static void append(sqlite3 *db, struct actor who, int64_t cand, const char *kind, int n,
		   int64_t at, json_t *detail)
{
	struct ev_op *o = xcalloc(1, sizeof *o);
	char err[256] = "";
	wr_op_init(&o->op, ev_apply, who, at);
	o->op.release = ev_release;
	o->detail = detail;
	o->e = (struct event_rec){ .at = at, .actor = who, .candidate_id = cand, .kind = kind,
				   .n = n, .label = n > 0 ? 2 : -1, .flagged = n == 2, .rev = n,
				   .detail = detail };
	if (wr_apply_now(db, &o->op, err, sizeof err))
		fail_msg("append: %s", err);
}

struct fx {
	char dir[64], path[128];
	sqlite3 *db;
};

/* Two exams, candidates P1 (id 1, EX) and Q1 (id 2, EX2), and seven events:
 * 1 login P1, 2 start P1, 3 answer P1 q1, 4 answer P1 q2, 5 login Q1,
 * 6 finish P1 (system), 7 a staff change naming exam EX in its detail. */
static void fx_open(struct fx *f)
{
	char err[256] = "";
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-audit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/a.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
	if (db_exec(f->db,
		    "INSERT INTO banks (id, code) VALUES (1, 'B');"
		    "INSERT INTO exams (id, code, bank_id, definition_json, created_at) VALUES"
		    " (1, 'EX', 1, '{}', 0), (2, 'EX2', 1, '{}', 0);"
		    "INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s,"
		    " pw_hash, created_at) VALUES (1, 1, 'P1', 'Satu', 'umum', 0, x'00', 0),"
		    " (2, 2, 'Q1', 'Dua', 'umum', 0, x'00', 0)",
		    err, sizeof err))
		fail_msg("fixture: %s", err);
	append(f->db, actor_candidate(1), 1, "login", 0, T0, json_pack("{s:s}", "peer", "10.0.0.1"));
	append(f->db, actor_candidate(1), 1, "start", 0, T0 + 1000, NULL);
	append(f->db, actor_candidate(1), 1, "answer", 1, T0 + 2000, NULL);
	append(f->db, actor_candidate(1), 1, "answer", 2, T0 + 3000, NULL);
	append(f->db, actor_candidate(2), 2, "login", 0, T0 + 4000, NULL);
	append(f->db, actor_system(), 1, "finish", 0, T0 + 5000,
	       json_pack("{s:s,s:i}", "reason", "time_up", "total", 10));
	append(f->db, (struct actor){ ACTOR_STAFF, 1 }, 0, "exam_changed", 0, T0 + 6000,
	       json_pack("{s:s}", "exam", "EX"));
}

static void fx_close(struct fx *f)
{
	char p[160];
	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
}

static void stored_hash(sqlite3 *db, int64_t id, uint8_t h[CHAIN_HASH_LEN])
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = ?", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	memcpy(h, sqlite3_column_blob(st, 0), CHAIN_HASH_LEN);
	sqlite3_finalize(st);
}

static void test_verify_ok_head_and_json(void **state)
{
	(void)state;
	struct fx f;
	struct audit_report r;
	struct audit_head h;
	uint8_t last[CHAIN_HASH_LEN];
	char err[256], hex[2 * CHAIN_HASH_LEN + 1];
	json_t *j;

	fx_open(&f);
	assert_int_equal(audit_verify(f.db, NULL, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_OK);
	assert_int_equal(r.count, 7);
	assert_int_equal(r.head_id, 7);
	assert_int_equal(r.head_at, T0 + 6000);
	stored_hash(f.db, 7, last);
	assert_memory_equal(r.head, last, CHAIN_HASH_LEN);
	assert_int_equal(audit_head(f.db, &h, err, sizeof err), 0);
	assert_int_equal(h.count, 7);
	assert_int_equal(h.id, 7);
	assert_int_equal(h.at, T0 + 6000);
	assert_memory_equal(h.hash, last, CHAIN_HASH_LEN);

	j = audit_report_json(&r);
	assert_true(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 7);
	assert_string_equal(json_string_value(json_object_get(j, "head")), chain_hex(last, hex));
	json_decref(j);

	assert_int_equal(db_exec(f.db, "UPDATE events SET at = at + 1 WHERE id = 4", err, sizeof err),
			 0);
	assert_int_equal(audit_verify(f.db, NULL, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_CHANGED);
	assert_int_equal(r.bad_id, 4);
	assert_int_equal(r.count, 3);
	j = audit_report_json(&r);
	assert_true(json_is_false(json_object_get(j, "ok")));
	assert_string_equal(json_string_value(json_object_get(j, "problem")), "changed");
	assert_int_equal(json_integer_value(json_object_get(j, "entry")), 4);
	assert_non_null(strstr(json_string_value(json_object_get(j, "message")), "entry 4"));
	json_decref(j);
	fx_close(&f);
}

/* The head written down: found at its position, at another position, not
 * found; a count alone. */
static void test_expect(void **state)
{
	(void)state;
	struct fx f;
	struct audit_report r;
	struct audit_expect x = { 1, { 0 }, 5 };
	char err[256];

	fx_open(&f);
	stored_hash(f.db, 5, x.head);
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_OK);
	x.count = 6;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_HEAD_MISSING);
	assert_non_null(strstr(r.message, "entry number 5"));
	x.count = 0;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_OK);
	x.head[0] ^= 1;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_HEAD_MISSING);
	x.count = 9;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_TRUNCATED);
	assert_int_equal(r.bad_id, 8);
	x.has_head = 0;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_TRUNCATED);
	x.count = 7;
	assert_int_equal(audit_verify(f.db, &x, &r, err, sizeof err), 0);
	assert_int_equal(r.problem, AUDIT_OK);
	fx_close(&f);
}

/* Inside a transaction the caller opened, the functions read in it and leave
 * it open; a missing table is an error, not a verdict. */
static void test_callers_transaction_and_errors(void **state)
{
	(void)state;
	struct fx f;
	struct audit_report r;
	struct audit_filter flt = { 0 };
	char err[256] = "";
	json_t *j;

	fx_open(&f);
	assert_int_equal(db_exec(f.db, "BEGIN", err, sizeof err), 0);
	assert_int_equal(audit_verify(f.db, NULL, &r, err, sizeof err), 0);
	j = audit_query(f.db, &flt, err, sizeof err);
	assert_non_null(j);
	json_decref(j);
	assert_int_equal(sqlite3_get_autocommit(f.db), 0);
	assert_int_equal(db_exec(f.db, "COMMIT", err, sizeof err), 0);
	assert_int_equal(db_exec(f.db, "DROP TABLE events", err, sizeof err), 0);
	assert_int_equal(audit_verify(f.db, NULL, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "no such table"));
	assert_int_equal(sqlite3_get_autocommit(f.db), 1);
	fx_close(&f);
}

static void check_bad(const struct audit_filter *flt, const char *needle)
{
	char err[256] = "";
	assert_int_equal(audit_filter_check(flt, err, sizeof err), -1);
	if (!strstr(err, needle))
		fail_msg("\"%s\" does not name %s", err, needle);
}

static void test_filter_check(void **state)
{
	(void)state;
	struct audit_filter flt = { 0 };
	char err[256], big[UJ_AUDIT_ACTOR_MAX + 2];

	assert_int_equal(audit_filter_check(&flt, err, sizeof err), 0);
	flt.limit = UJ_AUDIT_PAGE_MAX + 1;
	check_bad(&flt, "limit");
	flt.limit = -1;
	check_bad(&flt, "limit");
	flt.limit = UJ_AUDIT_PAGE_MAX;
	assert_int_equal(audit_filter_check(&flt, err, sizeof err), 0);
	flt.exam = "";
	check_bad(&flt, "exam");
	flt.exam = "THIS-CODE-IS-LONGER-THAN-32-CHARS";
	check_bad(&flt, "exam");
	flt.exam = NULL;
	flt.before_id = -3;
	check_bad(&flt, "before");
	flt.before_id = 0;
	flt.candidate = "";
	check_bad(&flt, "candidate");
	flt.candidate = NULL;
	static const char *const bad_actors[] = { "candidate:", "candidate:0", "staff:x",
						  "staff:1x", "system:1", "candidate:-1", "a\tb", "",
						  NULL };
	for (int i = 0; bad_actors[i]; i++) {
		flt.actor = bad_actors[i];
		check_bad(&flt, "actor");
	}
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	flt.actor = big;
	check_bad(&flt, "actor");
	static const char *const good_actors[] = { "system", "candidate", "staff", "staff:12",
						   "P1", "candidate2", "admin", NULL };
	for (int i = 0; good_actors[i]; i++) {
		flt.actor = good_actors[i];
		assert_int_equal(audit_filter_check(&flt, err, sizeof err), 0);
	}
}

/* ids of a page, newest first, into ids; returns the count. */
static int page_ids(json_t *page, int64_t *ids, int max)
{
	json_t *entries = json_object_get(page, "entries");
	int n = (int)json_array_size(entries);
	assert_true(n <= max);
	for (int i = 0; i < n; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(entries, (size_t)i), "id"));
	return n;
}

static json_t *query(sqlite3 *db, struct audit_filter flt)
{
	char err[256] = "";
	json_t *j = audit_query(db, &flt, err, sizeof err);
	if (!j)
		fail_msg("audit_query: %s", err);
	return j;
}

static void test_query_paging_and_entries(void **state)
{
	(void)state;
	struct fx f;
	int64_t ids[16];
	json_t *p, *e;
	char err[256];

	fx_open(&f);
	p = query(f.db, (struct audit_filter){ .limit = 3 });
	assert_int_equal(page_ids(p, ids, 16), 3);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[2], 5);
	assert_int_equal(json_integer_value(json_object_get(p, "next_before")), 5);
	json_decref(p);
	p = query(f.db, (struct audit_filter){ .limit = 3, .before_id = 5 });
	assert_int_equal(page_ids(p, ids, 16), 3);
	assert_int_equal(ids[0], 4);
	assert_int_equal(json_integer_value(json_object_get(p, "next_before")), 2);
	json_decref(p);
	p = query(f.db, (struct audit_filter){ .limit = 3, .before_id = 2 });
	assert_int_equal(page_ids(p, ids, 16), 1);
	assert_true(json_is_null(json_object_get(p, "next_before")));
	json_decref(p);

	/* one answer entry in full */
	p = query(f.db, (struct audit_filter){ .limit = 1, .before_id = 5 });
	e = json_array_get(json_object_get(p, "entries"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "answer");
	assert_int_equal(json_integer_value(json_object_get(e, "at")), T0 + 3000);
	assert_non_null(json_string_value(json_object_get(e, "time")));
	assert_int_equal(json_integer_value(json_object_get(e, "n")), 2);
	assert_string_equal(json_string_value(json_object_get(e, "label")), "C");
	assert_true(json_is_true(json_object_get(e, "flagged")));
	assert_int_equal(json_integer_value(json_object_get(e, "rev")), 2);
	assert_true(json_is_null(json_object_get(e, "detail")));
	assert_int_equal(strlen(json_string_value(json_object_get(e, "hash"))), 64);
	assert_int_equal(json_unpack(e, "{s:{s:s,s:I,s:s}}", "actor", "kind", &(const char *){ 0 },
				     "id", &(json_int_t){ 0 }, "name", &(const char *){ 0 }),
			 0);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(e, "actor"), "name")), "P1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "candidate"),
								  "exam")),
			    "EX");
	json_decref(p);

	/* a login: no answer fields, detail parsed */
	p = query(f.db, (struct audit_filter){ .limit = 1, .before_id = 2 });
	e = json_array_get(json_object_get(p, "entries"), 0);
	assert_null(json_object_get(e, "n"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "detail"), "peer")),
			    "10.0.0.1");
	json_decref(p);

	/* a detail that is not JSON any more comes back as text */
	assert_int_equal(db_exec(f.db, "UPDATE events SET detail = 'x{' WHERE id = 1", err, sizeof err),
			 0);
	p = query(f.db, (struct audit_filter){ .limit = 1, .before_id = 2 });
	e = json_array_get(json_object_get(p, "entries"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "detail")), "x{");
	json_decref(p);
	/* a bad filter is refused */
	assert_null(audit_query(f.db, &(struct audit_filter){ .limit = 5000 }, err, sizeof err));
	assert_non_null(strstr(err, "limit"));
	fx_close(&f);
}

static int count_of(sqlite3 *db, struct audit_filter flt, int64_t *ids)
{
	json_t *p = query(db, flt);
	int n = page_ids(p, ids, 16);
	json_decref(p);
	return n;
}

static void test_filters(void **state)
{
	(void)state;
	struct fx f;
	int64_t ids[16];

	fx_open(&f);
	/* exam: its candidates' events and the staff change naming it */
	assert_int_equal(count_of(f.db, (struct audit_filter){ .exam = "EX" }, ids), 6);
	assert_int_equal(ids[0], 7);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .exam = "EX2" }, ids), 1);
	assert_int_equal(ids[0], 5);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .exam = "NONE" }, ids), 0);
	/* actor */
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "P1" }, ids), 4);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "P1", .exam = "EX2" }, ids),
			 0);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "candidate:2" }, ids), 1);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "candidate" }, ids), 5);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "system" }, ids), 1);
	assert_int_equal(ids[0], 6);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "staff:1" }, ids), 1);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "admin" }, ids), 0);
	/* the candidate concerned (the system's finish too) */
	assert_int_equal(count_of(f.db, (struct audit_filter){ .candidate = "P1" }, ids), 5);
	/* since */
	assert_int_equal(count_of(f.db, (struct audit_filter){ .since_ms = T0 + 4000 }, ids), 3);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .since_ms = T0 + 4000,
							       .actor = "candidate" },
				  ids),
			 1);
	fx_close(&f);
}

/* Staff accounts: an actor name matches usernames and entries carry the
 * username. */
static void test_staff_table_hook(void **state)
{
	(void)state;
	struct fx f;
	int64_t ids[16];
	char err[256];
	json_t *p, *e;

	fx_open(&f);
	assert_int_equal(db_exec(f.db,
				 "INSERT INTO staff (id, username, name, roles, pw_hash, created_at,"
				 " pw_changed_at) VALUES (1, 'admin', 'Admin', 1, 'x', 0, 0)",
				 err, sizeof err),
			 0);
	assert_int_equal(count_of(f.db, (struct audit_filter){ .actor = "admin" }, ids), 1);
	assert_int_equal(ids[0], 7);
	p = query(f.db, (struct audit_filter){ .actor = "staff" });
	e = json_array_get(json_object_get(p, "entries"), 0);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(e, "actor"), "name")), "admin");
	assert_true(json_is_null(json_object_get(e, "candidate")));
	json_decref(p);
	fx_close(&f);
}

static void test_parse_time(void **state)
{
	(void)state;
	int64_t ms;
	char *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;

	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	assert_int_equal(audit_parse_time("2026-11-23", &ms), 0);
	assert_int_equal(ms, 1795366800000LL); /* 2026-11-22T17:00:00Z */
	assert_int_equal(audit_parse_time("2026-11-23 07:58", &ms), 0);
	assert_int_equal(ms, T0 - 20000);
	assert_int_equal(audit_parse_time("2026-11-23T07:58:20", &ms), 0);
	assert_int_equal(ms, T0);
	assert_int_equal(audit_parse_time("2026-11-23T00:58:20Z", &ms), 0);
	assert_int_equal(ms, T0);
	assert_int_equal(audit_parse_time("2026-11-23T08:58:20+08:00", &ms), 0);
	assert_int_equal(ms, T0);
	static const char *const bad[] = { "", "yesterday", "2026-13-01", "2026-11-23x",
					   "2026-11-23 8", "2026-11-23 08:18:20 extra",
					   "23-11-2026", " 2026-11-23", NULL };
	for (int i = 0; bad[i]; i++)
		if (audit_parse_time(bad[i], &ms) == 0)
			fail_msg("\"%s\" was accepted", bad[i]);
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

static void test_print(void **state)
{
	(void)state;
	struct fx f;
	char err[256], *buf = NULL, *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	size_t len = 0;
	FILE *out;

	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	fx_open(&f);
	out = open_memstream(&buf, &len);
	assert_int_equal(audit_print(f.db, &(struct audit_filter){ .limit = 4 }, out, err, sizeof err),
			 4);
	fclose(out);
	assert_string_equal(buf,
			    "      4  2026-11-23 07:58:23 WIB  candidate P1              answer "
			    "        [EX P1] q2=C flagged rev=2\n"
			    "      5  2026-11-23 07:58:24 WIB  candidate Q1              login  "
			    "        [EX2 Q1]\n"
			    "      6  2026-11-23 07:58:25 WIB  system                    finish "
			    "        [EX P1] {\"reason\":\"time_up\",\"total\":10}\n"
			    "      7  2026-11-23 07:58:26 WIB  staff #1                  exam_changed"
			    "   {\"exam\":\"EX\"}\n");
	free(buf);
	fx_close(&f);
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_ok_head_and_json),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_callers_transaction_and_errors),
		cmocka_unit_test(test_filter_check),
		cmocka_unit_test(test_query_paging_and_entries),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_staff_table_hook),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_print),
	};
	json_object_seed(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
