/* staffauth.c - staff login, sessions and CSRF (see auth/staffauth.h). */
#include "auth/staffauth.h"
#include "auth/pwhash.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/db.h"

#include <assert.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext staffauth_error_rows[] = {
	{ "session_expired", "Sesi Anda telah berakhir. Silakan masuk kembali." },
	{ "account_disabled", "Akun ini dinonaktifkan. Hubungi administrator." },
	{ "csrf", "Permintaan ditolak: token keamanan (CSRF) tidak ada atau salah. Muat ulang "
		  "halaman lalu coba lagi." },
	{ "invalid_input", "Isian tidak valid." },
	{ "not_found", "Data tidak ditemukan." },
	{ "conflict", "Data sudah ada." },
};

const struct errtext_table staffauth_errors = ERRTEXT_TABLE(staffauth_error_rows);

const char *const staff_login_codes[SLOGIN_OUTCOME_MAX] = {
	[SLOGIN_OK] = NULL,
	[SLOGIN_INVALID] = "invalid_credentials",
	[SLOGIN_DISABLED] = "account_disabled",
	[SLOGIN_TOO_MANY] = "too_many_attempts",
	[SLOGIN_BUSY] = "server_busy",
	[SLOGIN_INTERNAL] = "internal",
	[SLOGIN_PENDING] = NULL,
};

const int staff_login_status[SLOGIN_OUTCOME_MAX] = {
	[SLOGIN_OK] = 200,	  [SLOGIN_INVALID] = 401, [SLOGIN_DISABLED] = 401,
	[SLOGIN_TOO_MANY] = 429,  [SLOGIN_BUSY] = 503,	  [SLOGIN_INTERNAL] = 500,
	[SLOGIN_PENDING] = 0,
};

static const char sql_session[] =
	"SELECT s.staff_id, s.csrf, s.created_at, s.last_seen_at, s.ended_at, st.username,"
	" st.roles, st.disabled FROM staff_sessions s JOIN staff st ON st.id = s.staff_id"
	" WHERE s.token_hash = ?1";

int staffauth_open(struct staff_rt *s, const char *db_path, struct writer *w,
		   struct worker_pool *pool, int idle_s, int max_age_s, int fail_user,
		   int window_user_s, int fail_addr, int window_addr_s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->w = w;
	s->pool = pool;
	s->idle_s = idle_s;
	s->max_age_s = max_age_s;
	ratelimit_init(&s->rl_user, fail_user, (int64_t)window_user_s * 1000, UJ_RATELIMIT_KEYS);
	ratelimit_init(&s->rl_addr, fail_addr, (int64_t)window_addr_s * 1000, UJ_RATELIMIT_KEYS);
	if (!(s->db = db_open(db_path, DB_OPEN_READONLY, err, errlen)))
		return -1;
	if (!(s->st_session = db_prepare(s->db, sql_session, err, errlen)))
		return -1;
	if (pwhash_dummy(s->dummy)) {
		snprintf(err, errlen, "cannot make the dummy password hash (OpenSSL scrypt)");
		return -1;
	}
	return 0;
}

void staffauth_close(struct staff_rt *s)
{
	sqlite3_finalize(s->st_session);
	db_close(s->db);
	ratelimit_free(&s->rl_user);
	ratelimit_free(&s->rl_addr);
	memset(s, 0, sizeof *s);
}

/* ---- login ---------------------------------------------------------------------- */

struct login_job {
	struct worker_job job;
	struct staff_rt *s;
	char password[UJ_STAFF_PW_MAX + 1];
	int found, ok;
	struct staff_account acct;
	char peer[UJ_PEER_MAX + 1];
	int64_t now;
	staff_login_fn fn;
	void *arg;
};

static void login_run(struct worker_job *job, void *tctx)
{
	struct login_job *j = (struct login_job *)job;
	(void)tctx;
	/* Always one scrypt, against the dummy for unknown usernames. */
	j->ok = pwhash_check(j->password, j->found ? j->acct.pw_hash : j->s->dummy) && j->found;
	OPENSSL_cleanse(j->password, sizeof j->password);
}

