#!/usr/bin/env python3
"""Kiln on a GPU: correctness, then speed, from a prebuilt bundle.

Runs on a machine with a GPU driver (NVIDIA's, or ROCm for a bundle built
with --target rocm), Python 3 and numpy (torch is
optional: with it, every benchmark is shown beside PyTorch on the same
GPU). Needs nothing else: kiln-run, its runtime library and the artifacts
were compiled elsewhere (scripts/make-gpu-check.py). Started by
scripts/gpu-check.sh; run alone as

    python3 check.py [--out DIR] [--budget SECONDS]

In order, each step skipped (and reported so) when the time budget runs
out:

  1. environment: GPU, driver, torch
  2. kernels: one small artifact per GPU code path (tensor-core matmuls in
     f16 and bf16, TF32, scalar f32 matmul with a bias and tanh epilogue,
     batched matmul, elementwise, reduction) against numpy in float64
  3. models: the model-test networks against torch's outputs
  4. conformance: ONNX backend cases against their reference outputs
  5. benchmark: GEMM 4096^3 in f16, bf16, f32 (and TF32) in TFLOP/s, and
     each network in ms, beside PyTorch when it is importable

Results: results.md and results.json in --out. Exit status 0 when every
correctness check passed, 1 when one failed, 2 when the GPU could not be
used at all.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
KILN_RUN = os.path.join(HERE, "bin", "kiln-run")
BF16 = "bf16"
# The device kiln-run uses; "cpu" checks this script itself against a
# bundle built with --also-cpu, on a machine without a GPU.
DEVICE = "cuda"


class Budget:
    def __init__(self, seconds):
        self.end = time.time() + seconds

    def left(self):
        return self.end - time.time()


def run(cmd, timeout):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout} s"
    except OSError as e:
        return 127, "", str(e)


def last_error(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    return (lines[-1] if lines else "no message")[:300]

#===----------------------------------------------------------------------===#
# Tensors
#===----------------------------------------------------------------------===#


def to_bf16_bits(x):
    """float32 -> bfloat16 bits (round to nearest even), as uint16."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def from_bf16_bits(bits):
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def make_input(rng, shape, dtype, low=-1.0, high=1.0):
    """(array to save, float64 values the device sees)."""
    x = rng.uniform(low, high, size=shape).astype(np.float32)
    if dtype == "f16":
        a = x.astype(np.float16)
        return a, a.astype(np.float64)
    if dtype == BF16:
        bits = to_bf16_bits(x)
        return bits.view(np.dtype("V2")), from_bf16_bits(bits).astype(np.float64)
    return x, x.astype(np.float64)


def load_output(path, dtype):
    out = np.load(path)
    if dtype == BF16 or (out.dtype == np.uint16 and dtype is None):
        return from_bf16_bits(out)
    return out


def run_artifact(artifact, inputs, workdir, extra=(), timeout=120):
    """Saves `inputs` (list of arrays) as .npy, runs kiln-run on the GPU;
    returns (outputs folder, None) or (None, error)."""
    paths = []
    for i, array in enumerate(inputs):
        path = os.path.join(workdir, f"input_{i}.npy")
        np.save(path, array)
        paths.append(path)
    out_dir = os.path.join(workdir, "out")
    shutil.rmtree(out_dir, ignore_errors=True)
    rc, _, err = run([KILN_RUN, artifact, f"--device={DEVICE}", "--quiet",
                      f"--output-dir={out_dir}", *[f"--input={p}" for p in paths],
                      *extra], timeout)
    if rc != 0:
        return None, last_error(err)
    return out_dir, None


def compare(out, ref, rtol, atol):
    """(ok, max abs error, worst relative error)."""
    a = np.asarray(out, dtype=np.float64)
    b = np.asarray(ref, dtype=np.float64)
    if a.shape != b.shape:
        return False, float("inf"), float("inf")
    # Equal values (infinities of one sign among them) and NaN against NaN
    # match; inf - inf would otherwise make the error NaN.
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore"):
        err = np.where(same, 0.0, np.abs(a - b))
    ok = same | (np.isfinite(a) & np.isfinite(b) & (err <= atol + rtol * np.abs(b)))
    with np.errstate(invalid="ignore", divide="ignore"):
        worst = float(np.nanmax(np.where(same, 0.0, err / (atol + rtol * np.abs(b))))) \
            if err.size else 0.0
    return bool(ok.all()), float(err.max()) if err.size else 0.0, worst

#===----------------------------------------------------------------------===#
# Steps
#===----------------------------------------------------------------------===#


