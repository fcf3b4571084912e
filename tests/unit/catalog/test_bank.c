/* test_bank.c - bank validation and images (server/bank.c). */
#include "unit.h"
#include "unit_json.h"

#include "catalog/bank.h"

#include <stdlib.h>
#include <string.h>

static char err[1024];


/* A valid bank: a right_wrong section and a weighted one, three items. */
static json_t *base_bank(void)
{
	return J("{'code': 'T-BANK', 'title': 'Bank Uji',"
		 " 'sections': ["
		 "  {'code': 'TWK', 'title': 'Tes Wawasan Kebangsaan',"
		 "   'scoring': {'type': 'right_wrong', 'correct': 5, 'wrong': 0, 'blank': 0}},"
		 "  {'code': 'TKP', 'title': 'Tes Karakteristik Pribadi',"
		 "   'scoring': {'type': 'weighted', 'blank': 0}}],"
		 " 'items': ["
		 "  {'id': 'TWK-001', 'section': 'TWK', 'topic': 'pancasila', 'difficulty': 'easy',"
		 "   'text': 'Sila keempat Pancasila dilambangkan dengan ...',"
		 "   'options': [{'text': 'Bintang'}, {'text': 'Kepala banteng', 'correct': true},"
		 "               {'text': 'Pohon beringin'}, {'text': 'Rantai'}]},"
		 "  {'id': 'TKP-001', 'section': 'TKP', 'topic': 'pelayanan_publik', 'difficulty': 'medium',"
		 "   'text': 'Seorang warga datang sepuluh menit sebelum loket tutup ...',"
		 "   'options': [{'text': 'Melayaninya sampai selesai.', 'points': 5},"
		 "               {'text': 'Memintanya datang besok pagi.', 'points': 2},"
		 "               {'text': 'Menyarankan layanan daring.', 'points': 3},"
		 "               {'text': 'Menolak.', 'points': 1},"
		 "               {'text': 'Meminta rekan melayaninya.', 'points': 4}]},"
		 "  {'id': 'TWK-002', 'section': 'TWK', 'topic': 'uud', 'difficulty': 'hard',"
		 "   'text': 'Perhatikan gambar.\\n\\nPasal berapa ...?\\tx', 'images': ['img/fig-1.svg'],"
		 "   'options': [{'text': 'satu', 'correct': false}, {'text': 'dua', 'image': 'img/y.png'},"
		 "               {'text': 'tiga', 'correct': true}]}]}");
}

static json_t *item(json_t *bank, size_t i)
{
	return json_array_get(json_object_get(bank, "items"), i);
}

static json_t *option(json_t *bank, size_t i, size_t k)
{
	return json_array_get(json_object_get(item(bank, i), "options"), k);
}

/* bank_parse must fail and its message must contain every needle (NULL-terminated list). */
static void expect_reject(json_t *bank, const char *n1, const char *n2, const char *n3,
			  const char *n4)
{
	struct bank_def def;
	const char *needles[] = { n1, n2, n3, n4 };
	err[0] = '\0';
	if (bank_parse(bank, &def, err, sizeof err) == 0) {
		bank_def_free(&def);
		json_decref(bank);
		fail_msg("bank accepted (expected an error naming %s)", n1);
	}
	/* A failed parse leaves nothing to free. */
	assert_int_equal(def.n_items, 0);
	assert_null(def.items);
	for (size_t i = 0; i < 4; i++)
		if (needles[i] && !strstr(err, needles[i])) {
			json_decref(bank);
			fail_msg("expected '%s' in: %s", needles[i], err);
		}
	json_decref(bank);
}

static void expect_accept(json_t *bank)
{
	struct bank_def def;
	err[0] = '\0';
	int rc = bank_parse(bank, &def, err, sizeof err);
	json_decref(bank);
	if (rc != 0)
		fail_msg("bank rejected: %s", err);
	bank_def_free(&def);
}

