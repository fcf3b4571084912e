/* route.c - matching, authentication, authorization and admission of API
 * requests against the route table. */
#include "http/route.h"
#include "http/reply.h"
#include "http/connguard.h"

#include <assert.h>
#include <string.h>

int route_allows(const struct route *r, const struct principal *p)
{
	assert(r->need < PRINCIPAL_KIND_MAX && p->kind < PRINCIPAL_KIND_MAX);
	if (r->need == PRINCIPAL_ANONYMOUS)
		return 1;
	if (p->kind != r->need)
		return 0;
	if (r->need == PRINCIPAL_STAFF)
		return (p->roles & r->roles) != 0;
	return 1;
}

int route_pattern_match(const char *pattern, const char *path, const char **rest)
{
	const char *p = pattern, *q = path;
	*rest = NULL;
	while (*p && *q) {
		if (*p == '*') {
			size_t seg = strcspn(q, "/");
			if (seg == 0)
				return 0;
			if (!*rest)
				*rest = q;
			p++;
			q += seg;
			continue;
		}
		if (*p != *q)
			return 0;
		p++;
		q++;
	}
	if (*p || *q)
		return 0;
	if (!*rest)
		*rest = "";
	return 1;
}

int route_segment(const char *rest, int i, char *out, size_t n)
{
	const char *s = rest;
	size_t len;
	for (; i > 0; i--) {
		s = strchr(s, '/');
		if (!s)
			return -1;
		s++;
	}
	len = strcspn(s, "/");
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

const struct route *route_find(const struct route_table *t, enum evhttp_cmd_type method,
			       const char *path, const char **rest, int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct route *r = &t->rows[i];
		size_t plen = strlen(r->path);
		if (r->match == ROUTE_PREFIX) {
			if (strncmp(path, r->path, plen) != 0)
				continue;
			*rest = path + plen;
		} else if (r->match == ROUTE_PATTERN) {
			if (!route_pattern_match(r->path, path, rest))
				continue;
		} else {
			if (strcmp(path, r->path) != 0)
				continue;
			*rest = "";
		}
		*path_known = 1;
		if (r->method == method)
			return r;
	}
	return NULL;
}

/* evhttp's on-complete callback: the reply went out; count its class. */
static void route_count(struct evhttp_request *req, void *arg)
{
	struct route_stats *st = arg;
	int cls = evhttp_request_get_response_code(req) / 100;
	if (cls < 1 || cls > 5)
		cls = 5;
	atomic_fetch_add_explicit(&st->by_class[cls], 1, memory_order_relaxed);
}

void route_dispatch(const struct route_table *t, void *app, struct evhttp_request *req,
		    const char *path)
{
	struct principal p = { .kind = PRINCIPAL_ANONYMOUS };
	const char *rest = "";
	const struct route_refusal *refused;
	int known;
	const struct route *r = route_find(t, evhttp_request_get_command(req), path, &rest, &known);

	if (t->stats)
		connguard_set_on_complete(req, route_count,
						  &t->stats[r ? (size_t)(r - t->rows) : t->n]);
	if (!r) {
		if (known)
			http_reply_error(req, 405, "method_not_allowed", NULL);
		else
			http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	if (r->need != PRINCIPAL_ANONYMOUS) {
		refused = t->authenticate(app, req, r, &p);
		if (refused) {
			http_reply_error(req, refused->status, refused->code, refused->detail);
			return;
		}
		if (!route_allows(r, &p)) {
			http_reply_error(req, 403, "forbidden", NULL);
			return;
		}
		p.via_roles = r->roles;
	}
	if (r->queues) {
		int room = t->room(app);
		/* Storage unavailable: reads go on (a GET queues at most a
		 * barrier, which writes nothing); writes are refused before
		 * they change anything. */
		if (room < 0 && r->method == EVHTTP_REQ_GET)
			room = 1;
		if (room < 0) {
			http_reply_storage(req);
			return;
		}
		if (room == 0) {
			http_reply_busy(req);
			return;
		}
	}
	r->fn(app, req, &p, rest);
}

static const char *route_method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_HEAD: return "HEAD";
	default: return "OTHER";
	}
}

json_t *route_table_json(const struct route_table *t)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < t->n; i++) {
		const struct route *r = &t->rows[i];
		json_t *roles = json_array();
		for (int b = 0; b < PRINCIPAL_ROLES_MAX; b++)
			if (r->roles & (1u << b))
				json_array_append_new(roles, json_string(staff_role_names[b]));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:b}", "method",
						     route_method_name(r->method), "path", r->path,
						     "match",
						     r->match == ROUTE_PREFIX    ? "prefix"
						     : r->match == ROUTE_PATTERN ? "pattern"
										 : "exact",
						     "principal", principal_kind_names[r->need], "roles",
						     roles, "cookie", r->cookie, "queues", r->queues));
	}
	return arr;
}
