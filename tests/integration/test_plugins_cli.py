"""Integration tests of plugin loading and the host through the real binary,
with the fixture plugins of tests/fixtures/plugins ($EXD_FIXTURE_DIR):
loader refusals (exit 78, FILE:LINE:COL), a failing init, a plugin that
emits garbage, a group-writable plugin file, the `plugins` listing, and the
source/sink lifecycle of the good fixture."""

import os
import re
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exd_harness import (FIXTURE_DIR, WHERE_RE, Suite, contains, eq, match,  # noqa: E402
                         points_at, run, run_json, table_title, true, write)

suite = Suite("plugins")
AS_OF = "2026-06-30"


def fixture_config(tmp, body, plugin_dir=FIXTURE_DIR, log_level="info"):
    return write(os.path.join(tmp, "c.yaml"),
                 "plugin_dir: %s\nlog_level: %s\nas_of: %s\n%s" % (plugin_dir, log_level, AS_OF, body))


def one_config_error(r, cfg):
    lines = r.err_lines()
    eq(len(lines), 1, "stderr lines:\n" + r.err)
    m = WHERE_RE.match(lines[0])
    true(m is not None and m.group("file") == cfg, "not 'CFG:LINE:COL: ...': %r" % lines[0])
    return int(m.group("line")), int(m.group("col")), m.group("msg")


def refused(tmp, plugin, needle):
    """A source naming the plugin: run, check and account all exit 78 with
    one FILE:LINE:COL line at the plugin name, and nothing else runs."""
    cfg = fixture_config(tmp, "sources:\n  - name: fine\n    plugin: good\n    config: {greeting: hi}\n"
                              "  - name: bad\n    plugin: %s\n" % plugin, log_level="warn")
    for cmd in (["run"], ["check"], ["account", "Alpha Corp"]):
        r = run(cmd + ["-c", cfg], tmp, expect=78)
        eq(r.out, "", "stdout of " + cmd[0])
        line, col, msg = one_config_error(r, cfg)
        eq((line, col), (9, 13), "position")
        points_at(cfg, line, col, plugin)
        contains(msg, "plugin '%s': %s/%s.so: " % (plugin, FIXTURE_DIR, plugin), "message")
        true(re.search(needle, msg), "message %r does not match /%s/" % (msg, needle))


# ---- 5. loader refusals ---------------------------------------------------------

@suite.test
def wrong_abi_refused(tmp):
    refused(tmp, "wrong_abi", r"plugin ABI 99\.0 is not supported by this expansiond \(ABI 1\.0\); rebuild")


@suite.test
def newer_minor_refused(tmp):
    refused(tmp, "newer_minor", r"plugin ABI 1\.1 is not supported by this expansiond \(ABI 1\.0\)")


@suite.test
def no_entry_refused(tmp):
    refused(tmp, "no_entry", r"no 'expansiond_plugin' symbol; is this an expansiond plugin\?$")


@suite.test
def undefined_symbol_keeps_dlerror(tmp):
    refused(tmp, "undefined_symbol", r"cannot load plugin: .*undefined symbol: exd_fixture_undefined_function")


@suite.test
def init_fails_blames_its_node(tmp):
    cfg = fixture_config(tmp, "sources:\n  - name: fine\n    plugin: good\n    config: {greeting: hi}\n"
                              "  - name: bad\n    plugin: init_fails\n    config:\n      reason: disk on fire\n")
    for cmd in (["run"], ["check"]):
        r = run(cmd + ["-c", cfg], tmp, expect=78)
        eq(r.out, "", "stdout")
        lines = [l for l in r.err_lines() if "greeting: hi" not in l]
        eq(len(lines), 1, "error lines:\n" + r.err)
        m = WHERE_RE.match(lines[0])
        true(m is not None and m.group("file") == cfg, "not CFG:LINE:COL: %r" % lines[0])
        eq((int(m.group("line")), int(m.group("col"))), (11, 15), "position")
        points_at(cfg, 11, 15, "disk on fire")
        eq(m.group("msg"), "init_fails: refusing to start (reason: disk on fire)", "message")
    # no config: the default reason; the error points at the instance
    cfg = fixture_config(tmp, "sources:\n  - name: bad\n    plugin: init_fails\n")
    r = run(["run", "-c", cfg], tmp, expect=78)
    line, col, msg = one_config_error(r, cfg)
    eq(msg, "init_fails: refusing to start (reason: always)", "message")
    true(line in (5, 6), "position %d:%d is not the instance at lines 5-6" % (line, col))


