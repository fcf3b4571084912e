/* staff.c - staff accounts: validation, reads and writer operations (see
 * auth/staff.h). */
#include "auth/staff.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "store/event.h"

#include <assert.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- validation ------------------------------------------------------------ */

int staff_username_check(const char *u, char *err, size_t errlen)
{
	size_t n = strlen(u);
	if (n < UJ_USERNAME_MIN || n > UJ_USERNAME_MAX) {
		snprintf(err, errlen, "nama pengguna harus %d-%d karakter", UJ_USERNAME_MIN,
			 UJ_USERNAME_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-')) {
			snprintf(err, errlen,
				 "nama pengguna hanya boleh berisi huruf kecil a-z, angka, titik, garis "
				 "bawah dan tanda hubung");
			return -1;
		}
	}
	if (!((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= '0' && u[0] <= '9'))) {
		snprintf(err, errlen, "nama pengguna harus diawali huruf atau angka");
		return -1;
	}
	return 0;
}

int staff_name_check(const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	if (n == 0 || n > UJ_STAFF_NAME_MAX || !text_utf8_valid(name, n) ||
	    text_has_control(name, 0)) {
		snprintf(err, errlen, "nama harus berupa teks 1-%d bita tanpa karakter kendali",
			 UJ_STAFF_NAME_MAX);
		return -1;
	}
	return 0;
}

int staff_password_check(const char *pw, char *err, size_t errlen)
{
	size_t n = strlen(pw);
	if (n < UJ_STAFF_PW_MIN || n > UJ_STAFF_PW_MAX || !text_utf8_valid(pw, n) ||
	    text_has_control(pw, 0)) {
		snprintf(err, errlen, "kata sandi harus %d-%d karakter tanpa karakter kendali",
			 UJ_STAFF_PW_MIN, UJ_STAFF_PW_MAX);
		return -1;
	}
	return 0;
}

unsigned staff_role_bit(const char *name)
{
	for (int i = 0; i < PRINCIPAL_ROLES_MAX; i++)
		if (strcmp(name, staff_role_names[i]) == 0)
			return 1u << i;
	return 0;
}

int staff_roles_parse(const char *csv, unsigned *roles, char *err, size_t errlen)
{
	char buf[128], *save = NULL, *tok;
	*roles = 0;
	if (strlen(csv) >= sizeof buf) {
		snprintf(err, errlen, "daftar peran terlalu panjang");
		return -1;
	}
	strcpy(buf, csv);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned b;
		while (*tok == ' ')
			tok++;
		b = staff_role_bit(tok);
		if (!b) {
			char safe[40];
			str_copy(safe, sizeof safe, tok);
			text_utf8_scrub(safe);
			snprintf(err, errlen,
				 "peran \"%s\" tidak dikenal (admin, author, proctor, committee, observer)",
				 safe);
			return -1;
		}
		*roles |= b;
	}
	if (!*roles) {
		snprintf(err, errlen, "sebutkan sedikitnya satu peran");
		return -1;
	}
	return 0;
}

json_t *staff_roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int i = 0; i < PRINCIPAL_ROLES_MAX; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(staff_role_names[i]));
	return a;
}

void staff_roles_text(unsigned roles, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < PRINCIPAL_ROLES_MAX && used < n; i++)
		if (roles & (1u << i))
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "",
						 staff_role_names[i]);
}

void staff_generate_password(char *out)
{
	cred_generate_password(out, UJ_STAFF_PW_GEN);
}

/* ---- reads -------------------------------------------------------------------- */

static const char sql_find[] =
	"SELECT id, username, name, roles, disabled, created_at, last_login_at, pw_hash"
	" FROM staff WHERE ";

/* Run the account query with where (binding v1 as text or v2 as id). */
static int staff_find_where(sqlite3 *db, const char *where, const char *text, int64_t id,
			    struct staff_account *a)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	int rc = -1;

	snprintf(sql, sizeof sql, "%s%s", sql_find, where);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = -1;
		goto out;
	}
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	str_copy(a->username, sizeof a->username, (const char *)sqlite3_column_text(st, 1));
	str_copy(a->name, sizeof a->name, (const char *)sqlite3_column_text(st, 2));
	a->roles = (unsigned)sqlite3_column_int(st, 3) & ROLE_ALL;
	a->disabled = sqlite3_column_int(st, 4);
	a->created_at = sqlite3_column_int64(st, 5);
	a->last_login_at = sqlite3_column_int64(st, 6);
	str_copy(a->pw_hash, sizeof a->pw_hash, (const char *)sqlite3_column_text(st, 7));
	rc = 1;
out:
	sqlite3_finalize(st);
	return rc;
}

int staff_find(sqlite3 *db, const char *username, struct staff_account *a)
{
	return staff_find_where(db, "username = ?1", username, 0, a);
}

int staff_find_id(sqlite3 *db, int64_t id, struct staff_account *a)
{
	return staff_find_where(db, "id = ?1", NULL, id, a);
}

int staff_scope_ids(sqlite3 *db, int64_t staff_id, int64_t *ids, int max)
{
	sqlite3_stmt *st = NULL;
	int n = 0, rc;
	if (sqlite3_prepare_v2(db, "SELECT exam_id FROM staff_scope WHERE staff_id = ?1 ORDER BY exam_id",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, staff_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int staff_exam_ids(sqlite3 *db, const char *csv, int64_t *ids, int max, int *n_out, char *err,
		   size_t errlen)
{
	char buf[UJ_STAFF_SCOPE_MAX * (UJ_CODE_MAX + 1) + 1], *save = NULL, *tok;
	sqlite3_stmt *st = NULL;
	int n = 0, rc = -1;

	*n_out = 0;
	if (strlen(csv) >= sizeof buf) {
		snprintf(err, errlen, "daftar ujian terlalu panjang");
		return -1;
	}
	strcpy(buf, csv);
	if (sqlite3_prepare_v2(db, "SELECT id FROM exams WHERE code = ?1", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int dup = 0;
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, tok, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_ROW) {
			char safe[UJ_CODE_MAX + 8];
			str_copy(safe, sizeof safe, tok);
			text_utf8_scrub(safe);
			snprintf(err, errlen, "ujian \"%s\" tidak ada", safe);
			goto out;
		}
		if (n >= max) {
			snprintf(err, errlen, "paling banyak %d ujian per akun", max);
			goto out;
		}
		for (int i = 0; i < n; i++)
			dup |= ids[i] == sqlite3_column_int64(st, 0);
		if (!dup)
			ids[n++] = sqlite3_column_int64(st, 0);
	}
	*n_out = n;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* The account's exam codes as a JSON array. */
static json_t *staff_exam_codes(sqlite3 *db, int64_t staff_id)
{
	sqlite3_stmt *st = NULL;
	json_t *a = json_array();
	if (sqlite3_prepare_v2(db,
			       "SELECT e.code FROM staff_scope s JOIN exams e ON e.id = s.exam_id"
			       " WHERE s.staff_id = ?1 ORDER BY e.code",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(a);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, staff_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	return a;
}

json_t *staff_account_json(sqlite3 *db, const struct staff_account *a)
{
	json_t *exams = staff_exam_codes(db, a->id);
	if (!exams)
		return NULL;
	return json_pack("{s:s,s:s,s:o,s:o,s:b,s:o,s:o}", "username", a->username, "name", a->name,
			 "roles", staff_roles_json(a->roles), "exams", exams, "disabled",
			 a->disabled, "created_at", clock_json(a->created_at), "last_login_at",
			 clock_json(a->last_login_at));
}

json_t *staff_list_json(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	json_t *list = json_array();
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM staff ORDER BY username", -1, &st, NULL) !=
	    SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct staff_account a;
		json_t *one;
		if (staff_find_id(db, sqlite3_column_int64(st, 0), &a) != 1 ||
		    !(one = staff_account_json(db, &a)))
			goto fail;
		json_array_append_new(list, one);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	return list;
fail:
	sqlite3_finalize(st);
	json_decref(list);
	return NULL;
}

int staff_exam_allowed(const struct principal *p, int64_t exam_id, unsigned roles)
{
	const struct principal_staff *s = &p->staff;
	if (p->kind != PRINCIPAL_STAFF || !(p->roles & roles))
		return 0;
	if (p->roles & ROLE_ADMIN)
		return 1;
	for (int i = 0; i < s->n_exams; i++)
		if (s->exams[i] == exam_id)
			return 1;
	/* No assignment: authors and committees see every exam; proctors and
	 * observers none. */
	return s->n_exams == 0 && (p->roles & roles & (ROLE_AUTHOR | ROLE_COMMITTEE));
}

/* ---- writer operations ---------------------------------------------------------- */

static const char sql_add[] =
	"INSERT INTO staff (username, name, roles, pw_hash, disabled, created_at, pw_changed_at)"
	" VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)";
static const char sql_scope_clear[] = "DELETE FROM staff_scope WHERE staff_id = ?1";
static const char sql_scope_add[] = "INSERT INTO staff_scope (staff_id, exam_id) VALUES (?1, ?2)";
static const char sql_set_name[] = "UPDATE staff SET name = ?2 WHERE id = ?1";
static const char sql_set_roles[] = "UPDATE staff SET roles = ?2 WHERE id = ?1";
static const char sql_set_disabled[] = "UPDATE staff SET disabled = ?2 WHERE id = ?1";
static const char sql_set_pw[] = "UPDATE staff SET pw_hash = ?2, pw_changed_at = ?3 WHERE id = ?1";
static const char sql_end_all[] =
	"UPDATE staff_sessions SET ended_at = ?2, ended_why = ?3"
	" WHERE staff_id = ?1 AND ended_at IS NULL";
static const char sql_session_new[] =
	"INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, last_seen_at, peer)"
	" VALUES (?1, ?2, ?3, ?4, ?4, ?5)";
static const char sql_last_login[] = "UPDATE staff SET last_login_at = ?2 WHERE id = ?1";
static const char sql_session_end[] =
	"UPDATE staff_sessions SET ended_at = ?2, ended_why = ?3"
	" WHERE token_hash = ?1 AND ended_at IS NULL";
static const char sql_session_seen[] =
	"UPDATE staff_sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND last_seen_at < ?2";

static int staff_event(struct wr_tx *tx, const struct staff_op *s, const char *kind,
		       json_t *detail)
{
	struct event_rec e = { .at = s->op.at, .actor = s->op.owner, .candidate_id = s->cand_id,
			       .kind = kind, .label = -1, .detail = detail };
	return event_append(tx, &e);
}

/* Bind (id, v) to a two-parameter update and step it. */
static int staff_set_int(struct wr_tx *tx, const char *sql, int64_t id, int64_t v)
{
	sqlite3_stmt *st = wr_stmt(tx, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, v);
	return wr_step(st);
}

static int staff_set_scope(struct wr_tx *tx, const struct staff_op *s)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_scope_clear);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->staff_id);
	if (wr_step(st))
		return -1;
	for (int i = 0; i < s->n_exams; i++) {
		if (!(st = wr_stmt(tx, sql_scope_add)))
			return -1;
		sqlite3_bind_int64(st, 1, s->staff_id);
		sqlite3_bind_int64(st, 2, s->exams[i]);
		if (wr_step(st))
			return -1;
	}
	return 0;
}

/* End sessions (one by hash, or all of the account) and count them. */
static int staff_end_sessions(struct wr_tx *tx, struct staff_op *s, int all)
{
	sqlite3_stmt *st = wr_stmt(tx, all ? sql_end_all : sql_session_end);
	if (!st)
		return -1;
	if (all)
		sqlite3_bind_int64(st, 1, s->staff_id);
	else
		sqlite3_bind_blob(st, 1, s->token_hash, UJ_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->op.at);
	sqlite3_bind_text(st, 3, s->why ? s->why : "logout", -1, SQLITE_STATIC);
	if (wr_step(st))
		return -1;
	s->changed = wr_changes(tx);
	return 0;
}

static int staff_apply_add(struct wr_tx *tx, struct staff_op *s, json_t **detail)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_add);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, s->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)s->roles);
	sqlite3_bind_text(st, 4, s->pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, s->op.at);
	if (wr_step(st))
		return -1;
	s->staff_id = wr_last_id(tx);
	if (staff_set_scope(tx, s))
		return -1;
	*detail = json_pack("{s:s,s:s,s:o,s:I}", "username", s->username, "name", s->name, "roles",
			    staff_roles_json(s->roles), "exams", (json_int_t)s->n_exams);
	return staff_event(tx, s, "staff_added", *detail);
}

static int staff_apply_update(struct wr_tx *tx, struct staff_op *s, json_t **detail)
{
	sqlite3_stmt *st;
	*detail = json_pack("{s:s}", "username", s->username);
	if (s->set_name) {
		if (!(st = wr_stmt(tx, sql_set_name)))
			return -1;
		sqlite3_bind_int64(st, 1, s->staff_id);
		sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
		if (wr_step(st))
			return -1;
		json_object_set_new(*detail, "name", json_string(s->name));
	}
	if (s->set_roles) {
		if (staff_set_int(tx, sql_set_roles, s->staff_id, s->roles))
			return -1;
		json_object_set_new(*detail, "roles", staff_roles_json(s->roles));
	}
	if (s->set_exams) {
		json_t *ids = json_array();
		if (staff_set_scope(tx, s)) {
			json_decref(ids);
			return -1;
		}
		for (int i = 0; i < s->n_exams; i++)
			json_array_append_new(ids, json_integer(s->exams[i]));
		json_object_set_new(*detail, "exam_ids", ids);
	}
	if (s->set_disabled) {
		if (staff_set_int(tx, sql_set_disabled, s->staff_id, s->disabled))
			return -1;
		json_object_set_new(*detail, "disabled", json_boolean(s->disabled));
		/* A disabled account's sessions end with it. */
		s->why = "disabled";
		if (s->disabled && staff_end_sessions(tx, s, 1))
			return -1;
	}
	return staff_event(tx, s, "staff_updated", *detail);
}

static int staff_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct staff_op *s = (struct staff_op *)op;
	sqlite3_stmt *st;
	json_t *detail = NULL;
	int rc = -1;

	switch (s->kind) {
	case STAFF_ADD:
		rc = staff_apply_add(tx, s, &detail);
		break;
	case STAFF_UPDATE:
		rc = staff_apply_update(tx, s, &detail);
		break;
	case STAFF_PASSWORD:
		if (!(st = wr_stmt(tx, sql_set_pw)))
			break;
		sqlite3_bind_int64(st, 1, s->staff_id);
		sqlite3_bind_text(st, 2, s->pw_hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, op->at);
		s->why = "password_changed";
		if (wr_step(st) || staff_end_sessions(tx, s, 1))
			break;
		detail = json_pack("{s:s,s:i}", "username", s->username, "sessions_ended", s->changed);
		rc = staff_event(tx, s, "staff_password_set", detail);
		break;
	case STAFF_SESSION_NEW:
		if (!(st = wr_stmt(tx, sql_session_new)))
			break;
		sqlite3_bind_blob(st, 1, s->token_hash, UJ_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, s->staff_id);
		sqlite3_bind_text(st, 3, s->csrf, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, op->at);
		sqlite3_bind_text(st, 5, s->peer, -1, SQLITE_STATIC);
		if (wr_step(st) || staff_set_int(tx, sql_last_login, s->staff_id, op->at))
			break;
		detail = json_pack("{s:s,s:s}", "username", s->username, "peer", s->peer);
		rc = staff_event(tx, s, "staff_login", detail);
		break;
	case STAFF_SESSION_END:
	case STAFF_SESSIONS_END_ALL:
		if (staff_end_sessions(tx, s, s->kind == STAFF_SESSIONS_END_ALL))
			break;
		detail = json_pack("{s:s,s:s,s:i}", "username", s->username, "why",
				   s->why ? s->why : "logout", "sessions_ended", s->changed);
		rc = staff_event(tx, s,
				 s->kind == STAFF_SESSION_END ? "staff_logout" : "staff_logout_all",
				 detail);
		break;
	case STAFF_SESSION_SEEN:
		if (!(st = wr_stmt(tx, sql_session_seen)))
			break;
		sqlite3_bind_blob(st, 1, s->token_hash, UJ_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, op->at);
		rc = wr_step(st);
		break;
	case STAFF_EVENT:
		assert(s->why);
		rc = staff_event(tx, s, s->why, s->detail);
		break;
	case STAFF_OP_KIND_MAX:
		break;
	}
	json_decref(detail);
	return rc;
}

static void staff_op_done(struct wr_op *op)
{
	struct staff_op *s = (struct staff_op *)op;
	if (s->then)
		s->then(s, !op->failed, s->arg);
}

static void staff_op_release(struct wr_op *op)
{
	struct staff_op *s = (struct staff_op *)op;
	json_decref(s->detail);
	OPENSSL_cleanse(s->csrf, sizeof s->csrf);
	free(s);
}

struct staff_op *staff_op_new(enum staff_op_kind kind, struct actor who, int64_t at)
{
	struct staff_op *s = xcalloc(1, sizeof *s);
	assert(kind < STAFF_OP_KIND_MAX);
	wr_op_init(&s->op, staff_apply, who, at);
	s->op.done = staff_op_done;
	s->op.release = staff_op_release;
	s->kind = kind;
	return s;
}
