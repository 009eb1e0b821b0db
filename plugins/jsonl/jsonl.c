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
 *
 * Only regular files are replaced. Before anything is written each target
 * is looked at (lstat): a missing one is created; a symbolic link that
 * resolves to a regular file is followed, and the file it resolves to is
 * replaced (temporary file in that file's directory, renamed over it), so
 * the link stays in place; anything else -- a directory, a FIFO, a device,
 * a socket, a link to one of those or a dangling link -- is refused with a
 * log line naming the path and what it is, and push finishes with
 * EXD_ECONFIG (-ENOENT for a dangling link) without writing anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
  const char *path; /* as configured: the name in every message */
  char *target;     /* the file replaced: path, or where its symbolic link
                       resolves to; owned */
  char *tmp;        /* "<target>.tmp.<pid>", owned */
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

/* What a file of this mode is, for "it is a ..." messages. */
static const char *file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "directory";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISFIFO(mode)) return "FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISLNK(mode)) return "symbolic link";
  return "special file";
}

/*
 * Set o->target to the file that writing o->path replaces, or refuse the
 * path (logged): see the top of this file. A path that cannot be looked at
 * (missing, or a missing directory on the way) is taken as it is: creating
 * the temporary file next to it reports the problem.
 */
static int file_target(jsonl *j, out_file *o, const char *path) {
  struct stat st;
  o->path = path;
  if (lstat(path, &st) < 0 || S_ISREG(st.st_mode)) {
    o->target = dup_str(path);
    return o->target ? 0 : -ENOMEM;
  }
  if (!S_ISLNK(st.st_mode)) {
    j->host->log(j->inst, EXD_LOG_ERROR,
                 "cannot write %s: it is a %s, not a regular file", path,
                 file_kind(st.st_mode));
    return EXD_ECONFIG;
  }
  char *real = realpath(path, NULL);
  if (!real) {
    int e = errno;
    char link[4096];
    ssize_t n = readlink(path, link, sizeof(link) - 1);
    link[n > 0 ? n : 0] = '\0';
    if (e == ENOENT) {
      j->host->log(j->inst, EXD_LOG_ERROR,
                   "cannot write %s: it is a symbolic link to %s, which does "
                   "not exist",
                   path, link);
      return -ENOENT;
    }
    return io_error(j, path, "resolve symbolic link", path, e);
  }
  if (stat(real, &st) < 0) {
    int rc = io_error(j, path, "stat", real, errno);
    free(real);
    return rc;
  }
  if (!S_ISREG(st.st_mode)) {
    j->host->log(j->inst, EXD_LOG_ERROR,
                 "cannot write %s: it is a symbolic link to %s, a %s, not a "
                 "regular file",
                 path, real, file_kind(st.st_mode));
    free(real);
    return EXD_ECONFIG;
  }
  o->target = real;
  return 0;
}

static int file_open(jsonl *j, out_file *o) {
  o->f = NULL;
  size_t n = strlen(o->target) + 32;
  o->tmp = malloc(n);
  if (!o->tmp) return -ENOMEM;
  snprintf(o->tmp, n, "%s.tmp.%ld", o->target, (long)getpid());
  int fd =
      open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    int rc = io_error(j, o->path, "create", o->tmp, errno);
    free(o->tmp);
    o->tmp = NULL; /* nothing to remove */
    return rc;
  }
  o->f = fdopen(fd, "w");
  if (!o->f) {
    int e = errno;
    close(fd);
    return io_error(j, o->path, "open", o->tmp, e);
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
  if (rename(o->tmp, o->target) < 0)
    return io_error(j, o->path, "rename", o->tmp, errno);
  free(o->tmp);
  o->tmp = NULL;
  /* Make the rename itself durable; a failure here loses nothing. */
  char *dir = dup_str(o->target);
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
  free(o->target);
  o->tmp = o->target = NULL;
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
  /* Every target is checked before anything is written. */
  if (js && (rc = file_target(j, js, j->path)) < 0) return rc;
  if (csv && (rc = file_target(j, csv, j->csv_path)) < 0) return rc;
  if (js && csv && strcmp(js->target, csv->target) == 0) {
    j->host->log(j->inst, EXD_LOG_ERROR,
                 "cannot write %s and %s: both are the file %s; set csv_path "
                 "to another file",
                 j->path, j->csv_path, js->target);
    return EXD_ECONFIG;
  }
  if (js && (rc = file_open(j, js)) < 0) return rc;
  if (csv && (rc = file_open(j, csv)) < 0) return rc;
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
