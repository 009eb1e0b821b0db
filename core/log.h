/*
 * Logging: one function with a level and an optional context ("plugin/inst").
 * Lines go to stderr as "expansiond: LEVEL: [ctx] message". When stderr is
 * the journal (JOURNAL_STREAM matches), lines carry "<N>" priority prefixes
 * instead, which journald turns into the PRIORITY field.
 */
#ifndef EXD_LOG_H
#define EXD_LOG_H

#include <stdarg.h>

#include "util.h"

void log_set_level(int level); /* EXD_LOG_*; default EXD_LOG_INFO */
int log_get_level(void);
/* "error", "warn", "info", "debug" → level, or -1. */
int log_level_parse(const char *name);
void log_msg(int level, const char *ctx, const char *fmt, ...) EXD_FMT(3, 4);
void log_vmsg(int level, const char *ctx, const char *fmt, va_list ap);
/* Number of messages logged at EXD_LOG_ERROR since start (for exit codes). */
unsigned long log_error_count(void);

#define log_error(...) log_msg(EXD_LOG_ERROR, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(EXD_LOG_WARN, NULL, __VA_ARGS__)
#define log_info(...) log_msg(EXD_LOG_INFO, NULL, __VA_ARGS__)
#define log_debug(...) log_msg(EXD_LOG_DEBUG, NULL, __VA_ARGS__)

#endif
