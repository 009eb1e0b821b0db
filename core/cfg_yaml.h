/*
 * libyaml → exd_node tree. Every node keeps FILE:LINE:COL. Duplicate keys,
 * non-scalar keys, multiple documents, nesting deeper than YAML_MAX_DEPTH and
 * alias expansion beyond YAML_MAX_ALIAS_NODES are errors; a tab in
 * indentation gets a hint. No ${VAR} expansion here (config.c does it).
 */
#ifndef EXD_CFG_YAML_H
#define EXD_CFG_YAML_H

#include <stddef.h>

#include "config.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_ALIAS_NODES 10000

cfg_arena *cfg_arena_new(void);
void cfg_arena_free(cfg_arena *a);
/* Arena-owned string copy / allocation (live until cfg_arena_free). */
const char *arena_strdup(cfg_arena *a, const char *s);
void *arena_alloc(cfg_arena *a, size_t n);

exd_node *node_new(cfg_arena *a, int type, const char *file, int line, int col);
exd_node *node_scalar(cfg_arena *a, const char *value, const char *file,
                      int line, int col);
void node_map_add(cfg_arena *a, exd_node *map, exd_node *key, exd_node *val);
void node_list_add(cfg_arena *a, exd_node *list, exd_node *item);
/* Deep copy into arena a (used to keep generations self-contained). */
exd_node *node_copy(cfg_arena *a, const exd_node *n);

/*
 * Parse text (len bytes) named file. On success *root is the document's top
 * node (NULL for an empty document) and 0 is returned; on error, messages
 * "FILE:LINE:COL: ..." are appended to errs and EXD_ECONFIG is returned.
 */
int yaml_parse(cfg_arena *a, const char *file, const char *text, size_t len,
               exd_node **root, sb *errs);

#endif
