/*
 * expansiond command line: run, account, check, plugins (serve is reserved
 * for the daemon). Exit codes follow sysexits.h: 64 usage, 65 bad data, 66
 * missing input, 70 internal error, 74 output error, 78 config error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cycle.h"
#include "date.h"
#include "err.h"
#include "loader.h"
#include "log.h"
#include "report.h"

#ifndef EXD_VERSION
#define EXD_VERSION "0.0.0"
#endif
#ifndef EXD_SYSCONFDIR
#define EXD_SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG EXD_SYSCONFDIR "/expansiond/expansiond.yaml"

static const char usage_text[] =
    "usage: expansiond COMMAND [OPTIONS]\n"
    "\n"
    "Finds revenue expansion (upsell, cross-sell, seat expansion, new use "
    "case)\n"
    "in a B2B SaaS installed base and ranks it by expected value.\n"
    "\n"
    "commands:\n"
    "  run      -c FILE [--top N] [--format table|json|csv] [--as-of DATE] "
    "[--strict]\n"
    "           one full cycle: collect, merge, score, rank, hand results to "
    "the\n"
    "           sinks; prints the top N opportunities\n"
    "  account  -c FILE [--format text|json] [--as-of DATE] NAME_OR_ID\n"
    "           one account in full: data, signals with evidence, components,\n"
    "           every opportunity with reasons, timing and business case, and\n"
    "           its most similar customers\n"
    "  check    -c FILE\n"
    "           validate the config, load and initialise the plugins it "
    "names,\n"
    "           print the effective merged config (secrets masked)\n"
    "  plugins  [-c FILE] [--keys]\n"
    "           list the plugins found (version, ABI, capabilities); --keys\n"
    "           prints the config key reference of the core and every plugin\n"
    "  serve    -c FILE\n"
    "           the daemon (reserved; not in this version)\n"
    "\n"
    "options:\n"
    "  -c, --config FILE   config file (default " DEFAULT_CONFIG ")\n"
    "  -n, --top N         how many opportunities to print (default: "
    "output.top)\n"
    "  -f, --format FMT    output format\n"
    "      --as-of DATE    score as of DATE (YYYY-MM-DD; default: config "
    "as_of,\n"
    "                      else today); facts dated later are ignored\n"
    "      --strict        exit 65 when any input record was rejected\n"
    "      --stats         print timings and counts to stderr\n"
    "  -v, --verbose       debug logging;  -q, --quiet  errors only\n"
    "  -h, --help          this text;      -V, --version\n"
    "\n"
    "exit codes: 0 ok, 64 usage, 65 bad or no data, 66 missing input,\n"
    "            70 internal error, 74 output error, 78 config error\n";

struct opts {
  const char *command;
  const char *config;
  const char *format;
  const char *as_of;
  const char *account;
  long top;
  int strict, stats, keys, verbose, quiet;
};

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "expansiond: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'expansiond --help'.\n");
  return EXIT_USAGE_;
}

static int parse_args(int argc, char **argv, struct opts *o) {
  enum { OPT_AS_OF = 256, OPT_STRICT, OPT_STATS, OPT_KEYS };
  static const struct option longopts[] = {
      {"config", required_argument, NULL, 'c'},
      {"top", required_argument, NULL, 'n'},
      {"format", required_argument, NULL, 'f'},
      {"as-of", required_argument, NULL, OPT_AS_OF},
      {"strict", no_argument, NULL, OPT_STRICT},
      {"stats", no_argument, NULL, OPT_STATS},
      {"keys", no_argument, NULL, OPT_KEYS},
      {"verbose", no_argument, NULL, 'v'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+c:n:f:vqhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': o->config = optarg; break;
    case 'n': {
      char *end;
      errno = 0;
      o->top = strtol(optarg, &end, 10);
      if (errno || *end || o->top < 1)
        return usage_error("--top needs a positive number, not '%s'", optarg);
      break;
    }
    case 'f': o->format = optarg; break;
    case OPT_AS_OF: o->as_of = optarg; break;
    case OPT_STRICT: o->strict = 1; break;
    case OPT_STATS: o->stats = 1; break;
    case OPT_KEYS: o->keys = 1; break;
    case 'v': o->verbose = 1; break;
    case 'q': o->quiet = 1; break;
    case 'h': fputs(usage_text, stdout); exit(0);
    case 'V':
      printf("expansiond %s (plugin ABI %d.%d)\n", EXD_VERSION, EXD_ABI_MAJOR,
             EXD_ABI_MINOR);
      exit(0);
    default:
      if (optopt && optopt < 256) {
        char s[2] = {(char)optopt, 0};
        return usage_error("bad or incomplete option -%s", s);
      }
      return usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  return 0;
}

/* Options may come before or after the command and its argument. */
static int parse_all(int argc, char **argv, struct opts *o) {
  char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
  int nrest = 0, rc = 0;
  optind = 1;
  while (optind < argc) {
    if ((rc = parse_args(argc, argv, o)) != 0) break;
    if (optind < argc) rest[nrest++] = argv[optind++];
  }
  if (rc == 0) {
    if (nrest < 1)
      rc = usage_error(
          "%s", "no command given (run, account, check, plugins, serve)");
    else {
      o->command = rest[0];
      if (nrest > 1) o->account = rest[1];
      if (nrest > 2) rc = usage_error("unexpected argument '%s'", rest[2]);
    }
  }
  free(rest);
  return rc;
}

