/* sitting.c - sittings (sesi): create, edit, assign candidates, rotate the
 * token, list (include/catalog/sitting.h).
 *
 * Each change is one writer operation applied at once on the caller's
 * connection (wr_apply_now: BEGIN IMMEDIATE ... COMMIT). Its apply function
 * checks everything that needs the database inside that transaction (so
 * nothing can change between the check and the write), records every
 * problem, and returns -1 to roll back when there is one; otherwise it
 * writes, appends the audit event and bumps meta.catalog_version. */
#include "catalog/sitting.h"
#include "core/clock.h"
#include "core/hmap.h"
#include "core/mem.h"
#include "core/rng.h"
#include "core/text.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ROLE_ADMIN | ROLE_PROCTOR of auth/principal.h (the catalog layer does not
 * include auth; tests/unit/catalog/test_sitting.c checks they agree). */
#define SITTING_PROCTOR_ROLES ((1u << 0) | (1u << 2))

enum sitting_opkind { SOP_CREATE, SOP_EDIT, SOP_ASSIGN, SOP_TOKEN };

struct sitting_op {
	struct wr_op op;
	enum sitting_opkind kind;
	const char *exam;
	const struct sitting_spec *spec;
	const char *code;
	const char *const *regnos;
	size_t n_regnos;
	struct errlist *errs;
	char token[UJ_SITTING_TOKEN_LEN + 1];
	int moved;
	int64_t exam_id, sitting_id;
};

static const char sql_exam[] = "SELECT id FROM exams WHERE code = ?";
static const char sql_sitting[] = "SELECT id, token FROM sittings WHERE exam_id = ? AND code = ?";
static const char sql_count[] = "SELECT count(*) FROM sittings WHERE exam_id = ?";
static const char sql_staff[] = "SELECT id, roles, disabled FROM staff WHERE username = ?";
static const char sql_proctor_ids[] = "SELECT staff_id FROM sitting_proctors WHERE sitting_id = ?";
static const char sql_proctor_del[] = "DELETE FROM sitting_proctors WHERE sitting_id = ?";
static const char sql_proctor_add[] =
	"INSERT OR IGNORE INTO sitting_proctors (sitting_id, staff_id) VALUES (?, ?)";
static const char sql_insert[] =
	"INSERT INTO sittings (exam_id, code, room, starts_at, rotate_min, start_together,"
	" token, prev_token, token_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)";
static const char sql_set_room[] = "UPDATE sittings SET room = ? WHERE id = ?";
static const char sql_set_start[] = "UPDATE sittings SET starts_at = ? WHERE id = ?";
static const char sql_set_rotate[] = "UPDATE sittings SET rotate_min = ? WHERE id = ?";
static const char sql_set_together[] = "UPDATE sittings SET start_together = ? WHERE id = ?";
static const char sql_set_token[] =
	"UPDATE sittings SET prev_token = token, token = ?, token_at = ? WHERE id = ?";
static const char sql_cand[] =
	"SELECT id, sitting_id FROM candidates WHERE exam_id = ? AND registration_no = ?";
static const char sql_cand_set[] = "UPDATE candidates SET sitting_id = ? WHERE id = ?";
static const char sql_bump[] =
	"UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'";

int sitting_code_valid(const char *code)
{
	return text_is_ident(code, UJ_CODE_MAX, "Aa0._-", 1);
}

int sitting_token_valid(const char *t)
{
	if (strlen(t) != UJ_SITTING_TOKEN_LEN)
		return 0;
	for (const char *p = t; *p; p++)
		if (!strchr(SITTING_TOKEN_ALPHABET, *p))
			return 0;
	return 1;
}

void sitting_token_from_bytes(const uint8_t *bytes, char *out)
{
	static const char alpha[] = SITTING_TOKEN_ALPHABET;
	_Static_assert(256 % (sizeof alpha - 1) == 0, "every letter equally likely");
	for (int i = 0; i < UJ_SITTING_TOKEN_LEN; i++)
		out[i] = alpha[bytes[i] % (sizeof alpha - 1)];
	out[UJ_SITTING_TOKEN_LEN] = '\0';
}

void sitting_token_new(char *out)
{
	uint8_t b[UJ_SITTING_TOKEN_LEN];
	rng_bytes(b, sizeof b);
	sitting_token_from_bytes(b, out);
}

static int sitting_username_ok(const char *u)
{
	return text_is_ident(u, UJ_USERNAME_MAX, "a0._-", 0) && strlen(u) >= 1;
}

int sitting_spec_check(const struct sitting_spec *spec, struct errlist *errs)
{
	size_t start = errs->total;
	if (spec->has_room && (strlen(spec->room) > UJ_ROOM_MAX ||
			       !text_utf8_valid(spec->room, strlen(spec->room)) ||
			       text_has_control(spec->room, 0)))
		errlist_add(errs, 0, NULL, "room",
			    "must be at most %d bytes of text without control characters",
			    UJ_ROOM_MAX);
	if (spec->has_rotate && (spec->rotate_min < 0 || spec->rotate_min > UJ_ROTATE_MAX_MIN))
		errlist_add(errs, 0, NULL, "rotate_min", "must be a whole number of minutes 0-%d",
			    UJ_ROTATE_MAX_MIN);
	if (spec->has_starts_at && spec->starts_at < 0)
		errlist_add(errs, 0, NULL, "starts_at", "must be an RFC 3339 time");
	for (int i = 0; i < spec->n_proctors; i++)
		if (!sitting_username_ok(spec->proctor[i]))
			errlist_add(errs, 0, NULL, "proctors", "\"%s\" is not a staff username",
				    spec->proctor[i]);
	for (int i = 0; i < spec->n_add; i++)
		if (!sitting_username_ok(spec->add[i]))
			errlist_add(errs, 0, NULL, "proctors", "\"%s\" is not a staff username",
				    spec->add[i]);
	for (int i = 0; i < spec->n_remove; i++)
		if (!sitting_username_ok(spec->remove[i]))
			errlist_add(errs, 0, NULL, "proctors", "\"%s\" is not a staff username",
				    spec->remove[i]);
	return errs->total == start ? 0 : -1;
}

int sitting_spec_from_json(json_t *body, int create, struct sitting_spec *spec,
			   struct errlist *errs)
{
	size_t start = errs->total;
	const char *key;
	json_t *v;

	memset(spec, 0, sizeof *spec);
	if (!json_is_object(body)) {
		errlist_add(errs, 0, NULL, NULL, "the body must be a JSON object");
		return -1;
	}
	json_object_foreach(body, key, v) {
		if (strcmp(key, "code") == 0 && create) {
			if (!json_is_string(v) || !sitting_code_valid(json_string_value(v)))
				errlist_add(errs, 0, NULL, "code",
					    "must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
					    UJ_CODE_MAX);
			else
				str_copy(spec->code, sizeof spec->code, json_string_value(v));
		} else if (strcmp(key, "room") == 0) {
			spec->has_room = 1;
			if (json_is_null(v))
				spec->room[0] = '\0';
			else if (!json_is_string(v) || strlen(json_string_value(v)) > UJ_ROOM_MAX)
				errlist_add(errs, 0, NULL, "room",
					    "must be at most %d bytes of text without control characters",
					    UJ_ROOM_MAX);
			else
				str_copy(spec->room, sizeof spec->room, json_string_value(v));
		} else if (strcmp(key, "starts_at") == 0) {
			spec->has_starts_at = 1;
			if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
				spec->starts_at = 0;
			else if (!json_is_string(v) ||
				 clock_parse_rfc3339(json_string_value(v), &spec->starts_at))
				errlist_add(errs, 0, NULL, "starts_at", "must be an RFC 3339 time");
		} else if (strcmp(key, "rotate_min") == 0) {
			spec->has_rotate = 1;
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > UJ_ROTATE_MAX_MIN)
				errlist_add(errs, 0, NULL, "rotate_min",
					    "must be a whole number of minutes 0-%d", UJ_ROTATE_MAX_MIN);
			else
				spec->rotate_min = (int)json_integer_value(v);
		} else if (strcmp(key, "start_together") == 0) {
			spec->has_together = 1;
			if (!json_is_boolean(v))
				errlist_add(errs, 0, NULL, "start_together", "must be true or false");
			else
				spec->start_together = json_is_true(v);
		} else if (strcmp(key, "proctors") == 0) {
			size_t i;
			json_t *u;
			spec->has_proctors = 1;
			if (!json_is_array(v) || json_array_size(v) > UJ_SITTING_PROCTORS_MAX) {
				errlist_add(errs, 0, NULL, "proctors",
					    "must be a list of at most %d staff usernames",
					    UJ_SITTING_PROCTORS_MAX);
				continue;
			}
			json_array_foreach(v, i, u) {
				if (!json_is_string(u) || !sitting_username_ok(json_string_value(u))) {
					errlist_add(errs, 0, NULL, "proctors",
						    "\"%s\" is not a staff username",
						    json_is_string(u) ? json_string_value(u) : "?");
					continue;
				}
				str_copy(spec->proctor[spec->n_proctors++], sizeof spec->proctor[0],
					 json_string_value(u));
			}
		} else {
			errlist_add(errs, 0, NULL, key, "unknown field");
		}
	}
	if (create && !spec->code[0] && errs->total == start)
		errlist_add(errs, 0, NULL, "code", "is required");
	if (errs->total == start)
		sitting_spec_check(spec, errs);
	return errs->total == start ? 0 : -1;
}

/* ---- inside the transaction ------------------------------------------------------- */

/* The exam's id (0 after an error naming it). */
static int64_t sitting_exam_id(struct wr_tx *tx, const char *exam, struct errlist *errs)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_exam);
	int64_t id = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, exam, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!id)
		errlist_add(errs, 0, NULL, "exam", "no such exam \"%s\"", exam);
	return id;
}

/* The sitting's id (0 if none) and its token (may be NULL). */
static int64_t sitting_find(struct wr_tx *tx, int64_t exam_id, const char *code, char *token)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_sitting);
	int64_t id = 0;
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, exam_id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (token)
			str_copy(token, UJ_SITTING_TOKEN_LEN + 1,
				 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return id;
}

/* The staff id of a proctor name (0 after an error naming it). */
static int64_t sitting_staff(struct wr_tx *tx, const char *user, struct errlist *errs)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_staff);
	int64_t id = 0;
	unsigned roles = 0;
	int disabled = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		roles = (unsigned)sqlite3_column_int64(st, 1);
		disabled = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (!id) {
		errlist_add(errs, 0, NULL, "proctors", "no staff account \"%s\"", user);
		return 0;
	}
	if (!(roles & SITTING_PROCTOR_ROLES)) {
		errlist_add(errs, 0, NULL, "proctors",
			    "staff account \"%s\" has neither the proctor nor the admin role", user);
		return 0;
	}
	if (disabled) {
		errlist_add(errs, 0, NULL, "proctors", "staff account \"%s\" is disabled", user);
		return 0;
	}
	return id;
}

/* The proctor ids the sitting will have after spec: the list given, or the
 * current ones (sitting_id; 0 for a new one) with add and remove applied.
 * Unknown names are reported. Returns the count, or -1. */
static int sitting_proctor_set(struct wr_tx *tx, int64_t sitting_id,
			       const struct sitting_spec *spec, int64_t *ids, struct errlist *errs)
{
	int n = 0;
	size_t start = errs->total;
	if (spec->has_proctors) {
		for (int i = 0; i < spec->n_proctors; i++) {
			int64_t id = sitting_staff(tx, spec->proctor[i], errs);
			int dup = 0;
			for (int k = 0; k < n; k++)
				dup |= ids[k] == id;
			if (id && !dup)
				ids[n++] = id;
		}
	} else if (sitting_id) {
		sqlite3_stmt *st = wr_stmt(tx, sql_proctor_ids);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, sitting_id);
		while (sqlite3_step(st) == SQLITE_ROW && n < UJ_SITTING_PROCTORS_MAX)
			ids[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	for (int i = 0; i < spec->n_remove; i++) {
		int64_t id = sitting_staff(tx, spec->remove[i], errs);
		int found = 0;
		for (int k = 0; k < n; k++)
			if (ids[k] == id) {
				ids[k--] = ids[--n];
				found = 1;
			}
		if (id && !found)
			errlist_add(errs, 0, NULL, "proctors",
				    "\"%s\" is not a proctor of this sitting", spec->remove[i]);
	}
	for (int i = 0; i < spec->n_add; i++) {
		int64_t id = sitting_staff(tx, spec->add[i], errs);
		int dup = 0;
		for (int k = 0; k < n; k++)
			dup |= ids[k] == id;
		if (!id || dup)
			continue;
		if (n == UJ_SITTING_PROCTORS_MAX) {
			errlist_add(errs, 0, NULL, "proctors", "a sitting has at most %d proctors",
				    UJ_SITTING_PROCTORS_MAX);
			break;
		}
		ids[n++] = id;
	}
	return errs->total == start ? n : -1;
}

static int sitting_set_proctors(struct wr_tx *tx, int64_t sitting_id, const int64_t *ids, int n)
{
	sqlite3_stmt *st = wr_stmt(tx, sql_proctor_del);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, sitting_id);
	if (wr_step(st))
		return -1;
	for (int i = 0; i < n; i++) {
		if (!(st = wr_stmt(tx, sql_proctor_add)))
			return -1;
		sqlite3_bind_int64(st, 1, sitting_id);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (wr_step(st))
			return -1;
	}
	return 0;
}

/* Bind an UPDATE sittings SET col = ? WHERE id = ? and step it. */
static int sitting_update_int(struct wr_tx *tx, const char *sql, int64_t v, int64_t id)
{
	sqlite3_stmt *st = wr_stmt(tx, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, v);
	sqlite3_bind_int64(st, 2, id);
	return wr_step(st);
}

/* The audit event and the catalog bump that end every change. */
static int sitting_record(struct wr_tx *tx, struct sitting_op *s, const char *kind, json_t *detail)
{
	struct event_rec e = { .at = s->op.at, .actor = s->op.owner, .kind = kind, .label = -1,
			       .detail = detail };
	sqlite3_stmt *st;
	int rc = event_append(tx, &e);
	json_decref(detail);
	if (rc || !(st = wr_stmt(tx, sql_bump)))
		return -1;
	return wr_step(st);
}

/* The names of the fields spec sets, for the audit detail. */
static json_t *sitting_fields(const struct sitting_spec *spec)
{
	json_t *f = json_array();
	if (spec->has_room)
		json_array_append_new(f, json_string("room"));
	if (spec->has_starts_at)
		json_array_append_new(f, json_string("starts_at"));
	if (spec->has_rotate)
		json_array_append_new(f, json_string("rotate_min"));
	if (spec->has_together)
		json_array_append_new(f, json_string("start_together"));
	if (spec->has_proctors || spec->n_add || spec->n_remove)
		json_array_append_new(f, json_string("proctors"));
	return f;
}

static int sitting_apply_create(struct wr_tx *tx, struct sitting_op *s)
{
	const struct sitting_spec *spec = s->spec;
	int64_t ids[UJ_SITTING_PROCTORS_MAX];
	sqlite3_stmt *st;
	int n;

	if (!sitting_code_valid(spec->code))
		errlist_add(s->errs, 0, NULL, "code",
			    "must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
			    UJ_CODE_MAX);
	else if (sitting_find(tx, s->exam_id, spec->code, NULL))
		errlist_add(s->errs, 0, NULL, "code", "exam %s already has a sitting \"%s\"",
			    s->exam, spec->code);
	if (!(st = wr_stmt(tx, sql_count)))
		return -1;
	sqlite3_bind_int64(st, 1, s->exam_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= UJ_SITTINGS_MAX)
		errlist_add(s->errs, 0, NULL, "code", "an exam has at most %d sittings",
			    UJ_SITTINGS_MAX);
	sqlite3_reset(st);
	n = sitting_proctor_set(tx, 0, spec, ids, s->errs);
	if (s->errs->total)
		return -1;
	sitting_token_new(s->token);
	if (!(st = wr_stmt(tx, sql_insert)))
		return -1;
	sqlite3_bind_int64(st, 1, s->exam_id);
	sqlite3_bind_text(st, 2, spec->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, spec->has_room ? spec->room : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, spec->has_starts_at ? spec->starts_at : 0);
	sqlite3_bind_int(st, 5, spec->has_rotate ? spec->rotate_min : 0);
	sqlite3_bind_int(st, 6, spec->has_together ? spec->start_together : 0);
	sqlite3_bind_text(st, 7, s->token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, s->op.at);
	sqlite3_bind_int64(st, 9, s->op.at);
	if (wr_step(st))
		return -1;
	s->sitting_id = wr_last_id(tx);
	if (sitting_set_proctors(tx, s->sitting_id, ids, n))
		return -1;
	return sitting_record(tx, s, "sitting_created",
			      json_pack("{s:s,s:s,s:s,s:I,s:i,s:b,s:i}", "exam", s->exam, "sitting",
					spec->code, "room", spec->has_room ? spec->room : "",
					"starts_at", (json_int_t)(spec->has_starts_at ? spec->starts_at : 0),
					"rotate_min", spec->has_rotate ? spec->rotate_min : 0,
					"start_together", spec->has_together && spec->start_together,
					"proctors", n));
}

static int sitting_apply_edit(struct wr_tx *tx, struct sitting_op *s)
{
	const struct sitting_spec *spec = s->spec;
	int64_t ids[UJ_SITTING_PROCTORS_MAX];
	int n = 0, proctors = spec->has_proctors || spec->n_add || spec->n_remove;
	sqlite3_stmt *st;

	if (!(s->sitting_id = sitting_find(tx, s->exam_id, s->code, NULL))) {
		errlist_add(s->errs, 0, NULL, "sitting", "exam %s has no sitting \"%s\"", s->exam,
			    s->code);
		return -1;
	}
	if (proctors && (n = sitting_proctor_set(tx, s->sitting_id, spec, ids, s->errs)) < 0)
		return -1;
	if (spec->has_room) {
		if (!(st = wr_stmt(tx, sql_set_room)))
			return -1;
		sqlite3_bind_text(st, 1, spec->room, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, s->sitting_id);
		if (wr_step(st))
			return -1;
	}
	if ((spec->has_starts_at &&
	     sitting_update_int(tx, sql_set_start, spec->starts_at, s->sitting_id)) ||
	    (spec->has_rotate &&
	     sitting_update_int(tx, sql_set_rotate, spec->rotate_min, s->sitting_id)) ||
	    (spec->has_together &&
	     sitting_update_int(tx, sql_set_together, spec->start_together, s->sitting_id)) ||
	    (proctors && sitting_set_proctors(tx, s->sitting_id, ids, n)))
		return -1;
	return sitting_record(tx, s, "sitting_edited",
			      json_pack("{s:s,s:s,s:o}", "exam", s->exam, "sitting", s->code,
					"fields", sitting_fields(spec)));
}

static int sitting_apply_assign(struct wr_tx *tx, struct sitting_op *s)
{
	struct hmap seen;
	int64_t *cid = NULL, *from = NULL;
	sqlite3_stmt *st;
	int rc = -1;

	hmap_init(&seen);
	if (!(s->sitting_id = sitting_find(tx, s->exam_id, s->code, NULL))) {
		errlist_add(s->errs, 0, NULL, "sitting", "exam %s has no sitting \"%s\"", s->exam,
			    s->code);
		goto out;
	}
	if (s->n_regnos == 0) {
		errlist_add(s->errs, 0, NULL, "registration_nos", "no registration numbers given");
		goto out;
	}
	cid = xcalloc(s->n_regnos, sizeof *cid);
	from = xcalloc(s->n_regnos, sizeof *from);
	for (size_t i = 0; i < s->n_regnos; i++) {
		const char *r = s->regnos[i];
		int line = (int)i + 1;
		if (!text_is_ident(r, UJ_REGNO_MAX, "Aa0._-", 1)) {
			errlist_add(s->errs, line, NULL, "registration_no",
				    "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -", r,
				    UJ_REGNO_MAX);
			continue;
		}
		if (hmap_gets(&seen, r)) {
			errlist_add(s->errs, line, NULL, "registration_no",
				    "\"%s\" appears twice in the list", r);
			continue;
		}
		hmap_puts(&seen, r, (void *)r);
		if (!(st = wr_stmt(tx, sql_cand)))
			goto out;
		sqlite3_bind_int64(st, 1, s->exam_id);
		sqlite3_bind_text(st, 2, r, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			cid[i] = sqlite3_column_int64(st, 0);
			from[i] = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
		}
		sqlite3_reset(st);
		if (!cid[i])
			errlist_add(s->errs, line, NULL, "registration_no",
				    "\"%s\" is not a candidate of exam %s", r, s->exam);
	}
	if (s->errs->total)
		goto out;
	for (size_t i = 0; i < s->n_regnos; i++) {
		if (from[i] == s->sitting_id)
			continue;
		if (!(st = wr_stmt(tx, sql_cand_set)))
			goto out;
		sqlite3_bind_int64(st, 1, s->sitting_id);
		sqlite3_bind_int64(st, 2, cid[i]);
		if (wr_step(st))
			goto out;
		s->moved++;
	}
	rc = sitting_record(tx, s, "sitting_assigned",
			    json_pack("{s:s,s:s,s:i,s:i}", "exam", s->exam, "sitting", s->code,
				      "candidates", (int)s->n_regnos, "moved", s->moved));
out:
	free(cid);
	free(from);
	hmap_free(&seen);
	return rc;
}

static int sitting_apply_token(struct wr_tx *tx, struct sitting_op *s)
{
	char old[UJ_SITTING_TOKEN_LEN + 1] = "";
	sqlite3_stmt *st;

	if (!(s->sitting_id = sitting_find(tx, s->exam_id, s->code, old))) {
		errlist_add(s->errs, 0, NULL, "sitting", "exam %s has no sitting \"%s\"", s->exam,
			    s->code);
		return -1;
	}
	do
		sitting_token_new(s->token);
	while (strcmp(s->token, old) == 0);
	if (!(st = wr_stmt(tx, sql_set_token)))
		return -1;
	sqlite3_bind_text(st, 1, s->token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->op.at);
	sqlite3_bind_int64(st, 3, s->sitting_id);
	if (wr_step(st))
		return -1;
	/* The token itself is not recorded: the log is read by more people than
	 * the sitting's proctors. */
	return sitting_record(tx, s, "sitting_token",
			      json_pack("{s:s,s:s,s:s}", "exam", s->exam, "sitting", s->code, "by",
					"hand"));
}

static int sitting_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct sitting_op *s = (struct sitting_op *)op;
	if (!(s->exam_id = sitting_exam_id(tx, s->exam, s->errs)))
		return -1;
	switch (s->kind) {
	case SOP_CREATE:
		return sitting_apply_create(tx, s);
	case SOP_EDIT:
		return sitting_apply_edit(tx, s);
	case SOP_ASSIGN:
		return sitting_apply_assign(tx, s);
	case SOP_TOKEN:
		return sitting_apply_token(tx, s);
	}
	return -1;
}

static void sitting_release(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

/* Run s in one transaction; 0, or -1 with errs holding why. */
static int sitting_run(sqlite3 *db, struct sitting_op *s)
{
	char err[512];
	size_t start = s->errs->total;
	wr_op_init(&s->op, sitting_apply, s->op.owner, clock_now_ms());
	s->op.release = sitting_release;
	if (wr_apply_now(db, &s->op, err, sizeof err) == 0)
		return 0;
	if (s->errs->total == start)
		errlist_add(s->errs, 0, NULL, NULL, "%s", err);
	return -1;
}

int sitting_create(sqlite3 *db, const char *exam_code, const struct sitting_spec *spec,
		   struct actor who, char *token, struct errlist *errs)
{
	struct sitting_op s = { .kind = SOP_CREATE, .exam = exam_code, .spec = spec, .errs = errs };
	s.op.owner = who;
	if (sitting_spec_check(spec, errs) || sitting_run(db, &s))
		return -1;
	if (token)
		memcpy(token, s.token, sizeof s.token);
	return 0;
}

int sitting_edit(sqlite3 *db, const char *exam_code, const struct sitting_spec *spec,
		 struct actor who, struct errlist *errs)
{
	struct sitting_op s = { .kind = SOP_EDIT, .exam = exam_code, .spec = spec,
				.code = spec->code, .errs = errs };
	s.op.owner = who;
	if (sitting_spec_check(spec, errs))
		return -1;
	return sitting_run(db, &s);
}

int sitting_assign(sqlite3 *db, const char *exam_code, const char *code, const char *const *regnos,
		   size_t n, struct actor who, int *moved, struct errlist *errs)
{
	struct sitting_op s = { .kind = SOP_ASSIGN, .exam = exam_code, .code = code,
				.regnos = regnos, .n_regnos = n, .errs = errs };
	s.op.owner = who;
	if (sitting_run(db, &s))
		return -1;
	if (moved)
		*moved = s.moved;
	return 0;
}

int sitting_rotate(sqlite3 *db, const char *exam_code, const char *code, struct actor who,
		   char *out, struct errlist *errs)
{
	struct sitting_op s = { .kind = SOP_TOKEN, .exam = exam_code, .code = code, .errs = errs };
	s.op.owner = who;
	if (sitting_run(db, &s))
		return -1;
	memcpy(out, s.token, sizeof s.token);
	return 0;
}

/* ---- reading ---------------------------------------------------------------------- */

json_t *sitting_list_json(sqlite3 *db, const char *exam_code, int with_token, char *err,
			  size_t errlen)
{
	sqlite3_stmt *st = NULL, *pr = NULL;
	json_t *list = NULL, *out = NULL;
	int64_t exam_id = 0;

	if (exam_code) {
		if (!(st = db_prepare(db, "SELECT id FROM exams WHERE code = ?", err, errlen)))
			goto out;
		sqlite3_bind_text(st, 1, exam_code, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			exam_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
		if (!exam_id) {
			snprintf(err, errlen, "no such exam \"%s\"", exam_code);
			goto out;
		}
	}
	st = db_prepare(db,
			"SELECT s.id, e.code, s.code, s.room, s.starts_at, s.rotate_min,"
			" s.start_together, s.token, s.prev_token, s.token_at, s.started_at,"
			" s.closed_at, (SELECT count(*) FROM candidates c WHERE c.sitting_id = s.id)"
			" FROM sittings s JOIN exams e ON e.id = s.exam_id"
			" WHERE ?1 = 0 OR s.exam_id = ?1 ORDER BY e.code, s.code",
			err, errlen);
	pr = db_prepare(db,
			"SELECT st.username FROM sitting_proctors p JOIN staff st ON st.id = p.staff_id"
			" WHERE p.sitting_id = ? ORDER BY st.username",
			err, errlen);
	if (!st || !pr)
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *procs = json_array();
		json_t *row;
		sqlite3_reset(pr);
		sqlite3_bind_int64(pr, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(pr) == SQLITE_ROW)
			json_array_append_new(procs, json_string((const char *)sqlite3_column_text(pr, 0)));
		row = json_pack("{s:I,s:s,s:s,s:s,s:o,s:i,s:b,s:o,s:o,s:o,s:o,s:i}", "id",
				(json_int_t)sqlite3_column_int64(st, 0), "exam",
				(const char *)sqlite3_column_text(st, 1), "code",
				(const char *)sqlite3_column_text(st, 2), "room",
				(const char *)sqlite3_column_text(st, 3), "starts_at",
				clock_json(sqlite3_column_int64(st, 4)), "rotate_min",
				sqlite3_column_int(st, 5), "start_together", sqlite3_column_int(st, 6),
				"token_at", clock_json(sqlite3_column_int64(st, 9)), "started_at",
				clock_json(sqlite3_column_int64(st, 10)), "closed_at",
				clock_json(sqlite3_column_int64(st, 11)), "proctors", procs,
				"candidates", sqlite3_column_int(st, 12));
		if (with_token) {
			json_object_set_new(row, "token",
					    json_string((const char *)sqlite3_column_text(st, 7)));
			json_object_set_new(row, "prev_token",
					    json_string((const char *)sqlite3_column_text(st, 8)));
		}
		json_array_append_new(list, row);
	}
	out = list;
	list = NULL;
out:
	json_decref(list);
	sqlite3_finalize(st);
	sqlite3_finalize(pr);
	return out;
}
