#!/usr/bin/env python3
"""Runs a malformed-input corpus through a Kiln tool and checks each outcome.

Usage: check_malformed.py --tool PATH --manifest FILE [--timeout S] [--jobs N]

For each manifest entry (written by make_malformed_models.py or
make_malformed_artifacts.py), runs `TOOL FILE ARGS...` and requires:
- "error": exit status 1, exactly one line on stderr starting with
  `error: ` (matching the entry's regular expression, when it has one);
- "any": the same, or exit status 0 (a mutation that is a valid input);
and, for both, that the tool ends within the time limit. A crash, a
sanitizer report (the sanitizer build exits with its own status, 23 for a
leak), a hang or a second error line fails the entry. Prints one line of
totals, and the failures.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time


def check(tool, entry, timeout):
    """Runs one entry; returns (outcome, seconds, problem or None)."""
    cmd = [tool, entry["file"]] + entry["args"]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", timeout, f"took longer than {timeout:.0f} s"
    seconds = time.monotonic() - start
    stderr = proc.stderr.decode("utf-8", "replace")
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    if proc.returncode == 0 and entry["expect"] == "any":
        return "valid", seconds, None
    if proc.returncode != 1:
        return "bad", seconds, (f"exit status {proc.returncode}, expected 1\n"
                                + stderr[-4000:])
    if len(errors) != 1:
        return "bad", seconds, (f"{len(errors)} error lines, expected 1\n"
                                + stderr[-4000:])
    if entry.get("match") and not re.search(entry["match"], errors[0]):
        return "bad", seconds, (f"the error does not match "
                                f"'{entry['match']}':\n{errors[0]}")
    return "error", seconds, None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    entries = json.load(open(args.manifest))
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda e: check(args.tool, e, args.timeout),
                                entries))
    counts = {}
    failures = []
    slowest = 0.0
    for entry, (outcome, seconds, problem) in zip(entries, results):
        counts[outcome] = counts.get(outcome, 0) + 1
        slowest = max(slowest, seconds)
        if problem:
            failures.append(f"FAIL {os.path.basename(entry['file'])} "
                            f"{' '.join(entry['args'])}: {problem}")
    for failure in failures:
        print(failure)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    print(f"{len(entries)} inputs ({summary}); slowest {slowest:.2f} s, "
          f"all {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
