/* jcheck.h - field-by-field validation of parsed JSON with precise messages.
 *
 * A checker carries a "where" prefix (for example: item "TIU-031" (items[90]))
 * and writes messages of the form
 *   <where> field "<field>": <what is wrong>
 * into the caller's buffer. Every function returns 0 when the field is fine
 * and -1 after reporting the problem.
 *
 * A checker reports to its buffer only the first problem, so a validator can
 * go on after a failure and look at the rest of the document; when errs is
 * set (jc_collect), every problem is also added to that list with the where
 * prefix as its item, so a whole file's errors are reported at once. */
#ifndef UJIAN_JCHECK_H
#define UJIAN_JCHECK_H

#include "core/errlist.h"

#include <jansson.h>
#include <stddef.h>

struct jcheck {
	char *err; /* the first problem; may be NULL */
	size_t errlen;
	char where[192];
	struct errlist *errs; /* every problem; may be NULL */
	int nfail;            /* problems reported so far */
};

void jc_init(struct jcheck *jc, char *err, size_t errlen);
/* Also add every problem to errs (which the caller owns). */
void jc_collect(struct jcheck *jc, struct errlist *errs);
void jc_where(struct jcheck *jc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report a problem of field (NULL: of the "where" object itself). Returns -1. */
int jc_fail(struct jcheck *jc, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The first key of obj not in the NULL-terminated allowed list, or NULL. */
const char *jc_unknown_key(json_t *obj, const char *const *allowed);
/* Reject keys of obj not in the NULL-terminated allowed list. */
int jc_only_keys(struct jcheck *jc, json_t *obj, const char *const *allowed);
/* String field. required: missing is an error; else *out = NULL when absent.
 * Checks UTF-8 length 1..maxbytes bytes and, unless multiline, no control
 * characters (multiline allows line breaks and tabs). */
int jc_string(struct jcheck *jc, json_t *obj, const char *key, int required, size_t maxbytes,
	      int multiline, const char **out);
/* Integer field in [min, max]; when absent and not required, *out = def. */
int jc_int(struct jcheck *jc, json_t *obj, const char *key, int required, long long min,
	   long long max, long long def, long long *out);
/* Boolean field; when absent, *out = def. */
int jc_bool(struct jcheck *jc, json_t *obj, const char *key, int def, int *out);
/* Array field with count in [min, max]; when absent and not required, *out = NULL. */
int jc_array(struct jcheck *jc, json_t *obj, const char *key, int required, size_t min,
	     size_t max, json_t **out);
/* Object field; when absent and not required, *out = NULL. */
int jc_object(struct jcheck *jc, json_t *obj, const char *key, int required, json_t **out);

/* Parse a JSON text (duplicate keys rejected; a leading UTF-8 byte-order
 * mark is skipped). On failure writes "line L column C: message" and
 * returns NULL. */
json_t *jc_parse(const char *text, size_t len, char *err, size_t errlen);
/* Read and parse a JSON file of at most maxbytes. On failure writes
 * "<path>: ..." and returns NULL. */
json_t *jc_load_file(const char *path, size_t maxbytes, char *err, size_t errlen);

#endif
