/* board.c - the public live scoreboard's routes (anyone may call them):
 * GET /api/v1/board/{exam}[?sitting=CODE] (the snapshot, cacheable) and
 * GET /api/v1/board/{exam}/events (the live stream). The board itself is
 * the proctor domain's (proctor/board.h). */
#include "api/api.h"
#include "bounds.h"
#include "http/reply.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <sys/queue.h>
#include <string.h>

/* The sitting named by ?sitting= into out ("" if none). Returns 0, or -1
 * if it is too long to be a code. */
static int api_board_sitting(struct evhttp_request *req, char *out, size_t n)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq q;
	const char *v;
	int rc = 0;

	out[0] = '\0';
	if (!query)
		return 0;
	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(query, &q) == 0 && (v = evhttp_find_header(&q, "sitting"))) {
		if (strlen(v) >= n)
			rc = -1;
		else
			snprintf(out, n, "%s", v);
	}
	evhttp_clear_headers(&q);
	return rc;
}

/* 1 if the request's If-None-Match names etag (or is "*"). */
static int api_board_not_modified(struct evhttp_request *req, const char *etag)
{
	const char *inm = evhttp_find_header(evhttp_request_get_input_headers(req), "If-None-Match");
	size_t n = strlen(etag);
	if (!inm)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	for (const char *p = inm; (p = strstr(p, etag)) != NULL; p += n)
		if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

void api_board(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	struct api *a = app;
	struct evkeyvalq *oh = evhttp_request_get_output_headers(req);
	char exam[UJ_CODE_MAX + 1], sitting[UJ_CODE_MAX + 1];
	const char *json, *etag;
	size_t len;
	(void)p;

	if (route_segment(rest, 0, exam, sizeof exam) != 0 ||
	    api_board_sitting(req, sitting, sizeof sitting) != 0 ||
	    board_snapshot(a->board, exam, sitting, &json, &len, &etag) != 0) {
		http_reply_error(req, 404, "no_such_board", NULL);
		return;
	}
	/* Hundreds of venue screens and viewers: the same bytes for everyone
	 * until the next finish, cacheable by any proxy for 2 s. */
	evhttp_add_header(oh, "ETag", etag);
	evhttp_add_header(oh, "Cache-Control", "public, max-age=2");
	if (api_board_not_modified(req, etag)) {
		evhttp_send_reply(req, 304, "Not Modified", NULL);
		return;
	}
	struct evbuffer *buf = evbuffer_new();
	if (!buf)
		abort(); /* out of memory */
	evbuffer_add(buf, json, len);
	http_reply_buffer(req, 200, buf, "application/json; charset=utf-8");
	evbuffer_free(buf);
}

void api_board_events(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	struct api *a = app;
	char exam[UJ_CODE_MAX + 1], sitting[UJ_CODE_MAX + 1];
	int rc;
	(void)p;

	if (route_segment(rest, 0, exam, sizeof exam) != 0 ||
	    api_board_sitting(req, sitting, sizeof sitting) != 0) {
		http_reply_error(req, 404, "no_such_board", NULL);
		return;
	}
	rc = board_subscribe(a->board, exam, sitting, req);
	if (rc == -1) {
		http_reply_error(req, 404, "no_such_board", NULL);
	} else if (rc == -2) {
		char s[16];
		snprintf(s, sizeof s, "%d", UJ_BUSY_RETRY_AFTER_S);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", s);
		http_reply_error(req, 503, "streams_full", NULL);
	}
}
