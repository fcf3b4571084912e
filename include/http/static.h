/* static.h - the browser client's files from the web root. */
#ifndef UJIAN_STATIC_H
#define UJIAN_STATIC_H

#include <event2/http.h>

/* Serve the file at raw_path (URL-encoded) below web_root for GET/HEAD: a
 * directory gets its index.html, hidden and parent segments are refused.
 * Replies 404 (also when web_root is NULL) or 405. */
void http_static(const char *web_root, struct evhttp_request *req, const char *raw_path);

#endif
