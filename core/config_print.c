/*
 * Printing config: the effective config as YAML (cfg_dump) and key tables as
 * Markdown (cfg_print_keys). See config.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* ---- cfg_dump ---- */

/* The code point at p (valid UTF-8) and its length in *len; an invalid
   byte is returned as UINT32_MAX with length 1. */
static uint32_t next_cp(const unsigned char *p, int *len) {
  uint32_t cp;
  int n;
  if (p[0] < 0x80) {
    *len = 1;
    return p[0];
  }
  if (p[0] >= 0xC2 && p[0] <= 0xDF) {
    n = 2;
    cp = p[0] & 0x1Fu;
  } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
    n = 3;
    cp = p[0] & 0x0Fu;
  } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
    n = 4;
    cp = p[0] & 0x07u;
  } else {
    *len = 1;
    return UINT32_MAX;
  }
  for (int i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) {
      *len = 1;
      return UINT32_MAX;
    }
    cp = (cp << 6) | (p[i] & 0x3Fu);
  }
  *len = n;
  return cp;
}

/* Characters YAML reads back as themselves anywhere (no line breaks, no
   tabs, nothing libyaml's reader refuses). */
static int printable(uint32_t cp) {
  return (cp >= 0x20 && cp <= 0x7E) ||
         (cp >= 0xA0 && cp <= 0xFFFD && cp != 0x2028 && cp != 0x2029 &&
          cp != 0xFEFF && !(cp >= 0xD800 && cp <= 0xDFFF)) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Whether s can be written as a plain scalar in block context and reads
   back as the same text. Conservative: anything doubtful is quoted. */
static int plain_ok(const char *s) {
  size_t n = strlen(s);
  if (!n || s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':') return 0;
  if (strchr("?:,[]{}#&*!|>'\"%@`", s[0])) return 0;
  if (s[0] == '-' && (n == 1 || s[1] == ' ')) return 0;
  if (!strncmp(s, "---", 3) || !strncmp(s, "...", 3)) return 0;
  if (strstr(s, ": ") || strstr(s, " #")) return 0;
  int len;
  for (const unsigned char *p = (const unsigned char *)s; *p; p += len)
    if (!printable(next_cp(p, &len))) return 0;
  return 1;
}

/* A key (value == 0) or a value: values have their '$' doubled, since
   loading expands ${VAR} and $$ in values (the dump holds expanded text). */
static void put_scalar(FILE *out, const char *s, int plain, int value) {
  if (plain && plain_ok(s)) {
    for (; *s; s++) {
      if (*s == '$' && value) fputc('$', out);
      fputc(*s, out);
    }
    return;
  }
  fputc('"', out);
  int len;
  for (const unsigned char *p = (const unsigned char *)s; *p; p += len) {
    uint32_t cp = next_cp(p, &len);
    if (cp == '"')
      fputs("\\\"", out);
    else if (cp == '\\')
      fputs("\\\\", out);
    else if (cp == '$' && value)
      fputs("$$", out);
    else if (cp == '\n')
      fputs("\\n", out);
    else if (cp == '\t')
      fputs("\\t", out);
    else if (cp == '\r')
      fputs("\\r", out);
    else if (cp == UINT32_MAX) /* not UTF-8: keep it loadable */
      fprintf(out, "\\x%02x", *p);
    else if (printable(cp))
      fwrite(p, 1, (size_t)len, out);
    else if (cp < 0x100)
      fprintf(out, "\\x%02x", (unsigned)cp);
    else if (cp < 0x10000)
      fprintf(out, "\\u%04x", (unsigned)cp);
    else
      fprintf(out, "\\U%08x", (unsigned)cp);
  }
  fputc('"', out);
}

static void pad(FILE *out, int indent) {
  fprintf(out, "%*s", indent, "");
}

static void dump_map(FILE *out, const exd_node *map, int indent, int first);
static void dump_list(FILE *out, const exd_node *list, int indent);

/* The value after "key:" or "-": on this line for scalars and empty
   collections, on the next lines (indented) otherwise. */
static void dump_value(FILE *out, const exd_node *v, int indent) {
  if (v->type == EXD_NODE_SCALAR) {
    if (v->secret) {
      fputs(" \"********\"", out);
    } else if (*v->value || !v->plain) { /* a plain "" is YAML's null */
      fputc(' ', out);
      put_scalar(out, v->value, v->plain, 1);
    }
    fputs(v->is_default ? "  # default\n" : "\n", out);
  } else if (v->n == 0) {
    fputs(v->type == EXD_NODE_MAP ? " {}\n" : " []\n", out);
  } else if (v->type == EXD_NODE_MAP) {
    fputc('\n', out);
    dump_map(out, v, indent + 2, 0);
  } else {
    fputc('\n', out);
    dump_list(out, v, indent + 2);
  }
}

/* first: the first pair goes on the current line (after "- "). */
static void dump_map(FILE *out, const exd_node *map, int indent, int first) {
  for (size_t i = 0; i < map->n; i++) {
    if (!(first && i == 0)) pad(out, indent);
    put_scalar(out, map->keys[i]->value, 1, 0);
    fputc(':', out);
    dump_value(out, map->items[i], indent);
  }
}

static void dump_list(FILE *out, const exd_node *list, int indent) {
  for (size_t i = 0; i < list->n; i++) {
    const exd_node *it = list->items[i];
    pad(out, indent);
    fputc('-', out);
    if (it->type == EXD_NODE_MAP && it->n) {
      fputc(' ', out);
      dump_map(out, it, indent + 2, 1);
    } else {
      dump_value(out, it, indent);
    }
  }
}

static void put_comment(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

void cfg_dump(const exd_config *cfg, FILE *out) {
  fputs("# expansiond: effective configuration (defaults filled in, secrets "
        "masked)\n# files read, in order:\n",
        out);
  for (size_t i = 0; i < cfg->n_files; i++) {
    fputs("#   ", out);
    put_comment(out, cfg->files[i]);
    fputc('\n', out);
  }
  /* conf_d is left out of the body: its drop-ins are merged in already,
     and reading them again would append their lists twice. */
  const exd_node *cd = cfg_get(cfg->root, "conf_d");
  if (cd) {
    fputs("# conf_d: ", out);
    put_comment(out, cd->type == EXD_NODE_SCALAR ? cd->value : "?");
    fputs(cfg->n_files > 1 ? " (merged below)\n" : " (no drop-ins read)\n",
          out);
  }
  size_t shown = 0;
  for (size_t i = 0; cfg->root && i < cfg->root->n; i++) {
    if (cfg->root->items[i] == cd) continue;
    put_scalar(out, cfg->root->keys[i]->value, 1, 0);
    fputc(':', out);
    dump_value(out, cfg->root->items[i], 0);
    shown++;
  }
  if (!shown) fputs("{}\n", out);
}

/* ---- cfg_print_keys ---- */

static const char *type_word(int type) {
  switch (type) {
  case EXD_CFG_STRING: return "string";
  case EXD_CFG_INT: return "integer";
  case EXD_CFG_DOUBLE: return "number";
  case EXD_CFG_BOOL: return "boolean";
  case EXD_CFG_PATH: return "path";
  case EXD_CFG_DATE: return "date";
  case EXD_CFG_MAP: return "mapping";
  case EXD_CFG_LIST: return "list";
  default: return "any";
  }
}

static const char *type_plural(int type) {
  switch (type) {
  case EXD_CFG_STRING: return "strings";
  case EXD_CFG_INT: return "integers";
  case EXD_CFG_DOUBLE: return "numbers";
  case EXD_CFG_BOOL: return "booleans";
  case EXD_CFG_PATH: return "paths";
  case EXD_CFG_DATE: return "dates";
  case EXD_CFG_MAP: return "mappings";
  case EXD_CFG_LIST: return "lists";
  default: return "anything";
  }
}

/* Markdown table cell text: '|' escaped, line ends as spaces. */
static void put_cell(FILE *out, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|')
      fputs("\\|", out);
    else
      fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
  }
}

static void put_type(FILE *out, const exd_config_key *k) {
  if (k->type == EXD_CFG_LIST) {
    fprintf(out, "list of %s", type_plural(k->item_type));
  } else if (k->type == EXD_CFG_MAP && !k->children && k->item_type) {
    fprintf(out, "mapping of %s", type_plural(k->item_type));
  } else {
    fputs(type_word(k->type), out);
  }
  if (k->choices) {
    fputs(": ", out);
    for (const char *const *c = k->choices; *c; c++) {
      fputs(c == k->choices ? "" : ", ", out);
      put_cell(out, *c);
    }
  }
  if (k->min != k->max &&
      (k->type == EXD_CFG_INT || k->type == EXD_CFG_DOUBLE ||
       k->item_type == EXD_CFG_INT || k->item_type == EXD_CFG_DOUBLE))
    fprintf(out, " (%g..%g)", k->min, k->max);
  if (k->flags & EXD_CFG_SECRET) fputs(", secret (or KEY_file)", out);
}

static void print_rows(FILE *out, const exd_config_key *table,
                       const char *prefix) {
  for (const exd_config_key *k = table; k && k->name; k++) {
    fputs("| `", out);
    if (prefix && *prefix) {
      put_cell(out, prefix);
      fputc('.', out);
    }
    put_cell(out, k->name);
    fputs("` | ", out);
    put_type(out, k);
    fputs(" | ", out);
    if (k->flags & EXD_CFG_REQUIRED) {
      fputs("required", out);
    } else if (k->default_value) {
      fputc('`', out);
      put_cell(out, k->default_value);
      fputc('`', out);
    }
    fputs(" | ", out);
    put_cell(out, k->description);
    fputs(" |\n", out);
    if (k->children && (k->type == EXD_CFG_MAP || k->type == EXD_CFG_LIST)) {
      char *sub = xasprintf("%s%s%s%s", prefix && *prefix ? prefix : "",
                            prefix && *prefix ? "." : "", k->name,
                            k->type == EXD_CFG_LIST ? "[]" : "");
      print_rows(out, k->children, sub);
      free(sub);
    }
  }
}

void cfg_print_keys(FILE *out, const exd_config_key *table,
                    const char *prefix) {
  fputs("| key | type | default | description |\n"
        "|---|---|---|---|\n",
        out);
  print_rows(out, table, prefix);
}
