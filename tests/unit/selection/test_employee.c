/* test_employee.c - the employee registry (server/selection/employee.c)
 * and the personnel CSV reader it uses (server/selection/pcsv.c): upsert by
 * NIP, every bad record reported with line and field and nothing applied,
 * both CSV dialects, both header languages, list, profile, export. */
#include "unit.h"

#include "sel_fx.h"

#include "core/errlist.h"
#include "selection/employee.h"
#include "selection/pcsv.h"

#include <string.h>

#define HDR "nip,nama,golongan,jabatan,jenis_jabatan,unit,instansi,pendidikan,tanggal_lahir\n"
#define E1 "198503122010011002"
#define E2 "199602292020122001"
#define E3 "197001011995031001"

static const struct actor who = { ACTOR_STAFF, 1 };

static int import(sqlite3 *db, const char *csv, struct emp_import_result *res,
		  struct errlist *errs)
{
	return employee_import(db, csv, strlen(csv), who, 1795395500000, res, errs);
}

/* The entry of errs at line with field, or NULL. */
static const struct errlist_entry *find_err(const struct errlist *errs, int line,
					    const char *field)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->v[i].line == line && strcmp(errs->v[i].field, field) == 0)
			return &errs->v[i];
	return NULL;
}

static void test_import_and_upsert(void **state)
{
	struct sel_fx f;
	struct emp_import_result res;
	struct errlist errs;
	(void)state;

	sel_fx_open(&f);
	errlist_init(&errs, 0);
	assert_int_equal(import(f.db,
				HDR E1 ",Budi Santoso,iii/C,Analis SDM,fungsional,BKPSDM,Pemkab Contoh,S1,\n" E2
				   ",Siti Aminah,IV/a,Kepala Bidang,Jabatan Administrator,Bappeda,,S2,1996-02-29\n",
				&res, &errs),
			 0);
	assert_int_equal(errs.total, 0);
	assert_int_equal(res.created, 2);
	assert_int_equal(res.updated, 0);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees"), 2);
	/* canonical grade, type code, birth date from the NIP */
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees WHERE nip = '" E1
					  "' AND grade = 'III/c' AND position_type = 'fungsional'"
					  " AND birth_date = '1985-03-12'"),
			 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees WHERE nip = '" E2
					  "' AND position_type = 'administrator'"),
			 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM events WHERE kind = 'employees_imported'"
					  " AND actor_kind = 'staff' AND actor_id = 1"),
			 1);
	/* again: one changed, one the same, one new */
	assert_int_equal(import(f.db,
				HDR E1 ",Budi Santoso,IV/a,Analis SDM Ahli Madya,fungsional,BKPSDM,Pemkab Contoh,S1,\n" E2
				   ",Siti Aminah,IV/a,Kepala Bidang,administrator,Bappeda,,S2,\n" E3
				   ",Agus,II/b,,pelaksana,,,,\n",
				&res, &errs),
			 0);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees WHERE nip = '" E1
					  "' AND grade = 'IV/a'"),
			 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees"), 3);
	errlist_free(&errs);
	sel_fx_close(&f);
}

