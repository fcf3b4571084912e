/* render.c - the candidate's documents: paper, clock, result, answer. The
 * paper is the largest reply (tens of kilobytes) and is built at every start
 * and reload, so it is assembled from pre-encoded pieces without printf. */
#include "exam/render.h"
#include "core/clock.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char render_labels[] = "ABCDEF";

json_t *render_time(int64_t ms)
{
	char buf[40];
	return json_string(clock_format_rfc3339(ms, 0, buf, sizeof buf));
}

json_t *render_clock(const struct rt_candidate *c, int64_t now)
{
	int64_t deadline = registry_deadline(c), at = now;
	json_t *paused = json_null();
	if (c->paused_at) {
		/* A paused clock stands still: the remaining time is that of the
		 * moment it stopped, and the deadline is where it would be if the
		 * attempt resumed now. */
		at = c->paused_at;
		deadline += now - c->paused_at;
		paused = json_pack("{s:o,s:s}", "since", render_time(c->paused_at), "reason",
				   c->pause_reason ? c->pause_reason : "");
	}
	return json_pack("{s:s,s:o,s:o,s:I,s:o,s:o}", "status", attempt_status_names[c->status],
			 "started_at", render_time(c->started_at), "deadline", render_time(deadline),
			 "remaining_ms",
			 (json_int_t)clock_remaining_ms(registry_deadline(c), at), "paused", paused,
			 "server_time", render_time(now));
}

/* The threshold (nilai ambang batas) of section i in rule pr into obj as
 * "threshold" and "met"; nothing when the rule has none for it. */
static void render_threshold(json_t *obj, const struct pass_rule *pr, int i, int score)
{
	for (int m = 0; m < pr->n_min; m++)
		if (pr->min_section[m] == i) {
			json_object_set_new(obj, "threshold", json_integer(pr->min_value[m]));
			json_object_set_new(obj, "met", json_boolean(score >= pr->min_value[m]));
		}
}

json_t *render_result(const struct rt_candidate *c)
{
	const struct rt_exam *e = c->exam;
	/* Thresholds of the candidate's own track, when the exam shows them. */
	const struct pass_rule *pr = e->def.show_thresholds ? c->rule : NULL;
	json_t *r = json_pack("{s:s,s:o,s:s,s:s}", "status", "finished", "finished_at",
			      render_time(c->finished_at), "finish_reason", finish_reason_names[c->reason],
			      "timezone", exam_zones[e->def.zone].name);
	if (!e->def.show_score)
		return r;
	json_t *secs = json_array();
	for (int i = 0; i < e->def.n_sections; i++) {
		json_t *s = json_pack("{s:s,s:s,s:i,s:i}", "code", e->def.sec[i].code, "title",
				      e->section_title[i], "score", c->score[i], "max", c->max[i]);
		if (pr)
			render_threshold(s, pr, i, c->score[i]);
		json_array_append_new(secs, s);
	}
	json_object_set_new(r, "sections", secs);
	json_object_set_new(r, "total", json_integer(c->total));
	json_object_set_new(r, "max_total", json_integer(c->max_total));
	if (pr && pr->has_total) {
		json_object_set_new(r, "total_threshold", json_integer(pr->total));
		json_object_set_new(r, "total_met", json_boolean(c->total >= pr->total));
	}
	json_object_set_new(r, "passed", json_boolean(c->passed));
	return r;
}

json_t *render_attempt_idle(const struct rt_candidate *c, int64_t now)
{
	if (c->status == ATT_FINISHED) {
		json_t *att = json_pack("{s:s,s:o,s:o,s:s,s:o}", "status", "finished", "started_at",
					render_time(c->started_at), "finished_at",
					render_time(c->finished_at), "finish_reason",
					finish_reason_names[c->reason], "server_time", render_time(now));
		return json_pack("{s:o,s:o}", "attempt", att, "result", render_result(c));
	}
	assert(c->status == ATT_NOT_STARTED);
	int64_t total = ((int64_t)c->exam->def.duration_s + c->extra_s) * 1000;
	return json_pack("{s:{s:s,s:I,s:o}}", "attempt", "status", "not_started", "remaining_ms",
			 (json_int_t)total, "server_time", render_time(now));
}

#define render_lit(out, s) evbuffer_add((out), (s), sizeof(s) - 1)

static void render_int(struct evbuffer *out, long v)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%ld", v);
	evbuffer_add(out, buf, (size_t)n);
}

/* "/api/v1/attempt/images/<tag>/<n>/" into out. */
static void render_image_base(struct evbuffer *out, const char *tag, int n)
{
	render_lit(out, "\"" RENDER_IMAGE_PREFIX);
	evbuffer_add(out, tag, UJ_IMAGE_TAG_LEN);
	render_lit(out, "/");
	render_int(out, n);
	render_lit(out, "/");
}

void render_paper(const struct rt_candidate *c, const char *tag, int64_t now, struct evbuffer *out)
{
	const struct rt_exam *e = c->exam;
	json_t *att = render_clock(c, now);
	char *atts = json_dumps(att, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(att);
	if (!atts)
		abort(); /* out of memory */
	render_lit(out, "{\"attempt\":");
	evbuffer_add(out, atts, strlen(atts));
	free(atts);
	if (e->def.describe_figures)
		render_lit(out, ",\"describe_figures\":true");
	render_lit(out, ",\"position\":");
	render_int(out, c->position ? c->position : 1);
	render_lit(out, ",\"sections\":[");
	for (int i = 0; i < e->def.n_sections; i++) {
		json_t *t = json_string(e->section_title[i]);
		char *ts = json_dumps(t, JSON_ENCODE_ANY);
		json_decref(t);
		evbuffer_add_printf(out, "%s{\"code\":\"%s\",\"title\":%s,\"from\":%d,\"to\":%d}",
				    i ? "," : "", e->def.sec[i].code, ts, e->section_from[i],
				    e->section_from[i] + e->def.sec[i].draw - 1);
		free(ts);
	}
	render_lit(out, "],\"questions\":[");
	for (int n = 1; n <= c->n; n++) {
		const struct rt_question *q = &c->q[n - 1];
		const struct rt_item *it = q->item;
		const char *code = e->def.sec[q->section].code;
		if (n > 1)
			render_lit(out, ",");
		render_lit(out, "{\"n\":");
		render_int(out, n);
		render_lit(out, ",\"section\":\"");
		evbuffer_add(out, code, strlen(code));
		render_lit(out, "\",\"text\":");
		evbuffer_add(out, it->text_json, it->text_json_len);
		render_lit(out, ",\"images\":[");
		for (int k = 0; k < it->n_images; k++) {
			char slot[4] = { 'q', (char)('1' + k), '"', 0 };
			if (k)
				render_lit(out, ",");
			render_image_base(out, tag, n);
			evbuffer_add(out, slot, 3);
		}
		render_lit(out, "],\"options\":[");
		for (int l = 0; l < q->n_options; l++) {
			int o = q->perm[l];
			char label[16] = "{\"label\":\"X\"";
			label[10] = render_labels[l];
			if (l)
				render_lit(out, ",");
			evbuffer_add(out, label, 12);
			render_lit(out, ",\"text\":");
			evbuffer_add(out, it->opt_text_json[o], it->opt_text_json_len[o]);
			if (it->opt_image[o]) {
				char slot[2] = { render_labels[l], '"' };
				render_lit(out, ",\"image\":");
				render_image_base(out, tag, n);
				evbuffer_add(out, slot, 2);
			}
			render_lit(out, "}");
		}
		render_lit(out, "]}");
	}
	render_lit(out, "],\"answers\":[");
	int first = 1;
	for (int n = 1; n <= c->n; n++) {
		const struct rt_answer *a = &c->ans[n - 1];
		if (a->rev == 0)
			continue;
		if (a->label >= 0)
			evbuffer_add_printf(out, "%s{\"n\":%d,\"option\":\"%c\",\"flagged\":%s,\"rev\":%u}",
					    first ? "" : ",", n, render_labels[a->label],
					    a->flagged ? "true" : "false", a->rev);
		else
			evbuffer_add_printf(out, "%s{\"n\":%d,\"option\":null,\"flagged\":%s,\"rev\":%u}",
					    first ? "" : ",", n, a->flagged ? "true" : "false", a->rev);
		first = 0;
	}
	render_lit(out, "]}");
}

void render_answer(const struct rt_candidate *c, int n, int label, int flagged, uint32_t rev,
		   int64_t now, struct evbuffer *out)
{
	int64_t left = c->status == ATT_IN_PROGRESS ? clock_remaining_ms(registry_deadline(c), now) : 0;
	char ts[40], opt[8] = "null";

	assert(label >= -1 && label < (int)sizeof render_labels - 1);
	if (label >= 0)
		snprintf(opt, sizeof opt, "\"%c\"", render_labels[label]);
	evbuffer_add_printf(out,
			    "{\"n\":%d,\"option\":%s,\"flagged\":%s,\"rev\":%u,\"remaining_ms\":%lld,"
			    "\"server_time\":\"%s\"}",
			    n, opt, flagged ? "true" : "false", rev, (long long)left,
			    clock_format_rfc3339(now, 0, ts, sizeof ts));
}

const struct rt_asset *render_image(const struct rt_candidate *c, int n, const char *slot)
{
	const struct rt_question *q;
	assert(n >= 1 && n <= c->n);
	q = &c->q[n - 1];
	if (slot[0] == 'q' && slot[1] >= '1' && slot[1] <= '4' && slot[2] == '\0') {
		int k = slot[1] - '1';
		return k < q->item->n_images ? q->item->images[k] : NULL;
	}
	if (slot[0] >= 'A' && slot[0] < 'A' + q->n_options && slot[1] == '\0')
		return q->item->opt_image[q->perm[slot[0] - 'A']];
	return NULL;
}
