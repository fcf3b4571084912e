/* public.c - routes anyone may call: health, the open exams, the benchmark
 * ping. */
#include "api/api.h"
#include "core/clock.h"
#include "core/mem.h"
#include "http/reply.h"
#include "version.h"

#include <stdlib.h>
#include <string.h>

void api_health(void *app, struct evhttp_request *req, const struct principal *p, const char *rest)
{
	(void)app;
	(void)p;
	(void)rest;
	http_reply_json(req, 200, json_pack("{s:s,s:s}", "status", "ok", "version", UJIAN_VERSION));
}

/* GET /api/v1/_bench/ping: a fixed small JSON without storage or state, for
 * measuring the raw ceiling of the event loop (only with --bench-route). */
void api_bench_ping(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	struct api *a = app;
	(void)p;
	(void)rest;
	if (!a->bench_route) {
		http_reply_error(req, 404, "not_found", NULL);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:b,s:s}", "pong", 1, "version", UJIAN_VERSION));
}

static int api_cmp_exam(const void *x, const void *y)
{
	return strcmp((*(struct rt_exam *const *)x)->def.code, (*(struct rt_exam *const *)y)->def.code);
}

void api_exams_open(void *app, struct evhttp_request *req, const struct principal *p,
		    const char *rest)
{
	struct api *a = app;
	const struct registry *reg = &a->x->reg;
	int64_t now = clock_now_ms();
	size_t it = 0, n = 0;
	struct rt_exam *e, **list = xmalloc((reg->exams.len + 1) * sizeof *list);
	json_t *arr = json_array();
	(void)p;
	(void)rest;
	while ((e = hmap_next(&reg->exams, &it)))
		if (attempt_exam_open(e, now))
			list[n++] = e;
	qsort(list, n, sizeof *list, api_cmp_exam);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:b}", "code", list[i]->def.code,
						     "title", list[i]->def.title, "duration_s",
						     list[i]->def.duration_s, "token_required",
						     list[i]->def.token[0] != '\0'));
	free(list);
	http_reply_json(req, 200, arr);
}
