/* sse.c - Server-Sent Events streams over evhttp (see http/sse.h).
 *
 * A stream is one evhttp request answered with evhttp_send_reply_start and
 * then one chunk per event. Everything a stream is sent goes through the
 * output evbuffer of its connection's bufferevent (a plain socket one, or an
 * OpenSSL one under HTTPS: only the public evhttp and bufferevent calls are
 * used, which behave the same for both), so that buffer's length is the
 * stream's unsent backlog:
 *
 *   - at each publish, a stream whose backlog is over the hub's buffer cap
 *     is marked behind and skipped (and stays skipped while behind);
 *   - an evbuffer callback on that output buffer notices when a behind
 *     stream's backlog has drained to zero, and activates the stream's
 *     catch-up event, which sends one snapshot (carrying the topic's newest
 *     id) and makes the stream live again. The callback itself never writes
 *     (it runs inside evbuffer operations); the event does.
 *
 * Lifetime: the stream is freed either when its client goes (evhttp calls
 * the connection's close callback; a request whose client left is detached
 * from the connection, so sse_closed ends it with evhttp_send_reply_end,
 * which frees it) or when its topic or hub is freed (the close callback is
 * cleared first, then evhttp_send_reply_end finishes the chunked reply; the
 * reply carries "Connection: close", so evhttp then closes the connection).
 * When evhttp frees a connection with the request still attached (the
 * server stopping), it frees the request itself after the close callback. */
#include "http/sse.h"
#include "http/connguard.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"

#include <assert.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>

struct sse_stream {
	struct sse_hub *hub;
	struct sse_topic *topic;
	struct evhttp_request *req;
	struct evhttp_connection *conn;
	struct evbuffer *out;             /* the connection's bufferevent output */
	struct evbuffer_cb_entry *out_cb; /* drain watch on out */
	struct event *catch_up;           /* sends the snapshot once drained */
	int behind;                       /* over the cap: no events until drained */
	int catch_up_pending;             /* catch_up is active */
	int quiet;                        /* nothing sent since the last heartbeat tick */
	LIST_ENTRY(sse_stream) link;
};

/* One event of the ring, as the bytes a stream is sent. */
struct sse_event {
	uint64_t id;
	char *frame;
	size_t len;
};

struct sse_topic {
	struct sse_hub *hub;
	char *snapshot_event;
	sse_snapshot_fn snap;
	void *arg;
	uint64_t last_id; /* id of the newest event; 0 = none yet */
	struct sse_event ring[UJ_SSE_RING];
	int ring_start, ring_n; /* oldest slot, events held */
	size_t ring_bytes;
	int n_streams;
	LIST_HEAD(, sse_stream) streams;
	LIST_ENTRY(sse_topic) link;
};

struct sse_hub {
	struct event_base *base;
	int max_streams;
	size_t buffer_max;
	uint64_t id_base; /* a new topic's ids continue from here */
	int n_streams;
	struct event *heartbeat;
	struct evbuffer *scratch; /* one frame on its way into a chunk */
	LIST_HEAD(, sse_topic) topics;
};

static const char sse_heartbeat_frame[] = ": hb\n\n";

/* ---- frames ---- */

/* The wire form of one event: "id: N\n" (if id > 0), "event: NAME\n", one
 * "data: " line per line of data (CR, LF and CRLF all end a line), and the
 * blank line that dispatches it. Caller frees; *len set. */
