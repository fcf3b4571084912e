/* live.h - the proctoring domain's internal state and writer operations,
 * shared by proctor/proctor.c (state, dashboards, ticks), proctor/incident.c
 * and proctor/action.c. Internal to proctor/. */
#ifndef UJIAN_PROCTOR_LIVE_H
#define UJIAN_PROCTOR_LIVE_H

#include "core/hmap.h"
#include "proctor/proctor.h"
#include "store/writer.h"

struct pr_notice {
	int64_t id, at;
	char *text; /* owned */
};

/* A sitting's live state (rt_sitting.live). */
struct pr_sitting {
	struct proctor *pr;
	struct rt_sitting *st;
	struct sse_topic *topic;
	struct rt_candidate **cands; /* the sitting's candidates */
	int n_cands, cap_cands;
	struct rt_candidate **dirty; /* changed since the last flush */
	int n_dirty, cap_dirty;
	int changed; /* the sitting itself changed (token, start, close) */
	struct pr_notice notices[UJ_NOTICES_KEPT]; /* ring, oldest first from head */
	int n_notices, notice_head;
};

/* A candidate's live state (rt_candidate.live). */
struct pr_cand {
	int dirty;
	int offline;              /* seen offline by the tick */
	int64_t offline_since;    /* the current or last offline spell */
	int64_t back_at;          /* when the last spell ended (0: still, or none) */
	int64_t ans[UJ_SPEED_ANSWERS]; /* recent answer times, a ring */
	int ans_n, ans_i;
	int64_t speed_at;         /* last implausible-speed incident */
	int reset_pending;        /* a proctor reset the session: the next login
				   * from another seat is expected */
	char addr[UJ_PEER_MAX + 1]; /* the seat of the last login */
	char fp[UJ_SEAT_FP_MAX + 1];
	int logins;
	struct pr_notice notices[UJ_NOTICES_KEPT]; /* to this candidate alone */
	int n_notices, notice_head;
};

struct proctor {
	struct exam_rt *x;
	struct auth_rt *auth;
	struct sse_hub *hub;
	struct hmap sittings; /* id -> rt_sitting */
	struct event *tick;   /* every second: offline, token rotation */
	struct event *flush;  /* UJ_SSE_FLUSH_MS after the first change */
	int flush_armed;
	struct pr_sitting **dirty_sittings;
	int n_dirty_sittings, cap_dirty_sittings;
	exam_observe_fn chain;
	void *chain_arg;
};

/* ---- writer operations (proctor.c) ---- */

enum pop_kind {
	POP_EVENT,   /* append one event */
	POP_NOTICE,  /* a broadcast: notices row + event */
	POP_SITTING, /* the sitting's token, start or close + event */
};

struct proctor_op;
typedef void (*pop_then_fn)(struct proctor_op *o);

struct proctor_op {
	struct wr_op op;
	enum pop_kind kind;
	struct proctor *pr;
	struct rt_candidate *c;  /* NULL: not about one candidate */
	struct rt_sitting *st;   /* NULL: not about a sitting */
	int64_t cand_id, exam_id, sitting_id;
	const char *event;       /* event kind (static) */
	json_t *detail;          /* owned */
	char *text;              /* notice body (owned) */
	/* POP_SITTING: the new values */
	char token[UJ_SITTING_TOKEN_LEN + 1], prev_token[UJ_SITTING_TOKEN_LEN + 1];
	int64_t token_at, started_at, closed_at, closed_by;
	/* filled by apply, read by then */
	int64_t out_id;          /* notice id / event id */
	char out_head[2 * UJ_HASH_LEN + 1]; /* close: the log's head hash, hex */
	pop_then_fn then;
	void *arg;
};

/* A new operation of kind by who at now (not submitted). */
struct proctor_op *pop_new(struct proctor *pr, enum pop_kind kind, struct actor who, int64_t now);
/* Submit o; then(o) runs on the loop once durable (o->op.failed tells). */
void pop_submit(struct proctor *pr, struct proctor_op *o, pop_then_fn then, void *arg);

/* ---- shared helpers (proctor.c) ---- */

/* Mark c changed: its row goes out with the next flush. */
void pr_touch(struct proctor *pr, struct rt_candidate *c);
/* Mark the sitting changed: a "sitting" event goes out with the next flush. */
void pr_touch_sitting(struct proctor *pr, struct rt_sitting *st);
/* Publish one event on the sitting's dashboards at once. */
void pr_publish(struct rt_sitting *st, const char *event, json_t *data);
/* Add a broadcast to RAM (after it is durable): to c, or to the sitting. */
void pr_notice_add(struct proctor *pr, struct rt_sitting *st, struct rt_candidate *c, int64_t id,
		   int64_t at, const char *text);
/* A new random sitting token into out. */
void pr_new_token(char out[UJ_SITTING_TOKEN_LEN + 1]);
/* Record a server-detected or client-reported incident of c (durable, then
 * counted and published). type static; ms < 0: none; detail extra fields
 * (stolen, may be NULL). */
void pr_incident(struct proctor *pr, struct rt_candidate *c, const char *type, int64_t ms,
		 const char *by, json_t *extra, int64_t now);
/* The status word of c on a dashboard. */
const char *pr_status(const struct rt_candidate *c);

#endif
