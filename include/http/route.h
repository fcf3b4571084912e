/* route.h - the route table: every API route is one row saying its method,
 * path, the principal (and staff roles) it needs, whether it queues work for
 * the writer, and its handler.
 *
 * route_dispatch finds the row, authenticates the request into a principal
 * (through the table's authenticate function), checks route_allows, refuses
 * with 503 server_busy when the row queues work and the table's room
 * function says there is none, and only then calls the handler. A handler
 * parses, calls its domain and replies; it never writes SQL or fills a
 * writer operation. The authorization test walks every row x every
 * principal through route_allows and over HTTP. */
#ifndef UJIAN_ROUTE_H
#define UJIAN_ROUTE_H

#include "auth/principal.h"

#include <event2/http.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

/* ROUTE_PATTERN: some segments of the path are a lone star, each matching
 * one non-empty segment (the row's path is then exams, star, candidates);
 * rest is the path from the first such segment on ("SKD-DEMO/candidates"). */
enum route_match { ROUTE_EXACT, ROUTE_PREFIX, ROUTE_PATTERN };

/* rest: the path after a ROUTE_PREFIX row's path, from the first wildcard
 * of a ROUTE_PATTERN row ("" for exact rows). */
typedef void (*route_handler)(void *app, struct evhttp_request *req, const struct principal *p,
			      const char *rest);

struct route {
	enum evhttp_cmd_type method;
	const char *path;
	enum route_match match;
	enum principal_kind need; /* PRINCIPAL_ANONYMOUS: anyone */
	unsigned roles;           /* staff rows: any one of these roles */
	int cookie;               /* the session may come as a cookie (images) */
	int queues;               /* may queue writer work: refused when busy */
	route_handler fn;
};

/* Why a request's credentials were refused: the reply to send. */
struct route_refusal {
	int status;         /* 401, or 500 for a principal that cannot be served */
	const char *code;   /* "unauthorized", "session_replaced" ... */
	const char *detail; /* appended to the code's message; may be NULL */
};

/* Resolve the request's credentials for route r into *p (r->cookie: a
 * session cookie is accepted too). Returns NULL, or the refusal to answer
 * with (401; 403 for a staff write without its CSRF token). */
typedef const struct route_refusal *(*route_auth_fn)(void *app, struct evhttp_request *req,
						     const struct route *r, struct principal *p);
/* 1 if the writer can take more work now; 0 if its queue is full (503
 * server_busy); -1 if storage is unavailable (503 storage_unavailable for
 * every method but GET: reads are served). */
typedef int (*route_room_fn)(void *app);

/* Replies of one route by status class (index 1-5: 1xx-5xx), counted once
 * each reply has been sent; any thread reads them (metrics). */
struct route_stats {
	atomic_ullong by_class[6];
};

struct route_table {
	const struct route *rows;
	size_t n;
	route_auth_fn authenticate;
	route_room_fn room;
	struct route_stats *stats; /* n + 1 entries (the last: no route, 404/405);
				    * NULL: not counted */
};

/* 1 if path matches pattern (see ROUTE_PATTERN); *rest is set to where
 * the first "*" matched. */
int route_pattern_match(const char *pattern, const char *path, const char **rest);
/* Segment i (0-based) of rest ("A/b/C") into out (n bytes): 0, or -1 if
 * there is none or it does not fit. */
int route_segment(const char *rest, int i, char *out, size_t n);
/* 1 if principal p may use route r: its kind is the one r needs (any for
 * anonymous rows) and, for staff rows, it holds one of r's roles. */
int route_allows(const struct route *r, const struct principal *p);
/* The row for method and path (rest set), or NULL; *path_known is set if
 * some row has the path (so the reply is 405, not 404). */
const struct route *route_find(const struct route_table *t, enum evhttp_cmd_type method,
			       const char *path, const char **rest, int *path_known);
/* The table as JSON: [{"method","path","match","principal","roles":[...],
 * "cookie","queues"}], for 'ujian routes' and the authorization test. */
json_t *route_table_json(const struct route_table *t);
/* Route one /api/ request; always replies (through the handler or with
 * 404, 405, 401, 403 or 503). */
void route_dispatch(const struct route_table *t, void *app, struct evhttp_request *req,
		    const char *path);

#endif
