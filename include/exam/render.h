/* render.h - what a candidate is shown of an attempt: the paper, the clock,
 * the result. Nothing built here contains answer keys, option points or bank
 * item ids (docs/API.md). */
#ifndef UJIAN_RENDER_H
#define UJIAN_RENDER_H

#include "bounds.h"
#include "exam/registry.h"

#include <event2/buffer.h>
#include <jansson.h>

/* Where image URLs start; the capability tag, the question and the slot
 * follow. */
#define RENDER_IMAGE_PREFIX "/api/v1/attempt/images/"

/* An RFC 3339 time string. */
json_t *render_time(int64_t ms);
/* The Paper document of c at now into out; tag is c's image capability
 * (UJ_IMAGE_TAG_LEN hex digits). */
void render_paper(const struct rt_candidate *c, const char *tag, int64_t now, struct evbuffer *out);
/* {"status","started_at","deadline","remaining_ms","server_time"} of a
 * started attempt. */
json_t *render_clock(const struct rt_candidate *c, int64_t now);
/* The result of a finished attempt (sections and totals only when the exam
 * shows scores). */
json_t *render_result(const struct rt_candidate *c);
/* The attempt document of a candidate whose attempt is not running: not
 * started (the time it will have) or finished (with the result). */
json_t *render_attempt_idle(const struct rt_candidate *c, int64_t now);
/* The reply to an answer: the stored answer and the clock, as text into
 * out. label -1 = none. */
void render_answer(const struct rt_candidate *c, int n, int label, int flagged, uint32_t rev,
		   int64_t now, struct evbuffer *out);
/* The image of c's question n in slot ("q1".."q4", or an option label
 * "A".."F" in the candidate's order), or NULL. */
const struct rt_asset *render_image(const struct rt_candidate *c, int n, const char *slot);

#endif
