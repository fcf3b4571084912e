/* test_personnel.c - SKP ratings and sanctions (server/selection/personnel.c):
 * imports with every bad record reported and nothing applied, upserts, the
 * spelled and coded forms, single entries, the audit events. */
#include "unit.h"

#include "sel_fx.h"

#include "core/errlist.h"
#include "selection/employee.h"
#include "selection/personnel.h"

#include <string.h>

#define E1 "198503122010011002"
#define E2 "199602292020122001"
#define NOBODY "197001011995031001"

static const struct actor who = { ACTOR_STAFF, 7 };

static void seed(struct sel_fx *f)
{
	const char *csv = "nip,nama,golongan,jenis_jabatan\n" E1 ",Budi,III/c,fungsional\n" E2
			  ",Siti,IV/a,administrator\n";
	struct emp_import_result res;
	struct errlist errs;
	sel_fx_open(f);
	errlist_init(&errs, 0);
	assert_int_equal(employee_import(f->db, csv, strlen(csv), who, 1, &res, &errs), 0);
	errlist_free(&errs);
}

static const struct errlist_entry *find_err(const struct errlist *errs, int line,
					    const char *field)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->v[i].line == line && strcmp(errs->v[i].field, field) == 0)
			return &errs->v[i];
	return NULL;
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(skp_parse("Sangat Baik"), SKP_SANGAT_BAIK);
	assert_int_equal(skp_parse("sangat_baik"), SKP_SANGAT_BAIK);
	assert_int_equal(skp_parse("BUTUH PERBAIKAN"), SKP_BUTUH_PERBAIKAN);
	assert_int_equal(skp_parse("baik"), SKP_BAIK);
	assert_int_equal(skp_parse("Sangat-Kurang"), SKP_SANGAT_KURANG);
	assert_int_equal(skp_parse("bagus"), -1);
	assert_int_equal(skp_parse(""), -1);
	assert_int_equal(sanction_level_parse("Ringan"), SANCTION_LIGHT);
	assert_int_equal(sanction_level_parse("sedang"), SANCTION_MODERATE);
	assert_int_equal(sanction_level_parse("HEAVY"), SANCTION_HEAVY);
	assert_int_equal(sanction_level_parse("berat sekali"), -1);
}

static void test_skp_import(void **state)
{
	struct sel_fx f;
	struct personnel_result res;
	struct errlist errs;
	const struct errlist_entry *e;
	const char *good = "\xEF\xBB\xBFnip;tahun;predikat\r\n" E1 ";2025;Sangat Baik\r\n" E1
			   ";2026;baik\r\n" E2 ";2026;Butuh Perbaikan\r\n";
	const char *bad = "NIP,Year,Rating\n" E1 ",2025,Baik\n"  /* 2: fine */
			  E1 ",1999,Baik\n"                        /* 3: year */
			  E2 ",2026,Bagus\n"                       /* 4: predikat */
			  NOBODY ",2026,Baik\n"                    /* 5: not in the registry */
			  E1 ",2025,Kurang\n"                      /* 6: twice */
			  "12345,2026,Baik\n";                     /* 7: NIP */
	(void)state;

	seed(&f);
	errlist_init(&errs, 0);
	assert_int_equal(skp_import(f.db, good, strlen(good), who, 5, &res, &errs), 0);
	assert_int_equal(res.created, 3);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM skp"), 3);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM skp WHERE predikat = 'butuh_perbaikan'"),
			 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM events WHERE kind = 'skp_recorded'"
					  " AND actor_id = 7"),
			 1);

	/* syntax errors first: nothing reaches the transaction */
	assert_int_equal(skp_import(f.db, bad, strlen(bad), who, 6, &res, &errs), -1);
	assert_null(find_err(&errs, 2, "NIP"));
	assert_non_null(find_err(&errs, 3, "Year"));
	assert_non_null(find_err(&errs, 4, "Rating"));
	assert_non_null(e = find_err(&errs, 6, "Year"));
	assert_non_null(strstr(e->message, "line 2"));
	assert_non_null(find_err(&errs, 7, "NIP"));
	assert_int_equal(errs.total, 4);
	errlist_free(&errs);

	/* a well-formed file with an unknown NIP: refused in the transaction */
	errlist_init(&errs, 0);
	{
		const char *unk = "nip,tahun,predikat\n" E1 ",2025,Kurang\n" NOBODY ",2026,Baik\n";
		assert_int_equal(skp_import(f.db, unk, strlen(unk), who, 7, &res, &errs), -1);
		assert_non_null(e = find_err(&errs, 3, "nip"));
		assert_non_null(strstr(e->message, "registry"));
		assert_int_equal(errs.total, 1);
	}
	/* nothing applied: 2025 still Sangat Baik */
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM skp WHERE year = 2025 AND"
					  " predikat = 'sangat_baik'"),
			 1);
	errlist_free(&errs);

	/* single entry: update, then the same again */
	errlist_init(&errs, 0);
	assert_int_equal(skp_set(f.db, E1, 2025, "Kurang", who, 8, &res, &errs), 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(skp_set(f.db, E1, 2025, "kurang", who, 9, &res, &errs), 0);
	assert_int_equal(res.unchanged, 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM skp WHERE year = 2025 AND"
					  " predikat = 'kurang'"),
			 1);
	assert_int_equal(skp_set(f.db, NOBODY, 2025, "baik", who, 9, &res, &errs), -1);
	assert_int_equal(skp_set(f.db, E1, 1990, "amat baik", who, 9, &res, &errs), -1);
	assert_non_null(find_err(&errs, 0, "year"));
	assert_non_null(find_err(&errs, 0, "predikat"));
	errlist_free(&errs);
	sel_fx_close(&f);
}

