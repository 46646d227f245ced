// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip: every op prints in a form that parses back to itself.

// CHECK-LABEL: func @core
func.func @core(%x: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<i64>, tensor<2x3xi32>, none) {
  // CHECK: graph.constant dense<[2, 3]> : tensor<2xi64>
  %c = graph.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK: graph.shape %{{.*}} : (tensor<2x3xf32>) -> tensor<2xi64>
  %s = graph.shape %x : (tensor<2x3xf32>) -> tensor<2xi64>
  // CHECK: graph.size %{{.*}} : (tensor<2x3xf32>) -> tensor<i64>
  %n = graph.size %x : (tensor<2x3xf32>) -> tensor<i64>
  // CHECK: graph.cast %{{.*}} {to = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %i = graph.cast %x {to = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  // CHECK: graph.none
  %none = graph.none
  return %s, %n, %i, %none : tensor<2xi64>, tensor<i64>, tensor<2x3xi32>, none
}

// CHECK-LABEL: func @shape_ops
func.func @shape_ops(%shape: tensor<2xi64>) -> (tensor<?x?xi32>, tensor<3x4xf64>) {
  // CHECK: graph.constant_of_shape %{{.*}} {value = dense<1> : tensor<1xi32>}
  %y = graph.constant_of_shape %shape {value = dense<1> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xi32>
  %e0 = graph.constant dense<0.0> : tensor<3x4xf32>
  // CHECK: graph.eye_like %{{.*}} {dtype = f64, k = 1 : i64}
  %e = graph.eye_like %e0 {dtype = f64, k = 1} : (tensor<3x4xf32>) -> tensor<3x4xf64>
  return %y, %e : tensor<?x?xi32>, tensor<3x4xf64>
}
