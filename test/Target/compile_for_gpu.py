#!/usr/bin/env python3
"""Compiles the model-test networks and the CPU-passing conformance cases
for a GPU target and checks every executable the artifact carries.

For each network of test/models (exported under BUILD/models; skipped
when torch cannot export them) and each case listed in
test/conformance/expected-pass.txt: kiln-compile --target=TARGET with the
given target options. A compile failure fails the case unless the CPU
cannot compile it either (then the case is skipped: the op is not lowered
yet). Each artifact must then carry, per architecture, the executable
formats expected (--expect), each checked by a target-specific check:

  cuda  PTX text with a matching .target, and a cubin (an ELF image,
        which only exists when ptxas assembled the PTX without error).
  rocm  a code object per architecture, each checked with llvm-readelf:
        EM_AMDGPU, every kernel symbol with its .kd descriptor,
        NT_AMDGPU_METADATA naming the architecture, no undefined symbols.

Prints one line per case and a summary; exits non-zero on any failure.
"""

import argparse
import multiprocessing
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = "/usr/share/libonnx-testdata/data"
EXPECTED = os.path.join(ROOT, "test", "conformance", "expected-pass.txt")
MODELS = ["resnet18", "mobilenet_v2", "transformer_encoder", "gpt2_block"]
LLVM_BIN = "/usr/lib/llvm-22/bin"


def elf_images(data):
    """(offset, bytes) of each 64-bit little-endian ELF image in `data`,
    sized by its section header table (which ends the file)."""
    images = []
    start = 0
    while True:
        i = data.find(b"\x7fELF\x02\x01", start)
        if i < 0:
            return images
        try:
            shoff, = struct.unpack_from("<Q", data, i + 0x28)
            shentsize, shnum = struct.unpack_from("<HH", data, i + 0x3A)
            size = shoff + shentsize * shnum
        except struct.error:
            return images
        if 64 <= size <= len(data) - i:
            images.append((i, data[i:i + size]))
            start = i + size
        else:
            start = i + 4


def check_cuda(artifact, archs, kernels_hint):
    data = open(artifact, "rb").read()
    for arch in archs:
        if not re.search(rb"\.target " + arch.encode() + rb"\b", data):
            return f"no PTX for {arch}"
    cubins = [img for _, img in elf_images(data)
              if struct.unpack_from("<H", img, 0x12)[0] == 190]  # EM_CUDA
    if len(cubins) < len(archs):
        return f"{len(cubins)} cubin(s) for {len(archs)} architecture(s)"
    return None


def readelf(path, *flags):
    proc = subprocess.run([os.path.join(LLVM_BIN, "llvm-readelf"), *flags, path],
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def check_rocm(artifact, archs, kernels_hint):
    data = open(artifact, "rb").read()
    objects = [img for _, img in elf_images(data)
               if struct.unpack_from("<H", img, 0x12)[0] == 224]  # EM_AMDGPU
    if len(objects) != len(archs):
        return f"{len(objects)} AMDGPU code object(s) for {len(archs)} architecture(s)"
    with tempfile.TemporaryDirectory() as tmp:
        for index, image in enumerate(objects):
            path = os.path.join(tmp, f"object{index}.hsaco")
            with open(path, "wb") as f:
                f.write(image)
            rc, header = readelf(path, "--file-header")
            if rc or "AMD GPU" not in header:
                return f"code object {index}: not an AMDGPU ELF"
            rc, notes = readelf(path, "--notes")
            arch = next((a for a in archs if f"amdhsa.target:   amdgcn-amd-amdhsa--{a}" in notes
                         or f"amdgcn-amd-amdhsa--{a}" in notes), None)
            if rc or "NT_AMDGPU_METADATA" not in notes or arch is None:
                return f"code object {index}: no NT_AMDGPU_METADATA naming one of {archs}"
            rc, symbols = readelf(path, "--dyn-symbols", "--symbols")
            if rc:
                return f"code object {index}: llvm-readelf --symbols failed"
            undefined = [l for l in symbols.splitlines()
                         if re.search(r"\sUND\s+\S", l)]
            if undefined:
                return f"code object {index} ({arch}): undefined symbol {undefined[0].split()[-1]}"
            names = set(re.findall(r"\s(\S+)$", symbols, re.M))
            kernels = [n for n in names if n + ".kd" in names]
            if not kernels:
                return f"code object {index} ({arch}): no kernel with a .kd descriptor"
            if kernels_hint and len(kernels) < kernels_hint:
                return (f"code object {index} ({arch}): {len(kernels)} kernel descriptors "
                        f"for {kernels_hint} dispatches")
    return None


CHECKS = {"cuda": check_cuda, "rocm": check_rocm}


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
    name, model, flags, args = job
    start = time.time()
    tools = os.path.join(args.build_dir, "bin")
    with tempfile.TemporaryDirectory() as tmp:
        artifact = os.path.join(tmp, "model.kiln")
        cmd = [os.path.join(tools, "kiln-compile"), model, "-o", artifact,
               f"--target={args.target}", *args.target_option, *flags]
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
        reason = CHECKS[args.target](artifact, args.archs, 0)
    return name, ("FAIL" if reason else "PASS"), reason or "", time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--target", required=True, choices=sorted(CHECKS))
    parser.add_argument("--archs", required=True,
                        help="comma-separated architectures the artifact must carry")
    parser.add_argument("--target-option", action="append", default=[],
                        help="a kiln-compile option for the target (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--conformance-limit", type=int, default=0,
                        help="compile only the first N conformance cases (0: all)")
    args = parser.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)
    args.archs = args.archs.split(",")

    jobs = []
    models_dir = os.path.join(args.build_dir, "models")
    for name in MODELS:
        path = os.path.join(models_dir, name, "model.onnx")
        if os.path.exists(path):
            jobs.append((f"models/{name}", path, [], args))
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
                         input_shape_flags(case_dir), args))

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
