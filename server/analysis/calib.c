/* calib.c - Rasch calibrations of a bank, stored per bank version (calib.h).
 *
 * calib_create: adata_load (every finished attempt of the bank's exams) ->
 * the 0/1 matrix of the right_wrong items of right/wrong sections ->
 * rasch_calibrate (outside any transaction) -> one transaction inserting the
 * row and its audit event. The readers build the JSON of docs/API.md
 * ("Calibrations") from the row; result_json keeps everything computed
 * (per item, the persons' summary and every candidate's ability). */
#include "analysis/calib.h"

#include "analysis/adata.h"
#include "analysis/rasch.h"
#include "bounds.h"
#include "catalog/catalog.h"
#include "core/mem.h"
#include "store/db.h"
#include "store/event.h"
#include "store/writer.h"

#include <assert.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALIB_METHOD "CML"

/* One response of the matrix, in ids. */
struct cresp {
	int64_t cand, item;
	int person, ritem; /* indexes in the calibration */
	uint8_t x;
};

static int cresp_cmp(const void *a, const void *b)
{
	const struct cresp *p = a, *q = b;
	if (p->cand != q->cand)
		return p->cand < q->cand ? -1 : 1;
	return (p->item > q->item) - (p->item < q->item);
}

static int i64_cmp(const void *a, const void *b)
{
	int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
	return (p > q) - (p < q);
}

/* The position of v in the sorted array s of n (present by construction). */
static int i64_find(const int64_t *s, int n, int64_t v)
{
	const int64_t *f = bsearch(&v, s, (size_t)n, sizeof *s, i64_cmp);
	assert(f);
	return (int)(f - s);
}

/* A number rounded to 4 decimals, or null when undefined. */
static json_t *cnum(double v)
{
	return isfinite(v) ? json_real(round(v * 1e4) / 1e4) : json_null();
}

/* SHA-256 (hex) of the sorted responses as "cand,item,x\n" lines. */
static void calib_hash(const struct cresp *r, size_t n, char hex[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int len = 0;
	char line[64];
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
		abort();
	for (size_t q = 0; q < n; q++) {
		int l = snprintf(line, sizeof line, "%lld,%lld,%d\n", (long long)r[q].cand,
				 (long long)r[q].item, r[q].x);
		EVP_DigestUpdate(c, line, (size_t)l);
	}
	if (EVP_DigestFinal_ex(c, md, &len) != 1 || len != 32)
		abort();
	EVP_MD_CTX_free(c);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The matrix of a: responses (sorted), the persons' candidate ids and the
 * items' ids (both sorted; the calibration's indexes), and per calibration
 * item its adata item. */
struct cmatrix {
	struct cresp *r;
	size_t n;
	int64_t *cands, *items;
	int n_cands, n_items;
	int *ia_item; /* per calibration item: index in a->d.items */
};

static void cmatrix_free(struct cmatrix *m)
{
	free(m->r);
	free(m->cands);
	free(m->items);
	free(m->ia_item);
	memset(m, 0, sizeof *m);
}

static void cmatrix_build(const struct adata *a, struct cmatrix *m)
{
	const struct ia_data *d = &a->d;
	size_t n = 0;
	memset(m, 0, sizeof *m);
	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		if (d->sections[it->section].right_wrong && it->key >= 0)
			n += it->n_obs;
	}
	m->r = xmalloc((n ? n : 1) * sizeof *m->r);
	m->items = xmalloc(((size_t)d->n_items + 1) * sizeof *m->items);
	m->ia_item = xmalloc(((size_t)d->n_items + 1) * sizeof *m->ia_item);
	uint8_t *seen = xcalloc((size_t)d->n_persons + 1, 1);
	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		if (!d->sections[it->section].right_wrong || it->key < 0 || !it->n_obs)
			continue;
		m->items[m->n_items++] = it->item_id;
		for (size_t o = 0; o < it->n_obs; o++) {
			const struct ia_obs *ob = &it->obs[o];
			struct cresp *c = &m->r[m->n++];
			c->cand = a->person_candidate[ob->person];
			c->item = it->item_id;
			c->x = ob->points >= it->max_points - 1e-9;
			seen[ob->person] = 1;
		}
	}
	qsort(m->items, (size_t)m->n_items, sizeof *m->items, i64_cmp);
	for (int i = 0; i < d->n_items; i++) {
		const struct ia_item *it = &d->items[i];
		if (d->sections[it->section].right_wrong && it->key >= 0 && it->n_obs)
			m->ia_item[i64_find(m->items, m->n_items, it->item_id)] = i;
	}
	m->cands = xmalloc(((size_t)d->n_persons + 1) * sizeof *m->cands);
	for (int p = 0; p < d->n_persons; p++)
		if (seen[p])
			m->cands[m->n_cands++] = a->person_candidate[p];
	free(seen);
	qsort(m->cands, (size_t)m->n_cands, sizeof *m->cands, i64_cmp);
	qsort(m->r, m->n, sizeof *m->r, cresp_cmp);
	for (size_t q = 0; q < m->n; q++) {
		m->r[q].person = i64_find(m->cands, m->n_cands, m->r[q].cand);
		m->r[q].ritem = i64_find(m->items, m->n_items, m->r[q].item);
	}
}

static const char *calib_extreme_name(int e)
{
	switch (e) {
	case RASCH_ALL_CORRECT:
		return "all_correct";
	case RASCH_ALL_WRONG:
		return "all_wrong";
	case RASCH_UNSEEN:
		return "no_information";
	default:
		return NULL;
	}
}

/* result_json: items (bank order), the persons' summary, every ability. */
static json_t *calib_result(const struct adata *a, const struct cmatrix *m,
			    const struct rasch_fit *f)
{
	const struct ia_data *d = &a->d;
	json_t *items = json_array(), *abil = json_array();
	int *inv = xmalloc(((size_t)d->n_items + 1) * sizeof *inv);
	/* adata's item order is the bank's order: list the items in it */
	for (int i = 0; i < d->n_items; i++)
		inv[i] = -1;
	for (int c = 0; c < m->n_items; c++)
		inv[m->ia_item[c]] = c;
	for (int i = 0; i < d->n_items; i++) {
		int c = inv[i];
		if (c < 0)
			continue;
		const struct ia_item *it = &d->items[m->ia_item[c]];
		const char *ex = calib_extreme_name(f->item_extreme[c]);
		json_array_append_new(
			items, json_pack("{s:I,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "item_id",
					 (json_int_t)it->item_id, "item_code", it->item_code, "section",
					 d->sections[it->section].code, "n", (json_int_t)f->item_n[c],
					 "difficulty", cnum(f->b[c]), "se", cnum(f->b_se[c]), "infit",
					 cnum(f->infit[c]), "outfit", cnum(f->outfit[c]), "extreme",
					 ex ? json_string(ex) : json_null()));
	}
	free(inv);
	double sum = 0, ss = 0, lo = INFINITY, hi = -INFINITY;
	int n = 0;
	for (int p = 0; p < f->n_persons; p++) {
		double t = f->theta[p];
		json_array_append_new(abil, json_pack("[I,o,o,i,i]", (json_int_t)m->cands[p], cnum(t),
						      cnum(f->theta_se[p]), f->person_score[p],
						      f->person_n[p]));
		if (!isfinite(t))
			continue;
		n++;
		sum += t;
		lo = fmin(lo, t);
		hi = fmax(hi, t);
	}
	double mean = n ? sum / n : NAN;
	for (int p = 0; p < f->n_persons; p++)
		if (isfinite(f->theta[p]))
			ss += (f->theta[p] - mean) * (f->theta[p] - mean);
	json_t *counts = json_array();
	double hlo = n ? floor(lo * 2) / 2 : 0, width = 0.5;
	if (n) {
		/* half-logit bars from below the lowest; wider when the range needs it */
		while (hlo + width * UJ_IA_HIST_BINS <= hi)
			width *= 2;
		int64_t bins[UJ_IA_HIST_BINS] = { 0 };
		for (int p = 0; p < f->n_persons; p++) {
			if (!isfinite(f->theta[p]))
				continue;
			int b = (int)floor((f->theta[p] - hlo) / width);
			bins[b < 0 ? 0 : b >= UJ_IA_HIST_BINS ? UJ_IA_HIST_BINS - 1 : b]++;
		}
		int last = UJ_IA_HIST_BINS - 1;
		while (last > 0 && !bins[last])
			last--;
		for (int b = 0; b <= last; b++)
			json_array_append_new(counts, json_integer(bins[b]));
	}
	json_t *persons = json_pack("{s:i,s:o,s:o,s:{s:o,s:o,s:o}}", "n", n, "mean", cnum(mean),
				    "sd", cnum(n ? sqrt(ss / n) : NAN), "histogram", "lo",
				    n ? json_real(hlo) : json_null(), "width", json_real(width),
				    "counts", counts);
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "items", items, "persons", persons, "loglik",
			 cnum(f->loglik), "max_change", json_real(f->max_change), "abilities", abil);
}

/* The insert and its event, in one transaction. */
struct calib_op {
	struct wr_op op;
	int64_t bank_id, version_id, id;
	const char *bank_code;
	int version_no;
	const struct rasch_fit *f;
	const struct cmatrix *m;
	double tol;
	const char *sha, *cands, *items, *result;
};

static int calib_apply(struct wr_tx *tx, struct wr_op *op)
{
	struct calib_op *s = (struct calib_op *)op;
	static const char ins[] =
		"INSERT INTO calibrations (bank_id, bank_version_id, created_at, created_by, method,"
		" tolerance, iterations, converged, n_persons, n_items, n_responses, data_sha256,"
		" candidate_ids, item_ids, result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = wr_stmt(tx, ins);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->bank_id);
	sqlite3_bind_int64(st, 2, s->version_id);
	sqlite3_bind_int64(st, 3, op->at);
	if (op->owner.kind == ACTOR_STAFF)
		sqlite3_bind_int64(st, 4, op->owner.id);
	sqlite3_bind_text(st, 5, CALIB_METHOD, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 6, s->tol);
	sqlite3_bind_int(st, 7, s->f->iterations);
	sqlite3_bind_int(st, 8, s->f->converged);
	sqlite3_bind_int(st, 9, s->m->n_cands);
	sqlite3_bind_int(st, 10, s->m->n_items);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)s->m->n);
	sqlite3_bind_text(st, 12, s->sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, s->cands, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, s->items, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, s->result, -1, SQLITE_STATIC);
	if (wr_step(st))
		return -1;
	s->id = wr_last_id(tx);
	json_t *d = json_pack("{s:I,s:s,s:i,s:s,s:i,s:i,s:I,s:s,s:b}", "calibration",
			      (json_int_t)s->id, "bank", s->bank_code, "bank_version", s->version_no,
			      "method", CALIB_METHOD, "n_persons", s->m->n_cands, "n_items",
			      s->m->n_items, "n_responses", (json_int_t)s->m->n, "data_sha256",
			      s->sha, "converged", s->f->converged);
	struct event_rec e = { .at = op->at, .actor = op->owner, .kind = "calibration_created",
			       .label = -1, .detail = d };
	int rc = event_append(tx, &e);
	json_decref(d);
	return rc;
}

static void calib_keep(struct wr_op *op)
{
	(void)op; /* on the caller's stack */
}

static char *ids_json(const int64_t *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		abort();
	return s;
}

enum calib_status calib_create(sqlite3 *db, const char *bank_code, struct actor who,
			       int64_t now, int64_t *id_out, char *err, size_t errlen)
{
	struct adata a;
	struct cmatrix m = { 0 };
	struct rasch_fit f = { 0 };
	struct rasch_resp *rr = NULL;
	struct rasch_opts o;
	struct calib_op s;
	char sha[65], why[512];
	char *cands = NULL, *items = NULL, *result = NULL;
	int64_t cur = 0, bank_id;
	enum calib_status st = CALIB_ERROR;
	int loaded = 0, fitted = 0;

	*id_out = 0;
	err[0] = '\0';
	if (!bank_code || !(bank_id = catalog_bank_id(db, bank_code, &cur))) {
		snprintf(err, errlen, "no such bank \"%s\"", bank_code ? bank_code : "");
		return CALIB_NO_BANK;
	}
	if (adata_load(db, bank_id, 0, &a, err, errlen))
		return CALIB_ERROR;
	loaded = 1;
	cmatrix_build(&a, &m);
	if (m.n_items < 2 || !a.bank_version_id) {
		snprintf(err, errlen,
			 "no data: fewer than 2 right/wrong items have been answered in finished "
			 "attempts of bank %s",
			 bank_code);
		st = CALIB_NO_DATA;
		goto out;
	}
	rr = xmalloc(m.n * sizeof *rr);
	for (size_t q = 0; q < m.n; q++)
		rr[q] = (struct rasch_resp){ m.r[q].person, m.r[q].ritem, m.r[q].x };
	rasch_opts_default(&o);
	int rc = rasch_calibrate(m.n_cands, m.n_items, rr, m.n, &o, &f, why, sizeof why);
	if (rc == RASCH_NO_DATA) {
		snprintf(err, errlen, "no data: %s (bank %s)", why, bank_code);
		st = CALIB_NO_DATA;
		goto out;
	}
	if (rc) {
		snprintf(err, errlen, "calibration: %s", why);
		goto out;
	}
	fitted = 1;
	calib_hash(m.r, m.n, sha);
	cands = ids_json(m.cands, m.n_cands);
	items = ids_json(m.items, m.n_items);
	json_t *res = calib_result(&a, &m, &f);
	result = json_dumps(res, JSON_COMPACT);
	json_decref(res);
	if (!result)
		abort();
	memset(&s, 0, sizeof s);
	wr_op_init(&s.op, calib_apply, who, now);
	s.op.release = calib_keep;
	s.bank_id = bank_id;
	s.version_id = a.bank_version_id;
	s.version_no = a.bank_version_no;
	s.bank_code = bank_code;
	s.f = &f;
	s.m = &m;
	s.tol = o.tol;
	s.sha = sha;
	s.cands = cands;
	s.items = items;
	s.result = result;
	if (wr_apply_now(db, &s.op, err, errlen))
		goto out;
	*id_out = s.id;
	st = CALIB_OK;
out:
	if (fitted)
		rasch_fit_free(&f);
	free(rr);
	free(cands);
	free(items);
	free(result);
	cmatrix_free(&m);
	if (loaded)
		adata_free(&a);
	return st;
}

