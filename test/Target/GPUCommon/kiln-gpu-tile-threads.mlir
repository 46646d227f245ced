// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-tile-workgroups{max-workgroups=65535 min-work=4096 min-tile=1 max-contraction-workgroups=65535}, canonicalize, kiln-gpu-tile-threads, canonicalize))' | FileCheck %s

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A row reduction: inside each workgroup of rows, one thread per output
// element reduces its whole row; the fill of its accumulator is fused.
// CHECK-LABEL: func.func @rowsum
// CHECK-SAME:    kiln.grid = array<i64: 50, 1, 1>
// CHECK:         scf.forall (%{{.+}}) = (0) to (300) step (6)
// CHECK:           scf.forall (%[[T:.+]]) in (6)
// CHECK:             tensor.extract_slice %{{.+}}[%[[T]], 0] [1, 700] [1, 1]
// CHECK:             linalg.fill {{.*}} -> tensor<1xf32>
// CHECK:             linalg.generic {{.*}} ins(%{{.+}} : tensor<1x700xf32>) outs(%{{.+}} : tensor<1xf32>)
// CHECK:           } {mapping = [#gpu.thread<linear_dim_0>]}
func.func @rowsum(%arg0: memref<300x700xf32>, %arg1: memref<300xf32>) attributes {kiln.gpu.strategy = "threads"} {
  %cst = arith.constant 0.0 : f32
  %0 = bufferization.to_tensor %arg0 restrict : memref<300x700xf32> to tensor<300x700xf32>
  %1 = tensor.empty() : tensor<300xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<300xf32>) -> tensor<300xf32>
  %3 = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%0 : tensor<300x700xf32>) outs(%2 : tensor<300xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.addf %in, %out : f32
    linalg.yield %4 : f32
  } -> tensor<300xf32>
  bufferization.materialize_in_destination %3 in restrict writable %arg1 : (tensor<300xf32>, memref<300xf32>) -> ()
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// A kernel too small for several workgroups gets a thread loop over all its
// elements, one iteration per element of both dimensions.
// CHECK-LABEL: func.func @small
// CHECK-SAME:    kiln.grid = array<i64: 1, 1, 1>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) in (8, 16)
// CHECK:           math.exp {{.*}} : f32
// CHECK:         } {mapping = [#gpu.thread<linear_dim_0>, #gpu.thread<linear_dim_1>]}
func.func @small(%arg0: memref<8x16xf32>, %arg1: memref<8x16xf32>) attributes {kiln.gpu.strategy = "threads"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<8x16xf32> to tensor<8x16xf32>
  %1 = tensor.empty() : tensor<8x16xf32>
  %2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x16xf32>) outs(%1 : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = math.exp %in : f32
    linalg.yield %3 : f32
  } -> tensor<8x16xf32>
  bufferization.materialize_in_destination %2 in restrict writable %arg1 : (tensor<8x16xf32>, memref<8x16xf32>) -> ()
  return
}

// -----

