/* main.c - the ujian command line: one binary, several subcommands.
 *
 * Every subcommand checks its arguments completely before doing anything and
 * exits 0 on success, 1 on bad input or failure (with one precise message on
 * stderr), 2 on a usage error. */
#include "catalog/catalog.h"
#include "core/clock.h"
#include "auth/cred.h"
#include "store/db.h"
#include "cli/demo.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "catalog/enrol.h"
#include "core/errlist.h"
#include "core/hmap.h"
#include "core/log.h"
#include "core/mem.h"
#include "report/results.h"
#include "report/slip.h"
#include "app/server.h"
#include "report/verify.h"
#include "version.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char ujian_usage[] =
	"Ujian " UJIAN_VERSION " - exam server for civil-service CAT exams\n"
	"\n"
	"usage: ujian COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"  init --db FILE [--key FILE]\n"
	"      create the database (and its key file FILE.key), or migrate it\n"
	"  bank import --db FILE BANK.json     add a bank or a new version of it\n"
	"  bank list --db FILE\n"
	"  exam create --db FILE EXAM.json     define an exam\n"
	"  exam list --db FILE\n"
	"  candidates import --db FILE --exam CODE [--key FILE] CANDIDATES.csv\n"
	"      add candidates and draw their papers; prints the issued credentials\n"
	"      as CSV (registration_no,name,password)\n"
	"  results export --db FILE --exam CODE [--format csv|json|xlsx] [--output FILE]\n"
	"                 [--sep ,|;] [--lang id|en] [--all]\n"
	"      ranked results of finished attempts (--all: every candidate, with a status);\n"
	"      CSV is UTF-8 with BOM, ';' for Excel with Indonesian settings; xlsx needs\n"
	"      --output; headers in Bahasa Indonesia unless --lang en\n"
	"  verify --db FILE --exam CODE [--acks DIR]\n"
	"      audit: acknowledged answers (ack logs of ujian-bench) are stored, stored\n"
	"      scores equal a recomputation, time credits match the ledger, the audit\n"
	"      log's hash chain is intact\n"
	"  audit verify --db FILE [--head HEX] [--expect-count N]\n"
	"      check the audit log's hash chain (and a head written down earlier)\n"
	"  audit head --db FILE      the log's entry count and head hash, for the\n"
	"      berita acara (after checking the chain)\n"
	"  audit show --db FILE [--exam CODE] [--actor WHO] [--candidate REGNO]\n"
	"             [--since TIME] [--limit N]\n"
	"      the log, oldest first (the newest N); WHO: a registration number, a staff\n"
	"      username, system, candidate[:ID] or staff[:ID]\n"
	"  serve --db FILE [--listen ADDR:PORT] [server options]\n"
	"      run the server (also serves client-web/ at /)\n"
	"  demo [--listen ADDR:PORT] [--db FILE] [--fresh]\n"
	"      create a demo database (sample bank, exam SKD-DEMO, 50 candidates)\n"
	"      and serve it\n"
	"  staff add --db FILE --username U --role R[,R] [--name N] [--exam C[,C]]\n"
	"            [--password-stdin]\n"
	"      add a staff account (roles: admin, author, proctor, committee, observer);\n"
	"      prints a generated password once unless --password-stdin\n"
	"  staff list --db FILE\n"
	"  staff passwd --db FILE --username U [--password-stdin]\n"
	"      set a new password (generated unless --password-stdin); ends its sessions\n"
	"  staff disable|enable --db FILE --username U\n"
	"  staff assign --db FILE --username U --exam C[,C]   the exams it may act on\n"
	"      (\"\" for none)\n"
	"  sitting add --db FILE --exam CODE --code C [--room R] [--starts-at TIME]\n"
	"              [--rotate-min N] [--start-together] [--proctor USER ...]\n"
	"      add a sitting (sesi) of an exam with a fresh token; proctors are staff\n"
	"      accounts with the proctor or admin role (repeat --proctor or list A,B)\n"
	"  sitting list --db FILE [--exam CODE]\n"
	"      every sitting: room, start, rotation, token, candidates, proctors\n"
	"  sitting assign --db FILE --exam CODE --code C REGNO... | -\n"
	"      put candidates into the sitting (- reads registration numbers from\n"
	"      standard input, one a line); one unknown number changes nothing\n"
	"  sitting proctor --db FILE --exam CODE --code C --add USER|--remove USER\n"
	"  sitting token --db FILE --exam CODE --code C\n"
	"      issue a new token now (the previous one stays valid a short while)\n"
	"  talent period add --db FILE PERIOD.json\n"
	"      add a talent-mapping period (JSON: code, name, config; docs/SELECTION.md)\n"
	"      and place every employee in it\n"
	"  talent list --db FILE\n"
	"      the periods with their counts (employees, mapped, unmapped, excluded, pool)\n"
	"  talent recompute --db FILE [PERIOD]\n"
	"      recompute the placements (of one period, or of every open one)\n"
	"  talent scores --db FILE PERIOD FILE.csv\n"
	"      store entered component values (nip;component;value), all or nothing\n"
	"  backup --db FILE --out NEW [--key FILE]\n"
	"      an online, consistent copy of the database (SQLite's backup API) and its\n"
	"      key as NEW.key, checked after writing (integrity, schema, audit chain);\n"
	"      runs beside a serving server and never replaces a file\n"
	"  employee import --db FILE EMPLOYEES.csv\n"
	"      add or update employees by NIP (nip,nama,golongan,jabatan,jenis_jabatan,\n"
	"      unit,instansi,pendidikan,tanggal_lahir or the English names); every bad\n"
	"      line is reported and then nothing is applied (docs/FORMATS-SELECTION.md)\n"
	"  employee list --db FILE [--unit U] [--type T] [--q TEXT]\n"
	"  employee export --db FILE [--sep ,|;] [--lang id|en] [--output FILE]\n"
	"      the registry as CSV (UTF-8 with BOM, NIP kept as text)\n"
	"  skp import --db FILE SKP.csv\n"
	"      SKP ratings per employee and year (nip,tahun,predikat)\n"
	"  sanction import --db FILE SANCTIONS.csv\n"
	"      disciplinary sanctions (nip,jenis,tingkat,tanggal[,keterangan])\n"
	"  selection add --db FILE SELECTION.json\n"
	"      create an open-bidding selection (seleksi terbuka): code, name, config,\n"
	"      committee members, vacancies (docs/SELECTION.md)\n"
	"  selection applicants --db FILE SEL APPLICANTS.csv\n"
	"      add applicants (lowongan;jenis;nip;nik;nama;asal;ujian;no_peserta): all or\n"
	"      nothing, every bad row reported (docs/FORMATS-SELECTION.md)\n"
	"  selection list --db FILE\n"
	"  selection show --db FILE SEL [VACANCY]\n"
	"      a selection's vacancies, or one vacancy's applicants, stage scores and ranking\n"
	"  routes\n"
	"      the API's route table as JSON: method, path, who may call it\n"
	"  slip key --db FILE\n"
	"      the public key (PEM) that verifies the database's signed result slips\n"
	"  slip show --db FILE [--out SLIP.json] EXAM REGNO\n"
	"      the signed result slip of a finished attempt (made now if it has none)\n"
	"  slip verify [--db FILE] [--key PUB.pem] SLIP.json|CODE\n"
	"      is a slip genuine? A file is checked with the public key alone (--key,\n"
	"      no database needed) or the database's key; a code against the database\n"
	"      (signature and the stored attempt). Exit 0 genuine, 1 not\n"
	"  analysis --db FILE (--exam CODE | --bank CODE) [--format text|csv|json]\n"
	"           [--easy P] [--hard P] [--weak R] [--sep ,|;] [--lang id|en]\n"
	"      item analysis (facility, discrimination, options in bank order, time,\n"
	"      flags with reasons) and, for an exam, test statistics per section and\n"
	"      total (alpha, SEM, thresholds); flags: p > easy (0.90), p < hard (0.20),\n"
	"      corrected r < weak (0.20); text in Bahasa Indonesia unless --lang en\n"
	"  calibrate --db FILE --bank CODE [--format text|csv|json]\n"
	"      Rasch calibration (CML difficulties with SE, infit/outfit, WLE\n"
	"      abilities) of the bank's right/wrong items over every finished attempt;\n"
	"      stored with the data it came from and an audit event, then printed\n"
	"  cert self-signed --out DIR --name HOST\n"
	"      make an ECDSA P-256 key and a self-signed certificate for HOST (a DNS\n"
	"      name or an IP address, valid 397 days) as DIR/HOST.crt and DIR/HOST.key,\n"
	"      for --tls-cert/--tls-key at a venue or in a demo\n"
	"  help | version\n"
	"\n"
	"server options (serve and demo):\n"
	"  --listen ADDR:PORT        default 127.0.0.1:8080 (port 0 picks a free one)\n"
	"  --key FILE                server key file (default: the database path + .key)\n"
	"  --web-root DIR            static files (default: client-web beside the binary)\n"
	"  --max-body BYTES          request body limit, 1024-16777216 (default 65536)\n"
	"  --idle-timeout SECONDS    close idle connections, 1-3600 (default 60)\n"
	"  --backlog N               listen backlog, 16-65535 (default 4096)\n"
	"  --login-limit N/SECONDS   failed logins per registration number (default 5/300)\n"
	"  --addr-limit N/SECONDS    failed logins per client address (default 50/60)\n"
	"  --outage-credit on|off    credit server downtime to running attempts (default on)\n"
	"  --catalog-poll-ms MS      how often to look for new exams/candidates,\n"
	"                            50-60000 (default 1000)\n"
	"  --writer-queue N          queued writes beyond which requests get 503 server_busy,\n"
	"                            1-10000000 (default 100000)\n"
	"  --staff-idle MINUTES      end a staff session after this long without a request,\n"
	"                            1-10080 (default 30)\n"
	"  --staff-max-age MINUTES   end a staff session this long after login (default 720)\n"
	"  --session-after MINUTES   candidate sessions end this long after the attempt\n"
	"                            finished or the exam closed (default 60)\n"
	"  --bench-route             serve GET /api/v1/_bench/ping (benchmarks only)\n"
	"  --tls-cert FILE           serve HTTPS: PEM certificate chain (leaf first, e.g.\n"
	"                            certbot's fullchain.pem); needs --tls-key\n"
	"  --tls-key FILE            the certificate's PEM private key (ECDSA or RSA)\n"
	"  --redirect-http ADDR:PORT also listen for plain HTTP there and answer every\n"
	"                            request with a 301 to the same path over HTTPS\n"
	"  --sse-streams N           live event streams open at once (dashboards, scoreboards),\n"
	"                            1-16384 (default 512)\n"
	"  --sse-buffer BYTES        unsent bytes per stream before it skips events and gets\n"
	"                            a fresh snapshot instead, 1024-67108864 (default 524288)\n"
	"  --user NAME               started as root: bind and open files, then run as NAME\n"
	"                            for good (NAME must own the database's folder)\n"
	"  --metrics-listen ADDR:PORT serve /metrics (Prometheus), /healthz and /readyz\n"
	"                            there, without authentication: keep it on loopback\n"
	"                            or a management network\n"
	"  --max-conns-per-ip N      connections one client address (an IPv6 /64) may hold;\n"
	"                            more are closed at once; 0-1000000, 0: no cap\n"
	"                            (default 2000: a venue behind one NAT address)\n"
	"  --request-timeout SECONDS a request's headers and body must arrive within this,\n"
	"                            else the connection closes, 1-600 (default 10)\n"
	"  --public-url URL          the origin printed in result slips' verification links and\n"
	"                            QR codes (e.g. https://ujian.example.go.id); default: the\n"
	"                            request's Host header (wrong behind a proxy: set this)\n"
	"\n"
	"Formats: question-bank/README.md. API: docs/API.md.\n";

