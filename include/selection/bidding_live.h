/* bidding_live.h - the live stream of an open-bidding selection: one SSE
 * topic per selection (made on its first subscriber), whose "snapshot" is
 * the body of GET S/selections/{S} and whose "vacancy" events carry the
 * body of GET S/selections/{S}/vacancies/{V} after any change in that
 * vacancy: a member's score, a gate decision, the PPK's choice, an import,
 * closing, and an applicant finishing the exam that feeds its assessment.
 *
 * The loop never reads the database: every snapshot and vacancy body is
 * built by a worker job (on the worker's read-only connection) and
 * published from its completion on the loop. A finished attempt costs
 * nothing unless some topic exists whose selection is fed by that exam.
 * Loop thread only. The "me" part of a stream's snapshot is not personal
 * (no viewer): clients take it from their own GET. */
#ifndef UJIAN_BIDDING_LIVE_H
#define UJIAN_BIDDING_LIVE_H

#include "core/worker.h"
#include "exam/registry.h"
#include "http/sse.h"

#include <event2/http.h>

struct bid_live;

/* Streams on hub; database work on pool (whose threads' context is a
 * read-only sqlite3 connection). */
struct bid_live *bid_live_new(struct sse_hub *hub, struct worker_pool *pool);
/* Free every topic (ending its streams). NULL is fine. */
void bid_live_free(struct bid_live *l);

/* How the caller refuses a stream: status 404 (no such selection), 500
 * (a database error) or 503 (the hub or the worker queue is full). */
typedef void (*bid_live_reply_fn)(struct evhttp_request *req, int status);

/* Answer req with selection sel's stream once a worker has built its
 * snapshot, or call refuse (exactly one of the two happens). */
void bid_live_subscribe(struct bid_live *l, const char *sel, struct evhttp_request *req,
			bid_live_reply_fn refuse);

/* Vacancy vac of selection sel changed (vac "" = the selection as a whole,
 * or several vacancies): republish (nothing when nobody watches). */
void bid_live_changed(struct bid_live *l, const char *sel, const char *vac);

/* c finished (the exam observer's EXC_FINISH, durable): republish the
 * vacancies whose applicants' assessment is c's attempt. NULL l is fine. */
void bid_live_exam_finished(struct bid_live *l, const struct rt_candidate *c);

#endif
