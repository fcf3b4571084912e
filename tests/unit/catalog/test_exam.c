/* test_exam.c - exam definitions (server/exam.c). */
#include "unit.h"
#include "unit_json.h"

#include "catalog/exam.h"

#include <stdlib.h>
#include <string.h>

/* 2026-11-23T01:00:00Z in ms (date -u -d 2026-11-23T01:00:00Z +%s). */
#define T_0800_WIB 1795395600000LL

static char err[1024];
static struct exam_def ex; /* large: keep it off the stack */


/* A minimal valid exam over TWK, TIU (per topic) and TKP (per difficulty); nothing optional. */
static json_t *base_exam(void)
{
	return J("{'code': 'SKD-T', 'title': 'Seleksi Kompetensi Dasar', 'bank': 'T-BANK',"
		 " 'duration_s': 6000,"
		 " 'sections': ["
		 "  {'code': 'TWK', 'draw': 3},"
		 "  {'code': 'TIU', 'draw': 4, 'topics': {'analogi': 1, 'deret_angka': 3}},"
		 "  {'code': 'TKP', 'draw': 5, 'difficulty': {'easy': 2, 'medium': 2, 'hard': 1}}]}");
}

static json_t *section(json_t *exam, size_t i)
{
	return json_array_get(json_object_get(exam, "sections"), i);
}

static void parse_ok(json_t *doc)
{
	err[0] = '\0';
	int rc = exam_parse(doc, &ex, err, sizeof err);
	json_decref(doc);
	if (rc != 0)
		fail_msg("exam rejected: %s", err);
}

/* exam_parse must fail with a message containing each non-NULL needle. */
static void expect_reject(json_t *doc, const char *n1, const char *n2, const char *n3)
{
	const char *needles[] = { n1, n2, n3 };
	err[0] = '\0';
	int rc = exam_parse(doc, &ex, err, sizeof err);
	json_decref(doc);
	if (rc == 0)
		fail_msg("exam accepted (expected an error naming %s)", n1);
	for (size_t i = 0; i < 3; i++)
		if (needles[i] && !strstr(err, needles[i]))
			fail_msg("expected '%s' in: %s", needles[i], err);
}

static int topic_count(const struct exam_draw *d, const char *topic)
{
	for (int t = 0; t < d->n_topics; t++)
		if (strcmp(d->topic[t], topic) == 0)
			return d->topic_count[t];
	return -1;
}

/* A valid exam parses with the documented defaults. */
static void test_parse_defaults(void **state)
{
	(void)state;
	parse_ok(base_exam());
	assert_string_equal(ex.code, "SKD-T");
	assert_string_equal(ex.title, "Seleksi Kompetensi Dasar");
	assert_string_equal(ex.bank, "T-BANK");
	assert_int_equal(ex.duration_s, 6000);
	assert_int_equal(ex.opens_at, 0);
	assert_int_equal(ex.closes_at, 0);
	assert_string_equal(ex.token, "");
	assert_int_equal(ex.shuffle_items, 1);
	assert_int_equal(ex.shuffle_options, 1);
	assert_int_equal(ex.show_score, 1);
	assert_int_equal(ex.show_thresholds, 1);
	assert_int_equal(ex.n_rules, 0);

	assert_int_equal(ex.n_sections, 3);
	assert_string_equal(ex.sec[0].code, "TWK");
	assert_int_equal(ex.sec[0].draw, 3);
	assert_int_equal(ex.sec[0].n_topics, 0);
	assert_int_equal(ex.sec[0].has_diff, 0);
	assert_string_equal(ex.sec[1].code, "TIU");
	assert_int_equal(ex.sec[1].n_topics, 2);
	assert_int_equal(topic_count(&ex.sec[1], "analogi"), 1);
	assert_int_equal(topic_count(&ex.sec[1], "deret_angka"), 3);
	assert_int_equal(ex.sec[1].has_diff, 0);
	assert_int_equal(ex.sec[2].has_diff, 1);
	assert_int_equal(ex.sec[2].diff_count[DIFF_EASY], 2);
	assert_int_equal(ex.sec[2].diff_count[DIFF_MEDIUM], 2);
	assert_int_equal(ex.sec[2].diff_count[DIFF_HARD], 1);

	/* Default tie-break TKP, TIU, TWK as exam section indexes. */
	assert_int_equal(ex.n_tie, 3);
	assert_int_equal(ex.tie[0], 2);
	assert_int_equal(ex.tie[1], 1);
	assert_int_equal(ex.tie[2], 0);
}

