// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-bind-kernels, func.func(kiln-gpu-configure-kernels{intrinsics=nv_mma_m16n8k16_f16,nv_mma_m16n8k16_bf16,nv_mma_m16n8k8_tf32}))' | FileCheck %s
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-bind-kernels, func.func(kiln-gpu-configure-kernels{intrinsics=nv_mma_m16n8k8_tf32 allow-tf32=true}))' | FileCheck %s --check-prefix=TF32

// An f16 matmul takes the contraction path with the f16 instruction; its
// 128 x 128 block tile is pinned on the matmul, k left whole.
// CHECK-LABEL: func.func @matmul_f16
// CHECK-SAME:    kiln.gpu.contraction = {intrinsic = "nv_mma_m16n8k16_f16", {{.*}}tile = array<i64: 128, 128, 32>}
// CHECK-SAME:    kiln.gpu.strategy = "contraction"
// CHECK:         linalg.matmul {kiln.workgroup_tiles = array<i64: 128, 128, 0>}
func.func @matmul_f16(%a: tensor<1024x512xf16>, %b: tensor<512x2048xf16>) -> tensor<1024x2048xf16> {
  %z = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<1024x2048xf16>
  %f = linalg.fill ins(%z : f16) outs(%e : tensor<1024x2048xf16>) -> tensor<1024x2048xf16>
  %m = linalg.matmul ins(%a, %b : tensor<1024x512xf16>, tensor<512x2048xf16>) outs(%f : tensor<1024x2048xf16>) -> tensor<1024x2048xf16>
  return %m : tensor<1024x2048xf16>
}

// -----

// f32 without --allow-tf32: scalar multiply-adds, 4 x 4 outputs per thread.
// With it, the TF32 instruction.
// CHECK-LABEL: func.func @matmul_f32
// CHECK-SAME:    kiln.gpu.contraction = {intrinsic = "scalar", {{.*}}thread_tile = array<i64: 4, 4>
// TF32-LABEL:  func.func @matmul_f32
// TF32-SAME:     intrinsic = "nv_mma_m16n8k8_tf32"
func.func @matmul_f32(%a: tensor<1024x512xf32>, %b: tensor<512x1024xf32>) -> tensor<1024x1024xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %m = linalg.matmul ins(%a, %b : tensor<1024x512xf32>, tensor<512x1024xf32>) outs(%f : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %m : tensor<1024x1024xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// A matmul accumulating onto a broadcast bias starts from zero instead; the
// bias and the ReLU after it fuse into one epilogue, whose tile is pinned.
// CHECK-LABEL: func.func @linear_relu
// CHECK-SAME:    kiln.gpu.strategy = "contraction"
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.matmul ins({{.*}}) outs(%[[FILL]] :
// CHECK:         %[[EPI:.+]] = linalg.generic {{.*}} ins(%[[MM]], %{{.+}} : tensor<256x384xbf16>, tensor<384xbf16>)
// CHECK-SAME:      kiln.workgroup_tiles = array<i64: 32, 32>
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK:         bufferization.materialize_in_destination %[[EPI]]
func.func @linear_relu(%a: tensor<256x64xbf16>, %b: tensor<64x384xbf16>, %bias: tensor<384xbf16>) -> tensor<256x384xbf16> {
  %e = tensor.empty() : tensor<256x384xbf16>
  %init = linalg.generic {indexing_maps = [#bias, #id2], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<384xbf16>) outs(%e : tensor<256x384xbf16>) {
  ^bb0(%x: bf16, %o: bf16):
    linalg.yield %x : bf16
  } -> tensor<256x384xbf16>
  %m = linalg.matmul ins(%a, %b : tensor<256x64xbf16>, tensor<64x384xbf16>) outs(%init : tensor<256x384xbf16>) -> tensor<256x384xbf16>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<256x384xbf16>) outs(%e : tensor<256x384xbf16>) {
  ^bb0(%x: bf16, %o: bf16):
    %c0 = arith.constant 0.0 : bf16
    %y = arith.maximumf %x, %c0 : bf16
    linalg.yield %y : bf16
  } -> tensor<256x384xbf16>
  return %r : tensor<256x384xbf16>
}

// -----

// Too narrow for block tiles (a matrix-vector product): one thread per
// output element, its workgroup tile pinned to a block of them (128 of the
// 16384, so that 128 workgroups share the GPU).
// CHECK-LABEL: func.func @matvec
// CHECK-SAME:    kiln.gpu.strategy = "threads"
// CHECK:         linalg.matmul {kiln.workgroup_tiles = array<i64: 1, 128, 0>}
func.func @matvec(%a: tensor<4x4096xf16>, %b: tensor<4096x4096xf16>) -> tensor<4x4096xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4096xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x4096xf32>) -> tensor<4x4096xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x4096xf16>, tensor<4096x4096xf16>) outs(%f : tensor<4x4096xf32>) -> tensor<4x4096xf32>
  return %m : tensor<4x4096xf32>
}

// -----

