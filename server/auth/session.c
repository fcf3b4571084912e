/* session.c - candidate login, logout and authentication, and the writer
 * operations of the sessions table. */
#include "auth/session.h"
#include "exam/outage.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/rng.h"
#include "core/text.h"
#include "store/event.h"

#include <assert.h>
#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

static const struct errtext session_error_rows[] = {
	{ "unauthorized", "Sesi tidak valid atau sudah berakhir. Silakan masuk kembali." },
	{ "session_replaced",
	  "Akun Anda telah masuk dari perangkat lain, sehingga sesi ini diakhiri." },
	{ "session_reset",
	  "Sesi Anda diakhiri oleh pengawas. Silakan login kembali di komputer yang ditunjuk." },
	{ "invalid_credentials", "Nomor peserta atau kata sandi salah." },
	{ "token_required", "Token ujian wajib diisi." },
	{ "token_invalid", "Token ujian salah." },
	{ "exam_required",
	  "Nomor peserta ini terdaftar di lebih dari satu ujian yang sedang dibuka. Pilih ujiannya." },
	{ "too_many_attempts",
	  "Terlalu banyak percobaan masuk yang gagal. Silakan tunggu beberapa menit lalu coba lagi." },
	{ "forbidden", "Anda tidak berwenang membuka alamat ini." },
};

const struct errtext_table session_errors = ERRTEXT_TABLE(session_error_rows);

const char *const login_outcome_codes[LOGIN_OUTCOME_MAX] = {
	[LOGIN_OK] = NULL,
	[LOGIN_INVALID_CREDENTIALS] = "invalid_credentials",
	[LOGIN_TOO_MANY_ATTEMPTS] = "too_many_attempts",
	[LOGIN_EXAM_CLOSED] = "exam_closed",
	[LOGIN_TOKEN_REQUIRED] = "token_required",
	[LOGIN_TOKEN_INVALID] = "token_invalid",
	[LOGIN_UNAVAILABLE] = "internal",
	[LOGIN_EXAM_REQUIRED] = "exam_required",
};

/* ---- writer operations ------------------------------------------------- */

enum session_op_kind { SOP_LOGIN, SOP_LOGIN_FAILED, SOP_LOGOUT, SOP_PASSWORD, SOP_RESET };

struct session_op {
	struct wr_op op;
	enum session_op_kind kind;
	int64_t cand_id;
	struct rt_candidate *c;
	struct exam_rt *x; /* for the observer */
	session_then_fn then;
	void *arg;
	uint8_t hash[CRED_HASH_LEN];
	char peer[UJ_PEER_MAX + 1];
	int replaced;    /* login: an older session was replaced */
	const char *why; /* failed login: static reason */
	char fp[UJ_SEAT_FP_MAX + 1]; /* login: the browser's fingerprint */
	char *reason;    /* reset: the proctor's reason (owned) */
};

static const char sql_replace[] =
	"UPDATE sessions SET state = 'replaced' WHERE candidate_id = ?1 AND state = 'active'";
static const char sql_insert[] =
	"INSERT INTO sessions (token_hash, candidate_id, created_at, state, peer)"
	" VALUES (?1, ?2, ?3, 'active', ?4)";
static const char sql_password[] = "UPDATE candidates SET pw_hash = ?2 WHERE id = ?1";
static const char sql_logout[] = "UPDATE sessions SET state = 'logged_out' WHERE token_hash = ?1";

static int session_event(struct wr_tx *tx, const struct session_op *s, const char *kind,
			 json_t *detail)
{
	struct event_rec e = { .at = s->op.at, .actor = s->op.owner, .candidate_id = s->cand_id,
			       .kind = kind, .label = -1, .detail = detail };
	return event_append(tx, &e);
}

