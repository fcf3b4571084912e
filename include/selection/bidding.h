/* bidding.h - open-bidding JPT selections (seleksi terbuka) in the
 * database: selections and their committee members, vacancies, applicants,
 * the members' stage entries, gate decisions, the PPK's choice and closing
 * (docs/SELECTION.md, "Seleksi terbuka"; the arithmetic is selection/rank.h).
 *
 * Writes take the caller's read-write connection and run as one writer
 * operation applied at once (wr_apply_now: BEGIN IMMEDIATE ... COMMIT): the
 * operation checks everything that needs the database inside that
 * transaction, records every problem in errs and rolls back when there is
 * one; otherwise it writes and appends its audit event (store/event.h:
 * actor = the staff member; detail names the selection, and for an entry or
 * decision the applicant, stage, old and new value and the reason). Reads
 * take any connection (a worker's read-only one). No function keeps state;
 * any thread, one connection per thread.
 *
 * Rules enforced here: members are existing, enabled staff accounts with the
 * committee role; only members of a selection enter scores and decide
 * gates; a change of an existing entry or decision needs a reason; a stage
 * fed from an exam takes no entries; an applicant out of the pipeline takes
 * no more entries; the PPK's choice (admin or the chair) is one of the
 * proposed names, with a note when it is not rank 1; a closed selection
 * takes no write at all (BID_CLOSED). */
#ifndef UJIAN_BIDDING_H
#define UJIAN_BIDDING_H

#include "core/actor.h"
#include "core/errlist.h"
#include "selection/rank.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* The outcome of a write (and of the reads that name a selection). */
enum bid_status {
	BID_OK = 0,
	BID_INVALID,    /* bad input: errs lists every problem (400 invalid_input) */
	BID_NOT_FOUND,  /* no such selection, vacancy or applicant (404) */
	BID_NOT_MEMBER, /* the staff member is not on this selection's committee (403) */
	BID_FORBIDDEN,  /* needs the admin role or the committee chair (403) */
	BID_CLOSED,     /* the selection is closed: frozen (409) */
	BID_INTERNAL,   /* a database error: err says which (500) */
	BID_STATUS_MAX
};

/* Who acts: the staff member (actor.id = staff id) and their roles
 * (auth/principal.h bits; ROLE_ADMIN = 1). */
struct bid_who {
	struct actor actor;
	unsigned roles;
};

#define BID_ROLE_ADMIN 1u      /* ROLE_ADMIN of auth/principal.h */
#define BID_ROLE_COMMITTEE 8u  /* ROLE_COMMITTEE */

/* The result of a write: the status, every problem of bad input, the
 * internal error, and what the change touched (for the live topic). */
struct bid_result {
	enum bid_status status;
	struct errlist *errs; /* the caller's */
	char err[256];
	int64_t selection_id;
	char selection[UJ_CODE_MAX + 1];
	char vacancy[UJ_CODE_MAX + 1]; /* "" when none or several */
	int created, updated;          /* imports */
};

/* ---- writes (read-write connection) ---- */

/* Create a selection from body {"code","name","agency","config","members":
 * [{"username","role"}],"vacancies":[{...}]} (config: rank.h; vacancies
 * optional, as bid_vacancy_add takes them). Admin only (the route says so;
 * the CLI acts as the system). */
void bid_selection_create(sqlite3 *db, const json_t *body, const struct bid_who *who, int64_t now,
			  struct bid_result *r);

/* Add a vacancy to selection sel: {"code","position","unit","openings",
 * "min_grade","requirements"}. */
void bid_vacancy_add(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
		     int64_t now, struct bid_result *r);

/* Import applicants of selection sel from a CSV (docs/FORMATS-SELECTION.md,
 * "Applicants"): all or nothing, every bad row reported with its line and
 * field. r->created = rows added. */
void bid_applicants_import(sqlite3 *db, const char *sel, const char *csv, size_t len,
			   const struct bid_who *who, int64_t now, struct bid_result *r);

/* Record who's own score for applicant at stage (a member of sel): body
 * {"applicant":id,"stage","score":0-100,"reason"}. */
void bid_score(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
	       int64_t now, struct bid_result *r);

/* Record a gate decision (a member of sel): {"applicant","stage","passed",
 * "reason"}; a reason is required to fail an applicant and to change a
 * decision. */
void bid_gate(sqlite3 *db, const char *sel, const json_t *body, const struct bid_who *who,
	      int64_t now, struct bid_result *r);

/* Record the PPK's choice for vacancy vac (admin or the chair):
 * {"applicant","note"}; a proposed applicant; a note unless rank 1. */
void bid_ppk(sqlite3 *db, const char *sel, const char *vac, const json_t *body,
	     const struct bid_who *who, int64_t now, struct bid_result *r);

/* Close selection sel (admin or the chair): frozen from now on. */
void bid_close(sqlite3 *db, const char *sel, const struct bid_who *who, int64_t now,
	       struct bid_result *r);

/* ---- reads (any connection) ---- */

/* Every selection: {"selections":[{"code","name","agency","status",
 * "created_at","closed_at","vacancies","applicants","member"}]} (member:
 * staff_id is on its committee). NULL with err on a database error. */
json_t *bid_list_json(sqlite3 *db, int64_t staff_id, char *err, size_t errlen);

/* GET S/selections/{sel} (docs/API.md), for viewer staff_id. NULL with
 * *st = BID_NOT_FOUND or BID_INTERNAL (err). */
json_t *bid_selection_json(sqlite3 *db, const char *sel, int64_t staff_id, enum bid_status *st,
			   char *err, size_t errlen);

/* GET S/selections/{sel}/vacancies/{vac}: the vacancy, its stages,
 * members, every applicant with each stage's entries and score, final and
 * rank, the proposal and the PPK's choice. */
json_t *bid_vacancy_json(sqlite3 *db, const char *sel, const char *vac, int64_t staff_id,
			 enum bid_status *st, char *err, size_t errlen);

/* The audit trail of sel: {"entries":[{"at","username","name","kind",
 * "vacancy","applicant","applicant_name","stage","old","new","reason"}]},
 * oldest first. */
json_t *bid_audit_json(sqlite3 *db, const char *sel, enum bid_status *st, char *err,
		       size_t errlen);

/* The alternative path: the box-9 talent-pool employees of the latest
 * talent period whose grade meets vacancy vac's min_grade: {"period":
 * code|null,"min_grade","candidates":[{"nip","name","grade","position",
 * "position_type","unit","perf","potential","pot_level","box"}]}, the
 * highest potential first. */
json_t *bid_talent_json(sqlite3 *db, const char *sel, const char *vac, enum bid_status *st,
			char *err, size_t errlen);

/* The codes of the exams that feed the open selection with id sel_id (its
 * stages' sources and its applicants' exams), as a JSON array of strings;
 * NULL with err. */
json_t *bid_source_exams(sqlite3 *db, int64_t sel_id, char *err, size_t errlen);

/* The (selection id, vacancy code) pairs whose applicants' assessment comes
 * from candidate_id's attempt: [{"selection_id","selection","vacancy"}].
 * NULL with err. */
json_t *bid_affected_by(sqlite3 *db, int64_t candidate_id, char *err, size_t errlen);

/* The id of selection code sel (0 if none). */
int64_t bid_selection_id(sqlite3 *db, const char *sel);

/* English name of a status ("not_member"), the API's error code. */
const char *bid_status_code(enum bid_status s);

#endif
