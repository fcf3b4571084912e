/* log.h - one-line log records on stderr. */
#ifndef UJIAN_LOG_H
#define UJIAN_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_LEVEL_MAX };

void log_set_level(enum log_level lvl);
/* Write "2026-11-22T10:00:00.123Z LEVEL message" to stderr. Thread-safe
 * (one fprintf per record). */
void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
