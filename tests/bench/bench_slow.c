/* bench_slow.c - slow mode: many connections from one source address that
 * trickle the bytes of a request header and never finish it (slowloris),
 * as an attacker trying to use up the server's connections would.
 *
 * One process, one epoll loop, non-blocking sockets bound to --source
 * (127.0.0.1 by default). Each connection sends its first byte as soon as
 * it is connected (the server accepts with TCP_DEFER_ACCEPT) and one more
 * every --interval-ms; when the server closes it, it reconnects after
 * --reconnect-ms, so the attacker keeps trying to hold --conns connections
 * for --seconds; --rate caps its connection attempts per second (classic
 * slowloris tools open some 50-200 a second; 0, the default: no cap). Summary JSON: connections made, closed by the server (and
 * of those, closed within 500 ms of connecting: refused at accept), the
 * most held open at once, bytes sent. */
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define SLOW_CONNS_MAX   60000
#define SLOW_REFUSED_US  500000 /* closed this soon after connecting: refused */
#define SLOW_TICK_MS     10
#define SLOW_OPEN_BATCH  500    /* new connections per tick, not to flood the backlog */

static const char slow_header[] = "GET /api/v1/exams/open HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "User-Agent: ujian-bench-slow\r\nX-Slow: ";

enum slow_state { SLOW_IDLE, SLOW_CONNECTING, SLOW_OPEN };

struct slow_conn {
	int fd;
	enum slow_state state;
	int64_t next_us;   /* IDLE: reconnect at; OPEN: next byte at */
	int64_t opened_us; /* connected at */
	long sent;
};

struct slow_run {
	struct sockaddr_in dst, src;
	long conns;
	double seconds;
	int64_t interval_us, reconnect_us;
	double rate;   /* connection attempts per second at most; 0: no limit */
	double tokens; /* attempts allowed now (a bucket of at most rate) */
	struct slow_conn *c;
	int ep;
	long open_now, peak_open;
	uint64_t connects, connect_failed, closed_by_server, refused_at_once, bytes_sent;
};

static void slow_close(struct slow_run *r, struct slow_conn *c, int64_t now, int by_server)
{
	if (c->state == SLOW_OPEN) {
		r->open_now--;
		if (by_server) {
			r->closed_by_server++;
			if (now - c->opened_us < SLOW_REFUSED_US)
				r->refused_at_once++;
		}
	} else if (c->state == SLOW_CONNECTING) {
		r->connect_failed++;
	}
	close(c->fd);
	c->fd = -1;
	c->state = SLOW_IDLE;
	c->next_us = now + r->reconnect_us;
}

static void slow_open(struct slow_run *r, struct slow_conn *c, int64_t now)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = c };
	int one = 1;
	if (r->rate > 0)
		r->tokens -= 1;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		c->next_us = now + r->reconnect_us;
		r->connect_failed++;
		return;
	}
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
	if (bind(c->fd, (struct sockaddr *)&r->src, sizeof r->src) != 0 ||
	    (connect(c->fd, (struct sockaddr *)&r->dst, sizeof r->dst) != 0 &&
	     errno != EINPROGRESS)) {
		close(c->fd);
		c->fd = -1;
		c->next_us = now + r->reconnect_us;
		r->connect_failed++;
		return;
	}
	c->state = SLOW_CONNECTING;
	c->sent = 0;
	epoll_ctl(r->ep, EPOLL_CTL_ADD, c->fd, &ev);
}

/* One more byte of the never-ending header. */
static void slow_send(struct slow_run *r, struct slow_conn *c, int64_t now)
{
	size_t hl = sizeof slow_header - 1;
	char b = c->sent < (long)hl ? slow_header[c->sent] : 'a';
	ssize_t n = send(c->fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == 1) {
		c->sent++;
		r->bytes_sent++;
	} else if (n < 0 && errno != EAGAIN) {
		slow_close(r, c, now, 1);
		return;
	}
	c->next_us = now + r->interval_us;
}

static void slow_event(struct slow_run *r, struct slow_conn *c, uint32_t what, int64_t now)
{
	char buf[512];
	if (c->state == SLOW_CONNECTING) {
		int err = 0;
		socklen_t el = sizeof err;
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err || (what & (EPOLLERR | EPOLLHUP))) {
			slow_close(r, c, now, 0);
			return;
		}
		epoll_ctl(r->ep, EPOLL_CTL_MOD, c->fd, &ev);
		c->state = SLOW_OPEN;
		c->opened_us = now;
		r->connects++;
		if (++r->open_now > r->peak_open)
			r->peak_open = r->open_now;
		slow_send(r, c, now);
		return;
	}
	if (c->state != SLOW_OPEN)
		return;
	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0)
			continue; /* an error reply: the close follows */
		if (n == 0 || errno != EAGAIN)
			slow_close(r, c, now, 1);
		return;
	}
}

