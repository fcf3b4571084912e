/* connguard.h - connection flood guard for one HTTP front: a per-address
 * connection cap checked as a connection is accepted, and a deadline for
 * receiving each request's headers and body (a client trickling one byte a
 * second no longer holds a connection forever).
 *
 * libevent 2.1.12's evhttp has no accept hook (evhttp_set_newreqcb came
 * later), so the guard sits in evhttp's bufferevent callback (evhttp_set_bevcb,
 * called for every accepted socket): it makes the bufferevent (TLS when
 * configured), keeps a reference to it and takes its first look in the same
 * loop iteration, right after evhttp has set the connection up and before
 * any byte is read; see docs/ARCHITECTURE.md, "Connection floods", for why
 * this is safe on 2.1.12. Everything runs on the front's event loop.
 *
 * The guard owns the connection's close callback and the on-complete
 * callback of requests it saw dispatched: other code sets those through
 * connguard_set_closecb and connguard_set_on_complete, which chain. */
#ifndef UJIAN_CONNGUARD_H
#define UJIAN_CONNGUARD_H

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <openssl/ssl.h>
#include <stddef.h>

struct connguard;

/* Why a connection was refused or closed by the guard. */
enum connguard_reason {
	CONNGUARD_PER_ADDR,   /* the address holds --max-conns-per-ip already */
	CONNGUARD_TABLE_FULL, /* UJ_CONN_ADDRS_MAX other addresses are connected */
	CONNGUARD_DEADLINE,   /* a request's headers and body took longer than the deadline */
	CONNGUARD_REASON_MAX
};

/* Process-wide figures (all fronts), for /metrics. */
struct connguard_stats {
	unsigned long long closed[CONNGUARD_REASON_MAX]; /* refused or closed, by reason */
	long open;      /* connections counted now */
	long addresses; /* client addresses tracked now */
};

/* A guard on base: per_addr_max connections per address (0: no cap),
 * request_timeout_s to receive a request's headers and body (0: no
 * deadline), idle_timeout_s the front's idle timeout (evhttp's), tls the
 * context of an HTTPS front (shared, not owned) or NULL. */
struct connguard *connguard_new(struct event_base *base, unsigned per_addr_max,
				int request_timeout_s, int idle_timeout_s, SSL_CTX *tls);
/* After evhttp_free of the front: frees what is left. NULL is fine. */
void connguard_free(struct connguard *g);

/* evhttp_set_bevcb's callback; arg is the guard. */
struct bufferevent *connguard_bevcb(struct event_base *base, void *arg);

/* Call first in the front's request callback: req goes to the application
 * now, so its connection's deadline stops until the reply is complete. */
void connguard_dispatched(struct evhttp_request *req);

/* evhttp_connection_set_closecb for code beside the guard: on a guarded
 * connection the guard calls cb(conn, arg) when conn closes (cb NULL:
 * none); elsewhere this is evhttp_connection_set_closecb itself. */
void connguard_set_closecb(struct evhttp_connection *conn,
			   void (*cb)(struct evhttp_connection *, void *), void *arg);
/* evhttp_request_set_on_complete_cb likewise, for a dispatched request. */
void connguard_set_on_complete(struct evhttp_request *req,
			       void (*cb)(struct evhttp_request *, void *), void *arg);

void connguard_get_stats(struct connguard_stats *out);

#endif
