/* listener.c - evhttp setup, our own accept path, descriptor pressure. */
#include "http/listener.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/reply.h"
#include "http/static.h"
#include "http/tls.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/bufferevent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* How many headers named name (any case) h holds. */
static int httpd_header_count(struct evkeyvalq *h, const char *name)
{
	int n = 0;
	for (struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next)
		if (strcasecmp(kv->key, name) == 0)
			n++;
	return n;
}

/* 1 if req's connection should close after this reply: under descriptor
 * pressure (an accept failed lately), or when its socket's number is past the
 * keep-alive share of the descriptor limit. The kernel gives out the lowest
 * free number, so a high number means that many descriptors were open when
 * the connection came: the connections beyond the share serve one request
 * each and give their descriptor back, and idle keep-alive connections (a
 * browser polling every few seconds holds one) can never use up the limit. */
static int httpd_should_close(const struct httpd *h, struct evhttp_request *req)
{
	struct evhttp_connection *conn;
	struct bufferevent *bev;
	if (h->pressure_until && h->pressure_until > clock_now_ms())
		return 1;
	conn = evhttp_request_get_connection(req);
	bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
	return h->keepalive_fd_max > 0 && bev && bufferevent_getfd(bev) >= h->keepalive_fd_max;
}

/* evhttp's callback for every request: API or static file. Under descriptor
 * pressure, the reply asks the client to close so descriptors come back. */
static void httpd_route(struct evhttp_request *req, void *arg)
{
	struct httpd *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;

	connguard_dispatched(req); /* first: the request is ours now */
	if (httpd_should_close(h, req))
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
	if (h->tls)
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "Strict-Transport-Security", TLS_HSTS_VALUE);
	if (!path || !*path) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	if (httpd_header_count(evhttp_request_get_input_headers(req), "Content-Length") > 1) {
		/* Two lengths: which body is meant is ambiguous (request smuggling
		 * behind a proxy that reads the other one). */
		http_reply_error(req, 400, "invalid_request", "Header Content-Length ganda.");
		return;
	}
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) {
		h->dispatch(h->app, req, path);
		return;
	}
	http_static(h->web_root_fd, req, path);
}

/* Copy the host part of a Host header value ("name", "name:port",
 * "[v6]", "[v6]:port") into out. Returns 0, or -1 when the value is missing,
 * too long or holds a byte no host name or address literal has (the value
 * goes into a Location header). */
