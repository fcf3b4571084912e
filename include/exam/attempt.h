/* attempt.h - the life of an attempt: start, answers, finish, the clock.
 *
 * All functions run on the loop thread and change RAM first, then submit the
 * matching store op; callers reply from the op's completion, i.e. after the
 * commit. The deadline is enforced twice: every request checks it, and a
 * timer per running attempt finishes it (time_up) at the deadline even if no
 * request ever comes. */
#ifndef UJIAN_ATTEMPT_H
#define UJIAN_ATTEMPT_H

#include "exam/registry.h"
#include "app/server.h"

#include <sqlite3.h>

/* Start c's attempt at now (status must be not_started). then runs after the
 * start is committed. */
void attempt_start(struct server *s, struct rt_candidate *c, int64_t now, server_then_fn then,
		   void *arg);
/* If c is in progress and its deadline has passed, finish it (time_up, at the
 * deadline). Returns 1 if c is finished now. */
int attempt_expire_if_due(struct server *s, struct rt_candidate *c, int64_t now);
/* Record answer n (1-based) with label (-1 none), flagged, rev (must be
 * greater than the stored rev). then runs after the commit. */
void attempt_answer(struct server *s, struct rt_candidate *c, int n, int label, int flagged,
		    uint32_t rev, int64_t now, server_then_fn then, void *arg);
/* Finish c (in progress): score from RAM, submit the finish. */
void attempt_finish(struct server *s, struct rt_candidate *c, enum finish_reason why,
		    int64_t finished_at, server_then_fn then, void *arg);
/* Compute c's section scores, total and pass flag from its answers. */
void attempt_score(struct rt_candidate *c);
/* (Re)arm the deadline timer of a running attempt. */
void attempt_arm(struct server *s, struct rt_candidate *c);

/* Start-up recovery, before the server accepts connections: credit the
 * downtime since the last heartbeat to every running attempt (if enabled) and
 * finish attempts whose time ran out, in one transaction on db; then arm the
 * timers. Returns 0 or -1 with err. */
int attempt_recover(struct server *s, sqlite3 *db, char *err, size_t errlen);

#endif
