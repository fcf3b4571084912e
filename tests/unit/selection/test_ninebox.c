/* test_ninebox.c - the nine-box rules and a period's configuration
 * (server/selection/ninebox.c, ninebox_config.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "selection/ident.h"
#include "selection/ninebox.h"

#include <string.h>

/* A valid minimal configuration: one exam component and two entered ones. */
static const char *const cfg_min =
	"{\"components\":[{\"code\":\"cat\",\"kind\":\"exam\",\"exam\":\"TD\",\"weight\":60},"
	"{\"code\":\"jpm\",\"kind\":\"entered\",\"weight\":30},"
	"{\"code\":\"rekam\",\"kind\":\"entered\",\"weight\":10,\"max\":50}]}";

/* Parse text into c; the number of errors (all printed on failure). */
static size_t parse(const char *text, struct nb_config *c, struct errlist *errs)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	errlist_init(errs, 0);
	nb_config_parse(j, 2026, "2026-06-30", c, errs);
	json_decref(j);
	return errs->total;
}

static void load(const char *text, struct nb_config *c)
{
	struct errlist errs;
	size_t n = parse(text, c, &errs);
	if (n)
		errlist_print(&errs, stderr, "config");
	assert_int_equal(n, 0);
	errlist_free(&errs);
}

/* 1 if errs has an entry with field and a message containing part. */
static int has_error(const struct errlist *errs, const char *field, const char *part)
{
	for (size_t i = 0; i < errs->n; i++)
		if (strcmp(errs->v[i].field, field) == 0 && strstr(errs->v[i].message, part))
			return 1;
	return 0;
}

static void test_defaults(void **state)
{
	struct nb_config c;
	(void)state;
	load(cfg_min, &c);
	assert_int_equal(c.n_comp, 3);
	assert_true(c.cut_high == 80 && c.cut_medium == 68);
	assert_int_equal(c.perf_years, 2);
	assert_int_equal(c.until_year, 2026);
	assert_string_equal(c.reference_date, "2026-06-30");
	assert_true(c.comp[1].max == 100 && c.comp[2].max == 50);
	assert_string_equal(c.comp[0].name, "cat"); /* no name: the code */
	assert_string_equal(c.comp[0].section, ""); /* the total */
	/* Every default mapping of the predikat. */
	assert_int_equal(c.perf_map[NB_SANGAT_BAIK], NB_ABOVE);
	assert_int_equal(c.perf_map[NB_BAIK], NB_MEETS);
	assert_int_equal(c.perf_map[NB_BUTUH_PERBAIKAN], NB_BELOW);
	assert_int_equal(c.perf_map[NB_KURANG], NB_BELOW);
	assert_int_equal(c.perf_map[NB_SANGAT_KURANG], NB_BELOW);
	/* Every default box: above 4/7/9, meets 2/5/8, below 1/3/6. */
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_LOW), 4);
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_MEDIUM), 7);
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_HIGH), 9);
	assert_int_equal(nb_box(&c, NB_MEETS, NB_LOW), 2);
	assert_int_equal(nb_box(&c, NB_MEETS, NB_MEDIUM), 5);
	assert_int_equal(nb_box(&c, NB_MEETS, NB_HIGH), 8);
	assert_int_equal(nb_box(&c, NB_BELOW, NB_LOW), 1);
	assert_int_equal(nb_box(&c, NB_BELOW, NB_MEDIUM), 3);
	assert_int_equal(nb_box(&c, NB_BELOW, NB_HIGH), 6);
	assert_int_equal(nb_box(&c, NB_PERF_NONE, NB_HIGH), 0);
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_POT_NONE), 0);
	/* Pool 7-9; sanctions moderate and heavy over 2 years; x = potential. */
	for (int b = 1; b <= 9; b++)
		assert_int_equal(c.pool[b], b >= 7);
	assert_false(c.sanction_level[NB_LIGHT]);
	assert_true(c.sanction_level[NB_MODERATE] && c.sanction_level[NB_HEAVY]);
	assert_int_equal(c.sanction_years, 2);
	assert_true(c.x_potential);
	assert_non_null(strstr(c.rec[NB_ABOVE][NB_HIGH], "Dipromosikan"));
	assert_non_null(strstr(c.rec[NB_BELOW][NB_LOW], "disiplin"));
	assert_non_null(strstr(c.label[NB_MEETS][NB_MEDIUM], "sesuai ekspektasi"));
	/* until_year follows a given reference date, unless given itself. */
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"reference_date\":\"2024-03-01\"}",
	     &c);
	assert_int_equal(c.until_year, 2024);
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"reference_date\":\"2024-03-01\",\"performance\":{\"until_year\":2023}}",
	     &c);
	assert_int_equal(c.until_year, 2023);
}

