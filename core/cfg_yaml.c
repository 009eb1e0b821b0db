/* libyaml event stream → exd_node tree with positions; see yaml.h. */
#include "cfg_yaml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

/* ---- arena ---- */

struct cfg_arena {
  strpool *pool;
};

cfg_arena *cfg_arena_new(void) {
  cfg_arena *a = xcalloc(1, sizeof(*a));
  a->pool = pool_new();
  return a;
}

void cfg_arena_free(cfg_arena *a) {
  if (!a) return;
  pool_free(a->pool);
  free(a);
}

const char *arena_strdup(cfg_arena *a, const char *s) {
  if (!s) return NULL;
  return pool_copy(a->pool, s);
}

void *arena_alloc(cfg_arena *a, size_t n) {
  void *p = pool_alloc(a->pool, n);
  memset(p, 0, n);
  return p;
}

exd_node *node_new(cfg_arena *a, int type, const char *file, int line,
                   int col) {
  exd_node *n = arena_alloc(a, sizeof(*n));
  n->type = type;
  n->file = file;
  n->line = line;
  n->col = col;
  char *w = xasprintf("%s:%d:%d", file ? file : "?", line, col);
  n->where = arena_strdup(a, w);
  free(w);
  return n;
}

exd_node *node_scalar(cfg_arena *a, const char *value, const char *file,
                      int line, int col) {
  exd_node *n = node_new(a, EXD_NODE_SCALAR, file, line, col);
  n->value = arena_strdup(a, value ? value : "");
  n->plain = 1;
  return n;
}

static void node_grow(cfg_arena *a, exd_node *n, int with_keys) {
  if (n->n < n->cap) return;
  size_t cap = n->cap ? n->cap * 2 : 4;
  exd_node **items = arena_alloc(a, cap * sizeof(*items));
  if (n->n) memcpy(items, n->items, n->n * sizeof(*items));
  n->items = items;
  if (with_keys) {
    exd_node **keys = arena_alloc(a, cap * sizeof(*keys));
    if (n->n) memcpy(keys, n->keys, n->n * sizeof(*keys));
    n->keys = keys;
  }
  n->cap = cap;
}

void node_map_add(cfg_arena *a, exd_node *map, exd_node *key, exd_node *val) {
  node_grow(a, map, 1);
  map->keys[map->n] = key;
  map->items[map->n] = val;
  map->n++;
}

void node_list_add(cfg_arena *a, exd_node *list, exd_node *item) {
  node_grow(a, list, 0);
  list->items[list->n++] = item;
}

exd_node *node_copy(cfg_arena *a, const exd_node *n) {
  if (!n) return NULL;
  const char *file = arena_strdup(a, n->file);
  exd_node *c = node_new(a, n->type, file, n->line, n->col);
  c->value = arena_strdup(a, n->value);
  c->plain = n->plain;
  c->secret = n->secret;
  c->is_default = n->is_default;
  for (size_t i = 0; i < n->n; i++) {
    if (n->type == EXD_NODE_MAP)
      node_map_add(a, c, node_copy(a, n->keys[i]), node_copy(a, n->items[i]));
    else
      node_list_add(a, c, node_copy(a, n->items[i]));
  }
  return c;
}

/* ---- parser ---- */

struct anchor {
  const char *name;
  exd_node *node;
};

struct frame {
  exd_node *node;
  exd_node *pending_key; /* maps: key waiting for its value */
  const char *anchor;    /* anchor of this collection, registered at end */
};

struct pstate {
  cfg_arena *a;
  const char *file;
  sb *errs;
  struct frame stack[YAML_MAX_DEPTH + 1];
  int depth;
  VEC(struct anchor) anchors;
  size_t alias_nodes;
  int failed;
  const char *text;
  size_t len;
};

static void perr(struct pstate *ps, int line, int col, const char *fmt, ...)
    EXD_FMT(4, 5);
static void perr(struct pstate *ps, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *where = xasprintf("%s:%d:%d", ps->file, line, col);
  cfg_verrorf(ps->errs, where, fmt, ap);
  free(where);
  va_end(ap);
  ps->failed = 1;
}

