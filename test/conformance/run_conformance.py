#!/usr/bin/env python3
"""The ONNX backend test suite on Kiln's CPU target, with a ratchet.

For each case under the ONNX test data (node, simple, pytorch-converted,
pytorch-operator): compile model.onnx with kiln-compile (input shapes taken
from the case's input tensors), run every test_data_set_N with kiln-run, and
compare each output with the reference like the ONNX backend runner does:
|a - b| <= atol + rtol * |b| (rtol 1e-3, atol 1e-7), NaN equals NaN, exact
for integers and bool, dtype and shape must match.

Each case is PASS, FAIL (numerics), ERROR (a clean error), UNSUPPORTED (a
clean error naming an unsupported op or type), CRASH (a signal or an
unexpected exit status) or TIMEOUT. The report goes to
build/conformance/report.{md,json}.

The ratchet: test/conformance/expected-pass.txt lists the cases that pass.
The run fails when a listed case stops passing, or on any CRASH or TIMEOUT;
it prints the cases that pass but are not listed, so the list can grow
(--update-expected rewrites it).
"""

import argparse
import collections
import glob
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.sax.saxutils

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data"
SUITES = ["node", "simple", "pytorch-converted", "pytorch-operator"]
HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "expected-pass.txt")
RTOL, ATOL = 1e-3, 1e-7
COMPILE_TIMEOUT, RUN_TIMEOUT = 180, 60


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return tensor


def tensor_to_array(tensor):
    """Reference values; bfloat16 comes back as float32."""
    if tensor.data_type == onnx.TensorProto.BFLOAT16:
        if tensor.raw_data:
            bits = np.frombuffer(tensor.raw_data, dtype=np.uint16)
        else:
            bits = np.array(tensor.int32_data, dtype=np.uint32).astype(np.uint16)
        wide = bits.astype(np.uint32) << 16
        return wide.view(np.float32).reshape(tuple(tensor.dims))
    return numpy_helper.to_array(tensor)


