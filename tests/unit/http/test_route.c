/* test_route.c - the route table: matching, authorization and admission
 * (server/http/route.c), and the shape of the real table api_table.
 *
 * route_dispatch replies through evhttp, which needs a connection (a reply
 * to a request without one only frees it), so dispatch is tested over a real
 * loopback connection: an evhttp server on 127.0.0.1 whose generic callback
 * calls route_dispatch with a fake table, and an evhttp client on the same
 * event_base. */
#include "unit.h"
#include "unit_loop.h"

#include "api/api.h"
#include "auth/principal.h"
#include "bounds.h"
#include "http/route.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Every principal the matrix walks: anonymous, a candidate, staff with no
 * role, with each single role, with all roles. */
static struct principal principals[3 + PRINCIPAL_ROLES_MAX + 1];
static int n_principals;

static void make_principals(void)
{
	n_principals = 0;
	principals[n_principals++] = (struct principal){ .kind = PRINCIPAL_ANONYMOUS };
	principals[n_principals++] =
		(struct principal){ .kind = PRINCIPAL_CANDIDATE, .actor = actor_candidate(1) };
	principals[n_principals++] = (struct principal){ .kind = PRINCIPAL_STAFF, .roles = 0 };
	for (int i = 0; i < PRINCIPAL_ROLES_MAX; i++)
		principals[n_principals++] =
			(struct principal){ .kind = PRINCIPAL_STAFF, .roles = 1u << i };
	principals[n_principals++] = (struct principal){ .kind = PRINCIPAL_STAFF, .roles = ROLE_ALL };
}

static const char *method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	default: return "other";
	}
}

/* ---- the real table ---- */

/* Every row: under /api/v1/, a handler, a valid principal kind, roles only
 * (and always) on staff rows, a known method; no two rows with the same
 * method and path; within UJ_ROUTES_MAX; the table has its functions. */
static void test_api_table_shape(void **state)
{
	(void)state;
	assert_true(api_table.n > 0);
	assert_true(api_table.n <= UJ_ROUTES_MAX);
	assert_non_null(api_table.rows);
	assert_non_null(api_table.authenticate);
	assert_non_null(api_table.room);
	for (size_t i = 0; i < api_table.n; i++) {
		const struct route *r = &api_table.rows[i];
		assert_non_null(r->path);
		if (strncmp(r->path, "/api/v1/", 8) != 0)
			fail_msg("row %zu: path %s is not under /api/v1/", i, r->path);
		assert_true(strlen(r->path) > 8);
		assert_non_null(r->fn);
		assert_true(r->need < PRINCIPAL_KIND_MAX);
		assert_true(r->match == ROUTE_EXACT || r->match == ROUTE_PREFIX ||
			    r->match == ROUTE_PATTERN);
		if ((r->match == ROUTE_PATTERN) != (strchr(r->path, '*') != NULL))
			fail_msg("row %s: a pattern row, and only a pattern row, has '*'", r->path);
		assert_true(r->method == EVHTTP_REQ_GET || r->method == EVHTTP_REQ_POST ||
			    r->method == EVHTTP_REQ_PUT || r->method == EVHTTP_REQ_DELETE);
		if (r->need == PRINCIPAL_STAFF) {
			if (r->roles == 0 || (r->roles & ~(unsigned)ROLE_ALL))
				fail_msg("staff row %s %s: roles %#x", method_name(r->method), r->path,
					 r->roles);
		} else if (r->roles != 0) {
			fail_msg("row %s %s needs no staff but has roles %#x", method_name(r->method),
				 r->path, r->roles);
		}
		if (r->match == ROUTE_PREFIX && r->path[strlen(r->path) - 1] != '/')
			fail_msg("prefix row %s should end in '/'", r->path);
		for (size_t j = 0; j < i; j++)
			if (api_table.rows[j].method == r->method &&
			    strcmp(api_table.rows[j].path, r->path) == 0)
				fail_msg("rows %zu and %zu are both %s %s", j, i, method_name(r->method),
					 r->path);
	}
}

/* Every row is what route_find returns for its own method and path (a
 * prefix row with something after it): no earlier row shadows a later one. */
static void test_api_table_every_row_reachable(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_table.n; i++) {
		const struct route *r = &api_table.rows[i];
		char path[256];
		const char *rest = NULL;
		int known = 0;
		const char *want_rest = r->match == ROUTE_PREFIX ? "x1" : "";
		snprintf(path, sizeof path, "%s%s", r->path, r->match == ROUTE_PREFIX ? "x1" : "");
		if (r->match == ROUTE_PATTERN) { /* each '*' becomes "x1" */
			size_t k = 0;
			for (const char *c = r->path; *c && k + 3 < sizeof path; c++) {
				if (*c == '*') {
					path[k++] = 'x';
					path[k++] = '1';
				} else {
					path[k++] = *c;
				}
			}
			path[k] = '\0';
			want_rest = path + (strchr(r->path, '*') - r->path);
		}
		const struct route *found = route_find(&api_table, r->method, path, &rest, &known);
		if (found != r)
			fail_msg("%s %s finds row %td, not row %zu", method_name(r->method), path,
				 found ? found - api_table.rows : -1, i);
		assert_true(known);
		assert_string_equal(rest, want_rest);
	}
}

