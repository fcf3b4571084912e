/* metrics.c - /metrics, /healthz and /readyz on the operator's own listen
 * address (include/app/metrics.h). */
#include "app/metrics.h"
#include "api/api.h"
#include "app/server.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/connguard.h"
#include "http/sse.h"
#include "store/writer.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *const metrics_methods[] = { "GET", "POST", "HEAD", "PUT", "DELETE",
					       "OPTIONS", "TRACE", "CONNECT", "PATCH" };

/* The method's name (an evhttp_cmd_type bit). */
static const char *metrics_method(enum evhttp_cmd_type m)
{
	for (unsigned i = 0; i < sizeof metrics_methods / sizeof *metrics_methods; i++)
		if ((unsigned)m == 1u << i)
			return metrics_methods[i];
	return "OTHER";
}

/* Descriptors the process has open (an entry of /proc/self/fd each, less the
 * one reading it); -1 if unknown. */
static long metrics_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/* Replies by route and class, and the answers acknowledged. */
static void metrics_routes(struct metrics_text *t)
{
	const struct route_table *rt = &api_table;
	static const char *const cls[6] = { "", "1xx", "2xx", "3xx", "4xx", "5xx" };
	unsigned long long acked = 0;
	char path[256];

	metrics_family(t, "ujian_http_replies_total", "counter",
		       "API replies sent, by route (method and path pattern) and status class");
	for (size_t i = 0; i <= rt->n; i++) {
		const struct route_stats *st = &rt->stats[i];
		const char *m = i < rt->n ? metrics_method(rt->rows[i].method) : "ANY";
		metrics_label(i < rt->n ? rt->rows[i].path : "(no route)", path, sizeof path);
		for (int c = 1; c <= 5; c++) {
			unsigned long long v =
				atomic_load_explicit(&st->by_class[c], memory_order_relaxed);
			if (v)
				metrics_printf(t,
					       "ujian_http_replies_total{method=\"%s\",route=\"%s\","
					       "class=\"%s\"} %llu\n",
					       m, path, cls[c], v);
		}
		if (i < rt->n && rt->rows[i].method == EVHTTP_REQ_PUT &&
		    strcmp(rt->rows[i].path, "/api/v1/attempt/answers/") == 0)
			acked = atomic_load_explicit(&st->by_class[2], memory_order_relaxed);
	}
	metrics_family(t, "ujian_answers_acknowledged_total", "counter",
		       "answers acknowledged to candidates (each one durable before its reply)");
	metrics_printf(t, "ujian_answers_acknowledged_total %llu\n", acked);
}

/* Candidates online, and attempts by state. */
static void metrics_candidates(struct metrics_text *t, struct server *s)
{
	long online = 0, by[4] = { 0, 0, 0, 0 }; /* not started, running, paused, finished */
	int64_t now = clock_now_ms();
	for (const struct rt_candidate *c = s->x.reg.all; c; c = c->all_next) {
		online += c->last_seen && now - c->last_seen <= UJ_ONLINE_GRACE_MS;
		by[c->status == ATT_FINISHED	   ? 3
		   : c->status != ATT_IN_PROGRESS ? 0
		   : c->paused_at		   ? 2
						   : 1]++;
	}
	metrics_family(t, "ujian_candidates", "gauge", "candidates registered");
	metrics_printf(t, "ujian_candidates %zu\n", s->x.reg.n_candidates);
	metrics_family(t, "ujian_candidates_online", "gauge",
		       "candidates with a request in the last 12 seconds");
	metrics_printf(t, "ujian_candidates_online %ld\n", online);
	metrics_family(t, "ujian_attempts", "gauge", "attempts by state");
	metrics_printf(t,
		       "ujian_attempts{state=\"not_started\"} %ld\nujian_attempts{state=\"running\"} "
		       "%ld\nujian_attempts{state=\"paused\"} %ld\nujian_attempts{state=\"finished\"} "
		       "%ld\n",
		       by[0], by[1], by[2], by[3]);
}

/* issue 12: the flood guard's figures (http/connguard.h). */
static void metrics_connections(struct metrics_text *t)
{
	static const char *const reason[CONNGUARD_REASON_MAX] = { "per_address_cap",
								 "address_table_full",
								 "request_deadline" };
	struct connguard_stats st;
	connguard_get_stats(&st);
	metrics_family(t, "ujian_connections_refused_total", "counter",
		       "connections the server closed unserved, by reason: over the per-address "
		       "cap or the tracked-address cap (at accept), or a request not received "
		       "within --request-timeout");
	for (int r = 0; r < CONNGUARD_REASON_MAX; r++)
		metrics_printf(t, "ujian_connections_refused_total{reason=\"%s\"} %llu\n", reason[r],
			       st.closed[r]);
	metrics_family(t, "ujian_connections_open", "gauge", "client connections open (counted)");
	metrics_printf(t, "ujian_connections_open %ld\n", st.open);
	metrics_family(t, "ujian_connection_addresses", "gauge",
		       "client addresses (IPv6: /64 networks) holding a connection");
	metrics_printf(t, "ujian_connection_addresses %ld\n", st.addresses);
}

