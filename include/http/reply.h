/* reply.h - HTTP replies, JSON request bodies and error codes.
 *
 * Every reply leaves through one of the http_reply_* functions, exactly once
 * per request (that call also frees a request whose client has gone). Errors
 * are JSON {"error":{"code","message"}} with the message in Bahasa
 * Indonesia: the standard message of the code, from the domain table that
 * owns it (registered with http_errors_add at start-up), plus a detail. */
#ifndef UJIAN_REPLY_H
#define UJIAN_REPLY_H

#include "core/errtext.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>
#include <stddef.h>

/* The HTTP layer's own codes: bad_json, body_too_large, not_found,
 * method_not_allowed, invalid_request, server_busy, internal, streams_full
 * (the event-stream hub is full, http/sse.h). */
extern const struct errtext_table http_errors;

/* Make a domain's codes known (start-up, before any request; a table added
 * twice is kept once). */
void http_errors_add(const struct errtext_table *t);
/* The standard message of an error code ("Terjadi kesalahan." if unknown). */
const char *http_error_message(const char *code);

/* Reply with a JSON body (stolen) and the given status. */
void http_reply_json(struct evhttp_request *req, int status, json_t *body);
/* Reply with a prepared buffer (contents are moved out). */
void http_reply_buffer(struct evhttp_request *req, int status, struct evbuffer *buf,
		       const char *content_type);
/* Reply 204 No Content. */
void http_reply_empty(struct evhttp_request *req);
/* Reply with status and the redirect target (301). */
void http_reply_redirect(struct evhttp_request *req, const char *location);
/* Reply with an API error; detail (Indonesian, may be NULL) is appended to
 * the standard message of code. */
void http_reply_error(struct evhttp_request *req, int status, const char *code,
		      const char *detail);
/* Reply 503 server_busy with Retry-After: the server cannot take more work
 * now and nothing was changed. */
void http_reply_busy(struct evhttp_request *req);
/* 503 storage_unavailable with Retry-After: the disk is full or failing;
 * nothing of the request was stored (store/writer.h). */
void http_reply_storage(struct evhttp_request *req);
/* Read the body as a JSON object of at most max_body bytes. On failure the
 * error reply is sent (413 body_too_large, 400 bad_json) and -1 returned. */
int http_body_json(struct evhttp_request *req, size_t max_body, json_t **out);
/* Reply 400 invalid_request naming the first key of body that is not in the
 * NULL-terminated allowed list; returns 1 if it replied. */
int http_unknown_field(struct evhttp_request *req, json_t *body, const char *const *allowed);
/* Reply 400 invalid_request: the field key is not known. */
void http_reply_unknown_field(struct evhttp_request *req, const char *key);
/* Client address as text ("127.0.0.1"), sanitized for logs (n bytes). */
void http_peer(struct evhttp_request *req, char *buf, size_t n);

#endif
