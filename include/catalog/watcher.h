/* watcher.h - picks up exams and candidates added while the server runs.
 *
 * A thread with its own database connection polls meta.catalog_version every
 * cfg.catalog_poll_ms; when it changed, it loads the new exams and candidates
 * (with their papers) off the loop and posts them to the loop for merging. */
#ifndef UJIAN_WATCHER_H
#define UJIAN_WATCHER_H

#include "app/server.h"

struct watcher *watcher_start(struct server *s, char *err, size_t errlen);
void watcher_stop(struct watcher *w);

#endif
