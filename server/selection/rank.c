/* rank.c - stage scores, gates, final scores, ranking and the proposal of
 * an open-bidding selection (see selection/rank.h). Pure. */
#include "selection/rank.h"
#include "core/mem.h"
#include "core/text.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const rank_rule_names[RANK_RULE_MAX] = { "mean", "median" };

/* The stages everyone knows, with their default names (Bahasa Indonesia:
 * they are shown to the committee) and weights. */
static const struct {
	const char *code, *name;
	int gate;
	double weight;
} rank_known[] = {
	{ "administrasi", "Seleksi administrasi", 1, 0 },
	{ "asesmen", "Asesmen kompetensi", 0, 25 },
	{ "makalah", "Penulisan makalah", 0, 20 },
	{ "wawancara", "Wawancara", 0, 35 },
	{ "rekam_jejak", "Penelusuran rekam jejak", 0, 20 },
	{ "kesehatan", "Tes kesehatan", 1, 0 },
	{ "psikologi", "Tes psikologi", 1, 0 },
};

#define RANK_N_KNOWN (sizeof rank_known / sizeof *rank_known)
#define RANK_N_DEFAULT 5 /* the first five of rank_known */

const char *rank_rule_name(enum rank_rule r)
{
	assert(r >= 0 && r < RANK_RULE_MAX);
	return rank_rule_names[r];
}

int rank_rule_parse(const char *s)
{
	for (int i = 0; i < RANK_RULE_MAX; i++)
		if (s && strcmp(s, rank_rule_names[i]) == 0)
			return i;
	return -1;
}

int rank_stage_index(const struct rank_config *c, const char *code)
{
	for (int i = 0; i < c->n_stages; i++)
		if (strcmp(c->stage[i].code, code) == 0)
			return i;
	return -1;
}

void rank_config_default(struct rank_config *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < RANK_N_DEFAULT; i++) {
		struct rank_stage *s = &c->stage[c->n_stages++];
		str_copy(s->code, sizeof s->code, rank_known[i].code);
		str_copy(s->name, sizeof s->name, rank_known[i].name);
		s->gate = rank_known[i].gate;
		s->weight = rank_known[i].weight;
	}
	c->rule = RANK_MEAN;
	c->tie[c->n_tie++] = rank_stage_index(c, "asesmen");
	c->tie[c->n_tie++] = rank_stage_index(c, "wawancara");
	c->proposal = 3;
	c->min_entries = 0;
}

static int rank_code_ok(const char *s)
{
	return text_is_ident(s, UJ_SEL_STAGE_CODE_MAX, "a0_-", 1);
}

static int rank_text_ok(const char *s, size_t max)
{
	return strlen(s) <= max && text_utf8_valid(s, strlen(s)) && !text_has_control(s, 0);
}

