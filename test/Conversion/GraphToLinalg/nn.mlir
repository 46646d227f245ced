// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// A 2-D convolution pads its input, convolves with the named NCHW op and
// adds the bias in an elementwise consumer.
// CHECK-LABEL: func.func @conv_bias
// CHECK: %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %{{.+}} : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[CONV]], %{{.+}} : tensor<1x4x8x8xf32>, tensor<4xf32>)
// CHECK: arith.addf
func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %y = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// One input channel per output channel is a depthwise convolution; the
// weight loses its unit dim and the stride becomes an attribute.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @conv_depthwise(%x: tensor<1x8x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %none = graph.none
  %y = graph.conv %x, %w, %none {group = 8, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32>, none) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// Other 2-D groupings use the grouped named op on [N, G, C/G, H, W].
// CHECK-LABEL: func.func @conv_grouped
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>)
// CHECK: tensor.collapse_shape %{{.+}} : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
func.func @conv_grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %none = graph.none
  %y = graph.conv %x, %w, %none {group = 2} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x4x4xf32>
  return %y : tensor<1x6x4x4xf32>
}

// -----

// Gemm's transB lives in the contraction's maps; alpha and C follow in one
// elementwise op.
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK: %[[P:.+]] = linalg.generic {indexing_maps = [#[[A]], #[[BT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[P]], %{{.+}} : tensor<3x4xf32>, tensor<4xf32>)
// CHECK: arith.constant 5.000000e-01
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm_trans_b(%a: tensor<3x6xf32>, %b: tensor<4x6xf32>, %c: tensor<4xf32>) -> tensor<3x4xf32> {
  %y = graph.gemm %a, %b, %c {transB = 1, alpha = 0.5 : f32} : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// A batched lhs with a shared 2-D rhs folds its batch into the rows of one
// linalg.matmul.
// CHECK-LABEL: func.func @matmul_shared_rhs
// CHECK: %[[L:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[L]], %{{.+}} : tensor<6x4xf32>, tensor<4x5xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5]
func.func @matmul_shared_rhs(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %y = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

// Equal batch dims collapse into one batch_matmul.
// CHECK-LABEL: func.func @matmul_batched
// CHECK: linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<6x3x4xf32>, tensor<6x4x5xf32>)
func.func @matmul_batched(%a: tensor<2x3x3x4xf32>, %b: tensor<2x3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %y = graph.mat_mul %a, %b : (tensor<2x3x3x4xf32>, tensor<2x3x4x5xf32>) -> tensor<2x3x3x5xf32>
  return %y : tensor<2x3x3x5xf32>
}

// -----

// f16 accumulates in f32 (the named op extends its operands) and truncates
// afterwards.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: linalg.matvec ins(%{{.+}}, %{{.+}} : tensor<3x4xf16>, tensor<4xf16>) outs(%{{.+}} : tensor<3xf32>)
// CHECK: arith.truncf %{{.+}} : f32 to f16
func.func @matmul_f16(%a: tensor<3x4xf16>, %b: tensor<4xf16>) -> tensor<3xf16> {
  %y = graph.mat_mul %a, %b : (tensor<3x4xf16>, tensor<4xf16>) -> tensor<3xf16>
  return %y : tensor<3xf16>
}

// -----

// ceil_mode pads the end so that the last window fits; the divisor of each
// window counts only positions inside the input.
// CHECK-LABEL: func.func @average_pool_ceil
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: arith.constant dense<{{\[}}[9.000000e+00, 6.000000e+00], [6.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: arith.divf
func.func @average_pool_ceil(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %y = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = 1} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Without a use of Indices, MaxPool is the named max pool over -inf
// padding.
// CHECK-LABEL: func.func @max_pool_values
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %{{.+}} : f32
// CHECK: linalg.pooling_nchw_max
func.func @max_pool_values(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %y, %i = graph.max_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>)
  return %y : tensor<1x2x4x4xf32>
}

// -----

// With Indices, one generic reduces each window to its value and its flat
// input position.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %{{.+}}:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, i64
func.func @max_pool_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Global pools reduce the spatial dims and reshape back to [N, C, 1, 1].
// CHECK-LABEL: func.func @global_average_pool
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.constant 2.500000e+01 : f32
// CHECK: arith.divf
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2, 3]] output_shape [1, 3, 1, 1]
func.func @global_average_pool(%x: tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32> {
  %y = graph.global_average_pool %x : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  return %y : tensor<1x3x1x1xf32>
}

// -----

// A recurrent layer projects all inputs in one matmul, then loops over
// time with the recurrent matmul inside, updating the state in place.
// CHECK-LABEL: func.func @rnn
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<3x2xf32>, tensor<2x4xf32>)
// CHECK: scf.for
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<3x4xf32>, tensor<4x4xf32>)
// CHECK: math.tanh
// CHECK: tensor.insert_slice
// CHECK: scf.yield
func.func @rnn(%x: tensor<1x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> tensor<1x3x4xf32> {
  %none = graph.none
  %y, %yh = graph.rnn %x, %w, %r, %none, %none, %none {hidden_size = 4} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %yh : tensor<1x3x4xf32>
}

// -----

// Einsum is one generic over its labels; the summed label is a reduction.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[Y:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: func.func @einsum_batch_matmul
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[Y]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @einsum_batch_matmul(%x: tensor<5x2x3xf32>, %y: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %z = graph.einsum %x, %y {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %z : tensor<5x2x4xf32>
}

// -----

// The loss gathers each target's log-probability with tensor.extract
// (ignored targets weigh 0) and reduces loss and weights for the mean.
// CHECK-LABEL: func.func @nll_mean_ignore
// CHECK: %{{.+}}:2 = linalg.generic
// CHECK: arith.cmpi eq
// CHECK: tensor.extract
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, f32
// CHECK: arith.divf
func.func @nll_mean_ignore(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %none = graph.none
  %l = graph.negative_log_likelihood_loss %x, %t, %none {ignore_index = 1 : i64} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// NonMaxSuppression fills the declared number of rows in nested scf loops.
// CHECK-LABEL: func.func @nms
// CHECK: linalg.fill ins(%{{.+}} : i64) outs(%{{.+}} : tensor<3x3xi64>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.if
// CHECK: tensor.insert
func.func @nms(%boxes: tensor<1x6x4xf32>, %scores: tensor<1x1x6xf32>, %max: tensor<1xi64>, %iou: tensor<1xf32>) -> tensor<3x3xi64> {
  %none = graph.none
  %s = graph.non_max_suppression %boxes, %scores, %max, %iou, %none : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<3x3xi64>
  return %s : tensor<3x3xi64>
}
