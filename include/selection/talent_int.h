/* talent_int.h - what the talent files share (server/selection/talent.c,
 * talent_period.c, talent_read.c); internal to the selection layer. */
#ifndef UJIAN_TALENT_INT_H
#define UJIAN_TALENT_INT_H

#include "selection/ninebox.h"

#include <stddef.h>
#include <stdint.h>

/* The date of ms in WIB (UTC+7) as YYYY-MM-DD. */
void talent_wib_date(int64_t ms, char out[11]);
/* A stored configuration (config_json of a period created at created_at)
 * into c. 0, or -1 with err. */
int talent_config_load(const char *text, int64_t created_at, struct nb_config *c, char *err,
		       size_t errlen);

#endif
