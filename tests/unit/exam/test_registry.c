/* test_registry.c - in-RAM exams, candidates and sessions (server/exam/registry.c). */
#include "unit.h"
#include "unit_exam.h"

#include "exam/registry.h"
#include "core/mem.h"

#include <event2/event.h>
#include <string.h>

/* ---- building a registry by hand, as loader_exams/loader_merge do ---- */

static struct rt_exam *add_exam(struct registry *r, int64_t id, const char *code, int duration_s)
{
	return unit_exam_add(r, id, code, duration_s, 1, 2);
}

static struct rt_candidate *add_candidate(struct registry *r, struct rt_exam *e, int64_t id,
					  const char *regno, int extra_s)
{
	return unit_candidate_add(r, e, id, regno, extra_s);
}

/* A distinct, deterministic token hash per (tag, i). */
static void make_hash(uint8_t h[UJ_HASH_LEN], int tag, int i)
{
	for (int k = 0; k < UJ_HASH_LEN; k++)
		h[k] = (uint8_t)(tag * 31 + i * 7 + k);
	h[0] = (uint8_t)tag;
	h[1] = (uint8_t)i;
}

static int list_len(const struct rt_session *s)
{
	int n = 0;
	for (; s; s = s->older)
		n++;
	return n;
}

/* ---- init / free ---- */

/* init clears whatever was in the struct; an empty registry finds nothing; free zeroes it. */
static void test_init_free_empty(void **state)
{
	(void)state;
	struct registry r;
	uint8_t h[UJ_HASH_LEN];
	memset(&r, 0xAB, sizeof r);
	registry_init(&r);
	assert_null(r.all);
	assert_int_equal(r.n_candidates, 0);
	assert_int_equal(r.exams.len, 0);
	assert_int_equal(r.sessions.len, 0);
	assert_null(registry_exam(&r, "SKD-2026"));
	make_hash(h, 1, 1);
	assert_null(registry_session(&r, h));
	registry_free(&r);
	assert_null(r.all);
	assert_null(r.exams.e);
	assert_null(r.sessions.e);
	assert_int_equal(r.n_candidates, 0);

	/* A freed registry can be initialised and used again. */
	registry_init(&r);
	add_exam(&r, 1, "AGAIN", 600);
	assert_non_null(registry_exam(&r, "AGAIN"));
	registry_free(&r);
	assert_null(r.exams.e);
}

static void never_fires(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	fail_msg("the deadline timer fired");
}

/* registry_free releases candidates with sessions, answers and a pending deadline timer
 * (its callback argument too); under ASan a leak here fails the run. */
static void test_free_releases_everything(void **state)
{
	(void)state;
	struct registry r;
	struct event_base *base = event_base_new();
	struct timeval tv = { 3600, 0 };
	uint8_t h[UJ_HASH_LEN];
	assert_non_null(base);
	registry_init(&r);
	struct rt_exam *e = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_candidate *c1 = add_candidate(&r, e, 1, "0001", 0);
	struct rt_candidate *c2 = add_candidate(&r, e, 2, "0002", 0);
	add_candidate(&r, add_exam(&r, 2, "UTBK-1", 600), 3, "0003", 0);
	add_exam(&r, 3, "NOBODY", 600);
	for (int i = 0; i < 3; i++) {
		make_hash(h, 1, i);
		registry_session_add(&r, c1, h, 1000 + i, SES_ACTIVE);
	}
	make_hash(h, 2, 0);
	registry_session_add(&r, c2, h, 5000, SES_REPLACED);
	assert_int_equal(r.sessions.len, 4);

	/* A deadline timer owns a heap context passed as its callback argument. */
	c1->deadline_ev = evtimer_new(base, never_fires, xmalloc(64));
	assert_non_null(c1->deadline_ev);
	assert_int_equal(evtimer_add(c1->deadline_ev, &tv), 0);
	assert_int_equal(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 1);

	assert_int_equal(r.n_candidates, 3);
	registry_free(&r);
	assert_int_equal(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 0);
	assert_null(r.all);
	assert_null(r.exams.e);
	assert_null(r.sessions.e);
	event_base_free(base);
}

/* ---- lookups ---- */

