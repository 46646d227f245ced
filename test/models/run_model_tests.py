#!/usr/bin/env python3
"""Model tests: the networks of export_models.py (the four benchmark
networks and attention_bias), compiled by Kiln, against torch's outputs.

Exports the networks (cached under BUILD/models, see export_models.py),
compiles each with kiln-compile for the CPU, runs it with kiln-run at 1 and
2 threads on the saved input, and compares with the output torch computed:
|a - b| <= atol + rtol * |b| with rtol 1e-3 and atol 1e-4. Also checks the
dispatch report: at most MAX_DISPATCHES kernels per network (what fusion
must achieve), each naming the ONNX nodes it computes.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import xml.sax.saxutils

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_models  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4
THREADS = [1, 2]
# Fusion's targets: resnet18 as the fusion issue sets it (24); the others
# as ratchets on what fusion reaches (the issue allows the 2-layer encoder
# 20 and the GPT-2 block 10; with attention as one kernel they take 10 and
# 7, and more would mean attention no longer fuses).
MAX_DISPATCHES = {"resnet18": 24, "mobilenet_v2": 56,
                  "transformer_encoder": 10, "gpt2_block": 7}


def check_report(name, report_path, results):
    test = f"{name}/dispatches"
    with open(report_path) as f:
        report = json.load(f)
    dispatches = report["dispatches"]
    unnamed = [d["name"] for d in dispatches if not d.get("onnx_nodes")]
    limit = MAX_DISPATCHES.get(name)
    if unnamed:
        results.append((test, f"dispatches without ONNX nodes: {unnamed[:5]}"))
    elif limit is not None and len(dispatches) > limit:
        results.append((test, f"{len(dispatches)} dispatches, at most {limit} expected"))
    else:
        results.append((test, None))
    bound = f"at most {limit}" if limit is not None else "no limit set"
    print(f"models {test}: {len(dispatches)} ({bound})", flush=True)


def check(build, name, results):
    tools = os.path.join(build, "bin")
    model_dir = os.path.join(build, "models", name)
    artifact = os.path.join(model_dir, "model.kiln")
    start = time.time()
    proc = subprocess.run([os.path.join(tools, "kiln-compile"),
                           os.path.join(model_dir, "model.onnx"), "-o", artifact,
                           "--report=" + os.path.join(model_dir, "report.json")],
                          capture_output=True, text=True, timeout=1200)
    compile_s = time.time() - start
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        for t in THREADS:
            results.append((f"{name}/threads={t}", f"compile failed: {reason[0]}"))
        print(f"models {name}: compile failed: {reason[0]}")
        return
    print(f"models {name}: compiled in {compile_s:.1f} s, "
          f"{os.path.getsize(artifact) / 1e6:.1f} MB", flush=True)
    check_report(name, os.path.join(model_dir, "report.json"), results)
    reference = np.load(os.path.join(model_dir, "output_0.npy"))
    for t in THREADS:
        out_dir = os.path.join(model_dir, f"out-{t}")
        os.makedirs(out_dir, exist_ok=True)
        proc = subprocess.run([os.path.join(tools, "kiln-run"), artifact, "--quiet",
                               f"--threads={t}", f"--output-dir={out_dir}",
                               "--input=" + os.path.join(model_dir, "input_0.npy")],
                              capture_output=True, text=True, timeout=600)
        test = f"{name}/threads={t}"
        if proc.returncode != 0:
            results.append((test, "kiln-run failed: " + proc.stderr.strip()[-300:]))
            continue
        out = np.load(os.path.join(out_dir, "output_0.npy"))
        if out.shape != reference.shape:
            results.append((test, f"shape {out.shape} vs {reference.shape}"))
            continue
        err = np.abs(out.astype(np.float64) - reference)
        ok = err <= ATOL + RTOL * np.abs(reference)
        if not ok.all():
            results.append((test, f"{int((~ok).sum())} of {ok.size} elements differ; "
                                  f"max abs error {err.max():.3g}"))
        else:
            results.append((test, None))
        print(f"models {test}: max abs error {err.max():.3g} "
              f"({'ok' if ok.all() else 'MISMATCH'})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--junit")
    parser.add_argument("models", nargs="*", default=export_models.MODELS)
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    rc = subprocess.run([sys.executable, os.path.join(HERE, "export_models.py"),
                         "--build-dir", build] + args.models).returncode
    if rc != 0:
        print("error: exporting the models failed", file=sys.stderr)
        return 1
    results = []
    for name in args.models:
        check(build, name, results)
    if args.junit:
        with open(args.junit, "w") as f:
            f.write('<?xml version="1.0"?>\n<testsuite name="models">\n')
            for test, failure in results:
                f.write(f'<testcase classname="models" name={xml.sax.saxutils.quoteattr(test)}>')
                if failure:
                    f.write(f"<failure>{xml.sax.saxutils.escape(failure)}</failure>")
                f.write("</testcase>\n")
            f.write("</testsuite>\n")
    failures = [r for r in results if r[1]]
    for test, failure in failures:
        print(f"FAILED {test}: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
