/* errlist.c - a capped list of validation errors. */
#include "core/errlist.h"
#include "bounds.h"
#include "core/errtext_id.h"
#include "core/mem.h"
#include "core/text.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void errlist_init(struct errlist *l, size_t max)
{
	memset(l, 0, sizeof *l);
	l->max = max ? max : UJ_ERRORS_MAX;
	l->lang = ERRLIST_EN;
}

void errlist_set_lang(struct errlist *l, enum errlist_lang lang)
{
	assert(lang == ERRLIST_EN || lang == ERRLIST_ID);
	l->lang = lang;
}

/* The message of fmt and ap in the list's language into msg: the Indonesian
 * twin of fmt when there is one (same conversions, same order); else the
 * English text, translated whole when fmt only passes a message on ("%s"). */
static void errlist_message(const struct errlist *l, char *msg, size_t n, const char *fmt,
			    va_list ap)
{
	const char *id = l->lang == ERRLIST_ID ? errtext_id_lookup(fmt) : NULL;
	char *copy;
	vsnprintf(msg, n, id ? id : fmt, ap);
	if (l->lang != ERRLIST_ID || id || strcmp(fmt, "%s") != 0)
		return;
	copy = xstrdup(msg);
	errtext_id_text(copy, msg, n);
	free(copy);
}

void errlist_free(struct errlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].item);
		free(l->v[i].field);
		free(l->v[i].message);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->total = 0;
}

void errlist_add(struct errlist *l, int line, const char *item, const char *field,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errlist_addv(l, line, item, field, fmt, ap);
	va_end(ap);
}

void errlist_addv(struct errlist *l, int line, const char *item, const char *field,
		  const char *fmt, va_list ap)
{
	struct errlist_entry *e;
	char msg[1024], where[256];

	assert(l->max > 0);
	l->total++;
	if (l->n >= l->max)
		return;
	errlist_message(l, msg, sizeof msg, fmt, ap);
	/* The item names a place in the file ("item \"X\" (items[2])"). */
	if (l->lang == ERRLIST_ID && item && item[0] &&
	    errtext_id_text(item, where, sizeof where) == 0)
		item = where;
	if (l->n == 0)
		l->v = xcalloc(l->max, sizeof *l->v);
	e = &l->v[l->n++];
	e->line = line;
	e->item = xstrdup(item ? item : "");
	e->field = xstrdup(field ? field : "");
	e->message = xstrdup(msg);
	/* Text cut short by a buffer (or echoing bad input) stays valid UTF-8,
	 * so the list can always become JSON. */
	text_utf8_scrub(e->item);
	text_utf8_scrub(e->field);
	text_utf8_scrub(e->message);
}

size_t errlist_more(const struct errlist *l)
{
	return l->total - l->n;
}

char *errlist_format(const struct errlist_entry *e, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	if (e->line > 0)
		k += (size_t)snprintf(buf + k, n - k, "line %d", e->line);
	if (e->item[0] && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? " " : "", e->item);
	if (e->field[0] && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%sfield \"%s\"", k ? " " : "", e->field);
	if (k < n)
		snprintf(buf + k, n - k, "%s%s", k ? ": " : "", e->message);
	return buf;
}

void errlist_print(const struct errlist *l, FILE *out, const char *prefix)
{
	char buf[2048];
	for (size_t i = 0; i < l->n; i++)
		fprintf(out, "%s: %s\n", prefix, errlist_format(&l->v[i], buf, sizeof buf));
	if (errlist_more(l))
		fprintf(out, "%s: ... and %zu more error%s\n", prefix, errlist_more(l),
			errlist_more(l) == 1 ? "" : "s");
}

json_t *errlist_to_json(const struct errlist *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct errlist_entry *e = &l->v[i];
		json_array_append_new(
			arr, json_pack("{s:o,s:o,s:o,s:s}", "line",
				       e->line > 0 ? json_integer(e->line) : json_null(), "item",
				       e->item[0] ? json_string(e->item) : json_null(), "field",
				       e->field[0] ? json_string(e->field) : json_null(), "message",
				       e->message));
	}
	return arr;
}

void errlist_first(const struct errlist *l, char *buf, size_t n)
{
	if (l->n == 0)
		buf[0] = '\0';
	else
		errlist_format(&l->v[0], buf, n);
}
