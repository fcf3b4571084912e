/* test_worker.c - the worker thread pool (server/core/worker.c): jobs run on
 * a worker thread with that thread's context, done runs on the loop through
 * the mailbox, every job completes exactly once, the queue bound refuses the
 * job after queue_max waiting ones, init/fini run once per thread, and
 * worker_stop finishes what is queued.
 *
 * Timing: no fixed sleeps. A "gate" job holds a worker until the test opens
 * it; the test waits for conditions (a condition variable for what the
 * worker threads do, UNIT_WAIT_FOR for what the loop does), with a generous
 * deadline. The one thing no callback tells, that worker_stop has begun, is
 * polled (every millisecond) until it shows. */
#include "unit.h"
#include "unit_loop.h"

#include "core/mailbox.h"
#include "core/worker.h"

#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_MANY 300
#define MAX_THREADS 8 /* UJ_WORKERS * 4, the most the header allows */

/* ---- shared state (guarded by mu; cv signals every change) ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t loop_thread;
static int n_init, n_fini, n_run, n_done;
static int gate_open_, gate_entered;
static void *init_arg_seen;
static int init_arg_wrong;

/* A thread's context as made by init: which thread made it, freed by fini. */
struct tctx {
	unsigned magic;
	pthread_t thread;
	int finis;
};
#define TCTX_MAGIC 0x5eedu

static struct tctx *ctxs[MAX_THREADS];
static int n_ctxs;

static void reset(void)
{
	pthread_mutex_lock(&mu);
	n_init = n_fini = n_run = n_done = 0;
	gate_open_ = gate_entered = 0;
	init_arg_seen = NULL;
	init_arg_wrong = 0;
	n_ctxs = 0;
	memset(ctxs, 0, sizeof ctxs);
	loop_thread = pthread_self();
	pthread_mutex_unlock(&mu);
}

static int the_arg; /* its address is the pool's arg */

static void *t_init(void *arg)
{
	struct tctx *c = calloc(1, sizeof *c);
	assert_non_null(c);
	c->magic = TCTX_MAGIC;
	c->thread = pthread_self();
	pthread_mutex_lock(&mu);
	if (arg != &the_arg)
		init_arg_wrong++;
	init_arg_seen = arg;
	if (n_ctxs < MAX_THREADS)
		ctxs[n_ctxs++] = c;
	n_init++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return c;
}

/* Checks and counts; the context is freed at the end of the test (after the
 * pool stopped), so a second fini of one context is seen, not a double free. */
