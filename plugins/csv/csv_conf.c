/* The csv plugin's config → read plan; see csv_plugin.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_plugin.h"

/* A problem found while reading the config: keeps going to report them all. */
typedef struct conf_ctx {
  csv_state *s;
  const exd_host_api *h;
  int errors;
  int nomem;
} conf_ctx;

#define CONF_ERROR(x, node, ...)                                               \
  do {                                                                         \
    (x)->h->config_error((x)->s->inst, (node), __VA_ARGS__);                   \
    (x)->errors++;                                                             \
  } while (0)

static void *zalloc(conf_ctx *x, size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) x->nomem = 1;
  return p;
}

char *csv_path_join(const char *dir, const char *path) {
  if (path[0] == '/' || !dir || !*dir) return strdup(path);
  size_t dl = strlen(dir), pl = strlen(path);
  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  char *out = malloc(dl + pl + 2);
  if (!out) return NULL;
  memcpy(out, dir, dl);
  out[dl] = '/';
  memcpy(out + dl + 1, path, pl + 1);
  return out;
}

/* One ASCII character, or "tab". */
static int parse_char(const char *s, char *out) {
  if (!s) return 0;
  if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) {
    *out = '\t';
    return 1;
  }
  if (strlen(s) != 1 || s[0] < 0x20 || s[0] > 0x7E || s[0] == '"') return 0;
  *out = s[0];
  return 1;
}

static const exd_node *map_node(conf_ctx *x, const exd_node *parent,
                                const char *key) {
  const exd_node *n = x->h->node_get(parent, key);
  if (n && x->h->node_type(n) != EXD_NODE_MAP) return NULL;
  return n;
}

/* The field named `name` of type, or NULL after reporting it at node. */
static const csv_field_def *field_or_error(conf_ctx *x, int type,
                                           const char *name,
                                           const exd_node *node,
                                           const char *section) {
  const csv_field_def *def = csv_field_find(type, name);
  if (!def) {
    char valid[512];
    csv_field_names(type, valid, sizeof(valid));
    CONF_ERROR(x, node,
               "unknown field '%s' in %s for record %s; valid fields: %s", name,
               section, csv_record_name(type), valid);
  }
  return def;
}

/* A non-empty string value, or NULL after reporting it. */
static const char *str_or_error(conf_ctx *x, const exd_node *node,
                                const char *what) {
  const char *v = x->h->node_str(node);
  if (!v || !*v) {
    CONF_ERROR(x, node, "%s: expected a non-empty string", what);
    return NULL;
  }
  return v;
}

/* Per-file working state while bindings are collected. */
typedef struct file_work {
  int type;
  const csv_field_def *fields;
  size_t n_fields;
  csv_binding *b;        /* n_fields, one per field of the type */
  const char **given_as; /* config name the column came from */
  csv_alias **aliases;   /* per field */
  size_t *n_aliases;
  unsigned char *named; /* per field: named in columns, join columns or
                           constants (even when that entry was bad) */
  int unknown;          /* unknown field names there (already reported) */
} file_work;

static size_t field_index(const file_work *w, const csv_field_def *def) {
  return (size_t)(def - w->fields);
}

static void read_columns(conf_ctx *x, file_work *w, const exd_node *cols) {
  const exd_host_api *h = x->h;
  for (size_t i = 0; cols && i < h->node_len(cols); i++) {
    const char *name = h->node_key_at(cols, i);
    const exd_node *v = h->node_at(cols, i);
    const csv_field_def *def = field_or_error(x, w->type, name, v, "columns");
    const char *col = str_or_error(x, v, name);
    if (def) w->named[field_index(w, def)] = 1;
    w->unknown += !def;
    if (!def || !col) continue;
    size_t k = field_index(w, def);
    if (w->b[k].column) {
      CONF_ERROR(x, v, "columns: field '%s' is given twice (as '%s' and '%s')",
                 def->name, w->given_as[k], name);
      continue;
    }
    w->b[k].column = col;
    w->given_as[k] = name;
  }
}