def environment():
    env = {"host": platform.node(), "python": platform.python_version(),
           "numpy": np.__version__}
    rc, out, _ = run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                      "--format=csv,noheader"], 30)
    if rc != 0:
        rc, out, _ = run(["rocm-smi", "--showproductname"], 30)
        out = " ".join(l.strip() for l in out.splitlines() if "GPU" in l)[:200]
    env["gpu"] = out.strip() if rc == 0 else "nvidia-smi and rocm-smi unavailable"
    try:
        import torch
        env["torch"] = torch.__version__
        env["torch_cuda"] = bool(torch.cuda.is_available())
        if env["torch_cuda"]:
            env["torch_device"] = torch.cuda.get_device_name(0)
            env["compute_capability"] = "sm_%d%d" % torch.cuda.get_device_capability(0)
    except Exception as e:  # torch is optional
        env["torch"] = f"not importable ({type(e).__name__}: {e})"[:200]
    try:
        import onnxruntime
        env["onnxruntime"] = onnxruntime.__version__
    except Exception:
        env["onnxruntime"] = "not importable"
    return env


# Tolerances per element type, relative and absolute, for matmul-like
# kernels against float64 (the inputs are already rounded to the type).
MATMUL_TOL = {"f16": (1e-2, 2e-2), BF16: (2e-2, 4e-2), "f32": (1e-4, 1e-4),
              "tf32": (5e-3, 2e-2)}


def kernel_inputs_and_reference(rng, d):
    op, t = d["op"], d["dtype"]
    if op in ("linear", "matmul"):
        a, a64 = make_input(rng, (d["m"], d["k"]), t)
        b, b64 = make_input(rng, (d["k"], d["n"]), t)
        ref = a64 @ b64
        inputs = [a, b]
        if op == "linear":
            bias, bias64 = make_input(rng, (d["n"],), t)
            inputs.append(bias)
            ref = np.tanh(ref + bias64)
        return inputs, ref, MATMUL_TOL["tf32" if d.get("tf32") else t]
    if op == "batch_matmul":
        a, a64 = make_input(rng, (d["b"], d["m"], d["k"]), t)
        b, b64 = make_input(rng, (d["b"], d["k"], d["n"]), t)
        return [a, b], a64 @ b64, MATMUL_TOL[t]
    if op == "softplus":
        x, x64 = make_input(rng, tuple(d["shape"]), t, -5.0, 5.0)
        return [x], np.log1p(np.exp(x64)), (1e-4, 1e-5)
    if op == "rowsum":
        x, x64 = make_input(rng, tuple(d["shape"]), t)
        return [x], x64.sum(axis=1), (1e-4, 1e-4)
    raise ValueError(f"unknown kernel op {op}")


def check_kernels(manifest, budget, work):
    results = []
    rng = np.random.default_rng(0)
    for name, d in manifest.get("kernels", {}).items():
        if budget.left() < 30:
            results.append({"name": name, "status": "SKIPPED", "detail": "time budget"})
            continue
        inputs, ref, (rtol, atol) = kernel_inputs_and_reference(rng, d)
        folder = os.path.join(work, name)
        os.makedirs(folder, exist_ok=True)
        out_dir, error = run_artifact(os.path.join(HERE, "kernels", name + ".kiln"),
                                      inputs, folder)
        if error:
            results.append({"name": name, "status": "ERROR", "detail": error})
            continue
        out = load_output(os.path.join(out_dir, "output_0.npy"),
                          BF16 if d["dtype"] == BF16 else "")
        ok, max_err, worst = compare(out, ref, rtol, atol)
        results.append({"name": name, "status": "PASS" if ok else "FAIL",
                        "detail": f"max abs error {max_err:.3g} (tolerance used "
                                  f"{worst:.2f} of rtol {rtol:g} atol {atol:g})"})
    return results


