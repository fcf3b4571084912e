/* bidding_int.h - what bidding.c (writes), bidding_read.c (reads) and
 * bidding_import.c (the applicants CSV) share: a selection as loaded, and a
 * vacancy's applicants with everything the ranking needs. Internal to
 * server/selection/. */
#ifndef UJIAN_BIDDING_INT_H
#define UJIAN_BIDDING_INT_H

#include "selection/bidding.h"
#include "store/writer.h"

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
/* Column col of a row as text ("" for NULL). */
const char *bid_col(sqlite3_stmt *st, int col);
/* 1 if code is a valid selection, vacancy or exam code. */
int bid_code_ok(const char *code);
/* 1 if s is 0..max bytes of UTF-8 text without control characters
 * (newlines allowed when multiline). */
int bid_text_ok(const char *s, size_t max, int multiline);

/* ---- the write operation (bidding.c runs it; bidding_setup.c has the
 * set-up kinds) ---- */

enum bid_opkind { BOP_CREATE, BOP_VACANCY, BOP_SCORE, BOP_GATE, BOP_PPK, BOP_CLOSE };

struct bid_op {
	struct wr_op op;
	enum bid_opkind kind;
	sqlite3 *db; /* the connection wr_apply_now runs on: reads in the transaction */
	const struct bid_who *who;
	const char *sel, *vac;
	const json_t *body;
	struct bid_result *r;
	struct bid_sel s;
};

/* Set r's status to st unless one is set already. */
void bid_fail(struct bid_op *b, enum bid_status st);
/* Append the audit event of the change (detail stolen). 0 or -1. */
int bid_record(struct wr_tx *tx, struct bid_op *b, const char *kind, json_t *detail);
/* Load the selection b names into b->s: 0, or -1 with the status set (not
 * found, closed, a database error). */
int bid_open(struct bid_op *b);
/* 1 if b's staff member acts as the chair (an admin, or the chair). */
int bid_is_chair(const struct bid_op *b);
/* Text field key of body into *out ("" when absent); -1 after an error on
 * field when it is not text of at most max bytes. */
int bid_text_field(const json_t *body, const char *key, const char *field, size_t max,
		   int multiline, const char **out, struct errlist *errs);
/* An error "unknown field" (named prefix+key) per key of body not in keys. */
int bid_only_keys(const json_t *body, const char *const *keys, const char *prefix,
		  struct errlist *errs);
/* The set-up kinds' apply functions (bidding_setup.c). */
int bid_apply_create(struct wr_tx *tx, struct bid_op *b);
int bid_apply_vacancy(struct wr_tx *tx, struct bid_op *b);

#endif
