// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// QuantizeLinear takes the zero point's type, or ui8 without one;
// DequantizeLinear gives f32 of the same shape.
// CHECK-LABEL: func @quantize_dequantize
// CHECK: graph.quantize_linear {{.*}} -> tensor<1x3x3x2xi8>
// CHECK: graph.quantize_linear {{.*}} -> tensor<6xui8>
// CHECK: graph.dequantize_linear {{.*}} -> tensor<1x3x3x2xf32>
func.func @quantize_dequantize(%x: tensor<1x3x3x2xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>, %v: tensor<6xf32>, %t: tensor<f32>)
    -> (tensor<?x?x?x?xi8>, tensor<?xui8>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %q = graph.quantize_linear %x, %s, %z : (tensor<1x3x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<?x?x?x?xi8>
  %u = graph.quantize_linear %v, %t, %none : (tensor<6xf32>, tensor<f32>, none) -> tensor<?xui8>
  %d = graph.dequantize_linear %q, %s, %z : (tensor<?x?x?x?xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<?x?x?x?xf32>
  return %q, %u, %d : tensor<?x?x?x?xi8>, tensor<?xui8>, tensor<?x?x?x?xf32>
}

// -----

// DynamicQuantizeLinear: data shaped like x, scalar scale and zero point.
// CHECK-LABEL: func @dynamic_quantize
// CHECK: graph.dynamic_quantize_linear {{.*}} -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<?x?xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = graph.dynamic_quantize_linear %x : (tensor<3x4xf32>) -> (tensor<?x?xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<?x?xui8>, tensor<f32>, tensor<ui8>
}

// -----

// Integer convolutions: the conv window arithmetic; QLinearConv takes
// y_zero_point's type, ConvInteger gives i32.
// CHECK-LABEL: func @integer_convolutions
// CHECK: graph.qlinear_conv {{.*}} -> tensor<1x4x4x4xi8>
// CHECK: graph.conv_integer {{.*}} -> tensor<1x1x4x4xi32>
func.func @integer_convolutions(%x: tensor<1x2x8x8xui8>, %xs: tensor<f32>, %xz: tensor<ui8>,
                                %w: tensor<4x2x3x3xi8>, %ws: tensor<4xf32>, %wz: tensor<4xi8>,
                                %ys: tensor<f32>, %yz: tensor<i8>, %b: tensor<4xi32>,
                                %cx: tensor<1x1x3x3xui8>, %cw: tensor<1x1x2x2xui8>)
    -> (tensor<?x?x?x?xi8>, tensor<?x?x?x?xi32>) {
  %none = graph.none
  %q = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x2x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<4xf32>, tensor<4xi8>, tensor<f32>, tensor<i8>, tensor<4xi32>) -> tensor<?x?x?x?xi8>
  %c = graph.conv_integer %cx, %cw, %xz, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<?x?x?x?xi32>
  return %q, %c : tensor<?x?x?x?xi8>, tensor<?x?x?x?xi32>
}

// -----

// Integer matrix products: numpy matmul shapes.
// CHECK-LABEL: func @integer_products
// CHECK: graph.qlinear_mat_mul {{.*}} -> tensor<2x2x3xui8>
// CHECK: graph.mat_mul_integer {{.*}} -> tensor<4x2xi32>
func.func @integer_products(%a: tensor<2x2x4xui8>, %s: tensor<1xf32>, %z: tensor<1xui8>, %b: tensor<2x4x3xui8>,
                            %ma: tensor<4x3xi8>, %mb: tensor<3x2xui8>, %mz: tensor<2xui8>)
    -> (tensor<?x?x?xui8>, tensor<?x?xi32>) {
  %none = graph.none
  %q = graph.qlinear_mat_mul %a, %s, %z, %b, %s, %z, %s, %z : (tensor<2x2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<2x4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<?x?x?xui8>
  %m = graph.mat_mul_integer %ma, %mb, %none, %mz : (tensor<4x3xi8>, tensor<3x2xui8>, none, tensor<2xui8>) -> tensor<?x?xi32>
  return %q, %m : tensor<?x?x?xui8>, tensor<?x?xi32>
}
