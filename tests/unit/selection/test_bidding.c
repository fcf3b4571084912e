/* test_bidding.c - open-bidding selections in a real (temporary) database
 * (server/selection/bidding*.c): set-up, the applicants CSV all or nothing,
 * members' scores with reasons and audit events, gates, the assessment from
 * an exam by registration number and by NIP (total and one section), the
 * PPK's choice and closing. */
#include "unit.h"

#include "auth/principal.h"
#include "selection/bidding.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx {
	char path[64];
	sqlite3 *db;
	struct bid_who admin, ketua, anggota, luar;
	struct errlist errs;
	struct bid_result r;
};

static void fx_sql(struct fx *f, const char *sql)
{
	char err[256];
	if (db_exec(f->db, sql, err, sizeof err))
		fail_msg("%s: %s", sql, err);
}

static int64_t fx_int(struct fx *f, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void fx_reset(struct fx *f)
{
	errlist_free(&f->errs);
	errlist_init(&f->errs, 0);
	memset(&f->r, 0, sizeof f->r);
	f->r.errs = &f->errs;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->path, sizeof f->path, "/tmp/ujian-test-bidding-%d.db", (int)getpid());
	unlink(f->path);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
	/* staff: 1 admin, 2 ketua, 3 anggota, 4 luar (committee, not a member), 5 penulis */
	fx_sql(f, "INSERT INTO staff (id, username, name, roles, pw_hash, created_at, pw_changed_at)"
		  " VALUES (1, 'adm', 'Admin', 1, 'x', 0, 0), (2, 'ketua', 'Ketua', 8, 'x', 0, 0),"
		  " (3, 'anggota', 'Anggota', 8, 'x', 0, 0), (4, 'luar', 'Luar', 8, 'x', 0, 0),"
		  " (5, 'penulis', 'Penulis', 2, 'x', 0, 0)");
	fx_sql(f, "INSERT INTO employees (id, nip, name, grade, position_type, birth_date,"
		  " created_at, updated_at) VALUES (1, '198503122010011002', 'Budi', 'IV/b',"
		  " 'administrator', '1985-03-12', 0, 0), (2, '197901152005011003', 'Rina', 'IV/a',"
		  " 'administrator', '1979-01-15', 0, 0)");
	/* exam EX (sections A max 40, B max 60) with three candidates:
	 * R1 finished 70/100 (A 30, B 40); R2 = Rina by NIP, finished 45/100
	 * (A 20, B 25); R3 disqualified */
	fx_sql(f, "INSERT INTO banks (id, code) VALUES (1, 'B');"
		  "INSERT INTO exams (id, code, bank_id, definition_json, created_at)"
		  " VALUES (1, 'EX', 1, '{}', 0);"
		  "INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s,"
		  " pw_hash, created_at, nip) VALUES (1, 1, 'R1', 'Sari', 'umum', 0, x'00', 0, NULL),"
		  " (2, 1, 'R2', 'Rina', 'umum', 0, x'00', 0, '197901152005011003'),"
		  " (3, 1, 'R3', 'Curang', 'umum', 0, x'00', 0, NULL);"
		  "INSERT INTO attempts (candidate_id, status, started_at, finished_at, finish_reason,"
		  " scores_json, total) VALUES"
		  " (1, 'finished', 0, 1, 'submitted',"
		  "  '[{\"code\":\"A\",\"score\":30,\"max\":40},{\"code\":\"B\",\"score\":40,\"max\":60}]', 70),"
		  " (2, 'finished', 0, 1, 'time_up',"
		  "  '[{\"code\":\"A\",\"score\":20,\"max\":40},{\"code\":\"B\",\"score\":25,\"max\":60}]', 45),"
		  " (3, 'finished', 0, 1, 'disqualified',"
		  "  '[{\"code\":\"A\",\"score\":40,\"max\":40},{\"code\":\"B\",\"score\":60,\"max\":60}]', 100)");
	f->admin = (struct bid_who){ { ACTOR_STAFF, 1 }, ROLE_ADMIN };
	f->ketua = (struct bid_who){ { ACTOR_STAFF, 2 }, ROLE_COMMITTEE };
	f->anggota = (struct bid_who){ { ACTOR_STAFF, 3 }, ROLE_COMMITTEE };
	f->luar = (struct bid_who){ { ACTOR_STAFF, 4 }, ROLE_COMMITTEE };
	errlist_init(&f->errs, 0);
	fx_reset(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	errlist_free(&f->errs);
	db_close(f->db);
	unlink(f->path);
	free(f);
	return 0;
}

/* Create selection code: asesmen fed from EX (section sec, NULL = total). */
static void fx_create(struct fx *f, const char *code, const char *sec)
{
	json_t *b = json_pack(
		"{s:s,s:s,s:{s:[{s:s},{s:s,s:i,s:{s:s,s:s?}},{s:s,s:i}]},s:[{s:s,s:s},{s:s}],"
		"s:[{s:s,s:s}]}",
		"code", code, "name", "Uji", "config", "stages", "code", "administrasi", "code",
		"asesmen", "weight", 40, "source", "exam", "EX", "section", sec, "code", "wawancara",
		"weight", 60, "members", "username", "ketua", "role", "chair", "username", "anggota",
		"vacancies", "code", "V1", "position", "Kepala Dinas");
	fx_reset(f);
	bid_selection_create(f->db, b, &f->admin, 1000, &f->r);
	json_decref(b);
	assert_int_equal(f->r.status, BID_OK);
}

static int64_t fx_app(struct fx *f, const char *name)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM applicants WHERE name = '%s'", name);
	return fx_int(f, sql);
}

