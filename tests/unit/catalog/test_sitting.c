/* test_sitting.c - the pure parts of sittings: tokens, field checks, the
 * request body, and how a reload updates a sitting in place
 * (server/catalog/sitting.c, loader_sitting_update in server/catalog/loader.c). */
#include "unit.h"

#include "auth/principal.h"
#include "catalog/loader.h"
#include "catalog/sitting.h"
#include "core/hmap.h"
#include "core/mem.h"
#include "exam/registry.h"

#include <stdio.h>

#include <jansson.h>
#include <string.h>

static void test_token_alphabet(void **state)
{
	uint8_t b[UJ_SITTING_TOKEN_LEN];
	char t[UJ_SITTING_TOKEN_LEN + 1];
	int seen[256] = { 0 }, distinct = 0;
	(void)state;
	/* Every byte value maps into the alphabet, each letter 8 times. */
	for (int v = 0; v < 256; v += UJ_SITTING_TOKEN_LEN) {
		for (int i = 0; i < UJ_SITTING_TOKEN_LEN; i++)
			b[i] = (uint8_t)(v + i);
		sitting_token_from_bytes(b, t);
		assert_int_equal(strlen(t), UJ_SITTING_TOKEN_LEN);
		assert_true(sitting_token_valid(t));
		for (int i = 0; i < UJ_SITTING_TOKEN_LEN; i++)
			seen[(unsigned char)t[i]]++;
	}
	for (int c = 0; c < 256; c++)
		distinct += seen[c] > 0;
	assert_int_equal(distinct, (int)strlen(SITTING_TOKEN_ALPHABET));
	assert_int_equal(seen['0'] + seen['O'] + seen['1'] + seen['I'], 0);
	for (int k = 0; k < 50; k++) {
		sitting_token_new(t);
		assert_true(sitting_token_valid(t));
	}
	assert_false(sitting_token_valid("ABC12"));  /* short, and 1 */
	assert_false(sitting_token_valid("ABCDE0"));
	assert_false(sitting_token_valid("abcdef"));
	assert_false(sitting_token_valid("ABCDEFG"));
	assert_true(sitting_token_valid("K7M2QX"));
}

static void test_roles_agree(void **state)
{
	(void)state;
	/* sitting.c names these bits without including auth/. */
	assert_int_equal(ROLE_ADMIN, 1u << 0);
	assert_int_equal(ROLE_PROCTOR, 1u << 2);
}

static void test_spec_check(void **state)
{
	struct sitting_spec s;
	struct errlist errs;
	(void)state;
	memset(&s, 0, sizeof s);
	errlist_init(&errs, 0);
	s.has_room = 1;
	strcpy(s.room, "Ruang\x01");
	s.has_rotate = 1;
	s.rotate_min = UJ_ROTATE_MAX_MIN + 1;
	s.n_proctors = 1;
	strcpy(s.proctor[0], "Bad Name");
	assert_int_equal(sitting_spec_check(&s, &errs), -1);
	assert_int_equal(errs.total, 3);
	errlist_free(&errs);
	errlist_init(&errs, 0);
	strcpy(s.room, "Ruang 1");
	s.rotate_min = UJ_ROTATE_MAX_MIN;
	strcpy(s.proctor[0], "pengawas.1");
	assert_int_equal(sitting_spec_check(&s, &errs), 0);
	errlist_free(&errs);
	assert_true(sitting_code_valid("R1-PAGI"));
	assert_false(sitting_code_valid("-R1"));
	assert_false(sitting_code_valid("R 1"));
	assert_false(sitting_code_valid(""));
}

static void test_spec_from_json(void **state)
{
	struct sitting_spec s;
	struct errlist errs;
	json_t *body;
	(void)state;
	errlist_init(&errs, 0);
	body = json_pack("{s:s,s:s,s:s,s:i,s:b,s:[s,s]}", "code", "R1", "room", "Ruang 1",
			 "starts_at", "2026-03-02T08:00:00+07:00", "rotate_min", 15,
			 "start_together", 1, "proctors", "a", "b");
	assert_int_equal(sitting_spec_from_json(body, 1, &s, &errs), 0);
	assert_string_equal(s.code, "R1");
	assert_true(s.has_room && s.has_starts_at && s.has_rotate && s.has_together &&
		    s.has_proctors);
	assert_int_equal(s.starts_at, 1772413200000LL);
	assert_int_equal(s.rotate_min, 15);
	assert_int_equal(s.start_together, 1);
	assert_int_equal(s.n_proctors, 2);
	json_decref(body);
	/* Edit: code is not a field; every problem is reported. */
	body = json_pack("{s:s,s:s,s:i,s:i,s:s,s:[i]}", "code", "R2", "starts_at", "tomorrow",
			 "rotate_min", -1, "start_together", 3, "colour", "red", "proctors", 7);
	assert_int_equal(sitting_spec_from_json(body, 0, &s, &errs), -1);
	assert_int_equal(errs.total, 6);
	json_decref(body);
	errlist_free(&errs);
	/* Create without a code. */
	errlist_init(&errs, 0);
	body = json_pack("{s:n}", "starts_at");
	assert_int_equal(sitting_spec_from_json(body, 1, &s, &errs), -1);
	assert_int_equal(errs.total, 1);
	assert_string_equal(errs.v[0].field, "code");
	json_decref(body);
	errlist_free(&errs);
}

