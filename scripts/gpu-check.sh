#!/usr/bin/env bash
#===- gpu-check.sh - Kiln on a GPU, from a prebuilt bundle ---------------===#
#
# Usage: scripts/gpu-check.sh [BUNDLE] [OUT]
#
#   BUNDLE  the folder `make gpu-artifacts` wrote (default build/gpu-check)
#   OUT     where results.md and results.json go (default $OUT when set, as
#           on the device machines, else BUNDLE/results)
#
# For a machine with an NVIDIA GPU and driver (or an AMD GPU and ROCm, for
# a bundle built with `make gpu-artifacts GPU_TARGET=rocm`), Python 3 and
# numpy, and no compiler toolchain: the bundle carries kiln-run, the runtime
# and every artifact. Checks correctness (small kernels of each GPU code path, the ONNX
# conformance cases, the model-test networks), then benchmarks GEMM 4096^3
# in f16, bf16, f32 and TF32 and the networks, beside PyTorch when torch
# imports. Stops itself after about 7 minutes. Exit status: 0 all correct,
# 1 a correctness check failed, 2 the GPU could not be used, 3 the machine
# lacks what the check needs.
#
#===----------------------------------------------------------------------===#
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle=${1:-$here/../build/gpu-check}
out=${2:-${OUT:-$bundle/results}}

if [[ ! -f "$bundle/manifest.json" || ! -x "$bundle/bin/kiln-run" ]]; then
  echo "gpu-check: no bundle at '$bundle' (build one with 'make gpu-artifacts' on a machine with the Kiln toolchain)" >&2
  exit 3
fi
# The first Python 3 with numpy ($PYTHON first); torch is used if it has it.
python=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3 /usr/local/bin/python3; do
  [[ -n "$candidate" ]] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c "import numpy" 2>/dev/null; then
    python=$path
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "gpu-check: needs a python3 with numpy (set PYTHON=...)" >&2
  exit 3
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
elif command -v rocm-smi >/dev/null; then
  rocm-smi --showproductname
else
  echo "gpu-check: neither nvidia-smi nor rocm-smi found; trying the driver anyway" >&2
fi
mkdir -p "$out"
echo "gpu-check: bundle $bundle, results in $out"
# The check keeps its own budget (420 s); the timeout is the backstop.
timeout --signal=INT 470 "$python" "$bundle/check.py" --out "$out" --budget 420
status=$?
if [[ $status -eq 124 ]]; then
  echo "gpu-check: stopped after 470 s; partial results may be missing" >&2
fi
exit $status