#b3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#b3t = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#o3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// A batched contraction written as a generic: the batch loop is tiled by
// one, so each workgroup computes one block tile of one batch; the tile
// shrinks from 128 x 128 until the grid has enough workgroups (96).
// CHECK-LABEL: func.func @batch
// CHECK-SAME:    tile = array<i64: 32, 64, 32>
// CHECK:         linalg.generic {{.*}}kiln.workgroup_tiles = array<i64: 1, 32, 64, 0>
func.func @batch(%a: tensor<12x128x64xf16>, %b: tensor<12x64x128xf16>) -> tensor<12x128x128xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<12x128x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  %m = linalg.generic {indexing_maps = [#b3, #b3t, #o3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<12x128x64xf16>, tensor<12x64x128xf16>) outs(%f : tensor<12x128x128xf32>) {
  ^bb0(%x: f16, %y: f16, %o: f32):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %p = arith.mulf %xe, %ye : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<12x128x128xf32>
  return %m : tensor<12x128x128xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#swap = affine_map<(d0, d1, d2) -> (d1, d0, d2)>

// A transposition in front of a batched matmul (attention's values) joins
// the contraction's indexing map: the contraction reads the binding, and
// no transposed temporary is left to fuse into its workgroups.
// CHECK:       #[[$VMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d0, d2)>
// CHECK-LABEL: func.func @transposed_operand
// CHECK-SAME:    kiln.gpu.strategy = "contraction"
// CHECK:         %[[V:.+]] = bufferization.to_tensor %arg1
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[$VMAP]], #{{.+}}], {{.*}}ins(%{{.+}}, %[[V]] : tensor<4x64x64xf16>, tensor<64x4x32xf16>)
// CHECK-SAME:      kiln.workgroup_tiles
// CHECK-NOT:     linalg.batch_matmul
func.func @transposed_operand(%p: tensor<4x64x64xf16>, %v: tensor<64x4x32xf16>) -> tensor<4x64x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x32xf16>
  %t = linalg.generic {indexing_maps = [#swap, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%v : tensor<64x4x32xf16>) outs(%e : tensor<4x64x32xf16>) {
  ^bb0(%x: f16, %o: f16):
    linalg.yield %x : f16
  } -> tensor<4x64x32xf16>
  %a = tensor.empty() : tensor<4x64x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%a : tensor<4x64x32xf32>) -> tensor<4x64x32xf32>
  %m = linalg.batch_matmul ins(%p, %t : tensor<4x64x64xf16>, tensor<4x64x32xf16>) outs(%f : tensor<4x64x32xf32>) -> tensor<4x64x32xf32>
  return %m : tensor<4x64x32xf32>
}

// -----

// A convolution reading a zero pad (dispatch formation fuses it in) reads
// the unpadded input instead, each tap checked against its bounds and
// zero outside: no padded window to keep per thread. Its workgroup tile
// is pinned to whole rows (one channel, two rows: 32 output elements for
// the 64 workgroups this small kernel should spread over).
// CHECK-LABEL: func.func @padded_conv
// CHECK-SAME:    kiln.gpu.strategy = "threads"
// CHECK-NOT:     tensor.pad
// CHECK:         %[[IN:.+]] = bufferization.to_tensor %arg0
// CHECK:         linalg.generic {{.*}}kiln.workgroup_tiles = array<i64: 0, 1, 2, 0, 0, 0, 0>
// CHECK:           %[[ROW:.+]] = arith.subi %{{.+}}, %c1
// CHECK:           %[[INSIDE:.+]] = arith.cmpi ult, %[[ROW]], %c16
// CHECK:           %[[X:.+]] = tensor.extract %[[IN]]
// CHECK:           arith.select %{{.+}}, %[[X]], %cst
// CHECK:           arith.mulf
func.func @padded_conv(%x: tensor<1x8x16x16xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x16x16xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x8x16x16xf32> to tensor<1x8x18x18xf32>
  %e = tensor.empty() : tensor<1x8x16x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x8x18x18xf32>, tensor<8x8x3x3xf32>) outs(%f : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  return %c : tensor<1x8x16x16xf32>
}

// -----

// A max pooling padded by -inf: the same, with -inf outside.
// CHECK-LABEL: func.func @padded_max_pool
// CHECK-NOT:     tensor.pad
// CHECK:         linalg.generic
// CHECK:           %[[X:.+]] = tensor.extract
// CHECK:           %[[V:.+]] = arith.select %{{.+}}, %[[X]], %cst
// CHECK:           arith.maximumf %{{.+}}, %[[V]]
func.func @padded_max_pool(%x: tensor<1x1x100x100xf32>) -> tensor<1x1x10x10xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 10, 10] high[0, 0, 10, 10] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x1x100x100xf32> to tensor<1x1x120x120xf32>
  %e = tensor.empty() : tensor<1x1x10x10xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x1x10x10xf32>) -> tensor<1x1x10x10xf32>
  %k = tensor.empty() : tensor<10x10xf32>
  %m = linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<10> : tensor<2xi64>} ins(%p, %k : tensor<1x1x120x120xf32>, tensor<10x10xf32>) outs(%f : tensor<1x1x10x10xf32>) -> tensor<1x1x10x10xf32>
  return %m : tensor<1x1x10x10xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A row's sum divides each of its elements (a softmax's last step): the
// sum is read along the columns, which the shared workgroup heuristics
// keep whole; no tile is pinned.
// CHECK-LABEL: func.func @normalize_rows
// CHECK-SAME:    kiln.gpu.strategy = "threads"
// CHECK-NOT:     kiln.workgroup_tiles
func.func @normalize_rows(%x: tensor<64x1000xf32>) -> tensor<64x1000xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<64x1000xf32>) outs(%f : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<64xf32>
  %o = tensor.empty() : tensor<64x1000xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<64x1000xf32>, tensor<64xf32>) outs(%o : tensor<64x1000xf32>) {
  ^bb0(%in: f32, %sum: f32, %out: f32):
    %d = arith.divf %in, %sum : f32
    linalg.yield %d : f32
  } -> tensor<64x1000xf32>
  return %r : tensor<64x1000xf32>
}
