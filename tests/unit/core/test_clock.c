/* test_clock.c - RFC 3339 and exam clock arithmetic (server/clock.c). */
#include "unit.h"

#include "core/clock.h"

#include <string.h>

/* 2026-11-23T01:00:00Z in seconds since the epoch (date -u -d ... +%s). */
#define T_2026_11_23_0100Z 1795395600LL

static int64_t parse_ok(const char *s)
{
	int64_t ms = -12345;
	if (clock_parse_rfc3339(s, &ms) != 0)
		fail_msg("\"%s\" was rejected", s);
	return ms;
}

static void parse_bad(const char *s)
{
	int64_t ms = -12345;
	if (clock_parse_rfc3339(s, &ms) == 0)
		fail_msg("\"%s\" was accepted as %lld", s, (long long)ms);
}

/* A UTC time with "Z" (or "z", or a space for "T") gives the exact epoch milliseconds. */
static void test_parse_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2026-11-23T01:00:00Z"), T_2026_11_23_0100Z * 1000);
	assert_int_equal(parse_ok("2026-11-23t01:00:00z"), T_2026_11_23_0100Z * 1000);
	assert_int_equal(parse_ok("2026-11-23 01:00:00Z"), T_2026_11_23_0100Z * 1000);
	assert_int_equal(parse_ok("2024-02-29T12:00:00Z"), 1709208000LL * 1000); /* leap day */
}

/* Offsets are subtracted: 08:00+07:00 is 01:00Z, 08:00-05:30 is 13:30Z. */
static void test_parse_offsets(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-11-23T08:00:00+07:00"), T_2026_11_23_0100Z * 1000);
	assert_int_equal(parse_ok("2026-11-23T08:00:00-05:30"),
			 (T_2026_11_23_0100Z + 12 * 3600 + 30 * 60) * 1000);
	assert_int_equal(parse_ok("2026-11-23T01:00:00+00:00"), T_2026_11_23_0100Z * 1000);
	assert_int_equal(parse_ok("2026-11-23T01:00:00-00:00"), T_2026_11_23_0100Z * 1000);
	/* The same instant written in three zones. */
	assert_int_equal(parse_ok("2026-11-23T10:00:00+09:00"), parse_ok("2026-11-22T19:30:00-05:30"));
}

/* Fractions give milliseconds; digits after the third are truncated. */
static void test_parse_fractions(void **state)
{
	(void)state;
	int64_t base = T_2026_11_23_0100Z * 1000;
	assert_int_equal(parse_ok("2026-11-23T01:00:00.5Z"), base + 500);
	assert_int_equal(parse_ok("2026-11-23T01:00:00.05Z"), base + 50);
	assert_int_equal(parse_ok("2026-11-23T01:00:00.123Z"), base + 123);
	assert_int_equal(parse_ok("2026-11-23T01:00:00.1239Z"), base + 123);
	assert_int_equal(parse_ok("2026-11-23T01:00:00.123456789Z"), base + 123);
	assert_int_equal(parse_ok("2026-11-23T08:00:00.250+07:00"), base + 250);
}

/* Malformed or out-of-range inputs are rejected. */
static void test_parse_rejects(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("2026-11-23T08:00:00");        /* missing offset */
	parse_bad("2026-11-23");                 /* date only */
	parse_bad("2026-13-01T00:00:00Z");       /* month 13 */
	parse_bad("2026-00-10T00:00:00Z");       /* month 0 */
	parse_bad("2026-04-31T00:00:00Z");       /* April has 30 days */
	parse_bad("2026-01-00T00:00:00Z");       /* day 0 */
	parse_bad("2026-01-32T00:00:00Z");
	parse_bad("2026-02-29T00:00:00Z");       /* 2026 is not a leap year */
	parse_bad("2100-02-29T00:00:00Z");       /* century, not a leap year */
	parse_bad("2026-11-23T24:00:00Z");
	parse_bad("2026-11-23T23:60:00Z");
	parse_bad("2026-11-23T08:00:00+07:00x"); /* trailing garbage */
	parse_bad("2026-11-23T08:00:00Z ");
	parse_bad("2026-11-23T08:00:00+0700");   /* offset without colon */
	parse_bad("2026-11-23T08:00:00+24:00");  /* offset hour out of range */
	parse_bad("2026-11-23T08:00:00+07:60");
	parse_bad("2026-11-23T08:00:00.Z");      /* empty fraction */
	parse_bad("2026-11-23T08:00:00.1234567890Z"); /* more than 9 fraction digits */
	parse_bad("2026-11-23X08:00:00Z");
	parse_bad("2026-1-23T08:00:00Z");        /* one-digit month */
	parse_bad("26-11-23T08:00:00Z");
	parse_bad("2026-11-23T8:00:00Z");
	parse_bad("1969-12-31T23:59:59Z");       /* before the epoch */
}

/* Accepting 2000-02-29 shows the 400-year rule is applied. */
static void test_parse_leap_400(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2000-02-29T00:00:00Z"), 951782400LL * 1000);
}

