/* reply.c - replies, error messages, request bodies, peer addresses. */
#include "http/reply.h"
#include "bounds.h"
#include "core/jcheck.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"

#include <assert.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext http_error_rows[] = {
	{ "bad_json", "Format permintaan tidak valid (JSON rusak)." },
	{ "body_too_large", "Permintaan terlalu besar." },
	{ "not_found", "Alamat tidak ditemukan." },
	{ "method_not_allowed", "Metode ini tidak diizinkan untuk alamat tersebut." },
	{ "invalid_request", "Permintaan tidak valid." },
	{ "server_busy", "Server sedang sibuk. Jawaban Anda belum diubah; silakan coba lagi sebentar "
			 "lagi." },
	{ "internal", "Terjadi kesalahan pada server." },
	{ "storage_unavailable", "Penyimpanan server sedang bermasalah (disk penuh atau galat "
				 "I/O). Jawaban Anda belum tersimpan; aplikasi akan mencoba lagi "
				 "otomatis." },
	{ "streams_full", "Terlalu banyak tampilan langsung yang terbuka di server ini; silakan coba "
			  "lagi sebentar lagi." },
};

const struct errtext_table http_errors = ERRTEXT_TABLE(http_error_rows);

/* The known tables: written at start-up only, read-only once requests flow. */
static const struct errtext_table *http_tables[UJ_ERROR_TABLES_MAX] = { &http_errors };
static size_t http_n_tables = 1;

void http_errors_add(const struct errtext_table *t)
{
	for (size_t i = 0; i < http_n_tables; i++)
		if (http_tables[i] == t)
			return;
	assert(http_n_tables < UJ_ERROR_TABLES_MAX);
	if (http_n_tables < UJ_ERROR_TABLES_MAX)
		http_tables[http_n_tables++] = t;
}

const char *http_error_message(const char *code)
{
	for (size_t t = 0; t < http_n_tables; t++)
		for (size_t i = 0; i < http_tables[t]->n; i++)
			if (strcmp(http_tables[t]->rows[i].code, code) == 0)
				return http_tables[t]->rows[i].message;
	return "Terjadi kesalahan.";
}

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
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

static void http_common_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
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

/* What goes out when a reply body could not be built (a bug: every text put
 * into a reply must be valid UTF-8); never an abort on a request's input. */
static const char http_fallback_body[] =
	"{\"error\":{\"code\":\"internal\",\"message\":\"Terjadi kesalahan pada server.\"}}";

void http_reply_json(struct evhttp_request *req, int status, json_t *body)
{
	struct evbuffer *buf = evbuffer_new();
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!buf)
		abort(); /* out of memory */
	if (!text) {
		log_error("http: a reply body could not be built (status %d); answering 500", status);
		status = 500;
		text = xstrdup(http_fallback_body);
	}
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
	evhttp_send_reply(req, 204, http_reason(204), NULL);
}

void http_reply_redirect(struct evhttp_request *req, const char *location)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", location);
	http_common_headers(req);
	evhttp_send_reply(req, 301, http_reason(301), NULL);
}

void http_reply_error(struct evhttp_request *req, int status, const char *code,
		      const char *detail)
{
	const char *base = http_error_message(code);
	char *msg = detail ? xasprintf("%s %s", base, detail) : xstrdup(base);
	assert(status >= 400 && status <= 599);
	/* Details quote input (a JSON parser's complaint, a cut-off field name):
	 * keep the message valid UTF-8 whatever the bytes were. */
	text_utf8_scrub(msg);
	http_reply_json(req, status,
			json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
	free(msg);
}

void http_reply_busy(struct evhttp_request *req)
{
	char s[16];
	snprintf(s, sizeof s, "%d", UJ_BUSY_RETRY_AFTER_S);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", s);
	http_reply_error(req, 503, "server_busy", NULL);
}

void http_reply_storage(struct evhttp_request *req)
{
	char s[16];
	snprintf(s, sizeof s, "%d", UJ_STORAGE_RETRY_AFTER_S);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", s);
	http_reply_error(req, 503, "storage_unavailable", NULL);
}

int http_body_json(struct evhttp_request *req, size_t max_body, json_t **out)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	json_error_t je;
	json_t *root;

	*out = NULL;
	if (len > max_body) {
		char detail[96];
		snprintf(detail, sizeof detail, "Batas ukuran isi permintaan adalah %zu bita.",
			 max_body);
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

void http_reply_unknown_field(struct evhttp_request *req, const char *key)
{
	char d[128];
	snprintf(d, sizeof d, "Isian \"%.40s\" tidak dikenal.", key);
	http_reply_error(req, 400, "invalid_request", d);
}

int http_unknown_field(struct evhttp_request *req, json_t *body, const char *const *allowed)
{
	const char *key = jc_unknown_key(body, allowed);
	if (!key)
		return 0;
	http_reply_unknown_field(req, key);
	return 1;
}

void http_peer(struct evhttp_request *req, char *buf, size_t n)
{
	struct evhttp_connection *con = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port = 0;
	size_t o = 0;

	assert(n > 0);
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
