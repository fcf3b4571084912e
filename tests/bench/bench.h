/* bench.h - ujian-bench, the load generator: shared types, limits and the
 * interfaces between its modules.
 *
 * ujian-bench drives a running server through the candidate API
 * (docs/API.md) the way browsers do: N simulated candidates, spread over W
 * worker processes, each worker one libevent loop. It talks only to loopback
 * addresses and reports latencies, errors and throughput as JSON.
 *
 *   bench_main.c       command line, validation, summary
 *   bench_proc.c       forking workers, their loops' common events, collecting
 *                      their statistics
 *   bench_candidate.c  run mode: the candidate state machine (and its light
 *                      poll, --poll-ms)
 *   bench_dash.c       run mode: live proctor dashboards (--dashboards), the
 *                      lag from an answer's acknowledgement to its row
 *   bench_ping.c       ping mode: closed-loop GETs on keep-alive connections
 *   bench_slow.c       slow mode: slowloris connections from one address
 *   bench_stats.c      latency histograms, error table, JSON and table output
 *   bench_net.c        URL checks, connections, file limits, setup requests
 *   bench_creds.c      the credentials CSV
 *   bench_rand.c       the seeded generator behind think times and choices
 *
 * Why workers and source addresses: the machines we benchmark on allow at
 * most 20,000 open files per process and 28,000 ephemeral ports per source
 * address (net.ipv4.ip_local_port_range 32768-60999). A candidate holds at
 * most one connection (two with --poll-ms, whose poll may overlap an
 * answer), so a worker takes at most BENCH_PER_WORKER candidates
 * by default, and connections are bound round-robin by worker to the source
 * addresses 127.0.0.2, 127.0.0.3 ... (all of 127/8 is loopback on Linux). */
#ifndef UJIAN_BENCH_H
#define UJIAN_BENCH_H

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- limits ------------------------------------------------------------ */

#define BENCH_CANDIDATES_MAX    200000
#define BENCH_CSV_FILE_MAX      (32 * 1024 * 1024)
#define BENCH_CSV_FIELD_MAX     4096   /* bytes in one CSV field */
#define BENCH_REGNO_MAX         32
#define BENCH_PASSWORD_MAX      256
#define BENCH_CODE_MAX          32     /* exam codes */
#define BENCH_TOKEN_MAX         128    /* session tokens we accept from the server */
#define BENCH_ITEMS_MAX         16000  /* questions per paper */
#define BENCH_OPTIONS_MAX       6      /* labels A..F */
#define BENCH_WORKERS_MAX       256
#define BENCH_PER_WORKER        6000   /* default candidates (or ping connections) per worker */
#define BENCH_FD_SLACK          64     /* descriptors a worker needs besides its connections */
#define BENCH_SRC_ADDRS_MAX     250    /* 127.0.0.2 ... 127.0.0.251 */
#define BENCH_PER_SRC_ADDR      20000  /* default connections per source address */
#define BENCH_CONNS_MAX         200000 /* ping connections */
#define BENCH_SECONDS_MAX       (7 * 86400)
#define BENCH_TIMEOUT_S         30     /* default request timeout */
#define BENCH_TIMEOUT_MAX_S     3600
#define BENCH_BACKOFF_MIN_MS    100    /* retry delay after an outage error ... */
#define BENCH_BACKOFF_MAX_MS    2000   /* ... doubling up to this */
#define BENCH_REPLY_MAX         (16 * 1024 * 1024) /* largest reply body read */
#define BENCH_PATH_MAX          256
#define BENCH_ERR_KINDS_MAX     64     /* distinct (op, status, code) kept */
#define BENCH_ERR_CODE_MAX      31
#define BENCH_THINK_CAP         5.0    /* think times are capped at 5x the mean */
#define BENCH_CAND_CONNS        2      /* connections per candidate: a browser's pool, so a
					  poll never waits behind an answer or the reverse */