static int cmd_init(int argc, char **argv)
{
	const char *dbp = NULL, *keyp = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL }, { "key", &keyp, NULL }, { NULL, NULL, NULL } };
	char err[1024], *kp, *sp = NULL;
	sqlite3 *db;
	int rc = 1;

	if (cli_parse("init", argc, argv, 2, o, NULL, 0) || cli_need("init", "db", dbp))
		return 2;
	kp = keyp ? xstrdup(keyp) : cred_key_path(dbp);
	sp = slip_key_path(dbp);
	if (!(db = cli_open("init", dbp, DB_OPEN_CREATE)))
		goto out;
	if (db_migrate(db, err, sizeof err) || cred_key_ensure(kp, err, sizeof err) ||
	    slip_key_ensure(sp, NULL, err, sizeof err)) {
		fprintf(stderr, "ujian init: %s\n", err);
		goto out;
	}
	printf("database %s ready (schema version %d, key %s)\n", dbp, DB_SCHEMA_VERSION, kp);
	printf("result slips are signed with %s (back it up: docs/OPERATIONS.md)\n", sp);
	rc = 0;
out:
	db_close(db);
	free(kp);
	free(sp);
	return rc;
}

/* A catalog noun with an "add from file" and a "list" subcommand
 * ("bank import|list", "exam create|list"). */
