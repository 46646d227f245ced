#!/usr/bin/env python3
"""Import coverage: every ONNX node-test model through the front end only.

Runs `kiln-compile MODEL --compile-to=graph` (import, verification, shape
inference, folding) on each case of the ONNX backend node suite and sorts
the outcomes: imported, a clean error (exit 1 with an `error:` line), or
anything else (a signal, another exit status, a hang past the time limit).
Prints the totals, then each case that did not import with its error line.
Exits 1 when any case crashed or hung.
"""

import argparse
import collections
import os
import subprocess
import sys

NODE_TESTS = "/usr/share/libonnx-testdata/data/node"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    compiler = os.path.join(args.build_dir, "bin", "kiln-compile")
    totals = collections.Counter()
    failures = []
    cases = sorted(os.listdir(NODE_TESTS))
    for case in cases:
        model = os.path.join(NODE_TESTS, case, "model.onnx")
        try:
            proc = subprocess.run([compiler, model, "--compile-to=graph", "-o", os.devnull],
                                  capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            totals["timeout"] += 1
            failures.append((case, "TIMEOUT"))
            continue
        if proc.returncode == 0:
            totals["imported"] += 1
            continue
        lines = proc.stderr.strip().splitlines()
        if proc.returncode == 1 and lines and "error:" in lines[0]:
            totals["clean error"] += 1
            failures.append((case, lines[0].replace(model + ": ", "")))
        else:
            totals["crash"] += 1
            failures.append((case, f"CRASH (exit status {proc.returncode})"))
    print(f"{len(cases)} node-test models: " +
          ", ".join(f"{n} {k}" for k, n in sorted(totals.items())))
    for case, reason in failures:
        print(f"  {case}: {reason}")
    return 1 if totals["crash"] or totals["timeout"] else 0


if __name__ == "__main__":
    sys.exit(main())
