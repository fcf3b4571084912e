/* test_hmap.c - open-addressing hash map (server/hmap.c). */
#include "unit.h"

#include "core/hmap.h"

#include <stdio.h>
#include <string.h>

#define N_KEYS 10000

static char keys[N_KEYS][16];
static int vals[N_KEYS];

static void make_keys(void)
{
	for (int i = 0; i < N_KEYS; i++) {
		snprintf(keys[i], sizeof keys[i], "key-%d", i);
		vals[i] = i;
	}
}

static size_t count_by_iteration(const struct hmap *m)
{
	size_t it = 0, n = 0;
	while (hmap_next(m, &it))
		n++;
	return n;
}

/* An empty map finds nothing and deletes nothing. */
static void test_empty(void **state)
{
	(void)state;
	struct hmap m;
	size_t it = 0;
	hmap_init(&m);
	assert_null(hmap_gets(&m, "x"));
	assert_null(hmap_dels(&m, "x"));
	assert_null(hmap_next(&m, &it));
	assert_int_equal(m.len, 0);
	hmap_free(&m);
}

/* put returns NULL for a new key and the old value on replace; get sees the newest value. */
static void test_put_get_replace(void **state)
{
	(void)state;
	struct hmap m;
	int a = 1, b = 2, c = 3;
	hmap_init(&m);
	assert_null(hmap_puts(&m, "alpha", &a));
	assert_null(hmap_puts(&m, "beta", &b));
	assert_ptr_equal(hmap_gets(&m, "alpha"), &a);
	assert_ptr_equal(hmap_gets(&m, "beta"), &b);
	assert_null(hmap_gets(&m, "gamma"));
	assert_null(hmap_gets(&m, "alph"));
	assert_ptr_equal(hmap_puts(&m, "alpha", &c), &a);
	assert_ptr_equal(hmap_gets(&m, "alpha"), &c);
	assert_int_equal(m.len, 2);
	assert_ptr_equal(hmap_dels(&m, "alpha"), &c);
	assert_null(hmap_gets(&m, "alpha"));
	assert_null(hmap_dels(&m, "alpha"));
	assert_int_equal(m.len, 1);
	hmap_free(&m);
}

/* Keys are byte strings: length matters and embedded NULs are significant. */
static void test_binary_keys(void **state)
{
	(void)state;
	struct hmap m;
	int a = 1, b = 2, c = 3;
	static const char k1[] = "ab\0x", k2[] = "ab\0y";
	hmap_init(&m);
	hmap_put(&m, k1, 2, &a); /* "ab" */
	hmap_put(&m, k1, 4, &b); /* "ab\0x" */
	hmap_put(&m, k2, 4, &c); /* "ab\0y" */
	assert_int_equal(m.len, 3);
	assert_ptr_equal(hmap_get(&m, "ab", 2), &a);
	assert_ptr_equal(hmap_get(&m, k1, 4), &b);
	assert_ptr_equal(hmap_get(&m, k2, 4), &c);
	assert_null(hmap_get(&m, k1, 3));
	int64_t id = 42;
	hmap_put(&m, &id, sizeof id, &a);
	int64_t probe = 42;
	assert_ptr_equal(hmap_get(&m, &probe, sizeof probe), &a);
	hmap_free(&m);
}

