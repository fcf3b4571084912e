/* fuzz_http.c - libFuzzer target: raw bytes -> a TCP connection to a real
 * server instance -> evhttp's parser -> the route table -> authentication,
 * authorization, admission -> the handlers -> the exam and auth domains ->
 * the writer -> the database, and the replies back.
 *
 * LLVMFuzzerInitialize builds a database in a temporary folder (/dev/shm
 * when there is one, so commits are cheap): the real schema, a small bank, an
 * exam, and FUZZ_CANDIDATES candidates with a known password, through the
 * same catalog and enrolment code as the CLI. It then opens a server on it
 * with server_open (listening on 127.0.0.1, any free port; no catalog
 * watcher) in this process, logs one candidate in and starts its attempt
 * through HTTP.
 *
 * Each input is sent as the bytes of one connection (the client then shuts
 * its sending side), and the server's event loop runs until the server has
 * closed the connection or FUZZ_INPUT_MS have passed. Every "@TOKEN@" in the
 * input is replaced by the live session token, so the fuzzer reaches the
 * candidate routes, not only the 401 of a missing session. Every
 * FUZZ_ROTATE inputs the next candidate logs in and starts, because inputs
 * can log out, replace the session or finish the attempt.
 *
 * Contracts checked besides memory safety: the server answers a health
 * request after every FUZZ_ROTATE inputs; every reply the fuzzer's
 * connection received starts with an HTTP status line; no candidate has a
 * negative count of operations in flight. */
#include "fuzz.h"

#include "app/server.h"
#include "auth/cred.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "core/clock.h"
#include "store/db.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_CANDIDATES 64
#define FUZZ_ROTATE 256
#define FUZZ_INPUT_MS 2000
#define FUZZ_TOKEN_MARK "@TOKEN@"

static const char fuzz_bank_json[] =
	"{\"code\": \"FB\", \"title\": \"Bank fuzz\", \"sections\": ["
	" {\"code\": \"TWK\", \"title\": \"Wawasan\","
	"  \"scoring\": {\"type\": \"right_wrong\", \"correct\": 5, \"wrong\": 0, \"blank\": 0}},"
	" {\"code\": \"TKP\", \"title\": \"Karakteristik\","
	"  \"scoring\": {\"type\": \"weighted\", \"blank\": 0}}],"
	" \"items\": ["
	"  {\"id\": \"W1\", \"section\": \"TWK\", \"topic\": \"t\", \"difficulty\": \"easy\","
	"   \"text\": \"satu\", \"options\": [{\"text\": \"a\", \"correct\": true}, {\"text\": \"b\"}]},"
	"  {\"id\": \"W2\", \"section\": \"TWK\", \"topic\": \"t\", \"difficulty\": \"hard\","
	"   \"text\": \"dua\", \"options\": [{\"text\": \"a\"}, {\"text\": \"b\", \"correct\": true},"
	"   {\"text\": \"c\"}]},"
	"  {\"id\": \"K1\", \"section\": \"TKP\", \"topic\": \"t\", \"difficulty\": \"easy\","
	"   \"text\": \"tiga\", \"options\": [{\"text\": \"a\", \"points\": 5},"
	"   {\"text\": \"b\", \"points\": 1}, {\"text\": \"c\", \"points\": 3}]},"
	"  {\"id\": \"K2\", \"section\": \"TKP\", \"topic\": \"t\", \"difficulty\": \"medium\","
	"   \"text\": \"empat\", \"options\": [{\"text\": \"a\", \"points\": 2},"
	"   {\"text\": \"b\", \"points\": 4}]}]}";

static const char fuzz_exam_json[] =
	"{\"code\": \"FX\", \"title\": \"Ujian fuzz\", \"bank\": \"FB\", \"duration_s\": 3600,"
	" \"sections\": [{\"code\": \"TWK\", \"draw\": 2}, {\"code\": \"TKP\", \"draw\": 2}]}";

static char fuzz_dir[64];
static struct server fuzz_srv;
static int fuzz_port;
static char fuzz_token[CRED_TOKEN_LEN + 1];
static long fuzz_runs;
static int fuzz_next_cand = 1;

/* A path inside the scratch folder; caller frees. */
static char *fuzz_path(const char *name)
{
	return fuzz_join(fuzz_dir, name);
}

