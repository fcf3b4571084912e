/* fuzz_exam.c - libFuzzer target: bytes -> exam definition validation.
 *
 * Each input goes the way 'ujian exam create' reads an exam file: jc_parse
 * (JSON_REJECT_DUPLICATES) and exam_parse, then exam_bind against the
 * sections of a fixed bank, the item pools of that bank (catalog_make_pools)
 * and the blueprint feasibility check (paper_check). The fixed bank has the
 * SKD sections (TWK and TIU right_wrong, TKP weighted) with the topics of the
 * shipped demo exam and of the API tests, twelve items per topic spread over
 * the three difficulties; it is built once and validated by bank_parse.
 *
 * Contracts checked besides memory safety:
 * - the stored form (json_dumps as catalog_exam_create stores it) parses
 *   back to exactly the same exam_def, as catalog_read_exam relies on;
 * - every rejection carries a message;
 * - a blueprint that paper_check accepts can be drawn (paper_draw succeeds)
 *   and the paper meets it exactly: paper length, per-section, per-topic and
 *   per-difficulty counts, no item twice, option orders are permutations;
 * - the stored paper layout (paper_layout_to_json) reads back through
 *   paper_layout_parse unchanged. */
#include "fuzz.h"

#include "catalog/bank.h"
#include "catalog/catalog.h"
#include "catalog/exam.h"
#include "core/jcheck.h"
#include "exam/paper.h"

#include <jansson.h>
#include <string.h>

#define FUZZ_ITEMS_PER_TOPIC 12

/* Sections of the fixed bank and the topics each holds (NULL-terminated). */
static const struct {
	const char *code;
	const char *scoring; /* right_wrong or weighted */
	const char *topics[9];
} fuzz_sections[] = {
	{ "TWK", "right_wrong",
	  { "pancasila", "uud1945", "nkri", "bhinneka_tunggal_ika", "nasionalisme", "t0", "t1",
	    NULL } },
	{ "TIU", "right_wrong",
	  { "analogi", "silogisme", "deret_angka", "aritmetika", "figural", "t0", "t1", NULL } },
	{ "TKP", "weighted",
	  { "pelayanan_publik", "jejaring_kerja", "sosial_budaya", "tik", "profesionalisme",
	    "anti_radikalisme", "t0", "t1", NULL } },
};

static struct bank_def fuzz_bank;
static struct bank_snapshot fuzz_snap; /* fuzz_bank's items with ids 1..n */
static struct pool_item *fuzz_storage;
static struct exam_def fuzz_ex, fuzz_again; /* large: kept off the stack */

/* The fixed bank document described in the header. Caller decrefs. */
static json_t *fuzz_bank_json(void)
{
	json_t *secs = json_array(), *items = json_array();
	int n = 0;

	for (size_t s = 0; s < sizeof fuzz_sections / sizeof *fuzz_sections; s++) {
		int weighted = strcmp(fuzz_sections[s].scoring, "weighted") == 0;
		json_t *scoring = weighted ? json_pack("{s:s,s:i}", "type", "weighted", "blank", 0)
					   : json_pack("{s:s,s:i,s:i,s:i}", "type", "right_wrong",
						       "correct", 5, "wrong", 0, "blank", 0);
		json_array_append_new(secs, json_pack("{s:s,s:s,s:o}", "code", fuzz_sections[s].code,
						      "title", fuzz_sections[s].code, "scoring",
						      scoring));
		for (int t = 0; fuzz_sections[s].topics[t]; t++) {
			for (int i = 0; i < FUZZ_ITEMS_PER_TOPIC; i++) {
				json_t *opts = json_array();
				char id[32];
				for (int k = 0; k < 4 + i % 3; k++)
					json_array_append_new(
						opts, weighted ? json_pack("{s:s,s:i}", "text", "pilihan",
									  "points", k + 1)
							       : json_pack("{s:s,s:b}", "text", "pilihan",
									  "correct", k == i % 4));
				snprintf(id, sizeof id, "%s-%03d", fuzz_sections[s].code, ++n);
				json_array_append_new(
					items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "id", id, "section",
							 fuzz_sections[s].code, "topic",
							 fuzz_sections[s].topics[t], "difficulty",
							 difficulty_names[i % DIFF_MAX], "text", "soal",
							 "options", opts));
			}
		}
	}
	return json_pack("{s:s,s:s,s:o,s:o}", "code", "FUZZ-BANK", "title", "Fuzz", "sections", secs,
			 "items", items);
}

