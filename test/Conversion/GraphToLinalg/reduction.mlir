// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// The reduced dim is the innermost loop; the mean divides once per result
// element, and keepdims re-inserts the reduced dim with an expand_shape.
// CHECK-DAG: #[[$IN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[$KEPT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<3x2xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$KEPT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<3x2xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK-SAME: ins(%[[SUM]] : tensor<3x2xf32>)
// CHECK: arith.divf
// CHECK: tensor.expand_shape %[[MEAN]] {{\[}}[0, 1], [2]] output_shape [3, 1, 2]
func.func @reduce_mean_keepdims(%x: tensor<3x2x2xf32>) -> tensor<3x1x2xf32> {
  %r = graph.reduce_mean %x {axes = array<i64: 1>} : (tensor<3x2x2xf32>) -> tensor<3x1x2xf32>
  return %r : tensor<3x1x2xf32>
}

// -----

// Unsigned ReduceMax starts at 0 and uses maxui.
// CHECK-LABEL: func.func @reduce_max_unsigned
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: arith.maxui
func.func @reduce_max_unsigned(%x: tensor<3x4xui8>) -> tensor<3xui8> {
  %r = graph.reduce_max %x {axes = array<i64: -1>, keepdims = 0 : i64} : (tensor<3x4xui8>) -> tensor<3xui8>
  return %r : tensor<3xui8>
}

// -----

// ArgMax carries the best value and its index through one reduction; with
// select_last_index a tie (oge) takes the later index.
// CHECK-LABEL: func.func @argmax_last
// CHECK: %[[R:.+]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: outs(%{{.+}}, %{{.+}} : tensor<2x4xf32>, tensor<2x4xi64>)
// CHECK: %[[BETTER:.+]] = arith.cmpf oge
// CHECK: %[[POS:.+]] = linalg.index 2 : index
// CHECK: return %[[R]]#1 : tensor<2x4xi64>
func.func @argmax_last(%x: tensor<2x3x4xf32>) -> tensor<2x4xi64> {
  %i = graph.arg_max %x {axis = 1 : i64, keepdims = 0 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  return %i : tensor<2x4xi64>
}

// -----

// Softmax: max-reduce, exp(x - max), sum-reduce, divide, each a generic
// with the axis as the reduction loop or all-parallel.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[EXP]] :
// CHECK: arith.addf
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[EXP]], %{{.+}} :
// CHECK: arith.divf
func.func @softmax(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %y = graph.softmax %x : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

// A CumSum axis known only at run time picks among the sums along each
// dim; each sum masks a second loop over the axis.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK: %[[AXIS:.+]] = tensor.extract %{{.+}}[] : tensor<i32>
// CHECK: scf.if %{{.+}} -> (tensor<2x3xf32>)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[I:.+]] = linalg.index 0 : index
// CHECK: %[[J:.+]] = linalg.index 2 : index
// CHECK: arith.cmpi sle, %[[J]], %[[I]] : index
// CHECK: } else {
// CHECK: linalg.index 1 : index
func.func @cumsum_runtime_axis(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<2x3xf32> {
  %y = graph.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// LayerNormalization: two reductions over the trailing dims (sum, then
// squared deviations from the mean), then one parallel generic applying
// mean, inverse deviation and Scale.
// CHECK-LABEL: func.func @layer_norm
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: arith.divf
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.+}}, %[[MEAN]] :
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: math.sqrt
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.mulf
func.func @layer_norm(%x: tensor<2x3x5xf32>, %s: tensor<5xf32>) -> tensor<2x3x5xf32> {
  %none = graph.none
  %y, %m, %i = graph.layer_normalization %x, %s, %none : (tensor<2x3x5xf32>, tensor<5xf32>, none) -> (tensor<2x3x5xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>)
  return %y : tensor<2x3x5xf32>
}

// -----

// Inference BatchNormalization folds the variance into the scale per
// channel, then indexes the channel inputs by dim 1.
// CHECK-DAG: #[[$CHANNEL:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[FACTOR:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<3xf32>, tensor<3xf32>)
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_norm(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %y, %rm, %rv = graph.batch_normalization %x, %s, %b, %m, %v : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<2x3x4xf32>
}
