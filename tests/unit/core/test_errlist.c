/* test_errlist.c - the capped list of validation errors (server/core/errlist.c). */
#include "unit.h"

#include "core/errlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_format_names_line_item_field(void **state)
{
	struct errlist l;
	char buf[256];
	(void)state;
	errlist_init(&l, 0);
	errlist_add(&l, 5, NULL, "name", "must not be %s", "empty");
	errlist_add(&l, 0, "item \"X\" (items[2])", "topic", "bad");
	errlist_add(&l, 1, NULL, NULL, "unknown column \"nama\"");
	errlist_add(&l, 0, NULL, NULL, "not valid JSON");
	assert_int_equal(l.n, 4);
	assert_int_equal(errlist_more(&l), 0);
	assert_string_equal(errlist_format(&l.v[0], buf, sizeof buf),
			    "line 5 field \"name\": must not be empty");
	assert_string_equal(errlist_format(&l.v[1], buf, sizeof buf),
			    "item \"X\" (items[2]) field \"topic\": bad");
	assert_string_equal(errlist_format(&l.v[2], buf, sizeof buf),
			    "line 1: unknown column \"nama\"");
	assert_string_equal(errlist_format(&l.v[3], buf, sizeof buf), "not valid JSON");
	errlist_first(&l, buf, sizeof buf);
	assert_string_equal(buf, "line 5 field \"name\": must not be empty");
	errlist_free(&l);
	errlist_first(&l, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_cap_counts_the_rest(void **state)
{
	struct errlist l;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	(void)state;
	errlist_init(&l, 3);
	for (int i = 0; i < 10; i++)
		errlist_add(&l, i + 2, NULL, "f", "bad %d", i);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.total, 10);
	assert_int_equal(errlist_more(&l), 7);
	f = open_memstream(&text, &len);
	errlist_print(&l, f, "ujian x: a.csv");
	fclose(f);
	assert_string_equal(text, "ujian x: a.csv: line 2 field \"f\": bad 0\n"
				  "ujian x: a.csv: line 3 field \"f\": bad 1\n"
				  "ujian x: a.csv: line 4 field \"f\": bad 2\n"
				  "ujian x: a.csv: ... and 7 more errors\n");
	free(text);
	errlist_free(&l);
}

static void test_json_shape_and_utf8(void **state)
{
	struct errlist l;
	char big[2000];
	json_t *j;
	char *s;
	(void)state;
	errlist_init(&l, 0);
	errlist_add(&l, 7, NULL, "name", "too long");
	errlist_add(&l, 0, "item \"A\" (items[0])", NULL, "must be an object");
	/* a message cut inside a multi-byte character stays valid UTF-8 */
	memset(big, 'x', sizeof big);
	memcpy(big + 1022, "\xC3\xA9\xC3\xA9", 4);
	big[sizeof big - 1] = '\0';
	errlist_add(&l, 0, NULL, NULL, "%s", big);
	j = errlist_to_json(&l);
	assert_int_equal(json_array_size(j), 3);
	s = json_dumps(json_array_get(j, 0), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"line\":7,\"item\":null,\"field\":\"name\",\"message\":\"too long\"}");
	free(s);
	s = json_dumps(json_array_get(j, 1), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"line\":null,\"item\":\"item \\\"A\\\" (items[0])\",\"field\":null,"
			       "\"message\":\"must be an object\"}");
	free(s);
	assert_non_null(json_string_value(json_object_get(json_array_get(j, 2), "message")));
	json_decref(j);
	errlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names_line_item_field),
		cmocka_unit_test(test_cap_counts_the_rest),
		cmocka_unit_test(test_json_shape_and_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
