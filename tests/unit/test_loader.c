/*
 * Loader tests against the fixture plugins in $EXD_FIXTURE_DIR (built from
 * the C files in tests/fixtures/plugins). Every refusal is checked for its
 * exact message and code, and for leaving nothing loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader.h"
#include "util.h"

static const char *fixture_dir(void) {
  const char *d = getenv("EXD_FIXTURE_DIR");
  if (!d || !*d) {
    print_message("SKIP: EXD_FIXTURE_DIR is not set (run via tests/run-tests)"
                  "\n");
    skip();
  }
  return d;
}

static char *fixture(const char *name) {
  return loader_plugin_path(fixture_dir(), name);
}

static int is_loaded(const char *path) {
  void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  if (h) dlclose(h);
  return h != NULL;
}

/* loader_open(path) must fail with code and exactly "PATH: rest". */
static void expect_refusal(const char *path, int code, const char *rest) {
  loaded_plugin *p = (loaded_plugin *)1;
  char *err = NULL;
  int rc = loader_open(path, &p, &err);
  assert_int_equal(rc, code);
  assert_null(p);
  assert_non_null(err);
  char *want = xasprintf("%s: %s", path, rest);
  assert_string_equal(err, want);
  assert_null(strchr(err, '\n'));
  free(want);
  free(err);
  assert_false(is_loaded(path));
}

static void expect_fixture_refusal(const char *name, int code,
                                   const char *rest) {
  char *path = fixture(name);
  expect_refusal(path, code, rest);
  free(path);
}

static void test_good_loads(void **state) {
  (void)state;
  char *path = fixture("good");
  loaded_plugin *p = NULL;
  char *err = NULL;
  assert_int_equal(loader_open(path, &p, &err), 0);
  assert_null(err);
  assert_non_null(p);
  assert_string_equal(p->path, path);
  assert_non_null(p->handle);
  assert_string_equal(p->desc->name, "good");
  assert_string_equal(p->desc->version, "1.0.0");
  assert_int_equal(p->desc->abi_major, EXD_ABI_MAJOR);
  assert_int_equal(p->desc->capabilities, EXD_CAP_SOURCE | EXD_CAP_SINK);
  assert_non_null(p->desc->config_keys);
  assert_string_equal(p->desc->config_keys[0].name, "greeting");
  assert_int_equal(p->desc->config_keys[0].flags, EXD_CFG_REQUIRED);
  assert_true(is_loaded(path));
  loader_close(p);
  assert_false(is_loaded(path));
  loader_close(NULL);
  free(path);
}

static void test_wrong_abi(void **state) {
  (void)state;
  expect_fixture_refusal(
      "wrong_abi", EXD_EABI,
      "plugin ABI 99.0 is not supported by this expansiond (ABI 1.0); "
      "rebuild the plugin against this version's expansiond/plugin.h");
}

static void test_newer_minor(void **state) {
  (void)state;
  char rest[200];
  snprintf(rest, sizeof(rest),
           "plugin ABI %d.%d is not supported by this expansiond (ABI %d.%d); "
           "rebuild the plugin against this version's expansiond/plugin.h",
           EXD_ABI_MAJOR, EXD_ABI_MINOR + 1, EXD_ABI_MAJOR, EXD_ABI_MINOR);
  expect_fixture_refusal("newer_minor", EXD_EABI, rest);
}

static void test_small_struct(void **state) {
  (void)state;
  char rest[200];
  snprintf(rest, sizeof(rest),
           "plugin descriptor is 8 bytes, smaller than the %zu bytes of ABI "
           "1.0; rebuild the plugin against this version's "
           "expansiond/plugin.h",
           offsetof(exd_plugin, destroy) + sizeof(void *));
  expect_fixture_refusal("small_struct", EXD_EABI, rest);
  /* ABI 1.0's descriptor on x86-64 and other LP64 targets. */
  if (sizeof(void *) == 8)
    assert_int_equal(offsetof(exd_plugin, destroy) + sizeof(void *), 80);
}

static void test_tiny_symbol(void **state) {
  (void)state;
  expect_fixture_refusal(
      "tiny_symbol", EXD_EABI,
      "'expansiond_plugin' is 2 bytes, too small to be a plugin descriptor; "
      "rebuild the plugin against this version's expansiond/plugin.h");
}

