// The buffer plan: inputs, results and temporaries in one arena, a byte
// range reused once its value is dead; constants in the constants pool.
// RUN: kiln-compile %s --compile-to=dispatch | kiln-opt --exec-plan | FileCheck %s
// REQUIRES: kiln-compile

// Three 16 KiB values are alive at most at once (the weight, one matmul's
// operand and its result): x's bytes hold the second product once the first
// has read x, and the output lands where the first product was.
// CHECK:      exec.program @main arena_size(49152) {
// CHECK-NEXT:   exec.input "x" : tensor<64x64xf32> at <arena, 0, 16384>
// CHECK-NEXT:   exec.input "w" : tensor<64x64xf32> at <arena, 16384, 16384>
// CHECK-NEXT:   exec.launch 0 @d0 bindings [#exec.ref<arena, 0, 16384>, #exec.ref<arena, 16384, 16384>, #exec.ref<arena, 32768, 16384>]
// CHECK-NEXT:   exec.launch 1 @d1 bindings [#exec.ref<arena, 32768, 16384>, #exec.ref<arena, 16384, 16384>, #exec.ref<arena, 0, 16384>]
// CHECK-NEXT:   exec.launch 2 @d2 bindings [#exec.ref<arena, 0, 16384>, #exec.ref<arena, 16384, 16384>, #exec.ref<arena, 32768, 16384>]
// CHECK-NEXT:   exec.output "y" : tensor<64x64xf32> at <arena, 32768, 16384>
// CHECK-NEXT: }
func.func @main(%x: tensor<64x64xf32> {graph.name = "x"}, %w: tensor<64x64xf32> {graph.name = "w"}) -> (tensor<64x64xf32> {graph.name = "y"}) {
  %a = graph.mat_mul %x, %w : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %b = graph.mat_mul %a, %w : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %c = graph.mat_mul %b, %w : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  return %c : tensor<64x64xf32>
}
