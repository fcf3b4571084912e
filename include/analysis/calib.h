/* calib.h - Rasch calibrations of a bank, stored per bank version.
 *
 * calib_create reads every finished attempt of the bank's exams (adata.h),
 * keeps the right_wrong items of the bank's right/wrong sections (x = 1
 * when the item earned its full points), calibrates them (rasch.h: CML
 * difficulties, WLE abilities, infit/outfit) and stores the result in table
 * calibrations with the data it came from - the candidate ids, the item ids
 * and the SHA-256 of the response matrix - and the audit event
 * "calibration_created", in one transaction (wr_apply_now) on a read-write
 * connection the caller owns (never the event loop's). The calibration runs
 * before the transaction, so the write lock is held only for the insert.
 *
 * The response matrix's hash is SHA-256 over the lines
 * "candidate_id,item_id,x\n" ordered by candidate id then item id: the same
 * data always gives the same hash, whatever order it was read in.
 * JSON shapes: docs/API.md, "Calibrations". */
#ifndef UJIAN_CALIB_H
#define UJIAN_CALIB_H

#include "core/actor.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

enum calib_status {
	CALIB_OK = 0,
	CALIB_NO_BANK,   /* no bank of that code */
	CALIB_NO_DATA,   /* fewer than 2 items have both outcomes (err says) */
	CALIB_NO_SUCH,   /* calib_get_json: no calibration of that id in the bank */
	CALIB_ERROR      /* database or internal error (err says) */
};

/* Calibrate bank_code as who at now (ms) and store it. On CALIB_OK *id_out
 * is the new calibration's id. */
enum calib_status calib_create(sqlite3 *db, const char *bank_code, struct actor who,
			       int64_t now, int64_t *id_out, char *err, size_t errlen);
/* {"bank": CODE, "calibrations": [summary, ...]} newest first, into *out. */
enum calib_status calib_list_json(sqlite3 *db, const char *bank_code, json_t **out, char *err,
				  size_t errlen);
/* One calibration's summary, plus "items" and "persons" when full, into
 * *out. */
enum calib_status calib_get_json(sqlite3 *db, const char *bank_code, int64_t id, int full,
				 json_t **out, char *err, size_t errlen);

#endif