static void test_bad_rows_apply_nothing(void **state)
{
	struct sel_fx f;
	struct emp_import_result res;
	struct errlist errs;
	const struct errlist_entry *e;
	(void)state;

	sel_fx_open(&f);
	errlist_init(&errs, 0);
	assert_int_equal(import(f.db,
				HDR E1 ",Budi,III/c,,fungsional,,,,\n"          /* 2: fine */
				"198502302010011002,Ani,III/a,,pelaksana,,,,\n" /* 3: 30 Feb */
				"198503122010013902,Ana,III/e,,kepala,,,,\n"    /* 4: sex, grade, type */
				E2 ",,II/a,,pelaksana,,,,1996-03-01\n"          /* 5: name, birth */
				E1 ",Budi lagi,III/c,,fungsional,,,,\n"         /* 6: twice */
				E3 ",Agus,II/b,pelaksana\n"                     /* 7: short */
				"19850312201001100,X,II/a,,pelaksana,,,,31/02/1985\n", /* 8: length */
				&res, &errs),
			 -1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees"), 0);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM events"), 0);
	assert_null(find_err(&errs, 2, "nip"));
	assert_non_null(e = find_err(&errs, 3, "nip"));
	assert_non_null(strstr(e->message, "birth date"));
	assert_non_null(e = find_err(&errs, 4, "nip"));
	assert_non_null(strstr(e->message, "sex"));
	assert_non_null(find_err(&errs, 4, "golongan"));
	assert_non_null(find_err(&errs, 4, "jenis_jabatan"));
	assert_non_null(find_err(&errs, 5, "nama"));
	assert_non_null(e = find_err(&errs, 5, "tanggal_lahir"));
	assert_non_null(strstr(e->message, "1996-02-29"));
	assert_non_null(e = find_err(&errs, 6, "nip"));
	assert_non_null(strstr(e->message, "line 2"));
	assert_non_null(e = find_err(&errs, 7, ""));
	assert_non_null(strstr(e->message, "fields"));
	assert_non_null(e = find_err(&errs, 8, "nip"));
	assert_non_null(strstr(e->message, "18"));
	assert_int_equal(errs.total, 9);
	errlist_free(&errs);

	/* In Bahasa Indonesia the NIP's wrong part is named in Indonesian. */
	errlist_init(&errs, 0);
	errlist_set_lang(&errs, ERRLIST_ID);
	assert_int_equal(import(f.db, HDR "198503122010013902,Ana,III/a,,pelaksana,,,,\n", &res,
				&errs),
			 -1);
	assert_non_null(e = find_err(&errs, 2, "nip"));
	assert_non_null(strstr(e->message, "jenis kelamin"));
	errlist_free(&errs);

	/* The cap: every error counted, a bounded number kept. */
	errlist_init(&errs, 3);
	assert_int_equal(import(f.db,
				HDR "1,A,x,,y,,,,\n"
				    "2,B,x,,y,,,,\n",
				&res, &errs),
			 -1);
	assert_int_equal(errs.n, 3);
	assert_int_equal(errs.total, 6);
	errlist_free(&errs);
	sel_fx_close(&f);
}

static void test_header_and_dialects(void **state)
{
	struct sel_fx f;
	struct emp_import_result res;
	struct errlist errs;
	const char *semi = "\xEF\xBB\xBFNIP;Name;Grade;Position Type;Birth-Date\r\n"
			   "\"=\"\"" E1 "\"\"\";\"Santoso; Budi\";III/c;JPT Pratama;12/03/1985\r\n";
	(void)state;

	sel_fx_open(&f);
	errlist_init(&errs, 0);
	if (employee_import(f.db, semi, strlen(semi), who, 1, &res, &errs))
		errlist_print(&errs, stderr, "semi");
	assert_int_equal(errs.total, 0);
	assert_int_equal(res.created, 1);
	assert_int_equal(sel_fx_int(f.db, "SELECT count(*) FROM employees WHERE nip = '" E1
					  "' AND name = 'Santoso; Budi' AND position_type = 'jpt'"),
			 1);
	/* header problems: unknown, twice, a required one missing */
	assert_int_equal(import(f.db, "nip,nama,nama,umur\n" E1 ",A,B,3\n", &res, &errs), -1);
	assert_non_null(find_err(&errs, 1, "umur"));
	assert_non_null(find_err(&errs, 1, "nama"));
	assert_non_null(find_err(&errs, 1, "golongan"));
	assert_non_null(find_err(&errs, 1, "jenis_jabatan"));
	errlist_free(&errs);
	errlist_init(&errs, 0);
	assert_int_equal(import(f.db, HDR, &res, &errs), -1);
	assert_int_equal(errs.total, 1);
	assert_int_equal(import(f.db, "", &res, &errs), -1);
	assert_int_equal(errs.total, 2);
	errlist_free(&errs);
	sel_fx_close(&f);
}

