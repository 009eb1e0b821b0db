/*
 * Config loading: the main file, conf.d drop-ins, merging, ${VAR}
 * expansion, validation against exd_config_key tables and the typed view.
 * See config.h. The YAML reader is cfg_yaml.c; printing is config_print.c.
 *
 * Merge semantics. Drop-ins (regular files in conf_d named NAME.yaml or
 * NAME.yml, no dotfiles, no backups) are read after the main file in strcmp
 * order of their names, and each is merged into the tree built so far:
 *   - a mapping given in both merges recursively, key by key;
 *   - a list given in both is appended to: the items of a later file come
 *     after those of earlier files (sources, sinks, catalogue, ...);
 *   - any other value given in a later file (a scalar, or a value of another
 *     kind) replaces the earlier one; an empty value (`key:`, `~`, `null`)
 *     where an earlier file gave a mapping or a list counts as an empty
 *     mapping or list, so it changes nothing.
 * A drop-in must be a mapping and may not set conf_d. ${VAR} expansion runs
 * after merging (a value a drop-in replaced is never expanded), then the
 * merged tree is validated. Any error in any file fails the whole load.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg_yaml.h"
#include "config.h"
#include "log.h"

#define CFG_MAX_ERRORS 50

/* Validation state shared by every phase of one load (or one
   cfg_validate call). */
typedef struct vctx {
  exd_config *cfg;
  sb *errs;
  int nerr;
  sb path;                    /* "sources[0].config" of the current node */
  VEC(const exd_node *) skip; /* scalars whose ${VAR} expansion failed */
} vctx;

static void verr(vctx *v, const exd_node *at, const char *fmt, ...)
    EXD_FMT(3, 4);
static void verr(vctx *v, const exd_node *at, const char *fmt, ...) {
  if (v->nerr++ >= CFG_MAX_ERRORS) {
    if (v->nerr == CFG_MAX_ERRORS + 1)
      cfg_errorf(v->errs, at, "too many errors; stopping after %d",
                 CFG_MAX_ERRORS);
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  cfg_verrorf(v->errs, at->where, fmt, ap);
  va_end(ap);
}

/* "a mapping", "a list", "an empty value" or the scalar quoted (cut at 40
   bytes), for "expected X, found Y". buf holds at least 64 bytes. */
static const char *kind_name(const exd_node *n, char *buf) {
  if (n->type == EXD_NODE_MAP) return "a mapping";
  if (n->type == EXD_NODE_LIST) return "a list";
  if (!*n->value) return "an empty value";
  size_t len = strlen(n->value);
  if (len > 40) {
    len = 37;
    while (len && ((unsigned char)n->value[len] & 0xC0) == 0x80)
      len--;
  }
  snprintf(buf, 64, "'%.*s%s'", (int)len, n->value,
           len < strlen(n->value) ? "..." : "");
  return buf;
}

/* A plain empty scalar, ~ or null: YAML's null. */
static int is_null(const exd_node *n) {
  return n->type == EXD_NODE_SCALAR && n->plain &&
         (!*n->value || !strcmp(n->value, "~") || !strcmp(n->value, "null"));
}

static size_t path_push(vctx *v, const char *key, long index) {
  size_t mark = v->path.len;
  if (key)
    sb_printf(&v->path, "%s%s", mark ? "." : "", key);
  else
    sb_printf(&v->path, "[%ld]", index);
  return mark;
}

static void path_pop(vctx *v, size_t mark) {
  v->path.len = mark;
  if (v->path.buf) v->path.buf[mark] = '\0';
}

/* ---- paths ---- */

/* p resolved against the directory of file (malloc'd): p itself when it is
   absolute or file has no directory part (the current directory). */
static char *path_resolve(const char *file, const char *p) {
  const char *slash = file ? strrchr(file, '/') : NULL;
  if (p[0] == '/' || !slash) return xstrdup(p);
  while (p[0] == '.' && p[1] == '/')
    p += 2;
  if (!*p || !strcmp(p, ".")) return xstrndup(file, (size_t)(slash - file));
  return xasprintf("%.*s/%s", (int)(slash - file), file, p);
}

/* ---- ${VAR} expansion ---- */

static int is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

static int expand_scalar(vctx *v, exd_node *n) {
  const char *s = n->value;
  if (!strchr(s, '$')) return 0;
  sb out = {0};
  while (*s) {
    const char *dollar = strchr(s, '$');
    if (!dollar) {
      sb_put(&out, s);
      break;
    }
    sb_putn(&out, s, (size_t)(dollar - s));
    if (dollar[1] != '{') { /* "$$" is one '$'; a lone '$' is itself */
      sb_putc(&out, '$');
      s = dollar + (dollar[1] == '$' ? 2 : 1);
      continue;
    }
    const char *name = dollar + 2, *e = name;
    while (is_name_char(*e))
      e++;
    int name_ok = e > name && !(*name >= '0' && *name <= '9');
    const char *dflt = NULL, *close;
    if (name_ok && *e == '}') {
      close = e;
    } else if (name_ok && e[0] == ':' && e[1] == '-') {
      dflt = e + 2;
      close = strchr(dflt, '}');
    } else {
      close = strchr(name, '}');
      if (close) {
        verr(v, n,
             "invalid variable reference '${%.*s}' (a name is letters, "
             "digits and _, not starting with a digit)",
             (int)(close - name), name);
        goto fail;
      }
    }
    if (!close) {
      verr(v, n, "unterminated '${' (write $$ for a literal $)");
      goto fail;
    }
    char *var = xstrndup(name, (size_t)(e - name));
    const char *val = getenv(var);
    if (dflt && (!val || !*val)) {
      sb_putn(&out, dflt, (size_t)(close - dflt));
    } else if (!val) {
      verr(v, n,
           "environment variable %s is not set (write ${%s:-default} to give "
           "a default)",
           var, var);
      free(var);
      goto fail;
    } else if (utf8_invalid_at(val, strlen(val)) >= 0) {
      verr(v, n, "environment variable %s is not valid UTF-8", var);
      free(var);
      goto fail;
    } else {
      sb_put(&out, val);
    }
    free(var);
    s = close + 1;
  }
  n->value = arena_strdup(v->cfg->arena, sb_str(&out));
  sb_free(&out);
  return 0;
fail:
  VEC_PUSH(&v->skip, n);
  sb_free(&out);
  return -1;
}

/* Expand every scalar value under n (not keys), except `except`. */
static void expand_tree(vctx *v, exd_node *n, const exd_node *except) {
  if (n == except) return;
  if (n->type == EXD_NODE_SCALAR) {
    expand_scalar(v, n);
    return;
  }
  for (size_t i = 0; i < n->n; i++)
    expand_tree(v, n->items[i], except);
}

int cfg_expand_env(exd_config *cfg, exd_node *node, sb *errs) {
  vctx v = {.cfg = cfg, .errs = errs};
  expand_tree(&v, node, NULL);
  free(v.skip.v);
  return v.nerr ? EXD_ECONFIG : 0;
}

/* ---- validation ---- */

static int skipped(const vctx *v, const exd_node *n) {
  for (size_t i = 0; i < v->skip.n; i++)
    if (v->skip.v[i] == n) return 1;
  return 0;
}

static const char *type_want(int type) {
  switch (type) {
  case EXD_CFG_INT: return "an integer";
  case EXD_CFG_DOUBLE: return "a number";
  case EXD_CFG_BOOL: return "true or false";
  case EXD_CFG_PATH: return "a path";
  case EXD_CFG_DATE: return "a date (YYYY-MM-DD)";
  case EXD_CFG_MAP: return "a mapping";
  case EXD_CFG_LIST: return "a list";
  default: return "a string";
  }
}

/* Check n is a mapping or list (kind); a null becomes an empty one. */
static int want_kind(vctx *v, exd_node *n, int kind) {
  if (n->type == kind) return 1;
  if (is_null(n)) {
    n->type = kind;
    n->value = NULL;
    n->plain = 0;
    return 1;
  }
  char kb[64];
  verr(v, n, "%s%sexpected %s, found %s", sb_str(&v->path),
       v->path.len ? ": " : "", kind == EXD_NODE_MAP ? "a mapping" : "a list",
       kind_name(n, kb));
  return 0;
}

/* A range bound as written in a table: integers without exponent. */
static const char *num_text(double x, char *buf) {
  if (x == (double)(long long)x && x > -1e15 && x < 1e15)
    snprintf(buf, 32, "%lld", (long long)x);
  else
    snprintf(buf, 32, "%g", x);
  return buf;
}

static void check_range(vctx *v, const exd_node *n, const exd_config_key *k,
                        double x) {
  char lo[32], hi[32];
  if (!k || k->min == k->max || (x >= k->min && x <= k->max)) return;
  verr(v, n, "%s: %s is out of range (%s..%s)", sb_str(&v->path), n->value,
       num_text(k->min, lo), num_text(k->max, hi));
}

/* A scalar of the given type; k (may be NULL) gives choices and range. */
static void check_scalar(vctx *v, exd_node *n, const exd_config_key *k,
                         int type) {
  const char *p = sb_str(&v->path);
  char kb[64];
  if (n->type != EXD_NODE_SCALAR) {
    verr(v, n, "%s: expected %s, found %s", p, type_want(type),
         kind_name(n, kb));
    return;
  }
  if (skipped(v, n)) return;
  const char *s = n->value;
  int64_t i;
  double d;
  int b;
  int32_t date;
  switch (type) {
  case EXD_CFG_INT:
    if (cfg_int(n, &i) != 0)
      verr(v, n, "%s: %s is not an integer", p, kind_name(n, kb));
    else
      check_range(v, n, k, (double)i);
    break;
  case EXD_CFG_DOUBLE:
    if (cfg_double(n, &d) != 0)
      verr(v, n, "%s: %s is not a number", p, kind_name(n, kb));
    else
      check_range(v, n, k, d);
    break;
  case EXD_CFG_BOOL:
    if (cfg_bool(n, &b) == 0) break;
    if (!n->plain && (!strcmp(s, "true") || !strcmp(s, "false")))
      verr(v, n, "%s: \"%s\" is quoted, so it is a string; use true or false",
           p, s);
    else
      verr(v, n, "%s: %s is not a boolean; use true or false", p,
           kind_name(n, kb));
    break;
  case EXD_CFG_DATE:
    if (cfg_date(n, &date) != 0)
      verr(v, n, "%s: %s is not a valid date (YYYY-MM-DD)", p,
           kind_name(n, kb));
    break;
  case EXD_CFG_PATH:
    if (!*s) {
      verr(v, n, "%s: a path must not be empty", p);
    } else {
      char *r = path_resolve(n->file, s);
      n->value = arena_strdup(v->cfg->arena, r);
      free(r);
    }
    break;
  default: /* EXD_CFG_STRING */
    if (!*s && k && (k->flags & EXD_CFG_REQUIRED)) {
      verr(v, n, "%s: must not be empty", p);
    } else if (k && k->choices) {
      for (const char *const *c = k->choices; *c; c++)
        if (!strcmp(*c, s)) return;
      sb list = {0};
      for (const char *const *c = k->choices; *c; c++)
        sb_printf(&list, "%s%s", c == k->choices ? "" : ", ", *c);
      verr(v, n, "%s: %s is not one of: %s", p, kind_name(n, kb),
           sb_str(&list));
      sb_free(&list);
    }
    break;
  }
}

static void validate_map(vctx *v, exd_node *map, const exd_config_key *table);

/* A list item or an open map's value, of type `type` (k's item_type). */
static void check_item(vctx *v, exd_node *n, const exd_config_key *k, int type,
                       int in_open_map) {
  if (type == EXD_CFG_MAP) {
    if (!want_kind(v, n, EXD_NODE_MAP)) return;
    if (!in_open_map && k->children) {
      validate_map(v, n, k->children);
    } else if (in_open_map) { /* open map of open maps of strings */
      for (size_t i = 0; i < n->n; i++) {
        size_t mark = path_push(v, n->keys[i]->value, 0);
        check_scalar(v, n->items[i], NULL, EXD_CFG_STRING);
        path_pop(v, mark);
      }
    }
  } else if (type == EXD_CFG_LIST) {
    want_kind(v, n, EXD_NODE_LIST);
  } else if (type) {
    check_scalar(v, n, k, type);
  }
}

static void check_value(vctx *v, exd_node *n, const exd_config_key *k) {
  if (k->flags & EXD_CFG_SECRET) n->secret = 1;
  if (k->type == EXD_CFG_MAP) {
    if (!want_kind(v, n, EXD_NODE_MAP)) return;
    if (k->children) {
      validate_map(v, n, k->children);
    } else if (k->item_type) {
      for (size_t i = 0; i < n->n; i++) {
        size_t mark = path_push(v, n->keys[i]->value, 0);
        check_item(v, n->items[i], k, k->item_type, 1);
        path_pop(v, mark);
      }
    }
  } else if (k->type == EXD_CFG_LIST) {
    if (!want_kind(v, n, EXD_NODE_LIST)) return;
    for (size_t i = 0; i < n->n; i++) {
      size_t mark = path_push(v, NULL, (long)i);
      check_item(v, n->items[i], k, k->item_type, 0);
      path_pop(v, mark);
    }
  } else {
    check_scalar(v, n, k, k->type);
  }
}

static const exd_config_key *find_key(const exd_config_key *t,
                                      const char *name) {
  for (; t->name; t++)
    if (!strcmp(t->name, name)) return t;
  return NULL;
}

/* Optimal string alignment distance, capped: > 2 means "far". */
static int edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 64 || m > 64) return 99;
  int d[65][65];
  for (size_t i = 0; i <= n; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] != b[j - 1];
      int best = EXD_MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
      best = EXD_MIN(best, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = EXD_MIN(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[n][m];
}

static void unknown_key(vctx *v, const exd_node *key,
                        const exd_config_key *table) {
  sb valid = {0};
  const char *best = NULL;
  int best_d = 3;
  for (const exd_config_key *k = table; k->name; k++) {
    sb_printf(&valid, "%s%s", k == table ? "" : ", ", k->name);
    int dist = edit_distance(key->value, k->name);
    if (dist < best_d && dist < (int)strlen(key->value)) {
      best = k->name;
      best_d = dist;
    }
  }
  sb hint = {0};
  if (best) sb_printf(&hint, " (did you mean '%s'?)", best);
  if (v->path.len)
    verr(v, key, "unknown key '%s' in %s; valid keys: %s%s", key->value,
         sb_str(&v->path), table->name ? sb_str(&valid) : "none",
         sb_str(&hint));
  else
    verr(v, key, "unknown key '%s' at the top level; valid keys: %s%s",
         key->value, table->name ? sb_str(&valid) : "none", sb_str(&hint));
  sb_free(&valid);
  sb_free(&hint);
}

/* KEY_file: PATH for a SECRET key: map->items[i] becomes KEY with the file's
   contents. Returns the key entry, or NULL when keys[i] is no such key. */
static const exd_config_key *secret_file(vctx *v, exd_node *map, size_t i,
                                         const exd_config_key *table) {
  const char *name = map->keys[i]->value;
  size_t len = strlen(name);
  if (len <= 5 || strcmp(name + len - 5, "_file") != 0) return NULL;
  char *base = xstrndup(name, len - 5);
  const exd_config_key *k = find_key(table, base);
  if (!k || !(k->flags & EXD_CFG_SECRET)) {
    free(base);
    return NULL;
  }
  exd_node *val = map->items[i];
  char *path = NULL, *text = NULL, kb[64];
  size_t n = 0;
  int rc;
  if (cfg_get(map, base)) {
    verr(v, map->keys[i], "%s: both '%s' and '%s' are given; use one", name,
         base, name);
  } else if (val->type != EXD_NODE_SCALAR || !*val->value) {
    verr(v, val, "%s: expected a path, found %s", name, kind_name(val, kb));
  } else if (skipped(v, val)) {
    /* its ${VAR} error is already reported */
  } else if (path = path_resolve(val->file, val->value),
             (rc = read_file(path, &text, &n)) != 0) {
    verr(v, val, "%s: cannot read secret file '%s': %s", name, path,
         strerror(-rc));
  } else if (strlen(text) != n) {
    verr(v, val, "%s: secret file '%s' contains a NUL byte", name, path);
  } else {
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
      text[--n] = 0;
    exd_node *s = node_new(v->cfg->arena, EXD_NODE_SCALAR, val->file, val->line,
                           val->col);
    s->value = arena_strdup(v->cfg->arena, text);
    map->keys[i]->value = arena_strdup(v->cfg->arena, base);
    map->items[i] = s;
    size_t mark = path_push(v, base, 0);
    check_value(v, s, k);
    path_pop(v, mark);
  }
  free(text);
  free(path);
  free(base);
  return k;
}

static void validate_map(vctx *v, exd_node *map, const exd_config_key *table) {
  cfg_arena *a = v->cfg->arena;
  for (size_t i = 0; i < map->n; i++) {
    const exd_config_key *k = find_key(table, map->keys[i]->value);
    if (!k) {
      if (!secret_file(v, map, i, table)) unknown_key(v, map->keys[i], table);
      continue;
    }
    size_t mark = path_push(v, k->name, 0);
    check_value(v, map->items[i], k);
    path_pop(v, mark);
  }
  for (const exd_config_key *k = table; k->name; k++) {
    if (cfg_get(map, k->name)) continue;
    exd_node *val = NULL;
    if (k->flags & EXD_CFG_SECRET) {
      /* KEY_file was given but could not be read: already reported. */
      char kf[96];
      snprintf(kf, sizeof(kf), "%.80s_file", k->name);
      if (cfg_get(map, kf)) continue;
    }
    if (k->flags & EXD_CFG_REQUIRED) {
      char alt[96] = "";
      if (k->flags & EXD_CFG_SECRET)
        snprintf(alt, sizeof(alt), " (or '%.64s_file')", k->name);
      if (v->path.len)
        verr(v, map, "missing required key '%s'%s in %s", k->name, alt,
             sb_str(&v->path));
      else
        verr(v, map, "missing required key '%s'%s at the top level", k->name,
             alt);
      continue;
    }
    if (k->default_value) {
      val = node_scalar(a, k->default_value, map->file, map->line, map->col);
    } else if (k->type == EXD_CFG_MAP && k->children) {
      val = node_new(a, EXD_NODE_MAP, map->file, map->line, map->col);
    } else {
      continue;
    }
    val->is_default = 1;
    exd_node *key = node_scalar(a, k->name, map->file, map->line, map->col);
    key->is_default = 1;
    node_map_add(a, map, key, val);
    size_t mark = path_push(v, k->name, 0);
    check_value(v, val, k);
    path_pop(v, mark);
  }
}

/* Path of target below n ("sources[0].config"); 1 when found. */
static int find_path(const exd_node *n, const exd_node *target, sb *path) {
  if (n == target) return 1;
  if (n->type == EXD_NODE_SCALAR) return 0;
  for (size_t i = 0; i < n->n; i++) {
    size_t mark = path->len;
    if (n->type == EXD_NODE_MAP)
      sb_printf(path, "%s%s", mark ? "." : "", n->keys[i]->value);
    else
      sb_printf(path, "[%zu]", i);
    if (find_path(n->items[i], target, path)) return 1;
    path->len = mark;
    path->buf[mark] = '\0';
  }
  return 0;
}

int cfg_validate(exd_config *cfg, exd_node *map, const exd_config_key *table,
                 sb *errs) {
  if (!cfg || !cfg->arena || !map || !table || !errs) return -EINVAL;
  vctx v = {.cfg = cfg, .errs = errs};
  if (cfg->root && !find_path(cfg->root, map, &v.path)) sb_reset(&v.path);
  if (want_kind(&v, map, EXD_NODE_MAP)) validate_map(&v, map, table);
  sb_free(&v.path);
  return v.nerr ? EXD_ECONFIG : 0;
}

/* ---- typed view ---- */

static const exd_node *instance_name_node(const cfg_instance *in) {
  const exd_node *n = cfg_get(in->item, "name");
  return cfg_str(n) && *n->value ? n : cfg_get(in->item, "plugin");
}

static void build_instances(vctx *v, const char *key, cfg_instance **out,
                            size_t *n_out) {
  exd_node *list = (exd_node *)cfg_get(v->cfg->root, key);
  *out = NULL;
  *n_out = 0;
  if (!list || list->type != EXD_NODE_LIST) return;
  cfg_arena *a = v->cfg->arena;
  cfg_instance *arr = arena_alloc(a, (list->n + 1) * sizeof(*arr));
  size_t n = 0;
  for (size_t i = 0; i < list->n; i++) {
    exd_node *item = list->items[i];
    if (item->type != EXD_NODE_MAP) continue;
    cfg_instance *in = &arr[n++];
    in->item = item;
    in->plugin = cfg_str(cfg_get(item, "plugin"));
    in->name = cfg_get_str(item, "name", in->plugin);
    if (cfg_bool(cfg_get(item, "enabled"), &in->enabled) != 0) in->enabled = 1;
    in->config = (exd_node *)cfg_get(item, "config");
    if (!in->config || in->config->type != EXD_NODE_MAP) {
      exd_node *m =
          node_new(a, EXD_NODE_MAP, item->file, item->line, item->col);
      m->is_default = 1;
      if (!in->config) {
        exd_node *k =
            node_scalar(a, "config", item->file, item->line, item->col);
        k->is_default = 1;
        node_map_add(a, item, k, m);
      }
      in->config = m;
    }
  }
  *out = arr;
  *n_out = n;
}

static void build_view(vctx *v) {
  exd_config *cfg = v->cfg;
  const exd_node *root = cfg->root;
  int32_t d;
  cfg->plugin_dir = cfg_str(cfg_get(root, "plugin_dir"));
  cfg->as_of = cfg_date(cfg_get(root, "as_of"), &d) == 0 ? d : EXD_DATE_NONE;
  int lvl = log_level_parse(cfg_get_str(root, "log_level", "info"));
  cfg->log_level = lvl < 0 ? EXD_LOG_INFO : lvl;
  build_instances(v, "sources", &cfg->sources, &cfg->n_sources);
  build_instances(v, "sinks", &cfg->sinks, &cfg->n_sinks);
  size_t total = cfg->n_sources + cfg->n_sinks;
  for (size_t i = 0; i < total; i++) {
    const cfg_instance *a =
        i < cfg->n_sources ? &cfg->sources[i] : &cfg->sinks[i - cfg->n_sources];
    if (!a->name) continue;
    for (size_t j = 0; j < i; j++) {
      const cfg_instance *b = j < cfg->n_sources
                                  ? &cfg->sources[j]
                                  : &cfg->sinks[j - cfg->n_sources];
      if (b->name && !strcmp(a->name, b->name)) {
        verr(v, instance_name_node(a),
             "duplicate instance name '%s' (also at %s)", a->name,
             instance_name_node(b)->where);
        break;
      }
    }
  }
  const exd_node *cat = cfg_get(root, "catalogue");
  cfg->catalogue = cat && cat->type == EXD_NODE_LIST ? cat : NULL;
  cfg->scoring = cfg_get(root, "scoring");
  cfg->output = cfg_get(root, "output");
}

/* ---- loading ---- */

typedef struct loader {
  vctx v;
  VEC(const char *) files;
} loader;

/* Parse one file into a top-level mapping, or NULL (errors reported). */
static exd_node *parse_file(loader *ld, const char *file, const char *text,
                            size_t len) {
  cfg_arena *a = ld->v.cfg->arena;
  exd_node *root = NULL;
  char kb[64];
  VEC_PUSH(&ld->files, file);
  if (yaml_parse(a, file, text, len, &root, ld->v.errs) != 0) {
    ld->v.nerr++;
    return NULL;
  }
  if (!root) root = node_new(a, EXD_NODE_MAP, file, 1, 1);
  if (is_null(root)) {
    root->type = EXD_NODE_MAP;
    root->value = NULL;
  }
  if (root->type != EXD_NODE_MAP) {
    verr(&ld->v, root,
         "the top level of a config file must be a mapping, found %s",
         kind_name(root, kb));
    return NULL;
  }
  return root;
}

static void merge(cfg_arena *a, exd_node *dst, exd_node *src) {
  for (size_t i = 0; i < src->n; i++) {
    exd_node *key = src->keys[i], *val = src->items[i];
    size_t j = 0;
    while (j < dst->n && strcmp(dst->keys[j]->value, key->value))
      j++;
    if (j == dst->n) {
      node_map_add(a, dst, key, val);
      continue;
    }
    exd_node *old = dst->items[j];
    if (old->type != EXD_NODE_SCALAR && is_null(val)) continue;
    if (old->type == EXD_NODE_MAP && val->type == EXD_NODE_MAP) {
      merge(a, old, val);
    } else if (old->type == EXD_NODE_LIST && val->type == EXD_NODE_LIST) {
      for (size_t k = 0; k < val->n; k++)
        node_list_add(a, old, val->items[k]);
    } else {
      dst->keys[j] = key;
      dst->items[j] = val;
    }
  }
}

static const char *const backup_suffixes[] = {
    "~",         ".bak",       ".orig",   ".rej",     ".swp", ".dpkg-old",
    ".dpkg-new", ".dpkg-dist", ".rpmnew", ".rpmsave", NULL};

/* Whether a conf.d entry name is a drop-in: *.yaml or *.yml, not a dotfile,
   not a backup. */
static int dropin_wanted(const char *name) {
  if (name[0] == '.') return 0;
  for (const char *const *s = backup_suffixes; *s; s++)
    if (str_has_suffix(name, *s)) return 0;
  return str_has_suffix(name, ".yaml") || str_has_suffix(name, ".yml");
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void read_dropin(loader *ld, exd_node *root, const char *path) {
  exd_config *cfg = ld->v.cfg;
  const char *file = arena_strdup(cfg->arena, path);
  char *text = NULL;
  size_t len = 0;
  int rc = read_file(file, &text, &len);
  if (rc != 0) {
    VEC_PUSH(&ld->files, file);
    exd_node *at = node_new(cfg->arena, EXD_NODE_MAP, file, 1, 1);
    verr(&ld->v, at, "cannot read config: %s", strerror(-rc));
    return;
  }
  exd_node *map = parse_file(ld, file, text, len);
  free(text);
  if (!map) return;
  for (size_t i = 0; i < map->n; i++) {
    if (!strcmp(map->keys[i]->value, "conf_d")) {
      verr(&ld->v, map->keys[i],
           "conf_d may only be set in the main config file");
      return;
    }
  }
  if (!ld->v.nerr) merge(cfg->arena, root, map);
}

/* Read the conf.d drop-ins named by root (or the default when from_file). */
static void read_conf_d(loader *ld, exd_node *root, int from_file) {
  exd_node *cd = (exd_node *)cfg_get(root, "conf_d");
  char *dir;
  if (cd) {
    if (cd->type != EXD_NODE_SCALAR || !*cd->value) return; /* validation */
    if (expand_scalar(&ld->v, cd) != 0) return;
    dir = path_resolve(cd->file, cd->value);
  } else if (from_file) {
    dir = path_resolve(root->file, "conf.d");
  } else {
    return;
  }
  VEC(char *) names = {0};
  DIR *d = opendir(dir);
  if (!d) {
    if (cd)
      verr(&ld->v, cd, "conf_d: cannot open directory '%s': %s", dir,
           strerror(errno));
    else if (errno != ENOENT)
      verr(&ld->v, root, "cannot open the conf.d directory '%s': %s", dir,
           strerror(errno));
    free(dir);
    return;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!dropin_wanted(de->d_name)) continue;
    char *p = xasprintf("%s/%s", dir, de->d_name);
    struct stat st;
    if (stat(p, &st) == 0 && !S_ISREG(st.st_mode)) {
      free(p); /* a directory or device named *.yaml: not a drop-in */
      continue;
    }
    /* conf_d may be the main file's own directory: skip the main file. */
    struct stat mst;
    if (root->file && stat(root->file, &mst) == 0 && stat(p, &st) == 0 &&
        st.st_dev == mst.st_dev && st.st_ino == mst.st_ino) {
      free(p);
      continue;
    }
    VEC_PUSH(&names, p); /* unreadable: read_dropin reports it */
  }
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof(*names.v), cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    read_dropin(ld, root, names.v[i]);
    free(names.v[i]);
  }
  free(names.v);
  free(dir);
}

