/* staffauth.h - staff login, sessions and CSRF on the running server.
 *
 * Runs on the loop thread. Account and session rows are read through the
 * loop's own read-only connection (staff requests are few; reading keeps
 * the server in step with 'ujian staff' run from a shell while it serves)
 * and written only through the staff domain's writer operations. Password
 * hashing (scrypt, tens of milliseconds) runs on the worker pool, so a staff
 * login never stalls the loop that candidates use; an unknown username is
 * checked against a dummy hash so its failure costs the same.
 *
 * Sessions: the token (256 bits, only its SHA-256 stored) travels in the
 * HttpOnly SameSite=Strict cookie STAFF_COOKIE or as a Bearer header. Each
 * session has a CSRF token: a state-changing request authenticated by the
 * cookie must carry it in the X-CSRF-Token header. A session ends at logout,
 * when its account is disabled or its password changes, after idle_s without
 * a request (last_seen is stored at most once a minute, so the idle limit
 * holds to within a minute) and max_age_s after login. */
#ifndef UJIAN_STAFFAUTH_H
#define UJIAN_STAFFAUTH_H

#include "auth/ratelimit.h"
#include "auth/staff.h"
#include "core/errtext.h"
#include "core/worker.h"

#define STAFF_COOKIE "ujian_staff"

struct staff_rt {
	sqlite3 *db;              /* loop thread's read-only connection */
	sqlite3_stmt *st_session; /* session lookup */
	struct writer *w;
	struct worker_pool *pool;
	struct ratelimit rl_user, rl_addr;
	char dummy[UJ_PWHASH_TEXT_MAX + 1];
	int idle_s, max_age_s;
};

/* Error codes of staff authentication and their messages. */
extern const struct errtext_table staffauth_errors;

/* Open the read connection and make the dummy hash. Returns 0 or -1 with
 * err. */
int staffauth_open(struct staff_rt *s, const char *db_path, struct writer *w,
		   struct worker_pool *pool, int idle_s, int max_age_s, int fail_user,
		   int window_user_s, int fail_addr, int window_addr_s, char *err, size_t errlen);
void staffauth_close(struct staff_rt *s);

enum staff_login_outcome {
	SLOGIN_OK,
	SLOGIN_INVALID,   /* unknown username or wrong password */
	SLOGIN_DISABLED,  /* right password, disabled account */
	SLOGIN_TOO_MANY,  /* rate limited (username or address) */
	SLOGIN_BUSY,      /* the worker queue or writer is full */
	SLOGIN_INTERNAL,  /* the database or the writer failed */
	SLOGIN_PENDING,   /* being checked: the callback will tell */
	SLOGIN_OUTCOME_MAX
};

extern const char *const staff_login_codes[SLOGIN_OUTCOME_MAX];
extern const int staff_login_status[SLOGIN_OUTCOME_MAX];

struct staff_login_result {
	enum staff_login_outcome outcome;
	struct staff_account acct;
	char token[CRED_TOKEN_LEN + 1];
	char csrf[UJ_CSRF_LEN + 1];
	int64_t at;
};

typedef void (*staff_login_fn)(const struct staff_login_result *r, void *arg);

/* Start a login. Returns SLOGIN_PENDING (fn(result, arg) runs later on the
 * loop, once the password was checked and, on success, the session is
 * durable), or an immediate refusal (fn is not called). */
enum staff_login_outcome staffauth_login(struct staff_rt *s, const char *username,
					 const char *password, const char *peer, int64_t now,
					 staff_login_fn fn, void *arg);
/* Seconds until a rate-limited login of username from peer may be tried
 * again (0: it may now). */
int staffauth_wait_s(struct staff_rt *s, const char *username, const char *peer);
/* The principal of a presented token. Returns NULL and fills p, or the
 * error code ("unauthorized", "session_expired"). */
const char *staffauth_authenticate(struct staff_rt *s, const char *tok, size_t len,
				   int via_cookie, int64_t now, struct principal *p);
/* 1 if the presented X-CSRF-Token (may be NULL) is p's session's, compared
 * in constant time. */
int staffauth_csrf_ok(const struct principal *p, const char *presented);
/* The session's account (1), 0 if gone, -1 on error. */
int staffauth_account(struct staff_rt *s, const struct principal *p, struct staff_account *a);

/* Submit op once password is hashed into op->pw_hash on a worker. Returns
 * 0 (op->then runs later, ok = 0 if hashing failed or the writer left it
 * out), or -1 when the worker queue is full (op released, nothing done). */
int staffauth_submit_hashed(struct staff_rt *s, struct staff_op *op, const char *password);

/* Check password against the account's stored hash on a worker, then
 * fn(ok, arg) on the loop (ok: 1 match, 0 no, -1 busy/failed). Returns 0 or
 * -1 when the worker queue is full (fn not called). */
typedef void (*staff_check_fn)(int ok, void *arg);
int staffauth_check_password(struct staff_rt *s, const char *stored, const char *password,
			     staff_check_fn fn, void *arg);

/* Account sessions as JSON (newest first, at most UJ_STAFF_SESSIONS_LIST;
 * "current" marks hash). NULL on error. */
json_t *staffauth_sessions_json(struct staff_rt *s, int64_t staff_id,
				const uint8_t hash[UJ_HASH_LEN], int64_t now);

#endif
