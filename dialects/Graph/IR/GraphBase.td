//===- GraphBase.td - Graph dialect definition -------------*- tablegen -*-===//
//
// The `graph` dialect: a model as its author wrote it, with ONNX semantics.
// This file defines the dialect, the element and tensor type constraints the
// ops use, and the base class every op derives from.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHBASE_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributes.td"
include "dialects/Graph/IR/GraphInterfaces.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::kiln::graph";
  let summary = "Tensor graphs with ONNX semantics";
  let description = [{
    The `graph` dialect holds a model as its author wrote it. Values are
    ranked tensors with value semantics; dimensions may be dynamic (`?`).
    There is one op per ONNX operator, carrying the semantics of its opset 17
    version: the importer rewrites older versions into this form (attributes
    that later opsets turned into inputs become constant inputs, changed
    defaults are made explicit). Absent optional inputs are `none` values
    from `graph.none`.

    Every op infers its result types from its operands' types, its
    attributes and the values of constant operands
    (`ShapeInferenceOpInterface`). The verifier checks that each result type
    is the inferred one or a refinement of it (a declared static dimension
    where inference gave `?`). Folders evaluate the shape arithmetic that
    exported models carry (`Shape`, `Gather`, `Concat`, `Reshape` of
    constants), so that with static input shapes every value is static.

    Element types follow ONNX: `f16`, `bf16`, `f32`, `f64`, signless `i8` to
    `i64` for the signed integers, `ui8` to `ui64` for the unsigned ones and
    `i1` for bool. Nothing in this dialect is about hardware.
  }];
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let extraClassDeclaration = [{
    /// Name of the argument and result attribute that carries the ONNX name
    /// of a graph input or output on the entry function.
    static constexpr ::llvm::StringLiteral kNameAttr = "graph.name";
  }];
}

//===----------------------------------------------------------------------===//
// Element and tensor types
//===----------------------------------------------------------------------===//

def Graph_Float : AnyTypeOf<[F16, BF16, F32, F64], "floating-point">;
def Graph_SignedInt : AnyTypeOf<[I8, I16, I32, I64], "signed integer">;
def Graph_UnsignedInt : AnyTypeOf<[UI8, UI16, UI32, UI64], "unsigned integer">;
def Graph_Int : AnyTypeOf<[Graph_SignedInt, Graph_UnsignedInt], "integer">;
def Graph_Bool : TypeAlias<I1, "bool">;
def Graph_Numeric : AnyTypeOf<[Graph_Float, Graph_Int], "numeric">;
def Graph_Element : AnyTypeOf<[Graph_Numeric, Graph_Bool], "ONNX element">;

def Graph_Tensor : RankedTensorOf<[Graph_Element]>;
def Graph_NumericTensor : RankedTensorOf<[Graph_Numeric]>;
def Graph_FloatTensor : RankedTensorOf<[Graph_Float]>;
def Graph_IntTensor : RankedTensorOf<[Graph_Int]>;
def Graph_BoolTensor : RankedTensorOf<[I1]>;
def Graph_I64Tensor : RankedTensorOf<[I64]>;
def Graph_IndexTensor : RankedTensorOf<[I32, I64]>;
def Graph_Int8Tensor : RankedTensorOf<[I8, UI8]>;

/// An optional input: a tensor, or the `none` value of an absent input.
class Graph_Optional<Type type> : AnyTypeOf<[type, NoneType]>;

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

// ONNX attribute kinds: INT is a 64-bit integer, FLOAT a 32-bit float, INTS
// and FLOATS dense arrays, STRING a string, TENSOR an elements attribute.
class Graph_IntAttr<string default> : DefaultValuedAttr<I64Attr, default>;
class Graph_FloatAttr<string default> : DefaultValuedAttr<F32Attr, default>;
class Graph_StrAttr<string default> : DefaultValuedStrAttr<StrAttr, default>;
def Graph_OptIntsAttr : OptionalAttr<DenseI64ArrayAttr>;

//===----------------------------------------------------------------------===//
// Base op
//===----------------------------------------------------------------------===//

/// Every graph op infers its result types, and is printed in one generic
/// form: operands, attributes, then the function type.
class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, !listconcat(traits,
          [DeclareOpInterfaceMethods<Graph_ShapeInferenceOpInterface>])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

/// A pure op: no side effects, so CSE and DCE may remove or merge it.
class Graph_PureOp<string mnemonic, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits, [Pure])>;

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHBASE_TD
