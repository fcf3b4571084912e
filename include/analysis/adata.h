/* adata.h - the response data of finished attempts, read for analysis.
 *
 * Reads, on a connection the caller owns (never the event loop's), every
 * finished attempt of one exam, or of every exam drawn from one bank, into
 * istat.h's sparse form: per bank item revision the persons it was presented
 * to, the option each chose in the bank's order (the paper's permutation
 * undone), the points it earned under its section's scoring, and the time
 * spent on it (from the attempt's position and answer events). */
#ifndef UJIAN_ADATA_H
#define UJIAN_ADATA_H

#include "analysis/istat.h"

#include <sqlite3.h>
#include <stdint.h>

struct adata_exam {
	int64_t id;
	char *code, *title;
	int n_persons;
};

struct adata {
	struct ia_data d;           /* views into the arrays below */
	int64_t bank_id, bank_version_id; /* the bank's current version */
	char *bank_code;
	int n_exams;
	struct adata_exam *exams;   /* ia_person.exam indexes this */
	int64_t *person_candidate; /* candidates.id per person */
	/* owned storage behind d (implementation detail) */
	struct ia_section *sections;
	struct ia_person *persons;
	struct ia_item *items;
	char *strings;
};

/* Load the finished attempts of exam_id (exam_id > 0), or of every exam of
 * bank_id (exam_id == 0). Returns 0 (out filled; free with adata_free), or -1
 * with err. An exam or bank without finished attempts is not an error: the
 * data is empty. */
int adata_load(sqlite3 *db, int64_t bank_id, int64_t exam_id, struct adata *out, char *err,
	       size_t errlen);
void adata_free(struct adata *a);

#endif
