/* verify.h - 'ujian verify': an independent audit of what the server stored.
 *
 * Checks, for one exam: every acknowledged answer listed in ack logs is
 * stored with at least the acknowledged revision (and the same option when the
 * revision is equal); every finished attempt's stored scores, total and pass
 * flag equal a recomputation from its stored answers, paper and bank version;
 * every attempt's time credit equals the sum of its ledger entries; every
 * paper can be loaded (so every attempt is resumable); the audit log's hash
 * chain is intact (report/audit.h, the whole log). Used by the crash
 * harness and the benchmarks, and useful to an auditor. */
#ifndef UJIAN_VERIFY_H
#define UJIAN_VERIFY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

/* Run every check for exam_code; ack logs are the files acks-*.log in
 * acks_dir (NULL: skip that check). Writes a report to out. Returns the number
 * of violations found (0 = all good), or -1 with err when the check itself
 * could not run. */
long verify_run(sqlite3 *db, const char *exam_code, const char *acks_dir, FILE *out, char *err,
		size_t errlen);

#endif
