/* hmap.h - open-addressing hash map from byte strings to pointers.
 *
 * Keys are borrowed: the caller keeps each key's bytes alive (usually inside
 * the value) until the entry is deleted. Hashing is SipHash-2-4 with a process
 * key set by hmap_seed(), so attacker-chosen keys (registration numbers,
 * client addresses) cannot force collisions. Not thread-safe: one owner. */
#ifndef UJIAN_HMAP_H
#define UJIAN_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	const void *key;
	size_t klen;
	uint64_t hash;
	void *val;
};

struct hmap {
	struct hmap_entry *e;
	size_t cap; /* power of two, or 0 */
	size_t len;
};

/* Set the SipHash key from the CSPRNG. Call once before threads start. */
void hmap_seed(void);
uint64_t hmap_hash(const void *key, size_t klen);

void hmap_init(struct hmap *m);
/* Free the table (not keys or values). */
void hmap_free(struct hmap *m);
void *hmap_get(const struct hmap *m, const void *key, size_t klen);
/* Insert or replace. Returns the previous value or NULL. */
void *hmap_put(struct hmap *m, const void *key, size_t klen, void *val);
/* Remove. Returns the removed value or NULL. */
void *hmap_del(struct hmap *m, const void *key, size_t klen);
/* Iterate: start with *it = 0; returns the next value or NULL at the end.
 * The map must not change during iteration. */
void *hmap_next(const struct hmap *m, size_t *it);

/* Convenience for NUL-terminated keys. */
void *hmap_gets(const struct hmap *m, const char *key);
void *hmap_puts(struct hmap *m, const char *key, void *val);
void *hmap_dels(struct hmap *m, const char *key);

#endif
