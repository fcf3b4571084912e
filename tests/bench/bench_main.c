/* bench_main.c - the ujian-bench command line: check everything, prepare,
 * run the workers, write the summary.
 *
 * Exit status: 0 when the run went to its end (server errors are reported
 * in the summary, not in the status; so is a stop at --max-seconds), 1 on a
 * setup failure or an interrupted run, 2 on a usage error. */
#include "bench.h"
#include "core/log.h"
#include "core/mem.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char bench_usage[] =
	"ujian-bench - load generator for the Ujian exam server (loopback only)\n"
	"\n"
	"usage:\n"
	"  ujian-bench run --url http://127.0.0.1:PORT --exam CODE --candidates FILE.csv [options]\n"
	"      (https://127.0.0.1:PORT speaks TLS to 'ujian serve --tls-cert': one SSL\n"
	"      object and a full handshake per connection, certificate not verified;\n"
	"      the same for ping)\n"
	"      N simulated candidates take the whole exam through the candidate API like\n"
	"      browsers: log in during the login window, start, answer every question\n"
	"      in order with think times, change some answers, reload sometimes, and\n"
	"      finish (or stop and let the server finish them at the deadline).\n"
	"      FILE.csv is the registration_no,name,password CSV that\n"
	"      'ujian candidates import' prints.\n"
	"\n"
	"      --count N            use the first N candidates of the file (default: all)\n"
	"      --workers W          worker processes, 1-256 (default: enough for <= 6000\n"
	"                           candidates each)\n"
	"      --source-addrs K     bind connections to 127.0.0.2 ... 127.0.0.(K+1),\n"
	"                           round-robin by worker, 1-250 (default: N/20000 + 1,\n"
	"                           rounded up)\n"
	"      --window S           login window: each candidate logs in at a uniform\n"
	"                           time in [0, S) seconds (default 60)\n"
	"      --think-mean MS      mean think time before each answer; exponential,\n"
	"                           capped at 5x the mean (default: the exam's\n"
	"                           duration_s * 1000 / items, from the login reply)\n"
	"      --change-share P     share of questions answered a second time with\n"
	"                           another option (default 0.1)\n"
	"      --flag-share P       share of answers sent flagged (default 0.05)\n"
	"      --read-share P       chance of a full GET /api/v1/attempt (a reload)\n"
	"                           after an answer (default 0.02)\n"
	"      --submit-share P     share of candidates who POST finish after their last\n"
	"                           answer (default 0.7)\n"
	"      --max-seconds S      hard stop for the whole run (default: window +\n"
	"                           the exam's duration + 120, read from\n"
	"                           GET /api/v1/exams/open; required when the exam\n"
	"                           is not open for logins)\n"
	"      --acks DIR           ack logs DIR/acks-W.log, one line per acknowledged\n"
	"                           answer: registration_no n rev option (default\n"
	"                           ./bench-acks; old acks-*.log there are removed)\n"
	"      --out FILE           summary JSON (default: standard output)\n"
	"      --seed X             seed for think times and choices, 0-2^63-1\n"
	"                           (default: from the clock; printed in the summary)\n"
	"      --timeout S          request timeout in seconds, 1-3600 (default 30)\n"
	"      --start-at S         everyone presses Start together S seconds into the\n"
	"                           run (after logging in during the window), as when\n"
	"                           a proctor opens the sitting: one start burst and a\n"
	"                           shared deadline (default: start right after login)\n"
	"      --poll-ms N          once started, each candidate also sends\n"
	"                           GET /api/v1/attempt?view=clock every N ms (+-10%%\n"
	"                           jitter), as the exam page's light poll does, on a\n"
	"                           connection of its own pool (at most 2 per\n"
	"                           candidate), never delaying an answer; counted as\n"
	"                           op \"poll\" (default 0: no poll)\n"
	"      --dashboards N       N live proctor dashboards, one SSE stream per sitting\n"
	"                           (GET /api/v1/staff/sittings/ID/events), in one more\n"
	"                           process: the lag from each answer's acknowledgement\n"
	"                           to the arrival of a row for its candidate\n"
	"                           (p50/p99/max), rows received (default 0)\n"
	"      --dashboard-staff USER:PASSWORD\n"
	"                           staff account the dashboards log in with\n"
	"                           (POST /api/v1/staff/login, Bearer token)\n"
	"      --dashboard-token T  or a staff Bearer token already issued\n"
	"      --dashboard-sittings ID,ID,...\n"
	"                           the sittings to watch (default: the first N open\n"
	"                           sittings of --exam in GET /api/v1/staff/sittings)\n"
	"\n"
	"  ujian-bench ping --url http://127.0.0.1:PORT[/PATH] --conns C --seconds S [options]\n"
	"      C keep-alive connections each send GET PATH back to back for S seconds:\n"
	"      the raw ceiling of the server's event loop. PATH defaults to\n"
	"      /api/v1/_bench/ping (served by 'ujian serve --bench-route').\n"
	"      --workers W, --source-addrs K, --out FILE, --timeout S as above;\n"
	"      --rps R              pace to R requests/s in total instead of a closed loop\n"
	"\n"
	"  ujian-bench slow --url http://127.0.0.1:PORT --conns C --seconds S [options]\n"
	"      a slowloris attacker: C connections from one address trickle a request\n"
	"      header that never ends, reconnecting when the server closes them.\n"
	"      --source ADDR        the one source address (default 127.0.0.1)\n"
	"      --interval-ms N      one byte per connection every N ms (default 1000)\n"
	"      --reconnect-ms N     reconnect this long after a close (default 1000)\n"
	"      --rate R             at most R connection attempts per second (default 0:\n"
	"                           no limit)\n"
	"      --out FILE           summary JSON (default: standard output)\n"
	"\n"
	"  ujian-bench help\n"
	"\n"
	"Outages: a connection error, timeout or 5xx repeats the request after 100 ms,\n"
	"doubling to 2 s, until --max-seconds; a 401 logs in again and continues.\n"
	"Summary: latency percentiles of 2xx replies per operation (login, start,\n"
	"answer, read, resync, finish, poll), errors by operation, status and code (\"conn\",\n"
	"\"timeout\" for no reply), the start storm, answers/s, wall time.\n"
	"\n"
	"Limits: a process may open at most 20,000 files here and a source address has\n"
	"about 28,000 ephemeral ports (32768-60999). One candidate holds at most one\n"
	"connection, so each worker keeps to its share of candidates and connections\n"
	"are spread over source addresses. Workers raise RLIMIT_NOFILE to the hard\n"
	"limit. The target must be 127.x.x.x or localhost.\n"
	"\n"
	"Exit status: 0 the run went to its end (server errors are in the summary),\n"
	"1 setup failure or interrupted, 2 usage error.\n";

