/* bench_dash.c - run mode with --dashboards N: the dashboard process. It
 * holds N live proctor dashboards, one Server-Sent Events stream per
 * sitting (GET /api/v1/staff/sittings/{id}/events with the staff Bearer
 * token, docs/API.md), on its own event loop next to the candidate
 * workers, and measures how long an answer takes to reach a dashboard:
 *
 *   a candidate worker, on an answer's 200, stores the time in the
 *   candidate's pending slot if it is 0 (bench_candidate.c, cand_mark_ack);
 *   here, each row of a "rows" (or "snapshot") event is matched to its
 *   candidate by registration number, the slot is swapped to 0, and a
 *   non-zero value gives one lag sample: now - that time.
 *
 * So a sample is the lag from the earliest answer acknowledgement not yet
 * reflected on the dashboard to the arrival of the next row for that
 * candidate (the server coalesces a candidate's changes into one row per
 * UJ_SSE_FLUSH_MS). Both ends read CLOCK_MONOTONIC, one clock for all
 * processes.
 *
 * A stream that ends or fails is opened again after BENCH_DASH_RETRY_MS
 * with Last-Event-ID (counted as a reconnect). The process stops
 * BENCH_DASH_GRACE_MS after the last candidate worker ended (or at
 * --max-seconds, or on a signal); acknowledgements still pending then are
 * counted as unseen. */
#include "bench.h"
#include "core/mem.h"

#include <assert.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct dash_worker;

struct dash_sub {
	struct dash_worker *dw;
	long sitting;
	struct evhttp_connection *conn;
	struct evhttp_request *req;     /* the stream, while open */
	struct event *retry;
	struct evbuffer *text;          /* received bytes not yet a whole event */
	char last_id[24];               /* id of the last event, for Last-Event-ID */
	int opened;                     /* a stream was open once (the next one is a reconnect) */
};

struct dash_index {
	const char *regno;
	size_t i;
};

struct dash_worker {
	const struct bench_cfg *cfg;
	struct bench_stats *st;
	struct event_base *base;
	struct dash_sub *subs;
	struct dash_index *index;       /* candidates by registration number */
	size_t n_index;
	struct proc_events ev;
	struct event *watch;            /* polls workers_left */
	int64_t done_at;                /* when the last candidate worker ended, 0 = running */
	int stopping;
};

static void dash_open(struct dash_sub *s);

static int dash_index_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dash_index *)a)->regno, ((const struct dash_index *)b)->regno);
}

/* Index of the candidate with this registration number, or -1. */
static long dash_find(const struct dash_worker *dw, const char *regno)
{
	struct dash_index key = { regno, 0 }, *hit;
	hit = bsearch(&key, dw->index, dw->n_index, sizeof key, dash_index_cmp);
	return hit ? (long)hit->i : -1;
}

/* Rows of one event arrived now. */
static void dash_rows(struct dash_worker *dw, const json_t *rows, int64_t now)
{
	struct bench_shared *sh = dw->cfg->shared;
	size_t k;
	const json_t *r;

	json_array_foreach(rows, k, r) {
		const char *regno = json_string_value(json_object_get(r, "regno"));
		long i = regno ? dash_find(dw, regno) : -1;
		dw->st->dash_rows++;
		if (i < 0) {
			dw->st->dash_unknown++;
			continue;
		}
		/* last_row first: see cand_mark_ack. */
		atomic_store(&sh->last_row[i], now);
		int64_t t = atomic_exchange(&sh->pending[i], 0);
		if (t > 0)
			hist_add(&dw->st->lag, (uint64_t)(now > t ? now - t : 0));
	}
}

/* One whole event: "id:", "event:" and "data:" lines ("data" lines joined
 * with newlines), comments ignored. */
