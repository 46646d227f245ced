// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-tile-and-vectorize{vector-bits=512},canonicalize,cse))' | FileCheck %s

// A matmul with enough rows reads B from a packed copy of each cache
// tile: panels of 32 columns (two vectors), contiguous over k. The copy
// is made once per cache tile of B, outside the loop over rows, row by
// row of the tile (k outermost, then the panels), so that each row of B
// is read contiguously.
// CHECK-LABEL: func.func @packed_rhs
// CHECK-SAME: %[[A:[^:]+]]: tensor<64x256xf32>, %[[B:[^:]+]]: tensor<256x512xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<8x256x32xf32>
// CHECK: scf.for %[[N:.+]] = %{{.+}} to %{{.+}} step %c256
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[B]][0, %[[N]]] [256, 256]
// CHECK: %[[PANELS:.+]] = tensor.expand_shape %[[TILE]] {{\[\[}}0], [1, 2]] output_shape [256, 8, 32]
// CHECK: %[[PACKED:.+]] = scf.for %[[KR:.+]] = %c0 to %c256 step %c1 iter_args(%{{.+}} = %[[EMPTY]]) -> (tensor<8x256x32xf32>)
// CHECK: scf.for %[[PR:.+]] = %c0 to %c8 step %c1
// CHECK: scf.for %[[JR:.+]] = %c0 to %c32 step %c16
// CHECK: tensor.extract_slice %[[PANELS]][%[[KR]], %[[PR]], %[[JR]]] [1, 1, 16]
// CHECK: vector.transfer_write {{.+}} : vector<1x1x16xf32>, tensor<1x1x16xf32>
// CHECK: scf.for %{{.+}} step %c8
// CHECK: scf.for %[[COL:.+]] = %{{.+}} step %c32
// CHECK: %[[PANEL:.+]] = arith.divui %[[COL]], %c32
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %c256 step %c1
// CHECK: tensor.extract_slice %[[A]]
// CHECK: tensor.extract_slice %[[PACKED]][%[[PANEL]], %[[K]], 0] [1, 1, 32] [1, 1, 1] : tensor<8x256x32xf32> to tensor<1x32xf32>
// CHECK: vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
func.func @packed_rhs(%a: tensor<64x256xf32>, %b: tensor<256x512xf32>, %c: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x512xf32>) outs(%c : tensor<64x512xf32>) -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// -----

// With one register tile of rows, each piece of B is read once: no copy.
// CHECK-LABEL: func.func @unpacked_rhs
// CHECK-SAME: %[[A:[^:]+]]: tensor<8x256xf32>, %[[B:[^:]+]]: tensor<256x512xf32>
// CHECK-NOT: tensor.empty
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[B]]
// CHECK: tensor.extract_slice %[[TILE]][%{{.+}}, %{{.+}}] [1, 32] [1, 1] : tensor<256x256xf32> to tensor<1x32xf32>
// CHECK: vector.contract
func.func @unpacked_rhs(%a: tensor<8x256xf32>, %b: tensor<256x512xf32>, %c: tensor<8x512xf32>) -> tensor<8x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x256xf32>, tensor<256x512xf32>) outs(%c : tensor<8x512xf32>) -> tensor<8x512xf32>
  return %r : tensor<8x512xf32>
}

// -----

// A matmul whose B was packed at compile time (dispatch-pack-matmul-weights)
// takes the same cache and register tiles, but each register tile reads its
// row of B in place from the packed panel: no copy of B in the kernel.
// CHECK-LABEL: func.func @packed_matmul
// CHECK-SAME: %[[A:[^:]+]]: tensor<64x256xf32>, %[[B:[^:]+]]: tensor<16x256x32xf32>
// CHECK-NOT: tensor.empty
// CHECK: scf.for %[[N:.+]] = %{{.+}} to %c512 step %c256
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[B]][%{{.+}}, 0, %{{.+}}] [8, 256, 32] [1, 1, 1]
// CHECK: scf.for %{{.+}} step %c8
// CHECK: scf.for %[[COL:.+]] = %{{.+}} step %c32
// CHECK: %[[PANEL:.+]] = affine.apply #{{.+}}(%[[COL]])
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %c256 step %c1
// CHECK: tensor.extract_slice %[[A]]
// CHECK: tensor.extract_slice %[[TILE]][%[[PANEL]], %[[K]], %{{.+}}] [1, 1, 32]
// CHECK: vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
#mma = affine_map<(d0, d1, d2) -> (d0, d2)>
#mmb = affine_map<(d0, d1, d2) -> (d1 floordiv 32, d2, d1 mod 32)>
#mmc = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @packed_matmul(%a: tensor<64x256xf32>, %b: tensor<16x256x32xf32>, %c: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %r = linalg.generic {indexing_maps = [#mma, #mmb, #mmc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x256xf32>, tensor<16x256x32xf32>) outs(%c : tensor<64x512xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// -----

// B packed in panels of 16 columns does not fit a register tile of 32: the
// matmul is left alone (it becomes plain loops), never tiled with slices
// that would split a panel.
// CHECK-LABEL: func.func @packed_matmul_other_panel
// CHECK-NOT: scf.for
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<64x256xf32>, tensor<32x256x16xf32>)
#mqa = affine_map<(d0, d1, d2) -> (d0, d2)>
#mqb = affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2, d1 mod 16)>
#mqc = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @packed_matmul_other_panel(%a: tensor<64x256xf32>, %b: tensor<32x256x16xf32>, %c: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %r = linalg.generic {indexing_maps = [#mqa, #mqb, #mqc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x256xf32>, tensor<32x256x16xf32>) outs(%c : tensor<64x512xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// -----