/* Send data on a new connection, run the server's loop until it has closed
 * the connection (or FUZZ_INPUT_MS), and return what came back (malloc'ed,
 * NUL-terminated; *len its length). */
static char *fuzz_exchange(const void *data, size_t size, size_t *len)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	size_t cap = 4096, got = 0, sent = 0;
	char *buf = malloc(cap);
	int64_t until = clock_now_ms() + FUZZ_INPUT_MS;
	int eof = 0;

	if (fd < 0 || !buf)
		fuzz_fail("socket: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)fuzz_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* Non-blocking from the start: libFuzzer's timer signals (SIGALRM) can
	 * interrupt any call here; an interrupted or pending connect completes
	 * in the kernel (loopback), and every call below is retried. */
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS &&
	    errno != EINTR)
		fuzz_fail("connect: %s", strerror(errno));
	while (!eof && clock_now_ms() < until) {
		ssize_t n;
		if (sent < size) {
			n = send(fd, (const char *)data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
				 errno != ENOTCONN)
				sent = size; /* the server closed early: stop sending */
			if (sent == size)
				shutdown(fd, SHUT_WR);
		}
		event_base_loop(fuzz_srv.base, EVLOOP_NONBLOCK);
		for (;;) {
			if (got + 1024 > cap) {
				cap *= 2;
				buf = realloc(buf, cap);
				if (!buf)
					fuzz_fail("out of memory");
			}
			n = recv(fd, buf + got, cap - got - 1, 0);
			if (n > 0) {
				got += (size_t)n;
				continue;
			}
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
				       errno != ENOTCONN))
				eof = 1;
			break;
		}
		if (!eof && sent == size)
			usleep(100); /* let the writer thread commit */
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* One request through the real path; the JSON body of the reply (or NULL). */
static json_t *fuzz_request(const char *method, const char *path, const char *token,
			    const char *body)
{
	char req[2048], *reply, *js;
	size_t len;
	int n = snprintf(req, sizeof req,
			 "%s %s HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n%s%s%s"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			 method, path, token ? "Authorization: Bearer " : "", token ? token : "",
			 token ? "\r\n" : "", strlen(body), body);
	json_t *root;
	if (n < 0 || (size_t)n >= sizeof req)
		fuzz_fail("request too long");
	reply = fuzz_exchange(req, (size_t)n, &len);
	js = strstr(reply, "\r\n\r\n");
	root = js ? json_loads(js + 4, 0, NULL) : NULL;
	free(reply);
	return root;
}

/* Log the next candidate in and start its attempt; keep its token. */
static void fuzz_rotate(void)
{
	char body[256], regno[16];
	json_t *r, *h;

	h = fuzz_request("GET", "/api/v1/health", NULL, "");
	fuzz_require(h && json_is_object(h), "the server did not answer a health request");
	json_decref(h);
	snprintf(regno, sizeof regno, "F%03d", fuzz_next_cand);
	fuzz_next_cand = fuzz_next_cand % FUZZ_CANDIDATES + 1;
	snprintf(body, sizeof body,
		 "{\"exam\":\"FX\",\"registration_no\":\"%s\",\"password\":\"rahasia123\"}", regno);
	r = fuzz_request("POST", "/api/v1/candidate/login", NULL, body);
	if (r && json_is_string(json_object_get(r, "token"))) {
		snprintf(fuzz_token, sizeof fuzz_token, "%s",
			 json_string_value(json_object_get(r, "token")));
		json_decref(fuzz_request("POST", "/api/v1/attempt/start", fuzz_token, "{}"));
	}
	json_decref(r);
}

