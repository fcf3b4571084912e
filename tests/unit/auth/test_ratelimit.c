/* test_ratelimit.c - sliding-window failure counting (server/ratelimit.c). */
#include "unit.h"

#include "auth/ratelimit.h"

#include <stdio.h>
#include <string.h>

#define WINDOW_MS (300 * 1000)

static int blocked(struct ratelimit *rl, const char *key, int64_t now)
{
	return ratelimit_blocked(rl, key, strlen(key), now);
}

static void fail_at(struct ratelimit *rl, const char *key, int64_t now)
{
	ratelimit_fail(rl, key, strlen(key), now);
}

/* Limit 5: five failures do not block, the sixth inside the window does. */
static void test_blocks_after_more_than_limit(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 5, WINDOW_MS, 1000);
	assert_false(blocked(&rl, "R-001", 1000));
	for (int i = 0; i < 5; i++) {
		fail_at(&rl, "R-001", 1000 + i * 1000);
		assert_false(blocked(&rl, "R-001", 1000 + i * 1000));
	}
	fail_at(&rl, "R-001", 10000);
	assert_true(blocked(&rl, "R-001", 10000));
	assert_true(blocked(&rl, "R-001", 100000));
	/* Other keys are unaffected. */
	assert_false(blocked(&rl, "R-002", 10000));
	assert_false(blocked(&rl, "R-00", 10000));
	ratelimit_free(&rl);
}

/* The wait is until the oldest remembered failure leaves the window; a
 * cleared key waits for nothing. */
static void test_wait_and_clear(void **state)
{
	struct ratelimit rl;
	(void)state;
	ratelimit_init(&rl, 2, 1000, 100);
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 0), 0);
	ratelimit_fail(&rl, "k", 1, 100);
	ratelimit_fail(&rl, "k", 1, 300);
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 400), 0); /* two: not blocked yet */
	ratelimit_fail(&rl, "k", 1, 500);
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 600), 100 + 1000 - 600);
	assert_true(ratelimit_blocked(&rl, "k", 1, 1099));
	assert_false(ratelimit_blocked(&rl, "k", 1, 1100));
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 1100), 0);
	ratelimit_fail(&rl, "k", 1, 1200); /* 300, 500, 1200 */
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 1250), 300 + 1000 - 1250);
	ratelimit_clear(&rl, "k", 1);
	assert_false(ratelimit_blocked(&rl, "k", 1, 1250));
	assert_int_equal(ratelimit_wait_ms(&rl, "k", 1, 1250), 0);
	ratelimit_free(&rl);
}

/* Once the oldest failure leaves the 300 s window the key is unblocked, to the millisecond. */
static void test_unblocked_after_window(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 5, WINDOW_MS, 1000);
	for (int i = 0; i < 6; i++)
		fail_at(&rl, "10.0.0.7", 1000 + i); /* failures at 1000..1005 */
	assert_true(blocked(&rl, "10.0.0.7", 1005));
	/* The window is (now - 300 s, now]: the failure at 1000 counts until now = 300999. */
	assert_true(blocked(&rl, "10.0.0.7", 1000 + WINDOW_MS - 1));
	assert_false(blocked(&rl, "10.0.0.7", 1000 + WINDOW_MS));
	assert_false(blocked(&rl, "10.0.0.7", 1000 + 10 * WINDOW_MS));
	ratelimit_free(&rl);
}

/* The window slides: old failures expire while new ones keep counting. */
static void test_sliding_window(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 5, WINDOW_MS, 1000);
	/* Three failures at t = 0 s, three at t = 200 s: six within 300 s. */
	for (int i = 0; i < 3; i++)
		fail_at(&rl, "k", 1 + i);
	for (int i = 0; i < 3; i++)
		fail_at(&rl, "k", 200000 + i);
	assert_true(blocked(&rl, "k", 200002));
	/* At 301 s the first three are gone: three left, not blocked. */
	assert_false(blocked(&rl, "k", 301000));
	/* Three more at 350 s: six within (50 s, 350 s]. */
	for (int i = 0; i < 3; i++)
		fail_at(&rl, "k", 350000 + i);
	assert_true(blocked(&rl, "k", 350002));
	/* At 500 s only the 350 s group is inside. */
	assert_false(blocked(&rl, "k", 500001));
	ratelimit_free(&rl);
}

