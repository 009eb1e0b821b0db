/*
 * The csv source plugin's private state, shared by csv_conf.c (config →
 * plan, at init) and csv.c (descriptor, collect). Everything here is owned
 * by the csv_state; strings taken from config nodes are borrowed and live as
 * long as the instance.
 */
#ifndef EXD_CSV_PLUGIN_H
#define EXD_CSV_PLUGIN_H

#include <stddef.h>

#include "csv_join.h"
#include "csv_map.h"
#include "csv_parse.h"
#include "expansiond/plugin.h"

/* One `join:` item of a file. */
typedef struct csv_join_cfg {
  const exd_node *file_node; /* for "cannot open" messages */
  const char *file;          /* as configured */
  char *full;                /* dir/file (owned) */
  const char *on;            /* column of the main file */
  const char *key;           /* column of the lookup file */
  const char **cols;         /* lookup columns the bindings take (owned
                                array of borrowed names) */
  size_t n_cols;
  csv_lookup lk;    /* filled when the main file is opened */
  size_t unmatched; /* rows whose key found nothing */
  unsigned long first_unmatched;
} csv_join_cfg;

/* One `files:` item. */
typedef struct csv_file_cfg {
  const exd_node *path_node;
  const char *path; /* as configured: the FILE of every origin */
  char *full;       /* dir/path (owned) */
  csv_mapping map;  /* bindings owned (and each binding's aliases) */
  int owned_from_won;
  csv_join_cfg *joins;
  size_t n_joins;
  int *join_on;            /* map.join_on (owned) */
  const char **join_files; /* map.join_files (owned array) */
} csv_file_cfg;

typedef struct csv_state {
  const exd_host_api *host;
  exd_instance *inst;
  char delim, list_sep;
  const char *dir;
  csv_file_cfg *files;
  size_t n_files;

  /* The running collect call (c != NULL while one runs). */
  exd_collect *c;
  size_t cur; /* index of the file being read */
  int open;   /* files[cur] is open: data, rd, cells valid */
  char *data; /* its contents */
  size_t len;
  csv_reader rd;
  char **cells; /* one pointer per header column */
  char *const **join_rows;
  csv_rowbuf rowbuf;
  size_t n_rows;     /* rows of the current file, header excluded */
  size_t n_records;  /* records the core accepted */
  size_t n_rejected; /* rows rejected here + records the core rejected */
  int status;        /* first failure, reported by collect_done */
} csv_state;

/* Read the instance config into s (host, inst set). Reports every problem
   with host->config_error; returns 0 or EXD_ECONFIG / -ENOMEM. */
int csv_conf_load(csv_state *s);
/* Free what csv_conf_load built (safe on a partly built state). */
void csv_conf_free(csv_state *s);

/* "dir/path" (path when absolute); malloc'd or NULL. */
char *csv_path_join(const char *dir, const char *path);

#endif
