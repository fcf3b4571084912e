/* connguard.c - per-address connection cap and request deadline
 * (include/http/connguard.h). */
#include "http/connguard.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/hmap.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/conncap.h"
#include "http/tls.h"

#include <assert.h>
#include <event2/buffer.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct gconn;

struct connguard {
	struct event_base *base;
	struct conncap *cap;
	SSL_CTX *tls;
	int request_timeout_s, idle_timeout_s;
	struct gconn *all; /* every connection the guard made a bufferevent for */
	struct event *round_ev; /* ends a loop iteration's batch of deadline closes */
	int closes_round;       /* deadline closes in this loop iteration */
	int64_t log_at[CONNGUARD_REASON_MAX];
	unsigned long log_n[CONNGUARD_REASON_MAX]; /* since the last line */
};

/* One accepted connection. Before its first look it holds a reference to
 * its bufferevent and evcon is NULL; after it, it is in the thread's map
 * under evcon and is freed by the connection's close callback. */
struct gconn {
	struct connguard *g;
	struct gconn *prev, *next;
	struct bufferevent *bev; /* referenced until the first look, then NULL */
	struct evhttp_connection *evcon; /* the map's key points here */
	struct event *ev;                /* the first look, then the deadline */
	struct evbuffer_cb_entry *in_cb; /* on the input buffer: a request starts */
	struct conncap_key key;
	int counted;    /* key is counted in g->cap */
	int dispatched; /* a request is with the application (no deadline) */
	int tight;      /* the deadline runs from the current request's first byte */
	void (*close_cb)(struct evhttp_connection *, void *);
	void *close_arg;
	void (*done_cb)(struct evhttp_request *, void *);
	void *done_arg;
};

/* evcon -> gconn for every guard on this thread (an event loop's thread
 * owns its fronts); guards count as users. */
static _Thread_local struct hmap *connguard_map;
static _Thread_local int connguard_map_users;

static atomic_ullong connguard_closed[CONNGUARD_REASON_MAX];
static atomic_long connguard_open, connguard_addrs;

static const char *const connguard_reason_text[CONNGUARD_REASON_MAX] = {
	"over the per-address connection cap (--max-conns-per-ip)",
	"too many client addresses connected at once",
	"request not received within --request-timeout",
};

static struct gconn *connguard_find(struct evhttp_connection *evcon)
{
	if (!evcon || !connguard_map)
		return NULL;
	return hmap_get(connguard_map, &evcon, sizeof evcon);
}

/* The end of a loop iteration that closed connections at their deadline. */
static void connguard_round_end(evutil_socket_t fd, short what, void *arg)
{
	struct connguard *g = arg;
	(void)fd;
	(void)what;
	g->closes_round = 0;
}

struct connguard *connguard_new(struct event_base *base, unsigned per_addr_max,
				int request_timeout_s, int idle_timeout_s, SSL_CTX *tls)
{
	struct connguard *g = xcalloc(1, sizeof *g);
	g->base = base;
	g->cap = conncap_new(per_addr_max, UJ_CONN_ADDRS_MAX);
	g->tls = tls;
	g->request_timeout_s = request_timeout_s;
	g->idle_timeout_s = idle_timeout_s;
	g->round_ev = evtimer_new(base, connguard_round_end, g);
	if (!g->round_ev)
		abort(); /* out of memory */
	if (!connguard_map) {
		connguard_map = xcalloc(1, sizeof *connguard_map);
		hmap_init(connguard_map);
	}
	connguard_map_users++;
	return g;
}

/* Count and log (at most one line per reason every UJ_CONN_LOG_EVERY_MS). */
static void connguard_note(struct connguard *g, enum connguard_reason r,
			   const struct conncap_key *k)
{
	int64_t now = clock_now_ms();
	char addr[64] = "?";
	atomic_fetch_add_explicit(&connguard_closed[r], 1, memory_order_relaxed);
	g->log_n[r]++;
	if (g->log_at[r] && now - g->log_at[r] < UJ_CONN_LOG_EVERY_MS)
		return;
	if (k && k->len)
		conncap_key_text(k, addr, sizeof addr);
	log_warn("connection from %s closed: %s (%lu closed so in the last %d s)", addr,
		 connguard_reason_text[r], g->log_n[r], UJ_CONN_LOG_EVERY_MS / 1000);
	g->log_at[r] = now;
	g->log_n[r] = 0;
}

/* Make the coming close of bev's socket abortive (RST): no FIN_WAIT or
 * TIME_WAIT state on the server for a client it refused or timed out (a
 * slowloris client need not answer a FIN). */
