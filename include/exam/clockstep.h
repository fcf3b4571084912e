/* clockstep.h - keeping exam time when the system's wall clock is stepped
 * (docs/OPERATIONS.md, "When the server's clock is wrong or corrected").
 *
 * The server's time is carried by the monotonic clock (core/clock.h); the
 * loop's one-second tick calls clock_check_step, and when the wall clock
 * has been stepped the server's time follows it at once. So that no running
 * attempt gains or loses time, each one's deadline moves by the same step:
 * a time-ledger row of kind "clock_step" (negative when the clock went
 * back), and one audit event "clock_step" (system) records the step. A
 * paused attempt is left alone: its resume credits the pause measured on
 * the same clock, so the step cancels out there. Loop thread only. */
#ifndef UJIAN_CLOCKSTEP_H
#define UJIAN_CLOCKSTEP_H

#include "exam/attempt.h"

#include <stdint.h>

/* The wall clock moved by step_ms (non-zero; positive: forward) and the
 * server's time with it; now is the server's time after the step. Moves the
 * deadline of every running, unpaused attempt of x by step_ms and queues the
 * audit event. Returns the number of attempts moved. */
int clockstep_apply(struct exam_rt *x, int64_t step_ms, int64_t now);

#endif