/* The real table's candidate routes, by name: exact and prefix matches, the
 * rest of a prefix path, 405 for a known path with another method. */
static void test_api_table_known_routes(void **state)
{
	(void)state;
	const char *rest = NULL;
	int known = -1;
	const struct route *r;

	r = route_find(&api_table, EVHTTP_REQ_PUT, "/api/v1/attempt/answers/17", &rest, &known);
	assert_non_null(r);
	assert_ptr_equal(r->fn, api_answer);
	assert_string_equal(rest, "17");
	assert_int_equal(r->need, PRINCIPAL_CANDIDATE);
	assert_true(r->queues);

	r = route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/attempt/answers/17", &rest, &known);
	assert_null(r);
	assert_int_equal(known, 1);

	r = route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/attempt", &rest, &known);
	assert_non_null(r);
	assert_ptr_equal(r->fn, api_attempt);
	assert_string_equal(rest, "");

	r = route_find(&api_table, EVHTTP_REQ_POST, "/api/v1/candidate/login", &rest, &known);
	assert_non_null(r);
	assert_ptr_equal(r->fn, api_login);
	assert_int_equal(r->need, PRINCIPAL_ANONYMOUS);

	r = route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/health", &rest, &known);
	assert_non_null(r);
	assert_ptr_equal(r->fn, api_health);
	assert_int_equal(r->need, PRINCIPAL_ANONYMOUS);
	assert_false(r->queues);

	r = route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/attempt/images/abc", &rest, &known);
	assert_non_null(r);
	assert_ptr_equal(r->fn, api_image);
	assert_true(r->cookie);
	assert_string_equal(rest, "abc");

	known = -1;
	assert_null(route_find(&api_table, EVHTTP_REQ_POST, "/api/v1/health", &rest, &known));
	assert_int_equal(known, 1);
	known = -1;
	assert_null(route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/nothing", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&api_table, EVHTTP_REQ_GET, "/api/v1/attempt/", &rest, &known));
	assert_int_equal(known, 0);
	/* The prefix row's path without its slash is another path. */
	known = -1;
	assert_null(route_find(&api_table, EVHTTP_REQ_PUT, "/api/v1/attempt/answers", &rest, &known));
	assert_int_equal(known, 0);
}

/* route_allows over every row of api_table x every principal: anonymous rows
 * allow everyone; candidate rows only candidates; staff rows exactly the
 * staff holding one of their roles. */
static void test_api_table_allows_matrix(void **state)
{
	(void)state;
	make_principals();
	for (size_t i = 0; i < api_table.n; i++) {
		const struct route *r = &api_table.rows[i];
		for (int k = 0; k < n_principals; k++) {
			const struct principal *p = &principals[k];
			int want;
			switch (r->need) {
			case PRINCIPAL_ANONYMOUS: want = 1; break;
			case PRINCIPAL_CANDIDATE: want = p->kind == PRINCIPAL_CANDIDATE; break;
			default: want = p->kind == PRINCIPAL_STAFF && (p->roles & r->roles) != 0; break;
			}
			if (route_allows(r, p) != want)
				fail_msg("%s %s, principal %s roles %#x: allows %d, want %d",
					 method_name(r->method), r->path, principal_kind_names[p->kind],
					 p->roles, route_allows(r, p), want);
		}
	}
}

static void dummy_handler(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	(void)app;
	(void)req;
	(void)p;
	(void)rest;
}

/* Synthetic staff rows (each single role, two roles, all roles): allowed
 * exactly for staff principals holding one of the row's roles; never for
 * anonymous or candidate principals, nor staff without roles. */
static void test_allows_staff_rows(void **state)
{
	(void)state;
	unsigned role_sets[PRINCIPAL_ROLES_MAX + 3];
	int n_sets = 0;
	make_principals();
	for (int i = 0; i < PRINCIPAL_ROLES_MAX; i++)
		role_sets[n_sets++] = 1u << i;
	role_sets[n_sets++] = ROLE_AUTHOR | ROLE_ADMIN;
	role_sets[n_sets++] = ROLE_PROCTOR | ROLE_OBSERVER;
	role_sets[n_sets++] = ROLE_ALL;

	for (int s = 0; s < n_sets; s++) {
		struct route r = { EVHTTP_REQ_GET, "/api/v1/staff/x", ROUTE_EXACT, PRINCIPAL_STAFF,
				   role_sets[s], 0, 0, dummy_handler };
		int n_allowed = 0;
		for (int k = 0; k < n_principals; k++) {
			const struct principal *p = &principals[k];
			int holds = p->kind == PRINCIPAL_STAFF && (p->roles & role_sets[s]);
			if (route_allows(&r, p) != (holds ? 1 : 0))
				fail_msg("staff row roles %#x, principal %s roles %#x: allows %d",
					 role_sets[s], principal_kind_names[p->kind], p->roles,
					 route_allows(&r, p));
			n_allowed += route_allows(&r, p);
		}
		/* the single-role principals holding it, plus the all-roles one */
		assert_int_equal(n_allowed, __builtin_popcount(role_sets[s]) + 1);
	}

	/* A candidate with stray role bits is still no staff member; a staff
	 * member holding every role is still no candidate. */
	struct route staff_row = { EVHTTP_REQ_GET, "/api/v1/s", ROUTE_EXACT, PRINCIPAL_STAFF,
				   ROLE_ADMIN, 0, 0, dummy_handler };
	struct route cand_row = { EVHTTP_REQ_GET, "/api/v1/c", ROUTE_EXACT, PRINCIPAL_CANDIDATE, 0,
				  0, 0, dummy_handler };
	struct route anon_row = { EVHTTP_REQ_GET, "/api/v1/a", ROUTE_EXACT, PRINCIPAL_ANONYMOUS, 0,
				  0, 0, dummy_handler };
	struct principal odd_cand = { .kind = PRINCIPAL_CANDIDATE, .roles = ROLE_ALL };
	struct principal all_staff = { .kind = PRINCIPAL_STAFF, .roles = ROLE_ALL };
	assert_false(route_allows(&staff_row, &odd_cand));
	assert_false(route_allows(&cand_row, &all_staff));
	assert_true(route_allows(&cand_row, &odd_cand));
	assert_true(route_allows(&anon_row, &all_staff));
	assert_true(route_allows(&anon_row, &odd_cand));
}

/* ---- a fake table ---- */

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define PUT EVHTTP_REQ_PUT
#define ANYONE PRINCIPAL_ANONYMOUS
#define CANDIDATE PRINCIPAL_CANDIDATE
#define STAFF PRINCIPAL_STAFF

struct handled {
	int n;
	int id;
	void *app;
	enum principal_kind kind;
	unsigned roles;
	int64_t actor_id;
	char rest[128];
};

static struct handled hd;

static void handle(int id, void *app, struct evhttp_request *req, const struct principal *p,
		   const char *rest)
{
	hd.n++;
	hd.id = id;
	hd.app = app;
	hd.kind = p->kind;
	hd.roles = p->roles;
	hd.actor_id = p->actor.id;
	snprintf(hd.rest, sizeof hd.rest, "%s", rest);
	if (req) {
		struct evbuffer *b = evbuffer_new();
		evbuffer_add_printf(b, "{\"handler\":%d}", id);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	}
}

#define HANDLER(n)                                                                            \
	static void h##n(void *app, struct evhttp_request *req, const struct principal *p,      \
			 const char *rest)                                                     \
	{                                                                                      \
		handle(n, app, req, p, rest);                                                  \
	}