static void read_join(conf_ctx *x, file_work *w, csv_file_cfg *f, size_t j,
                      const exd_node *item) {
  const exd_host_api *h = x->h;
  csv_join_cfg *jc = &f->joins[j];
  jc->file_node = h->node_get(item, "file");
  jc->file = str_or_error(x, jc->file_node, "join file");
  jc->on = str_or_error(x, h->node_get(item, "on"), "join on");
  jc->key = str_or_error(x, h->node_get(item, "key"), "join key");
  if (jc->file && !(jc->full = csv_path_join(x->s->dir, jc->file)))
    x->nomem = 1;
  f->join_files[j] = jc->file ? jc->file : "?";
  f->join_on[j] = -1;
  const exd_node *cols = map_node(x, item, "columns");
  size_t n = cols ? h->node_len(cols) : 0;
  jc->cols = zalloc(x, n, sizeof(*jc->cols));
  if (!jc->cols) return;
  for (size_t i = 0; i < n; i++) {
    const char *name = h->node_key_at(cols, i);
    const exd_node *v = h->node_at(cols, i);
    const csv_field_def *def =
        field_or_error(x, w->type, name, v, "join columns");
    const char *col = str_or_error(x, v, name);
    if (def) w->named[field_index(w, def)] = 1;
    w->unknown += !def;
    if (!def || !col) continue;
    csv_binding *b = &w->b[field_index(w, def)];
    if (b->join >= 0) {
      CONF_ERROR(x, v, "join columns: field '%s' already comes from join %d",
                 def->name, b->join + 1);
      continue;
    }
    size_t c = 0;
    while (c < jc->n_cols && strcmp(jc->cols[c], col) != 0)
      c++;
    if (c == jc->n_cols) jc->cols[jc->n_cols++] = col;
    b->join = (int)j;
    b->join_column = col;
    b->join_col = (int)c;
  }
}

static void read_values(conf_ctx *x, file_work *w, const exd_node *values) {
  const exd_host_api *h = x->h;
  for (size_t i = 0; values && i < h->node_len(values); i++) {
    const char *name = h->node_key_at(values, i);
    const exd_node *m = h->node_at(values, i);
    const csv_field_def *def = field_or_error(x, w->type, name, m, "values");
    if (!def) continue;
    if (h->node_type(m) != EXD_NODE_MAP) {
      CONF_ERROR(x, m, "values: %s: expected a mapping of found: meant", name);
      continue;
    }
    size_t k = field_index(w, def), n = h->node_len(m);
    csv_alias *a = realloc(w->aliases[k], (w->n_aliases[k] + n) * sizeof(*a));
    if (!a) {
      x->nomem = 1;
      return;
    }
    w->aliases[k] = a;
    for (size_t j = 0; j < n; j++) {
      const char *to = h->node_str(h->node_at(m, j));
      if (!to) {
        CONF_ERROR(x, h->node_at(m, j), "values: %s: expected a string", name);
        continue;
      }
      a[w->n_aliases[k]].from = h->node_key_at(m, j);
      a[w->n_aliases[k]].to = to;
      w->n_aliases[k]++;
    }
  }
}

static void read_scale(conf_ctx *x, file_work *w, const exd_node *scale) {
  const exd_host_api *h = x->h;
  for (size_t i = 0; scale && i < h->node_len(scale); i++) {
    const char *name = h->node_key_at(scale, i);
    const exd_node *v = h->node_at(scale, i);
    const csv_field_def *def = field_or_error(x, w->type, name, v, "scale");
    double d;
    if (!def) continue;
    if (def->kind != CSV_K_NUM) {
      CONF_ERROR(x, v, "scale: field '%s' is not a number field", name);
    } else if (h->node_double(v, &d) != 0 || d == 0) {
      CONF_ERROR(x, v, "scale: %s: expected a number other than 0", name);
    } else {
      w->b[field_index(w, def)].scale = d;
    }
  }
}

