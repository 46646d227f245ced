// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// QuantizeLinear: a per-axis scale has one value per index of `axis`.
func.func @quantize_axis_size(%x: tensor<1x3x2xf32>, %s: tensor<4xf32>) -> tensor<1x3x2xui8> {
  %none = graph.none
  // expected-error@+1 {{y_scale has 4 elements but dimension 1 of the input has size 3}}
  %y = graph.quantize_linear %x, %s, %none : (tensor<1x3x2xf32>, tensor<4xf32>, none) -> tensor<1x3x2xui8>
  return %y : tensor<1x3x2xui8>
}

// -----

// QuantizeLinear: axis must name a dim of x when the scale is per axis.
func.func @quantize_axis_range(%x: tensor<1x3x2xf32>, %s: tensor<3xf32>) -> tensor<1x3x2xui8> {
  %none = graph.none
  // expected-error@+1 {{axis 3 is out of range for rank 3}}
  %y = graph.quantize_linear %x, %s, %none {axis = 3} : (tensor<1x3x2xf32>, tensor<3xf32>, none) -> tensor<1x3x2xui8>
  return %y : tensor<1x3x2xui8>
}

// -----

// QuantizeLinear: scale and zero point have one shape.
func.func @quantize_zero_point(%x: tensor<1x3x2xf32>, %s: tensor<3xf32>, %z: tensor<2xi8>) -> tensor<1x3x2xi8> {
  // expected-error@+1 {{y_zero_point has 2 elements but y_scale has 3}}
  %y = graph.quantize_linear %x, %s, %z : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<2xi8>) -> tensor<1x3x2xi8>
  return %y : tensor<1x3x2xi8>
}

// -----

// QuantizeLinear: scales are scalars or 1-D.
func.func @quantize_scale_rank(%x: tensor<1x3x2xf32>, %s: tensor<1x3xf32>) -> tensor<1x3x2xui8> {
  %none = graph.none
  // expected-error@+1 {{y_scale must be a scalar or 1-D, got 'tensor<1x3xf32>'}}
  %y = graph.quantize_linear %x, %s, %none : (tensor<1x3x2xf32>, tensor<1x3xf32>, none) -> tensor<1x3x2xui8>
  return %y : tensor<1x3x2xui8>
}

// -----

// QuantizeLinear: the result type is the zero point's.
func.func @quantize_result_type(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xui8> {
  // expected-error@+1 {{result #0 has type 'tensor<4xui8>', which contradicts the inferred type 'tensor<4xi8>'}}
  %y = graph.quantize_linear %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xui8>
  return %y : tensor<4xui8>
}

// -----

// DequantizeLinear: the zero point has the type of x.
func.func @dequantize_zero_point_type(%x: tensor<4xui8>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xf32> {
  // expected-error@+1 {{x_zero_point must have element type 'ui8', got 'i8'}}
  %y = graph.dequantize_linear %x, %s, %z : (tensor<4xui8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// DequantizeLinear: i32 input has no zero point other than 0.
func.func @dequantize_i32_zero_point(%x: tensor<4xi32>, %s: tensor<f32>) -> tensor<4xf32> {
  %z = graph.constant dense<3> : tensor<i32>
  // expected-error@+1 {{x_zero_point must be 0 for i32 input}}
  %y = graph.dequantize_linear %x, %s, %z : (tensor<4xi32>, tensor<f32>, tensor<i32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// QLinearConv: x is quantized per tensor.
func.func @qlinear_conv_x_scale(%x: tensor<1x1x7x7xui8>, %xs: tensor<2xf32>, %xz: tensor<ui8>,
                                %w: tensor<1x1x1x1xui8>, %ws: tensor<f32>, %wz: tensor<ui8>,
                                %ys: tensor<f32>, %yz: tensor<ui8>) -> tensor<1x1x7x7xui8> {
  %none = graph.none
  // expected-error@+1 {{x_scale must be a scalar, got 'tensor<2xf32>'}}
  %y = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none : (tensor<1x1x7x7xui8>, tensor<2xf32>, tensor<ui8>, tensor<1x1x1x1xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x1x7x7xui8>
  return %y : tensor<1x1x7x7xui8>
}

// -----

// QLinearConv: w is quantized per tensor or per output channel.
func.func @qlinear_conv_w_scale(%x: tensor<1x1x7x7xui8>, %xs: tensor<f32>, %xz: tensor<ui8>,
                                %w: tensor<2x1x1x1xui8>, %ws: tensor<3xf32>, %wz: tensor<ui8>,
                                %ys: tensor<f32>, %yz: tensor<ui8>) -> tensor<1x2x7x7xui8> {
  %none = graph.none
  // expected-error@+1 {{w_scale must be a scalar or hold one value per output channel, got 'tensor<3xf32>'}}
  %y = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<ui8>, tensor<2x1x1x1xui8>, tensor<3xf32>, tensor<ui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x2x7x7xui8>
  return %y : tensor<1x2x7x7xui8>
}

// -----

// QLinearConv: zero points have the type of their tensor.
func.func @qlinear_conv_zero_point(%x: tensor<1x1x7x7xui8>, %xs: tensor<f32>, %xz: tensor<i8>,
                                   %w: tensor<1x1x1x1xui8>, %ws: tensor<f32>, %wz: tensor<ui8>,
                                   %ys: tensor<f32>, %yz: tensor<ui8>) -> tensor<1x1x7x7xui8> {
  %none = graph.none
  // expected-error@+1 {{x_zero_point must have element type 'ui8', got 'i8'}}
  %y = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<i8>, tensor<1x1x1x1xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x1x7x7xui8>
  return %y : tensor<1x1x7x7xui8>
}

// -----

// ConvInteger: the conv checks apply.
func.func @conv_integer_groups(%x: tensor<1x2x3x3xui8>, %w: tensor<1x1x2x2xui8>) -> tensor<1x1x2x2xi32> {
  %none = graph.none
  // expected-error@+1 {{input has 2 channels but the weight expects 1 * group 1}}
  %y = graph.conv_integer %x, %w, %none, %none : (tensor<1x2x3x3xui8>, tensor<1x1x2x2xui8>, none, none) -> tensor<1x1x2x2xi32>
  return %y : tensor<1x1x2x2xi32>
}

// -----

// QLinearMatMul: the output is quantized per tensor.
func.func @qlinear_mat_mul_y_scale(%a: tensor<2x4xui8>, %s: tensor<f32>, %z: tensor<ui8>, %b: tensor<4x3xui8>, %ys: tensor<3xf32>) -> tensor<2x3xui8> {
  // expected-error@+1 {{y_scale must be a scalar, got 'tensor<3xf32>'}}
  %y = graph.qlinear_mat_mul %a, %s, %z, %b, %s, %z, %ys, %z : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xui8>, tensor<f32>, tensor<ui8>, tensor<3xf32>, tensor<ui8>) -> tensor<2x3xui8>
  return %y : tensor<2x3xui8>
}

// -----

// MatMulInteger: the matmul checks apply.
func.func @mat_mul_integer_k(%a: tensor<4x3xui8>, %b: tensor<2x2xui8>) -> tensor<4x2xi32> {
  %none = graph.none
  // expected-error@+1 {{contraction dimensions differ: 3 vs 2}}
  %y = graph.mat_mul_integer %a, %b, %none, %none : (tensor<4x3xui8>, tensor<2x2xui8>, none, none) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}
