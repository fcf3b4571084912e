/* fuzz_csv.c - libFuzzer target: bytes -> candidate CSV -> enrolment.
 *
 * Each input is written to a file and imported with enrol_import, exactly as
 * 'ujian candidates import' does: csv_parse, the header, every row's fields
 * (registration number, name, password, track against the exam's pass rules,
 * extra time), duplicates within the file and against the database, the
 * blueprint, then paper drawing, credentials and one transaction.
 *
 * The database is made once, in LLVMFuzzerInitialize, in a temporary folder
 * (/dev/shm when there is one): the real schema (db_open + db_migrate), a
 * small bank and an exam with pass rules for the tracks "umum" and "khusus",
 * imported through catalog_bank_import and catalog_exam_create, and one
 * enrolled candidate "OLD1" so "already registered" is reachable. A pristine
 * in-memory copy is kept; after an import that succeeded, the database is
 * restored from it with the backup API, so every run starts from the same
 * state. The folder is removed at exit.
 *
 * The same bytes also go through csv_parse directly with tight limits (64-byte
 * records, 16 records), so the limit branches are reachable with small
 * inputs, and every parsed record is written back with enrol_csv_field (the
 * writer of the credentials file) and read again.
 *
 * Contracts checked besides memory safety:
 * - a failed import has a message, changed nothing (candidates, papers,
 *   catalog_version) and left no transaction open;
 * - a successful import added candidates and papers in equal numbers;
 * - a failed csv_parse leaves an empty document; records start on
 *   increasing lines;
 * - enrol_csv_field output parses back to the same fields. */
#include "fuzz.h"

#include "auth/cred.h"
#include "catalog/catalog.h"
#include "catalog/enrol.h"
#include "core/csv.h"
#include "store/db.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_EXAM "FUZZ-EXAM"

/* Two sections with two topics each, enough items for the exam below. */
static const char fuzz_bank_json[] =
	"{\"code\": \"FUZZ-BANK\", \"title\": \"Bank fuzz\", \"sections\": ["
	" {\"code\": \"TWK\", \"title\": \"Wawasan\","
	"  \"scoring\": {\"type\": \"right_wrong\", \"correct\": 5, \"wrong\": 0, \"blank\": 0}},"
	" {\"code\": \"TKP\", \"title\": \"Karakteristik\","
	"  \"scoring\": {\"type\": \"weighted\", \"blank\": 0}}],"
	" \"items\": ["
	"  {\"id\": \"TWK-1\", \"section\": \"TWK\", \"topic\": \"t0\", \"difficulty\": \"easy\","
	"   \"text\": \"satu\", \"options\": [{\"text\": \"a\", \"correct\": true}, {\"text\": \"b\"}]},"
	"  {\"id\": \"TWK-2\", \"section\": \"TWK\", \"topic\": \"t0\", \"difficulty\": \"hard\","
	"   \"text\": \"dua\", \"options\": [{\"text\": \"a\"}, {\"text\": \"b\", \"correct\": true},"
	"   {\"text\": \"c\"}]},"
	"  {\"id\": \"TWK-3\", \"section\": \"TWK\", \"topic\": \"t1\", \"difficulty\": \"medium\","
	"   \"text\": \"tiga\", \"options\": [{\"text\": \"a\"}, {\"text\": \"b\", \"correct\": true}]},"
	"  {\"id\": \"TKP-1\", \"section\": \"TKP\", \"topic\": \"t0\", \"difficulty\": \"easy\","
	"   \"text\": \"empat\", \"options\": [{\"text\": \"a\", \"points\": 5},"
	"   {\"text\": \"b\", \"points\": 1}, {\"text\": \"c\", \"points\": 3}]},"
	"  {\"id\": \"TKP-2\", \"section\": \"TKP\", \"topic\": \"t1\", \"difficulty\": \"medium\","
	"   \"text\": \"lima\", \"options\": [{\"text\": \"a\", \"points\": 2},"
	"   {\"text\": \"b\", \"points\": 4}]},"
	"  {\"id\": \"TKP-3\", \"section\": \"TKP\", \"topic\": \"t1\", \"difficulty\": \"hard\","
	"   \"text\": \"enam\", \"options\": [{\"text\": \"a\", \"points\": 1},"
	"   {\"text\": \"b\", \"points\": 5}]}]}";

