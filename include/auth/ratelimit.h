/* ratelimit.h - counting failures per key in a sliding window.
 *
 * Used for failed logins per registration number and per client address.
 * Each key keeps the times of its last limit+1 failures; a key is blocked
 * while more than `limit` failures fall inside the window. Memory is bounded:
 * at most max_keys keys. When the table is full, expired keys are swept; if
 * none has expired, the key with the fewest failures in the window goes, so
 * flooding the table with fresh keys cannot free a blocked key while an
 * unblocked one remains. */
#ifndef UJIAN_RATELIMIT_H
#define UJIAN_RATELIMIT_H

#include "core/hmap.h"

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
/* How long key stays blocked from now (ms); 0 if it is not blocked. */
int64_t ratelimit_wait_ms(struct ratelimit *rl, const char *key, size_t klen, int64_t now);
/* Forget key's failures (a proctor unlocking a candidate). */
void ratelimit_clear(struct ratelimit *rl, const char *key, size_t klen);

#endif
