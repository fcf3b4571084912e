/* csvout.c - CSV fields for spreadsheets (include/core/csvout.h). */
#include "core/csvout.h"
#include "core/mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int csvout_digit_id(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isdigit((unsigned char)s[n]))
			return 0;
	return n >= 12 || (n > 1 && s[0] == '0');
}

void csvout_raw(FILE *out, const char *s, char sep)
{
	if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void csvout_text(FILE *out, const char *s, char sep)
{
	char *v = NULL;
	if (csvout_digit_id(s))
		v = xasprintf("=\"%s\"", s);
	else if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		 s[0] == '\r')
		v = xasprintf("'%s", s);
	csvout_raw(out, v ? v : s, sep);
	free(v);
}
