/* report.h - the item and test analysis of an exam or a bank as a document:
 * JSON (the API's shape, docs/API.md "Item analysis") and CSV (one row per
 * item, for a spreadsheet). The statistics come from istat (per item) and
 * tstat (per section and total) over adata's data; nothing here reads the
 * database. */
#ifndef UJIAN_ANALYSIS_REPORT_H
#define UJIAN_ANALYSIS_REPORT_H

#include "analysis/adata.h"
#include "analysis/istat.h"
#include "analysis/tstat.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* A test-level block: one section of the exam (or the total) with, per pass
 * rule that sets a minimum for it, the candidates of that track within one
 * SEM of the minimum. */
struct ar_threshold {
	const char *track;
	int min;
	int64_t n_track;  /* the track's candidates with a score */
	int64_t n_within; /* of those, within one SEM of min */
};

struct ar_block {
	int section;      /* analysis section index, -1: the total */
	struct ts_stats st;
	int n_thr;
	struct ar_threshold thr[UJ_TRACKS_MAX];
};

struct ar_report {
	const struct adata *a;
	int exam_scope;            /* 1: one exam (test-level blocks); 0: a bank */
	struct ia_thresholds t;
	struct ia_item_stats *items; /* per a->d.items */
	int n_blocks;              /* exam scope: its sections, then the total */
	struct ar_block blocks[UJ_SECTIONS_MAX + 1];
};

/* Compute the report of a (exam_scope: a holds exactly the one exam whose
 * test-level statistics are wanted) with thresholds t. 0, or -1 with err
 * (memory). Free with ar_free; a must outlive r. */
int ar_compute(const struct adata *a, int exam_scope, const struct ia_thresholds *t,
	       struct ar_report *r, char *err, size_t errlen);
void ar_free(struct ar_report *r);

/* The JSON document (new reference); generated_at in seconds. Undefined
 * statistics are null, times in seconds with one decimal. */
json_t *ar_json(const struct ar_report *r, int64_t generated_at);

/* The CSV: UTF-8 BOM, one header line (Indonesian names), one row per item
 * in bank order; sep ',' (decimal point) or ';' (decimal comma, for
 * Indonesian Excel); CRLF line ends; text cells through csv_write_cell. */
void ar_csv(const struct ar_report *r, char sep, FILE *out);

/* The bank-order letter of option o (A = the bank's first option). */
char ar_letter(int o);
/* "right_wrong" or "weighted" for an item. */
const char *ar_item_type(const struct ia_item *it);

#endif