static void test_json_round_trip(void **state)
{
	struct nb_config c, d;
	json_t *j;
	char *text;
	(void)state;
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"boxes\":{\"above\":[7,8,9],\"meets\":[4,5,6],\"below\":[1,2,3]},"
	     "\"labels\":{\"9\":\"Bintang\"},\"cutoffs\":{\"high\":75,\"medium\":60}}",
	     &c);
	j = nb_config_json(&c);
	text = json_dumps(j, JSON_COMPACT);
	load(text, &d);
	assert_memory_equal(c.box, d.box, sizeof c.box);
	assert_memory_equal(c.pool, d.pool, sizeof c.pool);
	assert_string_equal(d.label[NB_ABOVE][NB_HIGH], "Bintang");
	assert_true(d.cut_high == 75 && d.cut_medium == 60);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "labels"), "9")),
			    "Bintang");
	free(text);
	json_decref(j);
}

static void test_config_errors_all_listed(void **state)
{
	struct nb_config c;
	struct errlist errs;
	(void)state;
	parse("{\"components\":[{\"code\":\"a\",\"kind\":\"exam\",\"weight\":50},"
	      "{\"code\":\"a\",\"kind\":\"entered\",\"weight\":30,\"section\":\"X\"},"
	      "{\"code\":\"bad code\",\"kind\":\"quiz\",\"weight\":0}],"
	      "\"cutoffs\":{\"high\":60,\"medium\":70},"
	      "\"performance\":{\"map\":{\"baik\":\"great\",\"luar_biasa\":\"above\"},\"years\":9},"
	      "\"boxes\":{\"above\":[4,7,9],\"meets\":[2,5,9],\"below\":[1,3,6]},"
	      "\"pool\":[7,7],\"sanctions\":{\"levels\":[\"severe\"]},"
	      "\"orientation\":{\"x\":\"potential\",\"y\":\"potential\"},"
	      "\"reference_date\":\"2026-02-30\",\"colour\":\"red\"}",
	      &c, &errs);
	assert_true(has_error(&errs, "exam", "must name an exam"));
	assert_true(has_error(&errs, "code", "appears twice"));
	assert_true(has_error(&errs, "section", "only for components"));
	assert_true(has_error(&errs, "code", "characters of"));
	assert_true(has_error(&errs, "kind", "\"exam\" or \"entered\""));
	assert_true(has_error(&errs, "weight", "above 0"));
	assert_true(has_error(&errs, "components", "sum to 100, not 80"));
	assert_true(has_error(&errs, "medium", "must be below high"));
	assert_true(has_error(&errs, "baik", "above, meets, below"));
	assert_true(has_error(&errs, "luar_biasa", "unknown predikat"));
	assert_true(has_error(&errs, "years", "whole number 1-5"));
	assert_true(has_error(&errs, "boxes", "box 8 is used 0 times"));
	assert_true(has_error(&errs, "boxes", "box 9 is used 2 times"));
	assert_true(has_error(&errs, "pool", "distinct box numbers"));
	assert_true(has_error(&errs, "levels", "light, moderate, heavy"));
	assert_true(has_error(&errs, "y", "different axes"));
	assert_true(has_error(&errs, "reference_date", "YYYY-MM-DD"));
	assert_true(has_error(&errs, "colour", "unknown key"));
	assert_int_equal(errs.total, 18);
	/* The item names the place (the unknown key comes first: top level). */
	assert_string_equal(errs.v[0].item, "");
	assert_string_equal(errs.v[1].item, "components[0]");
	errlist_free(&errs);

	/* No components at all; not an object. */
	parse("{}", &c, &errs);
	assert_true(has_error(&errs, "components", "is required"));
	errlist_free(&errs);
	parse("[]", &c, &errs);
	assert_int_equal(errs.total, 1);
	errlist_free(&errs);
	/* A reference date beyond until_year's range (found by fuzz_talent:
	 * its stored form was then refused). */
	parse("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	      "\"reference_date\":\"4327-12-02\"}",
	      &c, &errs);
	assert_true(has_error(&errs, "reference_date", "YYYY-MM-DD"));
	errlist_free(&errs);
	parse("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100,\"max\":0}],"
	      "\"labels\":{\"10\":\"x\"}}",
	      &c, &errs);
	assert_true(has_error(&errs, "max", "above 0"));
	assert_true(has_error(&errs, "10", "not a box number"));
	errlist_free(&errs);
}

