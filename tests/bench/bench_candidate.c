/* bench_candidate.c - run mode: every candidate is a browser taking the whole
 * exam through the candidate API (docs/API.md), as a state machine on its
 * worker's event loop.
 *
 *   wait U[0, window) -> LOGIN -> START (the Paper)
 *     -> for n = 1 .. items: think, PUT answers/n (rev 1)
 *          sometimes then: think, PUT an earlier question again (another
 *          option, rev + 1); sometimes right after an answer: GET attempt
 *     -> think, FINISH (submit share) or just stop
 *
 * One request at a time per candidate, on its own keep-alive connection
 * (created on first use; libevent reconnects after either side closed it,
 * or with TLS a new connection is made: see net_conn_new).
 * Reply callbacks only record and decide; the next request always leaves
 * from the candidate's timer, never from inside a libevent callback.
 *
 * The light poll (--poll-ms N): once its attempt has started, a candidate
 * also sends GET /api/v1/attempt?view=clock every N ms (each interval
 * jittered by +-10%, from its own random stream so that its answers are the
 * same as without the poll), from its own poll timer, as the exam page does.
 * Like a browser, a candidate has a small pool of connections
 * (BENCH_CAND_CONNS): each request takes the first one with nothing in
 * flight, so a poll never waits behind an answer nor an answer behind a
 * poll; most of the time both use the first connection. A poll that is due
 * while the previous one has no reply yet is skipped (counted); a poll that
 * sees the attempt finished ends the polling (the page shows the end). Poll
 * latencies and errors are counted under their own operation "poll".
 *
 * Outages: no reply, a timeout or a 5xx repeats the same request (an answer
 * keeps its rev) after a backoff of 100 ms doubling to 2 s (with jitter), until
 * --max-seconds. A 401 logs in again, reads the attempt (GET) to learn the
 * server's state, then repeats the interrupted request. 409 attempt_closed
 * ends the candidate (time is up).
 *
 * Every 200 to an answer is written to the worker's ack log as
 * "registration_no n rev option" with the values of the reply body; with
 * dashboards (cfg->shared) its time is also left in the candidate's
 * pending slot for bench_dash.c to measure the lag to its row. */
#include "bench.h"
#include "core/log.h"
#include "core/mem.h"

#include <assert.h>
#include <errno.h>
#include <event2/buffer.h>
#include <stdatomic.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#define CAND_LOST_LOGGED 20 /* lost acknowledgements logged per worker */

enum cand_step { STEP_SEND, STEP_NEXT, STEP_CLOSE };
enum cand_end { END_SUBMITTED, END_TIME_UP, END_STOPPED, END_FAILED, END_ALREADY };

struct cand_act {
	enum bench_op op;
	int n;          /* answer: question number */
	int label;      /* answer: 0-based label, -1 for null */
	int flagged;
	uint32_t rev;
	int first;      /* answer: the question's first answer in this run */
};

struct run_worker;

struct cand_conn {
	struct evhttp_connection *c;
	int closed;             /* TLS: c is dead, make a new one (net_conn_new) */
	int busy;               /* a request is in flight on it */
};

struct cand {
	struct run_worker *rw;
	const struct bench_cred *cred;
	size_t idx;             /* index in the credentials file */
	struct bench_rng rng;
	struct cand_conn cc[BENCH_CAND_CONNS];
	int slot;               /* cc[] of the request in flight */
	struct event *timer;
	enum cand_step step;
	char token[BENCH_TOKEN_MAX + 1];
	int submit;             /* will POST finish after the last answer */
	double think_ms;        /* mean think time */
	/* the paper, once started */
	int items;
	uint8_t *nopt;          /* options per question */
	int8_t *label;          /* last label sent, -1 none */
	uint32_t *rev;          /* last rev sent (or seen stored) */
	uint32_t *acked;        /* highest rev acknowledged */
	int next_n;             /* next question to answer for the first time */
	int change_due;         /* the next step changes an earlier answer */
	int started;            /* the first start was acknowledged */
	/* the request in flight, or to repeat */
	struct cand_act act;
	struct cand_act resume; /* interrupted by a 401 or 409 not_started */
	int resuming;
	int inflight;
	int req_err;            /* enum evhttp_request_error, -1 none */
	int64_t sent_us;
	int backoff_ms;
	int done;
	/* the light poll */
	struct bench_rng prng;
	struct event *ptimer;
	int poll_inflight, poll_slot, poll_err;
	int poll_stopped;       /* a poll saw the attempt finished */
	int64_t poll_sent_us;
};

