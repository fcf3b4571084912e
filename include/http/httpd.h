/* httpd.h - the HTTP front: listener, limits, JSON replies, static files.
 *
 * Every reply leaves through one of the http_reply_* functions, exactly once
 * per request (that call also frees a request whose client has gone). Errors
 * are JSON {"error":{"code","message"}} with the message in Bahasa Indonesia. */
#ifndef UJIAN_HTTPD_H
#define UJIAN_HTTPD_H

#include "app/server.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

/* Bind the listener (backlog from cfg, EMFILE back-off) and route requests.
 * Returns 0 or -1 with err. */
int httpd_start(struct server *s, char *err, size_t errlen);
void httpd_stop(struct server *s);

/* Reply with a JSON body (stolen) and the given status. */
void http_reply_json(struct evhttp_request *req, int status, json_t *body);
/* Reply with a prepared buffer (contents are moved out). */
void http_reply_buffer(struct evhttp_request *req, int status, struct evbuffer *buf,
		       const char *content_type);
/* Reply 204 No Content. */
void http_reply_empty(struct evhttp_request *req);
/* Reply with an API error; detail (Indonesian, may be NULL) is appended to
 * the standard message of code. */
void http_reply_error(struct evhttp_request *req, int status, const char *code,
		      const char *detail);
/* Read the body as a JSON object. On failure the error reply is sent
 * (413 body_too_large, 400 bad_json) and -1 is returned. */
int http_body_json(struct server *s, struct evhttp_request *req, json_t **out);
/* Client address as text ("127.0.0.1"), sanitized for logs. */
void http_peer(struct evhttp_request *req, char *buf, size_t n);
/* Serve a file below the web root for GET/HEAD, or 404. */
void http_static(struct server *s, struct evhttp_request *req, const char *path);

/* The standard Indonesian message of an error code. */
const char *http_error_message(const char *code);

#endif
