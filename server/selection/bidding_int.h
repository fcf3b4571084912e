/* bidding_int.h - what bidding.c (writes), bidding_read.c (reads) and
 * bidding_import.c (the applicants CSV) share: a selection as loaded, and a
 * vacancy's applicants with everything the ranking needs. Internal to
 * server/selection/. */
#ifndef UJIAN_BIDDING_INT_H
#define UJIAN_BIDDING_INT_H

#include "selection/bidding.h"

#define BID_ROLE_LEN 10 /* "secretary" */

struct bid_member {
	int64_t staff_id;
	char username[UJ_USERNAME_MAX + 1];
	char name[UJ_SEL_NAME_MAX + 1];
	char role[BID_ROLE_LEN + 1]; /* chair, secretary, member */
};

/* A selection as stored. */
struct bid_sel {
	int64_t id;
	char code[UJ_CODE_MAX + 1];
	char name[UJ_SEL_NAME_MAX + 1];
	char agency[UJ_SEL_NAME_MAX + 1];
	int closed;
	int64_t created_at, closed_at; /* ms; closed_at 0 = open */
	struct rank_config cfg;
	int n_members;
	struct bid_member member[UJ_SEL_MEMBERS_MAX];
};

/* One applicant as stored, with what the JSON shows beside the numbers. */
struct bid_app {
	int64_t id;
	int internal;
	char nip[24], nik[24];
	char name[UJ_SEL_NAME_MAX + 1];
	char origin[UJ_SEL_NAME_MAX + 1];
	char exam[UJ_CODE_MAX + 1];  /* the applicant's own exam ("" = the stage's) */
	char regno[UJ_REGNO_MAX + 1]; /* "" = by NIP */
	json_t *stages; /* {code: {"entries":[...], "reason", "by", "at", "note"}} (owned) */
};

/* A vacancy with its applicants ranked. */
struct bid_vstate {
	int64_t id;
	char code[UJ_CODE_MAX + 1];
	char position[UJ_SEL_NAME_MAX + 1];
	char unit[UJ_SEL_NAME_MAX + 1];
	int openings;
	char min_grade[16];
	char *requirements;                  /* owned */
	int64_t ppk_applicant, ppk_at;       /* 0 = no choice yet */
	char *ppk_note;                      /* owned; NULL when none */
	char ppk_by[UJ_USERNAME_MAX + 1];
	size_t n;
	struct bid_app *app;                 /* n (owned) */
	struct rank_applicant *ra;           /* n (owned) */
	size_t *order;                       /* n: display order (owned) */
};

/* Load selection code into s: 1, 0 if there is none, -1 with err. */
int bid_sel_load(sqlite3 *db, const char *code, struct bid_sel *s, char *err, size_t errlen);
/* The index of staff_id among s's members, or -1. */
int bid_member_index(const struct bid_sel *s, int64_t staff_id);
/* Load vacancy code of s with its applicants, scored and ranked: 1, 0 if
 * there is none, -1 with err. */
int bid_vstate_load(sqlite3 *db, const struct bid_sel *s, const char *code, struct bid_vstate *vs,
		    char *err, size_t errlen);
void bid_vstate_free(struct bid_vstate *vs);
/* The vacancy's JSON (see bid_vacancy_json) from a loaded state. */
json_t *bid_vstate_json(const struct bid_sel *s, const struct bid_vstate *vs, int64_t staff_id);
/* The selection's vacancy codes' funnel etc.: the vacancy's summary row. */
json_t *bid_vstate_summary(const struct bid_sel *s, const struct bid_vstate *vs);
/* 1 if code is a valid selection, vacancy or exam code. */
int bid_code_ok(const char *code);
/* 1 if s is 0..max bytes of UTF-8 text without control characters
 * (newlines allowed when multiline). */
int bid_text_ok(const char *s, size_t max, int multiline);

#endif