static void connguard_abort_close(struct bufferevent *bev)
{
	struct linger lg = { 1, 0 };
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

/* Unlink and free gc; before its first look, drop its bufferevent reference. */
static void connguard_gc_free(struct gconn *gc)
{
	struct connguard *g = gc->g;
	if (gc->prev)
		gc->prev->next = gc->next;
	else
		g->all = gc->next;
	if (gc->next)
		gc->next->prev = gc->prev;
	if (gc->ev)
		event_free(gc->ev);
	if (gc->bev)
		bufferevent_decref(gc->bev);
	free(gc);
}

static void connguard_arm(struct gconn *gc, int seconds)
{
	struct timeval tv = { seconds, 0 };
	if (seconds > 0)
		evtimer_add(gc->ev, &tv);
	else
		evtimer_del(gc->ev);
}

/* evhttp is freeing gc's connection: pass the news on, uncount, free. */
static void connguard_closed_cb(struct evhttp_connection *evcon, void *arg)
{
	struct gconn *gc = arg;
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	if (gc->close_cb)
		gc->close_cb(evcon, gc->close_arg);
	if (gc->in_cb && bev)
		evbuffer_remove_cb_entry(bufferevent_get_input(bev), gc->in_cb);
	if (gc->counted) {
		size_t before = conncap_addresses(gc->g->cap);
		conncap_release(gc->g->cap, &gc->key);
		atomic_fetch_sub_explicit(&connguard_open, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&connguard_addrs,
					  (long)(before - conncap_addresses(gc->g->cap)),
					  memory_order_relaxed);
	}
	hmap_del(connguard_map, &gc->evcon, sizeof gc->evcon);
	connguard_gc_free(gc);
}

/* Bytes arrived: the first ones of a request start its deadline. */
static void connguard_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct gconn *gc = arg;
	(void)buf;
	if (info->n_added && !gc->dispatched && !gc->tight && gc->g->request_timeout_s > 0) {
		gc->tight = 1;
		connguard_arm(gc, gc->g->request_timeout_s);
	}
}

/* The first look, in the loop iteration that accepted the connection:
 * evhttp has made its connection and set its callbacks on gc->bev (their
 * argument is the evhttp_connection); if it dropped the connection already,
 * the callbacks are cleared. Count the address or refuse. */
static void connguard_first_look(struct gconn *gc)
{
	struct connguard *g = gc->g;
	bufferevent_data_cb readcb = NULL;
	void *cbarg = NULL;
	struct evhttp_connection *evcon;
	const struct sockaddr *sa;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	enum conncap_verdict v;

	bufferevent_getcb(gc->bev, &readcb, NULL, NULL, &cbarg);
	if (!readcb || !cbarg) {
		connguard_gc_free(gc);
		return;
	}
	evcon = cbarg;
	assert(evhttp_connection_get_bufferevent(evcon) == gc->bev);
	sa = evhttp_connection_get_addr(evcon);
	if (!sa && getpeername(bufferevent_getfd(gc->bev), (struct sockaddr *)&ss, &sl) == 0)
		sa = (const struct sockaddr *)&ss;
	if (sa && conncap_key_of(sa, sa == (const struct sockaddr *)&ss ? sl : sizeof ss,
				 &gc->key) == 0) {
		size_t before = conncap_addresses(g->cap);
		v = conncap_acquire(g->cap, &gc->key);
		if (v != CONNCAP_OK) {
			/* Nothing of it reached the application: evhttp's own
			 * request only. Free it as evhttp does on a failed accept. */
			connguard_note(g, v == CONNCAP_PER_ADDR ? CONNGUARD_PER_ADDR
								: CONNGUARD_TABLE_FULL,
				       &gc->key);
			connguard_abort_close(gc->bev);
			evhttp_connection_free(evcon);
			connguard_gc_free(gc);
			return;
		}
		gc->counted = 1;
		atomic_fetch_add_explicit(&connguard_open, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&connguard_addrs,
					  (long)(conncap_addresses(g->cap) - before),
					  memory_order_relaxed);
	}
	gc->evcon = evcon;
	hmap_put(connguard_map, &gc->evcon, sizeof gc->evcon, gc);
	evhttp_connection_set_closecb(evcon, connguard_closed_cb, gc);
	gc->in_cb = evbuffer_add_cb(bufferevent_get_input(gc->bev), connguard_input, gc);
	if (!gc->in_cb)
		abort(); /* out of memory */
	gc->tight = 1;
	connguard_arm(gc, g->request_timeout_s);
	bufferevent_decref(gc->bev);
	gc->bev = NULL;
}

/* gc's event: the first look, then the request deadline. At the deadline
 * the connection is reading a request nobody but evhttp has seen (a request
 * with the application disarms it): free it as evhttp's own timeout does. */
