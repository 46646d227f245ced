// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of the reduction and normalization ops. One function per op
// holds the example from the op's description; the cases at the end cover
// attribute defaults and optional operands.

// CHECK-LABEL: func @reduce_l1
func.func @reduce_l1(%x: tensor<3x2x2xf32>) -> tensor<3x2xf32> {
  // CHECK: graph.reduce_l1 %{{.*}} {axes = array<i64: 2>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  %r = graph.reduce_l1 %x {axes = array<i64: 2>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// CHECK-LABEL: func @reduce_l2
func.func @reduce_l2(%x: tensor<3x2x2xf32>) -> tensor<3x2x1xf32> {
  // CHECK: graph.reduce_l2 %{{.*}} {axes = array<i64: -1>} : (tensor<3x2x2xf32>) -> tensor<3x2x1xf32>
  %r = graph.reduce_l2 %x {axes = array<i64: -1>} : (tensor<3x2x2xf32>) -> tensor<3x2x1xf32>
  return %r : tensor<3x2x1xf32>
}

// CHECK-LABEL: func @reduce_log_sum
func.func @reduce_log_sum(%x: tensor<3x4x5xf32>) -> tensor<3xf32> {
  // CHECK: graph.reduce_log_sum %{{.*}} {axes = array<i64: 2, 1>, keepdims = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3xf32>
  %r = graph.reduce_log_sum %x {axes = array<i64: 2, 1>, keepdims = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// CHECK-LABEL: func @reduce_log_sum_exp
func.func @reduce_log_sum_exp(%x: tensor<3x2x2xf64>) -> tensor<1x1x1xf64> {
  // CHECK: graph.reduce_log_sum_exp %{{.*}} : (tensor<3x2x2xf64>) -> tensor<1x1x1xf64>
  %r = graph.reduce_log_sum_exp %x : (tensor<3x2x2xf64>) -> tensor<1x1x1xf64>
  return %r : tensor<1x1x1xf64>
}

// CHECK-LABEL: func @reduce_max
func.func @reduce_max(%x: tensor<3x2x2xf32>) -> tensor<3x1x2xf32> {
  // CHECK: graph.reduce_max %{{.*}} {axes = array<i64: 1>} : (tensor<3x2x2xf32>) -> tensor<3x1x2xf32>
  %r = graph.reduce_max %x {axes = array<i64: 1>} : (tensor<3x2x2xf32>) -> tensor<3x1x2xf32>
  return %r : tensor<3x1x2xf32>
}

// CHECK-LABEL: func @reduce_mean
func.func @reduce_mean(%x: tensor<3x2x2xf32>) -> tensor<3x2xf32> {
  // CHECK: graph.reduce_mean %{{.*}} {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  %r = graph.reduce_mean %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// CHECK-LABEL: func @reduce_min
func.func @reduce_min(%x: tensor<3x2x2xi8>) -> tensor<3x1x2xi8> {
  // CHECK: graph.reduce_min %{{.*}} {axes = array<i64: -2>} : (tensor<3x2x2xi8>) -> tensor<3x1x2xi8>
  %r = graph.reduce_min %x {axes = array<i64: -2>} : (tensor<3x2x2xi8>) -> tensor<3x1x2xi8>
  return %r : tensor<3x1x2xi8>
}

// CHECK-LABEL: func @reduce_prod
func.func @reduce_prod(%shape: tensor<4xi64>) -> tensor<i64> {
  // CHECK: graph.reduce_prod %{{.*}} {keepdims = 0 : i64} : (tensor<4xi64>) -> tensor<i64>
  %n = graph.reduce_prod %shape {keepdims = 0 : i64} : (tensor<4xi64>) -> tensor<i64>
  return %n : tensor<i64>
}

// CHECK-LABEL: func @reduce_sum_square
func.func @reduce_sum_square(%x: tensor<3x2x2xf32>) -> tensor<1x2x1xf32> {
  // CHECK: graph.reduce_sum_square %{{.*}} {axes = array<i64: 0, 2>} : (tensor<3x2x2xf32>) -> tensor<1x2x1xf32>
  %r = graph.reduce_sum_square %x {axes = array<i64: 0, 2>} : (tensor<3x2x2xf32>) -> tensor<1x2x1xf32>
  return %r : tensor<1x2x1xf32>
}

// CHECK-LABEL: func @reduce_sum
func.func @reduce_sum(%x: tensor<3x2x2xf32>) -> tensor<3x2xf32> {
  // CHECK: graph.constant dense<1> : tensor<1xi64>
  %axes = graph.constant dense<1> : tensor<1xi64>
  // CHECK: graph.reduce_sum %{{.*}}, %{{.*}} {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  %r = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// CHECK-LABEL: func @arg_max
func.func @arg_max(%x: tensor<2x3x4xf32>) -> tensor<2x4xi64> {
  // CHECK: graph.arg_max %{{.*}} {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %i = graph.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  return %i : tensor<2x4xi64>
}

// CHECK-LABEL: func @arg_min
func.func @arg_min(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xi64> {
  // CHECK: graph.arg_min %{{.*}} {axis = -1 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %i = graph.arg_min %x {axis = -1 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  return %i : tensor<2x3x1xi64>
}

// CHECK-LABEL: func @cum_sum
func.func @cum_sum(%x: tensor<2x3xf64>, %axis: tensor<i32>) -> tensor<2x3xf64> {
  // CHECK: graph.cum_sum %{{.*}}, %{{.*}} {exclusive = 1 : i64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
  %y = graph.cum_sum %x, %axis {exclusive = 1 : i64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
  return %y : tensor<2x3xf64>
}

// CHECK-LABEL: func @softmax
func.func @softmax(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  // CHECK: graph.softmax %{{.*}} {axis = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %y = graph.softmax %x {axis = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// CHECK-LABEL: func @log_softmax
func.func @log_softmax(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  // CHECK: graph.log_softmax %{{.*}} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %y = graph.log_softmax %x : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// CHECK-LABEL: func @hardmax
func.func @hardmax(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  // CHECK: graph.hardmax %{{.*}} {axis = 1 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %y = graph.hardmax %x {axis = 1 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// CHECK-LABEL: func @batch_normalization
func.func @batch_normalization(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: graph.batch_normalization %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 0.00999999977 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>)
  %y, %rm, %rv = graph.batch_normalization %x, %s, %b, %m, %v {epsilon = 0.00999999977 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func @instance_normalization
func.func @instance_normalization(%x: tensor<1x2x1x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<1x2x1x3xf32> {
  // CHECK: graph.instance_normalization %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x1x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1x3xf32>
  %y = graph.instance_normalization %x, %s, %b : (tensor<1x2x1x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1x3xf32>
  return %y : tensor<1x2x1x3xf32>
}

// CHECK-LABEL: func @layer_normalization
func.func @layer_normalization(%x: tensor<2x3x5xf16>, %scale: tensor<3x5xf16>) -> (tensor<2x3x5xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  // CHECK: graph.none
  %none = graph.none
  // CHECK: graph.layer_normalization %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x5xf16>, tensor<3x5xf16>, none) -> (tensor<2x3x5xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  %y, %mean, %inv = graph.layer_normalization %x, %scale, %none {axis = 1 : i64} : (tensor<2x3x5xf16>, tensor<3x5xf16>, none) -> (tensor<2x3x5xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y, %mean, %inv : tensor<2x3x5xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// CHECK-LABEL: func @lrn
func.func @lrn(%x: tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32> {
  // CHECK: graph.lrn %{{.*}} {alpha = 2.000000e-04 : f32, beta = 5.000000e-01 : f32, bias = 2.000000e+00 : f32, size = 3 : i64} : (tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32>
  %y = graph.lrn %x {alpha = 2.000000e-04 : f32, beta = 5.000000e-01 : f32, bias = 2.000000e+00 : f32, size = 3 : i64} : (tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32>
  return %y : tensor<5x5x5x5xf32>
}

// CHECK-LABEL: func @mean_variance_normalization
func.func @mean_variance_normalization(%x: tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32> {
  // CHECK: graph.mean_variance_normalization %{{.*}} : (tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32>
  %y = graph.mean_variance_normalization %x : (tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32>
  return %y : tensor<3x3x3x1xf32>
}

// CHECK-LABEL: func @lp_normalization
func.func @lp_normalization(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // CHECK: graph.lp_normalization %{{.*}} {axis = 0 : i64, p = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  %y = graph.lp_normalization %x {axis = 0 : i64, p = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// Attributes equal to their ONNX defaults are not printed.
// CHECK-LABEL: func @defaults_elided
func.func @defaults_elided(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> (tensor<1x3xi64>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<1x1xf32>) {
  // CHECK: graph.arg_max %{{[^ ]+}} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  %a = graph.arg_max %x {axis = 0 : i64, keepdims = 1 : i64, select_last_index = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  // CHECK: graph.softmax %{{[^ ]+}} : (tensor<2x3xf32>)
  %b = graph.softmax %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: graph.layer_normalization %{{.*}}, %{{.*}}, %{{[^ ]+}} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
  %y, %m, %i = graph.layer_normalization %x, %s, %s {axis = -1 : i64, stash_type = f32} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  // CHECK: graph.reduce_mean %{{[^ ]+}} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  %r = graph.reduce_mean %x {keepdims = 1 : i64} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %a, %b, %y, %m, %i, %r : tensor<1x3xi64>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<1x1xf32>
}

// ReduceSum without axes, with noop_with_empty_axes, and with axes known
// only at run time.
// CHECK-LABEL: func @reduce_sum_forms
func.func @reduce_sum_forms(%x: tensor<3x1x2xi64>, %axes: tensor<?xi64>) -> (tensor<1x1x1xi64>, tensor<3x1x2xi64>, tensor<?x1x?xi64>) {
  %none = graph.none
  // CHECK: graph.reduce_sum %{{.*}}, %{{[^ ]+}} : (tensor<3x1x2xi64>, none) -> tensor<1x1x1xi64>
  %a = graph.reduce_sum %x, %none : (tensor<3x1x2xi64>, none) -> tensor<1x1x1xi64>
  // CHECK: graph.reduce_sum %{{.*}}, %{{.*}} {noop_with_empty_axes = 1 : i64} : (tensor<3x1x2xi64>, none) -> tensor<3x1x2xi64>
  %b = graph.reduce_sum %x, %none {noop_with_empty_axes = 1 : i64} : (tensor<3x1x2xi64>, none) -> tensor<3x1x2xi64>
  // CHECK: graph.reduce_sum %{{.*}}, %{{[^ ]+}} : (tensor<3x1x2xi64>, tensor<?xi64>) -> tensor<?x1x?xi64>
  %c = graph.reduce_sum %x, %axes : (tensor<3x1x2xi64>, tensor<?xi64>) -> tensor<?x1x?xi64>
  return %a, %b, %c : tensor<1x1x1xi64>, tensor<3x1x2xi64>, tensor<?x1x?xi64>
}

// Training-mode BatchNormalization, a bf16 stash type, a 1-D CumSum axis,
// explicit MeanVarianceNormalization axes.
// CHECK-LABEL: func @normalization_forms
func.func @normalization_forms(%x: tensor<2x3xf32>, %c: tensor<3xf64>, %s: tensor<3xf32>, %axis: tensor<1xi64>) -> (tensor<2x3xf32>, tensor<3xf64>, tensor<2x1xbf16>, tensor<2x3xf32>, tensor<2x3xf32>) {
  // CHECK: graph.batch_normalization %{{.*}} {momentum = 8.000000e-01 : f32, training_mode = 1 : i64}
  %y, %rm, %rv = graph.batch_normalization %x, %s, %s, %c, %c {momentum = 0.8 : f32, training_mode = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf64>, tensor<3xf64>) -> (tensor<2x3xf32>, tensor<3xf64>, tensor<3xf64>)
  // CHECK: graph.layer_normalization %{{.*}} {stash_type = bf16}
  %ly, %lm, %li = graph.layer_normalization %x, %s, %s {stash_type = bf16} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x1xbf16>, tensor<2x1xbf16>)
  // CHECK: graph.cum_sum %{{.*}}, %{{.*}} {reverse = 1 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  %cs = graph.cum_sum %x, %axis {reverse = 1 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  // CHECK: graph.mean_variance_normalization %{{.*}} {axes = array<i64: 1>}
  %mv = graph.mean_variance_normalization %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y, %rm, %lm, %cs, %mv : tensor<2x3xf32>, tensor<3xf64>, tensor<2x1xbf16>, tensor<2x3xf32>, tensor<2x3xf32>
}
