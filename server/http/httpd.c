/* httpd.c - evhttp setup, replies, request bodies, static files. */
#include "http/httpd.h"
#include "api/api.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct http_error_text {
	const char *code;
	const char *message;
};

static const struct http_error_text http_errors[] = {
	{ "bad_json", "Format permintaan tidak valid (JSON rusak)." },
	{ "body_too_large", "Permintaan terlalu besar." },
	{ "not_found", "Alamat tidak ditemukan." },
	{ "method_not_allowed", "Metode ini tidak diizinkan untuk alamat tersebut." },
	{ "unauthorized", "Sesi tidak valid atau sudah berakhir. Silakan masuk kembali." },
	{ "session_replaced",
	  "Akun Anda telah masuk dari perangkat lain, sehingga sesi ini diakhiri." },
	{ "invalid_credentials", "Nomor peserta atau kata sandi salah." },
	{ "token_required", "Token ujian wajib diisi." },
	{ "token_invalid", "Token ujian salah." },
	{ "exam_closed", "Ujian belum dibuka atau sudah ditutup." },
	{ "too_many_attempts",
	  "Terlalu banyak percobaan masuk yang gagal. Silakan tunggu beberapa menit lalu coba lagi." },
	{ "invalid_option", "Pilihan jawaban tidak valid." },
	{ "no_such_question", "Nomor soal tidak ada." },
	{ "not_started", "Ujian belum dimulai." },
	{ "attempt_closed", "Ujian sudah berakhir; jawaban tidak dapat diubah lagi." },
	{ "not_finished", "Ujian belum selesai." },
	{ "invalid_request", "Permintaan tidak valid." },
	{ "internal", "Terjadi kesalahan pada server." },
};

const char *http_error_message(const char *code)
{
	for (size_t i = 0; i < sizeof http_errors / sizeof *http_errors; i++)
		if (strcmp(http_errors[i].code, code) == 0)
			return http_errors[i].message;
	return "Terjadi kesalahan.";
}

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* The running server, for the few places libevent calls without our
 * argument (one server per process). */
static struct server *httpd_server;

static void http_common_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	/* Short of file descriptors: free each connection once its reply is out
	 * instead of keeping it alive idle. */
	if (httpd_server && httpd_server->pressure_until &&
	    httpd_server->pressure_until > clock_now_ms())
		evhttp_add_header(h, "Connection", "close");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
}

void http_reply_buffer(struct evhttp_request *req, int status, struct evbuffer *buf,
		       const char *content_type)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	http_common_headers(req);
	if (content_type)
		evhttp_add_header(h, "Content-Type", content_type);
	evhttp_send_reply(req, status, http_reason(status), buf);
}

void http_reply_json(struct evhttp_request *req, int status, json_t *body)
{
	struct evbuffer *buf = evbuffer_new();
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!buf || !text)
		abort();
	evbuffer_add(buf, text, strlen(text));
	free(text);
	json_decref(body);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	http_reply_buffer(req, status, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
}

void http_reply_empty(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	http_common_headers(req);
	evhttp_send_reply(req, 204, "No Content", NULL);
}

void http_reply_error(struct evhttp_request *req, int status, const char *code,
		      const char *detail)
{
	const char *base = http_error_message(code);
	char *msg = detail ? xasprintf("%s %s", base, detail) : xstrdup(base);
	http_reply_json(req, status,
			json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
	free(msg);
}

int http_body_json(struct server *s, struct evhttp_request *req, json_t **out)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	json_error_t je;
	json_t *root;

	*out = NULL;
	if (len > s->cfg.max_body) {
		char detail[96];
		snprintf(detail, sizeof detail, "Batas ukuran isi permintaan adalah %zu bita.",
			 s->cfg.max_body);
		http_reply_error(req, 413, "body_too_large", detail);
		return -1;
	}
	root = json_loadb((const char *)evbuffer_pullup(in, -1), len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char detail[256];
		snprintf(detail, sizeof detail, "(baris %d kolom %d: %s)", je.line, je.column, je.text);
		http_reply_error(req, 400, "bad_json", detail);
		return -1;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		http_reply_error(req, 400, "bad_json", "(isi permintaan harus berupa objek JSON)");
		return -1;
	}
	*out = root;
	return 0;
}

