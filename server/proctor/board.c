/* board.c - the public live scoreboard (see proctor/board.h). */
#include "proctor/board.h"
#include "bounds.h"
#include "core/clock.h"
#include "core/mem.h"
#include "exam/scoring.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext board_error_rows[] = {
	{ "no_such_board", "Papan skor tidak ditemukan." },
};

const struct errtext_table board_errors = ERRTEXT_TABLE(board_error_rows);

/* One board as shown: an exam, or one sitting of it. */
struct board_view {
	struct board *b;
	char exam[UJ_CODE_MAX + 1];
	char sitting[UJ_CODE_MAX + 1]; /* "" = the whole exam */
	struct sse_topic *topic;       /* NULL until someone subscribes */
	char *json;                    /* the cached snapshot; NULL = to build */
	size_t len;
	char etag[24];
	struct board_view *next;
};

struct board {
	struct sse_hub *hub;
	struct exam_rt *x;
	struct board_view *views;
};

struct board *board_new(struct sse_hub *hub, struct exam_rt *x)
{
	struct board *b = xcalloc(1, sizeof *b);
	assert(hub && x);
	b->hub = hub;
	b->x = x;
	return b;
}

void board_free(struct board *b)
{
	struct board_view *v, *next;
	if (!b)
		return;
	for (v = b->views; v; v = next) {
		next = v->next;
		sse_topic_free(v->topic);
		free(v->json);
		free(v);
	}
	free(b);
}

/* ---- masking ---- */

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t board_utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* Append len bytes to out (size n, used *k) if they fit whole with the
 * terminator. Returns 0, or -1 (nothing appended). */
static int board_put(char *out, size_t n, size_t *k, const char *s, size_t len)
{
	if (*k + len + 1 > n)
		return -1;
	memcpy(out + *k, s, len);
	*k += len;
	out[*k] = '\0';
	return 0;
}

void board_mask_name(const char *name, char *out, size_t n)
{
	size_t k = 0;
	const char *p = name;
	assert(n > 0);
	out[0] = '\0';
	while (*p) {
		char piece[1 + 3 * 4 + 3 + 1]; /* " ", three characters, "***" */
		size_t pk = 0;
		while (*p && strchr(" \t\r\n", *p))
			p++;
		if (!*p)
			break;
		if (k > 0)
			piece[pk++] = ' ';
		for (int i = 0; i < 3 && *p && !strchr(" \t\r\n", *p); i++) {
			size_t cl = board_utf8_len(p);
			if (cl == 1) {
				piece[pk++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
			} else {
				memcpy(piece + pk, p, cl);
				pk += cl;
			}
			p += cl;
		}
		memcpy(piece + pk, "***", 3);
		pk += 3;
		/* A word is shown whole or not at all. */
		if (board_put(out, n, &k, piece, pk))
			return;
		while (*p && !strchr(" \t\r\n", *p))
			p++;
	}
}

void board_mask_regno(const char *regno, char *out, size_t n)
{
	size_t off[UJ_REGNO_MAX + 2], chars = 0, k = 0, keep_head, keep_tail;
	const char *p = regno;
	assert(n > 0);
	out[0] = '\0';
	while (*p && chars <= UJ_REGNO_MAX) {
		off[chars++] = (size_t)(p - regno);
		p += board_utf8_len(p);
	}
	off[chars] = (size_t)(p - regno);
	if (chars > 9) {
		keep_head = 4;
		keep_tail = 4;
	} else {
		keep_head = 0;
		keep_tail = chars > 2 ? 2 : 0;
	}
	for (size_t i = 0; i < chars; i++) {
		int shown = i < keep_head || i >= chars - keep_tail;
		if (shown ? board_put(out, n, &k, regno + off[i], off[i + 1] - off[i])
			  : board_put(out, n, &k, "*", 1))
			return;
	}
}

/* ---- rows and snapshots ---- */

/* The row B of a finished candidate (contract: docs/API.md "Public
 * scoreboard"): nothing personal beyond the masked name and number. */
static json_t *board_row(const struct rt_candidate *c)
{
	const struct exam_def *d = &c->exam->def;
	char name[8 * UJ_TITLE_MAX + 1], regno[4 * UJ_REGNO_MAX + 1];
	json_t *scores = json_object(), *met;
	int dis = c->reason == FINISH_DISQUALIFIED;

	assert(c->status == ATT_FINISHED);
	board_mask_name(c->name ? c->name : "", name, sizeof name);
	board_mask_regno(c->regno, regno, sizeof regno);
	for (int i = 0; i < d->n_sections; i++)
		json_object_set_new(scores, d->sec[i].code, json_integer(c->score[i]));
	if (dis)
		met = json_false(); /* never counted as passing */
	else if (!c->rule)
		met = json_null(); /* the exam (or the track) has no pass rule */
	else
		met = json_boolean(scoring_passes(c->rule, c->score, c->total));
	return json_pack("{s:s,s:s,s:o,s:i,s:o,s:o,s:b}", "name", name, "regno", regno, "scores",
			 scores, "total", c->total, "thresholds_met", met, "finished_at",
			 clock_json(c->finished_at), "dis", dis);
}

/* Newest first; equal times by registration number. */
static int board_cmp(const void *x, const void *y)
{
	const struct rt_candidate *a = *(const struct rt_candidate *const *)x;
	const struct rt_candidate *b = *(const struct rt_candidate *const *)y;
	if (a->finished_at != b->finished_at)
		return a->finished_at > b->finished_at ? -1 : 1;
	return strcmp(a->regno, b->regno);
}

/* 1 if c belongs on view v (finished, and in v's sitting if it has one). */
static int board_shows(const struct board_view *v, const struct rt_candidate *c)
{
	if (c->status != ATT_FINISHED)
		return 0;
	return !v->sitting[0] || (c->sitting && strcmp(c->sitting->code, v->sitting) == 0);
}

/* Build v's snapshot from the registry into v->json and its ETag (a hash
 * of the bytes). At most UJ_BOARD_ROWS_MAX rows, the newest. */
static void board_build(struct board_view *v, const struct rt_exam *e)
{
	const struct exam_def *d = &e->def;
	size_t it = 0, n = 0, cap = 16;
	const struct rt_candidate **list = xmalloc(cap * sizeof *list);
	struct rt_candidate *c;
	json_t *sections = json_array(), *rows = json_array(), *root;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while ((c = hmap_next(&e->candidates, &it))) {
		if (!board_shows(v, c))
			continue;
		if (n == cap)
			list = xrealloc(list, (cap *= 2) * sizeof *list);
		list[n++] = c;
	}
	qsort(list, n, sizeof *list, board_cmp);
	if (n > UJ_BOARD_ROWS_MAX)
		n = UJ_BOARD_ROWS_MAX;
	for (int i = 0; i < d->n_sections; i++)
		json_array_append_new(sections,
				      json_pack("{s:s,s:s}", "code", d->sec[i].code, "title",
						e->section_title[i] ? e->section_title[i]
								    : d->sec[i].code));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, board_row(list[i]));
	root = json_pack("{s:{s:s,s:s},s:o,s:o,s:o}", "exam", "code", d->code, "title", d->title,
			 "sections", sections, "rows", rows, "server_time",
			 clock_json(clock_now_ms()));
	if (v->sitting[0])
		json_object_set_new(root, "sitting", json_string(v->sitting));
	free(v->json);
	v->json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!v->json)
		abort(); /* out of memory (every string here is valid UTF-8) */
	v->len = strlen(v->json);
	for (size_t i = 0; i < v->len; i++)
		h = (h ^ (unsigned char)v->json[i]) * 1099511628211ULL;
	snprintf(v->etag, sizeof v->etag, "\"b%016llx\"", (unsigned long long)h);
	json_decref(root);
	free(list);
}

/* The exam of a board by code, if its scoreboard is on; and the sitting
 * (if one is named) exists. */
static const struct rt_exam *board_exam(const struct board *b, const char *exam,
					const char *sitting)
{
	const struct rt_exam *e = registry_exam(&b->x->reg, exam);
	if (!e || !e->def.scoreboard)
		return NULL;
	if (sitting && *sitting) {
		const struct rt_sitting *s = e->sittings;
		while (s && strcmp(s->code, sitting) != 0)
			s = s->next;
		if (!s)
			return NULL;
	}
	return e;
}

/* The view of exam (and sitting), made on first use. NULL if there is no
 * such board. */
static struct board_view *board_view(struct board *b, const char *exam, const char *sitting)
{
	struct board_view *v;
	if (!sitting)
		sitting = "";
	if (!board_exam(b, exam, sitting) || strlen(sitting) > UJ_CODE_MAX)
		return NULL;
	for (v = b->views; v; v = v->next)
		if (strcmp(v->exam, exam) == 0 && strcmp(v->sitting, sitting) == 0)
			return v;
	v = xcalloc(1, sizeof *v);
	v->b = b;
	snprintf(v->exam, sizeof v->exam, "%s", exam);
	snprintf(v->sitting, sizeof v->sitting, "%s", sitting);
	v->next = b->views;
	b->views = v;
	return v;
}

int board_snapshot(struct board *b, const char *exam, const char *sitting, const char **json,
		   size_t *len, const char **etag)
{
	struct board_view *v = board_view(b, exam, sitting);
	if (!v)
		return -1;
	if (!v->json)
		board_build(v, registry_exam(&b->x->reg, exam));
	*json = v->json;
	*len = v->len;
	*etag = v->etag;
	return 0;
}

/* sse_snapshot_fn of a view's topic: a copy of the cached snapshot (NULL
 * if the board has gone off). */
static char *board_topic_snapshot(void *arg, size_t *len)
{
	struct board_view *v = arg;
	const struct rt_exam *e = board_exam(v->b, v->exam, v->sitting);
	if (!e)
		return NULL;
	if (!v->json)
		board_build(v, e);
	*len = v->len;
	return xstrndup(v->json, v->len);
}

int board_subscribe(struct board *b, const char *exam, const char *sitting,
		    struct evhttp_request *req)
{
	struct board_view *v = board_view(b, exam, sitting);
	if (!v)
		return -1;
	if (!v->topic)
		v->topic = sse_topic_new(b->hub, "snapshot", board_topic_snapshot, v);
	return sse_subscribe(v->topic, req) == 0 ? 0 : -2;
}

void board_finished(struct board *b, struct rt_candidate *c)
{
	const char *code = c->exam->def.code;
	char *row = NULL;

	if (!b || !c->exam->def.scoreboard || c->status != ATT_FINISHED)
		return;
	for (struct board_view *v = b->views; v; v = v->next) {
		if (strcmp(v->exam, code) != 0)
			continue;
		free(v->json); /* rebuilt on the next request */
		v->json = NULL;
		if (!v->topic || !board_shows(v, c))
			continue;
		if (!row) { /* encoded once, whatever the number of views and streams */
			json_t *j = board_row(c);
			row = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(j);
			if (!row)
				abort(); /* out of memory */
		}
		sse_publish(v->topic, "row", row, strlen(row));
	}
	free(row);
}