struct catalog_cmd {
	const char *noun, *add;
	int (*add_fn)(sqlite3 *db, const char *path, FILE *out, struct errlist *errs);
	int (*list_fn)(sqlite3 *db, FILE *out, char *err, size_t errlen);
};

static int cmd_catalog(const struct catalog_cmd *cc, int argc, char **argv)
{
	const char *dbp = NULL, *pos[1];
	struct cli_opt o[] = { { "db", &dbp, NULL }, { NULL, NULL, NULL } };
	const char *sub = argc > 2 ? argv[2] : "";
	int is_add = strcmp(sub, cc->add) == 0;
	char name[64], err[2048];
	sqlite3 *db;
	int rc;

	if (!is_add && strcmp(sub, "list") != 0) {
		fprintf(stderr, "ujian %s: expected '%s' or 'list' (see 'ujian help')\n", cc->noun,
			cc->add);
		return 2;
	}
	snprintf(name, sizeof name, "%s %s", cc->noun, sub);
	if (cli_parse(name, argc, argv, 3, o, pos, is_add ? 1 : 0) || cli_need(name, "db", dbp))
		return 2;
	if (!(db = cli_open(name, dbp, DB_OPEN_EXISTING)))
		return 1;
	if (is_add) {
		/* Every error of the file at once (capped), each naming the file. */
		struct errlist errs;
		char prefix[sizeof name + 1024];
		errlist_init(&errs, 0);
		rc = cc->add_fn(db, pos[0], stdout, &errs);
		snprintf(prefix, sizeof prefix, "ujian %s: %s", name, pos[0]);
		errlist_print(&errs, stderr, prefix);
		errlist_free(&errs);
	} else if ((rc = cc->list_fn(db, stdout, err, sizeof err))) {
		fprintf(stderr, "ujian %s: %s\n", name, err);
	}
	db_close(db);
	return rc ? 1 : 0;
}


