/* ninebox.h - the rules of the nine-box talent grid, as pure functions (no
 * database, no I/O, any thread): a period's configuration (parsed, checked
 * whole, defaults filled in), the performance level from SKP ratings, the
 * potential score and level from weighted components, the box, exclusion by
 * disciplinary sanctions, the talent pool's order and the succession filter.
 * docs/SELECTION.md ("Talent mapping") states the rules; server/selection/
 * talent.c feeds them from the database. */
#ifndef UJIAN_NINEBOX_H
#define UJIAN_NINEBOX_H

#include "bounds.h"
#include "core/errlist.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Performance level (kinerja), worst first. */
enum nb_perf { NB_PERF_NONE = -1, NB_BELOW = 0, NB_MEETS, NB_ABOVE, NB_PERF_MAX };
/* Potential level (potensial), lowest first. */
enum nb_pot { NB_POT_NONE = -1, NB_LOW = 0, NB_MEDIUM, NB_HIGH, NB_POT_MAX };
/* SKP predikat (PermenPANRB 6/2022), best first, as stored. */
enum nb_predikat {
	NB_PRED_NONE = -1,
	NB_SANGAT_BAIK = 0,
	NB_BAIK,
	NB_BUTUH_PERBAIKAN,
	NB_KURANG,
	NB_SANGAT_KURANG,
	NB_PRED_MAX
};
/* Sanction level, as stored. */
enum nb_sanction_level { NB_SANC_NONE = -1, NB_LIGHT = 0, NB_MODERATE, NB_HEAVY, NB_SANC_MAX };
enum nb_kind { NB_KIND_EXAM, NB_KIND_ENTERED };

/* Why a placement has no box or is kept out of the pool (the first that
 * applies is the placement's reason_code). */
enum nb_reason {
	NB_R_NONE = 0,
	NB_R_NO_SKP,        /* no SKP rating in the window: no performance level */
	NB_R_NO_POTENTIAL,  /* a component has no value: no potential level */
	NB_R_DISQUALIFIED,  /* the exam attempt was disqualified: no result */
	NB_R_SANCTION,      /* a sanction within the look-back keeps them out of the pool */
	NB_R_MAX
};

struct nb_component {
	char code[UJ_TALENT_CODE_MAX + 1];
	char name[UJ_TALENT_NAME_MAX + 1];
	enum nb_kind kind;
	char exam[UJ_CODE_MAX + 1];        /* exam kind: the exam's code */
	char section[UJ_CODE_MAX + 1];     /* exam kind: a section code; "" = the total */
	double weight;                     /* percent; the weights sum to 100 */
	double max;                        /* entered kind: the scale's maximum (default 100) */
};

struct nb_config {
	int n_comp;
	struct nb_component comp[UJ_TALENT_COMPONENTS_MAX];
	double cut_high, cut_medium;          /* potential >= high: high; >= medium: medium */
	enum nb_perf perf_map[NB_PRED_MAX];   /* predikat -> level */
	int perf_years;                       /* SKP years looked at (window) */
	int until_year;                       /* the window's last year */
	int box[NB_PERF_MAX][NB_POT_MAX];     /* numbering: box[perf][pot] in 1..9 */
	char label[NB_PERF_MAX][NB_POT_MAX][UJ_TALENT_LABEL_MAX + 1];
	char rec[NB_PERF_MAX][NB_POT_MAX][UJ_TALENT_REC_MAX + 1];
	int pool[10];                         /* pool[b] = 1: box number b is in the pool */
	int sanction_level[NB_SANC_MAX];      /* 1: this level excludes */
	int sanction_years;                   /* look-back before the reference date */
	char reference_date[11];              /* YYYY-MM-DD */
	int x_potential;                      /* picture: 1 = x is potential, y performance */
};

/* Stored codes and their parse (NULL / _NONE for anything else). */
const char *nb_perf_code(enum nb_perf p);   /* "above", "meets", "below" */
const char *nb_pot_code(enum nb_pot p);     /* "high", "medium", "low" */
const char *nb_predikat_code(enum nb_predikat p); /* "sangat_baik" ... */
const char *nb_sanction_code(enum nb_sanction_level l); /* "light" ... */
const char *nb_reason_code(enum nb_reason r);           /* "", "no_skp" ... */
enum nb_perf nb_perf_parse(const char *s);
enum nb_pot nb_pot_parse(const char *s);
enum nb_predikat nb_predikat_parse(const char *s);
enum nb_sanction_level nb_sanction_parse(const char *s);
enum nb_reason nb_reason_parse(const char *s);

/* The defaults (docs/SELECTION.md): no components, cut-offs 80/68, the
 * predikat map Sangat Baik -> above, Baik -> meets, the rest below over 2
 * years up to until_year, numbering above 4/7/9, meets 2/5/8, below 1/3/6,
 * the common Indonesian labels and recommendations, pool = the boxes
 * (above, medium), (meets, high), (above, high), sanctions moderate and
 * heavy within 2 years of reference_date, x = potential. */
void nb_config_default(struct nb_config *c, int until_year, const char *reference_date);

/* Parse and check a period's configuration j (an object) into c, filling
 * what is omitted with the defaults above (reference_date: the caller's
 * default; until_year: the reference date's year, else the caller's). Every problem goes to errs (item: the place, such
 * as "components[1]"; field: the key). Returns 0, or -1 if anything is
 * wrong (c is then unspecified). */
