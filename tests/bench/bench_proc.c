/* bench_proc.c - worker processes: fork them, pass signals on, give their
 * loops the end-of-run and signal events, collect and merge their statistics.
 *
 * Each worker writes its struct bench_stats (and the per-second series)
 * into its own pipe when it ends; the parent reads the pipes one after the
 * other. A worker blocked on a full pipe only waits for the parent to get to
 * it, so this cannot deadlock. */
#include "bench.h"
#include "core/mem.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t proc_pids[BENCH_WORKERS_MAX + 1]; /* + the dashboard process */
static volatile sig_atomic_t proc_npids;
static volatile sig_atomic_t proc_signalled;

/* SIGINT/SIGTERM in the parent: ask every worker to stop and report. */
static void proc_on_signal(int sig)
{
	(void)sig;
	proc_signalled = 1;
	for (int i = 0; i < proc_npids; i++)
		if (proc_pids[i] > 0)
			kill(proc_pids[i], SIGTERM);
}

/* The child side: run fn and send the statistics. Never returns. */
static void proc_child(const struct bench_cfg *cfg, bench_worker_fn fn, void *arg, long w,
		       int wfd, uint32_t nsec)
{
	struct bench_stats st;
	int rc;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN); /* writes to a closed connection fail with EPIPE */
	stats_init(&st, nsec);
	/* SIGINT/SIGTERM stay blocked until fn has its own handlers
	 * (proc_events_add). */
	rc = fn(cfg, w, &st, arg);
	if (rc == 0 && stats_write(wfd, &st) != 0)
		rc = -1;
	stats_free(&st);
	close(wfd);
	_exit(rc == 0 ? 0 : 1);
}

int proc_run(const struct bench_cfg *cfg, bench_worker_fn fn, void *arg, struct bench_stats *total,
	     double *cpu_s, char *err, size_t errlen)
{
	long nw = cfg->procs > cfg->workers ? cfg->procs : cfg->workers;
	int *rfd = xcalloc((size_t)nw, sizeof *rfd);
	struct sigaction sa, old_int, old_term;
	sigset_t block, old_mask;
	struct rusage ru;
	int rc = 0;
	long started = 0;

	for (long w = 0; w < nw; w++)
		rfd[w] = -1;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	proc_signalled = 0;
	proc_npids = 0;
	fflush(NULL);
	for (long w = 0; w < nw; w++) {
		int p[2];
		pid_t pid;
		if (pipe(p) != 0) {
			snprintf(err, errlen, "pipe: %s", strerror(errno));
			rc = -1;
			break;
		}
		pid = fork();
		if (pid < 0) {
			snprintf(err, errlen, "cannot start worker %ld: %s", w, strerror(errno));
			close(p[0]);
			close(p[1]);
			rc = -1;
			break;
		}
		if (pid == 0) {
			for (long k = 0; k < w; k++)
				close(rfd[k]);
			close(p[0]);
			proc_child(cfg, fn, arg, w, p[1], total->nsec);
		}
		close(p[1]);
		rfd[w] = p[0];
		proc_pids[w] = pid;
		proc_npids = (sig_atomic_t)(w + 1);
		started++;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = proc_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (rc != 0)
		proc_on_signal(SIGTERM); /* setup failed: stop the workers already running */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	for (long w = 0; w < started; w++) {
		struct bench_stats st;
		if (stats_read(rfd[w], &st) != 0) {
			if (rc == 0)
				snprintf(err, errlen, "worker %ld ended without reporting", w);
			rc = -1;
		} else {
			stats_merge(total, &st);
			stats_free(&st);
		}
		close(rfd[w]);
	}
	for (long w = 0; w < started; w++) {
		int status = 0;
		while (waitpid(proc_pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status) && rc == 0) {
			snprintf(err, errlen, "worker %ld died of signal %d", w, WTERMSIG(status));
			rc = -1;
		} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && rc == 0) {
			snprintf(err, errlen, "worker %ld failed (exit %d)", w, WEXITSTATUS(status));
			rc = -1;
		}
	}
	proc_npids = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (proc_signalled && total->stop < STOP_SIGNAL)
		total->stop = STOP_SIGNAL;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		*cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	free(rfd);
	return rc;
}

long proc_share(const struct bench_cfg *cfg, long n, long w)
{
	return (n - w + cfg->workers - 1) / cfg->workers;
}

void proc_events_add(struct proc_events *pe, struct event_base *base,
		     const struct bench_cfg *cfg, event_callback_fn on_end,
		     event_callback_fn on_signal, void *arg)
{
	struct timeval end = bench_timeval(cfg->t0_us + (int64_t)(cfg->max_seconds * 1e6) -
					   bench_now_us());
	sigset_t sigs;

	pe->end = evtimer_new(base, on_end, arg);
	pe->sig[0] = evsignal_new(base, SIGINT, on_signal, arg);
	pe->sig[1] = evsignal_new(base, SIGTERM, on_signal, arg);
	if (!pe->end || !pe->sig[0] || !pe->sig[1])
		abort();
	evtimer_add(pe->end, &end);
	event_add(pe->sig[0], NULL);
	event_add(pe->sig[1], NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &sigs, NULL);
}

void proc_events_free(struct proc_events *pe)
{
	if (pe->end)
		event_free(pe->end);
	for (int i = 0; i < 2; i++)
		if (pe->sig[i])
			event_free(pe->sig[i]);
}
