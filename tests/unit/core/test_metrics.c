/* test_metrics.c - histogram buckets and the text format (server/core/metrics.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/metrics.h"

#include <string.h>

/* Observations land in the first bucket whose bound they do not exceed; the
 * text is cumulative, ends with +Inf = count, and the sum is in seconds. */
static void test_histogram(void **state)
{
	static struct metrics_histogram h;
	struct metrics_text t = { 0 };
	(void)state;
	metrics_observe_us(&h, 50);       /* <= 0.0001 */
	metrics_observe_us(&h, 100);      /* exactly 0.0001: same bucket */
	metrics_observe_us(&h, 101);      /* <= 0.00025 */
	metrics_observe_us(&h, 3000000);  /* <= 10 */
	metrics_observe_us(&h, 20000000); /* +Inf */
	assert_int_equal(h.bucket[0], 2);
	assert_int_equal(h.bucket[1], 1);
	assert_int_equal(h.bucket[METRICS_BUCKETS - 1], 1);
	assert_int_equal(h.bucket[METRICS_BUCKETS], 1);
	metrics_histogram_text(&t, "x_seconds", "", &h);
	assert_non_null(strstr(t.buf, "x_seconds_bucket{le=\"0.0001\"} 2\n"));
	assert_non_null(strstr(t.buf, "x_seconds_bucket{le=\"0.00025\"} 3\n"));
	assert_non_null(strstr(t.buf, "x_seconds_bucket{le=\"1\"} 3\n"));
	assert_non_null(strstr(t.buf, "x_seconds_bucket{le=\"10\"} 4\n"));
	assert_non_null(strstr(t.buf, "x_seconds_bucket{le=\"+Inf\"} 5\n"));
	assert_non_null(strstr(t.buf, "x_seconds_sum 23.000251\n"));
	assert_non_null(strstr(t.buf, "x_seconds_count 5\n"));
	metrics_text_free(&t);
	metrics_histogram_text(&t, "y", "route=\"a\"", &h);
	assert_non_null(strstr(t.buf, "y_bucket{route=\"a\",le=\"+Inf\"} 5\n"));
	assert_non_null(strstr(t.buf, "y_count{route=\"a\"} 5\n"));
	metrics_text_free(&t);
}

/* Label values escape backslash, quote and newline, and are cut to fit. */
static void test_label(void **state)
{
	char out[16];
	(void)state;
	assert_string_equal(metrics_label("a\"b\\c\nd", out, sizeof out), "a\\\"b\\\\c\\nd");
	assert_string_equal(metrics_label("0123456789abcdefgh", out, sizeof out), "0123456789abcde");
	assert_string_equal(metrics_label("abcdefghijklm\"", out, 15), "abcdefghijklm");
}

/* The text grows past its first allocation without losing anything. */
static void test_text_grows(void **state)
{
	struct metrics_text t = { 0 };
	(void)state;
	for (int i = 0; i < 2000; i++)
		metrics_printf(&t, "line_%04d %d\n", i, i);
	/* 11 fixed characters a line, plus the digits of 0..1999:
	 * 10 x 1 + 90 x 2 + 900 x 3 + 1000 x 4 = 6890 */
	assert_int_equal(t.len, 2000 * 11 + 6890);
	assert_non_null(strstr(t.buf, "line_1999 1999\n"));
	metrics_family(&t, "n", "gauge", "help text");
	assert_non_null(strstr(t.buf, "# HELP n help text\n# TYPE n gauge\n"));
	metrics_text_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_text_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
