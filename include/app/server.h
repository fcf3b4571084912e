/* server.h - the running server: configuration and the shared context that
 * the HTTP layer, the API handlers and the attempt logic work on.
 *
 * Threads: one event loop (HTTP, all in-RAM state), one store writer, one
 * catalog watcher. Only the loop touches the registry and libevent objects. */
#ifndef UJIAN_SERVER_H
#define UJIAN_SERVER_H

#include "auth/cred.h"
#include "catalog/loader.h"
#include "core/mailbox.h"
#include "auth/ratelimit.h"
#include "exam/registry.h"
#include "store/store.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <stddef.h>

struct server_config {
	const char *db_path;
	const char *key_path;   /* default: <db>.key */
	const char *listen;     /* "ADDR:PORT" */
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
	int quiet;              /* no banner */
	int bench_route;        /* serve GET /api/v1/_bench/ping (benchmarks only) */
};

/* Defaults for every field except db_path/listen. */
void server_config_defaults(struct server_config *cfg);

struct watcher;

struct server {
	struct server_config cfg;
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct event *resume_ev;
	struct event *sig_int, *sig_term;
	struct mailbox *mb;
	struct store *store;
	struct registry reg;
	struct loader loader;
	struct watcher *watcher;
	struct ratelimit rl_regno, rl_addr;
	uint8_t key[CRED_KEY_LEN];
	uint8_t dummy_hash[CRED_HASH_LEN];
	char *web_root;
	char bound[64]; /* address actually bound */
	int64_t pressure_until; /* ms: after EMFILE, replies close their connection */
	long emfile_count;
	struct event *writer_watch;  /* 1 s timer: is the writer committing? */
	int64_t writer_stalled_at;   /* ms of the last commit before a stall; 0 = none */
	int64_t writer_warned_at;    /* ms of the last stall warning */
};

/* Run the server until SIGINT/SIGTERM. Returns a process exit code. */
int server_run(const struct server_config *cfg);

/* Submit a store op concerning candidate c (c->pending is counted until it
 * commits); then(s, c, op, arg) runs on the loop after the commit. */
typedef void (*server_then_fn)(struct server *s, struct rt_candidate *c, struct store_op *op,
			       void *arg);
void server_submit(struct server *s, struct rt_candidate *c, struct store_op *op,
		   server_then_fn then, void *arg);

#endif
