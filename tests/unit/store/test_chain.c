/* test_chain.c - the event log's canonical encoding and hash
 * (server/store/chain.c): known answers computed independently (Python's
 * hashlib over the encoding of include/store/chain.h), field boundaries that
 * cannot shift, types that count, hex, and chaining existing rows. */
#include "unit.h"

#include "store/chain.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void hash_hex(const uint8_t prev[CHAIN_HASH_LEN], const struct chain_field *f, char *hex)
{
	uint8_t h[CHAIN_HASH_LEN];
	chain_hash(prev, f, h);
	chain_hex(h, hex);
}

static int same_hash(const struct chain_field *a, const struct chain_field *b)
{
	uint8_t ha[CHAIN_HASH_LEN], hb[CHAIN_HASH_LEN];
	chain_hash(chain_zero, a, ha);
	chain_hash(chain_zero, b, hb);
	return memcmp(ha, hb, sizeof ha) == 0;
}

static void answer_fields(struct chain_field f[CHAIN_FIELDS])
{
	static const char detail[] = "{\"peer\":\"x\"}";
	f[0] = chain_int(1);
	f[1] = chain_int(1795395500000);
	f[2] = chain_text("candidate", 9);
	f[3] = chain_int(7);
	f[4] = chain_int(7);
	f[5] = chain_text("answer", 6);
	f[6] = chain_int(3);
	f[7] = chain_text("B", 1);
	f[8] = chain_int(0);
	f[9] = chain_int(2);
	f[10] = chain_text(detail, strlen(detail));
}

/* Known answers: an answer event, then a second entry chained to it with a
 * detail larger than the stack buffer, then one with a real and a blob. */
static void test_known_answers(void **state)
{
	(void)state;
	struct chain_field f[CHAIN_FIELDS];
	uint8_t h1[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1], *big = malloc(5000);
	static const uint8_t blob[] = { 0, 1 };

	answer_fields(f);
	hash_hex(chain_zero, f, hex);
	assert_string_equal(hex, "49aff3ec40d5381d83260da32a100f31fc697f26c073c54a4e28d25d746808a4");
	chain_hash(chain_zero, f, h1);

	memset(big, 'x', 5000);
	f[0] = chain_int(2);
	f[1] = chain_int(-5);
	f[2] = chain_text("system", 6);
	f[3] = f[4] = chain_null();
	f[5] = chain_text("finish", 6);
	f[6] = f[7] = f[8] = f[9] = chain_null();
	f[10] = chain_text(big, 5000);
	hash_hex(h1, f, hex);
	assert_string_equal(hex, "832d7fb36c33863e0cbcdb12caaeecff9f2ef8ccd19d8cfa5ada8aa020ea1454");
	free(big);

	f[0] = chain_int(3);
	f[1].type = CHAIN_REAL;
	f[1].r = 1.5;
	f[2] = chain_text("staff", 5);
	f[3].type = CHAIN_BLOB;
	f[3].p = blob;
	f[3].len = sizeof blob;
	f[5] = chain_text("", 0);
	f[10] = chain_null();
	hash_hex(chain_zero, f, hex);
	assert_string_equal(hex, "baf42535dc1d1ed1b36119b5b2f5b0509ae3bd459038c9c2194ca532adef0d70");
}

/* Moving bytes from one field to the next, NULL against empty text, an
 * integer against the same digits as text, and the predecessor all change
 * the hash. */
