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

/* Parse {"name": count, ...} count maps; names checked by the caller. */
static int exam_parse_counts(struct jcheck *jc, json_t *obj, const char *field, int draw)
{
	const char *k;
	json_t *v;
	long long sum = 0;
	json_object_foreach(obj, k, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > UJ_DRAW_MAX)
			return jc_fail(jc, field, "count for \"%s\" must be an integer 0-%d", k,
				       UJ_DRAW_MAX);
		sum += json_integer_value(v);
	}
	if (sum != draw)
		return jc_fail(jc, field, "counts add up to %lld but \"draw\" is %d", sum, draw);
	return 0;
}

static int exam_parse_section(struct jcheck *jc, json_t *s, size_t i, struct exam_def *ex)
{
	static const char *const keys[] = { "code", "draw", "topics", "difficulty", NULL };
	struct exam_draw *d = &ex->sec[i];
	const char *code, *k;
	json_t *topics, *diff, *v;
	long long draw;

	memset(d, 0, sizeof *d);
	d->bank_section = -1;
	jc_where(jc, "sections[%zu]", i);
	if (!json_is_object(s)) {
		snprintf(jc->err, jc->errlen, "sections[%zu]: must be an object", i);
		return -1;
	}
	if (jc_only_keys(jc, s, keys) || jc_string(jc, s, "code", 1, 64, 0, &code))
		return -1;
	if (!text_is_ident(code, UJ_SECTION_CODE_MAX, "A0_", 0))
		return jc_fail(jc, "code", "\"%s\" is not a section code (A-Z, 0-9, _)", code);
	if (exam_section_index(ex, code) >= 0)
		return jc_fail(jc, "code", "section \"%s\" is listed twice", code);
	str_copy(d->code, sizeof d->code, code);
	jc_where(jc, "sections[%zu] (\"%s\")", i, code);
	if (jc_int(jc, s, "draw", 1, 1, UJ_DRAW_MAX, 0, &draw))
		return -1;
	d->draw = (int)draw;
	if (jc_object(jc, s, "topics", 0, &topics) || jc_object(jc, s, "difficulty", 0, &diff))
		return -1;
	if (topics) {
		if (json_object_size(topics) == 0 || json_object_size(topics) > UJ_TOPICS_MAX)
			return jc_fail(jc, "topics", "must name 1 to %d topics", UJ_TOPICS_MAX);
		if (exam_parse_counts(jc, topics, "topics", d->draw))
			return -1;
		json_object_foreach(topics, k, v) {
			if (!text_is_ident(k, UJ_TOPIC_MAX, "a0_-", 1))
				return jc_fail(jc, "topics", "\"%s\" is not a topic name (a-z 0-9 _ -)", k);
			str_copy(d->topic[d->n_topics], sizeof d->topic[0], k);
			d->topic_count[d->n_topics++] = (int)json_integer_value(v);
		}
	}
	if (diff) {
		if (exam_parse_counts(jc, diff, "difficulty", d->draw))
			return -1;
		json_object_foreach(diff, k, v) {
			int found = -1;
			for (int x = 0; x < DIFF_MAX; x++)
				if (strcmp(k, difficulty_names[x]) == 0)
					found = x;
			if (found < 0)
				return jc_fail(jc, "difficulty",
					       "\"%s\" is not a difficulty (easy, medium, hard)", k);
			d->diff_count[found] = (int)json_integer_value(v);
		}
		d->has_diff = 1;
	}
	return 0;
}

static int exam_parse_rule(struct jcheck *jc, const char *track, json_t *r, struct exam_def *ex)
{
	static const char *const keys[] = { "sections", "total", NULL };
	struct pass_rule *pr = &ex->rules[ex->n_rules];
	json_t *secs, *v;
	const char *k;
	long long total;

	memset(pr, 0, sizeof *pr);
	jc_where(jc, "pass_rules.%s", track);
	if (!text_is_ident(track, UJ_TRACK_MAX, "a0_-", 1))
		return jc_fail(jc, "pass_rules", "\"%s\" is not a track name (a-z 0-9 _ -, 1-%d)",
			       track, UJ_TRACK_MAX);
	if (!json_is_object(r)) {
		snprintf(jc->err, jc->errlen, "pass_rules.%s: must be an object", track);
		return -1;
	}
	if (jc_only_keys(jc, r, keys) || jc_object(jc, r, "sections", 0, &secs))
		return -1;
	if (json_object_get(r, "total")) {
		if (jc_int(jc, r, "total", 1, -1000000, 1000000, 0, &total))
			return -1;
		pr->has_total = 1;
		pr->total = (int)total;
	}
	json_object_foreach(secs, k, v) {
		int idx = exam_section_index(ex, k);
		if (idx < 0)
			return jc_fail(jc, "sections", "\"%s\" is not a section of this exam", k);
		if (!json_is_integer(v) || json_integer_value(v) < -1000000 ||
		    json_integer_value(v) > 1000000)
			return jc_fail(jc, "sections", "minimum for \"%s\" must be an integer", k);
		pr->min_section[pr->n_min] = idx;
		pr->min_value[pr->n_min++] = (int)json_integer_value(v);
	}
	if (!pr->has_total && pr->n_min == 0)
		return jc_fail(jc, "sections", "a rule needs \"total\" and/or \"sections\" minimums");
	str_copy(pr->track, sizeof pr->track, track);
	ex->n_rules++;
	return 0;
}

