/* clock.h - wall-clock time, RFC 3339, and the exam clock arithmetic.
 *
 * All times are int64 milliseconds since the Unix epoch (UTC). The server owns
 * the exam clock: a candidate's deadline is derived only from stored values. */
#ifndef UJIAN_CLOCK_H
#define UJIAN_CLOCK_H

#include <pthread.h>
#include <stddef.h>
#include <jansson.h>
#include <stdint.h>
#include <time.h>

/* The server's time in ms since the epoch: the wall clock at the first call,
 * carried forward by CLOCK_MONOTONIC, so a step of the system clock does not
 * move it until clock_check_step accepts the step. Any thread. Tests may pin
 * it with clock_set_fake(). */
int64_t clock_now_ms(void);
/* Monotonic milliseconds (arbitrary origin) for intervals that must never
 * jump: rate-limit windows. Pinned by clock_set_fake() too. Any thread. */
int64_t clock_mono_ms(void);
/* CLOCK_MONOTONIC in microseconds (never faked): measuring durations. */
int64_t clock_mono_us(void);
/* Pin clock_now_ms() and clock_mono_ms() to ms (0 = the real clocks). For
 * unit tests only. */
void clock_set_fake(int64_t ms);

/* Initialise cond so that its timed waits measure on CLOCK_MONOTONIC (a
 * wall-clock step neither stretches nor cuts a wait); pair with
 * clock_wait_until. Aborts on failure. */
void clock_cond_init(pthread_cond_t *cond);
/* The CLOCK_MONOTONIC instant ms from now, for pthread_cond_timedwait on a
 * cond made by clock_cond_init. */
struct timespec clock_wait_until(int64_t ms);

/* The step between the server's time and the system's wall clock (wall -
 * server, ms) if it is at least threshold_ms either way, else 0. Pure. */
int64_t clock_step_of(int64_t server_ms, int64_t wall_ms, int64_t threshold_ms);
/* Compare the server's time with the system's wall clock now; if they differ
 * by threshold_ms or more, move the server's time to the wall clock and
 * return the step (positive: the clock jumped forward). 0 when none (and
 * always 0 while a fake time is pinned). One caller (the loop's tick). */
int64_t clock_check_step(int64_t threshold_ms);

/* Format ms as RFC 3339 into buf: UTC with "Z" when local is 0, else with the
 * local UTC offset (e.g. +07:00). Milliseconds are always written. Returns buf. */
char *clock_format_rfc3339(int64_t ms, int local, char *buf, size_t n);

/* ms as an RFC 3339 UTC JSON string, or JSON null for 0 (never / none). */
json_t *clock_json(int64_t ms);

/* Parse an RFC 3339 date-time ("2026-11-23T08:00:00+07:00", fraction optional,
 * "Z" or an offset required). Returns 0 and sets *ms, or -1 when s is not
 * exactly such a time or is out of range. */
int clock_parse_rfc3339(const char *s, int64_t *ms);

/* Deadline of an attempt: started + (duration + extra) seconds + credits. */
int64_t clock_deadline_ms(int64_t started_ms, int duration_s, int extra_s, int64_t credit_ms);

/* Milliseconds left until deadline at time now; never negative. */
int64_t clock_remaining_ms(int64_t deadline_ms, int64_t now_ms);

/* Outage credit for an attempt after a restart: the server was last known
 * alive at last_alive_ms and is back at now_ms. An attempt that started after
 * last_alive_ms is credited from its start. A clock set back while the server
 * was down (now_ms < last_alive_ms) gives a negative credit of exactly that
 * difference, so the attempt resumes with the time it had at the last
 * heartbeat: neither lost nor gained. Returns the credit. */
int64_t clock_outage_credit_ms(int64_t last_alive_ms, int64_t started_ms, int64_t now_ms);

#endif
