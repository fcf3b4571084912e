/* paper.c - blueprint feasibility and randomized paper drawing. */
#include "exam/paper.h"
#include "core/mem.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts for one section draw: topic groups x difficulty groups. When the
 * blueprint gives no topic counts there is one topic group holding every item
 * (and likewise for difficulty). */
struct draw_state {
	int nt, nd;
	int need_t[UJ_TOPICS_MAX];
	int need_d[DIFF_MAX];
	int avail[UJ_TOPICS_MAX][DIFF_MAX];
};

/* Group of a pool item for this draw, or -1 if its topic is not drawn. */
static int draw_topic_of(const struct exam_draw *d, const struct pool_item *pi)
{
	if (d->n_topics == 0)
		return 0;
	for (int t = 0; t < d->n_topics; t++)
		if (strcmp(d->topic[t], pi->topic) == 0)
			return t;
	return -1;
}

static int draw_diff_of(const struct exam_draw *d, const struct pool_item *pi)
{
	return d->has_diff ? pi->diff : 0;
}

static void draw_init(const struct exam_draw *d, const struct pool *p, struct draw_state *st)
{
	memset(st, 0, sizeof *st);
	st->nt = d->n_topics ? d->n_topics : 1;
	st->nd = d->has_diff ? DIFF_MAX : 1;
	for (int t = 0; t < st->nt; t++)
		st->need_t[t] = d->n_topics ? d->topic_count[t] : d->draw;
	for (int x = 0; x < st->nd; x++)
		st->need_d[x] = d->has_diff ? d->diff_count[x] : d->draw;
	for (int i = 0; i < p->n; i++) {
		int t = draw_topic_of(d, &p->v[i]);
		if (t >= 0)
			st->avail[t][draw_diff_of(d, &p->v[i])]++;
	}
}

/* Max-flow/min-cut test of the transport problem: topic t supplies need_t[t]
 * units, difficulty x absorbs need_d[x], cell (t,x) carries at most
 * avail[t][x]. With the difficulty set A on the source side, a cut costs
 * sum_{x in A} need_d[x] + sum_t min(need_t[t], sum_{x not in A} avail[t][x]).
 * Feasible iff every cut is at least the total demand. */
static int draw_feasible(const struct draw_state *st)
{
	int total = 0;
	for (int x = 0; x < st->nd; x++) {
		if (st->need_d[x] < 0)
			return 0;
		total += st->need_d[x];
	}
	for (int t = 0; t < st->nt; t++)
		if (st->need_t[t] < 0)
			return 0;
	for (unsigned a = 0; a < (1u << st->nd); a++) {
		long cut = 0;
		for (int x = 0; x < st->nd; x++)
			if (a & (1u << x))
				cut += st->need_d[x];
		for (int t = 0; t < st->nt; t++) {
			long cap = 0;
			for (int x = 0; x < st->nd; x++)
				if (!(a & (1u << x)))
					cap += st->avail[t][x];
			cut += cap < st->need_t[t] ? cap : st->need_t[t];
		}
		if (cut < total)
			return 0;
	}
	return 1;
}

int paper_check(const struct exam_def *ex, const struct pool *pools, char *err, size_t errlen)
{
	for (int s = 0; s < ex->n_sections; s++) {
		const struct exam_draw *d = &ex->sec[s];
		struct draw_state st;
		int have = 0;

		draw_init(d, &pools[s], &st);
		for (int t = 0; t < st.nt; t++)
			for (int x = 0; x < st.nd; x++)
				have += st.avail[t][x];
		for (int t = 0; t < d->n_topics; t++) {
			int n = 0;
			for (int x = 0; x < st.nd; x++)
				n += st.avail[t][x];
			if (n < d->topic_count[t]) {
				snprintf(err, errlen,
					 "section \"%s\": topic \"%s\" needs %d items but the bank has %d",
					 d->code, d->topic[t], d->topic_count[t], n);
				return -1;
			}
		}
		if (d->has_diff) {
			for (int x = 0; x < DIFF_MAX; x++) {
				int n = 0;
				for (int t = 0; t < st.nt; t++)
					n += st.avail[t][x];
				if (n < d->diff_count[x]) {
					snprintf(err, errlen,
						 "section \"%s\": difficulty \"%s\" needs %d items but the bank has %d%s",
						 d->code, difficulty_names[x], d->diff_count[x], n,
						 d->n_topics ? " among the drawn topics" : "");
					return -1;
				}
			}
		}
		if (have < d->draw) {
			snprintf(err, errlen,
				 "section \"%s\": the blueprint draws %d items but the bank has %d usable",
				 d->code, d->draw, have);
			return -1;
		}
		if (!draw_feasible(&st)) {
			snprintf(err, errlen,
				 "section \"%s\": the topic counts and difficulty counts cannot be met together by the bank's items",
				 d->code);
			return -1;
		}
	}
	return 0;
}