// A convolution whose rows of output pixels (7) do not fill a vector runs
// along the filters: each panel of 32 filters has its weights packed
// filters innermost (16 x 16 blocks of a transpose, inside the loop over
// panels), and the register tile is a row of 7 pixels by 32 filters.
// CHECK-LABEL: func.func @conv_along_filters
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x64x9x9xf32>, %[[W:[^:]+]]: tensor<64x64x3x3xf32>
// CHECK: %[[PANELS:.+]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 32, 64, 3, 3]
// CHECK: scf.for %[[P:.+]] = %c0 to %c2 step %c1
// CHECK: %[[PANEL:.+]] = tensor.extract_slice %[[PANELS]][%[[P]], 0, 0, 0, 0] [1, 32, 64, 3, 3]
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[PANEL]] {{\[\[}}0], [1], [2, 3, 4]] : tensor<1x32x64x3x3xf32> into tensor<1x32x576xf32>
// CHECK: %[[PACKED:.+]] = scf.for {{.+}} -> (tensor<1x576x32xf32>)
// CHECK: tensor.extract_slice %[[FLAT]]{{.+}} [1, 16, 16]
// CHECK: vector.transfer_read {{.+}} permutation_map = {{.+}} : tensor<1x16x16xf32>, vector<1x16x16xf32>
// CHECK: %[[BYTAP:.+]] = tensor.expand_shape %[[PACKED]] {{\[\[}}0], [1, 2, 3], [4]] output_shape [1, 64, 3, 3, 32]
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: vector.transfer_read {{.+}} : tensor<7x32xf32>, vector<7x32xf32>
// CHECK: scf.for %[[C:.+]] = %c0 to %c64 step %c1
// CHECK: tensor.extract_slice %[[BYTAP]][0, %[[C]], %{{.+}}, %{{.+}}, 0] [1, 1, 1, 1, 32]
// CHECK: vector.contract {{.+}} : vector<7x1xf32>, vector<1x32xf32> into vector<7x32xf32>
func.func @conv_along_filters(%x: tensor<1x64x9x9xf32>, %w: tensor<64x64x3x3xf32>, %o: tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x64x9x9xf32>, tensor<64x64x3x3xf32>) outs(%o : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %r : tensor<1x64x7x7xf32>
}

// -----

// A 1x1 convolution over whole rows of 56 pixels (a row is three and a
// half vectors) is a matrix product over the tile's 448 pixels: the
// weights [16 x 24] by the pixels [24 x 448], in 8 x 32 register tiles.
// CHECK-LABEL: func.func @pointwise_conv
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x24x8x56xf32>, %[[W:[^:]+]]: tensor<16x24x1x1xf32>, %[[O:[^:]+]]: tensor<1x16x8x56xf32>
// CHECK-DAG: %[[A:.+]] = tensor.collapse_shape %[[W]] {{\[\[}}0], [1, 2, 3]] : tensor<16x24x1x1xf32> into tensor<16x24xf32>
// CHECK-DAG: %[[B:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2, 3]] : tensor<1x24x8x56xf32> into tensor<24x448xf32>
// CHECK-DAG: %[[C:.+]] = tensor.collapse_shape %[[O]] {{\[\[}}0, 1], [2, 3]] : tensor<1x16x8x56xf32> into tensor<16x448xf32>
// CHECK: vector.transfer_read {{.+}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c24 step %c1
// CHECK: vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK: tensor.expand_shape {{.+}} {{\[\[}}0, 1], [2, 3]] output_shape [1, 16, 8, 56] : tensor<16x448xf32> into tensor<1x16x8x56xf32>
func.func @pointwise_conv(%x: tensor<1x24x8x56xf32>, %w: tensor<16x24x1x1xf32>, %o: tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x24x8x56xf32>, tensor<16x24x1x1xf32>) outs(%o : tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32>
  return %r : tensor<1x16x8x56xf32>
}

// -----

// The same convolution starting from a fill: its accumulators start from
// the fill's value (16-lane writes of the accumulator tile), and the
// output is only written, by the transpose out of the accumulators; the
// filled output is never read back into them (that read gathered every
// element from a different channel plane) and the fill itself goes.
// The transpose takes each panel's 49 pixels as one row: 16 x 16 blocks
// (register shuffles) for the first 48, element by element for the last.
// CHECK-LABEL: func.func @conv_along_filters_fill
// CHECK: %[[OUT:.+]] = tensor.empty() : tensor<1x64x7x7xf32>
// CHECK-NOT: tensor<1x64x7x7xf32>, vector
// CHECK: %[[BYPANEL:.+]] = tensor.expand_shape %[[OUT]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 32, 7, 7]
// CHECK: %[[ACC:.+]] = tensor.empty() : tensor<1x2x7x7x32xf32>
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %[[ACC]])
// CHECK: vector.transfer_write %{{.+}} : vector<1x1x1x1x16xf32>, tensor<1x1x1x1x16xf32>
// CHECK: vector.contract {{.+}} : vector<7x1xf32>, vector<1x32xf32> into vector<7x32xf32>
// CHECK: %[[PLANES:.+]] = tensor.collapse_shape %[[BYPANEL]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x2x32x7x7xf32> into tensor<1x2x32x49xf32>
// CHECK: %[[WHOLE:.+]] = tensor.extract_slice %[[PLANES]][0, 0, 0, 0] [1, 2, 32, 48]
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %[[WHOLE]])
// CHECK: vector.transfer_read {{.+}} permutation_map = {{.+}} : tensor<1x1x16x16xf32>, vector<1x1x16x16xf32>
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 48] [1, 2, 32, 1]
// CHECK: vector.transfer_read {{.+}} : tensor<1x1x1x1xf32>, vector<1x1x1x1xf32>
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 2, 32, 7, 7]
// CHECK-NOT: linalg.fill
func.func @conv_along_filters_fill(%x: tensor<1x64x9x9xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x7x7xf32>
  %o = linalg.fill ins(%zero : f32) outs(%e : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x64x9x9xf32>, tensor<64x64x3x3xf32>) outs(%o : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %r : tensor<1x64x7x7xf32>
}

// -----

// A convolution whose weights were packed at compile time
// (dispatch-pack-conv-weights) runs along the filters the same way, but its
// register tile reads the packed panels in place: no copy of the weights.
// CHECK-LABEL: func.func @packed_conv_along_filters
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x64x9x9xf32>, %[[W:[^:]+]]: tensor<2x64x3x3x32xf32>
// CHECK-NOT: linalg.transpose
// CHECK: scf.for %[[P:.+]] = %c0 to %c2 step %c1
// CHECK: %[[PANEL:.+]] = tensor.extract_slice %[[W]][%[[P]], 0, 0, 0, 0] [1, 64, 3, 3, 32]
// CHECK-NOT: vector.transfer_read {{.+}} permutation_map
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: scf.for %[[C:.+]] = %c0 to %c64 step %c1
// CHECK: tensor.extract_slice %[[PANEL]][0, %[[C]], %{{.+}}, %{{.+}}, 0] [1, 1, 1, 1, 32]
// CHECK: vector.contract {{.+}} : vector<7x1xf32>, vector<1x32xf32> into vector<7x32xf32>
#pin = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
#pw = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 floordiv 32, d4, d5, d6, d1 mod 32)>
#pout = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
func.func @packed_conv_along_filters(%x: tensor<1x64x9x9xf32>, %w: tensor<2x64x3x3x32xf32>, %o: tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %r = linalg.generic {indexing_maps = [#pin, #pw, #pout], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x64x9x9xf32>, tensor<2x64x3x3x32xf32>) outs(%o : tensor<1x64x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x7x7xf32>
  return %r : tensor<1x64x7x7xf32>
}

// -----

// The same convolution starting from zeros, with its bias and clip: the
// fill and the epilogue join the matrix product's register tiles, which
// start from a zero vector, run the whole reduction and apply the bias and
// clip in registers before their one write.
// CHECK-LABEL: func.func @pointwise_conv_clip
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} = %c0 to %c24 step %c1 iter_args(%{{.+}} = %[[ZERO]]) -> (vector<8x32xf32>)
// CHECK: vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %{{.+}} : vector<8x32xf32>
// CHECK: arith.maximumf %[[SUM]]
// CHECK: arith.minimumf
// CHECK: vector.transfer_write {{.+}} : vector<8x32xf32>, tensor<8x32xf32>
// CHECK-NOT: linalg.generic
// CHECK: tensor.expand_shape {{.+}} : tensor<16x448xf32> into tensor<1x16x8x56xf32>
func.func @pointwise_conv_clip(%x: tensor<1x24x8x56xf32>, %w: tensor<16x24x1x1xf32>, %bias: tensor<16xf32>, %o: tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32> {
  %z = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x24x8x56xf32>, tensor<16x24x1x1xf32>) outs(%f : tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<16xf32>) outs(%r : tensor<1x16x8x56xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    %a = arith.maximumf %s, %z : f32
    %b = arith.minimumf %a, %six : f32
    linalg.yield %b : f32
  } -> tensor<1x16x8x56xf32>
  return %e : tensor<1x16x8x56xf32>
}

// -----

// Strided, or over pixels that are not whole pairs of vectors (7 x 14):
// not a matrix product over the tile.
// CHECK-LABEL: func.func @pointwise_conv_strided
// CHECK-NOT: tensor<24x
// CHECK: return
func.func @pointwise_conv_strided(%x: tensor<1x24x16x112xf32>, %w: tensor<16x24x1x1xf32>, %o: tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x24x16x112xf32>, tensor<16x24x1x1xf32>) outs(%o : tensor<1x16x8x56xf32>) -> tensor<1x16x8x56xf32>
  return %r : tensor<1x16x8x56xf32>
}

// CHECK-LABEL: func.func @pointwise_conv_partial
// CHECK-NOT: tensor<24x98xf32>
// CHECK: return
func.func @pointwise_conv_partial(%x: tensor<1x24x7x14xf32>, %w: tensor<16x24x1x1xf32>, %o: tensor<1x16x7x14xf32>) -> tensor<1x16x7x14xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x24x7x14xf32>, tensor<16x24x1x1xf32>) outs(%o : tensor<1x16x7x14xf32>) -> tensor<1x16x7x14xf32>
  return %r : tensor<1x16x7x14xf32>
}

