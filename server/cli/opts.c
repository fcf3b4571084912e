/* opts.c - option parsing shared by the subcommands (see cli/opts.h). */
#include "cli/opts.h"

#include "bounds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse argv[from..] against opts; positional arguments go to pos. Returns 0
 * or prints an error naming the command and returns -1. */
int cli_parse(const char *cmd, int argc, char **argv, int from, struct cli_opt *opts,
		     const char **pos, int npos)
{
	int got = 0;
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0) {
			struct cli_opt *o = NULL;
			for (struct cli_opt *k = opts; k && k->name; k++)
				if (strcmp(k->name, a + 2) == 0)
					o = k;
			if (!o) {
				fprintf(stderr, "ujian %s: unknown option %s (see 'ujian help')\n", cmd, a);
				return -1;
			}
			if (o->flag) {
				*o->flag = 1;
				continue;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "ujian %s: option %s needs a value\n", cmd, a);
				return -1;
			}
			*o->value = argv[++i];
			continue;
		}
		if (got >= npos) {
			fprintf(stderr, "ujian %s: unexpected argument \"%s\" (see 'ujian help')\n", cmd, a);
			return -1;
		}
		pos[got++] = a;
	}
	if (got < npos) {
		fprintf(stderr, "ujian %s: missing argument (see 'ujian help')\n", cmd);
		return -1;
	}
	return 0;
}

int cli_need(const char *cmd, const char *opt, const char *value)
{
	if (!value) {
		fprintf(stderr, "ujian %s: --%s is required\n", cmd, opt);
		return -1;
	}
	return 0;
}

int cli_int(const char *cmd, const char *opt, const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || *end || end == v || x < min || x > max) {
		fprintf(stderr, "ujian %s: --%s \"%s\": expected a whole number %ld-%ld\n", cmd, opt, v,
			min, max);
		return -1;
	}
	*out = x;
	return 0;
}

/* "N/SECONDS" */
int cli_rate(const char *cmd, const char *opt, const char *v, int *n, int *secs)
{
	char buf[64], *slash;
	long a, b;
	if (strlen(v) >= sizeof buf || !(slash = strchr(strcpy(buf, v), '/'))) {
		fprintf(stderr, "ujian %s: --%s \"%s\": expected N/SECONDS, e.g. 5/300\n", cmd, opt, v);
		return -1;
	}
	*slash = '\0';
	if (cli_int(cmd, opt, buf, 1, UJ_RATE_COUNT_MAX, &a) ||
	    cli_int(cmd, opt, slash + 1, 1, UJ_RATE_WINDOW_MAX_S, &b))
		return -1;
	*n = (int)a;
	*secs = (int)b;
	return 0;
}

sqlite3 *cli_open(const char *cmd, const char *path, enum db_open_mode mode)
{
	char err[1024];
	sqlite3 *db = db_open(path, mode, err, sizeof err);
	if (!db)
		fprintf(stderr, "ujian %s: %s\n", cmd, err);
	return db;
}

