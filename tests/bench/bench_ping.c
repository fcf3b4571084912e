/* bench_ping.c - ping mode: the raw ceiling of the server's event loop.
 *
 * C keep-alive connections each send GET PATH back to back (closed loop: the
 * next request leaves as soon as the reply is in) for S seconds; with --rps,
 * each connection instead paces itself to its share of the target rate. A
 * connection error, timeout or non-200 is counted and retried after a backoff
 * of 100 ms doubling to 2 s. Requests still in flight at the end are dropped
 * and not counted. */
#include "bench.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

struct ping_worker;

struct ping_conn {
	struct ping_worker *pw;
	struct evhttp_connection *conn;
	int conn_closed;        /* TLS: conn is dead, make a new one (net_conn_new) */
	struct event *timer;
	struct bench_rng rng;
	int inflight;
	int req_err;            /* enum evhttp_request_error, -1 none */
	int backoff_ms;
	int64_t sent_us;
	int64_t next_us;        /* paced: when the next request is due */
};

struct ping_worker {
	const struct bench_cfg *cfg;
	struct bench_stats *st;
	struct event_base *base;
	char src[16];
	struct ping_conn *pc;
	size_t n;
	int64_t interval_us;    /* paced: per connection; 0 = closed loop */
	struct proc_events ev;
};

static void ping_send(struct ping_conn *pc);

static void ping_at(struct ping_conn *pc, int64_t delay_us)
{
	struct timeval tv = bench_timeval(delay_us);
	evtimer_add(pc->timer, &tv);
}

static void ping_retry(struct ping_conn *pc)
{
	pc->pw->st->retries++;
	ping_at(pc, (int64_t)(brng_backoff(&pc->rng, &pc->backoff_ms) * 1000));
}

/* After a good reply: the next request now (closed loop) or at its slot. */
static void ping_next(struct ping_conn *pc)
{
	struct ping_worker *pw = pc->pw;
	int64_t now;

	if (!pw->interval_us) {
		if (pc->conn_closed)
			ping_at(pc, 0); /* a dead TLS connection is replaced from the timer */
		else
			ping_send(pc); /* libevent allows a new request from the reply callback */
		return;
	}
	now = bench_now_us();
	pc->next_us += pw->interval_us;
	if (pc->next_us < now - pw->interval_us)
		pc->next_us = now; /* fell behind: do not burst to catch up */
	ping_at(pc, pc->next_us - now);
}

static void ping_req_error(enum evhttp_request_error e, void *arg)
{
	struct ping_conn *pc = arg;
	pc->req_err = (int)e;
}

static void ping_reply(struct evhttp_request *req, void *arg)
{
	struct ping_conn *pc = arg;
	struct bench_stats *st = pc->pw->st;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	int64_t now = bench_now_us();

	if (!pc->inflight)
		return;
	pc->inflight = 0;
	if (status == 0) {
		stats_error(st, BOP_PING, 0, pc->req_err == EVREQ_HTTP_TIMEOUT ? "timeout" : "conn");
		if (pc->pw->cfg->tls)
			pc->conn_closed = 1;
		ping_retry(pc);
		return;
	}
	st->replies++;
	if (status != 200) {
		json_t *body = net_reply_json(req);
		stats_error(st, BOP_PING, status, net_error_code(body));
		json_decref(body);
		ping_retry(pc);
		return;
	}
	hist_add(&st->ops[BOP_PING], (uint64_t)(now - pc->sent_us));
	stats_tick(st, now - pc->pw->cfg->t0_us);
	pc->backoff_ms = BENCH_BACKOFF_MIN_MS;
	ping_next(pc);
}

