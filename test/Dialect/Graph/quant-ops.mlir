// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of every quantization op.

// CHECK-LABEL: func @quantize
func.func @quantize(%x: tensor<1x3x2xf32>, %scale: tensor<3xf32>, %zp: tensor<3xi8>,
                   %q: tensor<4xui8>, %s: tensor<f32>, %z: tensor<ui8>, %acc: tensor<4xi32>, %d: tensor<3x4xf32>)
    -> (tensor<1x3x2xi8>, tensor<1x3x2xui8>, tensor<4xf32>, tensor<4xf32>, tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %none = graph.none
  // CHECK: graph.quantize_linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x2xi8>
  %y = graph.quantize_linear %x, %scale, %zp : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x2xi8>
  // CHECK: graph.quantize_linear %{{.*}}, %{{.*}}, %{{.*}} {axis = -2 : i64} : (tensor<1x3x2xf32>, tensor<3xf32>, none) -> tensor<1x3x2xui8>
  %yu = graph.quantize_linear %x, %scale, %none {axis = -2} : (tensor<1x3x2xf32>, tensor<3xf32>, none) -> tensor<1x3x2xui8>
  // CHECK: graph.dequantize_linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %dq = graph.dequantize_linear %q, %s, %z : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  // CHECK: graph.dequantize_linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<f32>, none) -> tensor<4xf32>
  %dqi = graph.dequantize_linear %acc, %s, %none : (tensor<4xi32>, tensor<f32>, none) -> tensor<4xf32>
  // CHECK: graph.dynamic_quantize_linear %{{.*}} : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  %dy, %dys, %dyz = graph.dynamic_quantize_linear %d : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %yu, %dq, %dqi, %dy, %dys, %dyz : tensor<1x3x2xi8>, tensor<1x3x2xui8>, tensor<4xf32>, tensor<4xf32>, tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}

// CHECK-LABEL: func @integer_products
func.func @integer_products(%x: tensor<1x1x7x7xui8>, %xs: tensor<f32>, %xz: tensor<ui8>,
                            %w: tensor<1x1x1x1xui8>, %ws: tensor<1xf32>, %wz: tensor<1xui8>,
                            %ys: tensor<f32>, %yz: tensor<ui8>,
                            %a: tensor<2x4xui8>, %as: tensor<1xf32>, %az: tensor<1xui8>,
                            %b: tensor<4x3xui8>, %bs: tensor<1xf32>, %bz: tensor<1xui8>,
                            %mya: tensor<1xf32>, %myz: tensor<1xui8>,
                            %ma: tensor<4x3xui8>, %mb: tensor<3x2xui8>,
                            %cx: tensor<1x1x3x3xui8>, %cw: tensor<1x1x2x2xui8>)
    -> (tensor<1x1x7x7xui8>, tensor<2x3xui8>, tensor<4x2xi32>, tensor<1x1x4x4xi32>) {
  %none = graph.none
  // CHECK: graph.qlinear_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xui8>, tensor<1xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x1x7x7xui8>
  %qc = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xui8>, tensor<1xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x1x7x7xui8>
  // CHECK: graph.qlinear_mat_mul {{.*}} : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  %qm = graph.qlinear_mat_mul %a, %as, %az, %b, %bs, %bz, %mya, %myz : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
  // CHECK: graph.mat_mul_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<1xui8>, none) -> tensor<4x2xi32>
  %mi = graph.mat_mul_integer %ma, %mb, %az, %none : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<1xui8>, none) -> tensor<4x2xi32>
  // CHECK: graph.conv_integer %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<1x1x4x4xi32>
  %ci = graph.conv_integer %cx, %cw, %xz, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<1x1x4x4xi32>
  return %qc, %qm, %mi, %ci : tensor<1x1x7x7xui8>, tensor<2x3xui8>, tensor<4x2xi32>, tensor<1x1x4x4xi32>
}
