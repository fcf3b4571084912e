/* fuzz.h - shared pieces of the libFuzzer targets in tests/fuzz/.
 *
 * Each target (tests/fuzz/fuzz_<name>.c, built by 'make fuzz-build' into
 * build-fuzz/fuzz_<name>) defines LLVMFuzzerTestOneInput and, when it needs
 * set-up, LLVMFuzzerInitialize. Besides crashes, leaks and undefined behaviour
 * (ASan/UBSan), a target checks contracts of the code it drives: a broken
 * contract is reported through fuzz_fail(), which aborts, so libFuzzer saves
 * the input that caused it like any crash. */
#ifndef UJIAN_FUZZ_H
#define UJIAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken contract and abort (libFuzzer then writes the input out
 * as crash-<sha1>). */
#define fuzz_fail(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "fuzz contract broken at %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		abort();                                                       \
	} while (0)

/* fuzz_fail unless cond holds. */
#define fuzz_require(cond, ...)                                                \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail(__VA_ARGS__);                                \
	} while (0)

#endif
