/* demo.h - 'ujian demo': a ready-to-try database with the sample bank. */
#ifndef UJIAN_DEMO_H
#define UJIAN_DEMO_H

#include "app/server.h"

/* Create the demo database at cfg->db_path unless it exists (or fresh is
 * set), print the URL and some demo logins, then serve. Returns an exit code. */
int demo_run(struct server_config *cfg, int fresh);

#endif
