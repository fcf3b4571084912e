/* ninebox_config.c - a talent-mapping period's configuration
 * (include/selection/ninebox.h): the defaults, the whole-document check
 * with every problem listed, and the JSON written back (every default
 * spelled out). Pure: no database (talent.c checks that the exams and
 * sections named exist). */
#include "selection/ninebox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The common wording (docs/SELECTION.md; ../shared/domain.md), by
 * [perf][pot]. Agencies word them differently: configuration. */
static const char *const nb_rec_default[NB_PERF_MAX][NB_POT_MAX] = {
	[NB_ABOVE] = {
		"Rotasi; pengembangan kompetensi",
		"Dipertahankan; masuk kelompok rencana suksesi instansi; rotasi/pengayaan jabatan; "
		"pengembangan kompetensi; tugas belajar",
		"Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi nasional/instansi; "
		"penghargaan",
	},
	[NB_MEETS] = {
		"Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
		"Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
		"Dipertahankan; masuk kelompok rencana suksesi instansi; rotasi/perluasan jabatan; "
		"bimbingan kinerja",
	},
	[NB_BELOW] = {
		"Diproses sesuai ketentuan peraturan tentang disiplin dan kinerja",
		"Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang "
		"sesuai",
		"Penempatan yang sesuai; bimbingan kinerja dan konseling kinerja",
	},
};
static const char *const nb_perf_words[NB_PERF_MAX] = { "di bawah ekspektasi",
							"sesuai ekspektasi", "di atas ekspektasi" };
static const char *const nb_pot_words[NB_POT_MAX] = { "rendah", "menengah", "tinggi" };
static const int nb_box_default[NB_PERF_MAX][NB_POT_MAX] = {
	[NB_ABOVE] = { 4, 7, 9 }, [NB_MEETS] = { 2, 5, 8 }, [NB_BELOW] = { 1, 3, 6 }
};
/* The rows of "boxes" in the JSON, top first. */
static const enum nb_perf nb_box_rows[NB_PERF_MAX] = { NB_ABOVE, NB_MEETS, NB_BELOW };

void nb_config_default(struct nb_config *c, int until_year, const char *reference_date)
{
	memset(c, 0, sizeof *c);
	c->cut_high = 80;
	c->cut_medium = 68;
	c->perf_map[NB_SANGAT_BAIK] = NB_ABOVE;
	c->perf_map[NB_BAIK] = NB_MEETS;
	c->perf_map[NB_BUTUH_PERBAIKAN] = NB_BELOW;
	c->perf_map[NB_KURANG] = NB_BELOW;
	c->perf_map[NB_SANGAT_KURANG] = NB_BELOW;
	c->perf_years = 2;
	c->until_year = until_year;
	for (int p = 0; p < NB_PERF_MAX; p++)
		for (int q = 0; q < NB_POT_MAX; q++) {
			c->box[p][q] = nb_box_default[p][q];
			snprintf(c->label[p][q], sizeof c->label[p][q], "Kinerja %s, potensial %s",
				 nb_perf_words[p], nb_pot_words[q]);
			snprintf(c->rec[p][q], sizeof c->rec[p][q], "%s", nb_rec_default[p][q]);
		}
	c->sanction_level[NB_MODERATE] = c->sanction_level[NB_HEAVY] = 1;
	c->sanction_years = 2;
	snprintf(c->reference_date, sizeof c->reference_date, "%s",
		 reference_date ? reference_date : "");
	c->x_potential = 1;
}

/* The pool's default: the boxes (above, medium), (meets, high), (above,
 * high) under c's numbering. */
static void nb_pool_default(struct nb_config *c)
{
	memset(c->pool, 0, sizeof c->pool);
	c->pool[c->box[NB_ABOVE][NB_MEDIUM]] = 1;
	c->pool[c->box[NB_MEETS][NB_HIGH]] = 1;
	c->pool[c->box[NB_ABOVE][NB_HIGH]] = 1;
}

