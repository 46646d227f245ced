// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-gpu-distribute-threads{subgroup-size=32 max-threads=256}, canonicalize))' | FileCheck %s

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// A thread loop of 6 x 500 iterations: linearized, dealt to 256 threads
// from the thread id in steps of the block size; the block is recorded.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME:    kiln.block = array<i64: 256, 1, 1>
// CHECK-DAG:     %[[C256:.+]] = arith.constant 256 : index
// CHECK-DAG:     %[[C500:.+]] = arith.constant 500 : index
// CHECK:         %[[TID:.+]] = gpu.thread_id x
// CHECK:         scf.for %[[I:.+]] = %[[TID]] to %{{.+}} step %[[C256]]
// CHECK:           %[[COL:.+]] = arith.remui %[[I]], %[[C500]]
// CHECK:           %[[ROW:.+]] = arith.divui %[[I]], %[[C500]]
// CHECK:           memref.subview %{{.+}}[%{{.+}}, %{{.+}}] [1, 1] [1, 1]
// CHECK-NOT:     scf.forall
func.func @elementwise(%arg0: memref<6x500xf32>, %arg1: memref<6x500xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>} {
  scf.forall (%i, %j) in (6, 500) {
    %a = memref.subview %arg0[%i, %j] [1, 1] [1, 1] : memref<6x500xf32> to memref<1x1xf32, strided<[500, 1], offset: ?>>
    %b = memref.subview %arg1[%i, %j] [1, 1] [1, 1] : memref<6x500xf32> to memref<1x1xf32, strided<[500, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : memref<1x1xf32, strided<[500, 1], offset: ?>>) outs(%b : memref<1x1xf32, strided<[500, 1], offset: ?>>) {
    ^bb0(%x: f32, %o: f32):
      %y = math.exp %x : f32
      linalg.yield %y : f32
    }
  } {mapping = [#gpu.thread<linear_dim_0>, #gpu.thread<linear_dim_1>]}
  return
}

// -----

// Few iterations: the block is their number rounded up to a subgroup.
// CHECK-LABEL: func.func @few
// CHECK-SAME:    kiln.block = array<i64: 64, 1, 1>
func.func @few(%arg0: memref<40xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>} {
  %c = arith.constant 1.0 : f32
  scf.forall (%i) in (40) {
    memref.store %c, %arg0[%i] : memref<40xf32>
  } {mapping = [#gpu.thread<linear_dim_0>]}
  return
}

// -----

// Writing a binding outside any thread loop (a sequential scan) runs the
// kernel on one thread.
// CHECK-LABEL: func.func @serial
// CHECK-SAME:    kiln.block = array<i64: 1, 1, 1>
// CHECK-NOT:     gpu.thread_id
// CHECK:         scf.for
func.func @serial(%arg0: memref<16xf32>, %arg1: memref<16xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %z) -> f32 {
    %x = memref.load %arg0[%i] : memref<16xf32>
    %s = arith.addf %acc, %x : f32
    memref.store %s, %arg1[%i] : memref<16xf32>
    scf.yield %s : f32
  }
  return
}

// -----

// A temporary becomes a private buffer of each thread, allocated once at
// the entry with its largest size and viewed with the dynamic one.
// CHECK-LABEL: func.func @temporary
// CHECK:         %[[PRIVATE:.+]] = memref.alloca() : memref<8xf32, #gpu.address_space<private>>
// CHECK:         %[[GENERIC:.+]] = memref.memory_space_cast %[[PRIVATE]]
// CHECK:         scf.for
// CHECK:           memref.reinterpret_cast %[[GENERIC]] to offset: [0], sizes: [%{{.+}}], strides: [1]
// CHECK-NOT:     memref.alloc(
func.func @temporary(%arg0: memref<100xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>} {
  %c = arith.constant 1.0 : f32
  scf.forall (%i) in (100) {
    %n = affine.min affine_map<(d0) -> (8, 100 - d0)>(%i)
    %t = memref.alloc(%n) : memref<?xf32>
    linalg.fill ins(%c : f32) outs(%t : memref<?xf32>)
    %v = memref.subview %arg0[%i] [%n] [1] : memref<100xf32> to memref<?xf32, strided<[1], offset: ?>>
    memref.copy %t, %v : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  } {mapping = [#gpu.thread<linear_dim_0>]}
  return
}

// -----

// A kernel that is a straight sequence of copies into its output (a
// concatenation) gets a thread loop per copy, with a barrier between them,
// instead of running on one thread.
// CHECK-LABEL: func.func @copies
// CHECK-SAME:    kiln.block = array<i64: 32, 1, 1>
// CHECK:         %[[TID:.+]] = gpu.thread_id x
// CHECK:         scf.for %{{.+}} = %[[TID]]
// CHECK:         gpu.barrier
// CHECK:         scf.for %{{.+}} = %[[TID]]
// CHECK-NOT:     gpu.barrier
func.func @copies(%a: memref<4x5xf32>, %b: memref<4x3xf32>, %out: memref<4x8xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>} {
  %left = memref.subview %out[0, 0] [4, 5] [1, 1] : memref<4x8xf32> to memref<4x5xf32, strided<[8, 1]>>
  memref.copy %a, %left : memref<4x5xf32> to memref<4x5xf32, strided<[8, 1]>>
  %right = memref.subview %out[0, 5] [4, 3] [1, 1] : memref<4x8xf32> to memref<4x3xf32, strided<[8, 1], offset: 5>>
  memref.copy %b, %right : memref<4x3xf32> to memref<4x3xf32, strided<[8, 1], offset: 5>>
  return
}

// -----

// A thread loop that stages values in workgroup memory is followed by a
// barrier before the loop that reads them; the workgroup buffer stays
// shared (not privatized).
// CHECK-LABEL: func.func @staged
// CHECK:         %[[BUF:.+]] = memref.alloc() : memref<16xf32, #gpu.address_space<workgroup>>
// CHECK:         scf.for
// CHECK:           memref.store %{{.+}}, %[[BUF]]
// CHECK:         gpu.barrier
// CHECK:         scf.for
// CHECK:           memref.load %[[BUF]]
// CHECK-NOT:     gpu.barrier
// CHECK:         return
func.func @staged(%in: memref<16xf32>, %out: memref<16xf32>) {
  %buf = memref.alloc() : memref<16xf32, #gpu.address_space<workgroup>>
  scf.forall (%i) in (16) {
    %v = memref.load %in[%i] : memref<16xf32>
    memref.store %v, %buf[%i] : memref<16xf32, #gpu.address_space<workgroup>>
  } {mapping = [#gpu.thread<linear_dim_0>]}
  scf.forall (%i) in (16) {
    %c15 = arith.constant 15 : index
    %j = arith.subi %c15, %i : index
    %v = memref.load %buf[%j] : memref<16xf32, #gpu.address_space<workgroup>>
    memref.store %v, %out[%i] : memref<16xf32>
  } {mapping = [#gpu.thread<linear_dim_0>]}
  return
}