static void test_sanctions(void **state)
{
	struct sel_fx f;
	struct personnel_result res;
	struct errlist errs;
	struct sanction_in in = { E2, "Teguran tertulis", "ringan", "2025-06-01", "" };
	const char *csv = "nip,jenis,tingkat,tanggal,keterangan\n" E1
			  ",Penurunan jabatan,berat,15/01/2025,\"Putusan PPK, nomor 12\"\n" E1
			  ",Teguran lisan,Light,2024-03-02,\n";
	const char *bad = "nip,jenis,tingkat,tanggal\n" E1 ",,sedang,2025-01-01\n" E1
			  ",Teguran,keras,2025-02-30\n" E1 ",Teguran,ringan,2025-01-01\n" E1
			  ",Teguran,ringan,2025-01-01\n";
	(void)state;

	seed(&f);
	errlist_init(&errs, 0);
	assert_int_equal(sanction_import(f.db, csv, strlen(csv), who, 5, &res, &errs), 0);
	assert_int_equal(res.created, 2);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM sanctions WHERE level = 'heavy'"
					  " AND date = '2025-01-15' AND note = 'Putusan PPK, nomor 12'"),
			 1);
	/* the same file again adds nothing */
	assert_int_equal(sanction_import(f.db, csv, strlen(csv), who, 6, &res, &errs), 0);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.unchanged, 2);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM sanctions"), 2);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM events WHERE kind = 'sanctions_recorded'"),
			 2);

	assert_int_equal(sanction_import(f.db, bad, strlen(bad), who, 7, &res, &errs), -1);
	assert_non_null(find_err(&errs, 2, "jenis"));
	assert_non_null(find_err(&errs, 3, "tingkat"));
	assert_non_null(find_err(&errs, 3, "tanggal"));
	assert_non_null(find_err(&errs, 5, ""));
	assert_int_equal(errs.total, 4);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM sanctions"), 2);
	errlist_free(&errs);

	errlist_init(&errs, 0);
	assert_int_equal(sanction_add(f.db, &in, who, 8, &res, &errs), 0);
	assert_int_equal(res.created, 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM sanctions s JOIN employees e ON"
					  " e.id = s.employee_id WHERE e.nip = '" E2 "' AND level = 'light'"),
			 1);
	in.level = "parah";
	in.date = "kemarin";
	assert_int_equal(sanction_add(f.db, &in, who, 9, &res, &errs), -1);
	assert_non_null(find_err(&errs, 0, "level"));
	assert_non_null(find_err(&errs, 0, "date"));
	errlist_free(&errs);
	sel_fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_skp_import),
		cmocka_unit_test(test_sanctions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
