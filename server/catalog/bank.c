/* bank.c - validation of question banks and their items. */
#include "catalog/bank.h"
#include "core/hmap.h"
#include "core/jcheck.h"
#include "core/mem.h"
#include "core/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const difficulty_names[DIFF_MAX] = { "easy", "medium", "hard" };

#define CODE_CHARS "Aa0._-"
#define SECTION_CHARS "A0_"
#define TOPIC_CHARS "a0_-"

/* 1 if the raw sections array names code (a section that failed its own
 * checks still exists: items using it get no "unknown section" error). */
static int bank_raw_has_section(json_t *raw, const char *code)
{
	size_t i;
	json_t *s;
	json_array_foreach(raw, i, s) {
		const char *c = json_string_value(json_object_get(s, "code"));
		if (c && strcmp(c, code) == 0)
			return 1;
	}
	return 0;
}

/* Check every section of arr; the valid ones are stored in order. Goes on
 * after a problem so all of them are reported. Returns the number of
 * problems found. */
static int bank_sections_jc(struct jcheck *jc, json_t *arr, struct section_rule *sec,
			    int *n_sections)
{
	static const char *const sec_keys[] = { "code", "title", "scoring", NULL };
	static const char *const rw_keys[] = { "type", "correct", "wrong", "blank", NULL };
	static const char *const w_keys[] = { "type", "blank", NULL };
	int start = jc->nfail;
	size_t i;
	json_t *s;

	*n_sections = 0;
	json_array_foreach(arr, i, s) {
		struct section_rule r;
		const char *code, *title, *type;
		json_t *scoring;
		long long v;
		int here = jc->nfail;

		memset(&r, 0, sizeof r);
		jc_where(jc, "sections[%zu]", i);
		if (!json_is_object(s)) {
			jc_fail(jc, NULL, "must be an object");
			continue;
		}
		jc_only_keys(jc, s, sec_keys);
		if (jc_string(jc, s, "code", 1, 64, 0, &code) == 0) {
			if (!text_is_ident(code, UJ_SECTION_CODE_MAX, SECTION_CHARS, 0)) {
				jc_fail(jc, "code", "\"%s\" must be 1-%d characters of A-Z, 0-9, _", code,
					UJ_SECTION_CODE_MAX);
			} else {
				jc_where(jc, "section \"%s\" (sections[%zu])", code, i);
				for (int k = 0; k < *n_sections; k++)
					if (strcmp(sec[k].code, code) == 0)
						jc_fail(jc, "code", "duplicate section code \"%s\"", code);
				str_copy(r.code, sizeof r.code, code);
			}
		}
		if (jc_string(jc, s, "title", 1, 4 * UJ_TITLE_MAX, 0, &title) == 0 &&
		    text_utf8_chars(title) > UJ_TITLE_MAX)
			jc_fail(jc, "title", "longer than %d characters", UJ_TITLE_MAX);
		if (jc_object(jc, s, "scoring", 1, &scoring) == 0) {
			char where[sizeof jc->where];
			memcpy(where, jc->where, sizeof where);
			jc_where(jc, "%s scoring", where);
			if (jc_string(jc, scoring, "type", 1, 32, 0, &type) == 0) {
				if (strcmp(type, "right_wrong") == 0) {
					r.type = SCORING_RIGHT_WRONG;
					jc_only_keys(jc, scoring, rw_keys);
					if (jc_int(jc, scoring, "correct", 1, -UJ_POINTS_ABS_MAX,
						   UJ_POINTS_ABS_MAX, 0, &v) == 0)
						r.correct = (int)v;
					if (jc_int(jc, scoring, "wrong", 1, -UJ_POINTS_ABS_MAX,
						   UJ_POINTS_ABS_MAX, 0, &v) == 0)
						r.wrong = (int)v;
				} else if (strcmp(type, "weighted") == 0) {
					r.type = SCORING_WEIGHTED;
					jc_only_keys(jc, scoring, w_keys);
				} else {
					jc_fail(jc, "type",
						"must be \"right_wrong\" or \"weighted\" (got \"%s\")", type);
				}
			}
			if (jc_int(jc, scoring, "blank", 1, -UJ_POINTS_ABS_MAX, UJ_POINTS_ABS_MAX, 0,
				   &v) == 0)
				r.blank = (int)v;
		}
		if (jc->nfail != here)
			continue;
		r.title = xstrdup(title);
		sec[(*n_sections)++] = r;
	}
	return jc->nfail - start;
}

