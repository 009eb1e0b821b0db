/*
 * Configuration: YAML (libyaml) into a node tree that keeps FILE:LINE:COL on
 * every node, conf.d drop-ins, ${VAR} expansion, KEY_file secrets, and
 * validation against exd_config_key tables (plugin.h) -- the same tables the
 * plugins declare.
 *
 * A loaded exd_config is one self-contained generation: it owns every node
 * and string reachable from it, and nothing in it points into another
 * generation, so a reload can build a new one beside the running one and
 * swap (or drop it on error).
 *
 * Error messages: one per line, each "FILE:LINE:COL: message".
 */
#ifndef EXD_CONFIG_H
#define EXD_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "expansiond/plugin.h"
#include "util.h"

typedef struct cfg_arena cfg_arena; /* private allocation arena */

/* A config node. Owned by the exd_config (or cfg_arena) that made it. */
struct exd_node {
  int type;          /* enum exd_node_type */
  const char *file;  /* path of the file it came from (as opened) */
  int line, col;     /* 1-based */
  const char *where; /* "FILE:LINE:COL" */
  /* scalars */
  const char *value; /* after ${VAR} expansion; never NULL for scalars */
  int plain;         /* 1 when written as a plain (unquoted) scalar */
  int secret;        /* value must be masked when printed */
  int is_default;    /* filled in from a key table default */
  /* maps: keys[i] (scalar nodes) → items[i]; lists: items[i] */
  struct exd_node **keys;
  struct exd_node **items;
  size_t n, cap;
};

/* One configured plugin instance (an item of `sources:` or `sinks:`). */
typedef struct cfg_instance {
  const char *name; /* defaults to the plugin name */
  const char *plugin;
  int enabled;
  const exd_node *item; /* the list item, for error positions */
  exd_node *config;     /* its `config:` mapping; an empty map if absent */
} cfg_instance;

typedef struct exd_config {
  const char *path;   /* main file, as given */
  exd_node *root;     /* merged tree, validated, defaults filled */
  const char **files; /* every file read, in order (main first) */
  size_t n_files;

  /* Typed view of the core keys (see core/config_keys.c). */
  const char *plugin_dir; /* resolved against its file; NULL = built-in */
  int32_t as_of;          /* EXD_DATE_NONE = today */
  int log_level;          /* EXD_LOG_* */
  cfg_instance *sources;
  size_t n_sources;
  cfg_instance *sinks;
  size_t n_sinks;
  const exd_node *catalogue; /* LIST, or NULL when absent */
  const exd_node *scoring;   /* MAP with defaults filled (never NULL) */
  const exd_node *output;    /* MAP with defaults filled (never NULL) */

  cfg_arena *arena; /* private */
} exd_config;

/* The core's own key tables (core/config_keys.c). */
extern const exd_config_key cfg_core_keys[];
extern const exd_config_key cfg_scoring_keys[];
extern const exd_config_key cfg_catalogue_keys[];

/*
 * Load the main file and its conf.d drop-ins, expand variables, validate
 * against cfg_core_keys, fill defaults. Returns 0 and sets *out, or a
 * negative code (EXD_ECONFIG, or -ENOENT etc. when the main file cannot be
 * read) and sets *errmsg (malloc'd, caller frees; one error per line).
 * Nothing is half-loaded: on error *out is untouched.
 */
int cfg_load(const char *path, exd_config **out, char **errmsg);
/* Same from a string (name is used as FILE in positions; no conf.d unless
   the text names one). For tests and fuzzing. */
int cfg_load_string(const char *name, const char *text, size_t len,
                    exd_config **out, char **errmsg);
void cfg_free(exd_config *cfg);

/*
 * Validate map against table (recursively), fill defaults, resolve PATH keys
 * against the directory of the file that names them, read KEY_file secrets.
 * Appends errors to errs (one per line, "FILE:LINE:COL: ..."). Returns 0 or
 * EXD_ECONFIG. Used by the host for plugin tables.
 */
int cfg_validate(exd_config *cfg, exd_node *map, const exd_config_key *table,
                 sb *errs);

/* Print the effective config as YAML; secrets masked as "********". */
void cfg_dump(const exd_config *cfg, FILE *out);

/* Print table as Markdown rows "| key | type | default | description |"
   (with the header row), recursing into children with dotted names
   (`scoring.weights.health`, `sources[].plugin`); prefix (may be NULL or "")
   is put before every name, e.g. "sources[].config". */
void cfg_print_keys(FILE *out, const exd_config_key *table, const char *prefix);

/* Expand ${VAR}, ${VAR:-default} and $$ in every scalar value under node
   (not in keys), in place; cfg_load does this itself. Errors go to errs
   ("FILE:LINE:COL: ..."). Returns 0 or EXD_ECONFIG. */
int cfg_expand_env(exd_config *cfg, exd_node *node, sb *errs);

/* Append "WHERE: message\n" to errs. */
void cfg_errorf(sb *errs, const exd_node *at, const char *fmt, ...)
    EXD_FMT(3, 4);
/* The same with WHERE given as text (NULL: no prefix). The message is kept
   on one line: line ends and control characters from quoted values are
   written as \n, \r, \t, \xNN (in WHERE too). */
void cfg_verrorf(sb *errs, const char *where, const char *fmt, va_list ap);

/* Node access. cfg_get: value for key in a MAP, or NULL. Conversions return
   0 or -EINVAL (wrong type / not a number / out of range). Booleans are only
   the plain scalars true and false. */
const exd_node *cfg_get(const exd_node *map, const char *key);
const char *cfg_str(const exd_node *n); /* NULL if not scalar */
int cfg_int(const exd_node *n, int64_t *out);
int cfg_double(const exd_node *n, double *out);
int cfg_bool(const exd_node *n, int *out);
int cfg_date(const exd_node *n, int32_t *out);
/* The node accessors of the host API (plugin.h), NULL-safe: type (0 for
   NULL), items or pairs, i-th item, i-th key of a map, "FILE:LINE:COL"
   ("?" for NULL). */
int cfg_node_type(const exd_node *n);
size_t cfg_node_len(const exd_node *n);
const exd_node *cfg_node_at(const exd_node *n, size_t i);
const char *cfg_node_key_at(const exd_node *n, size_t i);
const char *cfg_node_where(const exd_node *n);
/* Convenience for maps with filled defaults: value of key or fallback. */
const char *cfg_get_str(const exd_node *map, const char *key, const char *dflt);
double cfg_get_double(const exd_node *map, const char *key, double dflt);
int64_t cfg_get_int(const exd_node *map, const char *key, int64_t dflt);

#endif
