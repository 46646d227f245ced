// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-tile-workgroups))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-tile-workgroups{filter-tile-multiple=32}))' | FileCheck %s --check-prefix=PANEL

// A convolution with its zero pad fused: the output is 7x7, too small to
// split, so the filters are split; every such workgroup pads the whole
// input again, so at most four of them (max-padded-copies). The epilogue
// updates the convolution's result in place.
// CHECK-LABEL: func.func @d0_Conv_Relu
// CHECK-SAME:      kiln.grid = array<i64: 4, 1, 1>
// CHECK:         scf.forall (%[[F:.+]]) = (0) to (512) step (128)
// CHECK:           tensor.pad
// CHECK:           %[[CONV:.+]] = linalg.conv_2d_nchw_fchw
// CHECK-SAME:          outs(%{{.+}} : tensor<1x128x7x7xf32>)
// CHECK:           %[[EPI:.+]] = linalg.generic
// CHECK-SAME:          outs(%[[CONV]] : tensor<1x128x7x7xf32>)
// CHECK:           tensor.parallel_insert_slice %[[EPI]] into %{{.+}}[0, %[[F]], 0, 0] [1, 128, 7, 7]
func.func @d0_Conv_Relu(%arg0: memref<1x512x7x7xf32>, %arg1: memref<512x512x3x3xf32>, %arg2: memref<512xf32>, %arg3: memref<1x512x7x7xf32>) attributes {dispatch.onnx_nodes = ["conv", "relu"], dispatch.root = "linalg.conv_2d_nchw_fchw"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x512x7x7xf32> to tensor<1x512x7x7xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<512x512x3x3xf32> to tensor<512x512x3x3xf32>
  %2 = bufferization.to_tensor %arg2 restrict : memref<512xf32> to tensor<512xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %3 = tensor.empty() : tensor<1x512x7x7xf32>
  %4 = linalg.fill ins(%cst : f32) outs(%3 : tensor<1x512x7x7xf32>) -> tensor<1x512x7x7xf32>
  %padded = tensor.pad %0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg4: index, %arg5: index, %arg6: index, %arg7: index):
    tensor.yield %cst : f32
  } : tensor<1x512x7x7xf32> to tensor<1x512x9x9xf32>
  %5 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %1 : tensor<1x512x9x9xf32>, tensor<512x512x3x3xf32>) outs(%4 : tensor<1x512x7x7xf32>) -> tensor<1x512x7x7xf32>
  %6 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5, %2 : tensor<1x512x7x7xf32>, tensor<512xf32>) outs(%3 : tensor<1x512x7x7xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %7 = arith.addf %in, %in_0 : f32
    %8 = arith.maximumf %7, %cst : f32
    linalg.yield %8 : f32
  } -> tensor<1x512x7x7xf32>
  bufferization.materialize_in_destination %6 in restrict writable %arg3 : (tensor<1x512x7x7xf32>, memref<1x512x7x7xf32>) -> ()
  return
}


// -----

// A contraction: workgroups take panels of whole rows of the left operand
// and columns of the right one, at most 16 of them.
// CHECK-LABEL: func.func @d1_MatMul
// CHECK-SAME:      kiln.grid = array<i64: 8, 1, 1>
// CHECK:         scf.forall (%[[N:.+]]) = (0) to (768) step (96)
// CHECK:           tensor.extract_slice %{{.+}}[0, %[[N]]] [768, 96] [1, 1]
// CHECK:           linalg.fill
// CHECK:           linalg.matmul {{.+}} -> tensor<128x96xf32>
func.func @d1_MatMul(%arg0: memref<128x768xf32>, %arg1: memref<768x768xf32>, %arg2: memref<128x768xf32>) {
  %0 = bufferization.to_tensor %arg0 restrict : memref<128x768xf32> to tensor<128x768xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<768x768xf32> to tensor<768x768xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<128x768xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<128x768xf32>) -> tensor<128x768xf32>
  %4 = linalg.matmul ins(%0, %1 : tensor<128x768xf32>, tensor<768x768xf32>) outs(%3 : tensor<128x768xf32>) -> tensor<128x768xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<128x768xf32>, memref<128x768xf32>) -> ()
  return
}

// -----

