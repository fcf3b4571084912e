/* errlist.h - every validation error of one input, collected, capped.
 *
 * Importers (bank, exam, candidate CSV) check a whole file and report all of
 * its errors at once, not only the first; nothing is applied when the list is
 * not empty. Each entry names where the problem is: the line (CSV files; 0
 * when unknown, as for JSON values), the item (e.g. item "TIU-03" (items[2]);
 * may be empty), the field (may be empty) and what is wrong. At most max
 * entries are kept (UJ_ERRORS_MAX by default); later ones are only counted, so
 * a file of 200,000 bad lines costs no more memory than one of 50. The CLI
 * prints the list one error a line followed by "... and N more errors"; the
 * web returns errlist_to_json().
 *
 * Messages are written in English. A list set to ERRLIST_ID (the staff web)
 * keeps them in Bahasa Indonesia instead: errlist_add looks its format up in
 * core/errtext_id.h and, for a message passed whole ("%s"), translates the
 * text; what has no translation stays English. */
#ifndef UJIAN_ERRLIST_H
#define UJIAN_ERRLIST_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct errlist_entry {
	int line;      /* 1-based line of a text file, 0 when not known */
	char *item;    /* "" when none */
	char *field;   /* "" when none */
	char *message; /* what is wrong */
};

enum errlist_lang {
	ERRLIST_EN = 0, /* the default: the CLI, the logs */
	ERRLIST_ID,     /* Bahasa Indonesia: the staff web */
};

struct errlist {
	struct errlist_entry *v;
	size_t n;     /* entries kept (<= max) */
	size_t total; /* errors added, kept or not */
	size_t max;
	enum errlist_lang lang;
};

/* An empty list keeping at most max entries (0: UJ_ERRORS_MAX), in English. */
void errlist_init(struct errlist *l, size_t max);
/* The language of the messages added from now on. */
void errlist_set_lang(struct errlist *l, enum errlist_lang lang);
void errlist_free(struct errlist *l);
/* Add one error; item and field may be NULL. */
void errlist_add(struct errlist *l, int line, const char *item, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with a va_list (for wrappers such as jc_fail). */
void errlist_addv(struct errlist *l, int line, const char *item, const char *field,
		  const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Errors added beyond the cap. */
size_t errlist_more(const struct errlist *l);
/* One entry as text: "line 5 field \"name\": must not be empty",
 * "item \"X\" (items[2]) field \"topic\": ...", or just the message. */
char *errlist_format(const struct errlist_entry *e, char *buf, size_t n);
/* Print every kept entry as "<prefix>: <entry>" lines, then
 * "<prefix>: ... and N more errors" when some were dropped. */
void errlist_print(const struct errlist *l, FILE *out, const char *prefix);
/* The kept entries as [{"line": N|null, "item": s|null, "field": s|null,
 * "message": s}] (new reference). errlist_more() says how many were left out. */
json_t *errlist_to_json(const struct errlist *l);
/* The first entry as text into buf ("" when empty); for callers that
 * report one line. */
void errlist_first(const struct errlist *l, char *buf, size_t n);

#endif
