//===- OpImporters.cpp - Ops whose ONNX form needs a rewrite --------------===//
//
// The graph dialect has one form per op, its opset-17 one. Nodes of older
// opset versions whose signature or semantics differ are rewritten here:
// attributes that became inputs turn into constant inputs, legacy
// broadcasting becomes numpy broadcasting, Softmax's coerce-to-2D semantics
// become a reshape around a one-axis Softmax, and so on. `Constant` and
// `CastLike` are handled here too.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ControlFlowImporters.h"
#include "compiler/Import/GraphImporter.h"
#include "compiler/Import/SequenceImporters.h"
#include "compiler/Import/NodeImporter.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "llvm/ADT/StringMap.h"

#include <onnx/defs/schema.h>

#include <cfloat>

using namespace mlir;

namespace kiln {
namespace {

/// Input positions of the opset-17 op that receive `value` instead of the
/// node's input at that position.
using InputOverrides = ArrayRef<std::pair<unsigned, Value>>;

/// Imports `node` as its opset-17 op, with some inputs replaced.
LogicalResult importWithInputs(NodeImporter &node, InputOverrides overrides,
                               ArrayRef<NamedAttribute> extraAttrs = {},
                               ArrayRef<StringRef> skipAttrs = {}) {
  const onnx::OpSchema *latest = onnx::OpSchemaRegistry::Schema(
      node.getOpType().str(), int(kMaxSupportedOpset), "");
  SmallVector<Value> operands;
  for (unsigned i = 0; i < latest->inputs().size(); ++i) {
    auto it = llvm::find_if(overrides, [&](auto &p) { return p.first == i; });
    operands.push_back(it != overrides.end() ? it->second : node.getInput(i));
  }
  FailureOr<SmallVector<NamedAttribute>> attrs =
      node.convertAttributes(skipAttrs);
  if (failed(attrs))
    return failure();
  attrs->append(extraAttrs.begin(), extraAttrs.end());
  unsigned numResults = latest->outputs().size();
  if (latest->outputs().back().GetOption() == onnx::OpSchema::Variadic)
    numResults = node.getNode().output_size();
  FailureOr<SmallVector<Value>> results = node.createOp(
      getGraphMnemonic(node.getOpType()), operands, *attrs, numResults);
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

/// The element type of input `i` (which must be a tensor).
Type inputElementType(NodeImporter &node, unsigned i) {
  return cast<RankedTensorType>(node.getInput(i).getType()).getElementType();
}

/// A 1-D i64 constant from an INTS attribute, or the `none` value when the
/// attribute is absent.
Value intsAttrAsInput(NodeImporter &node, StringRef name) {
  if (std::optional<SmallVector<int64_t>> ints = node.getIntsAttr(name))
    return node.createI64Vector(*ints);
  return node.createNone();
}

//===----------------------------------------------------------------------===//
// Constant, CastLike, Cast-1
//===----------------------------------------------------------------------===//

LogicalResult importConstant(NodeImporter &node) {
  const onnx::NodeProto &proto = node.getNode();
  if (proto.attribute_size() != 1)
    return node.emitError() << "Constant needs exactly one value attribute";
  const onnx::AttributeProto &attr = proto.attribute(0);
  StringRef name = attr.name();
  Builder b(node.getContext());
  ElementsAttr value;
  if (name == "value") {
    FailureOr<ElementsAttr> tensor =
        node.getGraphImporter().getTensorImporter().importTensor(
            attr.t(), node.getContext(), node.getLoc(), "attribute 'value'");
    if (failed(tensor))
      return failure();
    value = *tensor;
  } else if (name == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   attr.f());
  } else if (name == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   int64_t(attr.i()));
  } else if (name == "value_floats") {
    SmallVector<float> floats(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(floats.size())}, b.getF32Type()),
        ArrayRef<float>(floats));
  } else if (name == "value_ints") {
    SmallVector<int64_t> ints(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(ints.size())}, b.getI64Type()),
        ArrayRef<int64_t>(ints));
  } else {
    return node.emitError() << "unsupported Constant attribute '" << name
                            << "' (strings and sparse tensors are not "
                               "supported)";
  }
  return node.setOutputs(node.createConstant(value));
}