static int cmd_candidates(int argc, char **argv)
{
	const char *dbp = NULL, *exam = NULL, *keyp = NULL, *pos[1];
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "exam", &exam, NULL },
			       { "key", &keyp, NULL },
			       { NULL, NULL, NULL } };
	uint8_t key[CRED_KEY_LEN];
	char err[2048], *kp, sep = ',', prefix[1100];
	struct errlist errs;
	sqlite3 *db;
	int rc = 1;

	errlist_init(&errs, 0);
	if (argc < 3 || strcmp(argv[2], "import") != 0) {
		fprintf(stderr, "ujian candidates: expected 'import' (see 'ujian help')\n");
		return 2;
	}
	if (cli_parse("candidates import", argc, argv, 3, o, pos, 1) ||
	    cli_need("candidates import", "db", dbp) || cli_need("candidates import", "exam", exam))
		return 2;
	kp = keyp ? xstrdup(keyp) : cred_key_path(dbp);
	if (cred_key_load(kp, key, err, sizeof err)) {
		fprintf(stderr, "ujian candidates import: %s\n", err);
		free(kp);
		return 1;
	}
	free(kp);
	if (!(db = cli_open("candidates import", dbp, DB_OPEN_EXISTING)))
		goto out;
	rc = enrol_import_all(db, key, exam, pos[0], stdout, &errs, &sep) ? 1 : 0;
	snprintf(prefix, sizeof prefix, "ujian candidates import: %s", pos[0]);
	if (sep != ',')
		fprintf(stderr, "%s: separator '%c' detected\n", prefix, sep);
	errlist_print(&errs, stderr, prefix);
