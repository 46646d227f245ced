//===- GraphReductionOps.td - Reductions, normalizations ---*- tablegen -*-===//
//
// Ops that combine the elements along some axes: the Reduce* family,
// ArgMax/ArgMin, CumSum, the softmax family, and the normalizations
// (BatchNormalization, InstanceNormalization, LayerNormalization, LRN,
// MeanVarianceNormalization, LpNormalization).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD

include "dialects/Graph/IR/GraphBase.td"

// The element types ONNX allows for most reductions, and for ReduceMax and
// ReduceMin, which also take 8-bit integers.
defvar Reduction_Tensor = RankedTensorOf<[I32, I64, UI32, UI64, Graph_Float]>;
defvar Reduction_MinMaxTensor =
    RankedTensorOf<[I8, I32, I64, UI8, UI32, UI64, Graph_Float]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

/// A Reduce* op of opset 13, whose axes are an attribute: the listed axes
/// (all when absent or empty) collapse, to size 1 when `keepdims` is set.
class Graph_ReduceOp<string mnemonic, Type type, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let arguments = (ins type:$data, Graph_OptIntsAttr:$axes,
                       Graph_IntAttr<"1">:$keepdims);
  let results = (outs type:$reduced);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferAttrReduction(getOperation(), getAxes(), getKeepdims() != 0,
                                inferred);
    }
  }];
}

/// ArgMax and ArgMin: the i64 index of the extreme element along `axis`.
class Graph_ArgReduceOp<string mnemonic, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let arguments = (ins Graph_NumericTensor:$data, Graph_IntAttr<"0">:$axis,
                       Graph_IntAttr<"1">:$keepdims,
                       Graph_IntAttr<"0">:$select_last_index);
  let results = (outs Graph_I64Tensor:$reduced);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferArgReduction(getOperation(), getAxis(), getKeepdims() != 0,
                               inferred);
    }
  }];
}