static void fuzz_cleanup(void)
{
	static const char *const names[] = { "f.db",      "f.db-wal",  "f.db-shm",  "f.db.key",
					     "f.db.lock", "bank.json", "exam.json", "c.csv" };
	server_close(&fuzz_srv);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = fuzz_path(names[i]);
		unlink(p);
		free(p);
	}
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[2048], *dbp, *keyp, *bank, *exam, *csv, *rows, *colon;
	uint8_t key[CRED_KEY_LEN];
	struct server_config cfg;
	FILE *null = fopen("/dev/null", "w");
	size_t o = 0, cap = 64 * (FUZZ_CANDIDATES + 2);
	sqlite3 *db;

	(void)argc;
	(void)argv;
	json_object_seed(1);
	signal(SIGPIPE, SIG_IGN);
	fuzz_scratch(fuzz_dir, sizeof fuzz_dir, "http");
	if (!null)
		fuzz_fail("cannot open /dev/null");
	dbp = fuzz_path("f.db");
	keyp = fuzz_path("f.db.key");
	bank = fuzz_path("bank.json");
	exam = fuzz_path("exam.json");
	csv = fuzz_path("c.csv");
	rows = malloc(cap);
	if (!rows)
		fuzz_fail("out of memory");
	o += (size_t)snprintf(rows + o, cap - o, "registration_no,name,password\n");
	for (int i = 1; i <= FUZZ_CANDIDATES; i++)
		o += (size_t)snprintf(rows + o, cap - o, "F%03d,Peserta %d,rahasia123\n", i, i);
	fuzz_write(bank, fuzz_bank_json, sizeof fuzz_bank_json - 1);
	fuzz_write(exam, fuzz_exam_json, sizeof fuzz_exam_json - 1);
	fuzz_write(csv, rows, o);
	if (!(db = db_open(dbp, DB_OPEN_CREATE, err, sizeof err)) || db_migrate(db, err, sizeof err) ||
	    cred_key_ensure(keyp, err, sizeof err) || cred_key_load(keyp, key, err, sizeof err) ||
	    catalog_bank_import(db, bank, null, err, sizeof err) ||
	    catalog_exam_create(db, exam, null, err, sizeof err) ||
	    enrol_import(db, key, "FX", csv, null, err, sizeof err))
		fuzz_fail("setting up the database: %s", err);
	db_close(db);
	fclose(null);
	server_config_defaults(&cfg);
	cfg.db_path = dbp;
	cfg.key_path = keyp;
	cfg.listen = "127.0.0.1:0";
	cfg.quiet = 1;
	cfg.watcher = 0;
	cfg.bench_route = 1;
	cfg.login_fail_addr = 1000000; /* the fuzzer is one address */
	if (server_open(&fuzz_srv, &cfg, err, sizeof err))
		fuzz_fail("server_open: %s", err);
	atexit(fuzz_cleanup);
	colon = strrchr(fuzz_srv.http.bound, ':');
	fuzz_port = colon ? atoi(colon + 1) : 0;
	fuzz_require(fuzz_port > 0, "no port bound (%s)", fuzz_srv.http.bound);
	fuzz_rotate();
	fuzz_require(fuzz_token[0], "the set-up login failed");
	free(dbp);
	free(keyp);
	free(bank);
	free(exam);
	free(csv);
	free(rows);
	return 0;
}

/* data with every FUZZ_TOKEN_MARK replaced by the live token; *len set. */
static char *fuzz_with_token(const uint8_t *data, size_t size, size_t *len)
{
	size_t mark = sizeof FUZZ_TOKEN_MARK - 1, tok = strlen(fuzz_token), o = 0;
	char *out = malloc(size * (tok / mark + 1) + 1);
	if (!out)
		fuzz_fail("out of memory");
	for (size_t i = 0; i < size;) {
		if (size - i >= mark && memcmp(data + i, FUZZ_TOKEN_MARK, mark) == 0) {
			memcpy(out + o, fuzz_token, tok);
			o += tok;
			i += mark;
		} else {
			out[o++] = (char)data[i++];
		}
	}
	*len = o;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, got;
	char *in = fuzz_with_token(data, size, &len);
	char *reply = fuzz_exchange(in, len, &got);

	/* evhttp answers in the request's own version, as it parsed it (even
	 * "HTTP/0.1", or "HTTP/-1.2" for an overflowing major number). */
	fuzz_require(got == 0 || strncmp(reply, "HTTP/", 5) == 0,
		     "a reply that is not HTTP: %.40s", reply);
	for (struct rt_candidate *c = fuzz_srv.x.reg.all; c; c = c->all_next)
		fuzz_require(c->pending >= 0, "candidate %s has %d operations in flight", c->regno,
			     c->pending);
	free(reply);
	free(in);
	if (++fuzz_runs % FUZZ_ROTATE == 0)
		fuzz_rotate();
	return 0;
}
