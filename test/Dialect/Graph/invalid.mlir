// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// A result type that contradicts shape inference is rejected.
func.func @shape_wrong_length(%x: tensor<2x3xf32>) -> tensor<3xi64> {
  // expected-error@+1 {{result #0 has type 'tensor<3xi64>', which contradicts the inferred type 'tensor<2xi64>'}}
  %s = graph.shape %x : (tensor<2x3xf32>) -> tensor<3xi64>
  return %s : tensor<3xi64>
}

// -----

// Casting to a type ONNX does not have is rejected.
func.func @cast_to_index(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{cannot cast to 'index'}}
  %y = graph.cast %x {to = index} : (tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// EyeLike needs a matrix.
func.func @eye_like_rank(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{input must be 2-D, got rank 3}}
  %y = graph.eye_like %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A negative dimension in a constant shape is rejected.
func.func @constant_of_shape_negative() -> tensor<?xf32> {
  %c = graph.constant dense<[-4]> : tensor<1xi64>
  // expected-error@+1 {{result dimension -4 is negative}}
  %y = graph.constant_of_shape %c : (tensor<1xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
