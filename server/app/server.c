/* server.c - assembling and running the server: load, recover, serve, stop. */
#include "app/server.h"
#include "exam/attempt.h"
#include "bounds.h"
#include "core/clock.h"
#include "store/db.h"
#include "http/httpd.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rng.h"
#include "version.h"
#include "catalog/watcher.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

void server_config_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen = "127.0.0.1:8080";
	cfg->max_body = UJ_BODY_DEFAULT;
	cfg->idle_timeout_s = 60;
	cfg->backlog = 4096;
	cfg->login_fail_regno = 5;
	cfg->login_window_regno_s = 300;
	cfg->login_fail_addr = 50;
	cfg->login_window_addr_s = 60;
	cfg->outage_credit = 1;
	cfg->catalog_poll_ms = 1000;
}

struct server_pending {
	struct server *s;
	struct rt_candidate *c;
	server_then_fn then;
	void *arg;
};

static void server_op_done(struct store_op *op)
{
	struct server_pending *p = op->ctx;
	p->c->pending--;
	if (p->then)
		p->then(p->s, p->c, op, p->arg);
	free(p);
}

void server_submit(struct server *s, struct rt_candidate *c, struct store_op *op,
		   server_then_fn then, void *arg)
{
	struct server_pending *p = xmalloc(sizeof *p);
	p->s = s;
	p->c = c;
	p->then = then;
	p->arg = arg;
	op->done = server_op_done;
	op->ctx = p;
	c->pending++;
	store_submit(s->store, op);
}

/* The web root: --web-root, else client-web beside the binary's folder, else
 * ./client-web. NULL if none exists (static requests then get 404). */
static char *server_find_web_root(const char *given)
{
	char exe[PATH_MAX], *cand;
	struct stat st;
	ssize_t n;

	if (given)
		return realpath(given, NULL);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		cand = xasprintf("%s/../client-web", dirname(exe));
		char *real = realpath(cand, NULL);
		free(cand);
		if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
			return real;
		free(real);
	}
	return realpath("client-web", NULL);
}

static void server_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void server_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *s = arg;
	(void)what;
	log_info("signal %d: stopping", (int)sig);
	event_base_loopexit(s->base, NULL);
}

/* Once a second: warn when operations wait and the writer has not committed
 * for UJ_WRITER_STALL_MS (a slow or full disk, or another process holding
 * the write lock), repeat every UJ_WRITER_STALL_REPEAT_MS while it lasts, and
 * say when commits resume. Candidates waiting on those operations get their
 * replies only after the commit, so the log is where an operator sees it. */
static void server_watch_writer(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	int64_t now = clock_now_ms(), last = store_last_commit_ms(s->store);
	long backlog = store_backlog(s->store);
	(void)fd;
	(void)what;

	if (s->writer_stalled_at && last != s->writer_stalled_at) {
		log_info("writer: committing again after %.1f s without a commit",
			 (double)(last - s->writer_stalled_at) / 1000.0);
		s->writer_stalled_at = 0;
	}
	if (backlog > 0 && now - last >= UJ_WRITER_STALL_MS &&
	    (!s->writer_stalled_at || now - s->writer_warned_at >= UJ_WRITER_STALL_REPEAT_MS)) {
		log_warn("writer: stalled, %ld operation%s waiting, last commit %.1f s ago (disk slow "
			 "or full, or another process holding the database's write lock?); their "
			 "replies wait for the commit",
			 backlog, backlog == 1 ? "" : "s", (double)(now - last) / 1000.0);
		s->writer_stalled_at = last;
		s->writer_warned_at = now;
	}
}

/* Load catalog and state, then run crash recovery. */
static int server_load(struct server *s, char *err, size_t errlen)
{
	struct load_batch b;
	sqlite3 *db = db_open(s->cfg.db_path, DB_OPEN_EXISTING, err, errlen);
	int rc = -1;

	if (!db)
		return -1;
	if (loader_load(&s->loader, db, &b, err, errlen)) {
		loader_merge(&s->reg, &b);
		goto out;
	}
	loader_merge(&s->reg, &b);
	if (loader_load_state(db, &s->reg, err, errlen) || attempt_recover(s, db, err, errlen))
		goto out;
	rc = 0;
out:
	db_close(db);
	return rc;
}

