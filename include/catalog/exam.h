/* exam.h - exam definitions: blueprint, clock, token, pass rules.
 *
 * exam_parse() validates an exam document on its own; exam_bind() checks it
 * against the sections of the bank it draws from. The *_check variants go
 * on after the first problem and report every one to an error list. */
#ifndef UJIAN_EXAM_H
#define UJIAN_EXAM_H

#include "catalog/bank.h"
#include "bounds.h"

#include <jansson.h>
#include <stdint.h>

struct exam_draw {
	char code[UJ_SECTION_CODE_MAX + 1];
	int bank_section; /* index into the bank's sections; set by exam_bind */
	int draw;
	int n_topics; /* 0: no per-topic counts */
	char topic[UJ_TOPICS_MAX][UJ_TOPIC_MAX + 1];
	int topic_count[UJ_TOPICS_MAX];
	int has_diff;
	int diff_count[DIFF_MAX];
};

struct pass_rule {
	char track[UJ_TRACK_MAX + 1];
	int has_total;
	int total;
	int n_min;
	int min_section[UJ_SECTIONS_MAX]; /* exam section index */
	int min_value[UJ_SECTIONS_MAX];
};

/* The time zone an exam's times are shown in (exports, cards). */
struct exam_zone {
	const char *name; /* "WIB" */
	int offset_min;   /* minutes east of UTC */
};
#define EXAM_ZONES 3
#define EXAM_ZONE_DEFAULT 0 /* WIB */
extern const struct exam_zone exam_zones[EXAM_ZONES];
/* Index of a zone name in exam_zones, or -1. */
int exam_zone_index(const char *name);

struct exam_def {
	char code[UJ_CODE_MAX + 1];
	char title[4 * UJ_TITLE_MAX + 1];
	char bank[UJ_CODE_MAX + 1];
	int duration_s;
	int64_t opens_at, closes_at; /* ms; 0 = no limit */
	char token[UJ_TOKEN_MAX + 1]; /* "" = no token */
	int zone;                     /* index into exam_zones ("timezone", default WIB) */
	int n_sections;
	struct exam_draw sec[UJ_SECTIONS_MAX];
	int shuffle_items, shuffle_options, show_score;
	/* The result shows, per section (and for the total), the candidate's
	 * track's threshold and whether it was met ("show_thresholds", default
	 * on; nothing to show without pass rules). Never the overall verdict. */
	int show_thresholds;
	/* Figures' written descriptions shown to every candidate of the exam
	 * (the candidate client's accessibility mode; "describe_figures",
	 * default off: a figural item stays figural). */
	int describe_figures;
	int archived; /* done with: hidden from the open list, no logins or starts */
	int sitting_token; /* candidates in a sitting log in with its token */
	int scoreboard;    /* the public live scoreboard is on */
	int n_tie;
	int tie[UJ_SECTIONS_MAX]; /* exam section indexes */
	int n_rules;
	struct pass_rule rules[UJ_TRACKS_MAX];
};

/* Validate an exam document. Tie-break and pass-rule section codes are
 * resolved against the exam's own sections. Returns 0, or -1 with err. */
int exam_parse(json_t *root, struct exam_def *ex, char *err, size_t errlen);
/* The same, reporting every problem of the document to errs. */
int exam_check(json_t *root, struct exam_def *ex, struct errlist *errs);
/* Resolve section codes against a bank's sections. Returns 0, or -1 with err
 * naming the exam section that the bank lacks. */
int exam_bind(struct exam_def *ex, const struct section_rule *sec, int n_sections, char *err,
	      size_t errlen);
/* The same, reporting every missing section to errs. */
int exam_bind_check(struct exam_def *ex, const struct section_rule *sec, int n_sections,
		    struct errlist *errs);
/* Index of a track's pass rule, or -1. */
int exam_rule_index(const struct exam_def *ex, const char *track);
/* Total number of items on each paper. */
int exam_paper_length(const struct exam_def *ex);

#endif