LogicalResult importCastLike(NodeImporter &node) {
  Type to = inputElementType(node, 1);
  FailureOr<Value> result = node.createOp1(
      "cast", {node.getInput(0)},
      {node.getBuilder().getNamedAttr("to", TypeAttr::get(to))});
  if (failed(result))
    return failure();
  return node.setOutputs(*result);
}

/// Cast-1 names the target type as a string ("FLOAT").
LogicalResult importCastV1(NodeImporter &node) {
  std::string to = node.getStringAttr("to").value_or("");
  onnx::TensorProto_DataType dataType;
  if (!onnx::TensorProto_DataType_Parse(to, &dataType))
    return node.emitError() << "attribute 'to' names unknown type '" << to
                            << "'";
  FailureOr<Type> type = convertOnnxDataType(dataType, node.getContext(),
                                             node.getLoc(), "attribute 'to'");
  if (failed(type))
    return failure();
  FailureOr<Value> result = node.createOp1(
      "cast", {node.getInput(0)},
      {node.getBuilder().getNamedAttr("to", TypeAttr::get(*type))});
  if (failed(result))
    return failure();
  return node.setOutputs(*result);
}

//===----------------------------------------------------------------------===//
// Attributes that became inputs
//===----------------------------------------------------------------------===//

/// Reshape-1: `shape` attribute.
LogicalResult importReshapeV1(NodeImporter &node) {
  return importWithInputs(node, {{1, intsAttrAsInput(node, "shape")}});
}

/// Squeeze-1/11, Unsqueeze-1/11, ReduceSum-1/11: `axes` attribute.
LogicalResult importAxesAttrAsInput(NodeImporter &node) {
  return importWithInputs(node, {{1, intsAttrAsInput(node, "axes")}});
}

/// Slice-1: `starts`, `ends`, `axes` attributes.
LogicalResult importSliceV1(NodeImporter &node) {
  return importWithInputs(node, {{1, intsAttrAsInput(node, "starts")},
                                 {2, intsAttrAsInput(node, "ends")},
                                 {3, intsAttrAsInput(node, "axes")}});
}

/// Split-1/2/11: `split` attribute (Split-1 may also take it as input 1).
LogicalResult importSplitV11(NodeImporter &node) {
  Value split = node.hasInput(1) ? node.getInput(1)
                                 : intsAttrAsInput(node, "split");
  return importWithInputs(node, {{1, split}});
}

/// Clip-1/6: `min` and `max` attributes.
LogicalResult importClipV6(NodeImporter &node) {
  Type elt = inputElementType(node, 0);
  auto bound = [&](StringRef name) -> Value {
    if (std::optional<float> v = node.getFloatAttr(name))
      return node.createScalarConstant(elt, *v);
    return node.createNone();
  };
  return importWithInputs(node, {{1, bound("min")}, {2, bound("max")}});
}

/// Pad-1/2: `pads` (`paddings` in Pad-1) and `value` attributes.
LogicalResult importPadV2(NodeImporter &node) {
  std::optional<SmallVector<int64_t>> pads = node.getIntsAttr("pads");
  if (!pads)
    pads = node.getIntsAttr("paddings");
  if (!pads)
    return node.emitError() << "missing attribute 'pads'";
  Value value = node.createScalarConstant(inputElementType(node, 0),
                                          node.getFloatAttr("value").value_or(0));
  return importWithInputs(node, {{1, node.createI64Vector(*pads)}, {2, value}});
}

/// TopK-1: `k` attribute.
LogicalResult importTopKV1(NodeImporter &node) {
  int64_t k = node.getIntAttr("k").value_or(0);
  return importWithInputs(node, {{1, node.createI64Vector({k})}});
}

/// Dropout before 12: `ratio` attribute; always inference here.
LogicalResult importDropoutV10(NodeImporter &node) {
  Value ratio = node.createNone();
  if (std::optional<float> r = node.getFloatAttr("ratio"))
    ratio = node.createScalarConstant(node.getBuilder().getF32Type(), *r);
  return importWithInputs(node, {{1, ratio}, {2, node.createNone()}});
}