int server_run(const struct server_config *cfg)
{
	struct server srv, *s = &srv;
	char err[1024], *keypath = NULL;
	int rc = 1;

	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	registry_init(&s->reg);
	loader_init(&s->loader);
	ratelimit_init(&s->rl_regno, cfg->login_fail_regno, (int64_t)cfg->login_window_regno_s * 1000,
		       UJ_RATELIMIT_KEYS);
	ratelimit_init(&s->rl_addr, cfg->login_fail_addr, (int64_t)cfg->login_window_addr_s * 1000,
		       UJ_RATELIMIT_KEYS);
	signal(SIGPIPE, SIG_IGN);
	server_raise_nofile();

	keypath = cfg->key_path ? xstrdup(cfg->key_path) : cred_key_path(cfg->db_path);
	if (cred_key_load(keypath, s->key, err, sizeof err))
		goto fail;
	rng_bytes(s->dummy_hash, sizeof s->dummy_hash);
	s->web_root = server_find_web_root(cfg->web_root);
	if (cfg->web_root && !s->web_root) {
		snprintf(err, sizeof err, "--web-root %s: %s", cfg->web_root, strerror(errno));
		goto fail;
	}
	s->base = event_base_new();
	if (!s->base) {
		snprintf(err, sizeof err, "cannot create the event loop");
		goto fail;
	}
	if (server_load(s, err, sizeof err))
		goto fail;
	s->mb = mailbox_new(s->base);
	if (!s->mb) {
		snprintf(err, sizeof err, "cannot create the loop mailbox");
		goto fail;
	}
	s->store = store_start(cfg->db_path, s->mb, cfg->outage_credit, err, sizeof err);
	if (!s->store || httpd_start(s, err, sizeof err))
		goto fail;
	s->watcher = watcher_start(s, err, sizeof err);
	if (!s->watcher)
		goto fail;
	s->writer_watch = event_new(s->base, -1, EV_PERSIST, server_watch_writer, s);
	if (!s->writer_watch) {
		snprintf(err, sizeof err, "cannot create the writer watch timer");
		goto fail;
	}
	{
		struct timeval second = { 1, 0 };
		event_add(s->writer_watch, &second);
	}
	s->sig_int = evsignal_new(s->base, SIGINT, server_on_signal, s);
	s->sig_term = evsignal_new(s->base, SIGTERM, server_on_signal, s);
	event_add(s->sig_int, NULL);
	event_add(s->sig_term, NULL);

	if (!cfg->quiet) {
		printf("Ujian %s listening on http://%s/ (database %s, %zu candidate%s in %zu exam%s)\n",
		       UJIAN_VERSION, s->bound, cfg->db_path, s->reg.n_candidates,
		       s->reg.n_candidates == 1 ? "" : "s", s->reg.exams.len,
		       s->reg.exams.len == 1 ? "" : "s");
		fflush(stdout);
	}
	log_info("listening on http://%s/ web root %s", s->bound, s->web_root ? s->web_root : "(none)");
	event_base_dispatch(s->base);
	rc = 0;
	goto stop;
fail:
	log_error("%s", err);
stop:
	watcher_stop(s->watcher);
	if (s->listener)
		evconnlistener_disable(s->listener);
	if (s->store)
		store_stop(s->store); /* commits everything queued */
	if (s->mb)
		mailbox_drain(s->mb); /* replies for those commits */
	httpd_stop(s);
	if (s->writer_watch)
		event_free(s->writer_watch);
	if (s->sig_int)
		event_free(s->sig_int);
	if (s->sig_term)
		event_free(s->sig_term);
	registry_free(&s->reg);
	loader_free(&s->loader);
	mailbox_free(s->mb);
	if (s->base)
		event_base_free(s->base);
	ratelimit_free(&s->rl_regno);
	ratelimit_free(&s->rl_addr);
	OPENSSL_cleanse(s->key, sizeof s->key);
	free(s->web_root);
	free(keypath);
	return rc;
}