/* The default tie-break keeps only the sections the exam has, in TKP, TIU, TWK order. */
static void test_default_tie_break_filtered(void **state)
{
	(void)state;
	parse_ok(J("{'code': 'E', 'title': 'T', 'bank': 'B', 'duration_s': 60,"
		   " 'sections': [{'code': 'TWK', 'draw': 1}, {'code': 'MAT', 'draw': 1},"
		   "              {'code': 'TKP', 'draw': 1}]}"));
	assert_int_equal(ex.n_tie, 2);
	assert_int_equal(ex.tie[0], 2); /* TKP */
	assert_int_equal(ex.tie[1], 0); /* TWK */

	parse_ok(J("{'code': 'E', 'title': 'T', 'bank': 'B', 'duration_s': 60,"
		   " 'sections': [{'code': 'MAT', 'draw': 1}, {'code': 'BIO', 'draw': 1}]}"));
	assert_int_equal(ex.n_tie, 0);
}

/* Explicit settings override the defaults; tie_break is resolved to exam section indexes. */
static void test_parse_explicit_options(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "shuffle_items", json_false());
	json_object_set_new(e, "shuffle_options", json_false());
	json_object_set_new(e, "show_score", json_false());
	json_object_set_new(e, "show_thresholds", json_false());
	json_object_set_new(e, "tie_break", J("['TWK', 'TKP']"));
	json_object_set_new(e, "token", json_string("Abc123"));
	parse_ok(e);
	assert_int_equal(ex.shuffle_items, 0);
	assert_int_equal(ex.shuffle_options, 0);
	assert_int_equal(ex.show_score, 0);
	assert_int_equal(ex.show_thresholds, 0);
	assert_int_equal(ex.n_tie, 2);
	assert_int_equal(ex.tie[0], 0);
	assert_int_equal(ex.tie[1], 2);
	assert_string_equal(ex.token, "Abc123");
}

/* Pass rules: track names, minimums mapped to exam section indexes, and a total. */
static void test_parse_pass_rules(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "pass_rules",
			    J("{'umum': {'sections': {'TWK': 65, 'TKP': 166}},"
			      " 'disabilitas': {'total': 286, 'sections': {'TIU': 60}},"
			      " 'khusus': {'total': 250}}"));
	parse_ok(e);
	assert_int_equal(ex.n_rules, 3);

	int u = exam_rule_index(&ex, "umum");
	assert_true(u >= 0);
	assert_string_equal(ex.rules[u].track, "umum");
	assert_int_equal(ex.rules[u].has_total, 0);
	assert_int_equal(ex.rules[u].n_min, 2);
	for (int i = 0; i < 2; i++) {
		int s = ex.rules[u].min_section[i], v = ex.rules[u].min_value[i];
		if (s == 0)
			assert_int_equal(v, 65);  /* TWK is exam section 0 */
		else if (s == 2)
			assert_int_equal(v, 166); /* TKP is exam section 2 */
		else
			fail_msg("umum: unexpected section index %d", s);
	}
	assert_true(ex.rules[u].min_section[0] != ex.rules[u].min_section[1]);

	int d = exam_rule_index(&ex, "disabilitas");
	assert_true(d >= 0 && d != u);
	assert_int_equal(ex.rules[d].has_total, 1);
	assert_int_equal(ex.rules[d].total, 286);
	assert_int_equal(ex.rules[d].n_min, 1);
	assert_int_equal(ex.rules[d].min_section[0], 1); /* TIU */
	assert_int_equal(ex.rules[d].min_value[0], 60);

	int k = exam_rule_index(&ex, "khusus");
	assert_true(k >= 0);
	assert_int_equal(ex.rules[k].has_total, 1);
	assert_int_equal(ex.rules[k].total, 250);
	assert_int_equal(ex.rules[k].n_min, 0);

	assert_int_equal(exam_rule_index(&ex, "Umum"), -1);
	assert_int_equal(exam_rule_index(&ex, "lainnya"), -1);
}

