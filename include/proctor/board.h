/* board.h - the public live scoreboard of an exam (issue 10): who has
 * finished, newest first, with masked names, partly masked registration
 * numbers, section scores, total and whether every threshold was met.
 *
 * On only for exams whose definition says "scoreboard": true. One view per
 * exam, and per sitting when asked (?sitting=CODE); each view caches its
 * encoded snapshot until the next finish of a candidate of its exam, and
 * has an SSE topic (created on the first subscriber) on which every finish
 * is published once as a "row" event. Rows are built from the registry, so
 * candidates who finished before a restart are on the board too.
 * Loop thread only. */
#ifndef UJIAN_PROCTOR_BOARD_H
#define UJIAN_PROCTOR_BOARD_H

#include "core/errtext.h"
#include "exam/attempt.h"
#include "http/sse.h"

#include <stddef.h>

struct board;

/* Error codes of the board (no_such_board) and their messages. */
extern const struct errtext_table board_errors;

/* A board over the exams of x, publishing on hub. */
struct board *board_new(struct sse_hub *hub, struct exam_rt *x);
/* Free every view and its topic (ending its streams). NULL is fine. */
void board_free(struct board *b);

/* c has finished (the exam observer's EXC_FINISH): drop the cached
 * snapshots of c's exam and publish c's row to the exam's stream and to
 * the stream of c's sitting. Nothing if the exam has no scoreboard. */
void board_finished(struct board *b, struct rt_candidate *c);

/* The snapshot of exam's board (sitting NULL or "": every candidate; else
 * only those of that sitting) as JSON: *json (len bytes, owned by the board,
 * valid until the next board call) and its ETag (a quoted string, owned by
 * the board). Returns 0, or -1 if there is no such board (no such exam, its
 * scoreboard off, or no such sitting). */
int board_snapshot(struct board *b, const char *exam, const char *sitting, const char **json,
		   size_t *len, const char **etag);

/* Answer req with the live stream of that board (see sse_subscribe).
 * Returns 0; -1 if there is no such board; -2 if the hub is full (req is
 * then untouched: the caller replies). */
int board_subscribe(struct board *b, const char *exam, const char *sitting,
		    struct evhttp_request *req);

/* The masked forms shown on the board, into out (n bytes): each word of a
 * name as its first three characters in capitals and "***"; a registration
 * number with its first and last four characters kept (at most 9
 * characters: only the last two), the rest as '*'. */
void board_mask_name(const char *name, char *out, size_t n);
void board_mask_regno(const char *regno, char *out, size_t n);

#endif
