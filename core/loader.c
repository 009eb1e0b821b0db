/*
 * Plugin loader; see loader.h. The checks run in the order the header lists
 * them, and each failure produces one line that starts with the path.
 */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef EXD_PLUGINDIR
#error "EXD_PLUGINDIR must be defined (the Makefile passes -DEXD_PLUGINDIR)"
#endif

/* The descriptor size ABI 1.0 defines: everything up to and including
   destroy. Later minors only append, so this never changes. */
#define PLUGIN_SIZE_1_0 (offsetof(exd_plugin, destroy) + sizeof(void (*)(void)))
/* abi_major, abi_minor and struct_size: read before anything else. */
#define PLUGIN_HEADER_SIZE                                                     \
  (offsetof(exd_plugin, struct_size) + sizeof(uint32_t))

static const char rebuild_hint[] =
    "rebuild the plugin against this version's expansiond/plugin.h";

static int fail(char **err, int code, const char *path, const char *fmt, ...)
    EXD_FMT(4, 5);

static int fail(char **err, int code, const char *path, const char *fmt, ...) {
  sb b = {0};
  va_list ap;
  sb_printf(&b, "%s: ", path);
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  /* One line, whatever dlerror() or the plugin's strings contained. */
  for (size_t i = 0; i < b.len; i++)
    if (b.buf[i] == '\n' || b.buf[i] == '\r') b.buf[i] = ' ';
  *err = sb_steal(&b);
  return code;
}

/* The file's base name without a trailing ".so": malloc'd. */
static char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t n = strlen(base);
  if (n > 3 && strcmp(base + n - 3, ".so") == 0) n -= 3;
  return xstrndup(base, n);
}

static int check_file(const char *path, char **err) {
  struct stat st;
  if (stat(path, &st) < 0) {
    int e = errno;
    return fail(err, -e, path, "cannot load plugin: %s", strerror(e));
  }
  if (S_ISDIR(st.st_mode))
    return fail(err, -EISDIR, path,
                "cannot load plugin: is a directory, not a NAME.so file");
  if (!S_ISREG(st.st_mode))
    return fail(err, -EINVAL, path, "cannot load plugin: not a regular file");
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return fail(err, -EPERM, path,
                "refusing to load a plugin writable by group or others "
                "(mode %04o); chmod go-w %s",
                (unsigned)(st.st_mode & 07777), path);
  return 0;
}

/* Size of the symbol at addr as the ELF symbol table states it, or 0 when
   unknown. */
static size_t symbol_size(const void *addr) {
  Dl_info info;
  const ElfW(Sym) *sym = NULL;
  if (!dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym) return 0;
  return (size_t)sym->st_size;
}

/* Everything after the symbol was found. Returns 0 or a code with *err. */
static int check_descriptor(const char *path, const exd_plugin *d,
                            size_t sym_size, char **err) {
  if (sym_size && sym_size < PLUGIN_HEADER_SIZE)
    return fail(err, EXD_EABI, path,
                "'%s' is %zu bytes, too small to be a plugin descriptor; %s",
                EXD_PLUGIN_SYMBOL, sym_size, rebuild_hint);
  /* The three header fields, before anything else. */
  unsigned major = d->abi_major, minor = d->abi_minor;
  uint32_t size = d->struct_size;
  if (major != EXD_ABI_MAJOR || minor > EXD_ABI_MINOR)
    return fail(err, EXD_EABI, path,
                "plugin ABI %u.%u is not supported by this expansiond "
                "(ABI %d.%d); %s",
                major, minor, EXD_ABI_MAJOR, EXD_ABI_MINOR, rebuild_hint);
  if (size < PLUGIN_SIZE_1_0)
    return fail(err, EXD_EABI, path,
                "plugin descriptor is %" PRIu32 " bytes, smaller than the %zu "
                "bytes of ABI %d.0; %s",
                size, (size_t)PLUGIN_SIZE_1_0, EXD_ABI_MAJOR, rebuild_hint);
  if (sym_size && sym_size < size)
    return fail(err, EXD_EABI, path,
                "plugin descriptor claims %" PRIu32 " bytes but '%s' is only "
                "%zu bytes; %s",
                size, EXD_PLUGIN_SYMBOL, sym_size, rebuild_hint);

  if (!d->name || !*d->name)
    return fail(err, EXD_EPLUGIN, path, "plugin descriptor has no name");
  char *base = base_name(path);
  int same = strcmp(base, d->name) == 0;
  if (!same) {
    int rc = fail(err, EXD_EPLUGIN, path,
                  "plugin calls itself '%s' but the file is named '%s.so'; "
                  "rename the file to %s.so",
                  d->name, base, d->name);
    free(base);
    return rc;
  }
  free(base);
  if (!d->init)
    return fail(err, EXD_EPLUGIN, path, "plugin '%s' has no init function",
                d->name);
  if (!d->destroy)
    return fail(err, EXD_EPLUGIN, path, "plugin '%s' has no destroy function",
                d->name);
  unsigned caps = d->capabilities;
  unsigned known = EXD_CAP_SOURCE | EXD_CAP_SINK;
  if (caps & ~known)
    return fail(err, EXD_EPLUGIN, path,
                "plugin '%s' declares unknown capability bits 0x%x", d->name,
                caps & ~known);
  if (!(caps & known))
    return fail(err, EXD_EPLUGIN, path,
                "plugin '%s' declares neither the source nor the sink "
                "capability",
                d->name);
  if ((caps & EXD_CAP_SOURCE) && !d->collect)
    return fail(err, EXD_EPLUGIN, path,
                "plugin '%s' declares the source capability but has no "
                "collect function",
                d->name);
  if ((caps & EXD_CAP_SINK) && !d->push)
    return fail(err, EXD_EPLUGIN, path,
                "plugin '%s' declares the sink capability but has no push "
                "function",
                d->name);
  return 0;
}