/* 1 if s is YYYY-MM-DD, a real date in the years 1900-2200 (those of
 * until_year, which follows it). */
static int nb_date_valid(const char *s)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* 1 if s is 1..UJ_TALENT_CODE_MAX of A-Z a-z 0-9 _ -. */
static int nb_code_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* Every key of obj not in allowed (NULL-terminated) is an error. */
static void nb_only_keys(json_t *obj, const char *const *allowed, const char *item,
			 struct errlist *errs)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, k) == 0;
		if (!ok)
			errlist_add(errs, 0, item, k, "unknown key \"%s\"", k);
	}
}

/* A text value of at most max bytes without control characters into out. */
static int nb_text(json_t *v, size_t max, const char *item, const char *field, char *out,
		   struct errlist *errs)
{
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;
	int ok = s != NULL && n <= max;
	for (size_t i = 0; ok && i < n; i++)
		ok = (unsigned char)s[i] >= 0x20 && s[i] != 0x7f;
	if (!ok) {
		errlist_add(errs, 0, item, field,
			    "must be at most %d bytes of text without control characters", (int)max);
		return -1;
	}
	memcpy(out, s, n + 1);
	return 0;
}

static void nb_parse_component(json_t *o, int i, struct nb_component *m, struct errlist *errs)
{
	static const char *const keys[] = { "code", "name", "kind", "exam", "section", "weight",
					    "max", NULL };
	char item[48];
	const char *s;
	json_t *v;
	int kind_ok = 1;

	snprintf(item, sizeof item, "components[%d]", i);
	memset(m, 0, sizeof *m);
	if (!json_is_object(o)) {
		errlist_add(errs, 0, item, NULL, "must be an object");
		return;
	}
	nb_only_keys(o, keys, item, errs);
	s = json_string_value(json_object_get(o, "code"));
	if (!s || !nb_code_valid(s, UJ_TALENT_CODE_MAX))
		errlist_add(errs, 0, item, "code", "must be 1-%d characters of A-Z a-z 0-9 _ -",
			    UJ_TALENT_CODE_MAX);
	else
		memcpy(m->code, s, strlen(s) + 1);
	if ((v = json_object_get(o, "name")))
		nb_text(v, UJ_TALENT_NAME_MAX, item, "name", m->name, errs);
	else
		memcpy(m->name, m->code, sizeof m->code);
	s = json_string_value(json_object_get(o, "kind"));
	if (s && strcmp(s, "exam") == 0)
		m->kind = NB_KIND_EXAM;
	else if (s && strcmp(s, "entered") == 0)
		m->kind = NB_KIND_ENTERED;
	else
		kind_ok = 0;
	if (!kind_ok)
		errlist_add(errs, 0, item, "kind", "must be \"exam\" or \"entered\"");
	v = json_object_get(o, "weight");
	if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 100)
		errlist_add(errs, 0, item, "weight", "must be a number above 0 and at most 100");
	else
		m->weight = json_number_value(v);
	if (kind_ok && m->kind == NB_KIND_EXAM) {
		s = json_string_value(json_object_get(o, "exam"));
		if (!s || !*s || strlen(s) > UJ_CODE_MAX)
			errlist_add(errs, 0, item, "exam", "must name an exam (its code)");
		else
			memcpy(m->exam, s, strlen(s) + 1);
		v = json_object_get(o, "section");
		if (v && !json_is_null(v) &&
		    (!json_is_string(v) || !*json_string_value(v) ||
		     strlen(json_string_value(v)) > UJ_CODE_MAX))
			errlist_add(errs, 0, item, "section", "must be a section code or null");
		else if (v && json_is_string(v))
			memcpy(m->section, json_string_value(v), strlen(json_string_value(v)) + 1);
		if (json_object_get(o, "max"))
			errlist_add(errs, 0, item, "max", "is only for components of kind \"%s\"",
				    "entered");
	} else if (kind_ok) {
		v = json_object_get(o, "max");
		m->max = 100;
		if (v && (!json_is_number(v) || json_number_value(v) <= 0 ||
			  json_number_value(v) > 1e9))
			errlist_add(errs, 0, item, "max", "must be a number above 0");
		else if (v)
			m->max = json_number_value(v);
		if (json_object_get(o, "exam"))
			errlist_add(errs, 0, item, "exam", "is only for components of kind \"%s\"",
				    "exam");
		if (json_object_get(o, "section"))
			errlist_add(errs, 0, item, "section",
				    "is only for components of kind \"%s\"", "exam");
	}
}

