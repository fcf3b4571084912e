/* ratelimit.c - sliding-window failure counters. */
#include "auth/ratelimit.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

struct rl_entry {
	char *key;
	size_t klen;
	int count; /* failures recorded, capped at limit+1 */
	int head;  /* next slot to write */
	int64_t times[];
};

void ratelimit_init(struct ratelimit *rl, int limit, int64_t window_ms, size_t max_keys)
{
	hmap_init(&rl->map);
	rl->limit = limit;
	rl->window_ms = window_ms;
	rl->max_keys = max_keys;
}

static void rl_entry_free(struct rl_entry *e)
{
	free(e->key);
	free(e);
}

void ratelimit_free(struct ratelimit *rl)
{
	size_t it = 0;
	struct rl_entry *e;
	while ((e = hmap_next(&rl->map, &it)))
		rl_entry_free(e);
	hmap_free(&rl->map);
}

/* Failures of e inside (now - window, now]. */
static int rl_recent(const struct ratelimit *rl, const struct rl_entry *e, int64_t now)
{
	int n = 0;
	for (int i = 0; i < e->count; i++)
		if (e->times[i] > now - rl->window_ms)
			n++;
	return n;
}

int ratelimit_blocked(struct ratelimit *rl, const char *key, size_t klen, int64_t now)
{
	struct rl_entry *e = hmap_get(&rl->map, key, klen);
	return e && rl_recent(rl, e, now) > rl->limit;
}

/* Latest failure recorded for e. */
static int64_t rl_latest(const struct ratelimit *rl, const struct rl_entry *e)
{
	int slots = rl->limit + 1;
	return e->times[(e->head + slots - 1) % slots];
}

/* Make room for one key. Drops every key with no failure inside the window;
 * if none has expired, drops the one key with the fewest failures inside the
 * window (the least recent among equals), so a flood of fresh keys pushes out
 * other fresh keys and never a blocked one while an unblocked one remains. */
static void rl_sweep(struct ratelimit *rl, int64_t now)
{
	size_t it = 0, n = 0;
	struct rl_entry *e, *victim = NULL, **dead = xmalloc(rl->map.len * sizeof *dead);
	int victim_recent = 0;
	while ((e = hmap_next(&rl->map, &it))) {
		int recent = rl_recent(rl, e, now);
		if (recent == 0) {
			dead[n++] = e;
		} else if (!victim || recent < victim_recent ||
			   (recent == victim_recent && rl_latest(rl, e) < rl_latest(rl, victim))) {
			victim = e;
			victim_recent = recent;
		}
	}
	if (n == 0 && victim)
		dead[n++] = victim;
	for (size_t i = 0; i < n; i++) {
		hmap_del(&rl->map, dead[i]->key, dead[i]->klen);
		rl_entry_free(dead[i]);
	}
	free(dead);
}

void ratelimit_fail(struct ratelimit *rl, const char *key, size_t klen, int64_t now)
{
	struct rl_entry *e = hmap_get(&rl->map, key, klen);
	int slots = rl->limit + 1;
	if (!e) {
		if (rl->map.len >= rl->max_keys)
			rl_sweep(rl, now);
		e = xcalloc(1, sizeof *e + (size_t)slots * sizeof(int64_t));
		e->key = xstrndup(key, klen);
		e->klen = klen;
		hmap_put(&rl->map, e->key, e->klen, e);
	}
	e->times[e->head] = now;
	e->head = (e->head + 1) % slots;
	if (e->count < slots)
		e->count++;
}

void ratelimit_clear(struct ratelimit *rl, const char *key, size_t klen)
{
	struct rl_entry *e = hmap_del(&rl->map, key, klen);
	if (e)
		rl_entry_free(e);
}

int64_t ratelimit_wait_ms(struct ratelimit *rl, const char *key, size_t klen, int64_t now)
{
	struct rl_entry *e = hmap_get(&rl->map, key, klen);
	int64_t oldest;
	if (!e || rl_recent(rl, e, now) <= rl->limit)
		return 0;
	/* Blocked while all limit+1 remembered failures are inside the window:
	 * until the oldest of them leaves it. */
	oldest = e->times[0];
	for (int i = 1; i < e->count; i++)
		if (e->times[i] < oldest)
			oldest = e->times[i];
	return oldest + rl->window_ms - now;
}