static int load(const char *name, const char *text, size_t len, int from_file,
                exd_config **out, char **errmsg) {
  sb errs = {0};
  exd_config *cfg = xcalloc(1, sizeof(*cfg));
  cfg->arena = cfg_arena_new();
  cfg->path = arena_strdup(cfg->arena, name);
  loader ld = {.v = {.cfg = cfg, .errs = &errs}};

  exd_node *root = parse_file(&ld, cfg->path, text, len);
  if (root) {
    cfg->root = root;
    read_conf_d(&ld, root, from_file);
  }
  if (!ld.v.nerr) {
    expand_tree(&ld.v, root, cfg_get(root, "conf_d"));
    validate_map(&ld.v, root, cfg_core_keys);
    /* From a string, the default conf_d does not apply: drop it. */
    for (size_t i = 0; !from_file && i < root->n; i++) {
      if (root->items[i]->is_default &&
          !strcmp(root->keys[i]->value, "conf_d")) {
        memmove(root->keys + i, root->keys + i + 1,
                (root->n - i - 1) * sizeof(*root->keys));
        memmove(root->items + i, root->items + i + 1,
                (root->n - i - 1) * sizeof(*root->items));
        root->n--;
        break;
      }
    }
    build_view(&ld.v);
  }
  cfg->n_files = ld.files.n;
  cfg->files = arena_alloc(cfg->arena, (ld.files.n + 1) * sizeof(char *));
  if (ld.files.n) memcpy(cfg->files, ld.files.v, ld.files.n * sizeof(char *));
  free(ld.files.v);
  free(ld.v.skip.v);
  sb_free(&ld.v.path);
  if (ld.v.nerr) {
    cfg_free(cfg);
    if (errmsg) *errmsg = sb_steal(&errs);
    sb_free(&errs);
    return EXD_ECONFIG;
  }
  sb_free(&errs);
  *out = cfg;
  return 0;
}

int cfg_load(const char *path, exd_config **out, char **errmsg) {
  char *text = NULL;
  size_t len = 0;
  int rc = read_file(path, &text, &len);
  if (rc != 0) {
    if (errmsg)
      *errmsg = xasprintf("%s: cannot read config: %s\n", path, strerror(-rc));
    return rc;
  }
  rc = load(path, text, len, 1, out, errmsg);
  free(text);
  return rc;
}

int cfg_load_string(const char *name, const char *text, size_t len,
                    exd_config **out, char **errmsg) {
  return load(name, text, len, 0, out, errmsg);
}

void cfg_free(exd_config *cfg) {
  if (!cfg) return;
  cfg_arena_free(cfg->arena);
  free(cfg);
}
