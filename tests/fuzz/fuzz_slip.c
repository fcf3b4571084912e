/* fuzz_slip.c - libFuzzer target: bytes -> a result slip file and a typed
 * code (report/slip.h), the untrusted inputs of 'ujian slip verify' and
 * GET /api/v1/verify/{CODE}, and the QR encoder.
 *
 * The same bytes go through:
 * - jc_parse + slip_check_doc with a key made in LLVMFuzzerInitialize (the
 *   offline check of a slip file);
 * - slip_code_norm (the code as typed: dashes, spaces, case);
 * - slip_qr_svg (any text up to its limit).
 *
 * Contracts checked besides memory safety:
 * - a document is GENUINE only when its content's canonical text is the
 *   signed seed's (nobody forges an Ed25519 signature by mutation);
 * - a verdict always has a reason in range and a detail;
 * - a normalised code is SLIP_CODE_LEN characters of SLIP_ALPHABET;
 * - the SVG is one <svg ...>...</svg> document of rects, no links. */
#include "fuzz.h"

#include "core/jcheck.h"
#include "report/slip.h"

#include <jansson.h>
#include <openssl/evp.h>

static EVP_PKEY *fuzz_key;
static char *fuzz_signed; /* the seed's canonical text */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct slip s;
	json_t *doc;
	char *text;
	(void)argc;
	(void)argv;
	fuzz_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	fuzz_require(fuzz_key, "no key");
	memset(&s, 0, sizeof s);
	s.payload = json_pack("{s:i,s:s,s:s,s:s,s:s,s:i,s:i,s:b}", "v", 1, "code", "ABCDEFGHJK",
			      "exam", "EX", "name", "Siti \xc5\x9a", "registration_no", "0001",
			      "total", 17, "max_total", 20, "passed", 1);
	memcpy(s.code, "ABCDEFGHJK", SLIP_CODE_LEN + 1);
	fuzz_signed = slip_encode(s.payload);
	fuzz_require(slip_sign(fuzz_key, fuzz_signed, strlen(fuzz_signed), s.sig) == 0, "sign");
	/* The seed as a file, for a corpus: FUZZ_SLIP_SEED=path. */
	if (getenv("FUZZ_SLIP_SEED")) {
		doc = slip_doc(&s);
		text = json_dumps(doc, JSON_COMPACT);
		FILE *f = fopen(getenv("FUZZ_SLIP_SEED"), "w");
		if (f) {
			fputs(text, f);
			fclose(f);
		}
		free(text);
		json_decref(doc);
	}
	slip_free(&s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[128], code[SLIP_CODE_LEN + 1], *str, *svg;
	struct slip_verdict v;
	json_t *doc = jc_parse((const char *)data, size, why, sizeof why);

	if (doc) {
		slip_check_doc(fuzz_key, doc, &v);
		fuzz_require(v.reason < SLIP_REASON_MAX && v.detail[0], "verdict without a reason");
		if (v.reason == SLIP_GENUINE) {
			char *t = slip_encode(json_object_get(doc, "slip"));
			fuzz_require(t && strcmp(t, fuzz_signed) == 0, "genuine, but not the signed text");
			free(t);
		}
		slip_verdict_free(&v);
		json_decref(doc);
	}
	str = malloc(size + 1);
	memcpy(str, data, size);
	str[size] = '\0';
	if (slip_code_norm(str, code) == 0)
		fuzz_require(strlen(code) == SLIP_CODE_LEN &&
				     strspn(code, SLIP_ALPHABET) == SLIP_CODE_LEN,
			     "a normalised code outside the alphabet");
	if ((svg = slip_qr_svg(str))) {
		fuzz_require(strncmp(svg, "<svg ", 5) == 0 && strstr(svg, "</svg>") &&
				     !strstr(svg, "href") && !strstr(svg, "<image"),
			     "not a plain SVG");
		free(svg);
	}
	free(str);
	return 0;
}
