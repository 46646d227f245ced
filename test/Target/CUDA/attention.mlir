// Attention becomes one pre-tiled kernel only for targets that compile
// such kernels: the CPU does, the CUDA target does not yet (its thread
// mapping does not handle the loop nest), so with CUDA among the targets
// the scores and the weighted sum stay two kernels.
// RUN: kiln-compile %s --target=cpu --compile-to=dispatch | FileCheck %s --check-prefix=CPU
// RUN: kiln-compile %s --target=cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU
// RUN: kiln-compile %s --target=cpu,cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU
// The report counts the work inside the kernel's own loops: both matmuls'
// 2 x 2 x 64 x 128 x 16 multiply-adds (1048576 scalar ops) and the softmax.
// RUN: kiln-compile %s --target=cpu --compile-to=dispatch -o /dev/null --report=%t.json
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// REPORT: "flops": 1154304
// REPORT: "root": "scf.forall"

// CPU-COUNT-1: dispatch.launch
// CPU-NOT:     dispatch.launch
// CPU:         func.func @d0(
// CPU:           scf.forall
// CPU:             scf.for %{{.+}} = %{{.+}} to %c128 step %c64

// GPU-COUNT-2: dispatch.launch
// GPU-NOT:     scf.forall
func.func @main(%q: tensor<2x64x16xf32>, %kt: tensor<2x16x128xf32>, %v: tensor<2x128x16xf32>) -> tensor<2x64x16xf32> {
  %s = graph.mat_mul %q, %kt : (tensor<2x64x16xf32>, tensor<2x16x128xf32>) -> tensor<2x64x128xf32>
  %p = graph.softmax %s : (tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
  %o = graph.mat_mul %p, %v : (tensor<2x64x128xf32>, tensor<2x128x16xf32>) -> tensor<2x64x16xf32>
  return %o : tensor<2x64x16xf32>
}
