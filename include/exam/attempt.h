/* attempt.h - the life of an attempt: start, answers, position, finish, the
 * clock, recovery after a restart.
 *
 * All functions run on the loop thread. They decide (is the attempt
 * running? is the answer newer than the stored one?), change RAM first, then
 * submit the matching writer operation, whose apply function (here, in
 * attempt.c) is the only SQL that changes attempts, answers and the time
 * ledger. then(c, arg) runs after the commit: callers reply from it. The
 * deadline is enforced twice: every request checks it, and a timer per
 * running attempt finishes it (time_up, at the deadline) even if no request
 * ever comes. Finishing exists once (attempt_finish); start-up recovery
 * applies the same operation. */
#ifndef UJIAN_ATTEMPT_H
#define UJIAN_ATTEMPT_H

#include "core/errtext.h"
#include "exam/registry.h"
#include "store/writer.h"

#include <event2/event.h>
#include <sqlite3.h>

/* What changed about a candidate, for an observer (the proctor domain's
 * dashboards and the public scoreboard). */
enum exam_change {
	EXC_LOGIN,    /* a session began (durable) */
	EXC_SESSION,  /* a session ended: logout, reset by a proctor */
	EXC_START,    /* the attempt started (durable) */
	EXC_ANSWER,   /* an answer or flag changed (durable) */
	EXC_POSITION, /* the question the candidate is on (durable) */
	EXC_FINISH,   /* the attempt finished, for any reason (durable) */
	EXC_PAUSE,    /* paused or resumed */
	EXC_TIME,     /* the deadline moved: extra time, a credit */
	EXC_SEEN,     /* a request arrived (online, seat) */
	EXC_INCIDENT, /* an incident was recorded */
	EXC_MAX
};

/* Called on the loop after the change is durable (EXC_SEEN at once). */
typedef void (*exam_observe_fn)(void *arg, struct rt_candidate *c, enum exam_change what);

/* The exam domain's running context (loop thread). */
struct exam_rt {
	struct registry reg;
	struct event_base *base; /* deadline timers */
	struct writer *w;        /* NULL until the writer runs (recovery) */
	int outage_credit;       /* credit server downtime to running attempts */
	int64_t recovered_at;    /* when recovery credited downtime; 0: it did not */
	/* issue 12: storage faults. A read connection (loop thread) from which a
	 * candidate whose write failed for the storage is reloaded (NULL: such a
	 * candidate is marked broken instead), and whether the writer reported
	 * storage unavailable (set and cleared by outage_storage_changed). */
	sqlite3 *rdb;
	int storage_down;
	exam_observe_fn observe; /* NULL: nobody watches */
	void *observe_arg;
};

/* Tell the observer (if any) that c changed. */
void attempt_notify(struct exam_rt *x, struct rt_candidate *c, enum exam_change what);

/* Runs on the loop once the operation is durable (ok = 1), or once the
 * writer has left it out (ok = 0), either way exactly once. ok = 0 with
 * c->broken: it failed on its own (registry.h); without: the storage failed
 * (disk full, I/O error), nothing of it is stored, and c's RAM is (or, while
 * other writes of c are in flight, will be) reloaded from the database. */
typedef void (*attempt_then_fn)(struct rt_candidate *c, int ok, void *arg);

/* One answer as requested, and (after attempt_answer) as it will be stored. */
struct answer_rec {
	int n;          /* 1-based question */
	int label;      /* -1 = none */
	int flagged;
	uint32_t rev;
};

/* Error codes of the exam domain and their messages (for the HTTP layer). */
extern const struct errtext_table attempt_errors;

/* 1 if exam e admits starts at now (inside opens_at/closes_at). */
int attempt_exam_open(const struct rt_exam *e, int64_t now);
/* Start c's attempt at now (status must be not_started). */
void attempt_start(struct exam_rt *x, struct rt_candidate *c, int64_t now, attempt_then_fn then,
		   void *arg);
/* If c is in progress and its deadline has passed, finish it (time_up, at the
 * deadline). Returns 1 if c is finished now. */
int attempt_expire_if_due(struct exam_rt *x, struct rt_candidate *c, int64_t now);
/* Record the answer in *rec (c in progress, 1 <= rec->n <= c->n, label valid
 * for the question) if rec->rev is newer than the stored rev; otherwise
 * change nothing and set *rec to the stored state. Either way then runs once
 * *rec is durable; rec must stay valid until then. */
void attempt_answer(struct exam_rt *x, struct rt_candidate *c, struct answer_rec *rec, int64_t now,
		    attempt_then_fn then, void *arg);
/* The question c is on (1 <= n <= c->n, c in progress). A move is stored
 * with a "position" event (n = the new position: the time per item of the
 * analysis is measured from these); staying where c is stores nothing (then
 * runs once what is in flight is durable). */