static int httpd_host_of(const char *v, char *out, size_t outlen)
{
	size_t n;
	if (!v || !*v)
		return -1;
	if (v[0] == '[') {
		const char *end = strchr(v, ']');
		if (!end)
			return -1;
		n = (size_t)(end - v) + 1;
		for (size_t i = 1; i + 1 < n; i++)
			if (!strchr("0123456789abcdefABCDEF:.", v[i]))
				return -1;
		if (end[1] != '\0' && end[1] != ':')
			return -1;
	} else {
		n = strcspn(v, ":");
		for (size_t i = 0; i < n; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
			      (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '.'))
				return -1;
	}
	if (n == 0 || n >= outlen)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

/* The redirect front's only callback: 301 to https://HOST[:PORT]PATH[?QUERY],
 * HOST from the request's Host header, PORT the HTTPS front's. */
static void httpd_redirect(struct evhttp_request *req, void *arg)
{
	struct httpd *h = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	char host[UJ_LISTEN_MAX + 1], port[16] = "";
	char *loc;

	connguard_dispatched(req); /* first: the request is ours now */
	if (httpd_host_of(evhttp_find_header(evhttp_request_get_input_headers(req), "Host"), host,
			  sizeof host) != 0) {
		http_reply_error(req, 400, "invalid_request", "Header Host tidak ada atau tidak sah.");
		return;
	}
	if (h->redirect_port != 443)
		snprintf(port, sizeof port, ":%d", h->redirect_port);
	loc = xasprintf("https://%s%s%s%s%s", host, port, path && *path ? path : "/",
			query ? "?" : "", query ? query : "");
	http_reply_redirect(req, loc);
	free(loc);
}

/* issue 12: the end of a loop iteration that accepted connections: a new
 * batch may begin; if the last one filled up, accept again (unless the
 * EMFILE back-off holds the listener). */
static void httpd_round_end(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;
	(void)fd;
	(void)what;
	if (h->accepts_round >= UJ_ACCEPT_BATCH && !event_pending(h->resume_ev, EV_TIMEOUT, NULL))
		evconnlistener_enable(h->listener);
	h->accepts_round = 0;
}

/* evhttp's bufferevent callback, once per accepted connection (inside the
 * listener's accept loop): at most UJ_ACCEPT_BATCH accepts per loop
 * iteration, so that a burst of thousands of connections (a flood's
 * reconnections) cannot hold the loop while requests of open connections
 * wait; the listener is disabled (which ends libevent's accept loop) and
 * enabled again once the iteration's other ready events were served. */
static struct bufferevent *httpd_bevcb(struct event_base *base, void *arg)
{
	struct httpd *h = arg;
	if (h->round_ev && h->accepts_round++ == 0)
		event_active(h->round_ev, EV_TIMEOUT, 1);
	if (h->listener && h->accepts_round == UJ_ACCEPT_BATCH)
		evconnlistener_disable(h->listener);
	return connguard_bevcb(base, h->guard);
}

static void httpd_resume(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;
	(void)fd;
	(void)what;
	evconnlistener_enable(h->listener);
}

/* libevent 2.1 gives a bound listener's error callback evhttp's own argument
 * (the struct evhttp), and has no public way to hand evhttp a socket we
 * accepted ourselves. So each httpd is found from its evhttp here: one slot
 * per running front (one per event loop), written on start and stop. */
static struct {
	struct evhttp *http;
	struct httpd *h;
} httpd_fronts[UJ_FRONTS_MAX];
static pthread_mutex_t httpd_fronts_lock = PTHREAD_MUTEX_INITIALIZER;

static int httpd_front_set(struct evhttp *http, struct httpd *h)
{
	int rc = -1;
	pthread_mutex_lock(&httpd_fronts_lock);
	for (size_t i = 0; i < UJ_FRONTS_MAX; i++)
		if (httpd_fronts[i].http == (h ? NULL : http)) {
			httpd_fronts[i].http = h ? http : NULL;
			httpd_fronts[i].h = h;
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&httpd_fronts_lock);
	return rc;
}

static struct httpd *httpd_front_get(struct evhttp *http)
{
	struct httpd *h = NULL;
	pthread_mutex_lock(&httpd_fronts_lock);
	for (size_t i = 0; i < UJ_FRONTS_MAX && !h; i++)
		if (httpd_fronts[i].http == http)
			h = httpd_fronts[i].h;
	pthread_mutex_unlock(&httpd_fronts_lock);
	return h;
}

/* accept() failed. On EMFILE/ENFILE: stop accepting for 100 ms rather than
 * spin on a listener that stays readable, and for the next 10 s close every
 * connection after its reply so descriptors come back quickly. */
static void httpd_accept_error(struct evconnlistener *l, void *arg)
{
	struct httpd *h = httpd_front_get(arg);
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 0, UJ_ACCEPT_BACKOFF_MS * 1000 };
	if (!h)
		return; /* not ours: cannot happen */
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
		if (h->emfile_count++ % 1000 == 0)
			log_warn("accept failed: %s (%ld times); pausing new connections for 100 ms and "
				 "closing connections after each reply for 10 s",
				 evutil_socket_error_to_string(err), h->emfile_count);
		h->pressure_until = clock_now_ms() + UJ_PRESSURE_MS;
		evconnlistener_disable(l);
		event_add(h->resume_ev, &tv);
		return;
	}
	/* ECONNABORTED and the like concern one connection only. */
	log_debug("accept failed: %s", evutil_socket_error_to_string(err));
}

/* Parse "ADDR:PORT" ("[v6]:PORT" too). libevent refuses port 0, which we
 * accept to mean "any free port". */
static int httpd_parse_listen(const char *spec, struct sockaddr_storage *ss, int *sslen)
{
	size_t n = strlen(spec);
	char buf[UJ_LISTEN_MAX + 1];
	int any = n > 2 && strcmp(spec + n - 2, ":0") == 0;

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, spec, n + 1);
	if (any)
		buf[n - 1] = '1';
	if (evutil_parse_sockaddr_port(buf, (struct sockaddr *)ss, sslen) != 0)
		return -1;
	if (any)
		((struct sockaddr_in *)ss)->sin_port = 0; /* same offset for IPv6 */
	return 0;
}

int httpd_probe_listen(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int sslen = sizeof ss, fd, one = 1, rc = -1;

	memset(&ss, 0, sizeof ss);
	if (httpd_parse_listen(spec, &ss, &sslen) != 0) {
		snprintf(err, errlen, "--listen \"%s\": expected ADDRESS:PORT, e.g. 127.0.0.1:8080", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(errno));
		return -1;
	}
	/* As evconnlistener with LEV_OPT_REUSEABLE: TIME_WAIT leftovers do not
	 * count as busy, a listening socket does. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, (socklen_t)sslen) != 0 || listen(fd, 1) != 0)
		snprintf(err, errlen, "cannot listen on %s: %s", spec, strerror(errno));
	else
		rc = 0;
	close(fd);
	return rc;
}

/* The address the listener actually bound, as "host:port", into h->bound. */
static void httpd_note_bound(struct httpd *h)
{
	struct sockaddr_storage b;
	socklen_t bl = sizeof b;
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;
	getsockname(evconnlistener_get_fd(h->listener), (struct sockaddr *)&b, &bl);
	if (b.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&b)->sin_addr, host, sizeof host);
		port = ntohs(((struct sockaddr_in *)&b)->sin_port);
	} else if (b.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&b)->sin6_addr, host, sizeof host);
		port = ntohs(((struct sockaddr_in6 *)&b)->sin6_port);
	}
	snprintf(h->bound, sizeof h->bound, "%s:%d", host, port);
}

