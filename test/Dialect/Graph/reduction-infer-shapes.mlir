// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// Flatten's size computation: ReduceProd over the trailing dimensions of
// a static shape folds, and the shape built from it makes the result
// static.
// CHECK-LABEL: func @flattened_size
// CHECK-SAME: -> tensor<12xf32>
func.func @flattened_size(%x: tensor<2x3x4xf32>) -> tensor<?xf32> {
  // CHECK-NEXT: %[[C:.+]] = graph.constant dense<0.000000e+00> : tensor<12xf32>
  // CHECK-NEXT: return %[[C]]
  %s = graph.shape %x {start = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %n = graph.reduce_prod %s : (tensor<2xi64>) -> tensor<1xi64>
  %z = graph.constant_of_shape %n : (tensor<1xi64>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// -----

// Integer reductions fold along the given axes, with wrap-around and
// signedness.
// CHECK-LABEL: func @int_reductions
func.func @int_reductions() -> (tensor<?x?xi32>, tensor<?xi32>, tensor<?xui32>, tensor<?xi8>, tensor<?xui8>) {
  // CHECK-DAG: %[[UMAX:.+]] = graph.constant dense<[200, 255]> : tensor<2xui8>
  // CHECK-DAG: %[[SMIN:.+]] = graph.constant dense<[-56, -1]> : tensor<2xi8>
  // CHECK-DAG: %[[UPROD:.+]] = graph.constant dense<[0, 4294967295]> : tensor<2xui32>
  // CHECK-DAG: %[[SUM:.+]] = graph.constant dense<[5, 7, 9]> : tensor<3xi32>
  // CHECK-DAG: %[[SUMK:.+]] = graph.constant dense<{{\[\[}}6], [15]]> : tensor<2x1xi32>
  // CHECK: return %[[SUMK]], %[[SUM]], %[[UPROD]], %[[SMIN]], %[[UMAX]]
  %m = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %a1 = graph.constant dense<[-1]> : tensor<1xi64>
  %sumk = graph.reduce_sum %m, %a1 : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<?x?xi32>
  %a0 = graph.constant dense<[0]> : tensor<1xi64>
  %sum = graph.reduce_sum %m, %a0 {keepdims = 0 : i64} : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<?xi32>
  // 65536 * 65536 wraps to 0 in 32 bits; 65535 * 65537 is 2^32 - 1.
  %w = graph.constant dense<[[65536, 65535], [65536, 65537]]> : tensor<2x2xui32>
  %uprod = graph.reduce_prod %w {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x2xui32>) -> tensor<?xui32>
  %u = graph.constant dense<[[200, 255], [2, 255], [2, 2]]> : tensor<3x2xui8>
  %s = graph.constant dense<[[-56, 3], [2, -1]]> : tensor<2x2xi8>
  %smin = graph.reduce_min %s {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<2x2xi8>) -> tensor<?xi8>
  %umax = graph.reduce_max %u {axes = array<i64: 0>, keepdims = 0 : i64} : (tensor<3x2xui8>) -> tensor<?xui8>
  return %sumk, %sum, %uprod, %smin, %umax : tensor<?x?xi32>, tensor<?xi32>, tensor<?xui32>, tensor<?xi8>, tensor<?xui8>
}

// -----

// ReduceSum with empty axes: every dimension, or none with
// noop_with_empty_axes (which folds to the input).
// CHECK-LABEL: func @reduce_sum_empty_axes
// CHECK-SAME: (%[[X:[^:]+]]: tensor<3x2x2xf32>
// CHECK-SAME: -> (tensor<1x1x1xf32>, tensor<3x2x2xf32>)
func.func @reduce_sum_empty_axes(%x: tensor<3x2x2xf32>, %axes: tensor<0xi64>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  // CHECK: %[[ALL:.+]] = graph.reduce_sum {{.*}} -> tensor<1x1x1xf32>
  // CHECK-NEXT: return %[[ALL]], %[[X]]
  %all = graph.reduce_sum %x, %axes : (tensor<3x2x2xf32>, tensor<0xi64>) -> tensor<?x?x?xf32>
  %noop = graph.reduce_sum %x, %axes {noop_with_empty_axes = 1 : i64} : (tensor<3x2x2xf32>, tensor<0xi64>) -> tensor<?x?x?xf32>
  return %all, %noop : tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Axes known only at run time: with keepdims every dimension not already 1
// may collapse; without, only the rank is known.
// CHECK-LABEL: func @reduce_sum_runtime_axes
func.func @reduce_sum_runtime_axes(%x: tensor<3x1x2xf32>, %axes: tensor<2xi64>) -> (tensor<?x?x?xf32>, tensor<?xf32>) {
  // CHECK: graph.reduce_sum {{.*}} -> tensor<?x1x?xf32>
  %k = graph.reduce_sum %x, %axes : (tensor<3x1x2xf32>, tensor<2xi64>) -> tensor<?x?x?xf32>
  // CHECK: graph.reduce_sum {{.*}} {keepdims = 0 : i64} {{.*}} -> tensor<?xf32>
  %d = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x1x2xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %k, %d : tensor<?x?x?xf32>, tensor<?xf32>
}

// -----

// Attribute reductions and ArgMax: negative axes, keepdims, dynamic
// dimensions that survive.
// CHECK-LABEL: func @attribute_reductions
func.func @attribute_reductions(%x: tensor<?x4x5xf32>) -> (tensor<?x?x?xf32>, tensor<f32>, tensor<?x?xi64>, tensor<?x?x?xi64>) {
  // CHECK: graph.reduce_log_sum_exp {{.*}} -> tensor<?x1x5xf32>
  %a = graph.reduce_log_sum_exp %x {axes = array<i64: -2>} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: graph.reduce_sum_square {{.*}} -> tensor<f32>
  %b = graph.reduce_sum_square %x {keepdims = 0 : i64} : (tensor<?x4x5xf32>) -> tensor<f32>
  // CHECK: graph.arg_max {{.*}} -> tensor<?x4xi64>
  %c = graph.arg_max %x {axis = 2 : i64, keepdims = 0 : i64} : (tensor<?x4x5xf32>) -> tensor<?x?xi64>
  // CHECK: graph.arg_min {{.*}} -> tensor<1x4x5xi64>
  %d = graph.arg_min %x : (tensor<?x4x5xf32>) -> tensor<?x?x?xi64>
  return %a, %b, %c, %d : tensor<?x?x?xf32>, tensor<f32>, tensor<?x?xi64>, tensor<?x?x?xi64>
}

// -----

// Normalizations: parameters fix the channel count of a dynamic input;
// LayerNormalization statistics keep the leading dimensions, 1 from the
// axis on, in the stash type.
// CHECK-LABEL: func @normalizations
func.func @normalizations(%x: tensor<2x?x4x5xf16>, %c: tensor<3xf16>, %st: tensor<3xf32>, %w: tensor<4x5xf16>) -> (tensor<?x?x?x?xf16>, tensor<?xf32>, tensor<?x?x?x?xf16>, tensor<?x?x?x?xf16>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf16>) {
  // CHECK: graph.batch_normalization {{.*}} -> (tensor<2x3x4x5xf16>, tensor<3xf32>, tensor<3xf32>)
  %y, %rm, %rv = graph.batch_normalization %x, %c, %c, %st, %st : (tensor<2x?x4x5xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x?x?x?xf16>, tensor<?xf32>, tensor<?xf32>)
  // CHECK: graph.instance_normalization {{.*}} -> tensor<2x3x4x5xf16>
  %i = graph.instance_normalization %x, %c, %c : (tensor<2x?x4x5xf16>, tensor<3xf16>, tensor<3xf16>) -> tensor<?x?x?x?xf16>
  %none = graph.none
  // CHECK: graph.layer_normalization {{.*}} -> (tensor<2x?x4x5xf16>, tensor<2x?x1x1xf32>, tensor<2x?x1x1xf32>)
  %ly, %lm, %li = graph.layer_normalization %x, %w, %none {axis = 2 : i64} : (tensor<2x?x4x5xf16>, tensor<4x5xf16>, none) -> (tensor<?x?x?x?xf16>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
  // CHECK: graph.log_softmax {{.*}} -> tensor<2x?x4x5xf16>
  %ls = graph.log_softmax %x {axis = 1 : i64} : (tensor<2x?x4x5xf16>) -> tensor<?x?x?x?xf16>
  return %y, %rm, %i, %ly, %lm, %ls : tensor<?x?x?x?xf16>, tensor<?xf32>, tensor<?x?x?x?xf16>, tensor<?x?x?x?xf16>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf16>
}

// -----

// Axes in a dense_resource constant, which the constant helpers cannot
// read, count as run-time axes instead of crashing the compiler.
// CHECK-LABEL: func @resource_axes
func.func @resource_axes(%x: tensor<3x2xf32>) -> tensor<?x?xf32> {
  // CHECK: graph.reduce_sum {{.*}} -> tensor<?x?xf32>
  %axes = graph.constant dense_resource<axes_blob> : tensor<1xi64>
  %r = graph.reduce_sum %x, %axes : (tensor<3x2xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

{-#
  dialect_resources: {
    builtin: {
      axes_blob: "0x080000000100000000000000"
    }
  }
#-}
