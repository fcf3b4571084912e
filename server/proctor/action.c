/* action.c - a proctor's actions on a sitting: checked whole before
 * anything changes, carried out through the exam and auth domains'
 * operations, and recorded as one "proctor_action" event (or, for the
 * sitting's own token, start and close, a sitting event) with actor, server
 * time and reason. The reply runs when that record is durable, which is
 * after every change it sums up (the writer completes in order). */
#include "proctor/live.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *const proctor_action_names[PA_MAX] = {
	[PA_EXTEND] = "extend",	    [PA_PAUSE] = "pause",	    [PA_RESUME] = "resume",
	[PA_RESET_LOGIN] = "reset_login", [PA_UNLOCK] = "unlock",   [PA_PASSWORD] = "password",
	[PA_FINISH] = "finish",	    [PA_DISQUALIFY] = "disqualify", [PA_MESSAGE] = "message",
	[PA_CREDIT] = "credit",	    [PA_START] = "start",	    [PA_TOKEN] = "token",
	[PA_CLOSE] = "close",
};

/* The action in flight: its reply, built as candidates are handled. */
struct pr_act_ctx {
	struct proctor *pr;
	struct rt_sitting *st;
	enum proctor_action_kind kind;
	json_t *reply; /* {"done":[],"skipped":[]} (+ passwords) */
	proctor_done_fn done;
	void *arg;
};

static void pr_act_skip(struct pr_act_ctx *ax, const struct rt_candidate *c, const char *why)
{
	json_array_append_new(json_object_get(ax->reply, "skipped"),
			      json_pack("{s:s,s:s}", "regno", c->regno, "why", why));
}

static void pr_act_did(struct pr_act_ctx *ax, const struct rt_candidate *c)
{
	json_array_append_new(json_object_get(ax->reply, "done"), json_string(c->regno));
}

/* The record is durable: tell the dashboards, then reply. */
static void pr_act_recorded(struct proctor_op *o)
{
	struct pr_act_ctx *ax = o->arg;
	if (o->op.failed) {
		json_decref(ax->reply);
		ax->done(ax->arg, 500, "internal", NULL);
	} else {
		json_t *ev = json_pack("{s:I,s:s,s:O,s:o}", "id", (json_int_t)o->out_id, "action",
				       proctor_action_names[ax->kind], "detail", o->detail, "at",
				       clock_json(o->op.at));
		pr_publish(ax->st, "action", ev);
		json_decref(ev);
		json_object_set_new(ax->reply, "action_id", json_integer(o->out_id));
		if (ax->kind == PA_CLOSE)
			json_object_set_new(ax->reply, "audit_head", json_string(o->out_head));
		if (ax->kind == PA_TOKEN)
			json_object_set_new(ax->reply, "token", json_string(ax->st->token));
		pr_touch_sitting(ax->pr, ax->st);
		ax->done(ax->arg, 200, NULL, ax->reply);
	}
	free(ax);
}

/* A broadcast is durable: into RAM, so the next poll shows it. */
static void pr_notice_done(struct proctor_op *o)
{
	if (!o->op.failed)
		pr_notice_add(o->pr, o->st, o->c, o->out_id, o->op.at, o->text);
}

/* Submit a broadcast to c (or to the whole sitting when c is NULL). */
static void pr_message(struct proctor *pr, struct rt_sitting *st, struct rt_candidate *c,
		       const struct proctor_action *act, struct actor who, int64_t now)
{
	struct proctor_op *o = pop_new(pr, POP_NOTICE, who, now);
	o->c = c;
	o->st = st;
	o->exam_id = st->exam->id;
	o->sitting_id = c ? 0 : st->id;
	o->cand_id = c ? c->id : 0;
	o->text = xstrdup(act->text);
	o->event = "notice";
	o->detail = json_pack("{s:I,s:s,s:s}", "sitting", (json_int_t)st->id, "text", act->text,
			      "reason", act->reason);
	pop_submit(pr, o, pr_notice_done, NULL);
}

/* The overlap of [from, to) with c's attempt so far, ms. */
static int64_t pr_credit_ms(const struct rt_candidate *c, const struct proctor_action *act,
			    int64_t now)
{
	int64_t a = act->from > c->started_at ? act->from : c->started_at;
	int64_t b = act->to < now ? act->to : now;
	return b > a ? b - a : 0;
}

/* Carry out act on one candidate (already checked to be in the sitting). */
#define SKIP(why)                                                                                  \
	do {                                                                                       \
		pr_act_skip(ax, c, why);                                                           \
		return;                                                                            \
	} while (0)
static void pr_act_one(struct pr_act_ctx *ax, struct rt_candidate *c,
		       const struct proctor_action *act, struct actor who, int64_t now)
{
	struct proctor *pr = ax->pr;
	struct exam_rt *x = pr->x;
	int running = c->status == ATT_IN_PROGRESS;
	switch (act->kind) {
	case PA_EXTEND:
		if (running)
			attempt_credit(x, c, (int64_t)act->minutes * 60000, "proctor_extend", who,
				       act->reason, now, NULL, NULL);
		else if (c->status == ATT_NOT_STARTED)
			attempt_set_extra(x, c, c->extra_s + act->minutes * 60, who, now, NULL, NULL);
		else
			SKIP("finished");
		break;
	case PA_PAUSE:
		if (!running || c->paused_at)
			SKIP(!running ? "not_running" : "already_paused");
		attempt_pause(x, c, who, act->reason, now, NULL, NULL);
		break;
	case PA_RESUME:
		if (!running || !c->paused_at)
			SKIP(!running ? "not_running" : "not_paused");
		attempt_resume(x, c, who, act->reason, now, NULL, NULL);
		break;
	case PA_RESET_LOGIN:
		session_unlock(pr->auth, c);
		if (!c->session)
			SKIP("no_session");
		((struct pr_cand *)c->live)->reset_pending = 1;
		session_reset(pr->auth, c, who, act->reason, now, NULL, NULL);
		break;
	case PA_UNLOCK:
		if (!session_locked(pr->auth, c))
			SKIP("not_locked");
		session_unlock(pr->auth, c);
		break;
	case PA_PASSWORD: {
		char pw[UJ_PASSWORD_GEN_LEN + 1];
		session_reset_password(pr->auth, c, who, now, pw, NULL, NULL);
		session_unlock(pr->auth, c);
		json_array_append_new(json_object_get(ax->reply, "passwords"),
				      json_pack("{s:s,s:s,s:s}", "regno", c->regno, "name", c->name,
						"password", pw));
		break;
	}
	case PA_FINISH:
	case PA_DISQUALIFY:
		if (!running)
			SKIP(c->status == ATT_FINISHED ? "finished" : "not_started");
		attempt_end_by(x, c, act->kind == PA_FINISH ? FINISH_PROCTOR : FINISH_DISQUALIFIED,
			       who, act->reason, now, NULL, NULL);
		break;
	case PA_MESSAGE:
		pr_message(pr, ax->st, c, act, who, now);
		break;
	case PA_CREDIT: {
		int64_t ms = running ? pr_credit_ms(c, act, now) : 0;
		if (ms <= 0)
			SKIP(!running ? "not_running" : "no_overlap");
		attempt_credit(x, c, ms, "proctor_credit", who, act->reason, now, NULL, NULL);
		break;
	}
	default:
		assert(0 && "sitting-wide actions have no per-candidate part");
	}
	pr_act_did(ax, c);
}
#undef SKIP

/* Find the chosen candidates in the sitting: every name must be one of
 * its candidates (each problem into errs). Returns the count, or -1. */
static int pr_act_pick(const struct pr_sitting *ls, const struct proctor_action *act,
		       struct rt_candidate **out, json_t *errs)
{
	size_t i;
	json_t *v;
	int n = 0, bad = 0;
	json_array_foreach(act->regnos, i, v)
	{
		const char *r = json_string_value(v);
		struct rt_candidate *hit = NULL;
		for (int k = 0; r && k < ls->n_cands; k++)
			if (strcmp(ls->cands[k]->regno, r) == 0)
				hit = ls->cands[k];
		for (int k = 0; hit && k < n; k++)
			if (out[k] == hit)
				hit = NULL, r = NULL; /* named twice */
		if (!hit) {
			char msg[160];
			snprintf(msg, sizeof msg,
				 r ? "Peserta \"%.40s\" tidak terdaftar di sesi ini."
				   : "Nomor peserta ganda atau bukan teks.",
				 r);
			json_array_append_new(errs, json_pack("{s:i,s:s,s:s}", "item", (int)i + 1,
							      "field", "candidates", "message", msg));
			bad = 1;
			continue;
		}
		out[n++] = hit;
	}
	return bad ? -1 : n;
}

/* Default choice of a credit without names: whoever was seen offline
 * within the window. */
static int pr_act_offline(const struct pr_sitting *ls, const struct proctor_action *act,
			  struct rt_candidate **out)
{
	int n = 0;
	for (int k = 0; k < ls->n_cands; k++) {
		struct rt_candidate *c = ls->cands[k];
		const struct pr_cand *lc = c->live;
		int64_t end = lc->offline ? act->to : lc->back_at;
		if (lc->offline_since && lc->offline_since < act->to && end > act->from)
			out[n++] = c;
	}
	return n;
}

/* The sitting's own actions: Mulai, a new token, closing. */
static void pr_act_sitting(struct pr_act_ctx *ax, const struct proctor_action *act,
			   struct actor who, int64_t now)
{
	struct proctor *pr = ax->pr;
	struct rt_sitting *st = ax->st;
	struct pr_sitting *ls = st->live;
	struct proctor_op *o;
	const char *event = "sitting_token";

	if (act->kind == PA_START) {
		/* Everyone waiting starts at the same server instant. */
		st->started_at = now;
		for (int k = 0; k < ls->n_cands; k++) {
			struct rt_candidate *c = ls->cands[k];
			if (c->status == ATT_NOT_STARTED && c->session &&
			    attempt_exam_open(c->exam, now)) {
				attempt_start(pr->x, c, now, NULL, NULL);
				pr_act_did(ax, c);
			}
		}
		event = "sitting_started";
	} else if (act->kind == PA_TOKEN) {
		str_copy(st->prev_token, sizeof st->prev_token, st->token);
		pr_new_token(st->token);
		st->token_at = now;
	} else {
		st->closed_at = now;
		event = "sitting_closed";
	}
	o = pop_new(pr, POP_SITTING, who, now);
	o->st = st;
	o->sitting_id = st->id;
	o->event = event;
	o->detail = json_pack("{s:I,s:s,s:s,s:s,s:O}", "sitting", (json_int_t)st->id, "exam",
			      st->exam->def.code, "action", proctor_action_names[act->kind],
			      "reason", act->reason, "candidates",
			      json_object_get(ax->reply, "done"));
	memcpy(o->token, st->token, sizeof o->token);
	memcpy(o->prev_token, st->prev_token, sizeof o->prev_token);
	o->token_at = st->token_at;
	o->started_at = st->started_at;
	o->closed_at = st->closed_at;
	o->closed_by = st->closed_at ? who.id : 0;
	pop_submit(pr, o, pr_act_recorded, ax);
}

/* Check the action's own fields (errs gets each problem). */
static void pr_act_check(const struct rt_sitting *st, const struct proctor_action *act,
			 int64_t now, json_t *errs)
{
#define PR_ERR(field, msg)                                                                         \
	json_array_append_new(errs, json_pack("{s:s,s:s}", "field", field, "message", msg))
	if (!act->reason[0])
		PR_ERR("reason", "Alasan wajib diisi.");
	if (act->kind == PA_EXTEND && (act->minutes < 1 || act->minutes > UJ_EXTEND_MAX_MIN))
		PR_ERR("minutes", "Tambahan waktu harus 1 sampai 240 menit.");
	if (act->kind == PA_MESSAGE && !act->text[0])
		PR_ERR("text", "Isi pesan wajib diisi.");
	if (act->kind == PA_CREDIT && (act->from <= 0 || act->to <= act->from || act->to > now))
		PR_ERR("from", "Jendela waktu padam tidak valid: \"from\" harus sebelum \"to\", dan "
			       "\"to\" tidak boleh di masa depan.");
	if (act->kind == PA_START && !st->start_together)
		PR_ERR("action", "Sesi ini tidak memakai mulai bersama.");
	if (act->kind == PA_START && st->started_at)
		PR_ERR("action", "Sesi ini sudah dimulai.");
	if (act->kind >= PA_START && (act->all || json_array_size(act->regnos)))
		PR_ERR("candidates", "Tindakan ini berlaku untuk seluruh sesi; jangan memilih peserta.");
	if (act->kind < PA_START && !act->all && !json_array_size(act->regnos) &&
	    act->kind != PA_CREDIT)
		PR_ERR("candidates", "Pilih peserta, atau \"all\" untuk seluruh sesi.");
#undef PR_ERR
}

int proctor_act(struct proctor *pr, struct rt_sitting *st, const struct proctor_action *act,
		struct actor who, const char *by, int64_t now, json_t *errs, proctor_done_fn done,
		void *arg)
{
	struct pr_sitting *ls = st->live;
	struct rt_candidate **pick = xmalloc(((size_t)ls->n_cands + 1) * sizeof *pick);
	struct pr_act_ctx *ax;
	struct proctor_op *o;
	int n = 0;

	assert(act->kind < PA_MAX);
	if (st->closed_at) {
		free(pick);
		done(arg, 409, "sitting_closed", NULL);
		return 0;
	}
	pr_act_check(st, act, now, errs);
	if (act->kind < PA_START) {
		if (act->all)
			for (n = 0; n < ls->n_cands; n++)
				pick[n] = ls->cands[n];
		else if (json_array_size(act->regnos))
			n = pr_act_pick(ls, act, pick, errs);
		else if (act->kind == PA_CREDIT && act->to > act->from)
			n = pr_act_offline(ls, act, pick);
	}
	if (json_array_size(errs)) {
		free(pick);
		return -1;
	}
	ax = xcalloc(1, sizeof *ax);
	ax->pr = pr;
	ax->st = st;
	ax->kind = act->kind;
	ax->done = done;
	ax->arg = arg;
	ax->reply = json_pack("{s:[],s:[]}", "done", "skipped");
	if (act->kind == PA_PASSWORD)
		json_object_set_new(ax->reply, "passwords", json_array());
	if (act->kind >= PA_START) {
		pr_act_sitting(ax, act, who, now);
		free(pick);
		return 0;
	}
	if (act->kind == PA_MESSAGE && act->all) {
		/* One broadcast to the sitting, not one per candidate. */
		pr_message(pr, st, NULL, act, who, now);
		for (int k = 0; k < n; k++)
			pr_act_did(ax, pick[k]);
	} else {
		for (int k = 0; k < n; k++)
			pr_act_one(ax, pick[k], act, who, now);
	}
	o = pop_new(pr, POP_EVENT, who, now);
	o->st = st;
	o->event = "proctor_action";
	o->detail = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:O,s:O}", "sitting", (json_int_t)st->id,
			      "exam", st->exam->def.code, "action", proctor_action_names[act->kind],
			      "reason", act->reason, "by", by, "all", act->all, "candidates",
			      json_object_get(ax->reply, "done"), "skipped",
			      json_object_get(ax->reply, "skipped"));
	if (act->kind == PA_EXTEND)
		json_object_set_new(o->detail, "minutes", json_integer(act->minutes));
	if (act->kind == PA_MESSAGE)
		json_object_set_new(o->detail, "text", json_string(act->text));
	if (act->kind == PA_CREDIT) {
		json_object_set_new(o->detail, "from", clock_json(act->from));
		json_object_set_new(o->detail, "to", clock_json(act->to));
	}
	pop_submit(pr, o, pr_act_recorded, ax);
	free(pick);
	return 0;
}