struct run_worker {
	const struct bench_cfg *cfg;
	struct bench_stats *st;
	struct event_base *base;
	FILE *acks;
	char src[16];
	struct cand *c;
	size_t n, active;
	struct proc_events ev;
	struct event *tick_ev;
	long w;                 /* worker number */
	int lost_logged;
};

static void cand_send(struct cand *c);
static void cand_poll_schedule(struct cand *c);

/* The first connection of c's pool with nothing in flight (made if needed,
 * replaced if TLS closed it), marked busy. Returns its index. */
static int cand_conn_take(struct cand *c)
{
	int i;
	for (i = 0; i < BENCH_CAND_CONNS - 1 && c->cc[i].busy; i++)
		;
	struct cand_conn *k = &c->cc[i];
	assert(!k->busy);
	if (k->c && k->closed) {
		evhttp_connection_free(k->c);
		k->c = NULL;
	}
	if (!k->c) {
		k->closed = 0;
		k->c = net_conn_new(c->rw->base, c->rw->cfg, c->rw->src, &k->closed);
	}
	k->busy = 1;
	return i;
}

/* Close all of c's connections; requests in flight are freed without a
 * callback. */
static void cand_conns_free(struct cand *c)
{
	for (int i = 0; i < BENCH_CAND_CONNS; i++) {
		if (c->cc[i].c)
			evhttp_connection_free(c->cc[i].c);
		c->cc[i].c = NULL;
		c->cc[i].busy = 0;
	}
	c->inflight = 0;
	c->poll_inflight = 0;
}

static void cand_schedule(struct cand *c, enum cand_step step, double delay_ms)
{
	struct timeval tv = bench_timeval((int64_t)(delay_ms * 1000));
	c->step = step;
	evtimer_add(c->timer, &tv);
}

static void cand_retry(struct cand *c)
{
	c->rw->st->retries++;
	cand_schedule(c, STEP_SEND, brng_backoff(&c->rng, &c->backoff_ms));
}

static void cand_think(struct cand *c)
{
	cand_schedule(c, STEP_NEXT, brng_exp(&c->rng, c->think_ms, BENCH_THINK_CAP));
}

static void cand_send_now(struct cand *c, enum bench_op op)
{
	c->act.op = op;
	cand_schedule(c, STEP_SEND, 0);
}

/* The candidate is finished with, for reason why. Its connection is closed
 * from its timer (not from inside a libevent callback). */
static void cand_end(struct cand *c, enum cand_end why)
{
	struct run_worker *rw = c->rw;
	struct bench_stats *st = rw->st;

	if (c->done)
		return;
	c->done = 1;
	switch (why) {
	case END_SUBMITTED: st->submitted++; break;
	case END_TIME_UP: st->time_up++; break;
	case END_STOPPED: st->stopped++; break;
	case END_FAILED: st->failed++; break;
	case END_ALREADY: st->already_finished++; break;
	}
	cand_schedule(c, STEP_CLOSE, 0);
	if (--rw->active == 0) {
		st->stop = STOP_DONE;
		event_base_loopexit(rw->base, NULL);
	}
}

/* A 2xx whose body is not what docs/API.md promises. */
static void cand_bad_reply(struct cand *c, int status)
{
	stats_error(c->rw->st, c->act.op, status, "bad_reply");
}

/* The current request is interrupted (by a 401 or 409 not_started): keep it
 * to repeat after the detour, unless an earlier one is already kept. */
static void cand_suspend(struct cand *c)
{
	if (!c->resuming) {
		c->resume = c->act;
		c->resuming = 1;
	}
}

/* The detour is over: repeat the kept request now. */
static void cand_resume(struct cand *c)
{
	c->resuming = 0;
	c->act = c->resume;
	cand_schedule(c, STEP_SEND, 0);
}

/* Log in again, then continue with the interrupted request. */
static void cand_relogin(struct cand *c)
{
	cand_suspend(c);
	c->token[0] = '\0';
	c->act.op = BOP_LOGIN;
	cand_schedule(c, STEP_SEND, brng_backoff(&c->rng, &c->backoff_ms));
}

/* Take the Paper (start reply, or GET attempt while in progress): the
 * question count and options on first sight, the stored answers always.
 * An acknowledged rev above the stored one is a lost acknowledgement.
 * Returns 0, or -1 when the paper is malformed or changed its shape. */
