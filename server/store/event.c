/* event.c - appending to the event log with the canonical detail encoding. */
#include "store/event.h"

#include <assert.h>
#include <stdlib.h>

static const char event_sql[] =
	"INSERT INTO events (at, candidate_id, kind, n, label, flagged, rev, detail,"
	" actor_kind, actor_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static const char event_labels[] = "ABCDEF";

char *event_encode(const json_t *detail)
{
	if (!detail)
		return NULL;
	return json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

int event_append(struct wr_tx *tx, const struct event_rec *e)
{
	sqlite3_stmt *st = wr_stmt(tx, event_sql);
	char *detail = NULL;
	int rc;

	assert(e->kind && e->actor.kind < ACTOR_KIND_MAX);
	assert(e->label >= -1 && e->label < (int)sizeof event_labels - 1);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, e->at);
	if (e->candidate_id > 0)
		sqlite3_bind_int64(st, 2, e->candidate_id);
	sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
	if (e->n > 0) {
		sqlite3_bind_int(st, 4, e->n);
		if (e->label >= 0)
			sqlite3_bind_text(st, 5, &event_labels[e->label], 1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, e->flagged);
		sqlite3_bind_int64(st, 7, e->rev);
	}
	if (e->detail) {
		detail = event_encode(e->detail);
		if (!detail)
			abort(); /* out of memory */
		sqlite3_bind_text(st, 8, detail, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 9, actor_kind_names[e->actor.kind], -1, SQLITE_STATIC);
	if (e->actor.kind != ACTOR_SYSTEM)
		sqlite3_bind_int64(st, 10, e->actor.id);
	rc = wr_step(st);
	sqlite3_clear_bindings(st); /* detail is freed next */
	free(detail);
	return rc;
}