static void nb_parse_components(json_t *v, struct nb_config *c, struct errlist *errs)
{
	double sum = 0;
	json_t *o;
	size_t i;

	if (!v) {
		errlist_add(errs, 0, NULL, "components", "is required");
		return;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > UJ_TALENT_COMPONENTS_MAX) {
		errlist_add(errs, 0, NULL, "components", "must be a list of 1-%d components",
			    UJ_TALENT_COMPONENTS_MAX);
		return;
	}
	json_array_foreach(v, i, o) {
		struct nb_component *m = &c->comp[i];
		nb_parse_component(o, (int)i, m, errs);
		for (size_t k = 0; k < i && m->code[0]; k++)
			if (strcmp(c->comp[k].code, m->code) == 0) {
				char item[48];
				snprintf(item, sizeof item, "components[%zu]", i);
				errlist_add(errs, 0, item, "code", "component code \"%s\" appears twice",
					    m->code);
			}
		sum += m->weight;
	}
	c->n_comp = (int)json_array_size(v);
	if (sum - 100.0 > 1e-6 || 100.0 - sum > 1e-6)
		errlist_add(errs, 0, NULL, "components", "the weights must sum to 100, not %g", sum);
}

/* A number in [lo, hi] at obj.key (absent: *out unchanged). */
static void nb_number(json_t *obj, const char *key, double lo, double hi, const char *item,
		      double *out, struct errlist *errs)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
		errlist_add(errs, 0, item, key, "must be a number %g-%g", lo, hi);
	else
		*out = json_number_value(v);
}

/* A whole number in [lo, hi] at obj.key (absent: *out unchanged). */
static void nb_whole(json_t *obj, const char *key, int lo, int hi, const char *item, int *out,
		     struct errlist *errs)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		errlist_add(errs, 0, item, key, "must be a whole number %d-%d", lo, hi);
	else
		*out = (int)json_integer_value(v);
}

static void nb_parse_cutoffs(json_t *v, struct nb_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "high", "medium", NULL };
	int before = (int)errs->total;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, "cutoffs", "must be an object");
		return;
	}
	nb_only_keys(v, keys, "cutoffs", errs);
	nb_number(v, "high", 0, 100, "cutoffs", &c->cut_high, errs);
	nb_number(v, "medium", 0, 100, "cutoffs", &c->cut_medium, errs);
	if ((int)errs->total == before && c->cut_medium >= c->cut_high)
		errlist_add(errs, 0, "cutoffs", "medium", "medium (%g) must be below high (%g)",
			    c->cut_medium, c->cut_high);
}

static void nb_parse_performance(json_t *v, struct nb_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "map", "years", "until_year", NULL };
	json_t *map, *x;
	const char *k;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, "performance", "must be an object");
		return;
	}
	nb_only_keys(v, keys, "performance", errs);
	nb_whole(v, "years", 1, UJ_TALENT_YEARS_MAX, "performance", &c->perf_years, errs);
	nb_whole(v, "until_year", 1900, 2200, "performance", &c->until_year, errs);
	if (!(map = json_object_get(v, "map")))
		return;
	if (!json_is_object(map)) {
		errlist_add(errs, 0, "performance", "map", "must be an object");
		return;
	}
	json_object_foreach(map, k, x) {
		enum nb_predikat p = nb_predikat_parse(k);
		enum nb_perf l = nb_perf_parse(json_string_value(x));
		if (p == NB_PRED_NONE)
			errlist_add(errs, 0, "performance.map", k,
				    "unknown predikat \"%s\" (sangat_baik, baik, butuh_perbaikan, "
				    "kurang, sangat_kurang)",
				    k);
		else if (l == NB_PERF_NONE)
			errlist_add(errs, 0, "performance.map", k,
				    "must be one of above, meets, below");
		else
			c->perf_map[p] = l;
	}
}

