// A matmul's constant B is packed into panels of columns at compile time
// only when every target reads it so: the CPU does (its register tile's
// columns: 32 with AVX-512, 16 with AVX2), the CUDA target does not, so
// with CUDA among the targets the matmul keeps its B.
// RUN: kiln-compile %s --target=cpu --cpu=skylake-avx512 --compile-to=dispatch | FileCheck %s --check-prefix=CPU
// RUN: kiln-compile %s --target=cpu --cpu=haswell --compile-to=dispatch | FileCheck %s --check-prefix=AVX2
// RUN: kiln-compile %s --target=cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU
// RUN: kiln-compile %s --target=cpu,cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU

// The packed matmul keeps its bias and Relu in one kernel.
// CPU-COUNT-1: dispatch.launch
// CPU-NOT:     dispatch.launch
// CPU:         func.func @d0(
// CPU:           = linalg.generic {indexing_maps
// CPU-SAME:          ins(%{{.+}}, %{{.+}} : tensor<64x256xf32>, tensor<4x256x32xf32>)
// CPU:           arith.maximumf

// AVX2: tensor<8x256x16xf32>

// GPU-NOT: x32xf32>
// GPU:     = linalg.matmul ins
// GPU-SAME: tensor<256x128xf32>
func.func @main(%x: tensor<64x256xf32>) -> tensor<64x128xf32> {
  %w = graph.constant dense<0.25> : tensor<256x128xf32>
  %b = graph.constant dense<0.5> : tensor<128xf32>
  %m = graph.mat_mul %x, %w : (tensor<64x256xf32>, tensor<256x128xf32>) -> tensor<64x128xf32>
  %a = graph.add %m, %b : (tensor<64x128xf32>, tensor<128xf32>) -> tensor<64x128xf32>
  %r = graph.relu %a : (tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}
