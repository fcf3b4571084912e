/* server.c - assembling and running the server: load, recover, serve, stop. */
#include "app/server.h"
#include "app/metrics.h"
#include "app/privilege.h"
#include "bounds.h"
#include "catalog/watcher.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "exam/clockstep.h"
#include "exam/outage.h"
#include "http/reply.h"
#include "selection/talent_live.h"
#include "store/db.h"
#include "store/dblock.h"
#include "version.h"

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
	cfg->idle_timeout_s = UJ_IDLE_TIMEOUT_S;
	cfg->backlog = UJ_BACKLOG_DEFAULT;
	cfg->login_fail_regno = UJ_LOGIN_FAIL_REGNO;
	cfg->login_window_regno_s = UJ_LOGIN_WINDOW_REGNO_S;
	cfg->login_fail_addr = UJ_LOGIN_FAIL_ADDR;
	cfg->login_window_addr_s = UJ_LOGIN_WINDOW_ADDR_S;
	cfg->outage_credit = 1;
	cfg->catalog_poll_ms = UJ_CATALOG_POLL_MS;
	cfg->writer_queue_max = UJ_WRITER_QUEUE_MAX;
	cfg->watcher = 1;
	cfg->dblock_fd = -1;
	cfg->staff_idle_s = UJ_STAFF_IDLE_S;
	cfg->staff_max_age_s = UJ_STAFF_MAX_AGE_S;
	cfg->session_after_s = UJ_CAND_SESSION_AFTER_S;
	cfg->sse_streams = UJ_SSE_SUBSCRIBERS_MAX;
	cfg->sse_buffer = UJ_SSE_BUFFER_MAX;
	cfg->max_conns_per_ip = UJ_CONNS_PER_IP_DEFAULT; /* issue 12 */
	cfg->request_timeout_s = UJ_REQUEST_TIMEOUT_S;
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

/* 1 (with err) if path, resolved, lies inside the folder root. path need
 * not exist: its folder is resolved and its name appended. */
static int server_inside(const char *root, const char *path)
{
	char *copy = xstrdup(path), *copy2 = xstrdup(path), *dir, *real, *full;
	size_t n = strlen(root);
	int inside;

	real = realpath(path, NULL);
	if (!real) {
		dir = realpath(dirname(copy), NULL);
		real = dir ? xasprintf("%s/%s", dir, basename(copy2)) : NULL;
		free(dir);
	}
	full = real ? real : xstrdup(path);
	inside = strncmp(full, root, n) == 0 && (full[n] == '/' || full[n] == '\0');
	free(full);
	free(copy);
	free(copy2);
	return inside;
}

/* Refuse (1, with err) a web root that holds the database, its WAL or
 * shared memory, its lock file or the key: they would be served to anyone,
 * and a second descriptor on the database file drops SQLite's locks. */
static int server_web_root_holds(const char *web_root, const char *db_path, const char *keypath,
				 char *err, size_t errlen)
{
	static const char *const suffix[] = { "", "-wal", "-shm", ".lock" };
	if (!web_root)
		return 0;
	for (size_t i = 0; i <= sizeof suffix / sizeof *suffix; i++) {
		char *p = i < sizeof suffix / sizeof *suffix ? xasprintf("%s%s", db_path, suffix[i])
							       : xstrdup(keypath);
		int inside = server_inside(web_root, p);
		if (inside)
			snprintf(err, errlen,
				 "the web root %s holds %s: it would be served to anyone (and reading "
				 "it there breaks the database's locks); keep the database and its "
				 "key outside the web root",
				 web_root, p);
		free(p);
		if (inside)
			return 1;
	}
	return 0;
}

/* The idle timeout of connections: the configured one, unless more
 * candidates are registered than the keep-alive share of the descriptor
 * limit (http/listener.c) — then at most UJ_IDLE_CROWDED_S, below the
 * candidate client's 4-second poll, so a polling browser's connection is not
 * held between polls and the candidates cannot use up the descriptors. */