static int load_config(const struct opts *o, exd_config **cfg) {
  char *err = NULL;
  const char *path = o->config ? o->config : DEFAULT_CONFIG;
  int rc = cfg_load(path, cfg, &err);
  if (rc < 0) {
    fputs(err ? err : exd_strerror(rc), stderr);
    if (err && err[0] && err[strlen(err) - 1] != '\n') fputc('\n', stderr);
    free(err);
    if (rc == EXD_ECONFIG) return EXIT_CONFIG_;
    if (!o->config && rc == -ENOENT)
      fprintf(stderr, "expansiond: give a config file with -c FILE (try -c "
                      "conf/demo.yaml)\n");
    return EXIT_NOINPUT_;
  }
  free(err);
  if (o->verbose)
    log_set_level(EXD_LOG_DEBUG);
  else if (o->quiet)
    log_set_level(EXD_LOG_ERROR);
  else
    log_set_level((*cfg)->log_level);
  return 0;
}

/* The as-of date: --as-of, else the config's as_of, else today. Dates are
   supported from 1900-01-01 to 2199-12-31 (the range records may carry). */
static int resolve_as_of(const struct opts *o, const exd_config *cfg,
                         int32_t *as_of) {
  int32_t lo = date_from_ymd(1900, 1, 1), hi = date_from_ymd(2199, 12, 31);
  if (o->as_of) {
    if (date_parse(o->as_of, as_of) < 0 || strlen(o->as_of) != 10) {
      usage_error("--as-of needs a date YYYY-MM-DD, not '%s'", o->as_of);
      return EXIT_USAGE_;
    }
    if (*as_of < lo || *as_of > hi) {
      usage_error("--as-of %s is outside the supported 1900-01-01..2199-12-31",
                  o->as_of);
      return EXIT_USAGE_;
    }
  } else {
    *as_of = cfg->as_of != EXD_DATE_NONE ? cfg->as_of : date_today();
    if (*as_of < lo || *as_of > hi) {
      const exd_node *n = cfg_get(cfg->root, "as_of");
      fprintf(stderr,
              "%s: as_of %s is outside the supported 1900-01-01..2199-12-31\n",
              n ? n->where : cfg->path, n ? n->value : "(today)");
      return EXIT_CONFIG_;
    }
  }
  return 0;
}

/* Flush stdout; on a write error say so and return 74 (EX_IOERR). */
static int stdout_done(void) {
  if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
  fprintf(stderr, "expansiond: cannot write the output: %s\n",
          strerror(errno ? errno : EIO));
  return 74;
}

/* ---- run ---- */

struct run_ctx {
  const struct opts *o;
  const char *format;
  size_t top;
};

static void stats(const cycle *c) {
  sb d = {0};
  size_t bytes = model_describe(c->m, &d);
  fprintf(stderr, "stats: model %zu MB: %s\n", bytes >> 20, sb_str(&d));
  sb_free(&d);
  fprintf(
      stderr,
      "stats: %zu accounts, %zu opportunities; collect %.0f ms, merge %.0f ms, "
      "score+rank %.0f ms\n",
      c->m->n_acct, c->r.total, c->t_collect, c->t_merge, c->t_score);
}

