/* paper.h - drawing a candidate's paper from an exam blueprint.
 *
 * A paper is drawn once, when the candidate is added to the exam, from a
 * 32-byte CSPRNG seed: which items of each section (meeting the per-topic and
 * per-difficulty counts exactly), their order, and each item's option order.
 * Given the same seed, blueprint and item pool, paper_draw() reproduces the
 * same paper, so a stored paper can be audited against its seed. */
#ifndef UJIAN_PAPER_H
#define UJIAN_PAPER_H

#include "bounds.h"
#include "catalog/exam.h"
#include "core/rng.h"

#include <jansson.h>
#include <stdint.h>

/* One item available to a section draw, in bank order. */
struct pool_item {
	int64_t item_id;
	const char *topic;
	int diff;
	int n_options;
};

/* The items of one exam section's bank section. */
struct pool {
	int n;
	const struct pool_item *v;
};

struct paper_q {
	int64_t item_id;
	uint8_t section;   /* exam section index */
	uint8_t n_options;
	uint8_t perm[UJ_OPTIONS_MAX]; /* perm[label] = option index in the bank item */
};

struct paper_layout {
	int n;
	struct paper_q *q;
};

/* Check that the pools (one per exam section) can satisfy the blueprint.
 * Returns 0, or -1 with err naming the section and the constraint. */
int paper_check(const struct exam_def *ex, const struct pool *pools, char *err, size_t errlen);
/* Draw a paper. Returns 0, or -1 if the blueprint cannot be met (run
 * paper_check first for a message). Free with paper_layout_free. */
int paper_draw(const struct exam_def *ex, const struct pool *pools,
	       const uint8_t seed[RNG_SEED_LEN], struct paper_layout *out);
void paper_layout_free(struct paper_layout *p);

/* Stored form: [[item_id,[perm...],section],...]. */
json_t *paper_layout_to_json(const struct paper_layout *p);
/* Parse the stored form (text of the JSON above; a strict scanner of exactly
 * that shape, fast enough to load every paper at start-up). Each perm must be
 * a permutation of 0..n-1 with 2..6 options. Returns 0, or -1 if malformed
 * (out is then empty). */
int paper_layout_parse(const char *text, size_t len, struct paper_layout *out);

#endif