/* One stage object at stages[i] into s; problems to errs. */
static void rank_stage_from_json(const json_t *o, int i, struct rank_stage *s, struct errlist *errs)
{
	static const char *const keys[] = { "code", "name", "gate", "weight", "source", NULL };
	const char *key;
	json_t *v;
	char f[48];
	int known = -1, has_weight = 0;

	memset(s, 0, sizeof *s);
	if (!json_is_object(o)) {
		snprintf(f, sizeof f, "stages[%d]", i);
		errlist_add(errs, 0, NULL, f, "must be an object {\"code\", \"name\", \"gate\", \"weight\", \"source\"}");
		return;
	}
	json_object_foreach((json_t *)o, key, v) {
		int ok = 0;
		for (int k = 0; keys[k]; k++)
			ok |= strcmp(keys[k], key) == 0;
		if (!ok) {
			snprintf(f, sizeof f, "stages[%d].%.24s", i, key);
			errlist_add(errs, 0, NULL, f, "unknown field");
		}
	}
	v = json_object_get(o, "code");
	snprintf(f, sizeof f, "stages[%d].code", i);
	if (!json_is_string(v) || !rank_code_ok(json_string_value(v))) {
		errlist_add(errs, 0, NULL, f,
			    "is required: 1-%d characters of a-z 0-9 _ - starting with a letter or digit",
			    UJ_SEL_STAGE_CODE_MAX);
	} else {
		str_copy(s->code, sizeof s->code, json_string_value(v));
		for (size_t k = 0; k < RANK_N_KNOWN; k++)
			if (strcmp(rank_known[k].code, s->code) == 0)
				known = (int)k;
	}
	v = json_object_get(o, "name");
	snprintf(f, sizeof f, "stages[%d].name", i);
	if (v && (!json_is_string(v) || !*json_string_value(v) ||
		  !rank_text_ok(json_string_value(v), UJ_SEL_NAME_MAX)))
		errlist_add(errs, 0, NULL, f, "must be 1-%d bytes of text", UJ_SEL_NAME_MAX);
	else if (v)
		str_copy(s->name, sizeof s->name, json_string_value(v));
	else
		str_copy(s->name, sizeof s->name, known >= 0 ? rank_known[known].name : s->code);
	v = json_object_get(o, "gate");
	snprintf(f, sizeof f, "stages[%d].gate", i);
	if (v && !json_is_boolean(v))
		errlist_add(errs, 0, NULL, f, "must be true or false");
	else
		s->gate = v ? json_is_true(v) : known >= 0 ? rank_known[known].gate : 0;
	v = json_object_get(o, "weight");
	snprintf(f, sizeof f, "stages[%d].weight", i);
	if (v && (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100)) {
		errlist_add(errs, 0, NULL, f, "must be a number 0-100");
	} else if (v) {
		s->weight = json_number_value(v);
		has_weight = 1;
	} else {
		s->weight = s->gate ? 0 : known >= 0 ? rank_known[known].weight : 0;
	}
	if (s->gate && has_weight && s->weight != 0)
		errlist_add(errs, 0, NULL, f, "a gate (pass/fail) stage has no weight: give 0 or leave it out");
	v = json_object_get(o, "source");
	snprintf(f, sizeof f, "stages[%d].source", i);
	if (v && !json_is_null(v)) {
		json_t *ex = json_object_get(v, "exam"), *sec = json_object_get(v, "section");
		const char *k2;
		json_t *v2;
		if (!json_is_object(v)) {
			errlist_add(errs, 0, NULL, f, "must be null or {\"exam\": CODE, \"section\": CODE|null}");
			return;
		}
		json_object_foreach(v, k2, v2)
			if (strcmp(k2, "exam") && strcmp(k2, "section"))
				errlist_add(errs, 0, NULL, f, "unknown field \"%.24s\"", k2);
		if (s->gate)
			errlist_add(errs, 0, NULL, f, "a gate stage cannot be fed from an exam");
		if (!json_is_string(ex) || !text_is_ident(json_string_value(ex), UJ_CODE_MAX, "Aa0._-", 1))
			errlist_add(errs, 0, NULL, f, "exam must be an exam code");
		else
			str_copy(s->exam, sizeof s->exam, json_string_value(ex));
		if (sec && !json_is_null(sec) &&
		    (!json_is_string(sec) ||
		     !text_is_ident(json_string_value(sec), UJ_CODE_MAX, "Aa0._-", 1)))
			errlist_add(errs, 0, NULL, f, "section must be a section code or null (the total)");
		else if (json_is_string(sec))
			str_copy(s->section, sizeof s->section, json_string_value(sec));
	}
}

