/* test_adata.c - reading finished attempts for analysis
 * (server/analysis/adata.c): time per item from events (adata_dwell, by
 * hand), then a small database built through the real paths (bank and exam
 * imports, the candidate import drawing shuffled papers, attempts replayed
 * by the runtime's own operations) read back: options in the bank's order
 * whatever the shuffle, points under the section's scoring summing to the
 * stored section scores, disqualified and unfinished attempts left out,
 * times from position events with a pause cut out, the bank scope. */
#include "unit.h"

#include "analysis/adata.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "catalog/loader.h"
#include "core/errlist.h"
#include "core/mem.h"
#include "exam/attempt.h"
#include "exam/registry.h"
#include "store/db.h"
#include "store/writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- adata_dwell by hand ---- */

#define S 1795395600000LL

/* Position mode, with a pause; worked out:
 *   S+10 s  position 2  q1 += 10 s (on q1 since the start)
 *   S+25 s  answer 2    q2 += 15 s
 *   S+30 s  paused      q2 += 5 s  (q2 = 20 s)
 *   S+50 s  resumed     (20 s not counted)
 *   S+60 s  position 3  q2 += 10 s (q2 = 30 s)
 *   S+70 s  position 1  q3 += 10 s
 *   S+80 s  answer 1    q1 += 10 s (q1 = 20 s)
 *   S+100 s finish      q1 += 20 s (q1 = 40 s); q4, q5 never visited: 0. */
static const struct adata_ev dwell_pos[] = {
	{ S + 10000, ADATA_EV_POSITION, 2 }, { S + 25000, ADATA_EV_ANSWER, 2 },
	{ S + 30000, ADATA_EV_PAUSE, 0 },    { S + 50000, ADATA_EV_RESUME, 0 },
	{ S + 60000, ADATA_EV_POSITION, 3 }, { S + 70000, ADATA_EV_POSITION, 1 },
	{ S + 80000, ADATA_EV_ANSWER, 1 },
};
static const int32_t dwell_pos_want[5] = { 40000, 30000, 10000, 0, 0 };

static void test_dwell_position(void **state)
{
	int32_t t[5];
	(void)state;
	assert_int_equal(adata_dwell(dwell_pos, 7, S, S + 100000, 5, t), ADATA_TIME_POSITION);
	for (int q = 0; q < 5; q++)
		assert_int_equal(t[q], dwell_pos_want[q]);
}

/* Answers only: the time before each answer is the answered question's,
 * pauses cut, the tail after the last answer nobody's:
 *   S+10 s answer 3: q3 = 10 s; S+15 s paused, S+25 s resumed; S+40 s
 *   answer 1: q1 = 5 + 15 = 20 s; S+45 s answer 3 again: q3 = 15 s;
 *   finish S+60 s. q2 never answered: -1. An answer to a question outside
 *   the paper and events after the finish change nothing. */
static void test_dwell_answers(void **state)
{
	static const struct adata_ev ev[] = {
		{ S + 10000, ADATA_EV_ANSWER, 3 }, { S + 15000, ADATA_EV_PAUSE, 0 },
		{ S + 25000, ADATA_EV_RESUME, 0 }, { S + 40000, ADATA_EV_ANSWER, 1 },
		{ S + 45000, ADATA_EV_ANSWER, 3 }, { S + 50000, ADATA_EV_ANSWER, 9 },
		{ S + 90000, ADATA_EV_ANSWER, 2 },
	};
	int32_t t[3];
	(void)state;
	assert_int_equal(adata_dwell(ev, 6, S, S + 60000, 3, t), ADATA_TIME_ANSWERS);
	assert_int_equal(t[0], 20000);
	assert_int_equal(t[1], -1);
	assert_int_equal(t[2], 15000);
	/* an answer logged after the finish is clamped to it: q2 gets the tail */
	assert_int_equal(adata_dwell(ev, 7, S, S + 60000, 3, t), ADATA_TIME_ANSWERS);
	assert_int_equal(t[1], 60000 - 45000); /* the answer to question 9 was ignored */
}

/* Still paused at the finish (a proctor ended it): nothing after the pause. */
static void test_dwell_paused_at_finish(void **state)
{
	static const struct adata_ev ev[] = { { S + 5000, ADATA_EV_POSITION, 2 },
					      { S + 9000, ADATA_EV_PAUSE, 0 } };
	int32_t t[2];
	(void)state;
	assert_int_equal(adata_dwell(ev, 2, S, S + 60000, 2, t), ADATA_TIME_POSITION);
	assert_int_equal(t[0], 5000);
	assert_int_equal(t[1], 4000);
	assert_int_equal(adata_dwell(NULL, 0, S, S + 60000, 2, t), ADATA_TIME_ANSWERS);
	assert_int_equal(t[0], -1);
	assert_string_equal(adata_time_source_name(ADATA_TIME_ANSWERS), "answers");
	assert_null(adata_time_source_name(ADATA_TIME_NONE));
}

/* ---- a database through the real paths ---- */

/* Bank B-AN: RW right/wrong (+4 right, -1 wrong, 0 blank), four items of
 * four options with keys A, B, C, D; WT weighted, two items of three
 * options worth 1,2,3 and 3,0,1. */
static const char bank_json[] =
	"{\"code\":\"B-AN\",\"title\":\"Bank analisis\",\"sections\":["
	"{\"code\":\"RW\",\"title\":\"Benar salah\",\"scoring\":{\"type\":\"right_wrong\","
	"\"correct\":4,\"wrong\":-1,\"blank\":0}},"
	"{\"code\":\"WT\",\"title\":\"Berbobot\",\"scoring\":{\"type\":\"weighted\",\"blank\":0}}],"
	"\"items\":["
	"{\"id\":\"R1\",\"section\":\"RW\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"r1\","
	"\"options\":[{\"text\":\"a\",\"correct\":true},{\"text\":\"b\"},{\"text\":\"c\"},{\"text\":\"d\"}]},"
	"{\"id\":\"R2\",\"section\":\"RW\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"r2\","
	"\"options\":[{\"text\":\"a\"},{\"text\":\"b\",\"correct\":true},{\"text\":\"c\"},{\"text\":\"d\"}]},"
	"{\"id\":\"R3\",\"section\":\"RW\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"r3\","
	"\"options\":[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\",\"correct\":true},{\"text\":\"d\"}]},"
	"{\"id\":\"R4\",\"section\":\"RW\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"r4\","
	"\"options\":[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"},{\"text\":\"d\",\"correct\":true}]},"
	"{\"id\":\"W1\",\"section\":\"WT\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"w1\","
	"\"options\":[{\"text\":\"a\",\"points\":1},{\"text\":\"b\",\"points\":2},{\"text\":\"c\",\"points\":3}]},"
	"{\"id\":\"W2\",\"section\":\"WT\",\"topic\":\"t\",\"difficulty\":\"easy\",\"text\":\"w2\","
	"\"options\":[{\"text\":\"a\",\"points\":3},{\"text\":\"b\",\"points\":0},{\"text\":\"c\",\"points\":1}]}]}";

/* EX-AN draws 3 RW and 2 WT items, both shuffled; EX-B (same bank) 2 + 1. */
static const char exam_json[] =
	"{\"code\":\"EX-AN\",\"title\":\"Ujian analisis\",\"bank\":\"B-AN\",\"duration_s\":3600,"
	"\"sections\":[{\"code\":\"RW\",\"draw\":3},{\"code\":\"WT\",\"draw\":2}],"
	"\"shuffle_items\":true,\"shuffle_options\":true,"
	"\"pass_rules\":{\"umum\":{\"total\":5},\"khusus\":{\"sections\":{\"RW\":2}}}}";
static const char exam2_json[] =
	"{\"code\":\"EX-B\",\"title\":\"Ujian kedua\",\"bank\":\"B-AN\",\"duration_s\":600,"
	"\"sections\":[{\"code\":\"RW\",\"draw\":2},{\"code\":\"WT\",\"draw\":1}],"
	"\"shuffle_items\":true,\"shuffle_options\":true}";

/* P01..P08: P06 disqualified, P07 never starts, P08 on the second track; P05 leaves everything blank, P02 its first question. */
static const char cands_csv[] = "registration_no,name,track\n"
				"P01,Satu,umum\nP02,Dua,umum\nP03,Tiga,umum\nP04,Empat,umum\n"
				"P05,Lima,umum\nP06,Enam,umum\nP07,Tujuh,umum\nP08,Delapan,khusus\n";

static const char *const item_codes[6] = { "R1", "R2", "R3", "R4", "W1", "W2" };
static const int item_key[6] = { 0, 1, 2, 3, -1, -1 };
static const int w_points[2][3] = { { 1, 2, 3 }, { 3, 0, 1 } };

/* The bank option candidate k (1-based) chooses on bank item code index b:
 * (k + b) mod the options. */
static int want_option(int k, int b)
{
	return (k + b) % (b < 4 ? 4 : 3);
}

static int want_points(int b, int opt)
{
	if (opt < 0)
		return 0;
	if (b < 4)
		return opt == item_key[b] ? 4 : -1;
	return w_points[b - 4][opt];
}

static int code_index(const char *code)
{
	for (int b = 0; b < 6; b++)
		if (strcmp(code, item_codes[b]) == 0)
			return b;
	fail_msg("unknown item %s", code);
	return -1;
}

struct fx {
	char dir[64], path[128];
	sqlite3 *db;
	int64_t bank_id, exam_id, exam2_id;
	int64_t cand_of_k[9];   /* candidates.id of P0k */
	int64_t paper_item[9][5]; /* items.id at each question of P0k's paper */
	int64_t start1;          /* P01's start */
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int64_t q1(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Replay P01..P06 (P06 disqualified) through the runtime's operations. */
static void fx_attempts(struct fx *f)
{
	struct registry reg;
	struct loader L;
	struct load_batch lb;
	struct wr_op *ops = NULL, **tail = &ops;
	struct rt_exam *e;
	char err[512] = "", regno[8];

	registry_init(&reg);
	loader_init(&L);
	assert_int_equal(loader_load(&L, f->db, &lb, err, sizeof err), 0);
	loader_merge(&reg, &lb);
	assert_non_null(e = registry_exam(&reg, "EX-AN"));
	for (int k = 1; k <= 8; k++) {
		struct rt_candidate *c;
		int8_t labels[5];
		int64_t start = S + k * 3600000LL;
		snprintf(regno, sizeof regno, "P%02d", k);
		assert_non_null(c = registry_candidate(e, regno));
		assert_int_equal(c->n, 5);
		f->cand_of_k[k] = c->id;
		for (int q = 0; q < 5; q++) {
			char sql[96];
			int b, want;
			f->paper_item[k][q] = c->q[q].item->id;
			snprintf(sql, sizeof sql, "SELECT item_code FROM items WHERE id = %lld",
				 (long long)c->q[q].item->id);
			{
				sqlite3_stmt *st;
				assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
				assert_int_equal(sqlite3_step(st), SQLITE_ROW);
				b = code_index((const char *)sqlite3_column_text(st, 0));
				sqlite3_finalize(st);
			}
			want = want_option(k, b);
			labels[q] = -1;
			for (int l = 0; l < c->q[q].n_options; l++)
				if (c->q[q].perm[l] == want)
					labels[q] = (int8_t)l;
			assert_true(labels[q] >= 0);
			if (k == 5 || (k == 2 && q == 0))
				labels[q] = -1;
		}
		if (k == 7)
			continue;
		if (k == 1)
			f->start1 = start;
		attempt_replay(c, labels, start, start + 600000, k == 6 ? FINISH_DISQUALIFIED : FINISH_SUBMITTED,
			       k == 6 ? "joki" : NULL, &tail);
	}
	assert_int_equal(wr_apply_now(f->db, ops, err, sizeof err), 0);
	registry_free(&reg);
	loader_free(&L);
}

static int fx_setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char err[512] = "", p[192];
	uint8_t key[CRED_KEY_LEN] = { 0 };
	struct enrol_result res;
	struct errlist errs;
	FILE *devnull = fopen("/dev/null", "w");
	int64_t cur;

	snprintf(f->dir, sizeof f->dir, "/tmp/uj-adata-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/a.db", f->dir);
	assert_non_null(f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err));
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
	snprintf(p, sizeof p, "%s/bank.json", f->dir);
	write_file(p, bank_json);
	if (catalog_bank_import(f->db, p, devnull, err, sizeof err))
		fail_msg("bank: %s", err);
	snprintf(p, sizeof p, "%s/exam.json", f->dir);
	write_file(p, exam_json);
	if (catalog_exam_create(f->db, p, devnull, err, sizeof err))
		fail_msg("exam: %s", err);
	snprintf(p, sizeof p, "%s/exam2.json", f->dir);
	write_file(p, exam2_json);
	if (catalog_exam_create(f->db, p, devnull, err, sizeof err))
		fail_msg("exam 2: %s", err);
	fclose(devnull);
	errlist_init(&errs, 4);
	if (enrol_import_data(f->db, key, "EX-AN", cands_csv, strlen(cands_csv), &res, &errs)) {
		errlist_first(&errs, err, sizeof err);
		fail_msg("candidates: %s", err);
	}
	enrol_result_free(&res);
	errlist_free(&errs);
	f->bank_id = catalog_bank_id(f->db, "B-AN", &cur);
	f->exam_id = q1(f->db, "SELECT id FROM exams WHERE code = 'EX-AN'");
	f->exam2_id = q1(f->db, "SELECT id FROM exams WHERE code = 'EX-B'");
	fx_attempts(f);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char p[192];
	db_close(f->db);
	snprintf(p, sizeof p, "%s/a.db", f->dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/a.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/a.db-shm", f->dir);
	unlink(p);
	for (const char *n = "bank.json\0exam.json\0exam2.json\0"; *n; n += strlen(n) + 1) {
		snprintf(p, sizeof p, "%s/%s", f->dir, n);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* k (1..8) of a person, from its candidate id. */
static int k_of(const struct fx *f, int64_t cand)
{
	for (int k = 1; k <= 8; k++)
		if (f->cand_of_k[k] == cand)
			return k;
	fail_msg("unknown candidate %lld", (long long)cand);
	return 0;
}

/* The exam scope: who is in, the items in bank order with their scoring,
 * every observation's option in the bank's order and its points, the
 * points summing to the stored section scores. */
static void test_exam_scope(void **state)
{
	struct fx *f = *state;
	struct adata a;
	char err[512] = "";
	double sum[9][2] = { { 0 } };
	int n_obs[9] = { 0 }, seen_item[6] = { 0 };

	if (adata_load(f->db, 0, f->exam_id, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(a.bank_code, "B-AN");
	assert_int_equal(a.bank_id, f->bank_id);
	assert_int_equal(a.bank_version_no, 1);
	assert_int_equal(a.n_exams, 1);
	assert_string_equal(a.exams[0].code, "EX-AN");
	assert_string_equal(a.exams[0].title, "Ujian analisis");
	assert_int_equal(a.exams[0].def->n_rules, 2);
	/* P01-P05 and P08: not the disqualified P06, not the unstarted P07 */
	assert_int_equal(a.d.n_persons, 6);
	assert_int_equal(a.exams[0].n_persons, 6);
	assert_int_equal(a.n_rescored, 0);
	assert_int_equal(a.d.n_sections, 2);
	assert_string_equal(a.d.sections[0].code, "RW");
	assert_string_equal(a.d.sections[0].title, "Benar salah");
	assert_int_equal(a.d.sections[0].right_wrong, 1);
	assert_int_equal(a.d.sections[0].items_per_paper, 3);
	assert_true(a.d.sections[0].max_score == 12);
	assert_string_equal(a.d.sections[1].code, "WT");
	assert_int_equal(a.d.sections[1].right_wrong, 0);
	assert_int_equal(a.d.sections[1].items_per_paper, 2);
	assert_true(a.d.sections[1].max_score == 6); /* 3 + 3 */
	/* every item presented to someone, in bank order within sections */
	for (int i = 0; i < a.d.n_items; i++) {
		const struct ia_item *it = &a.d.items[i];
		int b = code_index(it->item_code);
		assert_true(i == 0 || code_index(a.d.items[i - 1].item_code) < b);
		assert_int_equal(it->section, b < 4 ? 0 : 1);
		assert_int_equal(it->key, item_key[b]);
		assert_int_equal(it->n_options, b < 4 ? 4 : 3);
		for (int o = 0; o < it->n_options; o++)
			assert_true(it->opt_points[o] == want_points(b, o));
		assert_true(it->blank_points == 0);
		assert_true(it->max_points == (b < 4 ? 4 : 3));
		assert_true(it->min_points == (b < 4 ? -1 : b == 4 ? 0 : 0));
		seen_item[b] = 1;
		for (size_t j = 0; j < it->n_obs; j++) {
			const struct ia_obs *o = &it->obs[j];
			int k = k_of(f, a.person_candidate[o->person]);
			int want = k == 5 ? -1 : want_option(k, b);
			if (k == 2 && it->item_id == f->paper_item[2][0])
				want = -1;
			assert_int_equal(o->option, want);
			assert_true(o->points == want_points(b, want));
			sum[k][it->section] += o->points;
			n_obs[k]++;
		}
	}
	for (int b = 0; b < 6; b++)
		assert_true(seen_item[b] || a.d.n_items < 6);
	for (int p = 0; p < a.d.n_persons; p++) {
		int k = k_of(f, a.person_candidate[p]);
		assert_true(k != 6 && k != 7);
		assert_int_equal(n_obs[k], 5);
		assert_int_equal(a.d.persons[p].exam, 0);
		/* the stored scores equal the points summed per section */
		assert_true(a.d.persons[p].section_score[0] == sum[k][0]);
		assert_true(a.d.persons[p].section_score[1] == sum[k][1]);
		assert_true(a.d.persons[p].total == sum[k][0] + sum[k][1]);
		assert_true(isnan(a.d.persons[p].section_score[2]));
		assert_int_equal(a.person_rule[p], k == 8 ? 1 : 0);
		if (k == 5)
			assert_true(a.d.persons[p].total == 0);
	}
	/* replayed attempts carry position events */
	assert_int_equal(a.time_source, ADATA_TIME_POSITION);
	assert_int_equal(a.n_time_position, 6);
	adata_free(&a);
}

/* Time: replayed attempts (position events) account for all their time;
 * without position events the answers' times are used; P01 rewritten
 * with position events and a pause gives the worked dwell times on the
 * items of its paper; the whole set is then "mixed". */
static void test_times(void **state)
{
	struct fx *f = *state;
	struct adata a;
	char err[512] = "", sql[1024];
	int64_t c1 = f->cand_of_k[1], s1 = f->start1;
	int checked = 0;

	/* replayed: the 600 s of each attempt spent on its 5 questions, each
	 * more than 0 (position events) */
	if (adata_load(f->db, 0, f->exam_id, &a, err, sizeof err))
		fail_msg("%s", err);
	{
		int64_t sum3 = 0;
		for (int i = 0; i < a.d.n_items; i++)
			for (size_t j = 0; j < a.d.items[i].n_obs; j++) {
				const struct ia_obs *o = &a.d.items[i].obs[j];
				assert_true(o->time_ms > 0);
				if (k_of(f, a.person_candidate[o->person]) == 3)
					sum3 += o->time_ms, checked++;
			}
		assert_int_equal(checked, 5);
		assert_int_equal(sum3, 600000);
	}
	adata_free(&a);

	/* attempts from before position events (deleted here): estimated from
	 * the answers; P05 answered nothing: unknown */
	assert_int_equal(db_exec(f->db, "DELETE FROM events WHERE kind = 'position'", err, sizeof err), 0);
	if (adata_load(f->db, 0, f->exam_id, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.time_source, ADATA_TIME_ANSWERS);
	checked = 0;
	for (int i = 0; i < a.d.n_items; i++)
		for (size_t j = 0; j < a.d.items[i].n_obs; j++) {
			const struct ia_obs *o = &a.d.items[i].obs[j];
			int k = k_of(f, a.person_candidate[o->person]);
			if (k == 5)
				assert_int_equal(o->time_ms, -1), checked++;
			else if (k == 3)
				assert_true(o->time_ms > 0);
		}
	assert_int_equal(checked, 5);
	adata_free(&a);
	checked = 0;

	/* P01 with position events (the worked example of test_dwell_position) */
	snprintf(sql, sizeof sql,
		 "DELETE FROM events WHERE candidate_id = %lld AND kind = 'answer';"
		 "UPDATE attempts SET finished_at = %lld WHERE candidate_id = %lld;"
		 "INSERT INTO events (at, candidate_id, kind, n) VALUES"
		 " (%lld, %lld, 'position', 2), (%lld, %lld, 'answer', 2), (%lld, %lld, 'paused', NULL),"
		 " (%lld, %lld, 'resumed', NULL), (%lld, %lld, 'position', 3),"
		 " (%lld, %lld, 'position', 1), (%lld, %lld, 'answer', 1)",
		 (long long)c1, (long long)(s1 + 100000), (long long)c1, (long long)(s1 + 10000),
		 (long long)c1, (long long)(s1 + 25000), (long long)c1, (long long)(s1 + 30000),
		 (long long)c1, (long long)(s1 + 50000), (long long)c1, (long long)(s1 + 60000),
		 (long long)c1, (long long)(s1 + 70000), (long long)c1, (long long)(s1 + 80000),
		 (long long)c1);
	assert_int_equal(db_exec(f->db, sql, err, sizeof err), 0);
	if (adata_load(f->db, 0, f->exam_id, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.time_source, ADATA_TIME_MIXED);
	assert_int_equal(a.n_time_position, 1);
	assert_int_equal(a.n_time_answers, 5);
	assert_string_equal(adata_time_source_name(a.time_source), "mixed");
	checked = 0;
	for (int i = 0; i < a.d.n_items; i++)
		for (size_t j = 0; j < a.d.items[i].n_obs; j++) {
			const struct ia_obs *o = &a.d.items[i].obs[j];
			if (a.person_candidate[o->person] != c1)
				continue;
			for (int q = 0; q < 5; q++)
				if (f->paper_item[1][q] == a.d.items[i].item_id) {
					assert_int_equal(o->time_ms, dwell_pos_want[q]);
					checked++;
				}
		}
	assert_int_equal(checked, 5);
	adata_free(&a);
}

/* The bank scope reads every exam of the bank (EX-B: none finished); an
 * exam of another bank is refused; an unknown bank is an error. */
static void test_bank_scope(void **state)
{
	struct fx *f = *state;
	struct adata a;
	char err[512] = "";

	if (adata_load(f->db, f->bank_id, 0, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.n_exams, 2);
	assert_string_equal(a.exams[0].code, "EX-AN");
	assert_string_equal(a.exams[1].code, "EX-B");
	assert_int_equal(a.exams[0].n_persons, 6);
	assert_int_equal(a.exams[1].n_persons, 0);
	assert_int_equal(a.d.n_persons, 6);
	assert_int_equal(a.d.sections[0].items_per_paper, 3); /* the larger draw */
	adata_free(&a);

	/* an exam without finished attempts: empty, not an error */
	if (adata_load(f->db, f->bank_id, f->exam2_id, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.n_exams, 1);
	assert_int_equal(a.d.n_persons, 0);
	assert_int_equal(a.d.n_items, 0);
	assert_int_equal(a.time_source, ADATA_TIME_NONE);
	adata_free(&a);

	assert_int_equal(adata_load(f->db, f->bank_id + 100, 0, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "no such bank"));
	assert_int_equal(adata_load(f->db, f->bank_id + 100, f->exam_id, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not draw from this bank"));
	assert_int_equal(adata_load(f->db, 0, f->exam_id + 100, &a, err, sizeof err), -1);
	assert_non_null(strstr(err, "no such exam"));
	/* the connection is left outside a transaction */
	assert_int_equal(sqlite3_get_autocommit(f->db), 1);
}

/* A stored score that the answers do not give is kept (it decided the
 * result) and counted. */
static void test_rescored_counted(void **state)
{
	struct fx *f = *state;
	struct adata a;
	char err[512] = "", sql[256];
	int64_t c3 = f->cand_of_k[3];

	snprintf(sql, sizeof sql,
		 "UPDATE attempts SET scores_json = replace(scores_json, '\"code\":\"WT\",\"score\":',"
		 " '\"code\":\"WT\",\"score\":1') WHERE candidate_id = %lld",
		 (long long)c3);
	assert_int_equal(db_exec(f->db, sql, err, sizeof err), 0);
	if (adata_load(f->db, 0, f->exam_id, &a, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(a.n_rescored, 1);
	adata_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dwell_position),
		cmocka_unit_test(test_dwell_answers),
		cmocka_unit_test(test_dwell_paused_at_finish),
		cmocka_unit_test_setup_teardown(test_exam_scope, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_times, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bank_scope, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rescored_counted, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