/* Draw one section: visit eligible items in random order and take each one
 * whose cell can still be used without making the rest infeasible. A cell
 * that cannot be used now can never be used later (the set of feasible
 * completions only shrinks), so it is closed for the rest of the draw. */
static int paper_draw_section(const struct exam_draw *d, const struct pool *p,
			      struct rng_stream *rs, int *picked)
{
	struct draw_state st;
	int closed[UJ_TOPICS_MAX][DIFF_MAX] = { { 0 } };
	int *order = xmalloc((size_t)(p->n ? p->n : 1) * sizeof *order);
	int n = 0, taken = 0, rc = -1;

	draw_init(d, p, &st);
	if (!draw_feasible(&st))
		goto out;
	for (int i = 0; i < p->n; i++)
		order[i] = i;
	rng_stream_shuffle(rs, order, (size_t)p->n);
	for (int k = 0; k < p->n && taken < d->draw; k++) {
		const struct pool_item *pi = &p->v[order[k]];
		int t = draw_topic_of(d, pi), x;
		if (t < 0)
			continue;
		x = draw_diff_of(d, pi);
		if (closed[t][x])
			continue;
		st.avail[t][x]--;
		st.need_t[t]--;
		st.need_d[x]--;
		if (draw_feasible(&st)) {
			assert(n < d->draw && n < UJ_DRAW_MAX);
			picked[n++] = order[k];
			taken++;
		} else {
			st.avail[t][x]++;
			st.need_t[t]++;
			st.need_d[x]++;
			closed[t][x] = 1;
		}
	}
	rc = taken == d->draw ? 0 : -1;
out:
	free(order);
	return rc;
}

static int paper_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int paper_draw(const struct exam_def *ex, const struct pool *pools,
	       const uint8_t seed[RNG_SEED_LEN], struct paper_layout *out)
{
	struct rng_stream rs;
	int total = exam_paper_length(ex), pos = 0;
	int *picked = xmalloc((size_t)UJ_DRAW_MAX * sizeof *picked);

	rng_stream_init(&rs, seed);
	out->n = total;
	out->q = xcalloc((size_t)total, sizeof *out->q);
	for (int s = 0; s < ex->n_sections; s++) {
		const struct exam_draw *d = &ex->sec[s];
		if (paper_draw_section(d, &pools[s], &rs, picked)) {
			free(picked);
			paper_layout_free(out);
			return -1;
		}
		if (ex->shuffle_items)
			rng_stream_shuffle(&rs, picked, (size_t)d->draw);
		else
			qsort(picked, (size_t)d->draw, sizeof *picked, paper_cmp_int);
		for (int k = 0; k < d->draw; k++) {
			const struct pool_item *pi = &pools[s].v[picked[k]];
			struct paper_q *q = &out->q[pos++];
			int perm[UJ_OPTIONS_MAX];
			q->item_id = pi->item_id;
			q->section = (uint8_t)s;
			q->n_options = (uint8_t)pi->n_options;
			for (int o = 0; o < pi->n_options; o++)
				perm[o] = o;
			if (ex->shuffle_options)
				rng_stream_shuffle(&rs, perm, (size_t)pi->n_options);
			for (int o = 0; o < pi->n_options; o++)
				q->perm[o] = (uint8_t)perm[o];
		}
	}
	assert(pos == total); /* every section drew exactly its count */
	free(picked);
	return 0;
}

