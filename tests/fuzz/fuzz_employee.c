/* fuzz_employee.c - libFuzzer target: bytes -> the personnel imports
 * (server/selection/employee.c, personnel.c, pcsv.c) and the export's cell
 * writer (core/csv.c csv_write_cell).
 *
 * The same bytes go through the employee, SKP and sanction imports, as
 * 'ujian employee import', 'ujian skp import' and 'ujian sanction import'
 * do: the CSV, the header in either language, every record's fields (NIP
 * structure, grade, position type, dates, predikat, levels, lengths),
 * duplicates, the registry lookup, then one transaction with its audit
 * event. The database is made once (the real schema, two employees with an
 * SKP rating and a sanction); after an import that succeeded it is restored
 * from an in-memory copy.
 *
 * Contracts checked besides memory safety:
 * - a failed import has at least one error, changed nothing (employees,
 *   SKP, sanctions, events) and left no transaction open;
 * - a successful import's counts add up: created + updated + unchanged is
 *   the number of records, created rows are new rows, one audit event;
 * - every field of the input, written with csv_write_cell and read back the
 *   way the imports read a value (=" " and a neutralising apostrophe taken
 *   off), is the same text: an export imports again unchanged;
 * - a date pcsv_date accepts comes out as a valid YYYY-MM-DD that it accepts
 *   again unchanged. */
#include "fuzz.h"

#include "bounds.h"
#include "core/csv.h"
#include "core/errlist.h"
#include "selection/employee.h"
#include "selection/pcsv.h"
#include "selection/personnel.h"
#include "store/db.h"

#include <jansson.h>
#include <sqlite3.h>

static const char fuzz_seed_emp[] =
	"nip,nama,golongan,jenis_jabatan\n198503122010011002,Budi,III/c,fungsional\n"
	"199602292020122001,Siti,IV/a,administrator\n";
static const char fuzz_seed_skp[] = "nip,tahun,predikat\n198503122010011002,2025,Baik\n";
static const char fuzz_seed_sanc[] =
	"nip,jenis,tingkat,tanggal\n199602292020122001,Teguran,ringan,2025-01-01\n";

static char fuzz_dir[64];
static sqlite3 *fuzz_db, *fuzz_pristine;
static int64_t fuzz_base[4];
static const char *const fuzz_tables[4] = { "employees", "skp", "sanctions", "events" };