HANDLER(1)
HANDLER(2)
HANDLER(3)
HANDLER(4)
HANDLER(5)
HANDLER(6)
HANDLER(7)
HANDLER(8)

static const struct route fake_rows[] = {
	{ GET, "/api/v1/open", ROUTE_EXACT, ANYONE, 0, 0, 0, h1 },
	{ POST, "/api/v1/open", ROUTE_EXACT, ANYONE, 0, 0, 1, h2 },
	{ GET, "/api/v1/mine", ROUTE_EXACT, CANDIDATE, 0, 0, 1, h3 },
	{ PUT, "/api/v1/mine/answers/", ROUTE_PREFIX, CANDIDATE, 0, 0, 1, h4 },
	{ GET, "/api/v1/img/", ROUTE_PREFIX, CANDIDATE, 0, 1, 0, h5 },
	{ POST, "/api/v1/staff/banks", ROUTE_EXACT, STAFF, ROLE_AUTHOR | ROLE_ADMIN, 0, 1, h6 },
	{ GET, "/api/v1/staff/banks", ROUTE_EXACT, STAFF, ROLE_OBSERVER, 0, 0, h7 },
	{ GET, "/api/v1/mine/", ROUTE_PREFIX, CANDIDATE, 0, 0, 0, h8 },
};

static int app_token; /* its address is the app pointer */
static int n_auth, auth_cookie, room_ok, n_room;
static void *auth_app, *room_app;

/* Who the request is comes in X-Who: absent -> "unauthorized",
 * "replaced" -> "session_replaced", "candidate", "staff:<roles>". */
static const struct route_refusal fake_unauthorized = { 401, "unauthorized", NULL };
static const struct route_refusal fake_replaced = { 401, "session_replaced", NULL };
/* a principal that exists but cannot be served */
static const struct route_refusal fake_broken = { 500, "internal", NULL };

static const struct route_refusal *fake_auth(void *app, struct evhttp_request *req,
					     const struct route *r, struct principal *p)
{
	const char *who = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Who");
	n_auth++;
	auth_cookie = r->cookie;
	auth_app = app;
	if (!who)
		return &fake_unauthorized;
	if (strcmp(who, "replaced") == 0)
		return &fake_replaced;
	if (strcmp(who, "broken") == 0)
		return &fake_broken;
	if (strcmp(who, "candidate") == 0) {
		p->kind = PRINCIPAL_CANDIDATE;
		p->actor = actor_candidate(42);
		return NULL;
	}
	if (strncmp(who, "staff:", 6) == 0) {
		p->kind = PRINCIPAL_STAFF;
		p->roles = (unsigned)strtoul(who + 6, NULL, 10);
		p->actor = (struct actor){ ACTOR_STAFF, 9 };
		return NULL;
	}
	return &fake_unauthorized;
}

