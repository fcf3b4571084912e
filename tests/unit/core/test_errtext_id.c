/* test_errtext_id.c - the Indonesian validation messages (server/core/errtext_id.c)
 * and an errlist kept in Bahasa Indonesia (server/core/errlist.c).
 *
 * The table is checked whole: each Indonesian format has the English one's
 * conversions in the same order (a mismatch would read the wrong argument),
 * no English format appears twice, and every format the importers pass to
 * errlist_add, jc_fail or snprintf(err, errlen, ...) has a row (the sources
 * are read at test time, so a new message without a translation fails here).
 * Run from the repository root (scripts/run-tests.sh does). */
#include "unit.h"

#include "core/errlist.h"
#include "core/errtext_id.h"
#include "core/jcheck.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEC_MAX 16
#define SPECS_MAX 16

/* The conversion specifications of fmt, each as its text ("%zu", "%-5.2s"),
 * into specs; returns how many, or -1 on a malformed one. "%%" is none. */
static int specs_of(const char *fmt, char specs[][SPEC_MAX], int max)
{
	int n = 0;
	for (const char *f = fmt; *f; f++) {
		size_t k = 1;
		if (*f != '%')
			continue;
		if (f[1] == '%') {
			f++;
			continue;
		}
		while (f[k] && strchr("-+ #0'", f[k]))
			k++;
		while (isdigit((unsigned char)f[k]) || f[k] == '*')
			k++;
		if (f[k] == '.') {
			k++;
			while (isdigit((unsigned char)f[k]) || f[k] == '*')
				k++;
		}
		if (f[k] == 'h' || f[k] == 'l')
			k += f[k + 1] == f[k] ? 2 : 1;
		else if (f[k] && strchr("jztLq", f[k]))
			k++;
		if (!f[k] || !strchr("diouxXeEfFgGaAcspn", f[k]) || k + 1 >= SPEC_MAX || n >= max)
			return -1;
		memcpy(specs[n], f, k + 1);
		specs[n][k + 1] = '\0';
		n++;
		f += k;
	}
	return n;
}

static void test_spec_parser(void **state)
{
	char s[SPECS_MAX][SPEC_MAX];
	(void)state;
	assert_int_equal(specs_of("100%% of %-5.2s and %lld, %zu%%", s, SPECS_MAX), 3);
	assert_string_equal(s[0], "%-5.2s");
	assert_string_equal(s[1], "%lld");
	assert_string_equal(s[2], "%zu");
	assert_int_equal(specs_of("no conversions", s, SPECS_MAX), 0);
	assert_int_equal(specs_of("bad %y", s, SPECS_MAX), -1);
	assert_int_equal(specs_of("cut %", s, SPECS_MAX), -1);
}

static void test_table_conversions_match(void **state)
{
	size_t n;
	const struct errtext_id_pair *t = errtext_id_table(&n);
	(void)state;
	assert_true(n >= 100);
	for (size_t i = 0; i < n; i++) {
		char se[SPECS_MAX][SPEC_MAX], si[SPECS_MAX][SPEC_MAX];
		int ne = specs_of(t[i].en, se, SPECS_MAX), ni = specs_of(t[i].id, si, SPECS_MAX);
		if (ne < 0 || ne != ni)
			fail_msg("row %zu \"%s\": %d conversions, Indonesian %d", i, t[i].en, ne, ni);
		for (int k = 0; k < ne; k++)
			if (strcmp(se[k], si[k]) != 0)
				fail_msg("row %zu \"%s\": conversion %d is %s, Indonesian %s", i, t[i].en,
					 k + 1, se[k], si[k]);
		assert_true(t[i].id[0] != '\0');
	}
}

static void test_table_has_no_duplicates(void **state)
{
	size_t n;
	const struct errtext_id_pair *t = errtext_id_table(&n);
	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(t[i].en, t[j].en) == 0)
				fail_msg("\"%s\" is in the table twice (rows %zu, %zu)", t[i].en, i, j);
}

/* --- the formats the importers use, read from their sources --- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	if (!f)
		fail_msg("cannot open %s (run the test from the repository root)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	/* Comments become blanks, so a commented call is no call. */
	for (char *p = buf; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		} else if (p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			memset(p, ' ', (size_t)(e - p));
			p = e - 1;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				*p++ = ' ';
			if (!*p)
				break;
		}
	}
	return buf;
}

/* The C string literal at *pp (pointing at its opening quote), unescaped,
 * appended to out; *pp is left after the closing quote. */