/* 10,000 keys; delete every other one (backward-shift deletion); all lookups stay right. */
static void test_many_keys_delete_every_other(void **state)
{
	(void)state;
	struct hmap m;
	make_keys();
	hmap_init(&m);
	for (int i = 0; i < N_KEYS; i++)
		assert_null(hmap_puts(&m, keys[i], &vals[i]));
	assert_int_equal(m.len, N_KEYS);
	assert_true(m.len * 4 <= m.cap * 3); /* load factor kept at or below 3/4 */
	assert_int_equal(m.cap & (m.cap - 1), 0);
	for (int i = 0; i < N_KEYS; i++)
		assert_ptr_equal(hmap_gets(&m, keys[i]), &vals[i]);
	assert_int_equal(count_by_iteration(&m), N_KEYS);

	for (int i = 0; i < N_KEYS; i += 2)
		assert_ptr_equal(hmap_dels(&m, keys[i]), &vals[i]);
	assert_int_equal(m.len, N_KEYS / 2);
	for (int i = 0; i < N_KEYS; i++) {
		void *v = hmap_gets(&m, keys[i]);
		if (i % 2 == 0 && v)
			fail_msg("deleted key %s still found", keys[i]);
		if (i % 2 == 1 && v != &vals[i])
			fail_msg("key %s lost after deletions", keys[i]);
	}
	assert_int_equal(count_by_iteration(&m), N_KEYS / 2);

	/* Put them back, replace the odd ones, check everything again. */
	for (int i = 0; i < N_KEYS; i += 2)
		assert_null(hmap_puts(&m, keys[i], &vals[i]));
	for (int i = 1; i < N_KEYS; i += 2)
		assert_ptr_equal(hmap_puts(&m, keys[i], &vals[i - 1]), &vals[i]);
	for (int i = 0; i < N_KEYS; i++)
		assert_ptr_equal(hmap_gets(&m, keys[i]), &vals[i % 2 ? i - 1 : i]);
	assert_int_equal(m.len, N_KEYS);

	/* Delete everything, in reverse. */
	for (int i = N_KEYS - 1; i >= 0; i--)
		assert_non_null(hmap_dels(&m, keys[i]));
	assert_int_equal(m.len, 0);
	assert_int_equal(count_by_iteration(&m), 0);
	hmap_free(&m);
}

/* Random churn on a small map agrees with a plain array model at every step. */
static void test_random_churn_against_model(void **state)
{
	(void)state;
	enum { NK = 300, OPS = 200000 };
	struct hmap m;
	void *model[NK] = { 0 };
	size_t live = 0;
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	make_keys();
	hmap_init(&m);
	for (int op = 0; op < OPS; op++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int k = (int)(x % NK), what = (int)((x >> 32) % 3);
		if (what == 0) {
			void *prev = hmap_puts(&m, keys[k], &vals[op % N_KEYS]);
			assert_ptr_equal(prev, model[k]);
			if (!model[k])
				live++;
			model[k] = &vals[op % N_KEYS];
		} else if (what == 1) {
			void *prev = hmap_dels(&m, keys[k]);
			assert_ptr_equal(prev, model[k]);
			if (model[k])
				live--;
			model[k] = NULL;
		} else {
			assert_ptr_equal(hmap_gets(&m, keys[k]), model[k]);
		}
		assert_int_equal(m.len, live);
		if (op % 5000 == 0)
			for (int j = 0; j < NK; j++)
				assert_ptr_equal(hmap_gets(&m, keys[j]), model[j]);
	}
	for (int j = 0; j < NK; j++)
		assert_ptr_equal(hmap_gets(&m, keys[j]), model[j]);
	assert_int_equal(count_by_iteration(&m), live);
	hmap_free(&m);
}

/* After hmap_seed the hash changes (a secret key is in use) and the map still works. */
static void test_seed(void **state)
{
	(void)state;
	struct hmap m;
	uint64_t before = hmap_hash("TIU-031", 7);
	assert_int_equal(hmap_hash("TIU-031", 7), before); /* deterministic */
	assert_true(hmap_hash("TIU-032", 7) != before);
	hmap_seed();
	assert_true(hmap_hash("TIU-031", 7) != before);
	make_keys();
	hmap_init(&m);
	for (int i = 0; i < 1000; i++)
		hmap_puts(&m, keys[i], &vals[i]);
	for (int i = 0; i < 1000; i += 3)
		hmap_dels(&m, keys[i]);
	for (int i = 0; i < 1000; i++)
		assert_ptr_equal(hmap_gets(&m, keys[i]), i % 3 ? &vals[i] : NULL);
	hmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get_replace),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_many_keys_delete_every_other),
		cmocka_unit_test(test_random_churn_against_model),
		cmocka_unit_test(test_seed), /* last: it changes the process hash key */
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
