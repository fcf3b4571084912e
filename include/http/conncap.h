/* conncap.h - the per-address connection count: how many connections each
 * client address holds, with a cap per address and a cap on how many
 * addresses are tracked at all.
 *
 * Knows no libevent: http/connguard.c feeds it accepted and closed
 * connections. An address is an IPv4 address (IPv4-mapped IPv6 counts as
 * IPv4) or an IPv6 /64 prefix (one subscriber's network: counting single
 * IPv6 addresses would let one attacker use 2^64 of them). An entry lives
 * while its address holds a connection, so the table never holds more
 * entries than open connections, and never more than addrs_max. Not
 * thread-safe: one owner (the event loop of one HTTP front). */
#ifndef UJIAN_CONNCAP_H
#define UJIAN_CONNCAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct conncap;

/* A client address as counted: 4 bytes (IPv4) or 8 (an IPv6 /64). */
struct conncap_key {
	uint8_t len;
	uint8_t b[8];
};

enum conncap_verdict {
	CONNCAP_OK,         /* counted: release it when the connection closes */
	CONNCAP_PER_ADDR,   /* refused: the address holds per_addr_max already */
	CONNCAP_TABLE_FULL, /* refused: addrs_max other addresses are tracked */
	CONNCAP_VERDICT_MAX
};

/* A table allowing per_addr_max connections per address (0: no cap, only
 * counted) and tracking at most addrs_max addresses (>= 1). */
struct conncap *conncap_new(unsigned per_addr_max, size_t addrs_max);
void conncap_free(struct conncap *c);

/* The key of sa (AF_INET or AF_INET6). Returns 0, or -1 for any other
 * family (such a connection is not counted). */
int conncap_key_of(const struct sockaddr *sa, socklen_t len, struct conncap_key *k);
/* "a.b.c.d" or "xxxx:xxxx:xxxx:xxxx::/64" into out (at least 48 bytes). */
void conncap_key_text(const struct conncap_key *k, char *out, size_t outlen);

/* Count one more connection of k, or refuse it (nothing counted). */
enum conncap_verdict conncap_acquire(struct conncap *c, const struct conncap_key *k);
/* One connection of k (acquired before) closed. */
void conncap_release(struct conncap *c, const struct conncap_key *k);

/* Connections k holds now; addresses tracked; connections counted. */
unsigned conncap_count(const struct conncap *c, const struct conncap_key *k);
size_t conncap_addresses(const struct conncap *c);
size_t conncap_total(const struct conncap *c);

#endif
