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

/* New exams and candidates, to be merged on the loop thread. */
struct load_batch {
	struct rt_exam **exams;
	size_t n_exams;
	struct rt_candidate *cands; /* linked through all_next */
	size_t n_cands;
	int64_t catalog_version;
};

void loader_init(struct loader *L);
void loader_free(struct loader *L);
/* Load everything added since the last call (in one read transaction).
 * Returns 0 or -1 with err. */
int loader_load(struct loader *L, sqlite3 *db, struct load_batch *b, char *err, size_t errlen);
/* Insert a batch into the registry (loop thread) and free the batch shell. */
void loader_merge(struct registry *r, struct load_batch *b);
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
