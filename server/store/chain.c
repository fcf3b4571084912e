/* chain.c - the canonical encoding and hash of event-log entries (see
 * store/chain.h for the format). */
#include "store/chain.h"
#include "core/mem.h"
#include "store/db.h"

#include <assert.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The domain tag: a different use of SHA-256 never yields an entry's hash
 * by accident, and a later version of the encoding gets a new tag. */
static const char chain_tag[] = "ujian.events.v1"; /* sizeof includes the NUL */

#define CHAIN_STACK_BUF 1024 /* entries up to this size are encoded on the stack */

const uint8_t chain_zero[CHAIN_HASH_LEN];

static uint8_t *chain_put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		*p++ = (uint8_t)(v >> (i * 8));
	}
	return p;
}

/* Bytes field f takes in the encoding. */
static size_t chain_field_size(const struct chain_field *f)
{
	switch (f->type) {
	case CHAIN_NULL:
		return 1;
	case CHAIN_INT:
	case CHAIN_REAL:
		return 1 + 8;
	case CHAIN_TEXT:
	case CHAIN_BLOB:
		return 1 + 8 + f->len;
	}
	abort();
}

void chain_hash(const uint8_t prev[CHAIN_HASH_LEN], const struct chain_field f[CHAIN_FIELDS],
		uint8_t hash[CHAIN_HASH_LEN])
{
	uint8_t stackbuf[CHAIN_STACK_BUF], *buf = stackbuf, *p;
	size_t n = sizeof chain_tag + CHAIN_HASH_LEN;
	uint64_t bits;

	for (int i = 0; i < CHAIN_FIELDS; i++)
		n += chain_field_size(&f[i]);
	if (n > sizeof stackbuf)
		buf = xmalloc(n);
	p = buf;
	memcpy(p, chain_tag, sizeof chain_tag);
	p += sizeof chain_tag;
	memcpy(p, prev, CHAIN_HASH_LEN);
	p += CHAIN_HASH_LEN;
	for (int i = 0; i < CHAIN_FIELDS; i++) {
		switch (f[i].type) {
		case CHAIN_NULL:
			*p++ = 'N';
			break;
		case CHAIN_INT:
			*p++ = 'I';
			p = chain_put64(p, (uint64_t)f[i].i);
			break;
		case CHAIN_REAL:
			*p++ = 'R';
			memcpy(&bits, &f[i].r, sizeof bits);
			p = chain_put64(p, bits);
			break;
		case CHAIN_TEXT:
		case CHAIN_BLOB:
			*p++ = f[i].type == CHAIN_TEXT ? 'T' : 'B';
			p = chain_put64(p, (uint64_t)f[i].len);
			if (f[i].len)
				memcpy(p, f[i].p, f[i].len);
			p += f[i].len;
			break;
		}
	}
	assert((size_t)(p - buf) == n);
	SHA256(buf, n, hash);
	if (buf != stackbuf)
		free(buf);
}

void chain_fields_of_row(sqlite3_stmt *st, int col, struct chain_field f[CHAIN_FIELDS])
{
	for (int i = 0; i < CHAIN_FIELDS; i++) {
		int c = col + i;
		memset(&f[i], 0, sizeof f[i]);
		switch (sqlite3_column_type(st, c)) {
		case SQLITE_INTEGER:
			f[i].type = CHAIN_INT;
			f[i].i = sqlite3_column_int64(st, c);
			break;
		case SQLITE_FLOAT:
			f[i].type = CHAIN_REAL;
			f[i].r = sqlite3_column_double(st, c);
			break;
		case SQLITE_TEXT:
			f[i].type = CHAIN_TEXT;
			f[i].p = sqlite3_column_text(st, c);
			f[i].len = (size_t)sqlite3_column_bytes(st, c);
			break;
		case SQLITE_BLOB:
			f[i].type = CHAIN_BLOB;
			f[i].p = sqlite3_column_blob(st, c);
			f[i].len = (size_t)sqlite3_column_bytes(st, c);
			break;
		default:
			f[i].type = CHAIN_NULL;
			break;
		}
	}
}

char *chain_hex(const uint8_t h[CHAIN_HASH_LEN], char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < CHAIN_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * CHAIN_HASH_LEN] = '\0';
	return out;
}

static int chain_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int chain_unhex(const char *s, uint8_t h[CHAIN_HASH_LEN])
{
	if (strlen(s) != 2 * CHAIN_HASH_LEN)
		return -1;
	for (int i = 0; i < CHAIN_HASH_LEN; i++) {
		int hi = chain_nibble(s[2 * i]), lo = chain_nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		h[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int chain_seal_all(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	struct chain_field f[CHAIN_FIELDS];
	uint8_t prev[CHAIN_HASH_LEN], hash[CHAIN_HASH_LEN];
	int rc = -1, step;

	/* Written as it is read: the UPDATE changes only prev and hash, which
	 * the SELECT does not read, and rows are visited once in id order. */
	rd = db_prepare(db, "SELECT " CHAIN_COLUMNS " FROM events ORDER BY id", err, errlen);
	wr = db_prepare(db, "UPDATE events SET prev = ?2, hash = ?3 WHERE id = ?1", err, errlen);
	if (!rd || !wr)
		goto out;
	memcpy(prev, chain_zero, sizeof prev);
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		chain_fields_of_row(rd, 0, f);
		chain_hash(prev, f, hash);
		sqlite3_reset(wr);
		sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
		sqlite3_bind_blob(wr, 2, prev, sizeof prev, SQLITE_TRANSIENT);
		sqlite3_bind_blob(wr, 3, hash, sizeof hash, SQLITE_TRANSIENT);
		if (sqlite3_step(wr) != SQLITE_DONE) {
			snprintf(err, errlen, "chaining the event log: %s", sqlite3_errmsg(db));
			goto out;
		}
		memcpy(prev, hash, sizeof prev);
	}
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "chaining the event log: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}