static int cand_take_paper(struct cand *c, const json_t *body)
{
	struct run_worker *rw = c->rw;
	const json_t *qs = json_object_get(body, "questions");
	const json_t *ans = json_object_get(body, "answers");
	size_t nq = json_array_size(qs), i;
	uint32_t *stored;
	const json_t *a;

	if (!json_is_array(qs) || nq == 0 || nq > BENCH_ITEMS_MAX)
		return -1;
	if (c->items && (size_t)c->items != nq)
		return -1;
	for (i = 0; i < nq; i++) {
		const json_t *q = json_array_get(qs, i);
		size_t no = json_array_size(json_object_get(q, "options"));
		if (json_integer_value(json_object_get(q, "n")) != (json_int_t)i + 1 || no < 1 ||
		    no > BENCH_OPTIONS_MAX)
			return -1;
	}
	if (!c->items) {
		c->items = (int)nq;
		c->nopt = xcalloc(nq, sizeof *c->nopt);
		c->label = xmalloc(nq * sizeof *c->label);
		memset(c->label, -1, nq * sizeof *c->label);
		c->rev = xcalloc(nq, sizeof *c->rev);
		c->acked = xcalloc(nq, sizeof *c->acked);
		c->next_n = 1;
		for (i = 0; i < nq; i++)
			c->nopt[i] = (uint8_t)json_array_size(
				json_object_get(json_array_get(qs, i), "options"));
	}
	stored = xcalloc(nq, sizeof *stored);
	json_array_foreach(ans, i, a) {
		json_int_t n = json_integer_value(json_object_get(a, "n"));
		json_int_t r = json_integer_value(json_object_get(a, "rev"));
		const char *o = json_string_value(json_object_get(a, "option"));
		if (n < 1 || n > (json_int_t)nq || r < 1 || r > UINT32_MAX)
			continue;
		stored[n - 1] = (uint32_t)r;
		if ((uint32_t)r > c->rev[n - 1]) {
			c->rev[n - 1] = (uint32_t)r;
			c->label[n - 1] = (int8_t)(o && o[0] >= 'A' && o[0] <= 'F' ? o[0] - 'A' : -1);
		}
	}
	for (i = 0; i < nq; i++)
		if (stored[i] < c->acked[i]) {
			rw->st->lost_acks++;
			if (rw->lost_logged++ < CAND_LOST_LOGGED)
				log_error("LOST ACK: %s question %zu: stored rev %u, acknowledged rev %u",
					  c->cred->regno, i + 1, stored[i], c->acked[i]);
		}
	free(stored);
	return 0;
}

/* ---- replies ------------------------------------------------------------ */

static void cand_on_login(struct cand *c, const json_t *body, int status)
{
	const struct bench_cfg *cfg = c->rw->cfg;
	const json_t *exam = json_object_get(body, "exam");
	const char *tok = json_string_value(json_object_get(body, "token"));
	const char *ast = json_string_value(json_object_get(json_object_get(body, "attempt"),
							    "status"));

	if (!tok || !*tok || strlen(tok) > BENCH_TOKEN_MAX || !ast) {
		cand_bad_reply(c, status);
		cand_end(c, END_FAILED);
		return;
	}
	str_copy(c->token, sizeof c->token, tok);
	if (c->think_ms <= 0) {
		json_int_t dur = json_integer_value(json_object_get(exam, "duration_s")), items = 0;
		size_t i;
		const json_t *s;
		json_array_foreach(json_object_get(exam, "sections"), i, s)
			items += json_integer_value(json_object_get(s, "items"));
		if (cfg->think_mean_ms > 0)
			c->think_ms = cfg->think_mean_ms;
		else if (dur > 0 && items > 0)
			c->think_ms = (double)dur * 1000.0 / (double)items;
		else
			c->think_ms = 1000;
	}
	if (c->resuming)
		c->rw->st->relogins++;
	else
		c->rw->st->logins++;
	if (strcmp(ast, "finished") == 0) {
		cand_end(c, c->started ? END_TIME_UP : END_ALREADY);
		return;
	}
	if (!c->resuming && cfg->start_at_s > 0) {
		/* Wait for the common start signal. */
		int64_t wait_us = cfg->t0_us + (int64_t)(cfg->start_at_s * 1e6) - bench_now_us();
		if (wait_us > 0) {
			c->act.op = BOP_START;
			cand_schedule(c, STEP_SEND, (double)wait_us / 1000.0);
			return;
		}
	}
	cand_send_now(c, c->resuming && c->items ? BOP_RESYNC : BOP_START);
}

