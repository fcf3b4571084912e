/* test_sse.c - the Server-Sent Events hub (server/http/sse.c) over real
 * loopback connections: an evhttp server on 127.0.0.1 whose generic
 * callback subscribes each request to a topic, and raw client sockets on
 * the same event_base (read without blocking between loop turns), so a
 * test can also be a client that never reads. */
#include "unit.h"
#include "unit_loop.h"

#include "bounds.h"
#include "http/sse.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fx {
	struct event_base *base;
	struct evhttp *http;
	struct event *tick;
	int port;
	struct sse_hub *hub;
	struct sse_topic *topic;
	int snaps;                 /* snapshots built */
	int refused;               /* subscribes refused (503) */
	struct evbuffer *last_out; /* the output buffer of the last stream */
};

static struct fx F;

/* The topic's state: "snap N" with N the snapshots built so far. */
static char *snap_fn(void *arg, size_t *len)
{
	struct fx *f = arg;
	char *s = malloc(32);
	assert_non_null(s);
	snprintf(s, 32, "{\"snap\":%d}", ++f->snaps);
	*len = strlen(s);
	return s;
}

static void gen_cb(struct evhttp_request *req, void *arg)
{
	struct fx *f = arg;
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	if (sse_subscribe(f->topic, req) != 0) {
		f->refused++;
		evhttp_send_reply(req, 503, "Busy", NULL);
		return;
	}
	f->last_out = bufferevent_get_output(evhttp_connection_get_bufferevent(c));
}

static int setup(void **state)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	(void)state;
	memset(&F, 0, sizeof F);
	F.base = event_base_new();
	assert_non_null(F.base);
	F.tick = unit_add_tick(F.base, 20000);
	F.http = evhttp_new(F.base);
	assert_non_null(F.http);
	/* The server's own setting: streams must survive it. */
	evhttp_set_timeout(F.http, 1);
	evhttp_set_gencb(F.http, gen_cb, &F);
	bs = evhttp_bind_socket_with_handle(F.http, "127.0.0.1", 0);
	assert_non_null(bs);
	assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &sl), 0);
	F.port = ntohs(sin.sin_port);
	F.hub = sse_hub_new(F.base, 4, 4096);
	sse_hub_set_id_base(F.hub, 0); /* ids 1, 2, 3 */
	F.topic = sse_topic_new(F.hub, "snapshot", snap_fn, &F);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (F.topic)
		sse_topic_free(F.topic);
	sse_hub_free(F.hub);
	evhttp_free(F.http);
	event_free(F.tick);
	event_base_free(F.base);
	return 0;
}

/* A raw client: its socket and everything read so far. */
struct client {
	int fd;
	char *buf;
	size_t len, cap;
	int eof;
};

/* Connect (rcvbuf > 0: that receive buffer, set before connecting) and send
 * the request, with extra header lines (each ending in CRLF) or "". */
static void client_open(struct client *c, const char *target, const char *extra, int rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char req[512];
	memset(c, 0, sizeof *c);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->fd >= 0);
	if (rcvbuf > 0)
		assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)F.port);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sin, sizeof sin), 0);
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n%s\r\n", target, extra);
	assert_int_equal(send(c->fd, req, strlen(req), 0), (ssize_t)strlen(req));
	c->cap = 4096;
	c->buf = malloc(c->cap);
	assert_non_null(c->buf);
	c->buf[0] = '\0';
}

/* Read what is there (never blocks). */
static void client_pump(struct client *c)
{
	for (;;) {
		ssize_t n;
		if (c->cap - c->len < 4096) {
			c->cap *= 2;
			c->buf = realloc(c->buf, c->cap);
			assert_non_null(c->buf);
		}
		n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
		if (n > 0) {
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
			continue;
		}
		if (n == 0)
			c->eof = 1;
		break;
	}
}

static int client_has(struct client *c, const char *s)
{
	client_pump(c);
	return strstr(c->buf, s) != NULL;
}

