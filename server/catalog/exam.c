/* exam.c - validation of exam definitions. */
#include "catalog/exam.h"
#include "core/clock.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

static int exam_section_index(const struct exam_def *ex, const char *code)
{
	for (int i = 0; i < ex->n_sections; i++)
		if (strcmp(ex->sec[i].code, code) == 0)
			return i;
	return -1;
}

/* Timezones an exam can name: Indonesia's three. */
const struct exam_zone exam_zones[EXAM_ZONES] = {
	{ "WIB", 7 * 60 },
	{ "WITA", 8 * 60 },
	{ "WIT", 9 * 60 },
};

/* 1 if code is a section the document lists, valid or not (references to a
 * section that failed its own checks are not reported again). */
static int exam_raw_has_section(json_t *root, const char *code)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(root, "sections"), i, s) {
		const char *c = json_string_value(json_object_get(s, "code"));
		if (c && strcmp(c, code) == 0)
			return 1;
	}
	return 0;
}

/* Check {"name": count, ...} count maps; names checked by the caller. */
static int exam_parse_counts(struct jcheck *jc, json_t *obj, const char *field, int draw)
{
	const char *k;
	json_t *v;
	long long sum = 0;
	int bad = 0;
	json_object_foreach(obj, k, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > UJ_DRAW_MAX) {
			bad = jc_fail(jc, field, "count for \"%s\" must be an integer 0-%d", k,
				      UJ_DRAW_MAX);
			continue;
		}
		sum += json_integer_value(v);
	}
	if (!bad && draw > 0 && sum != draw)
		bad = jc_fail(jc, field, "counts add up to %lld but \"draw\" is %d", sum, draw);
	return bad;
}

/* Check sections[i] into the next free ex->sec slot. Goes on after a
 * problem; returns 0 when the section is valid. */
static int exam_parse_section(struct jcheck *jc, json_t *s, size_t i, struct exam_def *ex)
{
	static const char *const keys[] = { "code", "draw", "topics", "difficulty", NULL };
	struct exam_draw *d = &ex->sec[ex->n_sections];
	const char *code, *k;
	json_t *topics, *diff, *v;
	long long draw;
	int start = jc->nfail;

	memset(d, 0, sizeof *d);
	d->bank_section = -1;
	jc_where(jc, "sections[%zu]", i);
	if (!json_is_object(s))
		return jc_fail(jc, NULL, "must be an object");
	jc_only_keys(jc, s, keys);
	if (jc_string(jc, s, "code", 1, 64, 0, &code) == 0) {
		if (!text_is_ident(code, UJ_SECTION_CODE_MAX, "A0_", 0)) {
			jc_fail(jc, "code", "\"%s\" is not a section code (A-Z, 0-9, _)", code);
		} else if (exam_section_index(ex, code) >= 0) {
			jc_fail(jc, "code", "section \"%s\" is listed twice", code);
		} else {
			str_copy(d->code, sizeof d->code, code);
			jc_where(jc, "sections[%zu] (\"%s\")", i, code);
		}
	}
	if (jc_int(jc, s, "draw", 1, 1, UJ_DRAW_MAX, 0, &draw) == 0)
		d->draw = (int)draw;
	if (jc_object(jc, s, "topics", 0, &topics) == 0 && topics) {
		if (json_object_size(topics) == 0 || json_object_size(topics) > UJ_TOPICS_MAX) {
			jc_fail(jc, "topics", "must name 1 to %d topics", UJ_TOPICS_MAX);
		} else {
			exam_parse_counts(jc, topics, "topics", d->draw);
			json_object_foreach(topics, k, v) {
				if (!text_is_ident(k, UJ_TOPIC_MAX, "a0_-", 1)) {
					jc_fail(jc, "topics", "\"%s\" is not a topic name (a-z 0-9 _ -)", k);
					continue;
				}
				str_copy(d->topic[d->n_topics], sizeof d->topic[0], k);
				d->topic_count[d->n_topics++] = (int)json_integer_value(v);
			}
		}
	}
	if (jc_object(jc, s, "difficulty", 0, &diff) == 0 && diff) {
		exam_parse_counts(jc, diff, "difficulty", d->draw);
		json_object_foreach(diff, k, v) {
			int found = -1;
			for (int x = 0; x < DIFF_MAX; x++)
				if (strcmp(k, difficulty_names[x]) == 0)
					found = x;
			if (found < 0) {
				jc_fail(jc, "difficulty", "\"%s\" is not a difficulty (easy, medium, hard)",
					k);
				continue;
			}
			d->diff_count[found] = (int)json_integer_value(v);
		}
		d->has_diff = 1;
	}
	return jc->nfail == start ? 0 : -1;
}

