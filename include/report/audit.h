/* audit.h - the tamper-evident audit log: verifying the hash chain of the
 * event log, reading the log with filters, its head.
 *
 * Every event (store/event.c) carries prev, the hash of the entry before it,
 * and hash, the SHA-256 of prev and its own content (store/chain.h). So an
 * entry changed, deleted, inserted or moved after it was written breaks the
 * chain at that point, and audit_verify names the first such entry. What the
 * chain alone cannot show - entries cut off the end, or the whole chain
 * recomputed by someone with the file - is shown against a head written down
 * earlier (audit_expect; docs/OPERATIONS.md "Audit log").
 *
 * Every function takes the caller's connection (a read-only one is enough),
 * reads inside one read transaction (its own, unless the caller has one
 * open), keeps no state between calls and is safe to call from any thread
 * that owns its connection: the CLI, a worker, or a loop with its own read
 * connection. */
#ifndef UJIAN_AUDIT_H
#define UJIAN_AUDIT_H

#include "store/chain.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum audit_problem {
	AUDIT_OK,
	AUDIT_UNHASHED,   /* an entry without a valid hash: written around Ujian */
	AUDIT_CHANGED,    /* its content does not match its hash */
	AUDIT_REORDERED,  /* it holds the content written at another position */
	AUDIT_DELETED,    /* entries before it are missing */
	AUDIT_REWRITTEN,  /* verifies alone, but is not what its successor was chained to:
			   * inserted, or changed with its hash recomputed */
	AUDIT_TRUNCATED,  /* fewer entries than written down: the end was cut off */
	AUDIT_HEAD_MISSING, /* the head written down is not in the log: rewritten */
	AUDIT_PROBLEM_MAX
};

/* Codes for the API and tests: "ok", "unhashed", "changed", "reordered",
 * "deleted", "rewritten", "truncated", "head_missing". */
extern const char *const audit_problem_codes[AUDIT_PROBLEM_MAX];

/* A head written down earlier (e.g. in a sitting's berita acara). */
struct audit_expect {
	int has_head;                 /* head is set: an entry must have this hash */
	uint8_t head[CHAIN_HASH_LEN];
	int64_t count;                /* > 0: the log had this many entries then
				       * (with has_head: the head is entry number count) */
};

struct audit_report {
	int64_t count;                /* entries that verified, in chain order */
	int64_t head_id;              /* the last of them (0: none) */
	int64_t head_at;              /* its time, ms */
	uint8_t head[CHAIN_HASH_LEN]; /* its hash (zeros for an empty log) */
	enum audit_problem problem;
	int64_t bad_id;               /* the first entry found wrong or missing */
	char message[400];            /* one sentence naming it (English) */
};

/* Walk the chain in id order; with expect, also check the head written down.
 * Returns 0 when the check ran (r->problem says the verdict: AUDIT_OK, or the
 * first problem with r->bad_id and r->message), or -1 with err when it could
 * not run (no such table, I/O). Memory O(1) in the log's size; a failure is
 * diagnosed with up to two more scans. */
int audit_verify(sqlite3 *db, const struct audit_expect *expect, struct audit_report *r,
		 char *err, size_t errlen);
/* The report as JSON: {"ok":true,"count","head","head_id","head_at"} or
 * {"ok":false,"problem","entry","message","count"} (count: entries that
 * verified before it). New reference. */
json_t *audit_report_json(const struct audit_report *r);

struct audit_head {
	int64_t count; /* rows in the log */
	int64_t id;    /* the last entry (0: empty log) */
	int64_t at;    /* its time, ms */
	uint8_t hash[CHAIN_HASH_LEN]; /* its stored hash (zeros: empty or unhashed) */
};

/* The head as stored, without verifying the chain (cheap: two index reads).
 * 0, or -1 with err. */
int audit_head(sqlite3 *db, struct audit_head *h, char *err, size_t errlen);

/* Which entries to read. Every member is optional (NULL / 0). */
struct audit_filter {
	/* exam code: events concerning its candidates, and events whose detail
	 * names it ("exam": CODE, e.g. staff changes to the exam) */
	const char *exam;
	/* who caused the event: "system"; "candidate" or "staff" (all of that
	 * kind); "candidate:ID" or "staff:ID" (database ids); otherwise a name:
	 * a candidate's registration number (within exam when given), or a staff
	 * username when the database has a staff table (id, username) */
	const char *actor;
	const char *candidate; /* registration number of the candidate concerned */
	int64_t since_ms;      /* at >= since_ms */
	int64_t before_id;     /* id < before_id: the next page back */
	long limit;            /* the newest limit entries; 0: audit_query's
				* UJ_AUDIT_PAGE_DEFAULT, audit_print's all */
};

/* 0 if f is well-formed (lengths within bounds, actor syntax, limit range for
 * audit_query), else -1 with err saying which field: a caller's mistake
 * (an API answers 400). */
int audit_filter_check(const struct audit_filter *f, char *err, size_t errlen);
/* One page of the log, newest first, as
 * {"entries":[{"id","at","time","actor":{"kind","id","name"},
 *   "candidate":{"id","registration_no","exam"}|null,"kind",
 *   ["n","label","flagged","rev",] "detail","hash"}...],
 *  "next_before": id of the next (older) page | null}.
 * New reference, or NULL with err (a bad filter: see audit_filter_check). */
json_t *audit_query(sqlite3 *db, const struct audit_filter *f, char *err, size_t errlen);
/* The matching entries, oldest first (the newest f->limit of them; all when
 * 0), one readable line each, times in local time with the zone name. Returns
 * the number printed, or -1 with err. */
long audit_print(sqlite3 *db, const struct audit_filter *f, FILE *out, char *err, size_t errlen);
/* A time for --since or ?since=: RFC 3339 ("2026-11-23T08:00:00+07:00"), or
 * local time "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" (also
 * with 'T'). 0 and *ms, or -1. */
int audit_parse_time(const char *s, int64_t *ms);

#endif
