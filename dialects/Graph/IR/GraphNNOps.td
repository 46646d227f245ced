//===- GraphNNOps.td - Neural network layers ---------------*- tablegen -*-===//
//
// Convolutions, pooling, matrix products, recurrent layers, detection and
// sampling ops, and the training-time layers (dropout, losses) that exported
// inference graphs still carry.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD

include "dialects/Graph/IR/GraphBase.td"

/// ONNX MatMul and Gemm element types.
def GraphNN_MatMulTensor
    : RankedTensorOf<[F16, BF16, F32, F64, I32, I64, UI32, UI64]>;
/// ONNX MaxPool element types (opset 12 added the 8-bit integers).
def GraphNN_MaxPoolTensor : RankedTensorOf<[F16, F32, F64, I8, UI8]>;
def GraphNN_F32Tensor : RankedTensorOf<[F32]>;
def GraphNN_I32Tensor : RankedTensorOf<[I32]>;

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

def Graph_ConvOp : Graph_PureOp<"conv"> {
  let summary = "N-D convolution with groups, strides, dilations and pads";
  let description = [{
    `X` is `[N, C, D1, ..., Dn]`, `W` is `[M, C / group, k1, ..., kn]` and
    the optional bias `B` is `[M]`; the result is `[N, M, O1, ..., On]`.
    `kernel_shape` defaults to the spatial dims of `W`; `strides` and
    `dilations` default to 1 and `pads` (`[begin..., end...]`) to 0.
    `auto_pad` SAME_UPPER / SAME_LOWER pad so that `Oi = ceil(Di / stride)`
    (the odd pad at the end / the beginning), VALID means no padding.
    Canonicalization turns auto_pad into explicit `pads` once the spatial
    sizes are static, so lowerings only see NOTSET.

    ```mlir
    %y = graph.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$W,
                       Graph_Optional<Graph_FloatTensor>:$B,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_OptIntsAttr:$dilations,
                       Graph_IntAttr<"1">:$group,
                       Graph_OptIntsAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_FloatTensor:$Y);
  let hasCanonicalizer = 1;
}

def Graph_ConvTransposeOp : Graph_PureOp<"conv_transpose"> {
  let summary = "N-D transposed convolution (the gradient of conv)";
  let description = [{
    `X` is `[N, C, D1, ..., Dn]`, `W` is `[C, M / group, k1, ..., kn]`, the
    optional `B` is `[M]`; the result is `[N, M, O1, ..., On]` with
    `Oi = stride * (Di - 1) + output_padding + (ki - 1) * dilation + 1 -
    pad_begin - pad_end`. An `output_shape` (the n spatial sizes; a full
    N+2 shape is accepted and its spatial part used) sets `Oi` directly and
    the pads follow from it; SAME_* gives `Oi = Di * stride`. Where the
    total pad is odd, SAME_UPPER and an explicit output_shape with SAME_UPPER
    put the extra pad at the end, every other mode at the beginning.
    Canonicalization replaces auto_pad and output_shape by explicit `pads`
    (and `output_padding` for outputs larger than the natural size) once the
    sizes are static.

    ```mlir
    %y = graph.conv_transpose %x, %w, %none {strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x7x7xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$W,
                       Graph_Optional<Graph_FloatTensor>:$B,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_OptIntsAttr:$dilations,
                       Graph_IntAttr<"1">:$group,
                       Graph_OptIntsAttr:$kernel_shape,
                       Graph_OptIntsAttr:$output_padding,
                       Graph_OptIntsAttr:$output_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_FloatTensor:$Y);
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Graph_AveragePoolOp : Graph_PureOp<"average_pool"> {
  let summary = "Average over sliding windows";
  let description = [{
    `X` is `[N, C, D1, ..., Dn]`; the result is `[N, C, O1, ..., On]` with
    the window arithmetic of `conv` (no dilations before opset 19).
    `ceil_mode` rounds the output size up (a last window that would start
    in the end padding is dropped, as in PyTorch). `count_include_pad`
    makes padded positions count in the divisor.

    ```mlir
    %y = graph.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = 1} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_IntAttr<"0">:$ceil_mode,
                       Graph_IntAttr<"0">:$count_include_pad,
                       DenseI64ArrayAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_FloatTensor:$Y);
  let hasCanonicalizer = 1;
}

def Graph_MaxPoolOp : Graph_PureOp<"max_pool"> {
  let summary = "Maximum over sliding windows, with its flat indices";
  let description = [{
    `X` is `[N, C, D1, ..., Dn]`; `Y` is `[N, C, O1, ..., On]` with the
    window arithmetic of `conv` and `ceil_mode` as in `average_pool`.
    `Indices` (same shape, i64) holds the position of each maximum in the
    flattened unpadded input, row-major, or column-major over the spatial
    dims when `storage_order` is 1.

    ```mlir
    %y, %i = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
    ```
  }];
  let arguments = (ins GraphNN_MaxPoolTensor:$X,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_IntAttr<"0">:$ceil_mode,
                       Graph_OptIntsAttr:$dilations,
                       DenseI64ArrayAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_IntAttr<"0">:$storage_order,
                       Graph_OptIntsAttr:$strides);
  let results = (outs GraphNN_MaxPoolTensor:$Y, Graph_I64Tensor:$Indices);
  let hasCanonicalizer = 1;
}

def Graph_LpPoolOp : Graph_PureOp<"lp_pool"> {
  let summary = "Lp norm over sliding windows";
  let description = [{
    `(sum |x|^p)^(1/p)` over each window, with the window arithmetic of
    `conv` (floor rounding; opset 18 added ceil_mode and dilations).

    ```mlir
    %y = graph.lp_pool %x {kernel_shape = array<i64: 2>, p = 3} : (tensor<1x3x32xf32>) -> tensor<1x3x31xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       DenseI64ArrayAttr:$kernel_shape,
                       Graph_IntAttr<"2">:$p,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_FloatTensor:$Y);
  let hasCanonicalizer = 1;
}

class GraphNN_GlobalPoolOp<string mnemonic, string what>
    : Graph_PureOp<mnemonic> {
  let summary = what # " over all spatial dimensions";
  let arguments = (ins Graph_FloatTensor:$X);
  let results = (outs Graph_FloatTensor:$Y);
}

def Graph_GlobalAveragePoolOp
    : GraphNN_GlobalPoolOp<"global_average_pool", "Average"> {
  let description = [{
    `[N, C, D1, ..., Dn]` to `[N, C, 1, ..., 1]`. Folds to its input when
    every spatial size is already 1.

    ```mlir
    %y = graph.global_average_pool %x : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_GlobalMaxPoolOp : GraphNN_GlobalPoolOp<"global_max_pool", "Maximum"> {
  let description = [{
    `[N, C, D1, ..., Dn]` to `[N, C, 1, ..., 1]`. Folds to its input when
    every spatial size is already 1.

    ```mlir
    %y = graph.global_max_pool %x : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_GlobalLpPoolOp : Graph_PureOp<"global_lp_pool"> {
  let summary = "Lp norm over all spatial dimensions";
  let description = [{
    `[N, C, D1, ..., Dn]` to `[N, C, 1, ..., 1]`.

    ```mlir
    %y = graph.global_lp_pool %x {p = 1} : (tensor<1x3x5x5xf32>) -> tensor<1x3x1x1xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_IntAttr<"2">:$p);
  let results = (outs Graph_FloatTensor:$Y);
}

def Graph_MaxUnpoolOp : Graph_PureOp<"max_unpool"> {
  let summary = "Scatters pooled values back to their max_pool positions";
  let description = [{
    `X` and `I` (i64 flat indices, as produced by `max_pool`) have the same
    shape `[N, C, D1, ..., Dn]`. The result is zero except at the indexed
    positions. Its shape is `output_shape` (a full shape) when given, else
    `[N, C, O1, ..., On]` with `Oi = (Di - 1) * stride + ki - pad_begin -
    pad_end`.

    ```mlir
    %y = graph.max_unpool %x, %i, %none {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, none) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_I64Tensor:$I,
                       Graph_Optional<Graph_I64Tensor>:$output_shape,
                       DenseI64ArrayAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_FloatTensor:$output);
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

def Graph_MatMulOp : Graph_PureOp<"mat_mul"> {
  let summary = "Matrix product with numpy matmul semantics";
  let description = [{
    The last two dims of each operand are the matrices; leading dims are
    batch dims that broadcast. A 1-D `A` is a row vector and a 1-D `B` a
    column vector; the dimension added for them is dropped from the result.

    ```mlir
    %y = graph.mat_mul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
    ```
  }];
  let arguments = (ins GraphNN_MatMulTensor:$A, GraphNN_MatMulTensor:$B);
  let results = (outs GraphNN_MatMulTensor:$Y);
}

def Graph_GemmOp : Graph_PureOp<"gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C on 2-D matrices";
  let description = [{
    `op` transposes when `transA` / `transB` is 1. `A'` is `[M, K]`, `B'` is
    `[K, N]`, the result `[M, N]`. The optional `C` broadcasts to `[M, N]`
    in one direction (rank at most 2, each dim 1 or equal).

    ```mlir
    %y = graph.gemm %a, %b, %c {transB = 1, alpha = 0.5 : f32} : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins GraphNN_MatMulTensor:$A, GraphNN_MatMulTensor:$B,
                       Graph_Optional<GraphNN_MatMulTensor>:$C,
                       Graph_FloatAttr<"1.0">:$alpha,
                       Graph_FloatAttr<"1.0">:$beta,
                       Graph_IntAttr<"0">:$transA,
                       Graph_IntAttr<"0">:$transB);
  let results = (outs GraphNN_MatMulTensor:$Y);
  let hasCanonicalizer = 1;
}

def Graph_EinsumOp : Graph_PureOp<"einsum"> {
  let summary = "Einstein summation over any number of operands";
  let description = [{
    `equation` has one comma-separated term of letters per operand, then
    optionally `->` and the output term. A letter repeated within a term
    takes a diagonal; letters absent from the output are summed. Without
    `->` the output holds the letters that occur exactly once, in ASCII
    order, after the broadcast ellipsis dims. `...` stands for the leading
    or middle dims that the letters do not name; those dims broadcast
    across operands. Sizes of one label broadcast when one of them is 1.
    Spaces are ignored.

    ```mlir
    %z = graph.einsum %x, %y {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_NumericTensor>:$Inputs,
                       StrAttr:$equation);
  let results = (outs Graph_NumericTensor:$Output);
}

def Graph_DetOp : Graph_PureOp<"det"> {
  let summary = "Determinant of square matrices";
  let description = [{
    `X` is `[*, M, M]`; the result is `[*]`.

    ```mlir
    %y = graph.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X);
  let results = (outs Graph_FloatTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Training-time layers
//===----------------------------------------------------------------------===//

def Graph_DropoutOp : Graph_PureOp<"dropout"> {
  let summary = "Random zeroing in training mode, identity otherwise";
  let description = [{
    With `training_mode` absent or false, `output` is `data` and `mask` is
    all true; the op folds then (the mask only when its shape is static).
    In training mode each element is zeroed with probability `ratio`
    (default 0.5) and the rest scaled by `1 / (1 - ratio)`. Before opset 12
    `ratio` was an attribute; the importer makes it a constant input.

    ```mlir
    %y, %mask = graph.dropout %x, %none, %none : (tensor<3x4xf32>, none, none) -> (tensor<3x4xf32>, tensor<3x4xi1>)
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$data,
                       Graph_Optional<Graph_FloatTensor>:$ratio,
                       Graph_Optional<Graph_BoolTensor>:$training_mode,
                       OptionalAttr<I64Attr>:$seed);
  let results = (outs Graph_FloatTensor:$output, Graph_BoolTensor:$mask);
  let hasFolder = 1;
}

def Graph_NegativeLogLikelihoodLossOp
    : Graph_PureOp<"negative_log_likelihood_loss"> {
  let summary = "Negative log likelihood of target classes";
  let description = [{
    `input` is `[N, C, d1, ..., dk]` (log-probabilities), `target` is
    `[N, d1, ..., dk]` class indices, the optional `weight` is `[C]`.
    Targets equal to `ignore_index` contribute 0. `reduction` is `none`
    (result shaped like `target`), `sum` or `mean` (scalars; the mean is
    weighted by the weights of the counted targets).

    ```mlir
    %l = graph.negative_log_likelihood_loss %x, %t, %none {reduction = "none"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_IndexTensor:$target,
                       Graph_Optional<Graph_FloatTensor>:$weight,
                       OptionalAttr<I64Attr>:$ignore_index,
                       Graph_StrAttr<"mean">:$reduction);
  let results = (outs Graph_FloatTensor:$loss);
}

def Graph_SoftmaxCrossEntropyLossOp
    : Graph_PureOp<"softmax_cross_entropy_loss"> {
  let summary = "Cross entropy of softmax scores against class labels";
  let description = [{
    `scores` is `[N, C, d1, ..., dk]`, `labels` is `[N, d1, ..., dk]`, the
    optional `weights` is `[C]`. `log_prob` is the log-softmax of `scores`
    over dim 1 (same shape as `scores`); `output` is the negative log
    likelihood loss of `log_prob`, reduced as in
    `negative_log_likelihood_loss`.

    ```mlir
    %l, %lp = graph.softmax_cross_entropy_loss %x, %t, %none : (tensor<3x5x2xf32>, tensor<3x2xi64>, none) -> (tensor<f32>, tensor<3x5x2xf32>)
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$scores, Graph_IndexTensor:$labels,
                       Graph_Optional<Graph_FloatTensor>:$weights,
                       OptionalAttr<I64Attr>:$ignore_index,
                       Graph_StrAttr<"mean">:$reduction);
  let results = (outs Graph_FloatTensor:$output, Graph_FloatTensor:$log_prob);
}

//===----------------------------------------------------------------------===//
// Detection and sampling
//===----------------------------------------------------------------------===//

def Graph_NonMaxSuppressionOp : Graph_PureOp<"non_max_suppression"> {
  let summary = "Greedy selection of boxes by score and overlap";
  let description = [{
    `boxes` is `[B, N, 4]`, `scores` is `[B, C, N]`. Per batch and class,
    selects at most `max_output_boxes_per_class` boxes (default 0: none) in
    decreasing score order, skipping scores at or below `score_threshold`
    and boxes whose IoU with a selected box exceeds `iou_threshold`. The
    result lists `[batch, class, box]` triples; how many is known only at
    run time.

    ```mlir
    %s = graph.non_max_suppression %boxes, %scores, %max, %iou, %none : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<?x3xi64>
    ```
  }];
  let arguments = (ins GraphNN_F32Tensor:$boxes, GraphNN_F32Tensor:$scores,
                       Graph_Optional<Graph_I64Tensor>:$max_output_boxes_per_class,
                       Graph_Optional<GraphNN_F32Tensor>:$iou_threshold,
                       Graph_Optional<GraphNN_F32Tensor>:$score_threshold,
                       Graph_IntAttr<"0">:$center_point_box);
  let results = (outs Graph_I64Tensor:$selected_indices);
}

def Graph_RoiAlignOp : Graph_PureOp<"roi_align"> {
  let summary = "Bilinearly sampled pooling over regions of interest";
  let description = [{
    `X` is `[N, C, H, W]`, `rois` is `[R, 4]` boxes `(x1, y1, x2, y2)` and
    `batch_indices` is `[R]`; the result is
    `[R, C, output_height, output_width]`. `mode` is `avg` or `max`;
    `coordinate_transformation_mode` is `half_pixel` (opset 16 default) or
    `output_half_pixel` (the behaviour before opset 16).

    ```mlir
    %y = graph.roi_align %x, %rois, %idx {output_height = 5, output_width = 5, sampling_ratio = 2} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$rois,
                       Graph_I64Tensor:$batch_indices,
                       Graph_StrAttr<"half_pixel">:$coordinate_transformation_mode,
                       Graph_StrAttr<"avg">:$mode,
                       Graph_IntAttr<"1">:$output_height,
                       Graph_IntAttr<"1">:$output_width,
                       Graph_IntAttr<"0">:$sampling_ratio,
                       Graph_FloatAttr<"1.0">:$spatial_scale);
  let results = (outs Graph_FloatTensor:$Y);
}

def Graph_GridSampleOp : Graph_PureOp<"grid_sample"> {
  let summary = "Samples an image at normalized grid locations";
  let description = [{
    `X` is `[N, C, H, W]` and `grid` is `[N, Ho, Wo, 2]` holding `(x, y)`
    in [-1, 1]; the result is `[N, C, Ho, Wo]`. `mode` is `bilinear`,
    `nearest` or `bicubic`; `padding_mode` is `zeros`, `border` or
    `reflection`; `align_corners` maps -1 and 1 to the centers (1) or the
    outer edges (0) of the corner pixels.

    ```mlir
    %y = graph.grid_sample %x, %grid {mode = "nearest"} : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$grid,
                       Graph_IntAttr<"0">:$align_corners,
                       Graph_StrAttr<"bilinear">:$mode,
                       Graph_StrAttr<"zeros">:$padding_mode);
  let results = (outs Graph_FloatTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

/// What RNN, GRU and LSTM share: inputs X, W, R, B, sequence_lens,
/// initial_h, the outputs Y and Y_h, and the attributes.
class GraphNN_RecurrentOp<string mnemonic> : Graph_PureOp<mnemonic> {
  dag commonArgs = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$W,
                        Graph_FloatTensor:$R,
                        Graph_Optional<Graph_FloatTensor>:$B,
                        Graph_Optional<GraphNN_I32Tensor>:$sequence_lens,
                        Graph_Optional<Graph_FloatTensor>:$initial_h);
  dag commonAttrs = (ins OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
                         OptionalAttr<DenseF32ArrayAttr>:$activation_beta);
  dag tailAttrs = (ins OptionalAttr<F32Attr>:$clip,
                       Graph_StrAttr<"forward">:$direction,
                       OptionalAttr<I64Attr>:$hidden_size,
                       Graph_IntAttr<"0">:$layout);
}

def Graph_RNNOp : GraphNN_RecurrentOp<"rnn"> {
  let summary = "One layer of a simple recurrent network";
  let description = [{
    `Ht = f(Xt * Wi^T + Ht-1 * Ri^T + Wbi + Rbi)`. With `layout` 0, `X` is
    `[seq, batch, input]`, `Y` is `[seq, num_directions, batch, hidden]`
    and `Y_h` is `[num_directions, batch, hidden]`; with `layout` 1 the
    batch dim comes first in all three. `W` is
    `[num_directions, hidden, input]`, `R` `[num_directions, hidden,
    hidden]`, `B` `[num_directions, 2 * hidden]`. `direction` is
    `forward`, `reverse` or `bidirectional` (two directions). `hidden_size`
    is taken from `R` when absent. `activations` has one function per
    direction (the default lists two; a unidirectional layer uses the
    first).

    ```mlir
    %y, %yh = graph.rnn %x, %w, %r, %none, %none, %none {hidden_size = 4} : (tensor<1x3x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>, none, none, none) -> (tensor<1x1x3x4xf32>, tensor<1x3x4xf32>)
    ```
  }];
  let arguments = !con(commonArgs, commonAttrs,
      (ins DefaultValuedAttr<StrArrayAttr, "{\"Tanh\", \"Tanh\"}">:$activations),
      tailAttrs);
  let results = (outs Graph_FloatTensor:$Y, Graph_FloatTensor:$Y_h);
}

def Graph_GRUOp : GraphNN_RecurrentOp<"gru"> {
  let summary = "One layer of a gated recurrent unit network";
  let description = [{
    Gates z, r, h (in that order in `W`, `R` and `B`); shapes as in `rnn`
    with `3 * hidden` rows. `linear_before_reset` applies the reset gate
    after the recurrent product. Two activations per direction (default
    Sigmoid, Tanh).

    ```mlir
    %y, %yh = graph.gru %x, %w, %r, %none, %none, %none {hidden_size = 5} : (tensor<1x3x2xf32>, tensor<1x15x2xf32>, tensor<1x15x5xf32>, none, none, none) -> (tensor<1x1x3x5xf32>, tensor<1x3x5xf32>)
    ```
  }];
  let arguments = !con(commonArgs, commonAttrs,
      (ins OptionalAttr<StrArrayAttr>:$activations),
      tailAttrs,
      (ins Graph_IntAttr<"0">:$linear_before_reset));
  let results = (outs Graph_FloatTensor:$Y, Graph_FloatTensor:$Y_h);
}

def Graph_LSTMOp : GraphNN_RecurrentOp<"lstm"> {
  let summary = "One layer of a long short-term memory network";
  let description = [{
    Gates i, o, f, c (in that order in `W`, `R` and `B`); shapes as in
    `rnn` with `4 * hidden` rows. `initial_c` and `Y_c` are shaped like
    `initial_h` and `Y_h`; the peepholes `P` are `[num_directions,
    3 * hidden]`. `input_forget` couples the input and forget gates. Three
    activations per direction (default Sigmoid, Tanh, Tanh).

    ```mlir
    %y, %yh, %yc = graph.lstm %x, %w, %r, %none, %none, %none, %none, %none {hidden_size = 3} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, none, none, none, none, none) -> (tensor<1x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
    ```
  }];
  let arguments = !con(commonArgs,
      (ins Graph_Optional<Graph_FloatTensor>:$initial_c,
           Graph_Optional<Graph_FloatTensor>:$P),
      commonAttrs,
      (ins OptionalAttr<StrArrayAttr>:$activations),
      tailAttrs,
      (ins Graph_IntAttr<"0">:$input_forget));
  let results = (outs Graph_FloatTensor:$Y, Graph_FloatTensor:$Y_h,
                      Graph_FloatTensor:$Y_c);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD
