/* fuzz_bank.c - libFuzzer target: bytes -> question-bank validation.
 *
 * Each input goes the way 'ujian bank import' reads a bank file before it
 * touches the database: jc_parse (jansson, JSON_REJECT_DUPLICATES, as
 * jc_load_file does) and bank_parse (sections, items, options, duplicate
 * ids). A bank that is accepted is then put through the store/load round trip
 * of catalog.c: every item is written as its canonical JSON with image paths
 * replaced by "sha256:..." references (bank_item_to_json), dumped as the
 * importer stores it, and read back as a stored item (bank_parse_item with
 * BANK_SOURCE_STORED, sections through bank_sections_to_json and
 * bank_parse_sections), as the loader does at start-up. The read-back item
 * must equal the original.
 *
 * The same bytes are also checked as an image file (bank_check_image as .svg,
 * .png and .jpg): the SVG safety scanner is the bank import's other parser of
 * untrusted input.
 *
 * Contracts checked besides memory safety: a rejected bank leaves nothing
 * allocated and has an error message; an accepted bank survives the round
 * trip unchanged. */
#include "fuzz.h"

#include "catalog/bank.h"
#include "core/jcheck.h"

#include <jansson.h>
#include <string.h>

/* A well-formed stored image reference (the content does not matter here). */
#define FUZZ_REF "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Fixed hash seed: object iteration order, and so every run, is
	 * reproducible from the input alone. */
	json_object_seed(1);
	return 0;
}

/* Run the image checks on data; they must either accept with a MIME type or
 * reject with a message. */
static void fuzz_images(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "f.svg", "f.png", "f.jpg" };
	char err[512];

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *mime = NULL;
		err[0] = '\0';
		if (bank_check_image(names[i], data, size, &mime, err, sizeof err) == 0)
			fuzz_require(mime != NULL, "%s accepted without a MIME type", names[i]);
		else
			fuzz_require(err[0] != '\0', "%s rejected without a message", names[i]);
	}
}

/* Compare a stored item read back with the item it was made from. */
static void fuzz_same_item(const struct bank_item *a, const struct bank_item *b)
{
	fuzz_require(strcmp(a->id, b->id) == 0, "item id changed");
	fuzz_require(a->section == b->section, "item %s: section changed", a->id);
	fuzz_require(strcmp(a->topic, b->topic) == 0, "item %s: topic changed", a->id);
	fuzz_require(a->diff == b->diff, "item %s: difficulty changed", a->id);
	fuzz_require(strcmp(a->text, b->text) == 0, "item %s: text changed", a->id);
	fuzz_require(a->n_images == b->n_images, "item %s: image count changed", a->id);
	fuzz_require(a->n_options == b->n_options, "item %s: option count changed", a->id);
	for (int k = 0; k < a->n_options; k++) {
		fuzz_require(strcmp(a->opt[k].text, b->opt[k].text) == 0,
			     "item %s: option %d text changed", a->id, k);
		fuzz_require(!a->opt[k].image == !b->opt[k].image,
			     "item %s: option %d image appeared or vanished", a->id, k);
		fuzz_require(a->opt[k].correct == b->opt[k].correct &&
				     a->opt[k].points == b->opt[k].points,
			     "item %s: option %d scoring changed", a->id, k);
	}
}

/* The import/store/load round trip of an accepted bank (see the header). */
static void fuzz_roundtrip(const struct bank_def *def)
{
	struct section_rule sec[UJ_SECTIONS_MAX];
	int n_sections = 0;
	char err[1024], *refs[UJ_ITEM_IMAGES_MAX], *orefs[UJ_OPTIONS_MAX];
	json_t *sj = bank_sections_to_json(def->sec, def->n_sections);
	char *ss = json_dumps(sj, JSON_COMPACT);
	json_t *back = jc_parse(ss, strlen(ss), err, sizeof err);

	fuzz_require(back != NULL, "stored sections are not JSON: %s", err);
	fuzz_require(bank_parse_sections(back, sec, &n_sections, err, sizeof err) == 0,
		     "stored sections rejected: %s", err);
	fuzz_require(n_sections == def->n_sections, "section count changed");
	for (int s = 0; s < n_sections; s++)
		fuzz_require(strcmp(sec[s].code, def->sec[s].code) == 0 &&
				     strcmp(sec[s].title, def->sec[s].title) == 0 &&
				     sec[s].type == def->sec[s].type &&
				     sec[s].correct == def->sec[s].correct &&
				     sec[s].wrong == def->sec[s].wrong &&
				     sec[s].blank == def->sec[s].blank,
			     "section %d changed", s);
	json_decref(back);
	json_decref(sj);
	free(ss);

	for (int k = 0; k < UJ_ITEM_IMAGES_MAX; k++)
		refs[k] = FUZZ_REF;
	for (int i = 0; i < def->n_items; i++) {
		const struct bank_item *it = &def->items[i];
		struct bank_item again;
		json_t *ij, *ib;
		char *is;

		for (int k = 0; k < UJ_OPTIONS_MAX; k++)
			orefs[k] = k < it->n_options && it->opt[k].image ? FUZZ_REF : NULL;
		ij = bank_item_to_json(it, def->sec, refs, orefs);
		fuzz_require(ij != NULL, "item %s: no canonical JSON", it->id);
		is = json_dumps(ij, JSON_COMPACT | JSON_SORT_KEYS);
		fuzz_require(is != NULL, "item %s: canonical JSON not dumpable", it->id);
		ib = jc_parse(is, strlen(is), err, sizeof err);
		fuzz_require(ib != NULL, "item %s: stored JSON does not parse: %s", it->id, err);
		fuzz_require(bank_parse_item(ib, (size_t)i, sec, n_sections, BANK_SOURCE_STORED,
					     &again, err, sizeof err) == 0,
			     "item %s: stored item rejected: %s", it->id, err);
		fuzz_same_item(it, &again);
		(void)bank_item_max_points(&again, &sec[again.section]);
		bank_item_free(&again);
		json_decref(ib);
		free(is);
		json_decref(ij);
	}
	bank_sections_free(sec, n_sections);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bank_def def;
	char err[1024];
	json_t *root;

	fuzz_images(data, size);
	root = jc_parse((const char *)data, size, err, sizeof err);
	if (!root)
		return 0;
	err[0] = '\0';
	if (bank_parse(root, &def, err, sizeof err) == 0) {
		fuzz_roundtrip(&def);
		bank_def_free(&def);
	} else {
		fuzz_require(err[0] != '\0', "bank rejected without a message");
		fuzz_require(def.items == NULL && def.n_items == 0 && def.title == NULL &&
				     def.n_sections == 0,
			     "a rejected bank left state behind: %s", err);
	}
	json_decref(root);
	return 0;
}