// Contraction kernels keep their tile whole for kiln-gpu-lower-contraction.
// CHECK-LABEL: func.func @contraction
// CHECK-NOT:     #gpu.thread
func.func @contraction(%arg0: memref<64x64xf16>, %arg1: memref<64x64xf16>, %arg2: memref<64x64xf32>) attributes {kiln.gpu.strategy = "contraction"} {
  %cst = arith.constant 0.0 : f32
  %0 = bufferization.to_tensor %arg0 restrict : memref<64x64xf16> to tensor<64x64xf16>
  %1 = bufferization.to_tensor %arg1 restrict : memref<64x64xf16> to tensor<64x64xf16>
  %2 = tensor.empty() : tensor<64x64xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %4 = linalg.matmul ins(%0, %1 : tensor<64x64xf16>, tensor<64x64xf16>) outs(%3 : tensor<64x64xf32>) -> tensor<64x64xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<64x64xf32>, memref<64x64xf32>) -> ()
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// One op writing two outputs (a maximum and its index) is the root too:
// one thread per row.
// CHECK-LABEL: func.func @argmax
// CHECK:         scf.forall (%{{.+}}) in (8) shared_outs(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}})
// CHECK:           linalg.generic
// CHECK:         } {mapping = [#gpu.thread<linear_dim_0>]}
func.func @argmax(%arg0: memref<8x50xf32>, %arg1: memref<8xf32>, %arg2: memref<8xi64>) attributes {kiln.gpu.strategy = "threads"} {
  %ninf = arith.constant 0xFF800000 : f32
  %z = arith.constant 0 : i64
  %a = bufferization.to_tensor %arg0 restrict : memref<8x50xf32> to tensor<8x50xf32>
  %e1 = tensor.empty() : tensor<8xf32>
  %e2 = tensor.empty() : tensor<8xi64>
  %f1 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<8xf32>) -> tensor<8xf32>
  %f2 = linalg.fill ins(%z : i64) outs(%e2 : tensor<8xi64>) -> tensor<8xi64>
  %r:2 = linalg.generic {indexing_maps = [#id2, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x50xf32>) outs(%f1, %f2 : tensor<8xf32>, tensor<8xi64>) {
  ^bb0(%x: f32, %m: f32, %i: i64):
    %j = linalg.index 1 : index
    %jj = arith.index_cast %j : index to i64
    %gt = arith.cmpf ogt, %x, %m : f32
    %nm = arith.select %gt, %x, %m : f32
    %ni = arith.select %gt, %jj, %i : i64
    linalg.yield %nm, %ni : f32, i64
  } -> (tensor<8xf32>, tensor<8xi64>)
  bufferization.materialize_in_destination %r#0 in restrict writable %arg1 : (tensor<8xf32>, memref<8xf32>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %arg2 : (tensor<8xi64>, memref<8xi64>) -> ()
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#k = affine_map<(d0, d1) -> (d1)>

// A reduction (a pool) read along another op's reduction loop (the k of a
// matrix-vector product) is staged: one thread loop computes it into a
// workgroup buffer, then the output's thread loop reads that buffer
// instead of pooling all 16 rows again for each of its elements.
// CHECK-LABEL: func.func @staged_pool
// CHECK:         %[[BUF:.+]] = bufferization.alloc_tensor() {memory_space = #gpu.address_space<workgroup>} : tensor<16xf32>
// CHECK:         %[[POOL:.+]] = scf.forall (%{{.+}}) in (16) shared_outs(%{{.+}} = %[[BUF]])
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%{{.+}} : tensor<1x49xf32>)
// CHECK:         } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK:         scf.forall (%{{.+}}) in (10)
// CHECK-NOT:       tensor<1x49xf32>
// CHECK:           linalg.generic {{.*}} ins(%[[POOL]], %{{.+}} : tensor<16xf32>, tensor<1x16xf32>)
// CHECK:         } {mapping = [#gpu.thread<linear_dim_0>]}
func.func @staged_pool(%arg0: memref<16x49xf32>, %arg1: memref<10x16xf32>, %arg2: memref<10xf32>) attributes {kiln.gpu.strategy = "threads"} {
  %cst = arith.constant 0.0 : f32
  %x = bufferization.to_tensor %arg0 restrict : memref<16x49xf32> to tensor<16x49xf32>
  %w = bufferization.to_tensor %arg1 restrict : memref<10x16xf32> to tensor<10x16xf32>
  %e16 = tensor.empty() : tensor<16xf32>
  %f16 = linalg.fill ins(%cst : f32) outs(%e16 : tensor<16xf32>) -> tensor<16xf32>
  %pool = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<16x49xf32>) outs(%f16 : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e10 = tensor.empty() : tensor<10xf32>
  %f10 = linalg.fill ins(%cst : f32) outs(%e10 : tensor<10xf32>) -> tensor<10xf32>
  %mv = linalg.generic {indexing_maps = [#k, #id2, #row], iterator_types = ["parallel", "reduction"]} ins(%pool, %w : tensor<16xf32>, tensor<10x16xf32>) outs(%f10 : tensor<10xf32>) {
  ^bb0(%p: f32, %v: f32, %out: f32):
    %m = arith.mulf %p, %v : f32
    %s = arith.addf %m, %out : f32
    linalg.yield %s : f32
  } -> tensor<10xf32>
  bufferization.materialize_in_destination %mv in restrict writable %arg2 : (tensor<10xf32>, memref<10xf32>) -> ()
  return
}
