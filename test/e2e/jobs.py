"""What the end-to-end suites share: running a tool, and running test cases
on a thread pool with a report."""

import concurrent.futures
import subprocess
import sys
import tempfile


def run(command, cwd=None):
    """Runs `command`; raises with its stderr if it fails."""
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}:\n{result.stderr}")


def script(module):
    """torch.jit.script(module), retried once on CPython 3.11's spurious
    "AST constructor recursion depth mismatch" SystemError, which threaded
    programs hit now and then (python/cpython#106905, fixed after Debian
    12's 3.11.2)."""
    import torch
    try:
        return torch.jit.script(module)
    except SystemError as e:
        if "recursion depth mismatch" not in str(e):
            raise
        return torch.jit.script(module)


class NotRun(Exception):
    """A case that does not apply (e.g. a model lstmc refuses cleanly):
    reported, and not a failure."""


def run_cases(cases, workers, prefix, what):
    """Runs `cases`, (name, check) pairs where check(workdir) returns the
    case's worst error, raises NotRun, or raises on a failure, on `workers`
    threads in a temporary directory. Prints a line per case and a summary
    counting `what`; returns the exit status."""
    failures, not_run, worst = [], 0, (0.0, "")
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            futures = {pool.submit(check, work): name
                       for name, check in cases}
            for future in concurrent.futures.as_completed(futures):
                name = futures[future]
                try:
                    error = future.result()
                    worst = max(worst, (error, name))
                    print(f"ok   {name}: max error {error:.3g}", flush=True)
                except NotRun as e:
                    not_run += 1
                    print(f"--   {name}: {e}", flush=True)
                except Exception as e:  # report every failure, then fail
                    failures.append(f"{name}: {e}")
                    print(f"FAIL {name}", flush=True)
    ran = len(cases) - not_run
    print(f"\n{ran - len(failures)}/{ran} {what} passed"
          + (f" ({not_run} not run)" if not_run else "")
          + f"; worst error {worst[0]:.3g} ({worst[1]})")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0