static int session_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct session_op *s = (struct session_op *)op;
	sqlite3_stmt *st;
	json_t *detail = NULL;
	int rc = -1;

	switch (s->kind) {
	case SOP_LOGIN:
		if (!(st = wr_stmt(tx, sql_replace)))
			break;
		sqlite3_bind_int64(st, 1, s->cand_id);
		if (wr_step(st) || !(st = wr_stmt(tx, sql_insert)))
			break;
		sqlite3_bind_blob(st, 1, s->hash, CRED_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, s->cand_id);
		sqlite3_bind_int64(st, 3, op->at);
		sqlite3_bind_text(st, 4, s->peer, -1, SQLITE_STATIC);
		if (wr_step(st))
			break;
		detail = json_pack("{s:s}", "peer", s->peer);
		if (s->fp[0])
			json_object_set_new(detail, "fp", json_string(s->fp));
		if (s->replaced && session_event(tx, s, "session_replaced", detail))
			break;
		rc = session_event(tx, s, "login", detail);
		break;
	case SOP_LOGIN_FAILED:
		detail = json_pack("{s:s,s:s}", "peer", s->peer, "reason", s->why);
		rc = session_event(tx, s, "login_failed", detail);
		break;
	case SOP_PASSWORD: /* hash holds the new password hash */
		if (!(st = wr_stmt(tx, sql_password)))
			break;
		sqlite3_bind_int64(st, 1, s->cand_id);
		sqlite3_bind_blob(st, 2, s->hash, CRED_HASH_LEN, SQLITE_STATIC);
		rc = wr_step(st) || session_event(tx, s, "password_reset", NULL) ? -1 : 0;
		break;
	case SOP_LOGOUT:
		if (!(st = wr_stmt(tx, sql_logout)))
			break;
		sqlite3_bind_blob(st, 1, s->hash, CRED_HASH_LEN, SQLITE_STATIC);
		rc = wr_step(st) || session_event(tx, s, "logout", NULL) ? -1 : 0;
		break;
	case SOP_RESET:
		if (!(st = wr_stmt(tx, sql_logout)))
			break;
		sqlite3_bind_blob(st, 1, s->hash, CRED_HASH_LEN, SQLITE_STATIC);
		detail = json_pack("{s:s}", "reason", s->reason ? s->reason : "");
		rc = wr_step(st) || session_event(tx, s, "session_reset", detail) ? -1 : 0;
		break;
	}
	json_decref(detail);
	return rc;
}

/* After the commit: a left-out operation breaks its candidate (see
 * registry.h), then the caller's then. */
static void session_op_done(struct wr_op *op)
{
	struct session_op *s = (struct session_op *)op;
	if (op->failed == WR_FAILED_OP) {
		s->c->broken = 1;
		log_error("session: a session change of candidate %s was not stored; the candidate "
			  "is refused until the server restarts",
			  s->c->regno);
	}
	if (s->x)
		outage_settle(s->x, s->c);
	if (s->then)
		s->then(s->c, !s->c->broken && !op->failed, s->arg);
	/* The dashboards hear of logins, session ends and failed logins (a
	 * candidate may now be locked out). */
	if (!op->failed && s->x && s->kind != SOP_PASSWORD)
		attempt_notify(s->x, s->c, s->kind == SOP_LOGIN ? EXC_LOGIN : EXC_SESSION);
}

static void session_op_release(struct wr_op *op)
{
	struct session_op *s = (struct session_op *)op;
	free(s->reason);
	free(s);
}

/* A new operation of kind for candidate c at now (not yet submitted). */
static struct session_op *session_op_new(struct rt_candidate *c, enum session_op_kind kind,
					 int64_t now)
{
	struct session_op *s = xcalloc(1, sizeof *s);
	wr_op_init(&s->op, session_apply, actor_candidate(c->id), now);
	s->op.done = session_op_done;
	s->op.release = session_op_release;
	s->op.pending = &c->pending;
	s->kind = kind;
	s->cand_id = c->id;
	s->c = c;
	return s;
}

/* ---- login --------------------------------------------------------------- */

void session_init(struct auth_rt *a, const uint8_t key[CRED_KEY_LEN], struct exam_rt *x,
		  int fail_regno, int window_regno_s, int fail_addr, int window_addr_s)
{
	static const char label[] = "ujian image capability v1";
	unsigned int len = CRED_KEY_LEN;

	memset(a, 0, sizeof *a);
	memcpy(a->key, key, CRED_KEY_LEN);
	a->x = x;
	rng_bytes(a->dummy_hash, sizeof a->dummy_hash);
	a->session_after_ms = (int64_t)UJ_CAND_SESSION_AFTER_S * 1000;
	/* A key of its own for image capabilities, so the server key is used
	 * for one purpose only (passwords). */
	HMAC(EVP_sha256(), key, CRED_KEY_LEN, (const unsigned char *)label, sizeof label - 1,
	     a->image_key, &len);
	ratelimit_init(&a->rl_regno, fail_regno, (int64_t)window_regno_s * 1000, UJ_RATELIMIT_KEYS);
	ratelimit_init(&a->rl_addr, fail_addr, (int64_t)window_addr_s * 1000, UJ_RATELIMIT_KEYS);
}

