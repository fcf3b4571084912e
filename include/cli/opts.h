/* opts.h - the command line's shared option parsing for every subcommand.
 *
 * A subcommand lives in its own file (server/cli/cmd_*.c), declares its
 * options as a table of struct cli_opt and parses them with cli_parse; every
 * error message names the command ("ujian staff add: ..."). Exit codes: 0
 * success, 1 bad input or failure, 2 usage error. */
#ifndef UJIAN_CLI_OPTS_H
#define UJIAN_CLI_OPTS_H

#include "store/db.h"

#include <sqlite3.h>

struct cli_opt {
	const char *name;
	const char **value; /* NULL: a flag */
	int *flag;
};

/* Parse argv[from..] against opts (ended by a NULL name); positional
 * arguments go to pos, exactly npos of them. Returns 0 or prints an error
 * naming the command and returns -1. */
int cli_parse(const char *cmd, int argc, char **argv, int from, struct cli_opt *opts,
	      const char **pos, int npos);
/* -1 after a message when a required option is missing. */
int cli_need(const char *cmd, const char *opt, const char *value);
/* A whole number in [min, max], or -1 after a message. */
int cli_int(const char *cmd, const char *opt, const char *v, long min, long max, long *out);
/* "N/SECONDS", or -1 after a message. */
int cli_rate(const char *cmd, const char *opt, const char *v, int *n, int *secs);
/* Open the database (NULL after a message). */
sqlite3 *cli_open(const char *cmd, const char *path, enum db_open_mode mode);

#endif