static int fake_room(void *app)
{
	n_room++;
	room_app = app;
	return room_ok;
}

static const struct route_table fake_table = {
	fake_rows, sizeof fake_rows / sizeof *fake_rows, fake_auth, fake_room, NULL,
};

/* route_find on the fake table: exact rows match only their path; prefix
 * rows match their path and anything after it (rest); the first row in
 * table order wins; path_known says whether another method would match. */
static void test_find_fake(void **state)
{
	(void)state;
	const char *rest = NULL;
	int known = -1;
	const struct route *r;

	r = route_find(&fake_table, GET, "/api/v1/open", &rest, &known);
	assert_ptr_equal(r, &fake_rows[0]);
	assert_string_equal(rest, "");
	assert_int_equal(known, 1);
	r = route_find(&fake_table, POST, "/api/v1/open", &rest, &known);
	assert_ptr_equal(r, &fake_rows[1]);

	/* Exact rows: no prefix, no extension, case-sensitive. */
	known = -1;
	assert_null(route_find(&fake_table, GET, "/api/v1/open/", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&fake_table, GET, "/api/v1/opened", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&fake_table, GET, "/api/v1/ope", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&fake_table, GET, "/API/V1/OPEN", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&fake_table, GET, "", &rest, &known));
	assert_int_equal(known, 0);

	/* Prefix rows. */
	r = route_find(&fake_table, PUT, "/api/v1/mine/answers/12", &rest, &known);
	assert_ptr_equal(r, &fake_rows[3]);
	assert_string_equal(rest, "12");
	r = route_find(&fake_table, PUT, "/api/v1/mine/answers/", &rest, &known);
	assert_ptr_equal(r, &fake_rows[3]);
	assert_string_equal(rest, "");
	r = route_find(&fake_table, PUT, "/api/v1/mine/answers/1/2", &rest, &known);
	assert_ptr_equal(r, &fake_rows[3]);
	assert_string_equal(rest, "1/2");
	r = route_find(&fake_table, GET, "/api/v1/img/ab/cd.png", &rest, &known);
	assert_ptr_equal(r, &fake_rows[4]);
	assert_string_equal(rest, "ab/cd.png");
	/* A GET under /api/v1/mine/answers/ falls to the broader GET prefix row. */
	r = route_find(&fake_table, GET, "/api/v1/mine/answers/12", &rest, &known);
	assert_ptr_equal(r, &fake_rows[7]);
	assert_string_equal(rest, "answers/12");
	/* The exact row /api/v1/mine is not the prefix /api/v1/mine/. */
	r = route_find(&fake_table, GET, "/api/v1/mine", &rest, &known);
	assert_ptr_equal(r, &fake_rows[2]);
	assert_string_equal(rest, "");

	/* 405 vs 404. */
	known = -1;
	assert_null(route_find(&fake_table, EVHTTP_REQ_DELETE, "/api/v1/open", &rest, &known));
	assert_int_equal(known, 1);
	known = -1;
	assert_null(route_find(&fake_table, POST, "/api/v1/mine/answers/3", &rest, &known));
	assert_int_equal(known, 1);
	known = -1;
	assert_null(route_find(&fake_table, PUT, "/api/v1/staff/banks", &rest, &known));
	assert_int_equal(known, 1);
	known = -1;
	assert_null(route_find(&fake_table, PUT, "/api/v1/img", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&fake_table, GET, "/api/v1/staff", &rest, &known));
	assert_int_equal(known, 0);

	/* An empty table knows nothing. */
	struct route_table empty = { fake_rows, 0, fake_auth, fake_room, NULL };
	known = -1;
	assert_null(route_find(&empty, GET, "/api/v1/open", &rest, &known));
	assert_int_equal(known, 0);
}

/* ---- patterns and segments ---- */

/* Match (1) and set rest, or not (0). */
static void assert_pattern(const char *pattern, const char *path, int want, const char *want_rest)
{
	const char *rest = (const char *)1;
	int got = route_pattern_match(pattern, path, &rest);
	if (got != want)
		fail_msg("pattern %s, path \"%s\": %d, want %d", pattern, path, got, want);
	if (want) {
		assert_non_null(rest);
		if (strcmp(rest, want_rest) != 0)
			fail_msg("pattern %s, path %s: rest \"%s\", want \"%s\"", pattern, path, rest,
				 want_rest);
		/* With a wildcard, rest points into path at its segment. */
		if (strchr(pattern, '*'))
			assert_ptr_equal(rest, path + (strchr(pattern, '*') - pattern));
	}
}

/* route_pattern_match: each lone '*' takes exactly one non-empty segment;
 * everything else must be equal; rest is the path from the first '*' on. */