static void test_config_errors_in_indonesian(void **state)
{
	struct nb_config c;
	struct errlist errs;
	json_t *j = json_loads("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\","
			       "\"weight\":40}],\"cutoffs\":{\"high\":60,\"medium\":70}}",
			       0, NULL);
	(void)state;
	errlist_init(&errs, 0);
	errlist_set_lang(&errs, ERRLIST_ID);
	assert_int_equal(nb_config_parse(j, 2026, "2026-01-01", &c, &errs), -1);
	assert_int_equal(errs.total, 2);
	assert_non_null(strstr(errs.v[0].message, "jumlah bobot"));
	assert_non_null(strstr(errs.v[1].message, "harus di bawah"));
	errlist_free(&errs);
	json_decref(j);
}

/* ---- performance from SKP ---- */

static enum nb_perf perf_of(const struct nb_config *c, const struct nb_skp *v, size_t n)
{
	return nb_performance(c, v, n, NULL);
}

static void test_skp_rule(void **state)
{
	struct nb_config c;
	struct nb_perf_detail d;
	(void)state;
	load(cfg_min, &c);
	/* Each predikat alone (one year only: that year). */
	for (int p = 0; p < NB_PRED_MAX; p++) {
		struct nb_skp one = { 2026, (enum nb_predikat)p };
		assert_int_equal(perf_of(&c, &one, 1), p == 0 ? NB_ABOVE : p == 1 ? NB_MEETS : NB_BELOW);
	}
	{
		/* The lower of the last two years. */
		struct nb_skp v[] = { { 2025, NB_SANGAT_BAIK }, { 2026, NB_BAIK } };
		assert_int_equal(nb_performance(&c, v, 2, &d), NB_MEETS);
		assert_int_equal(d.n, 2);
		assert_int_equal(d.year[0], 2026);
		assert_int_equal(d.level[0], NB_MEETS);
		assert_int_equal(d.year[1], 2025);
		assert_int_equal(d.level[1], NB_ABOVE);
	}
	{
		struct nb_skp v[] = { { 2026, NB_SANGAT_BAIK }, { 2025, NB_SANGAT_BAIK } };
		assert_int_equal(perf_of(&c, v, 2), NB_ABOVE);
	}
	{
		/* 2024 is outside the window 2025-2026: only 2026 counts. */
		struct nb_skp v[] = { { 2024, NB_KURANG }, { 2026, NB_SANGAT_BAIK } };
		assert_int_equal(nb_performance(&c, v, 2, &d), NB_ABOVE);
		assert_int_equal(d.n, 1);
	}
	{
		/* After until_year does not count either; none left: no level. */
		struct nb_skp v[] = { { 2027, NB_SANGAT_BAIK }, { 2023, NB_BAIK } };
		assert_int_equal(nb_performance(&c, v, 2, &d), NB_PERF_NONE);
		assert_int_equal(d.n, 0);
		assert_int_equal(perf_of(&c, NULL, 0), NB_PERF_NONE);
	}
	{
		/* A year given twice counts once (the first). */
		struct nb_skp v[] = { { 2026, NB_SANGAT_BAIK }, { 2026, NB_KURANG } };
		assert_int_equal(nb_performance(&c, v, 2, &d), NB_ABOVE);
		assert_int_equal(d.n, 1);
	}
}