struct bench_opt {
	const char *name;
	const char **value;
};

/* Parse "--name value" pairs against opts. Returns 0, or prints why and
 * returns -1. */
static int bench_parse(const char *cmd, int argc, char **argv, struct bench_opt *opts)
{
	for (int i = 2; i < argc; i++) {
		struct bench_opt *o = NULL;
		if (strncmp(argv[i], "--", 2) == 0)
			for (struct bench_opt *k = opts; k->name; k++)
				if (strcmp(k->name, argv[i] + 2) == 0)
					o = k;
		if (!o) {
			fprintf(stderr, "ujian-bench %s: unknown argument \"%s\" (see 'ujian-bench help')\n",
				cmd, argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "ujian-bench %s: option %s needs a value\n", cmd, argv[i]);
			return -1;
		}
		*o->value = argv[++i];
	}
	return 0;
}

static int bench_need(const char *cmd, const char *name, const char *v)
{
	if (!v) {
		fprintf(stderr, "ujian-bench %s: --%s is required (see 'ujian-bench help')\n", cmd, name);
		return -1;
	}
	return 0;
}

/* Optional whole number in [min, max]; *out keeps its default when v is NULL. */
static int bench_long(const char *cmd, const char *name, const char *v, long min, long max,
		      long *out)
{
	char *end;
	long x;
	if (!v)
		return 0;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max) {
		fprintf(stderr, "ujian-bench %s: --%s \"%s\": expected a whole number %ld-%ld\n", cmd,
			name, v, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

/* Optional number in [min, max]. */
static int bench_double(const char *cmd, const char *name, const char *v, double min, double max,
			double *out)
{
	char *end;
	double x;
	if (!v)
		return 0;
	errno = 0;
	x = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(x) || x < min || x > max) {
		fprintf(stderr, "ujian-bench %s: --%s \"%s\": expected a number %g-%g\n", cmd, name, v,
			min, max);
		return -1;
	}
	*out = x;
	return 0;
}

static int bench_seed(const char *cmd, const char *v, uint64_t *out)
{
	char *end;
	unsigned long long x;
	if (!v) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		*out = ((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16) ^ (uint64_t)ts.tv_sec) &
		       0x7fffffff;
		return 0;
	}
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || x > 0x7fffffffffffffffULL) {
		fprintf(stderr, "ujian-bench %s: --seed \"%s\": expected a whole number 0-%llu\n", cmd,
			v, 0x7fffffffffffffffULL);
		return -1;
	}
	*out = x;
	return 0;
}

static long bench_ceil_div(long a, long b)
{
	return (a + b - 1) / b;
}

/* Workers and source addresses for n connections; checks the per-process
 * file limit. */
static int bench_spread(const char *cmd, const char *vw, const char *vk, long n,
			struct bench_cfg *cfg)
{
	size_t hard = net_nofile_hard();
	long per;

