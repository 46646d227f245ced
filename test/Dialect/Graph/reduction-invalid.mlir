// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Reduce axes must lie in [-rank, rank).
func.func @reduce_axis_range(%x: tensor<3x2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{axes value 2 is out of range for rank 2}}
  %r = graph.reduce_mean %x {axes = array<i64: 2>, keepdims = 0 : i64} : (tensor<3x2xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// An axis may not be named twice, even once negative.
func.func @reduce_axis_twice(%x: tensor<3x2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{axes names dimension 1 more than once}}
  %r = graph.reduce_max %x {axes = array<i64: 1, -1>, keepdims = 0 : i64} : (tensor<3x2xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// keepdims decides the result rank.
func.func @reduce_keepdims(%x: tensor<3x2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{result #0 has type 'tensor<3xf32>', which contradicts the inferred type 'tensor<3x1xf32>'}}
  %r = graph.reduce_l2 %x {axes = array<i64: 1>} : (tensor<3x2xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// ReduceSum's constant axes are checked like the attribute.
func.func @reduce_sum_axis_range(%x: tensor<3x2xf32>) -> tensor<?xf32> {
  %axes = graph.constant dense<[-3]> : tensor<1xi64>
  // expected-error@+1 {{axes value -3 is out of range for rank 2}}
  %r = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// ReduceSum's axes are a 1-D list.
func.func @reduce_sum_axes_rank(%x: tensor<3x2xf32>, %axes: tensor<1x1xi64>) -> tensor<?x?xf32> {
  // expected-error@+1 {{axes must be a 1-D tensor or none}}
  %r = graph.reduce_sum %x, %axes : (tensor<3x2xf32>, tensor<1x1xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Without keepdims, run-time axes of unknown length leave the rank unknown.
func.func @reduce_sum_unknown_rank(%x: tensor<3x2xf32>, %axes: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{axes must be constant or have a static length when keepdims is 0}}
  %r = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// More run-time axes than dimensions cannot be valid.
func.func @reduce_sum_too_many_axes(%x: tensor<3x2xf32>, %axes: tensor<3xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{axes has 3 entries, more than the data rank 2}}
  %r = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2xf32>, tensor<3xi64>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// ArgMax's axis must exist.
func.func @arg_max_axis(%x: tensor<2x3xf32>) -> tensor<2x3xi64> {
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %i = graph.arg_max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return %i : tensor<2x3xi64>
}

// -----

// A scalar has no axis to take the ArgMin along.
func.func @arg_min_scalar(%x: tensor<f32>) -> tensor<i64> {
  // expected-error@+1 {{data must have rank 1 or more to have an axis}}
  %i = graph.arg_min %x : (tensor<f32>) -> tensor<i64>
  return %i : tensor<i64>
}

// -----

// ArgMax produces i64 indices.
func.func @arg_max_i32(%x: tensor<2x3xf32>) -> tensor<1x3xi32> {
  // expected-error@+1 {{result #0 must be ranked tensor of 64-bit signless integer values}}
  %i = graph.arg_max %x : (tensor<2x3xf32>) -> tensor<1x3xi32>
  return %i : tensor<1x3xi32>
}

// -----

// Softmax's axis must exist.
func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{axis -3 is out of range for rank 2}}
  %y = graph.softmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CumSum's axis is a scalar.
func.func @cum_sum_axis_shape(%x: tensor<2x3xf32>, %axis: tensor<2xi32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{axis must be a scalar, got 'tensor<2xi32>'}}
  %y = graph.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A constant CumSum axis must exist.
func.func @cum_sum_axis_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %axis = graph.constant dense<2> : tensor<i32>
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %y = graph.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// BatchNormalization parameters have one element per channel.
func.func @batch_norm_channels(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %c: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{scale has 4 elements, but the input has 3 channels}}
  %y, %m, %v = graph.batch_normalization %x, %s, %c, %c, %c : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<2x3x4xf32>
}

// -----

// BatchNormalization parameters are 1-D.
func.func @batch_norm_param_rank(%x: tensor<2x3xf32>, %c: tensor<3xf32>, %v: tensor<1x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{input_var must be 1-D, got rank 2}}
  %y, %m, %r = graph.batch_normalization %x, %c, %c, %c, %v : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1x3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<2x3xf32>
}

// -----

// scale and B share an element type.
func.func @batch_norm_types(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf16>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{scale and B element types differ: 'f32' vs 'f16'}}
  %y, %m, %r = graph.batch_normalization %x, %s, %b, %c, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<2x3xf32>
}

// -----

// InstanceNormalization needs spatial dimensions.
func.func @instance_norm_rank(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{input must have rank 3 or more (N x C x D1 ...), got rank 2}}
  %y = graph.instance_normalization %x, %s, %s : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// LayerNormalization's axis must exist.
func.func @layer_norm_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %none = graph.none
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %y, %m, %i = graph.layer_normalization %x, %s, %none {axis = 2 : i64} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  return %y : tensor<2x3xf32>
}

// -----

// LayerNormalization's Scale broadcasts to X.
func.func @layer_norm_scale(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  %none = graph.none
  // expected-error@+1 {{Scale dimension 0 has size 2, which does not broadcast to 3}}
  %y, %m, %i = graph.layer_normalization %x, %s, %none : (tensor<2x3xf32>, tensor<2xf32>, none) -> (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y : tensor<2x3xf32>
}

// -----

// Mean and InvStdDev have the stash type.
func.func @layer_norm_stash(%x: tensor<2x3xf16>, %s: tensor<3xf16>) -> tensor<2x3xf16> {
  %none = graph.none
  // expected-error@+1 {{result #1 has type 'tensor<2x1xf16>', which contradicts the inferred type 'tensor<2x1xf32>'}}
  %y, %m, %i = graph.layer_normalization %x, %s, %none : (tensor<2x3xf16>, tensor<3xf16>, none) -> (tensor<2x3xf16>, tensor<2x1xf16>, tensor<2x1xf16>)
  return %y : tensor<2x3xf16>
}

// -----

// The stash type is a float type.
func.func @layer_norm_stash_int(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %none = graph.none
  // expected-error@+1 {{stash_type must be a floating-point type, got 'i32'}}
  %y, %m, %i = graph.layer_normalization %x, %s, %none {stash_type = i32} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y : tensor<2x3xf32>
}

// -----

// LRN's size is required.
func.func @lrn_no_size(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error@+1 {{requires attribute 'size'}}
  %y = graph.lrn %x : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// LRN's size counts channels.
func.func @lrn_size(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error@+1 {{size must be positive, got 0}}
  %y = graph.lrn %x {size = 0 : i64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// The default MeanVarianceNormalization axes [0, 2, 3] need rank 4.
func.func @mvn_default_axes(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{axes value 3 is out of range for rank 3}}
  %y = graph.mean_variance_normalization %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// LpNormalization knows the L1 and L2 norms.
func.func @lp_norm_p(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{p must be 1 or 2, got 3}}
  %y = graph.lp_normalization %x {p = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