void http_peer(struct evhttp_request *req, char *buf, size_t n)
{
	struct evhttp_connection *con = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port = 0;
	size_t o = 0;

	buf[0] = '\0';
	if (!con)
		return;
	evhttp_connection_get_peer(con, &addr, &port);
	if (!addr)
		return;
	for (const char *p = addr; *p && o + 1 < n; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F') ||
		    *p == '.' || *p == ':')
			buf[o++] = *p;
	buf[o] = '\0';
}

static const char *http_mime(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* 1 if every segment of a decoded URL path is an ordinary name. */
static int http_path_safe(const char *p)
{
	if (p[0] != '/' || strlen(p) > 512)
		return 0;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return 0;
	const char *seg = p + 1;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n > 0 && seg[0] == '.')
			return 0; /* ".", "..", hidden files */
		if (!end)
			break;
		seg = end + 1;
	}
	return 1;
}

void http_static(struct server *s, struct evhttp_request *req, const char *raw_path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *path = NULL, *file = NULL;
	struct stat stt;
	int fd = -1;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		http_reply_error(req, 405, "method_not_allowed", NULL);
		return;
	}
	path = evhttp_uridecode(raw_path, 0, NULL);
	if (!path || !http_path_safe(path) || !s->web_root)
		goto notfound;
	file = xasprintf("%s%s%s", s->web_root, path,
			 path[strlen(path) - 1] == '/' ? "index.html" : "");
	if (stat(file, &stt) == 0 && S_ISDIR(stt.st_mode)) {
		/* Directory without a slash: redirect so relative URLs work. */
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		char *loc = xasprintf("%s/", path);
		evhttp_add_header(h, "Location", loc);
		free(loc);
		http_common_headers(req);
		evhttp_send_reply(req, 301, "Moved Permanently", NULL);
		goto out;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode) ||
	    stt.st_size > UJ_STATIC_FILE_MAX)
		goto notfound;
	{
		struct evbuffer *buf = evbuffer_new();
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		const char *mime = http_mime(file);
		evhttp_add_header(h, "Cache-Control", "no-cache");
		if (strncmp(mime, "text/html", 9) == 0)
			evhttp_add_header(h, "Content-Security-Policy",
					  "default-src 'self'; img-src 'self' data:; "
					  "style-src 'self'; script-src 'self'; "
					  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
		if (stt.st_size > 0)
			evbuffer_add_file(buf, fd, 0, stt.st_size);
		else
			close(fd);
		fd = -1;
		http_reply_buffer(req, 200, buf, mime);
		evbuffer_free(buf);
	}
	goto out;
notfound:
	http_reply_error(req, 404, "not_found", NULL);
out:
	if (fd >= 0)
		close(fd);
	free(file);
	free(path);
}

static void httpd_route(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;

	if (!path || !*path) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) {
		api_dispatch(s, req, path);
		return;
	}
	http_static(s, req, path);
}

static void httpd_resume(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	(void)fd;
	(void)what;
	evconnlistener_enable(s->listener);
}

/* accept() failed. On EMFILE/ENFILE: stop accepting for 100 ms rather than
 * spin on a listener that stays readable, and for the next 10 s close every
 * connection after its reply so descriptors come back quickly. (libevent
 * passes evhttp's own argument here, not ours: hence httpd_server.) */