static void t_fini(void *tctx)
{
	struct tctx *c = tctx;
	pthread_mutex_lock(&mu);
	if (c && c->magic == TCTX_MAGIC && pthread_equal(c->thread, pthread_self()))
		c->finis++;
	n_fini++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void free_ctxs(void)
{
	for (int i = 0; i < n_ctxs; i++)
		free(ctxs[i]);
	n_ctxs = 0;
}

/* Wait (at most UNIT_DEADLINE_MS) until expr holds; evaluated under mu. */
#define WAIT_LOCKED(expr)                                                             \
	do {                                                                          \
		struct timespec ts_;                                                  \
		clock_gettime(CLOCK_REALTIME, &ts_);                                  \
		ts_.tv_sec += UNIT_DEADLINE_MS / 1000;                                \
		pthread_mutex_lock(&mu);                                              \
		while (!(expr))                                                       \
			if (pthread_cond_timedwait(&cv, &mu, &ts_) == ETIMEDOUT)      \
				break;                                                \
		int ok_ = (expr);                                                     \
		pthread_mutex_unlock(&mu);                                            \
		if (!ok_)                                                             \
			fail_msg("timed out waiting for %s", #expr);                  \
	} while (0)

static int locked_int(const int *p)
{
	int v;
	pthread_mutex_lock(&mu);
	v = *p;
	pthread_mutex_unlock(&mu);
	return v;
}

/* ---- the test's job ---- */

struct tjob {
	struct worker_job job;
	int id;
	int gate; /* run waits until the gate is open */
	/* worker side */
	int runs;
	pthread_t run_thread;
	void *run_ctx;
	int ctx_ok; /* the context was made by the thread running the job */
	/* loop side */
	int dones;
	int done_on_loop;
	int run_before_done;
};

static void t_run(struct worker_job *job, void *tctx)
{
	struct tjob *j = (struct tjob *)job;
	struct tctx *c = tctx;
	pthread_mutex_lock(&mu);
	if (j->gate) {
		gate_entered = 1;
		pthread_cond_broadcast(&cv);
		while (!gate_open_)
			pthread_cond_wait(&cv, &mu);
	}
	j->runs++;
	j->run_thread = pthread_self();
	j->run_ctx = tctx;
	j->ctx_ok = c && c->magic == TCTX_MAGIC && pthread_equal(c->thread, pthread_self());
	n_run++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void t_done(struct worker_job *job)
{
	struct tjob *j = (struct tjob *)job;
	pthread_mutex_lock(&mu);
	j->dones++;
	j->done_on_loop = pthread_equal(pthread_self(), loop_thread);
	j->run_before_done = j->runs == 1;
	n_done++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void tjob_init(struct tjob *j, int id, int gate)
{
	memset(j, 0, sizeof *j);
	j->job.run = t_run;
	j->job.done = t_done;
	j->id = id;
	j->gate = gate;
}

static void gate_open(void)
{
	pthread_mutex_lock(&mu);
	gate_open_ = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* ---- the loop ---- */

struct fx {
	struct event_base *base;
	struct mailbox *mb;
	struct event *tick;
};

static void fx_open(struct fx *f)
{
	reset();
	f->base = event_base_new();
	assert_non_null(f->base);
	f->mb = mailbox_new(f->base);
	assert_non_null(f->mb);
	f->tick = unit_add_tick(f->base, 10000);
}

static void fx_close(struct fx *f)
{
	mailbox_drain(f->mb);
	event_free(f->tick);
	mailbox_free(f->mb);
	event_base_free(f->base);
	free_ctxs();
}

/* ---- tests ---- */

/* 300 jobs on two threads: each runs exactly once on a worker thread (never
 * the caller's), with the context its own thread's init made; no done runs
 * until the loop runs (they come through the mailbox); then each done runs
 * exactly once, on the loop thread, after its run. Order is not checked. */
static void test_jobs_run_on_workers_done_on_loop(void **state)
{
	(void)state;
	static struct tjob jobs[N_MANY];
	struct fx f;
	struct worker_pool *w;
	pthread_t seen[2];
	int n_seen = 0;

	fx_open(&f);
	w = worker_start(2, N_MANY, f.mb, t_init, t_fini, &the_arg);
	assert_non_null(w);
	for (int i = 0; i < N_MANY; i++) {
		tjob_init(&jobs[i], i, 0);
		assert_int_equal(worker_submit(w, &jobs[i].job), 0);
	}
	/* Every run happens without the loop running ... */
	WAIT_LOCKED(n_run == N_MANY);
	/* ... and no done has run yet: they wait in the mailbox for the loop. */
	assert_int_equal(locked_int(&n_done), 0);
	UNIT_WAIT_FOR(f.base, locked_int(&n_done) == N_MANY);
	assert_int_equal(locked_int(&n_done), N_MANY);

	pthread_mutex_lock(&mu);
	for (int i = 0; i < N_MANY; i++) {
		struct tjob *j = &jobs[i];
		if (j->runs != 1 || j->dones != 1)
			fail_msg("job %d ran %d times, completed %d times", i, j->runs, j->dones);
		assert_false(pthread_equal(j->run_thread, loop_thread));
		assert_true(j->ctx_ok);
		assert_true(j->done_on_loop);
		assert_true(j->run_before_done);
		int known = 0;
		for (int k = 0; k < n_seen; k++)
			known |= pthread_equal(seen[k], j->run_thread);
		if (!known) {
			assert_true(n_seen < 2); /* no more threads than asked for */
			seen[n_seen++] = j->run_thread;
		}
	}
	pthread_mutex_unlock(&mu);

	worker_stop(w);
	/* Nothing more completes after the stop (no job twice). */
	mailbox_drain(f.mb);
	assert_int_equal(locked_int(&n_done), N_MANY);
	assert_int_equal(locked_int(&n_init), 2);
	assert_int_equal(locked_int(&n_fini), 2);
	fx_close(&f);
}

/* init runs once on each thread (with the pool's arg) and fini once per
 * thread with that thread's context, for 1, 3 and the most threads. NULL
 * init/fini are allowed: the job's context is then NULL. */
static void test_init_fini_per_thread(void **state)
{
	(void)state;
	static const int ns[] = { 1, 3, MAX_THREADS };
	for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
		struct fx f;
		struct worker_pool *w;
		int n = ns[k];
		fx_open(&f);
		w = worker_start(n, 4, f.mb, t_init, t_fini, &the_arg);
		assert_non_null(w);
		WAIT_LOCKED(n_init == n);
		assert_int_equal(locked_int(&n_fini), 0);
		worker_stop(w);
		pthread_mutex_lock(&mu);
		assert_int_equal(n_init, n);
		assert_int_equal(n_fini, n);
		assert_int_equal(n_ctxs, n);
		assert_int_equal(init_arg_wrong, 0);
		assert_ptr_equal(init_arg_seen, &the_arg);
		for (int i = 0; i < n; i++) {
			assert_int_equal(ctxs[i]->finis, 1);
			for (int j = 0; j < i; j++)
				assert_false(pthread_equal(ctxs[i]->thread, ctxs[j]->thread));
		}
		pthread_mutex_unlock(&mu);
		fx_close(&f);
	}

	/* Without init/fini. */
	struct fx f;
	struct tjob j;
	struct worker_pool *w;
	fx_open(&f);
	w = worker_start(2, 4, f.mb, NULL, NULL, NULL);
	assert_non_null(w);
	tjob_init(&j, 0, 0);
	j.run_ctx = &j; /* must become NULL */
	assert_int_equal(worker_submit(w, &j.job), 0);
	UNIT_WAIT_FOR(f.base, locked_int(&n_done) == 1);
	assert_int_equal(j.dones, 1);
	assert_null(j.run_ctx);
	worker_stop(w);
	assert_int_equal(n_init + n_fini, 0);
	fx_close(&f);

	worker_stop(NULL); /* a no-op */
}

/* The queue bound: one thread held by a gate job, queue_max N: N more jobs
 * are accepted, the next is refused (-1) and never runs (the caller keeps
 * it); once the gate opens, all N + 1 complete, and the queue takes work
 * again. */
static void test_queue_bound(void **state)
{
	(void)state;
	enum { N = 5 };
	struct tjob gate, q[N], refused, later;
	struct fx f;
	struct worker_pool *w;

	fx_open(&f);
	w = worker_start(1, N, f.mb, t_init, t_fini, &the_arg);
	assert_non_null(w);
	tjob_init(&gate, 100, 1);
	assert_int_equal(worker_submit(w, &gate.job), 0);
	WAIT_LOCKED(gate_entered); /* the only thread is busy; the queue is empty */
	for (int i = 0; i < N; i++) {
		tjob_init(&q[i], i, 0);
		if (worker_submit(w, &q[i].job) != 0)
			fail_msg("job %d of %d refused with room in the queue", i + 1, N);
	}
	tjob_init(&refused, 99, 0);
	assert_int_equal(worker_submit(w, &refused.job), -1);
	assert_int_equal(worker_submit(w, &refused.job), -1); /* still full */

	gate_open();
	UNIT_WAIT_FOR(f.base, locked_int(&n_done) == N + 1);
	pthread_mutex_lock(&mu);
	assert_int_equal(n_done, N + 1);
	assert_int_equal(gate.runs, 1);
	assert_int_equal(gate.dones, 1);
	for (int i = 0; i < N; i++) {
		assert_int_equal(q[i].runs, 1);
		assert_int_equal(q[i].dones, 1);
	}
	assert_int_equal(refused.runs, 0);
	assert_int_equal(refused.dones, 0);
	pthread_mutex_unlock(&mu);

	/* Room again: the refused job can now be submitted, and another. */
	tjob_init(&later, 200, 0);
	assert_int_equal(worker_submit(w, &refused.job), 0);
	assert_int_equal(worker_submit(w, &later.job), 0);
	UNIT_WAIT_FOR(f.base, locked_int(&n_done) == N + 3);
	assert_int_equal(refused.dones, 1);
	assert_int_equal(later.dones, 1);
	worker_stop(w);
	fx_close(&f);
}

/* A stopper thread: worker_stop blocks until the threads end. */
struct stopper {
	pthread_t th;
	struct worker_pool *w;
	int calling, returned;
};

static void *stopper_main(void *arg)
{
	struct stopper *s = arg;
	pthread_mutex_lock(&mu);
	s->calling = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	worker_stop(s->w);
	pthread_mutex_lock(&mu);
	s->returned = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* worker_stop finishes the queued jobs. One thread held by a gate job, N
 * jobs queued, then worker_stop on another thread; once the pool is
 * stopping (seen as worker_submit refusing work with room in the queue),
 * the gate opens. worker_stop returns only after every queued job ran, and
 * their done callbacks are in the mailbox: one drain runs them all. */
static void test_stop_finishes_queue(void **state)
{
	(void)state;
	/* At most one probe a millisecond (after the first 100) within the
	 * deadline: PROBES is never the limit. */
	enum { N = 6, PROBES = 100 + UNIT_DEADLINE_MS + 1000 };
	struct tjob *probe = calloc(PROBES, sizeof *probe);
	struct tjob gate, q[N];
	struct stopper s = { 0 };
	struct fx f;
	int n_probes = 0, accepted = 0;

	assert_non_null(probe);
	fx_open(&f);
	s.w = worker_start(1, N + PROBES, f.mb, t_init, t_fini, &the_arg);
	assert_non_null(s.w);
	tjob_init(&gate, 100, 1);
	assert_int_equal(worker_submit(s.w, &gate.job), 0);
	WAIT_LOCKED(gate_entered);
	for (int i = 0; i < N; i++) {
		tjob_init(&q[i], i, 0);
		assert_int_equal(worker_submit(s.w, &q[i].job), 0);
	}
	assert_int_equal(pthread_create(&s.th, NULL, stopper_main, &s), 0);
	WAIT_LOCKED(s.calling);
	/* The pool is stopping once it refuses a job although the queue has
	 * room (worker.c refuses work while stopping); until then each probe is
	 * queued like any other job and must run too. The pool cannot be freed
	 * yet: its only thread is held by the gate. */
	{
		int64_t dl = unit_mono_ms() + UNIT_DEADLINE_MS;
		for (;;) {
			if (n_probes == PROBES || unit_mono_ms() > dl)
				fail_msg("worker_stop never took effect (%d probes)", n_probes);
			tjob_init(&probe[n_probes], 1000 + n_probes, 0);
			if (worker_submit(s.w, &probe[n_probes].job) != 0)
				break;
			accepted++;
			n_probes++;
			/* The poll interval: a stopper thread the busy machine has not
			 * scheduled yet gets the CPU. */
			if (n_probes < 100) {
				sched_yield();
			} else {
				struct timespec ms = { 0, 1000000 };
				nanosleep(&ms, NULL);
			}
		}
	}
	assert_int_equal(locked_int(&s.returned), 0); /* still held by the gate */
	assert_int_equal(locked_int(&n_run), 0);
	gate_open();
	assert_int_equal(pthread_join(s.th, NULL), 0);
	assert_int_equal(s.returned, 1);

	/* Everything queued ran before worker_stop returned ... */
	assert_int_equal(locked_int(&n_run), 1 + N + accepted);
	assert_int_equal(locked_int(&n_fini), 1);
	/* ... and each done is in the mailbox, for the caller to drain. */
	assert_int_equal(locked_int(&n_done), 0);
	mailbox_drain(f.mb);
	assert_int_equal(locked_int(&n_done), 1 + N + accepted);
	for (int i = 0; i < N; i++) {
		assert_int_equal(q[i].runs, 1);
		assert_int_equal(q[i].dones, 1);
		assert_true(q[i].done_on_loop);
	}
	assert_int_equal(probe[n_probes].runs, 0); /* the refused probe */
	fx_close(&f);
	free(probe);
}

/* Jobs submitted from several threads at once (submit is for any thread)
 * all complete exactly once. */
struct submitter {
	pthread_t th;
	struct worker_pool *w;
	struct tjob *jobs;
	int n, refused;
};

static void *submitter_main(void *arg)
{
	struct submitter *s = arg;
	for (int i = 0; i < s->n; i++)
		if (worker_submit(s->w, &s->jobs[i].job) != 0)
			s->refused++;
	return NULL;
}

static void test_submit_from_threads(void **state)
{
	(void)state;
	enum { T = 4, PER = 200 };
	static struct tjob jobs[T * PER];
	struct submitter sub[T];
	struct fx f;
	struct worker_pool *w;

	fx_open(&f);
	w = worker_start(3, T * PER, f.mb, t_init, t_fini, &the_arg);
	assert_non_null(w);
	for (int i = 0; i < T * PER; i++)
		tjob_init(&jobs[i], i, 0);
	for (int t = 0; t < T; t++) {
		sub[t] = (struct submitter){ .w = w, .jobs = jobs + t * PER, .n = PER };
		assert_int_equal(pthread_create(&sub[t].th, NULL, submitter_main, &sub[t]), 0);
	}
	for (int t = 0; t < T; t++) {
		assert_int_equal(pthread_join(sub[t].th, NULL), 0);
		assert_int_equal(sub[t].refused, 0);
	}
	UNIT_WAIT_FOR(f.base, locked_int(&n_done) == T * PER);
	worker_stop(w);
	mailbox_drain(f.mb);
	assert_int_equal(n_done, T * PER);
	for (int i = 0; i < T * PER; i++)
		if (jobs[i].runs != 1 || jobs[i].dones != 1)
			fail_msg("job %d ran %d times, completed %d times", i, jobs[i].runs,
				 jobs[i].dones);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_run_on_workers_done_on_loop),
		cmocka_unit_test(test_init_fini_per_thread),
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_stop_finishes_queue),
		cmocka_unit_test(test_submit_from_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
