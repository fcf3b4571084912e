/* test_mailbox.c - cross-thread work queue for the event loop (server/core/mailbox.c). */
#include "unit.h"
#include "unit_loop.h"

#include "core/mailbox.h"

#include <dirent.h>
#include <event2/event.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#define N_THREADS 4
#define N_PER_THREAD 10000
#define N_TOTAL (N_THREADS * N_PER_THREAD)

/* ---- helpers ---- */

/* A record of which fns ran, in which order, on which thread. */
static int run_log[256];
static int n_run;
static int n_wrong_thread;
static pthread_t loop_thread;

static void reset_log(void)
{
	memset(run_log, 0, sizeof run_log);
	n_run = 0;
	n_wrong_thread = 0;
	loop_thread = pthread_self();
}

static void log_fn(void *arg)
{
	if (!pthread_equal(pthread_self(), loop_thread))
		n_wrong_thread++;
	if (n_run < (int)(sizeof run_log / sizeof run_log[0]))
		run_log[n_run] = *(const int *)arg;
	n_run++;
}

/* A second, distinct fn: the mailbox must call the fn given with each post. */
static void log_negated_fn(void *arg)
{
	if (n_run < (int)(sizeof run_log / sizeof run_log[0]))
		run_log[n_run] = -*(const int *)arg;
	n_run++;
}

static void break_fn(void *arg)
{
	event_base_loopbreak(arg);
}

/* Stops a dispatch that would otherwise never end. */
static int watchdog_fired;

static void watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	watchdog_fired = 1;
	event_base_loopbreak(arg);
}

static int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n; /* includes the directory's own fd, the same each time */
}

/* ---- single thread ---- */

