/* test_board.c - the public scoreboard (server/proctor/board.c) over a
 * registry built by hand: masking, what a row holds (and does not), the
 * threshold flag, newest-first order, the sitting filter, the cached
 * snapshot and its ETag, and the scoreboard switch. */
#include "unit.h"
#include "unit_exam.h"

#include "proctor/board.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void test_mask_name(void **state)
{
	char out[128];
	(void)state;
	board_mask_name("Budi Santoso", out, sizeof out);
	assert_string_equal(out, "BUD*** SAN***");
	board_mask_name("  siti   nur  haliza ", out, sizeof out);
	assert_string_equal(out, "SIT*** NUR*** HAL***");
	board_mask_name("Al", out, sizeof out);
	assert_string_equal(out, "AL***");
	board_mask_name("Ñoño Éclair", out, sizeof out); /* characters, not bytes */
	assert_string_equal(out, "ÑOñ*** ÉCL***"); /* ASCII letters in capitals */
	board_mask_name("", out, sizeof out);
	assert_string_equal(out, "");
	/* Never cut inside a piece: a short buffer holds whole pieces only. */
	board_mask_name("Budi Santoso", out, 10);
	assert_string_equal(out, "BUD***");
}

static void test_mask_regno(void **state)
{
	char out[64];
	(void)state;
	board_mask_regno("202400000123", out, sizeof out);
	assert_string_equal(out, "2024****0123");
	board_mask_regno("1234567890", out, sizeof out);
	assert_string_equal(out, "1234**7890");
	board_mask_regno("123456789", out, sizeof out);
	assert_string_equal(out, "*******89");
	board_mask_regno("C001", out, sizeof out);
	assert_string_equal(out, "**01");
	board_mask_regno("AB", out, sizeof out);
	assert_string_equal(out, "**");
}

struct fx {
	struct event_base *base;
	struct exam_rt x;
	struct sse_hub *hub;
	struct board *b;
	struct rt_exam *e;
	struct rt_sitting *s1, *s2;
};

static struct fx F;

static struct rt_candidate *finished(int64_t id, const char *regno, const char *name,
				     int64_t at, int twk, int tiu, struct rt_sitting *s)
{
	struct rt_candidate *c = unit_candidate_add(&F.x.reg, F.e, id, regno, 0);
	free(c->name);
	c->name = xstrdup(name);
	c->status = ATT_FINISHED;
	c->reason = FINISH_SUBMITTED;
	c->finished_at = at;
	c->score[0] = twk;
	c->score[1] = tiu;
	c->total = twk + tiu;
	c->rule = &F.e->def.rules[0];
	c->sitting = s;
	return c;
}

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof F);
	F.base = event_base_new();
	registry_init(&F.x.reg);
	F.x.base = F.base;
	F.e = unit_exam_add(&F.x.reg, 1, "SKD", 3600, 2, 4);
	snprintf(F.e->def.title, sizeof F.e->def.title, "SKD 2024");
	snprintf(F.e->def.sec[0].code, sizeof F.e->def.sec[0].code, "TWK");
	snprintf(F.e->def.sec[1].code, sizeof F.e->def.sec[1].code, "TIU");
	F.e->def.scoreboard = 1;
	F.e->def.n_rules = 1;
	F.e->def.rules[0].n_min = 2;
	F.e->def.rules[0].min_section[0] = 0;
	F.e->def.rules[0].min_value[0] = 65;
	F.e->def.rules[0].min_section[1] = 1;
	F.e->def.rules[0].min_value[1] = 80;
	F.s1 = xcalloc(1, sizeof *F.s1);
	snprintf(F.s1->code, sizeof F.s1->code, "R1");
	F.s2 = xcalloc(1, sizeof *F.s2);
	snprintf(F.s2->code, sizeof F.s2->code, "R2");
	F.s1->next = F.s2;
	F.e->sittings = F.s1;
	F.hub = sse_hub_new(F.base, 8, 4096);
	sse_hub_set_id_base(F.hub, 0); /* ids 1, 2, 3 */
	F.b = board_new(F.hub, &F.x);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	board_free(F.b);
	sse_hub_free(F.hub);
	registry_free(&F.x.reg);
	event_base_free(F.base);
	return 0;
}

static json_t *snapshot(const char *sitting, const char **etag_out)
{
	const char *js, *etag;
	size_t len;
	json_error_t err;
	assert_int_equal(board_snapshot(F.b, "SKD", sitting, &js, &len, &etag), 0);
	assert_int_equal(strlen(js), len);
	assert_non_null(strchr(etag, '"'));
	if (etag_out)
		*etag_out = etag;
	json_t *j = json_loadb(js, len, 0, &err);
	assert_non_null(j);
	return j;
}

/* Rows: newest first, masked, the exam's section scores and total, the
 * threshold flag (true only if every minimum is met), DIS rows never
 * meeting it; nothing else about the candidate. */