static void test_no_entry(void **state) {
  (void)state;
  expect_fixture_refusal(
      "no_entry", EXD_ENOENTRY,
      "no 'expansiond_plugin' symbol; is this an expansiond plugin?");
}

static void test_name_mismatch(void **state) {
  (void)state;
  expect_fixture_refusal("name_mismatch", EXD_EPLUGIN,
                         "plugin calls itself 'other_name' but the file is "
                         "named 'name_mismatch.so'; rename the file to "
                         "other_name.so");
}

static void test_no_collect(void **state) {
  (void)state;
  expect_fixture_refusal("no_collect", EXD_EPLUGIN,
                         "plugin 'no_collect' declares the source capability "
                         "but has no collect function");
}

static void test_no_push(void **state) {
  (void)state;
  expect_fixture_refusal("no_push", EXD_EPLUGIN,
                         "plugin 'no_push' declares the sink capability but "
                         "has no push function");
}

static void test_no_caps(void **state) {
  (void)state;
  expect_fixture_refusal("no_caps", EXD_EPLUGIN,
                         "plugin 'no_caps' declares neither the source nor "
                         "the sink capability");
}

static void test_no_init(void **state) {
  (void)state;
  expect_fixture_refusal("no_init", EXD_EPLUGIN,
                         "plugin 'no_init' has no init function");
}

static void test_undefined_symbol(void **state) {
  (void)state;
  expect_fixture_refusal(
      "undefined_symbol", EXD_EPLUGIN,
      "cannot load plugin: undefined symbol: exd_fixture_undefined_function");
}

/* The fixtures that the loader accepts (their failures are the host's). */
static void test_host_fixtures_load(void **state) {
  (void)state;
  const char *names[] = {"init_fails", "garbage"};
  for (size_t i = 0; i < EXD_ARRAY_LEN(names); i++) {
    char *path = fixture(names[i]);
    loaded_plugin *p = NULL;
    char *err = NULL;
    assert_int_equal(loader_open(path, &p, &err), 0);
    assert_null(err);
    assert_string_equal(p->desc->name, names[i]);
    assert_int_equal(p->desc->capabilities, EXD_CAP_SOURCE);
    loader_close(p);
    free(path);
  }
}

static void test_missing_file(void **state) {
  (void)state;
  char *path = fixture("does_not_exist");
  expect_refusal(path, -ENOENT,
                 "cannot load plugin: No such file or directory");
  free(path);
}

/* A private temp dir with a copy of good.so at mode `mode`. */
static char *copy_good(char *dir_out, size_t dir_size, mode_t mode) {
  char *src = fixture("good");
  snprintf(dir_out, dir_size, "/tmp/exd-loader-XXXXXX");
  assert_non_null(mkdtemp(dir_out));
  char *dst = loader_plugin_path(dir_out, "good");
  char *data = NULL;
  size_t len = 0;
  assert_int_equal(read_file(src, &data, &len), 0);
  int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
  assert_int_equal(chmod(dst, mode), 0);
  free(data);
  free(src);
  return dst;
}

static void remove_copy(const char *dir, char *path) {
  unlink(path);
  rmdir(dir);
  free(path);
}

static void test_permissions(void **state) {
  (void)state;
  static const struct {
    mode_t mode;
    const char *text; /* NULL: accepted */
  } cases[] = {
      {0666, "0666"}, {0775, "0775"}, {0757, "0757"}, {0620, "0620"},
      {0755, NULL},   {0700, NULL},   {0644, NULL},   {0555, NULL},
  };
  for (size_t i = 0; i < EXD_ARRAY_LEN(cases); i++) {
    char dir[64];
    char *path = copy_good(dir, sizeof(dir), cases[i].mode);
    if (cases[i].text) {
      char *rest = xasprintf("refusing to load a plugin writable by group or "
                             "others (mode %s); chmod go-w %s",
                             cases[i].text, path);
      expect_refusal(path, -EPERM, rest);
      free(rest);
    } else {
      loaded_plugin *p = NULL;
      char *err = NULL;
      assert_int_equal(loader_open(path, &p, &err), 0);
      assert_null(err);
      assert_string_equal(p->desc->name, "good");
      loader_close(p);
    }
    remove_copy(dir, path);
  }
}

