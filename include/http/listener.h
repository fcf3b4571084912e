/* listener.h - the HTTP front: the listening socket, evhttp and its limits,
 * descriptor-pressure back-off, and the split between the API and static
 * files.
 *
 * Owns no domain state: requests under /api/ go to the dispatch function
 * given at start (the route table), everything else to the web root. One
 * struct httpd per event loop (at most UJ_LOOPS_MAX), plus at most one
 * redirect front: a plain-HTTP listener that answers every request with a
 * 301 to the same path over HTTPS (--redirect-http). With a TLS context
 * (http/tls.h) every accepted connection speaks TLS and every reply carries
 * Strict-Transport-Security. */
#ifndef UJIAN_LISTENER_H
#define UJIAN_LISTENER_H

#include "bounds.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include "http/connguard.h"
#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

/* Handle a request whose path starts with /api/; must reply exactly once. */
typedef void (*httpd_dispatch_fn)(void *app, struct evhttp_request *req, const char *path);

struct httpd_config {
	const char *listen;  /* "ADDR:PORT" (port 0: any free port) */
	size_t max_body;     /* request body limit, bytes */
	int idle_timeout_s;  /* close idle connections after this */
	int backlog;         /* listen backlog */
	const char *web_root; /* resolved folder of static files; NULL: none */
	SSL_CTX *tls;        /* serve HTTPS with this context (shared, not owned); NULL: HTTP */
	int redirect_port;   /* > 0: a redirect front: every request gets 301 to
			      * https://<Host>:<this port><path>; no API, no files */
	/* issue 12: connection floods (http/connguard.h) */
	unsigned max_conns_per_ip; /* connections per client address; 0: no cap */
	int request_timeout_s;     /* to receive a request's headers and body; 0: none */
};

struct httpd {
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct event *resume_ev;
	int web_root_fd;      /* the web root, opened once (http/static.h); -1: none */
	httpd_dispatch_fn dispatch;
	void *app;
	int tls;              /* connections speak TLS: add HSTS to replies */
	int redirect_port;    /* > 0: a redirect front (see httpd_config) */
	int64_t pressure_until; /* ms: after EMFILE, replies close their connection */
	int keepalive_fd_max; /* connections on descriptors from here close after a reply */
	long emfile_count;
	char bound[UJ_LISTEN_MAX + 1]; /* address actually bound */
	struct connguard *guard; /* issue 12: per-address cap, request deadline */
	struct event *round_ev;  /* issue 12: ends a loop iteration's accept batch */
	int accepts_round;       /* connections accepted in this iteration */
};

/* Create evhttp on base and (if cfg->listen) bind the listener (backlog from
 * cfg, EMFILE back-off). Returns 0 or -1 with err; h is then safe to stop. */
int httpd_start(struct httpd *h, struct event_base *base, const struct httpd_config *cfg,
		httpd_dispatch_fn dispatch, void *app, char *err, size_t errlen);
/* Check that spec ("ADDR:PORT") can be listened on now, by binding a socket
 * the way httpd_start will and closing it. Returns 0, or -1 with err. */
int httpd_probe_listen(const char *spec, char *err, size_t errlen);
/* Stop accepting and free evhttp (and with it every connection). Safe on a
 * front whose start failed, and on a zeroed one with web_root_fd = -1. */
void httpd_stop(struct httpd *h);

#endif
