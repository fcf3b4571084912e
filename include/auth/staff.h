/* staff.h - staff accounts: validation, reads, and the writer operations of
 * the staff tables (staff, staff_scope, staff_sessions).
 *
 * Used by the server (auth/staffauth.h, on the loop and writer threads) and
 * by the command line ('ujian staff', synchronously through wr_apply_now):
 * both change accounts through the same operations, and every change
 * appends its event (actor: the staff member who acted, or the system for
 * the command line) in the same transaction.
 *
 * Scope: an admin sees every exam. Any other account sees the exams it is
 * assigned to; an author or committee account with no assignment sees every
 * exam, a proctor or observer with none sees none. */
#ifndef UJIAN_STAFF_H
#define UJIAN_STAFF_H

#include "auth/cred.h"
#include "auth/principal.h"
#include "bounds.h"
#include "store/writer.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct staff_account {
	int64_t id;
	char username[UJ_USERNAME_MAX + 1];
	char name[UJ_STAFF_NAME_MAX + 1];
	unsigned roles; /* enum staff_role bits */
	int disabled;
	int64_t created_at, last_login_at; /* ms; last_login_at 0 = never */
	char pw_hash[UJ_PWHASH_TEXT_MAX + 1];
};

/* Validation: 0, or -1 with a message (Indonesian, for the web and CLI). */
int staff_username_check(const char *u, char *err, size_t errlen);
int staff_name_check(const char *name, char *err, size_t errlen);
int staff_password_check(const char *pw, char *err, size_t errlen);
/* "admin,proctor" -> bits; -1 with a message naming the unknown role. */
int staff_roles_parse(const char *csv, unsigned *roles, char *err, size_t errlen);
/* The bit of one role name, or 0. */
unsigned staff_role_bit(const char *name);
/* ["admin", ...] in role order. */
json_t *staff_roles_json(unsigned roles);
/* "admin,proctor" into out. */
void staff_roles_text(unsigned roles, char *out, size_t n);
/* A generated password: UJ_STAFF_PW_GEN characters of the unambiguous
 * alphabet (out: UJ_STAFF_PW_GEN + 1 bytes). */
void staff_generate_password(char *out);

/* Reads on any connection. Return 1 found, 0 not found, -1 error. */
int staff_find(sqlite3 *db, const char *username, struct staff_account *a);
int staff_find_id(sqlite3 *db, int64_t id, struct staff_account *a);
/* The account's assigned exam ids (at most max); count or -1. */
int staff_scope_ids(sqlite3 *db, int64_t staff_id, int64_t *ids, int max);
/* Exam codes (comma-separated list) -> ids; -1 with a message naming the
 * unknown code. n_out receives the count. */
int staff_exam_ids(sqlite3 *db, const char *csv, int64_t *ids, int max, int *n_out, char *err,
		   size_t errlen);
/* Every account: [{"username","name","roles","exams","disabled",
 * "created_at","last_login_at"}], ordered by username; NULL on error. */
json_t *staff_list_json(sqlite3 *db);
/* One account as in the list; NULL on error. */
json_t *staff_account_json(sqlite3 *db, const struct staff_account *a);
/* 1 if p (a staff principal) may act on exam_id with one of roles: it holds
 * such a role and the exam is in its scope (see above). */
int staff_exam_allowed(const struct principal *p, int64_t exam_id, unsigned roles);

/* ---- writer operations ---------------------------------------------------- */

enum staff_op_kind {
	STAFF_ADD,          /* username, name, roles, pw_hash, exams */
	STAFF_UPDATE,       /* the set_* fields */
	STAFF_PASSWORD,     /* pw_hash; ends every session of the account */
	STAFF_SESSION_NEW,  /* token_hash, csrf, peer; last_login_at */
	STAFF_SESSION_END,  /* token_hash, why */
	STAFF_SESSIONS_END_ALL, /* every open session of staff_id, why */
	STAFF_SESSION_SEEN, /* token_hash: last_seen_at = at (no event) */
	STAFF_EVENT,        /* only the event: kind, candidate_id, detail */
	STAFF_OP_KIND_MAX
};

struct staff_op;
/* After the commit (loop thread): ok = 0 when the writer left it out. */
typedef void (*staff_then_fn)(struct staff_op *s, int ok, void *arg);

struct staff_op {
	struct wr_op op;
	enum staff_op_kind kind;
	int64_t staff_id; /* the account acted on (STAFF_ADD: set by apply) */
	char username[UJ_USERNAME_MAX + 1];
	char name[UJ_STAFF_NAME_MAX + 1];
	unsigned roles;
	int disabled;
	int set_name, set_roles, set_disabled, set_exams;
	char pw_hash[UJ_PWHASH_TEXT_MAX + 1];
	int n_exams;
	int64_t exams[UJ_STAFF_SCOPE_MAX];
	uint8_t token_hash[UJ_HASH_LEN];
	char csrf[CRED_TOKEN_LEN + 1];
	char peer[UJ_PEER_MAX + 1];
	const char *why;    /* session end reason; STAFF_EVENT: the event kind (static) */
	int64_t cand_id;    /* STAFF_EVENT: the candidate concerned, 0 = none */
	json_t *detail;     /* STAFF_EVENT: owned, may be NULL */
	int changed;        /* rows the operation changed (sessions ended ...) */
	staff_then_fn then;
	void *arg;
};

/* A new operation (free with its release, or hand to the writer). */
struct staff_op *staff_op_new(enum staff_op_kind kind, struct actor who, int64_t at);

#endif
