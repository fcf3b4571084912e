/* session.h - candidate sessions: login (credentials, sitting token, rate
 * limits, replacement of an older session), logout, and turning a presented
 * token into a principal.
 *
 * Runs on the loop thread. The session table is written only by this
 * module's writer operations (apply functions in session.c); the in-RAM
 * sessions live in the exam registry beside their candidates. Passwords are
 * checked with a keyed hash (cred.h) in constant time, against a dummy hash
 * for unknown candidates so that timing does not reveal who exists. */
#ifndef UJIAN_SESSION_H
#define UJIAN_SESSION_H

#include "auth/cred.h"
#include "auth/principal.h"
#include "auth/ratelimit.h"
#include "core/errtext.h"
#include "exam/attempt.h"

#include <stdint.h>

/* The auth domain's running context (loop thread). */
struct auth_rt {
	uint8_t key[CRED_KEY_LEN];       /* the server key (passwords, capabilities) */
	uint8_t dummy_hash[CRED_HASH_LEN];
	uint8_t image_key[CRED_KEY_LEN]; /* derived from key: image capabilities */
	struct ratelimit rl_regno, rl_addr;
	int64_t session_after_ms;        /* sessions end this long after the attempt
					  * finished or the exam closed */
	struct exam_rt *x;               /* candidates, their sessions, the writer */
};

enum login_outcome {
	LOGIN_OK,
	LOGIN_INVALID_CREDENTIALS,
	LOGIN_TOO_MANY_ATTEMPTS,
	LOGIN_EXAM_CLOSED,
	LOGIN_TOKEN_REQUIRED,
	LOGIN_TOKEN_INVALID,
	LOGIN_UNAVAILABLE, /* the candidate is broken (registry.h) until a restart */
	LOGIN_OUTCOME_MAX
};

/* Error code of each refusal (index: enum login_outcome; LOGIN_OK: NULL). */
extern const char *const login_outcome_codes[LOGIN_OUTCOME_MAX];
/* Error codes of the auth domain and their messages. */
extern const struct errtext_table session_errors;

struct login_req {
	const char *exam, *regno, *password;
	const char *token; /* sitting token; NULL or "" when not given */
	const char *peer;  /* client address, for rate limits and the audit log */
	const char *fp;    /* a short browser fingerprint (the seat); NULL = none */
};

/* As attempt_then_fn: ok = 0 when the writer left the operation out. */
typedef void (*session_then_fn)(struct rt_candidate *c, int ok, void *arg);

/* Set up a with the server key; rate limits from the given settings. */
void session_init(struct auth_rt *a, const uint8_t key[CRED_KEY_LEN], struct exam_rt *x,
		  int fail_regno, int window_regno_s, int fail_addr, int window_addr_s);
void session_free(struct auth_rt *a);

/* Log a candidate in. On LOGIN_OK: a new session token is written to token,
 * *cand is the candidate, and then(cand, arg) runs once the session is
 * durable. Any other outcome changed nothing but the failure counters and
 * the audit log. */
enum login_outcome session_login(struct auth_rt *a, const struct login_req *r, int64_t now,
				 char token[CRED_TOKEN_LEN + 1], struct rt_candidate **cand,
				 session_then_fn then, void *arg);
/* End the candidate's active session for a proctor (who, reason): its
 * holder gets 401 session_reset; the candidate logs in again (on a spare
 * PC) and resumes. then runs once that is durable. */
void session_reset(struct auth_rt *a, struct rt_candidate *c, struct actor who, const char *reason,
		   int64_t now, session_then_fn then, void *arg);
/* End the candidate's active session; then runs once that is durable. */
void session_logout(struct auth_rt *a, struct rt_candidate *c, int64_t now, session_then_fn then,
		    void *arg);
/* The principal of a presented session token (len bytes). Returns NULL and
 * fills p, or the error code ("unauthorized", "session_replaced",
 * "session_expired": session_after_ms past the attempt's finish or the
 * exam's close). A token is its candidate's, and a candidate belongs to one
 * exam: no token is valid across exams. */
const char *session_authenticate(struct auth_rt *a, const char *tok, size_t len,
				 struct principal *p);
/* 1 if c's failed logins lock it out now (too_many_attempts). */
int session_locked(struct auth_rt *a, const struct rt_candidate *c);
/* Forget c's failed logins (a proctor's unlock). The address limit stays. */
void session_unlock(struct auth_rt *a, const struct rt_candidate *c);
/* Give c a new generated password (written to password), by who: RAM at
 * once, the database and a "password_reset" event through the writer; then
 * as for logout. Sessions already open stay open. */
void session_reset_password(struct auth_rt *a, struct rt_candidate *c, struct actor who,
			    int64_t now, char password[UJ_PASSWORD_GEN_LEN + 1],
			    session_then_fn then, void *arg);
/* The opaque per-candidate tag in image URLs (UJ_IMAGE_TAG_LEN hex digits +
 * NUL): a capability derived from the server key, naming no bank item. */
void session_image_tag(const struct auth_rt *a, int64_t cand_id, char out[UJ_IMAGE_TAG_LEN + 1]);

#endif