int loader_open(const char *path, loaded_plugin **out, char **err) {
  *out = NULL;
  *err = NULL;
  int rc = check_file(path, err);
  if (rc < 0) return rc;

  /* dlopen searches the library path for a name without a slash. */
  char *open_path = strchr(path, '/') ? xstrdup(path) : xasprintf("./%s", path);
  dlerror();
  void *handle = dlopen(open_path, RTLD_NOW | RTLD_LOCAL);
  free(open_path);
  if (!handle) {
    const char *why = dlerror();
    if (!why) why = "unknown dlopen error";
    /* dlerror() usually repeats the path: say it once. */
    size_t n = strlen(path);
    if (strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
      why += n + 2;
    else if (strncmp(why, "./", 2) == 0 && strncmp(why + 2, path, n) == 0 &&
             strncmp(why + 2 + n, ": ", 2) == 0)
      why += n + 4;
    return fail(err, EXD_EPLUGIN, path, "cannot load plugin: %s", why);
  }

  dlerror();
  const exd_plugin *desc = dlsym(handle, EXD_PLUGIN_SYMBOL);
  if (!desc) {
    rc = fail(err, EXD_ENOENTRY, path,
              "no '%s' symbol; is this an expansiond plugin?",
              EXD_PLUGIN_SYMBOL);
    goto fail;
  }
  rc = check_descriptor(path, desc, symbol_size(desc), err);
  if (rc < 0) goto fail;

  loaded_plugin *p = xcalloc(1, sizeof(*p));
  p->path = xstrdup(path);
  p->handle = handle;
  p->desc = desc;
  *out = p;
  return 0;

fail:
  dlclose(handle);
  return rc;
}

void loader_close(loaded_plugin *p) {
  if (!p) return;
  if (p->handle) dlclose(p->handle);
  free(p->path);
  free(p);
}

char *loader_plugin_path(const char *dir, const char *name) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    n--;
  if (n == 0) return xasprintf("%s.so", name);
  return xasprintf("%.*s%s%s.so", (int)n, dir, dir[n - 1] == '/' ? "" : "/",
                   name);
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *loader_default_dir(const char *configured) {
  if (configured && *configured) return xstrdup(configured);
  const char *env = getenv("EXPANSIOND_PLUGIN_DIR");
  if (env && *env) return xstrdup(env);

  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      char *dir = xasprintf("%s/plugins", exe);
      if (is_dir(dir)) return dir;
      free(dir);
    }
  }
  return xstrdup(EXD_PLUGINDIR);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int loader_scan(const char *dir, char ***paths, size_t *n) {
  *paths = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) return -errno;
  VEC(char *) v = {0};
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    const char *name = e->d_name;
    size_t len = strlen(name);
    if (name[0] == '.' || len <= 3 || strcmp(name + len - 3, ".so") != 0)
      continue;
    char *stem = xstrndup(name, len - 3);
    VEC_PUSH(&v, loader_plugin_path(dir, stem));
    free(stem);
    errno = 0;
  }
  int rc = errno ? -errno : 0;
  closedir(d);
  if (rc < 0) {
    for (size_t i = 0; i < v.n; i++)
      free(v.v[i]);
    free(v.v);
    return rc;
  }
  if (v.n) qsort(v.v, v.n, sizeof(*v.v), cmp_str);
  *paths = v.v;
  *n = v.n;
  return 0;
}
