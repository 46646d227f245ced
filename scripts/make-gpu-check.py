#!/usr/bin/env python3
"""Builds the GPU check bundle: everything scripts/gpu-check.sh needs on a
machine with a GPU and no compiler toolchain.

    /usr/bin/python3 scripts/make-gpu-check.py --build-dir build [--target rocm]

writes BUILD/gpu-check/ (under 64 MiB):

  bin/kiln-run, lib/libkiln_runtime.so.0   the runtime and its tool
  check.py, README.txt                     the driver run on the GPU machine
  kernels/NAME.kiln + NAME.json            small kernels of each GPU code
                                           path (tensor cores, TF32, scalar
                                           matmul, elementwise, reduction);
                                           inputs and references are made
                                           on the GPU machine with numpy
  gemm/gemm_DTYPE.kiln                     4096^3 GEMMs for the benchmark
  conformance/SUITE/CASE/                  CPU-passing ONNX cases: model.kiln,
                                           inputs (.pb) and reference outputs
                                           (.npy, converted here)
  models/NAME/                             model-test networks that compile:
                                           model.kiln, input_0.npy,
                                           output_0.npy (torch's output)
  manifest.json                            what is in, what was left out, why

Every artifact is compiled for --target (cuda: sm_80 and sm_90 cubins and
PTX, the default; rocm: code objects for gfx90a, gfx942 and gfx1100), and
the manifest names the runtime device that runs them. A network is left out, with the reason in the manifest, when it does
not compile yet or would push the bundle past the size limit.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "models"))
sys.path.insert(0, os.path.join(ROOT, "test", "Target"))
sys.path.insert(0, os.path.join(ROOT, "test", "conformance"))
DATA = "/usr/share/libonnx-testdata/data"
# The repository itself travels too (about 3 MiB).
LIMIT_BYTES = 58 * 1024 * 1024
# Per GPU target: the runtime device and the kiln-compile options.
GPU_TARGETS = {
    "cuda": ("cuda", ["--cuda-arch=sm_80,sm_90"]),
    "rocm": ("hip", ["--rocm-arch=gfx90a,gfx942,gfx1100"]),
}

#===----------------------------------------------------------------------===#
# Small kernels and GEMMs, written as graph-stage IR on linalg
#===----------------------------------------------------------------------===#

MATMUL = """#id2 = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
module {{
  func.func @main(%a: tensor<{m}x{k}x{t}>, %b: tensor<{k}x{n}x{t}>{bias_arg}) -> tensor<{m}x{n}x{t}> {{
    %z = arith.constant 0.0 : {t}
    %e = tensor.empty() : tensor<{m}x{n}x{t}>
    %f = linalg.fill ins(%z : {t}) outs(%e : tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}x{t}>
    %r = linalg.matmul ins(%a, %b : tensor<{m}x{k}x{t}>, tensor<{k}x{n}x{t}>) outs(%f : tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}x{t}>
{epilogue}
  }}
}}
"""

EPILOGUE = """    %y = linalg.generic {{indexing_maps = [#id2, #bias, #id2], iterator_types = ["parallel", "parallel"]}}
      ins(%r, %bias : tensor<{m}x{n}x{t}>, tensor<{n}x{t}>) outs(%e : tensor<{m}x{n}x{t}>) {{
    ^bb0(%x: {t}, %c: {t}, %o: {t}):
      %s = arith.addf %x, %c : {t}
      %u = math.tanh %s : {t}
      linalg.yield %u : {t}
    }} -> tensor<{m}x{n}x{t}>
    return %y : tensor<{m}x{n}x{t}>"""

BATCH_MATMUL = """module {{
  func.func @main(%a: tensor<{b}x{m}x{k}x{t}>, %b: tensor<{b}x{k}x{n}x{t}>) -> tensor<{b}x{m}x{n}x{t}> {{
    %z = arith.constant 0.0 : {t}
    %e = tensor.empty() : tensor<{b}x{m}x{n}x{t}>
    %f = linalg.fill ins(%z : {t}) outs(%e : tensor<{b}x{m}x{n}x{t}>) -> tensor<{b}x{m}x{n}x{t}>
    %r = linalg.batch_matmul ins(%a, %b : tensor<{b}x{m}x{k}x{t}>, tensor<{b}x{k}x{n}x{t}>) outs(%f : tensor<{b}x{m}x{n}x{t}>) -> tensor<{b}x{m}x{n}x{t}>
    return %r : tensor<{b}x{m}x{n}x{t}>
  }}
}}
"""

SOFTPLUS = """#id2 = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @main(%x: tensor<1000x1000xf32>) -> tensor<1000x1000xf32> {
    %e = tensor.empty() : tensor<1000x1000xf32>
    %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<1000x1000xf32>) outs(%e : tensor<1000x1000xf32>) {
    ^bb0(%v: f32, %o: f32):
      %one = arith.constant 1.0 : f32
      %a = math.exp %v : f32
      %b = arith.addf %a, %one : f32
      %c = math.log %b : f32
      linalg.yield %c : f32
    } -> tensor<1000x1000xf32>
    return %r : tensor<1000x1000xf32>
  }
}
"""

ROWSUM = """#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
module {
  func.func @main(%x: tensor<300x700xf32>) -> tensor<300xf32> {
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<300xf32>
    %f = linalg.fill ins(%z : f32) outs(%e : tensor<300xf32>) -> tensor<300xf32>
    %r = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<300x700xf32>) outs(%f : tensor<300xf32>) {
    ^bb0(%v: f32, %o: f32):
      %s = arith.addf %v, %o : f32
      linalg.yield %s : f32
    } -> tensor<300xf32>
    return %r : tensor<300xf32>
  }
}
"""


def matmul_ir(m, n, k, t, bias):
    epilogue = (EPILOGUE.format(m=m, n=n, t=t) if bias
                else f"    return %r : tensor<{m}x{n}x{t}>")
    return MATMUL.format(m=m, n=n, k=k, t=t, epilogue=epilogue,
                         bias_arg=f", %bias: tensor<{n}x{t}>" if bias else "")


# name -> (IR, extra kiln-compile flags, description for check.py)
def kernel_specs(target):
    specs = {}
    for t in ("f16", "bf16", "f32"):
        specs[f"linear_{t}"] = (
            matmul_ir(300, 260, 200, t, True), [],
            {"op": "linear", "dtype": t, "m": 300, "n": 260, "k": 200})
    if target == "cuda":
        specs["linear_tf32"] = (
            matmul_ir(300, 260, 200, "f32", True), ["--allow-tf32"],
            {"op": "linear", "dtype": "f32", "m": 300, "n": 260, "k": 200, "tf32": True})
    specs["matmul_f16_tiny"] = (
        matmul_ir(20, 24, 40, "f16", False), [],
        {"op": "matmul", "dtype": "f16", "m": 20, "n": 24, "k": 40})
    specs["batch_matmul_f16"] = (
        BATCH_MATMUL.format(b=12, m=128, n=128, k=64, t="f16"), [],
        {"op": "batch_matmul", "dtype": "f16", "b": 12, "m": 128, "n": 128, "k": 64})
    specs["softplus_f32"] = (SOFTPLUS, [], {"op": "softplus", "dtype": "f32",
                                            "shape": [1000, 1000]})
    specs["rowsum_f32"] = (ROWSUM, [], {"op": "rowsum", "dtype": "f32",
                                        "shape": [300, 700]})
    return specs


def gemm_specs(target):
    specs = {}
    for t in ("f16", "bf16", "f32"):
        specs[f"gemm_{t}"] = (matmul_ir(4096, 4096, 4096, t, False), [],
                              {"dtype": t, "m": 4096, "n": 4096, "k": 4096})
    if target == "cuda":
        specs["gemm_tf32"] = (matmul_ir(4096, 4096, 4096, "f32", False), ["--allow-tf32"],
                              {"dtype": "f32", "m": 4096, "n": 4096, "k": 4096, "tf32": True})
    return specs

#===----------------------------------------------------------------------===#
# Compiling
#===----------------------------------------------------------------------===#


# Targets of every artifact: the GPU target, and with --also-cpu the CPU
# where it compiles, so that check.py --device=cpu can test the check
# itself without a GPU.
TARGETS = []


def compile_model(build, source, out, flags):
    error = None
    gpu = TARGETS[-1]
    for targets in ([",".join(TARGETS)] + ([gpu] if len(TARGETS) > 1 else [])):
        error = compile_with(build, source, out, flags, targets)
        if not error:
            return None
    return error


def compile_with(build, source, out, flags, targets):
    cmd = [os.path.join(build, "bin", "kiln-compile"), source, "-o", out,
           f"--target={targets}", *GPU_TARGETS[TARGETS[-1]][1], *flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        return lines[-1] if lines else f"kiln-compile exit {proc.returncode}"
    if "warning" in proc.stderr:
        return proc.stderr.strip().splitlines()[0]
    return None


def folder_size(path):
    """Bytes as the device machines' transfer limit counts them: the files'
    sizes and 4 KiB per folder (a bundle holds thousands of case folders;
    counting files alone, a 57 MiB bundle was refused as over 64 MiB)."""
    total = 0
    for d, _, files in os.walk(path):
        total += 4096 + sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--out", help="bundle folder (default BUILD/gpu-check)")
    parser.add_argument("--target", default="cuda", choices=sorted(GPU_TARGETS),
                        help="the GPU target (default cuda)")
    parser.add_argument("--models", help="comma-separated networks to include (default: "
                        "all that compile and fit; a large one such as resnet18 may need a "
                        "bundle of its own)")
    parser.add_argument("--also-cpu", action="store_true",
                        help="add CPU kernels where they compile (to test check.py "
                             "with --device=cpu on a machine without a GPU)")
    args = parser.parse_args()
    if args.also_cpu:
        TARGETS.append("cpu")
    TARGETS.append(args.target)
    build = os.path.abspath(args.build_dir)
    out = os.path.abspath(args.out or os.path.join(build, "gpu-check"))
    start = time.time()
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "bin"))
    os.makedirs(os.path.join(out, "lib"))
    shutil.copy2(os.path.join(build, "bin", "kiln-run"), os.path.join(out, "bin"))
    shutil.copy2(os.path.join(build, "lib", "libkiln_runtime.so.0"), os.path.join(out, "lib"))
    here = os.path.join(ROOT, "scripts", "gpu-check")
    for name in ("check.py", "README.txt"):
        shutil.copy2(os.path.join(here, name), out)
    shutil.copy2(os.path.join(ROOT, "test", "models", "export_models.py"), out)
    manifest = {"created": time.strftime("%Y-%m-%d %H:%M:%S"), "target": args.target,
                "device": GPU_TARGETS[args.target][0],
                "options": GPU_TARGETS[args.target][1],
                "git": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                      capture_output=True, text=True).stdout.strip(),
                "kernels": {}, "gemm": {}, "conformance": [], "models": {}, "left_out": {}}

    for group, specs in (("kernels", kernel_specs(args.target)),
                         ("gemm", gemm_specs(args.target))):
        os.makedirs(os.path.join(out, group))
        for name, (ir, flags, description) in specs.items():
            source = os.path.join(out, group, name + ".mlir")
            with open(source, "w") as f:
                f.write(ir)
            error = compile_model(build, source, os.path.join(out, group, name + ".kiln"), flags)
            os.remove(source)
            if error:
                manifest["left_out"][f"{group}/{name}"] = error
                print(f"left out {group}/{name}: {error}")
                continue
            manifest[group][name] = description
            print(f"{group}/{name}: compiled", flush=True)

    # Conformance cases: artifact, inputs, and references as .npy (the GPU
    # machine may lack the onnx package).
    import numpy as np
    import compile_all as compile_for_gpu
    from run_conformance import tensor_to_array, load_tensor
    with open(os.path.join(ROOT, "test", "conformance", "expected-pass.txt")) as f:
        cases = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for case in cases:
        case_dir = os.path.join(DATA, case)
        dest = os.path.join(out, "conformance", case)
        os.makedirs(dest)
        flags = compile_for_gpu.input_shape_flags(case_dir)
        error = compile_model(build, os.path.join(case_dir, "model.onnx"),
                              os.path.join(dest, "model.kiln"), flags)
        if error:
            shutil.rmtree(dest)
            manifest["left_out"][case] = error
            continue
        for dataset in sorted(glob.glob(os.path.join(case_dir, "test_data_set_*"))):
            target = os.path.join(dest, os.path.basename(dataset))
            os.makedirs(target)
            for path in glob.glob(os.path.join(dataset, "input_*.pb")):
                shutil.copy2(path, target)
            for path in glob.glob(os.path.join(dataset, "output_*.pb")):
                k = re.findall(r"\d+", os.path.basename(path))[0]
                np.save(os.path.join(target, f"output_{k}.npy"),
                        tensor_to_array(load_tensor(path)))
        manifest["conformance"].append(case)
    print(f"conformance: {len(manifest['conformance'])} cases", flush=True)

    # The networks, smallest first, while the bundle stays under the limit.
    import export_models
    subprocess.run([sys.executable, os.path.join(ROOT, "test", "models", "export_models.py"),
                    "--build-dir", build], check=False)
    candidates = []
    wanted = args.models.split(",") if args.models else export_models.MODELS
    for name in wanted:
        model = os.path.join(build, "models", name, "model.onnx")
        if os.path.exists(model):
            candidates.append((os.path.getsize(model), name))
        else:
            manifest["left_out"][f"models/{name}"] = "not exported (needs torch)"
    for _, name in sorted(candidates):
        source_dir = os.path.join(build, "models", name)
        dest = os.path.join(out, "models", name)
        os.makedirs(dest)
        error = compile_model(build, os.path.join(source_dir, "model.onnx"),
                              os.path.join(dest, "model.kiln"), [])
        if error:
            shutil.rmtree(dest)
            manifest["left_out"][f"models/{name}"] = f"does not compile: {error}"
            print(f"left out models/{name}: {error}")
            continue
        for f in ("input_0.npy", "output_0.npy"):
            shutil.copy2(os.path.join(source_dir, f), dest)
        if folder_size(out) > LIMIT_BYTES:
            shutil.rmtree(dest)
            manifest["left_out"][f"models/{name}"] = (
                f"its weights would take the bundle past {LIMIT_BYTES >> 20} MiB")
            print(f"left out models/{name}: too large")
            continue
        manifest["models"][name] = {}
        print(f"models/{name}: compiled", flush=True)

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    size = folder_size(out)
    print(f"gpu-check bundle: {out}, {size / 2**20:.1f} MiB, "
          f"{time.time() - start:.0f} s")
    return 0 if size <= LIMIT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
