"""Shared harness for the integration tests (tests/integration/test_*.py).

Each test_*.py builds a Suite, registers test functions with @suite.test and
calls suite.main(). Every test runs in a fresh temporary directory (passed as
its only argument) and prints one line: "ok NAME", "FAIL NAME: why" (details
indented below) or "SKIP NAME: why". At the end the suite prints the
cmocka-style summary lines tests/run-tests greps for and exits 1 when any test
failed. Arguments on the command line select tests by substring.

Environment (set by tests/run-tests; defaults work from a plain checkout):
  EXPANSIOND       the binary under test (build/expansiond)
  EXD_SRC          the source tree
  EXD_PLUGIN_DIR   the built plugins (beside the binary)
  EXD_FIXTURE_DIR  the fixture plugins (tests/fixtures/plugins/*.so)
  EXD_SHARED       the shared data (may be absent: those tests SKIP)
  UPDATE_GOLDEN=1  rewrite tests/golden/* from the current output

Stdlib only.
"""

import datetime
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.environ.get("EXD_SRC") or os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("EXPANSIOND") or os.path.join(SRC, "build", "expansiond"))
PLUGIN_DIR = os.path.abspath(
    os.environ.get("EXD_PLUGIN_DIR") or os.path.join(os.path.dirname(BIN), "plugins"))
FIXTURE_DIR = os.path.abspath(
    os.environ.get("EXD_FIXTURE_DIR")
    or os.path.join(os.path.dirname(BIN), "tests", "fixtures", "plugins"))
SHARED = os.path.abspath(os.environ.get("EXD_SHARED") or os.path.join(SRC, "..", "shared"))
GOLDEN_DIR = os.path.join(SRC, "tests", "golden")
DATA_DIR = os.path.join(HERE, "data")
TIMEOUT = 120

OPP_TYPES = ("upsell", "cross_sell", "seat_expansion", "use_case_expansion")

# A sanitizer report anywhere in stderr fails the test, whatever the exit code.
SANITIZER_RE = re.compile(
    r"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|"
    r"MemorySanitizer|ThreadSanitizer)")
# "FILE:LINE:COL: " at the start of a line.
WHERE_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")


class Skip(Exception):
    """Raised by skip(): the test is reported as SKIP, not as a failure."""


def skip(why):
    raise Skip(why)


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def err_lines(self):
        return [l for l in self.err.split("\n") if l.strip()]

    def describe(self):
        return ("`expansiond %s` exited %d\n--- stderr ---\n%s\n--- stdout (tail) ---\n%s" %
                (" ".join(self.args), self.rc, self.err[-6000:], self.out[-2000:]))


def base_env(extra=None):
    env = dict(os.environ)
    # Hermetic: nothing inherited changes where plugins or data come from.
    for k in ("EXPANSIOND_PLUGIN_DIR", "MAVEN_CRM_DIR"):
        env.pop(k, None)
    env["LC_ALL"] = "C"
    env["TZ"] = "UTC"
    if extra:
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
    return env


def run(args, cwd, expect=0, env=None, timeout=TIMEOUT):
    """Runs the binary; asserts the exit code (unless expect is None) and
    that no sanitizer report appears. stdout/stderr must be valid UTF-8."""
    p = subprocess.run([BIN] + list(args), cwd=cwd, env=base_env(env),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    err = p.stderr.decode("utf-8", errors="replace")
    try:
        out = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError("stdout is not valid UTF-8: %s" % e)
    r = Result(list(args), p.returncode, out, err)
    if SANITIZER_RE.search(err):
        raise AssertionError("sanitizer report\n" + r.describe())
    if expect is not None and p.returncode != expect:
        raise AssertionError("expected exit %d\n%s" % (expect, r.describe()))
    return r


def run_json(args, cwd, expect=0, env=None):
    r = run(args, cwd, expect=expect, env=env)
    try:
        return json.loads(r.out), r
    except ValueError as e:
        raise AssertionError("stdout is not JSON (%s)\n%s" % (e, r.describe()))


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(path, "wb") as f:
        f.write(data)
    if mode is not None:
        os.chmod(path, mode)
    return path


def read(path, binary=False):
    with open(path, "rb") as f:
        data = f.read()
    return data if binary else data.decode("utf-8")


# ---- assertions -------------------------------------------------------------

def eq(actual, expected, what="value"):
    if actual == expected:
        return
    if isinstance(actual, str) and isinstance(expected, str) and "\n" in expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            "expected", "actual", n=2))
        raise AssertionError("%s differs:\n%s" % (what, diff[:6000]))
    raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def true(cond, why):
    if not cond:
        raise AssertionError(why)


