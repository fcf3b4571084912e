/* routes.c - the API's route table, and how a request's credentials become a
 * principal. */
#include "api/api.h"
#include "bounds.h"
#include "exam/render.h"

#include <event2/keyvalq_struct.h>
#include <string.h>
#include <strings.h>

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define PUT EVHTTP_REQ_PUT
#define ANYONE PRINCIPAL_ANONYMOUS
#define CANDIDATE PRINCIPAL_CANDIDATE

/* method, path, match, principal, staff roles, cookie, queues, handler */
static const struct route api_rows[] = {
	{ GET, "/api/v1/health", ROUTE_EXACT, ANYONE, 0, 0, 0, api_health },
	{ GET, "/api/v1/_bench/ping", ROUTE_EXACT, ANYONE, 0, 0, 0, api_bench_ping },
	{ GET, "/api/v1/exams/open", ROUTE_EXACT, ANYONE, 0, 0, 0, api_exams_open },
	{ POST, "/api/v1/candidate/login", ROUTE_EXACT, ANYONE, 0, 0, 1, api_login },
	{ POST, "/api/v1/candidate/logout", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_logout },
	{ POST, "/api/v1/attempt/start", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_start },
	{ GET, "/api/v1/attempt", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_attempt },
	{ PUT, "/api/v1/attempt/answers/", ROUTE_PREFIX, CANDIDATE, 0, 0, 1, api_answer },
	{ PUT, "/api/v1/attempt/position", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_position },
	{ POST, "/api/v1/attempt/finish", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_finish },
	{ GET, "/api/v1/attempt/result", ROUTE_EXACT, CANDIDATE, 0, 0, 1, api_result },
	{ GET, RENDER_IMAGE_PREFIX, ROUTE_PREFIX, CANDIDATE, 0, 1, 0, api_image },
};

_Static_assert(sizeof api_rows / sizeof *api_rows <= UJ_ROUTES_MAX, "route table within bounds");

/* The presented session token: "Authorization: Bearer <t>", or where the
 * route allows it the cookie set at login. Returns its length (0 if none). */
static size_t api_presented_token(struct evhttp_request *req, int cookie_ok, const char **tok)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	const char *a = evhttp_find_header(h, "Authorization");
	if (a && strncasecmp(a, "Bearer ", 7) == 0) {
		*tok = a + 7;
		while (**tok == ' ')
			(*tok)++;
		return strcspn(*tok, " \t");
	}
	const char *ck = cookie_ok ? evhttp_find_header(h, "Cookie") : NULL;
	while (ck && *ck) {
		while (*ck == ' ' || *ck == ';')
			ck++;
		if (strncmp(ck, API_COOKIE "=", sizeof API_COOKIE) == 0) {
			*tok = ck + sizeof API_COOKIE;
			return strcspn(*tok, "; ");
		}
		ck = strchr(ck, ';');
	}
	return 0;
}

const char api_broken_detail[] = "Silakan hubungi pengawas.";

static const struct route_refusal api_unauthorized = { 401, "unauthorized", NULL };
static const struct route_refusal api_replaced = { 401, "session_replaced", NULL };
static const struct route_refusal api_broken = { 500, "internal", api_broken_detail };

static const struct route_refusal *api_authenticate(void *app, struct evhttp_request *req,
						    int cookie, struct principal *p)
{
	struct api *a = app;
	const char *tok = NULL, *refused;
	size_t len = api_presented_token(req, cookie, &tok);
	if (len == 0)
		return &api_unauthorized;
	refused = session_authenticate(a->auth, tok, len, p);
	if (refused)
		return strcmp(refused, "session_replaced") == 0 ? &api_replaced : &api_unauthorized;
	/* A candidate whose write was left out is served nothing until a
	 * restart (exam/registry.h: broken). */
	if (p->kind == PRINCIPAL_CANDIDATE && p->cand->broken)
		return &api_broken;
	return NULL;
}

static int api_room(void *app)
{
	struct api *a = app;
	return writer_room(a->x->w);
}

const struct route_table api_table = {
	api_rows, sizeof api_rows / sizeof *api_rows, api_authenticate, api_room,
};

void api_dispatch(void *app, struct evhttp_request *req, const char *path)
{
	route_dispatch(&api_table, app, req, path);
}