/* Many failures keep only limit+1 timestamps, yet still block and still expire. */
static void test_many_failures(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 5, WINDOW_MS, 1000);
	for (int i = 0; i < 1000; i++)
		fail_at(&rl, "k", 1000 + i);
	assert_true(blocked(&rl, "k", 2000));
	/* The last six failures were at 1994..1999: all six are inside until now = 1993 + window,
	 * at 1994 + window only 1995..1999 (five) remain. */
	assert_true(blocked(&rl, "k", 1993 + WINDOW_MS));
	assert_false(blocked(&rl, "k", 1994 + WINDOW_MS));
	ratelimit_free(&rl);
}

/* The table never holds more than max_keys keys. */
static void test_bounded_table(void **state)
{
	(void)state;
	struct ratelimit rl;
	char key[32];
	ratelimit_init(&rl, 5, WINDOW_MS, 16);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "203.0.113.%d", i);
		fail_at(&rl, key, 1000 + i);
		assert_true(rl.map.len <= 16);
	}
	assert_true(rl.map.len >= 1);
	ratelimit_free(&rl);
}

/* When the table is full, expired keys are swept first and live ones kept. */
static void test_sweep_prefers_expired(void **state)
{
	(void)state;
	struct ratelimit rl;
	/* Limit 0: any failure inside the window blocks, so blocked() shows presence. */
	ratelimit_init(&rl, 0, WINDOW_MS, 4);
	fail_at(&rl, "old-1", 0 + 1);
	fail_at(&rl, "old-2", 0 + 2);
	fail_at(&rl, "old-3", 0 + 3);
	fail_at(&rl, "live", 400000);
	assert_int_equal(rl.map.len, 4);
	fail_at(&rl, "new", 400001); /* table full: the three expired keys go */
	assert_int_equal(rl.map.len, 2);
	assert_true(blocked(&rl, "live", 400002));
	assert_true(blocked(&rl, "new", 400002));
	ratelimit_free(&rl);
}

/* A full table of live keys: a flood of fresh keys (one failure each) never
 * pushes out a blocked key; among equals the least recent goes first. */
static void test_flood_keeps_blocked_keys(void **state)
{
	(void)state;
	struct ratelimit rl;
	char key[32];
	ratelimit_init(&rl, 5, WINDOW_MS, 8);
	for (int i = 0; i < 6; i++)
		fail_at(&rl, "victim", 1000 + i);
	assert_true(blocked(&rl, "victim", 1006));
	/* 10,000 fresh keys inside the window, nothing expires. */
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "flood-%d", i);
		fail_at(&rl, key, 2000 + i);
		assert_true(rl.map.len <= 8);
	}
	assert_true(blocked(&rl, "victim", 12000));
	/* The newest flood keys are kept, the older ones went first. */
	assert_non_null(hmap_get(&rl.map, "flood-9999", 10));
	assert_null(hmap_get(&rl.map, "flood-0", 7));
	/* A key with more failures outlives an older key with fewer. */
	ratelimit_free(&rl);
	ratelimit_init(&rl, 5, WINDOW_MS, 3);
	fail_at(&rl, "twice", 1000);
	fail_at(&rl, "twice", 1001);
	fail_at(&rl, "once-new", 5000);
	fail_at(&rl, "once-newer", 6000);
	fail_at(&rl, "incoming", 7000); /* evicts once-new: fewest, least recent */
	assert_non_null(hmap_get(&rl.map, "twice", 5));
	assert_null(hmap_get(&rl.map, "once-new", 8));
	assert_non_null(hmap_get(&rl.map, "once-newer", 10));
	assert_non_null(hmap_get(&rl.map, "incoming", 8));
	ratelimit_free(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_after_more_than_limit),
		cmocka_unit_test(test_unblocked_after_window),
		cmocka_unit_test(test_wait_and_clear),
		cmocka_unit_test(test_sliding_window),
		cmocka_unit_test(test_many_failures),
		cmocka_unit_test(test_bounded_table),
		cmocka_unit_test(test_sweep_prefers_expired),
		cmocka_unit_test(test_flood_keeps_blocked_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