// Too little work for a second workgroup: one workgroup, no loop.
// CHECK-LABEL: func.func @d2_Small
// CHECK-SAME:      kiln.grid = array<i64: 1, 1, 1>
// CHECK-NOT:     scf.forall
func.func @d2_Small(%arg0: memref<64xf32>, %arg1: memref<64xf32>) {
  %0 = bufferization.to_tensor %arg0 restrict : memref<64xf32> to tensor<64xf32>
  %2 = tensor.empty() : tensor<64xf32>
  %3 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%0 : tensor<64xf32>) outs(%2 : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<64xf32>
  bufferization.materialize_in_destination %3 in restrict writable %arg1 : (tensor<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

// A softmax row kernel: the rows are split, the row loop stays whole (each
// workgroup computes its rows' maximum and sum once).
// CHECK-LABEL: func.func @d3_Softmax
// CHECK-SAME:      kiln.grid = array<i64: 32, 1, 1>
// CHECK:         scf.forall (%[[R:.+]]) = (0) to (512) step (16)
// CHECK-COUNT-4:   linalg.generic
// CHECK:           tensor.parallel_insert_slice %{{.+}} into %{{.+}}[%[[R]], 0] [16, 1024]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @d3_Softmax(%arg0: memref<512x1024xf32>, %arg1: memref<512x1024xf32>) {
  %x = bufferization.to_tensor %arg0 restrict : memref<512x1024xf32> to tensor<512x1024xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<512xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<512xf32>) -> tensor<512xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<512x1024xf32>) outs(%init : tensor<512xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<512xf32>
  %e2 = tensor.empty() : tensor<512x1024xf32>
  %exp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<512x1024xf32>, tensor<512xf32>) outs(%e2 : tensor<512x1024xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %s = arith.subf %a, %m : f32
    %e = math.exp %s : f32
    linalg.yield %e : f32
  } -> tensor<512x1024xf32>
  %zinit = linalg.fill ins(%zero : f32) outs(%e1 : tensor<512xf32>) -> tensor<512xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<512x1024xf32>) outs(%zinit : tensor<512xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<512xf32>
  %div = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %sum : tensor<512x1024xf32>, tensor<512xf32>) outs(%e2 : tensor<512x1024xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %d = arith.divf %a, %s : f32
    linalg.yield %d : f32
  } -> tensor<512x1024xf32>
  bufferization.materialize_in_destination %div in restrict writable %arg1 : (tensor<512x1024xf32>, memref<512x1024xf32>) -> ()
  return
}

// -----

// A pointwise convolution on 7x7: by default its 320 filters split into
// tiles of 8; with a filter multiple of 32 (the CPU's panels), into tiles
// of 32.
// CHECK-LABEL: func.func @d2_Conv
// CHECK-SAME:      kiln.grid = array<i64: 40, 1, 1>
// CHECK:         scf.forall (%{{.+}}) = (0) to (320) step (8)
// PANEL-LABEL: func.func @d2_Conv
// PANEL-SAME:      kiln.grid = array<i64: 10, 1, 1>
// PANEL:         scf.forall (%{{.+}}) = (0) to (320) step (32)
// PANEL:           linalg.conv_2d_nchw_fchw
// PANEL-SAME:          outs(%{{.+}} : tensor<1x32x7x7xf32>)
func.func @d2_Conv(%arg0: memref<1x960x7x7xf32>, %arg1: memref<320x960x1x1xf32>, %arg2: memref<1x320x7x7xf32>) attributes {dispatch.onnx_nodes = ["conv"], dispatch.root = "linalg.conv_2d_nchw_fchw"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x960x7x7xf32> to tensor<1x960x7x7xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<320x960x1x1xf32> to tensor<320x960x1x1xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x320x7x7xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x320x7x7xf32>) -> tensor<1x320x7x7xf32>
  %4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%0, %1 : tensor<1x960x7x7xf32>, tensor<320x960x1x1xf32>) outs(%3 : tensor<1x320x7x7xf32>) -> tensor<1x320x7x7xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<1x320x7x7xf32>, memref<1x320x7x7xf32>) -> ()
  return
}

// -----