static void ping_send(struct ping_conn *pc)
{
	struct ping_worker *pw = pc->pw;
	struct evhttp_request *req;

	if (pc->conn && pc->conn_closed) {
		evhttp_connection_free(pc->conn);
		pc->conn = NULL;
	}
	if (!pc->conn) {
		pc->conn_closed = 0;
		pc->conn = net_conn_new(pw->base, pw->cfg, pw->src, &pc->conn_closed);
	}
	req = net_request_new(pw->cfg, NULL, ping_reply, ping_req_error, pc);
	pc->inflight = 1;
	pc->req_err = -1;
	pc->sent_us = bench_now_us();
	if (evhttp_make_request(pc->conn, req, EVHTTP_REQ_GET, pw->cfg->path) == 0) {
		net_conn_nodelay(pc->conn);
	} else {
		/* Binding the source address failed; req is still ours. */
		evhttp_request_free(req);
		if (pw->cfg->tls)
			pc->conn_closed = 1;
		if (pc->inflight) {
			pc->inflight = 0;
			stats_error(pw->st, BOP_PING, 0, "bind");
			ping_retry(pc);
		}
	}
}

static void ping_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ping_send(arg);
}

/* Close every connection (requests in flight are freed without a callback)
 * and leave the loop. */
static void ping_stop(struct ping_worker *pw, enum bench_stop why)
{
	for (size_t i = 0; i < pw->n; i++) {
		struct ping_conn *pc = &pw->pc[i];
		if (pc->conn)
			evhttp_connection_free(pc->conn);
		pc->conn = NULL;
		pc->inflight = 0;
		evtimer_del(pc->timer);
	}
	if ((int)why > pw->st->stop)
		pw->st->stop = why;
	event_base_loopexit(pw->base, NULL);
}

static void ping_on_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ping_stop(arg, STOP_DONE);
}

static void ping_on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	log_warn("worker: signal %d, stopping", (int)fd);
	ping_stop(arg, STOP_SIGNAL);
}

int ping_worker(const struct bench_cfg *cfg, long w, struct bench_stats *st, void *arg)
{
	struct ping_worker pw;
	char err[256];
	int64_t now;
	(void)arg;

	memset(&pw, 0, sizeof pw);
	pw.cfg = cfg;
	pw.st = st;
	pw.n = (size_t)proc_share(cfg, cfg->conns, w);
	if (net_raise_nofile(pw.n + BENCH_FD_SLACK, err, sizeof err)) {
		fprintf(stderr, "ujian-bench: worker %ld: %s\n", w, err);
		return -1;
	}
	pw.base = event_base_new();
	if (!pw.base) {
		fprintf(stderr, "ujian-bench: worker %ld: cannot create an event base\n", w);
		return -1;
	}
	net_src_addr(w, cfg->src_addrs, pw.src);
	if (cfg->rps > 0)
		pw.interval_us = (int64_t)((double)cfg->conns * 1e6 / cfg->rps);
	pw.pc = xcalloc(pw.n ? pw.n : 1, sizeof *pw.pc);
	now = bench_now_us();
	for (size_t k = 0; k < pw.n; k++) {
		struct ping_conn *pc = &pw.pc[k];
		size_t i = (size_t)w + k * (size_t)cfg->workers;
		pc->pw = &pw;
		pc->backoff_ms = BENCH_BACKOFF_MIN_MS;
		brng_seed(&pc->rng, cfg->seed, i);
		pc->timer = evtimer_new(pw.base, ping_timer, pc);
		if (!pc->timer)
			abort();
		/* Paced connections start spread over one interval. */
		pc->next_us = cfg->t0_us + (int64_t)(brng_unit(&pc->rng) * (double)pw.interval_us);
		ping_at(pc, pc->next_us - now);
	}
	proc_events_add(&pw.ev, pw.base, cfg, ping_on_end, ping_on_signal, &pw);

	event_base_dispatch(pw.base);

	for (size_t i = 0; i < pw.n; i++) {
		if (pw.pc[i].conn)
			evhttp_connection_free(pw.pc[i].conn);
		event_free(pw.pc[i].timer);
	}
	free(pw.pc);
	proc_events_free(&pw.ev);
	event_base_free(pw.base);
	return 0;
}
