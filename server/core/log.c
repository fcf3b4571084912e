/* log.c - timestamped log records on stderr. */
#include "core/log.h"
#include "core/clock.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level log_min = LOG_INFO;

void log_set_level(enum log_level lvl)
{
	log_min = lvl;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[LOG_LEVEL_MAX] = { "DEBUG", "INFO", "WARN", "ERROR" };
	char ts[40], msg[1024];
	va_list ap;

	if (lvl < log_min || lvl >= LOG_LEVEL_MAX)
		return;
	clock_format_rfc3339(clock_now_ms(), 0, ts, sizeof ts);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", ts, names[lvl], msg);
}
