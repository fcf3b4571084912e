/* ident.c - NIP, NIK and golongan/ruang checks (include/selection/ident.h). */
#include "selection/ident.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NIP_LEN 18
#define NIK_LEN 16
#define NIP_MIN_YEAR 1900
#define NIP_MAX_YEAR 2099
#define NIP_MIN_AGE 15 /* an appointment before this age is a typo */

static const char *const grade_names[GRADE_ORD_MAX] = {
	"I/a",	 "I/b",	  "I/c",   "I/d",   "II/a",  "II/b", "II/c", "II/d", "III/a",
	"III/b", "III/c", "III/d", "IV/a",  "IV/b",  "IV/c", "IV/d", "IV/e",
};

static const char *const nip_fault_text_id[NIP_FAULT_MAX] = {
	[NIP_OK] = "",
	[NIP_LENGTH] = "NIP harus 18 digit",
	[NIP_DIGITS] = "NIP hanya boleh berisi angka",
	[NIP_BIRTH] = "tanggal lahir (digit 1-8, TTTTBBHH) bukan tanggal yang ada",
	[NIP_APPOINTMENT] = "TMT CPNS (digit 9-14, TTTTBB) bukan bulan yang sah atau sebelum usia 15 tahun",
	[NIP_SEX] = "jenis kelamin (digit 15) harus 1 (laki-laki) atau 2 (perempuan)",
	[NIP_SEQUENCE] = "nomor urut (digit 16-18) tidak boleh 000",
};

/* The number written by n digits at s (all digits, checked by the caller). */
static int digits_val(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

static enum nip_fault nip_fail(enum nip_fault f, char *why, size_t whylen, const char *text)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", text);
	return f;
}

enum nip_fault nip_check(const char *nip, char *why, size_t whylen)
{
	int y, m, d, ay, am;
	if (why && whylen)
		why[0] = '\0';
	if (!nip || strlen(nip) != NIP_LEN)
		return nip_fail(NIP_LENGTH, why, whylen, "a NIP has exactly 18 digits");
	for (int i = 0; i < NIP_LEN; i++)
		if (!isdigit((unsigned char)nip[i]))
			return nip_fail(NIP_DIGITS, why, whylen, "a NIP has digits only");
	y = digits_val(nip, 4);
	m = digits_val(nip + 4, 2);
	d = digits_val(nip + 6, 2);
	if (y < NIP_MIN_YEAR || y > NIP_MAX_YEAR || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return nip_fail(NIP_BIRTH, why, whylen,
				"birth date (digits 1-8, YYYYMMDD) is not a real date");
	ay = digits_val(nip + 8, 4);
	am = digits_val(nip + 12, 2);
	if (ay > NIP_MAX_YEAR || am < 1 || am > 12 || ay * 12 + am < (y + NIP_MIN_AGE) * 12 + m)
		return nip_fail(NIP_APPOINTMENT, why, whylen,
				"appointment (digits 9-14, YYYYMM) is not a valid month at age 15 or more");
	if (nip[14] != '1' && nip[14] != '2')
		return nip_fail(NIP_SEX, why, whylen, "sex (digit 15) must be 1 or 2");
	if (digits_val(nip + 15, 3) == 0)
		return nip_fail(NIP_SEQUENCE, why, whylen, "sequence (digits 16-18) must not be 000");
	return NIP_OK;
}

const char *nip_fault_id(enum nip_fault f)
{
	return f >= 0 && f < NIP_FAULT_MAX ? nip_fault_text_id[f] : "";
}

void nip_birth_date(const char *nip, char out[11])
{
	snprintf(out, 11, "%.4s-%.2s-%.2s", nip, nip + 4, nip + 6);
}

int nip_sex(const char *nip)
{
	return nip[14] - '0';
}

int nik_check(const char *nik, char *why, size_t whylen)
{
	int nonzero = 0;
	if (why && whylen)
		why[0] = '\0';
	if (!nik || strlen(nik) != NIK_LEN) {
		nip_fail(NIP_LENGTH, why, whylen, "a NIK has exactly 16 digits");
		return 0;
	}
	for (int i = 0; i < NIK_LEN; i++) {
		if (!isdigit((unsigned char)nik[i])) {
			nip_fail(NIP_DIGITS, why, whylen, "a NIK has digits only");
			return 0;
		}
		nonzero |= nik[i] != '0';
	}
	if (!nonzero)
		nip_fail(NIP_DIGITS, why, whylen, "a NIK is not all zeros");
	return nonzero;
}

int grade_ord(const char *grade)
{
	char buf[16];
	size_t n = 0;
	if (!grade)
		return -1;
	for (const char *p = grade; *p; p++) {
		if (*p == ' ')
			continue;
		if (n + 1 >= sizeof buf)
			return -1;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	for (int i = 0; i < GRADE_ORD_MAX; i++)
		if (strcasecmp(buf, grade_names[i]) == 0)
			return i + 1;
	return -1;
}

const char *grade_name(int ord)
{
	return ord >= 1 && ord <= GRADE_ORD_MAX ? grade_names[ord - 1] : NULL;
}
