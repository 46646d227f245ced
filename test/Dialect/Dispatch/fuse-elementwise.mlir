// RUN: kiln-opt %s --split-input-file --dispatch-fuse-elementwise | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// A bias add with broadcasting followed by tanh: one generic op, the
// broadcast kept in its indexing map.
// CHECK: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @chain
// CHECK:         linalg.generic {{.+}}#[[COL]]
// CHECK:           arith.addf
// CHECK-NEXT:      math.tanh
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @chain(%x: tensor<16x32xf32>, %b: tensor<32xf32>) -> tensor<16x32xf32> {
  %e = tensor.empty() : tensor<16x32xf32>
  %a = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<16x32xf32>, tensor<32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<16x32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = math.tanh %p : f32
    linalg.yield %t : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

// -----

// A producer with a second use is not merged (it would be computed twice);
// dispatch formation groups the pair instead.
// CHECK-LABEL: func.func @shared_producer
// CHECK:         %[[A:.+]] = linalg.generic
// CHECK:           math.exp
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[A]]
// CHECK:           math.tanh
// CHECK:         return %[[A]], %[[R]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shared_producer(%x: tensor<16x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>) {
  %e = tensor.empty() : tensor<16x32xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = math.exp %p : f32
    linalg.yield %t : f32
  } -> tensor<16x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<16x32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = math.tanh %p : f32
    linalg.yield %t : f32
  } -> tensor<16x32xf32>
  return %a, %r : tensor<16x32xf32>, tensor<16x32xf32>
}