/* opens_at / closes_at are parsed as RFC 3339 instants. */
static void test_parse_open_close(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "opens_at", json_string("2026-11-23T08:00:00+07:00"));
	json_object_set_new(e, "closes_at", json_string("2026-11-23T12:00:00+07:00"));
	parse_ok(e);
	assert_int_equal(ex.opens_at, T_0800_WIB);
	assert_int_equal(ex.closes_at, T_0800_WIB + 4 * 3600 * 1000);
}

/* closes_at before (or equal to) opens_at is rejected; a malformed time is rejected. */
static void test_reject_close_before_open(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "opens_at", json_string("2026-11-23T08:00:00+07:00"));
	json_object_set_new(e, "closes_at", json_string("2026-11-23T07:59:59+07:00"));
	expect_reject(e, "\"closes_at\"", "opens_at", NULL);
	e = base_exam();
	json_object_set_new(e, "opens_at", json_string("2026-11-23T08:00:00+07:00"));
	json_object_set_new(e, "closes_at", json_string("2026-11-23T01:00:00Z")); /* same instant */
	expect_reject(e, "\"closes_at\"", NULL, NULL);
	e = base_exam();
	json_object_set_new(e, "opens_at", json_string("2026-11-23 08:00"));
	expect_reject(e, "\"opens_at\"", "2026-11-23 08:00", NULL);
}

/* duration_s: 9 rejected, 10 and 86400 accepted, 86401 rejected. */
static void test_duration_limits(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "duration_s", json_integer(9));
	expect_reject(e, "\"duration_s\"", NULL, NULL);
	e = base_exam();
	json_object_set_new(e, "duration_s", json_integer(10));
	parse_ok(e);
	assert_int_equal(ex.duration_s, 10);
	e = base_exam();
	json_object_set_new(e, "duration_s", json_integer(86400));
	parse_ok(e);
	assert_int_equal(ex.duration_s, 86400);
	e = base_exam();
	json_object_set_new(e, "duration_s", json_integer(86401));
	expect_reject(e, "\"duration_s\"", NULL, NULL);
}

/* Topic counts that do not add up to draw name the section and "topics". */
static void test_reject_topics_sum(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(section(e, 1), "topics", J("{'analogi': 1, 'deret_angka': 2}"));
	expect_reject(e, "TIU", "\"topics\"", "3");
	e = base_exam();
	json_object_set_new(section(e, 1), "topics", J("{'analogi': 3, 'deret_angka': 2}"));
	expect_reject(e, "TIU", "\"topics\"", NULL);
}

/* Difficulty counts must add up to draw, and only easy/medium/hard are allowed. */
static void test_reject_difficulty_keys(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(section(e, 2), "difficulty", J("{'easy': 2, 'medium': 2, 'extreme': 1}"));
	expect_reject(e, "TKP", "\"difficulty\"", "extreme");
	e = base_exam();
	json_object_set_new(section(e, 2), "difficulty", J("{'easy': 2, 'medium': 2}"));
	expect_reject(e, "TKP", "\"difficulty\"", NULL);
}