/* ---- reading ------------------------------------------------------------ */

#define CALIB_COLS                                                                         \
	"SELECT c.id, v.version_no, c.created_at, s.username, c.method, c.tolerance,"     \
	" c.iterations, c.converged, c.n_persons, c.n_items, c.n_responses, c.data_sha256," \
	" c.result_json FROM calibrations c JOIN bank_versions v ON v.id = c.bank_version_id" \
	" LEFT JOIN staff s ON s.id = c.created_by WHERE c.bank_id = ?"

/* The summary of the current row of st (CALIB_COLS). */
static json_t *calib_summary(sqlite3_stmt *st)
{
	const char *by = (const char *)sqlite3_column_text(st, 3);
	return json_pack("{s:I,s:i,s:I,s:o,s:s,s:f,s:i,s:b,s:i,s:i,s:I,s:s}", "id",
			 (json_int_t)sqlite3_column_int64(st, 0), "bank_version",
			 sqlite3_column_int(st, 1), "created_at",
			 (json_int_t)(sqlite3_column_int64(st, 2) / 1000), "created_by",
			 by ? json_string(by) : json_null(), "method",
			 (const char *)sqlite3_column_text(st, 4), "tolerance",
			 sqlite3_column_double(st, 5), "iterations", sqlite3_column_int(st, 6),
			 "converged", sqlite3_column_int(st, 7), "n_persons",
			 sqlite3_column_int(st, 8), "n_items", sqlite3_column_int(st, 9),
			 "n_responses", (json_int_t)sqlite3_column_int64(st, 10), "data_sha256",
			 (const char *)sqlite3_column_text(st, 11));
}

enum calib_status calib_list_json(sqlite3 *db, const char *bank_code, json_t **out, char *err,
				  size_t errlen)
{
	int64_t cur, bank_id;
	sqlite3_stmt *st = NULL;
	*out = NULL;
	if (!bank_code || !(bank_id = catalog_bank_id(db, bank_code, &cur))) {
		snprintf(err, errlen, "no such bank \"%s\"", bank_code ? bank_code : "");
		return CALIB_NO_BANK;
	}
	if (!(st = db_prepare(db, CALIB_COLS " ORDER BY c.id DESC", err, errlen)))
		return CALIB_ERROR;
	sqlite3_bind_int64(st, 1, bank_id);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, calib_summary(st));
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "calibrations: %s", sqlite3_errmsg(db));
		json_decref(list);
		sqlite3_finalize(st);
		return CALIB_ERROR;
	}
	sqlite3_finalize(st);
	*out = json_pack("{s:s,s:o}", "bank", bank_code, "calibrations", list);
	return CALIB_OK;
}

enum calib_status calib_get_json(sqlite3 *db, const char *bank_code, int64_t id, int full,
				 json_t **out, char *err, size_t errlen)
{
	int64_t cur, bank_id;
	sqlite3_stmt *st = NULL;
	enum calib_status rcs = CALIB_ERROR;
	*out = NULL;
	if (!bank_code || !(bank_id = catalog_bank_id(db, bank_code, &cur))) {
		snprintf(err, errlen, "no such bank \"%s\"", bank_code ? bank_code : "");
		return CALIB_NO_BANK;
	}
	if (!(st = db_prepare(db, CALIB_COLS " AND c.id = ?", err, errlen)))
		return CALIB_ERROR;
	sqlite3_bind_int64(st, 1, bank_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		snprintf(err, errlen, "no calibration %lld of bank %s", (long long)id, bank_code);
		rcs = CALIB_NO_SUCH;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "calibrations: %s", sqlite3_errmsg(db));
		goto out;
	}
	json_t *o = calib_summary(st);
	json_object_set_new(o, "bank", json_string(bank_code));
	if (full) {
		json_error_t je;
		json_t *res = json_loads((const char *)sqlite3_column_text(st, 12), 0, &je);
		if (!res) {
			snprintf(err, errlen, "calibration %lld: bad result_json: %s", (long long)id,
				 je.text);
			json_decref(o);
			goto out;
		}
		json_object_set(o, "items", json_object_get(res, "items"));
		json_object_set(o, "persons", json_object_get(res, "persons"));
		json_object_set(o, "loglik", json_object_get(res, "loglik"));
		json_decref(res);
	}
	*out = o;
	rcs = CALIB_OK;
out:
	sqlite3_finalize(st);
	return rcs;
}
