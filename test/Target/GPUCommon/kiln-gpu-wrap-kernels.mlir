// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-gpu-wrap-kernels)' | FileCheck %s

// A kernel becomes a gpu.func of the same bindings in the gpu.module: the
// workgroup id becomes the block id, the count the constant grid, the
// workgroup buffer a 16-byte aligned global in workgroup memory, the sizes
// known block and grid sizes; the constant buffer it reads moves with it.
// CHECK:       module attributes {gpu.container_module}
// CHECK-NOT:     memref.global
// CHECK:         gpu.module @kiln_kernels
// CHECK-DAG:       memref.global "private" constant @table
// CHECK-DAG:       memref.global "private" @__shared_kernel_0 : memref<32xf32, #gpu.address_space<workgroup>> = uninitialized {alignment = 16 : i64}
// CHECK:           gpu.func @kernel(%[[IN:.+]]: memref<64xf32>, %[[OUT:.+]]: memref<64xf32>)
// CHECK-SAME:        kernel
// CHECK-SAME:        known_block_size = array<i32: 32, 1, 1>
// CHECK-SAME:        known_grid_size = array<i32: 2, 1, 1>
// CHECK:             %[[X:.+]] = gpu.block_id x
// CHECK:             arith.constant 2 : index
// CHECK:             memref.get_global @table
// CHECK:             %[[SHARED:.+]] = memref.get_global @__shared_kernel_0
// CHECK:             memref.store %{{.+}}, %[[SHARED]]
// CHECK:             gpu.return
// CHECK-NOT:     func.func @kernel
module {
  memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
  func.func @kernel(%in: memref<64xf32>, %out: memref<64xf32>) attributes {kiln.grid = array<i64: 2, 1, 1>, kiln.block = array<i64: 32, 1, 1>} {
    %x = dispatch.workgroup_id 0
    %n = dispatch.workgroup_count 0
    %t = memref.get_global @table : memref<4xf32>
    %s = memref.alloc() : memref<32xf32, #gpu.address_space<workgroup>>
    %c0 = arith.constant 0 : index
    %v = memref.load %t[%c0] : memref<4xf32>
    memref.store %v, %s[%x] : memref<32xf32, #gpu.address_space<workgroup>>
    %i = arith.muli %x, %n : index
    memref.store %v, %out[%i] : memref<64xf32>
    return
  }
}
