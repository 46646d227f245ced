// 3x3 convolutions with unit strides are computed with Winograd's F(2x2,
// 3x3) only where every target asks for it: the CPU does (its transformed
// weights in panels of two vectors: 32 filters with AVX-512, 16 with
// AVX2), the CUDA target does not, so with CUDA among the targets the
// convolution stays direct.
// RUN: kiln-compile %s --target=cpu --cpu=skylake-avx512 --compile-to=dispatch | FileCheck %s --check-prefix=CPU
// RUN: kiln-compile %s --target=cpu --cpu=haswell --compile-to=dispatch | FileCheck %s --check-prefix=AVX2
// RUN: kiln-compile %s --target=cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU
// RUN: kiln-compile %s --target=cpu,cuda --compile-to=dispatch | FileCheck %s --check-prefix=GPU

// One kernel: the pad, the three parts and the Relu.
// CPU-COUNT-1: dispatch.launch
// CPU-NOT:     dispatch.launch
// CPU:         func.func @d0(
// CPU-SAME:        tensor<16x2x64x32xf32>
// CPU:           tensor.pad
// CPU:           kiln.winograd = "input"
// CPU:           kiln.winograd = "product"
// CPU:           kiln.winograd = "output"
// CPU:           arith.maximumf

// AVX2: tensor<16x4x64x16xf32>
// AVX2: kiln.winograd = "product"

// GPU-NOT: kiln.winograd
// GPU:     linalg.conv_2d_nchw_fchw
// GPU-NOT: kiln.winograd
func.func @main(%x: tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %w = graph.constant dense<0.5> : tensor<64x64x3x3xf32>
  %none = graph.none
  %c = graph.conv %x, %w, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x64x7x7xf32>, tensor<64x64x3x3xf32>, none) -> tensor<1x64x7x7xf32>
  %r = graph.relu %c : (tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %r : tensor<1x64x7x7xf32>
}
