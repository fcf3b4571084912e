/* bench_stats.c - latency histograms, the error table, the per-second series,
 * their transfer from workers to the parent, and their JSON and table forms. */
#include "bench.h"
#include "core/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const bench_op_names[BOP_N] = { "login", "start", "answer", "read",
					    "resync", "finish", "poll", "dashboard", "ping" };

void stats_init(struct bench_stats *st, uint32_t nsec)
{
	memset(st, 0, sizeof *st);
	st->nsec = nsec;
	st->per_sec = xcalloc(nsec ? nsec : 1, sizeof *st->per_sec);
}

void stats_free(struct bench_stats *st)
{
	free(st->per_sec);
	st->per_sec = NULL;
	st->nsec = 0;
}

static int hist_index(uint64_t us)
{
	if (us < (uint64_t)HIST_BASE_US)
		return 0;
	double i = floor(log((double)us / HIST_BASE_US) / log(HIST_RATIO)) + 1;
	return i >= HIST_BUCKETS - 1 ? HIST_BUCKETS - 1 : (int)i;
}

void hist_add(struct bench_hist *h, uint64_t us)
{
	h->count++;
	h->sum_us += us;
	if (us > h->max_us)
		h->max_us = us;
	h->b[hist_index(us)]++;
}

/* The value a bucket stands for: its geometric middle; the first bucket
 * (< 10 us) is reported as 5 us, the last as the maximum seen. */
static double hist_bucket_value(const struct bench_hist *h, int i)
{
	if (i == 0)
		return HIST_BASE_US / 2;
	if (i == HIST_BUCKETS - 1)
		return (double)h->max_us;
	return HIST_BASE_US * pow(HIST_RATIO, i - 1) * sqrt(HIST_RATIO);
}

double hist_quantile_us(const struct bench_hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			double v = hist_bucket_value(h, i);
			return v > (double)h->max_us ? (double)h->max_us : v;
		}
	}
	return (double)h->max_us;
}

static struct bench_err *stats_find_err(struct bench_stats *st, int op, int status,
					const char *code)
{
	for (int i = 0; i < st->n_err; i++) {
		struct bench_err *e = &st->err[i];
		if (e->op == op && e->status == status && strcmp(e->code, code) == 0)
			return e;
	}
	if (st->n_err == BENCH_ERR_KINDS_MAX)
		return NULL;
	struct bench_err *e = &st->err[st->n_err++];
	e->op = op;
	e->status = status;
	str_copy(e->code, sizeof e->code, code);
	e->count = 0;
	return e;
}

void stats_error(struct bench_stats *st, enum bench_op op, int status, const char *code)
{
	char clean[BENCH_ERR_CODE_MAX + 1];
	size_t n = 0;

	/* Codes come from the server; keep them printable and short. */
	for (const char *p = code ? code : "-"; *p && n + 1 < sizeof clean; p++) {
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
		clean[n++] = ok ? *p : '?';
	}
	clean[n] = '\0';
	if (n == 0)
		str_copy(clean, sizeof clean, "-");
	struct bench_err *e = stats_find_err(st, op, status, clean);
	if (e)
		e->count++;
	else
		st->err_overflow++;
}

void stats_tick(struct bench_stats *st, int64_t us)
{
	int64_t s = us < 0 ? 0 : us / 1000000;
	if (st->nsec == 0)
		return;
	if (s >= st->nsec)
		s = st->nsec - 1;
	st->per_sec[s]++;
}

static void hist_merge(struct bench_hist *a, const struct bench_hist *b)
{
	a->count += b->count;
	a->sum_us += b->sum_us;
	if (b->max_us > a->max_us)
		a->max_us = b->max_us;
	for (int i = 0; i < HIST_BUCKETS; i++)
		a->b[i] += b->b[i];
}

void stats_merge(struct bench_stats *into, const struct bench_stats *from)
{
	for (int o = 0; o < BOP_N; o++)
		hist_merge(&into->ops[o], &from->ops[o]);
	hist_merge(&into->lag, &from->lag);
	into->polls_skipped += from->polls_skipped;
	into->polls_paused += from->polls_paused;
	into->dash_rows += from->dash_rows;
	into->dash_events += from->dash_events;
	into->dash_snapshots += from->dash_snapshots;
	into->dash_streams += from->dash_streams;
	into->dash_reconnects += from->dash_reconnects;
	into->dash_unknown += from->dash_unknown;
	into->dash_early += from->dash_early;
	into->dash_unseen += from->dash_unseen;
	into->dash_bytes += from->dash_bytes;
	for (int i = 0; i < from->n_err; i++) {
		const struct bench_err *f = &from->err[i];
		struct bench_err *e = stats_find_err(into, f->op, f->status, f->code);
		if (e)
			e->count += f->count;
		else
			into->err_overflow += f->count;
	}
	into->err_overflow += from->err_overflow;
	into->replies += from->replies;
	into->acked += from->acked;
	into->started += from->started;
	if (from->start_last_us > into->start_last_us)
		into->start_last_us = from->start_last_us;
	into->logins += from->logins;
	into->relogins += from->relogins;
	into->retries += from->retries;
	into->lost_acks += from->lost_acks;
	into->submitted += from->submitted;
	into->time_up += from->time_up;
	into->stopped += from->stopped;
	into->failed += from->failed;
	into->cut_off += from->cut_off;
	into->already_finished += from->already_finished;
	if (from->stop > into->stop)
		into->stop = from->stop;
	for (uint32_t s = 0; s < into->nsec && s < from->nsec; s++)
		into->per_sec[s] += from->per_sec[s];
}