out:
	errlist_free(&errs);
	OPENSSL_cleanse(key, sizeof key);
	db_close(db);
	return rc;
}

static int cmd_results(int argc, char **argv)
{
	const char *dbp = NULL, *exam = NULL, *format = "csv", *output = NULL, *sep = ",";
	const char *lang = "id";
	int all = 0;
	struct cli_opt o[] = { { "db", &dbp, NULL },	      { "exam", &exam, NULL },
			       { "format", &format, NULL },   { "output", &output, NULL },
			       { "sep", &sep, NULL },	      { "lang", &lang, NULL },
			       { "all", NULL, &all },	      { NULL, NULL, NULL } };
	struct results_opts ro;
	char err[1024];
	FILE *out = stdout;
	sqlite3 *db;
	int rc = 1;

	if (argc < 3 || strcmp(argv[2], "export") != 0) {
		fprintf(stderr, "ujian results: expected 'export' (see 'ujian help')\n");
		return 2;
	}
	if (cli_parse("results export", argc, argv, 3, o, NULL, 0) ||
	    cli_need("results export", "db", dbp) || cli_need("results export", "exam", exam))
		return 2;
	results_opts_default(&ro);
	ro.all = all;
	if (strcmp(format, "csv") == 0) {
		ro.format = RESULTS_CSV;
	} else if (strcmp(format, "json") == 0) {
		ro.format = RESULTS_JSON;
	} else if (strcmp(format, "xlsx") == 0) {
		ro.format = RESULTS_XLSX;
	} else {
		fprintf(stderr, "ujian results export: --format \"%s\": expected csv, json or xlsx\n",
			format);
		return 2;
	}
	if ((sep[0] != ',' && sep[0] != ';') || sep[1]) {
		fprintf(stderr, "ujian results export: --sep \"%s\": expected ',' or ';'\n", sep);
		return 2;
	}
	ro.sep = sep[0];
	if (strcmp(lang, "id") == 0) {
		ro.lang = RESULTS_LANG_ID;
	} else if (strcmp(lang, "en") == 0) {
		ro.lang = RESULTS_LANG_EN;
	} else {
		fprintf(stderr, "ujian results export: --lang \"%s\": expected id or en\n", lang);
		return 2;
	}
	if (ro.format == RESULTS_XLSX && !output) {
		fprintf(stderr, "ujian results export: --format xlsx needs --output FILE\n");
		return 2;
	}
	if (!(db = cli_open("results export", dbp, DB_OPEN_EXISTING)))
		return 1;
	if (ro.format == RESULTS_XLSX) {
		if (results_export_xlsx(db, exam, &ro, output, err, sizeof err)) {
			fprintf(stderr, "ujian results export: %s\n", err);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "ujian results export: --output %s: %s\n", output, strerror(errno));
		goto out;
	}
	if (results_export_opts(db, exam, &ro, out, err, sizeof err)) {
		fprintf(stderr, "ujian results export: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	if (out && out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "ujian results export: cannot write %s\n", output);
		rc = 1;
	}
	db_close(db);
	return rc;
}

static int cmd_verify(int argc, char **argv)
{
	const char *dbp = NULL, *exam = NULL, *acks = NULL;
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "exam", &exam, NULL },
			       { "acks", &acks, NULL },
			       { NULL, NULL, NULL } };
	char err[1024];
	sqlite3 *db;
	long bad;

	if (cli_parse("verify", argc, argv, 2, o, NULL, 0) || cli_need("verify", "db", dbp) ||
	    cli_need("verify", "exam", exam))
		return 2;
	if (!(db = cli_open("verify", dbp, DB_OPEN_EXISTING)))
		return 1;
	bad = verify_run(db, exam, acks, stdout, err, sizeof err);
	if (bad < 0)
		fprintf(stderr, "ujian verify: %s\n", err);
	db_close(db);
	return bad == 0 ? 0 : 1;
}

