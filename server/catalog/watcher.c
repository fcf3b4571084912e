/* watcher.c - catalog polling thread. */
#include "catalog/watcher.h"
#include "core/clock.h"
#include "store/db.h"
#include "core/log.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* A request to reload one exam, and whom to tell. */
struct watcher_reload {
	int64_t exam_id;
	watcher_reload_fn fn;
	void *arg;
	struct watcher_reload *next;
};

struct watcher {
	struct watcher_reload *reloads; /* requested, under lock */
	struct loader *loader;
	struct registry *reg;
	struct mailbox *mb;
	int poll_ms;
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stopping;
};

struct watcher_mail {
	struct registry *reg;
	struct load_batch b;
	struct watcher_reload *syncs; /* told once the batch is merged */
};

/* Loop thread: merge a loaded batch into the registry, then tell those who
 * asked for a sync. */
static void watcher_deliver(void *arg)
{
	struct watcher_mail *m = arg;
	size_t ne = m->b.n_exams, nc = m->b.n_cands;
	loader_merge(m->reg, &m->b);
	registry_changed(m->reg);
	if (ne || nc)
		log_info("catalog: picked up %zu new exam(s) and %zu new candidate(s)", ne, nc);
	while (m->syncs) {
		struct watcher_reload *next = m->syncs->next;
		m->syncs->fn(m->syncs->arg, 1);
		free(m->syncs);
		m->syncs = next;
	}
	free(m);
}

struct watcher_reload_mail {
	struct registry *reg;
	struct watcher_reload req;
	int ok;
	struct exam_reload r;
};

/* Loop thread: put a reloaded exam into the registry, then tell. */
static void watcher_deliver_reload(void *arg)
{
	struct watcher_reload_mail *m = arg;
	int ok = m->ok && loader_apply_reload(m->reg, &m->r) == 0;
	registry_changed(m->reg);
	if (ok)
		log_info("catalog: exam %lld reloaded with %zu new paper(s)", (long long)m->req.exam_id,
			 m->r.n);
	loader_reload_free(&m->r);
	m->req.fn(m->req.arg, ok);
	free(m);
}

/* Watcher thread: serve the reload requests taken from the list; sync
 * requests (exam_id 0) move to *syncs, in order. */
static void watcher_serve_reloads(struct watcher *w, struct watcher_reload *list,
				  struct watcher_reload **syncs)
{
	char err[512];
	while (list) {
		struct watcher_reload *next = list->next;
		struct watcher_reload_mail *m;
		if (list->exam_id == 0) {
			list->next = NULL;
			*syncs = list;
			syncs = &list->next;
			list = next;
			continue;
		}
		m = xcalloc(1, sizeof *m);
		m->reg = w->reg;
		m->req = *list;
		m->ok = loader_reload_exam(w->loader, w->db, list->exam_id, &m->r, err, sizeof err) == 0;
		if (!m->ok)
			log_error("catalog: cannot reload exam %lld: %s", (long long)list->exam_id, err);
		mailbox_post(w->mb, watcher_deliver_reload, m);
		free(list);
		list = next;
	}
}

void watcher_sync(struct watcher *w, watcher_reload_fn fn, void *arg)
{
	watcher_reload(w, 0, fn, arg);
}

void watcher_reload(struct watcher *w, int64_t exam_id, watcher_reload_fn fn, void *arg)
{
	struct watcher_reload *r = xcalloc(1, sizeof *r), **tail;
	r->exam_id = exam_id;
	r->fn = fn;
	r->arg = arg;
	pthread_mutex_lock(&w->lock);
	for (tail = &w->reloads; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void *watcher_main(void *arg)
{
	struct watcher *w = arg;
	struct watcher_reload *syncs = NULL;
	char err[512];

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct timespec ts = clock_wait_until(w->poll_ms);
		if (!w->reloads)
			pthread_cond_timedwait(&w->cond, &w->lock, &ts);
		if (w->stopping)
			break;
		{
			struct watcher_reload *list = w->reloads;
			w->reloads = NULL;
			pthread_mutex_unlock(&w->lock);
			watcher_serve_reloads(w, list, &syncs);
		}
		if (db_meta_get(w->db, "catalog_version") != w->loader->catalog_version) {
			struct watcher_mail *m = xcalloc(1, sizeof *m);
			m->reg = w->reg;
			m->syncs = syncs;
			syncs = NULL;
			/* On failure, what was loaded before the problem is still
			 * merged (the loader counts it as known); the rest is
			 * retried at the next poll. */
			if (loader_load(w->loader, w->db, &m->b, err, sizeof err))
				log_warn("catalog: cannot load new exams or candidates: %s", err);
			if (m->b.n_exams || m->b.n_cands || m->b.has_sittings || m->syncs) {
				mailbox_post(w->mb, watcher_deliver, m);
			} else {
				loader_batch_free(&m->b);
				free(m);
			}
		}
		if (syncs) {
			/* Nothing new since the last load, which is already posted:
			 * the mailbox runs this after it. */
			struct watcher_mail *m = xcalloc(1, sizeof *m);
			m->reg = w->reg;
			m->syncs = syncs;
			hmap_init(&m->b.cand_sitting);
			syncs = NULL;
			mailbox_post(w->mb, watcher_deliver, m);
		}
		pthread_mutex_lock(&w->lock);
	}
	/* Stopping: requests not served are answered as failed (on the loop,
	 * from the mailbox the server drains while closing). */
	{
		struct watcher_reload *list = w->reloads;
		w->reloads = NULL;
		pthread_mutex_unlock(&w->lock);
		while (list) {
			struct watcher_reload *next = list->next;
			struct watcher_reload_mail *m = xcalloc(1, sizeof *m);
			m->reg = w->reg;
			m->req = *list;
			mailbox_post(w->mb, watcher_deliver_reload, m);
			free(list);
			list = next;
		}
	}
	return NULL;
}

struct watcher *watcher_start(const char *db_path, int poll_ms, struct loader *L,
			       struct registry *reg, struct mailbox *mb, char *err, size_t errlen)
{
	struct watcher *w = xcalloc(1, sizeof *w);
	w->loader = L;
	w->reg = reg;
	w->mb = mb;
	w->poll_ms = poll_ms;
	w->db = db_open(db_path, DB_OPEN_EXISTING, err, errlen);
	if (!w->db) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	clock_cond_init(&w->cond);
	if (pthread_create(&w->thread, NULL, watcher_main, w) != 0) {
		snprintf(err, errlen, "cannot start the catalog watcher");
		db_close(w->db);
		free(w);
		return NULL;
	}
	return w;
}

void watcher_stop(struct watcher *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
