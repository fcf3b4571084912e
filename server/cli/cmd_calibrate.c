/* cmd_calibrate.c - 'ujian calibrate --db F --bank CODE': a Rasch
 * calibration of a bank's right/wrong items over every finished attempt of
 * its exams (analysis/calib.h), stored with the data it came from and an
 * audit event (actor: the system, as for every CLI command), then printed
 * as text (a table per item), CSV (for a spreadsheet: UTF-8 BOM,
 * Indonesian headers) or JSON (the API's detail document). Exit 0 stored,
 * 1 no data or failure, 2 usage. Runs beside a serving server (its own
 * transaction, like the other CLI writes). */
#include "analysis/calib.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "core/clock.h"
#include "core/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char calibrate_usage[] =
	"usage: ujian calibrate --db FILE --bank CODE [--format text|csv|json]\n";

/* A number of the document, as text ("-" when null). */
static const char *cal_num(char *buf, size_t len, json_t *v, const char *fmt)
{
	if (!json_is_number(v))
		return "-";
	snprintf(buf, len, fmt, json_number_value(v));
	return buf;
}

static void calibrate_text(json_t *doc, FILE *out)
{
	json_t *items = json_object_get(doc, "items"), *it, *pers = json_object_get(doc, "persons");
	size_t i;
	char b1[32], b2[32], b3[32], b4[32];
	fprintf(out, "calibration %lld of bank %s (version %lld): %s, %lld iterations, %s\n",
		(long long)json_integer_value(json_object_get(doc, "id")),
		json_string_value(json_object_get(doc, "bank")),
		(long long)json_integer_value(json_object_get(doc, "bank_version")),
		json_string_value(json_object_get(doc, "method")),
		(long long)json_integer_value(json_object_get(doc, "iterations")),
		json_is_true(json_object_get(doc, "converged")) ? "converged" : "NOT converged");
	fprintf(out, "%lld candidates, %lld items, %lld responses; data sha256 %s\n",
		(long long)json_integer_value(json_object_get(doc, "n_persons")),
		(long long)json_integer_value(json_object_get(doc, "n_items")),
		(long long)json_integer_value(json_object_get(doc, "n_responses")),
		json_string_value(json_object_get(doc, "data_sha256")));
	fprintf(out, "abilities (WLE): n %lld, mean %s, sd %s\n\n",
		(long long)json_integer_value(json_object_get(pers, "n")),
		cal_num(b1, sizeof b1, json_object_get(pers, "mean"), "%.3f"),
		cal_num(b2, sizeof b2, json_object_get(pers, "sd"), "%.3f"));
	fprintf(out, "  %-16s %-8s %6s %10s %7s %7s %7s  %s\n", "item", "section", "n",
		"difficulty", "se", "infit", "outfit", "extreme");
	json_array_foreach(items, i, it) {
		json_t *ex = json_object_get(it, "extreme");
		fprintf(out, "  %-16s %-8s %6lld %10s %7s %7s %7s  %s\n",
			json_string_value(json_object_get(it, "item_code")),
			json_string_value(json_object_get(it, "section")),
			(long long)json_integer_value(json_object_get(it, "n")),
			cal_num(b1, sizeof b1, json_object_get(it, "difficulty"), "%.3f"),
			cal_num(b2, sizeof b2, json_object_get(it, "se"), "%.3f"),
			cal_num(b3, sizeof b3, json_object_get(it, "infit"), "%.2f"),
			cal_num(b4, sizeof b4, json_object_get(it, "outfit"), "%.2f"),
			json_is_string(ex) ? json_string_value(ex) : "");
	}
}

/* One row per item: UTF-8 BOM, Indonesian headers, numbers with a dot. */
static void calibrate_csv(json_t *doc, FILE *out)
{
	static const char *const head[] = { "kode_soal", "bagian", "n", "kesulitan", "se",
					    "infit", "outfit", "ekstrem" };
	json_t *it;
	size_t i;
	char buf[32];
	fputs("\xEF\xBB\xBF", out);
	for (size_t h = 0; h < sizeof head / sizeof *head; h++)
		fprintf(out, "%s%s", h ? "," : "", head[h]);
	fputc('\n', out);
	json_array_foreach(json_object_get(doc, "items"), i, it) {
		json_t *ex = json_object_get(it, "extreme");
		csv_write_cell(out, json_string_value(json_object_get(it, "item_code")), ',');
		fputc(',', out);
		csv_write_cell(out, json_string_value(json_object_get(it, "section")), ',');
		fprintf(out, ",%lld", (long long)json_integer_value(json_object_get(it, "n")));
		static const char *const num[] = { "difficulty", "se", "infit", "outfit" };
		for (size_t k = 0; k < 4; k++) {
			json_t *v = json_object_get(it, num[k]);
			if (json_is_number(v))
				snprintf(buf, sizeof buf, "%.4f", json_number_value(v));
			else
				buf[0] = '\0';
			fprintf(out, ",%s", buf);
		}
		fprintf(out, ",%s\n", json_is_string(ex) ? json_string_value(ex) : "");
	}
}

int cmd_calibrate(int argc, char **argv)
{
	const char *cmd = "calibrate", *dbp = NULL, *bank = NULL, *format = "text";
	struct cli_opt o[] = { { "db", &dbp, NULL },
			       { "bank", &bank, NULL },
			       { "format", &format, NULL },
			       { NULL, NULL, NULL } };
	char err[1024];
	sqlite3 *db = NULL;
	json_t *doc = NULL;
	int64_t id = 0;
	int rc = 1;

	if (cli_parse(cmd, argc, argv, 2, o, NULL, 0) || cli_need(cmd, "db", dbp) ||
	    cli_need(cmd, "bank", bank) ||
	    (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json"))) {
		fputs(calibrate_usage, stderr);
		return 2;
	}
	if (!(db = cli_open(cmd, dbp, DB_OPEN_EXISTING)))
		return 1;
	switch (calib_create(db, bank, actor_system(), clock_now_ms(), &id, err, sizeof err)) {
	case CALIB_OK:
		break;
	case CALIB_NO_BANK:
		fprintf(stderr, "ujian calibrate: %s (see 'ujian bank list')\n", err);
		goto out;
	default:
		fprintf(stderr, "ujian calibrate: %s\n", err);
		goto out;
	}
	if (calib_get_json(db, bank, id, 1, &doc, err, sizeof err) != CALIB_OK) {
		fprintf(stderr, "ujian calibrate: %s\n", err);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		rc = json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0;
		fputc('\n', stdout);
	} else {
		if (strcmp(format, "csv") == 0)
			calibrate_csv(doc, stdout);
		else
			calibrate_text(doc, stdout);
		rc = 0;
	}
	if (fflush(stdout) != 0)
		rc = 1;
out:
	json_decref(doc);
	db_close(db);
	return rc;
}
