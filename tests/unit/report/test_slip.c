/* test_slip.c - signed result slips (server/report/slip.c, slipqr.c): the
 * key file (made 0600, a readable one refused), signing and verifying, an
 * altered score or name failing (in the database, in the stored payload and
 * in a slip file), another key failing, the canonical encoding, codes and
 * the QR's SVG. The server's routes and the CLI are tests/api/test_slip.py's. */
#include "unit.h"

#include "core/mem.h"
#include "report/slip.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T_FIN 1795410723000LL /* 2026-11-23T05:12:03Z = 13:12:03 WITA */

struct fx {
	char dir[64], path[128], keyp[160];
	sqlite3 *db;
	EVP_PKEY *key;
};

static void exec_ok(sqlite3 *db, const char *sql)
{
	char err[256];
	if (db_exec(db, sql, err, sizeof err))
		fail_msg("%s: %s", sql, err);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char err[256];
	strcpy(f->dir, "/tmp/ujian-slip-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
	assert_non_null(f->db);
	assert_int_equal(db_migrate(f->db, err, sizeof err), 0);
	exec_ok(f->db,
		"INSERT INTO banks (id, code) VALUES (1, 'TB');"
		"INSERT INTO exams (id, code, bank_id, definition_json, created_at) VALUES (1, 'EX', 1,"
		" '{\"code\":\"EX\",\"title\":\"Seleksi Kompetensi Dasar\",\"bank\":\"TB\","
		"\"duration_s\":3600,\"timezone\":\"WITA\",\"sections\":[{\"code\":\"TWK\",\"draw\":2},"
		"{\"code\":\"TKP\",\"draw\":2}]}', 0);"
		"INSERT INTO candidates (id, exam_id, registration_no, name, track, extra_time_s,"
		" pw_hash, created_at, nip) VALUES (1, 1, '0001', 'Siti Śaraswati', 'umum', 0, x'00', 0,"
		" '199001012015031001'), (2, 1, '0002', 'Budi', 'umum', 0, x'00', 0, NULL);"
		"INSERT INTO attempts (candidate_id, status, started_at, finished_at, finish_reason,"
		" scores_json, total, passed) VALUES (1, 'finished', 0, 1795410723000, 'submitted',"
		" '[{\"code\":\"TWK\",\"score\":10,\"max\":10},{\"code\":\"TKP\",\"score\":7,\"max\":10}]',"
		" 17, 1), (2, 'in_progress', 0, NULL, NULL, NULL, NULL, NULL);");
	snprintf(f->keyp, sizeof f->keyp, "%s.slip.key", f->path);
	assert_int_equal(slip_key_ensure(f->keyp, NULL, err, sizeof err), 0);
	f->key = slip_key_load(f->keyp, err, sizeof err);
	if (!f->key)
		fail_msg("%s", err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	EVP_PKEY_free(f->key);
	db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void issue(struct fx *f, struct slip *s)
{
	char err[256];
	enum slip_status st = slip_issue(f->db, f->key, "EX", "0001", 0, actor_system(), T_FIN + 5000,
					 s, err, sizeof err);
	if (st != SLIP_OK)
		fail_msg("issue: %d %s", (int)st, err);
}

static enum slip_reason check(struct fx *f, EVP_PKEY *k, const char *code, char *detail,
			      size_t n)
{
	struct slip_verdict v;
	char err[256];
	enum slip_reason r;
	assert_int_equal(slip_check(f->db, k, code, &v, err, sizeof err), SLIP_OK);
	r = v.reason;
	snprintf(detail, n, "%s", v.detail);
	slip_verdict_free(&v);
	return r;
}

/* The key is made private, and a readable copy is refused with a fix. */
static void test_key_file(void **state)
{
	struct fx *f = *state;
	struct stat st;
	char err[512], *pem;
	int made = 1;
	EVP_PKEY *pub;

	assert_int_equal(stat(f->keyp, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(slip_key_ensure(f->keyp, &made, err, sizeof err), 0);
	assert_int_equal(made, 0); /* kept, not replaced */
	assert_int_equal(chmod(f->keyp, 0644), 0);
	assert_null(slip_key_load(f->keyp, err, sizeof err));
	assert_non_null(strstr(err, "chmod 600"));
	assert_int_equal(chmod(f->keyp, 0600), 0);
	/* The exported public key loads as a public key. */
	pem = slip_pubkey_pem(f->key);
	assert_non_null(strstr(pem, "BEGIN PUBLIC KEY"));
	{
		char pp[200];
		FILE *o;
		snprintf(pp, sizeof pp, "%s/pub.pem", f->dir);
		o = fopen(pp, "w");
		fputs(pem, o);
		fclose(o);
		pub = slip_pubkey_load(pp, err, sizeof err);
		assert_non_null(pub);
		EVP_PKEY_free(pub);
	}
	free(pem);
}

static void test_issue_and_verify(void **state)
{
	struct fx *f = *state;
	struct slip s, again;
	char d[512], *text;
	json_t *p;

	issue(f, &s);
	p = s.payload;
	assert_string_equal(json_string_value(json_object_get(p, "name")), "Siti Śaraswati");
	assert_string_equal(json_string_value(json_object_get(p, "nip")), "199001012015031001");
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 17);
	assert_int_equal(json_integer_value(json_object_get(p, "max_total")), 20);
	assert_string_equal(json_string_value(json_object_get(p, "finished_at")),
			    "2026-11-23T13:12:03+08:00");
	assert_string_equal(json_string_value(json_object_get(p, "timezone")), "WITA");
	assert_string_equal(json_string_value(json_object_get(p, "exam_name")),
			    "Seleksi Kompetensi Dasar");
	assert_true(json_is_true(json_object_get(p, "passed")));
	text = slip_encode(p);
	assert_true(slip_sig_ok(f->key, text, strlen(text), s.sig, SLIP_SIG_LEN));
	free(text);
	assert_int_equal(check(f, f->key, s.code, d, sizeof d), SLIP_GENUINE);
	/* One slip per attempt: the second request returns the same one. */
	issue(f, &again);
	assert_string_equal(again.code, s.code);
	assert_memory_equal(again.sig, s.sig, SLIP_SIG_LEN);
	slip_free(&again);
	slip_free(&s);
}

/* A score changed in attempts: still signed, but no longer the data. */
static void test_altered_score_in_db(void **state)
{
	struct fx *f = *state;
	struct slip s;
	char d[512];
	issue(f, &s);
	exec_ok(f->db, "UPDATE attempts SET total = 19, scores_json = replace(scores_json,"
		       " '\"score\":7', '\"score\":9') WHERE candidate_id = 1");
	assert_int_equal(check(f, f->key, s.code, d, sizeof d), SLIP_DATA_CHANGED);
	assert_non_null(strstr(d, "total"));
	assert_non_null(strstr(d, "sections"));
	slip_free(&s);
}

/* The stored payload edited: the signature fails. */
static void test_altered_payload(void **state)
{
	struct fx *f = *state;
	struct slip s;
	char d[512];
	issue(f, &s);
	exec_ok(f->db, "UPDATE slips SET payload = replace(payload, '\"total\":17', '\"total\":19')");
	assert_int_equal(check(f, f->key, s.code, d, sizeof d), SLIP_BAD_SIGNATURE);
	slip_free(&s);
}

/* A slip file: genuine as issued; a changed name or score fails. */
static void test_altered_file(void **state)
{
	struct fx *f = *state;
	struct slip s;
	struct slip_verdict v;
	json_t *doc, *copy;

	issue(f, &s);
	doc = slip_doc(&s);
	slip_check_doc(f->key, doc, &v);
	assert_int_equal(v.reason, SLIP_GENUINE);
	slip_verdict_free(&v);

	copy = json_deep_copy(doc);
	json_object_set_new(json_object_get(copy, "slip"), "name", json_string("Siti Saraswati"));
	slip_check_doc(f->key, copy, &v);
	assert_int_equal(v.reason, SLIP_BAD_SIGNATURE);
	slip_verdict_free(&v);
	json_decref(copy);

	copy = json_deep_copy(doc);
	json_object_set_new(json_object_get(copy, "slip"), "total", json_integer(18));
	slip_check_doc(f->key, copy, &v);
	assert_int_equal(v.reason, SLIP_BAD_SIGNATURE);
	slip_verdict_free(&v);
	json_decref(copy);

	copy = json_deep_copy(doc);
	json_object_del(copy, "signature");
	slip_check_doc(f->key, copy, &v);
	assert_int_equal(v.reason, SLIP_MALFORMED);
	slip_verdict_free(&v);
	json_decref(copy);
	json_decref(doc);
	slip_free(&s);
}

/* Another key: the stored slip and the file both fail, naming the key. */
static void test_wrong_key(void **state)
{
	struct fx *f = *state;
	struct slip s;
	struct slip_verdict v;
	char d[512], other[200], err[256];
	EVP_PKEY *k2;
	json_t *doc;

	issue(f, &s);
	snprintf(other, sizeof other, "%s/other.key", f->dir);
	assert_int_equal(slip_key_ensure(other, NULL, err, sizeof err), 0);
	k2 = slip_key_load(other, err, sizeof err);
	assert_non_null(k2);
	assert_int_equal(check(f, k2, s.code, d, sizeof d), SLIP_OTHER_KEY);
	doc = slip_doc(&s);
	slip_check_doc(k2, doc, &v);
	assert_int_equal(v.reason, SLIP_OTHER_KEY);
	slip_verdict_free(&v);
	/* Claiming the other key's id does not help. */
	{
		char kid[SLIP_KEY_ID_LEN + 1];
		slip_key_id(k2, kid);
		json_object_set_new(json_object_get(doc, "slip"), "key_id", json_string(kid));
		slip_check_doc(k2, doc, &v);
		assert_int_equal(v.reason, SLIP_BAD_SIGNATURE);
		slip_verdict_free(&v);
	}
	json_decref(doc);
	EVP_PKEY_free(k2);
	slip_free(&s);
}

static void test_not_finished(void **state)
{
	struct fx *f = *state;
	struct slip s;
	struct slip_verdict v;
	char err[256];
	assert_int_equal(slip_issue(f->db, f->key, "EX", "0002", 0, actor_system(), T_FIN, &s, err,
				    sizeof err),
			 SLIP_NOT_FINISHED);
	assert_int_equal(slip_issue(f->db, f->key, "EX", "0404", 0, actor_system(), T_FIN, &s, err,
				    sizeof err),
			 SLIP_NO_CANDIDATE);
	assert_int_equal(slip_check(f->db, f->key, "ABCDEFGHJK", &v, err, sizeof err), SLIP_NO_SLIP);
	slip_verdict_free(&v);
}

/* The same content gives the same bytes: keys sorted, compact, non-ASCII
 * escaped; and parsing the text back gives the text again. */
static void test_canonical(void **state)
{
	json_t *p = json_pack("{s:s,s:[i,{s:b,s:n}],s:s}", "b", "Śx", "a", 1, "z", 1, "y", "c",
			      "\"q\"");
	char *t = slip_encode(p), *t2, why[64];
	json_t *back;
	(void)state;
	assert_string_equal(t, "{\"a\":[1,{\"y\":null,\"z\":true}],\"b\":\"\\u015Ax\",\"c\":\"\\\"q\\\"\"}");
	back = json_loads(t, 0, NULL);
	t2 = slip_encode(back);
	assert_string_equal(t, t2);
	(void)why;
	json_decref(back);
	json_decref(p);
	free(t);
	free(t2);
}

static void test_codes(void **state)
{
	char c[SLIP_CODE_LEN + 1], n[SLIP_CODE_LEN + 1], shown[SLIP_CODE_LEN + 2];
	(void)state;
	for (int i = 0; i < 200; i++) {
		slip_code_new(c);
		assert_int_equal(strlen(c), SLIP_CODE_LEN);
		assert_int_equal(strspn(c, SLIP_ALPHABET), SLIP_CODE_LEN);
		assert_null(strpbrk(c, "0O1I"));
	}
	assert_int_equal(slip_code_norm("abcde-fghjk", n), 0);
	assert_string_equal(n, "ABCDEFGHJK");
	slip_code_show(n, shown);
	assert_string_equal(shown, "ABCDE-FGHJK");
	assert_int_equal(slip_code_norm("ABCDE-FGHJ0", n), -1); /* 0 is not in the alphabet */
	assert_int_equal(slip_code_norm("ABCDE", n), -1);
	assert_int_equal(slip_code_norm("ABCDEFGHJKL", n), -1);
}

static void test_qr(void **state)
{
	char *svg = slip_qr_svg("https://ujian.example.go.id/verify/ABCDEFGHJK");
	(void)state;
	assert_non_null(svg);
	assert_int_equal(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "<image"));
	assert_null(strstr(svg + 39, "http"));
	assert_non_null(strstr(svg, "<rect x="));
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);
	{
		char *big = xmalloc(3000);
		memset(big, 'a', 2999);
		big[2999] = '\0';
		assert_null(slip_qr_svg(big));
		free(big);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered_score_in_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_finished, setup, teardown),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_qr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