/* Posts from the loop thread wait for a drain, then run once each, in posting order. */
static void test_post_then_drain_in_order(void **state)
{
	(void)state;
	static int ids[100];
	struct event_base *base = event_base_new();
	struct mailbox *mb;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	reset_log();

	for (int i = 0; i < 100; i++) {
		ids[i] = i + 1;
		mailbox_post(mb, i % 3 == 2 ? log_negated_fn : log_fn, &ids[i]);
	}
	assert_int_equal(n_run, 0); /* posting never runs anything itself */
	mailbox_drain(mb);
	assert_int_equal(n_run, 100);
	assert_int_equal(n_wrong_thread, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(run_log[i], i % 3 == 2 ? -(i + 1) : i + 1);

	/* Drained work is gone: draining again runs nothing. */
	mailbox_drain(mb);
	assert_int_equal(n_run, 100);

	/* Later posts start a fresh queue. */
	mailbox_post(mb, log_fn, &ids[41]);
	mailbox_post(mb, log_fn, &ids[6]);
	mailbox_drain(mb);
	assert_int_equal(n_run, 102);
	assert_int_equal(run_log[100], 42);
	assert_int_equal(run_log[101], 7);

	mailbox_free(mb);
	event_base_free(base);
}

/* Draining an empty mailbox (fresh, or just drained) runs nothing and breaks nothing. */
static void test_drain_empty_is_noop(void **state)
{
	(void)state;
	static int one = 1, two = 2;
	struct event_base *base = event_base_new();
	struct mailbox *mb;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	reset_log();

	mailbox_drain(mb);
	mailbox_drain(mb);
	assert_int_equal(n_run, 0);

	mailbox_post(mb, log_fn, &one);
	mailbox_drain(mb);
	assert_int_equal(n_run, 1);
	mailbox_drain(mb);
	assert_int_equal(n_run, 1);

	/* The eventfd is still signalled from that post: the loop's wake-up
	 * drains an already empty queue, which must not run anything again. */
	assert_int_equal(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	assert_int_equal(n_run, 1);

	/* And the mailbox still works afterwards. */
	mailbox_post(mb, log_fn, &two);
	mailbox_drain(mb);
	assert_int_equal(n_run, 2);
	assert_int_equal(run_log[0], 1);
	assert_int_equal(run_log[1], 2);

	mailbox_free(mb);
	event_base_free(base);
}

/* mailbox_free with nothing pending releases its event and its eventfd; free(NULL) is a no-op. */
static void test_free_nothing_pending(void **state)
{
	(void)state;
	static int one = 1;
	struct event_base *base = event_base_new();
	struct mailbox *mb;
	int fds_before;
	assert_non_null(base);
	fds_before = count_open_fds();

	/* Never used. */
	mb = mailbox_new(base);
	assert_non_null(mb);
	assert_int_equal(count_open_fds(), fds_before + 1);
	assert_int_equal(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 1);
	mailbox_free(mb);
	assert_int_equal(count_open_fds(), fds_before);
	assert_int_equal(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 0);
	assert_int_equal(event_base_loop(base, EVLOOP_NONBLOCK), 1); /* no events left */

	/* Used, then drained: nothing pending either. */
	reset_log();
	mb = mailbox_new(base);
	assert_non_null(mb);
	mailbox_post(mb, log_fn, &one);
	mailbox_drain(mb);
	assert_int_equal(n_run, 1);
	mailbox_free(mb);
	assert_int_equal(count_open_fds(), fds_before);
	assert_int_equal(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 0);
	assert_int_equal(n_run, 1); /* freeing runs nothing */

	mailbox_free(NULL);
	event_base_free(base);
}

/* ---- wake-up through the event loop ---- */

/* A post from the loop thread is run by one EVLOOP_ONCE pass, without a drain. */
static void test_wakeup_loop_once(void **state)
{
	(void)state;
	static int ids[3] = { 10, 20, 30 };
	struct event_base *base = event_base_new();
	struct event *tick;
	struct mailbox *mb;
	int64_t deadline;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	tick = unit_add_tick(base, 100000);
	reset_log();

	for (int i = 0; i < 3; i++)
		mailbox_post(mb, log_fn, &ids[i]);
	assert_int_equal(n_run, 0);
	deadline = unit_mono_ms() + UNIT_DEADLINE_MS;
	while (n_run < 3 && unit_mono_ms() < deadline)
		assert_true(event_base_loop(base, EVLOOP_ONCE) >= 0);
	assert_int_equal(n_run, 3);
	assert_int_equal(run_log[0], 10);
	assert_int_equal(run_log[1], 20);
	assert_int_equal(run_log[2], 30);
	assert_int_equal(n_wrong_thread, 0);

	event_free(tick);
	mailbox_free(mb);
	event_base_free(base);
}

struct poster {
	struct mailbox *mb;
	struct event_base *base;
	int *ids;
	int n;
	pthread_t th;
	int started;
};

static void *post_then_break(void *arg)
{
	struct poster *p = arg;
	for (int i = 0; i < p->n; i++)
		mailbox_post(p->mb, log_fn, &p->ids[i]);
	mailbox_post(p->mb, break_fn, p->base);
	return NULL;
}

/* Runs inside the dispatch: only then is the posting thread started. */
static void start_poster_cb(evutil_socket_t fd, short what, void *arg)
{
	struct poster *p = arg;
	(void)fd;
	(void)what;
	p->started = pthread_create(&p->th, NULL, post_then_break, p) == 0;
}

/* event_base_dispatch is already running when another thread posts; the
 * eventfd wakes it, the posts run, and a posted loopbreak ends it. */
static void test_wakeup_dispatch_from_thread(void **state)
{
	(void)state;
	static int ids[50];
	struct event_base *base = event_base_new();
	struct timeval wd_tv = { UNIT_DEADLINE_MS / 1000, 0 }, now_tv = { 0, 0 };
	struct event *wd;
	struct mailbox *mb;
	struct poster p;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	wd = evtimer_new(base, watchdog_cb, base);
	assert_non_null(wd);
	assert_int_equal(evtimer_add(wd, &wd_tv), 0);
	watchdog_fired = 0;
	reset_log();

	for (int i = 0; i < 50; i++)
		ids[i] = 1000 + i;
	p = (struct poster){ .mb = mb, .base = base, .ids = ids, .n = 50 };
	assert_int_equal(event_base_once(base, -1, EV_TIMEOUT, start_poster_cb, &p, &now_tv), 0);
	assert_int_equal(event_base_dispatch(base), 0);
	assert_true(p.started);
	assert_int_equal(pthread_join(p.th, NULL), 0);

	assert_false(watchdog_fired);
	assert_true(event_base_got_break(base));
	assert_int_equal(n_run, 50);
	assert_int_equal(n_wrong_thread, 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(run_log[i], 1000 + i);

	event_free(wd);
	mailbox_free(mb);
	event_base_free(base);
}

/* A fn that posts more work from inside a drain: the new work is not lost
 * and runs after the fn that posted it. */
static struct mailbox *repost_mb;
static int repost_ids[2] = { 1, 2 };

static void repost_fn(void *arg)
{
	log_fn(arg);
	mailbox_post(repost_mb, log_fn, &repost_ids[1]);
}

static void test_post_from_posted_fn(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct event *tick;
	int64_t deadline;
	assert_non_null(base);
	repost_mb = mailbox_new(base);
	assert_non_null(repost_mb);
	tick = unit_add_tick(base, 100000);
	reset_log();

	mailbox_post(repost_mb, repost_fn, &repost_ids[0]);
	deadline = unit_mono_ms() + UNIT_DEADLINE_MS;
	while (n_run < 2 && unit_mono_ms() < deadline)
		assert_true(event_base_loop(base, EVLOOP_ONCE) >= 0);
	assert_int_equal(n_run, 2);
	assert_int_equal(run_log[0], 1);
	assert_int_equal(run_log[1], 2);

	event_free(tick);
	mailbox_free(repost_mb);
	repost_mb = NULL;
	event_base_free(base);
}

/* ---- several posting threads ---- */

struct rec {
	int thread, seq;
};

static struct rec recs[N_THREADS][N_PER_THREAD];
static unsigned char seen[N_THREADS][N_PER_THREAD];
static int next_seq[N_THREADS];
static int n_seen, n_out_of_order, n_bad_rec;
static pthread_barrier_t start_line;

static void reset_recs(void)
{
	memset(seen, 0, sizeof seen);
	memset(next_seq, 0, sizeof next_seq);
	n_seen = n_out_of_order = n_bad_rec = 0;
	n_wrong_thread = 0;
	loop_thread = pthread_self();
	for (int t = 0; t < N_THREADS; t++)
		for (int i = 0; i < N_PER_THREAD; i++)
			recs[t][i] = (struct rec){ t, i };
}

static void rec_fn(void *arg)
{
	const struct rec *r = arg;
	if (!pthread_equal(pthread_self(), loop_thread))
		n_wrong_thread++;
	if (r->thread < 0 || r->thread >= N_THREADS || r->seq < 0 || r->seq >= N_PER_THREAD) {
		n_bad_rec++;
		return;
	}
	if (r->seq != next_seq[r->thread])
		n_out_of_order++;
	next_seq[r->thread] = r->seq + 1;
	if (seen[r->thread][r->seq] < 255)
		seen[r->thread][r->seq]++;
	n_seen++;
}

struct worker {
	struct mailbox *mb;
	int t;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	pthread_barrier_wait(&start_line);
	for (int i = 0; i < N_PER_THREAD; i++)
		mailbox_post(w->mb, rec_fn, &recs[w->t][i]);
	return NULL;
}

static void start_workers(struct mailbox *mb, pthread_t *th, struct worker *w)
{
	assert_int_equal(pthread_barrier_init(&start_line, NULL, N_THREADS), 0);
	for (int t = 0; t < N_THREADS; t++) {
		w[t] = (struct worker){ mb, t };
		assert_int_equal(pthread_create(&th[t], NULL, worker_main, &w[t]), 0);
	}
}

static void join_workers(pthread_t *th)
{
	for (int t = 0; t < N_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&start_line);
}

static void check_all_once_in_order(void)
{
	assert_int_equal(n_bad_rec, 0);
	assert_int_equal(n_wrong_thread, 0);
	assert_int_equal(n_out_of_order, 0);
	assert_int_equal(n_seen, N_TOTAL);
	for (int t = 0; t < N_THREADS; t++) {
		assert_int_equal(next_seq[t], N_PER_THREAD);
		for (int i = 0; i < N_PER_THREAD; i++)
			if (seen[t][i] != 1)
				fail_msg("thread %d post %d ran %d times", t, i, seen[t][i]);
	}
}

/* 4 threads x 10,000 posts while the loop thread keeps draining by hand:
 * every post runs exactly once, on the loop thread, each thread's in order. */
static void test_threads_drain(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct mailbox *mb;
	pthread_t th[N_THREADS];
	struct worker w[N_THREADS];
	int64_t deadline;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	reset_recs();

	start_workers(mb, th, w);
	deadline = unit_mono_ms() + UNIT_DEADLINE_MS;
	while (n_seen < N_TOTAL && unit_mono_ms() < deadline) {
		mailbox_drain(mb);
		sched_yield();
	}
	join_workers(th);
	/* Everything has arrived already: one more drain must add nothing. */
	mailbox_drain(mb);
	check_all_once_in_order();

	mailbox_free(mb);
	event_base_free(base);
}

/* The same load, but the loop thread only runs the event loop: the eventfd
 * wake-ups alone deliver all 40,000 posts (no lost wake-up). */
static void test_threads_event_loop(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct event *tick;
	struct mailbox *mb;
	pthread_t th[N_THREADS];
	struct worker w[N_THREADS];
	int64_t deadline;
	assert_non_null(base);
	mb = mailbox_new(base);
	assert_non_null(mb);
	tick = unit_add_tick(base, 100000);
	reset_recs();

	start_workers(mb, th, w);
	deadline = unit_mono_ms() + UNIT_DEADLINE_MS;
	while (n_seen < N_TOTAL && unit_mono_ms() < deadline)
		assert_true(event_base_loop(base, EVLOOP_ONCE) >= 0);
	join_workers(th);
	assert_int_equal(n_seen, N_TOTAL); /* before any explicit drain */
	mailbox_drain(mb);
	assert_int_equal(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	check_all_once_in_order();

	event_free(tick);
	mailbox_free(mb);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_then_drain_in_order),
		cmocka_unit_test(test_drain_empty_is_noop),
		cmocka_unit_test(test_free_nothing_pending),
		cmocka_unit_test(test_wakeup_loop_once),
		cmocka_unit_test(test_wakeup_dispatch_from_thread),
		cmocka_unit_test(test_post_from_posted_fn),
		cmocka_unit_test(test_threads_drain),
		cmocka_unit_test(test_threads_event_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
