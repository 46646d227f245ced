//===- GraphQuantOps.td - Linear quantization --------------*- tablegen -*-===//
//
// The ONNX ops of linear (scale and zero point) quantization: quantize and
// dequantize, and the integer convolution and matrix products of quantized
// models.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD

include "dialects/Graph/IR/GraphBase.td"

def GraphQuant_F32Tensor : RankedTensorOf<[F32]>;
def GraphQuant_I32Tensor : RankedTensorOf<[I32]>;
def GraphQuant_UI8Tensor : RankedTensorOf<[UI8]>;
/// What QuantizeLinear quantizes: float, or int32 (accumulators).
def GraphQuant_QuantizableTensor : RankedTensorOf<[F32, I32]>;
/// What DequantizeLinear dequantizes.
def GraphQuant_QuantizedTensor : RankedTensorOf<[I8, UI8, I32]>;

//===----------------------------------------------------------------------===//
// Quantize and dequantize
//===----------------------------------------------------------------------===//

def Graph_QuantizeLinearOp : Graph_PureOp<"quantize_linear"> {
  let summary = "Float (or int32) to 8-bit: saturate(round(x / scale) + zp)";
  let description = [{
    Rounds half to even and saturates to the range of the result type,
    which is the type of `y_zero_point`, or `ui8` without one. A scalar (or
    one-element) `y_scale` quantizes per tensor; a 1-D one holds a scale per
    index of dim `axis` of `x` (per-axis, opset 13). `y_zero_point` has the
    shape of `y_scale`.

    ```mlir
    %y = graph.quantize_linear %x, %scale, %zp : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x2xi8>
    ```
  }];
  let arguments = (ins GraphQuant_QuantizableTensor:$x,
                       GraphQuant_F32Tensor:$y_scale,
                       Graph_Optional<Graph_Int8Tensor>:$y_zero_point,
                       Graph_IntAttr<"1">:$axis);
  let results = (outs Graph_Int8Tensor:$y);
}