static void test_skp_configured(void **state)
{
	struct nb_config c;
	(void)state;
	/* Baik counts as above, Butuh Perbaikan as meets; three years to 2025. */
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"performance\":{\"map\":{\"baik\":\"above\",\"butuh_perbaikan\":\"meets\"},"
	     "\"years\":3,\"until_year\":2025}}",
	     &c);
	assert_int_equal(c.perf_map[NB_SANGAT_BAIK], NB_ABOVE);
	assert_int_equal(c.perf_map[NB_BAIK], NB_ABOVE);
	assert_int_equal(c.perf_map[NB_BUTUH_PERBAIKAN], NB_MEETS);
	assert_int_equal(c.perf_map[NB_KURANG], NB_BELOW);
	{
		struct nb_skp v[] = { { 2025, NB_BAIK }, { 2024, NB_SANGAT_BAIK } };
		assert_int_equal(perf_of(&c, v, 2), NB_ABOVE);
	}
	{
		struct nb_skp v[] = { { 2025, NB_BAIK }, { 2024, NB_BAIK }, { 2023, NB_BUTUH_PERBAIKAN },
				      { 2026, NB_SANGAT_KURANG } };
		assert_int_equal(perf_of(&c, v, 4), NB_MEETS);
	}
	{
		struct nb_skp v[] = { { 2023, NB_KURANG }, { 2022, NB_SANGAT_BAIK } };
		assert_int_equal(perf_of(&c, v, 2), NB_BELOW);
	}
}

/* ---- potential ---- */

static void test_potential_weighted(void **state)
{
	struct nb_config c;
	struct nb_pot_detail d;
	double s = -1;
	(void)state;
	load(cfg_min, &c);
	{
		/* cat 400/500 = 80 x 0.6 = 48; jpm 70 x 0.3 = 21; rekam 40/50 = 80 x 0.1 = 8 */
		struct nb_value v[3] = { { 1, 0, 400, 500 }, { 1, 0, 70, 100 }, { 1, 0, 40, 50 } };
		assert_int_equal(nb_potential(&c, v, &s, &d), 0);
		assert_true(s == 77.0);
		assert_true(d.normalised[0] == 80 && d.normalised[1] == 70 && d.normalised[2] == 80);
		assert_int_equal(nb_pot_level(&c, s), NB_MEDIUM);
	}
	{
		/* Above the maximum is clamped to 100. */
		struct nb_value v[3] = { { 1, 0, 600, 500 }, { 1, 0, 100, 100 }, { 1, 0, 50, 50 } };
		assert_int_equal(nb_potential(&c, v, &s, &d), 0);
		assert_true(s == 100.0);
	}
	{
		struct nb_value v[3] = { { 1, 0, 400, 500 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } };
		assert_int_equal(nb_potential(&c, v, &s, &d), -1);
		assert_int_equal(d.missing, 1);
		assert_false(d.disqualified);
	}
	{
		struct nb_value v[3] = { { 0, 1, 0, 0 }, { 1, 0, 70, 100 }, { 1, 0, 40, 50 } };
		assert_int_equal(nb_potential(&c, v, &s, &d), -1);
		assert_int_equal(d.missing, 0);
		assert_true(d.disqualified);
	}
}

static void test_cutoff_edges(void **state)
{
	struct nb_config c, k;
	double s;
	(void)state;
	load(cfg_min, &c);
	assert_int_equal(nb_pot_level(&c, 100), NB_HIGH);
	assert_int_equal(nb_pot_level(&c, 80), NB_HIGH);
	assert_int_equal(nb_pot_level(&c, 79.99), NB_MEDIUM);
	assert_int_equal(nb_pot_level(&c, 68), NB_MEDIUM);
	assert_int_equal(nb_pot_level(&c, 67.99), NB_LOW);
	assert_int_equal(nb_pot_level(&c, 0), NB_LOW);
	/* A sum that is 68 on paper but not in binary: 34/50 x 100. */
	{
		struct nb_config one;
		struct nb_value v[1] = { { 1, 0, 34, 50 } };
		load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100,"
		     "\"max\":50}]}",
		     &one);
		assert_int_equal(nb_potential(&one, v, &s, NULL), 0);
		assert_true(s == 68.0);
		assert_int_equal(nb_pot_level(&one, s), NB_MEDIUM);
		v[0].raw = 33.995; /* 67.99 */
		assert_int_equal(nb_potential(&one, v, &s, NULL), 0);
		assert_int_equal(nb_pot_level(&one, s), NB_LOW);
		v[0].raw = 40; /* exactly 80 */
		assert_int_equal(nb_potential(&one, v, &s, NULL), 0);
		assert_int_equal(nb_pot_level(&one, s), NB_HIGH);
		v[0].raw = 39.995; /* 79.99 */
		assert_int_equal(nb_potential(&one, v, &s, NULL), 0);
		assert_int_equal(nb_pot_level(&one, s), NB_MEDIUM);
	}
	/* Configured cut-offs. */
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"cutoffs\":{\"high\":70,\"medium\":50}}",
	     &k);
	assert_int_equal(nb_pot_level(&k, 70), NB_HIGH);
	assert_int_equal(nb_pot_level(&k, 69.99), NB_MEDIUM);
	assert_int_equal(nb_pot_level(&k, 50), NB_MEDIUM);
	assert_int_equal(nb_pot_level(&k, 49.99), NB_LOW);
}