void session_free(struct auth_rt *a)
{
	ratelimit_free(&a->rl_regno);
	ratelimit_free(&a->rl_addr);
	OPENSSL_cleanse(a->key, sizeof a->key);
	OPENSSL_cleanse(a->image_key, sizeof a->image_key);
}

/* Case-insensitive constant-time comparison of sitting tokens. */
static int session_token_ok(const char *want, const char *got)
{
	char w[UJ_TOKEN_MAX + 1], g[UJ_TOKEN_MAX + 1];
	size_t n = strlen(want);
	if (strlen(got) != n || n > UJ_TOKEN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		w[i] = (char)toupper((unsigned char)want[i]);
		g[i] = (char)toupper((unsigned char)got[i]);
	}
	return CRYPTO_memcmp(w, g, n) == 0;
}

/* 1 if c must give a token: its sitting's when the exam uses sitting
 * tokens and c has a sitting, else the exam-level one if set. */
static int session_needs_token(const struct rt_candidate *c)
{
	if (c->exam->def.sitting_token && c->sitting)
		return 1;
	return c->exam->def.token[0] != '\0';
}

/* 1 if got is the token c must give at now: the sitting's current token, or
 * its previous one within UJ_TOKEN_GRACE_MS of a rotation; else the
 * exam-level token. Constant time in the token's bytes. */
static int session_token_matches(const struct rt_candidate *c, const char *got, int64_t now)
{
	const struct rt_sitting *st = c->sitting;
	if (c->exam->def.sitting_token && st) {
		int ok = session_token_ok(st->token, got);
		if (st->prev_token[0] && now - st->token_at <= UJ_TOKEN_GRACE_MS)
			ok |= session_token_ok(st->prev_token, got);
		return ok;
	}
	return session_token_ok(c->exam->def.token, got);
}

/* Count a failed login against the address and (if known) the candidate,
 * whose audit log records it. */
static void session_failed(struct auth_rt *a, const struct login_req *r, const char *rkey,
			   size_t rlen, struct rt_candidate *c, const char *why, int64_t now)
{
	ratelimit_fail(&a->rl_addr, r->peer, strlen(r->peer), clock_mono_ms());
	if (rlen)
		ratelimit_fail(&a->rl_regno, rkey, rlen, clock_mono_ms());
	if (c) {
		struct session_op *s = session_op_new(c, SOP_LOGIN_FAILED, now);
		s->x = a->x;
		str_copy(s->peer, sizeof s->peer, r->peer);
		s->why = why;
		writer_submit(a->x->w, &s->op);
	}
}

/* The candidate of a login without an exam: in every exam open now, the
 * one numbered r->regno whose password is r->password. One keyed-hash
 * comparison per open exam, against a dummy hash where the number is
 * absent, so the time taken depends only on how many exams are open, never
 * on where a number exists. Returns how many matched (the first in *found). */
static int session_find_exam(struct auth_rt *a, const struct login_req *r, int64_t now,
			     struct rt_candidate **found)
{
	size_t it = 0;
	struct rt_exam *e;
	int n = 0;

	*found = NULL;
	while ((e = hmap_next(&a->x->reg.exams, &it))) {
		struct rt_candidate *c;
		if (!attempt_exam_open(e, now))
			continue;
		c = registry_candidate(e, r->regno);
		if (cred_verify_password(a->key, e->def.code, r->regno, r->password,
					 c ? c->pw_hash : a->dummy_hash) &&
		    c) {
			if (!n)
				*found = c;
			n++;
		}
	}
	return n;
}