	cfg->workers = bench_ceil_div(n, BENCH_PER_WORKER);
	if (cfg->workers > BENCH_WORKERS_MAX)
		cfg->workers = BENCH_WORKERS_MAX;
	cfg->src_addrs = bench_ceil_div(n, BENCH_PER_SRC_ADDR) + 1;
	if (cfg->src_addrs > BENCH_SRC_ADDRS_MAX)
		cfg->src_addrs = BENCH_SRC_ADDRS_MAX;
	if (bench_long(cmd, "workers", vw, 1, BENCH_WORKERS_MAX, &cfg->workers) ||
	    bench_long(cmd, "source-addrs", vk, 1, BENCH_SRC_ADDRS_MAX, &cfg->src_addrs))
		return -1;
	if (cfg->workers > n) {
		fprintf(stderr, "ujian-bench %s: --workers %ld: more workers than connections (%ld)\n",
			cmd, cfg->workers, n);
		return -1;
	}
	/* with the poll a candidate may hold two connections (its pool) */
	per = bench_ceil_div(n, cfg->workers) * (cfg->poll_ms > 0 ? BENCH_CAND_CONNS : 1);
	if ((size_t)per + BENCH_FD_SLACK > hard) {
		fprintf(stderr,
			"ujian-bench %s: %ld workers would hold up to %ld connections each, but a "
			"process may open at most %zu files; use --workers %ld or more\n",
			cmd, cfg->workers, per, hard,
			bench_ceil_div(n, (long)hard > BENCH_FD_SLACK + 1 ? (long)hard - BENCH_FD_SLACK : 1));
		return -1;
	}
	return 0;
}

/* Every source address in use can be bound; warn when one carries more
 * connections than it has ephemeral ports. */
static int bench_check_sources(const struct bench_cfg *cfg, long n)
{
	char err[256];
	long used = cfg->src_addrs < cfg->workers ? cfg->src_addrs : cfg->workers;
	for (long k = 0; k < used; k++) {
		char addr[16];
		long conns = 0;
		net_src_addr(k, cfg->src_addrs, addr);
		if (net_check_bind(addr, err, sizeof err)) {
			fprintf(stderr, "ujian-bench: %s\n", err);
			return -1;
		}
		for (long w = k; w < cfg->workers; w += cfg->src_addrs)
			conns += proc_share(cfg, n, w);
		if (conns > 28000)
			log_warn("source address %s carries %ld connections, more than its ~28000 "
				 "ephemeral ports; use more --source-addrs",
				 addr, conns);
	}
	return 0;
}

/* Create DIR if needed and remove ack logs of earlier runs (acks-N.log), so
 * that the directory holds exactly this run's. */
static int bench_prepare_acks(const char *dir)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "ujian-bench: --acks %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "ujian-bench: --acks %s: not a directory\n", dir);
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ujian-bench: --acks %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		const char *p = de->d_name;
		size_t n = strlen(p);
		if (n < 10 || strncmp(p, "acks-", 5) != 0 || strcmp(p + n - 4, ".log") != 0 ||
		    strspn(p + 5, "0123456789") != n - 9)
			continue;
		char *path = xasprintf("%s/%s", dir, p);
		if (unlink(path) != 0)
			log_warn("cannot remove %s: %s", path, strerror(errno));
		free(path);
	}
	closedir(d);
	return 0;
}

/* The exam's duration from GET /api/v1/exams/open; 0 when it is not listed.
 * -1 when the server does not answer properly. */
static int bench_exam_duration(const struct bench_cfg *cfg, long *duration_s)
{
	char err[256];
	json_t *body = NULL, *e;
	int status;
	size_t i;

	*duration_s = 0;
	if (net_get_once(cfg, "/api/v1/exams/open", &status, &body, err, sizeof err)) {
		fprintf(stderr, "ujian-bench: %s\n", err);
		return -1;
	}
	if (status != 200 || !json_is_array(body)) {
		fprintf(stderr, "ujian-bench: GET /api/v1/exams/open answered %d%s\n", status,
			json_is_array(body) ? "" : " without a JSON array");
		json_decref(body);
		return -1;
	}
	json_array_foreach(body, i, e) {
		const char *code = json_string_value(json_object_get(e, "code"));
		if (code && strcmp(code, cfg->exam) == 0)
			*duration_s = (long)json_integer_value(json_object_get(e, "duration_s"));
	}
	json_decref(body);
	return 0;
}

static json_t *bench_num(double x)
{
	return json_real(round(x * 1000.0) / 1000.0);
}

static const char *bench_stop_name(int stop)
{
	return stop == STOP_SIGNAL ? "signal" : stop == STOP_LIMIT ? "max_seconds" : "completion";
}

/* Write the summary to --out (or stdout). */
static int bench_write_summary(const struct bench_cfg *cfg, json_t *sum)
{
	FILE *f = cfg->out_path ? fopen(cfg->out_path, "w") : stdout;
	int rc = 0;
	if (!f) {
		fprintf(stderr, "ujian-bench: --out %s: %s\n", cfg->out_path, strerror(errno));
		return -1;
	}
	if (json_dumpf(sum, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) != 0 ||
	    fputc('\n', f) == EOF)
		rc = -1;
	if (cfg->out_path ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "ujian-bench: cannot write the summary: %s\n", strerror(errno));
	return rc;
}

/* Stamp the run's start and run cfg->workers workers of fn on it: total
 * (freed by the caller with stats_free) gets their statistics, *cpu_s their
 * CPU time, *wall_s the time until the last one ended. Returns 0, or -1
 * with the message printed. */
static int bench_launch(const char *cmd, struct bench_cfg *cfg, bench_worker_fn fn, void *arg,
			struct bench_stats *total, double *cpu_s, double *wall_s)
{
	char err[512];
	int rc;