static void test_pattern_match(void **state)
{
	(void)state;
	const char *p1 = "/api/v1/staff/exams/*/candidates";
	const char *p2 = "/api/v1/staff/exams/*/candidates/*";
	const char *p3 = "/api/v1/staff/exams/*";
	const char *p4 = "/api/v1/staff/*/x/*/y";

	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/candidates", 1, "SKD-DEMO/candidates");
	assert_pattern(p1, "/api/v1/staff/exams/a/candidates", 1, "a/candidates");
	assert_pattern(p2, "/api/v1/staff/exams/SKD-DEMO/candidates/R-001", 1,
		       "SKD-DEMO/candidates/R-001");
	assert_pattern(p3, "/api/v1/staff/exams/SKD-DEMO", 1, "SKD-DEMO");
	assert_pattern(p3, "/api/v1/staff/exams/a.b-c_d%20e", 1, "a.b-c_d%20e");
	assert_pattern(p4, "/api/v1/staff/A/x/B/y", 1, "A/x/B/y");
	assert_pattern("/api/v1/health", "/api/v1/health", 1, "");

	/* Missing or extra segments. */
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/candidates/R-001", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exams/SKD/DEMO/candidates", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exams/candidates", 0, NULL);
	assert_pattern(p2, "/api/v1/staff/exams/SKD-DEMO/candidates", 0, NULL);
	assert_pattern(p3, "/api/v1/staff/exams/SKD-DEMO/candidates", 0, NULL);
	assert_pattern(p3, "/api/v1/staff/exams", 0, NULL);
	assert_pattern(p4, "/api/v1/staff/A/x/y", 0, NULL);
	/* An empty segment never matches '*'. */
	assert_pattern(p1, "/api/v1/staff/exams//candidates", 0, NULL);
	assert_pattern(p3, "/api/v1/staff/exams/", 0, NULL);
	assert_pattern(p2, "/api/v1/staff/exams/SKD-DEMO/candidates/", 0, NULL);
	assert_pattern(p4, "/api/v1/staff//x/B/y", 0, NULL);
	assert_pattern(p4, "/api/v1/staff/A/x//y", 0, NULL);
	/* Trailing slash. */
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/candidates/", 0, NULL);
	assert_pattern(p3, "/api/v1/staff/exams/SKD-DEMO/", 0, NULL);
	assert_pattern("/api/v1/health", "/api/v1/health/", 0, NULL);
	/* Literal parts: exact, case-sensitive, no prefix or extension. */
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/candidate", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/candidatesx", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exams/SKD-DEMO/Candidates", 0, NULL);
	assert_pattern(p1, "/api/v1/staff/exam/SKD-DEMO/candidates", 0, NULL);
	assert_pattern(p1, "/API/v1/staff/exams/SKD-DEMO/candidates", 0, NULL);
	assert_pattern(p1, "api/v1/staff/exams/SKD-DEMO/candidates", 0, NULL);
	assert_pattern(p1, "", 0, NULL);
	assert_pattern(p3, "/api/v1/staff/examsX/SKD", 0, NULL);
}

/* route_segment: the i-th segment of rest, only if it exists, is non-empty
 * and fits with its terminator. */
static void test_segment(void **state)
{
	(void)state;
	char out[8];
	const char *rest = "SKD-A/candidates/R-001";

	memset(out, '#', sizeof out);
	assert_int_equal(route_segment(rest, 0, out, sizeof out), 0);
	assert_string_equal(out, "SKD-A");
	assert_int_equal(route_segment(rest, 2, out, sizeof out), 0);
	assert_string_equal(out, "R-001");
	/* Out of range. */
	memset(out, '#', sizeof out);
	assert_int_equal(route_segment(rest, 3, out, sizeof out), -1);
	assert_int_equal(route_segment(rest, 100, out, sizeof out), -1);
	assert_int_equal(route_segment("", 0, out, sizeof out), -1);
	assert_int_equal(route_segment("", 1, out, sizeof out), -1);
	assert_int_equal(route_segment("A", 1, out, sizeof out), -1);
	/* Empty segments. */
	assert_int_equal(route_segment("A//C", 1, out, sizeof out), -1);
	assert_int_equal(route_segment("A/", 1, out, sizeof out), -1);
	assert_int_equal(route_segment("/B", 0, out, sizeof out), -1);
	assert_int_equal(route_segment("A//C", 2, out, sizeof out), 0);
	assert_string_equal(out, "C");
	/* Too long for the buffer: "candidates" is 10 bytes; 7 fit in out[8]. */
	assert_int_equal(route_segment(rest, 1, out, sizeof out), -1);
	assert_int_equal(route_segment("1234567", 0, out, sizeof out), 0);
	assert_string_equal(out, "1234567");
	assert_int_equal(route_segment("12345678", 0, out, sizeof out), -1);
	assert_int_equal(route_segment("x/12345678/y", 1, out, sizeof out), -1);
	/* A refusal leaves nothing past the buffer (ASan checks the rest). */
	char small[2];
	assert_int_equal(route_segment("ab", 0, small, sizeof small), -1);
	assert_int_equal(route_segment("a/b", 1, small, sizeof small), 0);
	assert_string_equal(small, "b");
	/* The last segment stops at the end of the string. */
	char big[64];
	assert_int_equal(route_segment(rest, 1, big, sizeof big), 0);
	assert_string_equal(big, "candidates");
}