#define BENCH_POLL_MS_MAX       600000 /* --poll-ms */
#define BENCH_POLL_JITTER       0.1    /* each poll interval is N * U[0.9, 1.1) */
#define BENCH_DASH_MAX          500    /* --dashboards */
#define BENCH_DASH_TIMEOUT_S    60     /* dashboard stream read timeout (heartbeats every 15 s) */
#define BENCH_DASH_RETRY_MS     1000   /* reconnect delay after a stream ended */
#define BENCH_DASH_EVENT_MAX    (16 * 1024 * 1024) /* largest SSE event we buffer */
#define BENCH_DASH_GRACE_MS     1500   /* dashboards keep listening after the candidates ended */

/* ---- configuration (bench_main.c fills it, workers read it) ------------- */

enum bench_mode { BENCH_RUN, BENCH_PING };

struct bench_cfg {
	enum bench_mode mode;
	char url[512];          /* as given, for the summary */
	int tls;                /* https:// URL: every connection speaks TLS */
	char host[16];          /* dotted IPv4 loopback address of the server */
	uint16_t port;
	char hostport[32];      /* Host header */
	char path[BENCH_PATH_MAX]; /* ping: the request path */
	char exam[BENCH_CODE_MAX + 1];
	const char *cands_path;
	long count;             /* candidates used (run) */
	long conns;             /* connections (ping) */
	long workers;
	long src_addrs;
	long timeout_s;         /* per request */
	double window_s;        /* login window */
	double start_at_s;      /* > 0: every candidate presses start at this second (a proctor's "mulai") */
	double think_mean_ms;   /* 0: duration_s * 1000 / items from the login reply */
	double change_share, flag_share, read_share, submit_share;
	double max_seconds;     /* hard stop (run); the run length (ping) */
	double rps;             /* ping: target requests/s over all connections, 0 = closed loop */
	const char *acks_dir;
	const char *out_path;   /* NULL: stdout */
	uint64_t seed;
	int64_t t0_us;          /* run start on CLOCK_MONOTONIC, set just before forking */
	double poll_ms;         /* > 0: each candidate in an attempt GETs ?view=clock this often */
	long dashboards;        /* live dashboard streams, one per sitting (0 = none) */
	long *dash_sittings;    /* their sitting ids */
	char dash_token[BENCH_TOKEN_MAX + 1]; /* staff Bearer token for the streams */
	long procs;             /* processes forked: workers (+ 1 for the dashboards) */
	struct bench_shared *shared; /* with dashboards: shared between the processes */
};

/* Memory shared by the candidate workers and the dashboard process (mmap'ed
 * before forking), one slot per candidate index:
 *   pending[i]  the time (bench_now_us) of candidate i's earliest answer
 *               acknowledgement not yet seen on a dashboard, 0 = none: the
 *               candidate sets it if 0, a dashboard row swaps it to 0 and
 *               counts one lag sample;
 *   last_row[i] when a dashboard row for candidate i last arrived (so an
 *               acknowledgement that comes after its own row is not left
 *               pending until the next row). */
struct bench_shared {
	_Atomic long workers_left;      /* candidate workers still running */
	_Atomic int64_t *pending;
	_Atomic int64_t *last_row;
};

/* ---- statistics (bench_stats.c) ----------------------------------------- */

/* Log-scale latency histogram: bucket 0 holds < 10 us, bucket i >= 1 holds
 * [10 * 1.05^(i-1), 10 * 1.05^i) us, the last one everything beyond
 * 10 * 1.05^338 us (145 s). A quantile is reported as its bucket's geometric
 * middle, so it is within 2.5 % of a value in that bucket. */
#define HIST_BASE_US   10.0
#define HIST_RATIO     1.05
#define HIST_BUCKETS   340

struct bench_hist {
	uint64_t count;
	uint64_t sum_us;
	uint64_t max_us;
	uint64_t b[HIST_BUCKETS];
};

