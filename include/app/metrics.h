/* metrics.h - the operator's endpoints on a listen address of their own
 * (--metrics-listen; docs/OPERATIONS.md, "Metrics and health"):
 *   GET /metrics  Prometheus text format: replies by route and status class,
 *                 answers acknowledged, commit latency, writer queue,
 *                 descriptors, event streams, candidates online, attempts by
 *                 state, clock steps;
 *   GET /healthz  liveness: 200 while the event loop turns;
 *   GET /readyz   readiness: 200 when the writer commits, 503 with the reason
 *                 while it is stalled (a slow or full disk, a held lock).
 * Plain HTTP without authentication: bind it to loopback or a management
 * network. Loop thread. */
#ifndef UJIAN_APP_METRICS_H
#define UJIAN_APP_METRICS_H

#include <stddef.h>

struct server;
struct evhttp;

/* Listen on spec ("ADDR:PORT") on s's loop. Returns the evhttp (freed with
 * evhttp_free), or NULL with err. */
struct evhttp *server_metrics_start(struct server *s, const char *spec, char *err, size_t errlen);

/* The whole exposition (caller frees); for the endpoint and for tests. */
char *server_metrics_text(struct server *s, size_t *len);

#endif
