/* chain.h - the hash chain of the event log: the canonical encoding of one
 * entry and its SHA-256.
 *
 * Every row of events stores prev (the hash of the entry before it, 32 zero
 * bytes for the first) and hash = SHA-256 of
 *
 *     "ujian.events.v1\0"  prev (32 bytes)  then, for each chained column in
 *     the order of CHAIN_COLUMNS, one tag byte and its value:
 *       'N' NULL         (nothing follows)
 *       'I' integer      8 bytes, big-endian two's complement
 *       'R' real         8 bytes, big-endian IEEE 754 bits
 *       'T' text         8-byte big-endian length, then the UTF-8 bytes
 *       'B' blob         8-byte big-endian length, then the bytes
 *
 * The number of fields is fixed and each field says where it ends, so no two
 * different entries encode to the same bytes (field boundaries cannot shift).
 * The tag is the value's SQLite storage class, so a value that changes type
 * (the integer 5 rewritten as the text "5") changes the hash.
 *
 * Written by store/event.c (event_append, inside the writer's transaction),
 * by the schema migration that chains older events (chain_seal_all), and read
 * back by report/audit.c to verify. Reentrant: no state of its own. */
#ifndef UJIAN_CHAIN_H
#define UJIAN_CHAIN_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define CHAIN_HASH_LEN 32
#define CHAIN_FIELDS 11
/* The chained columns of events, in the canonical order (SQL text to select
 * them as CHAIN_FIELDS consecutive result columns). */
#define CHAIN_COLUMNS \
	"id, at, actor_kind, actor_id, candidate_id, kind, n, label, flagged, rev, detail"

enum chain_type { CHAIN_NULL, CHAIN_INT, CHAIN_REAL, CHAIN_TEXT, CHAIN_BLOB };

/* One value of an entry. p (TEXT, BLOB) is borrowed. */
struct chain_field {
	enum chain_type type;
	int64_t i;
	double r;
	const void *p;
	size_t len;
};

/* The hash of the first entry's predecessor: 32 zero bytes. */
extern const uint8_t chain_zero[CHAIN_HASH_LEN];

static inline struct chain_field chain_null(void)
{
	struct chain_field f = { CHAIN_NULL, 0, 0, NULL, 0 };
	return f;
}

static inline struct chain_field chain_int(int64_t v)
{
	struct chain_field f = { CHAIN_INT, v, 0, NULL, 0 };
	return f;
}

/* Text s[0..len) (borrowed). */
static inline struct chain_field chain_text(const char *s, size_t len)
{
	struct chain_field f = { CHAIN_TEXT, 0, 0, s, len };
	return f;
}

/* hash = SHA-256 of the encoding above of prev and f[0..CHAIN_FIELDS). */
void chain_hash(const uint8_t prev[CHAIN_HASH_LEN], const struct chain_field f[CHAIN_FIELDS],
		uint8_t hash[CHAIN_HASH_LEN]);
/* Fill f from result columns col .. col+CHAIN_FIELDS-1 of the current row of
 * st (a SELECT of CHAIN_COLUMNS); the fields borrow st's memory until its next
 * step or reset. */
void chain_fields_of_row(sqlite3_stmt *st, int col, struct chain_field f[CHAIN_FIELDS]);
/* Lowercase hex of h into out (2*CHAIN_HASH_LEN+1 bytes). Returns out. */
char *chain_hex(const uint8_t h[CHAIN_HASH_LEN], char *out);
/* Parse 64 hex digits (either case) into h: 0, or -1. */
int chain_unhex(const char *s, uint8_t h[CHAIN_HASH_LEN]);
/* Chain every entry of events from the start, in id order, overwriting prev
 * and hash. Only for the schema migration that adds the chain (the entries
 * written before it existed): inside the caller's write transaction. Returns
 * 0, or -1 with err. */
int chain_seal_all(sqlite3 *db, char *err, size_t errlen);

#endif