void paper_layout_free(struct paper_layout *p)
{
	free(p->q);
	p->q = NULL;
	p->n = 0;
}

json_t *paper_layout_to_json(const struct paper_layout *p)
{
	json_t *arr = json_array();
	for (int i = 0; i < p->n; i++) {
		json_t *perm = json_array();
		for (int o = 0; o < p->q[i].n_options; o++)
			json_array_append_new(perm, json_integer(p->q[i].perm[o]));
		json_array_append_new(arr, json_pack("[I,o,i]", (json_int_t)p->q[i].item_id, perm,
						     (int)p->q[i].section));
	}
	return arr;
}

/* A strict scanner for the stored layout, [[item,[perm...],section],...]:
 * start-up reads every paper, and going through a general JSON tree costs
 * hundreds of allocations per paper. */
struct layout_scan {
	const char *p, *end;
};

static void layout_ws(struct layout_scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\n' || *sc->p == '\t' || *sc->p == '\r'))
		sc->p++;
}

/* Skip whitespace and consume c: 0, or -1 if the next character is not c. */
static int layout_char(struct layout_scan *sc, char c)
{
	layout_ws(sc);
	if (sc->p >= sc->end || *sc->p != c)
		return -1;
	sc->p++;
	return 0;
}

/* 1 if the next character is c (consumed), else 0. */
static int layout_accept(struct layout_scan *sc, char c)
{
	return layout_char(sc, c) == 0;
}

/* A non-negative decimal integer without leading zeros (JSON), at most max. */
static int layout_uint(struct layout_scan *sc, int64_t max, int64_t *out)
{
	int64_t v = 0;
	const char *start;
	layout_ws(sc);
	start = sc->p;
	while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9') {
		if (v > (max - (*sc->p - '0')) / 10)
			return -1;
		v = v * 10 + (*sc->p - '0');
		sc->p++;
	}
	if (sc->p == start || (*start == '0' && sc->p - start > 1))
		return -1;
	*out = v;
	return 0;
}

int paper_layout_parse(const char *text, size_t len, struct paper_layout *out)
{
	struct layout_scan sc = { text, text + len };
	size_t cap = 0;

	out->n = 0;
	out->q = NULL;
	if (layout_char(&sc, '['))
		goto fail;
	if (layout_accept(&sc, ']'))
		goto done;
	for (;;) {
		struct paper_q *q;
		int64_t v;
		int seen = 0;
		if ((size_t)out->n == cap) {
			cap = cap ? cap * 2 : 128;
			if (cap > UJ_PAPER_MAX)
				cap = UJ_PAPER_MAX;
			if ((size_t)out->n == cap)
				goto fail;
			out->q = xrealloc(out->q, cap * sizeof *out->q);
		}
		q = &out->q[out->n];
		memset(q, 0, sizeof *q);
		if (layout_char(&sc, '[') || layout_uint(&sc, INT64_MAX, &v) || layout_char(&sc, ',') ||
		    layout_char(&sc, '['))
			goto fail;
		q->item_id = v;
		do {
			if (q->n_options == UJ_OPTIONS_MAX || layout_uint(&sc, UJ_OPTIONS_MAX - 1, &v) ||
			    (seen & (1 << v)))
				goto fail;
			seen |= 1 << v;
			q->perm[q->n_options++] = (uint8_t)v;
		} while (layout_accept(&sc, ','));
		/* A permutation of 0..n-1: no index may reach past the options. */
		if (q->n_options < UJ_OPTIONS_MIN || seen != (1 << q->n_options) - 1)
			goto fail;
		if (layout_char(&sc, ']') || layout_char(&sc, ',') ||
		    layout_uint(&sc, UJ_SECTIONS_MAX - 1, &v) || layout_char(&sc, ']'))
			goto fail;
		q->section = (uint8_t)v;
		out->n++;
		if (layout_accept(&sc, ','))
			continue;
		if (layout_char(&sc, ']'))
			goto fail;
		break;
	}
done:
	layout_ws(&sc);
	if (sc.p != sc.end)
		goto fail;
	return 0;
fail:
	paper_layout_free(out);
	return -1;
}
