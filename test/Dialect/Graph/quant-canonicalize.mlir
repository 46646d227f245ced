// RUN: kiln-opt %s -canonicalize | FileCheck %s

// The quantized convolutions get explicit pads like conv.
// CHECK-LABEL: func @quant_conv_auto_pad
// CHECK: graph.qlinear_conv {{.*}} {pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}
// CHECK: graph.conv_integer {{.*}} {pads = array<i64: 1, 1, 0, 0>}
// CHECK-NOT: auto_pad
func.func @quant_conv_auto_pad(%x: tensor<1x2x8x8xui8>, %xs: tensor<f32>, %xz: tensor<ui8>,
                               %w: tensor<4x2x3x3xi8>, %ws: tensor<f32>, %wz: tensor<i8>,
                               %ys: tensor<f32>, %yz: tensor<ui8>, %cw: tensor<4x2x2x2xi8>)
    -> (tensor<1x4x4x4xui8>, tensor<1x4x8x8xi32>) {
  %none = graph.none
  %q = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x2x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x4x4x4xui8>
  %c = graph.conv_integer %x, %cw, %xz, %wz {auto_pad = "SAME_LOWER"} : (tensor<1x2x8x8xui8>, tensor<4x2x2x2xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x8x8xi32>
  return %q, %c : tensor<1x4x4x4xui8>, tensor<1x4x8x8xi32>
}
