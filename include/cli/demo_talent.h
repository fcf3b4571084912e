/* demo_talent.h - the demo agency of 'ujian demo' (issue 11): employees,
 * SKP ratings, sanctions, the competency test TALENTA-DEMO with finished
 * attempts, and the talent-mapping periods PT-2025 and PT-2026. */
#ifndef UJIAN_DEMO_TALENT_H
#define UJIAN_DEMO_TALENT_H

#include "auth/cred.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Add the agency to the demo database db (the sample bank SKD-SAMPLE is
 * already imported; sample_dir holds exam-talenta-demo.json); key: the
 * server key (candidate passwords). Returns 0 or -1 with err. */
int demo_talent_build(sqlite3 *db, const uint8_t key[CRED_KEY_LEN], const char *sample_dir,
		      char *err, size_t errlen);
/* Print where the committee's pages are and some unstarted TALENTA-DEMO
 * logins (nothing when the database has no agency). base: "http://host:port". */
void demo_talent_print(const char *dbp, const char *base);

#endif