static int64_t fuzz_count(const char *table)
{
	sqlite3_stmt *st;
	char sql[64];
	int64_t v;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(fuzz_db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		fuzz_fail("%s: %s", sql, sqlite3_errmsg(fuzz_db));
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void fuzz_copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		fuzz_fail("database copy failed: %s", sqlite3_errmsg(dst));
}

static void fuzz_cleanup(void)
{
	static const char *const names[] = { "fuzz.db", "fuzz.db-wal", "fuzz.db-shm" };
	db_close(fuzz_db);
	sqlite3_close(fuzz_pristine);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = fuzz_join(fuzz_dir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct emp_import_result er;
	struct personnel_result pr;
	struct errlist errs;
	char err[512], *dbp;

	(void)argc;
	(void)argv;
	json_object_seed(1);
	fuzz_scratch(fuzz_dir, sizeof fuzz_dir, "employee");
	atexit(fuzz_cleanup);
	dbp = fuzz_join(fuzz_dir, "fuzz.db");
	errlist_init(&errs, 1);
	if (!(fuzz_db = db_open(dbp, DB_OPEN_CREATE, err, sizeof err)) ||
	    db_migrate(fuzz_db, err, sizeof err) ||
	    employee_import(fuzz_db, fuzz_seed_emp, sizeof fuzz_seed_emp - 1, actor_system(), 1, &er,
			    &errs) ||
	    skp_import(fuzz_db, fuzz_seed_skp, sizeof fuzz_seed_skp - 1, actor_system(), 1, &pr,
		       &errs) ||
	    sanction_import(fuzz_db, fuzz_seed_sanc, sizeof fuzz_seed_sanc - 1, actor_system(), 1,
			    &pr, &errs))
		fuzz_fail("setting up the database: %s", errs.n ? errs.v[0].message : err);
	errlist_free(&errs);
	if (sqlite3_open(":memory:", &fuzz_pristine) != SQLITE_OK)
		fuzz_fail("cannot open an in-memory database");
	fuzz_copy_db(fuzz_pristine, fuzz_db);
	for (int t = 0; t < 4; t++)
		fuzz_base[t] = fuzz_count(fuzz_tables[t]);
	free(dbp);
	return 0;
}

/* A value as the imports read it back from an export's cell. */
static void fuzz_read_back(char *f)
{
	size_t n = strlen(f);
	if (n >= 3 && f[0] == '=' && f[1] == '"' && f[n - 1] == '"') {
		memmove(f, f + 2, n - 3);
		f[n - 3] = '\0';
	} else if (f[0] == '\'' && f[1] && strchr("=+-@\t\r", f[1])) {
		memmove(f, f + 1, n);
	}
}

/* The cell writer round trip and the date parser, on every field. */
static void fuzz_cells(const uint8_t *data, size_t size)
{
	struct csv_doc doc, back;
	char err[256], d1[11], d2[11];

	if (csv_parse_sep((const char *)data, size, ';', 512, 32, &doc, err, sizeof err))
		return;
	for (size_t r = 0; r < doc.nrecords; r++)
		for (int k = 0; k < doc.records[r].nfields; k++) {
			const char *v = doc.records[r].fields[k];
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);
			if (!m)
				fuzz_fail("open_memstream failed");
			fputs("x;", m);
			csv_write_cell(m, v, ';');
			fputs("\r\n", m);
			fclose(m);
			fuzz_require(csv_parse_sep(buf, len, ';', (size_t)-1, 2, &back, err, sizeof err) == 0,
				     "a written cell does not parse: %s", err);
			fuzz_require(back.nrecords == 1 && back.records[0].nfields == 2,
				     "a written cell split into %d fields", back.records[0].nfields);
			fuzz_read_back(back.records[0].fields[1]);
			/* a value already in an export's form (="..." or '=...) is
			 * not one the writer makes from plain text */
			if (!(v[0] == '\'' || (v[0] == '=' && v[1] == '"')))
				fuzz_require(strcmp(back.records[0].fields[1], v) == 0,
					     "cell \"%s\" read back as \"%s\"", v,
					     back.records[0].fields[1]);
			csv_free(&back);
			free(buf);
			if (pcsv_date(v, d1) == 0) {
				fuzz_require(strlen(d1) == 10 && d1[4] == '-' && d1[7] == '-',
					     "date \"%s\" came out as \"%s\"", v, d1);
				fuzz_require(pcsv_date(d1, d2) == 0 && strcmp(d1, d2) == 0,
					     "date \"%s\" is not stable", d1);
			}
		}
	csv_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;

	fuzz_cells(data, size);
	for (int kind = 0; kind < 3; kind++) {
		struct emp_import_result er = { 0 };
		struct personnel_result pr = { 0 };
		struct errlist errs;
		int rc, created, total, records;

		errlist_init(&errs, 0);
		if (kind == 0) {
			rc = employee_import(fuzz_db, in, size, actor_system(), 2, &er, &errs);
			created = er.created;
			total = er.created + er.updated + er.unchanged;
		} else {
			rc = (kind == 1 ? skp_import : sanction_import)(fuzz_db, in, size, actor_system(),
									  2, &pr, &errs);
			created = pr.created;
			total = pr.created + pr.updated + pr.unchanged;
		}
		fuzz_require(sqlite3_get_autocommit(fuzz_db), "import %d left a transaction open", kind);
		if (rc) {
			fuzz_require(errs.total > 0 && errs.n > 0, "import %d failed without an error", kind);
			for (int t = 0; t < 4; t++)
				fuzz_require(fuzz_count(fuzz_tables[t]) == fuzz_base[t],
					     "a failed import %d changed %s", kind, fuzz_tables[t]);
			errlist_free(&errs);
			continue;
		}
		fuzz_require(errs.total == 0, "import %d succeeded with errors", kind);
		records = 0;
		{
			struct csv_doc doc;
			char err[256];
			if (csv_parse_sep(in, size, csv_detect_sep(in, size), UJ_CSV_LINE_MAX,
					  UJ_EMP_ROWS_MAX + 1, &doc, err, sizeof err) == 0) {
				records = (int)doc.nrecords - 1;
				csv_free(&doc);
			}
		}
		fuzz_require(total == records, "import %d: %d counted for %d records", kind, total,
			     records);
		fuzz_require(fuzz_count(fuzz_tables[kind]) == fuzz_base[kind] + created,
			     "import %d: %d created, table %s grew by %lld", kind, created,
			     fuzz_tables[kind], (long long)(fuzz_count(fuzz_tables[kind]) - fuzz_base[kind]));
		fuzz_require(fuzz_count("events") == fuzz_base[3] + 1,
			     "import %d: not exactly one audit event", kind);
		errlist_free(&errs);
		fuzz_copy_db(fuzz_db, fuzz_pristine);
	}
	return 0;
}
