// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// Shape of a static tensor folds to a constant, and ConstantOfShape of that
// constant becomes static and folds too.
// CHECK-LABEL: func @shape_chain
// CHECK-SAME: -> tensor<2x3xf32>
func.func @shape_chain(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  // CHECK-NOT: graph.shape
  // CHECK: %[[C:.+]] = graph.constant dense<0.000000e+00> : tensor<2x3xf32>
  // CHECK-NEXT: return %[[C]]
  %s = graph.shape %x : (tensor<2x3xf32>) -> tensor<2xi64>
  %y = graph.constant_of_shape %s : (tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Range of constants gets its static length.
// CHECK-LABEL: func @range_static
func.func @range_static() -> tensor<?xi64> {
  %a = graph.constant dense<1> : tensor<i64>
  %b = graph.constant dense<10> : tensor<i64>
  %c = graph.constant dense<3> : tensor<i64>
  // CHECK: graph.constant dense<[1, 4, 7]> : tensor<3xi64>
  %r = graph.range %a, %b, %c : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %r : tensor<?xi64>
}
