// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// SAME_UPPER puts the odd pad at the end, SAME_LOWER at the beginning; VALID
// is no padding. auto_pad is gone afterwards.
// CHECK-LABEL: func @conv_auto_pad
// CHECK: graph.conv %{{.*}} {pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x4x4x4xf32>
// CHECK: graph.conv %{{.*}} {pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x4x4x4xf32>
// CHECK: graph.conv %{{.*}} {pads = array<i64: 0, 0, 0, 0>} : {{.*}} -> tensor<1x4x6x6xf32>
// CHECK-NOT: auto_pad
func.func @conv_auto_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x6x6xf32>) {
  %none = graph.none
  %u = graph.conv %x, %w, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  %l = graph.conv %x, %w, %none {auto_pad = "SAME_LOWER", strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  %v = graph.conv %x, %w, %none {auto_pad = "VALID"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %u, %l, %v : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1x4x6x6xf32>
}

// -----

// A dynamic spatial size leaves auto_pad in place.
// CHECK-LABEL: func @conv_dynamic
// CHECK: graph.conv {{.*}}auto_pad = "SAME_UPPER"
func.func @conv_dynamic(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x8xf32> {
  %none = graph.none
  %y = graph.conv %x, %w, %none {auto_pad = "SAME_UPPER"} : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x?x8xf32>
  return %y : tensor<1x4x?x8xf32>
}

// -----

// Pools: SAME resets ceil_mode (the explicit pads give the same size with
// floor rounding); VALID keeps it.
// CHECK-LABEL: func @pool_auto_pad
// CHECK: graph.max_pool %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK: graph.average_pool %{{.*}} {ceil_mode = 1 : i64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK: graph.lp_pool %{{.*}} {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>}
func.func @pool_auto_pad(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>, tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>) {
  %y, %i = graph.max_pool %x {auto_pad = "SAME_UPPER", ceil_mode = 1, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>)
  %a = graph.average_pool %x {auto_pad = "VALID", ceil_mode = 1, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  %l = graph.lp_pool %x {auto_pad = "SAME_LOWER", kernel_shape = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x5x5xf32>
  return %y, %i, %a, %l : tensor<1x1x3x3xf32>, tensor<1x1x3x3xi64>, tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>
}

// -----

// ConvTranspose: SAME_UPPER puts the odd pad at the end; an output_shape
// larger than the natural size becomes output_padding.
// CHECK-LABEL: func @conv_transpose_auto_pad
// CHECK: graph.conv_transpose %{{.*}} {pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x2x6x6xf32>
// CHECK: graph.conv_transpose %{{.*}} {pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x2x6x6xf32>
// CHECK: graph.conv_transpose %{{.*}} {output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 2>} : {{.*}} -> tensor<1x2x10x8xf32>
// CHECK: graph.conv_transpose %{{.*}} {pads = array<i64: 1, 0, 0, 0>, strides = array<i64: 3, 2>} : {{.*}} -> tensor<1x2x8x7xf32>
// CHECK-NOT: output_shape
func.func @conv_transpose_auto_pad(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>)
    -> (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x10x8xf32>, tensor<1x2x8x7xf32>) {
  %none = graph.none
  %u = graph.conv_transpose %x, %w, %none {auto_pad = "SAME_UPPER", strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x6x6xf32>
  %l = graph.conv_transpose %x, %w, %none {auto_pad = "SAME_LOWER", strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x6x6xf32>
  %big = graph.conv_transpose %x, %w, %none {output_shape = array<i64: 10, 8>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x10x8xf32>
  %small = graph.conv_transpose %x, %w, %none {output_shape = array<i64: 8, 7>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x8x7xf32>
  return %u, %l, %big, %small : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x10x8xf32>, tensor<1x2x8x7xf32>
}

// -----

// nn.Linear's Gemm (transB = 1) on a constant weight: the weight is
// transposed once at compile time, and the Gemm no longer transposes.
// CHECK-LABEL: func.func @gemm_constant_trans_b
// CHECK:         %[[W:.+]] = graph.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK:         graph.gemm %{{.+}}, %[[W]], %{{.+}} : (tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK-NOT:     transB
func.func @gemm_constant_trans_b(%a: tensor<4x2xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = graph.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y = graph.gemm %a, %w, %c {transB = 1 : i64} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// A weight computed at run time keeps the transposing Gemm.
// CHECK-LABEL: func.func @gemm_variable_trans_b
// CHECK:         graph.gemm %{{.+}}, %{{.+}}, %{{.+}} {transB = 1 : i64}
func.func @gemm_variable_trans_b(%a: tensor<4x2xf32>, %w: tensor<3x2xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %y = graph.gemm %a, %w, %c {transB = 1 : i64} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// One row (a classifier at batch 1): a matrix-vector product reads B^T's
// rows in order already, so the weight stays as it is.
// CHECK-LABEL: func.func @gemv_constant_trans_b
// CHECK:         graph.gemm %{{.+}}, %{{.+}}, %{{.+}} {transB = 1 : i64} : (tensor<1x2xf32>, tensor<3x2xf32>, tensor<3xf32>)
func.func @gemv_constant_trans_b(%a: tensor<1x2xf32>, %c: tensor<3xf32>) -> tensor<1x3xf32> {
  %w = graph.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y = graph.gemm %a, %w, %c {transB = 1 : i64} : (tensor<1x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
