/* mailbox.c - mutex-protected FIFO plus eventfd wake-up for the loop. */
#include "core/mailbox.h"
#include "core/mem.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct mail {
	mailbox_fn fn;
	void *arg;
	struct mail *next;
};

struct mailbox {
	pthread_mutex_t lock;
	struct mail *head, *tail;
	int fd;
	struct event *ev;
};

static void mailbox_on_wake(evutil_socket_t fd, short what, void *arg)
{
	uint64_t n;
	(void)what;
	while (read(fd, &n, sizeof n) < 0 && errno == EINTR)
		;
	mailbox_drain(arg);
}

struct mailbox *mailbox_new(struct event_base *base)
{
	struct mailbox *mb = xcalloc(1, sizeof *mb);
	pthread_mutex_init(&mb->lock, NULL);
	mb->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (mb->fd < 0)
		goto fail;
	mb->ev = event_new(base, mb->fd, EV_READ | EV_PERSIST, mailbox_on_wake, mb);
	if (!mb->ev || event_add(mb->ev, NULL) != 0)
		goto fail;
	return mb;
fail:
	mailbox_free(mb);
	return NULL;
}

void mailbox_post(struct mailbox *mb, mailbox_fn fn, void *arg)
{
	struct mail *m = xmalloc(sizeof *m);
	uint64_t one = 1;
	m->fn = fn;
	m->arg = arg;
	m->next = NULL;
	pthread_mutex_lock(&mb->lock);
	if (mb->tail)
		mb->tail->next = m;
	else
		mb->head = m;
	mb->tail = m;
	pthread_mutex_unlock(&mb->lock);
	while (write(mb->fd, &one, sizeof one) < 0 && errno == EINTR)
		;
}

void mailbox_drain(struct mailbox *mb)
{
	struct mail *m;
	pthread_mutex_lock(&mb->lock);
	m = mb->head;
	mb->head = mb->tail = NULL;
	pthread_mutex_unlock(&mb->lock);
	while (m) {
		struct mail *next = m->next;
		m->fn(m->arg);
		free(m);
		m = next;
	}
}

void mailbox_free(struct mailbox *mb)
{
	if (!mb)
		return;
	/* Posts never drained are dropped (their fns do not run); the owner
	 * drains first when they matter (app/server.c does). */
	while (mb->head) {
		struct mail *next = mb->head->next;
		free(mb->head);
		mb->head = next;
	}
	if (mb->ev)
		event_free(mb->ev);
	if (mb->fd >= 0)
		close(mb->fd);
	pthread_mutex_destroy(&mb->lock);
	free(mb);
}
