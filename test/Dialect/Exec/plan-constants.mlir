// A weight goes to the constants pool, aligned; only activations take
// arena space.
// RUN: kiln-compile %s --compile-to=dispatch | kiln-opt --exec-plan | FileCheck %s
// REQUIRES: kiln-compile

// CHECK:      exec.program @main arena_size(256) {
// CHECK-NEXT:   exec.input "x" : tensor<4x8xf32> at <arena, 0, 128>
// CHECK-NEXT:   exec.constant dense<{{.+}}> : tensor<8x8xf32> at <constants, 0, 256>
// CHECK-NEXT:   exec.launch 0 @d0 bindings [#exec.ref<arena, 0, 128>, #exec.ref<constants, 0, 256>, #exec.ref<arena, 128, 128>]
// CHECK-NEXT:   exec.output "y" : tensor<4x8xf32> at <arena, 128, 128>
// CHECK-NEXT: }
func.func @main(%x: tensor<4x8xf32> {graph.name = "x"}) -> (tensor<4x8xf32> {graph.name = "y"}) {
  %w = graph.constant dense<[[0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 0.0], [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 0.0, 0.25], [0.5, 0.75, 1.0, 1.25, 1.5, 0.0, 0.25, 0.5], [0.75, 1.0, 1.25, 1.5, 0.0, 0.25, 0.5, 0.75], [1.0, 1.25, 1.5, 0.0, 0.25, 0.5, 0.75, 1.0], [1.25, 1.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25], [1.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5], [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 0.0]]> : tensor<8x8xf32>
  %y = graph.mat_mul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