	stats_init(total, (uint32_t)ceil(cfg->max_seconds) + 2);
	cfg->t0_us = bench_now_us();
	rc = proc_run(cfg, fn, arg, total, cpu_s, err, sizeof err);
	*wall_s = (double)(bench_now_us() - cfg->t0_us) / 1e6;
	if (rc)
		fprintf(stderr, "ujian-bench %s: %s\n", cmd, err);
	return rc;
}

/* The run summary: JSON to --out (or stdout), the table and totals to
 * stderr. Returns -1 when the JSON could not be written. */
static int bench_run_report(const struct bench_cfg *cfg, const struct bench_stats *total,
			    double wall_s, double cpu_s)
{
	double storm_s = (double)total->start_last_us / 1e6;
	double per_s = wall_s > 0 ? (double)total->acked / wall_s : 0;
	uint32_t peak = stats_peak(total);
	json_t *sum = json_object(), *outcome;
	int rc;

	json_object_set_new(sum, "candidates", json_integer(cfg->count));
	json_object_set_new(sum, "workers", json_integer(cfg->workers));
	json_object_set_new(sum, "ops", stats_ops_json(total, BOP_LOGIN, BOP_POLL));
	json_object_set_new(sum, "errors", stats_errors_json(total));
	json_object_set_new(sum, "start_storm_s", bench_num(storm_s));
	json_object_set_new(sum, "answers_per_s", bench_num(per_s));
	json_object_set_new(sum, "wall_s", bench_num(wall_s));
	json_object_set_new(sum, "acked_answers", json_integer((json_int_t)total->acked));
	json_object_set_new(sum, "mode", json_string("run"));
	json_object_set_new(sum, "url", json_string(cfg->url));
	json_object_set_new(sum, "exam", json_string(cfg->exam));
	json_object_set_new(sum, "source_addrs", json_integer(cfg->src_addrs));
	json_object_set_new(sum, "seed", json_integer((json_int_t)cfg->seed));
	json_object_set_new(sum, "window_s", bench_num(cfg->window_s));
	json_object_set_new(sum, "start_at_s", bench_num(cfg->start_at_s));
	json_object_set_new(sum, "think_mean_ms",
			    cfg->think_mean_ms > 0 ? bench_num(cfg->think_mean_ms) : json_null());
	json_object_set_new(sum, "max_seconds", bench_num(cfg->max_seconds));
	json_object_set_new(sum, "started", json_integer((json_int_t)total->started));
	json_object_set_new(sum, "answers_peak_per_s", json_integer(peak));
	json_object_set_new(sum, "logins", json_integer((json_int_t)total->logins));
	json_object_set_new(sum, "relogins", json_integer((json_int_t)total->relogins));
	json_object_set_new(sum, "retries", json_integer((json_int_t)total->retries));
	json_object_set_new(sum, "lost_acks", json_integer((json_int_t)total->lost_acks));
	json_object_set_new(sum, "replies", json_integer((json_int_t)total->replies));
	outcome = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "submitted", (json_int_t)total->submitted,
			    "time_up", (json_int_t)total->time_up, "stopped",
			    (json_int_t)total->stopped, "failed", (json_int_t)total->failed,
			    "cut_off", (json_int_t)total->cut_off, "already_finished",
			    (json_int_t)total->already_finished);
	json_object_set_new(sum, "outcome", outcome);
	json_object_set_new(sum, "stopped_by", json_string(bench_stop_name(total->stop)));
	json_object_set_new(sum, "bench_cpu_s", bench_num(cpu_s));
	json_object_set_new(sum, "poll_ms", bench_num(cfg->poll_ms));
	json_object_set_new(sum, "polls",
			    json_pack("{s:I,s:I,s:I}", "ok", (json_int_t)total->ops[BOP_POLL].count,
				      "skipped", (json_int_t)total->polls_skipped, "paused",
				      (json_int_t)total->polls_paused));
	if (cfg->dashboards > 0) {
		json_t *sit = json_array();
		for (long k = 0; k < cfg->dashboards; k++)
			json_array_append_new(sit, json_integer(cfg->dash_sittings[k]));
		json_object_set_new(
			sum, "dashboards",
			json_pack("{s:I,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "count",
				  (json_int_t)cfg->dashboards, "sittings", sit, "streams_opened",
				  (json_int_t)total->dash_streams, "reconnects",
				  (json_int_t)total->dash_reconnects, "events",
				  (json_int_t)total->dash_events, "snapshots",
				  (json_int_t)total->dash_snapshots, "rows",
				  (json_int_t)total->dash_rows, "unknown_rows",
				  (json_int_t)total->dash_unknown, "rows_before_ack",
				  (json_int_t)total->dash_early, "acks_unseen",
				  (json_int_t)total->dash_unseen, "bytes",
				  (json_int_t)total->dash_bytes, "lag", stats_hist_json(&total->lag)));
	}
	rc = bench_write_summary(cfg, sum);
	json_decref(sum);

	fprintf(stderr, "\n");
	stats_print_table(total, BOP_LOGIN, BOP_POLL, stderr);
	fprintf(stderr,
		"candidates %ld: submitted %llu, time up %llu, stopped %llu, failed %llu, cut off "
		"%llu, already finished %llu\n"
		"start storm %.3f s (%llu started); %llu answers acknowledged, %.1f/s (peak %u/s); "
		"wall %.1f s; relogins %llu, retries %llu, lost acks %llu; stopped by %s\n",
		cfg->count, (unsigned long long)total->submitted, (unsigned long long)total->time_up,
		(unsigned long long)total->stopped, (unsigned long long)total->failed,
		(unsigned long long)total->cut_off, (unsigned long long)total->already_finished,
		storm_s, (unsigned long long)total->started, (unsigned long long)total->acked, per_s,
		peak, wall_s, (unsigned long long)total->relogins,
		(unsigned long long)total->retries, (unsigned long long)total->lost_acks,
		bench_stop_name(total->stop));
	if (cfg->dashboards > 0)
		fprintf(stderr,
			"dashboards %ld: %llu streams, %llu reconnects, %llu rows (%llu unknown); lag "
			"from acknowledgement to row: %llu samples, p50 %.1f ms, p99 %.1f ms, max "
			"%.1f ms; %llu rows before their ack, %llu acks unseen\n",
			cfg->dashboards, (unsigned long long)total->dash_streams,
			(unsigned long long)total->dash_reconnects,
			(unsigned long long)total->dash_rows, (unsigned long long)total->dash_unknown,
			(unsigned long long)total->lag.count, hist_quantile_us(&total->lag, 0.5) / 1000,
			hist_quantile_us(&total->lag, 0.99) / 1000, (double)total->lag.max_us / 1000,
			(unsigned long long)total->dash_early, (unsigned long long)total->dash_unseen);
	return rc;
}