/* A failed login: count it and record it. */
static void login_failed(struct staff_rt *s, const struct login_job *j, const char *why)
{
	struct staff_op *op;
	ratelimit_fail(&s->rl_addr, j->peer, strlen(j->peer), clock_mono_ms());
	ratelimit_fail(&s->rl_user, j->acct.username, strlen(j->acct.username), clock_mono_ms());
	op = staff_op_new(STAFF_EVENT, actor_system(), j->now);
	op->why = "staff_login_failed";
	op->detail = json_pack("{s:s,s:s,s:s}", "username", j->acct.username, "peer", j->peer,
			       "reason", why);
	writer_submit(s->w, &op->op);
}

struct session_then {
	struct staff_login_result r;
	staff_login_fn fn;
	void *arg;
};

static void login_session_done(struct staff_op *op, int ok, void *arg)
{
	struct session_then *t = arg;
	(void)op;
	if (!ok)
		t->r.outcome = SLOGIN_INTERNAL;
	t->fn(&t->r, t->arg);
	OPENSSL_cleanse(t, sizeof *t);
	free(t);
}

static void login_done(struct worker_job *job)
{
	struct login_job *j = (struct login_job *)job;
	struct staff_rt *s = j->s;
	struct staff_login_result r;
	struct session_then *t;
	struct staff_op *op;

	memset(&r, 0, sizeof r);
	r.at = j->now;
	if (!j->ok) {
		login_failed(s, j, j->found ? "wrong_password" : "unknown_username");
		r.outcome = SLOGIN_INVALID;
		goto reply;
	}
	if (j->acct.disabled) {
		login_failed(s, j, "disabled");
		r.outcome = SLOGIN_DISABLED;
		goto reply;
	}
	/* The session: token and CSRF token, durable before the reply. */
	op = staff_op_new(STAFF_SESSION_NEW, (struct actor){ ACTOR_STAFF, j->acct.id }, j->now);
	op->staff_id = j->acct.id;
	str_copy(op->username, sizeof op->username, j->acct.username);
	str_copy(op->peer, sizeof op->peer, j->peer);
	t = xcalloc(1, sizeof *t);
	t->r.outcome = SLOGIN_OK;
	t->r.acct = j->acct;
	t->r.at = j->now;
	memset(t->r.acct.pw_hash, 0, sizeof t->r.acct.pw_hash);
	cred_new_token(t->r.token, op->token_hash);
	{
		uint8_t unused[CRED_HASH_LEN];
		cred_new_token(t->r.csrf, unused);
	}
	memcpy(op->csrf, t->r.csrf, sizeof op->csrf);
	t->fn = j->fn;
	t->arg = j->arg;
	op->then = login_session_done;
	op->arg = t;
	writer_submit(s->w, &op->op);
	goto out;
reply:
	j->fn(&r, j->arg);
out:
	OPENSSL_cleanse(j, sizeof *j);
	free(j);
}

enum staff_login_outcome staffauth_login(struct staff_rt *s, const char *username,
					 const char *password, const char *peer, int64_t now,
					 staff_login_fn fn, void *arg)
{
	struct login_job *j;
	size_t ulen = strlen(username);
	int found;

	if (ratelimit_blocked(&s->rl_addr, peer, strlen(peer), clock_mono_ms()) ||
	    (ulen <= UJ_USERNAME_MAX && ratelimit_blocked(&s->rl_user, username, ulen, clock_mono_ms())))
		return SLOGIN_TOO_MANY;
	if (!writer_room(s->w))
		return SLOGIN_BUSY;
	j = xcalloc(1, sizeof *j);
	j->job.run = login_run;
	j->job.done = login_done;
	j->s = s;
	j->now = now;
	j->fn = fn;
	j->arg = arg;
	str_copy(j->peer, sizeof j->peer, peer);
	found = ulen <= UJ_USERNAME_MAX && strlen(password) <= UJ_STAFF_PW_MAX
			? staff_find(s->db, username, &j->acct)
			: 0;
	if (found < 0) {
		log_error("staff login: database: %s", sqlite3_errmsg(s->db));
		free(j);
		return SLOGIN_INTERNAL;
	}
	j->found = found;
	if (!found) /* remembered for the rate limit and the audit log */
		str_copy(j->acct.username, sizeof j->acct.username, username);
	str_copy(j->password, sizeof j->password, password);
	if (worker_submit(s->pool, &j->job)) {
		OPENSSL_cleanse(j, sizeof *j);
		free(j);
		return SLOGIN_BUSY;
	}
	return SLOGIN_PENDING;
}

