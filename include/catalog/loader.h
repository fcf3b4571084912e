/* loader.h - reading the catalog and attempt state from SQLite into RAM.
 *
 * A loader remembers what it has already loaded (item revisions, images,
 * bank versions, exams, the highest candidate id), so the same code serves the
 * start-up load and the periodic pick-up of exams and candidates added by
 * 'ujian exam create' / 'ujian candidates import' while the server runs. Items,
 * images and bank versions it creates are immutable and owned by the loader;
 * exams and candidates are handed to the registry through a batch. */
#ifndef UJIAN_LOADER_H
#define UJIAN_LOADER_H

#include "core/hmap.h"
#include "exam/registry.h"

#include <sqlite3.h>

struct loader {
	struct hmap items;    /* item id -> rt_item */
	struct hmap assets;   /* sha256 hex -> rt_asset */
	struct hmap versions; /* bank version id -> rt_bank_version */
	struct hmap exams;    /* exam id -> rt_exam */
	int64_t max_cand_id;
	int64_t catalog_version;
};

/* New exams and candidates, to be merged on the loop thread; and every
 * sitting with every candidate's sitting as the database has them now
 * (sittings change in place, so each load reads them whole). */
struct load_batch {
	struct rt_exam **exams;
	size_t n_exams;
	struct rt_candidate *cands; /* linked through all_next */
	size_t n_cands;
	int64_t catalog_version;
	int has_sittings;           /* sittings and cand_sitting were read */
	struct rt_sitting *sittings; /* array of n_sittings (exam set, next unused) */
	size_t n_sittings;
	struct hmap cand_sitting;   /* candidate id -> sitting id (intptr_t), assigned ones */
	int64_t *cand_ids;          /* the keys of cand_sitting */
};

void loader_init(struct loader *L);
void loader_free(struct loader *L);
/* Load everything added since the last call (in one read transaction).
 * Returns 0 or -1 with err. */
int loader_load(struct loader *L, sqlite3 *db, struct load_batch *b, char *err, size_t errlen);
/* Insert a batch into the registry (loop thread) and free the batch shell.
 * Sittings are matched by id and updated in place (the proctor domain keeps
 * pointers to them and owns their live field); new ones are added at the
 * end of their exam's list; none is ever freed here. The runtime changes a
 * sitting's token, started_at and closed_at in RAM before its writer stores
 * them, so the database's values are taken only when its token_at,
 * started_at or closed_at is newer than or equal to RAM's: a reload never
 * puts back an older token. Every candidate's sitting pointer and every
 * sitting's n_candidates are set from the batch. */
void loader_merge(struct registry *r, struct load_batch *b);
/* Free a batch that will not be merged. */
void loader_batch_free(struct load_batch *b);
/* Apply one sitting row as loader_merge does: update dst in place from src
 * (fields an admin sets always; token with prev_token and token_at only if
 * src's token_at >= dst's; started_at, closed_at only if src's >= dst's).
 * Pure; for the unit tests. */
void loader_sitting_update(struct rt_sitting *dst, const struct rt_sitting *src);
/* Start-up only: load attempts, answers and sessions of all registered
 * candidates. Returns 0 or -1 with err. */
int loader_load_state(sqlite3 *db, struct registry *r, char *err, size_t errlen);

/* An exam's new definition and papers, after a staff edit redrew them. */
struct exam_reload_cand {
	int64_t id;
	int n;
	struct rt_question *q;
	struct rt_answer *ans;
};

struct exam_reload {
	int64_t exam_id;
	struct exam_def def;
	char *title_json;
	int paper_len;
	int section_from[UJ_SECTIONS_MAX];
	char *section_title[UJ_SECTIONS_MAX];
	size_t n;                      /* candidates, in id order */
	struct exam_reload_cand *cands;
};

/* The loader's thread: read exam_id's definition and the papers of its
 * candidates already loaded (one read transaction) into r. 0, or -1 with
 * err (r empty). */
int loader_reload_exam(struct loader *L, sqlite3 *db, int64_t exam_id, struct exam_reload *r,
		       char *err, size_t errlen);
/* The loop thread: put r into the registry (the exam's definition and
 * layout; each candidate's questions, answers reset, position 1). Nobody of
 * the exam may have started. What r gave away it no longer holds. 0, or -1
 * if the exam is not in reg. */
int loader_apply_reload(struct registry *reg, struct exam_reload *r);
void loader_reload_free(struct exam_reload *r);

/* Parse a stored scores_json into c (score/max/total/max_total). */
int loader_parse_scores(const char *js, struct rt_candidate *c);

#endif
