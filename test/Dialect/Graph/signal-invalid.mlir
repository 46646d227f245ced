// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// DFT: the last dim holds 1 (real) or 2 (complex) components.
func.func @dft_components(%x: tensor<1x10x3xf32>) -> tensor<1x10x2xf32> {
  %none = graph.none
  // expected-error@+1 {{the last input dimension must be 1 (real) or 2 (complex), got 3}}
  %y = graph.dft %x, %none : (tensor<1x10x3xf32>, none) -> tensor<1x10x2xf32>
  return %y : tensor<1x10x2xf32>
}

// -----

// DFT: axis cannot be the component dim.
func.func @dft_axis(%x: tensor<1x10x1xf32>) -> tensor<1x10x2xf32> {
  %none = graph.none
  // expected-error@+1 {{axis 2 is out of range for rank 3 (the last dimension holds the components)}}
  %y = graph.dft %x, %none {axis = 2} : (tensor<1x10x1xf32>, none) -> tensor<1x10x2xf32>
  return %y : tensor<1x10x2xf32>
}

// -----

// DFT: a constant dft_length must be positive.
func.func @dft_length(%x: tensor<1x10x1xf32>) -> tensor<1x?x2xf32> {
  %n = graph.constant dense<0> : tensor<i64>
  // expected-error@+1 {{dft_length must be positive, got 0}}
  %y = graph.dft %x, %n : (tensor<1x10x1xf32>, tensor<i64>) -> tensor<1x?x2xf32>
  return %y : tensor<1x?x2xf32>
}

// -----

// DFT: inverse is a flag.
func.func @dft_inverse(%x: tensor<1x10x1xf32>) -> tensor<1x10x2xf32> {
  %none = graph.none
  // expected-error@+1 {{inverse must be 0 or 1, got 2}}
  %y = graph.dft %x, %none {inverse = 2} : (tensor<1x10x1xf32>, none) -> tensor<1x10x2xf32>
  return %y : tensor<1x10x2xf32>
}

// -----

// STFT: the frame length comes from a window or frame_length.
func.func @stft_no_length(%s: tensor<1x128x1xf32>, %step: tensor<i64>) -> tensor<1x?x?x2xf32> {
  %none = graph.none
  // expected-error@+1 {{needs a window or a frame_length}}
  %y = graph.stft %s, %step, %none, %none : (tensor<1x128x1xf32>, tensor<i64>, none, none) -> tensor<1x?x?x2xf32>
  return %y : tensor<1x?x?x2xf32>
}

// -----

// STFT: window and frame_length must agree.
func.func @stft_window_length(%s: tensor<1x128x1xf32>, %step: tensor<i64>, %w: tensor<16xf32>) -> tensor<1x?x?x2xf32> {
  %n = graph.constant dense<32> : tensor<i64>
  // expected-error@+1 {{frame_length 32 differs from the window length 16}}
  %y = graph.stft %s, %step, %w, %n : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, tensor<i64>) -> tensor<1x?x?x2xf32>
  return %y : tensor<1x?x?x2xf32>
}

// -----

// STFT: the signal holds at least one frame.
func.func @stft_short(%s: tensor<1x8x1xf32>, %w: tensor<16xf32>) -> tensor<1x?x9x2xf32> {
  %step = graph.constant dense<4> : tensor<i64>
  %none = graph.none
  // expected-error@+1 {{signal length 8 is shorter than the frame length 16}}
  %y = graph.stft %s, %step, %w, %none : (tensor<1x8x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x?x9x2xf32>
  return %y : tensor<1x?x9x2xf32>
}

// -----

// STFT: signal is [batch, length, components].
func.func @stft_rank(%s: tensor<128xf32>, %step: tensor<i64>, %w: tensor<16xf32>) -> tensor<1x?x9x2xf32> {
  %none = graph.none
  // expected-error@+1 {{signal must be [batch, length, 1 or 2], got 'tensor<128xf32>'}}
  %y = graph.stft %s, %step, %w, %none : (tensor<128xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x?x9x2xf32>
  return %y : tensor<1x?x9x2xf32>
}

// -----

// Windows: size is a scalar.
func.func @window_size_rank(%n: tensor<2xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{size must be a scalar, got 'tensor<2xi64>'}}
  %w = graph.hann_window %n : (tensor<2xi64>) -> tensor<?xf32>
  return %w : tensor<?xf32>
}

// -----

// Windows: a constant size may not be negative.
func.func @window_negative() -> tensor<?xf32> {
  %n = graph.constant dense<-1> : tensor<i64>
  // expected-error@+1 {{size must be non-negative, got -1}}
  %w = graph.hamming_window %n : (tensor<i64>) -> tensor<?xf32>
  return %w : tensor<?xf32>
}

// -----

// Windows: output_datatype is a numeric ONNX type.
func.func @window_datatype(%n: tensor<i64>) -> tensor<?xf32> {
  // expected-error@+1 {{output_datatype must be a numeric ONNX type, got 'i4'}}
  %w = graph.blackman_window %n {output_datatype = i4} : (tensor<i64>) -> tensor<?xf32>
  return %w : tensor<?xf32>
}

// -----

// MelWeightMatrix: dft_length must be positive.
func.func @mel_dft_length(%r: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<?x?xf32> {
  %bins = graph.constant dense<8> : tensor<i64>
  %n = graph.constant dense<0> : tensor<i64>
  // expected-error@+1 {{dft_length must be positive, got 0}}
  %m = graph.mel_weight_matrix %bins, %n, %r, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

// -----

// MelWeightMatrix: the edge frequencies share one type.
func.func @mel_edge_types(%b: tensor<i64>, %r: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f64>) -> tensor<?x?xf32> {
  // expected-error@+1 {{lower_edge_hertz and upper_edge_hertz must have one element type}}
  %m = graph.mel_weight_matrix %b, %b, %r, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f64>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}
