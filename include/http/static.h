/* static.h - the browser client's files from the web root.
 *
 * The web root is opened once (a directory descriptor) and every file is
 * opened beneath it with openat2(RESOLVE_BENEATH): a path or a symbolic link
 * that would lead outside the web root is not followed, so nothing outside
 * it can be served. Relative links that stay inside are followed; absolute
 * links are not (RESOLVE_BENEATH refuses them wherever they point). */
#ifndef UJIAN_STATIC_H
#define UJIAN_STATIC_H

#include <event2/http.h>

/* The web root as a directory descriptor (O_PATH), or -1 (NULL, or it
 * cannot be opened). */
int http_web_root_open(const char *web_root);
/* Serve the file at raw_path (URL-encoded) beneath root_fd for GET/HEAD: a
 * directory gets its index.html, hidden and parent segments are refused.
 * Replies 404 (also when root_fd is -1) or 405. */
void http_static(int root_fd, struct evhttp_request *req, const char *raw_path);

#endif
