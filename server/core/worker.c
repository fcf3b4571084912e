/* worker.c - the worker thread pool (see core/worker.h). */
#include "core/worker.h"
#include "core/mem.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

#define WORKER_THREADS_MAX 8

struct worker_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct worker_job *head, *tail;
	size_t queued, queue_max;
	int stopping;
	int n;
	pthread_t th[WORKER_THREADS_MAX];
	struct mailbox *mb;
	worker_init_fn init;
	worker_fini_fn fini;
	void *arg;
};

static void worker_post_done(void *arg)
{
	struct worker_job *job = arg;
	job->done(job);
}

static void *worker_main(void *arg)
{
	struct worker_pool *w = arg;
	void *tctx = w->init ? w->init(w->arg) : NULL;

	for (;;) {
		struct worker_job *job;
		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		job = w->head;
		if (job) {
			w->head = job->next;
			if (!w->head)
				w->tail = NULL;
			w->queued--;
		}
		pthread_mutex_unlock(&w->mu);
		if (!job)
			break; /* stopping and the queue is empty */
		job->next = NULL;
		job->run(job, tctx);
		mailbox_post(w->mb, worker_post_done, job);
	}
	if (w->fini)
		w->fini(tctx);
	return NULL;
}

struct worker_pool *worker_start(int n, size_t queue_max, struct mailbox *mb,
				 worker_init_fn init, worker_fini_fn fini, void *arg)
{
	struct worker_pool *w = xcalloc(1, sizeof *w);

	assert(n >= 1 && n <= WORKER_THREADS_MAX && mb && queue_max > 0);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->queue_max = queue_max;
	w->mb = mb;
	w->init = init;
	w->fini = fini;
	w->arg = arg;
	for (; w->n < n; w->n++)
		if (pthread_create(&w->th[w->n], NULL, worker_main, w) != 0) {
			worker_stop(w);
			return NULL;
		}
	return w;
}

int worker_submit(struct worker_pool *w, struct worker_job *job)
{
	int rc = -1;

	assert(job->run && job->done);
	pthread_mutex_lock(&w->mu);
	if (!w->stopping && w->queued < w->queue_max) {
		job->next = NULL;
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		w->queued++;
		pthread_cond_signal(&w->cv);
		rc = 0;
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void worker_stop(struct worker_pool *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->n; i++)
		pthread_join(w->th[i], NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