/* route_find with pattern rows: the row whose pattern matches, rest from
 * the first wildcard, 405 for a matching path under another method. */
static void h_pat(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	(void)app;
	(void)req;
	(void)p;
	(void)rest;
}

static void test_find_pattern(void **state)
{
	(void)state;
	static const struct route rows[] = {
		{ EVHTTP_REQ_GET, "/api/v1/e/*", ROUTE_PATTERN, PRINCIPAL_STAFF, ROLE_ALL, 0, 0, h_pat },
		{ EVHTTP_REQ_GET, "/api/v1/e/*/c", ROUTE_PATTERN, PRINCIPAL_STAFF, ROLE_ALL, 0, 0, h_pat },
		{ EVHTTP_REQ_POST, "/api/v1/e/*/c/*", ROUTE_PATTERN, PRINCIPAL_STAFF, ROLE_ADMIN, 0, 1,
		  h_pat },
	};
	const struct route_table t = { rows, 3, NULL, NULL, NULL };
	const char *rest = NULL;
	int known = -1;
	char seg[16];

	assert_ptr_equal(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e/SKD", &rest, &known), &rows[0]);
	assert_string_equal(rest, "SKD");
	assert_ptr_equal(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e/SKD/c", &rest, &known), &rows[1]);
	assert_string_equal(rest, "SKD/c");
	assert_ptr_equal(route_find(&t, EVHTTP_REQ_POST, "/api/v1/e/SKD/c/R-9", &rest, &known),
			 &rows[2]);
	assert_string_equal(rest, "SKD/c/R-9");
	assert_int_equal(route_segment(rest, 0, seg, sizeof seg), 0);
	assert_string_equal(seg, "SKD");
	assert_int_equal(route_segment(rest, 2, seg, sizeof seg), 0);
	assert_string_equal(seg, "R-9");

	known = -1;
	assert_null(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e/SKD/c/R-9", &rest, &known));
	assert_int_equal(known, 1);
	known = -1;
	assert_null(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e//c", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e/SKD/d", &rest, &known));
	assert_int_equal(known, 0);
	known = -1;
	assert_null(route_find(&t, EVHTTP_REQ_GET, "/api/v1/e/", &rest, &known));
	assert_int_equal(known, 0);
}

/* ---- dispatch over loopback ---- */

struct http_fx {
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_connection *conn;
	int port;
};

struct resp {
	int done;
	int status;
	char body[2048];
	char retry_after[16];
};

static void gen_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	route_dispatch(&fake_table, &app_token, req, path ? path : "");
}

static void http_fx_open(struct http_fx *h)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	memset(h, 0, sizeof *h);
	h->base = event_base_new();
	assert_non_null(h->base);
	h->http = evhttp_new(h->base);
	assert_non_null(h->http);
	evhttp_set_gencb(h->http, gen_cb, NULL);
	bs = evhttp_bind_socket_with_handle(h->http, "127.0.0.1", 0);
	assert_non_null(bs);
	assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &len), 0);
	h->port = ntohs(sin.sin_port);
	h->conn = evhttp_connection_base_new(h->base, NULL, "127.0.0.1", (ev_uint16_t)h->port);
	assert_non_null(h->conn);
	memset(&hd, 0, sizeof hd);
	n_auth = n_room = auth_cookie = 0;
	auth_app = room_app = NULL;
	room_ok = 1;
}

static void http_fx_close(struct http_fx *h)
{
	evhttp_connection_free(h->conn);
	evhttp_free(h->http);
	event_base_free(h->base);
}

static void resp_cb(struct evhttp_request *req, void *arg)
{
	struct resp *r = arg;
	const char *ra;
	size_t n;
	r->done = 1;
	if (!req) {
		r->status = -1;
		return;
	}
	r->status = evhttp_request_get_response_code(req);
	n = evbuffer_get_length(evhttp_request_get_input_buffer(req));
	if (n >= sizeof r->body)
		n = sizeof r->body - 1;
	evbuffer_copyout(evhttp_request_get_input_buffer(req), r->body, n);
	r->body[n] = '\0';
	ra = evhttp_find_header(evhttp_request_get_input_headers(req), "Retry-After");
	snprintf(r->retry_after, sizeof r->retry_after, "%s", ra ? ra : "");
}

/* One request over the loopback connection; returns when its reply is in. */
static void request(struct http_fx *h, enum evhttp_cmd_type m, const char *uri, const char *who,
		    struct resp *r)
{
	struct evhttp_request *req;
	int64_t dl = unit_mono_ms() + UNIT_DEADLINE_MS;
	memset(r, 0, sizeof *r);
	req = evhttp_request_new(resp_cb, r);
	assert_non_null(req);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "127.0.0.1");
	if (who)
		evhttp_add_header(evhttp_request_get_output_headers(req), "X-Who", who);
	assert_int_equal(evhttp_make_request(h->conn, req, m, uri), 0);
	while (!r->done && unit_mono_ms() < dl)
		assert_true(event_base_loop(h->base, EVLOOP_ONCE) >= 0);
	assert_true(r->done);
}

