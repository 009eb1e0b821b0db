/*
 * The `jsonl` sink: writes every ranked opportunity to a JSON Lines file
 * (one object per line, the schema of `run --format json`) and/or a CSV
 * file (the columns of `run --format csv`), in rank order. The text comes
 * from host->format_result, so the files always match the CLI's output.
 *
 * JSON Lines go to `path`, CSV to `csv_path`. Each file is replaced
 * atomically: written to "<file>.tmp.<pid>", fsync'ed, renamed over the
 * file. With format both, both temporary files are complete before either
 * is renamed. On any error the temporary files are removed, the error is
 * logged with the path and strerror, and push finishes with -errno; an
 * existing file is only ever replaced by a complete one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expansiond/plugin.h"

static const char *const formats[] = {"jsonl", "csv", "both", NULL};

static const exd_config_key jsonl_keys[] = {
    {"path", EXD_CFG_PATH, EXD_CFG_REQUIRED, NULL,
     "JSON Lines file to write (replaced atomically on every run)", NULL, 0, 0,
     0, NULL},
    {"format", EXD_CFG_STRING, 0, "jsonl",
     "jsonl (path), csv (csv_path) or both", NULL, 0, 0, 0, formats},
    {"csv_path", EXD_CFG_PATH, 0, NULL,
     "CSV file to write (default: path with its extension replaced by .csv)",
     NULL, 0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

typedef struct jsonl {
  const exd_host_api *host;
  exd_instance *inst;
  int want_json, want_csv;
  char *path;     /* owned */
  char *csv_path; /* owned */
} jsonl;

/* One output file being written. */
typedef struct out_file {
  const char *path; /* final name */
  char *tmp;        /* "<path>.tmp.<pid>", owned */
  FILE *f;
} out_file;

/* path with its extension (after the last '/') replaced by ".csv". */
static char *csv_default(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t keep = dot && dot != base ? (size_t)(dot - path) : strlen(path);
  char *s = malloc(keep + 5);
  if (!s) return NULL;
  memcpy(s, path, keep);
  memcpy(s + keep, ".csv", 5);
  return s;
}

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static void jsonl_destroy(void *state) {
  jsonl *j = state;
  if (!j) return;
  free(j->path);
  free(j->csv_path);
  free(j);
}

static int jsonl_init(const exd_host_api *host, exd_instance *inst,
                      void **state) {
  const exd_node *cfg = host->config(inst);
  const exd_node *path_node = host->node_get(cfg, "path");
  const exd_node *csv_node = host->node_get(cfg, "csv_path");
  const char *path = host->node_str(path_node);
  const char *format = host->node_str(host->node_get(cfg, "format"));
  const char *csv = host->node_str(csv_node);
  if (!path || !*path) {
    host->config_error(inst, path_node, "path: a file name is required");
    return EXD_ECONFIG;
  }
  if (!format) format = "jsonl";
  jsonl *j = calloc(1, sizeof(*j));
  if (!j) return -ENOMEM;
  j->host = host;
  j->inst = inst;
  j->want_json = strcmp(format, "csv") != 0;
  j->want_csv = strcmp(format, "jsonl") != 0;
  j->path = dup_str(path);
  j->csv_path = csv && *csv ? dup_str(csv) : csv_default(path);
  if (!j->path || !j->csv_path) {
    jsonl_destroy(j);
    return -ENOMEM;
  }
  if (j->want_json && j->want_csv && strcmp(j->path, j->csv_path) == 0) {
    host->config_error(inst, csv_node ? csv_node : path_node,
                       "csv_path: %s is also the JSON Lines path; with "
                       "format both, set csv_path to another file",
                       j->csv_path);
    jsonl_destroy(j);
    return EXD_ECONFIG;
  }
  *state = j;
  return 0;
}

/* Log "cannot write PATH: OP FILE: strerror" and return -e. */
static int io_error(jsonl *j, const char *path, const char *op,
                    const char *file, int e) {
  j->host->log(j->inst, EXD_LOG_ERROR, "cannot write %s: %s %s: %s", path, op,
               file, j->host->strerror(-e));
  return -e;
}

static int file_open(jsonl *j, out_file *o, const char *path) {
  o->path = path;
  o->f = NULL;
  size_t n = strlen(path) + 32;
  o->tmp = malloc(n);
  if (!o->tmp) return -ENOMEM;
  snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  int fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int rc = io_error(j, path, "create", o->tmp, errno);
    free(o->tmp);
    o->tmp = NULL; /* nothing to remove */
    return rc;
  }
  o->f = fdopen(fd, "w");
  if (!o->f) {
    int e = errno;
    close(fd);
    return io_error(j, path, "open", o->tmp, e);
  }
  return 0;
}