static void nb_parse_boxes(json_t *v, struct nb_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "above", "meets", "below", NULL };
	int used[10] = { 0 }, bad = 0;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, "boxes", "must be an object");
		return;
	}
	nb_only_keys(v, keys, "boxes", errs);
	for (int r = 0; r < NB_PERF_MAX; r++) {
		enum nb_perf p = nb_box_rows[r];
		json_t *row = json_object_get(v, nb_perf_code(p)), *x;
		if (!row) {
			for (int q = 0; q < NB_POT_MAX; q++)
				used[c->box[p][q]]++;
			continue;
		}
		if (!json_is_array(row) || json_array_size(row) != NB_POT_MAX) {
			errlist_add(errs, 0, "boxes", nb_perf_code(p),
				    "must be a list of three box numbers 1-9 (low, medium, high)");
			bad = 1;
			continue;
		}
		for (int q = 0; q < NB_POT_MAX; q++) {
			x = json_array_get(row, (size_t)q);
			if (!json_is_integer(x) || json_integer_value(x) < 1 ||
			    json_integer_value(x) > 9) {
				errlist_add(errs, 0, "boxes", nb_perf_code(p),
					    "must be a list of three box numbers 1-9 (low, medium, high)");
				bad = 1;
				break;
			}
			c->box[p][q] = (int)json_integer_value(x);
			used[c->box[p][q]]++;
		}
	}
	for (int b = 1; b <= 9 && !bad; b++)
		if (used[b] != 1)
			errlist_add(errs, 0, NULL, "boxes",
				    "box %d is used %d times (each of 1-9 exactly once)", b, used[b]);
}

/* labels / recommendations: {"9": "text", ...} keyed by box number. */
static void nb_parse_texts(json_t *v, const char *field, int rec, struct nb_config *c,
			   struct errlist *errs)
{
	const char *k;
	json_t *x;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, field, "must be an object");
		return;
	}
	json_object_foreach(v, k, x) {
		enum nb_perf p;
		enum nb_pot q;
		if (strlen(k) != 1 || k[0] < '1' || k[0] > '9' ||
		    nb_box_levels(c, k[0] - '0', &p, &q)) {
			errlist_add(errs, 0, field, k, "\"%s\" is not a box number 1-9", k);
			continue;
		}
		if (rec)
			nb_text(x, UJ_TALENT_REC_MAX, field, k, c->rec[p][q], errs);
		else
			nb_text(x, UJ_TALENT_LABEL_MAX, field, k, c->label[p][q], errs);
	}
}

static void nb_parse_pool(json_t *v, struct nb_config *c, struct errlist *errs)
{
	json_t *x;
	size_t i;
	if (!v)
		return;
	memset(c->pool, 0, sizeof c->pool);
	if (!json_is_array(v) || json_array_size(v) > 9) {
		errlist_add(errs, 0, NULL, "pool", "must be a list of distinct box numbers 1-9");
		return;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 9 ||
		    c->pool[json_integer_value(x)]) {
			errlist_add(errs, 0, NULL, "pool", "must be a list of distinct box numbers 1-9");
			return;
		}
		c->pool[json_integer_value(x)] = 1;
	}
}

