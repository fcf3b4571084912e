/* verify.c - recompute and compare: acks, scores, time credits, papers. */
#include "report/verify.h"
#include "report/audit.h"
#include "catalog/catalog.h"
#include "store/db.h"
#include "core/hmap.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "exam/paper.h"
#include "exam/scoring.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define VERIFY_SHOW_MAX 20 /* violations printed in full; the rest are counted */

struct verify {
	FILE *out;
	long violations;
};

static void verify_fail(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void verify_fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;
	if (v->violations++ < VERIFY_SHOW_MAX) {
		fputs("VIOLATION ", v->out);
		va_start(ap, fmt);
		vfprintf(v->out, fmt, ap);
		va_end(ap);
		fputc('\n', v->out);
	}
}

/* A loaded bank version with an index from item id to its position. */
struct verify_bank {
	struct bank_snapshot snap;
	struct hmap by_id; /* item id -> index+1 (as a pointer-sized integer) */
};

static struct verify_bank *verify_bank_get(sqlite3 *db, struct hmap *banks, int64_t vid, char *err,
					   size_t errlen)
{
	struct verify_bank *b = hmap_get(banks, &vid, sizeof vid);
	if (b)
		return b;
	b = xcalloc(1, sizeof *b);
	if (catalog_load_bank_version(db, 0, vid, &b->snap, err, errlen)) {
		free(b);
		return NULL;
	}
	hmap_init(&b->by_id);
	for (int i = 0; i < b->snap.n_items; i++)
		hmap_put(&b->by_id, &b->snap.item_ids[i], sizeof(int64_t), (void *)(intptr_t)(i + 1));
	hmap_put(banks, &b->snap.version_id, sizeof(int64_t), b);
	return b;
}

/* Ack logs: "registration_no n rev option" per line. */
static int verify_acks(sqlite3 *db, int64_t exam_id, const char *dir, struct verify *v, char *err,
		       size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	sqlite3_stmt *st;
	long checked = 0;
	int rc = -1;

	if (!d) {
		snprintf(err, errlen, "--acks %s: %s", dir, strerror(errno));
		return -1;
	}
	st = db_prepare(db,
			"SELECT a.rev, a.label FROM answers a JOIN candidates c ON c.id = a.candidate_id"
			" WHERE c.exam_id = ? AND c.registration_no = ? AND a.n = ?",
			err, errlen);
	if (!st)
		goto out;
	while ((de = readdir(d))) {
		char *path, line[256];
		FILE *f;
		int lineno = 0;
		if (strncmp(de->d_name, "acks-", 5) != 0 || !strstr(de->d_name, ".log"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(path);
			goto out;
		}
		while (fgets(line, sizeof line, f)) {
			char regno[64], opt[8];
			long n, rev;
			lineno++;
			if (sscanf(line, "%63s %ld %ld %7s", regno, &n, &rev, opt) != 4) {
				verify_fail(v, "%s line %d: unreadable ack line", path, lineno);
				continue;
			}
			checked++;
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, exam_id);
			sqlite3_bind_text(st, 2, regno, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 3, n);
			if (sqlite3_step(st) != SQLITE_ROW) {
				verify_fail(v, "acknowledged answer lost: %s question %ld rev %ld", regno, n,
					    rev);
				continue;
			}
			long srev = (long)sqlite3_column_int64(st, 0);
			const char *label = (const char *)sqlite3_column_text(st, 1);
			if (srev < rev)
				verify_fail(v, "%s question %ld: stored rev %ld is older than acknowledged rev %ld",
					    regno, n, srev, rev);
			else if (srev == rev && strcmp(label ? label : "-", opt) != 0)
				verify_fail(v, "%s question %ld rev %ld: stored option %s, acknowledged %s",
					    regno, n, rev, label ? label : "-", opt);
		}
		fclose(f);
		free(path);
	}
	fprintf(v->out, "acks: %ld acknowledged answers checked\n", checked);
	rc = 0;
out:
	sqlite3_finalize(st);
	closedir(d);
	return rc;
}

/* Recompute one attempt from its paper and answers. */
static int verify_attempt(sqlite3 *db, const struct exam_def *ex, struct hmap *banks,
			  sqlite3_stmt *ans, int64_t cand, const char *regno, const char *track,
			  int64_t vid, const char *layout, const char *scores_json, int total,
			  int passed, int finished, int disq, struct verify *v, char *err,
			  size_t errlen)
{
	struct verify_bank *b = verify_bank_get(db, banks, vid, err, errlen);
	struct paper_layout pl = { 0, NULL };
	struct scoring_q *qs = NULL;
	int8_t *chosen = NULL;
	int score[UJ_SECTIONS_MAX], max[UJ_SECTIONS_MAX];
	int (*val)[UJ_OPTIONS_MAX] = NULL;
	char why[256];
	json_t *sj = NULL, *e;
	size_t i;
	int sum = 0, rc = -1;

	if (!b)
		return -1;
	if (paper_layout_parse(layout, strlen(layout), &pl) || pl.n != exam_paper_length(ex)) {
		verify_fail(v, "%s: paper cannot be loaded (not resumable)", regno);
		rc = 0;
		goto out;
	}
	qs = xcalloc((size_t)pl.n, sizeof *qs);
	val = xcalloc((size_t)pl.n, sizeof *val);
	chosen = xmalloc((size_t)pl.n);
	for (int q = 0; q < pl.n; q++) {
		intptr_t idx = (intptr_t)hmap_get(&b->by_id, &pl.q[q].item_id, sizeof(int64_t));
		const struct bank_item *it;
		if (!idx || pl.q[q].section >= ex->n_sections) {
			verify_fail(v, "%s: paper question %d names an item not in its bank version", regno,
				    q + 1);
			rc = 0;
			goto out;
		}
		it = &b->snap.items[idx - 1];
		qs[q].section = pl.q[q].section;
		qs[q].rule = &b->snap.sec[it->section];
		qs[q].n_options = pl.q[q].n_options;
		for (int o = 0; o < it->n_options; o++)
			val[q][o] = scoring_option_value(qs[q].rule, &it->opt[o]);
		qs[q].value = val[q];
		qs[q].perm = pl.q[q].perm;
		chosen[q] = -1;
	}
	if (!finished) {
		rc = 0;
		goto out;
	}
	sqlite3_reset(ans);
	sqlite3_bind_int64(ans, 1, cand);
	while (sqlite3_step(ans) == SQLITE_ROW) {
		int n = sqlite3_column_int(ans, 0);
		const unsigned char *label = sqlite3_column_text(ans, 1);
		if (n >= 1 && n <= pl.n)
			chosen[n - 1] = (int8_t)(label ? label[0] - 'A' : -1);
	}
	scoring_compute(qs, pl.n, chosen, ex->n_sections, score, max);
	sj = scores_json ? jc_parse(scores_json, strlen(scores_json), why, sizeof why) : NULL;
	if (!sj || !json_is_array(sj) || (int)json_array_size(sj) != ex->n_sections) {
		verify_fail(v, "%s: stored scores are missing or malformed", regno);
		rc = 0;
		goto out;
	}
	json_array_foreach(sj, i, e) {
		int stored = (int)json_integer_value(json_object_get(e, "score"));
		sum += score[i];
		if (stored != score[i])
			verify_fail(v, "%s section %s: stored score %d, recomputed %d", regno,
				    ex->sec[i].code, stored, score[i]);
	}
	if (total != sum)
		verify_fail(v, "%s: stored total %d, recomputed %d", regno, total, sum);
	{
		int ri = exam_rule_index(ex, track);
		/* A disqualified attempt keeps its scores but never passes. */
		int want = !disq && scoring_passes(ri >= 0 ? &ex->rules[ri] : NULL, score, sum);
		if (want != passed)
			verify_fail(v, "%s: stored passed=%d, recomputed %d", regno, passed, want);
	}
	rc = 0;
out:
	json_decref(sj);
	paper_layout_free(&pl);
	free(qs);
	free(val);
	free(chosen);
	return rc;
}

/* The audit log's hash chain (the whole log: it is not per exam). */
static int verify_audit(sqlite3 *db, struct verify *v, char *err, size_t errlen)
{
	struct audit_report r;
	char hex[2 * CHAIN_HASH_LEN + 1];
	if (audit_verify(db, NULL, &r, err, errlen))
		return -1;
	if (r.problem != AUDIT_OK)
		verify_fail(v, "audit log: %s", r.message);
	else
		fprintf(v->out, "audit log: %lld entries chained, head %s\n", (long long)r.count,
			chain_hex(r.head, hex));
	return 0;
}

