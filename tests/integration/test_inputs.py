"""Integration tests of real input through the real binary: the csv source
on a small CRM export (tests/integration/data/crm) and broken copies of it,
the as_of cut-off, and the jsonl sink end to end."""

import csv
import datetime
import io
import json
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exd_harness import (DATA_DIR, Suite, check_ranking, contains, eq, match,  # noqa: E402
                         points_at, read, run, run_json, table_title, true, write)

suite = Suite("inputs")
AS_OF = "2026-06-30"

FILES = {
    "accounts": "        - path: accounts.csv\n          record: account\n"
                "          columns: {account_id: id, name: name, industry: industry, employees: employees,"
                " arr: arr, renewal_date: renewal}\n",
    "products": "        - path: products.csv\n          record: product\n"
                "          columns: {account_id: account_id, product: product, seats_purchased: seats,"
                " seats_active: active, unit_price: price}\n",
    "health": "        - path: health.csv\n          record: health\n"
              "          columns: {account_id: account_id, date: date, score: score}\n",
}


def crm(tmp, files=("accounts", "products", "health"), as_of=AS_OF, name="cfg.yaml", extra=""):
    """Copies the CRM export into tmp (once) and writes a config reading
    the given files; returns the config path."""
    for f in ("accounts.csv", "products.csv", "health.csv"):
        if not os.path.exists(os.path.join(tmp, f)):
            shutil.copy(os.path.join(DATA_DIR, "crm", f), os.path.join(tmp, f))
    text = ("log_level: warn\n" + ("as_of: %s\n" % as_of if as_of else "") +
            "catalogue:\n"
            "  - {product: Suite Basic, family: Suite, tier: 1, list_price: 120}\n"
            "  - {product: Suite Pro, family: Suite, tier: 2, list_price: 200}\n"
            "  - {product: Addon, family: Addon, list_price: 30}\n"
            "sources:\n  - name: crm\n    plugin: csv\n    config:\n      files:\n" +
            "".join(FILES[f] for f in files) + extra)
    return write(os.path.join(tmp, name), text)


def all_json(tmp, cfg, expect=0, extra=()):
    return run_json(["run", "-c", cfg, "--format", "json", "--top", "1000000"] + list(extra), tmp,
                    expect=expect)


def append(path, data):
    with open(path, "ab") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def data_errors(r):
    """The csv plugin's error lines, as (FILE:LINE:COL, message)."""
    return re.findall(r"^expansiond: error: \[csv/crm\] (\S+:\d+:\d+): (.*)$", r.err, re.M)


# ---- the good export -----------------------------------------------------------

@suite.test
def csv_export_is_scored(tmp):
    cfg = crm(tmp)
    opps, r = all_json(tmp, cfg)
    eq(r.err, "", "stderr (log_level warn, clean input)")
    check_ranking(opps, datetime.date(2026, 6, 30))
    owned = {"Alpha Corp": {"Suite Basic"}, "Beta GmbH": {"Suite Basic", "Addon"},
             "Gamma Ltd": {"Suite Basic"}, "Delta Inc": {"Suite Pro", "Addon"}}
    eq({o["account"] for o in opps} <= set(owned), True, "accounts")
    eq({o["account_id"] for o in opps} <= {"A1", "A2", "A3", "A4"}, True, "account ids")
    for o in opps:
        if o["type"] in ("upsell", "cross_sell"):
            true(o["product"] not in owned[o["account"]],
                 "%s is offered %s, which it owns" % (o["account"], o["product"]))
        if o["type"] == "seat_expansion":
            true(o["product"] in owned[o["account"]], "seat expansion of an unowned product: %r" % o)
    # upsell: the tier price difference x seats
    ups = sorted((o["account"], o["product"], o["expected_uplift"]) for o in opps if o["type"] == "upsell")
    eq(ups, [("Alpha Corp", "Suite Pro", 8000.0), ("Beta GmbH", "Suite Pro", 8000.0),
             ("Gamma Ltd", "Suite Pro", 8000.0)], "upsells")
    # seat expansion where utilization reaches the 0.85 threshold and the
    # active seats plus 10% headroom exceed those purchased: 96% and 95%;
    # Delta's Addon at 90% fits (99% with headroom); the others are at 50-70%
    seats = sorted((o["account"], o["product"]) for o in opps if o["type"] == "seat_expansion")
    eq(seats, [("Alpha Corp", "Suite Basic"), ("Delta Inc", "Suite Pro")],
       "seat expansions")
    r = run(["run", "-c", cfg], tmp)
    eq(table_title(r.out), (min(10, len(opps)), len(opps), sum(1 for o in opps if o["hold"]), 4, AS_OF),
       "table title")


@suite.test
def csv_bom_and_crlf_change_nothing(tmp):
    cfg = crm(tmp)
    base, _ = all_json(tmp, cfg)
    for f in ("accounts.csv", "health.csv"):
        p = os.path.join(tmp, f)
        write(p, b"\xef\xbb\xbf" + read(p, True).replace(b"\n", b"\r\n"))
    opps, r = all_json(tmp, cfg)
    eq(r.err, "", "stderr")
    eq(opps, base, "ranking from BOM+CRLF files")