static void test_boundaries_and_types(void **state)
{
	(void)state;
	struct chain_field a[CHAIN_FIELDS], b[CHAIN_FIELDS];
	uint8_t h1[CHAIN_HASH_LEN], h2[CHAIN_HASH_LEN], other[CHAIN_HASH_LEN];

	answer_fields(a);
	memcpy(b, a, sizeof b);
	assert_true(same_hash(a, b));
	a[5] = chain_text("ab", 2);
	a[7] = chain_text("c", 1);
	memcpy(b, a, sizeof b);
	b[5] = chain_text("a", 1);
	b[7] = chain_text("bc", 2);
	assert_false(same_hash(a, b));

	answer_fields(a);
	memcpy(b, a, sizeof b);
	a[10] = chain_null();
	b[10] = chain_text("", 0);
	assert_false(same_hash(a, b));

	answer_fields(a);
	memcpy(b, a, sizeof b);
	b[6] = chain_text("3", 1);
	assert_false(same_hash(a, b));
	b[6].type = CHAIN_REAL;
	b[6].r = 3.0;
	assert_false(same_hash(a, b));
	b[6] = chain_int(4);
	assert_false(same_hash(a, b));

	answer_fields(a);
	memset(other, 0, sizeof other);
	other[31] = 1;
	chain_hash(chain_zero, a, h1);
	chain_hash(other, a, h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
}

static void test_hex(void **state)
{
	(void)state;
	uint8_t h[CHAIN_HASH_LEN], back[CHAIN_HASH_LEN];
	char hex[2 * CHAIN_HASH_LEN + 1], upper[2 * CHAIN_HASH_LEN + 1];

	for (int i = 0; i < CHAIN_HASH_LEN; i++)
		h[i] = (uint8_t)(i * 37 + 250);
	chain_hex(h, hex);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(chain_unhex(hex, back), 0);
	assert_memory_equal(h, back, sizeof h);
	for (int i = 0; i < 64; i++)
		upper[i] = (char)(hex[i] >= 'a' ? hex[i] - 32 : hex[i]);
	upper[64] = '\0';
	assert_int_equal(chain_unhex(upper, back), 0);
	assert_memory_equal(h, back, sizeof h);
	hex[63] = '\0';
	assert_int_equal(chain_unhex(hex, back), -1); /* too short */
	hex[63] = 'g';
	assert_int_equal(chain_unhex(hex, back), -1); /* not hex */
	assert_int_equal(chain_unhex("", back), -1);
}

/* chain_seal_all links rows written without a chain, in id order, gaps in
 * the ids included, and computes each hash over the row's own values. */
static void test_seal_all(void **state)
{
	(void)state;
	char dir[] = "/tmp/uj-chain-XXXXXX", path[64], err[256] = "";
	uint8_t prev[CHAIN_HASH_LEN], calc[CHAIN_HASH_LEN];
	struct chain_field f[CHAIN_FIELDS];
	sqlite3_stmt *st;
	sqlite3 *db;
	int n = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.db", dir);
	db = db_open(path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(db);
	assert_int_equal(db_migrate(db, err, sizeof err), 0);
	assert_int_equal(db_exec(db,
				 "INSERT INTO events (id, at, kind) VALUES (1, 10, 'a');"
				 "INSERT INTO events (id, at, kind, n, label, detail) VALUES"
				 " (2, 11, 'answer', 4, 'C', '{}');"
				 "INSERT INTO events (id, at, kind, actor_kind) VALUES (5, 12, 'c', 'system')",
				 err, sizeof err),
			 0);
	assert_int_equal(db_exec(db, "BEGIN IMMEDIATE", err, sizeof err), 0);
	assert_int_equal(chain_seal_all(db, err, sizeof err), 0);
	assert_int_equal(db_exec(db, "COMMIT", err, sizeof err), 0);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT " CHAIN_COLUMNS ", prev, hash FROM events ORDER BY id",
					    -1, &st, NULL),
			 SQLITE_OK);
	memcpy(prev, chain_zero, sizeof prev);
	while (sqlite3_step(st) == SQLITE_ROW) {
		chain_fields_of_row(st, 0, f);
		assert_int_equal(sqlite3_column_bytes(st, 11), CHAIN_HASH_LEN);
		assert_memory_equal(sqlite3_column_blob(st, 11), prev, CHAIN_HASH_LEN);
		chain_hash(prev, f, calc);
		assert_memory_equal(sqlite3_column_blob(st, 12), calc, CHAIN_HASH_LEN);
		memcpy(prev, calc, sizeof prev);
		n++;
	}
	assert_int_equal(n, 3);
	sqlite3_finalize(st);
	db_close(db);
	unlink(path);
	snprintf(path, sizeof path, "%s/c.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/c.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_boundaries_and_types),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_seal_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
