// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-distribute-workgroups))' --verify-diagnostics | FileCheck %s

// The workgroup loop becomes its body, once per workgroup: the last loop
// dimension is x, the one before y.
// CHECK-LABEL: func.func @two_dims
// CHECK-NOT:     scf.forall
// CHECK:         %[[Y:.+]] = dispatch.workgroup_id 1
// CHECK:         %[[YS:.+]] = arith.muli %[[Y]], %c16
// CHECK:         %[[I:.+]] = arith.addi %c0, %[[YS]]
// CHECK:         %[[X:.+]] = dispatch.workgroup_id 0
// CHECK:         %[[XS:.+]] = arith.muli %[[X]], %c32
// CHECK:         %[[J:.+]] = arith.addi %c0{{.*}}, %[[XS]]
// CHECK:         memref.subview %{{.+}}[%[[I]], %[[J]]] [16, 32] [1, 1]
func.func @two_dims(%in: memref<64x128xf32>, %out: memref<64x128xf32>) attributes {kiln.grid = array<i64: 4, 4, 1>} {
  scf.forall (%i, %j) = (0, 0) to (64, 128) step (16, 32) {
    %s = memref.subview %in[%i, %j] [16, 32] [1, 1] : memref<64x128xf32> to memref<16x32xf32, strided<[128, 1], offset: ?>>
    %d = memref.subview %out[%i, %j] [16, 32] [1, 1] : memref<64x128xf32> to memref<16x32xf32, strided<[128, 1], offset: ?>>
    memref.copy %s, %d : memref<16x32xf32, strided<[128, 1], offset: ?>> to memref<16x32xf32, strided<[128, 1], offset: ?>>
  }
  return
}

// -----

// Without a workgroup loop, the kernel is one workgroup.
// CHECK-LABEL: func.func @no_loop
// CHECK-SAME:      kiln.grid = array<i64: 1, 1, 1>
func.func @no_loop(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

func.func @two_loops(%in: memref<64xf32>, %out: memref<64xf32>) {
  // expected-error @below {{kernel has more than one workgroup loop, or one that was not bufferized}}
  scf.forall (%i) = (0) to (64) step (16) {
  }
  scf.forall (%i) = (0) to (64) step (16) {
  }
  return
}