@suite.test
def group_writable_plugin_refused(tmp):
    pdir = os.path.join(tmp, "plugins")
    os.makedirs(pdir)
    so = os.path.join(pdir, "good.so")
    shutil.copy(os.path.join(FIXTURE_DIR, "good.so"), so)
    cfg = fixture_config(tmp, "sources:\n  - plugin: good\n    config: {greeting: hi}\n", plugin_dir=pdir)
    for mode in (0o775, 0o757, 0o722):
        os.chmod(so, mode)
        for cmd in (["run"], ["check"]):
            r = run(cmd + ["-c", cfg], tmp, expect=78)
            line, col, msg = one_config_error(r, cfg)
            points_at(cfg, line, col, "good")
            eq(msg, "plugin 'good': %s: refusing to load a plugin writable by group or others "
                    "(mode %04o); chmod go-w %s" % (so, mode, so), "message")
    # the same file, not writable by others, loads
    os.chmod(so, 0o755)
    r = run(["run", "-c", cfg], tmp)
    contains(r.err, "[good/good] greeting: hi", "stderr")


# ---- 5. garbage ------------------------------------------------------------------

GARBAGE_REJECTS = [  # regexes, in emit order
    r"garbage#1: record: unknown record type 0; record rejected$",
    r"garbage#2: record: unknown record type 999; record rejected$",
    # struct_size 0: the host cannot trust any field past the size, origin
    # included, so it says so instead of reading it
    r"\(no origin\): record: struct_size 0 is not between \d+ and \d+ .*; record rejected$",
    r"garbage#4: record: struct_size \d+ is not between \d+ and \d+ .*; record rejected$",
    r"garbage#5: health\.score: 140 is outside 0\.\.100; record rejected$",
    r"garbage#6: product\.seats_purchased: -5 is negative; record rejected$",
    r"garbage#7: account\.key\.name: invalid UTF-8 at byte offset 4; record rejected$",
    r"garbage#8: account\.account: has no id, domain or name; record rejected$",
    r"garbage#9: opportunity\.status: unknown status 7; record rejected$",
]


@suite.test
def garbage_is_rejected_and_good_records_kept(tmp):
    cfg = fixture_config(tmp, "sources:\n  - name: junk\n    plugin: garbage\n", log_level="debug")
    # The records are bad but the collect succeeded: cycle.c gives 0 without
    # --strict.
    r = run(["run", "-c", cfg, "--format", "json"], tmp)
    eq(r.out, "[]\n", "no opportunity: the good account owns nothing")
    lines = r.err_lines()
    rejects = [l for l in lines if l.startswith("expansiond: error: [garbage/junk] ") and "rejected" in l]
    eq(len(rejects), len(GARBAGE_REJECTS), "rejected-record lines:\n" + r.err)
    for l, want in zip(rejects, GARBAGE_REJECTS):
        match(r"^expansiond: error: \[garbage/junk\] " + want, l, "rejected-record line")
    # emit returned EXD_EDATA (-4004) for each of those, 0 for #0, #10-#12
    for n in range(13):
        rc = "-4004" if 1 <= n <= 9 else "0"
        contains(r.err, "[garbage/junk] emit #%d returned %s\n" % (n, rc), "debug log")
    eq(sum("collect_done called more than once" in l for l in lines), 1, "double collect_done reports")
    contains(r.err, "expansiond: error: [garbage/junk] collect_done called more than once; ignored (plugin bug)",
             "stderr")
    contains(r.err, "9 input errors", "stderr")
    contains(r.err, "garbage/junk: 1 records dated after %s ignored" % AS_OF, "stderr (record #10)")
    # the good records: the account (#0) and two health scores (#11, #12)
    acct, _ = run_json(["account", "-c", cfg, "-q", "--format", "json", "garbage.example.com"], tmp)
    a = acct["account"]
    eq((a["name"], a["domain"], a["industry"], a["employees"], a["country"]),
       ("Garbage Corp", "garbage.example.com", "Software", 100.0, "US"), "the good account")
    eq(acct["components"]["health"], {"value": 60.0, "evidence": "health score 60 on 2026-06-28"},
       "health from the good records (#11 is A-2, #12 is A-3; #10 after as_of is ignored)")
    r = run(["account", "-c", cfg, "-q", "Garbage Corp"], tmp)
    match(r"^HEALTH  2 scores: 60 \(2026-06-28\) 70 \(2026-06-27\)$", r.out, "account text")
    r = run(["run", "-c", cfg], tmp)
    eq(table_title(r.out)[3], 1, "accounts in the title")


