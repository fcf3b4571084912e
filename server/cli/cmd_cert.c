/* cmd_cert.c - ujian cert self-signed: a key and certificate for HTTPS at a
 * venue or in a demo (the crypto is http/tlscert.c). */
#include "bounds.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/mem.h"
#include "http/tlscert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cmd_cert(int argc, char **argv)
{
	const char *out = NULL, *name = NULL;
	struct cli_opt o[] = { { "out", &out, NULL }, { "name", &name, NULL }, { NULL, NULL, NULL } };
	char err[1024], *crt = NULL, *key = NULL;
	struct stat st;
	int rc = 1;

	if (argc < 3 || strcmp(argv[2], "self-signed") != 0) {
		fprintf(stderr, "ujian cert: expected 'self-signed' (see 'ujian help')\n");
		return 2;
	}
	if (cli_parse("cert self-signed", argc, argv, 3, o, NULL, 0) ||
	    cli_need("cert self-signed", "out", out) || cli_need("cert self-signed", "name", name))
		return 2;
	if (!tlscert_host_ok(name)) {
		fprintf(stderr,
			"ujian cert self-signed: --name \"%.100s\": expected a DNS name (letters, "
			"digits, hyphens, dots) or an IP address\n",
			name);
		return 1;
	}
	if (stat(out, &st) != 0) {
		fprintf(stderr, "ujian cert self-signed: --out %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ujian cert self-signed: --out %s: not a folder\n", out);
		return 1;
	}
	crt = xasprintf("%s/%s.crt", out, name);
	key = xasprintf("%s/%s.key", out, name);
	if (tlscert_self_signed(name, crt, key, err, sizeof err)) {
		fprintf(stderr, "ujian cert self-signed: %s\n", err);
		goto out;
	}
	printf("certificate %s (ECDSA P-256, self-signed for %s, valid %d days)\nkey %s (keep it "
	       "private)\nserve with: ujian serve --tls-cert %s --tls-key %s ...\n",
	       crt, name, UJ_CERT_DAYS, key, crt, key);
	rc = 0;
out:
	free(crt);
	free(key);
	return rc;
}