def classify_error(returncode, stderr):
    """PASS is decided elsewhere; this sorts a failing tool run."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    first = next((l for l in lines if l.startswith("error:")), None)
    if returncode == 1 and first is not None:
        low = first.lower()
        kind = "UNSUPPORTED" if ("unsupported" in low or "not supported" in low
                                 or "does not support" in low) else "ERROR"
        return kind, first
    reason = lines[-1] if lines else ""
    return "CRASH", f"exit status {returncode}: {reason}"[:300]


def compare(name, out, ref):
    """None when `out` matches `ref`, else a one-line reason."""
    if ref.dtype == np.dtype("float32") and out.dtype == np.uint16:
        # bfloat16 written as raw bits.
        out = (out.astype(np.uint32) << 16).view(np.float32)
    if out.shape != ref.shape:
        return f"output '{name}' has shape {list(out.shape)}, expected {list(ref.shape)}"
    if out.dtype != ref.dtype:
        return f"output '{name}' has dtype {out.dtype}, expected {ref.dtype}"
    if out.dtype.kind in "fc":
        a = out.astype(np.float64)
        b = ref.astype(np.float64)
        both_nan = np.isnan(a) & np.isnan(b)
        same_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
        close = np.abs(a - b) <= ATOL + RTOL * np.abs(b)
        ok = both_nan | same_inf | close
        if not ok.all():
            idx = np.argwhere(~ok)[0]
            i = tuple(idx)
            return (f"output '{name}' differs at {list(idx)}: {a[i]!r} vs "
                    f"{b[i]!r} ({int((~ok).sum())} of {ok.size} elements)")
        return None
    if not np.array_equal(out, ref):
        bad = np.argwhere(out != ref)
        i = tuple(bad[0])
        return (f"output '{name}' differs at {list(bad[0])}: {out[i]!r} vs "
                f"{ref[i]!r} ({len(bad)} of {out.size} elements)")
    return None


def model_op_types(model):
    ops = set()

    def walk(graph):
        for node in graph.node:
            ops.add(node.op_type)
            for attr in node.attribute:
                if attr.HasField("g"):
                    walk(attr.g)
                for g in attr.graphs:
                    walk(g)
    walk(model.graph)
    return sorted(ops)


def run_case(args):
    suite, case, tools, workdir = args
    case_dir = os.path.join(DATA, suite, case)
    result = {"suite": suite, "case": case, "ops": [], "status": "PASS",
              "reason": "", "seconds": 0.0}
    start = time.time()
    try:
        model = onnx.load(os.path.join(case_dir, "model.onnx"),
                          load_external_data=False)
        result["ops"] = model_op_types(model)
        initializers = {t.name for t in model.graph.initializer}
        inputs = [i.name for i in model.graph.input if i.name not in initializers]
    except Exception as e:  # A model the onnx package cannot read.
        result.update(status="ERROR", reason=f"onnx cannot load the model: {e}")
        return result
    datasets = sorted(glob.glob(os.path.join(case_dir, "test_data_set_*")))
    if not datasets:
        result.update(status="ERROR", reason="no test data")
        return result

    out_dir = os.path.join(workdir, suite, case)
    os.makedirs(out_dir, exist_ok=True)
    artifact = os.path.join(out_dir, "model.kiln")
    cmd = [tools["kiln-compile"], os.path.join(case_dir, "model.onnx"),
           "-o", artifact]
    first_inputs = sorted(glob.glob(os.path.join(datasets[0], "input_*.pb")),
                          key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    for name, path in zip(inputs, first_inputs):
        dims = list(load_tensor(path).dims)
        cmd.append(f"--input-shape={name}:" + "x".join(str(d) for d in dims))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        result.update(status="TIMEOUT", reason=f"kiln-compile took over {COMPILE_TIMEOUT} s",
                      seconds=time.time() - start)
        return result
    if proc.returncode != 0:
        status, reason = classify_error(proc.returncode, proc.stderr)
        result.update(status=status, reason=reason, seconds=time.time() - start)
        return result

    for dataset in datasets:
        input_files = sorted(glob.glob(os.path.join(dataset, "input_*.pb")),
                             key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
        output_files = sorted(glob.glob(os.path.join(dataset, "output_*.pb")),
                              key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
        run_dir = os.path.join(out_dir, os.path.basename(dataset))
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        cmd = [tools["kiln-run"], artifact, "--quiet", f"--output-dir={run_dir}"]
        cmd += [f"--input={f}" for f in input_files]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            result.update(status="TIMEOUT", reason=f"kiln-run took over {RUN_TIMEOUT} s",
                          seconds=time.time() - start)
            return result
        if proc.returncode != 0:
            status, reason = classify_error(proc.returncode, proc.stderr)
            result.update(status=status, reason=reason, seconds=time.time() - start)
            return result
        for k, ref_file in enumerate(output_files):
            ref_tensor = load_tensor(ref_file)
            ref = tensor_to_array(ref_tensor)
            out_path = os.path.join(run_dir, f"output_{k}.npy")
            if not os.path.exists(out_path):
                result.update(status="FAIL", reason=f"output {k} was not written",
                              seconds=time.time() - start)
                return result
            reason = compare(ref_tensor.name or str(k), np.load(out_path), ref)
            if reason:
                result.update(status="FAIL", reason=reason, seconds=time.time() - start)
                return result
    result["seconds"] = time.time() - start
    shutil.rmtree(out_dir, ignore_errors=True)
    return result


def write_report(results, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    by_suite = collections.OrderedDict((s, collections.Counter()) for s in SUITES)
    per_op = collections.defaultdict(lambda: [0, 0])
    for r in results:
        by_suite[r["suite"]][r["status"]] += 1
        if r["suite"] == "node":
            for op in r["ops"]:
                per_op[op][0] += 1
                per_op[op][1] += r["status"] == "PASS"
    statuses = ["PASS", "FAIL", "ERROR", "UNSUPPORTED", "CRASH", "TIMEOUT"]
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump({"suites": {s: dict(c) for s, c in by_suite.items()},
                   "ops": {op: {"cases": v[0], "passed": v[1]}
                           for op, v in sorted(per_op.items())},
                   "cases": results}, f, indent=1)
    lines = ["# Kiln ONNX conformance report", "",
             "| suite | cases | " + " | ".join(statuses) + " |",
             "|---|---|" + "---|" * len(statuses)]
    for s, c in by_suite.items():
        total = sum(c.values())
        lines.append(f"| {s} | {total} | " + " | ".join(str(c[x]) for x in statuses) + " |")
    lines += ["", "## Node tests per op", "", "| op | cases | passed |", "|---|---|---|"]
    for op, (cases, passed) in sorted(per_op.items()):
        lines.append(f"| {op} | {cases} | {passed} |")
    lines += ["", "## Cases that do not pass", "", "| suite | case | status | reason |",
              "|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (r["suite"], r["case"])):
        if r["status"] != "PASS":
            reason = r["reason"].replace("|", "\\|")
            lines.append(f"| {r['suite']} | {r['case']} | {r['status']} | {reason} |")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return by_suite


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--junit", help="write the ratchet as JUnit XML here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--filter", help="only cases whose name matches this regex")
    parser.add_argument("--suite", action="append", choices=SUITES)
    parser.add_argument("--update-expected", action="store_true",
                        help="rewrite expected-pass.txt with the passing cases")
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    tools = {t: os.path.join(build, "bin", t) for t in ("kiln-compile", "kiln-run")}
    for t, path in tools.items():
        if not os.path.exists(path):
            print(f"error: {path} does not exist; build first", file=sys.stderr)
            return 1
    suites = args.suite or SUITES
    cases = []
    for suite in suites:
        for case in sorted(os.listdir(os.path.join(DATA, suite))):
            if args.filter and not re.search(args.filter, case):
                continue
            if os.path.exists(os.path.join(DATA, suite, case, "model.onnx")):
                cases.append((suite, case))
    workdir = tempfile.mkdtemp(prefix="kiln-conformance-")
    start = time.time()
    with multiprocessing.Pool(args.jobs) as pool:
        results = []
        for i, r in enumerate(pool.imap_unordered(
                run_case, [(s, c, tools, workdir) for s, c in cases])):
            results.append(r)
            if (i + 1) % 100 == 0:
                print(f"conformance: {i + 1}/{len(cases)} cases", flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    results.sort(key=lambda r: (r["suite"], r["case"]))
    out_dir = os.path.join(build, "conformance")
    by_suite = write_report(results, out_dir)

    for s, c in by_suite.items():
        if s in suites:
            total = sum(c.values())
            print(f"conformance {s}: {c['PASS']}/{total} pass "
                  f"({c['FAIL']} fail, {c['ERROR']} error, {c['UNSUPPORTED']} "
                  f"unsupported, {c['CRASH']} crash, {c['TIMEOUT']} timeout)")
    print(f"conformance: {time.time() - start:.0f} s; report in {out_dir}/report.md")

    key = lambda r: f"{r['suite']}/{r['case']}"
    passing = {key(r) for r in results if r["status"] == "PASS"}
    expected = set()
    if os.path.exists(EXPECTED):
        with open(EXPECTED) as f:
            expected = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    ran = {key(r) for r in results}
    regressions = sorted((expected & ran) - passing)
    new = sorted(passing - expected)
    hard = [r for r in results if r["status"] in ("CRASH", "TIMEOUT")]
    for case in regressions:
        r = next(r for r in results if key(r) == case)
        print(f"REGRESSION {case}: {r['status']}: {r['reason']}")
    for r in hard:
        print(f"{r['status']} {key(r)}: {r['reason']}")
    if new:
        print(f"{len(new)} case(s) pass that expected-pass.txt does not list "
              f"(run with --update-expected to add them):")
        for case in new[:50]:
            print(f"  {case}")
    if args.update_expected:
        keep = expected - ran
        with open(EXPECTED, "w") as f:
            f.write("# Cases of the ONNX backend tests that pass on the CPU (the ratchet).\n")
            for case in sorted(keep | passing):
                f.write(case + "\n")

    if args.junit:
        with open(args.junit, "w") as f:
            f.write('<?xml version="1.0"?>\n<testsuite name="conformance">\n')
            for r in results:
                k = key(r)
                name = xml.sax.saxutils.quoteattr(k)
                f.write(f"<testcase classname=\"conformance\" name={name}>")
                reason = xml.sax.saxutils.escape(r["reason"])
                if r["status"] in ("CRASH", "TIMEOUT") or k in regressions:
                    f.write(f"<failure message={xml.sax.saxutils.quoteattr(r['status'])}>"
                            f"{reason}</failure>")
                elif r["status"] != "PASS" and k not in expected:
                    f.write(f"<skipped message={xml.sax.saxutils.quoteattr(r['status'])}/>")
                f.write("</testcase>\n")
            f.write("</testsuite>\n")
    return 1 if regressions or hard else 0


if __name__ == "__main__":
    sys.exit(main())