static void httpd_accept_error(struct evconnlistener *l, void *arg)
{
	struct server *s = httpd_server;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 0, 100000 };
	(void)arg;
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
		if (s->emfile_count++ % 1000 == 0)
			log_warn("accept failed: %s (%ld times); pausing new connections for 100 ms and "
				 "closing connections after each reply for 10 s",
				 evutil_socket_error_to_string(err), s->emfile_count);
		s->pressure_until = clock_now_ms() + 10000;
		evconnlistener_disable(l);
		event_add(s->resume_ev, &tv);
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
	char buf[128];
	int any = n > 2 && strcmp(spec + n - 2, ":0") == 0;

	if (n + 1 >= sizeof buf)
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

int httpd_start(struct server *s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int sslen = sizeof ss;
	struct timeval tv = { s->cfg.idle_timeout_s, 0 };

	memset(&ss, 0, sizeof ss);
	if (httpd_parse_listen(s->cfg.listen, &ss, &sslen) != 0) {
		snprintf(err, errlen, "--listen \"%s\": expected ADDRESS:PORT, e.g. 127.0.0.1:8080",
			 s->cfg.listen);
		return -1;
	}
	httpd_server = s;
	s->http = evhttp_new(s->base);
	if (!s->http) {
		snprintf(err, errlen, "cannot create the HTTP server");
		return -1;
	}
	evhttp_set_max_headers_size(s->http, UJ_HEADERS_MAX);
	/* evhttp answers bodies beyond this with its own 413; between max_body
	 * and this the handlers answer with the JSON body_too_large. */
	evhttp_set_max_body_size(s->http, (ev_ssize_t)(s->cfg.max_body * UJ_BODY_HARD_FACTOR));
	evhttp_set_timeout_tv(s->http, &tv);
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
						    EVHTTP_REQ_HEAD | EVHTTP_REQ_DELETE);
	evhttp_set_default_content_type(s->http, "application/json; charset=utf-8");
	evhttp_set_gencb(s->http, httpd_route, s);

	s->listener = evconnlistener_new_bind(s->base, NULL, NULL,
					      LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE |
						      LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_DEFERRED_ACCEPT,
					      s->cfg.backlog, (struct sockaddr *)&ss, sslen);
	if (!s->listener) {
		snprintf(err, errlen, "cannot listen on %s: %s", s->cfg.listen, strerror(errno));
		return -1;
	}
	/* Replies larger than a segment would otherwise wait ~40 ms for the
	 * client's delayed ACK (Nagle); Linux gives accepted sockets the
	 * listener's TCP_NODELAY. */
	{
		int one = 1;
		setsockopt(evconnlistener_get_fd(s->listener), IPPROTO_TCP, TCP_NODELAY, &one,
			   sizeof one);
	}
	evconnlistener_set_error_cb(s->listener, httpd_accept_error);
	s->resume_ev = evtimer_new(s->base, httpd_resume, s);
	if (!evhttp_bind_listener(s->http, s->listener)) {
		snprintf(err, errlen, "cannot attach the listener");
		return -1;
	}
	{
		struct sockaddr_storage b;
		socklen_t bl = sizeof b;
		char host[INET6_ADDRSTRLEN] = "?";
		int port = 0;
		getsockname(evconnlistener_get_fd(s->listener), (struct sockaddr *)&b, &bl);
		if (b.ss_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&b)->sin_addr, host, sizeof host);
			port = ntohs(((struct sockaddr_in *)&b)->sin_port);
		} else if (b.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&b)->sin6_addr, host, sizeof host);
			port = ntohs(((struct sockaddr_in6 *)&b)->sin6_port);
		}
		snprintf(s->bound, sizeof s->bound, "%s:%d", host, port);
	}
	return 0;
}

void httpd_stop(struct server *s)
{
	if (s->http)
		evhttp_free(s->http); /* also frees the bound listener */
	s->http = NULL;
	s->listener = NULL;
	if (s->resume_ev)
		event_free(s->resume_ev);
	s->resume_ev = NULL;
	httpd_server = NULL;
}
