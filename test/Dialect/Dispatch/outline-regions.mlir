// RUN: kiln-opt %s --dispatch-outline-regions | FileCheck %s

// Each region becomes a kernel in the nested @kernels module and a launch
// in its place. The kernel is named after its position and the ONNX op
// types of its nodes (from the region's location, which dispatch formation
// fuses from the ONNX nodes' locations), which it lists, with its root op,
// as attributes.

// CHECK-LABEL: func.func @main
// CHECK-SAME:      (%[[A:.+]]: tensor<64x128xf32>, %[[B:.+]]: tensor<128x32xf32>, %[[BIAS:.+]]: tensor<32xf32>)
// CHECK:         %[[MM:.+]] = dispatch.launch @kernels::@d0_MatMul_Add(%[[A]], %[[B]], %[[BIAS]]) : (tensor<64x128xf32>, tensor<128x32xf32>, tensor<32xf32>) -> tensor<64x32xf32>
// CHECK:         %[[R:.+]] = dispatch.launch @kernels::@d1_Relu(%[[MM]]) : (tensor<64x32xf32>) -> tensor<64x32xf32>
// CHECK:         return %[[R]]
// CHECK:       module @kernels
// CHECK:         func.func @d0_MatMul_Add(%{{.+}}: tensor<64x128xf32>, %{{.+}}: tensor<128x32xf32>, %{{.+}}: tensor<32xf32>) -> tensor<64x32xf32>
// CHECK-SAME:        dispatch.onnx_nodes = ["mm", "bias"], dispatch.root = "linalg.matmul"
// CHECK:           linalg.matmul
// CHECK:           linalg.generic
// CHECK:           return
// CHECK:         func.func @d1_Relu(%{{.+}}: tensor<64x32xf32>) -> tensor<64x32xf32>
// CHECK-SAME:        dispatch.onnx_nodes = ["relu"], dispatch.root = "linalg.generic"
#map = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @main(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>, %bias: tensor<32xf32>) -> tensor<64x32xf32> {
  %0 = dispatch.region(%a, %b, %bias) : (tensor<64x128xf32>, tensor<128x32xf32>, tensor<32xf32>) -> tensor<64x32xf32> {
  ^bb0(%x: tensor<64x128xf32>, %y: tensor<128x32xf32>, %z: tensor<32xf32>):
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<64x32xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32> loc("mm"("MatMul"))
    %m = linalg.matmul ins(%x, %y : tensor<64x128xf32>, tensor<128x32xf32>) outs(%f : tensor<64x32xf32>) -> tensor<64x32xf32> loc("mm"("MatMul"))
    %s = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel"]}
        ins(%m, %z : tensor<64x32xf32>, tensor<32xf32>) outs(%e : tensor<64x32xf32>) {
    ^bb0(%p: f32, %q: f32, %o: f32):
      %t = arith.addf %p, %q : f32
      linalg.yield %t : f32
    } -> tensor<64x32xf32> loc("bias"("Add"))
    dispatch.return %s : tensor<64x32xf32>
  } loc(fused["mm"("MatMul"), "bias"("Add")])
  %1 = dispatch.region(%0) : (tensor<64x32xf32>) -> tensor<64x32xf32> {
  ^bb0(%x: tensor<64x32xf32>):
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<64x32xf32>
    %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
    ^bb0(%p: f32, %o: f32):
      %t = arith.maximumf %p, %zero : f32
      linalg.yield %t : f32
    } -> tensor<64x32xf32> loc("relu"("Relu"))
    dispatch.return %r : tensor<64x32xf32>
  } loc("relu"("Relu"))
  return %1 : tensor<64x32xf32>
}