/* Check one pass rule into the next free ex->rules slot. Goes on after a
 * problem; returns 0 when the rule is valid. */
static int exam_parse_rule(struct jcheck *jc, json_t *root, const char *track, json_t *r,
			   struct exam_def *ex)
{
	static const char *const keys[] = { "sections", "total", NULL };
	struct pass_rule *pr = &ex->rules[ex->n_rules];
	json_t *secs, *v;
	const char *k;
	long long total;
	int start = jc->nfail, bad = 0;

	memset(pr, 0, sizeof *pr);
	jc_where(jc, "pass_rules.%s", track);
	if (!text_is_ident(track, UJ_TRACK_MAX, "a0_-", 1))
		jc_fail(jc, "pass_rules", "\"%s\" is not a track name (a-z 0-9 _ -, 1-%d)", track,
			UJ_TRACK_MAX);
	if (!json_is_object(r))
		return jc_fail(jc, NULL, "must be an object");
	jc_only_keys(jc, r, keys);
	if (json_object_get(r, "total")) {
		if (jc_int(jc, r, "total", 1, -1000000, 1000000, 0, &total) == 0) {
			pr->has_total = 1;
			pr->total = (int)total;
		}
	}
	if (jc_object(jc, r, "sections", 0, &secs) == 0) {
		json_object_foreach(secs, k, v) {
			int idx = exam_section_index(ex, k);
			if (idx < 0) {
				/* A listed section that failed has its own error. */
				if (!exam_raw_has_section(root, k))
					jc_fail(jc, "sections", "\"%s\" is not a section of this exam", k);
				bad = 1;
				continue;
			}
			if (!json_is_integer(v) || json_integer_value(v) < -1000000 ||
			    json_integer_value(v) > 1000000) {
				jc_fail(jc, "sections", "minimum for \"%s\" must be an integer", k);
				continue;
			}
			pr->min_section[pr->n_min] = idx;
			pr->min_value[pr->n_min++] = (int)json_integer_value(v);
		}
	}
	if (jc->nfail == start && !bad && !pr->has_total && pr->n_min == 0)
		jc_fail(jc, "sections", "a rule needs \"total\" and/or \"sections\" minimums");
	if (jc->nfail != start || bad)
		return -1;
	str_copy(pr->track, sizeof pr->track, track);
	ex->n_rules++;
	return 0;
}