/* The error code of a JSON error reply ("" if the body is not one). */
static void assert_error(const struct resp *r, int status, const char *code)
{
	json_error_t je;
	json_t *j = json_loads(r->body, 0, &je);
	const char *got;
	if (r->status != status)
		fail_msg("status %d, want %d (body %s)", r->status, status, r->body);
	assert_non_null(j);
	got = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
	if (!got || strcmp(got, code) != 0)
		fail_msg("error code %s, want %s", got ? got : "(none)", code);
	assert_non_null(json_string_value(json_object_get(json_object_get(j, "error"), "message")));
	json_decref(j);
}

static void assert_handled(const struct resp *r, int id)
{
	char want[32];
	snprintf(want, sizeof want, "{\"handler\":%d}", id);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, want);
	assert_int_equal(hd.id, id);
	assert_ptr_equal(hd.app, &app_token);
}

/* Unknown paths are 404 not_found, known paths with another method 405
 * method_not_allowed, and neither authenticates nor reaches a handler. */
static void test_dispatch_404_405(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	http_fx_open(&h);

	request(&h, GET, "/api/v1/nothing", "candidate", &r);
	assert_error(&r, 404, "not_found");
	request(&h, EVHTTP_REQ_DELETE, "/api/v1/open", "candidate", &r);
	assert_error(&r, 405, "method_not_allowed");
	request(&h, POST, "/api/v1/mine/answers/4", "candidate", &r);
	assert_error(&r, 405, "method_not_allowed");
	request(&h, GET, "/api/v1/open/", NULL, &r);
	assert_error(&r, 404, "not_found");
	assert_int_equal(hd.n, 0);
	assert_int_equal(n_auth, 0);
	assert_int_equal(n_room, 0);
	http_fx_close(&h);
}

/* Anonymous rows never authenticate: the handler gets an anonymous
 * principal even when credentials came along; a queueing anonymous row
 * still asks for room. */
static void test_dispatch_anonymous(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	http_fx_open(&h);

	request(&h, GET, "/api/v1/open", "candidate", &r);
	assert_handled(&r, 1);
	assert_int_equal(hd.kind, PRINCIPAL_ANONYMOUS);
	assert_string_equal(hd.rest, "");
	assert_int_equal(n_auth, 0);
	assert_int_equal(n_room, 0); /* a row that queues nothing needs no room */

	request(&h, POST, "/api/v1/open", NULL, &r);
	assert_handled(&r, 2);
	assert_int_equal(n_room, 1);
	assert_ptr_equal(room_app, &app_token);

	room_ok = 0;
	request(&h, POST, "/api/v1/open", NULL, &r);
	assert_error(&r, 503, "server_busy");
	assert_string_equal(r.retry_after, "2");
	assert_int_equal(hd.n, 2); /* the handler did not run */
	request(&h, GET, "/api/v1/open", NULL, &r); /* no room needed */
	assert_handled(&r, 1);
	assert_int_equal(hd.n, 3);
	http_fx_close(&h);
}

/* Candidate rows: 401 with the authenticator's code when it refuses, 403
 * forbidden for a staff principal, the handler (with the principal and the
 * rest of a prefix path) for a candidate; the cookie flag of the row is
 * passed to the authenticator. */
static void test_dispatch_candidate(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	http_fx_open(&h);

	request(&h, GET, "/api/v1/mine", NULL, &r);
	assert_error(&r, 401, "unauthorized");
	request(&h, GET, "/api/v1/mine", "replaced", &r);
	assert_error(&r, 401, "session_replaced");
	request(&h, GET, "/api/v1/mine", "staff:31", &r);
	assert_error(&r, 403, "forbidden");
	request(&h, GET, "/api/v1/mine", "broken", &r);
	assert_error(&r, 500, "internal");
	assert_int_equal(hd.n, 0);
	assert_int_equal(n_auth, 4);
	assert_ptr_equal(auth_app, &app_token);
	assert_int_equal(auth_cookie, 0);

	request(&h, GET, "/api/v1/mine", "candidate", &r);
	assert_handled(&r, 3);
	assert_int_equal(hd.kind, PRINCIPAL_CANDIDATE);
	assert_int_equal(hd.actor_id, 42);
	assert_string_equal(hd.rest, "");

	request(&h, PUT, "/api/v1/mine/answers/17", "candidate", &r);
	assert_handled(&r, 4);
	assert_string_equal(hd.rest, "17");
	assert_int_equal(auth_cookie, 0);

	request(&h, GET, "/api/v1/img/abc.png", "candidate", &r);
	assert_handled(&r, 5);
	assert_string_equal(hd.rest, "abc.png");
	assert_int_equal(auth_cookie, 1);

	request(&h, GET, "/api/v1/mine/other", "candidate", &r);
	assert_handled(&r, 8);
	assert_string_equal(hd.rest, "other");
	http_fx_close(&h);
}

