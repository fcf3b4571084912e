/* slip.c - signed result slips: codes, the canonical content, issuing
 * (table slips) and checking (include/report/slip.h). The key and the
 * signature primitives are slipkey.c, the QR code slipqr.c. */
#include "report/slip.h"
#include "catalog/catalog.h"
#include "catalog/exam.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/rng.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLIP_FORMAT 1 /* the payload's "v" */

const char *const slip_reason_codes[SLIP_REASON_MAX] = {
	"genuine", "bad_signature", "other_key", "data_changed", "attempt_gone", "malformed",
};

/* ---- codes ------------------------------------------------------------- */

void slip_code_new(char out[SLIP_CODE_LEN + 1])
{
	unsigned char r[SLIP_CODE_LEN];
	_Static_assert(sizeof SLIP_ALPHABET - 1 == 32, "32 symbols: 5 unbiased bits each");
	rng_bytes(r, sizeof r);
	for (int i = 0; i < SLIP_CODE_LEN; i++)
		out[i] = SLIP_ALPHABET[r[i] & 31];
	out[SLIP_CODE_LEN] = '\0';
	OPENSSL_cleanse(r, sizeof r);
}

int slip_code_norm(const char *in, char out[SLIP_CODE_LEN + 1])
{
	int n = 0;
	for (const char *c = in; *c; c++) {
		int u = toupper((unsigned char)*c);
		if (*c == '-' || *c == ' ')
			continue;
		if (n == SLIP_CODE_LEN || !u || !strchr(SLIP_ALPHABET, u))
			return -1;
		out[n++] = (char)u;
	}
	out[n] = '\0';
	return n == SLIP_CODE_LEN ? 0 : -1;
}

void slip_code_show(const char *code, char out[SLIP_CODE_LEN + 2])
{
	snprintf(out, SLIP_CODE_LEN + 2, "%.5s-%.5s", code, code + 5);
}

char *slip_encode(const json_t *payload)
{
	return event_encode(payload);
}

/* ---- documents --------------------------------------------------------- */

void slip_free(struct slip *s)
{
	json_decref(s->payload);
	s->payload = NULL;
}

void slip_verdict_free(struct slip_verdict *v)
{
	json_decref(v->payload);
	v->payload = NULL;
}

json_t *slip_doc(const struct slip *s)
{
	char shown[SLIP_CODE_LEN + 2], b64[4 * ((SLIP_SIG_LEN + 2) / 3) + 1];
	EVP_EncodeBlock((unsigned char *)b64, s->sig, SLIP_SIG_LEN);
	slip_code_show(s->code, shown);
	return json_pack("{s:O,s:s,s:s}", "slip", s->payload, "code", shown, "signature", b64);
}

/* ms as local time of zone: "2026-11-23T09:12:03+07:00". */
static void slip_time(int zone, int64_t ms, char *buf, size_t n)
{
	int off = exam_zones[zone].offset_min;
	time_t secs = (time_t)(ms / 1000) + (time_t)off * 60;
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off / 60, off % 60);
}

static json_t *slip_jtext(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return s ? json_string(s) : json_null();
}

/* The payload of candidate cid from the database, with the slip's own
 * fields (code, key id, issue time) as given. SLIP_OK, SLIP_NO_CANDIDATE,
 * SLIP_NOT_FINISHED or SLIP_ERROR (err). */
static enum slip_status slip_build(sqlite3 *db, int64_t cid, const char *code, const char *key_id,
				   const char *issued_at, json_t **out, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT e.code, c.registration_no, c.name, c.track, c.nip, a.status,"
		" a.finish_reason, a.finished_at, a.scores_json, a.total, a.passed"
		" FROM candidates c JOIN exams e ON e.id = c.exam_id"
		" LEFT JOIN attempts a ON a.candidate_id = c.id WHERE c.id = ?";
	struct exam_def *ex = xcalloc(1, sizeof *ex);
	sqlite3_stmt *st = NULL;
	json_t *p = NULL, *scores = NULL, *secs, *e;
	enum slip_status rc = SLIP_ERROR;
	char why[256], when[96];
	const char *status, *reason, *sj;
	json_int_t max_total = 0;
	size_t i;

	*out = NULL;
	if (!(st = db_prepare(db, sql, err, errlen)))
		goto out;
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = SLIP_NO_CANDIDATE;
		goto out;
	}
	status = (const char *)sqlite3_column_text(st, 5);
	reason = (const char *)sqlite3_column_text(st, 6);
	sj = (const char *)sqlite3_column_text(st, 8);
	if (!status || strcmp(status, "finished") != 0 || !reason || !sj) {
		rc = SLIP_NOT_FINISHED;
		goto out;
	}
	if (catalog_read_exam(db, (const char *)sqlite3_column_text(st, 0), NULL, NULL, ex, why,
			      sizeof why)) {
		snprintf(err, errlen, "exam of candidate %lld: %s", (long long)cid, why);
		goto out;
	}
	if (!(scores = jc_parse(sj, strlen(sj), why, sizeof why)) || !json_is_array(scores)) {
		snprintf(err, errlen, "candidate %lld: stored scores are unreadable", (long long)cid);
		goto out;
	}
	secs = json_array();
	json_array_foreach(scores, i, e) {
		json_t *c = json_object_get(e, "code"), *s = json_object_get(e, "score"),
		       *m = json_object_get(e, "max");
		if (!json_is_string(c) || !json_is_integer(s) || !json_is_integer(m)) {
			json_decref(secs);
			snprintf(err, errlen, "candidate %lld: stored scores are unreadable",
				 (long long)cid);
			goto out;
		}
		max_total += json_integer_value(m);
		json_array_append_new(secs, json_pack("{s:O,s:O,s:O}", "code", c, "score", s,
						      "max", m));
	}
	slip_time(ex->zone, sqlite3_column_int64(st, 7), when, sizeof when);
	p = json_pack("{s:i,s:s,s:s,s:s}", "v", SLIP_FORMAT, "code", code, "key_id", key_id,
		      "issued_at", issued_at);
	json_object_set_new(p, "exam", slip_jtext(st, 0));
	json_object_set_new(p, "exam_name", json_string(ex->title));
	json_object_set_new(p, "registration_no", slip_jtext(st, 1));
	json_object_set_new(p, "name", slip_jtext(st, 2));
	json_object_set_new(p, "track", slip_jtext(st, 3));
	json_object_set_new(p, "nip", slip_jtext(st, 4));
	json_object_set_new(p, "sections", secs);
	json_object_set_new(p, "total", json_integer(sqlite3_column_int64(st, 9)));
	json_object_set_new(p, "max_total", json_integer(max_total));
	json_object_set_new(p, "passed", json_boolean(strcmp(reason, "disqualified") != 0 &&
						      sqlite3_column_int(st, 10)));
	json_object_set_new(p, "finish_reason", json_string(reason));
	json_object_set_new(p, "finished_at", json_string(when));
	json_object_set_new(p, "timezone", json_string(exam_zones[ex->zone].name));
	*out = p;
	rc = SLIP_OK;
out:
	json_decref(scores);
	sqlite3_finalize(st);
	free(ex);
	return rc;
}

/* ---- issuing ------------------------------------------------------------ */

/* Columns 0..2 of st (code, payload, sig) into out. 0, or -1 with err. */
static int slip_row(sqlite3_stmt *st, struct slip *out, char *err, size_t errlen)
{
	const char *code = (const char *)sqlite3_column_text(st, 0);
	const char *payload = (const char *)sqlite3_column_text(st, 1);
	char why[128];
	if (!code || strlen(code) != SLIP_CODE_LEN || !payload ||
	    sqlite3_column_bytes(st, 2) != SLIP_SIG_LEN ||
	    !(out->payload = jc_parse(payload, strlen(payload), why, sizeof why))) {
		snprintf(err, errlen, "a stored slip is unreadable");
		return -1;
	}
	memcpy(out->code, code, SLIP_CODE_LEN + 1);
	memcpy(out->sig, sqlite3_column_blob(st, 2), SLIP_SIG_LEN);
	return 0;
}

