/* proctor.h - the proctoring domain: sittings live, the room dashboards'
 * streams, incidents, broadcasts, and the proctors' actions.
 *
 * Loop thread only. The domain watches the exam domain through its
 * observer hook (exam_rt.observe): every durable change of a candidate in a
 * sitting marks that candidate "dirty"; every UJ_SSE_FLUSH_MS the dirty
 * candidates of each sitting are encoded once, as one "rows" event, and
 * fanned out by the SSE hub to every dashboard watching that sitting (so
 * changes are coalesced per candidate and a burst costs one encoding per
 * flush). A one-second tick notices candidates that went offline (no
 * request for UJ_ONLINE_GRACE_MS) and rotates sitting tokens that rotate by
 * themselves.
 *
 * Writes go through the writer like every other domain's: this module's own
 * operations (incidents, notices, sitting changes, the record of an action)
 * and, for what they change, the exam domain's (pause, credit, finish) and
 * the auth domain's (session reset, password). */
#ifndef UJIAN_PROCTOR_H
#define UJIAN_PROCTOR_H

#include "auth/principal.h"
#include "auth/session.h"
#include "exam/attempt.h"
#include "http/sse.h"

#include <event2/http.h>
#include <jansson.h>
#include <sqlite3.h>

struct proctor;

/* The domain over x (its registry, base and writer), auth (sessions) and
 * hub (streams). It sets itself as x's observer; chain is called too
 * (chain_arg) for every change (e.g. the public scoreboard). */
struct proctor *proctor_new(struct exam_rt *x, struct auth_rt *auth, struct sse_hub *hub);
/* Read what RAM lacks after the catalog loaded: notices and incident
 * counts, from db. 0, or -1 with err. */
int proctor_load(struct proctor *pr, sqlite3 *db, char *err, size_t errlen);
/* The catalog changed (sittings or candidates added or moved): attach the
 * domain's state to what is new and refresh every dashboard. */
void proctor_catalog_changed(struct proctor *pr);
/* Stop timers, end streams, release the state hung on sittings and
 * candidates (before registry_free). NULL is a no-op. */
void proctor_free(struct proctor *pr);

/* A second observer of every change (the scoreboard): called after the
 * proctor's own handling. */
void proctor_chain(struct proctor *pr, exam_observe_fn fn, void *arg);

/* ---- reads ---- */

/* The sitting with this id, or NULL. */
struct rt_sitting *proctor_sitting(const struct proctor *pr, int64_t id);
/* 1 if the staff principal p may see st: an admin or observer always; a
 * proctor when assigned to it or when its exam is in their scope. */
int proctor_may_see(const struct principal *p, const struct rt_sitting *st);
/* Every sitting p may see, as the sitting list. */
json_t *proctor_sittings_json(const struct proctor *pr, const struct principal *p, int64_t now);
/* The sitting's dashboard document: {"sitting","server_time","rows"}. The
 * token is included when with_token. */
json_t *proctor_dashboard_json(const struct proctor *pr, const struct rt_sitting *st,
			       int with_token, int64_t now);
/* Open a dashboard stream of st on req (sse_subscribe). 0, or -1 if full. */
int proctor_subscribe(struct proctor *pr, struct rt_sitting *st, struct evhttp_request *req);
/* The newest broadcasts c is shown: [{"id","at","text"}]. */
json_t *proctor_notices_json(const struct proctor *pr, const struct rt_candidate *c);
/* 1 if c may not start yet: its sitting starts together and the proctor
 * has not pressed Mulai. */
int proctor_must_wait(const struct rt_candidate *c);

/* ---- incidents (proctor/incident.c) ---- */

/* Record the incidents a candidate's client reports (items: the parsed
 * array, already checked by proctor_incidents_check). Returns the number
 * recorded. */
int proctor_incidents(struct proctor *pr, struct rt_candidate *c, json_t *items, int64_t now);
/* Check a client's incident list; 0, or -1 with err (Indonesian, naming the
 * item and field). */
int proctor_incidents_check(json_t *items, char *err, size_t errlen);

/* ---- actions (proctor/action.c) ---- */

enum proctor_action_kind {
	PA_EXTEND,
	PA_PAUSE,
	PA_RESUME,
	PA_RESET_LOGIN,
	PA_UNLOCK,
	PA_PASSWORD,
	PA_FINISH,
	PA_DISQUALIFY,
	PA_MESSAGE,
	PA_CREDIT,
	PA_START,
	PA_TOKEN,
	PA_CLOSE,
	PA_MAX
};

extern const char *const proctor_action_names[PA_MAX];

/* A proctor's action, as the API parsed it. */
struct proctor_action {
	enum proctor_action_kind kind;
	char reason[UJ_REASON_MAX + 1];
	char text[UJ_NOTICE_MAX + 1]; /* message */
	int minutes;                  /* extend */
	int64_t from, to;             /* credit window, ms */
	int all;                      /* every candidate of the sitting */
	json_t *regnos;               /* the chosen registration numbers (borrowed) */
};

/* Runs once the action is durable: reply is the API's reply body (owned by
 * the callee), or NULL with status and code of a refusal. */
typedef void (*proctor_done_fn)(void *arg, int status, const char *code, json_t *reply);

/* Check act against st (candidates exist in it, the sitting is open, the
 * action applies): errors into errs (each naming the item) and return -1,
 * or carry it out for staff member who and call done once it is durable.
 * Returns 0 when done will be called. */
int proctor_act(struct proctor *pr, struct rt_sitting *st, const struct proctor_action *act,
		struct actor who, const char *by, int64_t now, json_t *errs, proctor_done_fn done,
		void *arg);

/* ---- the record (proctor/report.c; any thread, on a read connection) ---- */

/* The sitting's log: incidents, actions, credits, logins and finishes of
 * its candidates and its own events, newest first (oldest first if
 * ascending), as {"items":[...]}. NULL with err. */
json_t *proctor_log(sqlite3 *db, int64_t sitting_id, int ascending, char *err, size_t errlen);
/* The berita acara of the sitting: see docs/API.md. NULL with err. */
json_t *proctor_report(sqlite3 *db, int64_t sitting_id, char *err, size_t errlen);

#endif