static int server_idle_timeout(const struct server_config *cfg, size_t n_candidates)
{
	struct rlimit rl;
	if (cfg->idle_timeout_s <= UJ_IDLE_CROWDED_S || getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY ||
	    n_candidates <= rl.rlim_cur * UJ_KEEPALIVE_FD_PCT / 100)
		return cfg->idle_timeout_s;
	log_info("%zu candidates for %llu descriptors: idle connections close after %d s "
		 "(not %d), so that browsers polling every 4 s do not hold one each",
		 n_candidates, (unsigned long long)rl.rlim_cur, UJ_IDLE_CROWDED_S,
		 cfg->idle_timeout_s);
	return UJ_IDLE_CROWDED_S;
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

/* Once a second: follow a step of the system's wall clock (see above), and
 * warn when operations wait and the writer has not committed
 * for UJ_WRITER_STALL_MS (a slow or full disk, or another process holding
 * the write lock), repeat every UJ_WRITER_STALL_REPEAT_MS while it lasts, and
 * say when commits resume. Candidates waiting on those operations get their
 * replies only after the commit, so the log is where an operator sees it. */
static void server_watch_writer(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	int64_t step = clock_check_step(UJ_CLOCK_STEP_MS);
	int64_t now = clock_now_ms(), last = writer_last_commit_ms(s->w);
	long backlog = writer_backlog(s->w);
	(void)fd;
	(void)what;

	/* The system's wall clock was stepped: the server's time has followed
	 * it; every running attempt's deadline follows too (exam/clockstep). */
	if (step) {
		s->clock_steps++;
		clockstep_apply(&s->x, step, now);
		return; /* the commit times straddle the step: check next second */
	}

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

/* A worker thread's context: its own read-only connection (NULL if it
 * cannot open one; its jobs then fail cleanly). */
static void *server_worker_init(void *arg)
{
	char err[256];
	sqlite3 *db = db_open(arg, DB_OPEN_READONLY, err, sizeof err);
	if (!db)
		log_error("worker: %s", err);
	return db;
}

static void server_worker_fini(void *tctx)
{
	db_close(tctx);
}

/* api.reload_exam: the catalog watcher reloads the exam. */
static void server_reload_exam(void *ctx, int64_t exam_id, void (*fn)(void *arg, int ok),
			       void *arg)
{
	watcher_reload(ctx, exam_id, fn, arg);
}

/* registry.changed: the catalog watcher merged new exams, candidates or
 * sittings, or reloaded an exam. */
static void server_catalog_changed(void *arg)
{
	struct server *s = arg;
	proctor_catalog_changed(s->pr);
}

/* api.catalog_sync: the catalog watcher loads what changed now. */
static void server_catalog_sync(void *ctx, void (*fn)(void *arg, int ok), void *arg)
{
	watcher_sync(ctx, fn, arg);
}

/* After the proctor domain: a candidate changed durably. The public
 * scoreboard hears of a finish. The proctor domain is the exam's observer and
 * passes every change on here (proctor_chain). */
static void server_observe(void *arg, struct rt_candidate *c, enum exam_change what)
{
	struct server *s = arg;
	if (what == EXC_FINISH) {
		board_finished(s->board, c);
		talent_live_finished(s->talent, c->id, c->exam->def.code);
		bid_live_exam_finished(s->bidlive, c); /* a worker reads, the loop publishes */
	}
}

/* Load catalog and state, then run crash recovery (before the writer). */
static int server_load(struct server *s, char *err, size_t errlen)
{
	struct load_batch b;
	sqlite3 *db = db_open(s->cfg.db_path, DB_OPEN_EXISTING, err, errlen);
	int rc = -1;

	if (!db)
		return -1;
	if (loader_load(&s->loader, db, &b, err, errlen)) {
		loader_merge(&s->x.reg, &b);
		goto out;
	}
	loader_merge(&s->x.reg, &b);
	if (loader_load_state(db, &s->x.reg, err, errlen) || attempt_recover(&s->x, db, err, errlen))
		goto out;
	proctor_catalog_changed(s->pr);
	if (proctor_load(s->pr, db, err, errlen))
		goto out;
	rc = 0;
out:
	db_close(db);
	return rc;
}

int server_open(struct server *s, const struct server_config *cfg, char *err, size_t errlen)
{
	uint8_t key[CRED_KEY_LEN];
	char *keypath = NULL;
	int rc = -1;

	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	s->db_path = xstrdup(cfg->db_path);
	s->http.web_root_fd = -1; /* httpd_stop is safe before httpd_start */
	s->redirect.web_root_fd = -1;
	registry_init(&s->x.reg);
	loader_init(&s->loader);
	s->dblock = -1;
	/* First of all: a missing, unreadable or mismatched certificate or key
	 * is an operator's typo, reported before anything is locked or read. */
	if (cfg->tls_cert || cfg->tls_key) {
		if (!cfg->tls_cert || !cfg->tls_key) {
			snprintf(err, errlen, "--tls-cert and --tls-key go together");
			goto out;
		}
		s->tls = tls_server_ctx_new(cfg->tls_cert, cfg->tls_key, err, errlen);
		if (!s->tls)
			goto out;
	}
	if (cfg->redirect_http && !s->tls) {
		snprintf(err, errlen, "--redirect-http needs --tls-cert and --tls-key");
		goto out;
	}
	keypath = cfg->key_path ? xstrdup(cfg->key_path) : cred_key_path(cfg->db_path);
	s->web_root = server_find_web_root(cfg->web_root);
	if (cfg->web_root && !s->web_root) {
		snprintf(err, errlen, "--web-root %s: %s", cfg->web_root, strerror(errno));
		goto out;
	}
	/* Before the database is read or written: nothing of it may be
	 * servable, and one server per database (a second start would credit a
	 * false outage to everyone). */
	if (server_web_root_holds(s->web_root, cfg->db_path, keypath, err, errlen))
		goto out;
	if (cfg->dblock_fd < 0 && db_exists(cfg->db_path, err, errlen))
		goto out;
	s->dblock = cfg->dblock_fd >= 0 ? cfg->dblock_fd : dblock_acquire(cfg->db_path, err, errlen);
	if (s->dblock < 0)
		goto out;
	s->x.outage_credit = cfg->outage_credit;
	http_errors_add(&attempt_errors);
	http_errors_add(&session_errors);
	http_errors_add(&staffauth_errors);
	http_errors_add(&board_errors);
	http_errors_add(&selection_errors);

	if (cred_key_load(keypath, key, err, errlen))
		goto out;
	session_init(&s->auth, key, &s->x, cfg->login_fail_regno, cfg->login_window_regno_s,
		     cfg->login_fail_addr, cfg->login_window_addr_s);
	OPENSSL_cleanse(key, sizeof key);
	s->auth.session_after_ms = (int64_t)cfg->session_after_s * 1000;
	s->base = event_base_new();
	if (!s->base) {
		snprintf(err, errlen, "cannot create the event loop");
		goto out;
	}
	s->x.base = s->base;
	/* Before loading: recovery may finish attempts, and observers hear it. */
	s->sse = sse_hub_new(s->base, cfg->sse_streams, cfg->sse_buffer);
	s->board = board_new(s->sse, &s->x);
	s->pr = proctor_new(&s->x, &s->auth, s->sse);
	proctor_chain(s->pr, server_observe, s);
	s->x.reg.changed = server_catalog_changed;
	s->x.reg.changed_arg = s;
	http_errors_add(&proctor_errors);
	http_errors_add(&talent_errors);
	http_errors_add(&calib_errors); /* issue 14 */
	if (server_load(s, err, errlen))
		goto out;
	s->mb = mailbox_new(s->base);
	if (!s->mb) {
		snprintf(err, errlen, "cannot create the loop mailbox");
		goto out;
	}
	s->w = writer_start(cfg->db_path, s->mb, cfg->outage_credit, cfg->writer_queue_max, err,
			    errlen);
	if (!s->w)
		goto out;
	s->x.w = s->w;
	/* issue 12: storage faults. Candidates whose write failed for the disk
	 * are reloaded through this read connection (exam/attempt.h). */
	if (!(s->x.rdb = db_open(cfg->db_path, DB_OPEN_EXISTING, err, errlen)))
		goto out;
	writer_on_storage(s->w, outage_storage_changed, &s->x);
	s->pool = worker_start(UJ_WORKERS, UJ_WORKER_QUEUE_MAX, s->mb, server_worker_init,
			       server_worker_fini, (void *)cfg->db_path);
	if (!s->pool) {
		snprintf(err, errlen, "cannot start the worker threads");
		goto out;
	}
	if (staffauth_open(&s->staff, cfg->db_path, s->w, s->pool, cfg->staff_idle_s,
			   cfg->staff_max_age_s, UJ_STAFF_LOGIN_FAIL_USER, UJ_STAFF_LOGIN_WINDOW_S,
			   cfg->login_fail_addr, cfg->login_window_addr_s, err, errlen))
		goto out;
	s->api.x = &s->x;
	s->api.auth = &s->auth;
	s->api.staff = &s->staff;
	s->api.pool = s->pool;
	/* issue 14: item analyses run on a thread of their own at the lowest
	 * CPU priority, with its own read-only connection */
	s->apool = worker_start(1, UJ_IA_QUEUE_MAX, s->mb, api_analysis_thread_init,
				server_worker_fini, (void *)cfg->db_path);
	if (!s->apool) {
		snprintf(err, errlen, "cannot start the analysis thread");
		goto out;
	}
	s->api.analysis_pool = s->apool;
	s->api.pr = s->pr;
	s->api.sse = s->sse;
	s->api.board = s->board;
	s->talent = talent_live_new(s->base, s->sse, s->pool, cfg->db_path);
	s->api.talent = s->talent;
	s->bidlive = bid_live_new(s->sse, s->pool);
	s->api.bidlive = s->bidlive;
	s->api.db_path = cfg->db_path;
	memcpy(s->api.key, s->auth.key, CRED_KEY_LEN);
	s->api.max_body = cfg->max_body;
	s->api.bench_route = cfg->bench_route;
	/* issue 11: the slip signing key, made when missing */
	if (!(s->api.slip = api_slip_open(cfg->db_path, cfg->public_url, s->tls != NULL, err, errlen)))
		goto out;
	{
		struct httpd_config hc = { cfg->listen, cfg->max_body,
					   server_idle_timeout(cfg, s->x.reg.n_candidates), cfg->backlog,
					   s->web_root, s->tls, 0,
					   /* issue 12 */ cfg->max_conns_per_ip, cfg->request_timeout_s };
		if (httpd_start(&s->http, s->base, &hc, api_dispatch, &s->api, err, errlen))
			goto out;
	}
	if (cfg->redirect_http) {
		/* Redirect to the port the HTTPS front really bound (--listen may
		 * say port 0). */
		const char *colon = strrchr(s->http.bound, ':');
		struct httpd_config rc_cfg = { cfg->redirect_http, UJ_BODY_MIN, cfg->idle_timeout_s,
					       cfg->backlog, NULL, NULL,
					       colon ? atoi(colon + 1) : 443,
					       /* issue 12 */ cfg->max_conns_per_ip,
					       cfg->request_timeout_s };
		if (httpd_start(&s->redirect, s->base, &rc_cfg, NULL, NULL, err, errlen)) {
			char more[512];
			snprintf(more, sizeof more, "--redirect-http: %s", err);
			snprintf(err, errlen, "%s", more);
			goto out;
		}
	}
	if (cfg->watcher) {
		s->watcher = watcher_start(cfg->db_path, cfg->catalog_poll_ms, &s->loader, &s->x.reg,
					   s->mb, err, errlen);
		if (!s->watcher)
			goto out;
		s->api.reload_exam = server_reload_exam;
		s->api.catalog_sync = server_catalog_sync;
		s->api.reload_ctx = s->watcher;
	}
	s->writer_watch = event_new(s->base, -1, EV_PERSIST, server_watch_writer, s);
	if (!s->writer_watch) {
		snprintf(err, errlen, "cannot create the writer watch timer");
		goto out;
	}
	{
		struct timeval second = { 1, 0 };
		event_add(s->writer_watch, &second);
	}
	if (cfg->metrics_listen) {
		s->metrics = server_metrics_start(s, cfg->metrics_listen, err, errlen);
		if (!s->metrics)
			goto out;
	}
	/* Listening: the start-up since recovery is downtime too. */
	attempt_credit_startup(&s->x, clock_now_ms());
	rc = 0;
out:
	free(keypath);
	return rc;
}

/* Fold the WAL into the database and truncate it (a clean stop). */
static void server_checkpoint(const char *db_path)
{
	char err[256];
	sqlite3 *db = db_open(db_path, DB_OPEN_EXISTING, err, sizeof err);
	if (!db || db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", err, sizeof err))
		log_warn("stop: could not checkpoint the WAL: %s", err);
	db_close(db);
}

void server_close(struct server *s)
{
	watcher_stop(s->watcher);
	s->watcher = NULL;
	if (s->http.listener)
		evconnlistener_disable(s->http.listener);
	if (s->redirect.listener)
		evconnlistener_disable(s->redirect.listener);
	/* Workers first: their completions may still queue writer work. */
	talent_live_stop(s->talent); /* queues no more jobs */
	worker_stop(s->pool);
	s->pool = NULL;
	worker_stop(s->apool);
	s->apool = s->api.analysis_pool = NULL;
	if (s->mb)
		mailbox_drain(s->mb);
	if (s->w)
		writer_stop(s->w); /* commits everything queued */
	s->w = s->x.w = NULL;
	if (s->mb)
		mailbox_drain(s->mb); /* replies for those commits */
	db_close(s->x.rdb);
	s->x.rdb = NULL;
	httpd_stop(&s->http); /* closes every stream's connection */
	httpd_stop(&s->redirect);
	if (s->metrics)
		evhttp_free(s->metrics);
	s->metrics = NULL;
	proctor_free(s->pr); /* its topics ... */
	s->pr = NULL;
	board_free(s->board);
	s->board = NULL;
	talent_live_free(s->talent);
	s->talent = NULL;
	bid_live_free(s->bidlive);
	s->bidlive = s->api.bidlive = NULL;
	if (s->sse)
		sse_hub_free(s->sse); /* ... then the hub */
	s->sse = NULL;
	SSL_CTX_free(s->tls); /* connections held their own references */
	if (s->writer_watch)
		event_free(s->writer_watch);
	if (s->sig_int)
		event_free(s->sig_int);
	if (s->sig_term)
		event_free(s->sig_term);
	registry_free(&s->x.reg);
	loader_free(&s->loader);
	mailbox_free(s->mb);
	if (s->base)
		event_base_free(s->base);
	session_free(&s->auth);
	staffauth_close(&s->staff);
	api_slip_close(s->api.slip); /* issue 11: after the workers stopped */
	s->api.slip = NULL;
	/* The last connection to close was a read-only one, which cannot fold
	 * the WAL back: do it now, so that after a clean stop the database file
	 * alone holds everything (as a copy or backup expects). */
	if (s->db_path && s->dblock >= 0)
		server_checkpoint(s->db_path);
	free(s->db_path);
	OPENSSL_cleanse(s->api.key, sizeof s->api.key);
	free(s->web_root);
	dblock_release(s->dblock); /* last: everything is committed and closed */
	memset(s, 0, sizeof *s);
	s->dblock = -1;
	s->http.web_root_fd = -1;
	s->redirect.web_root_fd = -1;
}

int server_run(const struct server_config *cfg)
{
	struct server *s = xcalloc(1, sizeof *s);
	const char *scheme;
	char err[1024];
	int rc = 1;

	signal(SIGPIPE, SIG_IGN);
	server_raise_nofile();
	if (server_open(s, cfg, err, sizeof err)) {
		log_error("%s", err);
		goto out;
	}
	/* Everything privileged is done (ports bound, files opened): give root
	 * up for good, or say why running as root is a risk. */
	if (cfg->user && privilege_drop(cfg->user, cfg->db_path, err, sizeof err)) {
		log_error("%s", err);
		goto out;
	}
	if (!cfg->user && privilege_is_root())
		log_warn("running as root: a flaw in the server would be a flaw in the whole "
			 "machine; start it with --user NAME (an unprivileged account owning the "
			 "database folder), see docs/OPERATIONS.md");
	else if (cfg->user)
		log_info("running as user %s", cfg->user);
	s->sig_int = evsignal_new(s->base, SIGINT, server_on_signal, s);
	s->sig_term = evsignal_new(s->base, SIGTERM, server_on_signal, s);
	event_add(s->sig_int, NULL);
	event_add(s->sig_term, NULL);
	scheme = s->tls ? "https" : "http";
	if (!cfg->quiet) {
		printf("Ujian %s listening on %s://%s/ (database %s, %zu candidate%s in %zu exam%s)\n",
		       UJIAN_VERSION, scheme, s->http.bound, cfg->db_path, s->x.reg.n_candidates,
		       s->x.reg.n_candidates == 1 ? "" : "s", s->x.reg.exams.len,
		       s->x.reg.exams.len == 1 ? "" : "s");
		if (s->redirect.http)
			printf("Redirecting http://%s/ to HTTPS\n", s->redirect.bound);
		fflush(stdout);
	}
	log_info("listening on %s://%s/ web root %s", scheme, s->http.bound,
		 s->web_root ? s->web_root : "(none)");
	if (s->redirect.http)
		log_info("redirecting http://%s/ to https", s->redirect.bound);
	event_base_dispatch(s->base);
	rc = 0;
out:
	server_close(s);
	free(s);
	return rc;
}