int rank_config_from_json(const json_t *in, struct rank_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "stages", "score_rule", "tie_break", "proposal",
					    "min_entries", NULL };
	size_t start = errs->total;
	const char *key;
	json_t *v;
	double sum = 0;
	int weighted = 0;

	rank_config_default(c);
	if (!in || json_is_null(in))
		return 0;
	if (!json_is_object(in)) {
		errlist_add(errs, 0, NULL, "config", "must be an object");
		return -1;
	}
	json_object_foreach((json_t *)in, key, v) {
		int ok = 0;
		for (int k = 0; keys[k]; k++)
			ok |= strcmp(keys[k], key) == 0;
		if (!ok)
			errlist_add(errs, 0, NULL, key, "unknown field");
	}
	v = json_object_get(in, "stages");
	if (v) {
		size_t i;
		json_t *o;
		if (!json_is_array(v) || json_array_size(v) < 1 ||
		    json_array_size(v) > UJ_SEL_STAGES_MAX) {
			errlist_add(errs, 0, NULL, "stages", "must be a list of 1-%d stages",
				    UJ_SEL_STAGES_MAX);
		} else {
			c->n_stages = 0;
			c->n_tie = 0;
			json_array_foreach(v, i, o) {
				struct rank_stage *s = &c->stage[c->n_stages];
				rank_stage_from_json(o, (int)i, s, errs);
				if (s->code[0] && rank_stage_index(c, s->code) >= 0) {
					char f[32];
					snprintf(f, sizeof f, "stages[%d].code", (int)i);
					errlist_add(errs, 0, NULL, f, "stage \"%s\" is given twice", s->code);
				}
				c->n_stages++;
			}
		}
	}
	for (int i = 0; i < c->n_stages; i++)
		if (!c->stage[i].gate) {
			sum += c->stage[i].weight;
			weighted++;
		}
	if (errs->total == start && weighted == 0)
		errlist_add(errs, 0, NULL, "stages", "at least one stage must have a weight");
	else if (errs->total == start && (sum - 100.0 > 1e-9 || 100.0 - sum > 1e-9))
		errlist_add(errs, 0, NULL, "stages", "the weights sum to %g, not 100", sum);
	v = json_object_get(in, "score_rule");
	if (v && (!json_is_string(v) || rank_rule_parse(json_string_value(v)) < 0))
		errlist_add(errs, 0, NULL, "score_rule", "must be \"mean\" or \"median\"");
	else if (v)
		c->rule = (enum rank_rule)rank_rule_parse(json_string_value(v));
	v = json_object_get(in, "tie_break");
	if (v) {
		size_t i;
		json_t *t;
		c->n_tie = 0;
		if (!json_is_array(v) || json_array_size(v) > UJ_SEL_STAGES_MAX) {
			errlist_add(errs, 0, NULL, "tie_break", "must be a list of stage codes");
		} else {
			json_array_foreach(v, i, t) {
				int k = json_is_string(t) ? rank_stage_index(c, json_string_value(t)) : -1;
				char f[32];
				snprintf(f, sizeof f, "tie_break[%d]", (int)i);
				if (k < 0)
					errlist_add(errs, 0, NULL, f, "\"%s\" is not a stage of this selection",
						    json_is_string(t) ? json_string_value(t) : "?");
				else if (c->stage[k].gate)
					errlist_add(errs, 0, NULL, f, "\"%s\" is a gate: it has no score",
						    c->stage[k].code);
				else
					c->tie[c->n_tie++] = k;
			}
		}
	} else {
		/* The default tie-break, as far as this selection has those stages. */
		int k;
		c->n_tie = 0;
		if ((k = rank_stage_index(c, "asesmen")) >= 0 && !c->stage[k].gate)
			c->tie[c->n_tie++] = k;
		if ((k = rank_stage_index(c, "wawancara")) >= 0 && !c->stage[k].gate)
			c->tie[c->n_tie++] = k;
	}
	v = json_object_get(in, "proposal");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		  json_integer_value(v) > UJ_SEL_PROPOSAL_MAX))
		errlist_add(errs, 0, NULL, "proposal", "must be a whole number 1-%d",
			    UJ_SEL_PROPOSAL_MAX);
	else if (v)
		c->proposal = (int)json_integer_value(v);
	v = json_object_get(in, "min_entries");
	if (v && !json_is_null(v) &&
	    (!json_is_integer(v) || json_integer_value(v) < 1 ||
	     json_integer_value(v) > UJ_SEL_MEMBERS_MAX))
		errlist_add(errs, 0, NULL, "min_entries",
			    "must be null (every member) or a whole number 1-%d", UJ_SEL_MEMBERS_MAX);
	else if (v && !json_is_null(v))
		c->min_entries = (int)json_integer_value(v);
	return errs->total == start ? 0 : -1;
}

json_t *rank_config_to_json(const struct rank_config *c)
{
	json_t *stages = json_array(), *tie = json_array();
	for (int i = 0; i < c->n_stages; i++) {
		const struct rank_stage *s = &c->stage[i];
		json_t *src = s->exam[0] ? json_pack("{s:s,s:o}", "exam", s->exam, "section",
						     s->section[0] ? json_string(s->section)
								   : json_null())
					 : json_null();
		json_array_append_new(stages, json_pack("{s:s,s:s,s:b,s:f,s:o}", "code", s->code, "name",
							s->name, "gate", s->gate, "weight", s->weight,
							"source", src));
	}
	for (int i = 0; i < c->n_tie; i++)
		json_array_append_new(tie, json_string(c->stage[c->tie[i]].code));
	return json_pack("{s:o,s:s,s:o,s:i,s:o}", "stages", stages, "score_rule",
			 rank_rule_name(c->rule), "tie_break", tie, "proposal", c->proposal,
			 "min_entries", c->min_entries ? json_integer(c->min_entries) : json_null());
}