/* Constants and alias targets must parse as their field's values. */
static void read_constants(conf_ctx *x, file_work *w, const exd_node *consts,
                           const char *date_format) {
  const exd_host_api *h = x->h;
  char why[320];
  for (size_t i = 0; consts && i < h->node_len(consts); i++) {
    const char *name = h->node_key_at(consts, i);
    const exd_node *v = h->node_at(consts, i);
    const csv_field_def *def = field_or_error(x, w->type, name, v, "constants");
    const char *text = str_or_error(x, v, name);
    if (def) w->named[field_index(w, def)] = 1;
    w->unknown += !def;
    if (!def || !text) continue;
    csv_binding *b = &w->b[field_index(w, def)];
    if (csv_value_check(def, text, b->scale, date_format, x->s->list_sep, why,
                        sizeof(why)) != 0) {
      CONF_ERROR(x, v, "constants: %s: %s", name, why);
      continue;
    }
    b->constant = text;
  }
}

static void check_alias_targets(conf_ctx *x, file_work *w,
                                const exd_node *values,
                                const char *date_format) {
  const exd_host_api *h = x->h;
  char why[320];
  for (size_t i = 0; values && i < h->node_len(values); i++) {
    const char *name = h->node_key_at(values, i);
    const exd_node *m = h->node_at(values, i);
    const csv_field_def *def = csv_field_find(w->type, name);
    if (!def || h->node_type(m) != EXD_NODE_MAP) continue;
    for (size_t j = 0; j < h->node_len(m); j++) {
      const char *to = h->node_str(h->node_at(m, j));
      if (!to || !*to) continue; /* an alias to "" makes the value absent */
      if (csv_value_check(def, to, w->b[field_index(w, def)].scale, date_format,
                          x->s->list_sep, why, sizeof(why)))
        CONF_ERROR(x, h->node_at(m, j), "values: %s: %s", name, why);
    }
  }
}

static void work_free(file_work *w) {
  for (size_t i = 0; i < w->n_fields; i++)
    if (w->aliases) free(w->aliases[i]);
  free(w->b);
  free(w->given_as);
  free(w->aliases);
  free(w->n_aliases);
  free(w->named);
}

/*
 * Every field the core requires of the record type must have a source, else
 * every row would be rejected at run time: one error at the file's columns
 * node naming what is missing. A field named with a bad entry has had its
 * error already, and after an unknown field name (a typo of the missing
 * one, most likely) nothing more is said. owned_from_won also needs the
 * product of the deal.
 */
static void check_required(conf_ctx *x, const file_work *w,
                           const csv_file_cfg *f, const exd_node *at) {
  char missing[512];
  if (w->unknown) return;
  unsigned char *given = zalloc(x, w->n_fields, 1);
  if (!given) return;
  for (size_t k = 0; k < w->n_fields; k++) {
    const csv_binding *b = &w->b[k];
    given[k] = w->named[k] || b->column || b->join >= 0 || b->constant;
  }
  if (csv_missing_required(w->type, given, missing, sizeof(missing)))
    CONF_ERROR(x, at,
               "record %s needs field(s) %s (map a column or give a "
               "constant)",
               csv_record_name(w->type), missing);
  else if (f->owned_from_won && w->type == EXD_REC_OPPORTUNITY &&
           !given[field_index(w, csv_field_find(w->type, "product"))])
    CONF_ERROR(x, at,
               "record opportunity with owned_from_won needs field(s) "
               "product (map a column or give a constant)");
  free(given);
}