/// Concat-1: `axis` was optional with default 1.
LogicalResult importConcatV1(NodeImporter &node) {
  SmallVector<NamedAttribute> extra;
  if (!node.getIntAttr("axis"))
    extra.push_back(node.getBuilder().getNamedAttr(
        "axis", node.getBuilder().getI64IntegerAttr(1)));
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < node.getNumInputs(); ++i)
    inputs.push_back(node.getInput(i));
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  attrs->append(extra.begin(), extra.end());
  FailureOr<SmallVector<Value>> results =
      node.createOp("concat", inputs, *attrs, 1);
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

//===----------------------------------------------------------------------===//
// Legacy broadcasting (opsets 1-6)
//===----------------------------------------------------------------------===//

/// With `broadcast=1` and `axis`, B's dims line up with A's starting at
/// `axis`; numpy broadcasting lines them up at the end. Reshape B so that
/// both agree: append unit dims after B's.
LogicalResult importLegacyBroadcast(NodeImporter &node) {
  Value a = node.getInput(0), b = node.getInput(1);
  std::optional<int64_t> broadcast = node.getIntAttr("broadcast");
  std::optional<int64_t> axis = node.getIntAttr("axis");
  if (broadcast.value_or(0) != 0 && axis) {
    auto aType = dyn_cast<RankedTensorType>(a.getType());
    auto bType = dyn_cast<RankedTensorType>(b.getType());
    if (!aType || !bType || !bType.hasStaticShape())
      return node.emitError()
             << "legacy broadcasting with 'axis' needs a static B";
    int64_t rank = aType.getRank();
    int64_t start = *axis < 0 ? *axis + rank : *axis;
    if (start < 0 || start + bType.getRank() > rank)
      return node.emitError() << "legacy broadcast axis " << *axis
                              << " does not fit B's rank " << bType.getRank()
                              << " in A's rank " << rank;
    SmallVector<int64_t> shape(bType.getShape());
    shape.append(rank - start - bType.getRank(), 1);
    FailureOr<Value> reshaped =
        node.createOp1("reshape", {b, node.createI64Vector(shape)});
    if (failed(reshaped))
      return failure();
    b = *reshaped;
  }
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  FailureOr<SmallVector<Value>> results = node.createOp(
      getGraphMnemonic(node.getOpType()), {a, b}, *attrs, 1);
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

/// PRelu before opset 7 applies a 1-D slope per channel (dimension 1 of X);
/// numpy broadcasting would align it with the last dimension instead.
LogicalResult importPReluV6(NodeImporter &node) {
  Value x = node.getInput(0), slope = node.getInput(1);
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto sType = dyn_cast<RankedTensorType>(slope.getType());
  if (xType && sType && xType.getRank() > 2 && sType.getRank() == 1 &&
      sType.getDimSize(0) != 1 && sType.getDimSize(0) == xType.getDimSize(1)) {
    SmallVector<int64_t> shape(xType.getRank() - 1, 1);
    shape[0] = sType.getDimSize(0);
    FailureOr<Value> reshaped =
        node.createOp1("reshape", {slope, node.createI64Vector(shape)});
    if (failed(reshaped))
      return failure();
    slope = *reshaped;
  }
  FailureOr<Value> result = node.createOp1("prelu", {x, slope});
  if (failed(result))
    return failure();
  return node.setOutputs(*result);
}

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax, Hardmax before 13
//===----------------------------------------------------------------------===//

/// Before opset 13 these ops flatten the input to 2-D at `axis` (default 1)
/// and work on the second dimension. Opset 13 works on one axis. When the
/// axis is the last one both agree; otherwise reshape around the op.
LogicalResult importCoercedSoftmax(NodeImporter &node) {
  Value input = node.getInput(0);
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  int64_t axis = node.getIntAttr("axis").value_or(1);
  if (axis < -rank || axis > rank || (rank > 0 && axis == rank))
    return node.emitError() << "axis " << axis << " is out of range for rank "
                            << rank;
  if (axis < 0)
    axis += rank;
  Builder &b = node.getBuilder();
  std::string mnemonic = getGraphMnemonic(node.getOpType());
  auto axisAttr = [&](int64_t v) {
    return b.getNamedAttr("axis", b.getI64IntegerAttr(v));
  };
  if (rank == 0 || axis == rank - 1) {
    FailureOr<Value> result = node.createOp1(mnemonic, {input},
                                             {axisAttr(rank == 0 ? 0 : -1)});
    if (failed(result))
      return failure();
    return node.setOutputs(*result);
  }
  if (!type.hasStaticShape())
    return node.emitError() << node.getOpType()
                            << " before opset 13 with a non-last axis needs "
                               "static input dims";
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= type.getDimSize(i);
  FailureOr<Value> flat =
      node.createOp1("reshape", {input, node.createI64Vector({outer, inner})});
  if (failed(flat))
    return failure();
  FailureOr<Value> result = node.createOp1(mnemonic, {*flat}, {axisAttr(1)});
  if (failed(result))
    return failure();
  FailureOr<Value> restored = node.createOp1(
      "reshape", {*result, node.createI64Vector(type.getShape())});
  if (failed(restored))
    return failure();
  return node.setOutputs(*restored);
}

//===----------------------------------------------------------------------===//
// BatchNormalization before 15
//===----------------------------------------------------------------------===//

LogicalResult importBatchNormLegacy(NodeImporter &node) {
  if (node.getIntAttr("spatial").value_or(1) == 0)
    return node.emitError() << "BatchNormalization with spatial=0 is not "
                               "supported";
  const onnx::NodeProto &proto = node.getNode();
  for (int i = 1; i < proto.output_size(); ++i)
    if (!proto.output(i).empty() && node.getSinceVersion() < 14)
      return node.emitError() << "BatchNormalization training outputs are "
                                 "not supported";
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i)
    operands.push_back(node.getInput(i));
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  FailureOr<SmallVector<Value>> results =
      node.createOp("batch_normalization", operands, *attrs, 3);
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

//===----------------------------------------------------------------------===//
// Upsample, Resize-10, Resize-11, Scatter
//===----------------------------------------------------------------------===//

/// Builds a Resize with the semantics of Upsample and Resize-10: output =
/// floor(input * scale), asymmetric coordinates, nearest rounds down.
LogicalResult importAsymmetricResize(NodeImporter &node, Value scales) {
  Builder &b = node.getBuilder();
  std::string mode = node.getStringAttr("mode").value_or("nearest");
  if (mode == "bilinear" || mode == "trilinear")
    mode = "linear";
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("mode", b.getStringAttr(mode)),
      b.getNamedAttr("coordinate_transformation_mode",
                     b.getStringAttr("asymmetric")),
      b.getNamedAttr("nearest_mode", b.getStringAttr("floor")),
  };
  FailureOr<Value> result = node.createOp1(
      "resize",
      {node.getInput(0), node.createNone(), scales, node.createNone()}, attrs);
  if (failed(result))
    return failure();
  return node.setOutputs(*result);
}

LogicalResult importUpsample(NodeImporter &node) {
  Value scales;
  if (node.getSinceVersion() >= 9) {
    scales = node.getInput(1);
  } else if (std::optional<SmallVector<float>> s = node.getFloatsAttr("scales")) {
    scales = node.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({int64_t(s->size())},
                              node.getBuilder().getF32Type()),
        ArrayRef<float>(*s)));
  } else {
    // Upsample-1: height_scale and width_scale for NCHW.
    float h = node.getFloatAttr("height_scale").value_or(1);
    float w = node.getFloatAttr("width_scale").value_or(1);
    SmallVector<float> nchw = {1, 1, h, w};
    scales = node.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({4}, node.getBuilder().getF32Type()),
        ArrayRef<float>(nchw)));
  }
  return importAsymmetricResize(node, scales);
}

LogicalResult importResizeV10(NodeImporter &node) {
  return importAsymmetricResize(node, node.getInput(1));
}

/// Resize-11 requires `roi` and `scales` inputs even when unused; an empty
/// tensor stands for absent. Opset 13 takes "" instead.
LogicalResult importResizeV11(NodeImporter &node) {
  auto emptyAsNone = [&](unsigned i) -> Value {
    Value v = node.getInput(i);
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (type && type.hasStaticShape() && type.getNumElements() == 0)
      return node.createNone();
    return v;
  };
  return importWithInputs(node, {{1, emptyAsNone(1)}, {2, emptyAsNone(2)}});
}