@suite.test
def garbage_with_strict_exits_65(tmp):
    cfg = fixture_config(tmp, "sources:\n  - name: junk\n    plugin: garbage\n", log_level="warn")
    r = run(["run", "--strict", "-c", cfg], tmp, expect=65)
    contains(r.err, "9 input errors", "stderr")
    eq(table_title(r.out)[3], 1, "the ranking is still printed")


@suite.test
def run_without_opportunities(tmp):
    # One account that owns nothing, an empty catalogue: nothing to propose.
    # (Under SANITIZE=1 this is where cycle.c's merge of empty score parts
    # was caught passing NULL to memcpy.)
    cfg = fixture_config(tmp, "sources:\n  - plugin: secretive\n    config: {token: t0k3n}\n",
                         log_level="warn")
    r = run(["run", "-c", cfg], tmp)
    eq(r.out, "Top 0 of 0 expansion opportunities (0 on hold) across 1 accounts, as of %s\n\n"
              "No expansion opportunities found.\n" % AS_OF, "table")
    eq(r.err, "", "stderr")
    eq(run(["run", "-c", cfg, "--format", "json"], tmp).out, "[]\n", "JSON")
    out = run(["run", "-c", cfg, "--format", "csv"], tmp).out
    true(out.startswith("rank,account,") and out.count("\n") == 1, "CSV: header only, got %r" % out)
    d, _ = run_json(["account", "-c", cfg, "--format", "json", "secretive.example.com"], tmp)
    eq((d["account"]["id"], d["opportunities"]), ("SEC-1", []), "account report")


# ---- 5. listing the fixtures ---------------------------------------------------------

BROKEN = {
    "no_entry": "no 'expansiond_plugin' symbol",
    "undefined_symbol": "undefined symbol: exd_fixture_undefined_function",
    "wrong_abi": "plugin ABI 99.0 is not supported by this expansiond (ABI 1.0)",
    "newer_minor": "plugin ABI 1.1 is not supported by this expansiond (ABI 1.0)",
}
LOADABLE = {
    "garbage": ("1.0", "source", "fixture: emits garbage records"),
    "good": ("1.0.0", "source,sink", "fixture: a well-behaved source and sink"),
    "init_fails": ("1.0", "source", "fixture: init always fails"),
    "secretive": ("1.0", "source", "fixture: a source with a secret key"),
}


