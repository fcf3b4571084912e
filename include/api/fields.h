/* fields.h - reading a JSON request body against a list of expected fields,
 * for the staff handlers: every field's type is checked, unknown fields are
 * refused, required ones must be present. On any error the 400 reply is
 * sent (invalid_request naming the field) and -1 returned. */
#ifndef UJIAN_API_FIELDS_H
#define UJIAN_API_FIELDS_H

#include <event2/http.h>
#include <jansson.h>

enum api_field_type { AF_STRING, AF_BOOL, AF_INT, AF_STRINGS };

struct api_field {
	const char *name;
	enum api_field_type type;
	int required;
	json_t *value; /* set when present (borrowed from the body) */
};

/* Check body against fields (ended by a NULL name). 0, or -1 after a reply. */
int api_fields(struct evhttp_request *req, json_t *body, struct api_field *fields);

#endif
