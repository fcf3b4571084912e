/* metrics.h - counters and latency histograms that any thread may bump, and
 * the Prometheus text exposition format they are read in (docs/OPERATIONS.md,
 * "Metrics").
 *
 * Counters and histogram buckets are relaxed atomics: bumping one costs an
 * atomic add, reading a set while it changes gives each value as it was at
 * some moment (Prometheus' model). A histogram has fixed upper bounds in
 * seconds (METRICS_BUCKETS); its counts are cumulative only when written. */
#ifndef UJIAN_METRICS_H
#define UJIAN_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Upper bounds of a latency histogram's buckets, seconds (+Inf implied). */
#define METRICS_BUCKETS 12
extern const double metrics_bucket_le[METRICS_BUCKETS];

struct metrics_histogram {
	atomic_ullong bucket[METRICS_BUCKETS + 1]; /* not cumulative; last: +Inf */
	atomic_ullong count;
	atomic_ullong sum_us; /* sum of observations, microseconds */
};

/* Record one observation of us microseconds. Any thread. */
void metrics_observe_us(struct metrics_histogram *h, uint64_t us);

/* A growing text buffer for the exposition. */
struct metrics_text {
	char *buf;
	size_t len, cap;
};

/* Append printf-style text (aborts on out-of-memory). */
void metrics_printf(struct metrics_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "# HELP name help\n# TYPE name type\n" once per metric family. */
void metrics_family(struct metrics_text *t, const char *name, const char *type,
		    const char *help);
/* The lines of histogram h as family name with labels ("" or
 * `route="x"`; no braces): _bucket (cumulative, le in seconds), _sum
 * (seconds), _count. */
void metrics_histogram_text(struct metrics_text *t, const char *name, const char *labels,
			    const struct metrics_histogram *h);
/* A label value escaped for the format (backslash, quote, newline) into out
 * (n bytes, truncated). Returns out. */
char *metrics_label(const char *v, char *out, size_t n);
void metrics_text_free(struct metrics_text *t);

#endif
