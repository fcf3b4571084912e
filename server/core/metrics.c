/* metrics.c - atomic counters' histograms and the Prometheus text format
 * (include/core/metrics.h). */
#include "core/metrics.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From 0.1 ms (an fsync on a fast disk) to 10 s (a stalled disk). */
const double metrics_bucket_le[METRICS_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 1.0, 10.0,
};

void metrics_observe_us(struct metrics_histogram *h, uint64_t us)
{
	int i = 0;
	while (i < METRICS_BUCKETS && (double)us / 1e6 > metrics_bucket_le[i])
		i++;
	atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, us, memory_order_relaxed);
}

void metrics_printf(struct metrics_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	for (;;) {
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (t->buf && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
		t->buf = xrealloc(t->buf, t->cap);
	}
}

void metrics_family(struct metrics_text *t, const char *name, const char *type,
		    const char *help)
{
	metrics_printf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_histogram_text(struct metrics_text *t, const char *name, const char *labels,
			    const struct metrics_histogram *h)
{
	unsigned long long cum = 0;
	const char *sep = labels[0] ? "," : "";
	for (int i = 0; i <= METRICS_BUCKETS; i++) {
		cum += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
		if (i < METRICS_BUCKETS)
			metrics_printf(t, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
				       metrics_bucket_le[i], cum);
		else
			metrics_printf(t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, cum);
	}
	metrics_printf(t, "%s_sum%s%s%s %.6f\n", name, labels[0] ? "{" : "", labels,
		       labels[0] ? "}" : "",
		       (double)atomic_load_explicit(&h->sum_us, memory_order_relaxed) / 1e6);
	metrics_printf(t, "%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels,
		       labels[0] ? "}" : "", cum);
}

char *metrics_label(const char *v, char *out, size_t n)
{
	size_t o = 0;
	if (!n)
		return out;
	for (; *v && o + 1 < n; v++) {
		const char *esc = *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : *v == '\n' ? "\\n" : NULL;
		if (esc) {
			if (o + 2 >= n)
				break;
			out[o++] = esc[0];
			out[o++] = esc[1];
		} else {
			out[o++] = *v;
		}
	}
	out[o] = '\0';
	return out;
}

void metrics_text_free(struct metrics_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}