static const char fuzz_exam_json[] =
	"{\"code\": \"" FUZZ_EXAM "\", \"title\": \"Ujian fuzz\", \"bank\": \"FUZZ-BANK\","
	" \"duration_s\": 600, \"sections\": ["
	"  {\"code\": \"TWK\", \"draw\": 2, \"topics\": {\"t0\": 1, \"t1\": 1}},"
	"  {\"code\": \"TKP\", \"draw\": 2, \"difficulty\": {\"easy\": 1, \"hard\": 1}}],"
	" \"pass_rules\": {\"umum\": {\"sections\": {\"TWK\": 5}}, \"khusus\": {\"total\": 8}}}";

static const char fuzz_old_csv[] = "registration_no,name,password\nOLD1,Peserta Lama,password1\n";

static const uint8_t fuzz_key[CRED_KEY_LEN] = { 0x55, 0x4a, 0x49, 0x41, 0x4e };

static char fuzz_dir[64];
static char *fuzz_csv_path;
static sqlite3 *fuzz_db, *fuzz_pristine;
static FILE *fuzz_null;
static int64_t fuzz_base_cands, fuzz_base_papers, fuzz_base_catalog;

/* A path inside the scratch folder; caller frees. */
static char *fuzz_path(const char *name)
{
	return fuzz_join(fuzz_dir, name);
}

/* The single integer a query returns (fuzz_fail on error). */
static int64_t fuzz_count(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;
	if (sqlite3_prepare_v2(fuzz_db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		fuzz_fail("%s: %s", sql, sqlite3_errmsg(fuzz_db));
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Copy the whole database from src into dst (sqlite3 backup API). */
static void fuzz_copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		fuzz_fail("database copy failed: %s", sqlite3_errmsg(dst));
}

/* atexit: close the databases and remove the scratch folder. */
static void fuzz_cleanup(void)
{
	static const char *const names[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm", "bank.json",
					     "exam.json", "old.csv", "input.csv" };
	db_close(fuzz_db);
	sqlite3_close(fuzz_pristine);
	if (fuzz_null)
		fclose(fuzz_null);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = fuzz_path(names[i]);
		unlink(p);
		free(p);
	}
	rmdir(fuzz_dir);
	free(fuzz_csv_path);
}

/* Make the scratch folder and the database described in the header. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[2048], *dbp, *bank, *exam, *old;

	(void)argc;
	(void)argv;
	json_object_seed(1); /* reproducible object order */
	fuzz_scratch(fuzz_dir, sizeof fuzz_dir, "csv");
	atexit(fuzz_cleanup);
	fuzz_null = fopen("/dev/null", "w");
	dbp = fuzz_path("fuzz.db");
	bank = fuzz_path("bank.json");
	exam = fuzz_path("exam.json");
	old = fuzz_path("old.csv");
	fuzz_csv_path = fuzz_path("input.csv");
	fuzz_write(bank, fuzz_bank_json, sizeof fuzz_bank_json - 1);
	fuzz_write(exam, fuzz_exam_json, sizeof fuzz_exam_json - 1);
	fuzz_write(old, fuzz_old_csv, sizeof fuzz_old_csv - 1);
	if (!fuzz_null || !(fuzz_db = db_open(dbp, DB_OPEN_CREATE, err, sizeof err)) ||
	    db_migrate(fuzz_db, err, sizeof err) ||
	    catalog_bank_import(fuzz_db, bank, fuzz_null, err, sizeof err) ||
	    catalog_exam_create(fuzz_db, exam, fuzz_null, err, sizeof err) ||
	    enrol_import(fuzz_db, fuzz_key, FUZZ_EXAM, old, fuzz_null, err, sizeof err))
		fuzz_fail("setting up the database: %s", fuzz_null ? err : "/dev/null");
	if (sqlite3_open(":memory:", &fuzz_pristine) != SQLITE_OK)
		fuzz_fail("cannot open an in-memory database");
	fuzz_copy_db(fuzz_pristine, fuzz_db);
	fuzz_base_cands = fuzz_count("SELECT count(*) FROM candidates");
	fuzz_base_papers = fuzz_count("SELECT count(*) FROM papers");
	fuzz_base_catalog = db_meta_get(fuzz_db, "catalog_version");
	free(dbp);
	free(bank);
	free(exam);
	free(old);
	return 0;
}

