/* csvout.h - writing CSV that opens right in a spreadsheet under Indonesian
 * settings (shared by report/results.c and the selection exports).
 *
 * RFC 4180 fields: quoted when they hold the separator, a quote or a line
 * break, quotes doubled. A text value of 12 or more digits, or of digits
 * with a leading zero (registration numbers, NIP, NIK), is written as the
 * formula ="<digits>", which Excel shows as the digits, as text (not
 * 1.99E+17, no lost zeros); any other text starting with = + - @, a tab or a
 * carriage return gets a leading apostrophe, so a spreadsheet never runs a
 * name as a formula. The caller writes the UTF-8 byte-order mark
 * (CSVOUT_BOM), the separators and the CRLF line ends. */
#ifndef UJIAN_CSVOUT_H
#define UJIAN_CSVOUT_H

#include <stdio.h>

#define CSVOUT_BOM "\xEF\xBB\xBF"

/* 1 for an id that spreadsheets would mangle as a number: only digits, and
 * 12 or more of them (beyond 15 digits Excel also rounds) or a leading zero. */
int csvout_digit_id(const char *s);
/* One field as it is (quoted when needed). */
void csvout_raw(FILE *out, const char *s, char sep);
/* One text field: long digit ids as ="digits", formula starts neutralised. */
void csvout_text(FILE *out, const char *s, char sep);

#endif