int staffauth_wait_s(struct staff_rt *s, const char *username, const char *peer)
{
	size_t ulen = strlen(username);
	int64_t a = ratelimit_wait_ms(&s->rl_addr, peer, strlen(peer), clock_mono_ms());
	int64_t u = ulen <= UJ_USERNAME_MAX ? ratelimit_wait_ms(&s->rl_user, username, ulen, clock_mono_ms()) : 0;
	int64_t w = a > u ? a : u;
	return w > 0 ? (int)((w + 999) / 1000) : 0;
}

/* ---- sessions -------------------------------------------------------------------- */

const char *staffauth_authenticate(struct staff_rt *s, const char *tok, size_t len,
				   int via_cookie, int64_t now, struct principal *p)
{
	uint8_t hash[CRED_HASH_LEN];
	sqlite3_stmt *st = s->st_session;
	const char *refused = "unauthorized";
	int64_t created, seen, staff_id;
	int n;

	if (len != CRED_TOKEN_LEN)
		return refused;
	cred_token_hash(tok, len, hash);
	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, hash, CRED_HASH_LEN, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	staff_id = sqlite3_column_int64(st, 0);
	created = sqlite3_column_int64(st, 2);
	seen = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL || sqlite3_column_int(st, 7))
		goto out; /* ended, or the account is disabled */
	if (now - created > (int64_t)s->max_age_s * 1000 || now - seen > (int64_t)s->idle_s * 1000) {
		refused = "session_expired";
		goto out;
	}
	memset(p, 0, sizeof *p);
	p->kind = PRINCIPAL_STAFF;
	p->roles = (unsigned)sqlite3_column_int(st, 6) & ROLE_ALL;
	p->actor = (struct actor){ ACTOR_STAFF, staff_id };
	str_copy(p->staff.username, sizeof p->staff.username, (const char *)sqlite3_column_text(st, 5));
	str_copy(p->staff.csrf, sizeof p->staff.csrf, (const char *)sqlite3_column_text(st, 1));
	memcpy(p->staff.session_hash, hash, CRED_HASH_LEN);
	p->staff.via_cookie = via_cookie;
	sqlite3_reset(st);
	n = staff_scope_ids(s->db, staff_id, p->staff.exams, UJ_STAFF_SCOPE_MAX);
	if (n < 0) {
		log_error("staff session: database: %s", sqlite3_errmsg(s->db));
		goto out;
	}
	p->staff.n_exams = n;
	/* Keep the idle clock: stored at most once a minute, never waited for. */
	if (now - seen >= UJ_STAFF_SEEN_EVERY_MS && writer_room(s->w)) {
		struct staff_op *op = staff_op_new(STAFF_SESSION_SEEN, p->actor, now);
		memcpy(op->token_hash, hash, CRED_HASH_LEN);
		writer_submit(s->w, &op->op);
	}
	refused = NULL;
out:
	sqlite3_reset(st);
	return refused;
}

int staffauth_csrf_ok(const struct principal *p, const char *presented)
{
	size_t n = strlen(p->staff.csrf);
	assert(p->kind == PRINCIPAL_STAFF);
	return presented && n == UJ_CSRF_LEN && strlen(presented) == n &&
	       CRYPTO_memcmp(presented, p->staff.csrf, n) == 0;
}

int staffauth_account(struct staff_rt *s, const struct principal *p, struct staff_account *a)
{
	return staff_find_id(s->db, p->actor.id, a);
}

