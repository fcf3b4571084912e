/* fuzz_talent.c - libFuzzer target: bytes -> a talent-mapping period's
 * configuration (selection/ninebox.h) and an entered-values CSV
 * (selection/talent.h), and placements computed under the configuration.
 *
 * Each input goes the way POST /api/v1/staff/talent/periods reads a
 * configuration: jc_parse (JSON_REJECT_DUPLICATES) then nb_config_parse with
 * its errors collected; the same bytes also go through
 * talent_scores_from_csv, as PUT .../scores reads a CSV body.
 *
 * Contracts checked besides memory safety:
 * - a rejection carries at least one error, each with a message;
 * - an accepted configuration written back (nb_config_json, as stored) is
 *   accepted again and writes back to the same text (the stored form is a
 *   fixed point), and its numbering is a permutation of 1-9 whose levels
 *   read back (nb_box_levels);
 * - placements computed from values derived from the input keep the
 *   invariants: a box exactly when both levels exist, the potential in
 *   0-100 and its level by the cut-offs, in the pool only when placed in a
 *   pool box and not excluded;
 * - a CSV accepted has rows on increasing lines after the header. */
#include "fuzz.h"

#include "core/errlist.h"
#include "core/jcheck.h"
#include "selection/ninebox.h"
#include "selection/talent.h"

#include <jansson.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(1);
	return 0;
}

/* A byte of the input, cycling (0 for an empty input). */
static unsigned fuzz_byte(const uint8_t *data, size_t size, size_t i)
{
	return size ? data[i % size] : 0;
}

static void fuzz_places(const struct nb_config *c, const uint8_t *data, size_t size)
{
	struct nb_skp skp[4];
	struct nb_value vals[UJ_TALENT_COMPONENTS_MAX];
	struct nb_sanction sanc[2];
	struct nb_placement p;
	struct nb_input in = { skp, 0, vals, sanc, 0 };

	for (size_t round = 0; round < 8; round++) {
		size_t k = round * 16;
		in.n_skp = fuzz_byte(data, size, k) % 5;
		for (size_t i = 0; i < in.n_skp; i++) {
			skp[i].year = c->until_year - (int)(fuzz_byte(data, size, k + 1 + i) % 4);
			skp[i].predikat = (enum nb_predikat)(fuzz_byte(data, size, k + 5 + i) % 6) - 1;
		}
		for (int i = 0; i < c->n_comp; i++) {
			unsigned b = fuzz_byte(data, size, k + 9 + (size_t)i);
			vals[i].have = b % 7 != 0;
			vals[i].disqualified = b % 7 == 0 && b % 2;
			vals[i].raw = (double)(b % 130);
			vals[i].max = (double)(fuzz_byte(data, size, k + 3 + (size_t)i) % 120);
		}
		in.n_sanctions = fuzz_byte(data, size, k + 2) % 3;
		for (size_t i = 0; i < in.n_sanctions; i++) {
			sanc[i].level = (enum nb_sanction_level)(fuzz_byte(data, size, k + 7 + i) % 3);
			snprintf(sanc[i].date, sizeof sanc[i].date, "%04d-0%u-1%u",
				 c->until_year - (int)(fuzz_byte(data, size, k + 8 + i) % 5),
				 1 + fuzz_byte(data, size, k + 10) % 9, fuzz_byte(data, size, k + 11) % 10);
		}
		nb_place(c, &in, &p);
		fuzz_require((p.box != 0) == (p.perf != NB_PERF_NONE && p.pot != NB_POT_NONE),
			     "box %d with levels %d/%d", p.box, p.perf, p.pot);
		fuzz_require(!p.box || p.box == c->box[p.perf][p.pot], "box %d not the numbering's",
			     p.box);
		if (p.has_potential) {
			fuzz_require(p.potential >= 0 && p.potential <= 100, "potential %g",
				     p.potential);
			fuzz_require(p.pot == nb_pot_level(c, p.potential), "level of %g", p.potential);
		}
		fuzz_require(!p.in_pool || (p.box && c->pool[p.box] && !p.excluded),
			     "in the pool from box %d, excluded %d", p.box, p.excluded);
		fuzz_require((p.reason == NB_R_NONE) == (p.reasons == 0), "reason %d, reasons %u",
			     p.reason, p.reasons);
	}
}

static void fuzz_config(const uint8_t *data, size_t size)
{
	struct nb_config *c = calloc(1, sizeof *c), *d = calloc(1, sizeof *d);
	struct errlist errs;
	char err[256];
	json_t *j = jc_parse((const char *)data, size, err, sizeof err), *out, *back;
	char *t1 = NULL, *t2 = NULL;

	errlist_init(&errs, 0);
	if (!j)
		goto done;
	if (nb_config_parse(j, 2026, "2026-06-30", c, &errs)) {
		fuzz_require(errs.total > 0 && errs.n > 0, "a rejection without an error");
		for (size_t i = 0; i < errs.n; i++)
			fuzz_require(errs.v[i].message[0], "an error without a message");
		goto done;
	}
	fuzz_require(errs.total == 0, "accepted with %zu errors", errs.total);
	out = nb_config_json(c);
	t1 = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	back = json_loads(t1, JSON_REJECT_DUPLICATES, NULL);
	fuzz_require(back, "the stored form does not parse: %s", t1);
	fuzz_require(nb_config_parse(back, 1999, "1999-01-01", d, &errs) == 0,
		     "the stored form is refused: %s", t1);
	json_decref(out);
	out = nb_config_json(d);
	t2 = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	fuzz_require(strcmp(t1, t2) == 0, "the stored form moved:\n%s\n%s", t1, t2);
	json_decref(out);
	json_decref(back);
	for (int b = 1; b <= 9; b++) {
		enum nb_perf p;
		enum nb_pot q;
		fuzz_require(nb_box_levels(c, b, &p, &q) == 0 && c->box[p][q] == b, "box %d", b);
	}
	fuzz_places(c, data, size);
done:
	free(t1);
	free(t2);
	json_decref(j);
	errlist_free(&errs);
	free(c);
	free(d);
}

static void fuzz_scores(const uint8_t *data, size_t size)
{
	struct talent_scores s;
	struct errlist errs;
	errlist_init(&errs, 0);
	if (talent_scores_from_csv((const char *)data, size, &s, &errs) == 0) {
		int last = 1;
		for (size_t i = 0; i < s.n; i++) {
			fuzz_require(s.v[i].line > last, "row %zu on line %d after %d", i, s.v[i].line,
				     last);
			last = s.v[i].line;
		}
	} else {
		fuzz_require(errs.total > 0, "a refused CSV without an error");
	}
	talent_scores_free(&s);
	errlist_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config(data, size);
	fuzz_scores(data, size);
	return 0;
}