LogicalResult importScatter(NodeImporter &node) {
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  if (std::optional<int64_t> axis = node.getIntAttr("axis"))
    attrs->push_back(node.getBuilder().getNamedAttr(
        "axis", node.getBuilder().getI64IntegerAttr(*axis)));
  FailureOr<Value> result = node.createOp1(
      "scatter_elements",
      {node.getInput(0), node.getInput(1), node.getInput(2)}, *attrs);
  if (failed(result))
    return failure();
  return node.setOutputs(*result);
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

struct OpImporterEntry {
  /// The importer applies to schema versions below this one.
  int beforeVersion;
  OpImportFn fn;
};

const llvm::StringMap<SmallVector<OpImporterEntry, 2>> &getRegistry() {
  static const llvm::StringMap<SmallVector<OpImporterEntry, 2>> registry = {
      {"Constant", {{1000, importConstant}}},
      {"CastLike", {{1000, importCastLike}}},
      {"Cast", {{6, importCastV1}}},
      {"Reshape", {{5, importReshapeV1}}},
      {"Squeeze", {{13, importAxesAttrAsInput}}},
      {"Unsqueeze", {{13, importAxesAttrAsInput}}},
      {"ReduceSum", {{13, importAxesAttrAsInput}}},
      {"Slice", {{10, importSliceV1}}},
      {"Split", {{13, importSplitV11}}},
      {"Clip", {{11, importClipV6}}},
      {"Pad", {{11, importPadV2}}},
      {"TopK", {{10, importTopKV1}}},
      {"Dropout", {{12, importDropoutV10}}},
      {"Concat", {{4, importConcatV1}}},
      {"Add", {{7, importLegacyBroadcast}}},
      {"Sub", {{7, importLegacyBroadcast}}},
      {"Mul", {{7, importLegacyBroadcast}}},
      {"Div", {{7, importLegacyBroadcast}}},
      {"Pow", {{7, importLegacyBroadcast}}},
      {"And", {{7, importLegacyBroadcast}}},
      {"Or", {{7, importLegacyBroadcast}}},
      {"Xor", {{7, importLegacyBroadcast}}},
      {"Equal", {{7, importLegacyBroadcast}}},
      {"Greater", {{7, importLegacyBroadcast}}},
      {"Less", {{7, importLegacyBroadcast}}},
      {"PRelu", {{7, importPReluV6}}},
      {"Softmax", {{13, importCoercedSoftmax}}},
      {"LogSoftmax", {{13, importCoercedSoftmax}}},
      {"Hardmax", {{13, importCoercedSoftmax}}},
      {"BatchNormalization", {{15, importBatchNormLegacy}}},
      {"Upsample", {{1000, importUpsample}}},
      {"Resize", {{11, importResizeV10}, {13, importResizeV11}}},
      {"Scatter", {{1000, importScatter}}},
      {"If", {{1000, importIf}}},
      {"Loop", {{1000, importLoop}}},
      {"Scan", {{9, importScanV8}, {1000, importScan}}},
  };
  return registry;
}

} // namespace

OpImportFn lookupOpImporter(StringRef opType, int sinceVersion) {
  if (OpImportFn fn = lookupSequenceImporter(opType))
    return fn;
  const auto &registry = getRegistry();
  auto it = registry.find(opType);
  if (it == registry.end())
    return nullptr;
  for (const OpImporterEntry &entry : it->second)
    if (sinceVersion < entry.beforeVersion)
      return entry.fn;
  return nullptr;
}

} // namespace kiln
