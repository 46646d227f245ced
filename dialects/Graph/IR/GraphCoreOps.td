//===- GraphCoreOps.td - Constants, casts and shapes -------*- tablegen -*-===//
//
// The ops every graph needs: constants, absent optional values, identity,
// casts, and the ops that produce shapes and shape-like tensors.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHCOREOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHCOREOPS_TD

include "dialects/Graph/IR/GraphBase.td"

def Graph_ConstantOp : Graph_PureOp<"constant",
    [ConstantLike, AllTypesMatch<["value", "output"]>]> {
  let summary = "A tensor known when the model is compiled";
  let description = [{
    Holds a weight, an initializer or the value of an ONNX `Constant` node.
    The importer turns every `Constant` form (`value`, `value_float(s)`,
    `value_int(s)`) into this op; folders produce it too.

    ```mlir
    %w = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Graph_NoneOp : Graph_PureOp<"none", [ConstantLike]> {
  let summary = "The value of an absent optional input";
  let description = [{
    ONNX marks an optional input as absent with an empty name. Graph ops
    take a `none` value in that position instead.

    ```mlir
    %none = graph.none
    %y = graph.conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
    ```
  }];
  let results = (outs NoneType:$output);
  let assemblyFormat = "attr-dict";
  let hasFolder = 1;
}

def Graph_IdentityOp : Graph_PureOp<"identity", [SameOperandsAndResultType]> {
  let summary = "Returns its input";
  let description = [{
    ```mlir
    %y = graph.identity %x : (tensor<2xf32>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_CastOp : Graph_PureOp<"cast"> {
  let summary = "Converts each element to another element type";
  let description = [{
    `to` is the target element type. Float to integer rounds toward zero;
    float to bool and integer to bool test for non-zero; out-of-range
    conversions follow the C rules the ONNX reference uses. Cast with
    `saturate` (opset 19) is not part of opsets 1-17.

    ```mlir
    %y = graph.cast %x {to = i64} : (tensor<3xf32>) -> tensor<3xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, TypeAttr:$to);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_ShapeOp : Graph_PureOp<"shape"> {
  let summary = "The shape of a tensor as a 1-D i64 tensor";
  let description = [{
    Returns dimensions `start` to `end` (exclusive; negative values count
    from the back, `end` defaults to the rank). Folds to a constant when
    those dimensions are static.

    ```mlir
    %s = graph.shape %x : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IntAttr<"0">:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs Graph_I64Tensor:$shape);
  let hasFolder = 1;
}

def Graph_SizeOp : Graph_PureOp<"size"> {
  let summary = "The number of elements of a tensor as an i64 scalar";
  let description = [{
    ```mlir
    %n = graph.size %x : (tensor<2x3xf32>) -> tensor<i64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data);
  let results = (outs Graph_I64Tensor:$size);
  let hasFolder = 1;
}

def Graph_ConstantOfShapeOp : Graph_PureOp<"constant_of_shape"> {
  let summary = "A tensor of a given shape filled with one value";
  let description = [{
    `input` is a 1-D i64 tensor holding the shape; `value` a one-element
    tensor holding the fill value and its element type (default `0.0 : f32`).

    ```mlir
    %y = graph.constant_of_shape %shape {value = dense<1> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xi32>
    ```
  }];
  let arguments = (ins Graph_I64Tensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_RangeOp : Graph_PureOp<"range"> {
  let summary = "The sequence start, start + delta, ... up to limit";
  let description = [{
    The three inputs are scalars of one numeric type. The result has
    `max(ceil((limit - start) / delta), 0)` elements.

    ```mlir
    %r = graph.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$start, Graph_NumericTensor:$limit,
                       Graph_NumericTensor:$delta);
  let results = (outs Graph_NumericTensor:$output);
  let hasFolder = 1;
}

def Graph_EyeLikeOp : Graph_PureOp<"eye_like"> {
  let summary = "A 2-D tensor with ones on one diagonal";
  let description = [{
    Has the shape of `input`, element type `dtype` (default the input's),
    and ones on the diagonal `k` (positive above the main diagonal).

    ```mlir
    %y = graph.eye_like %x {k = 1} : (tensor<3x4xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, OptionalAttr<TypeAttr>:$dtype,
                       Graph_IntAttr<"0">:$k);
  let results = (outs Graph_Tensor:$output);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHCOREOPS_TD
