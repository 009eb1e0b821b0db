#!/usr/bin/env bash
# The systemd units: `systemd-analyze verify` accepts them (with ExecStart
# pointed at the binary under test) and `systemd-analyze security` rates the
# service's exposure at most 2.0 ("OK"). Skips when systemd-analyze is absent.
set -u
cd "$EXD_SRC"
pass=0; fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
no() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP systemd units: systemd-analyze not installed"
  echo "[  SKIPPED ] 2 test(s)."; echo "[  PASSED  ] 0 test(s)."; exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/bin/expansiond|$EXPANSIOND|g; s|/etc/expansiond/expansiond.yaml|$EXD_SRC/conf/demo.yaml|g" \
  systemd/expansiond.service > "$tmp/expansiond.service"
cp systemd/expansiond.timer "$tmp/"
out=$(cd "$tmp" && systemd-analyze verify ./expansiond.service ./expansiond.timer 2>&1)
if [ -z "$out" ]; then ok "verify"; else no "verify" "$out"; fi
level=$(systemd-analyze security --offline=yes "$tmp/expansiond.service" 2>&1 |
        sed -n 's/.*Overall exposure level for expansiond.service: \([0-9.]*\).*/\1/p')
if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
  ok "security exposure $level <= 2.0"
else
  no "security" "exposure '$level' (want <= 2.0)"
fi
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ] || { echo "[  FAILED  ] $fail test(s)."; exit 1; }
