/* talent_live.h - the live feed of talent mapping: an SSE topic per period
 * (GET S/talent/periods/{P}/events), and the recompute that follows an
 * exam finish, off the loop.
 *
 * On a finish of a candidate whose exam feeds a period not closed (the set
 * of such exams is kept in RAM, re-read every UJ_TALENT_REFRESH_MS and
 * after every period change), the candidate's id is queued; one worker job
 * at a time takes everything queued, opens its own read-write connection,
 * resolves each candidate's NIP to an employee, recomputes that employee's
 * placements (talent_recompute) and, for each period a dashboard watches
 * and in which something changed, builds the period's grid once and one
 * "placement" event per changed employee ({"employee": row, "boxes": [...]};
 * more than UJ_TALENT_LIVE_EVENTS_MAX: one "snapshot" event instead). The
 * loop then publishes them and keeps the grid as the topic's snapshot.
 * Changes made elsewhere (entered values, a configuration edit) are
 * published the same way through talent_live_changed.
 *
 * Loop thread only, except that the jobs run on the worker pool. */
#ifndef UJIAN_TALENT_LIVE_H
#define UJIAN_TALENT_LIVE_H

#include "core/worker.h"
#include "http/sse.h"

#include <event2/event.h>
#include <event2/http.h>
#include <stddef.h>
#include <stdint.h>

struct talent_live;

/* A feed over hub, running its jobs on pool and opening db_path. Reads the
 * set of feeding exams now (a start-up read). Never NULL. */
struct talent_live *talent_live_new(struct event_base *base, struct sse_hub *hub,
				    struct worker_pool *pool, const char *db_path);
/* No more jobs from now on (before the pool stops); queued work is dropped. */
void talent_live_stop(struct talent_live *l);
/* Free the topics (ending their streams) and the feed; after the pool's
 * last completions ran. NULL is fine. */
void talent_live_free(struct talent_live *l);

/* Candidate candidate_id of exam exam_code finished (the exam observer's
 * EXC_FINISH). Queues the recompute when the exam feeds a period. */
void talent_live_finished(struct talent_live *l, int64_t candidate_id, const char *exam_code);
/* Period code changed for the employees emp[0..n) (already recomputed and
 * committed); n == 0: for everyone (a "snapshot" event). Re-reads the set
 * of feeding exams too. */
void talent_live_changed(struct talent_live *l, const char *code, const int64_t *emp, size_t n);
/* Something changed for everyone (an import of employees, SKP ratings or
 * sanctions, already recomputed and committed): every watched period gets
 * a "snapshot" event. */
void talent_live_changed_all(struct talent_live *l);
/* Answer req with the stream of period code, whose grid is snapshot (the
 * GET body as JSON text, len bytes; copied): 0, or -2 when the hub is full
 * (req untouched: the caller replies 503). */
int talent_live_subscribe(struct talent_live *l, const char *code, const char *snapshot,
			  size_t len, struct evhttp_request *req);

/* Jobs run so far (tests, logs). */
long talent_live_jobs(const struct talent_live *l);

#endif
