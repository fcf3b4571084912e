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
#include "catalog/exam.h"

#include <sqlite3.h>
#include <stdint.h>

struct adata_exam {
	int64_t id;
	char *code, *title;
	int n_persons;
	struct exam_def *def; /* the stored definition (pass rules, draws); not bound */
};

/* Where an attempt's times per item come from. */
enum adata_time_source {
	ADATA_TIME_NONE,     /* no attempt */
	ADATA_TIME_POSITION, /* position events: the dwell on each question */
	ADATA_TIME_ANSWERS,  /* no position event: estimated from the answers' times */
	ADATA_TIME_MIXED     /* some attempts of each kind */
};

struct adata {
	struct ia_data d;           /* views into the arrays below */
	int64_t bank_id, bank_version_id; /* the bank's current version */
	char *bank_code;
	char *bank_title;          /* the current version's title */
	int n_exams;
	struct adata_exam *exams;   /* ia_person.exam indexes this */
	int64_t *person_candidate; /* candidates.id per person */
	int *person_rule;          /* index of the person's track's pass rule in its
				    * exam's def->rules, or -1 */
	int bank_version_no;       /* version_no of bank_version_id */
	enum adata_time_source time_source; /* over all persons */
	int n_time_position, n_time_answers; /* persons per source */
	/* Persons whose points summed per section (this reader's scoring of the
	 * stored answers) differ from the stored section scores, which are used
	 * all the same (they decided the results); 0 unless the data is odd. */
	int n_rescored;
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
/* "position", "answers", "mixed", or NULL (no attempt). */
const char *adata_time_source_name(enum adata_time_source s);

/* ---- time per item (pure; exposed for the unit tests) ---- */

enum adata_ev_kind { ADATA_EV_POSITION, ADATA_EV_ANSWER, ADATA_EV_PAUSE, ADATA_EV_RESUME };

/* One event of an attempt that moves the candidate or stops the clock. */
struct adata_ev {
	int64_t at;  /* ms */
	int kind;    /* enum adata_ev_kind */
	int n;       /* POSITION, ANSWER: the 1-based question */
};

/* The time spent on each of the n_q questions of one attempt, from its
 * events (in log order) between started_at and finished_at, into
 * time_ms[0..n_q). With at least one position event (ADATA_TIME_POSITION):
 * the candidate is on question 1 from the start, then on the question of
 * each position or answer event; each question gets the sum of the
 * intervals spent on it, the last until the finish, paused intervals (pause
 * to resume) left out; a question never visited gets 0. Without
 * (ADATA_TIME_ANSWERS): the time before each answer (since the previous
 * answer or the start, pauses left out) goes to the question answered; a
 * question never answered gets -1 (unknown), and the time after the last
 * answer goes to none. Events outside [started_at, finished_at] are
 * clamped. Returns the source used. */
enum adata_time_source adata_dwell(const struct adata_ev *ev, int n_ev, int64_t started_at,
				   int64_t finished_at, int n_q, int32_t *time_ms);

#endif
