//===- GraphSignalOps.td - Signal processing ---------------*- tablegen -*-===//
//
// The opset 17 signal ops: Fourier transforms, window functions and the mel
// filter bank. Complex values are a trailing dimension of size 2 (real,
// imaginary); real signals have a trailing dimension of size 1.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD

include "dialects/Graph/IR/GraphBase.td"

//===----------------------------------------------------------------------===//
// Fourier transforms
//===----------------------------------------------------------------------===//

def Graph_DFTOp : Graph_PureOp<"dft"> {
  let summary = "Discrete Fourier transform along one axis";
  let description = [{
    `input` is `[batch, s1, ..., sn, 1]` (real) or `[..., 2]` (complex);
    the result has the same dims with a trailing 2. `axis` indexes the
    input tensor's dims (1, the first signal dim, by default; negative
    counts from the back) and may not be the trailing component dim. Along
    `axis` the signal is cut or zero-padded to `dft_length` when given; with
    `onesided` only the `floor(n / 2) + 1` non-redundant bins are returned.
    `inverse` computes the inverse transform (scaled by `1 / n`).

    ```mlir
    %y = graph.dft %x, %none {axis = 2} : (tensor<1x10x10x1xf32>, none) -> tensor<1x10x10x2xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                       Graph_Optional<Graph_IndexTensor>:$dft_length,
                       Graph_IntAttr<"1">:$axis,
                       Graph_IntAttr<"0">:$inverse,
                       Graph_IntAttr<"0">:$onesided);
  let results = (outs Graph_FloatTensor:$output);
}

def Graph_STFTOp : Graph_PureOp<"stft"> {
  let summary = "Short-time Fourier transform of framed signals";
  let description = [{
    `signal` is `[batch, length, 1]` (real) or `[batch, length, 2]`
    (complex). Frames of `frame_length` samples (or the `window`'s length)
    start every `frame_step` samples; each is multiplied by the optional
    `window` and transformed. The result is `[batch, frames, bins, 2]` with
    `frames = (length - frame_length) / frame_step + 1` and `bins =
    frame_length / 2 + 1` when `onesided` (the default), else
    `frame_length`.

    ```mlir
    %y = graph.stft %signal, %step, %none, %length : (tensor<1x128x1xf32>, tensor<i64>, none, tensor<i64>) -> tensor<1x?x?x2xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$signal,
                       Graph_IndexTensor:$frame_step,
                       Graph_Optional<Graph_FloatTensor>:$window,
                       Graph_Optional<Graph_IndexTensor>:$frame_length,
                       Graph_IntAttr<"1">:$onesided);
  let results = (outs Graph_FloatTensor:$output);
}

//===----------------------------------------------------------------------===//
// Windows and filter banks
//===----------------------------------------------------------------------===//

/// `output_datatype` is optional with the ONNX default (FLOAT) applied here:
/// ODS cannot default a type attribute without a builder.
defvar outputElementType = [{
  /// The element type of the result: `output_datatype`, or `f32`.
  ::mlir::Type getOutputElementType() {
    if (std::optional<::mlir::Type> t = getOutputDatatype())
      return *t;
    return ::mlir::Float32Type::get(getContext());
  }
}];

/// A cosine-sum window of `size` points: `sum_k (-1)^k a_k cos(2 pi k n / N)`
/// with N = size (periodic) or size - 1 (symmetric).
class GraphSignal_WindowOp<string mnemonic, string name, string coefficients>
    : Graph_PureOp<mnemonic> {
  let summary = "A " # name # " window of a given length";
  let description = [{
    `size` is a scalar; the result is `[size]` of `output_datatype`
    (default `f32`), `}] # coefficients # [{`, with `N = size` when
    `periodic` (the default) or `size - 1`. Folds to a constant when `size`
    is a constant (up to 2^20 points).

    ```mlir
    %w = graph.}] # mnemonic # [{ %n {periodic = 0} : (tensor<i64>) -> tensor<?xf32>
    ```
  }];
  let arguments = (ins Graph_IndexTensor:$size,
                       OptionalAttr<TypeAttr>:$output_datatype,
                       Graph_IntAttr<"1">:$periodic);
  let results = (outs Graph_NumericTensor:$output);
  let hasFolder = 1;
  let extraClassDeclaration = outputElementType;
}

def Graph_BlackmanWindowOp : GraphSignal_WindowOp<"blackman_window",
    "Blackman", "w[n] = 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N)">;
def Graph_HammingWindowOp : GraphSignal_WindowOp<"hamming_window",
    "Hamming", "w[n] = 25/46 - 21/46 cos(2 pi n / N)">;
def Graph_HannWindowOp : GraphSignal_WindowOp<"hann_window",
    "Hann", "w[n] = 0.5 - 0.5 cos(2 pi n / N)">;

def Graph_MelWeightMatrixOp : Graph_PureOp<"mel_weight_matrix"> {
  let summary = "Triangular mel filter bank over one-sided DFT bins";
  let description = [{
    The result is `[dft_length / 2 + 1, num_mel_bins]` of `output_datatype`
    (default `f32`): column i is a triangle of peak 1 over the DFT bins
    between mel points i and i + 2, where `num_mel_bins + 2` points split
    `[mel(lower_edge_hertz), mel(upper_edge_hertz)]` evenly, `mel(f) = 2595
    log10(1 + f / 700)`, and a frequency maps to bin
    `floor((dft_length + 1) * f / sample_rate)`. All inputs are scalars.
    Folds to a constant when they are constants.

    ```mlir
    %m = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Graph_IndexTensor:$num_mel_bins,
                       Graph_IndexTensor:$dft_length,
                       Graph_IndexTensor:$sample_rate,
                       Graph_FloatTensor:$lower_edge_hertz,
                       Graph_FloatTensor:$upper_edge_hertz,
                       OptionalAttr<TypeAttr>:$output_datatype);
  let results = (outs Graph_NumericTensor:$output);
  let hasFolder = 1;
  let extraClassDeclaration = outputElementType;
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD
