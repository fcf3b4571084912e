/* talent.c - TEMPORARY placeholder until the talent module lands (issue
 * 11): talent_recompute computes nothing yet. */
#include "selection/talent.h"

int talent_recompute(sqlite3 *db, int64_t period_id, int64_t employee_id, int64_t now,
		     char *err, size_t errlen)
{
	(void)db;
	(void)period_id;
	(void)employee_id;
	(void)now;
	(void)err;
	(void)errlen;
	return 0;
}
