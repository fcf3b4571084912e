/* slip.h - signed result slips: the canonical content of a finished
 * attempt, its Ed25519 signature, a short verification code and a QR code
 * of the verification URL (docs/API.md "Result slips", docs/OPERATIONS.md).
 *
 * Content (the "payload"): a JSON object with the exam's code and name, the
 * registration number, name, NIP (or null), track, the per-section scores
 * and maxima, total and maximum, passed, the finish reason, the finish time
 * in the exam's zone ("2026-11-23T09:12:03+07:00" and "WIB"), the code, the
 * signing key's id and when the slip was issued. Its canonical text is
 * store/event.h's encoding (compact, keys sorted, non-ASCII escaped): that
 * text is what is signed, so a slip file can be verified from its JSON
 * alone. Only integers, strings, booleans and null occur in it.
 *
 * One slip per finished attempt, made on first request (table slips:
 * code, candidate_id, payload, sig), with an audit event "slip_issued";
 * later requests return the same slip. Verification of a code checks the
 * signature of the stored payload with the server's key and then rebuilds
 * the payload from the stored attempt: a changed score, name or anything
 * else makes it "data_changed", naming the fields.
 *
 * The key: `<db>.slip.key`, an Ed25519 private key in PKCS#8 PEM, created
 * with mode 0600 when missing; a key readable or writable by group or
 * others is refused. Its public half is exported as PEM
 * (SubjectPublicKeyInfo), so anyone can verify a slip file offline. */
#ifndef UJIAN_SLIP_H
#define UJIAN_SLIP_H

#include "core/actor.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define SLIP_CODE_LEN 10    /* characters of a code, without the dash */
#define SLIP_SIG_LEN 64     /* an Ed25519 signature */
#define SLIP_KEY_ID_LEN 16  /* hex characters: the key's fingerprint */
/* The code's alphabet: no 0/O, 1/I (read aloud or typed from paper). */
#define SLIP_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

/* "<db_path>.slip.key" (caller frees). */
char *slip_key_path(const char *db_path);
/* Create a new Ed25519 key at path (PKCS#8 PEM, mode 0600) unless a file
 * is there. *made (may be NULL) says whether one was made. Returns 0, or
 * -1 with err. */
int slip_key_ensure(const char *path, int *made, char *err, size_t errlen);
/* Load the private key at path; refused when group or others may read or
 * change the file, or it is not an Ed25519 key. Caller frees (EVP_PKEY_free).
 * NULL with err. */
EVP_PKEY *slip_key_load(const char *path, char *err, size_t errlen);
/* A public key from a PEM file (SubjectPublicKeyInfo, or a private key whose
 * public half is taken); must be Ed25519. NULL with err. */
EVP_PKEY *slip_pubkey_load(const char *path, char *err, size_t errlen);
/* The public key as PEM text (caller frees), NULL on failure. */
char *slip_pubkey_pem(EVP_PKEY *key);
/* The key's id: hex of the first 8 bytes of SHA-256 over the 32-byte raw
 * public key. Returns 0 or -1. */
int slip_key_id(EVP_PKEY *key, char out[SLIP_KEY_ID_LEN + 1]);

/* Sign msg with key (EVP_DigestSign, one shot). Returns 0 or -1. */
int slip_sign(EVP_PKEY *key, const char *msg, size_t len, unsigned char sig[SLIP_SIG_LEN]);
/* 1 if sig is key's signature of msg, else 0. */
int slip_sig_ok(EVP_PKEY *key, const char *msg, size_t len, const unsigned char *sig,
		size_t siglen);

/* A fresh random code (SLIP_CODE_LEN characters of SLIP_ALPHABET). */
void slip_code_new(char out[SLIP_CODE_LEN + 1]);
/* Normalise a typed code: upper case, dashes and spaces dropped; o->0 is
 * not guessed. Returns 0 and the code, or -1 if it is not a code. */
int slip_code_norm(const char *in, char out[SLIP_CODE_LEN + 1]);
/* The code as printed: "ABCDE-FGHJK". */
void slip_code_show(const char *code, char out[SLIP_CODE_LEN + 2]);

/* The canonical text of a payload (store/event.h's encoding; caller frees). */
char *slip_encode(const json_t *payload);

/* What slip_issue and slip_check report. */
enum slip_status {
	SLIP_OK,
	SLIP_NO_CANDIDATE,   /* no such exam or registration number */
	SLIP_NOT_FINISHED,   /* the attempt is not finished (or never started) */
	SLIP_NO_SLIP,        /* no slip with that code */
	SLIP_ERROR,          /* database or crypto failure: err says */
	SLIP_STATUS_MAX
};

/* A slip: its payload (owned), code, signature. */
struct slip {
	json_t *payload;
	char code[SLIP_CODE_LEN + 1];
	unsigned char sig[SLIP_SIG_LEN];
};
void slip_free(struct slip *s);
/* {"slip":payload,"code":"ABCDE-FGHJK","signature":base64} (new reference):
 * the slip file, and the API's body before verify_url and qr_svg. */
json_t *slip_doc(const struct slip *s);

/* The stored slip of exam's candidate regno (candidate_id > 0: that
 * candidate instead), read only: SLIP_OK, SLIP_NO_SLIP (none yet),
 * SLIP_NO_CANDIDATE or SLIP_ERROR. */
enum slip_status slip_get(sqlite3 *db, const char *exam, const char *regno, int64_t candidate_id,
			  struct slip *out, char *err, size_t errlen);

/* The slip of exam's candidate regno (candidate_id > 0: that candidate
 * instead), made and stored now (with its audit event, actor who) if it
 * has none yet. db: a read-write connection. */
enum slip_status slip_issue(sqlite3 *db, EVP_PKEY *key, const char *exam, const char *regno,
			    int64_t candidate_id, struct actor who, int64_t now, struct slip *out,
			    char *err, size_t errlen);

/* Why a slip is or is not genuine. */
enum slip_reason {
	SLIP_GENUINE,
	SLIP_BAD_SIGNATURE,  /* the content was changed after signing (or another key) */
	SLIP_OTHER_KEY,      /* signed by a key other than the one checked with */
	SLIP_DATA_CHANGED,   /* the database's attempt no longer matches the slip */
	SLIP_ATTEMPT_GONE,   /* the attempt it was made for is gone or not finished */
	SLIP_MALFORMED,      /* not a slip file */
	SLIP_REASON_MAX
};
extern const char *const slip_reason_codes[SLIP_REASON_MAX];

struct slip_verdict {
	enum slip_reason reason;
	json_t *payload;  /* the slip's content as stored or given (owned; may be NULL) */
	char detail[512]; /* English: what failed ("total, sections differ ...") */
};
void slip_verdict_free(struct slip_verdict *v);

/* Check the stored slip with code against key and against the attempt it
 * was made for. SLIP_OK with *v filled, SLIP_NO_SLIP, or SLIP_ERROR. */
enum slip_status slip_check(sqlite3 *db, EVP_PKEY *key, const char *code, struct slip_verdict *v,
			    char *err, size_t errlen);
/* Check a slip file's document (slip_doc's shape) with the public key
 * alone: fills v (SLIP_GENUINE, SLIP_BAD_SIGNATURE, SLIP_OTHER_KEY or
 * SLIP_MALFORMED). */
void slip_check_doc(EVP_PKEY *key, const json_t *doc, struct slip_verdict *v);

/* The QR code of text as an SVG document (rects only, no external
 * references; caller frees), or NULL if text is too long for a QR code. */
char *slip_qr_svg(const char *text);

#endif