static void nb_parse_sanctions(json_t *v, struct nb_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "levels", "years", NULL };
	json_t *levels, *x;
	size_t i;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, "sanctions", "must be an object");
		return;
	}
	nb_only_keys(v, keys, "sanctions", errs);
	nb_whole(v, "years", 1, UJ_TALENT_SANCTION_YEARS_MAX, "sanctions", &c->sanction_years, errs);
	if (!(levels = json_object_get(v, "levels")))
		return;
	memset(c->sanction_level, 0, sizeof c->sanction_level);
	if (!json_is_array(levels)) {
		errlist_add(errs, 0, "sanctions", "levels",
			    "must be a list of distinct levels light, moderate, heavy");
		return;
	}
	json_array_foreach(levels, i, x) {
		enum nb_sanction_level l = nb_sanction_parse(json_string_value(x));
		if (l == NB_SANC_NONE || c->sanction_level[l]) {
			errlist_add(errs, 0, "sanctions", "levels",
				    "must be a list of distinct levels light, moderate, heavy");
			return;
		}
		c->sanction_level[l] = 1;
	}
}

static void nb_parse_orientation(json_t *v, struct nb_config *c, struct errlist *errs)
{
	static const char *const keys[] = { "x", "y", NULL };
	const char *x, *y;
	if (!v)
		return;
	if (!json_is_object(v)) {
		errlist_add(errs, 0, NULL, "orientation", "must be an object");
		return;
	}
	nb_only_keys(v, keys, "orientation", errs);
	x = json_string_value(json_object_get(v, "x"));
	y = json_string_value(json_object_get(v, "y"));
	if (json_object_get(v, "x") &&
	    (!x || (strcmp(x, "potential") != 0 && strcmp(x, "performance") != 0)))
		errlist_add(errs, 0, "orientation", "x", "must be \"potential\" or \"performance\"");
	else if (json_object_get(v, "y") &&
		 (!y || (strcmp(y, "potential") != 0 && strcmp(y, "performance") != 0)))
		errlist_add(errs, 0, "orientation", "y", "must be \"potential\" or \"performance\"");
	else if (x && y && strcmp(x, y) == 0)
		errlist_add(errs, 0, "orientation", "y", "x and y must be different axes");
	else if (x)
		c->x_potential = strcmp(x, "potential") == 0;
	else if (y)
		c->x_potential = strcmp(y, "performance") == 0;
}

int nb_config_parse(json_t *j, int until_year, const char *reference_date, struct nb_config *c,
		    struct errlist *errs)
{
	static const char *const keys[] = { "components", "cutoffs",	 "performance",
					    "boxes",	  "labels",	 "recommendations",
					    "pool",	  "sanctions",	 "orientation",
					    "reference_date", NULL };
	size_t before = errs->total;
	const char *s;
	json_t *v;

	nb_config_default(c, until_year, reference_date);
	if (!json_is_object(j)) {
		errlist_add(errs, 0, NULL, "config", "must be an object");
		return -1;
	}
	nb_only_keys(j, keys, NULL, errs);
	nb_parse_components(json_object_get(j, "components"), c, errs);
	nb_parse_cutoffs(json_object_get(j, "cutoffs"), c, errs);
	nb_parse_performance(json_object_get(j, "performance"), c, errs);
	nb_parse_boxes(json_object_get(j, "boxes"), c, errs);
	nb_pool_default(c); /* under the numbering just read */
	nb_parse_texts(json_object_get(j, "labels"), "labels", 0, c, errs);
	nb_parse_texts(json_object_get(j, "recommendations"), "recommendations", 1, c, errs);
	nb_parse_pool(json_object_get(j, "pool"), c, errs);
	nb_parse_sanctions(json_object_get(j, "sanctions"), c, errs);
	nb_parse_orientation(json_object_get(j, "orientation"), c, errs);
	if ((v = json_object_get(j, "reference_date"))) {
		s = json_string_value(v);
		if (!s || !nb_date_valid(s))
			errlist_add(errs, 0, NULL, "reference_date", "must be a date YYYY-MM-DD");
		else
			memcpy(c->reference_date, s, 11);
	}
	/* until_year follows the reference date unless given. */
	if (!json_object_get(json_object_get(j, "performance"), "until_year") &&
	    strlen(c->reference_date) == 10)
		c->until_year = atoi(c->reference_date);
	return errs->total == before ? 0 : -1;
}

