#!/usr/bin/env python3
"""Edge cases of the csv and jsonl plugins through the real binary: required
fields checked at config time, a missing data directory, a sink pointed at
a FIFO, a source failure keeping the sinks untouched, the documented csv
example, and accounts in a currency without an exchange rate."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exd_harness import (SRC, Suite, contains, eq, lacks, read, run, run_json, true,  # noqa: E402
                         where_lines, write)

suite = Suite("plugin_edges")


def csv_config(tmp, files_yaml, extra=""):
    path = os.path.join(tmp, "c.yaml")
    write(path, "log_level: warn\nas_of: 2026-06-30\n" + extra +
          "sources:\n  - plugin: csv\n    config:\n      files:\n" + files_yaml)
    return path


@suite.test
def health_without_date_is_a_config_error(tmp):
    write(os.path.join(tmp, "h.csv"), "account,score\nAcme,70\n")
    cfg = csv_config(tmp, "        - path: h.csv\n          record: health\n"
                          "          columns: {account_name: account, score: score}\n")
    r = run(["check", "-c", cfg], tmp, expect=78)
    lines = where_lines(r, cfg)
    eq([(l, m) for l, _, m in lines],
       [(9, "record health needs field(s) date (map a column or give a constant)")], "errors")


@suite.test
def missing_dir_is_a_warning_at_check(tmp):
    cfg = csv_config(tmp, "        - path: a.csv\n          record: account\n"
                          "          columns: {name: name}\n")
    with open(cfg) as f:
        text = f.read().replace("    config:\n", "    config:\n      dir: nowhere\n")
    write(cfg, text)
    r = run(["check", "-c", cfg], tmp, expect=0)
    contains(r.err, "dir '%s' does not exist" % os.path.join(tmp, "nowhere"), "stderr")


def accounts_and_products(tmp):
    write(os.path.join(tmp, "a.csv"), "id,name\nA1,Acme\nA2,Beta\nA3,Gamma\n")
    write(os.path.join(tmp, "p.csv"),
          "account,product,seats,active\nA1,Suite Basic,100,99\nA2,Suite Basic,50,20\n"
          "A3,Suite Pro,10,5\n")
    return ("        - path: a.csv\n          record: account\n          columns: {id: id, name: name}\n"
            "        - path: p.csv\n          record: product\n"
            "          columns: {account_id: account, product: product, seats_purchased: seats,"
            " seats_active: active}\n")


CATALOGUE = ("catalogue:\n"
             "  - {product: Suite Basic, family: Suite, tier: 1, list_price: 100}\n"
             "  - {product: Suite Pro, family: Suite, tier: 2, list_price: 200}\n")


@suite.test
def sink_pointed_at_a_fifo_is_refused(tmp):
    files = accounts_and_products(tmp)
    fifo = os.path.join(tmp, "out.jsonl")
    os.mkfifo(fifo)
    cfg = csv_config(tmp, files, CATALOGUE +
                     "sinks:\n  - plugin: jsonl\n    config: {path: out.jsonl}\n")
    r = run(["run", "-c", cfg], tmp, expect=74)
    contains(r.err, "cannot write %s: it is a FIFO (named pipe), not a regular file" % fifo,
             "stderr")
    true(os.path.exists(fifo) and not os.path.isfile(fifo), "the FIFO is untouched")


@suite.test
def failed_source_leaves_sinks_untouched(tmp):
    files = accounts_and_products(tmp)
    files += ("        - path: missing.csv\n          record: health\n"
              "          columns: {account_id: id, date: date, score: score}\n")
    out = os.path.join(tmp, "out.jsonl")
    write(out, "previous results\n")
    cfg = csv_config(tmp, files, CATALOGUE +
                     "sinks:\n  - plugin: jsonl\n    config: {path: out.jsonl}\n")
    r = run(["run", "-c", cfg], tmp, expect=66)
    contains(r.err, "a source failed: the sinks were not updated", "stderr")
    eq(read(out), "previous results\n", "the sink's file")
    contains(r.out, "expansion opportunities", "the ranking is still shown")


@suite.test
def csv_readme_example_runs(tmp):
    cfg = os.path.join(SRC, "tests", "csv", "example", "expansiond.yaml")
    opps, _ = run_json(["run", "-c", cfg, "--format", "json", "--top", "100"], tmp)
    true(len(opps) >= 1, "the example gives opportunities")


@suite.test
def currency_without_rate_uses_list_prices(tmp):
    write(os.path.join(tmp, "a.csv"), "id,name,currency\nJ1,Yen KK,JPY\nE1,Euro AG,EUR\nU1,Dollar Inc,USD\n")
    write(os.path.join(tmp, "p.csv"),
          "account,product,seats,active,price\nJ1,Suite Basic,100,99,15000\n"
          "E1,Suite Basic,100,99,90\nU1,Suite Basic,100,99,100\n")
    files = ("        - path: a.csv\n          record: account\n"
             "          columns: {id: id, name: name, currency: currency}\n"
             "        - path: p.csv\n          record: product\n"
             "          columns: {account_id: account, product: product, seats_purchased: seats,"
             " seats_active: active, unit_price: price}\n")
    cfg = csv_config(tmp, files, CATALOGUE + "exchange_rates: {EUR: 1.10}\n")
    opps, _ = run_json(["run", "-c", cfg, "--format", "json", "--top", "100"], tmp)
    seat = {o["account"]: o for o in opps if o["type"] == "seat_expansion"}
    # ceil(1.1 x 99 - 100) = 9 seats: at the list price for JPY (no rate),
    # at 90 EUR x 1.10 for EUR, at the account's own 100 USD for USD.
    eq(seat["Yen KK"]["expected_uplift"], 900.0, "JPY uplift (list price)")
    eq(seat["Euro AG"]["expected_uplift"], 891.0, "EUR uplift (converted)")
    eq(seat["Dollar Inc"]["expected_uplift"], 900.0, "USD uplift")
    r = run(["run", "-c", cfg, "--top", "1"], tmp)
    contains(r.err, "1 account is in JPY (e.g. Yen KK) but exchange_rates has no JPY rate into USD",
             "stderr")
    lacks(r.out, "JPY", "amounts are in the reporting currency")


if __name__ == "__main__":
    suite.main()