json_t *staffauth_sessions_json(struct staff_rt *s, int64_t staff_id,
				const uint8_t hash[UJ_HASH_LEN], int64_t now)
{
	sqlite3_stmt *st = NULL;
	json_t *list = json_array();
	int n = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT token_hash, created_at, last_seen_at, peer FROM staff_sessions"
			       " WHERE staff_id = ?1 AND ended_at IS NULL AND created_at > ?2"
			       " ORDER BY created_at DESC",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(list);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, staff_id);
	sqlite3_bind_int64(st, 2, now - (int64_t)s->max_age_s * 1000);
	while (sqlite3_step(st) == SQLITE_ROW && n++ < UJ_STAFF_SESSIONS_LIST) {
		const uint8_t *h = sqlite3_column_blob(st, 0);
		char id[13];
		int64_t seen = sqlite3_column_int64(st, 2);
		if (now - seen > (int64_t)s->idle_s * 1000)
			continue; /* idle-expired */
		/* A short public id: the first bytes of the token's hash. */
		cred_hex(h, 6, id);
		json_array_append_new(
			list, json_pack("{s:s,s:o,s:o,s:s,s:b}", "id", id, "created_at",
					clock_json(sqlite3_column_int64(st, 1)), "last_seen_at",
					clock_json(seen), "peer", (const char *)sqlite3_column_text(st, 3),
					"current", memcmp(h, hash, UJ_HASH_LEN) == 0));
	}
	sqlite3_finalize(st);
	return list;
}

/* ---- password hashing on a worker ------------------------------------------------ */

struct hash_job {
	struct worker_job job;
	struct staff_rt *s;
	struct staff_op *op;
	char password[UJ_STAFF_PW_MAX + 1];
	int failed;
};

static void hash_run(struct worker_job *job, void *tctx)
{
	struct hash_job *j = (struct hash_job *)job;
	(void)tctx;
	j->failed = pwhash_make(j->password, j->op->pw_hash) != 0;
	OPENSSL_cleanse(j->password, sizeof j->password);
}

static void hash_done(struct worker_job *job)
{
	struct hash_job *j = (struct hash_job *)job;
	struct staff_op *op = j->op;
	if (j->failed) {
		if (op->then)
			op->then(op, 0, op->arg);
		op->op.release(&op->op);
	} else {
		writer_submit(j->s->w, &op->op);
	}
	free(j);
}

int staffauth_submit_hashed(struct staff_rt *s, struct staff_op *op, const char *password)
{
	struct hash_job *j = xcalloc(1, sizeof *j);
	j->job.run = hash_run;
	j->job.done = hash_done;
	j->s = s;
	j->op = op;
	str_copy(j->password, sizeof j->password, password);
	if (worker_submit(s->pool, &j->job)) {
		OPENSSL_cleanse(j, sizeof *j);
		free(j);
		op->op.release(&op->op);
		return -1;
	}
	return 0;
}

struct check_job {
	struct worker_job job;
	char password[UJ_STAFF_PW_MAX + 1];
	char stored[UJ_PWHASH_TEXT_MAX + 1];
	int ok;
	staff_check_fn fn;
	void *arg;
};

static void check_run(struct worker_job *job, void *tctx)
{
	struct check_job *j = (struct check_job *)job;
	(void)tctx;
	j->ok = pwhash_check(j->password, j->stored);
	OPENSSL_cleanse(j->password, sizeof j->password);
}

static void check_done(struct worker_job *job)
{
	struct check_job *j = (struct check_job *)job;
	j->fn(j->ok, j->arg);
	free(j);
}

int staffauth_check_password(struct staff_rt *s, const char *stored, const char *password,
			     staff_check_fn fn, void *arg)
{
	struct check_job *j = xcalloc(1, sizeof *j);
	j->job.run = check_run;
	j->job.done = check_done;
	j->fn = fn;
	j->arg = arg;
	str_copy(j->password, sizeof j->password, password);
	str_copy(j->stored, sizeof j->stored, stored);
	if (worker_submit(s->pool, &j->job)) {
		OPENSSL_cleanse(j, sizeof *j);
		free(j);
		return -1;
	}
	return 0;
}