enum login_outcome session_login(struct auth_rt *a, const struct login_req *r, int64_t now,
				 char token[CRED_TOKEN_LEN + 1], struct rt_candidate **cand,
				 session_then_fn then, void *arg)
{
	char rkey[UJ_CODE_MAX + UJ_REGNO_MAX + 2];
	size_t rlen = 0;
	struct rt_exam *e = NULL;
	struct rt_candidate *c = NULL;
	struct session_op *s;
	int pw_ok, pick = !r->exam || !*r->exam, regno_ok;

	*cand = NULL;
	regno_ok = text_is_ident(r->regno, UJ_REGNO_MAX, "Aa0._-", 1);
	/* An exam-less login is limited per number across exams ("*"). */
	if (regno_ok && (pick || text_is_ident(r->exam, UJ_CODE_MAX, "Aa0._-", 1)))
		rlen = (size_t)snprintf(rkey, sizeof rkey, "%s\x01%s", pick ? "*" : r->exam,
					r->regno);
	if (ratelimit_blocked(&a->rl_addr, r->peer, strlen(r->peer), clock_mono_ms()) ||
	    (rlen && ratelimit_blocked(&a->rl_regno, rkey, rlen, clock_mono_ms())))
		return LOGIN_TOO_MANY_ATTEMPTS;
	if (pick) {
		/* The same refusal for a number found nowhere, a wrong password
		 * and a number whose password fits several open exams (the
		 * candidate then names the exam). */
		int n = regno_ok ? session_find_exam(a, r, now, &c) : 0;
		if (n > 1)
			return LOGIN_EXAM_REQUIRED;
		pw_ok = n == 1;
		if (c) {
			/* From here on as if the exam had been named: its own
			 * limit holds too. */
			char ekey[UJ_CODE_MAX + UJ_REGNO_MAX + 2];
			size_t elen = (size_t)snprintf(ekey, sizeof ekey, "%s\x01%s",
						       c->exam->def.code, r->regno);
			if (ratelimit_blocked(&a->rl_regno, ekey, elen, clock_mono_ms()))
				return LOGIN_TOO_MANY_ATTEMPTS;
			e = c->exam;
		}
	} else {
		e = rlen ? registry_exam(&a->x->reg, r->exam) : NULL;
		c = e ? registry_candidate(e, r->regno) : NULL;
		/* Always one keyed-hash comparison, whoever asks, so timing tells
		 * nothing about which candidates exist. */
		pw_ok = cred_verify_password(a->key, r->exam, r->regno, r->password,
					     c ? c->pw_hash : a->dummy_hash);
	}
	if (!pw_ok || !c || strlen(r->password) > UJ_PASSWORD_MAX) {
		session_failed(a, r, rkey, rlen, c, "invalid_credentials", now);
		return LOGIN_INVALID_CREDENTIALS;
	}
	if (c->broken)
		return LOGIN_UNAVAILABLE;
	if (c->status == ATT_NOT_STARTED && !attempt_exam_open(e, now))
		return LOGIN_EXAM_CLOSED;
	if (session_needs_token(c)) {
		if (!r->token || !*r->token)
			return LOGIN_TOKEN_REQUIRED;
		if (!session_token_matches(c, r->token, now)) {
			session_failed(a, r, rkey, rlen, c, "token_invalid", now);
			return LOGIN_TOKEN_INVALID;
		}
	}
	s = session_op_new(c, SOP_LOGIN, now);
	s->x = a->x;
	cred_new_token(token, s->hash);
	s->replaced = c->session != NULL;
	str_copy(s->peer, sizeof s->peer, r->peer);
	if (r->fp && text_is_ident(r->fp, UJ_SEAT_FP_MAX, "a0", 1))
		str_copy(s->fp, sizeof s->fp, r->fp);
	/* The seat: where the candidate sits now, for the proctor. */
	str_copy(c->seat_addr, sizeof c->seat_addr, r->peer);
	str_copy(c->seat_fp, sizeof c->seat_fp, s->fp);
	c->logged_in_at = now;
	s->then = then;
	s->arg = arg;
	registry_session_add(&a->x->reg, c, s->hash, now, SES_ACTIVE);
	attempt_expire_if_due(a->x, c, now);
	writer_submit(a->x->w, &s->op);
	*cand = c;
	return LOGIN_OK;
}

void session_reset(struct auth_rt *a, struct rt_candidate *c, struct actor who, const char *reason,
		   int64_t now, session_then_fn then, void *arg)
{
	struct session_op *s;
	assert(c->session);
	s = session_op_new(c, SOP_RESET, now);
	s->op.owner = who;
	s->x = a->x;
	memcpy(s->hash, c->session->hash, CRED_HASH_LEN);
	s->reason = reason ? xstrdup(reason) : NULL;
	s->then = then;
	s->arg = arg;
	registry_session_reset(&a->x->reg, c);
	writer_submit(a->x->w, &s->op);
}

