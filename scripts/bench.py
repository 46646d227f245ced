#!/usr/bin/env python3
"""make bench: Kiln against ONNX Runtime on the CPU, and GEMM throughput.

1. Sets up a virtual environment under BUILD/bench-venv with the pinned
   ONNX Runtime CPU package (Debian's numpy and torch stay visible).
2. Measures the machine's single-thread FMA peak with a small C loop.
3. GEMM micro-benchmark: f32 squares 256 to 2048 and the GEMM shapes of the
   four model-test networks, compiled by Kiln, in GFLOP/s of the GEMM
   kernel's time and as a share of the peak, at one thread; beside it the
   rate of the whole run, which adds the copies of inputs and output.
4. The four model-test networks at 1 and 2 threads: Kiln (kiln-run) and ORT
   interleaved in rounds on the same input, session creation and artifact
   loading excluded for both; medians over at least 30 runs each.
Writes bench/results.md and bench/results.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORT_VERSION = "1.30.0"
MODELS = ["resnet18", "mobilenet_v2", "transformer_encoder", "gpt2_block"]
THREADS = [1, 2]
ROUNDS, RUNS_PER_ROUND = 6, 6  # 36 timed runs per engine, model and threads
# Runs each round discards before its timed runs, for both engines alike
# (beyond kiln-run's own warm-up run and the ORT worker's first run): on
# this shared machine the first few runs of a fresh process are often
# 10-35% slower than the rest, for either engine.
WARMUP_RUNS = 3
CLANG = "/usr/lib/llvm-22/bin/clang"


def ensure_venv(build):
    venv = os.path.join(build, "bench-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call(["/usr/bin/python3", "-m", "venv",
                               "--system-site-packages", venv])
    probe = subprocess.run([python, "-c", "import onnxruntime; print(onnxruntime.__version__)"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != ORT_VERSION:
        subprocess.check_call([python, "-m", "pip", "install", "-q",
                               f"onnxruntime=={ORT_VERSION}"])
    return python


def fma_peak(build):
    exe = os.path.join(build, "bench", "fma_peak")
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    subprocess.check_call([CLANG, "-O2", "-march=native", "-ffp-contract=fast",
                           os.path.join(ROOT, "scripts", "fma_peak.c"), "-o", exe])
    best = 0.0
    for _ in range(3):
        out = subprocess.check_output([exe], text=True).split()
        best = max(best, float(out[0]))
    return best


def kiln_times(build, artifact, inputs, threads, runs, per_dispatch=False):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        cmd = [os.path.join(build, "bin", "kiln-run"), artifact, "--quiet",
               f"--threads={threads}", f"--benchmark={runs}",
               f"--benchmark-json={f.name}"] + [f"--input={i}" for i in inputs]
        if per_dispatch:
            cmd.append("--per-dispatch")
        subprocess.check_call(cmd, stdout=subprocess.DEVNULL)
        return json.load(open(f.name))


ORT_WORKER = r"""
import json, sys, time
import numpy as np
import onnxruntime as ort
model, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
inputs = [np.load(p) for p in sys.argv[4:]]
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
feed = {i.name: x for i, x in zip(sess.get_inputs(), inputs)}
sess.run(None, feed)
times = []
for _ in range(runs):
    t = time.perf_counter()
    sess.run(None, feed)
    times.append((time.perf_counter() - t) * 1e3)
