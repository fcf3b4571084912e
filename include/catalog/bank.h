/* bank.h - question banks: the validated in-memory form of a bank file.
 *
 * bank_parse() checks a whole bank document and produces a bank_def, or an
 * error naming the item (by id and index) or section and the field. The same
 * item parser reads items back from the database, where image paths have been
 * replaced by "sha256:<hex>" references to stored assets. */
#ifndef UJIAN_BANK_H
#define UJIAN_BANK_H

#include "bounds.h"
#include "core/errlist.h"

#include <jansson.h>
#include <stddef.h>

enum scoring_type { SCORING_RIGHT_WRONG, SCORING_WEIGHTED, SCORING_TYPE_MAX };
enum difficulty { DIFF_EASY, DIFF_MEDIUM, DIFF_HARD, DIFF_MAX };

extern const char *const difficulty_names[DIFF_MAX];

struct section_rule {
	char code[UJ_SECTION_CODE_MAX + 1];
	char *title;
	enum scoring_type type;
	int correct, wrong, blank; /* right_wrong: all three; weighted: blank only */
};

struct bank_option {
	char *text;
	char *image; /* file path (bank file) or "sha256:<hex>" (stored); may be NULL */
	int correct; /* right_wrong */
	int points;  /* weighted */
};

struct bank_item {
	char id[UJ_ITEM_ID_MAX + 1];
	int section; /* index into bank_def.sec */
	char topic[UJ_TOPIC_MAX + 1];
	enum difficulty diff;
	char *text;
	int n_images;
	char *images[UJ_ITEM_IMAGES_MAX];
	int n_options;
	struct bank_option opt[UJ_OPTIONS_MAX];
};

struct bank_def {
	char code[UJ_CODE_MAX + 1];
	char *title;
	int n_sections;
	struct section_rule sec[UJ_SECTIONS_MAX];
	int n_items;
	struct bank_item *items;
};

/* Where image strings come from. */
enum bank_source { BANK_SOURCE_FILE, BANK_SOURCE_STORED };

/* Validate a bank document completely. Returns 0 and fills def (free with
 * bank_def_free), or -1 with the first problem in err. */
int bank_parse(json_t *root, struct bank_def *def, char *err, size_t errlen);
/* The same, reporting every problem of the document to errs (capped there). */
int bank_check(json_t *root, struct bank_def *def, struct errlist *errs);
void bank_def_free(struct bank_def *def);

/* Parse the sections array (also used for stored bank versions). */
int bank_parse_sections(json_t *arr, struct section_rule *sec, int *n_sections, char *err,
			size_t errlen);
json_t *bank_sections_to_json(const struct section_rule *sec, int n_sections);
void bank_sections_free(struct section_rule *sec, int n_sections);

/* Parse one item object; index is its position for messages. */
int bank_parse_item(json_t *obj, size_t index, const struct section_rule *sec, int n_sections,
		    enum bank_source src, struct bank_item *it, char *err, size_t errlen);
void bank_item_free(struct bank_item *it);
/* Canonical JSON of an item with images replaced by the given references
 * (item images, then option images, NULL where absent). Caller decrefs. */
json_t *bank_item_to_json(const struct bank_item *it, const struct section_rule *sec,
			  char *const *image_refs, char *const *option_refs);

/* Check that data looks like the image type its file name says (PNG, JPEG or
 * SVG) and is within limits. Sets *mime. Returns 0, or -1 with err. */
int bank_check_image(const char *name, const unsigned char *data, size_t len,
		     const char **mime, char *err, size_t errlen);
/* 1 if a relative image path is acceptable (no absolute path, no "..", only
 * ordinary characters). */
int bank_image_path_ok(const char *path);

/* Highest score one item can give in its section. */
int bank_item_max_points(const struct bank_item *it, const struct section_rule *rule);

#endif