static void test_type_and_date_parse(void **state)
{
	char d[11];
	(void)state;
	assert_int_equal(emp_type_parse("JPT"), EMP_JPT);
	assert_int_equal(emp_type_parse("Jabatan Pimpinan Tinggi"), EMP_JPT);
	assert_int_equal(emp_type_parse("jabatan_fungsional"), EMP_FUNGSIONAL);
	assert_int_equal(emp_type_parse("Pengawas"), EMP_PENGAWAS);
	assert_int_equal(emp_type_parse("PELAKSANA"), EMP_PELAKSANA);
	assert_int_equal(emp_type_parse("kepala"), -1);
	assert_int_equal(emp_type_parse(""), -1);
	assert_int_equal(pcsv_date("2024-02-29", d), 0);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(pcsv_date("29/02/2024", d), 0);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(pcsv_date("01-12-2023", d), 0);
	assert_string_equal(d, "2023-12-01");
	assert_int_equal(pcsv_date("2023-02-29", d), -1);
	assert_int_equal(pcsv_date("2023-13-01", d), -1);
	assert_int_equal(pcsv_date("2023/01/01", d), -1);
	assert_int_equal(pcsv_date("2023-1-01", d), -1);
}

static void test_list_profile_export(void **state)
{
	struct sel_fx f;
	struct emp_import_result res;
	struct errlist errs;
	char err[256], *buf = NULL;
	size_t len = 0;
	json_t *j;
	FILE *out;
	(void)state;

	sel_fx_open(&f);
	errlist_init(&errs, 0);
	assert_int_equal(import(f.db,
				HDR E1 ",Budi Santoso,III/c,Analis,fungsional,BKPSDM,Pemkab,S1,\n" E2
				   ",Siti Aminah,IV/a,Kabid,administrator,Bappeda,Pemkab,S2,\n" E3
				   ",=Agus,II/b,,pelaksana,BKPSDM,Pemkab,,\n",
				&res, &errs),
			 0);
	j = employee_list_json(f.db, NULL, NULL, NULL, err, sizeof err);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "employees")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "units")), 2);
	json_decref(j);
	j = employee_list_json(f.db, "siti", NULL, NULL, err, sizeof err);
	assert_int_equal(json_array_size(json_object_get(j, "employees")), 1);
	json_decref(j);
	j = employee_list_json(f.db, "", "BKPSDM", "pelaksana", err, sizeof err);
	assert_int_equal(json_array_size(json_object_get(j, "employees")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(j, "employees"), 0), "nip")),
			    E3);
	json_decref(j);

	j = employee_profile_json(f.db, E2, err, sizeof err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "employee"), "grade")),
			    "IV/a");
	assert_true(json_is_array(json_object_get(j, "skp")));
	assert_true(json_is_array(json_object_get(j, "results")));
	assert_true(json_is_array(json_object_get(j, "placements")));
	json_decref(j);
	assert_null(employee_profile_json(f.db, "199001012015011001", err, sizeof err));
	assert_string_equal(err, "");
	assert_true(employee_id(f.db, E1) > 0);
	assert_int_equal(employee_id(f.db, "199001012015011001"), 0);

	out = open_memstream(&buf, &len);
	assert_int_equal(employee_export_csv(f.db, ';', 0, out, err, sizeof err), 0);
	fclose(out);
	assert_memory_equal(buf, "\xEF\xBB\xBFnip;nama;golongan;", 21);
	assert_non_null(strstr(buf, "=\"\"" E1 "\"\"") ? strstr(buf, "=\"\"" E1 "\"\"")
							: strstr(buf, "=\"" E1 "\""));
	assert_non_null(strstr(buf, ";'=Agus;"));
	assert_non_null(strstr(buf, "\r\n"));
	/* the export imports again, unchanged */
	assert_int_equal(employee_import(f.db, buf, len, who, 2, &res, &errs), 0);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(res.updated, 0);
	free(buf);
	errlist_free(&errs);
	sel_fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_and_upsert),
		cmocka_unit_test(test_bad_rows_apply_nothing),
		cmocka_unit_test(test_header_and_dialects),
		cmocka_unit_test(test_type_and_date_parse),
		cmocka_unit_test(test_list_profile_export),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
