// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of every signal op.

// CHECK-LABEL: func @transforms
func.func @transforms(%x: tensor<1x10x10x1xf32>, %c: tensor<1x10x10x2xf32>, %len: tensor<i64>,
                      %signal: tensor<1x128x1xf32>, %step: tensor<i64>, %window: tensor<16xf32>)
    -> (tensor<1x10x10x2xf32>, tensor<1x10x?x2xf32>, tensor<1x?x?x2xf32>, tensor<1x?x9x2xf32>) {
  %none = graph.none
  // CHECK: graph.dft %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<1x10x10x1xf32>, none) -> tensor<1x10x10x2xf32>
  %y = graph.dft %x, %none {axis = 2} : (tensor<1x10x10x1xf32>, none) -> tensor<1x10x10x2xf32>
  // CHECK: graph.dft %{{.*}}, %{{.*}} {axis = -2 : i64, inverse = 1 : i64, onesided = 1 : i64} : (tensor<1x10x10x2xf32>, tensor<i64>) -> tensor<1x10x?x2xf32>
  %i = graph.dft %c, %len {axis = -2, inverse = 1, onesided = 1} : (tensor<1x10x10x2xf32>, tensor<i64>) -> tensor<1x10x?x2xf32>
  // CHECK: graph.stft %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x128x1xf32>, tensor<i64>, none, tensor<i64>) -> tensor<1x?x?x2xf32>
  %s = graph.stft %signal, %step, %none, %len : (tensor<1x128x1xf32>, tensor<i64>, none, tensor<i64>) -> tensor<1x?x?x2xf32>
  // CHECK: graph.stft %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x?x9x2xf32>
  %sw = graph.stft %signal, %step, %window, %none : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x?x9x2xf32>
  return %y, %i, %s, %sw : tensor<1x10x10x2xf32>, tensor<1x10x?x2xf32>, tensor<1x?x?x2xf32>, tensor<1x?x9x2xf32>
}

// CHECK-LABEL: func @windows
func.func @windows(%n: tensor<i64>, %m: tensor<i32>, %bins: tensor<i64>, %rate: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>)
    -> (tensor<?xf32>, tensor<?xf64>, tensor<?xbf16>, tensor<?x?xf32>, tensor<?x?xf16>) {
  // CHECK: graph.blackman_window %{{.*}} {periodic = 0 : i64} : (tensor<i64>) -> tensor<?xf32>
  %b = graph.blackman_window %n {periodic = 0} : (tensor<i64>) -> tensor<?xf32>
  // CHECK: graph.hamming_window %{{.*}} {output_datatype = f64} : (tensor<i32>) -> tensor<?xf64>
  %h = graph.hamming_window %m {output_datatype = f64} : (tensor<i32>) -> tensor<?xf64>
  // CHECK: graph.hann_window %{{.*}} {output_datatype = bf16} : (tensor<i64>) -> tensor<?xbf16>
  %w = graph.hann_window %n {output_datatype = bf16, periodic = 1} : (tensor<i64>) -> tensor<?xbf16>
  // CHECK: graph.mel_weight_matrix %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  %mel = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  // CHECK: graph.mel_weight_matrix {{.*}} {output_datatype = f16} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf16>
  %melh = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi {output_datatype = f16} : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf16>
  return %b, %h, %w, %mel, %melh : tensor<?xf32>, tensor<?xf64>, tensor<?xbf16>, tensor<?x?xf32>, tensor<?x?xf16>
}

// The window examples of the op descriptions: symmetric windows.
// CHECK-LABEL: func @symmetric_windows
func.func @symmetric_windows(%n: tensor<i64>) -> (tensor<?xf32>, tensor<?xf32>) {
  // CHECK: graph.hamming_window %{{.*}} {periodic = 0 : i64} : (tensor<i64>) -> tensor<?xf32>
  %h = graph.hamming_window %n {periodic = 0} : (tensor<i64>) -> tensor<?xf32>
  // CHECK: graph.hann_window %{{.*}} {periodic = 0 : i64} : (tensor<i64>) -> tensor<?xf32>
  %w = graph.hann_window %n {periodic = 0} : (tensor<i64>) -> tensor<?xf32>
  return %h, %w : tensor<?xf32>, tensor<?xf32>
}
