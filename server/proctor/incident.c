/* incident.c - incidents: what a candidate's client reports (the page
 * hidden, fullscreen left, copy and paste, a reconnect) and what the server
 * notices itself (a second device, an implausible pace). Each is an event in
 * the audit log with server time, then counted on the candidate and pushed
 * to the sitting's dashboards. Nothing invasive is collected. */
#include "proctor/live.h"
#include "core/clock.h"
#include "core/mem.h"

#include <stdio.h>
#include <string.h>

/* The types a client may report; the server adds second_device and speed. */
static const char *const incident_client_types[] = { "page_hidden", "window_blur",
						     "fullscreen_exit", "copy",
						     "paste",	    "cut",
						     "context_menu", "reconnect" };
#define INCIDENT_TYPES (sizeof incident_client_types / sizeof *incident_client_types)

struct pr_incident_ctx {
	char type[24];
	char by[8];
	int64_t ms;
};

/* Durable: count it and tell the dashboards. */
static void pr_incident_done(struct proctor_op *o)
{
	struct pr_incident_ctx *ic = o->arg;
	struct rt_candidate *c = o->c;
	if (!o->op.failed) {
		c->incidents++;
		if (c->sitting && c->sitting->live) {
			json_t *ev = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:s}", "id",
					       (json_int_t)o->out_id, "cand", (json_int_t)c->id,
					       "regno", c->regno, "name", c->name, "type", ic->type,
					       "at", clock_json(o->op.at), "ms",
					       ic->ms >= 0 ? json_integer(ic->ms) : json_null(), "by",
					       ic->by);
			pr_publish(c->sitting, "incident", ev);
			json_decref(ev);
		}
		pr_touch(o->pr, c);
		attempt_notify(o->pr->x, c, EXC_INCIDENT);
	}
	free(ic);
}

void pr_incident(struct proctor *pr, struct rt_candidate *c, const char *type, int64_t ms,
		 const char *by, json_t *extra, int64_t now)
{
	struct proctor_op *o;
	struct pr_incident_ctx *ic;
	struct actor who = strcmp(by, "server") == 0 ? actor_system() : actor_candidate(c->id);

	if (c->incidents >= UJ_INCIDENTS_PER_CAND) {
		/* Past the cap only the count grows (a client in a loop must not
		 * fill the log). */
		c->incidents++;
		pr_touch(pr, c);
		json_decref(extra);
		return;
	}
	o = pop_new(pr, POP_EVENT, who, now);
	ic = xcalloc(1, sizeof *ic);
	snprintf(ic->type, sizeof ic->type, "%s", type);
	snprintf(ic->by, sizeof ic->by, "%s", by);
	ic->ms = ms;
	o->c = c;
	o->cand_id = c->id;
	o->event = "incident";
	o->detail = extra ? extra : json_object();
	json_object_set_new(o->detail, "type", json_string(type));
	json_object_set_new(o->detail, "by", json_string(by));
	if (ms >= 0)
		json_object_set_new(o->detail, "ms", json_integer(ms));
	if (c->sitting)
		json_object_set_new(o->detail, "sitting", json_integer(c->sitting->id));
	pop_submit(pr, o, pr_incident_done, ic);
}

int proctor_incidents_check(json_t *items, char *err, size_t errlen)
{
	size_t i, n;
	json_t *it;
	if (!json_is_array(items) || json_array_size(items) == 0) {
		snprintf(err, errlen, "Isian \"incidents\" wajib berupa daftar yang tidak kosong.");
		return -1;
	}
	n = json_array_size(items);
	if (n > UJ_INCIDENTS_BATCH_MAX) {
		snprintf(err, errlen, "Paling banyak %d kejadian dalam satu laporan (ada %zu).",
			 UJ_INCIDENTS_BATCH_MAX, n);
		return -1;
	}
	json_array_foreach(items, i, it)
	{
		const char *key, *type;
		json_t *v;
		int known = 0;
		if (!json_is_object(it)) {
			snprintf(err, errlen, "Kejadian ke-%zu: harus berupa objek.", i + 1);
			return -1;
		}
		json_object_foreach(it, key, v) {
			if (strcmp(key, "type") && strcmp(key, "ms") && strcmp(key, "at_client")) {
				snprintf(err, errlen, "Kejadian ke-%zu: isian \"%.40s\" tidak dikenal.",
					 i + 1, key);
				return -1;
			}
		}
		type = json_string_value(json_object_get(it, "type"));
		for (size_t k = 0; type && k < INCIDENT_TYPES; k++)
			known |= strcmp(type, incident_client_types[k]) == 0;
		if (!known) {
			snprintf(err, errlen, "Kejadian ke-%zu: jenis \"type\" tidak dikenal.", i + 1);
			return -1;
		}
		v = json_object_get(it, "ms");
		if (v && !json_is_null(v) &&
		    (!json_is_integer(v) || json_integer_value(v) < 0 ||
		     json_integer_value(v) > (json_int_t)UJ_DURATION_MAX_S * 1000)) {
			snprintf(err, errlen,
				 "Kejadian ke-%zu: \"ms\" harus bilangan bulat 0 sampai %d.", i + 1,
				 UJ_DURATION_MAX_S * 1000);
			return -1;
		}
		v = json_object_get(it, "at_client");
		if (v && !json_is_null(v) && !json_is_integer(v)) {
			snprintf(err, errlen, "Kejadian ke-%zu: \"at_client\" harus bilangan bulat.",
				 i + 1);
			return -1;
		}
	}
	return 0;
}

int proctor_incidents(struct proctor *pr, struct rt_candidate *c, json_t *items, int64_t now)
{
	size_t i;
	json_t *it;
	int n = 0;
	json_array_foreach(items, i, it)
	{
		const char *type = json_string_value(json_object_get(it, "type"));
		json_t *ms = json_object_get(it, "ms"), *at = json_object_get(it, "at_client");
		json_t *extra = json_object();
		/* the type is one of the static names: keep the table's pointer */
		for (size_t k = 0; k < INCIDENT_TYPES; k++)
			if (strcmp(type, incident_client_types[k]) == 0)
				type = incident_client_types[k];
		if (json_is_integer(at))
			json_object_set_new(extra, "at_client", json_integer(json_integer_value(at)));
		pr_incident(pr, c, type, json_is_integer(ms) ? json_integer_value(ms) : -1, "client",
			    extra, now);
		n++;
	}
	return n;
}
