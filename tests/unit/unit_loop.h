/* unit_loop.h - waiting for conditions in unit tests that run an event loop
 * (mailbox, writer, attempts, routes). Never a fixed sleep: run the loop
 * until the condition holds, with a generous deadline, so a busy machine
 * slows a test down but does not fail it. */
#ifndef UJIAN_UNIT_LOOP_H
#define UJIAN_UNIT_LOOP_H

#include "unit.h"

#include <event2/event.h>
#include <time.h>

#define UNIT_DEADLINE_MS 60000 /* generous: the work itself takes milliseconds */

/* Monotonic milliseconds. */
static inline int64_t unit_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void unit_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

/* A persistent do-nothing timer every usec: EVLOOP_ONCE returns now and
 * then, so a wake-up that never comes shows as a failed deadline, not a
 * hang. It does nothing else (it never drains a mailbox). */
static inline struct event *unit_add_tick(struct event_base *base, long usec)
{
	struct timeval tv = { usec / 1000000, usec % 1000000 };
	struct event *ev = event_new(base, -1, EV_PERSIST, unit_tick_cb, NULL);
	assert_non_null(ev);
	assert_int_equal(event_add(ev, &tv), 0);
	return ev;
}

/* Run base until expr holds or UNIT_DEADLINE_MS have passed. */
#define UNIT_WAIT_FOR(base, expr)                                              \
	do {                                                                   \
		int64_t dl_ = unit_mono_ms() + UNIT_DEADLINE_MS;               \
		while (!(expr) && unit_mono_ms() < dl_)                        \
			assert_true(event_base_loop((base), EVLOOP_ONCE) >= 0); \
	} while (0)

#endif