// -----

// Weights packed in panels of 16 filters do not fit a register tile of 32:
// the convolution is left alone (it becomes plain loops), never tiled with
// slices that would split a panel.
// CHECK-LABEL: func.func @packed_conv_other_panel
// CHECK-NOT: scf.for
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x64x9x9xf32>, tensor<4x64x3x3x16xf32>)
#qin = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
#qw = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 floordiv 16, d4, d5, d6, d1 mod 16)>
#qout = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
func.func @packed_conv_other_panel(%x: tensor<1x64x9x9xf32>, %w: tensor<4x64x3x3x16xf32>, %o: tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %r = linalg.generic {indexing_maps = [#qin, #qw, #qout], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x64x9x9xf32>, tensor<4x64x3x3x16xf32>) outs(%o : tensor<1x64x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x7x7xf32>
  return %r : tensor<1x64x7x7xf32>
}

// -----

// A classifier on one row after a global average pool (the division in its
// body keeps it off the matmul path): 8 rows of the matrix at a time, the
// reduction in 16-lane pieces into 8 vector accumulators, summed across
// their lanes after the loop.
// CHECK-LABEL: func.func @matrix_vector
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x512xf32>, %[[B:[^:]+]]: tensor<1000x512xf32>
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<1x8x16xf32>
// CHECK: scf.for %[[N:.+]] = %c0 to %c1000 step %c8
// CHECK: %[[ROWS:.+]] = tensor.extract_slice %[[B]][%[[N]], 0] [8, 512]
// CHECK: %[[SUMS:.+]] = scf.for %[[K:.+]] = %c0 to %c512 step %c16 iter_args(%[[ACC:.+]] = %[[ZERO]]) -> (vector<1x8x16xf32>)
// CHECK: tensor.extract_slice %[[ROWS]][0, %[[K]]] [8, 16]
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %{{.+}} : vector<1x8x16xf32>
// CHECK: scf.yield %[[SUM]]
// CHECK: vector.multi_reduction <add>, %[[SUMS]], %{{.+}} [2] : vector<1x8x16xf32> to vector<1x8xf32>
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @matrix_vector(%a: tensor<1x512xf32>, %b: tensor<1000x512xf32>, %c: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  %n = arith.constant 4.900000e+01 : f32
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<1x512xf32>, tensor<1000x512xf32>) outs(%c : tensor<1x1000xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %d = arith.divf %x, %n : f32
    %p = arith.mulf %d, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x1000xf32>
  return %r : tensor<1x1000xf32>
}

// -----

// A row reduction whose combiner has no neutral element (a compare and
// select) is not split into vector pieces: it keeps the whole-row path.
// CHECK-LABEL: func.func @row_select
// CHECK-NOT: vector.multi_reduction
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c1
#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @row_select(%a: tensor<64x512xf32>, %c: tensor<64xf32>) -> tensor<64xf32> {
  %r = linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<64x512xf32>) outs(%c : tensor<64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.cmpf ogt, %x, %acc : f32
    %s = arith.select %t, %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// A workgroup's padded input tile (rows clipped at the image border, so
// the source's row count and the low padding are dynamic) is written row
// by row, each element once: the rows above and below the source as
// padding, each source row copied whole (56) with the padding column on
// either side written by a short masked write. No fill of the whole tile,
// no element-by-element copy.
// CHECK-LABEL: func.func @padded_tile
// CHECK-SAME: %[[SRC:[^:]+]]: tensor<1x8x?x56xf32>, %[[LOW:[^:]+]]: index
// CHECK-NOT: tensor.pad
// CHECK-DAG: %[[PADS:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[ZEROS:.+]] = arith.constant dense<0.000000e+00> : vector<58xf32>
// CHECK-DAG: %[[ROWS:.+]] = tensor.dim %[[SRC]], %c2
// CHECK: %[[END:.+]] = arith.addi %[[LOW]], %[[ROWS]]
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x16x58xf32>
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1 iter_args(%{{.+}} = %[[EMPTY]])
// CHECK: %[[ABOVE:.+]] = scf.for %[[R0:.+]] = %c0 to %[[LOW]] step %c1 iter_args(%[[T0:.+]] = %{{.+}})
// CHECK: vector.transfer_write %[[ZEROS]], %[[T0]][%c0, %[[C]], %[[R0]], %c0] {in_bounds = [true]}
// CHECK: %[[COPIED:.+]] = scf.for %[[R:.+]] = %[[LOW]] to %[[END]] step %c1 iter_args(%[[T:.+]] = %[[ABOVE]])
// CHECK: %[[LEFT:.+]] = vector.transfer_write %[[PADS]], %[[T]][%c0, %[[C]], %[[R]], %c0], %{{.+}} {in_bounds = [true]}
// CHECK: %[[FROM:.+]] = arith.subi %[[R]], %[[LOW]]
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[SRC]][%c0, %[[C]], %[[FROM]], %c0], %{{.+}} {in_bounds = [true]} : tensor<1x8x?x56xf32>, vector<56xf32>
// CHECK: %[[MID:.+]] = vector.transfer_write %[[ROW]], %[[LEFT]][%c0, %[[C]], %[[R]], %c1] {in_bounds = [true]}
// CHECK: vector.transfer_write %[[PADS]], %[[MID]][%c0, %[[C]], %[[R]], %c57], %{{.+}} {in_bounds = [true]}
// CHECK: scf.for %[[R1:.+]] = %[[END]] to %c16 step %c1 iter_args(%[[T1:.+]] = %[[COPIED]])
// CHECK: vector.transfer_write %[[ZEROS]], %[[T1]][%c0, %[[C]], %[[R1]], %c0] {in_bounds = [true]}
func.func @padded_tile(%src: tensor<1x8x?x56xf32>, %low: index, %high: index) -> tensor<1x8x16x58xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %src low[0, 0, %low, 1] high[0, 0, %high, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x8x?x56xf32> to tensor<1x8x16x58xf32>
  return %padded : tensor<1x8x16x58xf32>
}

// -----

// Where the workgroups also split the columns, the source's rows are cut
// at the image border too (a dynamic innermost size): each is copied as a
// row of the padded tile's width (57), masked to the source's row length,
// and the padding columns before and after it (dynamic counts) are written
// in masked pieces of at most 16 lanes.
// CHECK-LABEL: func.func @padded_columns
// CHECK-SAME: %[[SRC:[^:]+]]: tensor<1x8x?x?xf32>, %[[LOWROW:[^:]+]]: index, %{{[^:]+}}: index, %[[LOWCOL:[^:]+]]: index
// CHECK-DAG: %[[WIDTH:.+]] = tensor.dim %[[SRC]], %c3
// CHECK: %[[END:.+]] = arith.addi %[[LOWCOL]], %[[WIDTH]]
// CHECK: %[[MASK:.+]] = vector.create_mask %[[WIDTH]] : vector<57xi1>
// CHECK: scf.for %[[R:.+]] = %[[LOWROW]] to
// CHECK: scf.for %[[J:.+]] = %c0 to %[[LOWCOL]] step %c16
// CHECK: %[[LEFT:.+]] = arith.subi %[[LOWCOL]], %[[J]]
// CHECK: %[[N:.+]] = arith.minsi %[[LEFT]], %c16
// CHECK: %[[M:.+]] = vector.create_mask %[[N]] : vector<16xi1>
// CHECK: vector.transfer_write %{{.+}}[%c0, %{{.+}}, %[[R]], %[[J]]], %[[M]]
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[SRC]]{{.+}}, %[[MASK]] {in_bounds = [true]} : tensor<1x8x?x?xf32>, vector<57xf32>
// CHECK: vector.transfer_write %[[ROW]], %{{.+}}[%c0, %{{.+}}, %[[R]], %[[LOWCOL]]], %[[MASK]] {in_bounds = [true]}
// CHECK: scf.for %{{.+}} = %[[END]] to %c57 step %c16
func.func @padded_columns(%src: tensor<1x8x?x?xf32>, %lr: index, %hr: index, %lc: index, %hc: index) -> tensor<1x8x29x57xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %src low[0, 0, %lr, %lc] high[0, 0, %hr, %hc] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x8x?x?xf32> to tensor<1x8x29x57xf32>
  return %padded : tensor<1x8x29x57xf32>
}