/* The ping summary: JSON to --out (or stdout), the table and totals to
 * stderr. Returns -1 when the JSON could not be written. */
static int bench_ping_report(const struct bench_cfg *cfg, const struct bench_stats *total,
			     double wall_s, double cpu_s)
{
	const struct bench_hist *h = &total->ops[BOP_PING];
	double per_s = (double)h->count / cfg->max_seconds;
	uint32_t peak = stats_peak(total);
	json_t *sum = json_object();
	int rc;

	json_object_set_new(sum, "mode", json_string("ping"));
	json_object_set_new(sum, "url", json_string(cfg->url));
	json_object_set_new(sum, "conns", json_integer(cfg->conns));
	json_object_set_new(sum, "workers", json_integer(cfg->workers));
	json_object_set_new(sum, "seconds", bench_num(cfg->max_seconds));
	json_object_set_new(sum, "requests", json_integer((json_int_t)h->count));
	json_object_set_new(sum, "requests_per_s", bench_num(per_s));
	json_object_set_new(sum, "ops", stats_ops_json(total, BOP_PING, BOP_PING));
	json_object_set_new(sum, "errors", stats_errors_json(total));
	json_object_set_new(sum, "peak_per_s", json_integer(peak));
	json_object_set_new(sum, "target_rps", cfg->rps > 0 ? bench_num(cfg->rps) : json_null());
	json_object_set_new(sum, "source_addrs", json_integer(cfg->src_addrs));
	json_object_set_new(sum, "wall_s", bench_num(wall_s));
	json_object_set_new(sum, "stopped_by", json_string(bench_stop_name(total->stop)));
	json_object_set_new(sum, "bench_cpu_s", bench_num(cpu_s));
	rc = bench_write_summary(cfg, sum);
	json_decref(sum);

	fprintf(stderr, "\n");
	stats_print_table(total, BOP_PING, BOP_PING, stderr);
	fprintf(stderr, "%llu requests in %.1f s: %.1f/s (peak %u/s) over %ld connections\n",
		(unsigned long long)h->count, cfg->max_seconds, per_s, peak, cfg->conns);
	return rc;
}

/* The staff Bearer token for the dashboards: given, or from a login with
 * USER:PASSWORD. Returns 0, or prints why and returns -1. */
static int bench_dash_token(const char *cmd, struct bench_cfg *cfg, const char *v_staff,
			    const char *v_token)
{
	char err[256], *user = NULL;
	const char *colon, *tok;
	json_t *req, *body = NULL;
	char *text = NULL;
	int status, rc = -1;

	if (v_token) {
		if (!*v_token || strlen(v_token) > BENCH_TOKEN_MAX) {
			fprintf(stderr, "ujian-bench %s: --dashboard-token: expected 1-%d characters\n",
				cmd, BENCH_TOKEN_MAX);
			return -1;
		}
		str_copy(cfg->dash_token, sizeof cfg->dash_token, v_token);
		return 0;
	}
	colon = strchr(v_staff, ':');
	user = xstrndup(v_staff, (size_t)(colon - v_staff));
	req = json_pack("{s:s,s:s,s:b}", "username", user, "password", colon + 1, "bearer", 1);
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	if (!text)
		abort();
	if (net_once(cfg, EVHTTP_REQ_POST, "/api/v1/staff/login", NULL, text, &status, &body, err,
		     sizeof err)) {
		fprintf(stderr, "ujian-bench %s: staff login: %s\n", cmd, err);
		goto out;
	}
	tok = json_string_value(json_object_get(body, "token"));
	if (status != 200 || !tok || !*tok || strlen(tok) > BENCH_TOKEN_MAX) {
		const char *code = net_error_code(body);
		fprintf(stderr, "ujian-bench %s: staff login as %s answered %d %s\n", cmd, user, status,
			code ? code : "without a token");
		goto out;
	}
	str_copy(cfg->dash_token, sizeof cfg->dash_token, tok);
	rc = 0;
out:
	json_decref(body);
	json_decref(req);
	free(text);
	free(user);
	return rc;
}