static size_t count_nodes(const exd_node *n, size_t limit) {
  size_t c = 1;
  for (size_t i = 0; i < n->n && c <= limit; i++) {
    c += count_nodes(n->items[i], limit);
    if (n->keys) c++;
  }
  return c;
}

static const char *node_kind(const exd_node *n) {
  switch (n->type) {
  case EXD_NODE_MAP: return "a mapping";
  case EXD_NODE_LIST: return "a list";
  default: return "a scalar";
  }
}

/* Attach a finished node to the parent frame (or make it the root). */
static int attach(struct pstate *ps, exd_node *n, exd_node **root) {
  if (ps->depth == 0) {
    *root = n;
    return 0;
  }
  struct frame *f = &ps->stack[ps->depth - 1];
  if (f->node->type == EXD_NODE_LIST) {
    node_list_add(ps->a, f->node, n);
    return 0;
  }
  if (!f->pending_key) {
    if (n->type != EXD_NODE_SCALAR) {
      perr(ps, n->line, n->col, "mapping keys must be scalars, found %s",
           node_kind(n));
      return -1;
    }
    for (size_t i = 0; i < f->node->n; i++) {
      const exd_node *k = f->node->keys[i];
      if (strcmp(k->value, n->value) == 0) {
        perr(ps, n->line, n->col, "duplicate key '%s' (first at line %d)",
             n->value, k->line);
        return -1;
      }
    }
    f->pending_key = n;
    return 0;
  }
  node_map_add(ps->a, f->node, f->pending_key, n);
  f->pending_key = NULL;
  return 0;
}

static void add_anchor(struct pstate *ps, const char *name, exd_node *n) {
  if (!name) return;
  for (size_t i = 0; i < ps->anchors.n; i++) {
    if (strcmp(ps->anchors.v[i].name, name) == 0) {
      ps->anchors.v[i].node = n; /* YAML: a redefined anchor shadows */
      return;
    }
  }
  struct anchor an = {arena_strdup(ps->a, name), n};
  VEC_PUSH(&ps->anchors, an);
}

static int is_tab_at(const struct pstate *ps, size_t index) {
  /* libyaml reports the mark at or just before the tab. */
  for (size_t i = index; i < ps->len && i < index + 2; i++)
    if (ps->text[i] == '\t') return 1;
  /* Or the line holding the mark starts with tabs. */
  size_t ls = index < ps->len ? index : ps->len;
  while (ls > 0 && ps->text[ls - 1] != '\n')
    ls--;
  return ls < ps->len && ps->text[ls] == '\t';
}