static void read_file_item(conf_ctx *x, csv_file_cfg *f, const exd_node *item) {
  const exd_host_api *h = x->h;
  file_work w = {0};
  char why[256];
  f->path_node = h->node_get(item, "path");
  f->path = str_or_error(x, f->path_node, "path");
  if (f->path && !(f->full = csv_path_join(x->s->dir, f->path))) x->nomem = 1;
  const exd_node *rn = h->node_get(item, "record");
  w.type = csv_record_type(h->node_str(rn));
  if (!w.type) {
    CONF_ERROR(x, rn ? rn : item, "record: expected a record type");
    return;
  }
  const char *date_format = h->node_str(h->node_get(item, "date_format"));
  if (!date_format) date_format = "%Y-%m-%d";
  if (csv_check_date_format(date_format, why, sizeof(why)))
    CONF_ERROR(x, h->node_get(item, "date_format"), "date_format: %s", why);
  const exd_node *own = h->node_get(item, "owned_from_won");
  if (own && h->node_bool(own, &f->owned_from_won) != 0) f->owned_from_won = 0;
  if (f->owned_from_won && w.type != EXD_REC_OPPORTUNITY)
    CONF_ERROR(x, own, "owned_from_won applies to record opportunity only");

  w.fields = csv_fields(w.type, &w.n_fields);
  w.b = zalloc(x, w.n_fields, sizeof(*w.b));
  w.given_as = zalloc(x, w.n_fields, sizeof(*w.given_as));
  w.aliases = zalloc(x, w.n_fields, sizeof(*w.aliases));
  w.n_aliases = zalloc(x, w.n_fields, sizeof(*w.n_aliases));
  w.named = zalloc(x, w.n_fields, sizeof(*w.named));
  if (x->nomem) goto done;
  for (size_t k = 0; k < w.n_fields; k++) {
    w.b[k].def = &w.fields[k];
    w.b[k].col = w.b[k].join = w.b[k].join_col = w.b[k].slot = -1;
    w.b[k].scale = 1;
  }
  const exd_node *cols = map_node(x, item, "columns");
  read_columns(x, &w, cols);

  const exd_node *joins = h->node_get(item, "join");
  size_t nj =
      joins && h->node_type(joins) == EXD_NODE_LIST ? h->node_len(joins) : 0;
  f->joins = zalloc(x, nj, sizeof(*f->joins));
  f->join_on = zalloc(x, nj, sizeof(*f->join_on));
  f->join_files = zalloc(x, nj, sizeof(*f->join_files));
  if (x->nomem) goto done;
  f->n_joins = nj;
  for (size_t j = 0; j < nj; j++)
    read_join(x, &w, f, j, h->node_at(joins, j));

  const exd_node *values = map_node(x, item, "values");
  read_values(x, &w, values);
  read_scale(x, &w, map_node(x, item, "scale"));
  read_constants(x, &w, map_node(x, item, "constants"), date_format);
  check_alias_targets(x, &w, values, date_format);
  if (x->nomem) goto done;

  /* Keep the fields something gives, in table order. */
  size_t n = 0;
  int slots = 0;
  f->map.bindings = zalloc(x, w.n_fields, sizeof(*f->map.bindings));
  if (!f->map.bindings) goto done;
  for (size_t k = 0; k < w.n_fields; k++) {
    csv_binding *b = &w.b[k];
    if (!b->column && b->join < 0 && !b->constant) continue;
    b->aliases = w.aliases[k];
    b->n_aliases = w.n_aliases[k];
    w.aliases[k] = NULL; /* now the binding's */
    if (b->def->kind == CSV_K_LIST || b->def->kind == CSV_K_ROLES)
      b->slot = slots++;
    f->map.bindings[n++] = *b;
  }
  if (n == 0)
    CONF_ERROR(x, cols ? cols : item, "columns: no field is mapped");
  else
    check_required(x, &w, f, cols ? cols : item);
  f->map.n = n;
  f->map.type = w.type;
  f->map.date_format = date_format;
  f->map.list_sep = x->s->list_sep;
  f->map.n_joins = f->n_joins;
  f->map.join_on = f->join_on;
  f->map.join_files = f->join_files;
done:
  work_free(&w);
}

