/* bench_net.c - the loopback-only URL, client connections and requests,
 * open-file limits, and the blocking request used by setup checks. */
#include "bench.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t bench_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct timeval bench_timeval(int64_t us)
{
	struct timeval tv = { 0, 0 };
	if (us > 0) {
		tv.tv_sec = (time_t)(us / 1000000);
		tv.tv_usec = (suseconds_t)(us % 1000000);
	}
	return tv;
}

/* 1 if every byte of s is allowed in a request path we send. */
static int net_path_ok(const char *s)
{
	if (s[0] != '/')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || *s == '#')
			return 0;
	return 1;
}

int net_parse_url(const char *url, const char *default_path, struct bench_cfg *cfg, char *err,
		  size_t errlen)
{
	const char *p, *host_end, *path;
	char host[64];
	struct in_addr a;
	long port;

	cfg->tls = strncasecmp(url, "https://", 8) == 0;
	if (strlen(url) >= sizeof cfg->url || (!cfg->tls && strncasecmp(url, "http://", 7) != 0)) {
		snprintf(err, errlen, "--url \"%.100s\": expected http://127.0.0.1:PORT or https://...",
			 url);
		return -1;
	}
	str_copy(cfg->url, sizeof cfg->url, url);
	p = url + (cfg->tls ? 8 : 7);
	port = cfg->tls ? 443 : 80;
	host_end = p + strcspn(p, ":/");
	if ((size_t)(host_end - p) >= sizeof host || host_end == p) {
		snprintf(err, errlen, "--url \"%.100s\": no host", url);
		return -1;
	}
	memcpy(host, p, (size_t)(host_end - p));
	host[host_end - p] = '\0';
	if (strcasecmp(host, "localhost") == 0)
		str_copy(host, sizeof host, "127.0.0.1");
	/* ujian-bench talks only to loopback: a load generator pointed at a
	 * production server by mistake would be an attack. */
	if (inet_pton(AF_INET, host, &a) != 1 || (ntohl(a.s_addr) >> 24) != 127) {
		snprintf(err, errlen,
			 "--url \"%.100s\": ujian-bench talks only to loopback (127.x.x.x or localhost)",
			 url);
		return -1;
	}
	path = host_end;
	if (*host_end == ':') {
		char *end;
		errno = 0;
		port = strtol(host_end + 1, &end, 10);
		if (errno || end == host_end + 1 || port < 1 || port > 65535 ||
		    (*end != '\0' && *end != '/')) {
			snprintf(err, errlen, "--url \"%.100s\": the port must be 1-65535", url);
			return -1;
		}
		path = end;
	}
	str_copy(cfg->host, sizeof cfg->host, host);
	cfg->port = (uint16_t)port;
	snprintf(cfg->hostport, sizeof cfg->hostport, "%s:%u", cfg->host, (unsigned)cfg->port);
	if (!default_path) {
		/* run: the base address only */
		if (*path && strcmp(path, "/") != 0) {
			snprintf(err, errlen,
				 "--url \"%.100s\": give the server's base address "
				 "(http://127.0.0.1:PORT), without a path",
				 url);
			return -1;
		}
		cfg->path[0] = '\0';
		return 0;
	}
	if (!*path || strcmp(path, "/") == 0)
		path = default_path;
	if (strlen(path) >= sizeof cfg->path || !net_path_ok(path)) {
		snprintf(err, errlen, "--url \"%.100s\": the path must be printable ASCII, at most %d bytes",
			 url, BENCH_PATH_MAX - 1);
		return -1;
	}
	str_copy(cfg->path, sizeof cfg->path, path);
	return 0;
}

void net_src_addr(long w, long k, char out[16])
{
	long last = 2 + (k > 0 ? w % k : 0);
	snprintf(out, 16, "127.0.0.%u", (unsigned)(uint8_t)(last > 255 ? 255 : last));
}

int net_check_bind(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = -1;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "source address %s: %s", addr, strerror(errno));
		goto out;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, errlen, "source address %s cannot be bound: %s", addr, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

size_t net_nofile_hard(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024;
	return rl.rlim_max == RLIM_INFINITY ? (size_t)1 << 20 : (size_t)rl.rlim_max;
}

int net_raise_nofile(size_t need, char *err, size_t errlen)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		snprintf(err, errlen, "getrlimit: %s", strerror(errno));
		return -1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		snprintf(err, errlen, "cannot raise the open-file limit: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(err, errlen,
			 "a worker needs %zu open files but the limit is %llu; use more --workers",
			 need, (unsigned long long)rl.rlim_max);
		return -1;
	}
	return 0;
}

/* The client TLS context of this process (made on first use; a worker
 * inherits its parent's or makes its own). */
static SSL_CTX *net_tls_ctx(void)
{
	static SSL_CTX *ctx;
	if (ctx)
		return ctx;
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		fprintf(stderr, "ujian-bench: cannot create the TLS context\n");
		abort();
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	return ctx;
}

static void net_conn_closed(struct evhttp_connection *c, void *arg)
{
	(void)c;
	*(int *)arg = 1;
}