enum slip_status slip_get(sqlite3 *db, const char *exam, const char *regno, int64_t candidate_id,
			  struct slip *out, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT s.code, s.payload, s.sig FROM candidates c JOIN exams e ON e.id = c.exam_id"
		" LEFT JOIN slips s ON s.candidate_id = c.id"
		" WHERE (?1 > 0 AND c.id = ?1) OR (?1 = 0 AND e.code = ?2 AND c.registration_no = ?3)";
	sqlite3_stmt *st = db_prepare(db, sql, err, errlen);
	enum slip_status rc = SLIP_ERROR;

	memset(out, 0, sizeof *out);
	if (!st)
		return SLIP_ERROR;
	sqlite3_bind_int64(st, 1, candidate_id > 0 ? candidate_id : 0);
	sqlite3_bind_text(st, 2, exam ? exam : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, regno ? regno : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = SLIP_NO_CANDIDATE;
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = SLIP_NO_SLIP;
	else if (slip_row(st, out, err, errlen) == 0)
		rc = SLIP_OK;
	sqlite3_finalize(st);
	return rc;
}

struct slip_op {
	struct wr_op op;
	sqlite3 *db;
	EVP_PKEY *key;
	const char *exam, *regno;
	int64_t cid;
	struct slip *out;
	enum slip_status st;
	char *err;
	size_t errlen;
};

static void slip_op_keep(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

/* The stored slip of s->cid into s->out: 1 found, 0 none, -1 error. */
static int slip_stored(struct wr_tx *tx, struct slip_op *s)
{
	static const char sql[] = "SELECT code, payload, sig FROM slips WHERE candidate_id = ?";
	sqlite3_stmt *st = wr_stmt(tx, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->cid);
	rc = sqlite3_step(st) != SQLITE_ROW ? 0 : slip_row(st, s->out, s->err, s->errlen) ? -1 : 1;
	sqlite3_reset(st);
	return rc;
}

/* A code no slip has yet (in tx). 0 or -1. */
static int slip_fresh_code(struct wr_tx *tx, char code[SLIP_CODE_LEN + 1])
{
	static const char sql[] = "SELECT 1 FROM slips WHERE code = ?";
	sqlite3_stmt *st = wr_stmt(tx, sql);
	for (int tries = 0; st && tries < 16; tries++) {
		int rc;
		slip_code_new(code);
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		if (rc != SQLITE_ROW)
			return -1;
	}
	return -1;
}

/* The writer operation: find the candidate, return its slip, or build,
 * sign and store one with its audit event. */
static int slip_apply(struct wr_tx *tx, struct wr_op *op)
{
	static const char find[] = "SELECT c.id FROM candidates c JOIN exams e ON e.id = c.exam_id"
				   " WHERE e.code = ? AND c.registration_no = ?";
	static const char ins[] =
		"INSERT INTO slips (code, candidate_id, payload, sig, created_at) VALUES (?, ?, ?, ?, ?)";
	struct slip_op *s = (struct slip_op *)op;
	char kid[SLIP_KEY_ID_LEN + 1], when[96];
	char *text = NULL;
	sqlite3_stmt *st;
	int rc = -1, got;

	s->st = SLIP_ERROR;
	if (!s->cid) {
		if (!(st = wr_stmt(tx, find)))
			return -1;
		sqlite3_bind_text(st, 1, s->exam, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, s->regno, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			s->cid = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (!s->cid) {
			s->st = SLIP_NO_CANDIDATE;
			return -1;
		}
	}
	if ((got = slip_stored(tx, s)) != 0) {
		if (got == 1)
			s->st = SLIP_OK;
		return got == 1 ? 0 : -1;
	}
	if (slip_key_id(s->key, kid) || slip_fresh_code(tx, s->out->code)) {
		snprintf(s->err, s->errlen, "cannot make a slip code");
		return -1;
	}
	/* The issue time in UTC ("Z"): the exam's zone is in the content. */
	{
		struct tm tm;
		time_t secs = (time_t)(s->op.at / 1000);
		gmtime_r(&secs, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	s->st = slip_build(s->db, s->cid, s->out->code, kid, when, &s->out->payload, s->err,
			   s->errlen);
	if (s->st != SLIP_OK)
		return -1;
	s->st = SLIP_ERROR;
	if (!(text = slip_encode(s->out->payload)) ||
	    slip_sign(s->key, text, strlen(text), s->out->sig)) {
		snprintf(s->err, s->errlen, "cannot sign the slip");
		goto out;
	}
	if (!(st = wr_stmt(tx, ins)))
		goto out;
	sqlite3_bind_text(st, 1, s->out->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->cid);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, s->out->sig, SLIP_SIG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, s->op.at);
	if (wr_step(st))
		goto out;
	{
		json_t *d = json_pack("{s:s,s:O,s:O,s:s}", "code", s->out->code, "exam",
				      json_object_get(s->out->payload, "exam"), "registration_no",
				      json_object_get(s->out->payload, "registration_no"), "key_id",
				      kid);
		struct event_rec e = { .at = s->op.at, .actor = s->op.owner, .candidate_id = s->cid,
				       .kind = "slip_issued", .label = -1, .detail = d };
		rc = event_append(tx, &e);
		json_decref(d);
	}
	if (rc == 0)
		s->st = SLIP_OK;
out:
	free(text);
	return rc;
}

enum slip_status slip_issue(sqlite3 *db, EVP_PKEY *key, const char *exam, const char *regno,
			    int64_t candidate_id, struct actor who, int64_t now, struct slip *out,
			    char *err, size_t errlen)
{
	struct slip_op s = { .db = db, .key = key, .exam = exam, .regno = regno,
			     .cid = candidate_id, .out = out, .err = err, .errlen = errlen };
	char why[256];

	assert(candidate_id > 0 || (exam && regno));
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	wr_op_init(&s.op, slip_apply, who, now);
	s.op.release = slip_op_keep;
	if (wr_apply_now(db, &s.op, why, sizeof why) == 0)
		return s.st;
	/* Rolled back: a refusal (no such candidate, not finished) keeps its
	 * status; anything else is an error, explained by the apply or by
	 * wr_apply_now (a failed statement or commit). */
	slip_free(out);
	if (s.st == SLIP_NO_CANDIDATE || s.st == SLIP_NOT_FINISHED)
		return s.st;
	if (!err[0])
		snprintf(err, errlen, "%s", why);
	return SLIP_ERROR;
}

/* ---- checking ---------------------------------------------------------- */

/* The signature check of canonical text against key, naming another key
 * when the payload says it was signed by one. */
static void slip_check_sig(EVP_PKEY *key, const char *text, const unsigned char *sig,
			   size_t siglen, struct slip_verdict *v)
{
	char kid[SLIP_KEY_ID_LEN + 1] = "";
	const char *signer = json_string_value(json_object_get(v->payload, "key_id"));

	if (slip_sig_ok(key, text, strlen(text), sig, siglen)) {
		v->reason = SLIP_GENUINE;
		snprintf(v->detail, sizeof v->detail, "the signature is valid");
		return;
	}
	slip_key_id(key, kid);
	if (signer && strcmp(signer, kid) != 0) {
		v->reason = SLIP_OTHER_KEY;
		snprintf(v->detail, sizeof v->detail,
			 "the slip names signing key %.16s, not this key (%s): verify it with the "
			 "public key it was issued under", signer, kid);
		return;
	}
	v->reason = SLIP_BAD_SIGNATURE;
	snprintf(v->detail, sizeof v->detail,
		 "the signature does not match the content: the slip was altered after signing");
}

/* The top-level fields whose values differ between a and b, into buf. */
static void slip_diff(const json_t *a, const json_t *b, char *buf, size_t n)
{
	const char *k;
	json_t *va;
	size_t used = 0;
	buf[0] = '\0';
	json_object_foreach((json_t *)a, k, va) {
		if (!json_equal(va, json_object_get(b, k)) && used + strlen(k) + 3 < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", k);
	}
	json_object_foreach((json_t *)b, k, va) {
		if (!json_object_get(a, k) && used + strlen(k) + 3 < n)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", k);
	}
}

enum slip_status slip_check(sqlite3 *db, EVP_PKEY *key, const char *code, struct slip_verdict *v,
			    char *err, size_t errlen)
{
	static const char sql[] = "SELECT candidate_id, payload, sig FROM slips WHERE code = ?";
	sqlite3_stmt *st = NULL;
	json_t *now = NULL;
	char *a = NULL, *b = NULL, why[256], fields[200];
	const char *text;
	enum slip_status rc = SLIP_ERROR, built;
	int64_t cid;

	memset(v, 0, sizeof *v);
	if (db_exec(db, "BEGIN", err, errlen))
		return SLIP_ERROR;
	if (!(st = db_prepare(db, sql, err, errlen)))
		goto out;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = SLIP_NO_SLIP;
		goto out;
	}
	cid = sqlite3_column_int64(st, 0);
	text = (const char *)sqlite3_column_text(st, 1);
	text = text ? text : "";
	rc = SLIP_OK;
	if (!(v->payload = jc_parse(text, strlen(text), why, sizeof why)) ||
	    !json_is_object(v->payload)) {
		json_decref(v->payload);
		v->payload = NULL;
		v->reason = SLIP_BAD_SIGNATURE;
		snprintf(v->detail, sizeof v->detail, "the stored slip is not readable JSON");
		goto out;
	}
	slip_check_sig(key, text, sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
		       v);
	if (v->reason != SLIP_GENUINE)
		goto out;
	/* Signed: does the attempt in the database still say the same? */
	built = slip_build(db, cid, json_string_value(json_object_get(v->payload, "code")),
			   json_string_value(json_object_get(v->payload, "key_id")),
			   json_string_value(json_object_get(v->payload, "issued_at")), &now, err,
			   errlen);
	if (built == SLIP_ERROR) {
		rc = SLIP_ERROR;
		goto out;
	}
	if (built != SLIP_OK) {
		v->reason = SLIP_ATTEMPT_GONE;
		snprintf(v->detail, sizeof v->detail,
			 "the attempt this slip was issued for is no longer finished or present");
		goto out;
	}
	a = slip_encode(v->payload);
	b = slip_encode(now);
	if (!a || !b || strcmp(a, b) != 0) {
		slip_diff(v->payload, now, fields, sizeof fields);
		v->reason = SLIP_DATA_CHANGED;
		snprintf(v->detail, sizeof v->detail,
			 "the signature is valid, but the stored attempt no longer matches the "
			 "slip (differs: %s)", fields[0] ? fields : "encoding");
	}
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	json_decref(now);
	free(a);
	free(b);
	return rc;
}

void slip_check_doc(EVP_PKEY *key, const json_t *doc, struct slip_verdict *v)
{
	const json_t *p = json_object_get(doc, "slip");
	const char *b64 = json_string_value(json_object_get(doc, "signature"));
	unsigned char sig[SLIP_SIG_LEN + 3];
	char *text = NULL;
	int n;

	memset(v, 0, sizeof *v);
	v->reason = SLIP_MALFORMED;
	if (!json_is_object(p) || !b64 || strlen(b64) != 88) {
		snprintf(v->detail, sizeof v->detail,
			 "not a slip file: expected {\"slip\":{...},\"signature\":\"<base64>\"}");
		return;
	}
	n = EVP_DecodeBlock(sig, (const unsigned char *)b64, 88);
	if (n != SLIP_SIG_LEN + 3 - 1 || b64[86] != '=' || b64[87] != '=') {
		snprintf(v->detail, sizeof v->detail, "the signature is not 64 bytes of base64");
		return;
	}
	v->payload = json_deep_copy(p);
	if (!(text = slip_encode(p))) {
		snprintf(v->detail, sizeof v->detail, "the content cannot be encoded");
		return;
	}
	slip_check_sig(key, text, sig, SLIP_SIG_LEN, v);
	free(text);
}
