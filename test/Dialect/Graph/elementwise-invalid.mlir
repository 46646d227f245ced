// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Binary operands must share an element type.
func.func @add_element_types(%a: tensor<3xf32>, %b: tensor<3xi32>) -> tensor<3xf32> {
  // expected-error@+1 {{operand #1 has element type 'i32', but operand #0 has 'f32'}}
  %c = graph.add %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return %c : tensor<3xf32>
}

// -----

// Static sizes that differ and are not 1 do not broadcast.
func.func @mul_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{operand shapes do not broadcast: [2, 3] vs [4]}}
  %c = graph.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

// A declared result shape must agree with the broadcast shape.
func.func @sub_wrong_result(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x2xf32> {
  // expected-error@+1 {{result #0 has type 'tensor<2x2xf32>', which contradicts the inferred type 'tensor<2x3xf32>'}}
  %c = graph.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}

// -----

// Comparisons produce bool tensors.
func.func @greater_result_type(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{result #0 must be ranked tensor of 1-bit signless integer values}}
  %c = graph.greater %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %c : tensor<3xf32>
}

// -----

// ONNX has no Neg for unsigned integers.
func.func @neg_unsigned(%x: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error@+1 {{operand #0 must be ranked tensor of}}
  %y = graph.neg %x : (tensor<3xui8>) -> tensor<3xui8>
  return %y : tensor<3xui8>
}

// -----

// IsNaN tests floats only.
func.func @is_nan_int(%x: tensor<3xi32>) -> tensor<3xi1> {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point values}}
  %y = graph.is_nan %x : (tensor<3xi32>) -> tensor<3xi1>
  return %y : tensor<3xi1>
}

// -----

// Mod of floats needs C fmod semantics.
func.func @mod_float_fmod0(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{fmod must be 1 for floating-point operands}}
  %c = graph.mod %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %c : tensor<3xf32>
}

// -----

// fmod is a flag.
func.func @mod_fmod_value(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error@+1 {{fmod must be 0 or 1, got 2}}
  %c = graph.mod %a, %b {fmod = 2 : i64} : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %c : tensor<3xi32>
}

// -----

// BitShift knows two directions.
func.func @bit_shift_direction(%x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error@+1 {{direction must be "LEFT" or "RIGHT", got "UP"}}
  %z = graph.bit_shift %x, %y {direction = "UP"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %z : tensor<3xui8>
}

// -----

// BitShift's direction is required.
func.func @bit_shift_no_direction(%x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  // expected-error@+1 {{requires attribute 'direction'}}
  %z = graph.bit_shift %x, %y : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %z : tensor<3xui8>
}

// -----

// PRelu's slope broadcasts to X, not X to the slope.
func.func @prelu_slope_rank(%x: tensor<3xf32>, %s: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{slope has rank 2, more than the rank 1 it broadcasts to}}
  %y = graph.prelu %x, %s : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// A slope dimension must be 1 or X's.
func.func @prelu_slope_size(%x: tensor<2x3xf32>, %s: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{slope dimension 0 has size 4, which does not broadcast to 3}}
  %y = graph.prelu %x, %s : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Where's X and Y share an element type.
func.func @where_types(%c: tensor<2xi1>, %x: tensor<2xf32>, %y: tensor<2xf64>) -> tensor<2xf32> {
  // expected-error@+1 {{X and Y element types differ: 'f32' vs 'f64'}}
  %r = graph.where %c, %x, %y : (tensor<2xi1>, tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// Where's condition is bool.
func.func @where_condition(%c: tensor<2xi32>, %x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %r = graph.where %c, %x, %y : (tensor<2xi32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// Clip bounds are scalars.
func.func @clip_bound_shape(%x: tensor<3xf32>, %lo: tensor<3xf32>) -> tensor<3xf32> {
  %none = graph.none
  // expected-error@+1 {{min must be a scalar, got 'tensor<3xf32>'}}
  %y = graph.clip %x, %lo, %none : (tensor<3xf32>, tensor<3xf32>, none) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Clip bounds have the input's element type.
func.func @clip_bound_type(%x: tensor<3xf32>, %hi: tensor<f64>) -> tensor<3xf32> {
  %none = graph.none
  // expected-error@+1 {{max element type 'f64' differs from the input's 'f32'}}
  %y = graph.clip %x, %none, %hi : (tensor<3xf32>, none, tensor<f64>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Variadic ops need an input.
func.func @max_no_inputs() -> tensor<3xf32> {
  // expected-error@+1 {{requires at least one input}}
  %m = graph.max : () -> tensor<3xf32>
  return %m : tensor<3xf32>
}

// -----

// Every input of a variadic op has one element type.
func.func @sum_types(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error@+1 {{operand #2 has element type 'f16', but operand #0 has 'f32'}}
  %s = graph.sum %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// -----

// A broadcast past 2^48 elements is rejected rather than overflowing.
func.func @add_too_large(%a: tensor<33554432x1xf32>, %b: tensor<1x16777216xf32>) -> tensor<?x?xf32> {
  // expected-error@+1 {{result shape has more than 2^48 elements}}
  %c = graph.add %a, %b : (tensor<33554432x1xf32>, tensor<1x16777216xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}