int exam_parse(json_t *root, struct exam_def *ex, char *err, size_t errlen)
{
	static const char *const keys[] = { "code",	      "title",	       "bank",
					    "duration_s",     "opens_at",      "closes_at",
					    "token",	      "sections",      "shuffle_items",
					    "shuffle_options", "show_score",   "tie_break",
					    "pass_rules",     NULL };
	static const char *const default_tie[] = { "TKP", "TIU", "TWK" };
	struct jcheck jc;
	const char *code, *title, *bank, *opens, *closes, *token, *k;
	json_t *sections, *tie, *rules, *v;
	long long dur;
	size_t i;

	memset(ex, 0, sizeof *ex);
	jc_init(&jc, err, errlen);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the exam must be a JSON object");
		return -1;
	}
	if (jc_only_keys(&jc, root, keys) || jc_string(&jc, root, "code", 1, 64, 0, &code))
		return -1;
	if (!text_is_ident(code, UJ_CODE_MAX, "Aa0._-", 1))
		return jc_fail(&jc, "code", "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -",
			       code, UJ_CODE_MAX);
	str_copy(ex->code, sizeof ex->code, code);
	if (jc_string(&jc, root, "title", 1, 4 * UJ_TITLE_MAX, 0, &title))
		return -1;
	if (text_utf8_chars(title) > UJ_TITLE_MAX)
		return jc_fail(&jc, "title", "longer than %d characters", UJ_TITLE_MAX);
	str_copy(ex->title, sizeof ex->title, title);
	if (jc_string(&jc, root, "bank", 1, 64, 0, &bank))
		return -1;
	if (!text_is_ident(bank, UJ_CODE_MAX, "Aa0._-", 1))
		return jc_fail(&jc, "bank", "\"%s\" is not a bank code", bank);
	str_copy(ex->bank, sizeof ex->bank, bank);
	if (jc_int(&jc, root, "duration_s", 1, UJ_DURATION_MIN_S, UJ_DURATION_MAX_S, 0, &dur))
		return -1;
	ex->duration_s = (int)dur;
	if (jc_string(&jc, root, "opens_at", 0, 64, 0, &opens) ||
	    jc_string(&jc, root, "closes_at", 0, 64, 0, &closes))
		return -1;
	if (opens && clock_parse_rfc3339(opens, &ex->opens_at))
		return jc_fail(&jc, "opens_at", "\"%s\" is not an RFC 3339 time such as 2026-11-23T08:00:00+07:00",
			       opens);
	if (closes && clock_parse_rfc3339(closes, &ex->closes_at))
		return jc_fail(&jc, "closes_at", "\"%s\" is not an RFC 3339 time such as 2026-11-23T12:00:00+07:00",
			       closes);
	if (opens && closes && ex->closes_at <= ex->opens_at)
		return jc_fail(&jc, "closes_at", "must be later than opens_at");
	if (jc_string(&jc, root, "token", 0, 64, 0, &token))
		return -1;
	if (token) {
		if (strlen(token) < UJ_TOKEN_MIN || !text_is_ident(token, UJ_TOKEN_MAX, "Aa0", 0))
			return jc_fail(&jc, "token", "must be %d-%d letters or digits", UJ_TOKEN_MIN,
				       UJ_TOKEN_MAX);
		str_copy(ex->token, sizeof ex->token, token);
	}
	if (jc_array(&jc, root, "sections", 1, 1, UJ_SECTIONS_MAX, &sections))
		return -1;
	json_array_foreach(sections, i, v) {
		if (exam_parse_section(&jc, v, i, ex))
			return -1;
		ex->n_sections++;
	}
	jc_where(&jc, "%s", "");
	if (jc_bool(&jc, root, "shuffle_items", 1, &ex->shuffle_items) ||
	    jc_bool(&jc, root, "shuffle_options", 1, &ex->shuffle_options) ||
	    jc_bool(&jc, root, "show_score", 1, &ex->show_score))
		return -1;
	if (jc_array(&jc, root, "tie_break", 0, 0, UJ_SECTIONS_MAX, &tie))
		return -1;
	if (tie) {
		json_array_foreach(tie, i, v) {
			int idx = json_is_string(v) ? exam_section_index(ex, json_string_value(v)) : -1;
			if (idx < 0)
				return jc_fail(&jc, "tie_break", "entry %zu is not a section code of this exam", i);
			for (int t = 0; t < ex->n_tie; t++)
				if (ex->tie[t] == idx)
					return jc_fail(&jc, "tie_break", "section \"%s\" is listed twice",
						       json_string_value(v));
			ex->tie[ex->n_tie++] = idx;
		}
	} else {
		for (size_t t = 0; t < sizeof default_tie / sizeof *default_tie; t++) {
			int idx = exam_section_index(ex, default_tie[t]);
			if (idx >= 0)
				ex->tie[ex->n_tie++] = idx;
		}
	}
	if (jc_object(&jc, root, "pass_rules", 0, &rules))
		return -1;
	if (rules && json_object_size(rules) > UJ_TRACKS_MAX)
		return jc_fail(&jc, "pass_rules", "at most %d tracks", UJ_TRACKS_MAX);
	json_object_foreach(rules, k, v) {
		if (exam_parse_rule(&jc, k, v, ex))
			return -1;
	}
	return 0;
}

int exam_bind(struct exam_def *ex, const struct section_rule *sec, int n_sections, char *err,
	      size_t errlen)
{
	for (int i = 0; i < ex->n_sections; i++) {
		ex->sec[i].bank_section = -1;
		for (int s = 0; s < n_sections; s++)
			if (strcmp(sec[s].code, ex->sec[i].code) == 0)
				ex->sec[i].bank_section = s;
		if (ex->sec[i].bank_section < 0) {
			snprintf(err, errlen,
				 "sections[%d] field \"code\": bank \"%s\" has no section \"%s\"", i,
				 ex->bank, ex->sec[i].code);
			return -1;
		}
	}
	return 0;
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