// A pointwise convolution on 56x56 rows (not whole pairs of vectors): with
// the CPU's multiple, its workgroups keep whole rows, take rows in fours
// (4 x 56 = 224 pixels, whole pairs of vectors) or more, and filters in
// eights (whole register tiles).
// PANEL-LABEL: func.func @d3_Conv
// PANEL-SAME:      kiln.grid = array<i64: 2, 18, 1>
// PANEL:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (144, 56) step (8, 28)
// PANEL:           linalg.conv_2d_nchw_fchw
// PANEL-SAME:          outs(%{{.+}} : tensor<1x8x28x56xf32>)
func.func @d3_Conv(%arg0: memref<1x24x56x56xf32>, %arg1: memref<144x24x1x1xf32>, %arg2: memref<1x144x56x56xf32>) attributes {dispatch.onnx_nodes = ["conv"], dispatch.root = "linalg.conv_2d_nchw_fchw"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x24x56x56xf32> to tensor<1x24x56x56xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<144x24x1x1xf32> to tensor<144x24x1x1xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x144x56x56xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x144x56x56xf32>) -> tensor<1x144x56x56xf32>
  %4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%0, %1 : tensor<1x24x56x56xf32>, tensor<144x24x1x1xf32>) outs(%3 : tensor<1x144x56x56xf32>) -> tensor<1x144x56x56xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<1x144x56x56xf32>, memref<1x144x56x56xf32>) -> ()
  return
}

// -----

// A pointwise convolution on 28x28 (784 pixels: whole vectors, not whole
// pairs of them): with the CPU's multiple, its workgroups keep whole
// planes (no tile of rows of 28 is whole vectors above the least tile of
// 8 rows) and split the filters in eights.
// PANEL-LABEL: func.func @d12_Conv
// PANEL-SAME:      kiln.grid = array<i64: 24, 1, 1>
// PANEL:         scf.forall (%{{.+}}) = (0) to (192) step (8)
// PANEL:           linalg.conv_2d_nchw_fchw
// PANEL-SAME:          outs(%{{.+}} : tensor<1x8x28x28xf32>)
func.func @d12_Conv(%arg0: memref<1x32x28x28xf32>, %arg1: memref<192x32x1x1xf32>, %arg2: memref<1x192x28x28xf32>) attributes {dispatch.onnx_nodes = ["conv"], dispatch.root = "linalg.conv_2d_nchw_fchw"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x32x28x28xf32> to tensor<1x32x28x28xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<192x32x1x1xf32> to tensor<192x32x1x1xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x192x28x28xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x192x28x28xf32>) -> tensor<1x192x28x28xf32>
  %4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%0, %1 : tensor<1x32x28x28xf32>, tensor<192x32x1x1xf32>) outs(%3 : tensor<1x192x28x28xf32>) -> tensor<1x192x28x28xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<1x192x28x28xf32>, memref<1x192x28x28xf32>) -> ()
  return
}

// -----