static enum bid_status fx_score(struct fx *f, const struct bid_who *w, const char *sel,
				int64_t app, const char *stage, double v, const char *reason)
{
	json_t *b = json_pack("{s:I,s:s,s:f}", "applicant", (json_int_t)app, "stage", stage, "score", v);
	if (reason)
		json_object_set_new(b, "reason", json_string(reason));
	fx_reset(f);
	bid_score(f->db, sel, b, w, 2000, &f->r);
	json_decref(b);
	return f->r.status;
}

static void test_roles_agree(void **state)
{
	(void)state;
	/* bidding.h names these bits without including auth/ */
	assert_int_equal(BID_ROLE_ADMIN, ROLE_ADMIN);
	assert_int_equal(BID_ROLE_COMMITTEE, ROLE_COMMITTEE);
}

static void test_import_all_or_nothing(void **state)
{
	struct fx *f = *state;
	static const char bad[] =
		"\xEF\xBB\xBFlowongan;jenis;nip;nik;nama;asal;ujian;no_peserta\r\n"
		"V1;eksternal;;3201011203850001;Sari;PT A;EX;R1\r\n"
		"V2;eksternal;;3201011203850002;Dodi;PT B;;\r\n"
		"V1;internal;198503122010011099;;;;;\r\n"
		"V1;eksternal;;32010112;Eko;PT C;EX;NOPE\r\n";
	static const char good[] =
		"lowongan,jenis,nip,nik,nama,asal,ujian,no_peserta\n"
		"V1,eksternal,,3201011203850001,Sari,PT A,EX,R1\n"
		"V1,internal,197901152005011003,,,,,\n"
		"V1,eksternal,,3201011203850003,Curang,PT C,EX,R3\n"
		"V1,internal,198503122010011002,,,,,\n";
	int lines[8] = { 0 };
	fx_create(f, "IMP", NULL);
	fx_reset(f);
	bid_applicants_import(f->db, "IMP", bad, sizeof bad - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_INVALID);
	for (size_t i = 0; i < f->errs.n; i++)
		lines[f->errs.v[i].line < 8 ? f->errs.v[i].line : 0]++;
	assert_int_equal(lines[2], 0);     /* the good row */
	assert_true(lines[3] >= 1);        /* V2 */
	assert_true(lines[4] >= 1);        /* unknown NIP */
	assert_true(lines[5] >= 2);        /* short NIK, unknown registration number */
	assert_int_equal(fx_int(f, "SELECT count(*) FROM applicants"), 0);
	fx_reset(f);
	bid_applicants_import(f->db, "IMP", good, sizeof good - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_OK);
	assert_int_equal(f->r.created, 4);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE kind = 'selection_applicants'"),
			 1);
	/* an unknown selection */
	fx_reset(f);
	bid_applicants_import(f->db, "NOPE", good, sizeof good - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_NOT_FOUND);
}