/* Build and validate the fixed bank once; abort if it is refused (the
 * harness would then test nothing). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[1024];
	json_t *doc;

	(void)argc;
	(void)argv;
	json_object_seed(1); /* reproducible object order */
	doc = fuzz_bank_json();
	if (!doc || bank_parse(doc, &fuzz_bank, err, sizeof err))
		fuzz_fail("the fixed bank is invalid: %s", doc ? err : "json_pack failed");
	json_decref(doc);
	fuzz_snap.n_sections = fuzz_bank.n_sections;
	memcpy(fuzz_snap.sec, fuzz_bank.sec, sizeof fuzz_snap.sec);
	fuzz_snap.n_items = fuzz_bank.n_items;
	fuzz_snap.items = fuzz_bank.items;
	fuzz_snap.item_ids = calloc((size_t)fuzz_bank.n_items, sizeof *fuzz_snap.item_ids);
	fuzz_storage = calloc((size_t)fuzz_bank.n_items, sizeof *fuzz_storage);
	if (!fuzz_snap.item_ids || !fuzz_storage)
		fuzz_fail("out of memory");
	for (int i = 0; i < fuzz_bank.n_items; i++)
		fuzz_snap.item_ids[i] = i + 1;
	return 0;
}

/* Check that paper p meets the blueprint of ex over pools exactly. */
static void fuzz_check_paper(const struct exam_def *ex, const struct pool *pools,
			     const struct paper_layout *p)
{
	static unsigned char used[UJ_ITEMS_MAX + 1];
	int pos = 0;

	fuzz_require(p->n == exam_paper_length(ex), "paper has %d items, blueprint %d", p->n,
		     exam_paper_length(ex));
	memset(used, 0, sizeof used);
	for (int s = 0; s < ex->n_sections; s++) {
		const struct exam_draw *d = &ex->sec[s];
		int topic_n[UJ_TOPICS_MAX] = { 0 }, diff_n[DIFF_MAX] = { 0 };
		for (int k = 0; k < d->draw; k++, pos++) {
			const struct paper_q *q = &p->q[pos];
			const struct bank_item *it;
			int seen = 0;
			fuzz_require(q->section == s, "question %d: section %d, expected %d", pos,
				     q->section, s);
			fuzz_require(q->item_id >= 1 && q->item_id <= fuzz_bank.n_items,
				     "question %d: unknown item %lld", pos, (long long)q->item_id);
			fuzz_require(!used[q->item_id], "item %lld drawn twice", (long long)q->item_id);
			used[q->item_id] = 1;
			it = &fuzz_bank.items[q->item_id - 1];
			fuzz_require(it->section == d->bank_section, "item %s is not in section %s",
				     it->id, d->code);
			fuzz_require(q->n_options == it->n_options, "item %s: option count", it->id);
			for (int o = 0; o < q->n_options; o++) {
				fuzz_require(q->perm[o] < q->n_options && !(seen & (1 << q->perm[o])),
					     "item %s: option order is not a permutation", it->id);
				seen |= 1 << q->perm[o];
			}
			diff_n[it->diff]++;
			if (d->n_topics) {
				int t = 0;
				while (t < d->n_topics && strcmp(d->topic[t], it->topic) != 0)
					t++;
				fuzz_require(t < d->n_topics, "item %s: topic %s not in the blueprint",
					     it->id, it->topic);
				topic_n[t]++;
			}
		}
		for (int t = 0; t < d->n_topics; t++)
			fuzz_require(topic_n[t] == d->topic_count[t],
				     "section %s topic %s: %d drawn, %d wanted", d->code, d->topic[t],
				     topic_n[t], d->topic_count[t]);
		if (d->has_diff)
			for (int x = 0; x < DIFF_MAX; x++)
				fuzz_require(diff_n[x] == d->diff_count[x],
					     "section %s difficulty %s: %d drawn, %d wanted", d->code,
					     difficulty_names[x], diff_n[x], d->diff_count[x]);
	}
	(void)pools;
}