static void cand_on_start(struct cand *c, const json_t *body, int status)
{
	struct bench_stats *st = c->rw->st;

	if (cand_take_paper(c, body) != 0) {
		cand_bad_reply(c, status);
		cand_end(c, END_FAILED);
		return;
	}
	if (!c->started) {
		int64_t at = bench_now_us() - c->rw->cfg->t0_us;
		c->started = 1;
		st->started++;
		if (at > st->start_last_us)
			st->start_last_us = at;
		if (c->rw->cfg->poll_ms > 0)
			cand_poll_schedule(c); /* the exam page is open: its poll begins */
	}
	if (c->resuming && c->resume.op != BOP_START) {
		cand_resume(c);
		return;
	}
	c->resuming = 0;
	cand_think(c);
}

/* GET /api/v1/attempt: a reload (read) or after a new login (resync). */
static void cand_on_attempt(struct cand *c, const json_t *body, int status)
{
	const json_t *att = json_object_get(body, "attempt");
	const char *ast = json_string_value(json_object_get(att, "status"));

	if (!ast) {
		cand_bad_reply(c, status);
	} else if (strcmp(ast, "finished") == 0) {
		const char *why = json_string_value(json_object_get(att, "finish_reason"));
		cand_end(c, why && strcmp(why, "submitted") == 0 ? END_SUBMITTED : END_TIME_UP);
		return;
	} else if (strcmp(ast, "not_started") == 0) {
		/* We had a start acknowledged: the server lost it. */
		stats_error(c->rw->st, c->act.op, status, "start_lost");
		if (!c->resuming) {
			c->resume.op = BOP_START;
			c->resuming = 1;
		}
		cand_send_now(c, BOP_START);
		return;
	} else if (cand_take_paper(c, body) != 0) {
		cand_bad_reply(c, status);
	}
	if (c->act.op == BOP_RESYNC && c->resuming) {
		cand_resume(c);
		return;
	}
	cand_think(c);
}

/* An answer was acknowledged now: leave its time for the dashboards, unless
 * one is already pending or a row for this candidate has arrived since the
 * request left (the row came first: counted, no lag sample). The dashboard
 * stores last_row before it takes pending, so the second look catches a
 * row that slipped in between our first look and our store. */
static void cand_mark_ack(struct cand *c, int64_t now)
{
	struct bench_shared *sh = c->rw->cfg->shared;
	_Atomic int64_t *p = &sh->pending[c->idx];
	int64_t zero = 0, t = now;

	assert(now > 0);
	if (atomic_load(&sh->last_row[c->idx]) >= c->sent_us) {
		c->rw->st->dash_early++;
		return;
	}
	if (!atomic_compare_exchange_strong(p, &zero, t))
		return; /* an earlier acknowledgement is still pending */
	if (atomic_load(&sh->last_row[c->idx]) >= c->sent_us && atomic_compare_exchange_strong(p, &t, 0))
		c->rw->st->dash_early++;
}

static void cand_on_answer(struct cand *c, const json_t *body, int status)
{
	struct run_worker *rw = c->rw;
	const json_t *jn = json_object_get(body, "n"), *jr = json_object_get(body, "rev");
	const json_t *jo = json_object_get(body, "option");
	json_int_t n = json_integer_value(jn), r = json_integer_value(jr);
	const char *o = json_string_value(jo);

	if (!json_is_integer(jn) || n != c->act.n || !json_is_integer(jr) || r < 1 ||
	    r > UINT32_MAX || !(json_is_null(jo) || (o && o[0] >= 'A' && o[0] <= 'Z' && !o[1]))) {
		cand_bad_reply(c, status);
		cand_think(c);
		return;
	}
	fprintf(rw->acks, "%s %d %u %s\n", c->cred->regno, (int)n, (unsigned)r, o ? o : "-");
	rw->st->acked++;
	int64_t now = bench_now_us();
	if (rw->cfg->shared)
		cand_mark_ack(c, now);
	stats_tick(rw->st, now - rw->cfg->t0_us);
	if ((uint32_t)r > c->acked[n - 1])
		c->acked[n - 1] = (uint32_t)r;
	if ((uint32_t)r > c->rev[n - 1])
		c->rev[n - 1] = (uint32_t)r; /* the server holds a newer rev than we sent */
	if (c->act.first && brng_chance(&c->rng, rw->cfg->change_share))
		c->change_due = 1;
	if (brng_chance(&c->rng, rw->cfg->read_share)) {
		cand_send_now(c, BOP_READ);
		return;
	}
	cand_think(c);
}