static char *sse_frame(uint64_t id, const char *event, const char *data, size_t len,
		       size_t *out_len)
{
	struct evbuffer *b = evbuffer_new();
	size_t i = 0, n;
	char *frame;

	if (!b)
		abort(); /* out of memory */
	assert(event && !strpbrk(event, "\r\n"));
	if (id > 0)
		evbuffer_add_printf(b, "id: %" PRIu64 "\n", id);
	evbuffer_add_printf(b, "event: %s\n", event);
	do {
		size_t start = i;
		while (i < len && data[i] != '\n' && data[i] != '\r')
			i++;
		evbuffer_add(b, "data: ", 6);
		evbuffer_add(b, data + start, i - start);
		evbuffer_add(b, "\n", 1);
		if (i < len && data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		if (i < len)
			i++; /* the line end; a data ending in one gets an empty last line */
		else
			break;
	} while (1);
	evbuffer_add(b, "\n", 1);
	n = evbuffer_get_length(b);
	frame = xmalloc(n + 1);
	evbuffer_remove(b, frame, n);
	frame[n] = '\0';
	evbuffer_free(b);
	*out_len = n;
	return frame;
}

/* ---- streams ---- */

/* Write len bytes to s as one chunk of its reply. */
static void sse_stream_send(struct sse_stream *s, const char *bytes, size_t len)
{
	struct sse_hub *h = s->hub;
	evbuffer_add(h->scratch, bytes, len);
	evhttp_send_reply_chunk(s->req, h->scratch); /* moves scratch's contents */
	evbuffer_drain(h->scratch, evbuffer_get_length(h->scratch));
	s->quiet = 0;
}

/* Send s the topic's snapshot, as the event carrying the topic's newest id
 * (nothing if the topic has no snapshot function or it returns NULL). */
static void sse_stream_snapshot(struct sse_stream *s)
{
	struct sse_topic *t = s->topic;
	size_t len = 0, flen;
	char *data, *frame;

	if (!t->snap)
		return;
	data = t->snap(t->arg, &len);
	if (!data)
		return;
	frame = sse_frame(t->last_id, t->snapshot_event, data, len, &flen);
	sse_stream_send(s, frame, flen);
	free(frame);
	free(data);
}

/* The output buffer of a stream changed. Once a behind stream's backlog is
 * gone, schedule its catch-up (never write from inside an evbuffer
 * callback). */
static void sse_out_changed(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct sse_stream *s = arg;
	(void)info;
	if (s->behind && !s->catch_up_pending && evbuffer_get_length(buf) == 0) {
		s->catch_up_pending = 1;
		event_active(s->catch_up, EV_TIMEOUT, 1);
	}
}

/* A behind stream has drained: one snapshot, then live again. */
static void sse_catch_up(evutil_socket_t fd, short what, void *arg)
{
	struct sse_stream *s = arg;
	(void)fd;
	(void)what;
	s->catch_up_pending = 0;
	if (!s->behind)
		return;
	s->behind = 0;
	sse_stream_snapshot(s);
}

/* Take s out of its topic and hub and free it (req is no longer ours). */
static void sse_stream_unlink_free(struct sse_stream *s)
{
	if (s->out_cb)
		evbuffer_remove_cb_entry(s->out, s->out_cb);
	event_free(s->catch_up);
	LIST_REMOVE(s, link);
	s->topic->n_streams--;
	s->hub->n_streams--;
	assert(s->topic->n_streams >= 0 && s->hub->n_streams >= 0);
	free(s);
}

/* evhttp: the stream's connection is going away (client gone, write
 * timeout, server stopping). A request detached from its connection is
 * ours to end (which frees it); one still attached is freed by evhttp right
 * after this callback. */
static void sse_closed(struct evhttp_connection *conn, void *arg)
{
	struct sse_stream *s = arg;
	struct evhttp_request *req = s->req;
	int detached = evhttp_request_get_connection(req) == NULL;
	(void)conn;
	sse_stream_unlink_free(s);
	if (detached)
		evhttp_send_reply_end(req);
}

/* End s from our side: its reply is finished and the connection closes. */
static void sse_stream_end(struct sse_stream *s)
{
	struct evhttp_request *req = s->req;
	connguard_set_closecb(s->conn, NULL, NULL);
	sse_stream_unlink_free(s);
	evhttp_send_reply_end(req);
}

/* ---- hub ---- */

/* Every heartbeat period: a comment to each live stream that sent nothing
 * during the period (a gap between two writes is therefore at most two
 * periods); then every stream counts as quiet again. */
static void sse_heartbeat(evutil_socket_t fd, short what, void *arg)
{
	struct sse_hub *h = arg;
	struct sse_topic *t;
	struct sse_stream *s;
	(void)fd;
	(void)what;
	LIST_FOREACH(t, &h->topics, link)
	LIST_FOREACH(s, &t->streams, link) {
		if (s->quiet && !s->behind)
			sse_stream_send(s, sse_heartbeat_frame, sizeof sse_heartbeat_frame - 1);
		s->quiet = 1;
	}
}

void sse_hub_set_heartbeat_ms(struct sse_hub *h, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	assert(ms > 0);
	event_del(h->heartbeat);
	event_add(h->heartbeat, &tv);
}

struct sse_hub *sse_hub_new(struct event_base *base, int max_streams, size_t buffer_max)
{
	struct sse_hub *h = xcalloc(1, sizeof *h);
	assert(base && max_streams > 0 && buffer_max > 0);
	h->base = base;
	h->max_streams = max_streams;
	h->buffer_max = buffer_max;
	/* Ids continue from the start time (ms x 1000), not from 1: a client
	 * coming back after a restart with an id of the previous run can never
	 * be resumed from the wrong place in this run's ring (its id is older
	 * than anything held, so it gets a snapshot). Below 2^53: exact in a
	 * browser's numbers. */
	h->id_base = (uint64_t)clock_now_ms() * 1000;
	LIST_INIT(&h->topics);
	h->scratch = evbuffer_new();
	h->heartbeat = event_new(base, -1, EV_PERSIST, sse_heartbeat, h);
	if (!h->scratch || !h->heartbeat)
		abort(); /* out of memory */
	sse_hub_set_heartbeat_ms(h, UJ_SSE_HEARTBEAT_S * 1000);
	return h;
}

void sse_hub_set_id_base(struct sse_hub *h, uint64_t base)
{
	assert(LIST_EMPTY(&h->topics));
	h->id_base = base;
}

void sse_hub_free(struct sse_hub *h)
{
	struct sse_topic *t;
	if (!h)
		return;
	/* Topics belong to their publishers, who free them first; any left
	 * over still get their streams ended. */
	assert(LIST_EMPTY(&h->topics));
	while ((t = LIST_FIRST(&h->topics)) != NULL)
		sse_topic_free(t);
	event_free(h->heartbeat);
	evbuffer_free(h->scratch);
	free(h);
}

int sse_hub_streams(const struct sse_hub *h)
{
	return h->n_streams;
}

/* ---- topics ---- */

struct sse_topic *sse_topic_new(struct sse_hub *h, const char *snapshot_event,
				sse_snapshot_fn snap, void *arg)
{
	struct sse_topic *t = xcalloc(1, sizeof *t);
	assert(snapshot_event && !strpbrk(snapshot_event, "\r\n"));
	t->hub = h;
	t->snapshot_event = xstrdup(snapshot_event);
	t->snap = snap;
	t->arg = arg;
	t->last_id = h->id_base;
	LIST_INIT(&t->streams);
	LIST_INSERT_HEAD(&h->topics, t, link);
	return t;
}

void sse_topic_free(struct sse_topic *t)
{
	struct sse_stream *s;
	if (!t)
		return;
	while ((s = LIST_FIRST(&t->streams)) != NULL)
		sse_stream_end(s);
	for (int i = 0; i < t->ring_n; i++)
		free(t->ring[(t->ring_start + i) % UJ_SSE_RING].frame);
	LIST_REMOVE(t, link);
	free(t->snapshot_event);
	free(t);
}

int sse_topic_streams(const struct sse_topic *t)
{
	return t->n_streams;
}

/* The ring's event with this id, or NULL if it is not held. */
static const struct sse_event *sse_ring_get(const struct sse_topic *t, uint64_t id)
{
	uint64_t oldest;
	if (t->ring_n == 0)
		return NULL;
	oldest = t->ring[t->ring_start].id;
	if (id < oldest || id > t->last_id)
		return NULL;
	return &t->ring[(t->ring_start + (int)(id - oldest)) % UJ_SSE_RING];
}

/* Keep frame as the ring's newest event (id), dropping the oldest ones
 * beyond UJ_SSE_RING events or UJ_SSE_RING_BYTES bytes. The ring owns
 * frame. */
static void sse_ring_push(struct sse_topic *t, uint64_t id, char *frame, size_t len)
{
	struct sse_event *e;
	while (t->ring_n > 0 &&
	       (t->ring_n == UJ_SSE_RING || t->ring_bytes + len > UJ_SSE_RING_BYTES)) {
		e = &t->ring[t->ring_start];
		t->ring_bytes -= e->len;
		free(e->frame);
		e->frame = NULL;
		t->ring_start = (t->ring_start + 1) % UJ_SSE_RING;
		t->ring_n--;
	}
	e = &t->ring[(t->ring_start + t->ring_n) % UJ_SSE_RING];
	e->id = id;
	e->frame = frame;
	e->len = len;
	t->ring_n++;
	t->ring_bytes += len;
	assert(t->ring[(t->ring_start + t->ring_n - 1) % UJ_SSE_RING].id == t->last_id);
}

uint64_t sse_publish(struct sse_topic *t, const char *event, const char *data, size_t len)
{
	struct sse_hub *h = t->hub;
	struct sse_stream *s;
	size_t flen;
	uint64_t id = ++t->last_id;
	char *frame = sse_frame(id, event, data, len, &flen);

	/* One encoding, copied to every stream that keeps up. */
	LIST_FOREACH(s, &t->streams, link) {
		if (s->behind)
			continue;
		if (evbuffer_get_length(s->out) > h->buffer_max) {
			s->behind = 1; /* a snapshot follows once drained */
			continue;
		}
		sse_stream_send(s, frame, flen);
	}
	sse_ring_push(t, id, frame, flen);
	return id;
}

/* ---- subscribing ---- */

/* Parse a decimal event id (digits only, fits uint64). Returns 0 or -1. */
static int sse_parse_id(const char *v, uint64_t *id)
{
	uint64_t x = 0;
	if (!v || !*v || strlen(v) > 20)
		return -1;
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		if (x > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*c - '0');
	}
	*id = x;
	return 0;
}

