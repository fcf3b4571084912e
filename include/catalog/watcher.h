/* watcher.h - picks up exams and candidates added while the server runs.
 *
 * A thread with its own database connection polls meta.catalog_version every
 * poll_ms; when it changed, it loads the new exams and candidates (with
 * their papers) off the loop through the loader (which only this thread
 * uses once the server runs) and posts them to mb, where they are merged
 * into reg on the loop thread. */
#ifndef UJIAN_WATCHER_H
#define UJIAN_WATCHER_H

#include "catalog/loader.h"
#include "core/mailbox.h"

#include <stdint.h>

struct watcher;

/* Start the thread. Returns NULL with err. */
struct watcher *watcher_start(const char *db_path, int poll_ms, struct loader *L,
			      struct registry *reg, struct mailbox *mb, char *err, size_t errlen);
/* After the reload: ok = 0 if it failed (RAM unchanged). Loop thread. */
typedef void (*watcher_reload_fn)(void *arg, int ok);
/* Ask the thread to reload exam_id (definition and every loaded candidate's
 * paper, after a staff edit redrew them) and put it into the registry on
 * the loop, then fn(arg, ok) there. Any thread. */
void watcher_reload(struct watcher *w, int64_t exam_id, watcher_reload_fn fn, void *arg);
/* Ask the thread to load what changed in the catalog now (as its poll
 * does: new exams and candidates, every sitting and assignment), merge it on
 * the loop, then fn(arg, 1) there; fn(arg, 0) if the watcher stops first.
 * For a staff change of the catalog (sittings) whose reply must follow RAM.
 * Any thread. */
void watcher_sync(struct watcher *w, watcher_reload_fn fn, void *arg);
/* Stop and join the thread (NULL: nothing). */
void watcher_stop(struct watcher *w);

#endif
