// RUN: kiln-opt %s --split-input-file --dispatch-propagate-reshapes | FileCheck %s

// A MatMul on [1, 128, 64] as torch exports it: collapse, 2-D matmul,
// expand, then a bias add on the 3-D value. The expand moves below the add,
// so that the matmul and its epilogue meet.
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_expand_bias
// CHECK:         %[[MM:.+]] = linalg.matmul
// CHECK:         %[[B:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<1x128x32xf32> into tensor<128x32xf32>
// CHECK:         %[[ADD:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[MM]], %[[B]] : tensor<128x32xf32>, tensor<128x32xf32>)
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[ADD]] {{\[}}[0, 1], [2]] output_shape [1, 128, 32]
// CHECK:         return %[[OUT]]
func.func @matmul_expand_bias(%x: tensor<1x128x64xf32>, %w: tensor<64x32xf32>, %b: tensor<1x128x32xf32>) -> tensor<1x128x32xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x128x64xf32> into tensor<128x64xf32>
  %e = tensor.empty() : tensor<128x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x32xf32>) -> tensor<128x32xf32>
  %m = linalg.matmul ins(%c, %w : tensor<128x64xf32>, tensor<64x32xf32>) outs(%f : tensor<128x32xf32>) -> tensor<128x32xf32>
  %x3 = tensor.expand_shape %m [[0, 1], [2]] output_shape [1, 128, 32] : tensor<128x32xf32> into tensor<1x128x32xf32>
  %e3 = tensor.empty() : tensor<1x128x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x3, %b : tensor<1x128x32xf32>, tensor<1x128x32xf32>) outs(%e3 : tensor<1x128x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1x128x32xf32>
  return %r : tensor<1x128x32xf32>
}

// -----

// A transpose becomes a generic op whose indexing map a consumer can absorb.
// CHECK: #[[T:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @transpose
// CHECK-NOT:     linalg.transpose
// CHECK:         linalg.generic {indexing_maps = [#[[T]], #{{.+}}]
func.func @transpose(%x: tensor<4x8xf32>) -> tensor<8x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  return %t : tensor<8x4xf32>
}

// -----

// The epilogue of a convolution keeps its 4-D shape (its unit batch is not
// dropped), and the marker that protects it does not survive the pass.
// CHECK-LABEL: func.func @conv_epilogue
// CHECK:         %[[C:.+]] = linalg.conv_2d_nchw_fchw
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[C]] : tensor<1x4x16x16xf32>)
// CHECK-NOT:     dispatch.keep_dims
// CHECK-NOT:     tensor.collapse_shape
func.func @conv_epilogue(%x: tensor<1x8x18x18xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<1x4x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x18x18xf32>, tensor<4x8x3x3xf32>) outs(%f : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x4x16x16xf32>) outs(%e : tensor<1x4x16x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %m = arith.maximumf %p, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x16xf32>
  return %r : tensor<1x4x16x16xf32>
}

// -----

// The heads of K cut from one QKV projection: the expand moves above the
// slice, where it re-labels the whole projection.
// CHECK-LABEL: func.func @heads_of_qkv
// CHECK-SAME:      (%[[QKV:.+]]: tensor<128x192xf32>)
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[QKV]] {{\[}}[0], [1, 2]] output_shape [128, 6, 32]
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[E]][0, 2, 0] [128, 2, 32] [1, 1, 1]
// CHECK:         return %[[S]]
func.func @heads_of_qkv(%qkv: tensor<128x192xf32>) -> tensor<128x2x32xf32> {
  %k = tensor.extract_slice %qkv[0, 64] [128, 64] [1, 1] : tensor<128x192xf32> to tensor<128x64xf32>
  %h = tensor.expand_shape %k [[0], [1, 2]] output_shape [128, 2, 32] : tensor<128x64xf32> into tensor<128x2x32xf32>
  return %h : tensor<128x2x32xf32>
}

// -----

// A slice whose offset the inner size does not divide stays below.
// CHECK-LABEL: func.func @misaligned_slice
// CHECK:         tensor.extract_slice
// CHECK:         tensor.expand_shape
func.func @misaligned_slice(%qkv: tensor<128x192xf32>) -> tensor<128x2x32xf32> {
  %k = tensor.extract_slice %qkv[0, 48] [128, 64] [1, 1] : tensor<128x192xf32> to tensor<128x64xf32>
  %h = tensor.expand_shape %k [[0], [1, 2]] output_shape [128, 2, 32] : tensor<128x64xf32> into tensor<128x2x32xf32>
  return %h : tensor<128x2x32xf32>
}

// -----

// The bias of a one-row matmul keeps its row: dropping it would put a
// reshape between the matmul and its epilogue.
// CHECK-LABEL: func.func @one_row_matmul_bias
// CHECK:         %[[MM:.+]] = linalg.matmul
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[MM]], %{{.+}} : tensor<1x1000xf32>, tensor<1000xf32>)
// CHECK-NOT:     dispatch.keep_unit_dims
func.func @one_row_matmul_bias(%x: tensor<1x512xf32>, %w: tensor<512x1000xf32>, %b: tensor<1000xf32>) -> tensor<1x1000xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1000xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  %m = linalg.matmul ins(%x, %w : tensor<1x512xf32>, tensor<512x1000xf32>) outs(%f : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<1x1000xf32>, tensor<1000xf32>) outs(%e : tensor<1x1000xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1x1000xf32>
  return %r : tensor<1x1000xf32>
}
