/* ident.h - the identifiers of personnel records: NIP (civil-servant
 * number), NIK (national identity number) and golongan/ruang (rank).
 *
 * NIP: 18 digits = birth date YYYYMMDD + appointment (TMT CPNS) YYYYMM +
 * sex (1 male, 2 female) + a 3-digit sequence. NIK: 16 digits. Both are
 * text everywhere (never numbers). Pure functions, any thread. */
#ifndef UJIAN_IDENT_H
#define UJIAN_IDENT_H

#include <stddef.h>

/* Which part of a NIP is wrong (NIP_OK when none). */
enum nip_fault {
	NIP_OK = 0,
	NIP_LENGTH,      /* not exactly 18 characters */
	NIP_DIGITS,      /* a character that is not a digit */
	NIP_BIRTH,       /* digits 1-8 are not a real date YYYYMMDD */
	NIP_APPOINTMENT, /* digits 9-14 are not a month YYYYMM, or before age 15 */
	NIP_SEX,         /* digit 15 is not 1 or 2 */
	NIP_SEQUENCE,    /* digits 16-18 are 000 */
	NIP_FAULT_MAX
};

/* Check nip's structure. Returns NIP_OK, or the first wrong part with a
 * short English explanation in why (why may be NULL). */
enum nip_fault nip_check(const char *nip, char *why, size_t whylen);
/* The Indonesian twin of the explanation nip_check gave for fault f (a
 * static string naming the part: "tanggal lahir (digit 1-8) ..."). */
const char *nip_fault_id(enum nip_fault f);
/* Birth date of a valid NIP as "YYYY-MM-DD" into out (11 bytes). */
void nip_birth_date(const char *nip, char out[11]);
/* Sex of a valid NIP: 1 male, 2 female. */
int nip_sex(const char *nip);

/* 1 if nik is exactly 16 digits and not all zeros, else 0 (why set). */
int nik_check(const char *nik, char *why, size_t whylen);

/* Ordinal of a golongan/ruang: I/a = 1 ... I/d = 4, II/a = 5 ... II/d = 8,
 * III/a = 9 ... III/d = 12, IV/a = 13 ... IV/e = 17; case-insensitive,
 * spaces around the slash allowed. -1 if it is not one. */
int grade_ord(const char *grade);
/* The canonical spelling of ordinal ord ("III/c"); NULL if out of range. */
const char *grade_name(int ord);

#define GRADE_ORD_MAX 17

#endif