/* The id a reconnecting client last saw: the Last-Event-ID header, else
 * ?last_event_id= in the query. Returns 1 and *id if one was given and is
 * a number, else 0. */
static int sse_last_event_id(struct evhttp_request *req, uint64_t *id)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), "Last-Event-ID");
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq q;
	int got = 0;

	if (v)
		return sse_parse_id(v, id) == 0;
	if (!query)
		return 0;
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query, &q) == 0)
		got = sse_parse_id(evhttp_find_header(&q, "last_event_id"), id) == 0;
	evhttp_clear_headers(&q);
	return got;
}

int sse_subscribe(struct sse_topic *t, struct evhttp_request *req)
{
	struct sse_hub *h = t->hub;
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct evkeyvalq *oh = evhttp_request_get_output_headers(req);
	struct timeval wtv = { UJ_SSE_WRITE_TIMEOUT_S, 0 };
	int sndbuf = UJ_SSE_SNDBUF;
	struct bufferevent *bev;
	struct sse_stream *s;
	uint64_t last = 0;
	int resume;

	if (h->n_streams >= h->max_streams || !conn)
		return -1;
	resume = sse_last_event_id(req, &last);
	bev = evhttp_connection_get_bufferevent(conn);
	s = xcalloc(1, sizeof *s);
	s->hub = h;
	s->topic = t;
	s->req = req;
	s->conn = conn;
	s->out = bufferevent_get_output(bev);
	s->catch_up = event_new(h->base, -1, 0, sse_catch_up, s);
	if (!s->catch_up)
		abort(); /* out of memory */

	evhttp_add_header(oh, "Content-Type", "text/event-stream; charset=utf-8");
	evhttp_add_header(oh, "Cache-Control", "no-store");
	evhttp_add_header(oh, "X-Accel-Buffering", "no");
	evhttp_add_header(oh, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(oh, "Referrer-Policy", "no-referrer");
	/* A stream ends only when the server ends it: then the connection
	 * closes rather than waiting (without a read timeout) for a next
	 * request. */
	if (!evhttp_find_header(oh, "Connection"))
		evhttp_add_header(oh, "Connection", "close");
	evhttp_send_reply_start(req, 200, "OK");
	/* evhttp's own timeouts are one value for reading and writing: a read
	 * timeout would close a stream whose client never sends. Keep a write
	 * timeout (a client that takes nothing for that long is gone), and
	 * stop reading once a client sends more than a stray request's worth
	 * (close detection needs reading enabled, memory needs a bound). */
	bufferevent_set_timeouts(bev, NULL, &wtv);
	/* A fixed kernel send buffer: what a stalled client holds in the
	 * kernel stays small (autotuning would let it grow to megabytes the
	 * cap cannot see). */
	if (bufferevent_getfd(bev) >= 0)
		setsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	bufferevent_setwatermark(bev, EV_READ, 0, UJ_SSE_INPUT_MAX);
	connguard_set_closecb(conn, sse_closed, s);
	s->out_cb = evbuffer_add_cb(s->out, sse_out_changed, s);
	if (!s->out_cb)
		abort(); /* out of memory */
	LIST_INSERT_HEAD(&t->streams, s, link);
	t->n_streams++;
	h->n_streams++;

	if (resume && last == t->last_id)
		; /* nothing missed */
	else if (resume && last < t->last_id && sse_ring_get(t, last + 1)) {
		for (uint64_t id = last + 1; id <= t->last_id; id++) {
			const struct sse_event *e = sse_ring_get(t, id);
			assert(e && e->id == id);
			sse_stream_send(s, e->frame, e->len);
		}
	} else {
		sse_stream_snapshot(s); /* first connect, too old, or from another run */
	}
	return 0;
}