json_t *nb_config_json(const struct nb_config *c)
{
	json_t *j = json_object(), *comps = json_array(), *boxes = json_object();
	json_t *labels = json_object(), *recs = json_object(), *map = json_object();
	json_t *pool = json_array(), *levels = json_array();

	for (int i = 0; i < c->n_comp; i++) {
		const struct nb_component *m = &c->comp[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "code", m->code, "name", m->name, "kind",
				      m->kind == NB_KIND_EXAM ? "exam" : "entered", "weight",
				      m->weight);
		if (m->kind == NB_KIND_EXAM) {
			json_object_set_new(o, "exam", json_string(m->exam));
			json_object_set_new(o, "section",
					    m->section[0] ? json_string(m->section) : json_null());
		} else {
			json_object_set_new(o, "max", json_real(m->max));
		}
		json_array_append_new(comps, o);
	}
	for (int p = 0; p < NB_PRED_MAX; p++)
		json_object_set_new(map, nb_predikat_code((enum nb_predikat)p),
				    json_string(nb_perf_code(c->perf_map[p])));
	for (int r = 0; r < NB_PERF_MAX; r++) {
		enum nb_perf p = nb_box_rows[r];
		json_object_set_new(boxes, nb_perf_code(p),
				    json_pack("[i,i,i]", c->box[p][0], c->box[p][1], c->box[p][2]));
	}
	for (int b = 1; b <= 9; b++) {
		enum nb_perf p;
		enum nb_pot q;
		char key[2] = { (char)('0' + b), 0 };
		if (nb_box_levels(c, b, &p, &q) == 0) {
			json_object_set_new(labels, key, json_string(c->label[p][q]));
			json_object_set_new(recs, key, json_string(c->rec[p][q]));
		}
		if (c->pool[b])
			json_array_append_new(pool, json_integer(b));
	}
	for (int l = 0; l < NB_SANC_MAX; l++)
		if (c->sanction_level[l])
			json_array_append_new(levels,
					      json_string(nb_sanction_code((enum nb_sanction_level)l)));
	json_object_set_new(j, "components", comps);
	json_object_set_new(j, "cutoffs",
			    json_pack("{s:f,s:f}", "high", c->cut_high, "medium", c->cut_medium));
	json_object_set_new(j, "performance",
			    json_pack("{s:o,s:i,s:i}", "map", map, "years", c->perf_years,
				      "until_year", c->until_year));
	json_object_set_new(j, "boxes", boxes);
	json_object_set_new(j, "labels", labels);
	json_object_set_new(j, "recommendations", recs);
	json_object_set_new(j, "pool", pool);
	json_object_set_new(j, "sanctions",
			    json_pack("{s:o,s:i}", "levels", levels, "years", c->sanction_years));
	json_object_set_new(j, "orientation",
			    json_pack("{s:s,s:s}", "x", c->x_potential ? "potential" : "performance",
				      "y", c->x_potential ? "performance" : "potential"));
	json_object_set_new(j, "reference_date", json_string(c->reference_date));
	return j;
}

int nb_config_uses_exam(const struct nb_config *c, const char *exam)
{
	for (int i = 0; i < c->n_comp; i++)
		if (c->comp[i].kind == NB_KIND_EXAM && strcmp(c->comp[i].exam, exam) == 0)
			return 1;
	return 0;
}

int nb_config_component(const struct nb_config *c, const char *code)
{
	for (int i = 0; i < c->n_comp; i++)
		if (strcmp(c->comp[i].code, code) == 0)
			return i;
	return -1;
}