static void test_snapshot_rows(void **state)
{
	(void)state;
	finished(1, "202400000001", "Budi Santoso", 1000, 70, 90, F.s1);  /* passes */
	finished(2, "202400000002", "Siti Aminah", 3000, 60, 90, F.s2);   /* TWK short */
	struct rt_candidate *d = finished(3, "202400000003", "Joko Widodo", 2000, 100, 100, F.s1);
	d->reason = FINISH_DISQUALIFIED;
	struct rt_candidate *n = unit_candidate_add(&F.x.reg, F.e, 4, "202400000004", 0);
	n->status = ATT_IN_PROGRESS; /* not on the board */

	json_t *j = snapshot(NULL, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "exam"), "code")),
			    "SKD");
	assert_int_equal(json_array_size(json_object_get(j, "sections")), 2);
	assert_non_null(json_object_get(j, "server_time"));
	json_t *rows = json_object_get(j, "rows");
	assert_int_equal(json_array_size(rows), 3);
	json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1),
	       *r2 = json_array_get(rows, 2);
	assert_string_equal(json_string_value(json_object_get(r0, "name")), "SIT*** AMI***");
	assert_string_equal(json_string_value(json_object_get(r0, "regno")), "2024****0002");
	assert_true(json_is_false(json_object_get(r0, "thresholds_met")));
	assert_true(json_is_false(json_object_get(r0, "dis")));
	assert_string_equal(json_string_value(json_object_get(r1, "name")), "JOK*** WID***");
	assert_true(json_is_true(json_object_get(r1, "dis")));
	assert_true(json_is_false(json_object_get(r1, "thresholds_met")));
	assert_int_equal(json_integer_value(json_object_get(r1, "total")), 200);
	assert_string_equal(json_string_value(json_object_get(r2, "name")), "BUD*** SAN***");
	assert_true(json_is_true(json_object_get(r2, "thresholds_met")));
	assert_int_equal(json_integer_value(json_object_get(r2, "total")), 160);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r2, "scores"), "TWK")),
			 70);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r2, "scores"), "TIU")),
			 90);
	/* Exactly the contract's keys. */
	const char *keys[] = { "name", "regno", "scores", "total", "thresholds_met",
			       "finished_at", "dis" };
	assert_int_equal(json_object_size(r2), sizeof keys / sizeof *keys);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		assert_non_null(json_object_get(r2, keys[i]));
	json_decref(j);

	/* Without a pass rule: null. */
	F.e->def.n_rules = 0;
	for (struct rt_candidate *c = F.x.reg.all; c; c = c->all_next)
		c->rule = NULL;
	board_finished(F.b, n); /* not finished: ignored, the cache stays */
	n->status = ATT_FINISHED;
	n->finished_at = 500;
	board_finished(F.b, n);
	j = snapshot(NULL, NULL);
	rows = json_object_get(j, "rows");
	assert_int_equal(json_array_size(rows), 4);
	assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "thresholds_met")));
	assert_true(json_is_false(json_object_get(json_array_get(rows, 1), "thresholds_met")));
	json_decref(j);
}

/* ?sitting= shows that sitting's candidates only; an unknown sitting, an
 * unknown exam or an exam without the scoreboard is no board. */
static void test_sitting_filter_and_switch(void **state)
{
	const char *js, *etag;
	size_t len;
	(void)state;
	finished(1, "A0000000001", "Satu", 1000, 1, 1, F.s1);
	finished(2, "A0000000002", "Dua", 2000, 1, 1, F.s2);
	finished(3, "A0000000003", "Tiga", 3000, 1, 1, NULL);
	json_t *j = snapshot("R1", NULL);
	assert_int_equal(json_array_size(json_object_get(j, "rows")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "rows"), 0), "name")),
			    "SAT***");
	assert_string_equal(json_string_value(json_object_get(j, "sitting")), "R1");
	json_decref(j);
	j = snapshot("", NULL);
	assert_int_equal(json_array_size(json_object_get(j, "rows")), 3);
	assert_null(json_object_get(j, "sitting"));
	json_decref(j);
	assert_int_equal(board_snapshot(F.b, "SKD", "R9", &js, &len, &etag), -1);
	assert_int_equal(board_snapshot(F.b, "NOPE", NULL, &js, &len, &etag), -1);
	F.e->def.scoreboard = 0;
	assert_int_equal(board_snapshot(F.b, "SKD", NULL, &js, &len, &etag), -1);
	assert_int_equal(board_snapshot(F.b, "SKD", "R1", &js, &len, &etag), -1);
}

/* The snapshot is built once and kept (same bytes, same ETag) until a
 * finish of the exam; then it has the new row and another ETag. */
static void test_cache_and_etag(void **state)
{
	const char *js1, *js2, *e1, *e2;
	size_t l1, l2;
	char etag1[32];
	(void)state;
	finished(1, "A0000000001", "Satu", 1000, 1, 1, F.s1);
	assert_int_equal(board_snapshot(F.b, "SKD", NULL, &js1, &l1, &e1), 0);
	snprintf(etag1, sizeof etag1, "%s", e1);
	assert_int_equal(board_snapshot(F.b, "SKD", NULL, &js2, &l2, &e2), 0);
	assert_ptr_equal(js1, js2); /* the cached bytes, not a rebuild */
	assert_string_equal(e2, etag1);
	struct rt_candidate *c = finished(2, "A0000000002", "Dua", 2000, 1, 1, F.s1);
	board_finished(F.b, c);
	assert_int_equal(board_snapshot(F.b, "SKD", NULL, &js2, &l2, &e2), 0);
	assert_string_not_equal(e2, etag1);
	assert_non_null(strstr(js2, "DUA***"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_name),
		cmocka_unit_test(test_mask_regno),
		cmocka_unit_test_setup_teardown(test_snapshot_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sitting_filter_and_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_and_etag, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
