/* server.h - the running server: its configuration and the assembly of the
 * layers (writer, exam and auth domains, API, HTTP front, catalog watcher).
 *
 * Threads: one event loop (HTTP, all in-RAM state), one writer, one catalog
 * watcher, and a small worker pool (staff password hashing, heavy reads). Only the loop touches the registry and libevent objects. Nothing
 * below this layer sees struct server: each domain gets its own context. */
#ifndef UJIAN_SERVER_H
#define UJIAN_SERVER_H

#include "api/api.h"
#include "auth/session.h"
#include "auth/staffauth.h"
#include "core/worker.h"
#include "catalog/loader.h"
#include "core/mailbox.h"
#include "exam/attempt.h"
#include "http/listener.h"
#include "http/sse.h"
#include "http/tls.h"
#include "proctor/board.h"
#include "store/writer.h"

#include <event2/event.h>
#include <stddef.h>

struct server_config {
	const char *db_path;
	const char *key_path;   /* default: <db>.key */
	const char *listen;     /* "ADDR:PORT" (port 0: any free port) */
	const char *web_root;   /* static files; NULL: next to the binary */
	size_t max_body;        /* request body limit, bytes */
	int idle_timeout_s;     /* close idle connections after this */
	int backlog;            /* listen backlog */
	int login_fail_regno;   /* failed logins per registration number ... */
	int login_window_regno_s; /* ... within this window */
	int login_fail_addr;    /* failed logins per client address ... */
	int login_window_addr_s;
	int outage_credit;      /* credit server downtime to running attempts */
	int catalog_poll_ms;    /* how often to look for new exams/candidates */
	long writer_queue_max;  /* writer backlog beyond which requests get 503 */
	int watcher;            /* run the catalog watcher (default on) */
	int dblock_fd;          /* the database lock already held (demo), or -1: take it */
	int quiet;              /* no banner */
	int bench_route;        /* serve GET /api/v1/_bench/ping (benchmarks only) */
	int staff_idle_s;       /* staff sessions end after this long without a request */
	int staff_max_age_s;    /* ... and this long after login */
	int session_after_s;    /* candidate sessions end this long after finish/close */
	const char *tls_cert;   /* PEM certificate chain: serve HTTPS (with tls_key); NULL: HTTP */
	const char *tls_key;    /* PEM private key of tls_cert */
	const char *redirect_http; /* "ADDR:PORT" of a plain-HTTP front that redirects to
				    * HTTPS (only with tls_cert); NULL: none */
	int sse_streams;        /* event streams open at once (dashboards, scoreboards) */
	size_t sse_buffer;      /* unsent bytes per stream before it is behind */
	const char *user;       /* give root up for this user once started; NULL: stay */
	const char *metrics_listen; /* "ADDR:PORT" of /metrics, /healthz, /readyz; NULL: off */
	const char *public_url; /* issue 11: origin of slip verification links; NULL: Host */
	/* issue 12: connection floods */
	unsigned max_conns_per_ip; /* connections per client address; 0: no cap */
	int request_timeout_s;     /* to receive a request's headers and body */
};

/* Defaults for every field except db_path. */
void server_config_defaults(struct server_config *cfg);

struct watcher;

struct server {
	struct server_config cfg;
	int dblock;             /* the one-server-per-database lock (store/dblock.h) */
	char *db_path;          /* a copy: the caller's string may be gone at close */
	struct event_base *base;
	struct mailbox *mb;
	struct writer *w;
	struct exam_rt x;
	struct auth_rt auth;
	struct staff_rt staff;
	struct worker_pool *pool;
	struct worker_pool *apool; /* issue 14: the analysis thread (api/analysis.c) */
	struct sse_hub *sse;     /* event streams: dashboards, the scoreboard */
	struct proctor *pr;      /* the proctoring domain */
	struct board *board;     /* the public live scoreboards (proctor/board.h) */
	struct talent_live *talent; /* talent mapping's live feed (selection/talent_live.h) */
	struct bid_live *bidlive; /* open-bidding selections' streams (selection/bidding_live.h) */
	struct api api;
	struct httpd http;
	struct httpd redirect;  /* the HTTP->HTTPS redirect front (cfg.redirect_http) */
	SSL_CTX *tls;           /* the HTTPS context (cfg.tls_cert); NULL: plain HTTP */
	struct loader loader;
	struct watcher *watcher;
	struct event *sig_int, *sig_term;
	char *web_root;
	struct event *writer_watch;  /* 1 s timer: is the writer committing? */
	int64_t writer_stalled_at;   /* ms of the last commit before a stall; 0 = none */
	int64_t writer_warned_at;    /* ms of the last stall warning */
	struct evhttp *metrics;      /* the operator's endpoints (app/metrics.h); NULL: off */
	long clock_steps;            /* wall-clock steps followed (exam/clockstep.h) */
};

/* Take the database's lock (unless cfg->dblock_fd holds it already), then
 * load, recover and assemble a server on its own event loop and listen.
 * A second server on the same database is refused here, before anything is
 * read or written. s must stay at its address until server_close.
 * Returns 0, or -1 with err (s is then safe to close). */
int server_open(struct server *s, const struct server_config *cfg, char *err, size_t errlen);
/* Stop the watcher and the writer (committing what is queued, then running
 * its completions), free everything. */
void server_close(struct server *s);
/* Open, serve until SIGINT/SIGTERM, close. Returns a process exit code. */
int server_run(const struct server_config *cfg);

#endif
