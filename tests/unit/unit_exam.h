/* unit_exam.h - building an in-RAM registry by hand, the way the loader
 * does (catalog/loader.c: loader_exams, loader_merge), for the unit tests of
 * the exam domain. A test adds what its case needs (sections' rules, pass
 * rules, questions) after these calls; registry_free frees it all. */
#ifndef UJIAN_UNIT_EXAM_H
#define UJIAN_UNIT_EXAM_H

#include "unit.h"

#include "core/mem.h"
#include "core/text.h"
#include "exam/registry.h"

#include <string.h>

/* An exam registered in r: id, code, duration, n_sections sections (titled
 * "Section"), a paper of paper_len questions starting with section 0 at 1. */
static inline struct rt_exam *unit_exam_add(struct registry *r, int64_t id, const char *code,
					    int duration_s, int n_sections, int paper_len)
{
	struct rt_exam *e = xcalloc(1, sizeof *e);
	e->id = id;
	assert_int_equal(str_copy(e->def.code, sizeof e->def.code, code), 0);
	e->def.duration_s = duration_s;
	e->def.n_sections = n_sections;
	e->title_json = xstrdup("\"Exam\"");
	for (int i = 0; i < n_sections; i++)
		e->section_title[i] = xstrdup("Section");
	e->paper_len = paper_len;
	e->section_from[0] = 1;
	hmap_init(&e->candidates);
	assert_null(hmap_puts(&r->exams, e->def.code, e));
	return e;
}

/* A candidate of e registered in r (in e's map and r's list): no answers yet
 * (labels -1), questions zeroed for the test to fill. */
static inline struct rt_candidate *unit_candidate_add(struct registry *r, struct rt_exam *e,
						      int64_t id, const char *regno, int extra_s)
{
	struct rt_candidate *c = xcalloc(1, sizeof *c);
	c->id = id;
	c->exam = e;
	assert_int_equal(str_copy(c->regno, sizeof c->regno, regno), 0);
	c->name = xstrdup("Candidate");
	c->extra_s = extra_s;
	c->n = e->paper_len;
	c->q = xcalloc((size_t)c->n, sizeof *c->q);
	c->ans = xcalloc((size_t)c->n, sizeof *c->ans);
	for (int i = 0; i < c->n; i++)
		c->ans[i].label = -1;
	assert_null(hmap_puts(&e->candidates, c->regno, c));
	c->all_next = r->all;
	r->all = c;
	r->n_candidates++;
	return c;
}

#endif
