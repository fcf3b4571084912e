/* api.h - the candidate API (docs/API.md): routing and handlers. */
#ifndef UJIAN_API_H
#define UJIAN_API_H

#include "app/server.h"

#include <event2/http.h>

/* Route a request whose path starts with /api/. Always replies. */
void api_dispatch(struct server *s, struct evhttp_request *req, const char *path);

#endif