struct evhttp_connection *net_conn_new(struct event_base *base, const struct bench_cfg *cfg,
				       const char *src, int *closed)
{
	struct evhttp_connection *c;

	if (cfg->tls) {
		SSL *ssl = SSL_new(net_tls_ctx());
		struct bufferevent *bev =
			ssl ? bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
							     BEV_OPT_CLOSE_ON_FREE |
								     BEV_OPT_DEFER_CALLBACKS)
			    : NULL;
		if (!bev) {
			fprintf(stderr, "ujian-bench: out of memory creating a TLS connection\n");
			abort();
		}
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
		c = evhttp_connection_base_bufferevent_new(base, NULL, bev, cfg->host, cfg->port);
		if (c && closed)
			evhttp_connection_set_closecb(c, net_conn_closed, closed);
	} else {
		c = evhttp_connection_base_new(base, NULL, cfg->host, cfg->port);
	}
	if (!c) {
		fprintf(stderr, "ujian-bench: out of memory creating a connection\n");
		abort();
	}
	evhttp_connection_set_family(c, AF_INET);
	if (src)
		evhttp_connection_set_local_address(c, src);
	evhttp_connection_set_timeout(c, (int)cfg->timeout_s);
	evhttp_connection_set_retries(c, 0); /* we retry ourselves, with backoff */
	evhttp_connection_set_max_body_size(c, BENCH_REPLY_MAX);
	return c;
}

void net_conn_nodelay(struct evhttp_connection *c)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(c);
	evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

struct evhttp_request *net_request_new(const struct bench_cfg *cfg, const char *token,
				       void (*cb)(struct evhttp_request *, void *),
				       void (*err_cb)(enum evhttp_request_error, void *), void *arg)
{
	struct evhttp_request *req = evhttp_request_new(cb, arg);
	struct evkeyvalq *h;

	if (!req) {
		fprintf(stderr, "ujian-bench: out of memory creating a request\n");
		abort();
	}
	if (err_cb)
		evhttp_request_set_error_cb(req, err_cb);
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", cfg->hostport);
	if (token && *token) {
		char auth[BENCH_TOKEN_MAX + 16];
		snprintf(auth, sizeof auth, "Bearer %s", token);
		evhttp_add_header(h, "Authorization", auth);
	}
	return req;
}

json_t *net_reply_json(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = in ? evbuffer_get_length(in) : 0;
	if (len == 0 || len > BENCH_REPLY_MAX)
		return NULL;
	return json_loadb((const char *)evbuffer_pullup(in, -1), len, 0, NULL);
}

const char *net_error_code(const json_t *body)
{
	json_t *e = body ? json_object_get(body, "error") : NULL;
	return e ? json_string_value(json_object_get(e, "code")) : NULL;
}

struct net_once {
	struct event_base *base;
	int status;
	json_t *body;
};

static void net_once_cb(struct evhttp_request *req, void *arg)
{
	struct net_once *o = arg;
	/* The idle keep-alive connection would keep the loop running. */
	event_base_loopexit(o->base, NULL);
	if (!req)
		return;
	o->status = evhttp_request_get_response_code(req);
	if (o->status)
		o->body = net_reply_json(req);
}

int net_once(const struct bench_cfg *cfg, enum evhttp_cmd_type method, const char *path,
	     const char *token, const char *json_body, int *status, json_t **body, char *err,
	     size_t errlen)
{
	struct event_base *base = event_base_new();
	struct net_once o = { base, 0, NULL };
	struct evhttp_connection *c;
	struct evhttp_request *req;
	char src[16];

	*status = 0;
	*body = NULL;
	if (!base) {
		snprintf(err, errlen, "cannot create an event base");
		return -1;
	}
	/* From the candidates' first source address, 127.0.0.2, like them: a
	 * flood from 127.0.0.1 (ujian-bench slow) may hold that address's
	 * connection cap on the server. */
	net_src_addr(0, 1, src);
	c = net_conn_new(base, cfg, src, NULL);
	req = net_request_new(cfg, token, net_once_cb, NULL, &o);
	if (json_body) {
		evbuffer_add(evhttp_request_get_output_buffer(req), json_body, strlen(json_body));
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
				  "application/json");
	}
	if (evhttp_make_request(c, req, method, path) != 0) {
		/* The source address binds (bench_check_sources checked it), so
		 * this fails only on out-of-memory, and libevent has freed req then. */
		snprintf(err, errlen, "cannot send %s", path);
	} else {
		event_base_dispatch(base);
		if (o.status == 0)
			snprintf(err, errlen, "no reply from %s://%s%s (is the server running%s?)",
				 cfg->tls ? "https" : "http", cfg->hostport, path,
				 cfg->tls ? " with HTTPS" : "");
	}
	evhttp_connection_free(c);
	event_base_free(base);
	*status = o.status;
	*body = o.body;
	return o.status ? 0 : -1;
}

int net_get_once(const struct bench_cfg *cfg, const char *path, int *status, json_t **body,
		 char *err, size_t errlen)
{
	return net_once(cfg, EVHTTP_REQ_GET, path, NULL, NULL, status, body, err, errlen);
}
