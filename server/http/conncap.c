/* conncap.c - the per-address connection count (include/http/conncap.h). */
#include "http/conncap.h"
#include "core/hmap.h"
#include "core/mem.h"

#include <arpa/inet.h>
#include <assert.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conncap_entry {
	struct conncap_key key; /* the map's key points into here */
	unsigned n;
};

struct conncap {
	struct hmap map; /* key bytes -> struct conncap_entry */
	unsigned per_addr_max;
	size_t addrs_max;
	size_t total;
};

struct conncap *conncap_new(unsigned per_addr_max, size_t addrs_max)
{
	struct conncap *c = xcalloc(1, sizeof *c);
	assert(addrs_max >= 1);
	hmap_init(&c->map);
	c->per_addr_max = per_addr_max;
	c->addrs_max = addrs_max;
	return c;
}

void conncap_free(struct conncap *c)
{
	size_t it = 0;
	struct conncap_entry *e;
	if (!c)
		return;
	while ((e = hmap_next(&c->map, &it)))
		free(e);
	hmap_free(&c->map);
	free(c);
}

int conncap_key_of(const struct sockaddr *sa, socklen_t len, struct conncap_key *k)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	memset(k, 0, sizeof *k);
	if (sa && sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		k->len = 4;
		memcpy(k->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		if (memcmp(a, mapped, sizeof mapped) == 0) {
			k->len = 4;
			memcpy(k->b, a + 12, 4);
		} else {
			k->len = 8;
			memcpy(k->b, a, 8);
		}
		return 0;
	}
	return -1;
}

void conncap_key_text(const struct conncap_key *k, char *out, size_t outlen)
{
	if (k->len == 4) {
		inet_ntop(AF_INET, k->b, out, (socklen_t)outlen);
		return;
	}
	snprintf(out, outlen, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", k->b[0], k->b[1],
		 k->b[2], k->b[3], k->b[4], k->b[5], k->b[6], k->b[7]);
}

enum conncap_verdict conncap_acquire(struct conncap *c, const struct conncap_key *k)
{
	struct conncap_entry *e = hmap_get(&c->map, k->b, k->len);
	assert(k->len == 4 || k->len == 8);
	if (e) {
		if (c->per_addr_max && e->n >= c->per_addr_max)
			return CONNCAP_PER_ADDR;
		e->n++;
		c->total++;
		return CONNCAP_OK;
	}
	if (c->map.len >= c->addrs_max)
		return CONNCAP_TABLE_FULL;
	e = xcalloc(1, sizeof *e);
	e->key = *k;
	e->n = 1;
	hmap_put(&c->map, e->key.b, e->key.len, e);
	c->total++;
	return CONNCAP_OK;
}

void conncap_release(struct conncap *c, const struct conncap_key *k)
{
	struct conncap_entry *e = hmap_get(&c->map, k->b, k->len);
	assert(e && e->n > 0);
	if (!e)
		return;
	c->total--;
	if (--e->n == 0) {
		hmap_del(&c->map, e->key.b, e->key.len);
		free(e);
	}
}

unsigned conncap_count(const struct conncap *c, const struct conncap_key *k)
{
	const struct conncap_entry *e = hmap_get(&c->map, k->b, k->len);
	return e ? e->n : 0;
}

size_t conncap_addresses(const struct conncap *c)
{
	return c->map.len;
}

size_t conncap_total(const struct conncap *c)
{
	return c->total;
}