/* ---- numbering ---- */

static void test_nondefault_numbering(void **state)
{
	struct nb_config c;
	enum nb_perf p;
	enum nb_pot q;
	(void)state;
	/* Row-wise numbering, top row first: above 1/2/3, meets 4/5/6, below 7/8/9. */
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"boxes\":{\"above\":[1,2,3],\"meets\":[4,5,6],\"below\":[7,8,9]},"
	     "\"recommendations\":{\"3\":\"Promosi\"},\"orientation\":{\"x\":\"performance\"}}",
	     &c);
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_HIGH), 3);
	assert_int_equal(nb_box(&c, NB_ABOVE, NB_LOW), 1);
	assert_int_equal(nb_box(&c, NB_MEETS, NB_MEDIUM), 5);
	assert_int_equal(nb_box(&c, NB_BELOW, NB_LOW), 7);
	assert_int_equal(nb_box(&c, NB_BELOW, NB_HIGH), 9);
	assert_int_equal(nb_box_levels(&c, 3, &p, &q), 0);
	assert_true(p == NB_ABOVE && q == NB_HIGH);
	assert_int_equal(nb_box_levels(&c, 7, &p, &q), 0);
	assert_true(p == NB_BELOW && q == NB_LOW);
	assert_int_equal(nb_box_levels(&c, 10, &p, &q), -1);
	/* The recommendation keyed "3" is the top box's. */
	assert_string_equal(c.rec[NB_ABOVE][NB_HIGH], "Promosi");
	/* The default pool follows the pairs: (above, medium) 2, (meets, high)
	 * 6, (above, high) 3. */
	for (int b = 1; b <= 9; b++)
		assert_int_equal(c.pool[b], b == 2 || b == 3 || b == 6);
	assert_false(c.x_potential);
	{
		/* A placement lands in the configured number. */
		struct nb_skp skp[] = { { 2026, NB_SANGAT_BAIK } };
		struct nb_value v[] = { { 1, 0, 90, 100 } };
		struct nb_input in = { skp, 1, v, NULL, 0 };
		struct nb_placement pl;
		nb_place(&c, &in, &pl);
		assert_int_equal(pl.box, 3);
		assert_true(pl.in_pool);
	}
}

/* ---- sanctions ---- */

