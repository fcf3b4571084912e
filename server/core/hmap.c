/* hmap.c - linear-probing hash map with backward-shift deletion. */
#include "core/hmap.h"
#include "core/mem.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hmap_k0 = 0x736f6d6570736575ULL, hmap_k1 = 0x646f72616e646f6dULL;

void hmap_seed(void)
{
	uint64_t k[2];
	if (RAND_bytes((unsigned char *)k, sizeof k) != 1)
		abort();
	hmap_k0 = k[0];
	hmap_k1 = k[1];
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                          \
	do {                                                                              \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                    \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                    \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                 \
	} while (0)

/* SipHash-2-4 of key under the process key. */
uint64_t hmap_hash(const void *key, size_t klen)
{
	const unsigned char *in = key;
	uint64_t v0 = 0x736f6d6570736575ULL ^ hmap_k0, v1 = 0x646f72616e646f6dULL ^ hmap_k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ hmap_k0, v3 = 0x7465646279746573ULL ^ hmap_k1;
	uint64_t b = (uint64_t)klen << 56, m;
	size_t i, left = klen & 7, end = klen - left;

	for (i = 0; i < end; i += 8) {
		memcpy(&m, in + i, 8);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; j < left; j++)
		b |= (uint64_t)in[end + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void hmap_init(struct hmap *m)
{
	m->e = NULL;
	m->cap = 0;
	m->len = 0;
}

void hmap_free(struct hmap *m)
{
	free(m->e);
	hmap_init(m);
}

static size_t hmap_find(const struct hmap *m, const void *key, size_t klen, uint64_t h, int *found)
{
	size_t mask = m->cap - 1, i = h & mask;
	for (;;) {
		const struct hmap_entry *e = &m->e[i];
		if (!e->key) {
			*found = 0;
			return i;
		}
		if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
			*found = 1;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static void hmap_grow(struct hmap *m)
{
	struct hmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->e = xcalloc(m->cap, sizeof *m->e);
	m->len = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.e[i].key) {
			int found;
			size_t j = hmap_find(m, old.e[i].key, old.e[i].klen, old.e[i].hash, &found);
			m->e[j] = old.e[i];
			m->len++;
		}
	}
	free(old.e);
}

void *hmap_get(const struct hmap *m, const void *key, size_t klen)
{
	int found;
	if (!m->cap)
		return NULL;
	size_t i = hmap_find(m, key, klen, hmap_hash(key, klen), &found);
	return found ? m->e[i].val : NULL;
}

void *hmap_put(struct hmap *m, const void *key, size_t klen, void *val)
{
	int found;
	if ((m->len + 1) * 4 > m->cap * 3)
		hmap_grow(m);
	uint64_t h = hmap_hash(key, klen);
	size_t i = hmap_find(m, key, klen, h, &found);
	void *prev = found ? m->e[i].val : NULL;
	if (!found)
		m->len++;
	m->e[i].key = key;
	m->e[i].klen = klen;
	m->e[i].hash = h;
	m->e[i].val = val;
	return prev;
}

void *hmap_del(struct hmap *m, const void *key, size_t klen)
{
	int found;
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	size_t i = hmap_find(m, key, klen, hmap_hash(key, klen), &found);
	if (!found)
		return NULL;
	void *val = m->e[i].val;
	/* Backward-shift: move later entries of the probe run into the hole. */
	size_t hole = i, j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!m->e[j].key)
			break;
		size_t home = m->e[j].hash & mask;
		/* Entry j may move to hole if home is not cyclically in (hole, j]. */
		int between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!between) {
			m->e[hole] = m->e[j];
			hole = j;
		}
	}
	memset(&m->e[hole], 0, sizeof m->e[hole]);
	m->len--;
	return val;
}

void *hmap_next(const struct hmap *m, size_t *it)
{
	while (*it < m->cap) {
		const struct hmap_entry *e = &m->e[(*it)++];
		if (e->key)
			return e->val;
	}
	return NULL;
}

void *hmap_gets(const struct hmap *m, const char *key)
{
	return hmap_get(m, key, strlen(key));
}

void *hmap_puts(struct hmap *m, const char *key, void *val)
{
	return hmap_put(m, key, strlen(key), val);
}

void *hmap_dels(struct hmap *m, const char *key)
{
	return hmap_del(m, key, strlen(key));
}
