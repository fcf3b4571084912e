/* attempt_op.h - the writer operation of one attempt change, shared by the
 * exam layer's modules that build such operations (attempt.c, recover.c).
 * Not for other layers: they call the functions of exam/attempt.h. */
#ifndef UJIAN_ATTEMPT_OP_H
#define UJIAN_ATTEMPT_OP_H

#include "exam/attempt.h"
#include "store/writer.h"

#include <stdint.h>

enum attempt_op_kind {
	AOP_BARRIER,
	AOP_START,
	AOP_ANSWER,
	AOP_POSITION,
	AOP_FINISH,
	AOP_CREDIT,
	AOP_EXTRA,
	AOP_PAUSE,
	AOP_RESUME
};

/* One change of one attempt. The apply functions read only this struct
 * (never the loop-owned candidate). */
struct attempt_op {
	struct wr_op op;
	enum attempt_op_kind kind;
	int64_t cand_id;
	struct rt_candidate *c; /* for then, on the loop */
	struct exam_rt *x;      /* for the observer, on the loop */
	attempt_then_fn then;
	void *arg;
	char *reason; /* a proctor's reason (owned; NULL = none) */
	union {
		struct answer_rec answer;
		int position;
		struct {
			enum finish_reason reason;
			int64_t finished_at;
			char *scores_json; /* owned */
			int total, passed;
		} finish;
		struct {
			int64_t credit_ms, delta_ms;
			const char *kind; /* ledger and event kind (static) */
			char note[128];
		} credit;
		struct {
			int64_t paused_at; /* pause: since; resume: when it began */
			int64_t credit_ms; /* resume: the new total credit */
		} pause;
		struct {
			int from_s, to_s;
		} extra;
	} u;
};

/* A new operation of kind on c, by actor, at now (not submitted; its pending
 * counts in c->pending). */
struct attempt_op *attempt_op_new(enum attempt_op_kind kind, struct rt_candidate *c,
				  struct actor actor, int64_t now);
/* Move c to finished in RAM (scored, timer disarmed) and build the finish
 * operation (not submitted). */
struct attempt_op *attempt_finish_op(struct rt_candidate *c, enum finish_reason why,
				     int64_t finished_at, struct actor actor, int64_t now);

#endif