static void test_sanctions(void **state)
{
	struct nb_config c, k;
	struct nb_skp skp[] = { { 2026, NB_SANGAT_BAIK }, { 2025, NB_SANGAT_BAIK } };
	struct nb_value v[3] = { { 1, 0, 450, 500 }, { 1, 0, 90, 100 }, { 1, 0, 45, 50 } };
	struct nb_placement pl;
	(void)state;
	load(cfg_min, &c); /* reference date 2026-06-30: look back to 2024-06-30 */
	{
		struct nb_sanction s[] = { { NB_LIGHT, "2026-01-10" }, { NB_MODERATE, "2025-03-01" } };
		struct nb_input in = { skp, 2, v, s, 2 };
		assert_int_equal(nb_sanction_excluding(&c, s, 2), 1);
		nb_place(&c, &in, &pl);
		assert_int_equal(pl.box, 9);
		assert_true(pl.excluded);
		assert_false(pl.in_pool);
		assert_int_equal(pl.sanction, 1);
		assert_int_equal(pl.reason, NB_R_SANCTION);
		assert_string_equal(nb_reason_code(pl.reason), "sanction");
	}
	{
		/* Light does not exclude by default; heavy exactly at the cut-off
		 * is outside; a day later inside. */
		struct nb_sanction s[] = { { NB_LIGHT, "2026-05-01" }, { NB_HEAVY, "2024-06-30" } };
		struct nb_input in = { skp, 2, v, s, 2 };
		assert_int_equal(nb_sanction_excluding(&c, s, 2), -1);
		nb_place(&c, &in, &pl);
		assert_true(pl.in_pool);
		assert_int_equal(pl.reason, NB_R_NONE);
		strcpy(s[1].date, "2024-07-01");
		assert_int_equal(nb_sanction_excluding(&c, s, 2), 1);
	}
	/* Configured: light too, one year back. */
	load("{\"components\":[{\"code\":\"a\",\"kind\":\"entered\",\"weight\":100}],"
	     "\"sanctions\":{\"levels\":[\"light\"],\"years\":1},\"reference_date\":\"2026-03-01\"}",
	     &k);
	{
		struct nb_sanction s[] = { { NB_HEAVY, "2026-01-01" }, { NB_LIGHT, "2025-02-28" },
					   { NB_LIGHT, "2025-03-02" } };
		assert_int_equal(nb_sanction_excluding(&k, s, 2), -1); /* heavy not configured */
		assert_int_equal(nb_sanction_excluding(&k, s, 3), 2);
	}
}

static void test_place_reasons(void **state)
{
	struct nb_config c;
	struct nb_placement pl;
	struct nb_value v[3] = { { 1, 0, 400, 500 }, { 0, 0, 0, 0 }, { 1, 0, 45, 50 } };
	struct nb_input in = { NULL, 0, v, NULL, 0 };
	(void)state;
	load(cfg_min, &c);
	nb_place(&c, &in, &pl);
	assert_int_equal(pl.perf, NB_PERF_NONE);
	assert_int_equal(pl.pot, NB_POT_NONE);
	assert_int_equal(pl.box, 0);
	assert_false(pl.in_pool);
	assert_int_equal(pl.reason, NB_R_NO_SKP);
	assert_true(pl.reasons & (1u << NB_R_NO_POTENTIAL));
	assert_int_equal(pl.pot_detail.missing, 1);
	{
		struct nb_skp skp[] = { { 2026, NB_BAIK } };
		struct nb_value w[3] = { { 0, 1, 0, 0 }, { 1, 0, 90, 100 }, { 1, 0, 45, 50 } };
		struct nb_input in2 = { skp, 1, w, NULL, 0 };
		nb_place(&c, &in2, &pl);
		assert_int_equal(pl.perf, NB_MEETS);
		assert_int_equal(pl.reason, NB_R_DISQUALIFIED);
		assert_int_equal(pl.box, 0);
	}
	{
		/* meets + 68 exactly: box 5, not in the pool; + 80: box 8, pool. */
		struct nb_skp skp[] = { { 2026, NB_BAIK } };
		struct nb_value w[3] = { { 1, 0, 340, 500 }, { 1, 0, 68, 100 }, { 1, 0, 34, 50 } };
		struct nb_input in3 = { skp, 1, w, NULL, 0 };
		nb_place(&c, &in3, &pl);
		assert_true(pl.potential == 68.0);
		assert_int_equal(pl.box, 5);
		assert_false(pl.in_pool);
		w[0].raw = 400;
		w[1].raw = 80;
		w[2].raw = 40;
		nb_place(&c, &in3, &pl);
		assert_true(pl.potential == 80.0);
		assert_int_equal(pl.box, 8);
		assert_true(pl.in_pool);
	}
}

/* ---- the pool and succession ---- */

static struct nb_entry entry(const char *nip, const char *grade, enum nb_perf perf,
			     enum nb_pot pot, double potential, int in_pool)
{
	struct nb_entry e = { nip, grade_ord(grade), perf, pot, 1, potential, in_pool, NULL };
	return e;
}

