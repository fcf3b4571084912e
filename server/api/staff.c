/* staff.c - the staff API's sessions and accounts (docs/API.md, "Staff
 * API"): login, logout, me, own password, session list, log out everywhere,
 * and the admin's account management. */
#include "api/api.h"
#include "api/fields.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/mem.h"
#include "http/reply.h"
#include "http/tls.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pending request and what its reply needs. */
struct staff_ctx {
	struct evhttp_request *req;
	struct api *a;
	char password[UJ_STAFF_PW_MAX + 1]; /* generated, shown once */
	int bearer;                         /* login: the token goes in the reply too */
	char newpw[UJ_STAFF_PW_MAX + 1];    /* own password change */
	char username[UJ_USERNAME_MAX + 1];
	int64_t staff_id;
	uint8_t session_hash[UJ_HASH_LEN];
};

static struct staff_ctx *staff_ctx_new(struct evhttp_request *req, struct api *a)
{
	struct staff_ctx *c = xcalloc(1, sizeof *c);
	c->req = req;
	c->a = a;
	return c;
}

static void staff_ctx_free(struct staff_ctx *c)
{
	OPENSSL_cleanse(c, sizeof *c);
	free(c);
}

/* Set (token) or clear (NULL) the staff session cookie. */
static void staff_cookie(struct api *a, struct evhttp_request *req, const char *token)
{
	char *v = token ? xasprintf(STAFF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
				    token, a->staff->max_age_s, http_secure(req) ? "; Secure" : "")
			: xasprintf(STAFF_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
				    http_secure(req) ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", v);
	OPENSSL_cleanse(v, strlen(v));
	free(v);
}

void api_staff_reply_invalid(struct evhttp_request *req, json_t *errors)
{
	json_t *body = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "invalid_input", "message",
				 http_error_message("invalid_input"), "errors", errors);
	http_reply_json(req, 400, body);
}

/* Add {"field", "message"} to errors. */
static void staff_err(json_t *errors, const char *field, const char *msg)
{
	if (json_array_size(errors) < UJ_ERRORS_MAX)
		json_array_append_new(errors, json_pack("{s:s,s:s}", "field", field, "message", msg));
}

/* The account as the web sees it, with the session's CSRF token and expiry. */
static json_t *staff_me_json(struct api *a, const struct staff_account *acct, const char *csrf,
			     int64_t login_at)
{
	json_t *j = staff_account_json(a->staff->db, acct);
	if (!j)
		return NULL;
	json_object_set_new(j, "csrf", json_string(csrf));
	json_object_set_new(j, "idle_s", json_integer(a->staff->idle_s));
	if (login_at)
		json_object_set_new(j, "expires_at",
				    clock_json(login_at + (int64_t)a->staff->max_age_s * 1000));
	return j;
}

/* ---- login, logout, me -------------------------------------------------------- */

/* A refused staff login. invalid_credentials names what a staff member
 * types (a username, not a registration number). */
static void staff_login_refused(struct evhttp_request *req, enum staff_login_outcome out)
{
	if (out == SLOGIN_BUSY)
		http_reply_busy(req);
	else if (out == SLOGIN_INVALID)
		http_reply_json(req, 401,
				json_pack("{s:{s:s,s:s}}", "error", "code", "invalid_credentials",
					  "message", "Nama pengguna atau kata sandi salah."));
	else
		http_reply_error(req, staff_login_status[out], staff_login_codes[out], NULL);
}

static void staff_login_cb(const struct staff_login_result *r, void *arg)
{
	struct staff_ctx *c = arg;
	json_t *me;
	if (r->outcome != SLOGIN_OK) {
		staff_login_refused(c->req, r->outcome);
		goto out;
	}
	if (!(me = staff_me_json(c->a, &r->acct, r->csrf, r->at))) {
		http_reply_error(c->req, 500, "internal", NULL);
		goto out;
	}
	/* The token is the cookie's, which page scripts cannot read; it is in
	 * the body only for a script that asked for it (Bearer use). */
	if (c->bearer)
		json_object_set_new(me, "token", json_string(r->token));
	staff_cookie(c->a, c->req, r->token);
	http_reply_json(c->req, 200, me);
out:
	staff_ctx_free(c);
}

void api_staff_login(void *app, struct evhttp_request *req, const struct principal *p,
		     const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "username", AF_STRING, 1, NULL },
				 { "password", AF_STRING, 1, NULL },
				 { "bearer", AF_BOOL, 0, NULL },
				 { NULL, 0, 0, NULL } };
	char peer[UJ_PEER_MAX + 1];
	enum staff_login_outcome out;
	struct staff_ctx *c;
	json_t *body;
	(void)p;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	if (api_fields(req, body, f))
		goto out;
	http_peer(req, peer, sizeof peer);
	c = staff_ctx_new(req, a);
	c->bearer = f[2].value && json_is_true(f[2].value);
	out = staffauth_login(a->staff, json_string_value(f[0].value), json_string_value(f[1].value),
			      peer, clock_now_ms(), staff_login_cb, c);
	if (out != SLOGIN_PENDING) {
		staff_ctx_free(c);
		if (out == SLOGIN_TOO_MANY) {
			char ra[16];
			snprintf(ra, sizeof ra, "%d",
				 staffauth_wait_s(a->staff, json_string_value(f[0].value), peer));
			evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", ra);
		}
		staff_login_refused(req, out);
	}
out:
	json_decref(body);
}

/* After a change that ended this session: clear the cookie and reply. */
static void staff_ended_cb(struct staff_op *s, int ok, void *arg)
{
	struct staff_ctx *c = arg;
	if (!ok) {
		http_reply_error(c->req, 500, "internal", NULL);
	} else {
		staff_cookie(c->a, c->req, NULL);
		http_reply_json(c->req, 200, json_pack("{s:i}", "ended", s->changed));
	}
	staff_ctx_free(c);
}

/* End this session (all = every session of the account). */
static void staff_end(struct api *a, struct evhttp_request *req, const struct principal *p,
		      int all)
{
	struct staff_op *s = staff_op_new(all ? STAFF_SESSIONS_END_ALL : STAFF_SESSION_END, p->actor,
					  clock_now_ms());
	s->staff_id = p->actor.id;
	str_copy(s->username, sizeof s->username, p->staff.username);
	memcpy(s->token_hash, p->staff.session_hash, UJ_HASH_LEN);
	s->why = all ? "logout_all" : "logout";
	s->then = staff_ended_cb;
	s->arg = staff_ctx_new(req, a);
	writer_submit(a->staff->w, &s->op);
}

void api_staff_logout(void *app, struct evhttp_request *req, const struct principal *p,
		      const char *rest)
{
	(void)rest;
	staff_end(app, req, p, 0);
}

void api_staff_logout_all(void *app, struct evhttp_request *req, const struct principal *p,
			  const char *rest)
{
	(void)rest;
	staff_end(app, req, p, 1);
}

void api_staff_me(void *app, struct evhttp_request *req, const struct principal *p,
		  const char *rest)
{
	struct api *a = app;
	struct staff_account acct;
	json_t *me;
	(void)rest;
	if (staffauth_account(a->staff, p, &acct) != 1 ||
	    !(me = staff_me_json(a, &acct, p->staff.csrf, 0))) {
		http_reply_error(req, 500, "internal", NULL);
		return;
	}
	http_reply_json(req, 200, me);
}

void api_staff_sessions(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	json_t *list = staffauth_sessions_json(a->staff, p->actor.id, p->staff.session_hash,
					       clock_now_ms());
	(void)rest;
	if (!list) {
		http_reply_error(req, 500, "internal", NULL);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "sessions", list));
}

/* ---- own password ------------------------------------------------------------------ */

static void staff_pw_checked(int ok, void *arg)
{
	struct staff_ctx *c = arg;
	struct staff_op *s;
	if (ok != 1) {
		http_reply_error(c->req, ok == 0 ? 401 : 500, ok == 0 ? "invalid_credentials" : "internal",
				 ok == 0 ? "Kata sandi lama salah." : NULL);
		staff_ctx_free(c);
		return;
	}
	s = staff_op_new(STAFF_PASSWORD, (struct actor){ ACTOR_STAFF, c->staff_id }, clock_now_ms());
	s->staff_id = c->staff_id;
	str_copy(s->username, sizeof s->username, c->username);
	s->then = staff_ended_cb;
	s->arg = c;
	if (staffauth_submit_hashed(c->a->staff, s, c->newpw)) {
		http_reply_busy(c->req);
		staff_ctx_free(c);
	}
}

void api_staff_password(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "old", AF_STRING, 1, NULL },
				 { "new", AF_STRING, 1, NULL },
				 { NULL, 0, 0, NULL } };
	struct staff_account acct;
	struct staff_ctx *c;
	char err[160];
	json_t *body;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		return;
	if (api_fields(req, body, f))
		goto out;
	if (staff_password_check(json_string_value(f[1].value), err, sizeof err)) {
		json_t *errors = json_array();
		staff_err(errors, "new", err);
		api_staff_reply_invalid(req, errors);
		goto out;
	}
	if (staffauth_account(a->staff, p, &acct) != 1) {
		http_reply_error(req, 500, "internal", NULL);
		goto out;
	}
	c = staff_ctx_new(req, a);
	c->staff_id = acct.id;
	str_copy(c->username, sizeof c->username, acct.username);
	str_copy(c->newpw, sizeof c->newpw, json_string_value(f[1].value));
	if (staffauth_check_password(a->staff, acct.pw_hash, json_string_value(f[0].value),
				     staff_pw_checked, c)) {
		staff_ctx_free(c);
		http_reply_busy(req);
	}
out:
	json_decref(body);
}

/* ---- accounts (admin) ------------------------------------------------------------- */

void api_staff_accounts(void *app, struct evhttp_request *req, const struct principal *p,
			const char *rest)
{
	struct api *a = app;
	json_t *list = staff_list_json(a->staff->db);
	(void)p;
	(void)rest;
	if (!list) {
		http_reply_error(req, 500, "internal", NULL);
		return;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "accounts", list));
}

/* Roles from a JSON array into *roles; an error into errors. */
static void staff_roles_from(json_t *arr, unsigned *roles, json_t *errors)
{
	size_t i;
	json_t *v;
	*roles = 0;
	json_array_foreach(arr, i, v) {
		unsigned b = staff_role_bit(json_string_value(v));
		if (!b) {
			staff_err(errors, "roles",
				  "peran tidak dikenal (admin, author, proctor, committee, observer)");
			return;
		}
		*roles |= b;
	}
	if (!*roles)
		staff_err(errors, "roles", "sebutkan sedikitnya satu peran");
}

/* Exam codes from a JSON array into op's scope; an error into errors. */
static void staff_exams_from(struct api *a, json_t *arr, struct staff_op *s, json_t *errors)
{
	char csv[UJ_STAFF_SCOPE_MAX * (UJ_CODE_MAX + 1) + 1] = "", err[160];
	size_t i, used = 0;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *code = json_string_value(v);
		if (strlen(code) > UJ_CODE_MAX || strchr(code, ',') ||
		    used + strlen(code) + 2 >= sizeof csv) {
			staff_err(errors, "exams", "kode ujian tidak valid atau terlalu banyak ujian");
			return;
		}
		used += (size_t)snprintf(csv + used, sizeof csv - used, "%s%s", i ? "," : "", code);
	}
	if (staff_exam_ids(a->staff->db, csv, s->exams, UJ_STAFF_SCOPE_MAX, &s->n_exams, err,
			   sizeof err))
		staff_err(errors, "exams", err);
}

/* Reply with the account (read after the commit). */
static void staff_account_cb(struct staff_op *s, int ok, void *arg)
{
	struct staff_ctx *c = arg;
	struct staff_account acct;
	json_t *j = NULL;
	if (ok && staff_find_id(c->a->staff->db, s->staff_id, &acct) == 1)
		j = staff_account_json(c->a->staff->db, &acct);
	if (!j) {
		http_reply_error(c->req, 500, "internal", NULL);
	} else {
		if (c->password[0])
			json_object_set_new(j, "password", json_string(c->password));
		http_reply_json(c->req, s->kind == STAFF_ADD ? 201 : 200, j);
	}
	staff_ctx_free(c);
}

void api_staff_account_add(void *app, struct evhttp_request *req, const struct principal *p,
			   const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "username", AF_STRING, 1, NULL },
				 { "name", AF_STRING, 0, NULL },
				 { "roles", AF_STRINGS, 1, NULL },
				 { "exams", AF_STRINGS, 0, NULL },
				 { NULL, 0, 0, NULL } };
	struct staff_account existing;
	struct staff_op *s = NULL;
	struct staff_ctx *c;
	json_t *body, *errors = json_array();
	char err[160];
	const char *user, *name;
	(void)rest;

	if (http_body_json(req, a->max_body, &body))
		goto out;
	if (api_fields(req, body, f))
		goto out;
	user = json_string_value(f[0].value);
	name = f[1].value ? json_string_value(f[1].value) : user;
	s = staff_op_new(STAFF_ADD, p->actor, clock_now_ms());
	if (staff_username_check(user, err, sizeof err))
		staff_err(errors, "username", err);
	if (staff_name_check(name, err, sizeof err))
		staff_err(errors, "name", err);
	staff_roles_from(f[2].value, &s->roles, errors);
	if (f[3].value)
		staff_exams_from(a, f[3].value, s, errors);
	if (json_array_size(errors)) {
		api_staff_reply_invalid(req, errors);
		errors = NULL;
		goto out;
	}
	if (staff_find(a->staff->db, user, &existing) != 0) {
		http_reply_error(req, 409, "conflict", "Nama pengguna sudah dipakai.");
		goto out;
	}
	str_copy(s->username, sizeof s->username, user);
	str_copy(s->name, sizeof s->name, name);
	c = staff_ctx_new(req, a);
	staff_generate_password(c->password);
	s->then = staff_account_cb;
	s->arg = c;
	if (staffauth_submit_hashed(a->staff, s, c->password)) {
		staff_ctx_free(c);
		http_reply_busy(req);
	}
	s = NULL;
out:
	if (s)
		s->op.release(&s->op);
	json_decref(errors);
	json_decref(body);
}

/* The account named by the first segment of rest (1), or a 404 reply (0). */
static int staff_target(struct api *a, struct evhttp_request *req, const char *rest,
			struct staff_account *acct)
{
	char user[UJ_USERNAME_MAX + 1];
	if (route_segment(rest, 0, user, sizeof user) == 0 &&
	    staff_find(a->staff->db, user, acct) == 1)
		return 1;
	http_reply_error(req, 404, "not_found", "Akun staf tidak ada.");
	return 0;
}

void api_staff_account_edit(void *app, struct evhttp_request *req, const struct principal *p,
			    const char *rest)
{
	struct api *a = app;
	struct api_field f[] = { { "name", AF_STRING, 0, NULL },
				 { "roles", AF_STRINGS, 0, NULL },
				 { "exams", AF_STRINGS, 0, NULL },
				 { "disabled", AF_BOOL, 0, NULL },
				 { NULL, 0, 0, NULL } };
	struct staff_account acct;
	struct staff_op *s = NULL;
	json_t *body = NULL, *errors = json_array();
	char err[160];

	if (!staff_target(a, req, rest, &acct) || http_body_json(req, a->max_body, &body) ||
	    api_fields(req, body, f))
		goto out;
	s = staff_op_new(STAFF_UPDATE, p->actor, clock_now_ms());
	s->staff_id = acct.id;
	str_copy(s->username, sizeof s->username, acct.username);
	if ((s->set_name = f[0].value != NULL)) {
		if (staff_name_check(json_string_value(f[0].value), err, sizeof err))
			staff_err(errors, "name", err);
		else
			str_copy(s->name, sizeof s->name, json_string_value(f[0].value));
	}
	if ((s->set_roles = f[1].value != NULL))
		staff_roles_from(f[1].value, &s->roles, errors);
	if ((s->set_exams = f[2].value != NULL))
		staff_exams_from(a, f[2].value, s, errors);
	if ((s->set_disabled = f[3].value != NULL))
		s->disabled = json_is_true(f[3].value);
	/* An admin cannot lock themselves out. */
	if (acct.id == p->actor.id && ((s->set_disabled && s->disabled) ||
				       (s->set_roles && !(s->roles & ROLE_ADMIN))))
		staff_err(errors, s->set_disabled && s->disabled ? "disabled" : "roles",
			  "Anda tidak dapat menonaktifkan akun sendiri atau melepas peran admin "
			  "Anda sendiri");
	if (json_array_size(errors)) {
		api_staff_reply_invalid(req, errors);
		errors = NULL;
		goto out;
	}
	s->then = staff_account_cb;
	s->arg = staff_ctx_new(req, a);
	writer_submit(a->staff->w, &s->op);
	s = NULL;
out:
	if (s)
		s->op.release(&s->op);
	json_decref(errors);
	json_decref(body);
}

void api_staff_account_password(void *app, struct evhttp_request *req, const struct principal *p,
				const char *rest)
{
	struct api *a = app;
	struct staff_account acct;
	struct staff_op *s;
	struct staff_ctx *c;

	if (!staff_target(a, req, rest, &acct))
		return;
	s = staff_op_new(STAFF_PASSWORD, p->actor, clock_now_ms());
	s->staff_id = acct.id;
	str_copy(s->username, sizeof s->username, acct.username);
	c = staff_ctx_new(req, a);
	staff_generate_password(c->password);
	s->then = staff_account_cb;
	s->arg = c;
	if (staffauth_submit_hashed(a->staff, s, c->password)) {
		staff_ctx_free(c);
		http_reply_busy(req);
	}
}