/* The dashboards' sittings: the ids given (the first N), or the first N
 * open sittings of the exam the staff account sees. Returns 0, or prints
 * why and returns -1. */
static int bench_dash_sittings(const char *cmd, struct bench_cfg *cfg, const char *v_ids)
{
	char err[256];
	json_t *body = NULL, *s;
	long n = 0;
	size_t i;
	int status, rc = -1;

	cfg->dash_sittings = xcalloc((size_t)cfg->dashboards, sizeof *cfg->dash_sittings);
	if (v_ids) {
		const char *p = v_ids;
		while (*p && n < cfg->dashboards) {
			char *end;
			errno = 0;
			long id = strtol(p, &end, 10);
			if (errno || end == p || id < 1 || (*end && *end != ',')) {
				fprintf(stderr, "ujian-bench %s: --dashboard-sittings \"%s\": expected "
						"sitting ids separated by commas\n",
					cmd, v_ids);
				return -1;
			}
			cfg->dash_sittings[n++] = id;
			p = *end ? end + 1 : end;
		}
	} else {
		if (net_once(cfg, EVHTTP_REQ_GET, "/api/v1/staff/sittings", cfg->dash_token, NULL,
			     &status, &body, err, sizeof err)) {
			fprintf(stderr, "ujian-bench %s: %s\n", cmd, err);
			return -1;
		}
		if (status != 200) {
			fprintf(stderr, "ujian-bench %s: GET /api/v1/staff/sittings answered %d\n", cmd,
				status);
			goto out;
		}
		json_array_foreach(json_object_get(body, "sittings"), i, s) {
			const char *exam = json_string_value(json_object_get(s, "exam"));
			json_int_t id = json_integer_value(json_object_get(s, "id"));
			if (n < cfg->dashboards && exam && strcmp(exam, cfg->exam) == 0 && id > 0 &&
			    json_is_null(json_object_get(s, "closed_at")))
				cfg->dash_sittings[n++] = (long)id;
		}
	}
	if (n < cfg->dashboards) {
		fprintf(stderr, "ujian-bench %s: --dashboards %ld: only %ld %s of exam %s\n", cmd,
			cfg->dashboards, n, v_ids ? "sitting ids given" : "open sittings visible",
			cfg->exam);
		goto out;
	}
	rc = 0;
out:
	json_decref(body);
	return rc;
}

/* Memory shared with the workers and the dashboard process. */
static struct bench_shared *bench_shared_new(long count)
{
	size_t n = (size_t)count;
	size_t len = sizeof(struct bench_shared) + 2 * n * sizeof(_Atomic int64_t);
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct bench_shared *sh;

	if (m == MAP_FAILED) {
		fprintf(stderr, "ujian-bench: cannot map %zu bytes of shared memory: %s\n", len,
			strerror(errno));
		return NULL;
	}
	sh = (struct bench_shared *)(void *)m; /* zero-filled */
	sh->pending = (_Atomic int64_t *)(void *)(m + sizeof *sh);
	sh->last_row = sh->pending + n;
	return sh;
}