def contains(text, needle, what="output"):
    if needle not in text:
        raise AssertionError("%s lacks %r:\n%s" % (what, needle, text[-4000:]))


def lacks(text, needle, what="output"):
    if needle in text:
        raise AssertionError("%s contains %r:\n%s" % (what, needle, text[-4000:]))


def match(regex, text, what="output", flags=re.M):
    m = re.search(regex, text, flags)
    if not m:
        raise AssertionError("%s does not match /%s/:\n%s" % (what, regex, text[-4000:]))
    return m


def where_lines(r, cfg_path):
    """Every non-empty stderr line must start "CFG:LINE:COL: "; returns the
    parsed (line, col, message) triples."""
    lines = r.err_lines()
    true(lines, "no error message at all\n" + r.describe())
    out = []
    for l in lines:
        m = WHERE_RE.match(l)
        true(m is not None and m.group("file") == cfg_path,
             "stderr line does not start with %s:LINE:COL: %r\n%s" % (cfg_path, l, r.describe()))
        out.append((int(m.group("line")), int(m.group("col")), m.group("msg")))
    return out


def points_at(path, line, col, token):
    """Asserts that LINE:COL of the file (1-based, col in characters) is
    where token starts."""
    lines = read(path, True).decode("utf-8", errors="surrogateescape").split("\n")
    true(1 <= line <= len(lines), "%s has no line %d" % (path, line))
    text = lines[line - 1]
    true(text[col - 1:].startswith(token),
         "%s:%d:%d points at %r, not at %r" % (path, line, col, text[col - 1:col + 30], token))


# ---- ranked output ----------------------------------------------------------

def parse_date(s, what):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        raise AssertionError("%s: %r is not a YYYY-MM-DD date" % (what, s))


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_opportunity(o, what, as_of=None):
    """The schema of one object of `run --format json`."""
    for k in ("rank", "account", "account_id", "type", "product", "propensity",
              "expected_uplift", "expected_value", "window", "hold", "reasons",
              "business_case", "next_action"):
        true(k in o, "%s: no key %r" % (what, k))
    true(isinstance(o["rank"], int) and not isinstance(o["rank"], bool), "%s: rank %r" % (what, o["rank"]))
    for k in ("account", "account_id", "product", "next_action"):
        true(isinstance(o[k], str) and o[k].strip(), "%s: %s is %r" % (what, k, o[k]))
    true(o["type"] in OPP_TYPES, "%s: type %r" % (what, o["type"]))
    p, u, ev = o["propensity"], o["expected_uplift"], o["expected_value"]
    true(is_num(p) and 0 <= p <= 100, "%s: propensity %r" % (what, p))
    true(is_num(u) and u > 0, "%s: expected_uplift %r" % (what, u))
    true(is_num(ev), "%s: expected_value %r" % (what, ev))
    # propensity is rounded to 0.1, uplift and value to 0.01
    tol = 0.05 / 100 * u + 0.005 + 0.01
    true(abs(ev - p / 100 * u) <= tol,
         "%s: expected_value %r != propensity %r / 100 x uplift %r" % (what, ev, p, u))
    w = o["window"]
    true(isinstance(w, dict) and set(w) >= {"start", "end"}, "%s: window %r" % (what, w))
    ws, we = parse_date(w["start"], what + " window.start"), parse_date(w["end"], what + " window.end")
    true(ws <= we, "%s: window %s..%s ends before it starts" % (what, ws, we))
    if as_of is not None:
        true(ws >= as_of, "%s: window starts %s, before as_of %s" % (what, ws, as_of))
    true(isinstance(o["hold"], list) and all(isinstance(h, str) and h for h in o["hold"]),
         "%s: hold %r" % (what, o["hold"]))
    true(isinstance(o["reasons"], list) and o["reasons"], "%s: no reasons" % what)
    for r in o["reasons"]:
        true(isinstance(r, dict) and isinstance(r.get("code"), str) and r["code"]
             and isinstance(r.get("text"), str) and r["text"] and is_num(r.get("weight")),
             "%s: bad reason %r" % (what, r))
    bc = o["business_case"]
    true(isinstance(bc, dict), "%s: business_case %r" % (what, bc))
    for k in ("current_arr", "uplift", "roi", "objections", "entry_point"):
        true(k in bc, "%s: business_case has no %r" % (what, k))
    true(bc["current_arr"] is None or (is_num(bc["current_arr"]) and bc["current_arr"] >= 0),
         "%s: current_arr %r" % (what, bc["current_arr"]))
    true(is_num(bc["uplift"]) and abs(bc["uplift"] - u) < 0.005,
         "%s: business_case.uplift %r != expected_uplift %r" % (what, bc["uplift"], u))
    true(isinstance(bc["roi"], str) and bc["roi"], "%s: roi %r" % (what, bc["roi"]))
    true(isinstance(bc["entry_point"], str) and bc["entry_point"],
         "%s: entry_point %r" % (what, bc["entry_point"]))
    obs = bc["objections"]
    true(isinstance(obs, list) and 1 <= len(obs) <= 3, "%s: %d objections" % (what, len(obs)))
    for ob in obs:
        true(isinstance(ob, dict) and isinstance(ob.get("objection"), str) and ob["objection"]
             and isinstance(ob.get("response"), str) and ob["response"],
             "%s: bad objection %r" % (what, ob))