static int client_count(struct client *c, const char *s)
{
	int n = 0;
	for (const char *p = c->buf; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	return n;
}

/* Walk the ids of c's events: a row's id is one more than the previous
 * event's; a snapshot's is at least the previous one (it may skip). */
static void assert_no_silent_gap(struct client *c)
{
	long prev = -1;
	for (const char *p = c->buf; (p = strstr(p, "id: ")) != NULL;) {
		char *end;
		long id = strtol(p + 4, &end, 10);
		assert_true(strncmp(end, "\nevent: ", 8) == 0);
		int row = strncmp(end + 8, "row\n", 4) == 0;
		if (prev >= 0 && row && id != prev + 1)
			fail_msg("row %ld after event %ld without a snapshot", id, prev);
		if (prev >= 0 && !row)
			assert_true(id >= prev);
		prev = id;
		p = end;
	}
}

static void client_close(struct client *c)
{
	close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
}

#define WAIT_HAS(c, s)                                                         \
	do {                                                                   \
		UNIT_WAIT_FOR(F.base, client_has((c), (s)));                   \
		if (!strstr((c)->buf, (s)))                                    \
			fail_msg("never got \"%s\"; got:\n%s", (s), (c)->buf); \
	} while (0)

/* A new stream: 200, the event-stream headers, then the snapshot (no id
 * while the topic has none); a published event reaches it with id 1, then
 * 2; data lines are split. */
static void test_event_delivered_with_ids(void **state)
{
	struct client c;
	(void)state;
	client_open(&c, "/", "", 0);
	WAIT_HAS(&c, "event: snapshot\ndata: {\"snap\":1}\n\n");
	assert_non_null(strstr(c.buf, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(c.buf, "Content-Type: text/event-stream; charset=utf-8\r\n"));
	assert_non_null(strstr(c.buf, "Cache-Control: no-store\r\n"));
	assert_non_null(strstr(c.buf, "X-Accel-Buffering: no\r\n"));
	assert_non_null(strstr(c.buf, "Transfer-Encoding: chunked\r\n"));
	assert_null(strstr(c.buf, "id: 0"));
	assert_int_equal(sse_topic_streams(F.topic), 1);
	assert_int_equal(sse_hub_streams(F.hub), 1);

	assert_int_equal(sse_publish(F.topic, "row", "{\"a\":1}", 7), 1);
	WAIT_HAS(&c, "id: 1\nevent: row\ndata: {\"a\":1}\n\n");
	assert_int_equal(sse_publish(F.topic, "row", "x\ny\r\nz\rw", 8), 2);
	WAIT_HAS(&c, "id: 2\nevent: row\ndata: x\ndata: y\ndata: z\ndata: w\n\n");
	assert_int_equal(sse_publish(F.topic, "row", "end\n", 4), 3);
	WAIT_HAS(&c, "id: 3\nevent: row\ndata: end\ndata: \n\n");
	/* A new stream's snapshot carries the newest id. */
	struct client d;
	client_open(&d, "/", "", 0);
	WAIT_HAS(&d, "id: 3\nevent: snapshot\ndata: {\"snap\":2}\n\n");
	client_close(&c);
	client_close(&d);
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
	assert_int_equal(sse_hub_streams(F.hub), 0);
}

/* Last-Event-ID (header or query) within the ring: exactly the missed
 * events, no snapshot; equal to the newest: nothing; older than the ring,
 * newer than the topic, or not a number: a snapshot. */
static void test_resume(void **state)
{
	struct client c;
	char data[32];
	(void)state;
	for (int i = 1; i <= UJ_SSE_RING + 10; i++) {
		snprintf(data, sizeof data, "e%d", i);
		assert_int_equal(sse_publish(F.topic, "row", data, strlen(data)), (uint64_t)i);
	}
	uint64_t last = UJ_SSE_RING + 10;

	client_open(&c, "/", "Last-Event-ID: 260\r\n", 0);
	WAIT_HAS(&c, "data: e266\n\n");
	assert_non_null(strstr(c.buf, "id: 261\nevent: row\ndata: e261\n\n"));
	assert_null(strstr(c.buf, "data: e260\n"));
	assert_null(strstr(c.buf, "snapshot"));
	assert_int_equal(client_count(&c, "event: row"), 6);
	client_close(&c);

	client_open(&c, "/?x=1&last_event_id=264", "", 0);
	WAIT_HAS(&c, "data: e266\n\n");
	assert_int_equal(client_count(&c, "event: row"), 2);
	assert_null(strstr(c.buf, "snapshot"));
	/* Still live after the replay. */
	sse_publish(F.topic, "row", "live", 4);
	last++;
	WAIT_HAS(&c, "id: 267\nevent: row\ndata: live\n\n");
	client_close(&c);

	/* Nothing missed: nothing sent until the next event. */
	client_open(&c, "/", "Last-Event-ID: 267\r\n", 0);
	UNIT_WAIT_FOR(F.base, sse_topic_streams(F.topic) == 1);
	sse_publish(F.topic, "row", "next", 4);
	last++;
	WAIT_HAS(&c, "data: next\n\n");
	assert_int_equal(client_count(&c, "event: "), 1);
	client_close(&c);

	/* The oldest event the ring still holds resumes; one older does not. */
	int snaps = F.snaps;
	char hdr[64];
	snprintf(hdr, sizeof hdr, "Last-Event-ID: %d\r\n", (int)(last - UJ_SSE_RING));
	client_open(&c, "/", hdr, 0);
	WAIT_HAS(&c, "data: next\n\n");
	assert_int_equal(client_count(&c, "event: row"), UJ_SSE_RING);
	assert_int_equal(F.snaps, snaps);
	client_close(&c);

	const char *old[] = { "Last-Event-ID: 11\r\n", "Last-Event-ID: 9999\r\n",
			      "Last-Event-ID: abc\r\n", "Last-Event-ID: 99999999999999999999999\r\n" };
	for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
		snprintf(hdr, sizeof hdr, "id: %d\nevent: snapshot\ndata: {\"snap\":%d}\n\n",
			 (int)last, F.snaps + 1);
		client_open(&c, "/", old[i], 0);
		WAIT_HAS(&c, hdr);
		assert_null(strstr(c.buf, "event: row"));
		client_close(&c);
	}
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
	assert_int_equal(sse_hub_streams(F.hub), 0);
}

/* A client that never reads (small receive buffer): its backlog stays
 * within the cap plus one event while events keep coming (the rest are
 * skipped, not queued); once it reads everything, it gets one snapshot
 * carrying the newest id, then live events again. A reader beside it gets
 * every event. */
static void test_stalled_reader_capped_then_snapshot(void **state)
{
	struct client slow, fast;
	char data[1024];
	size_t peak = 0;
	int n = 0;
	(void)state;
	memset(data, 'x', sizeof data - 1);
	data[sizeof data - 1] = '\0';

	client_open(&slow, "/", "", 2048);
	WAIT_HAS(&slow, "{\"snap\":1}");
	struct evbuffer *out = F.last_out;
	client_open(&fast, "/", "", 0);
	WAIT_HAS(&fast, "{\"snap\":2}");
	/* Publish until the slow stream has been behind for a while: the
	 * kernel's buffers fill first, then the hub's cap (4096) counts. */
	while (n < 3000) {
		sse_publish(F.topic, "row", data, strlen(data));
		n++;
		for (int k = 0; k < 3; k++)
			event_base_loop(F.base, EVLOOP_NONBLOCK);
		client_pump(&fast);
		size_t len = evbuffer_get_length(out);
		if (len > peak)
			peak = len;
	}
	/* Every backlog seen stayed within the cap plus one frame. */
	assert_true(peak > 0);
	assert_true(peak <= 4096 + sizeof data + 64);
	char want[64];
	snprintf(want, sizeof want, "id: %d\nevent: row\n", n);
	WAIT_HAS(&fast, want);
	assert_int_equal(client_count(&fast, "event: row"), n);

	/* The slow client reads now: it missed events, each gap is followed by
	 * a snapshot (never a silent loss), and it ends with a snapshot with
	 * the newest id (it may have caught up and fallen behind more than once
	 * while the kernel's buffers took what the loop wrote). */
	snprintf(want, sizeof want, "id: %d\nevent: snapshot\n", n);
	WAIT_HAS(&slow, want);
	int got = client_count(&slow, "event: row");
	assert_true(got < n);
	assert_true(client_count(&slow, "event: snapshot") >= 2); /* on connect, after */
	assert_no_silent_gap(&slow);
	/* And is live again. */
	sse_publish(F.topic, "row", "after", 5);
	snprintf(want, sizeof want, "id: %d\nevent: row\ndata: after\n\n", n + 1);
	WAIT_HAS(&slow, want);
	WAIT_HAS(&fast, want);
	client_close(&slow);
	client_close(&fast);
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
}

/* The hub holds max_streams (4) streams; the next subscribe returns -1 and
 * leaves the request to the caller (here a 503); a closed stream makes
 * room again. */
static void test_stream_cap(void **state)
{
	struct client c[5];
	(void)state;
	for (int i = 0; i < 4; i++) {
		client_open(&c[i], "/", "", 0);
		WAIT_HAS(&c[i], "snapshot");
	}
	assert_int_equal(sse_hub_streams(F.hub), 4);
	client_open(&c[4], "/", "", 0);
	WAIT_HAS(&c[4], "HTTP/1.1 503 Busy");
	assert_int_equal(F.refused, 1);
	assert_int_equal(sse_hub_streams(F.hub), 4);
	client_close(&c[4]);
	client_close(&c[0]);
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 3);
	assert_int_equal(sse_hub_streams(F.hub), 3);
	client_open(&c[0], "/", "", 0);
	WAIT_HAS(&c[0], "snapshot");
	assert_int_equal(sse_hub_streams(F.hub), 4);
	for (int i = 0; i < 4; i++)
		client_close(&c[i]);
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
	assert_int_equal(sse_hub_streams(F.hub), 0);
}