static void cand_on_finish(struct cand *c, const json_t *body)
{
	const char *why = json_string_value(json_object_get(body, "finish_reason"));
	cand_end(c, why && strcmp(why, "time_up") == 0 ? END_TIME_UP : END_SUBMITTED);
}

/* An HTTP reply to the current request. */
static void cand_handle(struct cand *c, int status, const json_t *body, uint64_t lat_us)
{
	struct bench_stats *st = c->rw->st;
	enum bench_op op = c->act.op;
	const char *code;

	if (status >= 200 && status < 300) {
		hist_add(&st->ops[op], lat_us);
		if (op != BOP_LOGIN)
			c->backoff_ms = BENCH_BACKOFF_MIN_MS;
		if (!json_is_object(body)) {
			cand_bad_reply(c, status);
			cand_retry(c);
			return;
		}
		switch (op) {
		case BOP_LOGIN: cand_on_login(c, body, status); break;
		case BOP_START: cand_on_start(c, body, status); break;
		case BOP_ANSWER: cand_on_answer(c, body, status); break;
		case BOP_READ:
		case BOP_RESYNC: cand_on_attempt(c, body, status); break;
		case BOP_FINISH: cand_on_finish(c, body); break;
		default: cand_end(c, END_FAILED); break;
		}
		return;
	}
	code = net_error_code(body);
	stats_error(st, op, status, code);
	if (status >= 500 || status == 429 || status == 408) {
		cand_retry(c); /* outage, overload or the failed-login limit: same request later */
		return;
	}
	if (status == 401 && op != BOP_LOGIN) {
		cand_relogin(c); /* unauthorized or session_replaced */
		return;
	}
	if (status == 409 && code && strcmp(code, "attempt_closed") == 0) {
		cand_end(c, END_TIME_UP);
		return;
	}
	if (status == 409 && code && strcmp(code, "not_started") == 0 && op != BOP_START) {
		cand_suspend(c);
		cand_send_now(c, BOP_START);
		return;
	}
	c->backoff_ms = BENCH_BACKOFF_MIN_MS;
	if (op == BOP_ANSWER && (status == 400 || status == 404)) {
		cand_think(c); /* counted; the candidate moves on */
		return;
	}
	cand_end(c, END_FAILED); /* bad credentials, exam closed, ...: nothing to retry */
}

static void cand_req_error(enum evhttp_request_error e, void *arg)
{
	struct cand *c = arg;
	c->req_err = (int)e;
}

static void cand_reply(struct evhttp_request *req, void *arg)
{
	struct cand *c = arg;
	struct bench_stats *st = c->rw->st;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	json_t *body;

	if (!c->inflight)
		return;
	c->inflight = 0;
	c->cc[c->slot].busy = 0;
	if (status == 0) {
		stats_error(st, c->act.op, 0, c->req_err == EVREQ_HTTP_TIMEOUT ? "timeout" : "conn");
		if (c->rw->cfg->tls)
			c->cc[c->slot].closed = 1;
		cand_retry(c);
		return;
	}
	st->replies++;
	body = net_reply_json(req);
	cand_handle(c, status, body, (uint64_t)(bench_now_us() - c->sent_us));
	json_decref(body);
}

/* ---- requests ----------------------------------------------------------- */