def check_ranking(opps, as_of=None, first_rank=1):
    """Schema of every object, ranks first_rank.. in order, held after
    actionable, expected value non-increasing within each group."""
    true(isinstance(opps, list), "not a JSON array")
    for i, o in enumerate(opps):
        what = "opportunity #%d (%s / %s / %s)" % (i + 1, o.get("account"), o.get("type"), o.get("product"))
        check_opportunity(o, what, as_of)
        eq(o["rank"], first_rank + i, what + " rank")
    seen_held = False
    for i in range(len(opps)):
        held = bool(opps[i]["hold"])
        true(held or not seen_held,
             "rank %d is actionable but comes after a held opportunity" % opps[i]["rank"])
        seen_held = seen_held or held
        if i and bool(opps[i - 1]["hold"]) == held:
            true(opps[i - 1]["expected_value"] >= opps[i]["expected_value"],
                 "expected value rises from rank %d (%r) to rank %d (%r)" %
                 (opps[i - 1]["rank"], opps[i - 1]["expected_value"], opps[i]["rank"],
                  opps[i]["expected_value"]))


TITLE_RE = (r"^Top (\d+) of (\d+) expansion opportunities \((\d+) on hold\) across (\d+) "
            r"accounts, as of (\d{4}-\d\d-\d\d)$")


def table_title(text):
    m = match(TITLE_RE, text.split("\n", 1)[0], "table title")
    return tuple(int(m.group(i)) for i in range(1, 5)) + (m.group(5),)


# ---- a YAML subset (what `check` prints) ---------------------------------------

def _scalar(s, where):
    s = s.strip()
    if s.startswith('"'):
        true(s.endswith('"') and len(s) >= 2, "%s: unterminated quoted scalar %r" % (where, s))
        try:
            return json.loads(s)
        except ValueError:
            raise AssertionError("%s: bad quoted scalar %r" % (where, s))
    if s == "[]":
        return []
    if s == "{}":
        return {}
    return s


def _strip_comment(line):
    """Drops a "  # ..." comment outside double quotes."""
    q = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and q:
            i += 2
            continue
        if c == '"':
            q = not q
        elif c == "#" and not q and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
        i += 1
    return line.rstrip()


