// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of every NN op: each prints in a form that parses back to
// itself, with its attributes and result types intact.

// CHECK-LABEL: func @convolutions
func.func @convolutions(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>,
                        %xt: tensor<1x1x3x3xf32>, %wt: tensor<1x2x3x3xf32>)
    -> (tensor<1x4x8x8xf32>, tensor<1x2x7x7xf32>, tensor<1x2x10x8xf32>) {
  %none = graph.none
  // CHECK: graph.conv %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %y = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: graph.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x7x7xf32>
  %t = graph.conv_transpose %xt, %wt, %none {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x7x7xf32>
  // CHECK: graph.conv_transpose {{.*}} {auto_pad = "SAME_UPPER", dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 1, 1>, output_shape = array<i64: 10, 8>, strides = array<i64: 3, 2>}
  %s = graph.conv_transpose %xt, %wt, %none {auto_pad = "SAME_UPPER", dilations = array<i64: 1, 1>, group = 1, kernel_shape = array<i64: 3, 3>, output_padding = array<i64: 1, 1>, output_shape = array<i64: 10, 8>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x10x8xf32>
  return %y, %t, %s : tensor<1x4x8x8xf32>, tensor<1x2x7x7xf32>, tensor<1x2x10x8xf32>
}

// CHECK-LABEL: func @pools
func.func @pools(%a: tensor<1x1x4x4xf32>, %m: tensor<1x1x5x5xf32>, %l: tensor<1x3x32xf32>, %g: tensor<1x3x5x5xf32>,
                 %ut: tensor<1x1x2x2xf32>, %ui: tensor<1x1x2x2xi64>)
    -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<1x3x31xf32>,
        tensor<1x3x1x1xf32>, tensor<1x3x1x1xf32>, tensor<1x3x1x1xf32>, tensor<1x1x4x4xf32>) {
  %none = graph.none
  // CHECK: graph.average_pool %{{.*}} {ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %ap = graph.average_pool %a {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = 1} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  // CHECK: %{{.*}}, %{{.*}} = graph.max_pool %{{.*}} {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  %mp, %mi = graph.max_pool %m {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  // CHECK: graph.lp_pool %{{.*}} {kernel_shape = array<i64: 2>, p = 3 : i64} : (tensor<1x3x32xf32>) -> tensor<1x3x31xf32>
  %lp = graph.lp_pool %l {kernel_shape = array<i64: 2>, p = 3} : (tensor<1x3x32xf32>) -> tensor<1x3x31xf32>
  // CHECK: graph.global_average_pool %{{.*}} : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  %ga = graph.global_average_pool %g : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  // CHECK: graph.global_max_pool %{{.*}} : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  %gm = graph.global_max_pool %g : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  // CHECK: graph.global_lp_pool %{{.*}} {p = 1 : i64} : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  %gl = graph.global_lp_pool %g {p = 1} : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
  // CHECK: graph.max_unpool %{{.*}}, %{{.*}}, %{{.*}} {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x4x4xf32>
  %up = graph.max_unpool %ut, %ui, %none {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x4x4xf32>
  return %ap, %mp, %mi, %lp, %ga, %gm, %gl, %up : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<1x3x31xf32>, tensor<1x3x1x1xf32>, tensor<1x3x1x1xf32>, tensor<1x3x1x1xf32>, tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func @products
func.func @products(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %ga: tensor<3x6xf32>, %gb: tensor<4x6xf32>, %gc: tensor<4xf32>,
                    %ex: tensor<5x2x3xf32>, %ey: tensor<5x3x4xf32>, %d: tensor<3x2x2xf32>)
    -> (tensor<2x3x5xf32>, tensor<3x4xf32>, tensor<5x2x4xf32>, tensor<3xf32>) {
  // CHECK: graph.mat_mul %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %m = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: graph.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, transB = 1 : i64} : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %g = graph.gemm %ga, %gb, %gc {transB = 1, alpha = 0.5 : f32} : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  // CHECK: graph.einsum %{{.*}}, %{{.*}} {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  %e = graph.einsum %ex, %ey {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  // CHECK: graph.det %{{.*}} : (tensor<3x2x2xf32>) -> tensor<3xf32>
  %det = graph.det %d : (tensor<3x2x2xf32>) -> tensor<3xf32>
  return %m, %g, %e, %det : tensor<2x3x5xf32>, tensor<3x4xf32>, tensor<5x2x4xf32>, tensor<3xf32>
}

// CHECK-LABEL: func @training_layers
func.func @training_layers(%x: tensor<3x4xf32>, %r: tensor<f32>, %t: tensor<i1>, %in: tensor<3x5xf32>, %tg: tensor<3xi64>,
                           %s: tensor<3x5x2xf32>, %l: tensor<3x2xi64>, %w: tensor<5xf32>)
    -> (tensor<3x4xf32>, tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xi1>, tensor<3xf32>, tensor<f32>, tensor<f32>, tensor<3x5x2xf32>) {
  %none = graph.none
  // CHECK: %{{.*}}, %{{.*}} = graph.dropout %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x4xf32>, none, none) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  %y, %mask = graph.dropout %x, %none, %none : (tensor<3x4xf32>, none, none) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  // CHECK: graph.dropout %{{.*}}, %{{.*}}, %{{.*}} {seed = 0 : i64} : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  %ty, %tmask = graph.dropout %x, %r, %t {seed = 0} : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  // CHECK: graph.negative_log_likelihood_loss %{{.*}}, %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<3xf32>
  %nll = graph.negative_log_likelihood_loss %in, %tg, %none {reduction = "none"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<3xf32>
  // CHECK: graph.negative_log_likelihood_loss {{.*}} {ignore_index = 10 : i64, reduction = "sum"} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
  %nlls = graph.negative_log_likelihood_loss %in, %tg, %w {ignore_index = 10, reduction = "sum"} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
  // CHECK: graph.softmax_cross_entropy_loss %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x5x2xf32>, tensor<3x2xi64>, none) -> (tensor<f32>, tensor<3x5x2xf32>)
  %sce, %lp = graph.softmax_cross_entropy_loss %s, %l, %none : (tensor<3x5x2xf32>, tensor<3x2xi64>, none) -> (tensor<f32>, tensor<3x5x2xf32>)
  return %y, %mask, %ty, %tmask, %nll, %nlls, %sce, %lp : tensor<3x4xf32>, tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xi1>, tensor<3xf32>, tensor<f32>, tensor<f32>, tensor<3x5x2xf32>
}

// CHECK-LABEL: func @detection
func.func @detection(%boxes: tensor<1x6x4xf32>, %scores: tensor<1x1x6xf32>, %max: tensor<1xi64>, %iou: tensor<1xf32>,
                     %x: tensor<1x1x10x10xf32>, %rois: tensor<3x4xf32>, %idx: tensor<3xi64>,
                     %img: tensor<1x1x3x2xf32>, %grid: tensor<1x2x4x2xf32>)
    -> (tensor<?x3xi64>, tensor<3x1x5x5xf32>, tensor<1x1x2x4xf32>) {
  %none = graph.none
  // CHECK: graph.non_max_suppression %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<?x3xi64>
  %s = graph.non_max_suppression %boxes, %scores, %max, %iou, %none : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<?x3xi64>
  // CHECK: graph.roi_align %{{.*}}, %{{.*}}, %{{.*}} {output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  %r = graph.roi_align %x, %rois, %idx {output_height = 5, output_width = 5, sampling_ratio = 2} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  // CHECK: graph.grid_sample %{{.*}}, %{{.*}} {mode = "nearest"} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  %g = graph.grid_sample %img, %grid {mode = "nearest"} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %s, %r, %g : tensor<?x3xi64>, tensor<3x1x5x5xf32>, tensor<1x1x2x4xf32>
}

// CHECK-LABEL: func @recurrent
func.func @recurrent(%x: tensor<1x3x2xf32>, %rw: tensor<1x4x2xf32>, %rr: tensor<1x4x4xf32>,
                     %gw: tensor<1x15x2xf32>, %gr: tensor<1x15x5xf32>,
                     %lw: tensor<1x12x2xf32>, %lr: tensor<1x12x3xf32>)
    -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x1x3x5xf32>, tensor<1x3x5xf32>,
        tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>) {
  %none = graph.none
  // CHECK: graph.rnn %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {hidden_size = 4 : i64} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  %ry, %ryh = graph.rnn %x, %rw, %rr, %none, %none, %none {hidden_size = 4} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
  // CHECK: graph.gru {{.*}} {hidden_size = 5 : i64} : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, none, none, none) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
  %gy, %gyh = graph.gru %x, %gw, %gr, %none, %none, %none {hidden_size = 5} : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, none, none, none) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
  // CHECK: graph.lstm {{.*}} {activations = ["Sigmoid", "Tanh", "Tanh"], hidden_size = 3 : i64} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  %ly, %lyh, %lyc = graph.lstm %x, %lw, %lr, %none, %none, %none, %none, %none {activations = ["Sigmoid", "Tanh", "Tanh"], direction = "forward", hidden_size = 3} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  return %ry, %ryh, %gy, %gyh, %ly, %lyh, %lyc : tensor<1x1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x1x3x5xf32>, tensor<1x3x5xf32>, tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>
}

// The LSTM of the op description, with every attribute at its default.
// CHECK-LABEL: func @lstm_defaults
func.func @lstm_defaults(%x: tensor<1x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>)
    -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>) {
  %none = graph.none
  // CHECK: graph.lstm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {hidden_size = 3 : i64} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  %y, %yh, %yc = graph.lstm %x, %w, %r, %none, %none, %none, %none, %none {hidden_size = 3} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  return %y, %yh, %yc : tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>
}
