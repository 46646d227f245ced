// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Conv: input channels must be the weight's channels times group.
func.func @conv_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<1x6x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{input has 4 channels but the weight expects 3 * group 1}}
  %y = graph.conv %x, %w, %none : (tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32>, none) -> tensor<1x6x6x6xf32>
  return %y : tensor<1x6x6x6xf32>
}

// -----

// Conv: output channels must split evenly into groups.
func.func @conv_output_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{weight has 5 output channels, not a multiple of group 2}}
  %y = graph.conv %x, %w, %none {group = 2} : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>, none) -> tensor<1x5x6x6xf32>
  return %y : tensor<1x5x6x6xf32>
}

// -----

// Conv: kernel_shape must agree with the weight.
func.func @conv_kernel_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{kernel_shape value 5 does not match the weight's spatial dimension 1 of size 3}}
  %y = graph.conv %x, %w, %none {kernel_shape = array<i64: 3, 5>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Conv: one stride per spatial dim.
func.func @conv_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{strides has 3 values, expected 2}}
  %y = graph.conv %x, %w, %none {strides = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Conv: strides must be positive.
func.func @conv_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{strides value 0 must be positive}}
  %y = graph.conv %x, %w, %none {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Conv: pads may not be negative.
func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %none = graph.none
  // expected-error@+1 {{pads value -1 must be non-negative}}
  %y = graph.conv %x, %w, %none {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Conv: auto_pad has four values.
func.func @conv_auto_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %none = graph.none
  // expected-error@+1 {{auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got 'SAME'}}
  %y = graph.conv %x, %w, %none {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Conv: the padded input must hold one window (here of extent 5 with
// dilation 2).
func.func @conv_too_small(%x: tensor<1x3x4x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{spatial dimension 0 of size 4 (padded to 4) is smaller than the window extent 5}}
  %y = graph.conv %x, %w, %none {dilations = array<i64: 2, 2>} : (tensor<1x3x4x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x?x?xf32>
  return %y : tensor<1x4x?x?xf32>
}

// -----

// Conv: the bias has one value per output channel.
func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{B has 3 elements, expected 4}}
  %y = graph.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// Conv: a declared result size that contradicts inference is rejected.
func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %none = graph.none
  // expected-error@+1 {{result #0 has type 'tensor<1x4x8x8xf32>', which contradicts the inferred type 'tensor<1x4x6x6xf32>'}}
  %y = graph.conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

// ConvTranspose: output_shape holds the spatial sizes (or a full shape).
func.func @conv_transpose_output_shape(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{output_shape has 3 values, expected 2 (or 4)}}
  %y = graph.conv_transpose %x, %w, %none {output_shape = array<i64: 1, 10, 8>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x?x?xf32>
  return %y : tensor<1x2x?x?xf32>
}

// -----

// ConvTranspose: the weight's first dim is the input channels.
func.func @conv_transpose_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %none = graph.none
  // expected-error@+1 {{input has 2 channels but the weight has 1}}
  %y = graph.conv_transpose %x, %w, %none : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

// Pools need [N, C, D1, ...].
func.func @pool_rank(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error@+1 {{X must have rank >= 3 ([N, C, D1, ...]), got 2}}
  %y = graph.average_pool %x {kernel_shape = array<i64: 2>} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Pools: one kernel size per spatial dim.
func.func @pool_kernel_length(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>) {
  // expected-error@+1 {{kernel_shape has 1 values, expected 2}}
  %y, %i = graph.max_pool %x {kernel_shape = array<i64: 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>)
  return %y, %i : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>
}

// -----

// MaxPool: storage_order is 0 (row-major) or 1 (column-major).
func.func @max_pool_storage_order(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>) {
  // expected-error@+1 {{storage_order must be 0 or 1, got 2}}
  %y, %i = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, storage_order = 2} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>)
  return %y, %i : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>
}

// -----

// LpPool: p must be positive.
func.func @lp_pool_p(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error@+1 {{p must be positive, got 0}}
  %y = graph.lp_pool %x {kernel_shape = array<i64: 2, 2>, p = 0} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// MaxUnpool: a constant output_shape is a full shape.
func.func @max_unpool_shape(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<?x?x?x?xf32> {
  %s = graph.constant dense<[5, 5]> : tensor<2xi64>
  // expected-error@+1 {{output_shape has 2 values for an input of rank 4}}
  %y = graph.max_unpool %x, %i, %s {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// MatMul: contraction sizes must agree.
func.func @mat_mul_k(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) -> tensor<3x6xf32> {
  // expected-error@+1 {{contraction dimensions differ: 4 vs 5}}
  %y = graph.mat_mul %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return %y : tensor<3x6xf32>
}

// -----

// MatMul: batch dims must broadcast.
func.func @mat_mul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<?x3x5xf32> {
  // expected-error@+1 {{operand shapes do not broadcast: [2] vs [3]}}
  %y = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<?x3x5xf32>
  return %y : tensor<?x3x5xf32>
}

// -----

// MatMul: scalars are not matrices.
func.func @mat_mul_scalar(%a: tensor<f32>, %b: tensor<4xf32>) -> tensor<f32> {
  // expected-error@+1 {{matrix product operands must have rank >= 1}}
  %y = graph.mat_mul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// Gemm: A and B are matrices.
func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %none = graph.none
  // expected-error@+1 {{A must be 2-D, got rank 3}}
  %y = graph.gemm %a, %b, %none : (tensor<2x3x4xf32>, tensor<4x5xf32>, none) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

// Gemm: C broadcasts to [M, N] in one direction only.
func.func @gemm_bias(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x5xf32>) -> tensor<3x5xf32> {
  // expected-error@+1 {{C of shape 'tensor<2x5xf32>' does not broadcast to [3, 5]}}
  %y = graph.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<2x5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

// Einsum: only letters, commas, spaces, '->' and '...'.
func.func @einsum_character(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{equation has an unexpected character '1'}}
  %y = graph.einsum %x {equation = "i1->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: a lone '.' is not an ellipsis.
func.func @einsum_dot(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{equation has a '.' outside an ellipsis}}
  %y = graph.einsum %x {equation = "i.j->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: one output term at most.
func.func @einsum_arrows(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{equation has more than one '->'}}
  %y = graph.einsum %x {equation = "ij->i->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: one ellipsis per term.
func.func @einsum_ellipses(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error@+1 {{equation term '...i...' has more than one ellipsis}}
  %y = graph.einsum %x {equation = "...i..."} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Einsum: one term per operand.
func.func @einsum_terms(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{equation has 2 input terms for 1 operands}}
  %y = graph.einsum %x {equation = "ij,jk->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: a term without ellipsis names every dim.
func.func @einsum_rank(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{operand 0 has rank 2 but its term names 3 dimensions}}
  %y = graph.einsum %x {equation = "ijk->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: output labels come from the inputs.
func.func @einsum_output_label(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{output label 'k' does not occur in an input term}}
  %y = graph.einsum %x {equation = "ij->k"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Einsum: one label, one size (1 broadcasts).
func.func @einsum_label_sizes(%x: tensor<3x4xf32>, %y: tensor<5x2xf32>) -> tensor<3x2xf32> {
  // expected-error@+1 {{label 'j' has sizes 4 and 5}}
  %z = graph.einsum %x, %y {equation = "ij,jk->ik"} : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return %z : tensor<3x2xf32>
}

// -----

// Einsum: an explicit output keeps the broadcast dims (as numpy requires).
func.func @einsum_dropped_ellipsis(%x: tensor<2x3x4xf32>) -> tensor<3x4xf32> {
  // expected-error@+1 {{output term has no ellipsis for the 1 broadcast dimensions}}
  %y = graph.einsum %x {equation = "...ij->ij"} : (tensor<2x3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Det: square matrices only.
func.func @det_square(%x: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+1 {{matrices must be square, got 2x3}}
  %y = graph.det %x : (tensor<2x3xf32>) -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// Dropout: a constant ratio must be in [0, 1).
func.func @dropout_ratio(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xi1>) {
  %r = graph.constant dense<1.0> : tensor<f32>
  %none = graph.none
  // expected-error@+1 {{ratio must be in [0, 1), got 1}}
  %y, %m = graph.dropout %x, %r, %none : (tensor<3xf32>, tensor<f32>, none) -> (tensor<3xf32>, tensor<3xi1>)
  return %y, %m : tensor<3xf32>, tensor<3xi1>
}

// -----

// Losses: reduction is none, sum or mean.
func.func @nll_reduction(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %none = graph.none
  // expected-error@+1 {{reduction must be 'none', 'sum', 'mean'; got 'max'}}
  %l = graph.negative_log_likelihood_loss %x, %t, %none {reduction = "max"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Losses: the target drops the class dim of the input.
func.func @sce_labels(%x: tensor<3x5x2xf32>, %t: tensor<3x4xi64>) -> (tensor<f32>, tensor<3x5x2xf32>) {
  %none = graph.none
  // expected-error@+1 {{labels dimension 1 is 4 but the matching scores dimension is 2}}
  %l, %p = graph.softmax_cross_entropy_loss %x, %t, %none : (tensor<3x5x2xf32>, tensor<3x4xi64>, none) -> (tensor<f32>, tensor<3x5x2xf32>)
  return %l, %p : tensor<f32>, tensor<3x5x2xf32>
}

// -----

// Losses: one weight per class.
func.func @nll_weight(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<4xf32>) -> tensor<f32> {
  // expected-error@+1 {{weight has 4 elements for 5 classes}}
  %l = graph.negative_log_likelihood_loss %x, %t, %w : (tensor<3x5xf32>, tensor<3xi64>, tensor<4xf32>) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// NonMaxSuppression: boxes have four coordinates.
func.func @nms_boxes(%b: tensor<1x6x3xf32>, %s: tensor<1x1x6xf32>) -> tensor<?x3xi64> {
  %none = graph.none
  // expected-error@+1 {{boxes must be [num_batches, num_boxes, 4], got 'tensor<1x6x3xf32>'}}
  %y = graph.non_max_suppression %b, %s, %none, %none, %none : (tensor<1x6x3xf32>, tensor<1x1x6xf32>, none, none, none) -> tensor<?x3xi64>
  return %y : tensor<?x3xi64>
}

// -----

// NonMaxSuppression: boxes and scores agree on the box count.
func.func @nms_counts(%b: tensor<1x6x4xf32>, %s: tensor<1x1x5xf32>) -> tensor<?x3xi64> {
  %none = graph.none
  // expected-error@+1 {{disagree on the batch or box count}}
  %y = graph.non_max_suppression %b, %s, %none, %none, %none : (tensor<1x6x4xf32>, tensor<1x1x5xf32>, none, none, none) -> tensor<?x3xi64>
  return %y : tensor<?x3xi64>
}

// -----

// RoiAlign: mode is avg or max.
func.func @roi_align_mode(%x: tensor<1x1x10x10xf32>, %r: tensor<3x4xf32>, %i: tensor<3xi64>) -> tensor<3x1x1x1xf32> {
  // expected-error@+1 {{mode must be 'avg', 'max'; got 'sum'}}
  %y = graph.roi_align %x, %r, %i {mode = "sum"} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x1x1xf32>
  return %y : tensor<3x1x1x1xf32>
}

// -----

// RoiAlign: one batch index per region.
func.func @roi_align_indices(%x: tensor<1x1x10x10xf32>, %r: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<3x1x1x1xf32> {
  // expected-error@+1 {{batch_indices must be [num_rois], got 'tensor<2xi64>'}}
  %y = graph.roi_align %x, %r, %i : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x1x1x1xf32>
  return %y : tensor<3x1x1x1xf32>
}

// -----

// GridSample: the grid's last dim holds (x, y).
func.func @grid_sample_grid(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x3xf32>) -> tensor<1x1x2x4xf32> {
  // expected-error@+1 {{grid must be [N, H_out, W_out, 2], got 'tensor<1x2x4x3xf32>'}}
  %y = graph.grid_sample %x, %g : (tensor<1x1x3x2xf32>, tensor<1x2x4x3xf32>) -> tensor<1x1x2x4xf32>
  return %y : tensor<1x1x2x4xf32>
}

// -----

// GridSample: padding_mode has three values.
func.func @grid_sample_padding(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32> {
  // expected-error@+1 {{padding_mode must be 'zeros', 'border', 'reflection'; got 'wrap'}}
  %y = graph.grid_sample %x, %g {padding_mode = "wrap"} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %y : tensor<1x1x2x4xf32>
}

// -----

// Recurrent: direction is forward, reverse or bidirectional.
func.func @rnn_direction(%x: tensor<1x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>) {
  %none = graph.none
  // expected-error@+1 {{direction must be 'forward', 'reverse', 'bidirectional'; got 'backward'}}
  %y, %h = graph.rnn %x, %w, %r, %none, %none, %none {direction = "backward"} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %y, %h : tensor<1x1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// Recurrent: W has one block per direction.
func.func @rnn_directions(%x: tensor<1x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> (tensor<1x2x3x4xf32>, tensor<2x3x4xf32>) {
  %none = graph.none
  // expected-error@+1 {{W dimension 0 is 1, expected num_directions = 2}}
  %y, %h = graph.rnn %x, %w, %r, %none, %none, %none {direction = "bidirectional"} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x2x3x4xf32>, tensor<2x3x4xf32>)
  return %y, %h : tensor<1x2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// Recurrent: hidden_size fixes the rows of W (4 gates for LSTM).
func.func @lstm_hidden(%x: tensor<1x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  %none = graph.none
  // expected-error@+1 {{W dimension 1 is 12, expected 4 * hidden_size = 16}}
  %y, %h, %c = graph.lstm %x, %w, %r, %none, %none, %none, %none, %none {hidden_size = 4} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>)
  return %y, %h, %c : tensor<1x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// Recurrent: W's columns are the input size.
func.func @gru_input(%x: tensor<1x3x2xf32>, %w: tensor<1x15x3xf32>, %r: tensor<1x15x5xf32>) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>) {
  %none = graph.none
  // expected-error@+1 {{W dimension 2 is 3, expected input_size = 2}}
  %y, %h = graph.gru %x, %w, %r, %none, %none, %none : (tensor<1x3x2xf32>, tensor<1x15x3xf32>, tensor<1x15x5xf32>, none, none, none) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
  return %y, %h : tensor<1x1x3x5xf32>, tensor<1x3x5xf32>
}

// -----

// Recurrent: GRU has two activation functions per direction.
func.func @gru_activations(%x: tensor<1x3x2xf32>, %w: tensor<1x15x2xf32>, %r: tensor<1x15x5xf32>) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>) {
  %none = graph.none
  // expected-error@+1 {{activations has 3 functions, expected 2}}
  %y, %h = graph.gru %x, %w, %r, %none, %none, %none {activations = ["Sigmoid", "Tanh", "Tanh"]} : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, none, none, none) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
  return %y, %h : tensor<1x1x3x5xf32>, tensor<1x3x5xf32>
}

// -----

// Recurrent: activation names are the ONNX ones.
func.func @rnn_activation_name(%x: tensor<1x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>) {
  %none = graph.none
  // expected-error@+1 {{unknown activation function 'Gelu'}}
  %y, %h = graph.rnn %x, %w, %r, %none, %none, %none {activations = ["Gelu"]} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %y, %h : tensor<1x1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// Recurrent: layout is 0 or 1.
func.func @rnn_layout(%x: tensor<1x3x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>) {
  %none = graph.none
  // expected-error@+1 {{layout must be 0 or 1, got 2}}
  %y, %h = graph.rnn %x, %w, %r, %none, %none, %none {layout = 2} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  return %y, %h : tensor<1x1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// Recurrent: the initial state is [num_directions, batch, hidden].
func.func @lstm_initial_c(%x: tensor<1x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>, %c: tensor<1x2x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>) {
  %none = graph.none
  // expected-error@+1 {{initial_c dimension 1 is 2, expected batch_size = 3}}
  %y, %h, %yc = graph.lstm %x, %w, %r, %none, %none, %none, %c, %none : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, tensor<1x2x3xf32>, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  return %y, %h, %yc : tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>
}