/* A valid bank parses: sections, items, section indexes, keys, points, images. */
static void test_parse_valid(void **state)
{
	(void)state;
	struct bank_def def;
	json_t *b = base_bank();
	assert_int_equal(bank_parse(b, &def, err, sizeof err), 0);
	json_decref(b);

	assert_string_equal(def.code, "T-BANK");
	assert_string_equal(def.title, "Bank Uji");
	assert_int_equal(def.n_sections, 2);
	assert_string_equal(def.sec[0].code, "TWK");
	assert_int_equal(def.sec[0].type, SCORING_RIGHT_WRONG);
	assert_int_equal(def.sec[0].correct, 5);
	assert_int_equal(def.sec[0].wrong, 0);
	assert_int_equal(def.sec[0].blank, 0);
	assert_string_equal(def.sec[1].code, "TKP");
	assert_int_equal(def.sec[1].type, SCORING_WEIGHTED);
	assert_string_equal(def.sec[1].title, "Tes Karakteristik Pribadi");

	assert_int_equal(def.n_items, 3);
	const struct bank_item *a = &def.items[0], *k = &def.items[1], *c = &def.items[2];
	assert_string_equal(a->id, "TWK-001");
	assert_int_equal(a->section, 0);
	assert_string_equal(a->topic, "pancasila");
	assert_int_equal(a->diff, DIFF_EASY);
	assert_int_equal(a->n_options, 4);
	assert_int_equal(a->opt[0].correct, 0);
	assert_int_equal(a->opt[1].correct, 1);
	assert_int_equal(a->opt[2].correct, 0);
	assert_int_equal(a->opt[3].correct, 0);
	assert_string_equal(a->opt[1].text, "Kepala banteng");
	assert_null(a->opt[1].image);
	assert_int_equal(a->n_images, 0);

	assert_string_equal(k->id, "TKP-001");
	assert_int_equal(k->section, 1);
	assert_int_equal(k->diff, DIFF_MEDIUM);
	assert_int_equal(k->n_options, 5);
	static const int pts[] = { 5, 2, 3, 1, 4 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(k->opt[i].points, pts[i]);

	assert_int_equal(c->section, 0);
	assert_int_equal(c->diff, DIFF_HARD);
	assert_string_equal(c->text, "Perhatikan gambar.\n\nPasal berapa ...?\tx");
	assert_int_equal(c->n_images, 1);
	assert_string_equal(c->images[0], "img/fig-1.svg");
	assert_int_equal(c->n_options, 3);
	assert_int_equal(c->opt[2].correct, 1);
	assert_int_equal(c->opt[0].correct, 0);
	assert_string_equal(c->opt[1].image, "img/y.png");
	bank_def_free(&def);
	assert_null(def.items);
	assert_int_equal(def.n_items, 0);
}

/* Two items with the same id: the message names the id and both indexes. */
static void test_reject_duplicate_id(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 2), "id", json_string("TWK-001"));
	expect_reject(b, "\"TWK-001\"", "items[2]", "items[0]", "\"id\"");
}

/* An item naming a section the bank does not have. */
static void test_reject_unknown_section(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 1), "section", json_string("TIU"));
	expect_reject(b, "\"TKP-001\"", "items[1]", "\"section\"", "TIU");
}

/* One option is too few. */
static void test_reject_one_option(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 0), "options", J("[{'text': 'x', 'correct': true}]"));
	expect_reject(b, "\"TWK-001\"", "items[0]", "\"options\"", NULL);
}

/* Seven options are too many. */
static void test_reject_seven_options(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_t *opts = json_object_get(item(b, 1), "options");
	json_array_append_new(opts, J("{'text': 'enam', 'points': 1}"));
	assert_int_equal(json_array_size(opts), 6);
	expect_accept(json_deep_copy(b)); /* six are fine */
	json_array_append_new(opts, J("{'text': 'tujuh', 'points': 1}"));
	expect_reject(b, "\"TKP-001\"", "items[1]", "\"options\"", "7");
}

/* right_wrong item without a key. */
static void test_reject_zero_correct(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_del(option(b, 0, 1), "correct");
	expect_reject(b, "\"TWK-001\"", "items[0]", "\"options\"", "found 0");
}

/* right_wrong item with two keys. */
static void test_reject_two_correct(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(option(b, 2, 0), "correct", json_true());
	expect_reject(b, "\"TWK-002\"", "items[2]", "\"options\"", "found 2");
}

/* "points" is not allowed in a right_wrong section. */
static void test_reject_points_in_right_wrong(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(option(b, 0, 2), "points", json_integer(3));
	expect_reject(b, "\"TWK-001\"", "options[2]", "\"points\"", "right_wrong");
}

/* "correct" is not allowed in a weighted section (not even false). */
static void test_reject_correct_in_weighted(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(option(b, 1, 0), "correct", json_false());
	expect_reject(b, "\"TKP-001\"", "options[0]", "\"correct\"", "weighted");
}

/* A weighted option without "points". */
static void test_reject_missing_points(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_del(option(b, 1, 3), "points");
	expect_reject(b, "\"TKP-001\"", "options[3]", "\"points\"", "required");
}

