// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-gpu-lower-contraction{intrinsics=nv_mma_m16n8k16_f16}, canonicalize, cse))' | FileCheck %s

// An f16 matmul with an f16 result on the mma.sync path: slices of A and B
// go through shared memory between two barriers per k step, in aligned
// 16-byte vectors (their rows are whole vectors); each of the eight
// subgroups keeps 2 x 2 f32 accumulator fragments across the loop; the
// tile's partial rows and columns are guarded, and results round to f16 on
// their way out.
// CHECK-LABEL: func.func @matmul_f16
// CHECK-SAME:    kiln.block = array<i64: 256, 1, 1>
// CHECK:         %[[TID:.+]] = gpu.thread_id x
// CHECK:         %[[SA:.+]] = memref.alloc() : memref<64x40xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[SB:.+]] = memref.alloc() : memref<32x72xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[ACC:.+]]:4 = scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// CHECK:           gpu.barrier
// CHECK:           vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<100x64xf16>, vector<8xf16>
// CHECK:           vector.store %{{.+}}, %[[SA]][{{.*}}] {alignment = 16 : i64}
// CHECK:           vector.load %arg1
// CHECK:           vector.store %{{.+}}, %[[SB]]
// CHECK:           gpu.barrier
// CHECK:           memref.load %[[SA]]
// CHECK:           nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK:           scf.yield
// CHECK:         scf.if
// CHECK:           vector.extract %[[ACC]]#0[0]
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK:           memref.store {{.*}}, %arg2
// CHECK-NOT:     linalg.matmul
func.func @matmul_f16(%a: memref<100x64xf16>, %b: memref<64x48xf16>, %c: memref<100x48xf16>) attributes {kiln.grid = array<i64: 1, 1, 1>, kiln.gpu.strategy = "contraction", kiln.gpu.contraction = {intrinsic = "nv_mma_m16n8k16_f16", subgroup_tile = array<i64: 32, 16>, thread_tile = array<i64: 0, 0>, tile = array<i64: 64, 64, 32>}} {
  %z = arith.constant 0.0 : f16
  linalg.fill ins(%z : f16) outs(%c : memref<100x48xf16>)
  linalg.matmul ins(%a, %b : memref<100x64xf16>, memref<64x48xf16>) outs(%c : memref<100x48xf16>)
  return
}

// -----

// Rows of 60 halves are not whole 16-byte vectors: A is copied element by
// element, B still in vectors.
// CHECK-LABEL: func.func @unaligned_k
// CHECK:         scf.for
// CHECK:           memref.load %arg0
// CHECK-NOT:       vector.load %arg0
// CHECK:           vector.load %arg1
func.func @unaligned_k(%a: memref<64x60xf16>, %b: memref<60x64xf16>, %c: memref<64x64xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>, kiln.gpu.strategy = "contraction", kiln.gpu.contraction = {intrinsic = "nv_mma_m16n8k16_f16", subgroup_tile = array<i64: 32, 16>, thread_tile = array<i64: 0, 0>, tile = array<i64: 64, 64, 32>}} {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<64x64xf32>)
  linalg.matmul ins(%a, %b : memref<64x60xf16>, memref<60x64xf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// The scalar path with an epilogue: the matmul's own multiply-add, marked
// contractible, in registers; the bias is loaded and added to each
// accumulator before the store, and the temporary the matmul wrote goes.
// CHECK-LABEL: func.func @linear_scalar
// CHECK-SAME:    kiln.block = array<i64: 64, 1, 1>
// CHECK:         scf.for {{.*}} -> (vector<16xf32>)
// CHECK:           arith.mulf {{.*}} fastmath<contract>
// CHECK:           arith.addf {{.*}} fastmath<contract>
// CHECK:         scf.if
// CHECK:           %[[BIAS:.+]] = memref.load %arg2
// CHECK:           arith.addf %{{.+}}, %[[BIAS]] : f32
// CHECK:           memref.store {{.*}}, %arg3
// CHECK-NOT:     memref.alloc() : memref<32x32xf32>
func.func @linear_scalar(%a: memref<32x64xf32>, %b: memref<64x32xf32>, %bias: memref<32xf32>, %out: memref<32x32xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>, kiln.gpu.strategy = "contraction", kiln.gpu.contraction = {intrinsic = "scalar", subgroup_tile = array<i64: 16, 32>, thread_tile = array<i64: 4, 4>, tile = array<i64: 32, 32, 16>}} {
  %z = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<32x32xf32>
  linalg.fill ins(%z : f32) outs(%t : memref<32x32xf32>)
  linalg.matmul ins(%a, %b : memref<32x64xf32>, memref<64x32xf32>) outs(%t : memref<32x32xf32>)
  linalg.generic {indexing_maps = [#id2, #bias, #id2], iterator_types = ["parallel", "parallel"]} ins(%t, %bias : memref<32x32xf32>, memref<32xf32>) outs(%out : memref<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// An epilogue that updates the matmul's result in place (its destination
// is the output the matmul writes, as kiln-tile-workgroups leaves it): the
// accumulators go through it, on the tensor cores, with one store each.
// CHECK-LABEL: func.func @linear_in_place
// CHECK-SAME:    kiln.block = array<i64: 256, 1, 1>
// CHECK:         scf.for
// CHECK:           nvvm.mma.sync
// CHECK:         scf.if
// CHECK:           %[[BIAS:.+]] = memref.load %arg2
// CHECK:           %[[SUM:.+]] = arith.addf %{{.+}}, %[[BIAS]] : f16
// CHECK:           %[[TANH:.+]] = math.tanh %[[SUM]] : f16
// CHECK:           memref.store %[[TANH]], %arg3
// CHECK-NOT:     linalg.generic
func.func @linear_in_place(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %bias: memref<64xf16>, %out: memref<64x64xf16>) attributes {kiln.grid = array<i64: 1, 1, 1>, kiln.gpu.strategy = "contraction", kiln.gpu.contraction = {intrinsic = "nv_mma_m16n8k16_f16", subgroup_tile = array<i64: 32, 16>, thread_tile = array<i64: 0, 0>, tile = array<i64: 64, 64, 32>}} {
  %z = arith.constant 0.0 : f16
  linalg.fill ins(%z : f16) outs(%out : memref<64x64xf16>)
  linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%out : memref<64x64xf16>)
  linalg.generic {indexing_maps = [#bias, #id2], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<64xf16>) outs(%out : memref<64x64xf16>) {
  ^bb0(%y: f16, %o: f16):
    %s = arith.addf %o, %y : f16
    %t = math.tanh %s : f16
    linalg.yield %t : f16
  }
  return
}

// -----

// A kernel whose buffers no longer have the expected shape keeps its ops
// and falls back to the thread strategy (one thread runs it).
// CHECK-LABEL: func.func @not_matched
// CHECK-SAME:    kiln.gpu.strategy = "threads"
// CHECK:         linalg.matmul
func.func @not_matched(%a: memref<32x16xf32>, %b: memref<16x32xf32>, %c: memref<32x32xf32>) attributes {kiln.grid = array<i64: 1, 1, 1>, kiln.gpu.strategy = "contraction", kiln.gpu.contraction = {intrinsic = "scalar", subgroup_tile = array<i64: 16, 32>, thread_tile = array<i64: 4, 4>, tile = array<i64: 32, 32, 16>}} {
  linalg.matmul ins(%a, %b : memref<32x16xf32>, memref<16x32xf32>) outs(%c : memref<32x32xf32>)
  return
}