static void cand_send(struct cand *c)
{
	struct run_worker *rw = c->rw;
	const struct bench_cfg *cfg = rw->cfg;
	const struct cand_act *a = &c->act;
	struct evhttp_request *req;
	struct evbuffer *out;
	enum evhttp_cmd_type method = EVHTTP_REQ_POST;
	char answer_uri[64];
	const char *uri;

	c->slot = cand_conn_take(c);
	req = net_request_new(cfg, a->op == BOP_LOGIN ? NULL : c->token, cand_reply, cand_req_error, c);
	out = evhttp_request_get_output_buffer(req);
	switch (a->op) {
	case BOP_LOGIN: {
		json_t *j = json_pack("{s:s,s:s,s:s}", "exam", cfg->exam, "registration_no",
				      c->cred->regno, "password", c->cred->password);
		char *s = json_dumps(j, JSON_COMPACT);
		if (!s)
			abort();
		evbuffer_add(out, s, strlen(s));
		free(s);
		json_decref(j);
		uri = "/api/v1/candidate/login";
		break;
	}
	case BOP_START:
		uri = "/api/v1/attempt/start";
		break;
	case BOP_ANSWER:
		method = EVHTTP_REQ_PUT;
		snprintf(answer_uri, sizeof answer_uri, "/api/v1/attempt/answers/%d", a->n);
		uri = answer_uri;
		if (a->label >= 0)
			evbuffer_add_printf(out, "{\"option\":\"%c\",\"flagged\":%s,\"rev\":%u}",
					    'A' + a->label, a->flagged ? "true" : "false", a->rev);
		else
			evbuffer_add_printf(out, "{\"option\":null,\"flagged\":%s,\"rev\":%u}",
					    a->flagged ? "true" : "false", a->rev);
		break;
	case BOP_READ:
	case BOP_RESYNC:
		method = EVHTTP_REQ_GET;
		uri = "/api/v1/attempt";
		break;
	case BOP_FINISH:
		uri = "/api/v1/attempt/finish";
		break;
	default:
		abort();
	}
	if (evbuffer_get_length(out) > 0)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
				  "application/json");
	c->inflight = 1;
	c->req_err = -1;
	c->sent_us = bench_now_us();
	/* A refused connect may run cand_reply before this returns. */
	if (evhttp_make_request(c->cc[c->slot].c, req, method, uri) == 0) {
		net_conn_nodelay(c->cc[c->slot].c);
	} else {
		/* Binding the source address failed (no free port): libevent
		 * returns without freeing req (it frees it itself only when
		 * out of memory, which we do not survive anyway). */
		evhttp_request_free(req);
		if (cfg->tls)
			c->cc[c->slot].closed = 1;
		if (c->inflight) {
			c->inflight = 0;
			c->cc[c->slot].busy = 0;
			stats_error(rw->st, a->op, 0, "bind");
			cand_retry(c);
		}
	}
}

/* After thinking: change an earlier answer, answer the next question,
 * finish, or stop. */
static void cand_next(struct cand *c)
{
	const struct bench_cfg *cfg = c->rw->cfg;
	struct cand_act *a = &c->act;
	int n;

	memset(a, 0, sizeof *a);
	if (c->change_due && c->next_n > 1) {
		n = 1 + (int)brng_below(&c->rng, (uint32_t)(c->next_n - 1));
		int k = c->nopt[n - 1], lab = (int)brng_below(&c->rng, (uint32_t)k);
		if (k > 1 && lab == c->label[n - 1])
			lab = (lab + 1 + (int)brng_below(&c->rng, (uint32_t)(k - 1))) % k;
		c->change_due = 0;
		a->first = 0;
		a->label = lab;
	} else if (c->next_n <= c->items) {
		n = c->next_n++;
		a->first = 1;
		a->label = (int)brng_below(&c->rng, c->nopt[n - 1]);
	} else if (c->submit) {
		cand_send_now(c, BOP_FINISH);
		return;
	} else {
		cand_end(c, END_STOPPED);
		return;
	}
	a->op = BOP_ANSWER;
	a->n = n;
	a->flagged = brng_chance(&c->rng, cfg->flag_share);
	a->rev = ++c->rev[n - 1];
	c->label[n - 1] = (int8_t)a->label;
	cand_send(c);
}

static void cand_timer(evutil_socket_t fd, short what, void *arg)
{
	struct cand *c = arg;
	(void)fd;
	(void)what;
	switch (c->step) {
	case STEP_SEND:
		if (!c->done)
			cand_send(c);
		break;
	case STEP_NEXT:
		if (!c->done)
			cand_next(c);
		break;
	case STEP_CLOSE:
		cand_conns_free(c);
		if (c->ptimer)
			evtimer_del(c->ptimer);
		break;
	}
}

/* ---- the light poll ------------------------------------------------------- */

static void cand_poll_error(enum evhttp_request_error e, void *arg)
{
	struct cand *c = arg;
	c->poll_err = (int)e;
}