/* Draw a paper from a fixed seed, check it, and check that its stored
 * layout reads back unchanged. */
static void fuzz_draw(const struct exam_def *ex, const struct pool *pools)
{
	static const uint8_t seed[RNG_SEED_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct paper_layout p, back;
	json_t *lj;
	char *ls;

	fuzz_require(paper_draw(ex, pools, seed, &p) == 0,
		     "paper_check accepted a blueprint paper_draw cannot meet");
	fuzz_check_paper(ex, pools, &p);
	lj = paper_layout_to_json(&p);
	ls = json_dumps(lj, JSON_COMPACT);
	fuzz_require(ls != NULL, "layout not dumpable");
	fuzz_require(paper_layout_parse(ls, strlen(ls), &back) == 0, "stored layout refused: %.200s",
		     ls);
	fuzz_require(back.n == p.n, "stored layout has %d questions, paper %d", back.n, p.n);
	for (int i = 0; i < p.n; i++)
		fuzz_require(back.q[i].item_id == p.q[i].item_id &&
				     back.q[i].section == p.q[i].section &&
				     back.q[i].n_options == p.q[i].n_options &&
				     memcmp(back.q[i].perm, p.q[i].perm, p.q[i].n_options) == 0,
			     "stored layout differs at question %d", i);
	paper_layout_free(&back);
	free(ls);
	json_decref(lj);
	paper_layout_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool pools[UJ_SECTIONS_MAX];
	char err[1024], *stored;
	json_t *root, *again;

	root = jc_parse((const char *)data, size, err, sizeof err);
	if (!root)
		return 0;
	err[0] = '\0';
	if (exam_parse(root, &fuzz_ex, err, sizeof err)) {
		fuzz_require(err[0] != '\0', "exam rejected without a message");
		json_decref(root);
		return 0;
	}

	/* The stored definition must read back as the same exam. */
	stored = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fuzz_require(stored != NULL, "accepted exam not dumpable");
	again = jc_parse(stored, strlen(stored), err, sizeof err);
	fuzz_require(again != NULL, "stored exam is not JSON: %s", err);
	fuzz_require(exam_parse(again, &fuzz_again, err, sizeof err) == 0,
		     "stored exam rejected: %s", err);
	fuzz_require(memcmp(&fuzz_ex, &fuzz_again, sizeof fuzz_ex) == 0,
		     "stored exam reads back differently");
	json_decref(again);
	free(stored);
	json_decref(root);

	for (int i = 0; i < fuzz_ex.n_rules; i++)
		fuzz_require(exam_rule_index(&fuzz_ex, fuzz_ex.rules[i].track) == i,
			     "pass rule %s not found by name", fuzz_ex.rules[i].track);
	err[0] = '\0';
	if (exam_bind(&fuzz_ex, fuzz_bank.sec, fuzz_bank.n_sections, err, sizeof err)) {
		fuzz_require(err[0] != '\0', "exam_bind failed without a message");
		return 0;
	}
	catalog_make_pools(&fuzz_ex, &fuzz_snap, fuzz_storage, pools);
	err[0] = '\0';
	if (paper_check(&fuzz_ex, pools, err, sizeof err)) {
		fuzz_require(err[0] != '\0', "paper_check failed without a message");
		return 0;
	}
	fuzz_draw(&fuzz_ex, pools);
	return 0;
}
