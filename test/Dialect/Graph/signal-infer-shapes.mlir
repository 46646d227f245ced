// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// DFT: real or complex input, complex output; dft_length and onesided
// change the transformed axis.
// CHECK-LABEL: func @dft
// CHECK: graph.dft {{.*}} -> tensor<1x10x10x2xf32>
// CHECK: graph.dft {{.*}} -> tensor<1x10x9x2xf32>
// CHECK: graph.dft {{.*}} -> tensor<1x16x10x2xf32>
// CHECK: graph.dft {{.*}} -> tensor<1x?x10x2xf32>
func.func @dft(%x: tensor<1x10x10x1xf32>, %c: tensor<1x10x10x2xf32>, %n: tensor<i64>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %len = graph.constant dense<16> : tensor<1xi32>
  %a = graph.dft %x, %none : (tensor<1x10x10x1xf32>, none) -> tensor<?x?x?x?xf32>
  %b = graph.dft %x, %len {axis = -2, onesided = 1} : (tensor<1x10x10x1xf32>, tensor<1xi32>) -> tensor<?x?x?x?xf32>
  %d = graph.dft %c, %len {inverse = 1} : (tensor<1x10x10x2xf32>, tensor<1xi32>) -> tensor<?x?x?x?xf32>
  %e = graph.dft %c, %n : (tensor<1x10x10x2xf32>, tensor<i64>) -> tensor<?x?x?x?xf32>
  return %a, %b, %d, %e : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// STFT: frames and bins from constant frame_step and frame_length, or the
// window's length.
// CHECK-LABEL: func @stft
// CHECK: graph.stft {{.*}} -> tensor<1x15x9x2xf32>
// CHECK: graph.stft {{.*}} -> tensor<1x15x16x2xf32>
// CHECK: graph.stft {{.*}} -> tensor<1x?x9x2xf32>
func.func @stft(%s: tensor<1x128x1xf32>, %w: tensor<16xf32>, %step: tensor<i64>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %eight = graph.constant dense<8> : tensor<i64>
  %sixteen = graph.constant dense<16> : tensor<i64>
  %a = graph.stft %s, %eight, %none, %sixteen : (tensor<1x128x1xf32>, tensor<i64>, none, tensor<i64>) -> tensor<?x?x?x?xf32>
  %b = graph.stft %s, %eight, %w, %none {onesided = 0} : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<?x?x?x?xf32>
  %c = graph.stft %s, %step, %w, %sixteen : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, tensor<i64>) -> tensor<?x?x?x?xf32>
  return %a, %b, %c : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Windows of a constant size fold: a periodic Hann window of 4 points is
// [0, 0.5, 1, 0.5]; a symmetric one of 3 points is [0, 1, 0].
// CHECK-LABEL: func @windows_fold
// CHECK-DAG: graph.constant dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 5.000000e-01]> : tensor<4xf32>
// CHECK-DAG: graph.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf64>
// CHECK-DAG: graph.constant dense<[0, 1, 0]> : tensor<3xi32>
// CHECK-NOT: _window
func.func @windows_fold() -> (tensor<?xf32>, tensor<?xf64>, tensor<?xi32>) {
  %four = graph.constant dense<4> : tensor<i64>
  %three = graph.constant dense<3> : tensor<i32>
  %h = graph.hann_window %four : (tensor<i64>) -> tensor<?xf32>
  %s = graph.hann_window %three {output_datatype = f64, periodic = 0} : (tensor<i32>) -> tensor<?xf64>
  %i = graph.hann_window %three {output_datatype = i32, periodic = 0} : (tensor<i32>) -> tensor<?xi32>
  return %h, %s, %i : tensor<?xf32>, tensor<?xf64>, tensor<?xi32>
}

// -----

// Hamming and Blackman windows: 25/46 - 21/46 cos and the three-term sum,
// computed in f32 as the ONNX function bodies do (so the Blackman peak is
// 0.99999994, not 1).
// CHECK-LABEL: func @windows_coefficients
// CHECK-DAG: graph.constant dense<[0.0869565{{[0-9]*}}, 1.000000e+00]> : tensor<2xf64>
// CHECK-DAG: graph.constant dense<[{{-?[0-9.]+E-8}}, 0.99999994{{[0-9]*}}]> : tensor<2xf64>
func.func @windows_coefficients() -> (tensor<?xf64>, tensor<?xf64>) {
  %two = graph.constant dense<2> : tensor<i64>
  %h = graph.hamming_window %two {output_datatype = f64} : (tensor<i64>) -> tensor<?xf64>
  %b = graph.blackman_window %two {output_datatype = f64} : (tensor<i64>) -> tensor<?xf64>
  return %h, %b : tensor<?xf64>, tensor<?xf64>
}

// -----

// A window of unknown size stays, with a dynamic length.
// CHECK-LABEL: func @windows_dynamic
// CHECK: graph.blackman_window {{.*}} -> tensor<?xf16>
func.func @windows_dynamic(%n: tensor<i64>) -> tensor<?xf16> {
  %w = graph.blackman_window %n {output_datatype = f16} : (tensor<i64>) -> tensor<?xf16>
  return %w : tensor<?xf16>
}

// -----

// MelWeightMatrix of constants folds (the ONNX test case: 8 mel bins over a
// 16-point DFT at 8192 Hz, 0 to 4096 Hz).
// CHECK-LABEL: func @mel_fold
// CHECK: graph.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, {{.*}} : tensor<9x8xf32>
// CHECK-NOT: graph.mel_weight_matrix
func.func @mel_fold() -> tensor<?x?xf32> {
  %bins = graph.constant dense<8> : tensor<i64>
  %n = graph.constant dense<16> : tensor<i64>
  %rate = graph.constant dense<8192> : tensor<i64>
  %lo = graph.constant dense<0.0> : tensor<f32>
  %hi = graph.constant dense<4096.0> : tensor<f32>
  %m = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

// -----

// MelWeightMatrix with a dynamic sample rate keeps its static shape.
// CHECK-LABEL: func @mel_shape
// CHECK: graph.mel_weight_matrix {{.*}} -> tensor<257x40xf32>
func.func @mel_shape(%rate: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<?x?xf32> {
  %bins = graph.constant dense<40> : tensor<i32>
  %n = graph.constant dense<512> : tensor<i32>
  %m = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi : (tensor<i32>, tensor<i32>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}