static int bench_run(int argc, char **argv)
{
	const char *cmd = "run";
	const char *v_url = NULL, *v_exam = NULL, *v_cands = NULL, *v_count = NULL, *v_workers = NULL,
		   *v_src = NULL, *v_window = NULL, *v_think = NULL, *v_change = NULL,
		   *v_flag = NULL, *v_read = NULL, *v_submit = NULL, *v_max = NULL,
		   *v_acks = NULL, *v_out = NULL, *v_seed = NULL, *v_timeout = NULL,
		   *v_start_at = NULL, *v_poll = NULL, *v_dash = NULL, *v_dash_staff = NULL,
		   *v_dash_token = NULL, *v_dash_ids = NULL;
	struct bench_opt opts[] = {
		{ "url", &v_url },		{ "exam", &v_exam },
		{ "candidates", &v_cands },	{ "count", &v_count },
		{ "workers", &v_workers },	{ "source-addrs", &v_src },
		{ "window", &v_window },	{ "think-mean", &v_think },
		{ "change-share", &v_change },	{ "flag-share", &v_flag },
		{ "read-share", &v_read },	{ "submit-share", &v_submit },
		{ "max-seconds", &v_max },	{ "acks", &v_acks },
		{ "out", &v_out },		{ "seed", &v_seed },
		{ "timeout", &v_timeout },	{ "start-at", &v_start_at },
		{ "poll-ms", &v_poll },		{ "dashboards", &v_dash },
		{ "dashboard-staff", &v_dash_staff }, { "dashboard-token", &v_dash_token },
		{ "dashboard-sittings", &v_dash_ids },
		{ NULL, NULL },
	};
	struct bench_cfg cfg;
	struct bench_creds creds = { NULL, 0 };
	struct bench_stats total;
	char err[512];
	long duration_s = 0;
	double cpu_s = 0, wall_s;
	int rc = 2, prc;

	memset(&cfg, 0, sizeof cfg);
	cfg.mode = BENCH_RUN;
	cfg.window_s = 60;
	cfg.change_share = 0.1;
	cfg.flag_share = 0.05;
	cfg.read_share = 0.02;
	cfg.submit_share = 0.7;
	cfg.timeout_s = BENCH_TIMEOUT_S;
	cfg.acks_dir = "./bench-acks";
	if (bench_parse(cmd, argc, argv, opts) || bench_need(cmd, "url", v_url) ||
	    bench_need(cmd, "exam", v_exam) || bench_need(cmd, "candidates", v_cands))
		return 2;
	if (net_parse_url(v_url, NULL, &cfg, err, sizeof err)) {
		fprintf(stderr, "ujian-bench %s: %s\n", cmd, err);
		return 2;
	}
	if (!creds_id_ok(v_exam, BENCH_CODE_MAX)) {
		fprintf(stderr, "ujian-bench %s: --exam \"%.40s\": expected an exam code (1-%d of "
				"A-Z a-z 0-9 . _ -)\n",
			cmd, v_exam, BENCH_CODE_MAX);
		return 2;
	}
	str_copy(cfg.exam, sizeof cfg.exam, v_exam);
	if (bench_double(cmd, "window", v_window, 0, 86400, &cfg.window_s) ||
	    bench_double(cmd, "start-at", v_start_at, 0, 86400, &cfg.start_at_s) ||
	    bench_double(cmd, "think-mean", v_think, 0.001, 3600000, &cfg.think_mean_ms) ||
	    bench_double(cmd, "change-share", v_change, 0, 1, &cfg.change_share) ||
	    bench_double(cmd, "flag-share", v_flag, 0, 1, &cfg.flag_share) ||
	    bench_double(cmd, "read-share", v_read, 0, 1, &cfg.read_share) ||
	    bench_double(cmd, "submit-share", v_submit, 0, 1, &cfg.submit_share) ||
	    bench_double(cmd, "max-seconds", v_max, 1, BENCH_SECONDS_MAX, &cfg.max_seconds) ||
	    bench_long(cmd, "timeout", v_timeout, 1, BENCH_TIMEOUT_MAX_S, &cfg.timeout_s) ||
	    bench_double(cmd, "poll-ms", v_poll, 0, BENCH_POLL_MS_MAX, &cfg.poll_ms) ||
	    bench_long(cmd, "dashboards", v_dash, 0, BENCH_DASH_MAX, &cfg.dashboards) ||
	    bench_seed(cmd, v_seed, &cfg.seed))
		return 2;
	if (cfg.dashboards > 0 && !v_dash_staff && !v_dash_token) {
		fprintf(stderr, "ujian-bench %s: --dashboards needs --dashboard-staff USER:PASSWORD "
				"or --dashboard-token\n",
			cmd);
		return 2;
	}
	if (v_dash_staff && (!strchr(v_dash_staff, ':') || v_dash_staff[0] == ':')) {
		fprintf(stderr, "ujian-bench %s: --dashboard-staff: expected USER:PASSWORD\n", cmd);
		return 2;
	}
	if (v_acks) {
		if (!*v_acks) {
			fprintf(stderr, "ujian-bench %s: --acks needs a directory\n", cmd);
			return 2;
		}
		cfg.acks_dir = v_acks;
	}
	cfg.out_path = v_out;
	cfg.cands_path = v_cands;

	if (creds_load(v_cands, &creds, err, sizeof err)) {
		fprintf(stderr, "ujian-bench %s: --candidates %s\n", cmd, err);
		return 1;
	}
	cfg.count = (long)creds.n;
	if (bench_long(cmd, "count", v_count, 1, BENCH_CANDIDATES_MAX, &cfg.count))
		goto out;
	if ((size_t)cfg.count > creds.n) {
		fprintf(stderr, "ujian-bench %s: --count %ld: %s has only %zu candidates\n", cmd,
			cfg.count, v_cands, creds.n);
		goto out;
	}
	if (bench_spread(cmd, v_workers, v_src, cfg.count, &cfg))
		goto out;
	rc = 1;
	if (bench_check_sources(&cfg, cfg.count))
		goto out;
	if (bench_exam_duration(&cfg, &duration_s))
		goto out;
	if (!v_max) {
		if (duration_s <= 0) {
			fprintf(stderr,
				"ujian-bench %s: exam %s is not open for logins (GET /api/v1/exams/open); "
				"give --max-seconds to run anyway\n",
				cmd, cfg.exam);
			goto out;
		}
		cfg.max_seconds = (cfg.start_at_s > cfg.window_s ? cfg.start_at_s : cfg.window_s) +
				  (double)duration_s + 120;
	}
	if (bench_prepare_acks(cfg.acks_dir))
		goto out;
	cfg.procs = cfg.workers;
	if (cfg.dashboards > 0) {
		if (bench_dash_token(cmd, &cfg, v_dash_staff, v_dash_token) ||
		    bench_dash_sittings(cmd, &cfg, v_dash_ids) || !(cfg.shared = bench_shared_new(cfg.count)))
			goto out;
		cfg.shared->workers_left = cfg.workers;
		cfg.procs = cfg.workers + 1;
	}

	log_info("run: %ld candidates of exam %s, %ld workers, %ld source addresses, window %g s, "
		 "max %g s, seed %llu",
		 cfg.count, cfg.exam, cfg.workers, cfg.src_addrs, cfg.window_s, cfg.max_seconds,
		 (unsigned long long)cfg.seed);
	prc = bench_launch(cmd, &cfg, run_worker, &creds, &total, &cpu_s, &wall_s);
	if (bench_run_report(&cfg, &total, wall_s, cpu_s))
		prc = -1;
	stats_free(&total);
	rc = prc || total.stop == STOP_SIGNAL ? 1 : 0;
out:
	if (cfg.shared)
		munmap(cfg.shared, sizeof(struct bench_shared) + 2 * (size_t)cfg.count * sizeof(int64_t));
	free(cfg.dash_sittings);
	creds_free(&creds);
	return rc;
}

