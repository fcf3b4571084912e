/* sitting.h - making, changing and listing the sittings (sesi) of an exam.
 *
 * A sitting is a room's group of candidates of one exam, with its proctors
 * and its login token (schema v6: sittings, sitting_proctors,
 * candidates.sitting_id). Every change here is checked whole first (every
 * problem goes to an errlist, nothing is applied when there is one), then
 * written in one IMMEDIATE transaction together with its audit event
 * (store/event.c: sitting_created, sitting_edited, sitting_assigned,
 * sitting_token) and a bump of meta.catalog_version, so a running server's
 * catalog watcher loads the change (catalog/loader.c). The CLI (actor: the
 * system) and the staff API's worker jobs (actor: the staff member) call the
 * same functions on a read-write connection of their own. */
#ifndef UJIAN_SITTING_H
#define UJIAN_SITTING_H

#include "bounds.h"
#include "core/actor.h"
#include "core/errlist.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* The token alphabet: no 0/O/1/I. */
#define SITTING_TOKEN_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/* What a create or an edit sets; has_* says which fields are given (a create
 * takes the defaults for the others: no room, no start, rotation 0, no
 * start together, no proctors). Proctors are usernames: with has_proctors
 * the list replaces the sitting's; add and remove change it (CLI). */
struct sitting_spec {
	char code[UJ_CODE_MAX + 1];
	int has_room, has_starts_at, has_rotate, has_together, has_proctors;
	char room[UJ_ROOM_MAX + 1];
	int64_t starts_at; /* ms; 0 = none */
	int rotate_min;
	int start_together;
	int n_proctors;
	char proctor[UJ_SITTING_PROCTORS_MAX][UJ_USERNAME_MAX + 1];
	int n_add, n_remove;
	char add[UJ_SITTING_PROCTORS_MAX][UJ_USERNAME_MAX + 1];
	char remove[UJ_SITTING_PROCTORS_MAX][UJ_USERNAME_MAX + 1];
};

/* 1 if code is a valid sitting code (the exam code rules). */
int sitting_code_valid(const char *code);
/* 1 if t is UJ_SITTING_TOKEN_LEN characters of SITTING_TOKEN_ALPHABET. */
int sitting_token_valid(const char *t);
/* A token from UJ_SITTING_TOKEN_LEN random bytes (each byte picks a letter;
 * 256 is a multiple of the alphabet's 32, so every letter is equally
 * likely). out holds UJ_SITTING_TOKEN_LEN + 1 bytes. */
void sitting_token_from_bytes(const uint8_t *bytes, char *out);
/* A fresh token from core/rng. */
void sitting_token_new(char *out);

/* Check room, rotation and the proctor name syntax of spec (not whether the
 * accounts exist: that needs the database). Problems go to errs naming the
 * field; 0 or -1. */
int sitting_spec_check(const struct sitting_spec *spec, struct errlist *errs);
/* Fill spec from a request body {"code"?, "room"?, "starts_at"?: rfc3339 |
 * null, "rotate_min"?, "start_together"?, "proctors"?: [usernames]}; with
 * create the code is required and other keys are refused as unknown in
 * either case. Every problem goes to errs; 0 or -1. */
int sitting_spec_from_json(json_t *body, int create, struct sitting_spec *spec,
			   struct errlist *errs);

/* Create a sitting of exam_code with a fresh token. Every problem (unknown
 * exam, taken or invalid code, bad field, unknown proctor or one without the
 * proctor or admin role, too many sittings) goes to errs; then nothing is
 * changed. *token (UJ_SITTING_TOKEN_LEN + 1, may be NULL) gets the token.
 * 0 or -1 (errs has at least one entry). */
int sitting_create(sqlite3 *db, const char *exam_code, const struct sitting_spec *spec,
		   struct actor who, char *token, struct errlist *errs);
/* Change the fields of spec that are given (and the proctors). Same rules;
 * an unknown sitting is an error naming it. 0 or -1. */
int sitting_edit(sqlite3 *db, const char *exam_code, const struct sitting_spec *spec,
		 struct actor who, struct errlist *errs);
/* Put the candidates regnos[0..n) of exam_code into sitting code (moving
 * them from any other). Every registration number is checked first (known
 * for this exam, not twice); one bad entry changes nothing, and each is
 * reported (item = its position, 1-based, as a line number). *moved: how
 * many changed sitting. 0 or -1. */
int sitting_assign(sqlite3 *db, const char *exam_code, const char *code, const char *const *regnos,
		   size_t n, struct actor who, int *moved, struct errlist *errs);
/* Issue a new token now (the old one becomes prev_token, token_at = now);
 * out gets it. 0 or -1. */
int sitting_rotate(sqlite3 *db, const char *exam_code, const char *code, struct actor who,
		   char *out, struct errlist *errs);

/* The sittings of exam_code (NULL: of every exam) as a JSON array, each
 * {"id","exam","code","room","starts_at","rotate_min","start_together",
 * "token","prev_token","token_at","started_at","closed_at","proctors":
 * [usernames],"candidates":N}; tokens only if with_token. NULL with err
 * ("no such exam" for an unknown exam). */
json_t *sitting_list_json(sqlite3 *db, const char *exam_code, int with_token, char *err,
			  size_t errlen);

#endif
