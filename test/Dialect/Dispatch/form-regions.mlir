// RUN: kiln-opt %s --split-input-file --dispatch-form-regions | FileCheck %s

// Epilogue: the bias and the activation join the matmul's kernel, and the
// kernel writes only the activated value.
#map = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK:         %[[R:.+]] = dispatch.region(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<64x128xf32>, tensor<128x32xf32>, tensor<32xf32>) -> tensor<64x32xf32> {
// CHECK:           linalg.fill
// CHECK:           %[[MM:.+]] = linalg.matmul
// CHECK:           %[[EPI:.+]] = linalg.generic
// CHECK-SAME:          ins(%[[MM]],
// CHECK:             arith.addf
// CHECK:             arith.maximumf
// CHECK:           dispatch.return %[[EPI]] : tensor<64x32xf32>
// CHECK-NOT:     dispatch.region
// CHECK:         return %[[R]]
func.func @matmul_bias_relu(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>, %bias: tensor<32xf32>) -> tensor<64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64x32xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x32xf32>) -> tensor<64x32xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>) outs(%fill : tensor<64x32xf32>) -> tensor<64x32xf32>
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<64x32xf32>, tensor<32xf32>) outs(%empty : tensor<64x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// -----

// A transpose of a matmul's result is folded into the kernel's output
// indexing rather than run as a kernel of its own.
// CHECK: #[[TMAP:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @matmul_transpose
// CHECK:         dispatch.region
// CHECK:           %[[MM:.+]] = linalg.matmul
// CHECK:           %[[T:.+]] = linalg.generic {indexing_maps = [#[[TMAP]], {{.+}}]{{.*}} ins(%[[MM]] : tensor<8x4xf32>)
// CHECK:           dispatch.return %[[T]] : tensor<4x8xf32>
// CHECK-NOT:     dispatch.region
#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
func.func @matmul_transpose(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x4xf32>) -> tensor<8x4xf32>
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x4xf32>) outs(%f : tensor<8x4xf32>) -> tensor<8x4xf32>
  %et = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<8x4xf32>) outs(%et : tensor<4x8xf32>) {
  ^bb0(%p: f32, %o: f32):
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Softmax: two row reductions and their elementwise neighbours in one
// kernel.
// CHECK-LABEL: func.func @softmax
// CHECK:         dispatch.region
// CHECK-COUNT-4:   linalg.generic
// CHECK:           dispatch.return
// CHECK-NOT:     dispatch.region
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @softmax(%x: tensor<16x256xf32>) -> tensor<16x256xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<16xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x256xf32>) outs(%init : tensor<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<16xf32>
  %e2 = tensor.empty() : tensor<16x256xf32>
  %exp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<16x256xf32>, tensor<16xf32>) outs(%e2 : tensor<16x256xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %s = arith.subf %a, %m : f32
    %e = math.exp %s : f32
    linalg.yield %e : f32
  } -> tensor<16x256xf32>
  %zinit = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<16x256xf32>) outs(%zinit : tensor<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %div = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %sum : tensor<16x256xf32>, tensor<16xf32>) outs(%e2 : tensor<16x256xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %d = arith.divf %a, %s : f32
    linalg.yield %d : f32
  } -> tensor<16x256xf32>
  return %div : tensor<16x256xf32>
}

// -----

// A zero pad whose only user is a convolution is computed inside the
// convolution's kernel: no padded copy of the activation is written.
// CHECK-LABEL: func.func @pad_conv
// CHECK-SAME:      (%[[X:.+]]: tensor<1x8x16x16xf32>, %[[W:.+]]: tensor<4x8x3x3xf32>)
// CHECK:         dispatch.region(%[[X]], %[[W]])
// CHECK:           %[[P:.+]] = tensor.pad
// CHECK:           linalg.conv_2d_nchw_fchw {{.+}} ins(%[[P]],
// CHECK-NOT:     dispatch.region
func.func @pad_conv(%x: tensor<1x8x16x16xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<1x4x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x16x16xf32> to tensor<1x8x18x18xf32>
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x8x18x18xf32>, tensor<4x8x3x3xf32>) outs(%f : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %c : tensor<1x4x16x16xf32>
}

