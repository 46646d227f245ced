#!/usr/bin/env python3
"""Runs every Kiln test suite and prints one summary line.

Suites: the lit tests (check-kiln), the GoogleTest unit tests (ctest), and,
where they exist, the model tests and the ONNX conformance ratchet. Each
suite's counts roll up into the last line, `N passed, N failed[, N skipped]`.
Exits non-zero when anything failed.
"""

import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LLVM_BIN = "/usr/lib/llvm-22/bin"


class Counts:
    def __init__(self, passed=0, failed=0, skipped=0):
        self.passed, self.failed, self.skipped = passed, failed, skipped

    def __iadd__(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        return self

    def line(self):
        text = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


def junit_counts(path):
    """Counts test cases in a JUnit XML file by outcome."""
    counts = Counts()
    if not os.path.exists(path):
        return counts
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            counts.failed += 1
        elif case.find("skipped") is not None:
            counts.skipped += 1
        else:
            counts.passed += 1
    return counts


def run_lit(build, results):
    xml = os.path.join(results, "lit.xml")
    cmd = [os.path.join(LLVM_BIN, "lit"), "-s", "--xunit-xml-output", xml,
           os.path.join(build, "test")]
    proc = subprocess.run(cmd)
    counts = junit_counts(xml)
    if proc.returncode != 0 and counts.failed == 0:
        counts.failed += 1  # lit itself failed before reporting tests.
    return counts


def run_ctest(build, results):
    xml = os.path.join(results, "ctest.xml")
    cmd = ["ctest", "--test-dir", os.path.join(build, "test"),
           "--output-on-failure", "--output-junit", xml,
           "-j", str(os.cpu_count() or 2)]
    proc = subprocess.run(cmd)
    counts = junit_counts(xml)
    if proc.returncode != 0 and counts.failed == 0:
        counts.failed += 1
    return counts


def run_script_suite(name, script, build, results):
    """A suite driven by a script of ours that writes JUnit XML."""
    xml = os.path.join(results, f"{name}.xml")
    cmd = [sys.executable, script, "--build-dir", build, "--junit", xml]
    proc = subprocess.run(cmd)
    counts = junit_counts(xml)
    if proc.returncode != 0 and counts.failed == 0:
        counts.failed += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--only", action="append",
                        help="run only the named suite (repeatable)")
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    results = os.path.join(build, "test-results")
    os.makedirs(results, exist_ok=True)

    suites = [
        ("lit", lambda: run_lit(build, results)),
        ("unit", lambda: run_ctest(build, results)),
    ]
    for name, script in [("models", "test/models/run_model_tests.py"),
                         ("conformance", "test/conformance/run_conformance.py")]:
        path = os.path.join(ROOT, script)
        if os.path.exists(path):
            suites.append((name, lambda n=name, p=path:
                           run_script_suite(n, p, build, results)))

    total = Counts()
    lines = []
    for name, run in suites:
        if args.only and name not in args.only:
            continue
        print(f"==> {name}", flush=True)
        start = time.time()
        counts = run()
        lines.append(f"{name:12s} {counts.line()}  ({time.time() - start:.0f} s)")
        total += counts
    print()
    for line in lines:
        print(line)
    print(total.line())
    return 1 if total.failed else 0


if __name__ == "__main__":
    sys.exit(main())