int bank_parse_sections(json_t *arr, struct section_rule *sec, int *n_sections, char *err,
			size_t errlen)
{
	struct jcheck jc;

	jc_init(&jc, err, errlen);
	if (bank_sections_jc(&jc, arr, sec, n_sections) == 0)
		return 0;
	bank_sections_free(sec, *n_sections);
	*n_sections = 0;
	return -1;
}

void bank_sections_free(struct section_rule *sec, int n_sections)
{
	for (int i = 0; i < n_sections; i++) {
		free(sec[i].title);
		sec[i].title = NULL;
	}
}

json_t *bank_sections_to_json(const struct section_rule *sec, int n_sections)
{
	json_t *arr = json_array();
	for (int i = 0; i < n_sections; i++) {
		json_t *sc;
		if (sec[i].type == SCORING_RIGHT_WRONG)
			sc = json_pack("{s:s,s:i,s:i,s:i}", "type", "right_wrong", "correct",
				       sec[i].correct, "wrong", sec[i].wrong, "blank", sec[i].blank);
		else
			sc = json_pack("{s:s,s:i}", "type", "weighted", "blank", sec[i].blank);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "code", sec[i].code, "title",
						     sec[i].title, "scoring", sc));
	}
	return arr;
}

int bank_image_path_ok(const char *path)
{
	if (!*path || path[0] == '/' || strlen(path) > 255)
		return 0;
	if (!text_is_ident(path, 255, "Aa0._-/", 1))
		return 0;
	/* No "..", "." or empty segments. */
	const char *seg = path;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (!end)
			break;
		seg = end + 1;
	}
	return 1;
}

/* Image reference check: file paths in bank files, sha256 refs when stored. */
static int bank_check_ref(struct jcheck *jc, const char *field, const char *ref,
			  enum bank_source src)
{
	if (src == BANK_SOURCE_STORED) {
		if (strncmp(ref, "sha256:", 7) != 0 || strlen(ref) != 7 + 64)
			return jc_fail(jc, field, "stored image reference is malformed");
		return 0;
	}
	if (!bank_image_path_ok(ref))
		return jc_fail(jc, field,
			       "\"%s\" must be a relative path inside the bank folder (letters, digits, . _ - /; no \"..\")",
			       ref);
	const char *dot = strrchr(ref, '.');
	if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".jpg") && strcmp(dot, ".jpeg") &&
		     strcmp(dot, ".svg")))
		return jc_fail(jc, field, "\"%s\" must end in .png, .jpg, .jpeg or .svg", ref);
	return 0;
}

/* Check one item; sections_known is 0 when the bank's sections could not be
 * read (then the section and its scoring rules are not checked), raw holds
 * the raw sections array (for sections that failed their own checks). Goes
 * on after a problem. Returns 0 and fills it, or -1 (it left empty). */