/* One line: JSON Lines end in LF, CSV rows in CRLF (RFC 4180, like
   `expansiond run --format csv`). */
static int file_line(jsonl *j, out_file *o, const char *text, const char *eol) {
  if (fputs(text, o->f) == EOF || fputs(eol, o->f) == EOF)
    return io_error(j, o->path, "write", o->tmp, errno ? errno : EIO);
  return 0;
}

/* Flush, fsync and close; the temp file stays until rename or discard. */
static int file_finish(jsonl *j, out_file *o) {
  FILE *f = o->f;
  o->f = NULL;
  if (fflush(f) == EOF) {
    int e = errno ? errno : EIO;
    fclose(f);
    return io_error(j, o->path, "write", o->tmp, e);
  }
  if (fsync(fileno(f)) < 0) {
    int e = errno;
    fclose(f);
    return io_error(j, o->path, "fsync", o->tmp, e);
  }
  if (fclose(f) == EOF) return io_error(j, o->path, "close", o->tmp, errno);
  return 0;
}

static int file_commit(jsonl *j, out_file *o) {
  if (rename(o->tmp, o->path) < 0)
    return io_error(j, o->path, "rename", o->tmp, errno);
  free(o->tmp);
  o->tmp = NULL;
  /* Make the rename itself durable; a failure here loses nothing. */
  char *dir = dup_str(o->path);
  if (dir) {
    char *slash = strrchr(dir, '/');
    if (slash) slash[slash == dir ? 1 : 0] = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      fsync(fd);
      close(fd);
    }
    free(dir);
  }
  return 0;
}

static void file_discard(out_file *o) {
  if (o->f) fclose(o->f);
  o->f = NULL;
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  o->tmp = NULL;
}

/* The text of result i in fmt, or NULL after logging. */
static const char *result_text(jsonl *j, exd_push *p, size_t i, int fmt) {
  const char *s = j->host->format_result(p, i, fmt);
  if (!s)
    j->host->log(j->inst, EXD_LOG_ERROR,
                 "result %zu: the host returned no %s text", i + 1,
                 fmt == EXD_FMT_JSON ? "JSON" : "CSV");
  return s;
}

static int write_all(jsonl *j, exd_push *p, out_file *js, out_file *csv) {
  size_t n = j->host->result_count(p);
  int rc = 0;
  if (js && (rc = file_open(j, js, j->path)) < 0) return rc;
  if (csv && (rc = file_open(j, csv, j->csv_path)) < 0) return rc;
  if (csv) {
    const char *h = result_text(j, p, 0, EXD_FMT_CSV_HEADER);
    if (!h) return EXD_EPLUGIN;
    if ((rc = file_line(j, csv, h, "\r\n")) < 0) return rc;
  }
  for (size_t i = 0; i < n; i++) {
    if (js) {
      const char *s = result_text(j, p, i, EXD_FMT_JSON);
      if (!s) return EXD_EPLUGIN;
      if ((rc = file_line(j, js, s, "\n")) < 0) return rc;
    }
    if (csv) {
      const char *s = result_text(j, p, i, EXD_FMT_CSV);
      if (!s) return EXD_EPLUGIN;
      if ((rc = file_line(j, csv, s, "\r\n")) < 0) return rc;
    }
  }
  if (js && (rc = file_finish(j, js)) < 0) return rc;
  if (csv && (rc = file_finish(j, csv)) < 0) return rc;
  if (js && (rc = file_commit(j, js)) < 0) return rc;
  if (csv && (rc = file_commit(j, csv)) < 0) return rc;
  j->host->log(j->inst, EXD_LOG_INFO, "wrote %zu opportunities to %s%s%s", n,
               js ? j->path : "", js && csv ? " and " : "",
               csv ? j->csv_path : "");
  return 0;
}

static int jsonl_push(void *state, exd_push *p) {
  jsonl *j = state;
  out_file js = {0}, csv = {0};
  int rc =
      write_all(j, p, j->want_json ? &js : NULL, j->want_csv ? &csv : NULL);
  file_discard(&js);
  file_discard(&csv);
  j->host->push_done(p, rc);
  return 0;
}

EXD_PLUGIN_DEFINE("jsonl", "1.0.0",
                  "writes every ranked opportunity to a JSON Lines and/or CSV "
                  "file",
                  EXD_CAP_SINK, jsonl_keys, jsonl_init, NULL, jsonl_push,
                  jsonl_destroy);
