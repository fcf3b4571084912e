/* rank.h - the arithmetic of an open-bidding selection (seleksi terbuka
 * JPT; docs/SELECTION.md, "Seleksi terbuka"): stage scores from the
 * committee members' entries, gates, the weighted final score, the ranking
 * per vacancy with its tie-break, and the proposal to the PPK.
 *
 * Pure: no database, no I/O, any thread. bidding.c reads the entries and
 * decisions and hands them here; tests/unit/selection/test_rank.c checks the
 * numbers against hand-computed ones.
 *
 * Rules (each configurable in the selection's config, defaults in brackets):
 * - Stages in order; a stage is a gate (pass/fail, weight 0) or weighted.
 *   [administrasi (gate), asesmen 25, makalah 20, wawancara 35,
 *   rekam_jejak 20]. The weights of the weighted stages sum to 100.
 * - A weighted stage's score is the members' entries combined by the score
 *   rule ["mean"; or "median"], or, for a stage with a source exam, the
 *   applicant's exam score (score / max x 100) given by the caller. A stage
 *   is complete when it has that exam score, or at least min_entries member
 *   entries [every member of the selection]. Stage scores are rounded to 2
 *   decimals (half away from zero).
 * - Gates: a gate decided "failed" takes the applicant out of the pipeline
 *   at the first such stage (the record keeps them, with the reason). An
 *   undecided gate leaves them active but not complete.
 * - Final score = sum over weighted stages of weight x stage score / 100,
 *   from the rounded stage scores, rounded to 2 decimals; only for an
 *   applicant who is complete: not out, every gate passed, every weighted
 *   stage complete. Others have no final score and no rank.
 * - Ranking per vacancy: final score, higher first; ties broken by the
 *   tie-break stages in order, higher stage score first [asesmen, then
 *   wawancara]; the last resort is the application order (lower applicant
 *   id first), so equal applicants always come out in the same order.
 * - The proposal is the first `proposal` ranked applicants [3]. */
#ifndef UJIAN_RANK_H
#define UJIAN_RANK_H

#include "bounds.h"
#include "core/errlist.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum rank_rule { RANK_MEAN, RANK_MEDIAN, RANK_RULE_MAX };

struct rank_stage {
	char code[UJ_SEL_STAGE_CODE_MAX + 1];
	char name[UJ_SEL_NAME_MAX + 1];
	int gate;      /* pass/fail, no weight */
	double weight; /* 0..100; 0 for a gate */
	/* fed from an Ujian exam: its code ("" = entered by the members) and
	 * section ("" = the total) */
	char exam[UJ_CODE_MAX + 1];
	char section[UJ_CODE_MAX + 1];
};

struct rank_config {
	int n_stages;
	struct rank_stage stage[UJ_SEL_STAGES_MAX];
	enum rank_rule rule;
	int n_tie;
	int tie[UJ_SEL_STAGES_MAX]; /* indexes of weighted stages */
	int proposal;               /* names proposed to the PPK */
	int min_entries;            /* 0 = every member */
};

/* What is known of one applicant at one stage (the caller fills it). */
struct rank_input {
	int n_entries;
	double entry[UJ_SEL_MEMBERS_MAX]; /* members' scores, 0..100 */
	int has_exam;                     /* a source exam's score is known */
	double exam;                      /* that score, 0..100 */
	int gate;                         /* gates: -1 undecided, 0 failed, 1 passed */
};

/* One applicant: inputs and, after rank_compute, the results. */
struct rank_applicant {
	int64_t id; /* application order: the last-resort tie-break */
	struct rank_input in[UJ_SEL_STAGES_MAX];
	/* results */
	int has_score[UJ_SEL_STAGES_MAX]; /* weighted stages: a score exists */
	double score[UJ_SEL_STAGES_MAX];  /* that score (rounded) */
	int stage_complete[UJ_SEL_STAGES_MAX];
	int out_stage;  /* index of the first failed gate, -1 = active */
	int complete;   /* ranked: final and rank are set */
	double final;
	int rank;       /* 1-based; 0 = not ranked */
};

/* Fill c with the defaults (the stages, rule, tie-break and proposal
 * above). */
void rank_config_default(struct rank_config *c);

/* Read a selection's config object (NULL: every default) into c, the
 * defaults filling what is omitted, and check it whole: every problem is
 * added to errs (field named like "stages[2].weight"). Returns 0, or -1. */
int rank_config_from_json(const json_t *in, struct rank_config *c, struct errlist *errs);

/* The full config (defaults filled in) as JSON (new reference): {"stages":
 * [{"code","name","gate","weight","source":null|{"exam","section"}}],
 * "score_rule","tie_break":[codes],"proposal","min_entries":null|n}. */
json_t *rank_config_to_json(const struct rank_config *c);

/* Index of the stage code in c, or -1. */
int rank_stage_index(const struct rank_config *c, const char *code);

/* The name of a rule ("mean"); -1 from rank_rule_parse for an unknown one. */
const char *rank_rule_name(enum rank_rule r);
int rank_rule_parse(const char *s);

/* x rounded to 2 decimals, half away from zero. */
double rank_round2(double x);

/* Combine n entries (n > 0) by rule r, unrounded. */
double rank_combine(enum rank_rule r, const double *v, int n);

/* Compute every applicant's stage scores, completeness, pipeline status and
 * final score, then rank those complete (rank 1..k, distinct). n_members:
 * the selection's members (the default min_entries). order (n entries, the
 * caller's) receives the applicants' indexes in display order: ranked
 * first by rank, then active unranked, then those out, each group by id. */
void rank_compute(const struct rank_config *c, int n_members, struct rank_applicant *a, size_t n,
		  size_t *order);

#endif