/* Line and column (1-based, columns in characters) of a byte offset. */
static void offset_position(const char *text, size_t len, size_t off, int *line,
                            int *col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (text[i] == '\n') {
      l++;
      c = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

/* Does the line holding byte `index` contain `needle`? */
static int line_has(const struct pstate *ps, size_t index, const char *needle) {
  if (index > ps->len) index = ps->len;
  size_t ls = index, le = index;
  while (ls > 0 && ps->text[ls - 1] != '\n')
    ls--;
  while (le < ps->len && ps->text[le] != '\n')
    le++;
  size_t nl = strlen(needle);
  for (size_t i = ls; i + nl <= le; i++)
    if (!memcmp(ps->text + i, needle, nl)) return 1;
  return 0;
}

int yaml_parse(cfg_arena *a, const char *file, const char *text, size_t len,
               exd_node **root, sb *errs) {
  struct pstate ps = {
      .a = a, .file = file, .errs = errs, .text = text, .len = len};
  yaml_parser_t parser;
  yaml_event_t ev;
  int docs = 0, done = 0;
  *root = NULL;

  if (!yaml_parser_initialize(&parser)) {
    perr(&ps, 1, 1, "cannot initialise the YAML parser");
    return EXD_ECONFIG;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

  while (!done && !ps.failed) {
    if (!yaml_parser_parse(&parser, &ev)) {
      int line = (int)parser.problem_mark.line + 1;
      int col = (int)parser.problem_mark.column + 1;
      const char *problem = parser.problem ? parser.problem : "syntax error";
      if (parser.error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, control characters) carry a byte
           offset, not a mark. */
        offset_position(text, len, parser.problem_offset, &line, &col);
        if (parser.problem_offset < len)
          perr(&ps, line, col, "%s (byte 0x%02x at offset %zu)", problem,
               (unsigned)(unsigned char)text[parser.problem_offset],
               parser.problem_offset);
        else
          perr(&ps, line, col, "%s (at offset %zu)", problem,
               parser.problem_offset);
      } else if (parser.context &&
                 (parser.context_mark.line != parser.problem_mark.line ||
                  parser.context_mark.column != parser.problem_mark.column)) {
        perr(&ps, line, col, "%s (%s that starts at line %d, column %d)",
             problem, parser.context, (int)parser.context_mark.line + 1,
             (int)parser.context_mark.column + 1);
      } else if (parser.context) {
        perr(&ps, line, col, "%s %s", problem, parser.context);
      } else {
        perr(&ps, line, col, "%s", problem);
      }
      if (parser.problem &&
          !strcmp(parser.problem,
                  "mapping values are not allowed in this context"))
        perr(&ps, line, col,
             "hint: check the indentation of this line, or quote a value "
             "that contains ': '");
      if (is_tab_at(&ps, parser.problem_mark.index) ||
          (parser.context_mark.index < len &&
           is_tab_at(&ps, parser.context_mark.index)))
        perr(&ps, line, col,
             "hint: YAML does not allow tabs for indentation; use spaces");
      else if (line_has(&ps, parser.problem_mark.index, "${"))
        perr(&ps, line, col,
             "hint: inside { } or [ ], quote a value that uses ${VAR}: "
             "\"${VAR}\"");
      break;
    }
    int line = (int)ev.start_mark.line + 1;
    int col = (int)ev.start_mark.column + 1;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = 1; break;
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1)
        perr(&ps, line, col,
             "more than one YAML document in a file is not supported");
      break;
    case YAML_SCALAR_EVENT: {
      exd_node *n = node_new(a, EXD_NODE_SCALAR, file, line, col);
      n->value = arena_strdup(a, (const char *)ev.data.scalar.value);
      if (strlen(n->value) != ev.data.scalar.length) {
        perr(&ps, line, col, "NUL character in scalar");
        break;
      }
      n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      add_anchor(&ps, (const char *)ev.data.scalar.anchor, n);
      attach(&ps, n, root);
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (ps.depth >= YAML_MAX_DEPTH) {
        perr(&ps, line, col, "nesting deeper than %d levels", YAML_MAX_DEPTH);
        break;
      }
      int type =
          ev.type == YAML_MAPPING_START_EVENT ? EXD_NODE_MAP : EXD_NODE_LIST;
      exd_node *n = node_new(a, type, file, line, col);
      const char *anchor =
          (const char *)(type == EXD_NODE_MAP ? ev.data.mapping_start.anchor
                                              : ev.data.sequence_start.anchor);
      struct frame *f = &ps.stack[ps.depth++];
      f->node = n;
      f->pending_key = NULL;
      f->anchor = anchor ? arena_strdup(a, anchor) : NULL;
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      struct frame f = ps.stack[--ps.depth];
      add_anchor(&ps, f.anchor, f.node);
      attach(&ps, f.node, root);
      break;
    }
    case YAML_ALIAS_EVENT: {
      const char *name = (const char *)ev.data.alias.anchor;
      exd_node *target = NULL;
      for (size_t i = 0; i < ps.anchors.n; i++)
        if (strcmp(ps.anchors.v[i].name, name) == 0)
          target = ps.anchors.v[i].node;
      if (!target) {
        perr(&ps, line, col, "unknown alias '*%s'", name);
        break;
      }
      size_t cnt = count_nodes(target, YAML_MAX_ALIAS_NODES);
      ps.alias_nodes += cnt;
      if (ps.alias_nodes > YAML_MAX_ALIAS_NODES) {
        perr(&ps, line, col,
             "aliases expand to more than %d nodes; refusing (billion-laughs "
             "guard)",
             YAML_MAX_ALIAS_NODES);
        break;
      }
      attach(&ps, node_copy(a, target), root);
      break;
    }
    default: break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  free(ps.anchors.v);
  if (ps.failed) {
    *root = NULL;
    return EXD_ECONFIG;
  }
  return 0;
}