print(json.dumps(times))
"""


def ort_times(python, model, inputs, threads, runs):
    out = subprocess.check_output([python, "-c", ORT_WORKER, model, str(threads),
                                   str(runs)] + inputs, text=True)
    return json.loads(out)


def gemm_graph(m, n, k):
    return f"""func.func @main(%a: tensor<{m}x{k}xf32> {{graph.name = "a"}}, %b: tensor<{k}x{n}xf32> {{graph.name = "b"}}) -> (tensor<{m}x{n}xf32> {{graph.name = "c"}}) {{
  %e = tensor.empty() : tensor<{m}x{n}xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  %r = linalg.matmul ins(%a, %b : tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) outs(%f : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %r : tensor<{m}x{n}xf32>
}}
"""


def gemm_bench(build, python, peak):
    import numpy as np
    shapes = [(s, s, s, f"square {s}") for s in (256, 512, 1024, 2048)]
    # The GEMM shapes of the networks (M, N, K): resnet18/mobilenet_v2's
    # classifier, the transformer encoder's projections and feed-forward,
    # the GPT-2 block's QKV, output and MLP projections (seq 128).
    shapes += [(1, 1000, 512, "resnet18 fc"), (1, 1000, 1280, "mobilenet_v2 fc"),
               (128, 768, 256, "encoder qkv"), (128, 256, 256, "encoder out"),
               (128, 2048, 256, "encoder ff1"), (128, 256, 2048, "encoder ff2"),
               (128, 2304, 768, "gpt2 qkv"), (128, 768, 768, "gpt2 proj"),
               (128, 3072, 768, "gpt2 fc1"), (128, 768, 3072, "gpt2 fc2")]
    work = os.path.join(build, "bench", "gemm")
    os.makedirs(work, exist_ok=True)
    rows = []
    for m, n, k, label in shapes:
        src = os.path.join(work, f"gemm_{m}x{n}x{k}.mlir")
        art = src.replace(".mlir", ".kiln")
        with open(src, "w") as f:
            f.write(gemm_graph(m, n, k))
        subprocess.check_call([os.path.join(build, "bin", "kiln-compile"), src, "-o", art])
        a = os.path.join(work, f"a_{m}x{k}.npy")
        b = os.path.join(work, f"b_{k}x{n}.npy")
        np.save(a, np.random.rand(m, k).astype(np.float32))
        np.save(b, np.random.rand(k, n).astype(np.float32))
        runs = max(10, min(200, int(2e9 / (2 * m * n * k))))
        # The GEMM's own rate is its kernel's time (--per-dispatch: the one
        # dispatch, waited for); a run also copies the inputs into the
        # arena and the output out, which the run's rate includes.
        result = kiln_times(build, art, [a, b], 1, runs, per_dispatch=True)
        kernel_ms = sum(d["median_ms"] for d in result["per_dispatch"])
        flop = 2 * m * n * k
        gflops = flop / (kernel_ms * 1e-3) / 1e9
        run_gflops = flop / (result["median_ms"] * 1e-3) / 1e9
        rows.append({"shape": [m, n, k], "label": label, "median_ms": result["median_ms"],
                     "kernel_median_ms": kernel_ms, "gflops": gflops,
                     "run_gflops": run_gflops, "percent_of_peak": 100 * gflops / peak})
        print(f"gemm {label:16s} {m}x{n}x{k}: {gflops:7.1f} GFLOP/s "
              f"({100 * gflops / peak:5.1f}% of peak; {run_gflops:.1f} with the "
              f"run's copies)", flush=True)
    return rows


def model_bench(build, python):
    subprocess.check_call(["/usr/bin/python3", os.path.join(ROOT, "test", "models",
                                                            "export_models.py"),
                           "--build-dir", build])
    results = []
    for name in MODELS:
        model_dir = os.path.join(build, "models", name)
        model = os.path.join(model_dir, "model.onnx")
        artifact = os.path.join(build, "bench", f"{name}.kiln")
        start = time.time()
        proc = subprocess.run([os.path.join(build, "bin", "kiln-compile"), model,
                               "-o", artifact], capture_output=True, text=True)
        compile_s = time.time() - start
        if proc.returncode != 0:
            print(f"model {name}: kiln-compile failed: {proc.stderr.strip()}")
            results.append({"model": name, "error": proc.stderr.strip()})
            continue
        inputs = [os.path.join(model_dir, "input_0.npy")]
        info = subprocess.check_output([os.path.join(build, "bin", "kiln-run"), artifact,
                                        "--quiet"] + [f"--input={i}" for i in inputs],
                                       text=True)
        entry = {"model": name, "compile_s": compile_s,
                 "artifact_bytes": os.path.getsize(artifact), "threads": {}}
        for threads in THREADS:
            kiln, ort = [], []
            for _ in range(ROUNDS):
                kiln += kiln_times(build, artifact, inputs, threads,
                                   WARMUP_RUNS + RUNS_PER_ROUND)["times_ms"][WARMUP_RUNS:]
                ort += ort_times(python, model, inputs, threads,
                                 WARMUP_RUNS + RUNS_PER_ROUND)[WARMUP_RUNS:]
            k, o = statistics.median(kiln), statistics.median(ort)
            entry["threads"][str(threads)] = {"kiln_ms": k, "ort_ms": o, "ratio": k / o,
                                              "runs": len(ort)}
            print(f"model {name} threads={threads}: kiln {k:8.2f} ms, ort {o:8.2f} ms, "
                  f"ratio {k / o:.2f}", flush=True)
        results.append(entry)
    return results


def git_head():
    try:
        return subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                       text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(peak, gemm, models, load_start):
    out_dir = os.path.join(ROOT, "bench")
    os.makedirs(out_dir, exist_ok=True)
    geomeans = {}
    for threads in THREADS:
        ratios = [m["threads"][str(threads)]["ratio"] for m in models if "threads" in m]
        if ratios and len(ratios) == len(models):
            prod = 1.0
            for r in ratios:
                prod *= r
            geomeans[str(threads)] = prod ** (1 / len(ratios))
    data = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.processor() or
            platform.machine(), "ort_version": ORT_VERSION, "fma_peak_gflops": peak,
            "git": git_head(), "load_average": {"start": load_start,
                                                 "end": os.getloadavg()[0]},
            "gemm": gemm, "models": models, "geomean_ratio": geomeans}
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(data, f, indent=1)
    lines = ["# Kiln benchmark results", "",
             "Written by `make bench` (scripts/bench.py); do not edit by hand.", "",
             f"Measured {data['date']} by `make bench` on this machine; ONNX Runtime "
             f"{ORT_VERSION} (CPU). Medians of {ROUNDS * RUNS_PER_ROUND} runs per engine: "
             f"{ROUNDS} rounds of {RUNS_PER_ROUND} runs, each round's first {WARMUP_RUNS} "
             "runs discarded, Kiln and ORT interleaved round by round; session creation "
             "and loading excluded.", "",
             f"Git commit {data['git']}. Load average (1 minute) at the start "
             f"{load_start:.1f}, at the end {data['load_average']['end']:.1f}: on a "
             "shared machine, other tenants' work slows both engines.", "",
             f"Single-thread FMA peak (measured): {peak:.1f} GFLOP/s.", "",
             "## Models", "", "| model | threads | Kiln ms | ORT ms | Kiln/ORT |",
             "|---|---|---|---|---|"]
    for m in models:
        if "threads" not in m:
            lines.append(f"| {m['model']} | - | does not compile | | |")
            continue
        for t, r in m["threads"].items():
            lines.append(f"| {m['model']} | {t} | {r['kiln_ms']:.2f} | {r['ort_ms']:.2f} | "
                         f"{r['ratio']:.2f} |")
    for t, g in geomeans.items():
        lines.append(f"| geomean | {t} | | | {g:.2f} |")
    lines += ["", "## GEMM (f32, one thread)", "",
              "GFLOP/s of the GEMM kernel (median of its dispatch time, "
              "`kiln-run --per-dispatch`), and of the whole run, which also "
              "copies the inputs into the arena and the result out.", "",
              "| shape (M x N x K) | what | kernel GFLOP/s | % of peak | run GFLOP/s |",
              "|---|---|---|---|---|"]
    for g in gemm:
        m, n, k = g["shape"]
        lines.append(f"| {m} x {n} x {k} | {g['label']} | {g['gflops']:.1f} | "
                     f"{g['percent_of_peak']:.1f} | {g['run_gflops']:.1f} |")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--skip-gemm", action="store_true")
    parser.add_argument("--skip-models", action="store_true")
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    load_start = os.getloadavg()[0]
    python = ensure_venv(build)
    peak = fma_peak(build)
    print(f"fma peak: {peak:.1f} GFLOP/s (one thread)", flush=True)
    gemm = [] if args.skip_gemm else gemm_bench(build, python, peak)
    models = [] if args.skip_models else model_bench(build, python)
    write_results(peak, gemm, models, load_start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