// -----

// A depthwise convolution's tile is 7 rows of 8 output pixels of one
// channel (rows of 56 as whole half vectors, up to 8 rows, a count that
// divides 14), one channel plane at a time, in straight-line code: for
// each window position, each row's accumulator takes one read and one
// multiply-add, from the tile's output where no fill precedes it. The
// weights are read once per channel.
// CHECK-LABEL: func.func @depthwise_rows
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x16x58xf32>
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1
// CHECK-COUNT-9: vector.broadcast %{{.+}} : f32 to vector<8xf32>
// CHECK: scf.for %[[OH:.+]] = %c0 to %c14 step %c7
// CHECK: scf.for %[[OW:.+]] = %c0 to %c56 step %c8
// CHECK-NOT: scf.for
// CHECK: %[[IN:.+]] = tensor.extract_slice %[[X]][0, %[[C]], %[[OH]], %[[OW]]] [1, 1, 9, 10] [1, 1, 1, 1]
// CHECK: %[[OUT:.+]] = tensor.extract_slice %{{.+}}[0, %[[C]], %[[OH]], %[[OW]]] [1, 1, 7, 8] [1, 1, 1, 1]
// CHECK-COUNT-7: vector.transfer_read %[[OUT]]{{.+}} {in_bounds = [true]} : tensor<1x1x7x8xf32>, vector<8xf32>
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[IN]][%c0, %c0, %c0, %c0], %{{.+}} {in_bounds = [true]} : tensor<1x1x9x10xf32>, vector<8xf32>
// CHECK: arith.mulf %[[ROW]], %{{.+}} fastmath<contract> : vector<8xf32>
// CHECK-COUNT-63: arith.addf
// CHECK-NOT: arith.addf
// CHECK-COUNT-7: vector.transfer_write
// CHECK-NOT: vector.transfer_write
func.func @depthwise_rows(%x: tensor<1x8x16x58xf32>, %w: tensor<8x3x3xf32>, %o: tensor<1x8x14x56xf32>) -> tensor<1x8x14x56xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x16x58xf32>, tensor<8x3x3xf32>) outs(%o : tensor<1x8x14x56xf32>) -> tensor<1x8x14x56xf32>
  return %r : tensor<1x8x14x56xf32>
}