// -----

// A padded value that is also a result of the function is computed once,
// by a kernel of its own.
// CHECK-LABEL: func.func @pad_two_users
// CHECK:         %[[P:.+]] = dispatch.region
// CHECK:           tensor.pad
// CHECK:         dispatch.region(%[[P]],
// CHECK:           linalg.conv_2d_nchw_fchw
func.func @pad_two_users(%x: tensor<1x8x16x16xf32>, %w: tensor<4x8x3x3xf32>) -> (tensor<1x4x16x16xf32>, tensor<1x8x18x18xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x16x16xf32> to tensor<1x8x18x18xf32>
  %e = tensor.empty() : tensor<1x4x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x8x18x18xf32>, tensor<4x8x3x3xf32>) outs(%f : tensor<1x4x16x16xf32>) -> tensor<1x4x16x16xf32>
  return %c, %p : tensor<1x4x16x16xf32>, tensor<1x8x18x18xf32>
}

// -----

// Two contractions are two kernels: a matmul is never recomputed inside
// another's tiles.
// CHECK-LABEL: func.func @two_matmuls
// CHECK:         %[[M0:.+]] = dispatch.region
// CHECK:           linalg.matmul
// CHECK:         dispatch.region(%[[M0]],
// CHECK:           linalg.matmul
func.func @two_matmuls(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>, %c: tensor<16x4xf32>) -> tensor<8x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<8x16xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<8x16xf32>) -> tensor<8x16xf32>
  %m0 = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f0 : tensor<8x16xf32>) -> tensor<8x16xf32>
  %e1 = tensor.empty() : tensor<8x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %m1 = linalg.matmul ins(%m0, %c : tensor<8x16xf32>, tensor<16x4xf32>) outs(%f1 : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %m1 : tensor<8x4xf32>
}

// -----

// Elementwise producers of a reduction join it; the host keeps only the
// reshape that re-labels the kernel's result.
// CHECK-LABEL: func.func @exp_then_sum
// CHECK:         %[[R:.+]] = dispatch.region
// CHECK:           math.exp
// CHECK:           arith.addf
// CHECK:         tensor.expand_shape %[[R]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @exp_then_sum(%x: tensor<16x256xf32>) -> tensor<16x1xf32> {
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<16x256xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x256xf32>) outs(%e2 : tensor<16x256xf32>) {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<16x256xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %zinit = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<16x256xf32>) outs(%zinit : tensor<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %r = tensor.expand_shape %sum [[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
  return %r : tensor<16x1xf32>
}

// -----

// A loop nest already tiled into workgroups (graph.attention's lowering) is
// a kernel of its own: the static slices it reads join it as views, and
// the elementwise op that reads its result does not (it would run in every
// workgroup).
// CHECK-LABEL: func.func @pretiled_loop_nest
// CHECK:         %[[R:.+]] = dispatch.region(%{{.+}}) : (tensor<8x32xf32>) -> tensor<4x16xf32> {
// CHECK:           tensor.extract_slice %{{.+}}[0, 0] [4, 16]
// CHECK:           scf.forall
// CHECK:           dispatch.return
// CHECK:         dispatch.region(%[[R]]) : (tensor<4x16xf32>) -> tensor<4x16xf32> {
// CHECK:           arith.negf
func.func @pretiled_loop_nest(%x: tensor<8x32xf32>) -> tensor<4x16xf32> {
  %slice = tensor.extract_slice %x[0, 0] [4, 16] [1, 1] : tensor<8x32xf32> to tensor<4x16xf32>
  %empty = tensor.empty() : tensor<4x16xf32>
  %r = scf.forall (%i) in (4) shared_outs(%out = %empty) -> (tensor<4x16xf32>) {
    %row = tensor.extract_slice %slice[%i, 0] [1, 16] [1, 1] : tensor<4x16xf32> to tensor<1x16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %row into %out[%i, 0] [1, 16] [1, 1] : tensor<1x16xf32> into tensor<4x16xf32>
    }
  }
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x16xf32>) outs(%empty : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<4x16xf32>
  return %n : tensor<4x16xf32>
}
