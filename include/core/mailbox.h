/* mailbox.h - handing work from other threads to the event loop.
 *
 * Any thread may post (fn, arg); fn(arg) then runs on the loop thread, in
 * posting order. Wake-ups use an eventfd watched by the loop, so posting never
 * touches libevent state from a foreign thread. */
#ifndef UJIAN_MAILBOX_H
#define UJIAN_MAILBOX_H

#include <event2/event.h>

struct mailbox;

typedef void (*mailbox_fn)(void *arg);

/* Create a mailbox served by base. Returns NULL on failure. */
struct mailbox *mailbox_new(struct event_base *base);
/* Thread-safe. fn(arg) runs later on the loop thread. */
void mailbox_post(struct mailbox *mb, mailbox_fn fn, void *arg);
/* Run everything posted so far on the calling (loop) thread. A fn that
 * posts again runs its post at the next wake-up or drain, not in this one.
 * Its length needs no cap of its own: each producer bounds what it posts
 * (the writer one mail per committed run of operations, so at most its
 * queue cap; the catalog watcher one per catalog change). */
void mailbox_drain(struct mailbox *mb);
/* Free the mailbox; posts not yet drained are dropped without running (drain
 * first when they matter). NULL is a no-op. */
void mailbox_free(struct mailbox *mb);

#endif