static void cand_poll_reply(struct evhttp_request *req, void *arg)
{
	struct cand *c = arg;
	struct bench_stats *st = c->rw->st;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	json_t *body, *att;

	if (!c->poll_inflight)
		return;
	c->poll_inflight = 0;
	c->cc[c->poll_slot].busy = 0;
	if (status == 0) {
		stats_error(st, BOP_POLL, 0, c->poll_err == EVREQ_HTTP_TIMEOUT ? "timeout" : "conn");
		if (c->rw->cfg->tls)
			c->cc[c->poll_slot].closed = 1;
		return;
	}
	st->replies++;
	body = net_reply_json(req);
	if (status >= 200 && status < 300) {
		hist_add(&st->ops[BOP_POLL], (uint64_t)(bench_now_us() - c->poll_sent_us));
		att = json_object_get(body, "attempt");
		if (!json_is_object(att) || !json_string_value(json_object_get(att, "status")))
			stats_error(st, BOP_POLL, status, "bad_reply");
		else if (strcmp(json_string_value(json_object_get(att, "status")), "finished") == 0)
			c->poll_stopped = 1; /* the page shows the end: it polls no more */
		else if (json_is_object(json_object_get(att, "paused")))
			st->polls_paused++;
	} else {
		/* The answer flow handles 401 (new login) and the end of the
		 * attempt; the poll only counts. */
		stats_error(st, BOP_POLL, status, net_error_code(body));
	}
	json_decref(body);
}

static void cand_poll_send(struct cand *c)
{
	struct run_worker *rw = c->rw;
	struct evhttp_request *req;

	c->poll_slot = cand_conn_take(c);
	req = net_request_new(rw->cfg, c->token, cand_poll_reply, cand_poll_error, c);
	c->poll_inflight = 1;
	c->poll_err = -1;
	c->poll_sent_us = bench_now_us();
	if (evhttp_make_request(c->cc[c->poll_slot].c, req, EVHTTP_REQ_GET,
				"/api/v1/attempt?view=clock") == 0) {
		net_conn_nodelay(c->cc[c->poll_slot].c);
	} else {
		evhttp_request_free(req); /* as in cand_send */
		if (rw->cfg->tls)
			c->cc[c->poll_slot].closed = 1;
		if (c->poll_inflight) {
			c->poll_inflight = 0;
			c->cc[c->poll_slot].busy = 0;
			stats_error(rw->st, BOP_POLL, 0, "bind");
		}
	}
}

/* The next poll in poll_ms * U[0.9, 1.1). */
static void cand_poll_schedule(struct cand *c)
{
	double j = 1.0 - BENCH_POLL_JITTER + 2.0 * BENCH_POLL_JITTER * brng_unit(&c->prng);
	struct timeval tv = bench_timeval((int64_t)(c->rw->cfg->poll_ms * j * 1000.0));
	evtimer_add(c->ptimer, &tv);
}

static void cand_poll_timer(evutil_socket_t fd, short what, void *arg)
{
	struct cand *c = arg;
	(void)fd;
	(void)what;
	if (c->done || c->poll_stopped)
		return;
	if (c->poll_inflight)
		c->rw->st->polls_skipped++;
	else if (c->token[0])
		cand_poll_send(c); /* without a token the answer flow is logging in again */
	cand_poll_schedule(c);
}

/* ---- the worker --------------------------------------------------------- */

/* Stop everything now: close every connection (libevent frees the requests
 * in flight without calling back) and leave the loop. */
static void run_stop(struct run_worker *rw, enum bench_stop why)
{
	for (size_t i = 0; i < rw->n; i++) {
		struct cand *c = &rw->c[i];
		if (!c->done) {
			c->done = 1;
			rw->st->cut_off++;
		}
		cand_conns_free(c);
		evtimer_del(c->timer);
		if (c->ptimer)
			evtimer_del(c->ptimer);
	}
	if ((int)why > rw->st->stop)
		rw->st->stop = why;
	event_base_loopexit(rw->base, NULL);
}

static void run_on_limit(evutil_socket_t fd, short what, void *arg)
{
	struct run_worker *rw = arg;
	(void)fd;
	(void)what;
	log_warn("worker %ld: --max-seconds reached with %zu candidates still active", rw->w,
		 rw->active);
	run_stop(rw, STOP_LIMIT);
}

static void run_on_signal(evutil_socket_t fd, short what, void *arg)
{
	struct run_worker *rw = arg;
	(void)what;
	log_warn("worker %ld: signal %d, stopping", rw->w, (int)fd);
	run_stop(rw, STOP_SIGNAL);
}