static void test_pool_order(void **state)
{
	struct nb_entry v[] = {
		entry("A", "III/a", NB_MEETS, NB_HIGH, 95, 1),   /* box 8 */
		entry("B", "III/b", NB_ABOVE, NB_HIGH, 81, 1),   /* box 9 */
		entry("C", "IV/a", NB_ABOVE, NB_MEDIUM, 79, 1),  /* box 7 */
		entry("D", "IV/b", NB_ABOVE, NB_HIGH, 90, 1),    /* box 9 */
		entry("E", "III/c", NB_MEETS, NB_LOW, 99, 0),    /* not in the pool */
		entry("F", "III/d", NB_ABOVE, NB_MEDIUM, 95, 1), /* box 7, ties with A */
		entry("G", "III/d", NB_ABOVE, NB_HIGH, 90, 1),   /* ties with D: NIP */
	};
	size_t n;
	(void)state;
	n = nb_pool(v, sizeof v / sizeof *v);
	assert_int_equal(n, 6);
	/* Box 9 first by potential (D and G tie: NIP), then potential desc
	 * (F and A tie at 95: F's performance is higher), then C. */
	assert_string_equal(v[0].nip, "D");
	assert_string_equal(v[1].nip, "G");
	assert_string_equal(v[2].nip, "B");
	assert_string_equal(v[3].nip, "F");
	assert_string_equal(v[4].nip, "A");
	assert_string_equal(v[5].nip, "C");
	assert_string_equal(v[6].nip, "E");
}

static void test_succession(void **state)
{
	struct nb_entry v[] = {
		entry("A", "IV/a", NB_MEETS, NB_HIGH, 95, 1),  /* not box 9 */
		entry("B", "III/d", NB_ABOVE, NB_HIGH, 99, 1), /* grade too low */
		entry("C", "IV/a", NB_ABOVE, NB_HIGH, 82, 1),
		entry("D", "IV/c", NB_ABOVE, NB_HIGH, 88, 1),
		entry("E", "IV/b", NB_ABOVE, NB_HIGH, 97, 0), /* excluded (sanction) */
		entry("F", "IV/e", NB_ABOVE, NB_HIGH, 85, 1),
	};
	struct nb_entry w[6];
	size_t n;
	(void)state;
	memcpy(w, v, sizeof v);
	n = nb_succession(w, 6, grade_ord("IV/a"), 3);
	assert_int_equal(n, 3);
	assert_string_equal(w[0].nip, "D");
	assert_string_equal(w[1].nip, "F");
	assert_string_equal(w[2].nip, "C");
	memcpy(w, v, sizeof v);
	n = nb_succession(w, 6, grade_ord("IV/a"), 2);
	assert_int_equal(n, 2);
	memcpy(w, v, sizeof v);
	n = nb_succession(w, 6, 0, 10); /* any grade */
	assert_int_equal(n, 4);
	assert_string_equal(w[0].nip, "B");
	memcpy(w, v, sizeof v);
	assert_int_equal(nb_succession(w, 6, grade_ord("IV/e"), 3), 1);
	assert_string_equal(w[0].nip, "F");
}

static void test_codes(void **state)
{
	(void)state;
	for (int p = 0; p < NB_PRED_MAX; p++)
		assert_int_equal(nb_predikat_parse(nb_predikat_code((enum nb_predikat)p)), p);
	assert_int_equal(nb_predikat_parse("Sangat Baik"), NB_PRED_NONE);
	assert_int_equal(nb_perf_parse("above"), NB_ABOVE);
	assert_int_equal(nb_pot_parse("medium"), NB_MEDIUM);
	assert_int_equal(nb_sanction_parse("heavy"), NB_HEAVY);
	assert_int_equal(nb_reason_parse("no_skp"), NB_R_NO_SKP);
	assert_int_equal(nb_reason_parse(""), NB_R_NONE);
	assert_null(nb_perf_code(NB_PERF_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_config_errors_all_listed),
		cmocka_unit_test(test_config_errors_in_indonesian),
		cmocka_unit_test(test_skp_rule),
		cmocka_unit_test(test_skp_configured),
		cmocka_unit_test(test_potential_weighted),
		cmocka_unit_test(test_cutoff_edges),
		cmocka_unit_test(test_nondefault_numbering),
		cmocka_unit_test(test_sanctions),
		cmocka_unit_test(test_place_reasons),
		cmocka_unit_test(test_pool_order),
		cmocka_unit_test(test_succession),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
