/* clock.h - wall-clock time, RFC 3339, and the exam clock arithmetic.
 *
 * All times are int64 milliseconds since the Unix epoch (UTC). The server owns
 * the exam clock: a candidate's deadline is derived only from stored values. */
#ifndef UJIAN_CLOCK_H
#define UJIAN_CLOCK_H

#include <stddef.h>
#include <jansson.h>
#include <stdint.h>

/* Current wall-clock time in ms. Tests may pin it with clock_set_fake(). */
int64_t clock_now_ms(void);
/* Pin clock_now_ms() to ms (0 = use the real clock). For unit tests only. */
void clock_set_fake(int64_t ms);

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
 * last_alive_ms is credited from its start. Returns the credit (>= 0). */
int64_t clock_outage_credit_ms(int64_t last_alive_ms, int64_t started_ms, int64_t now_ms);

#endif