/* Staff rows: only staff holding one of the row's roles reach the handler;
 * others get 403 (candidates too), no credentials 401. */
static void test_dispatch_staff(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	char who[32];
	http_fx_open(&h);

	request(&h, POST, "/api/v1/staff/banks", NULL, &r);
	assert_error(&r, 401, "unauthorized");
	request(&h, POST, "/api/v1/staff/banks", "candidate", &r);
	assert_error(&r, 403, "forbidden");
	request(&h, POST, "/api/v1/staff/banks", "staff:0", &r);
	assert_error(&r, 403, "forbidden");
	for (int i = 0; i < PRINCIPAL_ROLES_MAX; i++) {
		unsigned role = 1u << i;
		int ok = (role & (ROLE_AUTHOR | ROLE_ADMIN)) != 0;
		int before = hd.n;
		snprintf(who, sizeof who, "staff:%u", role);
		request(&h, POST, "/api/v1/staff/banks", who, &r);
		if (ok) {
			assert_handled(&r, 6);
			assert_int_equal(hd.kind, PRINCIPAL_STAFF);
			assert_int_equal(hd.roles, role);
			assert_int_equal(hd.n, before + 1);
		} else {
			assert_error(&r, 403, "forbidden");
			assert_int_equal(hd.n, before);
		}
	}
	snprintf(who, sizeof who, "staff:%u", (unsigned)(ROLE_PROCTOR | ROLE_OBSERVER));
	request(&h, GET, "/api/v1/staff/banks", who, &r);
	assert_handled(&r, 7);
	request(&h, POST, "/api/v1/staff/banks", who, &r);
	assert_error(&r, 403, "forbidden");
	http_fx_close(&h);
}

/* Admission comes after authorization: with no room, an unauthenticated
 * request still gets 401 and a forbidden one 403 (not 503); an allowed one
 * to a queueing row gets 503 server_busy with Retry-After and the handler
 * does not run; a row that queues nothing is served; room again, served. */
static void test_dispatch_busy(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	http_fx_open(&h);
	room_ok = 0;

	request(&h, GET, "/api/v1/mine", NULL, &r);
	assert_error(&r, 401, "unauthorized");
	request(&h, GET, "/api/v1/mine", "staff:31", &r);
	assert_error(&r, 403, "forbidden");
	assert_int_equal(n_room, 0);
	request(&h, PUT, "/api/v1/mine/answers/2", "candidate", &r);
	assert_error(&r, 503, "server_busy");
	assert_string_equal(r.retry_after, "2");
	assert_int_equal(n_room, 1);
	request(&h, POST, "/api/v1/staff/banks", "staff:2", &r);
	assert_error(&r, 503, "server_busy");
	assert_int_equal(hd.n, 0);
	request(&h, GET, "/api/v1/img/x", "candidate", &r);
	assert_handled(&r, 5);
	request(&h, GET, "/api/v1/staff/banks", "staff:16", &r);
	assert_handled(&r, 7);

	room_ok = 1;
	request(&h, PUT, "/api/v1/mine/answers/2", "candidate", &r);
	assert_handled(&r, 4);
	assert_string_equal(r.retry_after, "");
	http_fx_close(&h);
}

/* issue 12: storage unavailable (room -1): a write of any method gets 503
 * storage_unavailable with Retry-After and its handler does not run; a GET
 * of a queueing row is served (reads go on); room again, served. */
static void test_dispatch_storage(void **state)
{
	(void)state;
	struct http_fx h;
	struct resp r;
	http_fx_open(&h);
	room_ok = -1;

	request(&h, PUT, "/api/v1/mine/answers/2", "candidate", &r);
	assert_error(&r, 503, "storage_unavailable");
	assert_string_equal(r.retry_after, "5");
	request(&h, POST, "/api/v1/open", NULL, &r);
	assert_error(&r, 503, "storage_unavailable");
	assert_int_equal(hd.n, 0);
	request(&h, GET, "/api/v1/mine", "candidate", &r);
	assert_handled(&r, 3);

	room_ok = 1;
	request(&h, PUT, "/api/v1/mine/answers/2", "candidate", &r);
	assert_handled(&r, 4);
	http_fx_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_table_shape),
		cmocka_unit_test(test_api_table_every_row_reachable),
		cmocka_unit_test(test_api_table_known_routes),
		cmocka_unit_test(test_api_table_allows_matrix),
		cmocka_unit_test(test_allows_staff_rows),
		cmocka_unit_test(test_find_fake),
		cmocka_unit_test(test_pattern_match),
		cmocka_unit_test(test_segment),
		cmocka_unit_test(test_find_pattern),
		cmocka_unit_test(test_dispatch_404_405),
		cmocka_unit_test(test_dispatch_anonymous),
		cmocka_unit_test(test_dispatch_candidate),
		cmocka_unit_test(test_dispatch_staff),
		cmocka_unit_test(test_dispatch_busy),
		cmocka_unit_test(test_dispatch_storage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
