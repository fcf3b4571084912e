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

/* Parse a stored scores_json into c (score/max/total/max_total). */
int loader_parse_scores(const char *js, struct rt_candidate *c);

#endif