/* A section listed twice is rejected. */
static void test_reject_duplicate_section(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(section(e, 2), "code", json_string("TWK"));
	json_object_del(section(e, 2), "difficulty");
	expect_reject(e, "sections[2]", "TWK", "twice");
}

/* A tie_break entry that is not a section of the exam is rejected. */
static void test_reject_tie_break_unknown(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "tie_break", J("['TKP', 'SKB']"));
	expect_reject(e, "\"tie_break\"", "entry 1", NULL);
	e = base_exam();
	json_object_set_new(e, "tie_break", J("['TKP', 'TKP']"));
	expect_reject(e, "\"tie_break\"", "twice", NULL);
}

/* A pass rule naming a section the exam lacks is rejected, naming track and section. */
static void test_reject_pass_rule_unknown_section(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "pass_rules", J("{'umum': {'sections': {'TWK': 65, 'SKB': 10}}}"));
	expect_reject(e, "umum", "SKB", "\"sections\"");
	e = base_exam();
	json_object_set_new(e, "pass_rules", J("{'umum': {}}"));
	expect_reject(e, "umum", NULL, NULL);
	e = base_exam();
	json_object_set_new(e, "pass_rules", J("{'Umum Baru': {'total': 1}}"));
	expect_reject(e, "Umum Baru", "\"pass_rules\"", NULL);
}