static void connguard_event(evutil_socket_t fd, short what, void *arg)
{
	struct gconn *gc = arg;
	(void)fd;
	(void)what;
	if (!gc->evcon) {
		connguard_first_look(gc);
		return;
	}
	if (gc->dispatched)
		return;
	/* At most UJ_ACCEPT_BATCH closes per loop iteration: connections
	 * opened together (a flood) reach their deadline together, and
	 * thousands of closes in one go would hold the loop. The rest wait a
	 * millisecond, behind the requests that are ready. */
	if (gc->g->closes_round++ == 0)
		event_active(gc->g->round_ev, EV_TIMEOUT, 1);
	if (gc->g->closes_round > UJ_ACCEPT_BATCH) {
		struct timeval ms = { 0, 1000 };
		evtimer_add(gc->ev, &ms);
		return;
	}
	connguard_note(gc->g, CONNGUARD_DEADLINE, gc->counted ? &gc->key : NULL);
	connguard_abort_close(evhttp_connection_get_bufferevent(gc->evcon));
	evhttp_connection_free(gc->evcon); /* calls connguard_closed_cb: gc is gone */
}

struct bufferevent *connguard_bevcb(struct event_base *base, void *arg)
{
	struct connguard *g = arg;
	struct bufferevent *bev;
	struct gconn *gc;

	/* As evhttp makes it without a callback (fd -1: evhttp sets the socket). */
	bev = g->tls ? tls_bev_new(base, g->tls) : bufferevent_socket_new(base, -1, 0);
	if (!bev)
		return NULL;
	gc = xcalloc(1, sizeof *gc);
	gc->g = g;
	gc->bev = bev;
	bufferevent_incref(bev); /* alive for the first look whatever evhttp does */
	gc->ev = evtimer_new(base, connguard_event, gc);
	if (!gc->ev)
		abort(); /* out of memory */
	gc->next = g->all;
	if (g->all)
		g->all->prev = gc;
	g->all = gc;
	/* Runs in this loop iteration, after evhttp_get_request returns and
	 * before the loop polls again (so before any byte is read). */
	event_active(gc->ev, EV_TIMEOUT, 1);
	return bev;
}

/* The reply to a dispatched request went out: the next request's deadline
 * is the idle timeout (its first byte) plus the request timeout, tightened
 * to the request timeout from its first byte. Then the chained callback. */
static void connguard_done(struct evhttp_request *req, void *arg)
{
	struct gconn *gc = connguard_find(evhttp_request_get_connection(req));
	void (*cb)(struct evhttp_request *, void *) = NULL;
	void *cb_arg = NULL;
	(void)arg;
	if (gc) {
		cb = gc->done_cb;
		cb_arg = gc->done_arg;
		gc->done_cb = NULL;
		gc->dispatched = 0;
		gc->tight = 0;
		if (gc->g->request_timeout_s > 0)
			connguard_arm(gc, gc->g->idle_timeout_s + gc->g->request_timeout_s);
	}
	if (cb)
		cb(req, cb_arg);
}

void connguard_dispatched(struct evhttp_request *req)
{
	struct gconn *gc = connguard_find(evhttp_request_get_connection(req));
	if (!gc)
		return;
	gc->dispatched = 1;
	gc->done_cb = NULL;
	evtimer_del(gc->ev);
	evhttp_request_set_on_complete_cb(req, connguard_done, NULL);
}

void connguard_set_closecb(struct evhttp_connection *conn,
			   void (*cb)(struct evhttp_connection *, void *), void *arg)
{
	struct gconn *gc = connguard_find(conn);
	if (!gc) {
		evhttp_connection_set_closecb(conn, cb, arg);
		return;
	}
	gc->close_cb = cb;
	gc->close_arg = arg;
}

void connguard_set_on_complete(struct evhttp_request *req,
			       void (*cb)(struct evhttp_request *, void *), void *arg)
{
	struct gconn *gc = connguard_find(evhttp_request_get_connection(req));
	if (!gc || !gc->dispatched) {
		evhttp_request_set_on_complete_cb(req, cb, arg);
		return;
	}
	gc->done_cb = cb;
	gc->done_arg = arg;
}

void connguard_free(struct connguard *g)
{
	if (!g)
		return;
	/* evhttp_free closed every looked-at connection (and freed its gconn
	 * through the close callback); what is left never had its first look. */
	while (g->all) {
		struct gconn *gc = g->all;
		if (gc->evcon)
			hmap_del(connguard_map, &gc->evcon, sizeof gc->evcon);
		if (gc->counted)
			atomic_fetch_sub_explicit(&connguard_open, 1, memory_order_relaxed);
		connguard_gc_free(gc);
	}
	atomic_fetch_sub_explicit(&connguard_addrs, (long)conncap_addresses(g->cap),
				  memory_order_relaxed);
	conncap_free(g->cap);
	event_free(g->round_ev);
	free(g);
	if (--connguard_map_users == 0) {
		hmap_free(connguard_map);
		free(connguard_map);
		connguard_map = NULL;
	}
}

void connguard_get_stats(struct connguard_stats *out)
{
	for (int r = 0; r < CONNGUARD_REASON_MAX; r++)
		out->closed[r] = atomic_load_explicit(&connguard_closed[r], memory_order_relaxed);
	out->open = atomic_load_explicit(&connguard_open, memory_order_relaxed);
	out->addresses = atomic_load_explicit(&connguard_addrs, memory_order_relaxed);
}