static void test_reload_never_goes_back(void **state)
{
	struct rt_sitting ram, db;
	int marker;
	(void)state;
	memset(&ram, 0, sizeof ram);
	ram.id = 7;
	strcpy(ram.code, "R1");
	strcpy(ram.token, "NEWTOK");
	strcpy(ram.prev_token, "OLDTOK");
	ram.token_at = 2000;
	ram.started_at = 1500;
	ram.live = &marker;
	db = ram;
	db.live = NULL;
	strcpy(db.room, "Aula");
	strcpy(db.token, "OLDTOK");
	strcpy(db.prev_token, "");
	db.token_at = 1000; /* the runtime rotated after: the writer has not stored it yet */
	db.started_at = 0;  /* nor Mulai */
	db.rotate_min = 5;
	db.n_proctors = 1;
	db.proctor[0] = 42;
	loader_sitting_update(&ram, &db);
	assert_string_equal(ram.room, "Aula");
	assert_int_equal(ram.rotate_min, 5);
	assert_int_equal(ram.n_proctors, 1);
	assert_int_equal(ram.proctor[0], 42);
	assert_string_equal(ram.token, "NEWTOK");
	assert_string_equal(ram.prev_token, "OLDTOK");
	assert_int_equal(ram.token_at, 2000);
	assert_int_equal(ram.started_at, 1500);
	assert_ptr_equal(ram.live, &marker); /* the proctor domain's state stays */
	/* A newer (or equally new) database value is taken. */
	strcpy(db.token, "CLITOK");
	strcpy(db.prev_token, "NEWTOK");
	db.token_at = 3000;
	db.started_at = 1500;
	db.closed_at = 4000;
	loader_sitting_update(&ram, &db);
	assert_string_equal(ram.token, "CLITOK");
	assert_string_equal(ram.prev_token, "NEWTOK");
	assert_int_equal(ram.token_at, 3000);
	assert_int_equal(ram.closed_at, 4000);
}

/* A batch as loader_load makes it: rows (exam set), and cand -> sitting. */
static void batch_of(struct load_batch *b, struct rt_sitting *rows, size_t n, int64_t *pairs,
		     size_t npairs)
{
	memset(b, 0, sizeof *b);
	hmap_init(&b->cand_sitting);
	b->has_sittings = 1;
	b->sittings = xcalloc(n ? n : 1, sizeof *rows);
	memcpy(b->sittings, rows, n * sizeof *rows);
	b->n_sittings = n;
	b->cand_ids = xcalloc(2 * (npairs ? npairs : 1), sizeof *pairs);
	memcpy(b->cand_ids, pairs, 2 * npairs * sizeof *pairs);
	for (size_t i = 0; i < npairs; i++)
		hmap_put(&b->cand_sitting, &b->cand_ids[2 * i], sizeof(int64_t), &b->cand_ids[2 * i + 1]);
}

static void test_merge_in_place(void **state)
{
	struct registry r;
	struct rt_exam *e = xcalloc(1, sizeof *e);
	struct rt_sitting rows[2];
	struct load_batch b;
	struct rt_sitting *s1, *s2;
	int64_t pairs[] = { 1, 10, 2, 10, 3, 20 };
	int live;
	(void)state;

	registry_init(&r);
	e->id = 5;
	strcpy(e->def.code, "EX");
	hmap_init(&e->candidates);
	hmap_puts(&r.exams, e->def.code, e);
	for (int i = 1; i <= 3; i++) {
		struct rt_candidate *c = xcalloc(1, sizeof *c);
		c->id = i;
		c->exam = e;
		snprintf(c->regno, sizeof c->regno, "C%d", i);
		c->all_next = r.all;
		r.all = c;
		hmap_puts(&e->candidates, c->regno, c);
	}
	memset(rows, 0, sizeof rows);
	rows[0].id = 10;
	rows[0].exam = e;
	strcpy(rows[0].code, "R1");
	strcpy(rows[0].token, "AAAAAA");
	rows[0].token_at = 100;
	/* First load: one sitting, candidates 1 and 2 in it. */
	batch_of(&b, rows, 1, pairs, 2);
	loader_merge(&r, &b);
	s1 = e->sittings;
	assert_non_null(s1);
	assert_null(s1->next);
	assert_int_equal(s1->n_candidates, 2);
	assert_ptr_equal(registry_candidate(e, "C1")->sitting, s1);
	assert_null(registry_candidate(e, "C3")->sitting);
	s1->live = &live; /* the proctor domain holds it */
	/* Second load: R1 edited, R2 new, candidate 2 moved out, 3 into R2. */
	strcpy(rows[0].room, "Aula");
	rows[1].id = 20;
	rows[1].exam = e;
	strcpy(rows[1].code, "R2");
	strcpy(rows[1].token, "BBBBBB");
	int64_t pairs2[] = { 1, 10, 3, 20 };
	batch_of(&b, rows, 2, pairs2, 2);
	loader_merge(&r, &b);
	assert_ptr_equal(e->sittings, s1); /* the same memory */
	assert_string_equal(s1->room, "Aula");
	assert_ptr_equal(s1->live, &live);
	s2 = s1->next;
	assert_non_null(s2);
	assert_string_equal(s2->code, "R2"); /* appended at the end */
	assert_int_equal(s1->n_candidates, 1);
	assert_int_equal(s2->n_candidates, 1);
	assert_null(registry_candidate(e, "C2")->sitting);
	assert_ptr_equal(registry_candidate(e, "C3")->sitting, s2);
	s1->live = NULL;
	registry_free(&r);
	(void)pairs;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_alphabet),
		cmocka_unit_test(test_roles_agree),
		cmocka_unit_test(test_spec_check),
		cmocka_unit_test(test_spec_from_json),
		cmocka_unit_test(test_reload_never_goes_back),
		cmocka_unit_test(test_merge_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