char *server_metrics_text(struct server *s, size_t *len)
{
	struct metrics_text t = { 0 };
	int64_t now = clock_now_ms();

	metrics_routes(&t);
	metrics_family(&t, "ujian_commit_seconds", "histogram",
		       "time to commit one batch of writes (BEGIN to COMMIT, fsync included)");
	metrics_histogram_text(&t, "ujian_commit_seconds", "", writer_commit_histogram(s->w));
	metrics_family(&t, "ujian_writes_committed_total", "counter", "write operations committed");
	metrics_printf(&t, "ujian_writes_committed_total %llu\n", writer_committed_ops(s->w));
	metrics_family(&t, "ujian_writer_queue", "gauge", "write operations waiting for the writer");
	metrics_printf(&t, "ujian_writer_queue %ld\n", writer_backlog(s->w));
	metrics_family(&t, "ujian_writer_last_commit_age_seconds", "gauge",
		       "seconds since the writer last committed");
	metrics_printf(&t, "ujian_writer_last_commit_age_seconds %.3f\n",
		       (double)(now - writer_last_commit_ms(s->w)) / 1000.0);
	metrics_family(&t, "ujian_open_fds", "gauge", "file descriptors the process has open");
	metrics_printf(&t, "ujian_open_fds %ld\n", metrics_open_fds());
	metrics_family(&t, "ujian_event_streams", "gauge",
		       "live event streams open (dashboards, scoreboards)");
	metrics_printf(&t, "ujian_event_streams %d\n", sse_hub_streams(s->sse));
	metrics_connections(&t); /* issue 12 */
	metrics_candidates(&t, s);
	metrics_family(&t, "ujian_clock_steps_total", "counter",
		       "steps of the system's wall clock the server followed");
	metrics_printf(&t, "ujian_clock_steps_total %ld\n", s->clock_steps);
	/* issue 12: storage faults (store/writer.h) */
	metrics_family(&t, "ujian_storage_available", "gauge",
		       "1 while the writer can store, 0 while the disk is full or failing");
	metrics_printf(&t, "ujian_storage_available %d\n", writer_storage_ok(s->w));
	metrics_family(&t, "ujian_storage_failures_total", "counter",
		       "commits (batches or probes) that failed with a storage fault");
	metrics_printf(&t, "ujian_storage_failures_total %llu\n", writer_storage_failures(s->w));
	metrics_family(&t, "ujian_storage_refused_writes_total", "counter",
		       "write operations not stored because storage was unavailable");
	metrics_printf(&t, "ujian_storage_refused_writes_total %llu\n", writer_storage_refused(s->w));
	*len = t.len;
	return t.buf;
}

/* The reason the server is not ready (static), or NULL when it is. */
static const char *metrics_not_ready(struct server *s)
{
	if (!writer_storage_ok(s->w))
		return "storage unavailable: the disk is full or failing; writes are refused";
	if (writer_backlog(s->w) > 0 &&
	    clock_now_ms() - writer_last_commit_ms(s->w) >= UJ_WRITER_STALL_MS)
		return "writer stalled: writes wait and nothing was committed for 5 s";
	if (!writer_room(s->w))
		return "writer queue full";
	return NULL;
}

static void metrics_reply(struct evhttp_request *req, int code, const char *reason,
			  const char *type, const char *body, size_t len)
{
	struct evbuffer *b = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (b)
		evbuffer_add(b, body, len);
	evhttp_send_reply(req, code, reason, b);
	if (b)
		evbuffer_free(b);
}

static void metrics_handle(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	const char *path = evhttp_request_get_uri(req), *why;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		metrics_reply(req, 405, "Method Not Allowed", "text/plain", "GET only\n", 9);
	} else if (strcmp(path, "/metrics") == 0) {
		size_t len;
		char *text = server_metrics_text(s, &len);
		metrics_reply(req, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", text, len);
		free(text);
	} else if (strcmp(path, "/healthz") == 0) {
		metrics_reply(req, 200, "OK", "text/plain", "ok\n", 3);
	} else if (strcmp(path, "/readyz") == 0) {
		why = metrics_not_ready(s);
		if (why)
			metrics_reply(req, 503, "Service Unavailable", "text/plain", why, strlen(why));
		else
			metrics_reply(req, 200, "OK", "text/plain", "ready\n", 6);
	} else {
		metrics_reply(req, 404, "Not Found", "text/plain", "not found\n", 10);
	}
}

struct evhttp *server_metrics_start(struct server *s, const char *spec, char *err, size_t errlen)
{
	char host[UJ_LISTEN_MAX + 1];
	const char *colon = strrchr(spec, ':');
	struct evhttp *h;
	struct evhttp_bound_socket *bound;
	long port;
	char *end;

	if (!colon || (size_t)(colon - spec) >= sizeof host || colon == spec) {
		snprintf(err, errlen, "--metrics-listen \"%s\": expected ADDRESS:PORT", spec);
		return NULL;
	}
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || end == colon + 1) {
		snprintf(err, errlen, "--metrics-listen \"%s\": expected ADDRESS:PORT", spec);
		return NULL;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	h = evhttp_new(s->base);
	if (!h) {
		snprintf(err, errlen, "cannot create the metrics listener");
		return NULL;
	}
	evhttp_set_timeout(h, 10);
	evhttp_set_max_body_size(h, 0);
	evhttp_set_allowed_methods(h, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
	evhttp_set_gencb(h, metrics_handle, s);
	bound = evhttp_bind_socket_with_handle(h, host, (ev_uint16_t)port);
	if (!bound) {
		snprintf(err, errlen, "cannot listen for metrics on %s", spec);
		evhttp_free(h);
		return NULL;
	}
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		char addr[INET6_ADDRSTRLEN] = "?";
		int p = 0;
		if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&ss, &sl) == 0) {
			if (ss.ss_family == AF_INET) {
				inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr,
					  sizeof addr);
				p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
			} else if (ss.ss_family == AF_INET6) {
				inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr,
					  sizeof addr);
				p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
			}
		}
		log_info("metrics on http://%s:%d/metrics (health /healthz, readiness /readyz)",
			 addr, p);
	}
	return h;
}
