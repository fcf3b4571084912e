/* demo_selection.h - the demo's open-bidding selection (cli/demo_selection.c). */
#ifndef UJIAN_DEMO_SELECTION_H
#define UJIAN_DEMO_SELECTION_H

#include <sqlite3.h>
#include <stddef.h>

/* The exam whose results feed the demo selection's assessment when it
 * exists with finished attempts of employees (the talent demo's exam). */
#define DEMO_SELECTION_EXAM "TALENTA-DEMO"

/* Build selection "JPT-2026" in db (made by 'ujian demo', after the staff
 * and, when present, the employees and the talent exam): three vacancies,
 * about twenty applicants at various stages, entered by the committee
 * accounts pansel (chair), pansel2 and pansel3 through selection/bidding.h
 * (so every entry is in the audit log). Returns 0, or -1 with err. */
int demo_selection_build(sqlite3 *db, char *err, size_t errlen);

#endif