def check_conformance_case(case, budget, work):
    if budget.left() < 60:
        return {"name": case, "status": "SKIPPED", "detail": "time budget"}
    case_dir = os.path.join(HERE, "conformance", case)
    status, detail = "PASS", ""
    for dataset in sorted(d for d in os.listdir(case_dir) if d.startswith("test_data_set")):
        data = os.path.join(case_dir, dataset)
        inputs = sorted((f for f in os.listdir(data) if f.startswith("input_")),
                        key=lambda f: int(f[6:-3]))
        out_dir = os.path.join(work, "conformance", case.replace("/", "_"), dataset)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(os.path.dirname(out_dir), exist_ok=True)
        rc, _, err = run([KILN_RUN, os.path.join(case_dir, "model.kiln"),
                          f"--device={DEVICE}", "--quiet", f"--output-dir={out_dir}",
                          *[f"--input={os.path.join(data, f)}" for f in inputs]], 60)
        if rc != 0:
            status, detail = "ERROR", last_error(err)
            break
        for ref_file in sorted(f for f in os.listdir(data) if f.startswith("output_")):
            ref = np.load(os.path.join(data, ref_file))
            out = np.load(os.path.join(out_dir, ref_file))
            if ref.dtype == np.float32 and out.dtype == np.uint16:
                out = from_bf16_bits(out)
            if out.shape != ref.shape or (out.dtype != ref.dtype):
                status = "FAIL"
                detail = f"{ref_file}: {out.dtype}{list(out.shape)} vs {ref.dtype}{list(ref.shape)}"
                break
            if ref.dtype.kind in "fc":
                ok, max_err, _ = compare(out, ref, 1e-3, 1e-7)
                inf_ok = np.array_equal(np.isinf(out), np.isinf(ref))
                if not ok or not inf_ok:
                    status, detail = "FAIL", f"{ref_file}: max abs error {max_err:.3g}"
                    break
            elif not np.array_equal(out, ref):
                status, detail = "FAIL", f"{ref_file}: values differ"
                break
        if status != "PASS":
            break
    return {"name": case, "status": status, "detail": detail}


def check_conformance(manifest, budget, work):
    # One case at a time: on the GPU machines, kiln-run processes started
    # together wait on each other's GPU context creation (eight at once
    # checked 411 cases in the time one at a time checks all 995).
    return [check_conformance_case(case, budget, work)
            for case in manifest.get("conformance", [])]


def check_models(manifest, budget, work):
    results = []
    for name in manifest.get("models", {}):
        if budget.left() < 60:
            results.append({"name": name, "status": "SKIPPED", "detail": "time budget"})
            continue
        folder = os.path.join(HERE, "models", name)
        out_dir = os.path.join(work, "models", name)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(os.path.dirname(out_dir), exist_ok=True)
        rc, _, err = run([KILN_RUN, os.path.join(folder, "model.kiln"), f"--device={DEVICE}",
                          "--quiet", f"--output-dir={out_dir}",
                          "--input=" + os.path.join(folder, "input_0.npy")], 180)
        if rc != 0:
            results.append({"name": name, "status": "ERROR", "detail": last_error(err)})
            continue
        ok, max_err, worst = compare(np.load(os.path.join(out_dir, "output_0.npy")),
                                     np.load(os.path.join(folder, "output_0.npy")),
                                     1e-3, 1e-4)
        results.append({"name": name, "status": "PASS" if ok else "FAIL",
                        "detail": f"max abs error {max_err:.3g} against torch "
                                  f"(rtol 1e-3, atol 1e-4 as in the model tests)"})
    return results


def torch_gemm_tflops(dtype, n, tf32):
    import torch
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch_type = {"f16": torch.float16, BF16: torch.bfloat16, "f32": torch.float32}[dtype]
    a = torch.randn(n, n, device="cuda", dtype=torch_type)
    b = torch.randn(n, n, device="cuda", dtype=torch_type)
    for _ in range(3):
        torch.matmul(a, b)
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(20):
        start.record()
        torch.matmul(a, b)
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    torch.backends.cuda.matmul.allow_tf32 = False
    ms = float(np.median(times))
    return 2.0 * n ** 3 / (ms * 1e-3) / 1e12, ms