@suite.test
def plugins_lists_fixtures(tmp):
    cfg = fixture_config(tmp, "")
    # Some fixtures cannot load: they are reported on stderr and the
    # command exits 65 (main.c: cmd_plugins).
    r = run(["plugins", "-c", cfg], tmp, expect=65)
    lines = r.out.rstrip("\n").split("\n")
    eq(lines[0], "plugin directory: %s" % FIXTURE_DIR, "first line")
    listed = {}
    for l in lines[1:]:
        m = re.match(r"^  (\S+) +(\S+) +ABI 1\.0  (source,sink|source|sink) +(\S.*)$", l)
        true(m is not None, "listing line %r" % l)
        listed[m.group(1)] = m.group(2, 3, 4)
    for name, want in LOADABLE.items():
        eq(listed.get(name), want, "listing of %s" % name)
    errors = {}
    for l in r.err_lines():
        m = re.match(r"^%s/(\w+)\.so: (.*)$" % re.escape(FIXTURE_DIR), l)
        true(m is not None, "stderr line does not start with the plugin path: %r" % l)
        errors[m.group(1)] = m.group(2)
    for name, needle in BROKEN.items():
        true(name in errors, "%s not reported on stderr" % name)
        contains(errors[name], needle, "error of " + name)
    sos = sorted(f[:-3] for f in os.listdir(FIXTURE_DIR) if f.endswith(".so") and not f.startswith("."))
    eq(sorted(list(listed) + list(errors)), sos, "every fixture either listed or reported, once")


# ---- the host lifecycle with the good fixture ------------------------------------------

GOOD = ("catalogue:\n  - {product: Widget, family: Widget, list_price: 120}\n"
        "  - {product: Widget Pro, family: Widget, list_price: 200}\n"
        "sources:\n  - name: gs\n    plugin: good\n    config: {greeting: hello, seats: 20%s}\n"
        "sinks:\n  - name: gk\n    plugin: good\n    config: {greeting: bye, async: true%s}\n")


@suite.test
def good_source_and_sink(tmp):
    cfg = fixture_config(tmp, GOOD % ("", ""))
    opps, r = run_json(["run", "-c", cfg, "--format", "json", "--top", "1"], tmp)
    eq(len(opps), 1, "--top 1")
    pushed = re.findall(r"^expansiond: info: \[good/gk\] result (\d+): (.*)$", r.err, re.M)
    match(r"^expansiond: info: \[good/gk\] pushed %d results$" % len(pushed), r.err, "stderr")
    full, _ = run_json(["run", "-c", cfg, "--format", "json", "--top", "1000000"], tmp)
    true(len(full) >= 2, "only %d opportunities" % len(full))
    # the sink gets every opportunity (not only --top), in rank order
    eq(pushed, [(str(o["rank"]), "%s %s %s" % (o["account"], o["type"], o["product"])) for o in full],
       "pushed results")
    eq(opps, full[:1], "top 1")
    # the upsell of Alpha's 20 Widget seats to Widget Pro: (200 - 120) x 20
    up = [o for o in full if o["type"] == "upsell" and o["account"] == "Alpha Corp"]
    eq([(o["product"], o["expected_uplift"]) for o in up], [("Widget Pro", 1600.0)], "Alpha upsell")
    # async and sync give the same
    cfg2 = fixture_config(tmp, GOOD.replace("async: true", "async: false") % ("", ""))
    eq(run_json(["run", "-c", cfg2, "--format", "json", "--top", "1000000"], tmp)[0], full, "sync vs async")


@suite.test
def good_collect_failure_exits_65(tmp):
    cfg = fixture_config(tmp, GOOD % (", fail: collect", ""))
    r = run(["run", "-c", cfg, "--format", "json"], tmp, expect=65)
    contains(r.err, "expansiond: error: [good/gs] collection failed: invalid input data", "stderr")
    true(len(run_json(["run", "-c", cfg, "--format", "json"], tmp, expect=65)[0]) >= 2,
         "records emitted before the failure are still scored")


@suite.test
def good_push_failure_exits_74(tmp):
    cfg = fixture_config(tmp, GOOD % ("", ", fail: push"))
    r = run(["run", "-c", cfg], tmp, expect=74)
    contains(r.err, "expansiond: error: [good/gk] push failed: invalid input data", "stderr")
    contains(r.out, "expansion opportunities", "the ranking is still printed")


if __name__ == "__main__":
    suite.main()
