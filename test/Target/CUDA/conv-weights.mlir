// Constant convolution weights are packed into panels of filters at compile
// time only when every target reads them so: the CPU does (panels of two
// vectors: 32 filters with AVX-512, 16 with AVX2), the CUDA target does
// not, so with CUDA among the targets the convolution keeps its weights.
// RUN: kiln-compile %s --target=cpu --cpu=skylake-avx512 --compile-to=dispatch | FileCheck %s --check-prefix=CPU
// RUN: kiln-compile %s --target=cpu --cpu=haswell --compile-to=dispatch | FileCheck %s --check-prefix=AVX2
// RUN: kiln-compile %s --target=cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU
// RUN: kiln-compile %s --target=cpu,cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU

// The packed convolution keeps its pad and its Relu in one kernel (the
// splat weights are cloned into it). (Strided: a 3x3 convolution with unit
// strides would become a Winograd convolution on the CPU, winograd.mlir.)
// CPU-COUNT-1: dispatch.launch
// CPU-NOT:     dispatch.launch
// CPU:         func.func @d0(
// CPU:           arith.constant dense<5.000000e-01> : tensor<2x64x3x3x32xf32>
// CPU:           tensor.pad
// CPU:           linalg.generic
// CPU-SAME:          ins(%{{.+}}, %{{.+}} : tensor<1x64x9x9xf32>, tensor<2x64x3x3x32xf32>)
// CPU:           arith.maximumf

// AVX2: arith.constant dense<5.000000e-01> : tensor<4x64x3x3x16xf32>

// GPU:     arith.constant dense<5.000000e-01> : tensor<64x64x3x3xf32>
// GPU:     linalg.conv_2d_nchw_fchw
func.func @main(%x: tensor<1x64x7x7xf32>) -> tensor<1x64x4x4xf32> {
  %w = graph.constant dense<0.5> : tensor<64x64x3x3xf32>
  %none = graph.none
  %c = graph.conv %x, %w, %none {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x7x7xf32>, tensor<64x64x3x3xf32>, none) -> tensor<1x64x4x4xf32>
  %r = graph.relu %c : (tensor<1x64x4x4xf32>) -> tensor<1x64x4x4xf32>
  return %r : tensor<1x64x4x4xf32>
}