/* A typo ("corect") is an unknown-field error, not an item silently without a key. */
static void test_reject_unknown_field_typo(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_del(option(b, 0, 1), "correct");
	json_object_set_new(option(b, 0, 1), "corect", json_true());
	expect_reject(b, "\"TWK-001\"", "items[0]", "\"corect\"", "unknown field");
}

/* An unknown item-level field is rejected too. */
static void test_reject_unknown_item_field(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 1), "dificulty", json_string("easy"));
	expect_reject(b, "\"TKP-001\"", "items[1]", "\"dificulty\"", "unknown field");
}

/* Item text of 10,000 bytes is accepted, 10,001 rejected. */
static void test_reject_oversized_text(void **state)
{
	(void)state;
	char *t = malloc(10002);
	memset(t, 'x', 10001);
	t[10000] = '\0';
	json_t *b = base_bank();
	json_object_set_new(item(b, 1), "text", json_string(t));
	expect_accept(b);
	t[10000] = 'x';
	t[10001] = '\0';
	b = base_bank();
	json_object_set_new(item(b, 1), "text", json_string(t));
	free(t);
	expect_reject(b, "\"TKP-001\"", "items[1]", "\"text\"", "10001");
}

/* A control character in item text (and in option text) is rejected. */
static void test_reject_control_char(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 0), "text", json_string("Sila \x01 keempat"));
	expect_reject(b, "\"TWK-001\"", "items[0]", "\"text\"", "control");
	b = base_bank();
	json_object_set_new(option(b, 2, 1), "text", json_string("dua\x1b[31m"));
	expect_reject(b, "\"TWK-002\"", "options[1]", "\"text\"", "control");
}

/* Difficulty must be easy, medium or hard. */
static void test_reject_bad_difficulty(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_object_set_new(item(b, 2), "difficulty", json_string("Hard"));
	expect_reject(b, "\"TWK-002\"", "items[2]", "\"difficulty\"", "Hard");
}

/* Image paths: no "..", no absolute paths, only png/jpg/jpeg/svg. */
static void test_reject_bad_image_paths(void **state)
{
	(void)state;
	static const char *const bad[] = { "../x.png", "/abs.png", "a.gif", "img/../x.png",
					   "./x.png", "img//x.png", "img/x y.png" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *b = base_bank();
		json_array_set_new(json_object_get(item(b, 2), "images"), 0, json_string(bad[i]));
		expect_reject(b, "\"TWK-002\"", "items[2]", "\"images[0]\"", bad[i]);
	}
	/* The same rules for an option image. */
	json_t *b = base_bank();
	json_object_set_new(option(b, 2, 1), "image", json_string("../y.png"));
	expect_reject(b, "\"TWK-002\"", "options[1]", "\"image\"", "../y.png");
	/* Acceptable forms. */
	b = base_bank();
	json_array_set_new(json_object_get(item(b, 2), "images"), 0,
			   json_string("img/sub.dir/fig_2-a.jpeg"));
	expect_accept(b);
}

/* bank_image_path_ok directly. */
static void test_image_path_ok(void **state)
{
	(void)state;
	assert_true(bank_image_path_ok("img/tiu-fig-01-1.svg"));
	assert_true(bank_image_path_ok("a.png"));
	assert_true(bank_image_path_ok("x..y.png")); /* ".." inside a name is not a segment */
	assert_false(bank_image_path_ok(""));
	assert_false(bank_image_path_ok("/etc/passwd"));
	assert_false(bank_image_path_ok("../x.png"));
	assert_false(bank_image_path_ok("img/../../x.png"));
	assert_false(bank_image_path_ok("img/.."));
	assert_false(bank_image_path_ok("img/./x.png"));
	assert_false(bank_image_path_ok("img/"));
	assert_false(bank_image_path_ok("img\\x.png"));
}

/* Wrong scoring in a section is named: bad type, missing "correct". */
static void test_reject_bad_section(void **state)
{
	(void)state;
	json_t *b = base_bank();
	json_t *sc = json_object_get(json_array_get(json_object_get(b, "sections"), 1), "scoring");
	json_object_set_new(sc, "type", json_string("weigthed"));
	expect_reject(b, "\"TKP\"", "sections[1]", "\"type\"", "weigthed");
	b = base_bank();
	sc = json_object_get(json_array_get(json_object_get(b, "sections"), 0), "scoring");
	json_object_del(sc, "correct");
	expect_reject(b, "\"TWK\"", "sections[0]", "\"correct\"", "required");
}

static const char *check_image(const char *name, const void *data, size_t len)
{
	const char *mime = NULL;
	err[0] = '\0';
	if (bank_check_image(name, data, len, &mime, err, sizeof err) != 0)
		return NULL;
	return mime;
}

