/* unit_json.h - JSON documents in unit tests, written with ' for " so they
 * stay readable inside C strings. Include after unit.h. */
#ifndef UJIAN_UNIT_JSON_H
#define UJIAN_UNIT_JSON_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Parse text with every ' read as "; fails the test on bad JSON. The caller
 * owns the result. */
static inline json_t *J(const char *text)
{
	char *s = strdup(text);
	json_error_t je;
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_t *root = json_loads(s, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		fail_msg("bad test JSON: %s (line %d)", je.text, je.line);
	free(s);
	return root;
}

#endif