/// Softmax, LogSoftmax and Hardmax of opset 13: along one axis, with the
/// input's type.
class Graph_SoftmaxLikeOp<string mnemonic, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let arguments = (ins Graph_FloatTensor:$input, Graph_IntAttr<"-1">:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferSameTypeAlongAxis(getOperation(), getAxis(), inferred);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Reduce*
//===----------------------------------------------------------------------===//

def Graph_ReduceL1Op : Graph_ReduceOp<"reduce_l1", Reduction_Tensor> {
  let summary = "Sum of absolute values along axes";
  let description = [{
    Opset 18 turned `axes` into an input; at opset 17 it is an attribute.
    An absent or empty `axes` reduces every dimension.

    ```mlir
    %r = graph.reduce_l1 %x {axes = array<i64: 2>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
    ```
  }];
}

def Graph_ReduceL2Op : Graph_ReduceOp<"reduce_l2", Reduction_Tensor> {
  let summary = "Square root of the sum of squares along axes";
  let description = [{
    ```mlir
    %r = graph.reduce_l2 %x {axes = array<i64: -1>} : (tensor<3x2x2xf32>) -> tensor<3x2x1xf32>
    ```
  }];
}

def Graph_ReduceLogSumOp : Graph_ReduceOp<"reduce_log_sum", Reduction_Tensor> {
  let summary = "Natural logarithm of the sum along axes";
  let description = [{
    ```mlir
    %r = graph.reduce_log_sum %x {axes = array<i64: 2, 1>, keepdims = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3xf32>
    ```
  }];
}

def Graph_ReduceLogSumExpOp
    : Graph_ReduceOp<"reduce_log_sum_exp", Reduction_Tensor> {
  let summary = "Natural logarithm of the sum of exponentials along axes";
  let description = [{
    ```mlir
    %r = graph.reduce_log_sum_exp %x : (tensor<3x2x2xf64>) -> tensor<1x1x1xf64>
    ```
  }];
}

def Graph_ReduceMaxOp : Graph_ReduceOp<"reduce_max", Reduction_MinMaxTensor> {
  let summary = "Maximum along axes";
  let description = [{
    Folds when the input is a constant integer tensor.

    ```mlir
    %r = graph.reduce_max %x {axes = array<i64: 1>} : (tensor<3x2x2xf32>) -> tensor<3x1x2xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_ReduceMeanOp : Graph_ReduceOp<"reduce_mean", Reduction_Tensor> {
  let summary = "Arithmetic mean along axes";
  let description = [{
    ```mlir
    %r = graph.reduce_mean %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<3x2x2xf32>) -> tensor<3x2xf32>
    ```
  }];
}

def Graph_ReduceMinOp : Graph_ReduceOp<"reduce_min", Reduction_MinMaxTensor> {
  let summary = "Minimum along axes";
  let description = [{
    Folds when the input is a constant integer tensor.

    ```mlir
    %r = graph.reduce_min %x {axes = array<i64: -2>} : (tensor<3x2x2xi8>) -> tensor<3x1x2xi8>
    ```
  }];
  let hasFolder = 1;
}

def Graph_ReduceProdOp : Graph_ReduceOp<"reduce_prod", Reduction_Tensor> {
  let summary = "Product along axes";
  let description = [{
    Folds when the input is a constant integer tensor (integers wrap
    around): exported models compute flattened sizes this way.

    ```mlir
    %n = graph.reduce_prod %shape {keepdims = 0 : i64} : (tensor<4xi64>) -> tensor<i64>
    ```
  }];
  let hasFolder = 1;
}

def Graph_ReduceSumSquareOp
    : Graph_ReduceOp<"reduce_sum_square", Reduction_Tensor> {
  let summary = "Sum of squares along axes";
  let description = [{
    ```mlir
    %r = graph.reduce_sum_square %x {axes = array<i64: 0, 2>} : (tensor<3x2x2xf32>) -> tensor<1x2x1xf32>
    ```
  }];
}

def Graph_ReduceSumOp : Graph_PureOp<"reduce_sum"> {
  let summary = "Sum along axes given as an input";
  let description = [{
    Since opset 13 the axes are an optional 1-D i64 input (the importer
    turns the attribute of older opsets into a constant). With no axes, or
    an empty list, every dimension is reduced, unless
    `noop_with_empty_axes` is set: then the op returns its input. When the
    axes are not constant, the result has `?` dimensions (and its rank must
    be known: `keepdims` set, or axes of static length).

    ```mlir
    %axes = graph.constant dense<1> : tensor<1xi64>
    %r = graph.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Reduction_Tensor:$data,
                       Graph_Optional<Graph_I64Tensor>:$axes,
                       Graph_IntAttr<"1">:$keepdims,
                       Graph_IntAttr<"0">:$noop_with_empty_axes);
  let results = (outs Reduction_Tensor:$reduced);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, CumSum
//===----------------------------------------------------------------------===//

def Graph_ArgMaxOp : Graph_ArgReduceOp<"arg_max"> {
  let summary = "Index of the largest element along an axis";
  let description = [{
    Among equal maxima the first index is taken, or the last with
    `select_last_index = 1`. The result is i64, with the axis removed or,
    with `keepdims` (the default), kept as size 1.

    ```mlir
    %i = graph.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
    ```
  }];
}

def Graph_ArgMinOp : Graph_ArgReduceOp<"arg_min"> {
  let summary = "Index of the smallest element along an axis";
  let description = [{
    Among equal minima the first index is taken, or the last with
    `select_last_index = 1`.

    ```mlir
    %i = graph.arg_min %x {axis = -1 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
    ```
  }];
}

def Graph_CumSumOp : Graph_PureOp<"cum_sum"> {
  let summary = "Running sum along an axis";
  let description = [{
    `axis` is a scalar i32 or i64 input (a 1-element 1-D tensor is
    accepted too) in [-rank, rank). With `exclusive = 1` each element is
    the sum of the ones before it (the first is 0); with `reverse = 1` the
    sums run from the end.

    ```mlir
    %y = graph.cum_sum %x, %axis {exclusive = 1 : i64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
    ```
  }];
  let arguments = (ins Reduction_Tensor:$x, Graph_IndexTensor:$axis,
                       Graph_IntAttr<"0">:$exclusive,
                       Graph_IntAttr<"0">:$reverse);
  let results = (outs Reduction_Tensor:$y);
}

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

def Graph_SoftmaxOp : Graph_SoftmaxLikeOp<"softmax"> {
  let summary = "exp(x) / sum(exp(x)) along one axis";
  let description = [{
    Opset 13 semantics: normalizes along `axis` alone (default -1). Before
    opset 13 the input was flattened to 2-D at `axis`; the importer
    rewrites that form.

    ```mlir
    %y = graph.softmax %x {axis = 0 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    ```
  }];
}

def Graph_LogSoftmaxOp : Graph_SoftmaxLikeOp<"log_softmax"> {
  let summary = "log(softmax(x)) along one axis";
  let description = [{
    Opset 13 semantics, along `axis` alone (default -1).

    ```mlir
    %y = graph.log_softmax %x : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    ```
  }];
}

def Graph_HardmaxOp : Graph_SoftmaxLikeOp<"hardmax"> {
  let summary = "1 at the first maximum along one axis, 0 elsewhere";
  let description = [{
    Opset 13 semantics, along `axis` alone (default -1). Among equal
    maxima the first one gets the 1.

    ```mlir
    %y = graph.hardmax %x {axis = 1 : i64} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

def Graph_BatchNormalizationOp : Graph_PureOp<"batch_normalization"> {
  let summary = "Normalizes each channel with given or batch statistics";
  let description = [{
    Opset 15 semantics. X is N x C x D1 x ... (C is 1 for a 1-D X); scale,
    B, input_mean and input_var are 1-D of size C. scale and B share one
    element type, input_mean and input_var another. Opsets 9 to 13 had
    two more training outputs (saved mean and variance) and opsets before
    9 a `spatial` attribute; the importer maps those forms onto this one.

    With `training_mode = 0` (inference):
    `Y = (X - input_mean) / sqrt(input_var + epsilon) * scale + B`, and
    the running_mean and running_var results are not meaningful (ONNX
    forbids them; a lowering may leave them undefined). With
    `training_mode = 1` the statistics of the batch replace the inputs in
    Y, and `running_* = input_* * momentum + batch_* * (1 - momentum)`.

    ```mlir
    %y, %rm, %rv = graph.batch_normalization %x, %s, %b, %m, %v {epsilon = 0.00999999977 : f32} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>)
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$scale,
                       Graph_FloatTensor:$B, Graph_FloatTensor:$input_mean,
                       Graph_FloatTensor:$input_var,
                       Graph_FloatAttr<"1e-05">:$epsilon,
                       Graph_FloatAttr<"0.9">:$momentum,
                       Graph_IntAttr<"0">:$training_mode);
  let results = (outs Graph_FloatTensor:$Y, Graph_FloatTensor:$running_mean,
                      Graph_FloatTensor:$running_var);
}

def Graph_InstanceNormalizationOp : Graph_PureOp<"instance_normalization"> {
  let summary = "Normalizes each channel of each sample over its spatial dims";
  let description = [{
    `y = scale * (x - mean) / sqrt(variance + epsilon) + B`, with mean
    and variance taken over dimensions 2 and up of each (n, c). input has
    rank 3 or more; scale and B are 1-D of size C.

    ```mlir
    %y = graph.instance_normalization %x, %s, %b : (tensor<1x2x1x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                       Graph_FloatTensor:$B,
                       Graph_FloatAttr<"1e-05">:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
}

def Graph_LayerNormalizationOp : Graph_PureOp<"layer_normalization"> {
  let summary = "Normalizes over the trailing dimensions from an axis";
  let description = [{
    Opset 17 semantics. Mean and variance are taken over dimensions `axis`
    (default -1) to the last, computed in `stash_type` (default f32), then
    `Y = (X - Mean) * InvStdDev * Scale + B`. Scale and the optional B
    broadcast to X one way (numpy rules, X's shape wins). Mean and
    InvStdDev have X's leading dimensions and size 1 from `axis` on, with
    element type `stash_type`.

    ```mlir
    %none = graph.none
    %y, %mean, %inv = graph.layer_normalization %x, %scale, %none {axis = 1 : i64} : (tensor<2x3x5xf16>, tensor<3x5xf16>, none) -> (tensor<2x3x5xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
    ```
  }];
  // stash_type comes before epsilon so that it is not a trailing builder
  // parameter: its default needs a builder, which a C++ default argument
  // cannot name.
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatTensor:$Scale,
                       Graph_Optional<Graph_FloatTensor>:$B,
                       Graph_IntAttr<"-1">:$axis,
                       DefaultValuedAttr<TypeAttr,
                                         "$_builder.getF32Type()">:$stash_type,
                       Graph_FloatAttr<"1e-05">:$epsilon);
  let results = (outs Graph_FloatTensor:$Y, Graph_FloatTensor:$Mean,
                      Graph_FloatTensor:$InvStdDev);
}

def Graph_LRNOp : Graph_PureOp<"lrn"> {
  let summary = "Local response normalization across channels";
  let description = [{
    Each element is divided by
    `(bias + alpha / size * square_sum) ^ beta`, where `square_sum` adds
    the squares of the `size` neighbouring channels (dimension 1): from
    `c - floor((size - 1) / 2)` to `c + ceil((size - 1) / 2)`, clipped to
    the channel range. `size` is required.

    ```mlir
    %y = graph.lrn %x {alpha = 2.000000e-04 : f32, beta = 5.000000e-01 : f32, bias = 2.000000e+00 : f32, size = 3 : i64} : (tensor<5x5x5x5xf32>) -> tensor<5x5x5x5xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"0.0001">:$alpha,
                       Graph_FloatAttr<"0.75">:$beta,
                       Graph_FloatAttr<"1.0">:$bias, I64Attr:$size);
  let results = (outs Graph_FloatTensor:$Y);
}

def Graph_MeanVarianceNormalizationOp
    : Graph_PureOp<"mean_variance_normalization"> {
  let summary = "(X - mean) / sqrt(variance) over some axes";
  let description = [{
    Mean and variance (`E[X^2] - E[X]^2`) are taken over `axes` (default
    `[0, 2, 3]`, which needs rank 4 or more). There is no epsilon
    attribute: the ONNX function body divides by `sqrt(variance) + 1e-9`.

    ```mlir
    %y = graph.mean_variance_normalization %x : (tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 2, 3}">:$axes);
  let results = (outs Graph_FloatTensor:$Y);
}

def Graph_LpNormalizationOp : Graph_PureOp<"lp_normalization"> {
  let summary = "Divides by the L1 or L2 norm along an axis";
  let description = [{
    `p` is 1 or 2 (default 2); `axis` defaults to -1.

    ```mlir
    %y = graph.lp_normalization %x {axis = 0 : i64, p = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_IntAttr<"-1">:$axis,
                       Graph_IntAttr<"2">:$p);
  let results = (outs Graph_FloatTensor:$output);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD
