/* test_talent.c - placements computed from the database (server/selection/
 * talent.c, talent_read.c): a section and the total as components, a
 * disqualified attempt, recompute counting only real changes, running in
 * the caller's transaction, closed periods left alone, prev_box, the
 * feeding exams and a candidate's employee. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "selection/talent.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NIP "198503122010011001"

struct fx {
	char dir[64], path[128];
	sqlite3 *db;
};

static void sql(sqlite3 *db, const char *q)
{
	char err[512];
	if (db_exec(db, q, err, sizeof err))
		fail_msg("%s", err);
}

static int64_t one_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *one_text(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st;
	char *v = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256] = "";
	snprintf(f->dir, sizeof f->dir, "/tmp/uj-talent-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
	sql(f->db,
	    "INSERT INTO banks (id, code) VALUES (1, 'TB');"
	    "INSERT INTO exams (id, code, bank_id, definition_json, created_at)"
	    " VALUES (1, 'EX', 1, '{}', 0);"
	    "INSERT INTO employees (id, nip, name, grade, position_type, birth_date, created_at,"
	    " updated_at) VALUES (1, '" NIP "', 'Ayu', 'IV/a', 'fungsional', '1985-03-12', 0, 0);"
	    "INSERT INTO skp VALUES (1, 2026, 'sangat_baik', 0), (1, 2025, 'sangat_baik', 0);"
	    /* TIU (a section) and the total, half each */
	    "INSERT INTO talent_periods (id, code, name, config_json, created_at) VALUES (1, 'P1',"
	    " 'Satu', '{\"components\":[{\"code\":\"tiu\",\"kind\":\"exam\",\"exam\":\"EX\","
	    "\"section\":\"TIU\",\"weight\":50},{\"code\":\"tot\",\"kind\":\"exam\",\"exam\":\"EX\","
	    "\"weight\":50}],\"reference_date\":\"2026-12-31\"}', 1000);"
	    /* a disqualified attempt with full marks */
	    "INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s,"
	    " pw_hash, created_at, nip) VALUES (1, 1, 'R1', 'Ayu', 'umum', 0, x'00', 0, '" NIP "');"
	    "INSERT INTO attempts (candidate_id, status, started_at, finished_at, finish_reason,"
	    " scores_json, total) VALUES (1, 'finished', 0, 5000, 'disqualified',"
	    " '[{\"code\":\"TWK\",\"score\":20,\"max\":20},{\"code\":\"TIU\",\"score\":20,"
	    "\"max\":20},{\"code\":\"TKP\",\"score\":20,\"max\":20}]', 60);");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[160];
	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A second attempt (another registration with the same NIP), not
 * disqualified: TIU 15/20 (75), total 30/60 (50). */
static void add_good_attempt(sqlite3 *db)
{
	sql(db, "INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s,"
		" pw_hash, created_at, nip) VALUES (2, 1, 'R2', 'Ayu', 'umum', 0, x'00', 0, '" NIP "');"
		"INSERT INTO attempts (candidate_id, status, started_at, finished_at, finish_reason,"
		" scores_json, total) VALUES (2, 'finished', 0, 4000, 'submitted',"
		" '[{\"code\":\"TWK\",\"score\":10,\"max\":20},{\"code\":\"TIU\",\"score\":15,"
		"\"max\":20},{\"code\":\"TKP\",\"score\":5,\"max\":20}]', 30);");
}

static void test_disqualified_then_section_and_total(void **state)
{
	struct fx *f = *state;
	char err[256] = "", *detail;
	assert_int_equal(talent_recompute(f->db, 0, 0, 1, err, sizeof err), 1);
	/* The disqualified attempt is no result. */
	assert_int_equal(one_int(f->db, "SELECT box FROM placements"), -2);
	detail = one_text(f->db, "SELECT reason FROM placements");
	assert_string_equal(detail, "disqualified");
	free(detail);
	add_good_attempt(f->db);
	assert_int_equal(talent_recompute(f->db, 1, 1, 2, err, sizeof err), 1);
	/* 75 x 0.5 + 50 x 0.5 = 62.5: low; above -> box 4. */
	assert_int_equal(one_int(f->db, "SELECT potential * 10 FROM placements"), 625);
	assert_int_equal(one_int(f->db, "SELECT box FROM placements"), 4);
	detail = one_text(f->db, "SELECT json_extract(detail_json, '$.components[0]."
				 "registration_no') FROM placements");
	assert_string_equal(detail, "R2");
	free(detail);
	/* Nothing changed: nothing counted, nothing rewritten. */
	assert_int_equal(talent_recompute(f->db, 0, 0, 3, err, sizeof err), 0);
	assert_int_equal(one_int(f->db, "SELECT updated_at FROM placements"), 2);
}