static int stats_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int stats_read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int stats_write(int fd, const struct bench_stats *st)
{
	if (stats_write_all(fd, st, sizeof *st))
		return -1;
	return stats_write_all(fd, st->per_sec, (size_t)st->nsec * sizeof *st->per_sec);
}

int stats_read(int fd, struct bench_stats *st)
{
	memset(st, 0, sizeof *st);
	if (stats_read_all(fd, st, sizeof *st))
		goto fail;
	if (st->nsec > BENCH_SECONDS_MAX + 2 || st->n_err < 0 || st->n_err > BENCH_ERR_KINDS_MAX)
		goto fail;
	st->per_sec = xcalloc(st->nsec ? st->nsec : 1, sizeof *st->per_sec);
	if (stats_read_all(fd, st->per_sec, (size_t)st->nsec * sizeof *st->per_sec))
		goto fail;
	for (int i = 0; i < st->n_err; i++)
		st->err[i].code[BENCH_ERR_CODE_MAX] = '\0';
	return 0;
fail:
	free(st->per_sec);
	memset(st, 0, sizeof *st);
	return -1;
}

/* Microseconds as milliseconds rounded to the microsecond. */
static json_t *stats_ms(double us)
{
	return json_real(round(us) / 1000.0);
}

json_t *stats_hist_json(const struct bench_hist *h)
{
	json_t *j = json_object();
	json_object_set_new(j, "count", json_integer((json_int_t)h->count));
	json_object_set_new(j, "p50_ms", stats_ms(hist_quantile_us(h, 0.50)));
	json_object_set_new(j, "p95_ms", stats_ms(hist_quantile_us(h, 0.95)));
	json_object_set_new(j, "p99_ms", stats_ms(hist_quantile_us(h, 0.99)));
	json_object_set_new(j, "max_ms", stats_ms((double)h->max_us));
	json_object_set_new(j, "mean_ms",
			    stats_ms(h->count ? (double)h->sum_us / (double)h->count : 0));
	return j;
}

json_t *stats_ops_json(const struct bench_stats *st, enum bench_op first, enum bench_op last)
{
	json_t *ops = json_object();
	for (int o = first; o <= (int)last; o++)
		json_object_set_new(ops, bench_op_names[o], stats_hist_json(&st->ops[o]));
	return ops;
}

static int stats_cmp_err(const void *a, const void *b)
{
	const struct bench_err *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->op != y->op)
		return x->op - y->op;
	if (x->status != y->status)
		return x->status - y->status;
	return strcmp(x->code, y->code);
}

/* The error kinds sorted by count; caller frees. */
static struct bench_err *stats_sorted_errs(const struct bench_stats *st)
{
	struct bench_err *v = xmalloc(((size_t)st->n_err + 1) * sizeof *v);
	memcpy(v, st->err, (size_t)st->n_err * sizeof *v);
	qsort(v, (size_t)st->n_err, sizeof *v, stats_cmp_err);
	return v;
}

json_t *stats_errors_json(const struct bench_stats *st)
{
	json_t *arr = json_array();
	struct bench_err *v = stats_sorted_errs(st);
	for (int i = 0; i < st->n_err; i++)
		json_array_append_new(arr, json_pack("{s:s,s:i,s:s,s:I}", "op",
						     bench_op_names[v[i].op], "status", v[i].status,
						     "code", v[i].code, "count",
						     (json_int_t)v[i].count));
	if (st->err_overflow)
		json_array_append_new(arr, json_pack("{s:s,s:i,s:s,s:I}", "op", "-", "status", 0,
						     "code", "other", "count",
						     (json_int_t)st->err_overflow));
	free(v);
	return arr;
}

uint32_t stats_peak(const struct bench_stats *st)
{
	uint32_t peak = 0;
	for (uint32_t s = 0; s < st->nsec; s++)
		if (st->per_sec[s] > peak)
			peak = st->per_sec[s];
	return peak;
}

void stats_print_table(const struct bench_stats *st, enum bench_op first, enum bench_op last,
		       FILE *f)
{
	fprintf(f, "%-8s %10s %10s %10s %10s %10s\n", "op", "count", "p50 ms", "p95 ms", "p99 ms",
		"max ms");
	for (int o = first; o <= (int)last; o++) {
		const struct bench_hist *h = &st->ops[o];
		fprintf(f, "%-8s %10llu %10.3f %10.3f %10.3f %10.3f\n", bench_op_names[o],
			(unsigned long long)h->count, hist_quantile_us(h, 0.50) / 1000.0,
			hist_quantile_us(h, 0.95) / 1000.0, hist_quantile_us(h, 0.99) / 1000.0,
			(double)h->max_us / 1000.0);
	}
	if (st->n_err == 0 && st->err_overflow == 0) {
		fprintf(f, "errors: none\n");
		return;
	}
	fprintf(f, "errors:\n");
	struct bench_err *v = stats_sorted_errs(st);
	for (int i = 0; i < st->n_err; i++)
		fprintf(f, "  %-8s %3d %-24s %10llu\n", bench_op_names[v[i].op], v[i].status,
			v[i].code, (unsigned long long)v[i].count);
	if (st->err_overflow)
		fprintf(f, "  (other kinds)                     %10llu\n",
			(unsigned long long)st->err_overflow);
	free(v);
}