static void on_run(cycle *c, void *arg) {
  struct run_ctx *x = arg;
  results rs;
  results_init(&rs, c->m, &c->p, &c->sp, &c->r);
  if (!strcmp(x->format, "json")) {
    report_json(stdout, &rs, x->top);
  } else if (!strcmp(x->format, "csv")) {
    report_csv(stdout, &rs, x->top);
  } else {
    char d[11], title[256];
    size_t shown = c->r.n < x->top ? c->r.n : x->top;
    snprintf(title, sizeof(title),
             "Top %zu of %zu expansion opportunities (%zu on hold) across %zu "
             "accounts, as of %s",
             shown, c->r.total, c->r.total_held, c->m->n_acct,
             date_format(c->as_of, d));
    report_table(stdout, &rs, x->top, title);
  }
  if (stdout_done() != 0) c->exit_code = 74;
  if (x->o->stats) stats(c);
  results_free(&rs);
}

static int cmd_run(const struct opts *o) {
  if (o->account)
    return usage_error("run takes no argument, not '%s'", o->account);
  exd_config *cfg;
  int rc = load_config(o, &cfg);
  if (rc) return rc;
  struct run_ctx x = {o, o->format, (size_t)o->top};
  if (!x.format) x.format = cfg_get_str(cfg->output, "format", "table");
  if (strcmp(x.format, "table") && strcmp(x.format, "json") &&
      strcmp(x.format, "csv")) {
    cfg_free(cfg);
    return usage_error("--format must be table, json or csv, not '%s'",
                       x.format);
  }
  if (!o->top) x.top = (size_t)cfg_get_int(cfg->output, "top", 10);
  int32_t as_of;
  if ((rc = resolve_as_of(o, cfg, &as_of)) != 0) {
    cfg_free(cfg);
    return rc;
  }
  int flags = CYCLE_RANK | CYCLE_PUSH | (o->strict ? CYCLE_STRICT : 0);
  rc = cycle_run(cfg, as_of, flags, x.top, on_run, &x);
  cfg_free(cfg);
  return rc;
}

/* ---- account ---- */

struct account_ctx {
  const struct opts *o;
  int json;
};

static void on_account(cycle *c, void *arg) {
  struct account_ctx *x = arg;
  long a = model_find(c->m, x->o->account);
  if (a == -1) {
    log_msg(EXD_LOG_ERROR, NULL,
            "no account matches '%s' (by id, domain or name)", x->o->account);
    c->exit_code = EXIT_DATAERR_;
    return;
  }
  if (a == -2) {
    log_msg(EXD_LOG_ERROR, NULL,
            "'%s' matches several accounts; give the id or the full name:",
            x->o->account);
    size_t shown = 0, wl = strlen(x->o->account);
    for (size_t i = 0; i < c->m->n_acct && shown < 20; i++)
      if (c->m->acct[i].name &&
          !strncasecmp(c->m->acct[i].name, x->o->account, wl)) {
        fprintf(stderr, "  %s  %s\n",
                c->m->acct[i].crm_id ? c->m->acct[i].crm_id : "-",
                c->m->acct[i].name);
        shown++;
      }
    c->exit_code = EXIT_DATAERR_;
    return;
  }
  results rs;
  results_init(&rs, c->m, &c->p, &c->sp, NULL);
  report_account(stdout, &rs, (uint32_t)a, x->json);
  results_free(&rs);
  if (stdout_done() != 0) c->exit_code = 74;
}

static int cmd_account(const struct opts *o) {
  if (!o->account || !*o->account)
    return usage_error("%s", "account needs a NAME_OR_ID");
  const char *fmt = o->format ? o->format : "text";
  if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "table"))
    return usage_error("--format for account must be text or json, not '%s'",
                       fmt);
  exd_config *cfg;
  int rc = load_config(o, &cfg);
  if (rc) return rc;
  int32_t as_of;
  if ((rc = resolve_as_of(o, cfg, &as_of)) != 0) {
    cfg_free(cfg);
    return rc;
  }
  struct account_ctx x = {o, !strcmp(fmt, "json")};
  rc = cycle_run(cfg, as_of, 0, 0, on_account, &x);
  cfg_free(cfg);
  return rc;
}

/* ---- check ---- */

