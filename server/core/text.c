/* text.c - UTF-8 and identifier checks. */
#include "core/text.h"

#include <string.h>

int text_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

size_t text_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int text_has_control(const char *s, int allow_newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F. */
		if (c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F)
			return 1;
		if (c < 0x20 || c == 0x7F) {
			if (allow_newlines && (c == '\n' || c == '\r' || c == '\t'))
				continue;
			return 1;
		}
	}
	return 0;
}

static int text_in_class(char c, const char *classes)
{
	for (const char *k = classes; *k; k++) {
		if (*k == 'A' && c >= 'A' && c <= 'Z')
			return 1;
		if (*k == 'a' && c >= 'a' && c <= 'z')
			return 1;
		if (*k == '0' && c >= '0' && c <= '9')
			return 1;
		if (*k != 'A' && *k != 'a' && *k != '0' && *k == c)
			return 1;
	}
	return 0;
}

int text_is_ident(const char *s, size_t maxlen, const char *classes, int first_alnum)
{
	size_t n = strlen(s);
	if (n == 0 || n > maxlen)
		return 0;
	if (first_alnum && !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
			     (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!text_in_class(s[i], classes))
			return 0;
	return 1;
}

void text_utf8_scrub(char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (k && i + k <= n && text_utf8_valid(s + i, k)) {
			i += k;
			continue;
		}
		s[i++] = '?';
	}
}