static int bank_item_jc(struct jcheck *jc, json_t *obj, size_t index,
			const struct section_rule *sec, int n_sections, int sections_known,
			json_t *raw, enum bank_source src, struct bank_item *it)
{
	static const char *const item_keys[] = { "id",	   "section", "topic",   "difficulty",
						 "text",   "images",  "options", NULL };
	static const char *const opt_keys[] = { "text", "image", "correct", "points", NULL };
	const char *id, *section, *topic, *diff, *text;
	json_t *images = NULL, *options = NULL, *o;
	const struct section_rule *rule = NULL;
	char where[sizeof jc->where];
	int start = jc->nfail, ncorrect = 0;
	size_t k;

	memset(it, 0, sizeof *it);
	it->section = -1;
	jc_where(jc, "items[%zu]", index);
	if (!json_is_object(obj))
		return jc_fail(jc, NULL, "must be an object");
	if (jc_string(jc, obj, "id", 1, 256, 0, &id) == 0) {
		if (!text_is_ident(id, UJ_ITEM_ID_MAX, CODE_CHARS, 1)) {
			jc_fail(jc, "id", "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
				id, UJ_ITEM_ID_MAX);
		} else {
			str_copy(it->id, sizeof it->id, id);
			jc_where(jc, "item \"%s\" (items[%zu])", id, index);
		}
	}
	memcpy(where, jc->where, sizeof where);
	jc_only_keys(jc, obj, item_keys);
	if (jc_string(jc, obj, "section", 1, 64, 0, &section) == 0) {
		for (int s = 0; s < n_sections; s++)
			if (strcmp(sec[s].code, section) == 0)
				it->section = s;
		if (it->section >= 0)
			rule = &sec[it->section];
		else if (sections_known && !(raw && bank_raw_has_section(raw, section)))
			jc_fail(jc, "section", "unknown section \"%s\"", section);
	}
	if (jc_string(jc, obj, "topic", 1, 64, 0, &topic) == 0) {
		if (!text_is_ident(topic, UJ_TOPIC_MAX, TOPIC_CHARS, 1))
			jc_fail(jc, "topic", "\"%s\" must be 1-%d characters of a-z 0-9 _ -", topic,
				UJ_TOPIC_MAX);
		else
			str_copy(it->topic, sizeof it->topic, topic);
	}
	it->diff = DIFF_MAX;
	if (jc_string(jc, obj, "difficulty", 1, 16, 0, &diff) == 0) {
		for (int d = 0; d < DIFF_MAX; d++)
			if (strcmp(difficulty_names[d], diff) == 0)
				it->diff = (enum difficulty)d;
		if (it->diff == DIFF_MAX)
			jc_fail(jc, "difficulty", "must be easy, medium or hard (got \"%s\")", diff);
	}
	jc_string(jc, obj, "text", 1, UJ_TEXT_MAX, 1, &text);
	if (jc_array(jc, obj, "images", 0, 0, UJ_ITEM_IMAGES_MAX, &images) == 0) {
		json_array_foreach(images, k, o) {
			char field[32];
			snprintf(field, sizeof field, "images[%zu]", k);
			if (!json_is_string(o))
				jc_fail(jc, field, "must be a string");
			else
				bank_check_ref(jc, field, json_string_value(o), src);
		}
	}
	if (jc_array(jc, obj, "options", 1, UJ_OPTIONS_MIN, UJ_OPTIONS_MAX, &options) == 0) {
		int opt_start = jc->nfail;
		json_array_foreach(options, k, o) {
			const char *otext, *oimage;
			long long pts;
			int corr;
			jc_where(jc, "%s options[%zu]", where, k);
			if (!json_is_object(o)) {
				jc_fail(jc, NULL, "must be an object");
				continue;
			}
			jc_only_keys(jc, o, opt_keys);
			jc_string(jc, o, "text", 1, UJ_OPTION_TEXT_MAX, 1, &otext);
			if (jc_string(jc, o, "image", 0, 255, 0, &oimage) == 0 && oimage)
				bank_check_ref(jc, "image", oimage, src);
			if (!rule)
				continue;
			if (rule->type == SCORING_RIGHT_WRONG) {
				if (json_object_get(o, "points"))
					jc_fail(jc, "points",
						"not allowed: section \"%s\" is scored right_wrong (mark the key with \"correct\": true)",
						rule->code);
				if (jc_bool(jc, o, "correct", 0, &corr) == 0) {
					ncorrect += corr;
					it->opt[k].correct = corr;
				}
			} else {
				if (json_object_get(o, "correct"))
					jc_fail(jc, "correct",
						"not allowed: section \"%s\" is scored weighted (give every option \"points\")",
						rule->code);
				if (jc_int(jc, o, "points", 1, -UJ_POINTS_ABS_MAX, UJ_POINTS_ABS_MAX, 0,
					   &pts) == 0)
					it->opt[k].points = (int)pts;
			}
		}
		jc_where(jc, "%s", where);
		if (rule && rule->type == SCORING_RIGHT_WRONG && jc->nfail == opt_start &&
		    ncorrect != 1)
			jc_fail(jc, "options",
				"exactly one option must have \"correct\": true (found %d)", ncorrect);
	}
	if (jc->nfail != start) {
		memset(it, 0, sizeof *it);
		return -1;
	}

	/* Everything valid: copy. */
	it->text = xstrdup(text);
	json_array_foreach(images, k, o)
		it->images[it->n_images++] = xstrdup(json_string_value(o));
	json_array_foreach(options, k, o) {
		json_t *im = json_object_get(o, "image");
		it->opt[k].text = xstrdup(json_string_value(json_object_get(o, "text")));
		it->opt[k].image = im ? xstrdup(json_string_value(im)) : NULL;
	}
	it->n_options = (int)json_array_size(options);
	return 0;
}

