//===- GraphElementwiseOps.td - Elementwise ops ------------*- tablegen -*-===//
//
// Ops that compute each result element from the elements at the same
// position of their operands: the unary math and activation functions, the
// binary arithmetic, comparison and logical ops with numpy broadcasting, the
// variadic Max/Min/Mean/Sum, Where and Clip.
//
// Families of ops that infer their types the same way share a base class
// whose `inferResultTypes` is written once, in `extraClassDefinition`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD

include "dialects/Graph/IR/GraphBase.td"

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

/// A one-operand op whose result has its operand's type.
class Graph_UnaryOp<string mnemonic, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferUnaryTypes(getOperation(), /*boolResult=*/false, inferred);
    }
  }];
}

/// A unary op with ONNX operand and result names X and Y.
class Graph_UnaryXYOp<string mnemonic, Type type, list<Trait> traits = []>
    : Graph_UnaryOp<mnemonic, traits> {
  let arguments = (ins type:$X);
  let results = (outs type:$Y);
}

/// A unary op with ONNX operand and result names input and output.
class Graph_UnaryIOOp<string mnemonic, Type type, list<Trait> traits = []>
    : Graph_UnaryOp<mnemonic, traits> {
  let arguments = (ins type:$input);
  let results = (outs type:$output);
}

/// A one-operand test whose result is a bool tensor of the operand's shape.
class Graph_UnaryPredicateOp<string mnemonic, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let results = (outs Graph_BoolTensor:$Y);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferUnaryTypes(getOperation(), /*boolResult=*/true, inferred);
    }
  }];
}

/// A two-operand op with numpy broadcasting whose operands share one
/// element type, which is also the result's.
class Graph_ArithOp<string mnemonic, Type type, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let arguments = (ins type:$A, type:$B);
  let results = (outs type:$C);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBroadcastTypes(getOperation(), getOperation()->getOperands(),
                                 /*boolResult=*/false, inferred);
    }
  }];
}

/// A two-operand op with numpy broadcasting whose operands share one
/// element type and whose result is a bool tensor.
class Graph_CompareOp<string mnemonic, Type type, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let arguments = (ins type:$A, type:$B);
  let results = (outs Graph_BoolTensor:$C);
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBroadcastTypes(getOperation(), getOperation()->getOperands(),
                                 /*boolResult=*/true, inferred);
    }
  }];
}

/// An op over one or more operands of one element type, broadcast
/// together. Subclasses name the operand list data_0 and the result.
class Graph_VariadicOp<string mnemonic, list<Trait> traits = []>
    : Graph_PureOp<mnemonic, traits> {
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      if (getOperation()->getNumOperands() == 0)
        return emitOpError("requires at least one input");
      return inferBroadcastTypes(getOperation(), getOperation()->getOperands(),
                                 /*boolResult=*/false, inferred);
    }
  }];
}

// Element types of the ONNX type constraints that no shared constraint
// names.
defvar Elementwise_SignedNumericTensor =
    RankedTensorOf<[Graph_SignedInt, Graph_Float]>;
defvar Elementwise_UnsignedTensor = RankedTensorOf<[Graph_UnsignedInt]>;
defvar Elementwise_PReluTensor =
    RankedTensorOf<[Graph_Float, I32, I64, UI32, UI64]>;

//===----------------------------------------------------------------------===//
// Unary math
//===----------------------------------------------------------------------===//