/* Check a whole exam document, going on after problems. */
static int exam_parse_jc(struct jcheck *jc, json_t *root, struct exam_def *ex)
{
	static const char *const keys[] = { "code",	      "title",	       "bank",
					    "duration_s",     "opens_at",      "closes_at",
					    "token",	      "sections",      "shuffle_items",
					    "shuffle_options", "show_score",   "tie_break",
					    "pass_rules",     "timezone",      "archived",
					    "sitting_token",  "scoreboard",    "show_thresholds",
					    "describe_figures", NULL };
	static const char *const default_tie[] = { "TKP", "TIU", "TWK" };
	const char *code, *title, *bank, *opens, *closes, *token, *tz, *k;
	json_t *sections, *tie, *rules, *v;
	long long dur;
	size_t i;
	int start = jc->nfail, opens_ok = 0, closes_ok = 0;

	memset(ex, 0, sizeof *ex);
	ex->zone = EXAM_ZONE_DEFAULT;
	if (!json_is_object(root))
		return jc_fail(jc, NULL, "the exam must be a JSON object");
	jc_only_keys(jc, root, keys);
	if (jc_string(jc, root, "code", 1, 64, 0, &code) == 0) {
		if (!text_is_ident(code, UJ_CODE_MAX, "Aa0._-", 1))
			jc_fail(jc, "code", "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -",
				code, UJ_CODE_MAX);
		else
			str_copy(ex->code, sizeof ex->code, code);
	}
	if (jc_string(jc, root, "title", 1, 4 * UJ_TITLE_MAX, 0, &title) == 0) {
		if (text_utf8_chars(title) > UJ_TITLE_MAX)
			jc_fail(jc, "title", "longer than %d characters", UJ_TITLE_MAX);
		else
			str_copy(ex->title, sizeof ex->title, title);
	}
	if (jc_string(jc, root, "bank", 1, 64, 0, &bank) == 0) {
		if (!text_is_ident(bank, UJ_CODE_MAX, "Aa0._-", 1))
			jc_fail(jc, "bank", "\"%s\" is not a bank code", bank);
		else
			str_copy(ex->bank, sizeof ex->bank, bank);
	}
	if (jc_int(jc, root, "duration_s", 1, UJ_DURATION_MIN_S, UJ_DURATION_MAX_S, 0, &dur) == 0)
		ex->duration_s = (int)dur;
	if (jc_string(jc, root, "opens_at", 0, 64, 0, &opens) == 0 && opens) {
		if (clock_parse_rfc3339(opens, &ex->opens_at))
			jc_fail(jc, "opens_at", "\"%s\" is not an RFC 3339 time such as 2026-11-23T08:00:00+07:00",
				opens);
		else
			opens_ok = 1;
	}
	if (jc_string(jc, root, "closes_at", 0, 64, 0, &closes) == 0 && closes) {
		if (clock_parse_rfc3339(closes, &ex->closes_at))
			jc_fail(jc, "closes_at", "\"%s\" is not an RFC 3339 time such as 2026-11-23T12:00:00+07:00",
				closes);
		else
			closes_ok = 1;
	}
	if (opens_ok && closes_ok && ex->closes_at <= ex->opens_at)
		jc_fail(jc, "closes_at", "must be later than opens_at");
	if (jc_string(jc, root, "token", 0, 64, 0, &token) == 0 && token) {
		if (strlen(token) < UJ_TOKEN_MIN || !text_is_ident(token, UJ_TOKEN_MAX, "Aa0", 0))
			jc_fail(jc, "token", "must be %d-%d letters or digits", UJ_TOKEN_MIN,
				UJ_TOKEN_MAX);
		else
			str_copy(ex->token, sizeof ex->token, token);
	}
	if (jc_string(jc, root, "timezone", 0, 8, 0, &tz) == 0 && tz) {
		int z = exam_zone_index(tz);
		if (z < 0)
			jc_fail(jc, "timezone", "must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9) (got \"%s\")",
				tz);
		else
			ex->zone = z;
	}
	jc_bool(jc, root, "shuffle_items", 1, &ex->shuffle_items);
	jc_bool(jc, root, "shuffle_options", 1, &ex->shuffle_options);
	jc_bool(jc, root, "show_score", 1, &ex->show_score);
	jc_bool(jc, root, "show_thresholds", 1, &ex->show_thresholds);
	jc_bool(jc, root, "describe_figures", 0, &ex->describe_figures);
	jc_bool(jc, root, "archived", 0, &ex->archived);
	jc_bool(jc, root, "sitting_token", 0, &ex->sitting_token);
	jc_bool(jc, root, "scoreboard", 0, &ex->scoreboard);
	jc_array(jc, root, "tie_break", 0, 0, UJ_SECTIONS_MAX, &tie);
	jc_object(jc, root, "pass_rules", 0, &rules);
	if (rules && json_object_size(rules) > UJ_TRACKS_MAX) {
		jc_fail(jc, "pass_rules", "at most %d tracks", UJ_TRACKS_MAX);
		rules = NULL;
	}
	if (jc_array(jc, root, "sections", 1, 1, UJ_SECTIONS_MAX, &sections) == 0) {
		json_array_foreach(sections, i, v) {
			if (exam_parse_section(jc, v, i, ex) == 0)
				ex->n_sections++;
		}
	}
	jc_where(jc, "%s", "");
	if (tie) {
		json_array_foreach(tie, i, v) {
			int idx = json_is_string(v) ? exam_section_index(ex, json_string_value(v)) : -1;
			if (idx < 0) {
				if (!json_is_string(v) || !exam_raw_has_section(root, json_string_value(v)))
					jc_fail(jc, "tie_break",
						"entry %zu is not a section code of this exam", i);
				continue;
			}
			int twice = 0;
			for (int t = 0; t < ex->n_tie; t++)
				if (ex->tie[t] == idx)
					twice = 1;
			if (twice) {
				jc_fail(jc, "tie_break", "section \"%s\" is listed twice",
					json_string_value(v));
				continue;
			}
			ex->tie[ex->n_tie++] = idx;
		}
	} else {
		for (size_t t = 0; t < sizeof default_tie / sizeof *default_tie; t++) {
			int idx = exam_section_index(ex, default_tie[t]);
			if (idx >= 0)
				ex->tie[ex->n_tie++] = idx;
		}
	}
	json_object_foreach(rules, k, v)
		exam_parse_rule(jc, root, k, v, ex);
	return jc->nfail == start ? 0 : -1;
}