static int slow_loop(struct slow_run *r)
{
	struct epoll_event evs[1024];
	int64_t t0 = bench_now_us(), end = t0 + (int64_t)(r->seconds * 1e6), now, last = t0;
	long next_new = 0;

	r->c = calloc((size_t)r->conns, sizeof *r->c);
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (!r->c || r->ep < 0)
		return -1;
	for (long i = 0; i < r->conns; i++) {
		r->c[i].fd = -1;
		r->c[i].next_us = INT64_MAX;
	}
	while ((now = bench_now_us()) < end) {
		int n = epoll_wait(r->ep, evs, 1024, SLOW_TICK_MS);
		now = bench_now_us();
		if (r->rate > 0) {
			r->tokens += r->rate * (double)(now - last) / 1e6;
			if (r->tokens > r->rate)
				r->tokens = r->rate;
		}
		last = now;
		for (int i = 0; i < n; i++)
			slow_event(r, evs[i].data.ptr, evs[i].events, now);
		for (long k = 0; k < SLOW_OPEN_BATCH && next_new < r->conns &&
				   (r->rate <= 0 || r->tokens >= 1);
		     k++)
			slow_open(r, &r->c[next_new++], now);
		for (long i = 0; i < next_new; i++) {
			struct slow_conn *c = &r->c[i];
			if (c->next_us > now)
				continue;
			if (c->state == SLOW_IDLE && (r->rate <= 0 || r->tokens >= 1))
				slow_open(r, c, now);
			else if (c->state == SLOW_OPEN)
				slow_send(r, c, now);
		}
	}
	for (long i = 0; i < r->conns; i++)
		if (r->c[i].fd >= 0)
			close(r->c[i].fd);
	close(r->ep);
	free(r->c);
	return 0;
}

static int slow_num(const char *name, const char *v, double min, double max, double *out)
{
	char *end;
	double x;
	if (!v)
		return 0;
	x = strtod(v, &end);
	if (end == v || *end || x < min || x > max) {
		fprintf(stderr, "ujian-bench slow: --%s \"%s\": expected a number %g-%g\n", name, v,
			min, max);
		return -1;
	}
	*out = x;
	return 0;
}

int slow_main(int argc, char **argv)
{
	const char *names[] = { "url", "conns", "seconds", "source", "interval-ms", "reconnect-ms",
				"out", "rate" };
	const char *v[8] = { NULL };
	double conns = 0, seconds = 0, interval = 1000, reconnect = 1000, rate = 0;
	struct slow_run r;
	struct bench_cfg cfg;
	char err[512];
	FILE *out = stdout;
	json_t *sum;

	for (int i = 2; i < argc; i++) {
		int k = 0;
		while (k < 8 && !(strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, names[k]) == 0))
			k++;
		if (k == 8 || i + 1 >= argc) {
			fprintf(stderr, "ujian-bench slow: bad argument \"%s\" (see 'ujian-bench help')\n",
				argv[i]);
			return 2;
		}
		v[k] = argv[++i];
	}
	memset(&cfg, 0, sizeof cfg);
	memset(&r, 0, sizeof r);
	if (!v[0] || !v[1] || !v[2]) {
		fprintf(stderr, "ujian-bench slow: --url, --conns and --seconds are required\n");
		return 2;
	}
	if (net_parse_url(v[0], "/", &cfg, err, sizeof err)) {
		fprintf(stderr, "ujian-bench slow: %s\n", err);
		return 2;
	}
	if (slow_num("conns", v[1], 1, SLOW_CONNS_MAX, &conns) ||
	    slow_num("seconds", v[2], 1, BENCH_SECONDS_MAX, &seconds) ||
	    slow_num("interval-ms", v[4], 1, 600000, &interval) ||
	    slow_num("reconnect-ms", v[5], 1, 600000, &reconnect) ||
	    slow_num("rate", v[7], 0, 1e6, &rate))
		return 2;
	r.src.sin_family = r.dst.sin_family = AF_INET;
	r.dst.sin_port = htons(cfg.port);
	if (inet_pton(AF_INET, cfg.host, &r.dst.sin_addr) != 1 ||
	    inet_pton(AF_INET, v[3] ? v[3] : "127.0.0.1", &r.src.sin_addr) != 1) {
		fprintf(stderr, "ujian-bench slow: --source: expected a dotted IPv4 address\n");
		return 2;
	}
	if (net_check_bind(v[3] ? v[3] : "127.0.0.1", err, sizeof err) ||
	    net_raise_nofile((size_t)conns + BENCH_FD_SLACK, err, sizeof err)) {
		fprintf(stderr, "ujian-bench slow: %s\n", err);
		return 1;
	}
	r.conns = (long)conns;
	r.seconds = seconds;
	r.interval_us = (int64_t)(interval * 1000);
	r.reconnect_us = (int64_t)(reconnect * 1000);
	r.rate = rate;
	r.tokens = rate;
	if (slow_loop(&r)) {
		fprintf(stderr, "ujian-bench slow: out of memory or epoll failed\n");
		return 1;
	}
	sum = json_pack("{s:s, s:f, s:I, s:f, s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "mode",
			"slow", "rate", rate, "conns", (json_int_t)r.conns, "seconds", r.seconds, "interval_ms",
			interval, "reconnect_ms", reconnect, "connects", (json_int_t)r.connects,
			"connect_failed", (json_int_t)r.connect_failed, "closed_by_server",
			(json_int_t)r.closed_by_server, "refused_at_once",
			(json_int_t)r.refused_at_once, "peak_open", (json_int_t)r.peak_open,
			"open_at_end", (json_int_t)r.open_now, "bytes_sent",
			(json_int_t)r.bytes_sent);
	if (v[6] && !(out = fopen(v[6], "w"))) {
		fprintf(stderr, "ujian-bench slow: %s: %s\n", v[6], strerror(errno));
		json_decref(sum);
		return 1;
	}
	json_dumpf(sum, out, JSON_INDENT(1));
	fputc('\n', out);
	if (out != stdout)
		fclose(out);
	json_decref(sum);
	return 0;
}
