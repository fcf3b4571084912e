/* errtext.h - the shape of an API error code and its standard message.
 *
 * Each domain owns a table of its error codes (exam/attempt.h, auth/session.h,
 * http/reply.h ...); the HTTP layer looks a code up in the tables registered
 * at start-up. Messages are what a candidate or staff member reads: Bahasa
 * Indonesia. */
#ifndef UJIAN_ERRTEXT_H
#define UJIAN_ERRTEXT_H

#include <stddef.h>

struct errtext {
	const char *code;    /* "attempt_closed" */
	const char *message; /* Indonesian sentence */
};

struct errtext_table {
	const struct errtext *rows;
	size_t n;
};

#define ERRTEXT_TABLE(rows) { (rows), sizeof(rows) / sizeof *(rows) }

#endif