int bank_parse_item(json_t *obj, size_t index, const struct section_rule *sec, int n_sections,
		    enum bank_source src, struct bank_item *it, char *err, size_t errlen)
{
	struct jcheck jc;
	jc_init(&jc, err, errlen);
	return bank_item_jc(&jc, obj, index, sec, n_sections, 1, NULL, src, it);
}

void bank_item_free(struct bank_item *it)
{
	free(it->text);
	for (int i = 0; i < it->n_images; i++)
		free(it->images[i]);
	for (int i = 0; i < it->n_options; i++) {
		free(it->opt[i].text);
		free(it->opt[i].image);
	}
	memset(it, 0, sizeof *it);
}

json_t *bank_item_to_json(const struct bank_item *it, const struct section_rule *sec,
			  char *const *image_refs, char *const *option_refs)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", it->id, "section",
			      sec[it->section].code, "topic", it->topic, "difficulty",
			      difficulty_names[it->diff], "text", it->text);
	if (it->n_images) {
		json_t *imgs = json_array();
		for (int i = 0; i < it->n_images; i++)
			json_array_append_new(imgs, json_string(image_refs[i]));
		json_object_set_new(o, "images", imgs);
	}
	json_t *opts = json_array();
	for (int i = 0; i < it->n_options; i++) {
		json_t *op = json_pack("{s:s}", "text", it->opt[i].text);
		if (option_refs && option_refs[i])
			json_object_set_new(op, "image", json_string(option_refs[i]));
		if (sec[it->section].type == SCORING_RIGHT_WRONG) {
			if (it->opt[i].correct)
				json_object_set_new(op, "correct", json_true());
		} else {
			json_object_set_new(op, "points", json_integer(it->opt[i].points));
		}
		json_array_append_new(opts, op);
	}
	json_object_set_new(o, "options", opts);
	return o;
}

/* Check a whole bank document, going on after problems. Returns 0 and fills
 * def, or -1 with def empty. */