double rank_round2(double x)
{
	/* The nearest hundredth, computed on x * 100 with a guard against the
	 * binary representation (80.125 is stored as 80.12499...). */
	double y = x * 100.0;
	long long r = y < 0 ? -(long long)(-y + 0.5 + 1e-9) : (long long)(y + 0.5 + 1e-9);
	return (double)r / 100.0;
}

static int rank_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double rank_combine(enum rank_rule r, const double *v, int n)
{
	double sum = 0, tmp[UJ_SEL_MEMBERS_MAX];
	assert(n > 0 && n <= UJ_SEL_MEMBERS_MAX);
	if (r == RANK_MEDIAN) {
		memcpy(tmp, v, (size_t)n * sizeof *v);
		qsort(tmp, (size_t)n, sizeof *tmp, rank_cmp_double);
		return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2.0;
	}
	for (int i = 0; i < n; i++)
		sum += v[i];
	return sum / n;
}

/* One applicant's stages, status and final score. */
static void rank_one(const struct rank_config *c, int need, struct rank_applicant *a)
{
	double final = 0;
	int complete = 1;

	a->out_stage = -1;
	a->complete = 0;
	a->final = 0;
	a->rank = 0;
	for (int i = 0; i < c->n_stages; i++) {
		const struct rank_input *in = &a->in[i];
		a->has_score[i] = 0;
		a->score[i] = 0;
		a->stage_complete[i] = 0;
		if (c->stage[i].gate) {
			if (in->gate == 0 && a->out_stage < 0)
				a->out_stage = i;
			a->stage_complete[i] = in->gate == 1;
		} else if (c->stage[i].exam[0]) {
			a->has_score[i] = in->has_exam;
			a->score[i] = in->has_exam ? rank_round2(in->exam) : 0;
			a->stage_complete[i] = in->has_exam;
		} else if (in->n_entries > 0) {
			a->has_score[i] = 1;
			a->score[i] = rank_round2(rank_combine(c->rule, in->entry, in->n_entries));
			a->stage_complete[i] = in->n_entries >= need;
		}
		complete &= a->stage_complete[i];
		if (!c->stage[i].gate)
			final += c->stage[i].weight * a->score[i] / 100.0;
	}
	if (a->out_stage < 0 && complete) {
		a->complete = 1;
		a->final = rank_round2(final);
	}
}

/* The ranking order of two complete applicants: final, the tie-break
 * stages, then the application order. */
static _Thread_local const struct rank_config *rank_sort_cfg;
static _Thread_local const struct rank_applicant *rank_sort_a;

static int rank_group(const struct rank_applicant *a)
{
	return a->complete ? 0 : a->out_stage < 0 ? 1 : 2;
}

static int rank_cmp(const void *pa, const void *pb)
{
	const struct rank_applicant *a = &rank_sort_a[*(const size_t *)pa];
	const struct rank_applicant *b = &rank_sort_a[*(const size_t *)pb];
	int ga = rank_group(a), gb = rank_group(b);
	if (ga != gb)
		return ga - gb;
	if (ga == 0) {
		if (a->final != b->final)
			return a->final > b->final ? -1 : 1;
		for (int t = 0; t < rank_sort_cfg->n_tie; t++) {
			int k = rank_sort_cfg->tie[t];
			if (a->score[k] != b->score[k])
				return a->score[k] > b->score[k] ? -1 : 1;
		}
	}
	return a->id < b->id ? -1 : a->id > b->id;
}

void rank_compute(const struct rank_config *c, int n_members, struct rank_applicant *a, size_t n,
		  size_t *order)
{
	int need = c->min_entries ? c->min_entries : n_members;
	int r = 0;

	if (need < 1)
		need = 1;
	for (size_t i = 0; i < n; i++) {
		rank_one(c, need, &a[i]);
		order[i] = i;
	}
	/* qsort with a comparator that needs context: one ranking at a time
	 * (rank_compute is called under no lock, so keep the context in
	 * thread-local storage). */
	rank_sort_cfg = c;
	rank_sort_a = a;
	qsort(order, n, sizeof *order, rank_cmp);
	for (size_t i = 0; i < n; i++)
		if (a[order[i]].complete)
			a[order[i]].rank = ++r;
}
