/* adata_time.c - the time spent on each question of an attempt, from its
 * position, answer, pause and resume events (include/analysis/adata.h:
 * adata_dwell; the rules: docs/ANALYSIS.md "Time per item"). Pure. */
#include "analysis/adata.h"

#include <assert.h>

const char *adata_time_source_name(enum adata_time_source s)
{
	static const char *const names[] = { NULL, "position", "answers", "mixed" };
	return (unsigned)s < sizeof names / sizeof *names ? names[s] : NULL;
}

enum adata_time_source adata_dwell(const struct adata_ev *ev, int n_ev, int64_t started_at,
				   int64_t finished_at, int n_q, int32_t *time_ms)
{
	int64_t t = started_at, pending = 0;
	int paused = 0, cur = 1, has_pos = 0;

	assert(n_q >= 0 && finished_at >= started_at);
	for (int i = 0; i < n_ev && !has_pos; i++)
		has_pos = ev[i].kind == ADATA_EV_POSITION;
	for (int q = 0; q < n_q; q++)
		time_ms[q] = has_pos ? 0 : -1;
	for (int i = 0; i < n_ev; i++) {
		int64_t at = ev[i].at < t ? t : ev[i].at > finished_at ? finished_at : ev[i].at;
		int n = ev[i].n;
		switch (ev[i].kind) {
		case ADATA_EV_PAUSE:
			if (!paused) {
				if (has_pos) {
					if (cur >= 1 && cur <= n_q)
						time_ms[cur - 1] += (int32_t)(at - t);
				} else {
					pending += at - t;
				}
				paused = 1;
			}
			t = at;
			break;
		case ADATA_EV_RESUME:
			paused = 0;
			t = at;
			break;
		case ADATA_EV_POSITION:
		case ADATA_EV_ANSWER:
			if (!has_pos) {
				if (ev[i].kind != ADATA_EV_ANSWER || n < 1 || n > n_q)
					break;
				/* the time since the previous answer was spent on this one */
				if (time_ms[n - 1] < 0)
					time_ms[n - 1] = 0;
				time_ms[n - 1] += (int32_t)(pending + (paused ? 0 : at - t));
				pending = 0;
				t = at;
				break;
			}
			if (!paused && cur >= 1 && cur <= n_q)
				time_ms[cur - 1] += (int32_t)(at - t);
			t = at;
			cur = n;
			break;
		default:
			break;
		}
	}
	if (has_pos && !paused && cur >= 1 && cur <= n_q)
		time_ms[cur - 1] += (int32_t)(finished_at - t);
	return has_pos ? ADATA_TIME_POSITION : ADATA_TIME_ANSWERS;
}