static void dash_event(struct dash_sub *s, char *block, int64_t now)
{
	struct dash_worker *dw = s->dw;
	char event[32] = "message", *line, *save = NULL;
	struct evbuffer *data = evbuffer_new();
	json_t *doc;

	if (!data)
		abort();
	for (line = strtok_r(block, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (strncmp(line, "data:", 5) == 0) {
			const char *v = line[5] == ' ' ? line + 6 : line + 5;
			if (evbuffer_get_length(data))
				evbuffer_add(data, "\n", 1);
			evbuffer_add(data, v, strlen(v));
		} else if (strncmp(line, "event:", 6) == 0) {
			str_copy(event, sizeof event, line[6] == ' ' ? line + 7 : line + 6);
		} else if (strncmp(line, "id:", 3) == 0) {
			str_copy(s->last_id, sizeof s->last_id, line[3] == ' ' ? line + 4 : line + 3);
		}
	}
	if (evbuffer_get_length(data) == 0)
		goto out; /* a heartbeat comment */
	dw->st->dash_events++;
	if (strcmp(event, "rows") != 0 && strcmp(event, "snapshot") != 0)
		goto out;
	if (strcmp(event, "snapshot") == 0)
		dw->st->dash_snapshots++;
	doc = json_loadb((const char *)evbuffer_pullup(data, -1), evbuffer_get_length(data), 0, NULL);
	if (!doc)
		stats_error(dw->st, BOP_DASH, 200, "dash_bad_event");
	else
		dash_rows(dw, json_object_get(doc, "rows"), now);
	json_decref(doc);
out:
	evbuffer_free(data);
}

/* A chunk of the stream: take every whole event (ended by a blank line). */
static void dash_chunk(struct evhttp_request *req, void *arg)
{
	struct dash_sub *s = arg;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	int64_t now = bench_now_us();
	struct evbuffer_ptr end;

	s->dw->st->dash_bytes += evbuffer_get_length(in);
	evbuffer_add_buffer(s->text, in);
	while ((end = evbuffer_search(s->text, "\n\n", 2, NULL)).pos >= 0) {
		size_t n = (size_t)end.pos;
		char *block = xmalloc(n + 1);
		evbuffer_remove(s->text, block, n);
		evbuffer_drain(s->text, 2);
		block[n] = '\0';
		dash_event(s, block, now);
		free(block);
	}
	if (evbuffer_get_length(s->text) > BENCH_DASH_EVENT_MAX) {
		stats_error(s->dw->st, BOP_DASH, 200, "dash_event_too_large");
		evbuffer_drain(s->text, evbuffer_get_length(s->text));
	}
}

/* The stream's response headers: 200 means it is open. */
static int dash_headers(struct evhttp_request *req, void *arg)
{
	struct dash_sub *s = arg;
	int status = evhttp_request_get_response_code(req);
	if (status != 200) {
		stats_error(s->dw->st, BOP_DASH, status, "dash_refused");
		return 0; /* read the error body; dash_done retries */
	}
	if (s->opened)
		s->dw->st->dash_reconnects++;
	else
		s->dw->st->dash_streams++;
	s->opened = 1;
	return 0;
}

/* The stream ended (server closed it, timeout, refused): open it again. */
static void dash_done(struct evhttp_request *req, void *arg)
{
	struct dash_sub *s = arg;
	struct timeval tv = bench_timeval((int64_t)BENCH_DASH_RETRY_MS * 1000);
	(void)req;
	s->req = NULL;
	if (s->dw->stopping)
		return;
	evbuffer_drain(s->text, evbuffer_get_length(s->text));
	if (!req || evhttp_request_get_response_code(req) == 0)
		stats_error(s->dw->st, BOP_DASH, 0, "dash_conn");
	evtimer_add(s->retry, &tv);
}

static void dash_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dash_open(arg);
}

/* Open (or reopen) s's stream. */
static void dash_open(struct dash_sub *s)
{
	const struct bench_cfg *cfg = s->dw->cfg;
	char path[BENCH_PATH_MAX];
	struct evhttp_request *req;

	if (s->dw->stopping)
		return;
	if (!s->conn) {
		s->conn = net_conn_new(s->dw->base, cfg, NULL, NULL);
		evhttp_connection_set_timeout(s->conn, BENCH_DASH_TIMEOUT_S);
		/* the stream's body has no end: no total size limit */
		evhttp_connection_set_max_body_size(s->conn, -1);
	}
	req = net_request_new(cfg, cfg->dash_token, dash_done, NULL, s);
	evhttp_request_set_chunked_cb(req, dash_chunk);
	evhttp_request_set_header_cb(req, dash_headers);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Accept", "text/event-stream");
	if (s->last_id[0])
		evhttp_add_header(evhttp_request_get_output_headers(req), "Last-Event-ID", s->last_id);
	snprintf(path, sizeof path, "/api/v1/staff/sittings/%ld/events", s->sitting);
	s->req = req;
	if (evhttp_make_request(s->conn, req, EVHTTP_REQ_GET, path) != 0) {
		struct timeval tv = bench_timeval((int64_t)BENCH_DASH_RETRY_MS * 1000);
		evhttp_request_free(req);
		s->req = NULL;
		stats_error(s->dw->st, BOP_DASH, 0, "dash_bind");
		evtimer_add(s->retry, &tv);
	}
}

