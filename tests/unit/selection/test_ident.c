/* test_ident.c - NIP, NIK and grade checks (server/selection/ident.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "selection/ident.h"

#include <string.h>

static void test_nip_valid(void **state)
{
	char why[128], bd[11];
	(void)state;
	assert_int_equal(nip_check("198503122010011002", why, sizeof why), NIP_OK);
	assert_string_equal(why, "");
	nip_birth_date("198503122010011002", bd);
	assert_string_equal(bd, "1985-03-12");
	assert_int_equal(nip_sex("198503122010011002"), 1);
	assert_int_equal(nip_sex("199602292020122001"), 2); /* leap day */
	assert_int_equal(nip_check("199602292020122001", NULL, 0), NIP_OK);
}

static void test_nip_parts(void **state)
{
	char why[128];
	(void)state;
	assert_int_equal(nip_check("19850312201001100", why, sizeof why), NIP_LENGTH);
	assert_non_null(strstr(why, "18"));
	assert_int_equal(nip_check("1985031220100110021", why, sizeof why), NIP_LENGTH);
	assert_int_equal(nip_check("19850312201001100A", why, sizeof why), NIP_DIGITS);
	assert_int_equal(nip_check("198502302010011002", why, sizeof why), NIP_BIRTH); /* 30 Feb */
	assert_int_equal(nip_check("199702292020122001", why, sizeof why), NIP_BIRTH); /* not leap */
	assert_int_equal(nip_check("198513122010011002", why, sizeof why), NIP_BIRTH);
	assert_non_null(strstr(why, "birth"));
	assert_int_equal(nip_check("198503122010131002", why, sizeof why), NIP_APPOINTMENT);
	assert_int_equal(nip_check("198503121995011002", why, sizeof why), NIP_APPOINTMENT); /* age 9 */
	assert_int_equal(nip_check("198503122000011002", why, sizeof why), NIP_APPOINTMENT); /* age 14 */
	assert_int_equal(nip_check("198503122000031002", why, sizeof why), NIP_OK);          /* 15 */
	assert_int_equal(nip_check("198503122010013002", why, sizeof why), NIP_SEX);
	assert_non_null(strstr(why, "sex"));
	assert_int_equal(nip_check("198503122010011000", why, sizeof why), NIP_SEQUENCE);
	assert_non_null(strstr(nip_fault_id(NIP_SEX), "jenis kelamin"));
	assert_non_null(strstr(nip_fault_id(NIP_BIRTH), "tanggal lahir"));
}

static void test_nik(void **state)
{
	char why[64];
	(void)state;
	assert_true(nik_check("3201011203850001", why, sizeof why));
	assert_false(nik_check("320101120385000", why, sizeof why));
	assert_false(nik_check("32010112038500011", why, sizeof why));
	assert_false(nik_check("32010112038500x1", why, sizeof why));
	assert_false(nik_check("0000000000000000", why, sizeof why));
}

static void test_grade(void **state)
{
	(void)state;
	assert_int_equal(grade_ord("I/a"), 1);
	assert_int_equal(grade_ord("II/d"), 8);
	assert_int_equal(grade_ord("iii/c"), 11);
	assert_int_equal(grade_ord("IV / e"), 17);
	assert_int_equal(grade_ord("IV/f"), -1);
	assert_int_equal(grade_ord("I/e"), -1);
	assert_int_equal(grade_ord(""), -1);
	assert_int_equal(grade_ord(NULL), -1);
	assert_string_equal(grade_name(11), "III/c");
	assert_null(grade_name(0));
	assert_null(grade_name(18));
	assert_true(grade_ord("IV/a") > grade_ord("III/d"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nip_valid),
		cmocka_unit_test(test_nip_parts),
		cmocka_unit_test(test_nik),
		cmocka_unit_test(test_grade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