static void test_scores_audit_exam_close(void **state)
{
	struct fx *f = *state;
	static const char csv[] = "lowongan;jenis;nip;nik;nama;asal;ujian;no_peserta\n"
				  "V1;eksternal;;3201011203850001;Sari;PT A;EX;R1\n"
				  "V1;internal;197901152005011003;;;;;\n"
				  "V1;eksternal;;3201011203850003;Curang;PT C;EX;R3\n";
	enum bid_status st;
	char err[256];
	json_t *v, *a;
	size_t i;
	int64_t sari, rina;

	fx_create(f, "SEL", NULL);
	fx_reset(f);
	bid_applicants_import(f->db, "SEL", csv, sizeof csv - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_OK);
	sari = fx_app(f, "Sari");
	rina = fx_app(f, "Rina"); /* the name from the registry */
	assert_true(sari > 0 && rina > 0);
	/* who may enter */
	assert_int_equal(fx_score(f, &f->luar, "SEL", sari, "wawancara", 80, NULL), BID_NOT_MEMBER);
	assert_int_equal(fx_score(f, &f->admin, "SEL", sari, "wawancara", 80, NULL), BID_NOT_MEMBER);
	assert_int_equal(fx_score(f, &f->ketua, "NOPE", sari, "wawancara", 80, NULL), BID_NOT_FOUND);
	/* the exam-fed stage takes no entries */
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "asesmen", 80, NULL), BID_INVALID);
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "wawancara", 80, NULL), BID_OK);
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "wawancara", 84, NULL), BID_INVALID);
	assert_string_equal(f->errs.v[0].field, "reason");
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "wawancara", 84, "salah ketik"), BID_OK);
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "wawancara", 84, NULL), BID_OK);
	assert_int_equal(f->r.updated, 0); /* the same again: no change, no event */
	assert_int_equal(fx_score(f, &f->anggota, "SEL", sari, "wawancara", 90, NULL), BID_OK);
	assert_int_equal(fx_score(f, &f->ketua, "SEL", rina, "wawancara", 70, NULL), BID_OK);
	assert_int_equal(fx_score(f, &f->anggota, "SEL", rina, "wawancara", 70, NULL), BID_OK);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE kind = 'selection_score'"), 5);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM events WHERE kind = 'selection_score'"
				   " AND json_extract(detail, '$.old') = 80"
				   " AND json_extract(detail, '$.new') = 84"
				   " AND json_extract(detail, '$.reason') = 'salah ketik'"
				   " AND actor_kind = 'staff' AND actor_id = 2"),
			 1);
	/* gates: administration passed for both */
	for (int k = 0; k < 2; k++) {
		json_t *b = json_pack("{s:I,s:s,s:b}", "applicant", (json_int_t)(k ? rina : sari),
				      "stage", "administrasi", "passed", 1);
		fx_reset(f);
		bid_gate(f->db, "SEL", b, &f->anggota, 2500, &f->r);
		json_decref(b);
		assert_int_equal(f->r.status, BID_OK);
	}
	v = bid_vacancy_json(f->db, "SEL", "V1", 2, &st, err, sizeof err);
	assert_non_null(v);
	json_array_foreach(json_object_get(v, "applicants"), i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		json_t *as = json_object_get(json_object_get(a, "stages"), "asesmen");
		if (strcmp(name, "Sari") == 0) {
			/* asesmen R1 70/100 -> 70; wawancara (84 + 90) / 2 = 87
			 * final .4*70 + .6*87 = 28 + 52.2 = 80.2 */
			assert_true(json_real_value(json_object_get(as, "score")) == 70);
			assert_true(json_real_value(json_object_get(a, "final")) == 80.2);
			assert_int_equal(json_integer_value(json_object_get(a, "rank")), 1);
		} else if (strcmp(name, "Rina") == 0) {
			/* by NIP: R2 45/100 -> 45; final .4*45 + .6*70 = 18 + 42 = 60 */
			assert_true(json_real_value(json_object_get(as, "score")) == 45);
			assert_true(json_real_value(json_object_get(a, "final")) == 60);
			assert_int_equal(json_integer_value(json_object_get(a, "rank")), 2);
		} else {
			/* disqualified: no score, not ranked */
			assert_true(json_is_null(json_object_get(as, "score")));
			assert_string_equal(json_string_value(json_object_get(as, "exam_state")),
					    "disqualified");
			assert_true(json_is_null(json_object_get(a, "rank")));
		}
	}
	json_decref(v);
	/* the PPK: rank 2 needs a note; only the chair or an admin */
	{
		json_t *b = json_pack("{s:I}", "applicant", (json_int_t)rina);
		fx_reset(f);
		bid_ppk(f->db, "SEL", "V1", b, &f->anggota, 3000, &f->r);
		assert_int_equal(f->r.status, BID_FORBIDDEN);
		fx_reset(f);
		bid_ppk(f->db, "SEL", "V1", b, &f->ketua, 3000, &f->r);
		assert_int_equal(f->r.status, BID_INVALID);
		assert_string_equal(f->errs.v[0].field, "note");
		json_object_set_new(b, "note", json_string("lebih sesuai"));
		fx_reset(f);
		bid_ppk(f->db, "SEL", "V1", b, &f->ketua, 3000, &f->r);
		assert_int_equal(f->r.status, BID_OK);
		json_decref(b);
		assert_int_equal(fx_int(f, "SELECT ppk_applicant_id FROM vacancies"), rina);
	}
	/* closing freezes */
	fx_reset(f);
	bid_close(f->db, "SEL", &f->anggota, 4000, &f->r);
	assert_int_equal(f->r.status, BID_FORBIDDEN);
	fx_reset(f);
	bid_close(f->db, "SEL", &f->ketua, 4000, &f->r);
	assert_int_equal(f->r.status, BID_OK);
	assert_int_equal(fx_score(f, &f->ketua, "SEL", sari, "wawancara", 99, "x"), BID_CLOSED);
	fx_reset(f);
	bid_close(f->db, "SEL", &f->admin, 4000, &f->r);
	assert_int_equal(f->r.status, BID_CLOSED);
	fx_reset(f);
	bid_applicants_import(f->db, "SEL", csv, sizeof csv - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_CLOSED);
}

/* A stage fed from one section: score / max of that section. */
static void test_exam_section(void **state)
{
	struct fx *f = *state;
	static const char csv[] = "lowongan;jenis;nip;nik;nama;asal;ujian;no_peserta\n"
				  "V1;eksternal;;3201011203850001;Sari;PT A;EX;R1\n";
	enum bid_status st;
	char err[256];
	json_t *v, *as;
	fx_create(f, "SEC", "B");
	fx_reset(f);
	bid_applicants_import(f->db, "SEC", csv, sizeof csv - 1, &f->admin, 1500, &f->r);
	assert_int_equal(f->r.status, BID_OK);
	v = bid_vacancy_json(f->db, "SEC", "V1", 0, &st, err, sizeof err);
	assert_non_null(v);
	as = json_object_get(json_object_get(json_array_get(json_object_get(v, "applicants"), 0),
					     "stages"),
			     "asesmen");
	/* section B: 40 / 60 x 100 = 66.666.. -> 66.67 */
	assert_true(json_real_value(json_object_get(as, "score")) == 66.67);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_agree),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scores_audit_exam_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exam_section, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