# ---- bad rows: reported at FILE:LINE:COL, the rest still loads ---------------------

@suite.test
def csv_bad_rows_reported_and_rest_loaded(tmp):
    cfg = crm(tmp)
    base, _ = all_json(tmp, cfg)
    append(os.path.join(tmp, "health.csv"), 'A3,2026-05-01,abc\nA2,2026-05-01,"unterminated\n')
    acc = os.path.join(tmp, "accounts.csv")
    append(acc, b"A5,Bad \xff Name,Software,100,1000,2026-09-30\nA6,Sixth,Software,lots,1000,2026-09-30\n")
    offset = read(acc, True).index(b"\xff")
    opps, r = all_json(tmp, cfg)
    eq(data_errors(r), [
        ("accounts.csv:6:8", "invalid UTF-8 at byte offset %d" % offset),
        ("accounts.csv:7:19", "column 'employees' (field employees): 'lots' is not a number"),
        ("health.csv:8:15", "column 'score' (field score): 'abc' is not a number"),
        ("health.csv:9:15", "unterminated quoted field"),
    ], "data errors")
    points_at(os.path.join(tmp, "health.csv"), 8, 15, "abc")
    points_at(acc, 7, 19, "lots")
    contains(r.err, "expansiond: warning: 4 input errors (see above)\n", "stderr")
    eq(opps, base, "ranking with the bad rows vs without them")


@suite.test
def csv_bad_rows_strict_exits_65(tmp):
    cfg = crm(tmp)
    append(os.path.join(tmp, "health.csv"), "A3,2026-05-01,abc\n")
    r = run(["run", "--strict", "-c", cfg], tmp, expect=65)
    eq(data_errors(r), [("health.csv:8:15", "column 'score' (field score): 'abc' is not a number")], "errors")
    eq(table_title(r.out)[3], 4, "the ranking is still printed, of 4 accounts")
    run(["run", "-c", cfg], tmp)  # without --strict: 0


@suite.test
def csv_missing_file_exits_66(tmp):
    cfg = crm(tmp)
    without, _ = all_json(tmp, crm(tmp, files=("accounts", "products"), name="nohealth.yaml"))
    os.unlink(os.path.join(tmp, "health.csv"))
    opps, r = all_json(tmp, cfg, expect=66)
    full = os.path.join(tmp, "health.csv")
    m = match(r"^expansiond: error: \[csv/crm\] %s:(\d+):(\d+): cannot open '%s': No such file or directory$"
              % (re.escape(cfg), re.escape(full)), r.err, "message naming the config line and the path")
    points_at(cfg, int(m.group(1)), int(m.group(2)), "health.csv")
    eq(opps, without, "the other files still load: ranking vs a config without health.csv")


@suite.test
def csv_missing_accounts_file_exits_66(tmp):
    cfg = crm(tmp)
    os.unlink(os.path.join(tmp, "accounts.csv"))
    # BUG when this exits 65: the only problem is a missing input file (66);
    # "no accounts" (65) is its consequence and must not replace the code.
    r = run(["run", "-c", cfg], tmp, expect=66)
    contains(r.err, "cannot open '%s': No such file or directory" % os.path.join(tmp, "accounts.csv"), "stderr")


@suite.test
def csv_wrong_header(tmp):
    cfg = crm(tmp)
    without, _ = all_json(tmp, crm(tmp, files=("accounts", "products"), name="nohealth.yaml"))
    h = os.path.join(tmp, "health.csv")
    write(h, read(h).replace("account_id,date,score", "account_id,day,score"))
    opps, r = all_json(tmp, cfg, expect=65)
    eq(data_errors(r), [("health.csv:1:1", "missing column 'date' (field date); the header has: "
                                           "account_id, day, score")], "errors")
    eq(opps, without, "the other files still load")


@suite.test
def csv_no_accounts_exits_65(tmp):
    cfg = crm(tmp)
    write(os.path.join(tmp, "accounts.csv"), "id,name,industry,employees,arr,renewal\n")
    r = run(["run", "-c", cfg], tmp, expect=65)
    eq(r.out, "", "stdout")
    match(r"^expansiond: error: no accounts: ", r.err, "no-accounts message")
    contains(r.err, "accounts.csv: no rows after the header", "stderr")
    # a source with no account file at all
    cfg = crm(tmp, files=("health",), name="healthonly.yaml")
    r = run(["run", "-c", cfg], tmp, expect=65)
    match(r"^expansiond: error: no accounts: ", r.err, "no-accounts message")
    r = run(["account", "-c", cfg, "Alpha Corp"], tmp, expect=65)
    match(r"^expansiond: error: no accounts: ", r.err, "no-accounts message of account")


