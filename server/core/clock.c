/* clock.c - the server clock (wall time carried by a monotonic clock, with
 * step detection), RFC 3339 formatting/parsing, deadline arithmetic. */
#include "core/clock.h"

#include <assert.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The server's time is the wall clock as it was when the process first
 * asked, carried forward by CLOCK_MONOTONIC: wall = monotonic + offset. A
 * step of the system's wall clock (a technician, NTP stepping, a resume
 * from suspend) changes nothing here until clock_check_step sees it and
 * moves the offset, and its caller then keeps every running attempt's
 * remaining time. CLOCK_MONOTONIC rather than CLOCK_BOOTTIME: time the
 * machine spent suspended is time no candidate could use, so it must show up
 * as a step (and be credited), not pass silently. */
static _Atomic int64_t clock_fake_ms;
static _Atomic int64_t clock_offset_ms; /* 0: not yet set */

static int64_t clock_read(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(void)
{
	int64_t fake = atomic_load(&clock_fake_ms);
	return fake ? fake : clock_read(CLOCK_MONOTONIC);
}

int64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_now_ms(void)
{
	int64_t fake = atomic_load(&clock_fake_ms), off, want;
	if (fake)
		return fake;
	off = atomic_load(&clock_offset_ms);
	if (off == 0) {
		/* First call: anchor to the wall clock (the first caller wins). */
		want = clock_read(CLOCK_REALTIME) - clock_read(CLOCK_MONOTONIC);
		if (want == 0)
			want = 1;
		if (!atomic_compare_exchange_strong(&clock_offset_ms, &off, want))
			assert(off != 0); /* another thread anchored it first */
		else
			off = want;
	}
	return clock_read(CLOCK_MONOTONIC) + off;
}

int64_t clock_step_of(int64_t server_ms, int64_t wall_ms, int64_t threshold_ms)
{
	int64_t d = wall_ms - server_ms;
	assert(threshold_ms > 0);
	return d >= threshold_ms || d <= -threshold_ms ? d : 0;
}

int64_t clock_check_step(int64_t threshold_ms)
{
	int64_t server, wall, step;
	if (atomic_load(&clock_fake_ms))
		return 0;
	server = clock_now_ms();
	wall = clock_read(CLOCK_REALTIME);
	step = clock_step_of(server, wall, threshold_ms);
	if (step)
		atomic_fetch_add(&clock_offset_ms, step);
	return step;
}

void clock_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) || pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
	    pthread_cond_init(cond, &attr))
		abort();
	pthread_condattr_destroy(&attr);
}

struct timespec clock_wait_until(int64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

void clock_set_fake(int64_t ms)
{
	atomic_store(&clock_fake_ms, ms);
}

char *clock_format_rfc3339(int64_t ms, int local, char *buf, size_t n)
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)secs * 1000);
	struct tm tm;

	if (local)
		localtime_r(&secs, &tm);
	else
		gmtime_r(&secs, &tm);
	if (!local || tm.tm_gmtoff == 0) {
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	} else {
		long off = tm.tm_gmtoff / 60;
		char sign = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, frac, sign, off / 60, off % 60);
	}
	return buf;
}

/* Read exactly `len` digits from *p into *out; advance *p. */
static int clock_digits(const char **p, int len, int *out)
{
	int v = 0;
	for (int i = 0; i < len; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += len;
	*out = v;
	return 0;
}

static int clock_expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

int clock_parse_rfc3339(const char *s, int64_t *ms)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 0;
	struct tm tm;

	if (clock_digits(&p, 4, &y) || clock_expect(&p, '-') || clock_digits(&p, 2, &mo) ||
	    clock_expect(&p, '-') || clock_digits(&p, 2, &d))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (clock_digits(&p, 2, &h) || clock_expect(&p, ':') || clock_digits(&p, 2, &mi) ||
	    clock_expect(&p, ':') || clock_digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		int scale = 100, nd = 0;
		p++;
		while (isdigit((unsigned char)*p)) {
			if (nd < 3)
				frac += (*p - '0') * scale;
			scale /= 10;
			nd++;
			p++;
		}
		if (nd == 0 || nd > 9)
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		if (clock_digits(&p, 2, &oh) || clock_expect(&p, ':') || clock_digits(&p, 2, &om))
			return -1;
		if (oh > 23 || om > 59)
			return -1;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec == 60 ? 59 : sec;
	time_t t = timegm(&tm);
	*ms = ((int64_t)t - (int64_t)sign * (oh * 3600 + om * 60)) * 1000 + frac;
	return 0;
}

int64_t clock_deadline_ms(int64_t started_ms, int duration_s, int extra_s, int64_t credit_ms)
{
	return started_ms + ((int64_t)duration_s + extra_s) * 1000 + credit_ms;
}

int64_t clock_remaining_ms(int64_t deadline_ms, int64_t now_ms)
{
	return deadline_ms > now_ms ? deadline_ms - now_ms : 0;
}

int64_t clock_outage_credit_ms(int64_t last_alive_ms, int64_t started_ms, int64_t now_ms)
{
	int64_t from = started_ms > last_alive_ms ? started_ms : last_alive_ms;
	if (now_ms < last_alive_ms)
		return now_ms - last_alive_ms; /* set back while down: neutralised */
	return now_ms > from ? now_ms - from : 0;
}

json_t *clock_json(int64_t ms)
{
	char buf[40];
	return ms ? json_string(clock_format_rfc3339(ms, 0, buf, sizeof buf)) : json_null();
}
