/* event.h - the one writer of the event log (table events), which is the
 * hash-chained audit log.
 *
 * Every event (a login, an answer change, a finish, an outage credit, and
 * next the staff actions) is appended here, inside the writer's transaction
 * of the change it records (the writer thread, or wr_apply_now for recovery
 * and CLI commands), with one canonical encoding of its detail: JSON,
 * compact, keys sorted, non-ASCII escaped (json_dumps with JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII), so the same detail always gives the
 * same bytes. Who caused the event is stored as actor_kind/actor_id; the
 * candidate the event concerns (if any) as candidate_id.
 *
 * The chain: each event gets the next id (the head's + 1, read in the same
 * transaction), prev = the head's hash, and hash = SHA-256 over prev and its
 * columns as store/chain.h encodes them. Nothing else may insert into,
 * update or delete from events: report/audit.c names any row that did. */
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

/* Append e, chained, inside the open transaction tx (which must have begun
 * IMMEDIATE, as every writer transaction does). Returns 0 or -1. */
int event_append(struct wr_tx *tx, const struct event_rec *e);
/* The canonical text of a detail object; caller frees. NULL for NULL. */
char *event_encode(const json_t *detail);

#endif