static void test_inside_callers_transaction(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	add_good_attempt(f->db);
	assert_int_equal(talent_recompute(f->db, 0, 0, 1, err, sizeof err), 1);
	sql(f->db, "BEGIN IMMEDIATE; UPDATE skp SET predikat = 'kurang' WHERE year = 2026");
	assert_int_equal(talent_recompute(f->db, 0, 1, 2, err, sizeof err), 1);
	assert_int_equal(one_int(f->db, "SELECT box FROM placements"), 1); /* below, low */
	sql(f->db, "ROLLBACK");
	assert_int_equal(one_int(f->db, "SELECT box FROM placements"), 4);
}

static void test_closed_period_untouched(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	add_good_attempt(f->db);
	assert_int_equal(talent_recompute(f->db, 0, 0, 1, err, sizeof err), 1);
	sql(f->db, "UPDATE talent_periods SET closed_at = 5;"
		   "UPDATE skp SET predikat = 'kurang' WHERE year = 2026");
	assert_int_equal(talent_recompute(f->db, 0, 0, 2, err, sizeof err), 0);
	assert_int_equal(talent_recompute(f->db, 1, 0, 2, err, sizeof err), 0);
	assert_int_equal(one_int(f->db, "SELECT box FROM placements"), 4);
}

static void test_reads(void **state)
{
	struct fx *f = *state;
	char err[256] = "", **codes = NULL;
	size_t n = 0;
	int64_t emp = -1;
	json_t *g, *row;
	add_good_attempt(f->db);
	/* A second period created later: Ayu's box there, 4 in P1 before. */
	sql(f->db, "INSERT INTO talent_periods (id, code, name, config_json, created_at)"
		   " SELECT 2, 'P2', 'Dua', config_json, 2000 FROM talent_periods WHERE id = 1");
	assert_int_equal(talent_recompute(f->db, 0, 0, 1, err, sizeof err), 2);
	g = talent_period_json(f->db, "P2", TALENT_LANG_ID, err, sizeof err);
	assert_non_null(g);
	assert_string_equal(json_string_value(json_object_get(json_object_get(g, "period"),
							      "previous")),
			    "P1");
	row = json_array_get(json_object_get(g, "employees"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "box")), 4);
	assert_int_equal(json_integer_value(json_object_get(row, "prev_box")), 4);
	json_decref(g);
	g = talent_period_json(f->db, "P1", TALENT_LANG_ID, err, sizeof err);
	row = json_array_get(json_object_get(g, "employees"), 0);
	assert_true(json_is_null(json_object_get(row, "prev_box")));
	json_decref(g);
	assert_null(talent_period_json(f->db, "NOPE", TALENT_LANG_ID, err, sizeof err));
	assert_non_null(strstr(err, "no such period"));
	/* The feeding exams (once, though two periods read it). */
	assert_int_equal(talent_feeding_exams(f->db, &codes, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(codes[0], "EX");
	talent_strings_free(codes, n);
	assert_int_equal(talent_candidate_employee(f->db, 2, &emp, err, sizeof err), 0);
	assert_int_equal(emp, 1);
	sql(f->db, "UPDATE candidates SET nip = NULL WHERE id = 2");
	assert_int_equal(talent_candidate_employee(f->db, 2, &emp, err, sizeof err), 0);
	assert_int_equal(emp, 0);
}

static void test_reason_text(void **state)
{
	struct fx *f = *state;
	char err[256] = "", buf[512], *code, *detail;
	add_good_attempt(f->db);
	sql(f->db, "INSERT INTO sanctions (employee_id, type, level, date, created_at)"
		   " VALUES (1, 'Penurunan jabatan', 'heavy', '2026-01-15', 0);"
		   "DELETE FROM skp");
	assert_int_equal(talent_recompute(f->db, 0, 0, 1, err, sizeof err), 1);
	code = one_text(f->db, "SELECT reason FROM placements");
	detail = one_text(f->db, "SELECT detail_json FROM placements");
	assert_string_equal(code, "no_skp");
	talent_reason_text(code, detail, TALENT_LANG_ID, buf, sizeof buf);
	assert_string_equal(buf, "Tidak ada SKP tahun 2025-2026; Hukuman disiplin tingkat berat"
				 " (Penurunan jabatan, 2026-01-15) dalam 2 tahun sebelum 2026-12-31:"
				 " tidak masuk kelompok talenta");
	talent_reason_text(code, detail, TALENT_LANG_EN, buf, sizeof buf);
	assert_non_null(strstr(buf, "A heavy disciplinary sanction"));
	talent_reason_text(NULL, NULL, TALENT_LANG_ID, buf, sizeof buf);
	assert_string_equal(buf, "Belum dihitung");
	free(code);
	free(detail);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_disqualified_then_section_and_total, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inside_callers_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_period_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reason_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
