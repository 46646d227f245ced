// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(kiln-bind-kernels)' | FileCheck %s

// A kernel on tensors gets the binding signature of the kernel ABI: one
// buffer per input, then one per result, which the kernel writes in place.
// CHECK-LABEL: func.func @d0
// CHECK-SAME:      (%[[A:.+]]: memref<4x8xf32>, %[[B:.+]]: memref<8xf32>, %[[OUT:.+]]: memref<4x8xf32>)
// CHECK-NOT:       -> tensor
// CHECK:         %[[TA:.+]] = bufferization.to_tensor %[[A]] restrict : memref<4x8xf32> to tensor<4x8xf32>
// CHECK:         %[[TB:.+]] = bufferization.to_tensor %[[B]] restrict : memref<8xf32> to tensor<8xf32>
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[TA]], %[[TB]] :
// CHECK:         bufferization.materialize_in_destination %[[R]] in restrict writable %[[OUT]]
// CHECK:         return{{$}}
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @d0(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Several results: one output buffer each, in order.
// CHECK-LABEL: func.func @d1
// CHECK-SAME:      (%[[A:.+]]: memref<4xf32>, %[[O0:.+]]: memref<4xf32>, %[[O1:.+]]: memref<4xf32>)
// CHECK:         bufferization.materialize_in_destination %{{.+}} in restrict writable %[[O0]]
// CHECK:         bufferization.materialize_in_destination %{{.+}} in restrict writable %[[O1]]
func.func @d1(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%e, %e : tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32, %p: f32):
    %s = math.exp %x : f32
    %t = math.tanh %x : f32
    linalg.yield %s, %t : f32, f32
  } -> (tensor<4xf32>, tensor<4xf32>)
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}
