/* worker.h - a small pool of threads for slow work the event loop must not
 * do itself: scrypt password hashes (about 90 ms each) and heavy reads
 * (an exam's results, the audit log).
 *
 * A job is a domain struct whose first member is struct worker_job. Its run
 * function runs on a worker thread with that thread's context (made by the
 * pool's init function, e.g. a read-only database connection); its done
 * function then runs on the loop thread through the pool's mailbox, and
 * owns the job from there on. The queue is bounded (queue_max): a job that
 * finds it full is refused, so a login storm cannot grow memory without end;
 * the caller answers 503 server_busy. */
#ifndef UJIAN_WORKER_H
#define UJIAN_WORKER_H

#include "core/mailbox.h"

#include <stddef.h>

struct worker_job;
/* On a worker thread; tctx is that thread's context. */
typedef void (*worker_run_fn)(struct worker_job *job, void *tctx);
/* On the loop thread after run; owns (frees) the job. */
typedef void (*worker_done_fn)(struct worker_job *job);
/* Per-thread context: made when a thread starts (NULL result is allowed),
 * freed when it ends. */
typedef void *(*worker_init_fn)(void *arg);
typedef void (*worker_fini_fn)(void *tctx);

struct worker_job {
	worker_run_fn run;
	worker_done_fn done;
	struct worker_job *next; /* the pool's queue link */
};

struct worker_pool;

/* Start n threads (1..UJ_WORKERS * 4) whose done callbacks post to mb.
 * init/fini may be NULL. Returns NULL if a thread could not start. */
struct worker_pool *worker_start(int n, size_t queue_max, struct mailbox *mb,
				 worker_init_fn init, worker_fini_fn fini, void *arg);
/* Queue job (any thread). Returns 0, or -1 when the queue is full or the
 * pool is stopping (the job is not taken; the caller still owns it). */
int worker_submit(struct worker_pool *w, struct worker_job *job);
/* Finish the queued jobs, stop the threads. Their done callbacks are posted
 * to the mailbox; the caller drains it. NULL is a no-op. */
void worker_stop(struct worker_pool *w);

#endif