void session_logout(struct auth_rt *a, struct rt_candidate *c, int64_t now, session_then_fn then,
		    void *arg)
{
	struct session_op *s;
	assert(c->session);
	s = session_op_new(c, SOP_LOGOUT, now);
	s->x = a->x;
	memcpy(s->hash, c->session->hash, CRED_HASH_LEN);
	s->then = then;
	s->arg = arg;
	registry_session_end(&a->x->reg, c);
	writer_submit(a->x->w, &s->op);
}

/* 1 if c's sessions have run out: session_after_ms past its attempt's
 * finish, or (not running) past the exam's close. */
static int session_ended(const struct auth_rt *a, const struct rt_candidate *c, int64_t now)
{
	int64_t closes = c->exam->def.closes_at;
	/* A running attempt keeps its session, however late it runs past the
	 * exam's close (a late start with extra time). */
	if (c->status == ATT_IN_PROGRESS)
		return 0;
	if (c->status == ATT_FINISHED && now - c->finished_at > a->session_after_ms)
		return 1;
	return closes && now - closes > a->session_after_ms;
}

const char *session_authenticate(struct auth_rt *a, const char *tok, size_t len,
				 struct principal *p)
{
	uint8_t hash[CRED_HASH_LEN];
	struct rt_session *ses;

	if (len != CRED_TOKEN_LEN)
		return "unauthorized";
	cred_token_hash(tok, len, hash);
	ses = registry_session(&a->x->reg, hash);
	/* The map compares digests; confirm in constant time anyway. */
	if (!ses || CRYPTO_memcmp(ses->hash, hash, CRED_HASH_LEN) != 0)
		return "unauthorized";
	if (ses->state == SES_REPLACED)
		return "session_replaced";
	if (ses->state == SES_RESET)
		return "session_reset";
	if (session_ended(a, ses->cand, clock_now_ms()))
		return "session_expired";
	memset(p, 0, sizeof *p);
	p->kind = PRINCIPAL_CANDIDATE;
	p->cand = ses->cand;
	p->session = ses;
	p->actor = actor_candidate(ses->cand->id);
	return NULL;
}

void session_image_tag(const struct auth_rt *a, int64_t cand_id, char out[UJ_IMAGE_TAG_LEN + 1])
{
	unsigned char mac[32];
	unsigned int len = sizeof mac;
	char msg[32];
	int n = snprintf(msg, sizeof msg, "img:%lld", (long long)cand_id);
	HMAC(EVP_sha256(), a->image_key, CRED_KEY_LEN, (unsigned char *)msg, (size_t)n, mac, &len);
	_Static_assert(UJ_IMAGE_TAG_LEN % 2 == 0 && UJ_IMAGE_TAG_LEN / 2 <= sizeof mac, "tag fits");
	cred_hex(mac, UJ_IMAGE_TAG_LEN / 2, out);
}

/* The rate-limit key of a candidate: "<exam>\x01<regno>". */
static size_t session_regno_key(const struct rt_candidate *c, char *key, size_t n)
{
	return (size_t)snprintf(key, n, "%s\x01%s", c->exam->def.code, c->regno);
}

int session_locked(struct auth_rt *a, const struct rt_candidate *c)
{
	char key[UJ_CODE_MAX + UJ_REGNO_MAX + 2];
	size_t n = session_regno_key(c, key, sizeof key);
	return ratelimit_blocked(&a->rl_regno, key, n, clock_mono_ms());
}

void session_unlock(struct auth_rt *a, const struct rt_candidate *c)
{
	char key[UJ_CODE_MAX + UJ_REGNO_MAX + 2];
	size_t n = session_regno_key(c, key, sizeof key);
	ratelimit_clear(&a->rl_regno, key, n);
}

void session_reset_password(struct auth_rt *a, struct rt_candidate *c, struct actor who,
			    int64_t now, char password[UJ_PASSWORD_GEN_LEN + 1],
			    session_then_fn then, void *arg)
{
	struct session_op *s = session_op_new(c, SOP_PASSWORD, now);
	s->op.owner = who;
	cred_generate_password(password, UJ_PASSWORD_GEN_LEN);
	cred_hash_password(a->key, c->exam->def.code, c->regno, password, s->hash);
	memcpy(c->pw_hash, s->hash, CRED_HASH_LEN);
	s->then = then;
	s->arg = arg;
	writer_submit(a->x->w, &s->op);
}