static int cmd_check(const struct opts *o) {
  if (o->account)
    return usage_error("check takes no argument, not '%s'", o->account);
  exd_config *cfg;
  int rc = load_config(o, &cfg);
  if (rc) return rc;
  uv_loop_t loop;
  uv_loop_init(&loop);
  host *h = host_new(&loop, cfg, cfg->as_of);
  sb errs = {0};
  model *m = model_new(date_today());
  int bad = model_add_config_catalogue(m, cfg->catalogue, &errs) < 0;
  bad |= host_start(h, &errs, 1) < 0;
  host_close(h);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  host_free(h);
  model_free(m);
  if (bad) {
    fputs(sb_str(&errs), stderr);
    sb_free(&errs);
    cfg_free(cfg);
    return EXIT_CONFIG_;
  }
  sb_free(&errs);
  cfg_dump(cfg, stdout);
  if (stdout_done() != 0) {
    cfg_free(cfg);
    return 74;
  }
  size_t ns = 0, nk = 0;
  for (size_t i = 0; i < cfg->n_sources; i++)
    ns += cfg->sources[i].enabled;
  for (size_t i = 0; i < cfg->n_sinks; i++)
    nk += cfg->sinks[i].enabled;
  fprintf(stderr,
          "expansiond: %s: config OK (%zu files, %zu sources, %zu sinks)\n",
          cfg->path, cfg->n_files, ns, nk);
  cfg_free(cfg);
  return 0;
}

/* ---- plugins ---- */

static int cmd_plugins(const struct opts *o) {
  if (o->account)
    return usage_error("plugins takes no argument, not '%s'", o->account);
  exd_config *cfg = NULL;
  if (o->config) {
    int rc = load_config(o, &cfg);
    if (rc) return rc;
  }
  char *dir = loader_default_dir(cfg ? cfg->plugin_dir : NULL);
  char **paths = NULL;
  size_t n = 0;
  int rc = loader_scan(dir, &paths, &n);
  if (rc < 0) {
    fprintf(stderr, "expansiond: cannot list plugins in %s: %s\n", dir,
            exd_strerror(rc));
    free(dir);
    cfg_free(cfg);
    return EXIT_NOINPUT_;
  }
  int bad = 0;
  if (o->keys) {
    printf("## Core keys (the main config file)\n\n");
    cfg_print_keys(stdout, cfg_core_keys, "");
  } else {
    printf("plugin directory: %s\n", dir);
  }
  for (size_t i = 0; i < n; i++) {
    loaded_plugin *lp = NULL;
    char *err = NULL;
    if (loader_open(paths[i], &lp, &err) < 0) {
      fprintf(stderr, "%s\n", err ? err : paths[i]);
      bad = 1;
    } else if (o->keys) {
      printf("\n## Plugin `%s` (%s)\n\n%s\n\n", lp->desc->name,
             lp->desc->capabilities & EXD_CAP_SOURCE
                 ? (lp->desc->capabilities & EXD_CAP_SINK ? "source and sink"
                                                          : "source")
                 : "sink",
             lp->desc->description ? lp->desc->description : "");
      if (lp->desc->config_keys && lp->desc->config_keys[0].name)
        cfg_print_keys(stdout, lp->desc->config_keys, "");
      else
        printf("No keys.\n");
    } else {
      unsigned caps = lp->desc->capabilities;
      printf("  %-10s %-8s ABI %u.%u  %-13s %s\n", lp->desc->name,
             lp->desc->version ? lp->desc->version : "?", lp->desc->abi_major,
             lp->desc->abi_minor,
             caps & EXD_CAP_SOURCE
                 ? (caps & EXD_CAP_SINK ? "source,sink" : "source")
                 : "sink",
             lp->desc->description ? lp->desc->description : "");
    }
    free(err);
    loader_close(lp);
    free(paths[i]);
  }
  free(paths);
  if (!n && !o->keys) printf("  (none)\n");
  free(dir);
  cfg_free(cfg);
  if (stdout_done() != 0) return 74;
  return bad ? EXIT_DATAERR_ : 0;
}

int main(int argc, char **argv) {
  struct opts o;
  memset(&o, 0, sizeof(o));
  int rc = parse_all(argc, argv, &o);
  if (rc) return rc;
  if (!strcmp(o.command, "run")) return cmd_run(&o);
  if (!strcmp(o.command, "account")) return cmd_account(&o);
  if (!strcmp(o.command, "check")) return cmd_check(&o);
  if (!strcmp(o.command, "plugins")) return cmd_plugins(&o);
  if (!strcmp(o.command, "serve")) {
    fprintf(
        stderr,
        "expansiond: 'serve' (the scheduled daemon with systemd notify and an "
        "admin API) is reserved and not part of this version; use 'run'\n");
    return 69; /* EX_UNAVAILABLE */
  }
  return usage_error(
      "unknown command '%s' (run, account, check, plugins, serve)", o.command);
}
