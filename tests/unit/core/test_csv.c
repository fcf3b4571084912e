/* test_csv.c - RFC 4180 reader (server/csv.c). */
#include "unit.h"

#include "core/csv.h"

#include <stdio.h>
#include <string.h>

#define BIG 4096

static char err[512];

/* Parse a NUL-terminated document with generous limits; fails the test on error. */
static void parse_ok(const char *s, struct csv_doc *doc)
{
	err[0] = '\0';
	if (csv_parse(s, strlen(s), BIG, 1000, doc, err, sizeof err) != 0)
		fail_msg("csv_parse failed: %s", err);
}

/* Parse data[0..len) expecting an error whose message contains each needle. */
static void parse_bad(const char *data, size_t len, size_t max_record, size_t max_records,
		      const char *needle1, const char *needle2)
{
	struct csv_doc doc = { 99, NULL };
	err[0] = '\0';
	if (csv_parse(data, len, max_record, max_records, &doc, err, sizeof err) == 0) {
		csv_free(&doc);
		fail_msg("csv_parse accepted the document (expected \"%s\")", needle1);
	}
	/* A failed parse leaves nothing behind. */
	assert_int_equal(doc.nrecords, 0);
	assert_null(doc.records);
	if (!strstr(err, needle1))
		fail_msg("expected \"%s\" in: %s", needle1, err);
	if (needle2 && !strstr(err, needle2))
		fail_msg("expected \"%s\" in: %s", needle2, err);
}

static void field_is(const struct csv_doc *doc, size_t rec, int f, const char *want)
{
	assert_true(rec < doc->nrecords);
	assert_true(f < doc->records[rec].nfields);
	assert_string_equal(doc->records[rec].fields[f], want);
}

/* Quoted fields keep commas and line breaks; unquoted fields are taken as they are. */
static void test_quoted_commas_newlines(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("registration_no,name,note\n"
		 "R-001,\"Budi, S.Pd\",\"baris satu\nbaris dua\"\n",
		 &doc);
	assert_int_equal(doc.nrecords, 2);
	assert_int_equal(doc.records[0].nfields, 3);
	assert_int_equal(doc.records[1].nfields, 3);
	field_is(&doc, 0, 0, "registration_no");
	field_is(&doc, 1, 0, "R-001");
	field_is(&doc, 1, 1, "Budi, S.Pd");
	field_is(&doc, 1, 2, "baris satu\nbaris dua");
	csv_free(&doc);
	assert_int_equal(doc.nrecords, 0);
	assert_null(doc.records);
}

/* "" inside a quoted field is one quote; "" alone is an empty field; empty fields are kept. */
static void test_doubled_quotes_and_empty_fields(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("\"say \"\"hi\"\"\",\"\",,\"\"\"\"\nlast,", &doc);
	assert_int_equal(doc.nrecords, 2);
	assert_int_equal(doc.records[0].nfields, 4);
	field_is(&doc, 0, 0, "say \"hi\"");
	field_is(&doc, 0, 1, "");
	field_is(&doc, 0, 2, "");
	field_is(&doc, 0, 3, "\"");
	/* No newline at the end of the file, trailing comma gives an empty field. */
	assert_int_equal(doc.records[1].nfields, 2);
	field_is(&doc, 1, 0, "last");
	field_is(&doc, 1, 1, "");
	csv_free(&doc);
}

/* CRLF line ends are not part of fields; a CRLF inside quotes is content. */
static void test_crlf(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("a,b\r\nc,\"d\"\r\n\"x\r\ny\",z\r\n", &doc);
	assert_int_equal(doc.nrecords, 3);
	field_is(&doc, 0, 0, "a");
	field_is(&doc, 0, 1, "b");
	field_is(&doc, 1, 0, "c");
	field_is(&doc, 1, 1, "d");
	field_is(&doc, 2, 0, "x\r\ny");
	field_is(&doc, 2, 1, "z");
	assert_int_equal(doc.records[0].line, 1);
	assert_int_equal(doc.records[1].line, 2);
	assert_int_equal(doc.records[2].line, 3);
	csv_free(&doc);
}

/* A UTF-8 byte-order mark at the start is dropped, not glued to the first header. */
static void test_bom(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("\xEF\xBB\xBFregistration_no,name\nR1,Sit\xC3\xAC Nurhaliza\n", &doc);
	assert_int_equal(doc.nrecords, 2);
	field_is(&doc, 0, 0, "registration_no");
	field_is(&doc, 1, 1, "Sit\xC3\xAC Nurhaliza");
	csv_free(&doc);
}

/* Empty lines (LF or CRLF) are skipped but still counted for line numbers. */
static void test_blank_lines_skipped(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("\na\n\n\r\nb\n\n", &doc);
	assert_int_equal(doc.nrecords, 2);
	field_is(&doc, 0, 0, "a");
	field_is(&doc, 1, 0, "b");
	assert_int_equal(doc.records[0].line, 2);
	assert_int_equal(doc.records[1].line, 5);
	csv_free(&doc);
}