def Graph_AbsOp : Graph_UnaryXYOp<"abs", Graph_NumericTensor> {
  let summary = "Absolute value";
  let description = [{
    `|X|`. For a signed integer type the most negative value stays as it
    is (two's complement wrap-around), as in C and numpy.

    ```mlir
    %y = graph.abs %x : (tensor<3xi32>) -> tensor<3xi32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_NegOp : Graph_UnaryXYOp<"neg", Elementwise_SignedNumericTensor> {
  let summary = "Negation";
  let description = [{
    `-X`. Signed integers wrap around (the most negative value is its own
    negation). ONNX has no Neg for unsigned types.

    ```mlir
    %y = graph.neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_SignOp : Graph_UnaryIOOp<"sign", Graph_NumericTensor> {
  let summary = "Sign: -1, 0 or 1";
  let description = [{
    -1 for negative elements, 0 for zeros, 1 for positive ones, in the
    input's type. NaN stays NaN.

    ```mlir
    %y = graph.sign %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ReciprocalOp : Graph_UnaryXYOp<"reciprocal", Graph_FloatTensor> {
  let summary = "1 / X";
  let description = [{
    ```mlir
    %y = graph.reciprocal %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_CeilOp : Graph_UnaryXYOp<"ceil", Graph_FloatTensor> {
  let summary = "Rounds up to an integral value";
  let description = [{
    ```mlir
    %y = graph.ceil %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_FloorOp : Graph_UnaryXYOp<"floor", Graph_FloatTensor> {
  let summary = "Rounds down to an integral value";
  let description = [{
    ```mlir
    %y = graph.floor %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_RoundOp : Graph_UnaryXYOp<"round", Graph_FloatTensor> {
  let summary = "Rounds to the nearest integral value, halves to even";
  let description = [{
    Halfway cases go to the even neighbour (`round(2.5) = 2`,
    `round(-1.5) = -2`), as numpy's `round` does; this is not C's `round`.

    ```mlir
    %y = graph.round %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_SqrtOp : Graph_UnaryXYOp<"sqrt", Graph_FloatTensor> {
  let summary = "Square root";
  let description = [{
    NaN for negative elements.

    ```mlir
    %y = graph.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ExpOp : Graph_UnaryIOOp<"exp", Graph_FloatTensor> {
  let summary = "Natural exponential";
  let description = [{
    ```mlir
    %y = graph.exp %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_LogOp : Graph_UnaryIOOp<"log", Graph_FloatTensor> {
  let summary = "Natural logarithm";
  let description = [{
    `-inf` for zeros, NaN for negative elements.

    ```mlir
    %y = graph.log %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_ErfOp : Graph_UnaryIOOp<"erf", Graph_NumericTensor> {
  let summary = "Gauss error function";
  let description = [{
    ONNX also allows integer types; their result is the float result
    converted back to the integer type.

    ```mlir
    %y = graph.erf %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_SinOp : Graph_UnaryIOOp<"sin", Graph_FloatTensor> {
  let summary = "Sine";
  let description = [{
    ```mlir
    %y = graph.sin %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_CosOp : Graph_UnaryIOOp<"cos", Graph_FloatTensor> {
  let summary = "Cosine";
  let description = [{
    ```mlir
    %y = graph.cos %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_TanOp : Graph_UnaryIOOp<"tan", Graph_FloatTensor> {
  let summary = "Tangent";
  let description = [{
    ```mlir
    %y = graph.tan %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AsinOp : Graph_UnaryIOOp<"asin", Graph_FloatTensor> {
  let summary = "Arcsine";
  let description = [{
    NaN outside [-1, 1].

    ```mlir
    %y = graph.asin %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AcosOp : Graph_UnaryIOOp<"acos", Graph_FloatTensor> {
  let summary = "Arccosine";
  let description = [{
    NaN outside [-1, 1].

    ```mlir
    %y = graph.acos %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AtanOp : Graph_UnaryIOOp<"atan", Graph_FloatTensor> {
  let summary = "Arctangent";
  let description = [{
    ```mlir
    %y = graph.atan %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_SinhOp : Graph_UnaryIOOp<"sinh", Graph_FloatTensor> {
  let summary = "Hyperbolic sine";
  let description = [{
    ```mlir
    %y = graph.sinh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_CoshOp : Graph_UnaryIOOp<"cosh", Graph_FloatTensor> {
  let summary = "Hyperbolic cosine";
  let description = [{
    ```mlir
    %y = graph.cosh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_TanhOp : Graph_UnaryIOOp<"tanh", Graph_FloatTensor> {
  let summary = "Hyperbolic tangent";
  let description = [{
    ```mlir
    %y = graph.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AsinhOp : Graph_UnaryIOOp<"asinh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic sine";
  let description = [{
    ```mlir
    %y = graph.asinh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AcoshOp : Graph_UnaryIOOp<"acosh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic cosine";
  let description = [{
    NaN below 1.

    ```mlir
    %y = graph.acosh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def Graph_AtanhOp : Graph_UnaryIOOp<"atanh", Graph_FloatTensor> {
  let summary = "Inverse hyperbolic tangent";
  let description = [{
    NaN outside [-1, 1], infinite at -1 and 1.

    ```mlir
    %y = graph.atanh %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Unary logic and tests
//===----------------------------------------------------------------------===//

def Graph_NotOp : Graph_UnaryXYOp<"not", Graph_BoolTensor> {
  let summary = "Logical negation";
  let description = [{
    ```mlir
    %y = graph.not %x : (tensor<4xi1>) -> tensor<4xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_IsNaNOp : Graph_UnaryPredicateOp<"is_nan"> {
  let summary = "Whether each element is NaN";
  let description = [{
    ```mlir
    %y = graph.is_nan %x : (tensor<4xf32>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X);
}

def Graph_IsInfOp : Graph_UnaryPredicateOp<"is_inf"> {
  let summary = "Whether each element is an infinity";
  let description = [{
    `detect_positive` and `detect_negative` (both 1 by default) choose
    which infinities count; with both 0 every result element is false.

    ```mlir
    %y = graph.is_inf %x {detect_negative = 0 : i64} : (tensor<4xf32>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       Graph_IntAttr<"1">:$detect_negative,
                       Graph_IntAttr<"1">:$detect_positive);
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def Graph_ReluOp : Graph_UnaryXYOp<"relu", Elementwise_SignedNumericTensor> {
  let summary = "max(0, X)";
  let description = [{
    ```mlir
    %y = graph.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

def Graph_LeakyReluOp : Graph_UnaryXYOp<"leaky_relu", Graph_FloatTensor> {
  let summary = "X for X >= 0, alpha * X below";
  let description = [{
    `alpha` defaults to 0.01.

    ```mlir
    %y = graph.leaky_relu %x {alpha = 1.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"0.01">:$alpha);
}

def Graph_EluOp : Graph_UnaryXYOp<"elu", Graph_FloatTensor> {
  let summary = "X for X >= 0, alpha * (exp(X) - 1) below";
  let description = [{
    `alpha` defaults to 1.

    ```mlir
    %y = graph.elu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"1.0">:$alpha);
}

def Graph_CeluOp : Graph_UnaryXYOp<"celu", Graph_FloatTensor> {
  let summary = "max(0, X) + min(0, alpha * (exp(X / alpha) - 1))";
  let description = [{
    `alpha` defaults to 1. ONNX defines Celu for f32 only; the other float
    types are accepted with the same formula.

    ```mlir
    %y = graph.celu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"1.0">:$alpha);
}

def Graph_SeluOp : Graph_UnaryXYOp<"selu", Graph_FloatTensor> {
  let summary = "gamma * X for X > 0, gamma * alpha * (exp(X) - 1) otherwise";
  let description = [{
    The defaults are the self-normalizing constants
    `alpha = 1.67326319...` and `gamma = 1.05070102...` (as f32).

    ```mlir
    %y = graph.selu %x {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       Graph_FloatAttr<"1.67326319217681884765625">:$alpha,
                       Graph_FloatAttr<"1.05070102214813232421875">:$gamma);
}

def Graph_HardSigmoidOp : Graph_UnaryXYOp<"hard_sigmoid", Graph_FloatTensor> {
  let summary = "max(0, min(1, alpha * X + beta))";
  let description = [{
    `alpha` defaults to 0.2 and `beta` to 0.5.

    ```mlir
    %y = graph.hard_sigmoid %x {alpha = 5.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"0.2">:$alpha,
                       Graph_FloatAttr<"0.5">:$beta);
}

def Graph_HardSwishOp : Graph_UnaryXYOp<"hard_swish", Graph_FloatTensor> {
  let summary = "X * max(0, min(1, X / 6 + 1 / 2))";
  let description = [{
    HardSigmoid with `alpha = 1/6`, `beta = 0.5`, times X.

    ```mlir
    %y = graph.hard_swish %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

def Graph_SigmoidOp : Graph_UnaryXYOp<"sigmoid", Graph_FloatTensor> {
  let summary = "1 / (1 + exp(-X))";
  let description = [{
    ```mlir
    %y = graph.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

def Graph_ThresholdedReluOp
    : Graph_UnaryXYOp<"thresholded_relu", Graph_FloatTensor> {
  let summary = "X where X > alpha, 0 elsewhere";
  let description = [{
    `alpha` defaults to 1.

    ```mlir
    %y = graph.thresholded_relu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X, Graph_FloatAttr<"1.0">:$alpha);
}

def Graph_ShrinkOp : Graph_UnaryIOOp<"shrink", Graph_NumericTensor> {
  let summary = "Soft or hard shrinkage around zero";
  let description = [{
    `x + bias` where `x < -lambd`, `x - bias` where `x > lambd`, 0
    elsewhere. `lambd` defaults to 0.5 and `bias` to 0 (hard shrinkage).
    Integer inputs compare and subtract in float and convert back.

    ```mlir
    %y = graph.shrink %x {bias = 1.500000e+00 : f32, lambd = 1.500000e+00 : f32} : (tensor<5xf32>) -> tensor<5xf32>
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$input, Graph_FloatAttr<"0.0">:$bias,
                       Graph_FloatAttr<"0.5">:$lambd);
}

def Graph_SoftplusOp : Graph_UnaryXYOp<"softplus", Graph_FloatTensor> {
  let summary = "log(exp(X) + 1)";
  let description = [{
    ```mlir
    %y = graph.softplus %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

def Graph_SoftsignOp : Graph_UnaryIOOp<"softsign", Graph_FloatTensor> {
  let summary = "X / (1 + |X|)";
  let description = [{
    ```mlir
    %y = graph.softsign %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Binary arithmetic
//===----------------------------------------------------------------------===//

def Graph_AddOp : Graph_ArithOp<"add", Graph_NumericTensor> {
  let summary = "A + B with broadcasting";
  let description = [{
    Operands broadcast numpy-style (trailing dimensions aligned; a size-1
    dimension stretches). Integers wrap around. Before opset 7 the
    arithmetic ops broadcast only B, as directed by `broadcast` and `axis`
    attributes; the importer reshapes B so that numpy rules give the same
    result, for Add and the other binary ops alike.

    ```mlir
    %c = graph.add %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_SubOp : Graph_ArithOp<"sub", Graph_NumericTensor> {
  let summary = "A - B with broadcasting";
  let description = [{
    Integers wrap around.

    ```mlir
    %c = graph.sub %a, %b : (tensor<3x4xi64>, tensor<1xi64>) -> tensor<3x4xi64>
    ```
  }];
  let hasFolder = 1;
}

def Graph_MulOp : Graph_ArithOp<"mul", Graph_NumericTensor> {
  let summary = "A * B with broadcasting";
  let description = [{
    Integers wrap around.

    ```mlir
    %c = graph.mul %a, %b : (tensor<2x1xf32>, tensor<1x5xf32>) -> tensor<2x5xf32>
    ```
  }];
  let hasFolder = 1;
}

def Graph_DivOp : Graph_ArithOp<"div", Graph_NumericTensor> {
  let summary = "A / B with broadcasting";
  let description = [{
    Integer division truncates toward zero (as C does, and as the ONNX
    reference does by converting the quotient back to the integer type);
    dividing an integer by zero is undefined and never folded.

    ```mlir
    %c = graph.div %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
    ```
  }];
  let hasFolder = 1;
}

def Graph_ModOp : Graph_PureOp<"mod"> {
  let summary = "Remainder of A / B with broadcasting";
  let description = [{
    With `fmod = 0` (the default, integers only) the result takes the sign
    of the divisor B, like Python's `%`. With `fmod = 1` it takes the sign
    of the dividend A, like C's `fmod` and `%`. Floating-point operands
    require `fmod = 1`.

    ```mlir
    %c = graph.mod %a, %b {fmod = 1 : i64} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$A, Graph_NumericTensor:$B,
                       Graph_IntAttr<"0">:$fmod);
  let results = (outs Graph_NumericTensor:$C);
  let hasFolder = 1;
}

def Graph_PowOp : Graph_PureOp<"pow"> {
  let summary = "X raised to the power Y, with broadcasting";
  let description = [{
    Y may have another element type than X; the result has X's. An
    integer X with a float Y computes in floating point and converts back.

    ```mlir
    %z = graph.pow %x, %y : (tensor<3xf32>, tensor<i64>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I32, I64, Graph_Float]>:$X,
                       Graph_NumericTensor:$Y);
  let results = (outs RankedTensorOf<[I32, I64, Graph_Float]>:$Z);
  let hasFolder = 1;
}

def Graph_BitShiftOp : Graph_PureOp<"bit_shift"> {
  let summary = "Shifts the bits of X by Y, with broadcasting";
  let description = [{
    `direction` (required) is `"LEFT"` or `"RIGHT"`. Unsigned types only,
    so a right shift brings in zeros.

    ```mlir
    %z = graph.bit_shift %x, %y {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    ```
  }];
  let arguments = (ins Elementwise_UnsignedTensor:$X,
                       Elementwise_UnsignedTensor:$Y, StrAttr:$direction);
  let results = (outs Elementwise_UnsignedTensor:$Z);
  let hasFolder = 1;
}

def Graph_PReluOp : Graph_PureOp<"prelu"> {
  let summary = "X for X >= 0, slope * X below";
  let description = [{
    `slope` broadcasts to X in one direction only: the result has X's
    shape, and slope must have no more dimensions than X, each 1 or equal
    to X's.

    ```mlir
    %y = graph.prelu %x, %slope : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Elementwise_PReluTensor:$X,
                       Elementwise_PReluTensor:$slope);
  let results = (outs Elementwise_PReluTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

def Graph_EqualOp : Graph_CompareOp<"equal", Graph_Tensor> {
  let summary = "A == B with broadcasting";
  let description = [{
    Any ONNX element type, bool included. NaN equals nothing; `-0.0`
    equals `0.0`.

    ```mlir
    %c = graph.equal %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_GreaterOp : Graph_CompareOp<"greater", Graph_NumericTensor> {
  let summary = "A > B with broadcasting";
  let description = [{
    Unsigned types compare as unsigned. Comparisons with NaN are false.

    ```mlir
    %c = graph.greater %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_GreaterOrEqualOp
    : Graph_CompareOp<"greater_or_equal", Graph_NumericTensor> {
  let summary = "A >= B with broadcasting";
  let description = [{
    ```mlir
    %c = graph.greater_or_equal %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_LessOp : Graph_CompareOp<"less", Graph_NumericTensor> {
  let summary = "A < B with broadcasting";
  let description = [{
    ```mlir
    %c = graph.less %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_LessOrEqualOp
    : Graph_CompareOp<"less_or_equal", Graph_NumericTensor> {
  let summary = "A <= B with broadcasting";
  let description = [{
    ```mlir
    %c = graph.less_or_equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_AndOp : Graph_CompareOp<"and", Graph_BoolTensor> {
  let summary = "Logical and with broadcasting";
  let description = [{
    ```mlir
    %c = graph.and %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_OrOp : Graph_CompareOp<"or", Graph_BoolTensor> {
  let summary = "Logical or with broadcasting";
  let description = [{
    ```mlir
    %c = graph.or %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
    ```
  }];
  let hasFolder = 1;
}

def Graph_XorOp : Graph_CompareOp<"xor", Graph_BoolTensor> {
  let summary = "Logical exclusive or with broadcasting";
  let description = [{
    ```mlir
    %c = graph.xor %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
    ```
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Variadic ops
//===----------------------------------------------------------------------===//

def Graph_MaxOp : Graph_VariadicOp<"max"> {
  let summary = "Elementwise maximum of one or more tensors";
  let description = [{
    All inputs broadcast together. A NaN in any input gives NaN.

    ```mlir
    %m = graph.max %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_NumericTensor>:$data_0);
  let results = (outs Graph_NumericTensor:$max);
  let hasFolder = 1;
}

def Graph_MinOp : Graph_VariadicOp<"min"> {
  let summary = "Elementwise minimum of one or more tensors";
  let description = [{
    All inputs broadcast together. A NaN in any input gives NaN.

    ```mlir
    %m = graph.min %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
    ```
  }];
  let arguments = (ins Variadic<Graph_NumericTensor>:$data_0);
  let results = (outs Graph_NumericTensor:$min);
  let hasFolder = 1;
}

def Graph_MeanOp : Graph_VariadicOp<"mean"> {
  let summary = "Elementwise mean of one or more tensors";
  let description = [{
    The sum of the broadcast inputs divided by their number.

    ```mlir
    %m = graph.mean %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_FloatTensor>:$data_0);
  let results = (outs Graph_FloatTensor:$mean);
}

def Graph_SumOp : Graph_VariadicOp<"sum"> {
  let summary = "Elementwise sum of one or more tensors";
  let description = [{
    Adds the broadcast inputs from first to last. ONNX lists float types
    only; integer types are accepted too (they wrap around, like Add), so
    that integer shape arithmetic can use and fold it.

    ```mlir
    %s = graph.sum %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_NumericTensor>:$data_0);
  let results = (outs Graph_NumericTensor:$sum);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Where, Clip
//===----------------------------------------------------------------------===//

def Graph_WhereOp : Graph_PureOp<"where"> {
  let summary = "Picks from X where condition holds, else from Y";
  let description = [{
    The three operands broadcast together; X and Y share an element type.

    ```mlir
    %r = graph.where %cond, %x, %y : (tensor<2x2xi1>, tensor<2x2xi64>, tensor<i64>) -> tensor<2x2xi64>
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$condition, Graph_Tensor:$X,
                       Graph_Tensor:$Y);
  let results = (outs Graph_Tensor:$output);
  let hasFolder = 1;
}

def Graph_ClipOp : Graph_PureOp<"clip"> {
  let summary = "Limits each element to [min, max]";
  let description = [{
    `min` and `max` are optional one-element tensors of the input's type
    (scalars in ONNX; a 1-element 1-D tensor is accepted too). An absent
    bound is the lowest or highest value of the type. Before opset 11 the
    bounds were attributes; the importer turns them into constants.

    ```mlir
    %none = graph.none
    %y = graph.clip %x, %lo, %none : (tensor<3x4xf32>, tensor<f32>, none) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_NumericTensor:$input,
                       Graph_Optional<Graph_NumericTensor>:$min,
                       Graph_Optional<Graph_NumericTensor>:$max);
  let results = (outs Graph_NumericTensor:$output);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