/* Options shared by serve and demo. Returns 0, or 2 after a message. */
static int cli_server_opts(const char *cmd, int argc, char **argv, struct server_config *cfg,
			   const char **dbp, int *fresh)
{
	const char *maxbody = NULL, *idle = NULL, *backlog = NULL, *llim = NULL, *alim = NULL;
	const char *credit = NULL, *poll = NULL, *wq = NULL, *sidle = NULL, *sage = NULL;
	const char *safter = NULL, *sse_streams = NULL, *sse_buffer = NULL;
	const char *per_ip = NULL, *req_to = NULL; /* issue 12 */
	int bench = 0;
	struct cli_opt o[] = { { "db", dbp, NULL },
			       { "listen", &cfg->listen, NULL },
			       { "key", &cfg->key_path, NULL },
			       { "web-root", &cfg->web_root, NULL },
			       { "max-body", &maxbody, NULL },
			       { "idle-timeout", &idle, NULL },
			       { "backlog", &backlog, NULL },
			       { "login-limit", &llim, NULL },
			       { "addr-limit", &alim, NULL },
			       { "outage-credit", &credit, NULL },
			       { "catalog-poll-ms", &poll, NULL },
			       { "writer-queue", &wq, NULL },
			       { "staff-idle", &sidle, NULL },
			       { "staff-max-age", &sage, NULL },
			       { "session-after", &safter, NULL },
			       { "bench-route", NULL, &bench },
			       { "tls-cert", &cfg->tls_cert, NULL },
			       { "tls-key", &cfg->tls_key, NULL },
			       { "redirect-http", &cfg->redirect_http, NULL },
			       { "sse-streams", &sse_streams, NULL },
			       { "sse-buffer", &sse_buffer, NULL },
			       { "user", &cfg->user, NULL },
			       { "metrics-listen", &cfg->metrics_listen, NULL },
			       { "public-url", &cfg->public_url, NULL },
			       { "max-conns-per-ip", &per_ip, NULL }, /* issue 12 */
			       { "request-timeout", &req_to, NULL },
			       /* the last entry ends the list unless demo asks for --fresh */
			       { fresh ? "fresh" : NULL, NULL, fresh },
			       { NULL, NULL, NULL } };
	long v;

	if (cli_parse(cmd, argc, argv, 2, o, NULL, 0))
		return 2;
	cfg->bench_route = bench;
	if (!cfg->tls_cert != !cfg->tls_key) {
		fprintf(stderr, "ujian %s: --tls-cert and --tls-key go together\n", cmd);
		return 2;
	}
	if (cfg->redirect_http && !cfg->tls_cert) {
		fprintf(stderr, "ujian %s: --redirect-http needs --tls-cert and --tls-key\n", cmd);
		return 2;
	}
	if (cfg->public_url &&
	    (strncmp(cfg->public_url, "http://", 7) != 0 && strncmp(cfg->public_url, "https://", 8) != 0)) {
		fprintf(stderr, "ujian %s: --public-url \"%s\": expected http://HOST or https://HOST\n",
			cmd, cfg->public_url);
		return 2;
	}
	if (maxbody) {
		if (cli_int(cmd, "max-body", maxbody, UJ_BODY_MIN, UJ_BODY_MAX, &v))
			return 2;
		cfg->max_body = (size_t)v;
	}
	if (idle) {
		if (cli_int(cmd, "idle-timeout", idle, 1, UJ_IDLE_TIMEOUT_MAX_S, &v))
			return 2;
		cfg->idle_timeout_s = (int)v;
	}
	if (per_ip) { /* issue 12 */
		if (cli_int(cmd, "max-conns-per-ip", per_ip, 0, UJ_CONNS_PER_IP_MAX, &v))
			return 2;
		cfg->max_conns_per_ip = (unsigned)v;
	}
	if (req_to) {
		if (cli_int(cmd, "request-timeout", req_to, 1, UJ_REQUEST_TIMEOUT_MAX_S, &v))
			return 2;
		cfg->request_timeout_s = (int)v;
	}
	if (backlog) {
		if (cli_int(cmd, "backlog", backlog, UJ_BACKLOG_MIN, UJ_BACKLOG_MAX, &v))
			return 2;
		cfg->backlog = (int)v;
	}
	if (poll) {
		if (cli_int(cmd, "catalog-poll-ms", poll, UJ_CATALOG_POLL_MIN_MS, UJ_CATALOG_POLL_MAX_MS,
			    &v))
			return 2;
		cfg->catalog_poll_ms = (int)v;
	}
	if (wq) {
		if (cli_int(cmd, "writer-queue", wq, 1, UJ_WRITER_QUEUE_LIMIT, &v))
			return 2;
		cfg->writer_queue_max = v;
	}
	if (sidle) {
		if (cli_int(cmd, "staff-idle", sidle, 1, UJ_STAFF_LIMIT_MAX_MIN, &v))
			return 2;
		cfg->staff_idle_s = (int)v * 60;
	}
	if (sage) {
		if (cli_int(cmd, "staff-max-age", sage, 1, UJ_STAFF_LIMIT_MAX_MIN, &v))
			return 2;
		cfg->staff_max_age_s = (int)v * 60;
	}
	if (safter) {
		if (cli_int(cmd, "session-after", safter, 1, UJ_STAFF_LIMIT_MAX_MIN, &v))
			return 2;
		cfg->session_after_s = (int)v * 60;
	}
	if (sse_streams) {
		if (cli_int(cmd, "sse-streams", sse_streams, 1, UJ_SSE_STREAMS_LIMIT, &v))
			return 2;
		cfg->sse_streams = (int)v;
	}
	if (sse_buffer) {
		if (cli_int(cmd, "sse-buffer", sse_buffer, UJ_SSE_BUFFER_MIN, UJ_SSE_BUFFER_LIMIT, &v))
			return 2;
		cfg->sse_buffer = (size_t)v;
	}
	if (llim && cli_rate(cmd, "login-limit", llim, &cfg->login_fail_regno, &cfg->login_window_regno_s))
		return 2;
	if (alim && cli_rate(cmd, "addr-limit", alim, &cfg->login_fail_addr, &cfg->login_window_addr_s))
		return 2;
	if (credit) {
		if (strcmp(credit, "on") == 0) {
			cfg->outage_credit = 1;
		} else if (strcmp(credit, "off") == 0) {
			cfg->outage_credit = 0;
		} else {
			fprintf(stderr, "ujian %s: --outage-credit \"%s\": expected on or off\n", cmd, credit);
			return 2;
		}
	}
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct server_config cfg;
	const char *dbp = NULL;
	int rc;

	server_config_defaults(&cfg);
	if ((rc = cli_server_opts("serve", argc, argv, &cfg, &dbp, NULL)) || cli_need("serve", "db", dbp))
		return 2;
	cfg.db_path = dbp;
	return server_run(&cfg);
}