/* Exams by code and candidates by registration number, per exam; misses return NULL. */
static void test_lookup_exam_and_candidate(void **state)
{
	(void)state;
	struct registry r;
	registry_init(&r);
	struct rt_exam *skd = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_exam *utbk = add_exam(&r, 2, "UTBK-1", 7200);
	struct rt_candidate *a = add_candidate(&r, skd, 10, "24001", 0);
	struct rt_candidate *b = add_candidate(&r, skd, 11, "24002", 0);
	struct rt_candidate *a2 = add_candidate(&r, utbk, 12, "24001", 0); /* same regno, other exam */

	assert_ptr_equal(registry_exam(&r, "SKD-2026"), skd);
	assert_ptr_equal(registry_exam(&r, "UTBK-1"), utbk);
	assert_null(registry_exam(&r, "SKD-2027"));
	assert_null(registry_exam(&r, "SKD"));
	assert_null(registry_exam(&r, "SKD-2026 "));
	assert_null(registry_exam(&r, ""));

	assert_ptr_equal(registry_candidate(skd, "24001"), a);
	assert_ptr_equal(registry_candidate(skd, "24002"), b);
	assert_ptr_equal(registry_candidate(utbk, "24001"), a2);
	assert_null(registry_candidate(utbk, "24002"));
	assert_null(registry_candidate(skd, "24003"));
	assert_null(registry_candidate(skd, "2400"));
	assert_null(registry_candidate(skd, "240011"));
	assert_null(registry_candidate(skd, ""));

	/* Through the registry, as a login does: exam, then candidate. */
	assert_ptr_equal(registry_candidate(registry_exam(&r, "UTBK-1"), "24001"), a2);
	assert_ptr_equal(a2->exam, utbk);
	assert_int_equal(r.n_candidates, 3);
	registry_free(&r);
}

/* ---- sessions ---- */

/* The first session is active; the next one takes over and the first becomes
 * replaced (newest first); all stay findable by hash; hashes are copied. */
static void test_session_add_replaces_active(void **state)
{
	(void)state;
	struct registry r;
	uint8_t h1[UJ_HASH_LEN], h2[UJ_HASH_LEN], h3[UJ_HASH_LEN], hx[UJ_HASH_LEN];
	uint8_t buf[UJ_HASH_LEN];
	registry_init(&r);
	struct rt_exam *e = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_candidate *c = add_candidate(&r, e, 1, "0001", 0);
	struct rt_candidate *other = add_candidate(&r, e, 2, "0002", 0);
	make_hash(h1, 1, 1);
	make_hash(h2, 1, 2);
	make_hash(h3, 1, 3);
	make_hash(hx, 9, 9);

	memcpy(buf, h1, sizeof buf);
	struct rt_session *s1 = registry_session_add(&r, c, buf, 1000, SES_ACTIVE);
	memset(buf, 0, sizeof buf); /* the registry keeps its own copy */
	assert_non_null(s1);
	assert_ptr_equal(s1->cand, c);
	assert_int_equal(s1->state, SES_ACTIVE);
	assert_int_equal(s1->created, 1000);
	assert_memory_equal(s1->hash, h1, UJ_HASH_LEN);
	assert_null(s1->older);
	assert_ptr_equal(c->session, s1);
	assert_null(c->replaced);
	assert_int_equal(c->n_replaced, 0);
	assert_ptr_equal(registry_session(&r, h1), s1);
	assert_null(registry_session(&r, buf));
	assert_null(registry_session(&r, hx));

	struct rt_session *s2 = registry_session_add(&r, c, h2, 2000, SES_ACTIVE);
	assert_non_null(s2);
	assert_true(s2 != s1);
	assert_ptr_equal(c->session, s2);
	assert_int_equal(s2->state, SES_ACTIVE);
	assert_int_equal(s1->state, SES_REPLACED);
	assert_ptr_equal(c->replaced, s1);
	assert_int_equal(c->n_replaced, 1);
	assert_ptr_equal(registry_session(&r, h1), s1);
	assert_ptr_equal(registry_session(&r, h2), s2);
	assert_int_equal(r.sessions.len, 2);

	struct rt_session *s3 = registry_session_add(&r, c, h3, 3000, SES_ACTIVE);
	assert_ptr_equal(c->session, s3);
	assert_ptr_equal(c->replaced, s2); /* newest first */
	assert_ptr_equal(s2->older, s1);
	assert_null(s1->older);
	assert_int_equal(s2->state, SES_REPLACED);
	assert_int_equal(c->n_replaced, 2);
	assert_ptr_equal(registry_session(&r, h1), s1);
	assert_ptr_equal(registry_session(&r, h2), s2);
	assert_ptr_equal(registry_session(&r, h3), s3);

	/* Another candidate's session leaves this one alone. */
	struct rt_session *so = registry_session_add(&r, other, hx, 4000, SES_ACTIVE);
	assert_ptr_equal(other->session, so);
	assert_ptr_equal(so->cand, other);
	assert_ptr_equal(c->session, s3);
	assert_int_equal(s3->state, SES_ACTIVE);
	assert_int_equal(c->n_replaced, 2);
	assert_int_equal(other->n_replaced, 0);
	assert_ptr_equal(registry_session(&r, hx), so);
	assert_int_equal(r.sessions.len, 4);
	registry_free(&r);
}