/* A record after a multi-line quoted field reports the line it starts on. */
static void test_line_numbers_after_multiline_field(void **state)
{
	(void)state;
	struct csv_doc doc;
	parse_ok("h1,h2\n\"x\ny\nz\",2\nnext,3\n", &doc);
	assert_int_equal(doc.nrecords, 3);
	assert_int_equal(doc.records[0].line, 1);
	assert_int_equal(doc.records[1].line, 2);
	assert_int_equal(doc.records[2].line, 5);
	field_is(&doc, 1, 0, "x\ny\nz");
	field_is(&doc, 2, 0, "next");
	csv_free(&doc);
}

/* An unterminated quote names the line where its record starts. */
static void test_err_unterminated_quote(void **state)
{
	(void)state;
	const char *s = "a,b\nc,\"open\nmore\n";
	parse_bad(s, strlen(s), BIG, 1000, "line 2:", "not closed");
}

/* A quote inside an unquoted field is an error on its line. */
static void test_err_stray_quote(void **state)
{
	(void)state;
	const char *s = "a,b\nc,d\"e\n";
	parse_bad(s, strlen(s), BIG, 1000, "line 2:", "quote");
}

/* Text after a closing quote is an error on its line (here after a two-line field). */
static void test_err_text_after_closing_quote(void **state)
{
	(void)state;
	const char *s = "a\n\"x\"y,z\n";
	parse_bad(s, strlen(s), BIG, 1000, "line 2:", "closing quote");
	const char *t = "a\n\"x\ny\" z\n";
	parse_bad(t, strlen(t), BIG, 1000, "line 3:", "closing quote");
}

/* A NUL byte is rejected, and the message names its line like every other error. */
static void test_err_nul_byte(void **state)
{
	(void)state;
	static const char s[] = "a,b\nc\0d,e\n";
	parse_bad(s, sizeof s - 1, BIG, 1000, "NUL", NULL);
	parse_bad(s, sizeof s - 1, BIG, 1000, "line 2:", NULL);
}

/* Invalid UTF-8 (a stray byte, or an overlong form) names the line it is on. */
static void test_err_invalid_utf8(void **state)
{
	(void)state;
	const char *s = "a,b\nc,d\ne,\xFF\n";
	parse_bad(s, strlen(s), BIG, 1000, "line 3:", "UTF-8");
	const char *t = "a,b\nc,\xC0\xAF";
	parse_bad(t, strlen(t), BIG, 1000, "line 2:", "UTF-8");
	const char *u = "\xE2\x82\nx\n"; /* truncated euro sign on line 1 */
	parse_bad(u, strlen(u), BIG, 1000, "line 1:", "UTF-8");
}

/* A record of exactly max_record bytes passes; one byte more is refused with its line. */
static void test_err_record_too_long(void **state)
{
	(void)state;
	struct csv_doc doc;
	const char *ok = "short\n0123456789\n";
	assert_int_equal(csv_parse(ok, strlen(ok), 10, 100, &doc, err, sizeof err), 0);
	assert_int_equal(doc.nrecords, 2);
	csv_free(&doc);
	const char *s = "short\nxx\n0123,56789A\n";
	parse_bad(s, strlen(s), 10, 100, "line 3:", "longer than 10");
}

/* max_records records pass; one more is refused naming the line of the extra record. */
static void test_err_too_many_records(void **state)
{
	(void)state;
	struct csv_doc doc;
	const char *ok = "a\nb\n";
	assert_int_equal(csv_parse(ok, strlen(ok), BIG, 2, &doc, err, sizeof err), 0);
	assert_int_equal(doc.nrecords, 2);
	csv_free(&doc);
	const char *s = "a\nb\n\nc\n";
	parse_bad(s, strlen(s), BIG, 2, "line 4:", "more than 2");
}

/* ';' separated files (Excel under Indonesian settings) and detection. */
static void test_semicolon_separator(void **state)
{
	(void)state;
	const char *s = "\xEF\xBB\xBFregistration_no;name\r\n1;\"A; B, C\"\r\n2;x,y\r\n";
	struct csv_doc doc;
	assert_int_equal(csv_detect_sep(s, strlen(s)), ';');
	assert_int_equal(csv_parse_sep(s, strlen(s), ';', BIG, 10, &doc, err, sizeof err), 0);
	assert_int_equal(doc.nrecords, 3);
	assert_int_equal(doc.records[1].nfields, 2);
	assert_string_equal(doc.records[1].fields[1], "A; B, C");
	assert_string_equal(doc.records[2].fields[1], "x,y");
	assert_int_equal(doc.records[2].line, 3);
	csv_free(&doc);
	/* commas win a tie and an empty file; quoted separators do not count */
	assert_int_equal(csv_detect_sep("a,b;c\n", 6), ',');
	assert_int_equal(csv_detect_sep("", 0), ',');
	assert_int_equal(csv_detect_sep("\"a;b;c\",d\n", 10), ',');
	assert_int_equal(csv_detect_sep("\n\na;b\n", 7), ';');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_commas_newlines),
		cmocka_unit_test(test_doubled_quotes_and_empty_fields),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_line_numbers_after_multiline_field),
		cmocka_unit_test(test_err_unterminated_quote),
		cmocka_unit_test(test_err_stray_quote),
		cmocka_unit_test(test_err_text_after_closing_quote),
		cmocka_unit_test(test_err_nul_byte),
		cmocka_unit_test(test_err_invalid_utf8),
		cmocka_unit_test(test_err_record_too_long),
		cmocka_unit_test(test_err_too_many_records),
		cmocka_unit_test(test_semicolon_separator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
