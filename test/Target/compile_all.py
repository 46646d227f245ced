#!/usr/bin/env python3
"""Compiles the model-test networks and the CPU-passing conformance cases
for one target and checks every executable the artifact carries.

For each network of test/models (exported under BUILD/models) and each case
listed in test/conformance/expected-pass.txt: kiln-compile --target=TARGET
with the given target options. A compile failure fails the case unless the
CPU cannot compile it either (then it is skipped: an op not lowered yet).
Every artifact is then read (artifact_reader.py) and given to the target's
check module (--check, e.g. test/Target/CUDA/check_artifact.py), whose
`check(dispatches, executables, archs)` returns None or what is wrong.
A new target adds its own check module; this driver stays as it is.
The conformance cases may be compiled for fewer architectures than the
networks (--conformance-archs with --conformance-target-option): one per
family of chips that share their code generation keeps the coverage of the
op lowerings at a fraction of the time.

Prints one line per failing case and a summary; exits non-zero on any
failure.
"""

import argparse
import importlib.util
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = "/usr/share/libonnx-testdata/data"
EXPECTED = os.path.join(ROOT, "test", "conformance", "expected-pass.txt")
sys.path.insert(0, HERE)
import artifact_reader  # noqa: E402

MODELS = ["resnet18", "mobilenet_v2", "transformer_encoder", "gpt2_block"]


def load_check(path):
    """The `check(dispatches, executables, archs)` function of a target's
    check module."""
    spec = importlib.util.spec_from_file_location("target_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check


def input_shape_flags(case_dir):
    """--input-shape flags from the first test data set, as the conformance
    runner does."""
    import glob
    import onnx
    model = onnx.load(os.path.join(case_dir, "model.onnx"), load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    datasets = sorted(glob.glob(os.path.join(case_dir, "test_data_set_*")))
    if not datasets:
        return []
    files = sorted(glob.glob(os.path.join(datasets[0], "input_*.pb")),
                   key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    flags = []
    for name, path in zip(inputs, files):
        tensor = onnx.TensorProto()
        with open(path, "rb") as f:
            tensor.ParseFromString(f.read())
        flags.append(f"--input-shape={name}:" + "x".join(str(d) for d in tensor.dims))
    return flags


def run_case(job):
    name, model, flags, args, archs, target_options = job
    start = time.time()
    tools = os.path.join(args.build_dir, "bin")
    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, "model.kiln")
        cmd = [os.path.join(tools, "kiln-compile"), model, "-o", artifact,
               f"--target={args.target}", *target_options, *flags]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            cpu = subprocess.run([os.path.join(tools, "kiln-compile"), model, "-o",
                                  os.path.join(tmp, "cpu.kiln"), *flags],
                                 capture_output=True, text=True, timeout=1800)
            if cpu.returncode != 0:
                return name, "SKIP", "the CPU does not compile it either", time.time() - start
            lines = [l for l in proc.stderr.splitlines() if l.strip()]
            return name, "FAIL", (lines[-1] if lines else f"exit {proc.returncode}")[:400], \
                time.time() - start
        if "warning" in proc.stderr:
            return name, "FAIL", proc.stderr.strip().splitlines()[0][:400], time.time() - start
        dispatches, executables = artifact_reader.read_executables(artifact)
        reason = load_check(args.check)(dispatches, executables, archs)
    return name, ("FAIL" if reason else "PASS"), reason or "", time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--target", required=True, help="a registered target")
    parser.add_argument("--check", required=True,
                        help="the target's check module (check_artifact.py)")
    parser.add_argument("--archs", required=True,
                        help="comma-separated architectures the artifact must carry")
    parser.add_argument("--target-option", action="append", default=[],
                        help="a kiln-compile option for the target (repeatable)")
    parser.add_argument("--conformance-archs",
                        help="the architectures of the conformance cases, when "
                             "fewer than the networks' (comma-separated)")
    parser.add_argument("--conformance-target-option", action="append",
                        help="the target options of the conformance cases, "
                             "when not --target-option's (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--conformance-limit", type=int, default=0,
                        help="compile only the first N conformance cases (0: all)")
    args = parser.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)
    args.archs = args.archs.split(",")
    case_archs = (args.conformance_archs.split(",") if args.conformance_archs
                  else args.archs)
    case_options = (args.conformance_target_option
                    if args.conformance_target_option is not None
                    else args.target_option)

    jobs = []
    models_dir = os.path.join(args.build_dir, "models")
    for name in MODELS:
        path = os.path.join(models_dir, name, "model.onnx")
        if os.path.exists(path):
            jobs.append((f"models/{name}", path, [], args, args.archs,
                         args.target_option))
        else:
            print(f"SKIP models/{name}: not exported (test/models/export_models.py)")
    cases = []
    with open(EXPECTED) as f:
        cases = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    if args.conformance_limit:
        cases = cases[:args.conformance_limit]
    for case in cases:
        case_dir = os.path.join(DATA, case)
        if os.path.exists(os.path.join(case_dir, "model.onnx")):
            jobs.append((case, os.path.join(case_dir, "model.onnx"),
                         input_shape_flags(case_dir), args, case_archs,
                         case_options))

    start = time.time()
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    with multiprocessing.Pool(args.jobs) as pool:
        for name, status, reason, seconds in pool.imap_unordered(run_case, jobs):
            counts[status] += 1
            if status != "PASS" or name.startswith("models/"):
                print(f"{status} {name} ({seconds:.1f} s){': ' + reason if reason else ''}",
                      flush=True)
    print(f"{args.target}: {counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped in {time.time() - start:.0f} s")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