/* Replaced sessions beyond UJ_SESSIONS_KEPT are forgotten, oldest first: their
 * hashes are no longer found, the newest UJ_SESSIONS_KEPT still are. */
static void test_sessions_kept_limit(void **state)
{
	(void)state;
	enum { K = UJ_SESSIONS_KEPT, N = UJ_SESSIONS_KEPT + 4 };
	struct registry r;
	uint8_t h[N][UJ_HASH_LEN];
	struct rt_session *s[N];
	registry_init(&r);
	struct rt_exam *e = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_candidate *c = add_candidate(&r, e, 1, "0001", 0);

	for (int i = 0; i < N; i++) {
		make_hash(h[i], 3, i);
		s[i] = registry_session_add(&r, c, h[i], 1000 + i, SES_ACTIVE);
		int kept = i < K ? i : K; /* replaced sessions remembered now */
		assert_ptr_equal(c->session, s[i]);
		assert_int_equal(c->n_replaced, kept);
		assert_int_equal(list_len(c->replaced), kept);
		assert_int_equal(r.sessions.len, (size_t)kept + 1);
		/* The replaced list is s[i-1], s[i-2], ... s[i-kept], all replaced. */
		const struct rt_session *p = c->replaced;
		for (int j = i - 1; j >= i - kept; j--, p = p->older) {
			assert_ptr_equal(p, s[j]);
			assert_int_equal(p->state, SES_REPLACED);
		}
		assert_null(p);
		/* Lookups: the active one and the kept ones hit; older ones miss. */
		for (int j = 0; j <= i; j++) {
			struct rt_session *found = registry_session(&r, h[j]);
			if (j >= i - kept) {
				if (found != s[j])
					fail_msg("after %d adds: session %d not found", i + 1, j);
			} else if (found) {
				fail_msg("after %d adds: session %d should be forgotten", i + 1, j);
			}
		}
	}
	assert_int_equal(c->n_replaced, K);
	registry_free(&r);
}

/* Loading stored sessions: replaced ones come oldest first and are pushed to
 * the front, they do not touch the active one, and the limit applies too. */
static void test_sessions_loaded_replaced(void **state)
{
	(void)state;
	enum { K = UJ_SESSIONS_KEPT, N = UJ_SESSIONS_KEPT + 2 };
	struct registry r;
	uint8_t ha[UJ_HASH_LEN], h[N][UJ_HASH_LEN];
	struct rt_session *s[N];
	registry_init(&r);
	struct rt_exam *e = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_candidate *c = add_candidate(&r, e, 1, "0001", 0);

	make_hash(ha, 4, 99);
	struct rt_session *act = registry_session_add(&r, c, ha, 9000, SES_ACTIVE);
	for (int i = 0; i < N; i++) {
		make_hash(h[i], 4, i);
		s[i] = registry_session_add(&r, c, h[i], 1000 + i, SES_REPLACED);
		assert_int_equal(s[i]->state, SES_REPLACED);
		assert_ptr_equal(c->replaced, s[i]);
		assert_ptr_equal(c->session, act);
		assert_int_equal(act->state, SES_ACTIVE);
	}
	assert_int_equal(c->n_replaced, K);
	assert_int_equal(list_len(c->replaced), K);
	assert_int_equal(r.sessions.len, (size_t)K + 1);
	assert_ptr_equal(registry_session(&r, ha), act);
	for (int i = 0; i < N; i++) {
		struct rt_session *found = registry_session(&r, h[i]);
		if (i >= N - K ? found != s[i] : found != NULL)
			fail_msg("loaded replaced session %d: wrong lookup result", i);
	}
	registry_free(&r);
}

/* registry_session_end removes the active session (and its hash); replaced
 * ones stay; ending again, or with no session, changes nothing. */