@suite.test
def unknown_account_reported_once(tmp):
    cfg = crm(tmp)
    base, _ = all_json(tmp, cfg)
    append(os.path.join(tmp, "health.csv"), "A9,2026-06-01,50\nA9,2026-06-02,51\nZ1,2026-06-03,52\n")
    opps, r = all_json(tmp, cfg)
    lines = [l for l in r.err_lines() if "no known account" in l]
    eq(lines, ["expansiond: warning: csv/crm: 3 records reference no known account (3 health); "
               "first at health.csv:8 (id A9)"], "unmatched-record report")
    eq(opps, base, "ranking")


# ---- 9. as_of --------------------------------------------------------------------

@suite.test
def facts_after_as_of_are_ignored(tmp):
    cfg = crm(tmp)
    base, _ = all_json(tmp, cfg)
    append(os.path.join(tmp, "health.csv"), "A2,2026-07-15,10\nA3,2026-12-01,5\n")
    opps, r = all_json(tmp, cfg)
    eq(opps, base, "ranking with health rows dated after as_of")
    eq(r.err_lines(), ["expansiond: warning: csv/crm: 2 records dated after 2026-06-30 ignored"], "stderr")


@suite.test
def as_of_option_cuts_the_data(tmp):
    cfg = crm(tmp)
    early, r = all_json(tmp, cfg, extra=["--as-of", "2026-05-25"])
    # the rows after 2026-05-25 (A1, A2 and A4 on 2026-06-01) are what
    # --as-of drops
    eq(r.err_lines(), ["expansiond: warning: csv/crm: 3 records dated after 2026-05-25 ignored"], "stderr")
    check_ranking(early, datetime.date(2026, 5, 25))
    h = os.path.join(tmp, "health.csv")
    write(h, "".join(l for l in read(h).splitlines(True) if "2026-06-01" not in l))
    cut, r = all_json(tmp, cfg, extra=["--as-of", "2026-05-25"])
    eq(r.err, "", "stderr without later rows")
    eq(early, cut, "ranking as of 2026-05-25 vs the data cut at that date")
    base, _ = all_json(tmp, cfg)
    true(base != cut, "the cut changes the ranking as of 2026-06-30 (else this test shows nothing)")


# ---- 8. the jsonl sink ------------------------------------------------------------

SINK = ("log_level: warn\nas_of: 2026-06-30\nsources:\n  - name: demo\n    plugin: sample\n"
        "    config: {seed: 7, accounts: 120}\nsinks:\n  - name: out\n    plugin: jsonl\n"
        "    config:\n      path: %s\n      format: both\n")


@suite.test
def jsonl_sink_writes_every_opportunity(tmp):
    os.makedirs(os.path.join(tmp, "out"))
    cfg = write(os.path.join(tmp, "s.yaml"), SINK % "out/opps.jsonl")
    jl, cv = os.path.join(tmp, "out", "opps.jsonl"), os.path.join(tmp, "out", "opps.csv")
    r = run(["run", "-c", cfg, "--top", "5"], tmp)
    eq(r.err, "", "stderr")
    shown, total, held, accounts, _ = table_title(r.out)
    eq((shown, accounts), (5, 120), "title")
    lines = read(jl).split("\n")
    eq(lines[-1], "", "the file ends with a newline")
    objs = [json.loads(l) for l in lines[:-1]]
    eq(len(objs), total, "JSON lines vs 'of N' in the title")
    eq(sum(1 for o in objs if o["hold"]), held, "held in the file vs the title")
    eq([o["rank"] for o in objs], list(range(1, total + 1)), "ranks in order")
    full, _ = run_json(["run", "-c", cfg, "--format", "json", "--top", "1000000"], tmp)
    eq(objs, full, "JSON lines vs run --format json")
    check_ranking(objs, datetime.date(2026, 6, 30))
    csv_out = run(["run", "-c", cfg, "--format", "csv", "--top", "1000000"], tmp).out
    rows = list(csv.reader(io.StringIO(read(cv), newline="")))
    # the same rows; the line ends may differ (stdout uses CRLF, the file LF)
    eq(rows, list(csv.reader(io.StringIO(csv_out, newline=""))), "CSV file vs run --format csv")
    eq(len(rows), total + 1, "CSV header + rows")
    eq([int(x[0]) for x in rows[1:]], list(range(1, total + 1)), "CSV ranks")
    leftovers = [f for f in os.listdir(os.path.join(tmp, "out")) if f not in ("opps.jsonl", "opps.csv")]
    eq(leftovers, [], "temporary files left behind")


@suite.test
def jsonl_sink_failure_exits_74(tmp):
    cfg = write(os.path.join(tmp, "s.yaml"), SINK % "nodir/opps.jsonl")
    r = run(["run", "-c", cfg, "--top", "1"], tmp, expect=74)
    contains(r.err, "[jsonl/out] cannot write %s" % os.path.join(tmp, "nodir", "opps.jsonl"), "stderr")
    contains(r.out, "Top 1 of", "the ranking is still printed")


if __name__ == "__main__":
    suite.main()