long verify_run(sqlite3 *db, const char *exam_code, const char *acks_dir, FILE *out, char *err,
		size_t errlen)
{
	struct verify v = { out, 0 };
	struct hmap banks;
	struct exam_def ex;
	sqlite3_stmt *st = NULL, *ans = NULL, *ledger = NULL;
	int64_t exam_id;
	long n_att = 0, n_fin = 0, n_cand = 0;
	char why[512];
	long rc = -1;

	hmap_init(&banks);
	if (db_exec(db, "BEGIN", err, errlen))
		return -1;
	if (catalog_read_exam(db, exam_code, &exam_id, NULL, &ex, why, sizeof why)) {
		snprintf(err, errlen, "--exam %s: %s", exam_code, why);
		goto out;
	}
	if (acks_dir && verify_acks(db, exam_id, acks_dir, &v, err, errlen))
		goto out;

	ans = db_prepare(db, "SELECT n, label FROM answers WHERE candidate_id = ?", err, errlen);
	ledger = db_prepare(db, "SELECT coalesce(sum(delta_ms), 0) FROM time_ledger WHERE candidate_id = ?",
			    err, errlen);
	st = db_prepare(db,
			"SELECT c.id, c.registration_no, c.track, p.bank_version_id, p.layout_json,"
			" a.status, a.scores_json, a.total, a.passed, a.credit_ms, a.finish_reason"
			" FROM candidates c"
			" JOIN papers p ON p.candidate_id = c.id LEFT JOIN attempts a ON"
			" a.candidate_id = c.id WHERE c.exam_id = ? ORDER BY c.id",
			err, errlen);
	if (!ans || !ledger || !st)
		goto out;
	sqlite3_bind_int64(st, 1, exam_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t cand = sqlite3_column_int64(st, 0);
		const char *regno = (const char *)sqlite3_column_text(st, 1);
		const char *status = (const char *)sqlite3_column_text(st, 5);
		int finished = status && strcmp(status, "finished") == 0;
		n_cand++;
		if (status)
			n_att++;
		n_fin += finished;
		if (verify_attempt(db, &ex, &banks, ans, cand, regno,
				   (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
				   (const char *)sqlite3_column_text(st, 4),
				   (const char *)sqlite3_column_text(st, 6), sqlite3_column_int(st, 7),
				   sqlite3_column_int(st, 8), finished,
				   sqlite3_column_text(st, 10) &&
					   strcmp((const char *)sqlite3_column_text(st, 10),
						  "disqualified") == 0,
				   &v, err, errlen))
			goto out;
		if (status) {
			sqlite3_reset(ledger);
			sqlite3_bind_int64(ledger, 1, cand);
			sqlite3_step(ledger);
			if (sqlite3_column_int64(ledger, 0) != sqlite3_column_int64(st, 9))
				verify_fail(&v, "%s: time credit %lld ms but the ledger sums to %lld ms", regno,
					    (long long)sqlite3_column_int64(st, 9),
					    (long long)sqlite3_column_int64(ledger, 0));
		}
	}
	fprintf(out, "papers: %ld loaded; attempts: %ld (%ld finished, scores recomputed)\n", n_cand,
		n_att, n_fin);
	if (verify_audit(db, &v, err, errlen))
		goto out;
	if (v.violations > VERIFY_SHOW_MAX)
		fprintf(out, "... and %ld more violations\n", v.violations - VERIFY_SHOW_MAX);
	fprintf(out, "%s: %ld violation%s\n", v.violations ? "FAILED" : "OK", v.violations,
		v.violations == 1 ? "" : "s");
	rc = v.violations;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ans);
	sqlite3_finalize(ledger);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	{
		size_t it = 0;
		struct verify_bank *b;
		while ((b = hmap_next(&banks, &it))) {
			catalog_bank_snapshot_free(&b->snap);
			hmap_free(&b->by_id);
			free(b);
		}
	}
	hmap_free(&banks);
	return rc;
}
