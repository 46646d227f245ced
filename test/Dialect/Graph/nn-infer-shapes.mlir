// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// Conv: strides with asymmetric explicit pads; the kernel comes from W.
// CHECK-LABEL: func @conv_strided
// CHECK: graph.conv {{.*}} -> tensor<1x1x4x2xf32>
func.func @conv_strided(%x: tensor<1x1x7x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  %y = graph.conv %x, %w, %none {pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x7x5xf32>, tensor<1x1x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Conv: grouped and dilated 1-D; SAME_LOWER gives ceil(in / stride).
// CHECK-LABEL: func @conv_group_dilation
// CHECK: graph.conv {{.*}} -> tensor<2x8x6xf32>
// CHECK: graph.conv {{.*}} -> tensor<2x8x4xf32>
func.func @conv_group_dilation(%x: tensor<2x4x10xf32>, %w: tensor<8x2x3xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %none = graph.none
  %y = graph.conv %x, %w, %none {group = 2, dilations = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<8x2x3xf32>, none) -> tensor<?x?x?xf32>
  %z = graph.conv %x, %w, %none {group = 2, auto_pad = "SAME_LOWER", strides = array<i64: 3>} : (tensor<2x4x10xf32>, tensor<8x2x3xf32>, none) -> tensor<?x?x?xf32>
  return %y, %z : tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Conv: dynamic spatial and batch dims stay dynamic, the rest is static.
// CHECK-LABEL: func @conv_dynamic
// CHECK: graph.conv {{.*}} -> tensor<?x16x?x30xf32>
func.func @conv_dynamic(%x: tensor<?x3x?x32xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  %y = graph.conv %x, %w, %none {auto_pad = "VALID"} : (tensor<?x3x?x32xf32>, tensor<16x3x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// ConvTranspose: natural size, output_padding, pads, SAME and output_shape.
// CHECK-LABEL: func @conv_transpose
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x2x5x6x7xf32>
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x2x10x8xf32>
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x2x7x3xf32>
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x2x6x6xf32>
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x2x10x8xf32>
// CHECK: graph.conv_transpose {{.*}} -> tensor<1x4x5x5xf32>
func.func @conv_transpose(%x3: tensor<1x1x3x4x5xf32>, %w3: tensor<1x2x3x3x3xf32>, %x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %wg: tensor<2x2x2x2xf32>, %xg: tensor<1x2x3x3xf32>)
    -> (tensor<?x?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %a = graph.conv_transpose %x3, %w3, %none : (tensor<1x1x3x4x5xf32>, tensor<1x2x3x3x3xf32>, none) -> tensor<?x?x?x?x?xf32>
  %b = graph.conv_transpose %x, %w, %none {output_padding = array<i64: 1, 1>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  %c = graph.conv_transpose %x, %w, %none {pads = array<i64: 1, 2, 1, 2>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  %d = graph.conv_transpose %x, %w, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  %e = graph.conv_transpose %x, %w, %none {output_shape = array<i64: 1, 2, 10, 8>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<?x?x?x?xf32>
  // Groups: output channels are W.dim1 * group, and dilations widen the kernel.
  %f = graph.conv_transpose %xg, %wg, %none {group = 2, dilations = array<i64: 2, 2>} : (tensor<1x2x3x3xf32>, tensor<2x2x2x2xf32>, none) -> tensor<?x?x?x?xf32>
  return %a, %b, %c, %d, %e, %f : tensor<?x?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Pools: ceil_mode rounds up, but a last window starting in the end padding
// is dropped (5 + 1 padded, kernel 2, stride 2: 3 windows, not 4).
// CHECK-LABEL: func @pools_ceil
// CHECK: graph.average_pool {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: graph.max_pool {{.*}} -> (tensor<1x1x3xf32>, tensor<1x1x3xi64>)
// CHECK: graph.max_pool {{.*}} -> (tensor<1x1x2xf32>, tensor<1x1x2xi64>)
func.func @pools_ceil(%x: tensor<1x1x4x4xf32>, %v: tensor<1x1x5xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xi64>, tensor<?x?x?xf32>, tensor<?x?x?xi64>) {
  %a = graph.average_pool %x {ceil_mode = 1, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<?x?x?x?xf32>
  %m, %i = graph.max_pool %v {ceil_mode = 1, kernel_shape = array<i64: 2>, pads = array<i64: 1, 1>, strides = array<i64: 2>} : (tensor<1x1x5xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi64>)
  %f, %fi = graph.max_pool %v {kernel_shape = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x1x5xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi64>)
  return %a, %m, %i, %f, %fi : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xi64>, tensor<?x?x?xf32>, tensor<?x?x?xi64>
}

// -----

// Pools: dilations, SAME and 3-D LpPool.
// CHECK-LABEL: func @pools_windows
// CHECK: graph.max_pool {{.*}} -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: graph.average_pool {{.*}} -> tensor<1x3x32x32xf32>
// CHECK: graph.lp_pool {{.*}} -> tensor<1x3x31x31x31xf32>
func.func @pools_windows(%x: tensor<1x1x4x4xf32>, %s: tensor<1x3x32x32xf32>, %c: tensor<1x3x32x32x32xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xi64>, tensor<?x?x?x?xf32>, tensor<?x?x?x?x?xf32>) {
  %m, %i = graph.max_pool %x {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xi64>)
  %a = graph.average_pool %s {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>) -> tensor<?x?x?x?xf32>
  %l = graph.lp_pool %c {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x3x32x32x32xf32>) -> tensor<?x?x?x?x?xf32>
  return %m, %i, %a, %l : tensor<?x?x?x?xf32>, tensor<?x?x?x?xi64>, tensor<?x?x?x?xf32>, tensor<?x?x?x?x?xf32>
}

// -----

// Global pools reduce every spatial dim to 1; over 1x1 they fold away.
// CHECK-LABEL: func @global_pools
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x5x7xf32>, %[[O:.+]]: tensor<2x3x1x1xf32>)
// CHECK: graph.global_average_pool %[[X]] {{.*}} -> tensor<2x3x1x1xf32>
// CHECK: graph.global_lp_pool %[[X]] {{.*}} -> tensor<2x3x1x1xf32>
// CHECK-NOT: graph.global_max_pool
// CHECK: return %{{.*}}, %{{.*}}, %[[O]]
func.func @global_pools(%x: tensor<2x3x5x7xf32>, %o: tensor<2x3x1x1xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<2x3x1x1xf32>) {
  %a = graph.global_average_pool %x : (tensor<2x3x5x7xf32>) -> tensor<?x?x?x?xf32>
  %l = graph.global_lp_pool %x : (tensor<2x3x5x7xf32>) -> tensor<?x?x?x?xf32>
  %m = graph.global_max_pool %o : (tensor<2x3x1x1xf32>) -> tensor<2x3x1x1xf32>
  return %a, %l, %m : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<2x3x1x1xf32>
}

// -----

// MaxUnpool: the default size, a constant output_shape, and a dynamic one of
// known length.
// CHECK-LABEL: func @max_unpool
// CHECK: graph.max_unpool {{.*}} -> tensor<1x1x4x4xf32>
// CHECK: graph.max_unpool {{.*}} -> tensor<1x1x5x5xf32>
// CHECK: graph.max_unpool {{.*}} -> tensor<?x?x?x?xf32>
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>, %s: tensor<4xi64>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %shape = graph.constant dense<[1, 1, 5, 5]> : tensor<4xi64>
  %a = graph.max_unpool %x, %i, %none {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<?x?x?x?xf32>
  %b = graph.max_unpool %x, %i, %shape {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %c = graph.max_unpool %x, %i, %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %a, %b, %c : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// MatMul: 1-D operands lose their added dim, batch dims broadcast.
// CHECK-LABEL: func @mat_mul
// CHECK: graph.mat_mul {{.*}} -> tensor<i64>
// CHECK: graph.mat_mul {{.*}} -> tensor<2x3xf32>
// CHECK: graph.mat_mul {{.*}} -> tensor<5xf32>
// CHECK: graph.mat_mul {{.*}} -> tensor<7x2x3x5xf32>
func.func @mat_mul(%v: tensor<4xi64>, %a: tensor<2x3x4xf32>, %b: tensor<4xf32>, %c: tensor<4x5xf32>, %d: tensor<7x1x4x5xf32>)
    -> (tensor<i64>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?x?x?xf32>) {
  %s = graph.mat_mul %v, %v : (tensor<4xi64>, tensor<4xi64>) -> tensor<i64>
  %m = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  %n = graph.mat_mul %b, %c : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<?xf32>
  %o = graph.mat_mul %a, %d : (tensor<2x3x4xf32>, tensor<7x1x4x5xf32>) -> tensor<?x?x?x?xf32>
  return %s, %m, %n, %o : tensor<i64>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Gemm: transposes, and a bias whose static dims tell the result's dynamic
// ones.
// CHECK-LABEL: func @gemm
// CHECK: graph.gemm {{.*}} -> tensor<3x5xf32>
// CHECK: graph.gemm {{.*}} -> tensor<6x4xf32>
func.func @gemm(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<1x5xf32>, %d: tensor<?x7xf32>, %e: tensor<7x4xf32>, %f: tensor<6x1xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %y = graph.gemm %a, %b, %c {alpha = 2.5e-01 : f32, beta = 3.5e-01 : f32, transA = 1, transB = 1} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<1x5xf32>) -> tensor<?x?xf32>
  %z = graph.gemm %d, %e, %f : (tensor<?x7xf32>, tensor<7x4xf32>, tensor<6x1xf32>) -> tensor<?x?xf32>
  return %y, %z : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Einsum: explicit and implicit outputs, ellipsis, diagonals, sums.
// CHECK-LABEL: func @einsum
// CHECK: graph.einsum {{.*}} -> tensor<3x5xf64>
// CHECK: graph.einsum {{.*}} -> tensor<f64>
// CHECK: graph.einsum {{.*}} -> tensor<4x3xf64>
// CHECK: graph.einsum {{.*}} -> tensor<3xf64>
// CHECK: graph.einsum {{.*}} -> tensor<2x5x4xf64>
// CHECK: graph.einsum {{.*}} -> tensor<3x4xf64>
func.func @einsum(%d: tensor<3x5x5xf64>, %v: tensor<5xf64>, %m: tensor<3x4xf64>, %e: tensor<2x1x3x4xf64>, %f: tensor<5x3xf64>)
    -> (tensor<?x?xf64>, tensor<f64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?x?x?xf64>, tensor<?x?xf64>) {
  %a = graph.einsum %d {equation = "...ii ->...i"} : (tensor<3x5x5xf64>) -> tensor<?x?xf64>
  %b = graph.einsum %v, %v {equation = "i,i"} : (tensor<5xf64>, tensor<5xf64>) -> tensor<f64>
  %c = graph.einsum %m {equation = "ij->ji"} : (tensor<3x4xf64>) -> tensor<?x?xf64>
  %s = graph.einsum %m {equation = "ij->i"} : (tensor<3x4xf64>) -> tensor<?xf64>
  // Implicit: the ellipsis dims (2x1 broadcast with 5) first, then the
  // labels seen once (j; k is summed).
  %g = graph.einsum %e, %f {equation = "...kj,...k"} : (tensor<2x1x3x4xf64>, tensor<5x3xf64>) -> tensor<?x?x?xf64>
  // Implicit: uppercase sorts before lowercase.
  %h = graph.einsum %m {equation = "Bj"} : (tensor<3x4xf64>) -> tensor<?x?xf64>
  return %a, %b, %c, %s, %g, %h : tensor<?x?xf64>, tensor<f64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?x?x?xf64>, tensor<?x?xf64>
}

// -----

// Det drops the two matrix dims.
// CHECK-LABEL: func @det
// CHECK: graph.det {{.*}} -> tensor<3xf32>
// CHECK: graph.det {{.*}} -> tensor<f32>
func.func @det(%x: tensor<3x2x2xf32>, %y: tensor<2x?xf32>) -> (tensor<?xf32>, tensor<f32>) {
  %a = graph.det %x : (tensor<3x2x2xf32>) -> tensor<?xf32>
  %b = graph.det %y : (tensor<2x?xf32>) -> tensor<f32>
  return %a, %b : tensor<?xf32>, tensor<f32>
}

// -----

// Dropout outside training folds to its input and an all-true mask.
// CHECK-LABEL: func @dropout_inference
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>
// CHECK-NOT: graph.dropout
// CHECK: %[[MASK:.+]] = graph.constant dense<true> : tensor<3x4xi1>
// CHECK: return %[[X]], %[[MASK]]
func.func @dropout_inference(%x: tensor<3x4xf32>) -> (tensor<?x?xf32>, tensor<?x?xi1>) {
  %r = graph.constant dense<0.2> : tensor<f32>
  %t = graph.constant dense<false> : tensor<i1>
  %y, %m = graph.dropout %x, %r, %t : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<?x?xf32>, tensor<?x?xi1>)
  return %y, %m : tensor<?x?xf32>, tensor<?x?xi1>
}

// -----

// Dropout in training mode stays.
// CHECK-LABEL: func @dropout_training
// CHECK: graph.dropout {{.*}} -> (tensor<3x4xf32>, tensor<3x4xi1>)
func.func @dropout_training(%x: tensor<3x4xf32>, %t: tensor<i1>) -> (tensor<?x?xf32>, tensor<?x?xi1>) {
  %none = graph.none
  %y, %m = graph.dropout %x, %none, %t : (tensor<3x4xf32>, none, tensor<i1>) -> (tensor<?x?xf32>, tensor<?x?xi1>)
  return %y, %m : tensor<?x?xf32>, tensor<?x?xi1>
}

// -----

// Losses: no reduction keeps the target's shape; sum and mean give scalars;
// log_prob has the scores' shape.
// CHECK-LABEL: func @losses
// CHECK: graph.negative_log_likelihood_loss {{.*}} -> tensor<3x6x6x5xf32>
// CHECK: graph.negative_log_likelihood_loss {{.*}} -> tensor<f32>
// CHECK: graph.softmax_cross_entropy_loss {{.*}} -> (tensor<3x2x7xf32>, tensor<3x5x2x7xf32>)
// CHECK: graph.softmax_cross_entropy_loss {{.*}} -> (tensor<f32>, tensor<3x5x2x7xf32>)
func.func @losses(%x: tensor<3x5x6x6x5xf32>, %t: tensor<3x6x6x5xi64>, %s: tensor<3x5x2x7xf32>, %l: tensor<3x2x7xi32>, %w: tensor<5xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<f32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<f32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %a = graph.negative_log_likelihood_loss %x, %t, %none {ignore_index = -5, reduction = "none"} : (tensor<3x5x6x6x5xf32>, tensor<3x6x6x5xi64>, none) -> tensor<?x?x?x?xf32>
  %b = graph.negative_log_likelihood_loss %x, %t, %w : (tensor<3x5x6x6x5xf32>, tensor<3x6x6x5xi64>, tensor<5xf32>) -> tensor<f32>
  %c, %cl = graph.softmax_cross_entropy_loss %s, %l, %w {reduction = "none"} : (tensor<3x5x2x7xf32>, tensor<3x2x7xi32>, tensor<5xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>)
  %d, %dl = graph.softmax_cross_entropy_loss %s, %l, %none {reduction = "sum"} : (tensor<3x5x2x7xf32>, tensor<3x2x7xi32>, none) -> (tensor<f32>, tensor<?x?x?x?xf32>)
  return %a, %b, %c, %cl, %d, %dl : tensor<?x?x?x?xf32>, tensor<f32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<f32>, tensor<?x?x?x?xf32>
}

// -----

// NonMaxSuppression selects a data-dependent number of boxes; without a
// limit it selects none.
// CHECK-LABEL: func @nms
// CHECK: graph.non_max_suppression {{.*}} -> tensor<?x3xi64>
// CHECK: graph.non_max_suppression {{.*}} -> tensor<0x3xi64>
func.func @nms(%b: tensor<2x6x4xf32>, %s: tensor<2x3x6xf32>, %max: tensor<1xi64>) -> (tensor<?x?xi64>, tensor<?x?xi64>) {
  %none = graph.none
  %x = graph.non_max_suppression %b, %s, %max, %none, %none {center_point_box = 1} : (tensor<2x6x4xf32>, tensor<2x3x6xf32>, tensor<1xi64>, none, none) -> tensor<?x?xi64>
  %y = graph.non_max_suppression %b, %s, %none, %none, %none : (tensor<2x6x4xf32>, tensor<2x3x6xf32>, none, none, none) -> tensor<?x?xi64>
  return %x, %y : tensor<?x?xi64>, tensor<?x?xi64>
}

// -----

// RoiAlign and GridSample take their spatial output sizes from attributes
// and from the grid.
// CHECK-LABEL: func @sampling
// CHECK: graph.roi_align {{.*}} -> tensor<3x8x5x4xf32>
// CHECK: graph.grid_sample {{.*}} -> tensor<2x8x6x7xf32>
func.func @sampling(%x: tensor<2x8x10x10xf32>, %rois: tensor<?x4xf32>, %idx: tensor<3xi64>, %grid: tensor<?x6x7x2xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %r = graph.roi_align %x, %rois, %idx {coordinate_transformation_mode = "output_half_pixel", mode = "max", output_height = 5, output_width = 4} : (tensor<2x8x10x10xf32>, tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x?x?x?xf32>
  %g = graph.grid_sample %x, %grid {align_corners = 1, mode = "bicubic", padding_mode = "reflection"} : (tensor<2x8x10x10xf32>, tensor<?x6x7x2xf32>) -> tensor<?x?x?x?xf32>
  return %r, %g : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Recurrent layers: hidden_size comes from R when absent; layout 1 puts the
// batch first; bidirectional layers have two directions.
// CHECK-LABEL: func @recurrent
// CHECK: graph.rnn {{.*}} -> (tensor<2x1x3x5xf32>, tensor<1x3x5xf32>)
// CHECK: graph.gru {{.*}} -> (tensor<3x1x1x6xf32>, tensor<3x1x6xf32>)
// CHECK: graph.lstm {{.*}} -> (tensor<2x2x4x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>)
func.func @recurrent(%x: tensor<2x3x3xf32>, %w: tensor<1x5x3xf32>, %r: tensor<1x5x5xf32>, %b: tensor<1x10xf32>,
                     %gx: tensor<3x1x2xf32>, %gw: tensor<1x18x2xf32>, %gr: tensor<1x18x6xf32>,
                     %lx: tensor<2x?x4xf32>, %lw: tensor<2x12x4xf32>, %lr: tensor<2x12x3xf32>, %h: tensor<2x4x3xf32>, %p: tensor<2x9xf32>, %lens: tensor<4xi32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %none = graph.none
  %ry, %ryh = graph.rnn %x, %w, %r, %b, %none, %none : (tensor<2x3x3xf32>, tensor<1x5x3xf32>, tensor<1x5x5xf32>, tensor<1x10xf32>, none, none) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>)
  %gy, %gyh = graph.gru %gx, %gw, %gr, %none, %none, %none {hidden_size = 6, layout = 1, linear_before_reset = 1} : (tensor<3x1x2xf32>, tensor<1x18x2xf32>, tensor<1x18x6xf32>, none, none, none) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>)
  %ly, %lyh, %lyc = graph.lstm %lx, %lw, %lr, %none, %lens, %h, %h, %p {direction = "bidirectional", activations = ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Relu", "Tanh"]} : (tensor<2x?x4xf32>, tensor<2x12x4xf32>, tensor<2x12x3xf32>, none, tensor<4xi32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<2x9xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return %ry, %ryh, %gy, %gyh, %ly, %lyh, %lyc : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}