int exam_parse(json_t *root, struct exam_def *ex, char *err, size_t errlen)
{
	struct jcheck jc;
	jc_init(&jc, err, errlen);
	return exam_parse_jc(&jc, root, ex);
}

int exam_check(json_t *root, struct exam_def *ex, struct errlist *errs)
{
	struct jcheck jc;
	jc_init(&jc, NULL, 0);
	jc_collect(&jc, errs);
	return exam_parse_jc(&jc, root, ex);
}

/* Resolve every section against the bank; goes on after a problem. */
static int exam_bind_jc(struct jcheck *jc, struct exam_def *ex, const struct section_rule *sec,
			int n_sections)
{
	int start = jc->nfail;
	for (int i = 0; i < ex->n_sections; i++) {
		ex->sec[i].bank_section = -1;
		for (int s = 0; s < n_sections; s++)
			if (strcmp(sec[s].code, ex->sec[i].code) == 0)
				ex->sec[i].bank_section = s;
		if (ex->sec[i].bank_section < 0) {
			jc_where(jc, "sections[%d]", i);
			jc_fail(jc, "code", "bank \"%s\" has no section \"%s\"", ex->bank,
				ex->sec[i].code);
		}
	}
	return jc->nfail == start ? 0 : -1;
}

int exam_bind(struct exam_def *ex, const struct section_rule *sec, int n_sections, char *err,
	      size_t errlen)
{
	struct jcheck jc;
	jc_init(&jc, err, errlen);
	return exam_bind_jc(&jc, ex, sec, n_sections);
}

int exam_bind_check(struct exam_def *ex, const struct section_rule *sec, int n_sections,
		    struct errlist *errs)
{
	struct jcheck jc;
	jc_init(&jc, NULL, 0);
	jc_collect(&jc, errs);
	return exam_bind_jc(&jc, ex, sec, n_sections);
}

int exam_zone_index(const char *name)
{
	for (int z = 0; z < EXAM_ZONES; z++)
		if (strcmp(exam_zones[z].name, name) == 0)
			return z;
	return -1;
}

int exam_rule_index(const struct exam_def *ex, const char *track)
{
	for (int i = 0; i < ex->n_rules; i++)
		if (strcmp(ex->rules[i].track, track) == 0)
			return i;
	return -1;
}

int exam_paper_length(const struct exam_def *ex)
{
	int n = 0;
	for (int i = 0; i < ex->n_sections; i++)
		n += ex->sec[i].draw;
	return n;
}