static int bank_parse_jc(struct jcheck *jc, json_t *root, struct bank_def *def)
{
	static const char *const bank_keys[] = { "code", "title", "sections", "items", NULL };
	const char *code, *title = NULL;
	json_t *sections = NULL, *items = NULL, *o;
	size_t *orig = NULL, i;
	struct hmap ids;
	int start = jc->nfail, sections_known = 0;

	memset(def, 0, sizeof *def);
	if (!json_is_object(root))
		return jc_fail(jc, NULL, "the bank must be a JSON object");
	jc_only_keys(jc, root, bank_keys);
	if (jc_string(jc, root, "code", 1, 64, 0, &code) == 0) {
		if (!text_is_ident(code, UJ_CODE_MAX, CODE_CHARS, 1))
			jc_fail(jc, "code", "\"%s\" must be 1-%d characters of A-Z a-z 0-9 . _ -",
				code, UJ_CODE_MAX);
		else
			str_copy(def->code, sizeof def->code, code);
	}
	if (jc_string(jc, root, "title", 1, 4 * UJ_TITLE_MAX, 0, &title) == 0 &&
	    text_utf8_chars(title) > UJ_TITLE_MAX)
		jc_fail(jc, "title", "longer than %d characters", UJ_TITLE_MAX);
	if (jc_array(jc, root, "sections", 1, 1, UJ_SECTIONS_MAX, &sections) == 0)
		sections_known = 1;
	if (jc_array(jc, root, "items", 1, 1, UJ_ITEMS_MAX, &items))
		items = NULL;
	if (sections)
		bank_sections_jc(jc, sections, def->sec, &def->n_sections);
	if (items) {
		def->items = xcalloc(json_array_size(items), sizeof *def->items);
		json_array_foreach(items, i, o)
			if (bank_item_jc(jc, o, i, def->sec, def->n_sections, sections_known, sections,
					 BANK_SOURCE_FILE, &def->items[def->n_items]) == 0)
				def->n_items++;
		/* Duplicate ids (of every item with a well-formed id, valid or
		 * not), each reported where it is used again. */
		orig = xcalloc(json_array_size(items), sizeof *orig);
		hmap_init(&ids);
		json_array_foreach(items, i, o) {
			const char *id = json_string_value(json_object_get(o, "id"));
			const size_t *first;
			if (!id || !text_is_ident(id, UJ_ITEM_ID_MAX, CODE_CHARS, 1))
				continue;
			orig[i] = i;
			if ((first = hmap_gets(&ids, id))) {
				jc_where(jc, "item \"%s\" (items[%zu])", id, i);
				jc_fail(jc, "id", "duplicate id (first used by items[%zu])", *first);
			} else {
				hmap_puts(&ids, id, &orig[i]);
			}
		}
		hmap_free(&ids);
		free(orig);
	}
	if (jc->nfail != start) {
		bank_def_free(def);
		return -1;
	}
	def->title = xstrdup(title);
	return 0;
}

int bank_parse(json_t *root, struct bank_def *def, char *err, size_t errlen)
{
	struct jcheck jc;
	jc_init(&jc, err, errlen);
	return bank_parse_jc(&jc, root, def);
}

int bank_check(json_t *root, struct bank_def *def, struct errlist *errs)
{
	struct jcheck jc;
	jc_init(&jc, NULL, 0);
	jc_collect(&jc, errs);
	return bank_parse_jc(&jc, root, def);
}

void bank_def_free(struct bank_def *def)
{
	for (int i = 0; i < def->n_items; i++)
		bank_item_free(&def->items[i]);
	free(def->items);
	bank_sections_free(def->sec, def->n_sections);
	free(def->title);
	memset(def, 0, sizeof *def);
}

/* Case-insensitive search for needle in data[0..len). */
static int bank_contains_ci(const unsigned char *data, size_t len, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= len; i++) {
		size_t k = 0;
		while (k < nl && tolower(data[i + k]) == needle[k])
			k++;
		if (k == nl)
			return 1;
	}
	return 0;
}

