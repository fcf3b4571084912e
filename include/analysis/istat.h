/* istat.h - classical item statistics over a sparse, incomplete response set.
 *
 * Pure functions (no database, no I/O). Each candidate ("person") saw a
 * random subset of a bank's items in a random order, so the data is a list of
 * observations per bank item revision: who was presented the item, which
 * option (in the bank's order, never the shuffled label) they chose, the
 * points they earned and the time they spent. A person carries the scores of
 * the sections they took, against which items are correlated.
 *
 * Method notes and the formulas: docs/ANALYSIS.md. */
#ifndef UJIAN_ISTAT_H
#define UJIAN_ISTAT_H

#include "bounds.h"

#include <stddef.h>
#include <stdint.h>

/* One presentation of one item to one person. */
struct ia_obs {
	int32_t person;  /* index into ia_data.persons */
	int8_t option;   /* bank-order option index chosen; -1 = not answered */
	double points;   /* points earned on this item (section scoring applied) */
	int32_t time_ms; /* time spent on the item; -1 = unknown */
};

/* One bank item revision (items.id) and everything observed on it. */
struct ia_item {
	int64_t item_id;
	const char *item_code;
	int section;        /* index into ia_data.sections */
	int n_options;      /* 2..UJ_OPTIONS_MAX */
	int key;            /* right_wrong: bank index of the correct option; -1 weighted */
	double opt_points[UJ_OPTIONS_MAX]; /* points of choosing each option */
	double blank_points; /* points of leaving it blank */
	double max_points;   /* highest points the item gives */
	double min_points;   /* lowest points (a wrong answer may be negative) */
	size_t n_obs;
	struct ia_obs *obs;
};

/* A bank section as the analysis sees it. */
struct ia_section {
	const char *code;
	const char *title;
	int right_wrong;    /* 1 right/wrong scoring, 0 weighted */
	int items_per_paper; /* items each paper draws in this section (max over exams) */
	double max_score;    /* the section's maximum on a paper */
};

/* One finished attempt. section_score[s] is NaN when the person's exam has
 * no section s. */
struct ia_person {
	double section_score[UJ_SECTIONS_MAX];
	double total;
	int exam;            /* index into the caller's exam list */
};

struct ia_data {
	int n_sections;
	const struct ia_section *sections;
	int n_persons;
	const struct ia_person *persons;
	int n_items;
	const struct ia_item *items;
};

/* Thresholds of the flags (defaults UJ_IA_EASY_P, UJ_IA_HARD_P, UJ_IA_WEAK_R). */
struct ia_thresholds {
	double easy_p, hard_p, weak_r;
};

enum ia_flag {
	IA_FLAG_EASY = 1 << 0,       /* p > easy_p */
	IA_FLAG_HARD = 1 << 1,       /* p < hard_p */
	IA_FLAG_WEAK = 1 << 2,       /* 0 <= corrected r < weak_r */
	IA_FLAG_NEGATIVE = 1 << 3,   /* corrected r < 0 */
	IA_FLAG_KEY = 1 << 4,        /* right_wrong: the key's r_pb is not the highest */
	IA_FLAG_DISTRACTOR = 1 << 5, /* a wrong option chosen more by the upper group */
	IA_FLAG_FEW = 1 << 6,        /* fewer than UJ_IA_MIN_N presentations */
};
#define IA_FLAG_COUNT 7

/* One option's share and how its choosers scored. NaN where undefined. */
struct ia_option_stats {
	int64_t n;          /* persons who chose it */
	double share;       /* n / n_presented */
	double mean_score;  /* mean section score of those who chose it */
	double r_pb;        /* option-total point-biserial (chose it vs section score) */
	double upper_share; /* share choosing it in the upper 27% group */
	double lower_share; /* share choosing it in the lower 27% group */
	int flagged;        /* the suspect distractor test holds for it */
};

/* Everything about one item. NaN marks a statistic that is undefined (no
 * variance, too few people). */
struct ia_item_stats {
	int64_t n_presented, n_answered;
	double omit_rate;    /* 1 - answered / presented */
	double p;            /* facility: mean points / max points (0..1) */
	double sd;           /* SD of the item's points */
	double r_pb;         /* point-biserial (Pearson) with the section score */
	double r_corrected;  /* with the section score minus this item's points */
	double d_index;      /* upper 27% facility minus lower 27% facility */
	double time_median_ms, time_p90_ms;
	struct ia_option_stats opt[UJ_OPTIONS_MAX];
	unsigned flags;      /* enum ia_flag bits */
	/* copied from the item, so a flag's text needs only these stats */
	int weighted;        /* 1: p is mean points over the item's range */
	int key;             /* right_wrong: bank index of the key; -1 weighted */
	int n_options;
	int64_t n_group;     /* persons in each of the upper and lower groups */
};

/* The default thresholds. */
void ia_thresholds_default(struct ia_thresholds *t);
/* Compute the statistics of item i of d with thresholds t into out. Persons
 * whose section score is NaN are left out. Returns 0, or -1 when i is out of
 * range. O(n_obs log n_obs). */
int ia_item_compute(const struct ia_data *d, int i, const struct ia_thresholds *t,
		    struct ia_item_stats *out);
/* The stable code of one flag bit ("too_easy", "too_hard", "weak",
 * "negative", "suspect_key", "suspect_distractor", "few"); NULL otherwise. */
const char *ia_flag_code(unsigned flag);
/* A plain-language reason for one flag bit with the item's numbers, in
 * Bahasa Indonesia (lang "id", also the default for NULL or anything else)
 * or English ("en"), into buf (UJ_IA_FLAG_TEXT bytes hold every text; a
 * shorter buf gets a truncated one). An unknown flag gives "". Returns buf. */
char *ia_flag_text(unsigned flag, const struct ia_item_stats *s, const struct ia_thresholds *t,
		   const char *lang, char *buf, size_t len);

#endif
