/* clockstep.c - a wall-clock step leaves every running attempt's remaining
 * time unchanged (include/exam/clockstep.h). */
#include "exam/clockstep.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* The audit event of one step. */
struct clockstep_op {
	struct wr_op op;
	int64_t step_ms;
	int64_t before_ms; /* the server's time just before the step */
	int attempts;
};

static int clockstep_apply_event(struct wr_tx *tx, struct wr_op *op)
{
	struct clockstep_op *s = (struct clockstep_op *)op;
	char before[40], after[40];
	json_t *detail = json_pack("{s:I,s:s,s:s,s:i}", "step_ms", (json_int_t)s->step_ms,
				   "server_time_before",
				   clock_format_rfc3339(s->before_ms, 0, before, sizeof before),
				   "wall_clock_after", clock_format_rfc3339(op->at, 0, after, sizeof after),
				   "attempts_moved", s->attempts);
	struct event_rec e = { .at = op->at, .actor = op->owner, .kind = "clock_step", .label = -1,
			       .detail = detail };
	int rc = event_append(tx, &e);
	json_decref(detail);
	return rc;
}

int clockstep_apply(struct exam_rt *x, int64_t step_ms, int64_t now)
{
	struct clockstep_op *s;
	char reason[96];
	int moved = 0;

	assert(step_ms != 0);
	snprintf(reason, sizeof reason, "the server's wall clock was stepped by %+.3f s",
		 (double)step_ms / 1000.0);
	for (struct rt_candidate *c = x->reg.all; c; c = c->all_next) {
		if (c->status != ATT_IN_PROGRESS || c->paused_at || c->broken)
			continue;
		attempt_credit(x, c, step_ms, "clock_step", actor_system(), reason, now, NULL, NULL);
		moved++;
	}
	s = xcalloc(1, sizeof *s);
	wr_op_init(&s->op, clockstep_apply_event, actor_system(), now);
	s->step_ms = step_ms;
	s->before_ms = now - step_ms;
	s->attempts = moved;
	writer_submit(x->w, &s->op);
	log_warn("clock: the system's wall clock was stepped by %+.3f s; the server's time "
		 "follows it and the deadlines of %d running attempt%s moved by the same step, "
		 "so no candidate gains or loses time",
		 (double)step_ms / 1000.0, moved, moved == 1 ? "" : "s");
	return moved;
}
