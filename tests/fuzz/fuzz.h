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
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Make a scratch folder "ujian-fuzz-<what>-XXXXXX" into dir (n bytes): in
 * /dev/shm when it is writable (so SQLite commits are cheap), else in
 * $TMPDIR or /tmp. */
static inline void fuzz_scratch(char *dir, size_t n, const char *what)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(dir, n, "%s/ujian-fuzz-%s-XXXXXX", tmp, what);
	if (!mkdtemp(dir))
		fuzz_fail("mkdtemp %s failed", dir);
}

/* dir/name, malloc'ed. */
static inline char *fuzz_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + 1 + strlen(name) + 1;
	char *p = malloc(n);
	if (!p)
		fuzz_fail("out of memory");
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Write len bytes to path, replacing it. */
static inline void fuzz_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		fuzz_fail("cannot write %s", path);
}

#endif