int nb_config_parse(json_t *j, int until_year, const char *reference_date, struct nb_config *c,
		    struct errlist *errs);
/* The whole configuration as JSON in the shape nb_config_parse reads,
 * every default written out (new reference). */
json_t *nb_config_json(const struct nb_config *c);
/* 1 if some component reads exam (its code). */
int nb_config_uses_exam(const struct nb_config *c, const char *exam);
/* The index of component code, or -1. */
int nb_config_component(const struct nb_config *c, const char *code);

/* ---- performance ---- */

struct nb_skp {
	int year;
	enum nb_predikat predikat;
};

struct nb_perf_detail {
	int n;                                  /* ratings used (0..perf_years) */
	int year[UJ_TALENT_YEARS_MAX];          /* newest first */
	enum nb_predikat predikat[UJ_TALENT_YEARS_MAX];
	enum nb_perf level[UJ_TALENT_YEARS_MAX];
};

/* The performance level from the ratings v[0..n) (any order; a year given
 * twice counts once, the first): the lower of the levels of the ratings
 * in the window until_year - perf_years + 1 ... until_year; one rating
 * when only one is there; NB_PERF_NONE when none. d (may be NULL) gets
 * the ratings used. */
enum nb_perf nb_performance(const struct nb_config *c, const struct nb_skp *v, size_t n,
			    struct nb_perf_detail *d);

/* ---- potential ---- */

/* One component's value: have = 0 when there is none; disqualified = 1
 * when the only attempt was disqualified (no result either). */
struct nb_value {
	int have, disqualified;
	double raw, max;
};

struct nb_pot_detail {
	double normalised[UJ_TALENT_COMPONENTS_MAX]; /* raw / max x 100, clamped to 0..100 */
	int missing;                                  /* index of the first missing, or -1 */
	int disqualified;                             /* that one was disqualified */
};

/* A score rounded to two decimals (so 67.999999 from 34/50 is 68.00). */
double nb_round2(double v);
/* The potential score: sum of normalised x weight / 100 over the
 * components, rounded to two decimals, into *score. Returns 0, or -1 when
 * a component has no value (d->missing says which). v has c->n_comp
 * entries. */
int nb_potential(const struct nb_config *c, const struct nb_value *v, double *score,
		 struct nb_pot_detail *d);
/* The potential level of score: >= cut_high high, >= cut_medium medium,
 * else low. */
enum nb_pot nb_pot_level(const struct nb_config *c, double score);

/* ---- the box ---- */

/* The box number of (perf, pot) under c's numbering; 0 if either is none. */
int nb_box(const struct nb_config *c, enum nb_perf perf, enum nb_pot pot);
/* The levels of box number b (1..9) under c's numbering: 0, or -1. */
int nb_box_levels(const struct nb_config *c, int b, enum nb_perf *perf, enum nb_pot *pot);

/* ---- sanctions ---- */

struct nb_sanction {
	enum nb_sanction_level level;
	char date[11]; /* YYYY-MM-DD */
};

/* The index of the first sanction of v[0..n) that keeps the employee out
 * of the pool: its level is one of the configured levels and its date is
 * after reference_date minus sanction_years years (a later date counts
 * too); -1 when none does. */
int nb_sanction_excluding(const struct nb_config *c, const struct nb_sanction *v, size_t n);

/* ---- a whole placement ---- */

struct nb_input {
	const struct nb_skp *skp;
	size_t n_skp;
	const struct nb_value *values; /* c->n_comp entries */
	const struct nb_sanction *sanctions;
	size_t n_sanctions;
};

struct nb_placement {
	enum nb_perf perf;
	enum nb_pot pot;
	int has_potential;
	double potential;
	int box;      /* 0: none */
	int excluded; /* a sanction keeps them out of the pool */
	int sanction; /* its index in the input, or -1 */
	int in_pool;
	enum nb_reason reason;    /* the first that applies */
	unsigned reasons;         /* bit (1 << r) for every reason that applies */
	struct nb_perf_detail perf_detail;
	struct nb_pot_detail pot_detail;
};

/* Place one employee. */
void nb_place(const struct nb_config *c, const struct nb_input *in, struct nb_placement *out);

/* ---- the pool and succession ---- */

/* What ordering needs of a placement. */
struct nb_entry {
	const char *nip;
	int grade;           /* grade_ord; -1 unknown */
	enum nb_perf perf;
	enum nb_pot pot;
	int has_potential;
	double potential;
	int in_pool;
	void *row;           /* the caller's */
};

/* Pool order: the top box (above, high; "box 9" by default) first, then
 * potential score descending, then performance level descending, then NIP
 * ascending (so the order is total). qsort comparator over struct nb_entry. */
int nb_pool_cmp(const void *a, const void *b);
/* Keep the pool members of v[0..n) in pool order at the front of v; returns
 * how many. */
size_t nb_pool(struct nb_entry *v, size_t n);
/* Keep the succession candidates of v[0..n) at its front: pool members in
 * the top box (above, high) with grade >= min_grade (a grade_ord; 0 = any),
 * in pool order, at most max. Returns how many. */
size_t nb_succession(struct nb_entry *v, size_t n, int min_grade, size_t max);

#endif
