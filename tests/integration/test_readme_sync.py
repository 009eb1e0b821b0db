#!/usr/bin/env python3
"""README.md's generated sections (demo and Maven outputs, --help, the config
key reference) equal what the binary under test prints now
(tests/update-readme --check). The Maven section is only checked when the
shared data is present."""
import os, subprocess, sys

src = os.environ["EXD_SRC"]
out = subprocess.run([sys.executable, os.path.join(src, "tests", "update-readme"), "--check"],
                     capture_output=True, text=True, timeout=600)
if out.returncode == 0:
    print("ok README generated sections are up to date")
    print("[  PASSED  ] 1 test(s).")
    sys.exit(0)
print("FAIL README out of date; run tests/update-readme:")
print(out.stdout[-4000:], out.stderr[-2000:])
print("[  PASSED  ] 0 test(s).")
print("[  FAILED  ] 1 test(s).")
sys.exit(1)
