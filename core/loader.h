/*
 * Plugin loader: dlopen(RTLD_NOW|RTLD_LOCAL) a NAME.so, find the descriptor,
 * check its ABI before reading anything else, check the file's permissions.
 * Instances (init/destroy, config validation) are the host's job (host.h).
 */
#ifndef EXD_LOADER_H
#define EXD_LOADER_H

#include "expansiond/plugin.h"

typedef struct loaded_plugin {
  char *path;             /* owned */
  void *handle;           /* dlopen handle, owned */
  const exd_plugin *desc; /* inside the mapped object; valid until close */
} loaded_plugin;

/*
 * Load path. Checks, in order: the file exists and is a regular file; it is
 * not writable by group or others; dlopen succeeds (dlerror text kept); the
 * EXD_PLUGIN_SYMBOL symbol exists; abi_major equals EXD_ABI_MAJOR and
 * abi_minor is not newer than EXD_ABI_MINOR (the message names both
 * versions); struct_size is at least the size ABI 1.0 defines; name is set
 * and equals the file's base name without ".so"; init and destroy are set;
 * capabilities are SOURCE and/or SINK with collect / push set accordingly.
 * Returns 0 and *out (caller closes), or a negative code (-ENOENT,
 * -EPERM, EXD_ENOENTRY, EXD_EABI, EXD_EPLUGIN) with *err set to a malloc'd
 * one-line message that starts with the path.
 */
int loader_open(const char *path, loaded_plugin **out, char **err);
/* dlclose and free; NULL is fine. */
void loader_close(loaded_plugin *p);

/* DIR/NAME.so, malloc'd. */
char *loader_plugin_path(const char *dir, const char *name);

/*
 * The plugin directory to use: configured (from the config's plugin_dir)
 * when non-NULL, else $EXPANSIOND_PLUGIN_DIR, else "plugins" beside the
 * running executable (/proc/self/exe) when that directory exists, else the
 * compile-time EXD_PLUGINDIR. malloc'd.
 */
char *loader_default_dir(const char *configured);

/* Sorted list of NAME.so paths in dir (malloc'd array of malloc'd strings,
 *n entries). Returns 0 or -errno. */
int loader_scan(const char *dir, char ***paths, size_t *n);

#endif