static void test_session_end(void **state)
{
	(void)state;
	struct registry r;
	uint8_t h1[UJ_HASH_LEN], h2[UJ_HASH_LEN], h3[UJ_HASH_LEN], ho[UJ_HASH_LEN];
	registry_init(&r);
	struct rt_exam *e = add_exam(&r, 1, "SKD-2026", 6000);
	struct rt_candidate *c = add_candidate(&r, e, 1, "0001", 0);
	struct rt_candidate *other = add_candidate(&r, e, 2, "0002", 0);
	make_hash(h1, 5, 1);
	make_hash(h2, 5, 2);
	make_hash(h3, 5, 3);
	make_hash(ho, 6, 1);

	/* No session yet: nothing to end. */
	registry_session_end(&r, c);
	assert_null(c->session);
	assert_int_equal(r.sessions.len, 0);

	struct rt_session *so = registry_session_add(&r, other, ho, 500, SES_ACTIVE);
	struct rt_session *s1 = registry_session_add(&r, c, h1, 1000, SES_ACTIVE);
	registry_session_add(&r, c, h2, 2000, SES_ACTIVE);
	assert_int_equal(r.sessions.len, 3);

	registry_session_end(&r, c);
	assert_null(c->session);
	assert_null(registry_session(&r, h2));
	assert_ptr_equal(registry_session(&r, h1), s1); /* the replaced one is kept */
	assert_ptr_equal(c->replaced, s1);
	assert_int_equal(c->n_replaced, 1);
	assert_int_equal(r.sessions.len, 2);
	assert_ptr_equal(other->session, so); /* other candidates untouched */
	assert_ptr_equal(registry_session(&r, ho), so);

	registry_session_end(&r, c); /* again: no-op */
	assert_null(c->session);
	assert_int_equal(r.sessions.len, 2);
	assert_ptr_equal(registry_session(&r, h1), s1);

	/* A new login after logout: nothing active to replace. */
	struct rt_session *s3 = registry_session_add(&r, c, h3, 3000, SES_ACTIVE);
	assert_ptr_equal(c->session, s3);
	assert_ptr_equal(c->replaced, s1);
	assert_int_equal(c->n_replaced, 1);
	assert_int_equal(r.sessions.len, 3);
	registry_free(&r);
}

/* ---- clock ---- */

/* deadline = started_at + (exam duration + candidate extra time) * 1000 + credit_ms. */
static void test_deadline(void **state)
{
	(void)state;
	struct registry r;
	const int64_t t0 = 1795395600000; /* 2026-11-23T08:00:00+07:00 */
	registry_init(&r);
	struct rt_exam *skd = add_exam(&r, 1, "SKD-2026", 6000); /* 100 minutes */
	struct rt_exam *utbk = add_exam(&r, 2, "UTBK-1", 7200);
	struct rt_candidate *c = add_candidate(&r, skd, 1, "0001", 0);
	struct rt_candidate *d = add_candidate(&r, utbk, 2, "0001", 0);

	c->status = d->status = ATT_IN_PROGRESS;
	c->started_at = d->started_at = t0;
	assert_int_equal(registry_deadline(c), t0 + 6000000);
	assert_int_equal(registry_deadline(d), t0 + 7200000); /* each candidate's own exam */

	c->extra_s = 900; /* 15 minutes extra time */
	assert_int_equal(registry_deadline(c), t0 + 6900000);

	c->credit_ms = 12345; /* outage credit, in ms */
	assert_int_equal(registry_deadline(c), t0 + 6912345);

	c->extra_s = 0;
	assert_int_equal(registry_deadline(c), t0 + 6012345);

	/* The largest clock: no 32-bit overflow anywhere, with a far-future start. */
	const int64_t t1 = 4102444800000; /* 2100-01-01T00:00:00Z */
	skd->def.duration_s = UJ_DURATION_MAX_S;
	c->extra_s = UJ_EXTRA_TIME_MAX_S;
	c->credit_ms = 3000000000LL; /* beyond INT32_MAX */
	c->started_at = t1;
	assert_int_equal(registry_deadline(c),
			 t1 + ((int64_t)UJ_DURATION_MAX_S + UJ_EXTRA_TIME_MAX_S) * 1000 + 3000000000LL);
	assert_int_equal(registry_deadline(c), 4102617600000 + 3000000000LL);
	registry_free(&r);
}

/* The status and reason names are what the API and the store write. */
static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(attempt_status_names[ATT_NOT_STARTED], "not_started");
	assert_string_equal(attempt_status_names[ATT_IN_PROGRESS], "in_progress");
	assert_string_equal(attempt_status_names[ATT_FINISHED], "finished");
	assert_string_equal(finish_reason_names[FINISH_NONE], "");
	assert_string_equal(finish_reason_names[FINISH_SUBMITTED], "submitted");
	assert_string_equal(finish_reason_names[FINISH_TIME_UP], "time_up");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_free_empty),
		cmocka_unit_test(test_free_releases_everything),
		cmocka_unit_test(test_lookup_exam_and_candidate),
		cmocka_unit_test(test_session_add_replaces_active),
		cmocka_unit_test(test_sessions_kept_limit),
		cmocka_unit_test(test_sessions_loaded_replaced),
		cmocka_unit_test(test_session_end),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
