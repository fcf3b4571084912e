/* fields.c - checking a JSON body against expected fields (api/fields.h). */
#include "api/fields.h"
#include "http/reply.h"

#include <stdio.h>
#include <string.h>

static int api_field_type_ok(const struct api_field *f, json_t *v)
{
	size_t i;
	json_t *x;
	switch (f->type) {
	case AF_STRING: return json_is_string(v);
	case AF_BOOL: return json_is_boolean(v);
	case AF_INT: return json_is_integer(v);
	case AF_STRINGS:
		if (!json_is_array(v))
			return 0;
		json_array_foreach(v, i, x)
			if (!json_is_string(x))
				return 0;
		return 1;
	}
	return 0;
}

int api_fields(struct evhttp_request *req, json_t *body, struct api_field *fields)
{
	static const char *const what[] = { "teks", "true/false", "bilangan bulat", "daftar teks" };
	const char *key;
	json_t *v;
	char d[160];

	json_object_foreach(body, key, v) {
		struct api_field *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name) {
			http_reply_unknown_field(req, key);
			return -1;
		}
		if (!api_field_type_ok(f, v)) {
			snprintf(d, sizeof d, "Isian \"%s\" harus berupa %s.", f->name, what[f->type]);
			http_reply_error(req, 400, "invalid_request", d);
			return -1;
		}
		f->value = v;
	}
	for (struct api_field *f = fields; f->name; f++)
		if (f->required && !f->value) {
			snprintf(d, sizeof d, "Isian \"%s\" wajib diisi.", f->name);
			http_reply_error(req, 400, "invalid_request", d);
			return -1;
		}
	return 0;
}
