"""Runs a command and succeeds only if it exits with the given code.

    expect_exit.py CODE COMMAND [ARGS...]

Its output is passed through, so tests can FileCheck the messages; a signal
(a crash) never counts as the expected code.
"""
import subprocess
import sys

code = int(sys.argv[1])
result = subprocess.run(sys.argv[2:])
if result.returncode != code:
    print(f"expect_exit: expected exit code {code}, got {result.returncode}",
          file=sys.stderr)
    sys.exit(1)