static void expect_image_bad(const char *name, const char *data, const char *needle)
{
	const char *mime = check_image(name, data, strlen(data));
	if (mime)
		fail_msg("%s accepted as %s: %s", name, mime, data);
	if (needle && !strstr(err, needle))
		fail_msg("expected '%s' in: %s", needle, err);
}

/* PNG and JPEG files are checked against their signatures. */
static void test_image_signatures(void **state)
{
	(void)state;
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
	static const unsigned char jpg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F' };
	assert_string_equal(check_image("a.png", png, sizeof png), "image/png");
	assert_string_equal(check_image("a.jpg", jpg, sizeof jpg), "image/jpeg");
	assert_string_equal(check_image("a.jpeg", jpg, sizeof jpg), "image/jpeg");
	/* Swapped contents, truncated signatures, text in disguise. */
	assert_null(check_image("a.png", jpg, sizeof jpg));
	assert_non_null(strstr(err, "PNG"));
	assert_null(check_image("a.jpg", png, sizeof png));
	assert_non_null(strstr(err, "JPEG"));
	assert_null(check_image("a.png", png, 7));
	assert_null(check_image("a.jpg", jpg, 2));
	assert_null(check_image("a.png", "<svg></svg>", 11));
	assert_null(check_image("a.gif", "GIF89a", 6));
	assert_null(check_image("a.png", png, 0));
}

/* SVG: accepted when plain, rejected with scripts, handlers, javascript: links or no <svg>. */
static void test_image_svg(void **state)
{
	(void)state;
	const char *ok = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "width=\"100\" height=\"60\" viewBox=\"0 0 100 60\">\n"
			 "  <rect x=\"5\" y=\"5\" width=\"40\" height=\"40\" fill=\"none\" "
			 "stroke=\"black\" opacity=\"0.5\"/>\n"
			 "  <text x=\"50\" y=\"30\">Gambar 1 \xE2\x80\x94 x = 5</text>\n</svg>\n";
	assert_string_equal(check_image("img/fig.svg", ok, strlen(ok)), "image/svg+xml");
	expect_image_bad("a.svg", "<svg><script>alert(1)</script></svg>", "script");
	expect_image_bad("a.svg", "<svg><SCRIPT>alert(1)</SCRIPT></svg>", "script");
	expect_image_bad("a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
			 "event");
	expect_image_bad("a.svg", "<svg>\n<rect\n\tONMOUSEOVER = \"x()\"/></svg>", "event");
	expect_image_bad("a.svg", "<svg><a href=\"javascript:alert(1)\">x</a></svg>", "javascript");
	expect_image_bad("a.svg", "<svg><a href=\"JavaScript:alert(1)\">x</a></svg>", "javascript");
	expect_image_bad("a.svg", "<svg><foreignObject><p>x</p></foreignObject></svg>",
			 "foreignObject");
	expect_image_bad("a.svg", "<html><body>no svg here</body></html>", "<svg>");
	expect_image_bad("a.svg", "<svg>\xFF</svg>", "UTF-8");
}

/* The script checks also hold when the markup is spelled differently but means the same to an
 * XML parser: a namespace-prefixed <script> element, or a javascript: URL written with a
 * character reference or a tab (both are decoded/stripped before the URL is used). */
static void test_image_svg_obfuscated_script(void **state)
{
	(void)state;
	expect_image_bad("a.svg",
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:s=\"http://www.w3.org/2000/svg\">"
			 "<s:script>alert(1)</s:script></svg>",
			 "script");
	expect_image_bad("a.svg",
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
			 "<a xlink:href=\"&#106;avascript:alert(1)\"><text y=\"9\">x</text></a></svg>",
			 "javascript");
	expect_image_bad("a.svg",
			 "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"java\tscript:alert(1)\">"
			 "<text y=\"9\">x</text></a></svg>",
			 "javascript");
}

/* Text content that merely reads like "on...=" is not an event attribute: an SVG figure for an
 * arithmetic item saying "1 ons = 100 gram" (ons is a common Indonesian unit) is acceptable. */
static void test_image_svg_text_is_not_handler(void **state)
{
	(void)state;
	const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\">"
			  "<text x=\"10\" y=\"20\">1 ons = 100 gram</text></svg>";
	const char *mime = check_image("img/ons.svg", svg, strlen(svg));
	if (!mime)
		fail_msg("plain SVG text rejected: %s", err);
	assert_string_equal(mime, "image/svg+xml");
}

