/* ratelimit.h - counting failures per key in a sliding window.
 *
 * Used for failed logins per registration number and per client address.
 * Each key keeps the times of its last limit+1 failures; a key is blocked
 * while more than `limit` failures fall inside the window. Memory is bounded:
 * at most max_keys keys, expired keys are swept when the table is full. */
#ifndef UJIAN_RATELIMIT_H
#define UJIAN_RATELIMIT_H

#include "hmap.h"

#include <stddef.h>
#include <stdint.h>

struct ratelimit {
	struct hmap map;
	int limit;
	int64_t window_ms;
	size_t max_keys;
};

void ratelimit_init(struct ratelimit *rl, int limit, int64_t window_ms, size_t max_keys);
void ratelimit_free(struct ratelimit *rl);
/* 1 if key has more than limit failures within the window ending at now. */
int ratelimit_blocked(struct ratelimit *rl, const char *key, size_t klen, int64_t now);
/* Record a failure for key at now. */
void ratelimit_fail(struct ratelimit *rl, const char *key, size_t klen, int64_t now);

#endif
