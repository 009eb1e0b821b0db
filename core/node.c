/* Config node access and conversions; see config.h. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"

const exd_node *cfg_get(const exd_node *map, const char *key) {
  if (!map || map->type != EXD_NODE_MAP || !key) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->value, key) == 0) return map->items[i];
  return NULL;
}

const char *cfg_str(const exd_node *n) {
  return n && n->type == EXD_NODE_SCALAR ? n->value : NULL;
}

/* Numbers are written plainly: an optional '-', then a digit (or '.' for
   a double); no spaces, no '+', no hex. */
static int number_start(const char *s) {
  if (*s == '-') s++;
  return (*s >= '0' && *s <= '9') || *s == '.';
}

int cfg_int(const exd_node *n, int64_t *out) {
  const char *s = cfg_str(n);
  if (!s || !number_start(s) || strchr(s, '.')) return -EINVAL;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || end == s) return -EINVAL;
  *out = (int64_t)v;
  return 0;
}

int cfg_double(const exd_node *n, double *out) {
  const char *s = cfg_str(n);
  if (!s || !number_start(s)) return -EINVAL;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || end == s || !isfinite(v)) return -EINVAL;
  /* Reject hex floats and "infinity"-like words strtod accepts. */
  for (const char *p = s; *p; p++)
    if (*p == 'x' || *p == 'X' || *p == 'n' || *p == 'N' || *p == 'i' ||
        *p == 'I')
      return -EINVAL;
  *out = v;
  return 0;
}

int cfg_bool(const exd_node *n, int *out) {
  const char *s = cfg_str(n);
  if (!s || !n->plain) return -EINVAL;
  if (strcmp(s, "true") == 0) {
    *out = 1;
    return 0;
  }
  if (strcmp(s, "false") == 0) {
    *out = 0;
    return 0;
  }
  return -EINVAL;
}

int cfg_date(const exd_node *n, int32_t *out) {
  const char *s = cfg_str(n);
  if (!s || strlen(s) != 10) return -EINVAL;
  return date_parse(s, out);
}

const char *cfg_get_str(const exd_node *map, const char *key,
                        const char *dflt) {
  const char *s = cfg_str(cfg_get(map, key));
  return s && *s ? s : dflt;
}

double cfg_get_double(const exd_node *map, const char *key, double dflt) {
  double v;
  return cfg_double(cfg_get(map, key), &v) == 0 ? v : dflt;
}

int64_t cfg_get_int(const exd_node *map, const char *key, int64_t dflt) {
  int64_t v;
  return cfg_int(cfg_get(map, key), &v) == 0 ? v : dflt;
}

void cfg_verrorf(sb *errs, const char *where, const char *fmt, va_list ap) {
  sb msg = {0};
  if (where) sb_printf(&msg, "%s: ", where);
  sb_vprintf(&msg, fmt, ap);
  for (const unsigned char *p = (const unsigned char *)sb_str(&msg); *p; p++) {
    if (*p == '\n')
      sb_put(errs, "\\n");
    else if (*p == '\r')
      sb_put(errs, "\\r");
    else if (*p == '\t')
      sb_put(errs, "\\t");
    else if (*p < 0x20 || *p == 0x7f)
      sb_printf(errs, "\\x%02x", *p);
    else
      sb_putc(errs, (char)*p);
  }
  sb_putc(errs, '\n');
  sb_free(&msg);
}

void cfg_errorf(sb *errs, const exd_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cfg_verrorf(errs, at ? at->where : NULL, fmt, ap);
  va_end(ap);
}

/* The host API's node accessors (plugin.h), shared by the real host and the
   test mock host. NULL-safe. */
int cfg_node_type(const exd_node *n) {
  return n ? n->type : 0;
}

size_t cfg_node_len(const exd_node *n) {
  return n && n->type != EXD_NODE_SCALAR ? n->n : 0;
}

const exd_node *cfg_node_at(const exd_node *n, size_t i) {
  return n && n->type != EXD_NODE_SCALAR && i < n->n ? n->items[i] : NULL;
}

const char *cfg_node_key_at(const exd_node *n, size_t i) {
  return n && n->type == EXD_NODE_MAP && i < n->n ? n->keys[i]->value : NULL;
}

const char *cfg_node_where(const exd_node *n) {
  return n ? n->where : "?";
}