/* csv_parse with tight limits, and the writer/reader round trip. */
static void fuzz_csv_direct(const uint8_t *data, size_t size)
{
	struct csv_doc doc, back;
	char err[256];

	err[0] = '\0';
	if (csv_parse((const char *)data, size, 64, 16, &doc, err, sizeof err)) {
		fuzz_require(err[0] != '\0', "csv_parse failed without a message");
		fuzz_require(doc.nrecords == 0 && doc.records == NULL,
			     "a failed csv_parse left records behind");
		return;
	}
	for (size_t r = 0; r < doc.nrecords; r++) {
		const struct csv_record *rec = &doc.records[r];
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		fuzz_require(rec->nfields >= 1, "record %zu has no fields", r);
		fuzz_require(rec->line >= 1 && (r == 0 || rec->line > doc.records[r - 1].line),
			     "record %zu starts on line %d", r, rec->line);
		/* One empty field is written as an empty line, which readers skip. */
		if (rec->nfields == 1 && rec->fields[0][0] == '\0')
			continue;
		m = open_memstream(&buf, &len);
		if (!m)
			fuzz_fail("open_memstream failed");
		fputs("x\n", m);
		for (int f = 0; f < rec->nfields; f++) {
			if (f)
				fputc(',', m);
			enrol_csv_field(m, rec->fields[f]);
		}
		fputc('\n', m);
		fclose(m);
		fuzz_require(csv_parse(buf, len, (size_t)-1, 2, &back, err, sizeof err) == 0,
			     "record %zu written back does not parse: %s", r, err);
		fuzz_require(back.nrecords == 2 && back.records[1].nfields == rec->nfields,
			     "record %zu written back has a different shape", r);
		for (int f = 0; f < rec->nfields; f++)
			fuzz_require(strcmp(back.records[1].fields[f], rec->fields[f]) == 0,
				     "record %zu field %d changed when written back", r, f);
		csv_free(&back);
		free(buf);
	}
	csv_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[2048];
	int64_t cands, papers;

	fuzz_csv_direct(data, size);

	fuzz_write(fuzz_csv_path, data, size);
	err[0] = '\0';
	if (enrol_import(fuzz_db, fuzz_key, FUZZ_EXAM, fuzz_csv_path, fuzz_null, err, sizeof err)) {
		fuzz_require(err[0] != '\0', "import failed without a message");
		fuzz_require(sqlite3_get_autocommit(fuzz_db), "a failed import left a transaction open: %s",
			     err);
		fuzz_require(fuzz_count("SELECT count(*) FROM candidates") == fuzz_base_cands &&
				     fuzz_count("SELECT count(*) FROM papers") == fuzz_base_papers &&
				     db_meta_get(fuzz_db, "catalog_version") == fuzz_base_catalog,
			     "a failed import changed the database: %s", err);
		return 0;
	}
	fuzz_require(sqlite3_get_autocommit(fuzz_db), "a successful import left a transaction open");
	cands = fuzz_count("SELECT count(*) FROM candidates");
	papers = fuzz_count("SELECT count(*) FROM papers");
	fuzz_require(cands > fuzz_base_cands && papers - fuzz_base_papers == cands - fuzz_base_cands,
		     "import succeeded with %lld candidates and %lld papers added",
		     (long long)(cands - fuzz_base_cands), (long long)(papers - fuzz_base_papers));
	fuzz_require(db_meta_get(fuzz_db, "catalog_version") == fuzz_base_catalog + 1,
		     "a successful import did not bump catalog_version once");
	fuzz_copy_db(fuzz_db, fuzz_pristine);
	fuzz_require(fuzz_count("SELECT count(*) FROM candidates") == fuzz_base_cands,
		     "restoring the database failed");
	return 0;
}
