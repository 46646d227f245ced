// RUN: kiln-opt %s --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 --pass-pipeline='builtin.module(func.func(dispatch-winograd-conv{panel=4}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(dispatch-winograd-conv))' | FileCheck %s --check-prefix=NONE

// A 3x3 convolution with unit strides, padded by one zero on each side,
// becomes the input transform (4x4 blocks of input, overlapping by two),
// the 16 products against the filters transformed at compile time and
// packed in panels of 4 (weights of ones: U = G 1 G^T, the outer product
// of G's row sums 1, 1.5, 0.5, 1) and the output transform, each tagged.
// The original weights are gone. Without a panel (the default) nothing
// changes.
// NONE-LABEL: func.func @winograd
// NONE: linalg.conv_2d_nchw_fchw
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d0, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d4, d5)>
// CHECK-DAG: #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[VIN:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d0, d1, d2)>
// CHECK-DAG: #[[U:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 floordiv 4, d4, d3 mod 4)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[M:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d2 floordiv 2, d3 floordiv 2, d1)>
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d2 mod 2, d3 mod 2)>
// CHECK-LABEL: func.func @winograd
// CHECK-NOT: tensor<4x16x3x3xf32>
// CHECK: %[[PAD:.+]] = tensor.pad
// CHECK: %[[INIT:.+]] = linalg.fill {{.+}} -> tensor<1x4x6x8xf32>
// CHECK: %[[BT:.+]] = arith.constant dense<{{.+}}> : tensor<16x4x4xf32>
// CHECK: %[[VZ:.+]] = linalg.fill {{.+}} -> tensor<16x16x3x4xf32>
// CHECK: %[[VV:.+]] = linalg.generic {indexing_maps = [#[[X]], #[[B]], #[[V]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[BT]] : tensor<1x16x8x10xf32>, tensor<16x4x4xf32>) outs(%[[VZ]] : tensor<16x16x3x4xf32>)
// CHECK-SAME: kiln.winograd = "input"
// CHECK: %[[UU:.+]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]
// CHECK-SAME: ]]], {{\[\[\[}}1.500000e+00,
// CHECK-SAME: ]]], {{\[\[\[}}5.000000e-01,
// CHECK-SAME: ]]], {{\[\[\[}}1.000000e+00,
// CHECK-SAME: ]]], {{\[\[\[}}1.500000e+00,
// CHECK-SAME: ]]], {{\[\[\[}}2.250000e+00,
// CHECK-SAME: : tensor<16x1x16x4xf32>
// CHECK: %[[MZ:.+]] = linalg.fill {{.+}} -> tensor<16x3x4x4xf32>
// CHECK: %[[MM:.+]] = linalg.generic {indexing_maps = [#[[VIN]], #[[U]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[VV]], %[[UU]] : tensor<16x16x3x4xf32>, tensor<16x1x16x4xf32>) outs(%[[MZ]] : tensor<16x3x4x4xf32>)
// CHECK-SAME: kiln.winograd = "product"
// CHECK: %[[AT:.+]] = arith.constant dense<{{.+}}> : tensor<16x2x2xf32>
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[M]], #[[A]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[MM]], %[[AT]] : tensor<16x3x4x4xf32>, tensor<16x2x2xf32>) outs(%[[INIT]] : tensor<1x4x6x8xf32>)
// CHECK-SAME: kiln.winograd = "output"
// CHECK: return %[[Y]]
func.func @winograd(%x: tensor<1x16x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<4x16x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x16x6x8xf32> to tensor<1x16x8x10xf32>
  %e = tensor.empty() : tensor<1x4x6x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : tensor<1x16x8x10xf32>, tensor<4x16x3x3xf32>) outs(%f : tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  return %r : tensor<1x4x6x8xf32>
}

// -----

// An odd output (7 x 5) takes a last row and column of blocks half
// outside it: the input is padded with one more zero row and column (high
// padding 2), the blocks are 4 x 3, and the output transform writes the
// 7 x 5 pixels that exist.
// CHECK-LABEL: func.func @odd
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: to tensor<1x16x10x8xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<16x16x4x3xf32>)
// CHECK-SAME: kiln.winograd = "input"
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<16x4x3x8xf32>)
// CHECK-SAME: kiln.winograd = "product"
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<16x4x3x8xf32>, tensor<16x2x2xf32>) outs(%{{.+}} : tensor<1x8x7x5xf32>)
// CHECK-SAME: kiln.winograd = "output"
func.func @odd(%x: tensor<1x16x7x5xf32>) -> tensor<1x8x7x5xf32> {
  %zero = arith.constant 0.0 : f32
  %wc = arith.constant dense<0.5> : tensor<8x16x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x16x7x5xf32> to tensor<1x16x9x7xf32>
  %e = tensor.empty() : tensor<1x8x7x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x5xf32>) -> tensor<1x8x7x5xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %wc : tensor<1x16x9x7xf32>, tensor<8x16x3x3xf32>) outs(%f : tensor<1x8x7x5xf32>) -> tensor<1x8x7x5xf32>
  return %r : tensor<1x8x7x5xf32>
}

// -----

// Left alone: weights that are not a constant, strides of 2, fewer than 16
// channels, filters that are not whole panels, padding other than one
// zero on each side, 5x5 filters.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: kiln.winograd
// CHECK-COUNT-6: linalg.conv_2d_nchw_fchw
// CHECK-NOT: kiln.winograd
func.func @left_alone(%x: tensor<1x16x8x8xf32>, %w: tensor<4x16x3x3xf32>, %x8: tensor<1x8x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x6x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %wc = arith.constant dense<1.0> : tensor<4x16x3x3xf32>
  %w8 = arith.constant dense<1.0> : tensor<4x8x3x3xf32>
  %w6 = arith.constant dense<1.0> : tensor<6x16x3x3xf32>
  %w5 = arith.constant dense<1.0> : tensor<4x16x5x5xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x10x10xf32>
  %padded8 = tensor.pad %x8 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x8xf32> to tensor<1x8x10x10xf32>
  %padded1 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %one : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x10x10xf32>
  %padded2 = tensor.pad %x low[0, 0, 2, 2] high[0, 0, 2, 2] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x16x8x8xf32> to tensor<1x16x12x12xf32>
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %e4 = tensor.empty() : tensor<1x4x4x4xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %e6 = tensor.empty() : tensor<1x6x8x8xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  %r0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : tensor<1x16x10x10xf32>, tensor<4x16x3x3xf32>) outs(%f : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %r1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%padded, %wc : tensor<1x16x10x10xf32>, tensor<4x16x3x3xf32>) outs(%f4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %r2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded8, %w8 : tensor<1x8x10x10xf32>, tensor<4x8x3x3xf32>) outs(%f : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %r3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w6 : tensor<1x16x10x10xf32>, tensor<6x16x3x3xf32>) outs(%f6 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  %r4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded1, %wc : tensor<1x16x10x10xf32>, tensor<4x16x3x3xf32>) outs(%f : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %r5 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded2, %w5 : tensor<1x16x12x12xf32>, tensor<4x16x5x5xf32>) outs(%f : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5 : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32>, tensor<1x4x8x8xf32>, tensor<1x6x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