static void test_directory(void **state) {
  (void)state;
  char dir[64];
  snprintf(dir, sizeof(dir), "/tmp/exd-loader-XXXXXX");
  assert_non_null(mkdtemp(dir));
  char *sub = loader_plugin_path(dir, "good");
  assert_int_equal(mkdir(sub, 0755), 0);
  expect_refusal(sub, -EISDIR,
                 "cannot load plugin: is a directory, not a NAME.so file");
  rmdir(sub);
  rmdir(dir);
  free(sub);
}

static void test_relative_path(void **state) {
  (void)state;
  const char *dir = fixture_dir();
  char cwd[4096];
  assert_non_null(getcwd(cwd, sizeof(cwd)));
  assert_int_equal(chdir(dir), 0);
  /* A bare name must be the file in the current directory, not a search of
     the library path. */
  loaded_plugin *p = NULL;
  char *err = NULL;
  int rc = loader_open("good.so", &p, &err);
  char *err2 = NULL;
  loaded_plugin *p2 = NULL;
  int rc2 = loader_open("wrong_abi.so", &p2, &err2);
  assert_int_equal(chdir(cwd), 0);
  assert_int_equal(rc, 0);
  assert_string_equal(p->path, "good.so");
  assert_string_equal(p->desc->name, "good");
  loader_close(p);
  assert_int_equal(rc2, EXD_EABI);
  assert_null(p2);
  assert_string_equal(err2, "wrong_abi.so: plugin ABI 99.0 is not supported "
                            "by this expansiond (ABI 1.0); rebuild the "
                            "plugin against this version's "
                            "expansiond/plugin.h");
  free(err2);
}

static void test_plugin_path(void **state) {
  (void)state;
  char *s = loader_plugin_path("/usr/lib/x", "csv");
  assert_string_equal(s, "/usr/lib/x/csv.so");
  free(s);
  s = loader_plugin_path("/usr/lib/x//", "csv");
  assert_string_equal(s, "/usr/lib/x/csv.so");
  free(s);
  s = loader_plugin_path("/", "csv");
  assert_string_equal(s, "/csv.so");
  free(s);
  s = loader_plugin_path("rel", "sample");
  assert_string_equal(s, "rel/sample.so");
  free(s);
}

static void touch(const char *dir, const char *name) {
  char *p = xasprintf("%s/%s", dir, name);
  int fd = open(p, O_WRONLY | O_CREAT, 0644);
  assert_true(fd >= 0);
  close(fd);
  free(p);
}

static void test_scan(void **state) {
  (void)state;
  char dir[64];
  snprintf(dir, sizeof(dir), "/tmp/exd-loader-XXXXXX");
  assert_non_null(mkdtemp(dir));
  const char *files[] = {"zeta.so",   "alpha.so",   "csv.so",
                         "notes.txt", ".hidden.so", ".so",
                         "b.so.1",    "B.so",       "mid.so"};
  for (size_t i = 0; i < EXD_ARRAY_LEN(files); i++)
    touch(dir, files[i]);
  char **paths = NULL;
  size_t n = 99;
  assert_int_equal(loader_scan(dir, &paths, &n), 0);
  const char *want[] = {"B.so", "alpha.so", "csv.so", "mid.so", "zeta.so"};
  assert_int_equal(n, EXD_ARRAY_LEN(want));
  for (size_t i = 0; i < n; i++) {
    char *w = xasprintf("%s/%s", dir, want[i]);
    assert_string_equal(paths[i], w);
    free(w);
    free(paths[i]);
  }
  free(paths);
  for (size_t i = 0; i < EXD_ARRAY_LEN(files); i++) {
    char *p = xasprintf("%s/%s", dir, files[i]);
    unlink(p);
    free(p);
  }
  /* Empty directory: no entries, no error. */
  paths = (char **)1;
  assert_int_equal(loader_scan(dir, &paths, &n), 0);
  assert_int_equal(n, 0);
  assert_null(paths);
  rmdir(dir);
  /* Missing directory. */
  assert_int_equal(loader_scan(dir, &paths, &n), -ENOENT);
  assert_int_equal(n, 0);
  assert_null(paths);
}

static void test_scan_fixtures(void **state) {
  (void)state;
  const char *dir = fixture_dir();
  char **paths = NULL;
  size_t n = 0;
  assert_int_equal(loader_scan(dir, &paths, &n), 0);
  assert_true(n >= 14);
  for (size_t i = 0; i < n; i++) {
    assert_true(str_has_suffix(paths[i], ".so"));
    if (i) assert_true(strcmp(paths[i - 1], paths[i]) < 0);
  }
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
}