def Graph_DequantizeLinearOp : Graph_PureOp<"dequantize_linear"> {
  let summary = "Integer to float: (x - zero_point) * scale";
  let description = [{
    `x_zero_point` has the element type of `x` (and must be 0 for `i32`
    input). Scale and zero point are per tensor or per `axis` as in
    `quantize_linear`. The result is `f32`.

    ```mlir
    %y = graph.dequantize_linear %x, %scale, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins GraphQuant_QuantizedTensor:$x,
                       GraphQuant_F32Tensor:$x_scale,
                       Graph_Optional<GraphQuant_QuantizedTensor>:$x_zero_point,
                       Graph_IntAttr<"1">:$axis);
  let results = (outs GraphQuant_F32Tensor:$y);
}

def Graph_DynamicQuantizeLinearOp
    : Graph_PureOp<"dynamic_quantize_linear"> {
  let summary = "Quantizes to ui8 with a scale and zero point from the data";
  let description = [{
    The range `[min(0, min(x)), max(0, max(x))]` maps to `[0, 255]`:
    `y_scale = range / 255`, `y_zero_point = saturate(round(-min / scale))`,
    then `y` as in `quantize_linear`. The scale and zero point are scalars.

    ```mlir
    %y, %scale, %zp = graph.dynamic_quantize_linear %x : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
    ```
  }];
  let arguments = (ins GraphQuant_F32Tensor:$x);
  let results = (outs GraphQuant_UI8Tensor:$y, GraphQuant_F32Tensor:$y_scale,
                      GraphQuant_UI8Tensor:$y_zero_point);
}

//===----------------------------------------------------------------------===//
// Integer products
//===----------------------------------------------------------------------===//

def Graph_QLinearConvOp : Graph_PureOp<"qlinear_conv"> {
  let summary = "Convolution of quantized tensors with a quantized result";
  let description = [{
    Dequantizes `x` and `w`, convolves as `conv` (same attributes and
    shapes), adds the i32 bias `B` (scaled by `x_scale * w_scale`), and
    quantizes with `y_scale` and `y_zero_point`, whose element type the
    result takes. `x` and `y` are quantized per tensor; `w` per tensor or
    per output channel (`w_scale` and `w_zero_point` of `[M]`).
    Canonicalization makes pads explicit as for `conv`.

    ```mlir
    %y = graph.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %none : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xui8>, tensor<1xf32>, tensor<1xui8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x1x7x7xui8>
    ```
  }];
  let arguments = (ins Graph_Int8Tensor:$x, GraphQuant_F32Tensor:$x_scale,
                       Graph_Int8Tensor:$x_zero_point,
                       Graph_Int8Tensor:$w, GraphQuant_F32Tensor:$w_scale,
                       Graph_Int8Tensor:$w_zero_point,
                       GraphQuant_F32Tensor:$y_scale,
                       Graph_Int8Tensor:$y_zero_point,
                       Graph_Optional<GraphQuant_I32Tensor>:$B,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_OptIntsAttr:$dilations,
                       Graph_IntAttr<"1">:$group,
                       Graph_OptIntsAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs Graph_Int8Tensor:$y);
  let hasCanonicalizer = 1;
}

def Graph_QLinearMatMulOp : Graph_PureOp<"qlinear_mat_mul"> {
  let summary = "Matrix product of quantized tensors with a quantized result";
  let description = [{
    Numpy matmul of the dequantized `a` and `b`, quantized with `y_scale`
    and `y_zero_point` (whose element type the result takes). Scales and
    zero points are per tensor, or per row of `a` / per column of `b`.

    ```mlir
    %y = graph.qlinear_mat_mul %a, %as, %az, %b, %bs, %bz, %ys, %yz : (tensor<2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x3xui8>
    ```
  }];
  let arguments = (ins Graph_Int8Tensor:$a, GraphQuant_F32Tensor:$a_scale,
                       Graph_Int8Tensor:$a_zero_point,
                       Graph_Int8Tensor:$b, GraphQuant_F32Tensor:$b_scale,
                       Graph_Int8Tensor:$b_zero_point,
                       GraphQuant_F32Tensor:$y_scale,
                       Graph_Int8Tensor:$y_zero_point);
  let results = (outs Graph_Int8Tensor:$y);
}

def Graph_MatMulIntegerOp : Graph_PureOp<"mat_mul_integer"> {
  let summary = "Numpy matmul of 8-bit integers into i32";
  let description = [{
    Subtracts the optional zero points (per tensor, per row of `A` or per
    column of `B`) and accumulates in i32.

    ```mlir
    %y = graph.mat_mul_integer %a, %b, %az, %none : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<1xui8>, none) -> tensor<4x2xi32>
    ```
  }];
  let arguments = (ins Graph_Int8Tensor:$A, Graph_Int8Tensor:$B,
                       Graph_Optional<Graph_Int8Tensor>:$a_zero_point,
                       Graph_Optional<Graph_Int8Tensor>:$b_zero_point);
  let results = (outs GraphQuant_I32Tensor:$Y);
}

def Graph_ConvIntegerOp : Graph_PureOp<"conv_integer"> {
  let summary = "Convolution of 8-bit integers into i32";
  let description = [{
    `conv` (same attributes and shapes, no bias) of `x - x_zero_point` and
    `w - w_zero_point`, accumulated in i32. `x_zero_point` is per tensor;
    `w_zero_point` per tensor or per output channel. Canonicalization makes
    pads explicit as for `conv`.

    ```mlir
    %y = graph.conv_integer %x, %w, %xz, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>, none) -> tensor<1x1x4x4xi32>
    ```
  }];
  let arguments = (ins Graph_Int8Tensor:$x, Graph_Int8Tensor:$w,
                       Graph_Optional<Graph_Int8Tensor>:$x_zero_point,
                       Graph_Optional<Graph_Int8Tensor>:$w_zero_point,
                       Graph_StrAttr<"NOTSET">:$auto_pad,
                       Graph_OptIntsAttr:$dilations,
                       Graph_IntAttr<"1">:$group,
                       Graph_OptIntsAttr:$kernel_shape,
                       Graph_OptIntsAttr:$pads,
                       Graph_OptIntsAttr:$strides);
  let results = (outs GraphQuant_I32Tensor:$y);
  let hasCanonicalizer = 1;
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD
