/* audit.c - verifying the event log's hash chain, reading the log with
 * filters, its head (see report/audit.h). */
#include "report/audit.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "store/db.h"

#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const audit_problem_codes[AUDIT_PROBLEM_MAX] = {
	[AUDIT_OK] = "ok",
	[AUDIT_UNHASHED] = "unhashed",
	[AUDIT_CHANGED] = "changed",
	[AUDIT_REORDERED] = "reordered",
	[AUDIT_DELETED] = "deleted",
	[AUDIT_REWRITTEN] = "rewritten",
	[AUDIT_TRUNCATED] = "truncated",
	[AUDIT_HEAD_MISSING] = "head_missing",
};

/* ---- read transactions ---------------------------------------------------- */

/* Begin a read transaction unless the caller has one open: 1 if begun here
 * (end it with audit_end), 0 if not, -1 with err. */
static int audit_begin(sqlite3 *db, char *err, size_t errlen)
{
	if (!sqlite3_get_autocommit(db))
		return 0;
	return db_exec(db, "BEGIN", err, errlen) ? -1 : 1;
}

static void audit_end(sqlite3 *db, int own)
{
	if (own == 1)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* ---- verify --------------------------------------------------------------- */

static const char audit_walk_sql[] =
	"SELECT " CHAIN_COLUMNS ", prev, hash FROM events ORDER BY id";
enum { AUDIT_COL_PREV = CHAIN_FIELDS, AUDIT_COL_HASH };

static void audit_fault(struct audit_report *r, enum audit_problem p, int64_t bad_id,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void audit_fault(struct audit_report *r, enum audit_problem p, int64_t bad_id,
			const char *fmt, ...)
{
	va_list ap;
	r->problem = p;
	r->bad_id = bad_id;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
}

/* 1 and out = column col of st if it is a 32-byte blob, else 0. */
static int audit_blob32(sqlite3_stmt *st, int col, uint8_t out[CHAIN_HASH_LEN])
{
	if (sqlite3_column_type(st, col) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, col) != CHAIN_HASH_LEN)
		return 0;
	memcpy(out, sqlite3_column_blob(st, col), CHAIN_HASH_LEN);
	return 1;
}

/* Ids of the entries whose column col ("hash" or "prev") equals h, each
 * passed to fn with arg until fn returns nonzero (returned). A full scan:
 * only for diagnosing a failure. */
static int64_t audit_find(sqlite3 *db, const char *sql, const uint8_t h[CHAIN_HASH_LEN],
			  int64_t (*fn)(int64_t id, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int64_t found = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_blob(st, 1, h, CHAIN_HASH_LEN, SQLITE_STATIC);
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		found = fn(sqlite3_column_int64(st, 0), arg);
	sqlite3_finalize(st);
	return found;
}

/* An entry whose content does not match its hash: the content as read, its
 * stored prev and hash. */
struct audit_moved {
	int64_t id;
	const struct chain_field *f;
	const uint8_t *prev, *hash;
	int delta; /* the candidate original id is the found id + delta */
};

/* Would the content have its hash at position id + delta? Then that is where
 * it was written: return that id (0: no). */
static int64_t audit_try_origin(int64_t found, void *arg)
{
	struct audit_moved *m = arg;
	struct chain_field f[CHAIN_FIELDS];
	uint8_t h[CHAIN_HASH_LEN];
	int64_t orig = found + m->delta;
	if (orig == m->id)
		return 0;
	memcpy(f, m->f, sizeof f);
	f[0] = chain_int(orig);
	chain_hash(m->prev, f, h);
	return memcmp(h, m->hash, CHAIN_HASH_LEN) == 0 ? orig : 0;
}

/* The id at which the content of entry id was written, when it was moved
 * (its hash matches the same content at another position): the position
 * after the entry whose hash is its prev, or before the entry chained to it,
 * or the first position. 0 if none. */
static int64_t audit_origin(sqlite3 *db, int64_t id, const struct chain_field f[CHAIN_FIELDS],
			    const uint8_t prev[CHAIN_HASH_LEN], const uint8_t hash[CHAIN_HASH_LEN])
{
	struct audit_moved m = { id, f, prev, hash, 1 };
	int64_t orig;
	if (memcmp(prev, chain_zero, CHAIN_HASH_LEN) == 0 && (orig = audit_try_origin(0, &m)))
		return orig;
	if ((orig = audit_find(db, "SELECT id FROM events WHERE hash = ?1", prev, audit_try_origin,
			       &m)))
		return orig;
	m.delta = -1;
	return audit_find(db, "SELECT id FROM events WHERE prev = ?1", hash, audit_try_origin, &m);
}

/* 1 if the entry with id has hash h. */
static int audit_hash_at(sqlite3 *db, int64_t id, const uint8_t h[CHAIN_HASH_LEN])
{
	sqlite3_stmt *st;
	uint8_t got[CHAIN_HASH_LEN];
	int same = 0;
	if (sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && audit_blob32(st, 0, got))
		same = memcmp(got, h, CHAIN_HASH_LEN) == 0;
	sqlite3_finalize(st);
	return same;
}

/* Entry id's content does not match its hash: a copy of an earlier entry,
 * moved, or changed. */
static void audit_content_fault(sqlite3 *db, struct audit_report *r, int64_t id,
				const struct chain_field f[CHAIN_FIELDS],
				const uint8_t prev[CHAIN_HASH_LEN], const uint8_t hash[CHAIN_HASH_LEN])
{
	int64_t orig = audit_origin(db, id, f, prev, hash);
	if (orig > 0 && orig < id && audit_hash_at(db, orig, hash))
		audit_fault(r, AUDIT_REORDERED, id,
			    "entry %lld is a copy of entry %lld: it was inserted", (long long)id,
			    (long long)orig);
	else if (orig > id)
		audit_fault(r, AUDIT_REORDERED, id,
			    "entry %lld holds the content written as entry %lld: entries were "
			    "reordered or renumbered",
			    (long long)id, (long long)orig);
	else if (orig > 0)
		audit_fault(r, AUDIT_REORDERED, orig,
			    "entry %lld is not the entry written there: entry %lld holds the content "
			    "written as entry %lld (an entry was inserted, or entries were reordered)",
			    (long long)orig, (long long)id, (long long)orig);
	else
		audit_fault(r, AUDIT_CHANGED, id,
			    "entry %lld was changed after it was written: its content does not match "
			    "its hash",
			    (long long)id);
}

/* Entry id verifies by itself but was chained to another predecessor than
 * the entry before it now (prev_id, 0 if it is the first). */
static void audit_link_fault(struct audit_report *r, int64_t id, int64_t prev_id)
{
	if (prev_id == 0)
		audit_fault(r, AUDIT_DELETED, id > 1 ? 1 : id,
			    "the log does not begin with its first entry: entries before entry %lld "
			    "were deleted",
			    (long long)id);
	else if (id == prev_id + 2)
		audit_fault(r, AUDIT_DELETED, prev_id + 1,
			    "entry %lld is missing: it was deleted (entry %lld was chained to it)",
			    (long long)(prev_id + 1), (long long)id);
	else if (id > prev_id + 2)
		audit_fault(r, AUDIT_DELETED, prev_id + 1,
			    "entries %lld-%lld are missing: they were deleted (entry %lld was "
			    "chained to entry %lld)",
			    (long long)(prev_id + 1), (long long)(id - 1), (long long)id,
			    (long long)(id - 1));
	else
		audit_fault(r, AUDIT_REWRITTEN, prev_id,
			    "entry %lld is not the entry that entry %lld was chained to: it was "
			    "inserted, or changed and its hash recomputed",
			    (long long)prev_id, (long long)id);
}

/* After a chain that verified: compare with the head written down. */
static void audit_check_expect(const struct audit_expect *x, struct audit_report *r,
			       int64_t found_pos)
{
	char hex[2 * CHAIN_HASH_LEN + 1];
	if (x->has_head && !found_pos) {
		chain_hex(x->head, hex);
		if (x->count > r->count)
			audit_fault(r, AUDIT_TRUNCATED, r->head_id + 1,
				    "the log has %lld entries but %lld were written down with head "
				    "%.16s..., which is not in it: entries after entry %lld were deleted",
				    (long long)r->count, (long long)x->count, hex,
				    (long long)r->head_id);
		else
			audit_fault(r, AUDIT_HEAD_MISSING, 0,
				    "the head written down (%.16s...) is not in the log: the log was "
				    "rewritten, or the head belongs to another database",
				    hex);
	} else if (x->has_head && x->count > 0 && found_pos != x->count) {
		audit_fault(r, AUDIT_HEAD_MISSING, 0,
			    "the head written down is entry number %lld in the log, but %lld "
			    "entries were written down with it",
			    (long long)found_pos, (long long)x->count);
	} else if (!x->has_head && x->count > r->count) {
		audit_fault(r, AUDIT_TRUNCATED, r->head_id + 1,
			    "the log has %lld entries but %lld were written down: entries after "
			    "entry %lld were deleted",
			    (long long)r->count, (long long)x->count, (long long)r->head_id);
	}
}

int audit_verify(sqlite3 *db, const struct audit_expect *expect, struct audit_report *r,
		 char *err, size_t errlen)
{
	struct chain_field f[CHAIN_FIELDS];
	uint8_t link[CHAIN_HASH_LEN], prev[CHAIN_HASH_LEN], hash[CHAIN_HASH_LEN],
		calc[CHAIN_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int64_t found_pos = 0;
	int own, step, rc = -1;

	memset(r, 0, sizeof *r);
	r->problem = AUDIT_OK;
	if ((own = audit_begin(db, err, errlen)) < 0)
		return -1;
	if (!(st = db_prepare(db, audit_walk_sql, err, errlen)))
		goto out;
	memcpy(link, chain_zero, sizeof link);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		chain_fields_of_row(st, 0, f);
		if (!audit_blob32(st, AUDIT_COL_PREV, prev) || !audit_blob32(st, AUDIT_COL_HASH, hash)) {
			audit_fault(r, AUDIT_UNHASHED, id,
				    "entry %lld has no valid hash: it was written around Ujian's event "
				    "log (inserted, or altered with SQL)",
				    (long long)id);
			break;
		}
		chain_hash(prev, f, calc);
		if (memcmp(calc, hash, sizeof calc) != 0) {
			audit_content_fault(db, r, id, f, prev, hash);
			break;
		}
		if (memcmp(prev, link, sizeof link) != 0) {
			audit_link_fault(r, id, r->head_id);
			break;
		}
		r->count++;
		r->head_id = id;
		r->head_at = f[1].type == CHAIN_INT ? f[1].i : 0;
		memcpy(r->head, hash, sizeof hash);
		memcpy(link, hash, sizeof hash);
		if (expect && expect->has_head && !found_pos &&
		    memcmp(hash, expect->head, sizeof hash) == 0)
			found_pos = r->count;
	}
	if (r->problem == AUDIT_OK && step != SQLITE_DONE) {
		snprintf(err, errlen, "reading the event log: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (r->problem == AUDIT_OK && expect)
		audit_check_expect(expect, r, found_pos);
	rc = 0;
out:
	sqlite3_finalize(st);
	audit_end(db, own);
	return rc;
}

json_t *audit_report_json(const struct audit_report *r)
{
	char hex[2 * CHAIN_HASH_LEN + 1];
	if (r->problem == AUDIT_OK)
		return json_pack("{s:b,s:I,s:s,s:I,s:I}", "ok", 1, "count", (json_int_t)r->count,
				 "head", chain_hex(r->head, hex), "head_id", (json_int_t)r->head_id,
				 "head_at", (json_int_t)r->head_at);
	return json_pack("{s:b,s:s,s:I,s:s,s:I}", "ok", 0, "problem",
			 audit_problem_codes[r->problem], "entry", (json_int_t)r->bad_id, "message",
			 r->message, "count", (json_int_t)r->count);
}

int audit_head(sqlite3 *db, struct audit_head *h, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int own, rc = -1;

	memset(h, 0, sizeof *h);
	if ((own = audit_begin(db, err, errlen)) < 0)
		return -1;
	if (!(st = db_prepare(db, "SELECT count(*) FROM events", err, errlen)))
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW)
		goto dberr;
	h->count = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!(st = db_prepare(db, "SELECT id, at, hash FROM events ORDER BY id DESC LIMIT 1", err,
			      errlen)))
		goto out;
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		h->id = sqlite3_column_int64(st, 0);
		h->at = sqlite3_column_int64(st, 1);
		audit_blob32(st, 2, h->hash);
		break;
	case SQLITE_DONE:
		break;
	default:
		goto dberr;
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "reading the event log: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	audit_end(db, own);
	return rc;
}

/* ---- filters ---------------------------------------------------------------- */

/* The actor filter, parsed. */
struct audit_actor {
	const char *kind; /* "system", "candidate", "staff" or NULL */
	int64_t id;       /* 0: any */
	const char *name; /* a registration number or staff username, or NULL */
};

static const char *const audit_actor_kinds[] = { "system", "candidate", "staff", NULL };

/* Parse f->actor into a (pointing into it or static strings). 0, or -1 with
 * err. */
static int audit_actor_parse(const char *s, struct audit_actor *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	if (!s)
		return 0;
	if (!*s || strlen(s) > UJ_AUDIT_ACTOR_MAX || text_has_control(s, 0) ||
	    !text_utf8_valid(s, strlen(s))) {
		snprintf(err, errlen, "actor: expected 1-%d characters of text", UJ_AUDIT_ACTOR_MAX);
		return -1;
	}
	for (int i = 0; audit_actor_kinds[i]; i++) {
		size_t n = strlen(audit_actor_kinds[i]);
		if (strncmp(s, audit_actor_kinds[i], n) != 0 || (s[n] && s[n] != ':'))
			continue;
		a->kind = audit_actor_kinds[i];
		if (s[n] == ':') {
			char *end;
			long long v = strtoll(s + n + 1, &end, 10);
			if (i == 0 || !isdigit((unsigned char)s[n + 1]) || *end || v <= 0) {
				snprintf(err, errlen,
					 "actor \"%s\": expected candidate:ID or staff:ID with a "
					 "positive whole number",
					 s);
				return -1;
			}
			a->id = v;
		}
		return 0;
	}
	a->name = s;
	return 0;
}

/* Check f with limits up to max_limit. */
static int audit_check(const struct audit_filter *f, long max_limit, char *err, size_t errlen)
{
	struct audit_actor a;
	if (f->exam && (!*f->exam || strlen(f->exam) > UJ_CODE_MAX)) {
		snprintf(err, errlen, "exam: expected a code of 1-%d characters", UJ_CODE_MAX);
		return -1;
	}
	if (f->candidate && (!*f->candidate || strlen(f->candidate) > UJ_REGNO_MAX)) {
		snprintf(err, errlen, "candidate: expected a registration number of 1-%d characters",
			 UJ_REGNO_MAX);
		return -1;
	}
	if (f->limit < 0 || f->limit > max_limit) {
		snprintf(err, errlen, "limit: expected a whole number 1-%ld", max_limit);
		return -1;
	}
	if (f->before_id < 0) {
		snprintf(err, errlen, "before: expected a positive entry id");
		return -1;
	}
	return audit_actor_parse(f->actor, &a, err, errlen);
}

int audit_filter_check(const struct audit_filter *f, char *err, size_t errlen)
{
	return audit_check(f, UJ_AUDIT_PAGE_MAX, err, errlen);
}

/* ---- reading entries ---------------------------------------------------------- */

/* The entries with what they refer to: the candidate concerned (and its
 * exam), the acting candidate's registration number, the acting staff
 * member's username (when the database has a staff table). Parameters: ?1
 * exam, ?2 actor kind, ?3 actor id, ?4 actor name, ?5 candidate concerned,
 * ?6 since, ?7 before id, ?8 limit (-1: all). Newest first; the ascending
 * variant takes the same newest ?8 and lists them oldest first. */
#define AUDIT_SELECT(staff_col, staff_join)                                                  \
	"SELECT e.id, e.at, e.actor_kind, e.actor_id, e.candidate_id, e.kind, e.n, e.label,"  \
	" e.flagged, e.rev, e.detail, e.hash, c.registration_no, x.code, ac.registration_no, " \
	staff_col " FROM events e LEFT JOIN candidates c ON c.id = e.candidate_id"            \
	" LEFT JOIN exams x ON x.id = c.exam_id"                                              \
	" LEFT JOIN candidates ac ON e.actor_kind = 'candidate' AND ac.id = e.actor_id"       \
	staff_join
#define AUDIT_WHERE(staff_or)                                                                \
	" WHERE (?1 IS NULL OR x.code = ?1 OR CASE WHEN json_valid(e.detail) THEN"             \
	" json_extract(e.detail, '$.exam') END = ?1)"                                          \
	" AND (?2 IS NULL OR e.actor_kind = ?2) AND (?3 IS NULL OR e.actor_id = ?3)"          \
	" AND (?4 IS NULL OR ac.registration_no = ?4" staff_or ")"                            \
	" AND (?5 IS NULL OR c.registration_no = ?5) AND (?6 IS NULL OR e.at >= ?6)"          \
	" AND (?7 IS NULL OR e.id < ?7) ORDER BY e.id DESC LIMIT ?8"
/* Hook for staff accounts: their table (staff: id, username) may not exist
 * yet in a database; when it does, actor names match usernames too. */
#define AUDIT_NO_STAFF AUDIT_SELECT("NULL", "") AUDIT_WHERE("")
#define AUDIT_STAFF                                                                          \
	AUDIT_SELECT("s.username",                                                            \
		     " LEFT JOIN staff s ON e.actor_kind = 'staff' AND s.id = e.actor_id")        \
	AUDIT_WHERE(" OR s.username = ?4")

static const char *const audit_sql[2][2] = {
	/* [has staff table][oldest first] */
	{ AUDIT_NO_STAFF, "SELECT * FROM (" AUDIT_NO_STAFF ") ORDER BY 1" },
	{ AUDIT_STAFF, "SELECT * FROM (" AUDIT_STAFF ") ORDER BY 1" },
};

enum {
	AQ_ID, AQ_AT, AQ_ACTOR_KIND, AQ_ACTOR_ID, AQ_CAND, AQ_KIND, AQ_N, AQ_LABEL, AQ_FLAGGED,
	AQ_REV, AQ_DETAIL, AQ_HASH, AQ_CAND_REGNO, AQ_CAND_EXAM, AQ_ACTOR_REGNO, AQ_ACTOR_STAFF
};

/* 1 if the database has a staff table with id and username. */
static int audit_has_staff(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM pragma_table_info('staff')"
			       " WHERE name IN ('id', 'username')",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n == 2;
}

/* Prepare and bind the query for f (limit: -1 for all). NULL with err. */
static sqlite3_stmt *audit_prepare(sqlite3 *db, const struct audit_filter *f, int ascending,
				   long limit, char *err, size_t errlen)
{
	struct audit_actor a;
	sqlite3_stmt *st;

	if (audit_actor_parse(f->actor, &a, err, errlen))
		return NULL;
	if (!(st = db_prepare(db, audit_sql[audit_has_staff(db)][ascending], err, errlen)))
		return NULL;
	if (f->exam)
		sqlite3_bind_text(st, 1, f->exam, -1, SQLITE_STATIC);
	if (a.kind)
		sqlite3_bind_text(st, 2, a.kind, -1, SQLITE_STATIC);
	if (a.id)
		sqlite3_bind_int64(st, 3, a.id);
	if (a.name)
		sqlite3_bind_text(st, 4, a.name, -1, SQLITE_STATIC);
	if (f->candidate)
		sqlite3_bind_text(st, 5, f->candidate, -1, SQLITE_STATIC);
	if (f->since_ms)
		sqlite3_bind_int64(st, 6, f->since_ms);
	if (f->before_id)
		sqlite3_bind_int64(st, 7, f->before_id);
	sqlite3_bind_int64(st, 8, limit);
	return st;
}

/* Column col as a JSON string (invalid UTF-8 scrubbed: the file may have
 * been edited), or JSON null. */
static json_t *audit_jtext(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	json_t *j;
	char *copy;
	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	copy = xstrdup(s);
	text_utf8_scrub(copy);
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

/* Column col as a JSON integer, or null. */
static json_t *audit_jint(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

/* The current row as an entry object. */
static json_t *audit_entry_json(sqlite3_stmt *st)
{
	json_t *e = json_object(), *actor = json_object(), *detail = NULL;
	const char *d = (const char *)sqlite3_column_text(st, AQ_DETAIL);
	uint8_t h[CHAIN_HASH_LEN];
	char buf[2 * CHAIN_HASH_LEN + 1]; /* a hash in hex, or a time */
	const char *kind = (const char *)sqlite3_column_text(st, AQ_ACTOR_KIND);

	json_object_set_new(e, "id", json_integer(sqlite3_column_int64(st, AQ_ID)));
	json_object_set_new(e, "at", json_integer(sqlite3_column_int64(st, AQ_AT)));
	json_object_set_new(e, "time",
			    json_string(clock_format_rfc3339(sqlite3_column_int64(st, AQ_AT), 1, buf,
							     sizeof buf)));
	json_object_set_new(actor, "kind", audit_jtext(st, AQ_ACTOR_KIND));
	json_object_set_new(actor, "id", audit_jint(st, AQ_ACTOR_ID));
	json_object_set_new(actor, "name",
			    kind && strcmp(kind, "staff") == 0 ? audit_jtext(st, AQ_ACTOR_STAFF)
			    : kind && strcmp(kind, "candidate") == 0
				    ? audit_jtext(st, AQ_ACTOR_REGNO)
				    : json_null());
	json_object_set_new(e, "actor", actor);
	if (sqlite3_column_type(st, AQ_CAND) != SQLITE_NULL)
		json_object_set_new(e, "candidate",
				    json_pack("{s:I,s:o,s:o}", "id",
					      (json_int_t)sqlite3_column_int64(st, AQ_CAND),
					      "registration_no", audit_jtext(st, AQ_CAND_REGNO),
					      "exam", audit_jtext(st, AQ_CAND_EXAM)));
	else
		json_object_set_new(e, "candidate", json_null());
	json_object_set_new(e, "kind", audit_jtext(st, AQ_KIND));
	if (sqlite3_column_type(st, AQ_N) != SQLITE_NULL) {
		json_object_set_new(e, "n", audit_jint(st, AQ_N));
		json_object_set_new(e, "label", audit_jtext(st, AQ_LABEL));
		json_object_set_new(e, "flagged",
				    json_boolean(sqlite3_column_int(st, AQ_FLAGGED) != 0));
		json_object_set_new(e, "rev", audit_jint(st, AQ_REV));
	}
	if (d)
		detail = json_loads(d, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	json_object_set_new(e, "detail", detail ? detail : audit_jtext(st, AQ_DETAIL));
	json_object_set_new(e, "hash",
			    audit_blob32(st, AQ_HASH, h) ? json_string(chain_hex(h, buf)) : json_null());
	return e;
}

json_t *audit_query(sqlite3 *db, const struct audit_filter *f, char *err, size_t errlen)
{
	long limit = f->limit ? f->limit : UJ_AUDIT_PAGE_DEFAULT;
	sqlite3_stmt *st = NULL;
	json_t *entries = NULL, *res = NULL;
	int64_t last = 0;
	int own, step;

	if (audit_filter_check(f, err, errlen))
		return NULL;
	if ((own = audit_begin(db, err, errlen)) < 0)
		return NULL;
	if (!(st = audit_prepare(db, f, 0, limit, err, errlen)))
		goto out;
	entries = json_array();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, AQ_ID);
		json_array_append_new(entries, audit_entry_json(st));
	}
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "reading the event log: %s", sqlite3_errmsg(db));
		goto out;
	}
	/* A full page may have more behind it; the next page starts before its
	 * last entry. */
	res = json_pack("{s:O,s:o}", "entries", entries, "next_before",
			(long)json_array_size(entries) == limit && last > 1 ? json_integer(last)
									    : json_null());
out:
	json_decref(entries);
	sqlite3_finalize(st);
	audit_end(db, own);
	return res;
}

/* ---- the readable log ---------------------------------------------------------- */

/* Text from the database, with control characters shown as '?' so that an
 * edited file cannot move the cursor or hide lines on the reader's terminal. */
static void audit_puts(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

/* ms as local time with the zone's name: "2026-11-23 08:00:05 WIB". */
static char *audit_local_time(int64_t ms, char *buf, size_t n)
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	if (!localtime_r(&secs, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(buf, n, "%lld ms", (long long)ms);
	return buf;
}

/* One line for the current row:
 *   ID  TIME ZONE  ACTOR  KIND [EXAM REGNO] qN=L flagged rev=R DETAIL */
static void audit_print_row(sqlite3_stmt *st, FILE *out)
{
	const char *kind = (const char *)sqlite3_column_text(st, AQ_ACTOR_KIND);
	const char *name = NULL, *what;
	char t[64], who[96];

	fprintf(out, "%7lld  %s  ", (long long)sqlite3_column_int64(st, AQ_ID),
		audit_local_time(sqlite3_column_int64(st, AQ_AT), t, sizeof t));
	if (kind && strcmp(kind, "candidate") == 0)
		name = (const char *)sqlite3_column_text(st, AQ_ACTOR_REGNO);
	else if (kind && strcmp(kind, "staff") == 0)
		name = (const char *)sqlite3_column_text(st, AQ_ACTOR_STAFF);
	if (!kind)
		snprintf(who, sizeof who, "(not recorded)");
	else if (name)
		snprintf(who, sizeof who, "%s %s", kind, name);
	else if (sqlite3_column_type(st, AQ_ACTOR_ID) != SQLITE_NULL)
		snprintf(who, sizeof who, "%s #%lld", kind,
			 (long long)sqlite3_column_int64(st, AQ_ACTOR_ID));
	else
		snprintf(who, sizeof who, "%s", kind);
	audit_puts(out, who);
	fprintf(out, "%*s  ", strlen(who) < 24 ? (int)(24 - strlen(who)) : 0, "");
	what = (const char *)sqlite3_column_text(st, AQ_KIND);
	audit_puts(out, what);
	fprintf(out, "%*s", what && strlen(what) < 14 ? (int)(14 - strlen(what)) : 0, "");
	if (sqlite3_column_type(st, AQ_CAND) != SQLITE_NULL) {
		const char *exam = (const char *)sqlite3_column_text(st, AQ_CAND_EXAM);
		const char *regno = (const char *)sqlite3_column_text(st, AQ_CAND_REGNO);
		fputs(" [", out);
		if (exam && regno) {
			audit_puts(out, exam);
			fputc(' ', out);
			audit_puts(out, regno);
		} else {
			fprintf(out, "candidate #%lld", (long long)sqlite3_column_int64(st, AQ_CAND));
		}
		fputc(']', out);
	}
	if (sqlite3_column_type(st, AQ_N) != SQLITE_NULL) {
		fprintf(out, " q%lld=", (long long)sqlite3_column_int64(st, AQ_N));
		if (sqlite3_column_type(st, AQ_LABEL) == SQLITE_NULL)
			fputs("-", out);
		else
			audit_puts(out, (const char *)sqlite3_column_text(st, AQ_LABEL));
		if (sqlite3_column_int(st, AQ_FLAGGED))
			fputs(" flagged", out);
		fprintf(out, " rev=%lld", (long long)sqlite3_column_int64(st, AQ_REV));
	}
	if (sqlite3_column_type(st, AQ_DETAIL) != SQLITE_NULL) {
		fputc(' ', out);
		audit_puts(out, (const char *)sqlite3_column_text(st, AQ_DETAIL));
	}
	fputc('\n', out);
}

long audit_print(sqlite3 *db, const struct audit_filter *f, FILE *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	long n = 0, rc = -1;
	int own, step;

	if (audit_check(f, LONG_MAX, err, errlen))
		return -1;
	if ((own = audit_begin(db, err, errlen)) < 0)
		return -1;
	if (!(st = audit_prepare(db, f, 1, f->limit ? f->limit : -1, err, errlen)))
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		audit_print_row(st, out);
		n++;
	}
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "reading the event log: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = n;
out:
	sqlite3_finalize(st);
	audit_end(db, own);
	return rc;
}

/* ---- times ------------------------------------------------------------------- */

int audit_parse_time(const char *s, int64_t *ms)
{
	struct tm tm;
	const char *end;
	time_t t;

	if (clock_parse_rfc3339(s, ms) == 0)
		return 0;
	/* Local time: a date, optionally with HH:MM or HH:MM:SS. */
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || !isdigit((unsigned char)s[0]) || strlen(s) < 10)
		return -1;
	if (*end) {
		const char *rest;
		if (*end != ' ' && *end != 'T')
			return -1;
		rest = end + 1;
		end = strptime(rest, "%H:%M:%S", &tm);
		if (!end || *end)
			end = strptime(rest, "%H:%M", &tm);
		if (!end || *end)
			return -1;
	}
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000;
	return 0;
}