/* Whether any file or join path is relative (read from dir). */
static int uses_dir(const csv_state *s) {
  for (size_t i = 0; i < s->n_files; i++) {
    const csv_file_cfg *f = &s->files[i];
    if (f->path && f->path[0] != '/') return 1;
    for (size_t j = 0; j < f->n_joins; j++)
      if (f->joins[j].file && f->joins[j].file[0] != '/') return 1;
  }
  return 0;
}

/*
 * A dir that is missing or not a directory gets a warning, not an error:
 * the exports may be put there before the next run (each run reports the
 * files it cannot open).
 */
static void check_dir(csv_state *s, const exd_node *dn) {
  const exd_host_api *h = s->host;
  struct stat st;
  if (!uses_dir(s)) return;
  const char *where = h->node_where(dn ? dn : h->config(s->inst));
  if (stat(s->dir, &st) != 0) {
    int e = errno;
    if (e == ENOENT)
      h->log(s->inst, EXD_LOG_WARN,
             "%s: dir '%s' does not exist; its files cannot be read until it "
             "is created",
             where, s->dir);
    else
      h->log(s->inst, EXD_LOG_WARN,
             "%s: dir '%s': %s; its files may not be readable", where, s->dir,
             strerror(e));
  } else if (!S_ISDIR(st.st_mode)) {
    h->log(s->inst, EXD_LOG_WARN,
           "%s: dir '%s' is not a directory; its files cannot be read", where,
           s->dir);
  }
}

int csv_conf_load(csv_state *s) {
  conf_ctx x = {s, s->host, 0, 0};
  const exd_host_api *h = s->host;
  const exd_node *cfg = h->config(s->inst);
  const exd_node *dn = h->node_get(cfg, "delimiter");
  const char *d = dn ? h->node_str(dn) : ",";
  if (!parse_char(d, &s->delim))
    CONF_ERROR(&x, dn,
               "delimiter: expected one character or \"tab\", found '%s'",
               d ? d : "(not a string)");
  const exd_node *ln = h->node_get(cfg, "list_separator");
  const char *l = ln ? h->node_str(ln) : ";";
  if (!parse_char(l, &s->list_sep))
    CONF_ERROR(&x, ln,
               "list_separator: expected one character or \"tab\", found '%s'",
               l ? l : "(not a string)");
  const exd_node *dir_node = h->node_get(cfg, "dir");
  s->dir = h->node_str(dir_node);
  if (!s->dir || !*s->dir) s->dir = ".";

  const exd_node *files = h->node_get(cfg, "files");
  size_t n =
      files && h->node_type(files) == EXD_NODE_LIST ? h->node_len(files) : 0;
  if (n == 0) {
    CONF_ERROR(&x, files, "files: at least one file is required");
  } else if ((s->files = zalloc(&x, n, sizeof(*s->files)))) {
    s->n_files = n;
    for (size_t i = 0; i < n && !x.nomem; i++)
      read_file_item(&x, &s->files[i], h->node_at(files, i));
  }
  if (x.nomem) return -ENOMEM;
  check_dir(s, dir_node);
  return x.errors ? EXD_ECONFIG : 0;
}

void csv_conf_free(csv_state *s) {
  for (size_t i = 0; i < s->n_files; i++) {
    csv_file_cfg *f = &s->files[i];
    for (size_t k = 0; k < f->map.n; k++)
      free((void *)f->map.bindings[k].aliases);
    free(f->map.bindings);
    for (size_t j = 0; j < f->n_joins; j++) {
      free(f->joins[j].full);
      free(f->joins[j].cols);
      csv_lookup_free(&f->joins[j].lk);
    }
    free(f->joins);
    free(f->join_on);
    free(f->join_files);
    free(f->full);
  }
  free(s->files);
  s->files = NULL;
  s->n_files = 0;
}