/* UTC formatting writes milliseconds and "Z"; parsing the result gives the same instant. */
static void test_format_roundtrip(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(clock_format_rfc3339(T_2026_11_23_0100Z * 1000, 0, buf, sizeof buf),
			    "2026-11-23T01:00:00.000Z");
	assert_string_equal(clock_format_rfc3339(0, 0, buf, sizeof buf), "1970-01-01T00:00:00.000Z");
	const int64_t samples[] = { 1, 999, 1000, 1709208000123LL, T_2026_11_23_0100Z * 1000 + 7,
				    253402300799999LL /* 9999-12-31T23:59:59.999Z */ };
	for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
		clock_format_rfc3339(samples[i], 0, buf, sizeof buf);
		assert_int_equal(strlen(buf), 24);
		assert_int_equal(parse_ok(buf), samples[i]);
	}
	assert_string_equal(clock_format_rfc3339(253402300799999LL, 0, buf, sizeof buf),
			    "9999-12-31T23:59:59.999Z");
}

/* Local formatting also round-trips, whatever the process time zone is. */
static void test_format_local_roundtrip(void **state)
{
	(void)state;
	char buf[64];
	int64_t ms = T_2026_11_23_0100Z * 1000 + 42;
	clock_format_rfc3339(ms, 1, buf, sizeof buf);
	assert_int_equal(parse_ok(buf), ms);
}

/* The deadline adds duration and extra time in seconds plus credits in ms. */
static void test_deadline(void **state)
{
	(void)state;
	/* 1,000,000 + (6000 + 1800) * 1000 + 5000 = 8,805,000 */
	assert_int_equal(clock_deadline_ms(1000000, 6000, 1800, 5000), 8805000);
	assert_int_equal(clock_deadline_ms(1000000, 10, 0, 0), 1010000);
	/* No 32-bit overflow for real timestamps and a day plus a day of extra time. */
	assert_int_equal(clock_deadline_ms(T_2026_11_23_0100Z * 1000, 86400, 86400, 0),
			 T_2026_11_23_0100Z * 1000 + 172800000LL);
}

/* Remaining time counts down and stops at zero. */
static void test_remaining(void **state)
{
	(void)state;
	assert_int_equal(clock_remaining_ms(10000, 4000), 6000);
	assert_int_equal(clock_remaining_ms(10000, 9999), 1);
	assert_int_equal(clock_remaining_ms(10000, 10000), 0);
	assert_int_equal(clock_remaining_ms(10000, 10001), 0);
	assert_int_equal(clock_remaining_ms(10000, 99999999), 0);
}

/* Outage credit: from the last heartbeat, or from the start if the attempt
 * began later; a clock set back while down gives exactly the negative
 * difference (the attempt resumes with the time it had). */
static void test_outage_credit(void **state)
{
	(void)state;
	/* Started (500) before the last heartbeat (1000): credit now - heartbeat. */
	assert_int_equal(clock_outage_credit_ms(1000, 500, 5000), 4000);
	/* Started (2000) after the last heartbeat: credit now - started. */
	assert_int_equal(clock_outage_credit_ms(1000, 2000, 5000), 3000);
	/* Now before the heartbeat (clock stepped back while down): the
	 * deadline moves back by the step, so remaining = at the heartbeat. */
	assert_int_equal(clock_outage_credit_ms(1000, 500, 800), -200);
	assert_int_equal(clock_deadline_ms(500, 10, 0, -200) - 800,
			 clock_deadline_ms(500, 10, 0, 0) - 1000);
	/* Now before the start: nothing. */
	assert_int_equal(clock_outage_credit_ms(1000, 2000, 1500), 0);
	assert_int_equal(clock_outage_credit_ms(1000, 1000, 1000), 0);
}

/* A step is the wall clock's distance from the server's time, counted only
 * from the threshold on, either way. */
static void test_step_of(void **state)
{
	(void)state;
	assert_int_equal(clock_step_of(10000, 10999, 1000), 0);
	assert_int_equal(clock_step_of(10000, 11000, 1000), 1000);
	assert_int_equal(clock_step_of(10000, 9001, 1000), 0);
	assert_int_equal(clock_step_of(10000, 9000, 1000), -1000);
	assert_int_equal(clock_step_of(10000, 10000 + 600000, 1000), 600000);
	assert_int_equal(clock_step_of(10000, 10000 - 1200000, 1000), -1200000);
}

/* The server's time follows the monotonic clock: it never goes backwards
 * between two reads, and without a step the check finds none; a pinned fake
 * time never reports a step. */
static void test_server_time(void **state)
{
	int64_t a, b, m1, m2;
	(void)state;
	a = clock_now_ms();
	m1 = clock_mono_ms();
	assert_int_equal(clock_check_step(1000), 0);
	b = clock_now_ms();
	m2 = clock_mono_ms();
	assert_true(b >= a && m2 >= m1);
	clock_set_fake(T_2026_11_23_0100Z * 1000);
	assert_int_equal(clock_check_step(1), 0);
	assert_int_equal(clock_mono_ms(), T_2026_11_23_0100Z * 1000);
	clock_set_fake(0);
}

/* clock_set_fake pins clock_now_ms; 0 restores the real clock. */
static void test_fake_clock(void **state)
{
	(void)state;
	clock_set_fake(T_2026_11_23_0100Z * 1000);
	assert_int_equal(clock_now_ms(), T_2026_11_23_0100Z * 1000);
	assert_int_equal(clock_now_ms(), T_2026_11_23_0100Z * 1000);
	clock_set_fake(0);
	assert_true(clock_now_ms() > 1577836800000LL); /* after 2020-01-01 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_leap_400),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_format_local_roundtrip),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_remaining),
		cmocka_unit_test(test_outage_credit),
		cmocka_unit_test(test_fake_clock),
		cmocka_unit_test(test_step_of),
		cmocka_unit_test(test_server_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
