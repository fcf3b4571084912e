/* api.h - the HTTP API (docs/API.md): the route table and its handlers,
 * one file per audience (public.c, candidate.c; staff next).
 *
 * Handlers parse the request, call their domain (exam/, auth/) and reply.
 * They never write SQL, fill a writer operation or change another module's
 * state; what they may do is in the route table (routes.c). */
#ifndef UJIAN_API_H
#define UJIAN_API_H

#include "auth/session.h"
#include "exam/attempt.h"
#include "http/route.h"

#include <event2/http.h>

/* What the handlers work on (loop thread). */
struct api {
	struct exam_rt *x;
	struct auth_rt *auth;
	size_t max_body;
	int bench_route; /* serve GET /api/v1/_bench/ping (benchmarks only) */
};

/* The route table: every API route and what it needs. */
extern const struct route_table api_table;

/* httpd_dispatch_fn: route one /api/ request of app (a struct api). */
void api_dispatch(void *app, struct evhttp_request *req, const char *path);

/* Handlers (rows of api_table). */
void api_health(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_bench_ping(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_exams_open(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest);
void api_login(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_logout(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_start(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_attempt(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_answer(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_position(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest);
void api_finish(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_result(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);
void api_image(void *app, struct evhttp_request *req, const struct principal *p, const char *rest);

/* The detail of the 500 a broken candidate gets (exam/registry.h). */
extern const char api_broken_detail[];

/* The session cookie that authorizes image requests. */
#define API_COOKIE "ujian_img"

#endif
