/* errtext_id.h - Bahasa Indonesia for the importers' validation messages.
 *
 * The bank, exam and candidate CSV checks write their messages in English
 * (the CLI and the docs are English). The staff web shows the same messages
 * in Bahasa Indonesia: an errlist set to ERRLIST_ID (core/errlist.h) looks
 * each English format up here and formats with its Indonesian twin, which
 * has the same conversions in the same order (tests/unit/core/
 * test_errtext_id.c checks that, and that every format the importers use has
 * a row). A message with no row stays English. */
#ifndef UJIAN_ERRTEXT_ID_H
#define UJIAN_ERRTEXT_ID_H

#include <stddef.h>

struct errtext_id_pair {
	const char *en; /* printf format as written in the source */
	const char *id; /* the same conversions, in Bahasa Indonesia */
};

/* The table (for tests); *n receives its length. */
const struct errtext_id_pair *errtext_id_table(size_t *n);
/* The Indonesian format for the English format fmt (exact text), or NULL. */
const char *errtext_id_lookup(const char *fmt);
/* Translate an already formatted English message: the row whose English
 * format matches text (the one with the most literal characters when several
 * do) gives the Indonesian text, each conversion replaced by the text it
 * matched; a %s part is itself translated when it is a known message (one
 * level deep, as in "image %s"). Writes into out (always terminated) and
 * returns 0, or returns -1 (out untouched) when no row matches. */
int errtext_id_text(const char *text, char *out, size_t n);

#endif
