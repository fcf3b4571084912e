/* text.h - checks on UTF-8 text and identifiers shared by every importer. */
#ifndef UJIAN_TEXT_H
#define UJIAN_TEXT_H

#include <stddef.h>

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int text_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s. */
size_t text_utf8_chars(const char *s);
/* Make s valid UTF-8 in place: every byte that does not belong to a valid
 * sequence (a stray continuation, a sequence cut short, an overlong form)
 * becomes '?'. For text built from input bytes before it goes into JSON. */
void text_utf8_scrub(char *s);
/* 1 if s holds a control character (C0, DEL or C1 U+0080..U+009F) other
 * than allowed ones; allow_newlines permits '\n', '\r' and '\t'. */
int text_has_control(const char *s, int allow_newlines);
/* 1 if s is 1..maxlen characters, each from the given class string:
 * 'A' = A-Z, 'a' = a-z, '0' = 0-9, any other character stands for itself.
 * If first_alnum, the first character must be a letter or digit. */
int text_is_ident(const char *s, size_t maxlen, const char *classes, int first_alnum);

#endif
