// RUN: kiln-opt %s | FileCheck %s
// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: exec.program @main arena_size(128) {
// CHECK-NEXT:    exec.input "x" : tensor<4xf32> at <arena, 0, 16>
// CHECK-NEXT:    exec.constant dense<1.000000e+00> : tensor<4xf32> at <constants, 0, 16>
// CHECK-NEXT:    exec.launch 0 @d0_Add bindings [#exec.ref<arena, 0, 16>, #exec.ref<constants, 0, 16>, #exec.ref<arena, 64, 16>]
// CHECK-NEXT:    exec.copy <arena, 64, 16> to <arena, 112, 16>
// CHECK-NEXT:    exec.output "y" : tensor<4xf32> at <arena, 112, 16>
// CHECK-NEXT:  }
exec.program @main arena_size(128) {
  exec.input "x" : tensor<4xf32> at #exec.ref<arena, 0, 16>
  exec.constant dense<1.0> : tensor<4xf32> at #exec.ref<constants, 0, 16>
  exec.launch 0 @d0_Add bindings [#exec.ref<arena, 0, 16>, #exec.ref<constants, 0, 16>, #exec.ref<arena, 64, 16>]
  exec.copy #exec.ref<arena, 64, 16> to #exec.ref<arena, 112, 16>
  exec.output "y" : tensor<4xf32> at #exec.ref<arena, 112, 16>
}