void attempt_position(struct exam_rt *x, struct rt_candidate *c, int n, int64_t now,
		      attempt_then_fn then, void *arg);
/* Finish c (in progress): score from RAM, submit the finish. actor: who
 * finished it (the candidate, or the system at the deadline). */
void attempt_finish(struct exam_rt *x, struct rt_candidate *c, enum finish_reason why,
		    int64_t finished_at, attempt_then_fn then, void *arg);
/* End c's running attempt by a staff member (who) for reason (may be
 * NULL): why = FINISH_PROCTOR (scored as usual) or FINISH_DISQUALIFIED
 * (scores kept for the record, never passing). A pause ends with it. */
void attempt_end_by(struct exam_rt *x, struct rt_candidate *c, enum finish_reason why,
		    struct actor who, const char *reason, int64_t now, attempt_then_fn then,
		    void *arg);
/* Pause c's running attempt (not paused) at now: its clock stops, its timer
 * too; answers are refused (409 paused) until attempt_resume, which credits
 * the paused time to c (time ledger "pause") and re-arms the timer. The
 * reason is shown to the candidate and stored with the events. */
void attempt_pause(struct exam_rt *x, struct rt_candidate *c, struct actor who, const char *reason,
		   int64_t now, attempt_then_fn then, void *arg);
void attempt_resume(struct exam_rt *x, struct rt_candidate *c, struct actor who, const char *reason,
		    int64_t now, attempt_then_fn then, void *arg);
/* Give c's running attempt delta_ms more time: a time-ledger row and an
 * event of kind (static: "proctor_extend", "proctor_credit"), by who, with
 * reason; the deadline and timer move. */
void attempt_credit(struct exam_rt *x, struct rt_candidate *c, int64_t delta_ms, const char *kind,
		    struct actor who, const char *reason, int64_t now, attempt_then_fn then,
		    void *arg);
/* then runs once everything submitted for c so far is durable (at once if
 * nothing is in flight), with ok = 0 if c is broken. */
void attempt_when_durable(struct exam_rt *x, struct rt_candidate *c, attempt_then_fn then,
			  void *arg);
/* Compute c's section scores, total and pass flag from its answers. */
void attempt_score(struct rt_candidate *c);
/* The stored scores_json of c (section scores); caller frees. */
char *attempt_scores_json(const struct rt_candidate *c);
/* Set c's extra time (c not finished) to extra_s seconds, by who: RAM now
 * (a running attempt's deadline and timer move with it), the database and
 * its "extra_time_set" event through the writer; then as for the others. */
void attempt_set_extra(struct exam_rt *x, struct rt_candidate *c, int extra_s, struct actor who,
		       int64_t now, attempt_then_fn then, void *arg);
/* (Re)arm the deadline timer of a running attempt. */
void attempt_arm(struct exam_rt *x, struct rt_candidate *c);
/* Stop and release c's deadline timer (none: nothing happens). */
void attempt_disarm(struct rt_candidate *c);

/* An attempt taken offline (the demo's pre-filled attempts): c (not
 * started, nothing in flight) starts at started_at, answers labels[i] for
 * question i + 1 (the label as shown, -1 = blank), going through the
 * questions in order (a position event at each move; each question's share
 * of the time taken depends on its item, a little on the candidate; the
 * answer four fifths into it), and ends at finished_at for why (FINISH_SUBMITTED,
 * FINISH_TIME_UP, or FINISH_DISQUALIFIED with reason: scores kept, never
 * passing). RAM changes as for a live attempt and the same operations
 * (scored by attempt_score, with the same events) are appended at *tail
 * (a list linked through next; *tail moves to its new end), for the caller
 * to apply with wr_apply_now in one transaction; no writer thread, no
 * timer, no observer. */
void attempt_replay(struct rt_candidate *c, const int8_t *labels, int64_t started_at,
		    int64_t finished_at, enum finish_reason why, const char *reason,
		    struct wr_op ***tail);

/* Start-up recovery, before the server accepts connections and before the
 * writer runs: credit the downtime since the last heartbeat to every running
 * attempt (if enabled) and finish attempts whose time ran out, in one
 * transaction on db with the writer's own apply functions; then arm the
 * timers. Returns 0 or -1 with err. */
int attempt_recover(struct exam_rt *x, sqlite3 *db, char *err, size_t errlen);
/* Once the server listens again (writer running): credit every running,
 * unpaused attempt the start-up time between recovery's credit and now, so
 * that downtime is credited up to the moment candidates can reach the server
 * again, not up to the moment recovery ran. Through the writer; returns the
 * number of attempts credited (0 when recovery credited nothing). */
int attempt_credit_startup(struct exam_rt *x, int64_t now);


#endif
