"""Integration tests of `expansiond account` on the demo: the text report's
sections, the JSON report against `run --format json`, every way to name an
account, and the errors for no match and an ambiguous name."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exd_harness import (SRC, Suite, check_opportunity, eq, match, run,  # noqa: E402
                         run_json, true)

suite = Suite("account")
DEMO = os.path.join(SRC, "conf", "demo.yaml")
AS_OF = ["--as-of", "2026-06-30"]
SECTIONS = ["ACCOUNT", "PRODUCTS OWNED", "SIGNALS", "COMPONENTS", "OPPORTUNITIES", "SIMILAR CUSTOMERS"]

_full = []


def full_run(tmp):
    if not _full:
        _full.extend(run_json(["run", "-c", DEMO, "--format", "json", "--top", "1000000"] + AS_OF, tmp)[0])
    return _full


def account(tmp, what, fmt="text", expect=0):
    args = ["account", "-c", DEMO, "--format", fmt] + AS_OF + [what]
    if fmt == "json" and expect == 0:
        return run_json(args, tmp, expect=expect)
    return None, run(args, tmp, expect=expect)


def sample_accounts(tmp):
    """A few accounts of the demo: the top one, one with a held
    opportunity, one with the most opportunities."""
    full = full_run(tmp)
    by = {}
    for o in full:
        by.setdefault(o["account"], []).append(o)
    held = next(o["account"] for o in full if o["hold"])
    most = max(sorted(by), key=lambda a: len(by[a]))
    names = []
    for n in (full[0]["account"], held, most):
        if n not in names:
            names.append(n)
    return names, by


@suite.test
def text_report_has_every_section(tmp):
    names, by = sample_accounts(tmp)
    for name in names:
        _, r = account(tmp, name)
        eq(r.err, "", "stderr")
        heads = [l.split("  ")[0].split(" (")[0] for l in r.out.split("\n") if re.match(r"^[A-Z][A-Z ]+\b", l)]
        got = [h for h in heads if h in SECTIONS]
        eq(got, SECTIONS, "sections of %s, in order" % name)
        match(r"^ACCOUNT  %s$" % re.escape(name), r.out, "first line")
        d, _ = account(tmp, name, "json")
        for sec, n in (("PRODUCTS OWNED", len(d["account"]["products"])), ("SIGNALS", len(d["signals"])),
                       ("OPPORTUNITIES", len(d["opportunities"]))):
            match(r"^%s \(%d\b" % (sec, n), r.out, "%s count of %s" % (sec, name))
        eq(len(d["opportunities"]), len(by[name]), "opportunities of %s" % name)


@suite.test
def json_opportunities_match_run(tmp):
    names, by = sample_accounts(tmp)
    for name in names:
        d, r = account(tmp, name, "json")
        eq(r.err, "", "stderr")
        eq(d["account"]["name"], name, "account name")
        eq(d["account"]["id"], by[name][0]["account_id"], "account id")
        for k in ("account", "signals", "components", "opportunities", "similar_customers"):
            true(k in d, "no %r in the account JSON" % k)
        mine = {(o["type"], o["product"]): o for o in d["opportunities"]}
        eq(len(mine), len(d["opportunities"]), "distinct (type, product) of %s" % name)
        theirs = {(o["type"], o["product"]): o for o in by[name]}
        eq(sorted(mine), sorted(theirs), "opportunities of %s" % name)
        for k, o in mine.items():
            check_opportunity(o, "%s %s" % (name, k))
            want = dict(theirs[k])
            got = dict(o)
            want.pop("rank")
            got.pop("rank")
            eq(got, want, "%s %s: account JSON vs run JSON (all but rank)" % (name, k))


def text_and_json(tmp):
    names, _ = sample_accounts(tmp)
    if "West Signal Solutions Inc" not in names:
        names.append("West Signal Solutions Inc")  # 7 opportunities of 4 types
    for name in names:
        d, _ = account(tmp, name, "json")
        _, r = account(tmp, name)
        text = re.findall(r"^(\d+)\. (\S+)  (.+)$", r.out.split("\nOPPORTUNITIES", 1)[1], re.M)
        eq(len(text), len(d["opportunities"]), "opportunities of %s" % name)
        yield name, [(int(n), t, p) for n, t, p in text], d["opportunities"]


@suite.test
def json_order_matches_text(tmp):
    # BUG when this fails: the JSON report lists the opportunities in
    # another order than the text report ("by expected value").
    for name, text, opps in text_and_json(tmp):
        eq([(o["type"], o["product"]) for o in opps], [(t, p) for _, t, p in text],
           "%s: (type, product) of the JSON report vs the text report" % name)
        evs = [o["expected_value"] for o in opps if not o["hold"]]
        eq(evs, sorted(evs, reverse=True), "%s: expected values in the JSON report" % name)


@suite.test
def json_ranks_are_1_to_n(tmp):
    # BUG when this fails: the text report numbers the opportunities 1..N,
    # the JSON report gives every one rank 0 (the schema says 1..N).
    for name, text, opps in text_and_json(tmp):
        eq([o["rank"] for o in opps], list(range(1, len(opps) + 1)), "%s: ranks in the JSON report" % name)
        eq([n for n, _, _ in text], list(range(1, len(opps) + 1)), "%s: numbers in the text report" % name)


@suite.test
def account_is_found_every_way(tmp):
    full = full_run(tmp)
    o = full[0]
    d, _ = account(tmp, o["account"], "json")
    aid, dom, name = d["account"]["id"], d["account"]["domain"], d["account"]["name"]
    true(len(aid) == 18 and dom, "id %r, domain %r" % (aid, dom))
    # a unique prefix of the name, at least 3 characters
    names = {x["account"] for x in full}
    prefix = next(name[:n] for n in range(3, len(name) + 1)
                  if sum(1 for x in names if x.lower().startswith(name[:n].lower())) == 1)
    for what in (aid, aid[:15], dom, "https://www.%s/pricing" % dom, dom.upper(), name.lower(),
                 name.upper(), prefix):
        got, r = account(tmp, what, "json")
        eq(got["account"]["id"], aid, "account found by %r" % what)
        eq(r.err, "", "stderr")
    # the text report by id is the report by name
    eq(account(tmp, aid)[1].out, account(tmp, name)[1].out, "text report by id vs by name")


@suite.test
def unknown_account_exits_65(tmp):
    for fmt in ("text", "json"):
        _, r = account(tmp, "Nonexistent Widgets Co", fmt, expect=65)
        eq(r.out, "", "stdout")
        eq(r.err, "expansiond: error: no account matches 'Nonexistent Widgets Co' (by id, domain or name)\n",
           "stderr")


@suite.test
def ambiguous_prefix_lists_candidates(tmp):
    full = full_run(tmp)
    words = {}
    for o in full:
        words.setdefault(o["account"].split()[0], set()).add((o["account_id"], o["account"]))
    word = next(w for w in sorted(words, key=lambda w: -len(words[w])) if 2 <= len(words[w]) <= 15)
    _, r = account(tmp, word, expect=65)
    eq(r.out, "", "stdout")
    lines = r.err.rstrip("\n").split("\n")
    eq(lines[0], "expansiond: error: '%s' matches several accounts; give the id or the full name:" % word,
       "first line")
    listed = set()
    for l in lines[1:]:
        m = re.match(r"^  (\S+)  (.+)$", l)
        true(m is not None, "candidate line %r" % l)
        true(m.group(2).startswith(word), "candidate %r does not start with %r" % (m.group(2), word))
        listed.add(m.group(1, 2))
    true(words[word] <= listed, "candidates %s lack some of %s" % (sorted(listed), sorted(words[word])))
    # every candidate is a real account, found by its id
    for aid, name in sorted(listed)[:3]:
        d, _ = account(tmp, aid, "json")
        eq(d["account"]["name"], name, "candidate %s" % aid)


if __name__ == "__main__":
    suite.main()
