//===- GraphTensorOps.td - Data movement and indexing ops --*- tablegen -*-===//
//
// The ops that move data without computing on it: reshapes, transposes,
// concatenation and splitting, slicing, gathers and scatters, broadcasting,
// padding, and the few ops whose result sizes depend on the data (NonZero,
// Unique, Compress). Their folders carry the shape arithmetic of exported
// models (Gather of a Shape, Unsqueeze, Concat, then Reshape).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD

include "dialects/Graph/IR/GraphBase.td"

//===----------------------------------------------------------------------===//
// Reshapes: Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

def Graph_ReshapeOp : Graph_PureOp<"reshape"> {
  let summary = "Gives a tensor a new shape with the same elements";
  let description = [{
    `shape` is a 1-D i64 tensor of static length holding the new shape. One
    entry may be -1: that dimension takes whatever size keeps the element
    count. An entry 0 copies the input dimension at the same position,
    unless `allowzero` is 1, in which case it is a real zero (and -1 may not
    appear with it). An empty `shape` makes a scalar. The elements keep their
    row-major order.

    When `shape` is not a constant the result has its rank and `?` sizes.
    Opset 5 to 13 Reshape is this op with `allowzero` 0.

    ```mlir
    %y = graph.reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Tensor:$shape,
                       Graph_IntAttr<"0">:$allowzero);
  let results = (outs Graph_Tensor:$reshaped);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_FlattenOp : Graph_PureOp<"flatten"> {
  let summary = "Collapses a tensor into a matrix at one axis";
  let description = [{
    The result is 2-D: its first dimension is the product of the input
    dimensions before `axis`, its second the product of the rest. `axis` is
    in [-r, r]; 0 gives a leading dimension of 1.

    ```mlir
    %y = graph.flatten %x {axis = 2} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_IntAttr<"1">:$axis);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_SqueezeOp : Graph_PureOp<"squeeze"> {
  let summary = "Removes dimensions of size 1";
  let description = [{
    `axes` (an optional 1-D i64 tensor) lists the dimensions to remove; each
    must have size 1 and may appear once. Without `axes` every dimension of
    size 1 goes, which needs every input dimension static to know the
    result rank. An empty constant `axes` removes nothing (the ONNX shape
    inference reading). Opset 1 to 11 took `axes` as an attribute; the
    importer makes it a constant input.

    ```mlir
    %y = graph.squeeze %x, %axes : (tensor<1x3x1x5xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data,
                       Graph_Optional<Graph_I64Tensor>:$axes);
  let results = (outs Graph_Tensor:$squeezed);
  let hasFolder = 1;
}

def Graph_UnsqueezeOp : Graph_PureOp<"unsqueeze"> {
  let summary = "Inserts dimensions of size 1";
  let description = [{
    `axes` (a 1-D i64 tensor of static length) lists positions in the
    result, of rank `r + len(axes)`, that get a dimension of size 1; they
    may be negative (counted from the back of the result), in any order, but
    not repeated. Opset 1 to 11 took `axes` as an attribute; the importer
    makes it a constant input.

    ```mlir
    %y = graph.unsqueeze %x, %axes : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Tensor:$axes);
  let results = (outs Graph_Tensor:$expanded);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

def Graph_TransposeOp : Graph_PureOp<"transpose"> {
  let summary = "Permutes the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`. `perm` must be a
    permutation of [0, r); without it the dimensions are reversed.

    ```mlir
    %y = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_OptIntsAttr:$perm);
  let results = (outs Graph_Tensor:$transposed);
  let extraClassDeclaration = [{
    /// `perm`, or the reversed dimensions when it is absent. Not checked.
    ::llvm::SmallVector<int64_t> getEffectivePerm();
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Graph_ConcatOp : Graph_PureOp<"concat"> {
  let summary = "Joins tensors along one axis";
  let description = [{
    All inputs have one element type and one rank (at least 1) and agree on
    every dimension but `axis`, along which the result is their sum.

    ```mlir
    %y = graph.concat %a, %b {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Graph_Tensor:$concat_result);
  let hasFolder = 1;
}

def Graph_SplitOp : Graph_PureOp<"split"> {
  let summary = "Cuts a tensor into pieces along one axis";
  let description = [{
    There is one result per piece. `split` (an optional 1-D i64 tensor)
    gives the length of each piece: one non-negative entry per result,
    summing to the size of `axis`. Without it the pieces have equal length,
    and the size of `axis` must divide evenly (opset 13 to 17; the uneven
    `num_outputs` split is opset 18). Opset 2 to 11 took `split` as an
    attribute; the importer makes it a constant input.

    ```mlir
    %a, %b = graph.split %x, %none {axis = 1} : (tensor<2x6xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>)
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                       Graph_Optional<Graph_I64Tensor>:$split,
                       Graph_IntAttr<"0">:$axis);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Slice and the gathers
//===----------------------------------------------------------------------===//

def Graph_SliceOp : Graph_PureOp<"slice"> {
  let summary = "Takes a strided window of a tensor";
  let description = [{
    `starts`, `ends`, and the optional `axes` and `steps` are 1-D tensors of
    one length and one index type (i32 or i64). For each listed axis (by
    default 0, 1, ...) negative starts and ends count from the back; then
    for a positive step both are clamped to [0, d], for a negative one the
    start to [0, d - 1] and the end to [-1, d - 1]. The result has
    `max(0, ceil((end - start) / step))` elements along that axis.
    `steps` defaults to 1 and may not hold 0; an axis may not repeat. Opset
    1 to 9 took starts, ends and axes as attributes; the importer makes them
    constant inputs.

    ```mlir
    %y = graph.slice %x, %starts, %ends, %axes, %none : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<20x?x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$starts,
                       Graph_IndexTensor:$ends,
                       Graph_Optional<Graph_IndexTensor>:$axes,
                       Graph_Optional<Graph_IndexTensor>:$steps);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_PureOp<"gather"> {
  let summary = "Picks slices along one axis by index";
  let description = [{
    The result replaces dimension `axis` of `data` with the whole shape of
    `indices`: `output[i..., j, k...] = data[i..., indices[j], k...]`.
    Indices lie in [-s, s - 1] for an axis of size `s`; negative ones count
    from the back.

    ```mlir
    %y = graph.gather %x, %i {axis = 1} : (tensor<3x3xf32>, tensor<1x2xi64>) -> tensor<3x1x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                       Graph_IntAttr<"0">:$axis);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_GatherElementsOp : Graph_PureOp<"gather_elements"> {
  let summary = "Picks one element per index along one axis";
  let description = [{
    `indices` has the rank of `data`; the result has the shape of `indices`,
    and element `[i, j, k]` (for `axis` 1) is `data[i, indices[i, j, k], k]`.

    ```mlir
    %y = graph.gather_elements %x, %i {axis = 1} : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                       Graph_IntAttr<"0">:$axis);
  let results = (outs Graph_Tensor:$output);
}

def Graph_GatherNDOp : Graph_PureOp<"gather_nd"> {
  let summary = "Picks slices by index tuples";
  let description = [{
    The last dimension of `indices` (size `k`, which must be static) holds
    tuples that index the leading `k` dimensions of `data` after the first
    `batch_dims`, which `data` and `indices` share. The result shape is
    `indices.shape[:-1] ++ data.shape[batch_dims + k:]`.

    ```mlir
    %y = graph.gather_nd %x, %i {batch_dims = 1} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Tensor:$indices,
                       Graph_IntAttr<"0">:$batch_dims);
  let results = (outs Graph_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Scatters
//===----------------------------------------------------------------------===//

def Graph_ScatterElementsOp : Graph_PureOp<"scatter_elements"> {
  let summary = "Writes updates at one index per element along one axis";
  let description = [{
    A copy of `data` where, for every element of `updates` (which has the
    shape of `indices` and the rank of `data`), the position given by its
    own coordinates with the one along `axis` replaced by the index gets
    that update. `reduction` is `none` (write; indices must not repeat),
    `add` or `mul` (combine with what is there). Opset 9 Scatter and opset
    11 ScatterElements are this op with `reduction` `none`.

    ```mlir
    %y = graph.scatter_elements %x, %i, %u {axis = 1, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                       Graph_Tensor:$updates, Graph_IntAttr<"0">:$axis,
                       Graph_StrAttr<"none">:$reduction);
  let results = (outs Graph_Tensor:$output);
}

def Graph_ScatterNDOp : Graph_PureOp<"scatter_nd"> {
  let summary = "Writes slices of updates at index tuples";
  let description = [{
    A copy of `data` where each tuple along the last dimension of `indices`
    (of size `k`) picks a slice `data[tuple]`, of shape `data.shape[k:]`,
    that gets the matching slice of `updates`. `updates` has shape
    `indices.shape[:-1] ++ data.shape[k:]`. `reduction` is `none`, `add` or
    `mul` as for `scatter_elements`.

    ```mlir
    %y = graph.scatter_nd %x, %i, %u : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Tensor:$indices,
                       Graph_Tensor:$updates, Graph_StrAttr<"none">:$reduction);
  let results = (outs Graph_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Broadcasting and padding: Expand, Tile, Pad
//===----------------------------------------------------------------------===//

def Graph_ExpandOp : Graph_PureOp<"expand"> {
  let summary = "Broadcasts a tensor against a shape";
  let description = [{
    The result shape is the numpy broadcast of the input shape and `shape`
    (a 1-D i64 tensor of static length): broadcasting goes both ways, so a
    1 in `shape` keeps the input dimension, and the result rank is the
    larger of the two.

    ```mlir
    %y = graph.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x3x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Tensor:$shape);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_TileOp : Graph_PureOp<"tile"> {
  let summary = "Repeats a tensor along every dimension";
  let description = [{
    `repeats` is a 1-D i64 tensor with one non-negative count per input
    dimension; result dimension `i` is `d[i] * repeats[i]`.

    ```mlir
    %y = graph.tile %x, %repeats : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Tensor:$repeats);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_PadOp : Graph_PureOp<"pad"> {
  let summary = "Pads (or crops) a tensor at both ends of every dimension";
  let description = [{
    `pads` is a 1-D i64 tensor `[b_1, ..., b_r, e_1, ..., e_r]` of length
    `2r`: dimension `i` grows by `b_i` at the front and `e_i` at the back
    (negative values remove elements). `mode` is `constant` (fill with the
    optional scalar `constant_value`, else 0 or false), `reflect` (mirror
    without repeating the edge; each pad must be smaller than its
    dimension) or `edge` (repeat the edge). Opset 2 to 10 took `pads` and
    `value` as attributes; the importer makes them constant inputs. The
    `axes` input is opset 18.

    ```mlir
    %y = graph.pad %x, %pads, %v {mode = "constant"} : (tensor<1x3x4x5xf32>, tensor<8xi64>, tensor<f32>) -> tensor<?x?x?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_I64Tensor:$pads,
                       Graph_Optional<Graph_Tensor>:$constant_value,
                       Graph_StrAttr<"constant">:$mode);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------===//

def Graph_DepthToSpaceOp : Graph_PureOp<"depth_to_space"> {
  let summary = "Moves channel blocks into spatial blocks";
  let description = [{
    Input `[N, C, H, W]` becomes `[N, C / b^2, H * b, W * b]` for `b` =
    `blocksize`, which must divide C into `b^2` groups. `mode` `DCR` takes
    the block offsets from the outer part of the channel index, `CRD` from
    the inner part.

    ```mlir
    %y = graph.depth_to_space %x {blocksize = 2, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, I64Attr:$blocksize,
                       Graph_StrAttr<"DCR">:$mode);
  let results = (outs Graph_Tensor:$output);
}

def Graph_SpaceToDepthOp : Graph_PureOp<"space_to_depth"> {
  let summary = "Moves spatial blocks into channels";
  let description = [{
    Input `[N, C, H, W]` becomes `[N, C * b^2, H / b, W / b]` for `b` =
    `blocksize`, which must divide H and W. The inverse of `depth_to_space`
    in `DCR` mode.

    ```mlir
    %y = graph.space_to_depth %x {blocksize = 2} : (tensor<1x1x4x6xf32>) -> tensor<1x4x2x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, I64Attr:$blocksize);
  let results = (outs Graph_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Trilu, ReverseSequence
//===----------------------------------------------------------------------===//

def Graph_TriluOp : Graph_PureOp<"trilu"> {
  let summary = "Keeps the upper or lower triangle of the last two dims";
  let description = [{
    Zeroes the elements of each matrix (the last two dimensions) below
    (`upper` = 1) or above (`upper` = 0) diagonal `k`, an optional i64
    scalar (default 0; positive is above the main diagonal).

    ```mlir
    %y = graph.trilu %x, %k {upper = 0} : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_Optional<Graph_I64Tensor>:$k,
                       Graph_IntAttr<"1">:$upper);
  let results = (outs Graph_Tensor:$output);
}

def Graph_ReverseSequenceOp : Graph_PureOp<"reverse_sequence"> {
  let summary = "Reverses the first sequence_lens[i] steps of each batch";
  let description = [{
    `batch_axis` and `time_axis` are 0 and 1 in some order. For batch entry
    `i`, the first `sequence_lens[i]` elements along `time_axis` are
    reversed; the rest are copied. `sequence_lens` has one entry per batch.

    ```mlir
    %y = graph.reverse_sequence %x, %lens {batch_axis = 0, time_axis = 1} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Tensor:$sequence_lens,
                       Graph_IntAttr<"1">:$batch_axis,
                       Graph_IntAttr<"0">:$time_axis);
  let results = (outs Graph_Tensor:$Y);
}

//===----------------------------------------------------------------------===//
// Ops with data-dependent sizes: Compress, NonZero, Unique
//===----------------------------------------------------------------------===//

def Graph_CompressOp : Graph_PureOp<"compress"> {
  let summary = "Keeps the slices where a condition holds";
  let description = [{
    `condition` is a 1-D bool tensor, no longer than the selected length.
    With `axis`, keeps the slices along `axis` whose condition entry is
    true; without it, flattens the input and keeps the elements whose entry
    is true. Entries past the end of `condition` count as false. The
    selected length is `?` unless `condition` is a constant.

    ```mlir
    %y = graph.compress %x, %c {axis = 0} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_BoolTensor:$condition,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs Graph_Tensor:$output);
}

def Graph_NonZeroOp : Graph_PureOp<"non_zero"> {
  let summary = "Coordinates of the non-zero elements";
  let description = [{
    The result is `[rank(X), n]` with one column of coordinates per
    non-zero element, in row-major order; `n` is data-dependent.

    ```mlir
    %y = graph.non_zero %x : (tensor<2x2xi1>) -> tensor<2x?xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$X);
  let results = (outs Graph_I64Tensor:$Y);
}

def Graph_UniqueOp : Graph_PureOp<"unique"> {
  let summary = "The distinct elements or slices of a tensor";
  let description = [{
    Without `axis` works on the flattened input; with it, on the slices
    along `axis`. `Y` holds the distinct values (sorted ascending if
    `sorted` is 1, else in order of first occurrence), `indices` the
    position of each one's first occurrence, `inverse_indices` for every
    input element or slice the position of its value in `Y`, and `counts`
    how often each occurs. The number of distinct values is `?`; all four
    results are always produced.

    ```mlir
    %y, %i, %inv, %n = graph.unique %x {sorted = 0} : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
    ```
  }];
  let arguments = (ins Graph_Tensor:$X, OptionalAttr<I64Attr>:$axis,
                       Graph_IntAttr<"1">:$sorted);
  let results = (outs Graph_Tensor:$Y, Graph_I64Tensor:$indices,
                      Graph_I64Tensor:$inverse_indices,
                      Graph_I64Tensor:$counts);
}

//===----------------------------------------------------------------------===//
// OneHot, TopK
//===----------------------------------------------------------------------===//

def Graph_OneHotOp : Graph_PureOp<"one_hot"> {
  let summary = "One-hot encoding of indices";
  let description = [{
    Inserts a dimension of size `depth` (a scalar or one-element tensor of
    any numeric type, truncated to an integer) at `axis`, in [-r-1, r] for
    indices of rank r. Position `indices[...]` along it gets `values[1]`,
    every other one `values[0]`; `values` is a 2-element 1-D tensor that
    gives the result element type. Indices may be negative (counted from
    `depth`); indices outside [-depth, depth - 1] give an all-off row.

    ```mlir
    %y = graph.one_hot %i, %depth, %values {axis = 1} : (tensor<2x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<2x?x2xf32>
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$indices, Graph_NumericTensor:$depth,
                       Graph_Tensor:$values, Graph_IntAttr<"-1">:$axis);
  let results = (outs Graph_Tensor:$output);
}

def Graph_TopKOp : Graph_PureOp<"top_k"> {
  let summary = "The k largest or smallest elements along an axis";
  let description = [{
    `K` is a one-element i64 tensor (1-D in ONNX; a scalar is accepted)
    with 0 <= K <= the size of `axis`. `Values` holds the K largest
    (`largest` = 1) or smallest elements along `axis`, sorted if `sorted`
    is 1, ties broken by the lower index; `Indices` their positions. Opset 1
    to 9 took `k` as an attribute; the importer makes it a constant input.

    ```mlir
    %v, %i = graph.top_k %x, %k {axis = 1, largest = 0} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$X, Graph_I64Tensor:$K,
                       Graph_IntAttr<"-1">:$axis, Graph_IntAttr<"1">:$largest,
                       Graph_IntAttr<"1">:$sorted);
  let results = (outs Graph_NumericTensor:$Values, Graph_I64Tensor:$Indices);
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

def Graph_ResizeOp : Graph_PureOp<"resize"> {
  let summary = "Resamples a tensor to a new size by interpolation";
  let description = [{
    Exactly one of `scales` (f32, one positive factor per dimension) and
    `sizes` (i64, one size per dimension) is given; the other is `none` or,
    as opset 11 exporters write it, an empty tensor. With `scales`, each
    result dimension is `floor(d * scale)`, computed in single precision
    (ONNX shape inference and onnxruntime do so, and leave `roi` out of the
    size, as does this op). `roi`
    (`[start_1, ..., start_r, end_1, ..., end_r]`, normalized) only matters
    for `tf_crop_and_resize`.

    `mode` is `nearest`, `linear` or `cubic`; `coordinate_transformation_mode`
    is `half_pixel`, `pytorch_half_pixel`, `align_corners`, `asymmetric`,
    `tf_crop_and_resize`, or the opset 11 `tf_half_pixel_for_nn` (which
    opset 13 dropped, and which opset 11 models still use); `nearest_mode`
    is `round_prefer_floor`, `round_prefer_ceil`, `floor` or `ceil`.
    `cubic_coeff_a`, `exclude_outside` and `extrapolation_value` tune cubic
    sampling and crop-and-resize. Opset 10 Resize and opset 9 Upsample are
    this op with `scales`, `asymmetric` coordinates and, in `nearest` mode,
    `nearest_mode` `floor`.

    ```mlir
    %y = graph.resize %x, %none, %scales, %none {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$X, Graph_Optional<Graph_FloatTensor>:$roi,
                       Graph_Optional<RankedTensorOf<[F32]>>:$scales,
                       Graph_Optional<Graph_I64Tensor>:$sizes,
                       Graph_StrAttr<"half_pixel">:
                           $coordinate_transformation_mode,
                       Graph_FloatAttr<"-0.75">:$cubic_coeff_a,
                       Graph_IntAttr<"0">:$exclude_outside,
                       Graph_FloatAttr<"0.0">:$extrapolation_value,
                       Graph_StrAttr<"nearest">:$mode,
                       Graph_StrAttr<"round_prefer_floor">:$nearest_mode);
  let results = (outs Graph_Tensor:$Y);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