// -----

// With stride 2 and tiles of fewer than 4 rows (here 2 of the 14, rows
// of 14 pixels masked from 16 lanes), the input's rows are first split
// into their even and odd columns, [.., 2, 57], each row read in pairs of
// vectors (the last masked to the row's 113 columns) and shuffled once.
// A tile then reads the split rows contiguously: column 2j + k of the
// window's input is element j + k / 2 of half k % 2.
// CHECK-LABEL: func.func @depthwise_stride2
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x29x113xf32>
// CHECK: %[[TAIL:.+]] = vector.constant_mask [1] : vector<16xi1>
// CHECK: scf.for
// CHECK: scf.for %[[H:.+]] = %c0 to %c29 step %c1
// CHECK: %[[LOW:.+]] = vector.transfer_read %[[X]][%c0, %{{.+}}, %[[H]], %c0]{{.+}} : tensor<1x8x29x113xf32>, vector<16xf32>
// CHECK: %[[HIGH:.+]] = vector.transfer_read %[[X]][%c0, %{{.+}}, %[[H]], %c16]{{.+}} : tensor<1x8x29x113xf32>, vector<16xf32>
// CHECK: %[[EVEN:.+]] = vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.transfer_write %[[EVEN]], %{{.+}}[%c0, %{{.+}}, %[[H]], %c0, %c0]
// CHECK: %[[ODD:.+]] = vector.shuffle %[[LOW]], %[[HIGH]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: vector.transfer_write %[[ODD]], %{{.+}}[%c0, %{{.+}}, %[[H]], %c1, %c0]
// CHECK: vector.transfer_read %[[X]][%c0, %{{.+}}, %[[H]], %c112], %{{.+}}, %[[TAIL]]
// CHECK: %[[MASK:.+]] = vector.constant_mask [14] : vector<16xi1>
// CHECK: scf.for %{{.+}} = %c0 to %c14 step %c2
// CHECK: scf.for %[[OW:.+]] = %c0 to %c56 step %c14
// CHECK-NOT: vector.shuffle
// CHECK: %[[AT:.+]] = arith.divui %{{.+}}, %c2 : index
// CHECK: %[[HALVES:.+]] = tensor.extract_slice %{{.+}}[0, %{{.+}}, %{{.+}}, 0, %[[AT]]] [1, 1, 5, 2, 15] [1, 1, 1, 1, 1]
// CHECK: vector.transfer_read %[[HALVES]][%c0, %c0, %c0, %c0, %c0], %{{.+}}, %[[MASK]] {in_bounds = [true]} : tensor<1x1x5x2x15xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[HALVES]][%c0, %c0, %c0, %c1, %c0], %{{.+}}, %[[MASK]]
// CHECK: vector.transfer_read %[[HALVES]][%c0, %c0, %c0, %c0, %c1], %{{.+}}, %[[MASK]]
// CHECK-NOT: vector.shuffle
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%c0, %c0, %c0, %c0], %[[MASK]] {in_bounds = [true]} : vector<16xf32>, tensor<1x1x2x14xf32>
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%c0, %c0, %c1, %c0], %[[MASK]] {in_bounds = [true]} : vector<16xf32>, tensor<1x1x2x14xf32>
func.func @depthwise_stride2(%x: tensor<1x8x29x113xf32>, %w: tensor<8x3x3xf32>, %o: tensor<1x8x14x56xf32>) -> tensor<1x8x14x56xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x29x113xf32>, tensor<8x3x3xf32>) outs(%o : tensor<1x8x14x56xf32>) -> tensor<1x8x14x56xf32>
  return %r : tensor<1x8x14x56xf32>
}

// -----

// A max pool with tiles of 4 rows of 14 pixels reads its rows with a
// stride in each tile: each input row as two unmasked vectors inside the
// tile's 29 columns (the second moved back to start at 13), shuffled into
// its even and odd elements (lanes past the 14 pixels repeat the row's
// last element), the op's own body on vectors, 4 stores.
// CHECK-LABEL: func.func @max_pool_stride2
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: scf.for %{{.+}} = %c0 to %c56 step %c14
// CHECK-NOT: scf.for
// CHECK: %[[IN:.+]] = tensor.extract_slice %{{.+}} [1, 1, 9, 29] [1, 1, 1, 1]
// CHECK: %[[LOW:.+]] = vector.transfer_read %[[IN]][%c0, %c0, %c0, %c0], %{{.+}} {in_bounds = [true]} : tensor<1x1x9x29xf32>, vector<16xf32>
// CHECK: %[[HIGH:.+]] = vector.transfer_read %[[IN]][%c0, %c0, %c0, %c13], %{{.+}} {in_bounds = [true]} : tensor<1x1x9x29xf32>, vector<16xf32>
// CHECK: %[[EVEN:.+]] = vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6, 8, 10, 12, 14, 19, 21, 23, 25, 27, 29, 31, 31]
// CHECK: %[[ODD:.+]] = vector.shuffle %[[LOW]], %[[HIGH]] [1, 3, 5, 7, 9, 11, 13, 15, 20, 22, 24, 26, 28, 30, 31, 31]
// CHECK: arith.maximumf %{{.+}}, %[[EVEN]] : vector<16xf32>
// CHECK: %[[SHIFTED:.+]] = vector.transfer_read %[[IN]][%c0, %c0, %c0, %c2], %{{.+}} {in_bounds = [true]} : tensor<1x1x9x29xf32>, vector<16xf32>
// CHECK: vector.shuffle %[[SHIFTED]], %[[HIGH]] [0, 2, 4, 6, 8, 10, 12, 14, 21, 23, 25, 27, 29, 31, 31, 31]
// CHECK-COUNT-4: vector.transfer_write
func.func @max_pool_stride2(%x: tensor<1x8x17x113xf32>, %o: tensor<1x8x8x56xf32>) -> tensor<1x8x8x56xf32> {
  %k = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %k : tensor<1x8x17x113xf32>, tensor<3x3xf32>) outs(%o : tensor<1x8x8x56xf32>) -> tensor<1x8x8x56xf32>
  return %r : tensor<1x8x8x56xf32>
}

// -----

// A depthwise convolution with the zero fill it starts from and its bias
// and clip epilogue: one tile of the whole 7 x 7 plane per channel, its
// accumulators starting from the fill's value in registers, the
// epilogue (the bias read once per channel) applied before the one
// store per row; neither the fill nor the epilogue is left as an op.
// CHECK-LABEL: func.func @depthwise_fill_clip
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x9x9xf32>, %[[W:[^:]+]]: tensor<8x3x3xf32>, %[[B:[^:]+]]: tensor<8xf32>
// CHECK-DAG: %[[SIX:.+]] = arith.constant dense<6.000000e+00> : vector<8xf32>
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK-DAG: %[[MASK:.+]] = vector.constant_mask [7] : vector<8xi1>
// CHECK-NOT: linalg.
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1
// CHECK: %[[BIAS:.+]] = tensor.extract_slice %[[B]][%[[C]]] [1] [1]
// CHECK-NOT: scf.for
// CHECK: %[[ROW:.+]] = vector.transfer_read %{{.+}}[%c0, %c0, %c0, %c0], %{{.+}}, %[[MASK]] {in_bounds = [true]} : tensor<1x1x9x9xf32>, vector<8xf32>
// CHECK: %[[PRODUCT:.+]] = arith.mulf %[[ROW]], %{{.+}} fastmath<contract> : vector<8xf32>
// CHECK: arith.addf %[[PRODUCT]], %[[ZERO]] fastmath<contract> : vector<8xf32>
// CHECK: %[[SUM:.+]] = arith.addf %{{[0-9a-z_]+}}, %{{[0-9a-z_]+}} : vector<8xf32>
// CHECK: %[[LOW:.+]] = arith.maximumf %[[SUM]], %[[ZERO]] : vector<8xf32>
// CHECK: %[[CLIPPED:.+]] = arith.minimumf %[[LOW]], %[[SIX]] : vector<8xf32>
// CHECK: vector.transfer_write %[[CLIPPED]], %{{.+}}[%c0, %c0, %c0, %c0], %[[MASK]] {in_bounds = [true]} : vector<8xf32>, tensor<1x1x7x7xf32>
// CHECK-COUNT-6: vector.transfer_write
// CHECK-NOT: linalg.
func.func @depthwise_fill_clip(%x: tensor<1x8x9x9xf32>, %w: tensor<8x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x9x9xf32>, tensor<8x3x3xf32>) outs(%f : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<8xf32>) outs(%c : tensor<1x8x7x7xf32>) {
  ^bb0(%bias: f32, %acc: f32):
    %s = arith.addf %acc, %bias : f32
    %lo = arith.maximumf %s, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}

// -----

// A 1x1 convolution over whole 14 x 14 planes (196 pixels: 6 pairs of
// vectors and 4 pixels) with its zero fill and its bias and clip: per 8
// filters, a loop over the pairs of vectors and one tile for the last 4
// pixels, masked. Each tile's 8 x 2 (or 8 x 1) accumulators start at
// zero and are carried through the loop over the 64 channels, one
// broadcast weight per filter and one read per vector of pixels a step;
// the epilogue is applied before the one store. No transposes, no fill
// or epilogue left.
// CHECK-LABEL: func.func @pointwise_planes
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x64x14x14xf32>, %[[W:[^:]+]]: tensor<16x64x1x1xf32>
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: %[[PIXELS:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : tensor<1x64x14x14xf32> into tensor<1x64x196xf32>
// CHECK: scf.for %[[P:.+]] = %c0 to %c192 step %c32 iter_args
// CHECK: %[[NEXT:.+]] = arith.addi %[[P]], %c16
// CHECK: %{{.+}}:16 = scf.for %[[C:.+]] = %c0 to %c64 step %c1 iter_args(%[[ACC:[^ ]+]] = %[[ZERO]]
// CHECK: %[[LOW:.+]] = vector.transfer_read %[[PIXELS]][%c0, %[[C]], %[[P]]]{{.+}} : tensor<1x64x196xf32>, vector<16xf32>
// CHECK: %[[HIGH:.+]] = vector.transfer_read %[[PIXELS]][%c0, %[[C]], %[[NEXT]]]
// CHECK: %[[WEIGHT:.+]] = tensor.extract %[[W]][%c0, %[[C]], %c0, %c0]
// CHECK: %[[SPLAT:.+]] = vector.broadcast %[[WEIGHT]]
// CHECK: %[[PRODUCT:.+]] = arith.mulf %[[LOW]], %[[SPLAT]] fastmath<contract>
// CHECK: arith.addf %[[ACC]], %[[PRODUCT]] fastmath<contract>
// CHECK: scf.yield {{.+}} : vector<16xf32>, vector<16xf32>
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%c0, %c0, %[[P]]] {in_bounds = [true]} : vector<16xf32>, tensor<1x16x196xf32>
// CHECK: %[[TAIL:.+]] = vector.constant_mask [4] : vector<16xi1>
// CHECK: %{{.+}}:8 = scf.for %[[C2:.+]] = %c0 to %c64 step %c1
// CHECK: vector.transfer_read %[[PIXELS]][%c0, %[[C2]], %c192], %{{.+}}, %[[TAIL]]
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%c0, %c0, %c192], %[[TAIL]]
// CHECK-NOT: linalg.
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3]] output_shape [1, 16, 14, 14]
func.func @pointwise_planes(%x: tensor<1x64x14x14xf32>, %w: tensor<16x64x1x1xf32>, %b: tensor<16xf32>) -> tensor<1x16x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x16x14x14xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x14x14xf32>) -> tensor<1x16x14x14xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x64x14x14xf32>, tensor<16x64x1x1xf32>) outs(%f : tensor<1x16x14x14xf32>) -> tensor<1x16x14x14xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<16xf32>) outs(%c : tensor<1x16x14x14xf32>) {
  ^bb0(%bias: f32, %acc: f32):
    %s = arith.addf %acc, %bias : f32
    %lo = arith.maximumf %s, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x16x14x14xf32>
  return %r : tensor<1x16x14x14xf32>
}

// -----

// A Winograd convolution's three parts (dispatch-winograd-conv, 32
// filters, 16 channels, a 6 x 8 output: 3 x 4 blocks). The input
// transform runs over channels and rows of blocks: each input row read as
// pairs of vectors split into even and odd columns, the 16 transformed
// values written as rows of blocks, over the zero fill's destination. The
// products run over the 16 positions and the rows of blocks, the
// accumulators (4 blocks x 32 filters) carried in registers over the
// channels from zero. The output transform runs over vectors of filters
// and rows of blocks: 16 products read along the filters, additions only,
// and a transpose by two-source shuffles into rows of pixels.
// CHECK-LABEL: func.func @winograd
// CHECK: scf.for %[[C:.+]] = %c0 to %c16 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (tensor<16x16x3x4xf32>)
// CHECK: scf.for
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK-COUNT-16: vector.transfer_write %{{.+}}[%[[C]], %c{{[0-9]+}}, %{{.+}}, %c0], %{{.+}} {in_bounds = [true]} : vector<16xf32>, tensor<16x16x3x4xf32>
// CHECK: scf.for %[[P:.+]] = %c0 to %c16 step %c1 iter_args(%{{.+}}) -> (tensor<16x3x4x32xf32>)
// CHECK: scf.for
// CHECK: scf.for %{{.+}} = %c0 to %c16 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<4x32xf32>)
// CHECK: vector.contract {{.+}} : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
// CHECK: scf.for %[[K:.+]] = %c0 to %c32 step %c16 iter_args(%{{.+}}) -> (tensor<1x32x6x8xf32>)
// CHECK: scf.for
// CHECK-COUNT-16: vector.transfer_read {{.+}} : tensor<16x3x4x32xf32>, vector<16xf32>
// CHECK-NOT: vector.transpose
// CHECK: vector.shuffle {{.+}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
// CHECK: vector.transfer_write {{.+}} : vector<16xf32>, tensor<1x32x6x8xf32>
#input = affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d0, d2 * 2 + d4, d3 * 2 + d5)>
#coef = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d4, d5)>
#blocks = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#v = affine_map<(d0, d1, d2, d3, d4) -> (d4, d0, d1, d2)>
#u = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 floordiv 32, d4, d3 mod 32)>
#id = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#m = affine_map<(d0, d1, d2, d3, d4) -> (d4, d2 floordiv 2, d3 floordiv 2, d1)>
#a = affine_map<(d0, d1, d2, d3, d4) -> (d4, d2 mod 2, d3 mod 2)>
func.func @winograd(%padded: tensor<1x16x8x10xf32>, %b: tensor<16x4x4xf32>, %u: tensor<16x1x16x32xf32>, %a: tensor<16x2x2xf32>) -> tensor<1x32x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ev = tensor.empty() : tensor<16x16x3x4xf32>
  %fv = linalg.fill ins(%zero : f32) outs(%ev : tensor<16x16x3x4xf32>) -> tensor<16x16x3x4xf32>
  %v = linalg.generic {indexing_maps = [#input, #coef, #blocks], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%padded, %b : tensor<1x16x8x10xf32>, tensor<16x4x4xf32>) outs(%fv : tensor<16x16x3x4xf32>) attrs = {kiln.winograd = "input"} {
  ^bb0(%in: f32, %c: f32, %out: f32):
    %p = arith.mulf %in, %c : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x16x3x4xf32>
  %em = tensor.empty() : tensor<16x3x4x32xf32>
  %fm = linalg.fill ins(%zero : f32) outs(%em : tensor<16x3x4x32xf32>) -> tensor<16x3x4x32xf32>
  %m = linalg.generic {indexing_maps = [#v, #u, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v, %u : tensor<16x16x3x4xf32>, tensor<16x1x16x32xf32>) outs(%fm : tensor<16x3x4x32xf32>) attrs = {kiln.winograd = "product"} {
  ^bb0(%in: f32, %w: f32, %out: f32):
    %p = arith.mulf %in, %w : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x3x4x32xf32>
  %ey = tensor.empty() : tensor<1x32x6x8xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<1x32x6x8xf32>) -> tensor<1x32x6x8xf32>
  %y = linalg.generic {indexing_maps = [#m, #a, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%m, %a : tensor<16x3x4x32xf32>, tensor<16x2x2xf32>) outs(%fy : tensor<1x32x6x8xf32>) attrs = {kiln.winograd = "output"} {
  ^bb0(%in: f32, %c: f32, %out: f32):
    %p = arith.mulf %in, %c : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x32x6x8xf32>
  return %y : tensor<1x32x6x8xf32>
}

// -----

// A 3x3 max pool with strides of 2 over its input padded by the lowest
// float before its rows and columns (a whole plane per workgroup, as
// kiln-tile-workgroups{whole-window-planes} tiles it) is computed
// from the unpadded input: per channel, the first output row (its top
// input row in the padding) and a loop over the others; each input row
// read as two vectors (masked at the row's end, the padding value in the
// masked lanes), split into even and odd columns, the odd ones shifted by
// a lane for the window's first column; the pad is gone (and the first
// row's top input row, all padding, folds away). Rows of two blocks (20
// pixels) run two to an iteration, their chains of operations independent;
// the last inside row (7) on its own.
// CHECK-LABEL: func.func @strided_max_pool_rows
// CHECK-NOT: tensor.pad
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %c0, %c0], %cst
// CHECK: vector.shuffle {{.+}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.shuffle {{.+}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: vector.shuffle {{.+}} [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]
// CHECK: arith.maximumf {{.+}} : vector<16xf32>
// CHECK: vector.transfer_write {{.+}} : vector<16xf32>, tensor<1x8x8x20xf32>
// CHECK: scf.for %{{.+}} = %c1 to %c7 step %c2
// CHECK-NOT: tensor.pad
func.func @strided_max_pool_rows(%x: tensor<1x8x16x40xf32>) -> tensor<1x8x8x20xf32> {
  %low = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %low : f32
  } : tensor<1x8x16x40xf32> to tensor<1x8x17x41xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x8x8x20xf32>
  %f = linalg.fill ins(%low : f32) outs(%e : tensor<1x8x8x20xf32>) -> tensor<1x8x8x20xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%padded, %k : tensor<1x8x17x41xf32>, tensor<3x3xf32>) outs(%f : tensor<1x8x8x20xf32>) -> tensor<1x8x8x20xf32>
  return %r : tensor<1x8x8x20xf32>
}

// -----

// The same for a depthwise convolution with strides of 2, its zero fill
// and its bias-and-clip epilogue: each channel's 9 weights broadcast once,
// multiply-adds per window column (contracted to FMAs), the epilogue
// applied before each row's write. Its loops are ordered n, oh, ow, c,
// kh, kw: the channels (8), rows (12) and columns (20) come from the
// output's shape.
// CHECK-LABEL: func.func @strided_depthwise_rows
// CHECK-NOT: tensor.pad
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1
// CHECK-COUNT-9: tensor.extract %{{.+}}[%[[C]], %c{{[0-9]}}, %c{{[0-9]}}] : tensor<8x3x3xf32>
// CHECK: vector.shuffle {{.+}} [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]
// CHECK: arith.mulf {{.+}} fastmath<contract> : vector<16xf32>
// CHECK: arith.addf {{.+}} fastmath<contract> : vector<16xf32>
// CHECK: tensor.extract %{{.+}}[%[[C]]] : tensor<8xf32>
// CHECK: arith.minimumf {{.+}} : vector<16xf32>
// CHECK: vector.transfer_write {{.+}} : vector<16xf32>, tensor<1x8x12x20xf32>
// CHECK: scf.for %{{.+}} = %c1 to %c11 step %c2
// CHECK-NOT: linalg.generic
func.func @strided_depthwise_rows(%x: tensor<1x8x24x40xf32>, %w: tensor<8x3x3xf32>, %bias: tensor<8xf32>) -> tensor<1x8x12x20xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x24x40xf32> to tensor<1x8x25x41xf32>
  %e = tensor.empty() : tensor<1x8x12x20xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x12x20xf32>) -> tensor<1x8x12x20xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%padded, %w : tensor<1x8x25x41xf32>, tensor<8x3x3xf32>) outs(%f : tensor<1x8x12x20xf32>) -> tensor<1x8x12x20xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%r : tensor<1x8x12x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    %lo = arith.maximumf %s, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x8x12x20xf32>
  return %c : tensor<1x8x12x20xf32>
}

// -----

// A depthwise convolution with strides of 1 over its input padded by one
// around its rows and columns is computed from the unpadded input too:
// each input row read as three unaligned vectors (columns from one before
// the block to one after, masked at the row's end), the first block's
// first column the padding shifted in. Rows of 32 (two blocks) run two to
// an iteration.
// CHECK-LABEL: func.func @unit_stride_depthwise_rows
// CHECK-NOT: tensor.pad
// CHECK: scf.for %[[C:.+]] = %c0 to %c8 step %c1
// CHECK: vector.shuffle {{.+}} [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %c0, %c1], %{{[^,]+}} {in_bounds = [true]}
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %c0, %c16], %{{[^,]+}} {in_bounds = [true]}
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %c0, %c15], %{{[^,]+}} {in_bounds = [true]}
// CHECK: vector.transfer_read %arg0[%c0, %[[C]], %c0, %c17], %{{.+}}, %{{.+}} {in_bounds = [true]}
// CHECK: scf.for %{{.+}} = %c1 to %c9 step %c2
// CHECK-NOT: tensor.pad
func.func @unit_stride_depthwise_rows(%x: tensor<1x8x10x32xf32>, %w: tensor<8x3x3xf32>) -> tensor<1x8x10x32xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x10x32xf32> to tensor<1x8x12x34xf32>
  %e = tensor.empty() : tensor<1x8x10x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x10x32xf32>) -> tensor<1x8x10x32xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %w : tensor<1x8x12x34xf32>, tensor<8x3x3xf32>) outs(%f : tensor<1x8x10x32xf32>) -> tensor<1x8x10x32xf32>
  return %r : tensor<1x8x10x32xf32>
}

// -----

// A convolution with strides of 2 and a short reduction (3 channels of
// 3x3: an image's first convolution) takes tiles of filters by a row of 16
// pixels (rows of 48) or 32 (rows of 64); each step reads its input row as
// whole vectors (elements 0-15 and 15-30 of each 32) and picks their even
// elements with one shuffle per vector of output. Read as a slice with a
// stride of 2, the row was gathered element by element.
// CHECK-LABEL: func.func @strided_conv_row_tiles
// CHECK-NOT: tensor.extract_slice {{.+}} [1] [2]
// CHECK: %[[LOW:.+]] = vector.transfer_read %{{.+}}[%c0], %{{[^,]+}} {in_bounds = [true]} : tensor<31xf32>, vector<16xf32>
// CHECK: %[[HIGH:.+]] = vector.transfer_read %{{.+}}[%c15], %{{[^,]+}} {in_bounds = [true]} : tensor<31xf32>, vector<16xf32>
// CHECK: vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: vector.contract {{.+}} into vector<16x16xf32>
// CHECK: vector.transfer_read %{{.+}}[%c47], %{{[^,]+}} {in_bounds = [true]} : tensor<63xf32>, vector<16xf32>
// CHECK: vector.shuffle {{.+}} : vector<16xf32>, vector<16xf32>
// CHECK: vector.contract {{.+}} into vector<8x32xf32>
func.func @strided_conv_row_tiles(%x: tensor<1x3x9x97xf32>, %w: tensor<16x3x3x3xf32>, %o: tensor<1x16x4x48xf32>, %x2: tensor<1x3x9x129xf32>, %o2: tensor<1x16x4x64xf32>) -> (tensor<1x16x4x48xf32>, tensor<1x16x4x64xf32>) {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x3x9x97xf32>, tensor<16x3x3x3xf32>) outs(%o : tensor<1x16x4x48xf32>) -> tensor<1x16x4x48xf32>
  %r2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x2, %w : tensor<1x3x9x129xf32>, tensor<16x3x3x3xf32>) outs(%o2 : tensor<1x16x4x64xf32>) -> tensor<1x16x4x64xf32>
  return %r, %r2 : tensor<1x16x4x48xf32>, tensor<1x16x4x64xf32>
}

// -----

// Winograd products over rows of at most 4 blocks (resnet18's layer 4:
// 4 x 4 blocks) take two rows of blocks per register tile, 8 blocks by 32
// filters: two outer products per channel sharing the weights' row.
// CHECK-LABEL: func.func @winograd_short_rows
// CHECK: scf.for %{{.+}} = %c0 to %c16 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c2
// CHECK: scf.for %{{.+}} = %c0 to %c16 step %c1 iter_args({{.+}}) -> (vector<4x32xf32>, vector<4x32xf32>)
// CHECK-COUNT-2: vector.contract {{.+}} : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
#v2 = affine_map<(d0, d1, d2, d3, d4) -> (d4, d0, d1, d2)>
#u2 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 floordiv 32, d4, d3 mod 32)>
#id2 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @winograd_short_rows(%v: tensor<16x16x4x4xf32>, %u: tensor<16x1x16x32xf32>) -> tensor<16x4x4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %em = tensor.empty() : tensor<16x4x4x32xf32>
  %fm = linalg.fill ins(%zero : f32) outs(%em : tensor<16x4x4x32xf32>) -> tensor<16x4x4x32xf32>
  %m = linalg.generic {indexing_maps = [#v2, #u2, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%v, %u : tensor<16x16x4x4xf32>, tensor<16x1x16x32xf32>) outs(%fm : tensor<16x4x4x32xf32>) attrs = {kiln.winograd = "product"} {
  ^bb0(%in: f32, %w: f32, %out: f32):
    %p = arith.mulf %in, %w : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4x4x32xf32>
  return %m : tensor<16x4x4x32xf32>
}