/* A client that goes frees its stream (the sanitizer build checks nothing
 * leaks or is used after free), also one that was behind; publishing
 * afterwards touches nothing of it. Freeing the topic ends the streams
 * still open: their reply finishes and the connection closes. */
static void test_close_frees_and_topic_free_ends(void **state)
{
	struct client a, b;
	char data[2048];
	(void)state;
	memset(data, 'y', sizeof data - 1);
	data[sizeof data - 1] = '\0';
	client_open(&a, "/", "", 2048);
	WAIT_HAS(&a, "snapshot");
	for (int i = 0; i < 600; i++) {
		sse_publish(F.topic, "row", data, strlen(data));
		event_base_loop(F.base, EVLOOP_NONBLOCK);
	}
	client_close(&a); /* unread data: the server sees a reset */
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
	assert_int_equal(sse_hub_streams(F.hub), 0);
	sse_publish(F.topic, "row", "x", 1);

	client_open(&b, "/", "", 0);
	WAIT_HAS(&b, "snapshot");
	sse_topic_free(F.topic);
	F.topic = NULL;
	assert_int_equal(sse_hub_streams(F.hub), 0);
	UNIT_WAIT_FOR(F.base, client_has(&b, "0\r\n\r\n") && b.eof);
	assert_true(b.eof);
	client_close(&b);
}

/* An idle stream gets ": hb" comments (here every 50 ms), and outlives
 * evhttp's own timeout (1 s, set in setup) because it has no read timeout. */
static void test_heartbeat_and_no_read_timeout(void **state)
{
	struct client c;
	int64_t until;
	(void)state;
	sse_hub_set_heartbeat_ms(F.hub, 50);
	client_open(&c, "/", "", 0);
	WAIT_HAS(&c, "snapshot");
	WAIT_HAS(&c, ": hb\n\n");
	until = unit_mono_ms() + 2500;
	UNIT_WAIT_FOR(F.base, unit_mono_ms() > until || (client_pump(&c), c.eof));
	assert_false(c.eof);
	assert_true(client_count(&c, ": hb\n\n") >= 3);
	assert_int_equal(sse_hub_streams(F.hub), 1);
	sse_publish(F.topic, "row", "still", 5);
	WAIT_HAS(&c, "data: still\n\n");
	client_close(&c);
	UNIT_WAIT_FOR(F.base, sse_hub_streams(F.hub) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_event_delivered_with_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled_reader_capped_then_snapshot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stream_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_and_topic_free_ends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_heartbeat_and_no_read_timeout, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
