#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expansiond/plugin.h"

static int g_level = EXD_LOG_INFO;
static unsigned long g_errors;
static int g_journal = -1;

void log_set_level(int level) {
  g_level = level;
}
int log_get_level(void) {
  return g_level;
}
unsigned long log_error_count(void) {
  return g_errors;
}

int log_level_parse(const char *name) {
  if (!name) return -1;
  if (!strcmp(name, "error")) return EXD_LOG_ERROR;
  if (!strcmp(name, "warn")) return EXD_LOG_WARN;
  if (!strcmp(name, "info")) return EXD_LOG_INFO;
  if (!strcmp(name, "debug")) return EXD_LOG_DEBUG;
  return -1;
}

static int on_journal(void) {
  if (g_journal >= 0) return g_journal;
  g_journal = 0;
  const char *js = getenv("JOURNAL_STREAM");
  struct stat st;
  unsigned long dev, ino;
  if (js && sscanf(js, "%lu:%lu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
      (unsigned long)st.st_dev == dev && (unsigned long)st.st_ino == ino)
    g_journal = 1;
  return g_journal;
}

static const char *level_name(int level) {
  switch (level) {
  case EXD_LOG_ERROR: return "error";
  case EXD_LOG_WARN: return "warning";
  case EXD_LOG_INFO: return "info";
  default: return "debug";
  }
}

void log_vmsg(int level, const char *ctx, const char *fmt, va_list ap) {
  if (level <= EXD_LOG_ERROR) g_errors++;
  if (level > g_level) return;
  sb b = {0};
  if (on_journal())
    sb_printf(&b, "<%d>", level);
  else
    sb_printf(&b, "expansiond: %s: ", level_name(level));
  if (ctx) sb_printf(&b, "[%s] ", ctx);
  sb_vprintf(&b, fmt, ap);
  sb_putc(&b, '\n');
  fputs(sb_str(&b), stderr);
  sb_free(&b);
}

void log_msg(int level, const char *ctx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_vmsg(level, ctx, fmt, ap);
  va_end(ap);
}
