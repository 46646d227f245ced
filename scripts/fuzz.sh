#!/usr/bin/env bash
#===- fuzz.sh - Seed and run Kiln's libFuzzer targets ----------------------===#
#
# Usage: scripts/fuzz.sh BUILD_DIR FUZZ_BUILD_DIR [TARGET...]
#
# Runs each fuzz target (default: import, artifact) of FUZZ_BUILD_DIR, one
# after the other, for FUZZ_SECONDS seconds (default 180) or FUZZ_RUNS
# executions, whichever comes first, under `nice`. Seeds:
#   import:   the ONNX node-test models, the demo model and the saved
#             regression inputs;
#   artifact: artifacts compiled by BUILD_DIR's kiln-compile from a handful
#             of node tests and the demo model, and the regression inputs.
# The working corpus (what the fuzzer found) stays in
# FUZZ_BUILD_DIR/corpus/TARGET between runs; crashes go to
# FUZZ_BUILD_DIR/crashes/TARGET/ and make the script fail. Each run's log
# is FUZZ_BUILD_DIR/fuzz-TARGET.log; its last lines give the executions
# (stat::number_of_executed_units) and the coverage (cov:, ft:).
# See docs/hardening.md.
#
#===------------------------------------------------------------------------===#

set -euo pipefail

BUILD_DIR=$(realpath "${1:?usage: fuzz.sh BUILD_DIR FUZZ_BUILD_DIR [TARGET...]}")
FUZZ_DIR=$(realpath "${2:?usage: fuzz.sh BUILD_DIR FUZZ_BUILD_DIR [TARGET...]}")
shift 2
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(import artifact)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-180}
RUNS=${FUZZ_RUNS:--1}
NODE_TESTS=/usr/share/libonnx-testdata/data/node

# The node tests whose artifacts seed the artifact target: elementwise,
# convolution, pooling, a reduction, data movement, control flow.
ARTIFACT_SEEDS=(test_add test_relu test_conv_with_strides_padding
  test_maxpool_2d_default test_reduce_mean_default_axes_keepdims_example
  test_transpose_default test_gather_0 test_matmul_2d test_softmax_axis_1
  test_concat_2d_axis_0 test_where_example test_if)

seed_import() {
  local seeds=$FUZZ_DIR/seeds/import
  [ -d "$seeds" ] && return
  mkdir -p "$seeds"
  for model in "$NODE_TESTS"/*/model.onnx; do
    cp "$model" "$seeds/$(basename "$(dirname "$model")").onnx"
  done
  cp "$ROOT/tools/demo/tiny_cnn.onnx" "$seeds/"
}

seed_artifact() {
  local seeds=$FUZZ_DIR/seeds/artifact
  [ -d "$seeds" ] && return
  mkdir -p "$seeds.tmp"
  for name in "${ARTIFACT_SEEDS[@]}"; do
    "$BUILD_DIR/bin/kiln-compile" "$NODE_TESTS/$name/model.onnx" \
      -o "$seeds.tmp/$name.kiln" || echo "fuzz.sh: $name does not compile; skipped"
  done
  "$BUILD_DIR/bin/kiln-compile" "$ROOT/tools/demo/tiny_cnn.onnx" \
    -o "$seeds.tmp/tiny_cnn.kiln"
  mv "$seeds.tmp" "$seeds"
}

status=0
for target in "${TARGETS[@]}"; do
  binary=$FUZZ_DIR/bin/kiln-fuzz-$target
  [ -x "$binary" ] || { echo "fuzz.sh: no $binary (build it first)"; exit 2; }
  "seed_$target"
  corpus=$FUZZ_DIR/corpus/$target
  crashes=$FUZZ_DIR/crashes/$target
  mkdir -p "$corpus" "$crashes"
  log=$FUZZ_DIR/fuzz-$target.log
  echo "==> fuzzing $target for ${SECONDS_EACH} s (runs: $RUNS); log: $log"
  # Leaks are checked per input; allocations past the RSS limit are bugs.
  # The artifact target opens sessions on the seeds' kernels only.
  KILN_FUZZ_TRUSTED=$FUZZ_DIR/seeds/artifact \
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0:abort_on_error=1:symbolize=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    nice -n 10 "$binary" -max_total_time="$SECONDS_EACH" -runs="$RUNS" \
      -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$crashes/" \
      "$corpus" "$FUZZ_DIR/seeds/$target" \
      "$ROOT/test/Fuzz/regressions/$target" >"$log" 2>&1 || status=1
  grep -E "^#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$log" || true
  if ls "$crashes"/* >/dev/null 2>&1; then
    echo "fuzz.sh: $target found crashes:"; ls "$crashes"
    status=1
  fi
done
exit $status
