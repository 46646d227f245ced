#!/usr/bin/env bash
# make demo: the project's main job on the bundled example.
# Stage of the project: the graph dialect exists; the ONNX importer and the
# CPU backend do not yet. So this shows what exists: kiln-opt folding the
# shape arithmetic of a small graph written in the graph dialect.
set -euo pipefail
build=${1:-build}
example=tools/demo/shape_chain.mlir
echo "Kiln demo (importer and CPU backend not built yet: this shows the graph dialect)."
echo "==> input graph: $example"
cat "$example"
echo "==> kiln-opt -graph-infer-shapes"
"$build/bin/kiln-opt" -graph-infer-shapes "$example"