// A convolution whose weights were packed by panels of 32 filters at
// compile time splits its filters into whole panels whatever the filter
// multiple (a tile of 8 would slice the panels apart); each workgroup reads
// its panel of the packed weights.
// CHECK-LABEL: func.func @d2_Conv_packed
// CHECK-SAME:      kiln.grid = array<i64: 10, 1, 1>
// CHECK:         scf.forall (%[[F:.+]]) = (0) to (320) step (32)
// CHECK:           %[[P:.+]] = affine.apply #{{.+}}(%[[F]])
// CHECK:           tensor.extract_slice %{{.+}}[%[[P]], 0, 0, 0, %{{.+}}] [1, 960, 1, 1, 32]
// CHECK:           linalg.generic
// CHECK-SAME:          outs(%{{.+}} : tensor<1x32x7x7xf32>)
// PANEL-LABEL: func.func @d2_Conv_packed
// PANEL:         scf.forall (%{{.+}}) = (0) to (320) step (32)
#pin = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
#pw = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 floordiv 32, d4, d5, d6, d1 mod 32)>
#pout = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
func.func @d2_Conv_packed(%arg0: memref<1x960x7x7xf32>, %arg1: memref<10x960x1x1x32xf32>, %arg2: memref<1x320x7x7xf32>) attributes {dispatch.onnx_nodes = ["conv"], dispatch.root = "linalg.generic"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x960x7x7xf32> to tensor<1x960x7x7xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<10x960x1x1x32xf32> to tensor<10x960x1x1x32xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x320x7x7xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x320x7x7xf32>) -> tensor<1x320x7x7xf32>
  %4 = linalg.generic {indexing_maps = [#pin, #pw, #pout], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%0, %1 : tensor<1x960x7x7xf32>, tensor<10x960x1x1x32xf32>) outs(%3 : tensor<1x320x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x320x7x7xf32>
  bufferization.materialize_in_destination %4 in restrict writable %arg2 : (tensor<1x320x7x7xf32>, memref<1x320x7x7xf32>) -> ()
  return
}

// -----

// A packed convolution read through a transpose (its filters are the
// output op's last loop): the filters still split into whole panels.
// CHECK-LABEL: func.func @packed_transposed
// CHECK-SAME:      kiln.grid = array<i64: 10, 1, 1>
// CHECK:         scf.forall (%{{.+}}) = (0) to (320) step (32)
// CHECK:           tensor.extract_slice %{{.+}}[%{{.+}}, 0, 0, 0, %{{.+}}] [1, 960, 1, 1, 32]
#tin = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
#tw = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 floordiv 32, d4, d5, d6, d1 mod 32)>
#tout = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
func.func @packed_transposed(%arg0: memref<1x960x7x7xf32>, %arg1: memref<10x960x1x1x32xf32>, %arg2: memref<1x7x7x320xf32>) {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x960x7x7xf32> to tensor<1x960x7x7xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<10x960x1x1x32xf32> to tensor<10x960x1x1x32xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x320x7x7xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x320x7x7xf32>) -> tensor<1x320x7x7xf32>
  %4 = linalg.generic {indexing_maps = [#tin, #tw, #tout], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%0, %1 : tensor<1x960x7x7xf32>, tensor<10x960x1x1x32xf32>) outs(%3 : tensor<1x320x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x320x7x7xf32>
  %5 = tensor.empty() : tensor<1x7x7x320xf32>
  %6 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%4 : tensor<1x320x7x7xf32>) outs(%5 : tensor<1x7x7x320xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x7x7x320xf32>
  bufferization.materialize_in_destination %6 in restrict writable %arg2 : (tensor<1x7x7x320xf32>, memref<1x7x7x320xf32>) -> ()
  return
}

// -----

// A depthwise convolution and its clip, over rows of 112 pixels (7 vectors
// on the CPU): with the CPU's multiple, the workgroups keep whole vectors
// along the rows (here whole rows) instead of rows of 56, which would leave
// vectors of 14 lanes.
// CHECK-LABEL: func.func @d1_Conv_Clip
// CHECK:         scf.forall ({{.+}}) = (0, 0, 0) to (32, 112, 112) step (8, 8, 56)
// PANEL-LABEL: func.func @d1_Conv_Clip
// PANEL:         scf.forall ({{.+}}) = (0, 0) to (32, 112) step (8, 8)
// PANEL:           linalg.depthwise_conv_2d_nchw_chw
// PANEL-SAME:          outs(%{{.+}} : tensor<1x8x8x112xf32>)
func.func @d1_Conv_Clip(%arg0: memref<1x32x114x114xf32>, %arg1: memref<32x3x3xf32>, %arg2: memref<1x32x112x112xf32>) attributes {dispatch.onnx_nodes = ["conv", "clip"], dispatch.root = "linalg.depthwise_conv_2d_nchw_chw"} {
  %0 = bufferization.to_tensor %arg0 restrict : memref<1x32x114x114xf32> to tensor<1x32x114x114xf32>
  %1 = bufferization.to_tensor %arg1 restrict : memref<32x3x3xf32> to tensor<32x3x3xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %six = arith.constant 6.000000e+00 : f32
  %2 = tensor.empty() : tensor<1x32x112x112xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x32x112x112xf32>) -> tensor<1x32x112x112xf32>
  %4 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%0, %1 : tensor<1x32x114x114xf32>, tensor<32x3x3xf32>) outs(%3 : tensor<1x32x112x112xf32>) -> tensor<1x32x112x112xf32>
  %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%4 : tensor<1x32x112x112xf32>) outs(%2 : tensor<1x32x112x112xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.maximumf %in, %cst : f32
    %b = arith.minimumf %a, %six : f32
    linalg.yield %b : f32
  } -> tensor<1x32x112x112xf32>
  bufferization.materialize_in_destination %5 in restrict writable %arg2 : (tensor<1x32x112x112xf32>, memref<1x32x112x112xf32>) -> ()
  return
}
