/* outage.h - the exam domain when the disk fails (issue 12; store/writer.h
 * "storage unavailable"). A write of a candidate that fails for the storage
 * leaves the candidate "stale" (registry.h): RAM holds a change the
 * database does not. Once no write of the candidate is in flight it is
 * reloaded from the database through exam_rt.rdb, so replies and later
 * writes start from what is stored. While storage is unavailable deadlines
 * wait (a finish could not be stored); when it is back the outage is
 * credited to every running attempt (time ledger kind "storage_outage"). */
#ifndef UJIAN_OUTAGE_H
#define UJIAN_OUTAGE_H

#include "exam/attempt.h"

/* 1 while the writer cannot store anything (its hook said so, or the
 * writer already knows before the hook ran). */
int outage_storage_down(const struct exam_rt *x);
/* Reload c (c->stale, c->pending == 0) from x->rdb and re-arm its timer;
 * without a read connection, or if the read fails, c is marked broken. */
void outage_reload(struct exam_rt *x, struct rt_candidate *c);
/* For the done of any operation counted in c->pending (an attempt, a
 * session, a proctor record): once no write of c is in flight, a stale c
 * is reloaded. */
void outage_settle(struct exam_rt *x, struct rt_candidate *c);
/* The writer's storage hook (writer_on_storage; arg is the exam_rt). ok = 0:
 * storage became unavailable at since. ok = 1: it is back at now; when
 * outage credit is on, now - since (from the attempt's start if later), plus
 * any earlier outage credit whose write failed (c->owed_ms), is credited to
 * every running, unpaused attempt: the candidate could not save during it
 * and is never charged for the server's outage. Then the probe's record of
 * the outage (meta storage_outage_from/to) is cleared by an operation queued
 * after the credits; a crash before that leaves it to attempt_recover. */
void outage_storage_changed(void *arg, int ok, int64_t since_ms, int64_t now_ms);
/* An operation deleting the probe's record of the outage that ended at to
 * (only that one). Owned by whoever applies it (default release). */
struct wr_op *outage_clear_op(int64_t to, int64_t now);

#endif