static int cmd_demo(int argc, char **argv)
{
	struct server_config cfg;
	const char *dbp = "ujian-demo.db";
	int fresh = 0;

	server_config_defaults(&cfg);
	if (cli_server_opts("demo", argc, argv, &cfg, &dbp, &fresh))
		return 2;
	cfg.db_path = dbp;
	return demo_run(&cfg, fresh);
}

static int cmd_routes(int argc, char **argv)
{
	json_t *t;
	(void)argc;
	(void)argv;
	t = route_table_json(&api_table);
	json_dumpf(t, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(t);
	return 0;
}

static int cmd_bank(int argc, char **argv)
{
	static const struct catalog_cmd cc = { "bank", "import", catalog_bank_import_all,
					       catalog_bank_list };
	return cmd_catalog(&cc, argc, argv);
}

static int cmd_exam(int argc, char **argv)
{
	static const struct catalog_cmd cc = { "exam", "create", catalog_exam_create_all,
					       catalog_exam_list };
	return cmd_catalog(&cc, argc, argv);
}

/* The subcommands; each further one lives in server/cli/cmd_<name>.c and is
 * declared in cli/commands.h. */
static const struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cli_cmds[] = {
	{ "init", cmd_init },
	{ "bank", cmd_bank },
	{ "exam", cmd_exam },
	{ "candidates", cmd_candidates },
	{ "results", cmd_results },
	{ "verify", cmd_verify },
	{ "serve", cmd_serve },
	{ "demo", cmd_demo },
	{ "routes", cmd_routes },
	{ "staff", cmd_staff },
	{ "sitting", cmd_sitting },
	{ "talent", cmd_talent },
	{ "selection", cmd_selection },
	{ "audit", cmd_audit },
	{ "cert", cmd_cert },
	{ "backup", cmd_backup },
	{ "employee", cmd_employee },
	{ "skp", cmd_skp },
	{ "sanction", cmd_sanction },
	{ "slip", cmd_slip },
	{ "analysis", cmd_analysis },
	{ "calibrate", cmd_calibrate },
	{ NULL, NULL },
};

/* The usage entries of cmd (its lines of ujian_usage with their indented
 * continuations; serve and demo also get the server options), or all of it
 * when cmd has no entry. */
static void cli_usage_for(const char *cmd, FILE *out)
{
	const char *p = ujian_usage, *opts = strstr(ujian_usage, "\nserver options");
	size_t clen = strlen(cmd);
	int on = 0, any = 0;

	fprintf(out, "usage: ujian %s ...\n\n", cmd);
	while (*p && p != opts) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 2 && p[0] == ' ' && p[1] == ' ' && p[2] != ' ') /* an entry */
			on = strncmp(p + 2, cmd, clen) == 0 &&
			     (p[2 + clen] == ' ' || p[2 + clen] == '|' || p[2 + clen] == '\n');
		else if (len < 4 || p[2] != ' ')
			on = 0; /* a heading or a blank line ends an entry */
		if (on) {
			fwrite(p, 1, len, out);
			fputc('\n', out);
			any = 1;
		}
		p += len + (eol ? 1 : 0);
	}
	if (!any)
		fputs(ujian_usage, out);
	else if (opts && (strcmp(cmd, "serve") == 0 || strcmp(cmd, "demo") == 0)) {
		const char *end = strstr(opts, "\nFormats:");
		fwrite(opts, 1, end ? (size_t)(end - opts) + 1 : strlen(opts), out);
	}
}

/* 1 if the command line asks for help (--help or -h after the command). */
static int cli_wants_help(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "help";

	/* Every file ujian creates (database, WAL, lock, key, credentials) is
	 * private to its user: they hold answers, password hashes and logins. */
	umask(077);
	/* Before any thread starts: process-wide hash keys. */
	hmap_seed();
	json_object_seed(0);
	if (getenv("UJIAN_LOG_DEBUG"))
		log_set_level(LOG_DEBUG);

	if (argc < 2) { /* no command: a usage error */
		fputs(ujian_usage, stderr);
		return 2;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(ujian_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("ujian %s\n", UJIAN_VERSION);
		return 0;
	}
	for (const struct cli_cmd *c = cli_cmds; c->name; c++)
		if (strcmp(cmd, c->name) == 0) {
			if (cli_wants_help(argc, argv)) {
				cli_usage_for(cmd, stdout);
				return 0;
			}
			return c->fn(argc, argv);
		}
	fprintf(stderr, "ujian: unknown command \"%s\" (see 'ujian help')\n", cmd);
	return 2;
}