/* Tokens must be 4-32 letters or digits. */
static void test_reject_bad_token(void **state)
{
	(void)state;
	static const char *const bad[] = { "abc", "ab-cd", "ABCD EFG", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *e = base_exam();
		json_object_set_new(e, "token", json_string(bad[i]));
		expect_reject(e, "\"token\"", NULL, NULL);
	}
	json_t *e = base_exam();
	json_object_set_new(e, "token", json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")); /* 32 */
	parse_ok(e);
	assert_int_equal(strlen(ex.token), 32);
	e = base_exam();
	json_object_set_new(e, "token", json_string("x7Kq"));
	parse_ok(e);
	assert_string_equal(ex.token, "x7Kq");
}

/* Unknown top-level fields and missing required ones are rejected by name. */
static void test_reject_unknown_and_missing_fields(void **state)
{
	(void)state;
	json_t *e = base_exam();
	json_object_set_new(e, "shufle_items", json_true());
	expect_reject(e, "\"shufle_items\"", "unknown", NULL);
	e = base_exam();
	json_object_del(e, "bank");
	expect_reject(e, "\"bank\"", "required", NULL);
	e = base_exam();
	json_object_set_new(section(e, 0), "draw", json_integer(0));
	expect_reject(e, "TWK", "\"draw\"", NULL);
}

/* exam_bind maps exam sections onto bank sections by code, whatever the bank order. */
static void test_bind(void **state)
{
	(void)state;
	struct section_rule sec[3];
	memset(sec, 0, sizeof sec);
	strcpy(sec[0].code, "TKP");
	strcpy(sec[1].code, "TWK");
	strcpy(sec[2].code, "TIU");
	parse_ok(base_exam());
	assert_int_equal(exam_bind(&ex, sec, 3, err, sizeof err), 0);
	assert_int_equal(ex.sec[0].bank_section, 1); /* TWK */
	assert_int_equal(ex.sec[1].bank_section, 2); /* TIU */
	assert_int_equal(ex.sec[2].bank_section, 0); /* TKP */
}

/* exam_bind fails when the bank lacks a section, naming it. */
static void test_bind_missing_section(void **state)
{
	(void)state;
	struct section_rule sec[2];
	memset(sec, 0, sizeof sec);
	strcpy(sec[0].code, "TWK");
	strcpy(sec[1].code, "TKP");
	parse_ok(base_exam());
	err[0] = '\0';
	assert_int_equal(exam_bind(&ex, sec, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"TIU\""));
	assert_non_null(strstr(err, "sections[1]"));
	assert_non_null(strstr(err, "T-BANK"));
}

/* exam_paper_length sums the section draws. */
static void test_paper_length(void **state)
{
	(void)state;
	parse_ok(base_exam());
	assert_int_equal(exam_paper_length(&ex), 3 + 4 + 5);
	parse_ok(J("{'code': 'E', 'title': 'T', 'bank': 'B', 'duration_s': 60,"
		   " 'sections': [{'code': 'TWK', 'draw': 30}, {'code': 'TIU', 'draw': 35},"
		   "              {'code': 'TKP', 'draw': 45}]}"));
	assert_int_equal(exam_paper_length(&ex), 110);
}

/* timezone: WIB by default, WITA and WIT accepted, anything else refused. */
static void test_timezone(void **state)
{
	json_t *doc;
	(void)state;
	parse_ok(base_exam());
	assert_int_equal(ex.zone, EXAM_ZONE_DEFAULT);
	assert_string_equal(exam_zones[ex.zone].name, "WIB");
	assert_int_equal(exam_zones[ex.zone].offset_min, 420);
	doc = base_exam();
	json_object_set_new(doc, "timezone", json_string("WIT"));
	parse_ok(doc);
	assert_string_equal(exam_zones[ex.zone].name, "WIT");
	assert_int_equal(exam_zones[ex.zone].offset_min, 540);
	doc = base_exam();
	json_object_set_new(doc, "timezone", json_string("UTC+7"));
	expect_reject(doc, "field \"timezone\"", "WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)", NULL);
	doc = base_exam();
	json_object_set_new(doc, "timezone", json_string("wib"));
	expect_reject(doc, "field \"timezone\"", NULL, NULL);
}

/* exam_check goes on after a problem: every error of the document, each
 * naming its place, and no cascade from a section that failed its own check. */
static void test_check_reports_every_error(void **state)
{
	struct errlist l;
	json_t *doc = base_exam();
	char buf[512];
	(void)state;
	json_object_set_new(doc, "duration_s", json_integer(1));
	json_object_set_new(doc, "timezone", json_string("PST"));
	json_object_set_new(json_array_get(json_object_get(doc, "sections"), 1), "draw",
			    json_integer(0));
	json_object_set_new(doc, "tie_break", J("['TIU', 'TKP']"));
	json_object_set_new(doc, "shufle", json_true());
	errlist_init(&l, 0);
	assert_int_equal(exam_check(doc, &ex, &l), -1);
	json_decref(doc);
	assert_int_equal(l.n, 4);
	assert_string_equal(errlist_format(&l.v[0], buf, sizeof buf), "field \"shufle\": unknown field");
	assert_non_null(strstr(errlist_format(&l.v[1], buf, sizeof buf), "field \"duration_s\""));
	assert_non_null(strstr(errlist_format(&l.v[2], buf, sizeof buf), "field \"timezone\""));
	assert_string_equal(l.v[3].item, "sections[1] (\"TIU\")");
	assert_string_equal(l.v[3].field, "draw");
	errlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_timezone),
		cmocka_unit_test(test_check_reports_every_error),
		cmocka_unit_test(test_default_tie_break_filtered),
		cmocka_unit_test(test_parse_explicit_options),
		cmocka_unit_test(test_parse_pass_rules),
		cmocka_unit_test(test_parse_open_close),
		cmocka_unit_test(test_reject_close_before_open),
		cmocka_unit_test(test_duration_limits),
		cmocka_unit_test(test_reject_topics_sum),
		cmocka_unit_test(test_reject_difficulty_keys),
		cmocka_unit_test(test_reject_duplicate_section),
		cmocka_unit_test(test_reject_tie_break_unknown),
		cmocka_unit_test(test_reject_pass_rule_unknown_section),
		cmocka_unit_test(test_reject_bad_token),
		cmocka_unit_test(test_reject_unknown_and_missing_fields),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_bind_missing_section),
		cmocka_unit_test(test_paper_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
