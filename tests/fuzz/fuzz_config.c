/*
 * libFuzzer harness for the config loader: YAML parsing, ${VAR} expansion,
 * validation against the core tables, the typed view and cfg_dump.
 *
 *   make fuzz
 *   build/fuzz/fuzz_config tests/fuzz/corpus/config -max_total_time=300
 *
 * Runs in an empty temporary directory so a `conf_d:` or `*_file:` in the
 * input finds nothing to read there.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  static char dir[] = "/tmp/exd-fuzz-config-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) != 0) abort();
  setenv("EXD_FUZZ_SET", "value", 1);
  unsetenv("EXD_FUZZ_UNSET");
  return 0;
}

/* Same tree, positions aside; at the top level conf_d is skipped (the dump
   leaves it out: its drop-ins are merged in already). */
static int same(const exd_node *a, const exd_node *b, int top) {
  if (a->type != b->type) return 0;
  if (a->type == EXD_NODE_SCALAR) {
    /* Quoting only changes meaning for booleans and nulls. */
    static const char *const special[] = {"true", "false", "", "~", "null"};
    if (strcmp(a->value, b->value)) return 0;
    for (size_t k = 0; k < sizeof(special) / sizeof(*special); k++)
      if (!strcmp(a->value, special[k])) return a->plain == b->plain;
    return 1;
  }
  size_t i = 0, j = 0;
  for (;;) {
    while (top && i < a->n && !strcmp(a->keys[i]->value, "conf_d"))
      i++;
    while (top && j < b->n && !strcmp(b->keys[j]->value, "conf_d"))
      j++;
    if (i == a->n || j == b->n) return i == a->n && j == b->n;
    if (a->type == EXD_NODE_MAP && strcmp(a->keys[i]->value, b->keys[j]->value))
      return 0;
    if (!same(a->items[i], b->items[j], 0)) return 0;
    i++;
    j++;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  exd_config *cfg = NULL;
  char *err = NULL;
  int rc = cfg_load_string("fuzz.yaml", (const char *)data, size, &cfg, &err);
  if (rc == 0) {
    /* Every loaded config has these, and its dump must load again. */
    if (!cfg->scoring || !cfg->output || err) abort();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cfg_dump(cfg, f);
    fclose(f);
    exd_config *again = NULL;
    char *err2 = NULL;
    if (cfg_load_string("dump.yaml", buf, len, &again, &err2) != 0) {
      fprintf(stderr, "dump does not load:\n%s\n---\n%s", err2, buf);
      abort();
    }
    if (!same(cfg->root, again->root, 1)) {
      fprintf(stderr, "dump loads as a different tree:\n%s", buf);
      abort();
    }
    cfg_free(again);
    free(buf);
    cfg_free(cfg);
  } else {
    /* Every failure explains itself, one "FILE:LINE:COL: " line each. */
    if (!err || !*err || err[strlen(err) - 1] != '\n') abort();
    for (const char *line = err; *line;) {
      if (strncmp(line, "fuzz.yaml:", 10) != 0) abort();
      line = strchr(line, '\n') + 1;
    }
    free(err);
  }
  return 0;
}