/* The local part of an XML name: "xlink:href" -> "href". */
static const char *bank_xml_local(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

/* Check one attribute of an SVG tag. */
static int bank_svg_attr(const char *name, const unsigned char *v, size_t vlen, char *err,
			 size_t errlen)
{
	const char *local = bank_xml_local(name);
	char squeezed[512];
	size_t n = 0;

	if (tolower((unsigned char)local[0]) == 'o' && tolower((unsigned char)local[1]) == 'n') {
		snprintf(err, errlen, "SVG has an event attribute \"%s\" (on...=); scripts are not allowed",
			 name);
		return -1;
	}
	if (bank_contains_ci(v, vlen, "&#")) {
		snprintf(err, errlen,
			 "SVG attribute \"%s\" uses a character reference (&#...;), which can hide a javascript: link; write the character itself",
			 name);
		return -1;
	}
	/* Browsers drop whitespace and controls inside URLs: "java\tscript:". */
	for (size_t i = 0; i < vlen && n + 1 < sizeof squeezed; i++)
		if (v[i] > 0x20)
			squeezed[n++] = (char)tolower(v[i]);
	squeezed[n] = '\0';
	if (strstr(squeezed, "javascript:") || strstr(squeezed, "vbscript:") ||
	    strstr(squeezed, "data:text")) {
		snprintf(err, errlen, "SVG attribute \"%s\" holds a javascript: (or similar) link", name);
		return -1;
	}
	if (strcasecmp(local, "href") == 0 && squeezed[0] != '#') {
		snprintf(err, errlen,
			 "SVG attribute \"%s\" must point inside the image (#id); external references are not allowed",
			 name);
		return -1;
	}
	return 0;
}

/* Check one tag d[0..len) (without the angle brackets). */
static int bank_svg_tag(const unsigned char *d, size_t len, char *err, size_t errlen)
{
	size_t i = 0, k;
	char name[64];
	const char *local;

	if (i < len && d[i] == '/')
		i++;
	for (k = 0; i < len && !isspace(d[i]) && d[i] != '/' && k + 1 < sizeof name; i++)
		name[k++] = (char)tolower(d[i]);
	name[k] = '\0';
	local = bank_xml_local(name);
	if (strcmp(local, "script") == 0) {
		snprintf(err, errlen, "SVG contains a script element <%s>", name);
		return -1;
	}
	if (strcmp(local, "foreignobject") == 0) {
		snprintf(err, errlen, "SVG contains a foreignObject element (embedded HTML)");
		return -1;
	}
	while (i < len) {
		char attr[64];
		const unsigned char *v = NULL;
		size_t vlen = 0;
		while (i < len && (isspace(d[i]) || d[i] == '/'))
			i++;
		for (k = 0; i < len && !isspace(d[i]) && d[i] != '=' && d[i] != '/'; i++)
			if (k + 1 < sizeof attr)
				attr[k++] = (char)d[i];
		attr[k] = '\0';
		while (i < len && isspace(d[i]))
			i++;
		if (i < len && d[i] == '=') {
			i++;
			while (i < len && isspace(d[i]))
				i++;
			if (i < len && (d[i] == '"' || d[i] == '\'')) {
				unsigned char q = d[i++];
				v = d + i;
				while (i < len && d[i] != q)
					i++;
				vlen = (size_t)(d + i - v);
				i++;
			} else {
				v = d + i;
				while (i < len && !isspace(d[i]))
					i++;
				vlen = (size_t)(d + i - v);
			}
		}
		if (k && bank_svg_attr(attr, v ? v : (const unsigned char *)"", vlen, err, errlen))
			return -1;
	}
	return 0;
}

/* The CSS ways out of an SVG, anywhere in its text (a style attribute, a
 * presentation attribute such as fill, a <style> element): @import, url()
 * to anything but a fragment (#id), and backslashes, with which CSS escapes
 * could spell either. Conservative: a figure has no use for them. */
static int bank_svg_css(const unsigned char *d, size_t len, char *err, size_t errlen)
{
	for (size_t i = 0; i < len; i++) {
		if (d[i] == '\\') {
			snprintf(err, errlen,
				 "SVG contains a backslash, which in CSS can hide an external reference; write the characters themselves");
			return -1;
		}
		if (d[i] == '@' && len - i >= 7 && strncasecmp((const char *)d + i, "@import", 7) == 0) {
			snprintf(err, errlen, "SVG contains a CSS @import; external references are not allowed");
			return -1;
		}
		if ((d[i] == 'u' || d[i] == 'U') && len - i >= 4 &&
		    strncasecmp((const char *)d + i, "url(", 4) == 0) {
			size_t k = i + 4;
			while (k < len && (isspace(d[k]) || d[k] == '"' || d[k] == '\''))
				k++;
			if (k >= len || d[k] != '#') {
				snprintf(err, errlen,
					 "SVG contains a CSS url() that does not point inside the image (#id); external references are not allowed");
				return -1;
			}
		}
	}
	return 0;
}

/* Walk the markup of an SVG: every tag is checked; text content is not
 * (it is displayed, never run), except for the CSS ways out (bank_svg_css).
 * Declarations (DOCTYPE, ENTITY, CDATA) and processing instructions other
 * than the XML declaration (<?xml-stylesheet ...?>) are refused; comments
 * are skipped. */
static int bank_svg_safe(const unsigned char *d, size_t len, char *err, size_t errlen)
{
	size_t i = 0;
	if (bank_svg_css(d, len, err, errlen))
		return -1;
	while (i < len) {
		const unsigned char *end;
		if (d[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(d + i, "<!--", 4) == 0) {
			const unsigned char *c = memmem(d + i + 4, len - i - 4, "-->", 3);
			if (!c) {
				snprintf(err, errlen, "SVG has an unterminated comment");
				return -1;
			}
			i = (size_t)(c - d) + 3;
			continue;
		}
		if (len - i >= 2 && d[i + 1] == '!') {
			snprintf(err, errlen, "SVG contains a declaration (<!DOCTYPE, <!ENTITY or CDATA), which is not allowed");
			return -1;
		}
		if (len - i >= 2 && d[i + 1] == '?') {
			const unsigned char *c = memmem(d + i + 2, len - i - 2, "?>", 2);
			if (!(len - i >= 6 && memcmp(d + i, "<?xml", 5) == 0 && isspace(d[i + 5]))) {
				snprintf(err, errlen,
					 "SVG contains a processing instruction (<?...?>) other than the XML declaration, which is not allowed");
				return -1;
			}
			i = c ? (size_t)(c - d) + 2 : len;
			continue;
		}
		/* Find the closing '>' outside quoted attribute values. */
		{
			unsigned char q = 0;
			size_t j = i + 1;
			for (; j < len; j++) {
				if (q) {
					if (d[j] == q)
						q = 0;
				} else if (d[j] == '"' || d[j] == '\'') {
					q = d[j];
				} else if (d[j] == '>') {
					break;
				}
			}
			if (j >= len) {
				snprintf(err, errlen, "SVG has an unterminated tag");
				return -1;
			}
			end = d + j;
		}
		if (bank_svg_tag(d + i + 1, (size_t)(end - d) - i - 1, err, errlen))
			return -1;
		i = (size_t)(end - d) + 1;
	}
	return 0;
}

int bank_check_image(const char *name, const unsigned char *data, size_t len,
		     const char **mime, char *err, size_t errlen)
{
	const char *dot = strrchr(name, '.');
	if (len == 0) {
		snprintf(err, errlen, "image file is empty");
		return -1;
	}
	if (len > UJ_IMAGE_BYTES_MAX) {
		snprintf(err, errlen, "image file is %zu bytes; at most %d allowed", len,
			 UJ_IMAGE_BYTES_MAX);
		return -1;
	}
	if (dot && strcmp(dot, ".png") == 0) {
		if (len < 8 || memcmp(data, "\x89PNG\r\n\x1a\n", 8) != 0) {
			snprintf(err, errlen, "not a PNG file (bad signature)");
			return -1;
		}
		*mime = "image/png";
		return 0;
	}
	if (dot && (strcmp(dot, ".jpg") == 0 || strcmp(dot, ".jpeg") == 0)) {
		if (len < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
			snprintf(err, errlen, "not a JPEG file (bad signature)");
			return -1;
		}
		*mime = "image/jpeg";
		return 0;
	}
	if (dot && strcmp(dot, ".svg") == 0) {
		if (!text_utf8_valid((const char *)data, len) || memchr(data, 0, len)) {
			snprintf(err, errlen, "SVG file is not UTF-8 text");
			return -1;
		}
		if (!bank_contains_ci(data, len, "<svg")) {
			snprintf(err, errlen, "not an SVG file (no <svg> element)");
			return -1;
		}
		if (bank_svg_safe(data, len, err, errlen))
			return -1;
		*mime = "image/svg+xml";
		return 0;
	}
	snprintf(err, errlen, "unsupported image type (use .png, .jpg, .jpeg or .svg)");
	return -1;
}

int bank_item_max_points(const struct bank_item *it, const struct section_rule *rule)
{
	int best = rule->blank;
	if (rule->type == SCORING_RIGHT_WRONG) {
		if (rule->correct > best)
			best = rule->correct;
		if (rule->wrong > best)
			best = rule->wrong;
		return best;
	}
	for (int i = 0; i < it->n_options; i++)
		if (it->opt[i].points > best)
			best = it->opt[i].points;
	return best;
}
