/* event.h - the one writer of the event log (table events).
 *
 * Every event (a login, an answer change, a finish, an outage credit, and
 * next the staff actions) is appended here, inside the writer's transaction
 * of the change it records, with one canonical encoding of its detail: JSON,
 * compact, keys sorted, non-ASCII escaped (json_dumps with JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII). The same detail therefore always
 * gives the same bytes, which the hash-chained audit log of the staff issue
 * builds on. Who caused the event is stored as actor_kind/actor_id; the
 * candidate the event concerns (if any) as candidate_id. */
#ifndef UJIAN_EVENT_H
#define UJIAN_EVENT_H

#include "core/actor.h"
#include "store/writer.h"

#include <jansson.h>
#include <stdint.h>

struct event_rec {
	int64_t at;           /* server time, ms */
	struct actor actor;   /* who caused it */
	int64_t candidate_id; /* the candidate it concerns; 0 = none */
	const char *kind;     /* "login", "answer", "finish" ... (static) */
	/* answer events: question n (0 = not an answer event), label (-1 = none) */
	int n, label, flagged;
	int64_t rev;
	json_t *detail;       /* borrowed; NULL = none */
};

/* Append e inside the open transaction tx. Returns 0 or -1. */
int event_append(struct wr_tx *tx, const struct event_rec *e);
/* The canonical text of a detail object; caller frees. NULL for NULL. */
char *event_encode(const json_t *detail);

#endif