static void literal(const char **pp, char *out, size_t n)
{
	const char *p = *pp + 1;
	size_t k = strlen(out);
	while (*p && *p != '"') {
		char c = *p++;
		if (c == '\\') {
			c = *p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (k + 1 < n)
			out[k++] = c;
	}
	out[k] = '\0';
	*pp = *p ? p + 1 : p;
}

/* Every string literal group (adjacent literals, one string) of argument
 * argi of each call to name( in src, passed to check(). */
static int scan_calls(const char *src, const char *name, int argi, const char *file,
		      int (*check)(const char *fmt, const char *file))
{
	size_t nl = strlen(name);
	int seen = 0;
	for (const char *p = strstr(src, name); p; p = strstr(p + 1, name)) {
		const char *q = p + nl;
		int depth = 0, arg = 0;
		if (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		if (name[nl - 1] != ',' && *q++ != '(')
			continue;
		while (*q) {
			if (*q == '"') {
				char s[1024] = "";
				while (*q == '"') {
					literal(&q, s, sizeof s);
					while (isspace((unsigned char)*q))
						q++;
				}
				if (arg == argi && depth == 0)
					seen += check(s, file);
				continue;
			}
			if (*q == '\'') {
				for (q++; *q && *q != '\''; q++)
					if (*q == '\\')
						q++;
				q++;
				continue;
			}
			if (*q == '(' || *q == '[' || *q == '{')
				depth++;
			else if (*q == ')' || *q == ']' || *q == '}') {
				if (depth == 0)
					break;
				depth--;
			} else if (*q == ',' && depth == 0)
				arg++;
			q++;
		}
	}
	return seen;
}

static int formats_checked;

/* A format needs a row unless it only passes text on ("%s", "%s: %s") or is
 * a machine code rather than a message. */
static int check_covered(const char *fmt, const char *file)
{
	char rest[1024];
	size_t k = 0;
	int letters = 0;
	if (strcmp(fmt, "not_found") == 0)
		return 0;
	for (const char *f = fmt; *f && k + 1 < sizeof rest; f++) {
		if (*f == '%' && f[1] && f[1] != '%') {
			while (*f && !strchr("diouxXcsp", *f))
				f++;
			if (!*f)
				break;
			continue;
		}
		rest[k++] = *f;
		letters |= isalpha((unsigned char)*f) != 0;
	}
	if (!letters)
		return 0;
	if (!errtext_id_lookup(fmt))
		fail_msg("%s: the message format \"%s\" has no Bahasa Indonesia row in "
			 "server/core/errtext_id_rows.c",
			 file, fmt);
	formats_checked++;
	return 1;
}

static void test_every_importer_format_is_translated(void **state)
{
	static const char *const files[] = {
		"server/catalog/bank.c", "server/catalog/exam.c", "server/catalog/enrol.c",
		"server/catalog/catalog.c", "server/catalog/examedit.c", "server/catalog/browse.c",
		"server/catalog/sitting.c", "server/core/jcheck.c", "server/core/csv.c",
		"server/selection/ninebox_config.c", "server/selection/talent_period.c",
		/* issue 11: employees */
		"server/selection/pcsv.c", "server/selection/employee.c",
		"server/selection/personnel.c",
	};
	int calls = 0;
	(void)state;
	formats_checked = 0;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *src = slurp(files[i]);
		calls += scan_calls(src, "errlist_add", 4, files[i], check_covered);
		calls += scan_calls(src, "jc_fail", 2, files[i], check_covered);
		calls += scan_calls(src, "snprintf(err, errlen,", 0, files[i], check_covered);
		free(src);
	}
	/* The scanner found the messages (a broken scanner finds none). */
	assert_true(calls >= 100);
	assert_true(formats_checked == calls);
}

/* --- an errlist in Bahasa Indonesia --- */

static void test_errlist_id_formats_with_the_twin(void **state)
{
	struct errlist en, id;
	(void)state;
	errlist_init(&en, 0);
	errlist_init(&id, 0);
	assert_int_equal(id.lang, ERRLIST_EN);
	errlist_set_lang(&id, ERRLIST_ID);
	errlist_add(&en, 3, NULL, "extra_time_s", "\"%s\" must be a whole number of seconds 0-%d",
		    "x", 7200);
	errlist_add(&id, 3, NULL, "extra_time_s", "\"%s\" must be a whole number of seconds 0-%d",
		    "x", 7200);
	assert_string_equal(en.v[0].message, "\"x\" must be a whole number of seconds 0-7200");
	assert_string_equal(id.v[0].message, "\"x\" harus bilangan bulat detik 0-7200");
	assert_string_equal(id.v[0].field, "extra_time_s");
	/* No row: the English text. */
	errlist_add(&id, 0, NULL, NULL, "something new %d", 5);
	assert_string_equal(id.v[1].message, "something new 5");
	/* A message passed on whole is translated as text, nested one level. */
	errlist_add(&id, 0, NULL, NULL, "%s", "line 4: quoted field is not closed");
	assert_string_equal(id.v[2].message, "baris 4: tanda kutip pada kolom tidak ditutup");
	errlist_add(&id, 0, "item \"Q-1\" (items[0])", "images[0]", "%s",
		    "image \"b/x.png\": not a PNG file (bad signature)");
	assert_string_equal(id.v[3].item, "butir soal \"Q-1\" (items[0])");
	assert_string_equal(id.v[3].message,
			    "gambar \"b/x.png\": bukan berkas PNG (tanda tangan berkas salah)");
	errlist_add(&id, 0, NULL, NULL, "%s", "not a known message");
	assert_string_equal(id.v[4].message, "not a known message");
	/* The English list is untouched by all this. */
	errlist_add(&en, 0, NULL, NULL, "%s", "line 4: quoted field is not closed");
	assert_string_equal(en.v[1].message, "line 4: quoted field is not closed");
	errlist_free(&en);
	errlist_free(&id);
}

static void test_jcheck_reaches_the_twin(void **state)
{
	struct errlist en, id;
	struct jcheck a, b;
	char err_a[256], err_b[256];
	json_t *doc = json_pack("{s:s,s:i,s:i}", "name", "", "n", 99, "zzz", 1);
	const char *s;
	long long x;
	static const char *const allowed[] = { "name", "n", NULL };
	(void)state;
	errlist_init(&en, 0);
	errlist_init(&id, 0);
	errlist_set_lang(&id, ERRLIST_ID);
	jc_init(&a, err_a, sizeof err_a);
	jc_init(&b, err_b, sizeof err_b);
	jc_collect(&a, &en);
	jc_collect(&b, &id);
	jc_where(&a, "item \"%s\" (items[%zu])", "A", (size_t)2);
	jc_where(&b, "item \"%s\" (items[%zu])", "A", (size_t)2);
	jc_only_keys(&a, doc, allowed);
	jc_only_keys(&b, doc, allowed);
	jc_string(&a, doc, "name", 1, 10, 0, &s);
	jc_string(&b, doc, "name", 1, 10, 0, &s);
	jc_int(&a, doc, "n", 1, 1, 10, 1, &x);
	jc_int(&b, doc, "n", 1, 1, 10, 1, &x);
	assert_int_equal(en.n, 3);
	assert_int_equal(id.n, 3);
	assert_string_equal(en.v[0].message, "unknown field");
	assert_string_equal(id.v[0].message, "isian tidak dikenal");
	assert_string_equal(en.v[1].message, "must not be empty");
	assert_string_equal(id.v[1].message, "wajib diisi");
	assert_string_equal(en.v[2].message, "must be between 1 and 10 (got 99)");
	assert_string_equal(id.v[2].message, "harus antara 1 dan 10 (tertulis 99)");
	assert_string_equal(en.v[2].item, "item \"A\" (items[2])");
	assert_string_equal(id.v[2].item, "butir soal \"A\" (items[2])");
	/* The one-line report (err) stays English either way. */
	assert_string_equal(err_a, err_b);
	assert_string_equal(err_b, "item \"A\" (items[2]) field \"zzz\": unknown field");
	json_decref(doc);
	errlist_free(&en);
	errlist_free(&id);
}

static void test_text_translation_edges(void **state)
{
	char out[64];
	(void)state;
	/* A number conversion only takes digits. */
	assert_int_equal(errtext_id_text("line x: quoted field is not closed", out, sizeof out), -1);
	/* The most specific row wins over a general one ("image %s"). */
	assert_int_equal(errtext_id_text("image \"a.png\": image file is empty", out, sizeof out), 0);
	assert_string_equal(out, "gambar \"a.png\": berkas gambar kosong");
	/* Output is cut, never overrun. */
	char small[12];
	assert_int_equal(errtext_id_text("no candidates after the header", small, sizeof small), 0);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_memory_equal(small, "tidak ada p", sizeof small);
}

/* issue 12: a staff change or import on a full or failing disk reports
 * SQLite's words inside "database error: %s"; both parts are translated. */
static void test_storage_errors_translated(void **state)
{
	char out[200];
	(void)state;
	assert_int_equal(errtext_id_text("database error: database or disk is full", out, sizeof out),
			 0);
	assert_string_equal(out, "kesalahan basis data: disk server penuh; tidak ada yang disimpan, "
				 "kosongkan ruang disk lalu coba lagi");
	assert_int_equal(errtext_id_text("database error: disk I/O error", out, sizeof out), 0);
	assert_string_equal(out, "kesalahan basis data: galat I/O pada disk server; tidak ada yang "
				 "disimpan, coba lagi nanti");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parser),
		cmocka_unit_test(test_table_conversions_match),
		cmocka_unit_test(test_table_has_no_duplicates),
		cmocka_unit_test(test_every_importer_format_is_translated),
		cmocka_unit_test(test_errlist_id_formats_with_the_twin),
		cmocka_unit_test(test_jcheck_reaches_the_twin),
		cmocka_unit_test(test_text_translation_edges),
		cmocka_unit_test(test_storage_errors_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