/* Stop: close every stream (libevent frees the open requests without
 * calling back), count what is still pending, leave the loop. */
static void dash_stop(struct dash_worker *dw, enum bench_stop why)
{
	struct bench_shared *sh = dw->cfg->shared;
	dw->stopping = 1;
	for (long k = 0; k < dw->cfg->dashboards; k++) {
		struct dash_sub *s = &dw->subs[k];
		if (s->conn)
			evhttp_connection_free(s->conn);
		s->conn = NULL;
		s->req = NULL;
		evtimer_del(s->retry);
	}
	for (long i = 0; i < dw->cfg->count; i++)
		if (atomic_load(&sh->pending[i]) != 0)
			dw->st->dash_unseen++;
	if ((int)why > dw->st->stop)
		dw->st->stop = why;
	event_base_loopexit(dw->base, NULL);
}

static void dash_watch(evutil_socket_t fd, short what, void *arg)
{
	struct dash_worker *dw = arg;
	int64_t now = bench_now_us();
	(void)fd;
	(void)what;
	if (dw->stopping)
		return;
	if (!dw->done_at && atomic_load(&dw->cfg->shared->workers_left) <= 0)
		dw->done_at = now;
	if (dw->done_at && now - dw->done_at >= (int64_t)BENCH_DASH_GRACE_MS * 1000)
		dash_stop(dw, STOP_DONE);
}

static void dash_on_limit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dash_stop(arg, STOP_LIMIT);
}

static void dash_on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dash_stop(arg, STOP_SIGNAL);
}

int dash_worker(const struct bench_cfg *cfg, struct bench_stats *st, const struct bench_creds *creds)
{
	struct dash_worker dw;
	struct timeval watch = { 0, 200000 };
	int rc = -1;

	assert(cfg->shared && cfg->dashboards > 0 && cfg->dash_sittings);
	memset(&dw, 0, sizeof dw);
	dw.cfg = cfg;
	dw.st = st;
	dw.base = event_base_new();
	if (!dw.base) {
		fprintf(stderr, "ujian-bench: dashboards: cannot create an event base\n");
		return -1;
	}
	dw.n_index = (size_t)cfg->count;
	dw.index = xcalloc(dw.n_index ? dw.n_index : 1, sizeof *dw.index);
	for (size_t i = 0; i < dw.n_index; i++) {
		dw.index[i].regno = creds->v[i].regno;
		dw.index[i].i = i;
	}
	qsort(dw.index, dw.n_index, sizeof *dw.index, dash_index_cmp);
	dw.subs = xcalloc((size_t)cfg->dashboards, sizeof *dw.subs);
	for (long k = 0; k < cfg->dashboards; k++) {
		struct dash_sub *s = &dw.subs[k];
		s->dw = &dw;
		s->sitting = cfg->dash_sittings[k];
		s->text = evbuffer_new();
		s->retry = evtimer_new(dw.base, dash_retry, s);
		if (!s->text || !s->retry)
			abort();
		dash_open(s);
	}
	dw.watch = event_new(dw.base, -1, EV_PERSIST, dash_watch, &dw);
	if (!dw.watch)
		abort();
	event_add(dw.watch, &watch);
	proc_events_add(&dw.ev, dw.base, cfg, dash_on_limit, dash_on_signal, &dw);
	event_base_dispatch(dw.base);
	rc = 0;

	for (long k = 0; k < cfg->dashboards; k++) {
		struct dash_sub *s = &dw.subs[k];
		if (s->conn)
			evhttp_connection_free(s->conn);
		if (s->retry)
			event_free(s->retry);
		if (s->text)
			evbuffer_free(s->text);
	}
	free(dw.subs);
	free(dw.index);
	proc_events_free(&dw.ev);
	event_free(dw.watch);
	event_base_free(dw.base);
	return rc;
}
