/* mem.h - allocation that never returns NULL.
 *
 * Ujian treats out-of-memory as fatal: the wrappers print one line and abort,
 * so callers never carry an unchecked NULL. Everything durable is in SQLite;
 * a restart rebuilds the in-RAM state. */
#ifndef UJIAN_MEM_H
#define UJIAN_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy src into dst (size dstsz), always NUL-terminating. Returns 0, or -1
 * when src did not fit (dst then holds a truncated copy). */
int str_copy(char *dst, size_t dstsz, const char *src);

#endif