def parse_yaml_dump(text):
    """Parses the block YAML `expansiond check` prints (maps, lists of maps
    or scalars, plain or double-quoted scalars, comments). Raises
    AssertionError on anything else, so it doubles as a shape check."""
    lines = []
    for n, raw in enumerate(text.split("\n"), 1):
        true("\t" not in raw, "line %d has a tab" % n)
        s = _strip_comment(raw)
        if s.strip():
            lines.append((n, len(s) - len(s.lstrip(" ")), s.strip()))
    pos = [0]

    def block(indent):
        n, ind, s = lines[pos[0]]
        true(ind == indent, "line %d: indentation %d, expected %d" % (n, ind, indent))
        if s.startswith("- ") or s == "-":
            return seq(indent)
        return mapping(indent)

    def key_value(n, s, indent, into):
        m = re.match(r'^("(?:[^"\\]|\\.)*"|[^:]+):(?: (.*))?$', s)
        true(m is not None, "line %d: not 'key: value': %r" % (n, s))
        key = _scalar(m.group(1), "line %d" % n)
        true(key not in into, "line %d: duplicate key %r" % (n, key))
        if m.group(2) is not None and m.group(2).strip():
            into[key] = _scalar(m.group(2), "line %d" % n)
        elif pos[0] < len(lines) and lines[pos[0]][1] > indent:
            into[key] = block(lines[pos[0]][1])
        elif pos[0] < len(lines) and lines[pos[0]][1] == indent and lines[pos[0]][2].startswith("- "):
            into[key] = seq(indent)
        else:
            into[key] = None

    def mapping(indent):
        out = {}
        while pos[0] < len(lines) and lines[pos[0]][1] == indent and not lines[pos[0]][2].startswith("- "):
            n, _, s = lines[pos[0]]
            pos[0] += 1
            key_value(n, s, indent, out)
        true(pos[0] == len(lines) or lines[pos[0]][1] < indent or lines[pos[0]][2].startswith("- "),
             "line %d: unexpected indentation" % lines[min(pos[0], len(lines) - 1)][0])
        return out

    def seq(indent):
        out = []
        while pos[0] < len(lines) and lines[pos[0]][1] == indent and lines[pos[0]][2].startswith("- "):
            n, _, s = lines[pos[0]]
            rest = s[2:]
            if re.match(r'^("(?:[^"\\]|\\.)*"|[^":]+):( |$)', rest):
                # a mapping item: its first key is on the dash line
                lines[pos[0]] = (n, indent + 2, rest)
                out.append(mapping(indent + 2))
            else:
                pos[0] += 1
                out.append(_scalar(rest, "line %d" % n))
        return out

    true(lines, "empty document")
    doc = mapping(0)
    true(pos[0] == len(lines), "line %d: not parsed" % lines[min(pos[0], len(lines) - 1)][0])
    return doc


# ---- golden files -----------------------------------------------------------

def golden(name, actual):
    path = os.path.join(GOLDEN_DIR, name)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        write(path, actual)
        print("    (golden %s rewritten)" % os.path.relpath(path, SRC))
        return
    true(os.path.exists(path), "no golden file %s (run with UPDATE_GOLDEN=1 to create it)" % path)
    eq(actual, read(path), "output vs %s" % os.path.relpath(path, SRC))


# ---- the runner ---------------------------------------------------------------

class Suite:
    def __init__(self, name):
        self.name = name
        self.tests = []

    def test(self, fn):
        self.tests.append((fn.__name__, fn))
        return fn

    def add(self, name, fn):
        self.tests.append((name, fn))

    def main(self):
        selected = sys.argv[1:]
        passed = failed = skipped = 0
        true_bin = os.path.isfile(BIN) and os.access(BIN, os.X_OK)
        for name, fn in self.tests:
            if selected and not any(s in name for s in selected):
                continue
            if not true_bin:
                print("FAIL %s: the binary %s does not exist (run make)" % (name, BIN))
                failed += 1
                continue
            with tempfile.TemporaryDirectory(prefix="exd-it-") as tmp:
                try:
                    fn(tmp)
                except Skip as e:
                    skipped += 1
                    print("SKIP %s: %s" % (name, e))
                except subprocess.TimeoutExpired as e:
                    failed += 1
                    print("FAIL %s: timed out after %ss: %s" % (name, e.timeout, " ".join(e.cmd)))
                except AssertionError as e:
                    failed += 1
                    msg = str(e) or "assertion failed"
                    first, _, rest = msg.partition("\n")
                    print("FAIL %s: %s" % (name, first))
                    if rest:
                        print("\n".join("    " + l for l in rest.split("\n")))
                except Exception:
                    failed += 1
                    tb = traceback.format_exc()
                    print("FAIL %s: %s" % (name, tb.strip().split("\n")[-1]))
                    print("\n".join("    " + l for l in tb.rstrip().split("\n")))
                else:
                    passed += 1
                    print("ok %s" % name)
            sys.stdout.flush()
        print("[  PASSED  ] %d test(s)." % passed)
        if failed:
            print("[  FAILED  ] %d test(s)." % failed)
        if skipped:
            print("[  SKIPPED ] %d test(s)." % skipped)
        sys.exit(1 if failed else 0)