static void run_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct run_worker *rw = arg;
	(void)fd;
	(void)what;
	fflush(rw->acks); /* so that ack logs can be read during a run */
}

/* Set up this worker's candidates (i % workers == w), each with its login
 * time in the window. */
static void run_setup_candidates(struct run_worker *rw, const struct bench_creds *creds, long w)
{
	const struct bench_cfg *cfg = rw->cfg;
	int64_t now = bench_now_us();

	rw->n = (size_t)proc_share(cfg, cfg->count, w);
	rw->c = xcalloc(rw->n ? rw->n : 1, sizeof *rw->c);
	for (size_t k = 0; k < rw->n; k++) {
		struct cand *c = &rw->c[k];
		size_t i = (size_t)w + k * (size_t)cfg->workers;
		c->rw = rw;
		c->cred = &creds->v[i];
		c->idx = i;
		brng_seed(&c->rng, cfg->seed, i);
		if (cfg->poll_ms > 0) {
			/* Its own stream: the answers stay those of a run without it. */
			brng_seed(&c->prng, cfg->seed, i + ((uint64_t)1 << 40));
			c->ptimer = evtimer_new(rw->base, cand_poll_timer, c);
			if (!c->ptimer)
				abort();
		}
		c->submit = brng_chance(&c->rng, cfg->submit_share);
		c->backoff_ms = BENCH_BACKOFF_MIN_MS;
		c->timer = evtimer_new(rw->base, cand_timer, c);
		if (!c->timer)
			abort();
		c->act.op = BOP_LOGIN;
		int64_t at = cfg->t0_us + (int64_t)(brng_unit(&c->rng) * cfg->window_s * 1e6);
		cand_schedule(c, STEP_SEND, at > now ? (double)(at - now) / 1000.0 : 0);
	}
	rw->active = rw->n;
}

int run_worker(const struct bench_cfg *cfg, long w, struct bench_stats *st, void *arg)
{
	struct run_worker rw;
	char err[256], *path = NULL;
	struct timeval tick = { 1, 0 };
	int rc = -1;

	if (w >= cfg->workers)
		return dash_worker(cfg, st, arg);
	memset(&rw, 0, sizeof rw);
	rw.cfg = cfg;
	rw.st = st;
	rw.w = w;
	if (net_raise_nofile((size_t)(cfg->count / cfg->workers + 1) * (cfg->poll_ms > 0 ? 2 : 1) +
				     BENCH_FD_SLACK,
			     err, sizeof err)) {
		fprintf(stderr, "ujian-bench: worker %ld: %s\n", w, err);
		return -1;
	}
	path = xasprintf("%s/acks-%ld.log", cfg->acks_dir, w);
	rw.acks = fopen(path, "w");
	if (!rw.acks) {
		fprintf(stderr, "ujian-bench: worker %ld: %s: %s\n", w, path, strerror(errno));
		free(path);
		return -1;
	}
	setvbuf(rw.acks, NULL, _IOFBF, 1 << 20);
	rw.base = event_base_new();
	if (!rw.base) {
		fprintf(stderr, "ujian-bench: worker %ld: cannot create an event base\n", w);
		goto out;
	}
	net_src_addr(w, cfg->src_addrs, rw.src);
	run_setup_candidates(&rw, arg, w);
	rw.tick_ev = event_new(rw.base, -1, EV_PERSIST, run_on_tick, &rw);
	if (!rw.tick_ev)
		abort();
	event_add(rw.tick_ev, &tick);
	proc_events_add(&rw.ev, rw.base, cfg, run_on_limit, run_on_signal, &rw);

	if (rw.n > 0)
		event_base_dispatch(rw.base);
	rc = 0;
out:
	if (cfg->shared)
		atomic_fetch_sub(&cfg->shared->workers_left, 1); /* the dashboards may stop */
	for (size_t i = 0; i < rw.n; i++) {
		struct cand *c = &rw.c[i];
		cand_conns_free(c);
		if (c->timer)
			event_free(c->timer);
		if (c->ptimer)
			event_free(c->ptimer);
		free(c->nopt);
		free(c->label);
		free(c->rev);
		free(c->acked);
	}
	free(rw.c);
	proc_events_free(&rw.ev);
	if (rw.tick_ev)
		event_free(rw.tick_ev);
	if (rw.base)
		event_base_free(rw.base);
	if (fclose(rw.acks) != 0) {
		fprintf(stderr, "ujian-bench: worker %ld: %s: %s\n", w, path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}