def benchmark_gemm(manifest, budget, work, torch_ok):
    rows = []
    rng = np.random.default_rng(1)
    for name, d in manifest.get("gemm", {}).items():
        if DEVICE == "cpu":
            rows.append({"name": name, "status": "SKIPPED", "detail": "GPU only"})
            continue
        if budget.left() < 45:
            rows.append({"name": name, "status": "SKIPPED", "detail": "time budget"})
            continue
        t, n = d["dtype"], d["m"]
        label = "tf32" if d.get("tf32") else t
        row = {"name": name, "dtype": label}
        folder = os.path.join(work, name)
        os.makedirs(folder, exist_ok=True)
        a, a64 = make_input(rng, (n, n), t)
        b, b64 = make_input(rng, (n, n), t)
        json_path = os.path.join(folder, "bench.json")
        out_dir, error = run_artifact(os.path.join(HERE, "gemm", name + ".kiln"), [a, b],
                                      folder, ["--benchmark=20", "--per-dispatch",
                                               f"--benchmark-json={json_path}"], 300)
        if error:
            row.update(status="ERROR", detail=error)
            rows.append(row)
            continue
        with open(json_path) as f:
            bench = json.load(f)
        dispatches = bench.get("per_dispatch") or []
        ms = sum(x["median_ms"] for x in dispatches) if dispatches else bench["median_ms"]
        row["kiln_ms"] = ms
        row["kiln_tflops"] = 2.0 * n ** 3 / (ms * 1e-3) / 1e12
        # Correctness of the first 64 rows against float64.
        out = load_output(os.path.join(out_dir, "output_0.npy"), BF16 if t == BF16 else "")
        ref = a64[:64] @ b64
        scale = float(np.abs(ref).max())
        rel = float(np.abs(out[:64].astype(np.float64) - ref).max() / scale)
        limit = 1e-5 if label == "f32" else 2e-2
        row["status"] = "PASS" if rel <= limit else "FAIL"
        row["detail"] = f"first 64 rows: max error {rel:.2g} of max |C| (limit {limit:g})"
        if torch_ok:
            try:
                row["torch_tflops"], row["torch_ms"] = torch_gemm_tflops(
                    t, n, bool(d.get("tf32")))
            except Exception as e:
                row["torch"] = f"{type(e).__name__}: {e}"[:200]
        rows.append(row)
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def torch_model_ms(name):
    import torch
    sys.path.insert(0, HERE)
    import export_models
    model, example, _ = export_models.build(name)
    model = model.eval().cuda()
    x = example.cuda()
    with torch.inference_mode():
        for _ in range(5):
            model(x)
        torch.cuda.synchronize()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        times = []
        for _ in range(50):
            start.record()
            model(x)
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
    return float(np.median(times))


def benchmark_models(manifest, budget, work, torch_ok):
    rows = []
    for name in manifest.get("models", {}):
        if budget.left() < 45:
            rows.append({"name": name, "status": "SKIPPED", "detail": "time budget"})
            continue
        folder = os.path.join(HERE, "models", name)
        row = {"name": name}
        variants = [("kiln_ms", [])]
        if DEVICE == "cuda":
            variants.append(("kiln_graph_ms", ["--cuda-graph"]))
        for label, extra in variants:
            json_path = os.path.join(work, f"{name}-{label}.json")
            rc, _, err = run([KILN_RUN, os.path.join(folder, "model.kiln"), f"--device={DEVICE}",
                              "--quiet", "--benchmark=50", f"--benchmark-json={json_path}",
                              "--input=" + os.path.join(folder, "input_0.npy"), *extra], 180)
            if rc != 0:
                row[label] = None
                row["detail"] = last_error(err)
                continue
            with open(json_path) as f:
                row[label] = json.load(f)["median_ms"]
        if torch_ok:
            try:
                row["torch_ms"] = torch_model_ms(name)
            except Exception as e:
                row["torch"] = f"{type(e).__name__}: {e}"[:200]
        row["status"] = "DONE" if row.get("kiln_ms") else "ERROR"
        rows.append(row)
    return rows

#===----------------------------------------------------------------------===#
# Report
#===----------------------------------------------------------------------===#


def fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def write_report(out, report):
    lines = ["# Kiln GPU check", ""]
    for key, value in report["environment"].items():
        lines.append(f"- {key}: {value}")
    lines.append(f"- bundle: {report['bundle']}")
    for section in ("kernels", "conformance", "models"):
        rows = report.get(section, [])
        counts = {}
        for r in rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        lines += ["", f"## {section}: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())),
                  "", "| name | status | detail |", "|---|---|---|"]
        for r in rows:
            if section != "conformance" or r["status"] != "PASS":
                lines.append(f"| {r['name']} | {r['status']} | {r.get('detail', '')} |")
    lines += ["", "## GEMM 4096^3 (kernel time; TFLOP/s)", "",
              "| dtype | kiln ms | kiln TFLOP/s | torch ms | torch TFLOP/s | check |",
              "|---|---|---|---|---|---|"]
    for r in report.get("gemm", []):
        lines.append(f"| {r.get('dtype', r['name'])} | {fmt(r.get('kiln_ms'))} | "
                     f"{fmt(r.get('kiln_tflops'))} | {fmt(r.get('torch_ms'))} | "
                     f"{fmt(r.get('torch_tflops'))} | {r['status']}: {r.get('detail', '')} |")
    lines += ["", "## Networks (median ms per run; kiln includes input and output copies)", "",
              "| network | kiln | kiln + CUDA graph | torch (eager) | note |",
              "|---|---|---|---|---|"]
    for r in report.get("model_bench", []):
        lines.append(f"| {r['name']} | {fmt(r.get('kiln_ms'))} | {fmt(r.get('kiln_graph_ms'))} | "
                     f"{fmt(r.get('torch_ms'))} | {r.get('detail', r.get('torch', ''))} |")
    if report.get("left_out"):
        lines += ["", "## Left out of the bundle when it was built", ""]
        lines += [f"- {k}: {v}" for k, v in report["left_out"].items()]
    lines += ["", f"Finished in {report['seconds']:.0f} s: {report['verdict']}", ""]
    text = "\n".join(lines)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(report, f, indent=1)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(HERE, "results"))
    parser.add_argument("--budget", type=float, default=420,
                        help="seconds for the whole check (default 420)")
    parser.add_argument("--device", choices=["cuda", "hip", "cpu"],
                        help="the runtime device (default: the bundle's); cpu "
                             "tests this script against a bundle built with "
                             "--also-cpu, without a GPU")
    args = parser.parse_args()
    with open(os.path.join(HERE, "manifest.json")) as f:
        manifest = json.load(f)
    global DEVICE
    DEVICE = args.device or manifest.get("device", "cuda")
    start = time.time()
    budget = Budget(args.budget)
    os.makedirs(args.out, exist_ok=True)
    report = {"bundle": f"git {manifest.get('git')} built {manifest.get('created')}, "
                        f"target {manifest.get('target', 'cuda')}, device {DEVICE}",
              "left_out": manifest.get("left_out", {})}
    print("== environment", flush=True)
    report["environment"] = environment()
    for k, v in report["environment"].items():
        print(f"   {k}: {v}", flush=True)
    torch_ok = bool(report["environment"].get("torch_cuda"))

    work = tempfile.mkdtemp(prefix="kiln-gpu-check-")
    exit_code = 0
    try:
        # The networks before the conformance cases, which take the most
        # time and are the first to be cut short by the budget.
        steps = [("kernels", check_kernels), ("models", check_models),
                 ("conformance", check_conformance)]
        unusable = False
        for key, step in steps:
            if unusable:
                break
            print(f"== {key}", flush=True)
            try:
                report[key] = step(manifest, budget, work)
            except Exception:
                report[key] = [{"name": key, "status": "ERROR",
                                "detail": traceback.format_exc().splitlines()[-1]}]
            for r in report[key]:
                if r["status"] != "PASS" or key != "conformance":
                    print(f"   {r['status']:8s} {r['name']}: {r.get('detail', '')}", flush=True)
            passed = sum(r["status"] == "PASS" for r in report[key])
            print(f"   {passed}/{len(report[key])} passed", flush=True)
            if any(r["status"] in ("FAIL", "ERROR") for r in report[key]):
                exit_code = 1
            # Every kernel failing to start means no usable GPU, not wrong
            # code: nothing after that would tell more.
            unusable = key == "kernels" and bool(report[key]) and all(
                r["status"] == "ERROR" and any(
                    word in r.get("detail", "")
                    for word in ("CUDA driver", "no CUDA device", "cuInit",
                                 "HIP runtime", "no usable HIP device", "hipInit"))
                for r in report[key])
        if unusable:
            exit_code = 2
            print("== benchmark skipped: the GPU could not be used", flush=True)
        else:
            print("== benchmark: GEMM", flush=True)
            report["gemm"] = benchmark_gemm(manifest, budget, work, torch_ok)
            for r in report["gemm"]:
                print(f"   {r.get('dtype', r['name']):5s} kiln {fmt(r.get('kiln_tflops'))} TFLOP/s, "
                      f"torch {fmt(r.get('torch_tflops'))} TFLOP/s  [{r['status']}: "
                      f"{r.get('detail', '')}]", flush=True)
                if r["status"] in ("FAIL", "ERROR"):
                    exit_code = max(exit_code, 1)
            print("== benchmark: networks", flush=True)
            report["model_bench"] = benchmark_models(manifest, budget, work, torch_ok)
            for r in report["model_bench"]:
                print(f"   {r['name']}: kiln {fmt(r.get('kiln_ms'))} ms, with CUDA graph "
                      f"{fmt(r.get('kiln_graph_ms'))} ms, torch {fmt(r.get('torch_ms'))} ms "
                      f"{r.get('detail', r.get('torch', ''))}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = time.time() - start
    report["verdict"] = {0: "every correctness check passed",
                         1: "some correctness checks failed",
                         2: "the GPU could not be used"}[exit_code]
    text = write_report(args.out, report)
    print()
    print(text)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