/* Images up to 1 MiB are accepted; one byte more is refused. */
static void test_image_size_limit(void **state)
{
	(void)state;
	size_t max = 1024 * 1024;
	unsigned char *buf = calloc(1, max + 1);
	memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
	const char *mime = check_image("big.png", buf, max);
	const char *mime2 = check_image("big.png", buf, max + 1);
	free(buf);
	assert_non_null(mime);
	assert_null(mime2);
	assert_non_null(strstr(err, "1048577"));
}

/* Highest points of an item: the key (or best of wrong/blank) for right_wrong, best option for weighted. */
static void test_item_max_points(void **state)
{
	(void)state;
	struct bank_def def;
	json_t *b = base_bank();
	assert_int_equal(bank_parse(b, &def, err, sizeof err), 0);
	json_decref(b);
	assert_int_equal(bank_item_max_points(&def.items[0], &def.sec[0]), 5);
	assert_int_equal(bank_item_max_points(&def.items[1], &def.sec[1]), 5);
	bank_def_free(&def);

	struct bank_item it;
	memset(&it, 0, sizeof it);
	it.n_options = 3;
	it.opt[0].points = -3;
	it.opt[1].points = -1;
	it.opt[2].points = -2;
	struct section_rule w = { .type = SCORING_WEIGHTED, .blank = 0 };
	assert_int_equal(bank_item_max_points(&it, &w), 0); /* blank beats every option */
	it.opt[1].points = 7;
	assert_int_equal(bank_item_max_points(&it, &w), 7);
	struct section_rule neg = { .type = SCORING_RIGHT_WRONG, .correct = 4, .wrong = -1, .blank = 0 };
	assert_int_equal(bank_item_max_points(&it, &neg), 4);
}

/* bank_check reports every problem, each with its item and field; the
 * first one is also what bank_parse reports. */
static void test_check_reports_every_error(void **state)
{
	struct errlist l;
	struct bank_def def;
	json_t *b = base_bank();
	(void)state;
	json_object_set_new(item(b, 0), "difficulty", json_string("sedang"));
	json_object_set_new(item(b, 1), "topic", json_string("Bukan Topik"));
	json_object_del(option(b, 1, 2), "points");
	json_object_set_new(item(b, 2), "id", json_string("TWK-001"));
	errlist_init(&l, 0);
	assert_int_equal(bank_check(b, &def, &l), -1);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].item, "item \"TWK-001\" (items[0])");
	assert_string_equal(l.v[0].field, "difficulty");
	assert_string_equal(l.v[1].item, "item \"TKP-001\" (items[1])");
	assert_string_equal(l.v[1].field, "topic");
	assert_string_equal(l.v[2].item, "item \"TKP-001\" (items[1]) options[2]");
	assert_string_equal(l.v[2].field, "points");
	assert_string_equal(l.v[3].item, "item \"TWK-001\" (items[2])");
	assert_string_equal(l.v[3].field, "id");
	assert_string_equal(l.v[3].message, "duplicate id (first used by items[0])");
	assert_int_equal(def.n_items, 0);
	assert_null(def.items);
	errlist_free(&l);
	err[0] = '\0';
	assert_int_equal(bank_parse(b, &def, err, sizeof err), -1);
	assert_string_equal(err, "item \"TWK-001\" (items[0]) field \"difficulty\": must be easy, "
				 "medium or hard (got \"sedang\")");
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_reject_duplicate_id),
		cmocka_unit_test(test_reject_unknown_section),
		cmocka_unit_test(test_reject_one_option),
		cmocka_unit_test(test_reject_seven_options),
		cmocka_unit_test(test_reject_zero_correct),
		cmocka_unit_test(test_reject_two_correct),
		cmocka_unit_test(test_reject_points_in_right_wrong),
		cmocka_unit_test(test_reject_correct_in_weighted),
		cmocka_unit_test(test_reject_missing_points),
		cmocka_unit_test(test_reject_unknown_field_typo),
		cmocka_unit_test(test_reject_unknown_item_field),
		cmocka_unit_test(test_reject_oversized_text),
		cmocka_unit_test(test_reject_control_char),
		cmocka_unit_test(test_reject_bad_difficulty),
		cmocka_unit_test(test_reject_bad_image_paths),
		cmocka_unit_test(test_image_path_ok),
		cmocka_unit_test(test_reject_bad_section),
		cmocka_unit_test(test_image_signatures),
		cmocka_unit_test(test_image_svg),
		cmocka_unit_test(test_image_svg_obfuscated_script),
		cmocka_unit_test(test_image_svg_text_is_not_handler),
		cmocka_unit_test(test_image_size_limit),
		cmocka_unit_test(test_item_max_points),
		cmocka_unit_test(test_check_reports_every_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