static int bench_ping(int argc, char **argv)
{
	const char *cmd = "ping";
	const char *v_url = NULL, *v_conns = NULL, *v_seconds = NULL, *v_workers = NULL,
		   *v_src = NULL, *v_rps = NULL, *v_out = NULL, *v_timeout = NULL;
	struct bench_opt opts[] = {
		{ "url", &v_url },	   { "conns", &v_conns },   { "seconds", &v_seconds },
		{ "workers", &v_workers }, { "source-addrs", &v_src }, { "rps", &v_rps },
		{ "out", &v_out },	   { "timeout", &v_timeout }, { NULL, NULL },
	};
	struct bench_cfg cfg;
	struct bench_stats total;
	char err[512];
	json_t *body = NULL;
	int status, prc;
	double cpu_s = 0, wall_s;

	memset(&cfg, 0, sizeof cfg);
	cfg.mode = BENCH_PING;
	cfg.timeout_s = BENCH_TIMEOUT_S;
	if (bench_parse(cmd, argc, argv, opts) || bench_need(cmd, "url", v_url) ||
	    bench_need(cmd, "conns", v_conns) || bench_need(cmd, "seconds", v_seconds))
		return 2;
	if (net_parse_url(v_url, "/api/v1/_bench/ping", &cfg, err, sizeof err)) {
		fprintf(stderr, "ujian-bench %s: %s\n", cmd, err);
		return 2;
	}
	if (bench_long(cmd, "conns", v_conns, 1, BENCH_CONNS_MAX, &cfg.conns) ||
	    bench_double(cmd, "seconds", v_seconds, 1, BENCH_SECONDS_MAX, &cfg.max_seconds) ||
	    bench_double(cmd, "rps", v_rps, 0.001, 1e9, &cfg.rps) ||
	    bench_long(cmd, "timeout", v_timeout, 1, BENCH_TIMEOUT_MAX_S, &cfg.timeout_s) ||
	    bench_spread(cmd, v_workers, v_src, cfg.conns, &cfg))
		return 2;
	bench_seed(cmd, NULL, &cfg.seed);
	cfg.out_path = v_out;
	if (bench_check_sources(&cfg, cfg.conns))
		return 1;
	if (net_get_once(&cfg, cfg.path, &status, &body, err, sizeof err)) {
		fprintf(stderr, "ujian-bench %s: %s\n", cmd, err);
		return 1;
	}
	json_decref(body);
	if (status != 200) {
		fprintf(stderr, "ujian-bench %s: GET %s answered %d%s\n", cmd, cfg.path, status,
			strcmp(cfg.path, "/api/v1/_bench/ping") == 0
				? " (the route needs 'ujian serve --bench-route')"
				: "");
		return 1;
	}

	log_info("ping: %ld connections, %ld workers, %g s, GET %s%s", cfg.conns, cfg.workers,
		 cfg.max_seconds, cfg.path, cfg.rps > 0 ? " (paced)" : " (closed loop)");
	prc = bench_launch(cmd, &cfg, ping_worker, NULL, &total, &cpu_s, &wall_s);
	if (bench_ping_report(&cfg, &total, wall_s, cpu_s))
		prc = -1;
	stats_free(&total);
	return prc || total.stop == STOP_SIGNAL ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(bench_usage, argc > 1 ? stdout : stderr);
		return argc > 1 ? 0 : 2;
	}
	if (strcmp(cmd, "run") == 0)
		return bench_run(argc, argv);
	if (strcmp(cmd, "ping") == 0)
		return bench_ping(argc, argv);
	if (strcmp(cmd, "slow") == 0)
		return slow_main(argc, argv);
	fprintf(stderr, "ujian-bench: unknown command \"%s\" (see 'ujian-bench help')\n", cmd);
	return 2;
}