/* BOP_DASH only counts the dashboards' errors (no latencies). */
enum bench_op { BOP_LOGIN, BOP_START, BOP_ANSWER, BOP_READ, BOP_RESYNC, BOP_FINISH, BOP_POLL,
		BOP_DASH, BOP_PING, BOP_N };
extern const char *const bench_op_names[BOP_N];

/* Why a worker's loop ended; the most severe one over all workers is reported. */
enum bench_stop { STOP_DONE, STOP_LIMIT, STOP_SIGNAL };

struct bench_err {
	int op;
	int status;             /* HTTP status, 0 for no reply */
	char code[BENCH_ERR_CODE_MAX + 1]; /* API error code, "conn", "timeout", "-" */
	uint64_t count;
};

struct bench_stats {
	struct bench_hist ops[BOP_N]; /* latencies of 2xx replies */
	struct bench_err err[BENCH_ERR_KINDS_MAX];
	int n_err;
	uint64_t err_overflow;  /* errors of kinds that did not fit the table */
	uint64_t replies;       /* HTTP replies of any status */
	uint64_t acked;         /* answer replies with 200 = ack log lines */
	uint64_t started;       /* candidates whose first start got its 200 */
	int64_t start_last_us;  /* when the last of those came, since t0 */
	uint64_t logins, relogins, retries, lost_acks;
	uint64_t submitted, time_up, stopped, failed, cut_off, already_finished;
	int stop;               /* enum bench_stop */
	/* the light poll (--poll-ms) */
	uint64_t polls_skipped; /* a poll was due while the previous one had no reply yet */
	uint64_t polls_paused;  /* poll replies with attempt.paused set */
	/* dashboards (--dashboards) */
	struct bench_hist lag;  /* answer acknowledged -> a row for that candidate arrived */
	uint64_t dash_rows, dash_events, dash_snapshots, dash_streams, dash_reconnects;
	uint64_t dash_unknown;  /* rows of candidates not in this run */
	uint64_t dash_early;    /* answers whose row came before their acknowledgement */
	uint64_t dash_unseen;   /* acknowledgements still pending when the run ended */
	uint64_t dash_bytes;
	uint32_t nsec;          /* length of per_sec */
	uint32_t *per_sec;      /* acked answers (ping: replies) per second since t0 */
};

void stats_init(struct bench_stats *st, uint32_t nsec);
void stats_free(struct bench_stats *st);
void hist_add(struct bench_hist *h, uint64_t us);
/* Latency at quantile q in (0, 1], in microseconds; 0 when h is empty. */
double hist_quantile_us(const struct bench_hist *h, double q);
/* Count one error of kind (op, status, code); code NULL counts as "-". */
void stats_error(struct bench_stats *st, enum bench_op op, int status, const char *code);
/* Count one event at us since t0 in the per-second series. */
void stats_tick(struct bench_stats *st, int64_t us);
void stats_merge(struct bench_stats *into, const struct bench_stats *from);
/* Send st through fd / receive it (the layout is private to one binary).
 * Return 0, or -1 on a short or failed transfer. */
int stats_write(int fd, const struct bench_stats *st);
int stats_read(int fd, struct bench_stats *st);
/* {"login":{"count","p50_ms","p95_ms","p99_ms","max_ms"},...} for ops[first..last]. */
json_t *stats_ops_json(const struct bench_stats *st, enum bench_op first, enum bench_op last);
/* {"count","p50_ms","p95_ms","p99_ms","max_ms","mean_ms"} of one histogram. */
json_t *stats_hist_json(const struct bench_hist *h);
/* [{"op","status","code","count"},...], largest count first. */
json_t *stats_errors_json(const struct bench_stats *st);
/* Highest per-second count. */
uint32_t stats_peak(const struct bench_stats *st);
/* The human table on f. */
void stats_print_table(const struct bench_stats *st, enum bench_op first, enum bench_op last,
		       FILE *f);

/* ---- randomness (bench_rand.c) ------------------------------------------ */

/* xoshiro256** seeded through splitmix64: fast, and every candidate has its
 * own stream (seed, stream) so behaviour does not depend on the worker count. */
struct bench_rng {
	uint64_t s[4];
};

void brng_seed(struct bench_rng *r, uint64_t seed, uint64_t stream);
uint64_t brng_next(struct bench_rng *r);
/* Uniform in [0, 1). */
double brng_unit(struct bench_rng *r);
/* Uniform integer in [0, n), n >= 1. */
uint32_t brng_below(struct bench_rng *r, uint32_t n);
/* 1 with probability p. */
int brng_chance(struct bench_rng *r, double p);
/* Exponential with the given mean, capped at cap * mean. */
double brng_exp(struct bench_rng *r, double mean, double cap);
/* A retry delay in milliseconds, uniform in [b/2, b] for b = *backoff_ms;
 * *backoff_ms then doubles, up to BENCH_BACKOFF_MAX_MS. */
double brng_backoff(struct bench_rng *r, int *backoff_ms);

/* ---- credentials (bench_creds.c) ---------------------------------------- */

struct bench_cred {
	char regno[BENCH_REGNO_MAX + 1];
	char *password;
};

struct bench_creds {
	struct bench_cred *v;
	size_t n;
};

/* Read a registration_no,name,password CSV (RFC 4180; other columns are
 * ignored). Returns 0, or -1 with a message naming the line. */
int creds_load(const char *path, struct bench_creds *out, char *err, size_t errlen);
void creds_free(struct bench_creds *c);
/* 1 if s is 1-max characters of A-Z a-z 0-9 . _ - (registration numbers,
 * exam codes). */
int creds_id_ok(const char *s, size_t max);

/* ---- network helpers (bench_net.c) -------------------------------------- */

/* Microseconds on CLOCK_MONOTONIC (one clock for all processes). */
int64_t bench_now_us(void);
/* A delay of us microseconds as a timeval for evtimer_add; 0 when negative. */
struct timeval bench_timeval(int64_t us);
/* Parse "http://HOST:PORT[/PATH]" or "https://..." (cfg->tls) into cfg
 * (host, port, hostport, path). HOST must be a 127.x.x.x address or
 * "localhost" (taken as 127.0.0.1). Without a path, path is default_path.
 * Returns 0 or -1 with a message. */
int net_parse_url(const char *url, const char *default_path, struct bench_cfg *cfg, char *err,
		  size_t errlen);
/* Source address of worker w: 127.0.0.(2 + w % k). */
void net_src_addr(long w, long k, char out[16]);
/* Check that addr can be bound (it is a local address). */
int net_check_bind(const char *addr, char *err, size_t errlen);
/* Raise RLIMIT_NOFILE to the hard limit; -1 with a message if that is below need. */
int net_raise_nofile(size_t need, char *err, size_t errlen);
/* The hard RLIMIT_NOFILE. */
size_t net_nofile_hard(void);
/* A keep-alive client connection to the server, bound to src, with the
 * request timeout. Aborts on allocation failure.
 *
 * With cfg->tls it is an OpenSSL bufferevent with its own SSL object (TLS 1.2
 * or 1.3, the server's certificate not verified: loopback benchmarks only;
 * no session resumption, so every connection costs the server a full
 * handshake, the worst case). One SSL object per TCP connection: libevent
 * would reconnect a closed connection with the same bufferevent and SSL
 * object (resuming its session), so instead *closed (when closed is not
 * NULL) is set to 1 when the connection closes; the caller then, and after
 * any request that got no reply, frees it and makes a new one before its
 * next request (never inside a libevent callback). Without TLS *closed is
 * never set: libevent reconnects. */
struct evhttp_connection *net_conn_new(struct event_base *base, const struct bench_cfg *cfg,
				       const char *src, int *closed);
/* Set TCP_NODELAY on c's socket, as browsers do (call right after
 * evhttp_make_request, which opens the socket if it was closed). Over TLS a
 * request leaves as several records; without it Nagle's algorithm holds
 * the body until the server's delayed ACK (40 ms). */
void net_conn_nodelay(struct evhttp_connection *c);
/* A request with Host (and Authorization when token is set) headers; cb and
 * the error callback get arg. Aborts on allocation failure. */
struct evhttp_request *net_request_new(const struct bench_cfg *cfg, const char *token,
				       void (*cb)(struct evhttp_request *, void *),
				       void (*err_cb)(enum evhttp_request_error, void *), void *arg);
/* The reply body as JSON (NULL if empty, too large or not JSON). */
json_t *net_reply_json(struct evhttp_request *req);
/* error.code of an API error body, or NULL. */
const char *net_error_code(const json_t *body);
/* Blocking GET for setup checks, on a private event base: *status is the
 * HTTP status (0: no reply), *body the reply as JSON or NULL. */
int net_get_once(const struct bench_cfg *cfg, const char *path, int *status, json_t **body,
		 char *err, size_t errlen);
/* The same for any method, with a Bearer token (or NULL) and a JSON body
 * (or NULL). */
int net_once(const struct bench_cfg *cfg, enum evhttp_cmd_type method, const char *path,
	     const char *token, const char *json_body, int *status, json_t **body, char *err,
	     size_t errlen);

/* ---- workers (bench_proc.c, bench_candidate.c, bench_ping.c) ------------ */

/* One worker's job: fill st (already initialised) and return 0, or print a
 * message and return -1. Runs in a child process. */
typedef int (*bench_worker_fn)(const struct bench_cfg *cfg, long w, struct bench_stats *st,
			       void *arg);

/* Fork cfg->workers processes (cfg->procs if larger) running fn(cfg, w, st, arg), collect and merge
 * their statistics into total (initialised by the caller with the series
 * length). SIGINT/SIGTERM are passed on to the workers, which stop early and
 * still report. Returns 0, or -1 with a message when a worker could not be
 * started or did not report. */
int proc_run(const struct bench_cfg *cfg, bench_worker_fn fn, void *arg, struct bench_stats *total,
	     double *cpu_s, char *err, size_t errlen);
/* How many of n candidates (or connections) worker w takes: those with
 * index i % cfg->workers == w. */
long proc_share(const struct bench_cfg *cfg, long n, long w);

/* The events every worker loop has besides its connections'. */
struct proc_events {
	struct event *end;      /* at cfg->t0_us + max_seconds */
	struct event *sig[2];   /* SIGINT, SIGTERM */
};

/* Create and add pe's events on base (on_end and on_signal get arg; the
 * signal number is their fd), then let SIGINT/SIGTERM through, blocked
 * since the fork. Aborts on allocation failure. */
void proc_events_add(struct proc_events *pe, struct event_base *base,
		     const struct bench_cfg *cfg, event_callback_fn on_end,
		     event_callback_fn on_signal, void *arg);
/* Free those of pe's events that exist. */
void proc_events_free(struct proc_events *pe);

/* The candidate workers (w < cfg->workers); w == cfg->workers is the
 * dashboard process (dash_worker). */
int run_worker(const struct bench_cfg *cfg, long w, struct bench_stats *st, void *arg);
int dash_worker(const struct bench_cfg *cfg, struct bench_stats *st, const struct bench_creds *creds);
int ping_worker(const struct bench_cfg *cfg, long w, struct bench_stats *st, void *arg);

/* ---- slow mode (bench_slow.c) ------------------------------------------- */

/* "ujian-bench slow ...": the whole command (argv[1] is "slow"). Returns the
 * exit status. */
int slow_main(int argc, char **argv);

#endif
