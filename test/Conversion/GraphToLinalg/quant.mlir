// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// Per-axis quantization broadcasts the scale along its axis; values round
// half to even and saturate to the i8 range before the conversion.
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [3, 1] : tensor<3xf32> into tensor<3x1xf32>
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
func.func @quantize_per_axis(%x: tensor<1x3x2xf32>, %s: tensor<3xf32>, %zp: tensor<3xi8>) -> tensor<1x3x2xi8> {
  %y = graph.quantize_linear %x, %s, %zp : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x2xi8>
  return %y : tensor<1x3x2xi8>
}

// -----

// An unsigned zero point widens with extui and is subtracted in i32.
// CHECK-LABEL: func.func @dequantize_u8
// CHECK: arith.extui %{{.+}} : i8 to i32
// CHECK: arith.extui %{{.+}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.mulf
func.func @dequantize_u8(%x: tensor<4xui8>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<4xf32> {
  %y = graph.dequantize_linear %x, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// MatMulInteger subtracts the zero points while widening to i32, then
// multiplies with linalg.matmul in i32.
// CHECK-LABEL: func.func @matmul_integer
// CHECK: %[[A:.+]] = linalg.generic
// CHECK: arith.extui %{{.+}} : i8 to i32
// CHECK: arith.subi
// CHECK: %[[B:.+]] = linalg.generic
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<4x3xi32>, tensor<3x2xi32>) outs(%{{.+}} : tensor<4x2xi32>)
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %az: tensor<1xui8>) -> tensor<4x2xi32> {
  %none = graph.none
  %y = graph.mat_mul_integer %a, %b, %az, %none : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<1xui8>, none) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

// ConvInteger is an i32 convolution of the widened operands.
// CHECK-LABEL: func.func @conv_integer
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.conv_2d_nchw_fchw {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x1x5x5xi32>, tensor<1x1x2x2xi32>) outs(%{{.+}} : tensor<1x1x4x4xi32>)
func.func @conv_integer(%x: tensor<1x1x3x3xui8>, %w: tensor<1x1x2x2xui8>, %xz: tensor<ui8>) -> tensor<1x1x4x4xi32> {
  %none = graph.none
  %y = graph.conv_integer %x, %w, %xz, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<1x1x4x4xi32>
  return %y : tensor<1x1x4x4xi32>
}