int httpd_start(struct httpd *h, struct event_base *base, const struct httpd_config *cfg,
		httpd_dispatch_fn dispatch, void *app, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int sslen = sizeof ss, one = 1;
	struct timeval tv = { cfg->idle_timeout_s, 0 };

	memset(h, 0, sizeof *h);
	h->base = base;
	h->dispatch = dispatch;
	h->app = app;
	h->tls = cfg->tls != NULL;
	h->redirect_port = cfg->redirect_port;
	h->web_root_fd = cfg->redirect_port > 0 ? -1 : http_web_root_open(cfg->web_root);
	{
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			h->keepalive_fd_max = (int)(rl.rlim_cur * UJ_KEEPALIVE_FD_PCT / 100);
	}
	if (cfg->web_root && cfg->redirect_port <= 0 && h->web_root_fd < 0) {
		snprintf(err, errlen, "web root %s: %s", cfg->web_root, strerror(errno));
		return -1;
	}
	memset(&ss, 0, sizeof ss);
	if (cfg->listen && httpd_parse_listen(cfg->listen, &ss, &sslen) != 0) {
		snprintf(err, errlen, "--listen \"%s\": expected ADDRESS:PORT, e.g. 127.0.0.1:8080",
			 cfg->listen);
		return -1;
	}
	h->http = evhttp_new(base);
	if (!h->http) {
		snprintf(err, errlen, "cannot create the HTTP server");
		return -1;
	}
	evhttp_set_max_headers_size(h->http, UJ_HEADERS_MAX);
	/* evhttp answers bodies beyond this with its own 413; between max_body
	 * and this the handlers answer with the JSON body_too_large. */
	evhttp_set_max_body_size(h->http, (ev_ssize_t)(cfg->max_body * UJ_BODY_HARD_FACTOR));
	evhttp_set_timeout_tv(h->http, &tv);
	evhttp_set_allowed_methods(h->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
						    EVHTTP_REQ_HEAD | EVHTTP_REQ_DELETE);
	evhttp_set_default_content_type(h->http, "application/json; charset=utf-8");
	evhttp_set_gencb(h->http, cfg->redirect_port > 0 ? httpd_redirect : httpd_route, h);
	/* Every accepted connection passes the flood guard (which makes its
	 * TLS bufferevent when the front speaks TLS), and the accept batch. */
	h->guard = connguard_new(base, cfg->max_conns_per_ip, cfg->request_timeout_s,
				 cfg->idle_timeout_s, cfg->tls);
	evhttp_set_bevcb(h->http, httpd_bevcb, h);
	if (!cfg->listen)
		return 0;

	h->listener = evconnlistener_new_bind(base, NULL, NULL,
					      LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
						      LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_DEFERRED_ACCEPT,
					      cfg->backlog, (struct sockaddr *)&ss, sslen);
	if (!h->listener) {
		snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, strerror(errno));
		return -1;
	}
	/* Replies larger than a segment would otherwise wait ~40 ms for the
	 * client's delayed ACK (Nagle); Linux gives accepted sockets the
	 * listener's TCP_NODELAY. */
	setsockopt(evconnlistener_get_fd(h->listener), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	h->resume_ev = evtimer_new(base, httpd_resume, h);
	h->round_ev = evtimer_new(base, httpd_round_end, h); /* issue 12 */
	if (!h->resume_ev || !h->round_ev || httpd_front_set(h->http, h)) {
		snprintf(err, errlen, "cannot set up the accept back-off");
		return -1;
	}
	if (!evhttp_bind_listener(h->http, h->listener)) {
		snprintf(err, errlen, "cannot attach the listener");
		return -1;
	}
	evconnlistener_set_error_cb(h->listener, httpd_accept_error);
	httpd_note_bound(h);
	return 0;
}

void httpd_stop(struct httpd *h)
{
	if (h->http) {
		httpd_front_set(h->http, NULL);
		evhttp_free(h->http); /* also frees the bound listener and every connection */
	}
	h->http = NULL;
	connguard_free(h->guard); /* after evhttp_free: it closed the connections */
	h->guard = NULL;
	if (h->resume_ev)
		event_free(h->resume_ev);
	h->resume_ev = NULL;
	if (h->round_ev)
		event_free(h->round_ev);
	h->round_ev = NULL;
	if (h->web_root_fd >= 0)
		close(h->web_root_fd);
	h->web_root_fd = -1;
}
