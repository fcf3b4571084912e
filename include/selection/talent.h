/* talent.h - talent-mapping periods and the nine-box placements they give
 * (docs/SELECTION.md, "Talent mapping").
 *
 * A placement (period, employee) is computed from the employee's SKP
 * ratings (performance), sanctions, and the period's potential components
 * (Ujian exam results of candidates carrying the employee's NIP, and values
 * the committee entered), and stored in table placements with the numbers
 * that made it (detail_json), so every period keeps its own history.
 *
 * Whoever changes an input (an import of employees, SKP or sanctions, an
 * entered component, a finished exam, a period's configuration) calls
 * talent_recompute afterwards. */
#ifndef UJIAN_TALENT_H
#define UJIAN_TALENT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Recompute and store the placements of employee_id (0: every employee) in
 * period period_id (0: every period not closed), reading and writing db
 * (a read-write connection; runs inside the caller's transaction if one is
 * open, else in its own). now: server time in ms (updated_at). Returns the
 * number of placements whose box, levels or reason changed, or -1 with err. */
int talent_recompute(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
		     char *err, size_t errlen);

#endif