static void test_default_dir_configured_and_env(void **state) {
  (void)state;
  const char *old = getenv("EXPANSIOND_PLUGIN_DIR");
  char *saved = old ? xstrdup(old) : NULL;

  setenv("EXPANSIOND_PLUGIN_DIR", "/from/env", 1);
  char *d = loader_default_dir("/from/config");
  assert_string_equal(d, "/from/config");
  free(d);
  d = loader_default_dir(NULL);
  assert_string_equal(d, "/from/env");
  free(d);
  /* An empty configured value or variable counts as unset. */
  d = loader_default_dir("");
  assert_string_equal(d, "/from/env");
  free(d);
  setenv("EXPANSIOND_PLUGIN_DIR", "", 1);
  unsetenv("EXPANSIOND_PLUGIN_DIR");
  d = loader_default_dir(NULL);
  /* This binary has no plugins/ beside it unless someone made one. */
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  assert_true(n > 0);
  exe[n] = '\0';
  *strrchr(exe, '/') = '\0';
  char *beside = xasprintf("%s/plugins", exe);
  struct stat st;
  if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
    assert_string_equal(d, beside);
  else
    assert_string_equal(d, EXD_PLUGINDIR);
  free(beside);
  free(d);

  if (saved) {
    setenv("EXPANSIOND_PLUGIN_DIR", saved, 1);
    free(saved);
  }
}

/* The executable-relative rule: run a copy of this binary from a temp dir
   with a plugins/ directory beside it, then without one. */
static char *run_copy_default_dir(const char *bin) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    unsetenv("EXPANSIOND_PLUGIN_DIR");
    execl(bin, bin, "--print-default-dir", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  sb out = {0};
  char buf[512];
  ssize_t r;
  while ((r = read(fds[0], buf, sizeof(buf))) > 0)
    sb_putn(&out, buf, (size_t)r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  return sb_steal(&out);
}

static void test_default_dir_beside_exe(void **state) {
  (void)state;
  char dir[64];
  snprintf(dir, sizeof(dir), "/tmp/exd-loader-XXXXXX");
  assert_non_null(mkdtemp(dir));
  char *bin = xasprintf("%s/test_loader", dir);
  char *data = NULL;
  size_t len = 0;
  assert_int_equal(read_file("/proc/self/exe", &data, &len), 0);
  int fd = open(bin, O_WRONLY | O_CREAT | O_EXCL, 0755);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
  free(data);

  char *plugins = xasprintf("%s/plugins", dir);
  char *want = xasprintf("%s\n", plugins);
  char *got = run_copy_default_dir(bin);
  assert_string_equal(got, EXD_PLUGINDIR "\n");
  free(got);
  assert_int_equal(mkdir(plugins, 0755), 0);
  got = run_copy_default_dir(bin);
  assert_string_equal(got, want);
  free(got);
  /* A plain file named plugins is not a plugin directory. */
  rmdir(plugins);
  touch(dir, "plugins");
  got = run_copy_default_dir(bin);
  assert_string_equal(got, EXD_PLUGINDIR "\n");
  free(got);

  unlink(plugins);
  unlink(bin);
  rmdir(dir);
  free(want);
  free(plugins);
  free(bin);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--print-default-dir") == 0) {
    char *d = loader_default_dir(NULL);
    printf("%s\n", d);
    free(d);
    return 0;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_loads),
      cmocka_unit_test(test_wrong_abi),
      cmocka_unit_test(test_newer_minor),
      cmocka_unit_test(test_small_struct),
      cmocka_unit_test(test_tiny_symbol),
      cmocka_unit_test(test_no_entry),
      cmocka_unit_test(test_name_mismatch),
      cmocka_unit_test(test_no_collect),
      cmocka_unit_test(test_no_push),
      cmocka_unit_test(test_no_caps),
      cmocka_unit_test(test_no_init),
      cmocka_unit_test(test_undefined_symbol),
      cmocka_unit_test(test_host_fixtures_load),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_permissions),
      cmocka_unit_test(test_directory),
      cmocka_unit_test(test_relative_path),
      cmocka_unit_test(test_plugin_path),
      cmocka_unit_test(test_scan),
      cmocka_unit_test(test_scan_fixtures),
      cmocka_unit_test(test_default_dir_configured_and_env),
      cmocka_unit_test(test_default_dir_beside_exe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
