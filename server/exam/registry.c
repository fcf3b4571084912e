/* registry.c - lookups and session bookkeeping for the in-RAM state. */
#include "exam/registry.h"
#include "core/clock.h"
#include "core/mem.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char *const attempt_status_names[ATT_STATUS_MAX] = { "not_started", "in_progress",
							   "finished" };
const char *const finish_reason_names[FINISH_REASON_MAX] = { "", "submitted", "time_up", "proctor",
									     "disqualified" };

void registry_init(struct registry *r)
{
	memset(r, 0, sizeof *r);
	hmap_init(&r->exams);
	hmap_init(&r->sessions);
}

static void registry_free_candidate(struct rt_candidate *c)
{
	struct rt_session *s = c->replaced;
	while (s) {
		struct rt_session *next = s->older;
		free(s);
		s = next;
	}
	free(c->session);
	if (c->deadline_ev) {
		free(event_get_callback_arg(c->deadline_ev)); /* the timer's context */
		event_free(c->deadline_ev);
	}
	assert(!c->live); /* the proctor domain releases its state first */
	free(c->pause_reason);
	free(c->name);
	free(c->q);
	free(c->ans);
	free(c);
}

void registry_free(struct registry *r)
{
	struct rt_candidate *c = r->all;
	struct rt_exam *e;
	size_t it = 0;

	while (c) {
		struct rt_candidate *next = c->all_next;
		registry_free_candidate(c);
		c = next;
	}
	while ((e = hmap_next(&r->exams, &it))) {
		hmap_free(&e->candidates);
		while (e->sittings) {
			struct rt_sitting *next = e->sittings->next;
			assert(!e->sittings->live);
			free(e->sittings);
			e->sittings = next;
		}
		free(e->title_json);
		for (int i = 0; i < UJ_SECTIONS_MAX; i++)
			free(e->section_title[i]);
		free(e);
	}
	hmap_free(&r->exams);
	hmap_free(&r->sessions);
	memset(r, 0, sizeof *r);
}

struct rt_exam *registry_exam(const struct registry *r, const char *code)
{
	return hmap_gets(&r->exams, code);
}

struct rt_candidate *registry_candidate(const struct rt_exam *e, const char *regno)
{
	return hmap_gets(&e->candidates, regno);
}

struct rt_session *registry_session(const struct registry *r, const uint8_t hash[UJ_HASH_LEN])
{
	return hmap_get(&r->sessions, hash, UJ_HASH_LEN);
}

/* Forget cand's oldest replaced sessions beyond UJ_SESSIONS_KEPT. */
static void registry_trim_replaced(struct registry *r, struct rt_candidate *cand)
{
	if (cand->n_replaced > UJ_SESSIONS_KEPT) {
		struct rt_session **pp = &cand->replaced;
		for (int i = 0; i < UJ_SESSIONS_KEPT; i++)
			pp = &(*pp)->older;
		struct rt_session *drop = *pp;
		*pp = NULL;
		while (drop) {
			struct rt_session *next = drop->older;
			hmap_del(&r->sessions, drop->hash, UJ_HASH_LEN);
			free(drop);
			cand->n_replaced--;
			drop = next;
		}
	}
	assert(cand->n_replaced <= UJ_SESSIONS_KEPT);
}

struct rt_session *registry_session_add(struct registry *r, struct rt_candidate *cand,
					const uint8_t hash[UJ_HASH_LEN], int64_t created,
					enum session_state state)
{
	struct rt_session *s = xcalloc(1, sizeof *s);
	assert(cand && (state == SES_ACTIVE || state == SES_REPLACED));
	assert(!hmap_get(&r->sessions, hash, UJ_HASH_LEN)); /* tokens are 256-bit random */
	memcpy(s->hash, hash, UJ_HASH_LEN);
	s->cand = cand;
	s->created = created;
	s->state = state;
	hmap_put(&r->sessions, s->hash, UJ_HASH_LEN, s);
	if (state == SES_ACTIVE) {
		if (cand->session) {
			cand->session->state = SES_REPLACED;
			cand->session->older = cand->replaced;
			cand->replaced = cand->session;
			cand->n_replaced++;
		}
		cand->session = s;
	} else {
		/* Loading replaced sessions oldest first: push to the front. */
		s->older = cand->replaced;
		cand->replaced = s;
		cand->n_replaced++;
	}
	registry_trim_replaced(r, cand);
	return s;
}

void registry_session_end(struct registry *r, struct rt_candidate *cand)
{
	if (!cand->session)
		return;
	hmap_del(&r->sessions, cand->session->hash, UJ_HASH_LEN);
	free(cand->session);
	cand->session = NULL;
}

void registry_session_reset(struct registry *r, struct rt_candidate *cand)
{
	struct rt_session *s = cand->session;
	if (!s)
		return;
	s->state = SES_RESET;
	s->older = cand->replaced;
	cand->replaced = s;
	cand->n_replaced++;
	cand->session = NULL;
	registry_trim_replaced(r, cand);
}

void registry_changed(struct registry *r)
{
	if (r->changed)
		r->changed(r->changed_arg);
}

int64_t registry_deadline(const struct rt_candidate *c)
{
	/* credit_ms may be negative: a clock set back moves the deadline back
	 * (exam/clockstep.h), never before the start. */
	assert(c->started_at + c->credit_ms + (int64_t)c->exam->def.duration_s * 1000 > 0);
	return clock_deadline_ms(c->started_at, c->exam->def.duration_s, c->extra_s, c->credit_ms);
}

void registry_exam_redefine(struct rt_exam *e, const struct exam_def *def)
{
	json_t *t = json_string(def->title);
	char *title = json_dumps(t, JSON_ENCODE_ANY | JSON_COMPACT);
	struct rt_candidate *c;
	size_t it = 0;

	json_decref(t);
	if (!title)
		abort(); /* out of memory */
	assert(strcmp(def->code, e->def.code) == 0 && def->n_sections == e->def.n_sections);
	/* Only the fields an edit may change are written: the catalog watcher's
	 * thread reads the others (sections) of a shared exam while it loads
	 * new candidates. */
	memcpy(e->def.title, def->title, sizeof e->def.title);
	e->def.duration_s = def->duration_s;
	e->def.opens_at = def->opens_at;
	e->def.closes_at = def->closes_at;
	memcpy(e->def.token, def->token, sizeof e->def.token);
	e->def.show_score = def->show_score;
	e->def.archived = def->archived;
	e->def.zone = def->zone;
	e->def.n_tie = def->n_tie;
	memcpy(e->def.tie, def->tie, sizeof e->def.tie);
	e->def.n_rules = def->n_rules;
	memcpy(e->def.rules, def->rules, sizeof e->def.rules);
	free(e->title_json);
	e->title_json = title;
	while ((c = hmap_next(&e->candidates, &it))) {
		int ri = exam_rule_index(&e->def, c->track);
		c->rule = ri >= 0 ? &e->def.rules[ri] : NULL;
	}
}
