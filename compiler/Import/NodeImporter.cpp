//===- NodeImporter.cpp - Importing one ONNX node -------------------------===//
//
// The generic path every op takes unless its opset version needs a
// rewrite: inputs in schema order, attributes by kind, one graph op whose
// result types are inferred on the spot and which folds when its operands
// are constants, so that shape arithmetic never reaches the module.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/NodeImporter.h"
#include "compiler/Import/GraphImporter.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/defs/schema.h>

using namespace mlir;

namespace kiln {

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
                           const onnx::OpSchema &schema, OpBuilder &builder,
                           Location loc, ArrayRef<Value> inputs)
    : graph(graph), node(node), schema(schema), builder(builder), loc(loc),
      inputs(inputs.begin(), inputs.end()) {}

int NodeImporter::getSinceVersion() const { return schema.since_version(); }

InFlightDiagnostic NodeImporter::emitError() const {
  return mlir::emitError(loc);
}

bool NodeImporter::hasInput(unsigned i) const {
  return i < inputs.size() && inputs[i];
}

Value NodeImporter::getInput(unsigned i) {
  if (hasInput(i))
    return inputs[i];
  return createNone();
}

Value NodeImporter::createNone() {
  return graph::NoneOp::create(builder, loc);
}

Value NodeImporter::createConstant(ElementsAttr value) {
  return graph::ConstantOp::create(builder, loc, value);
}

Value NodeImporter::createI64Constant(ArrayRef<int64_t> values,
                                      ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, builder.getI64Type());
  return createConstant(DenseElementsAttr::get(type, values));
}

Value NodeImporter::createScalarConstant(Type elementType, double value,
                                         ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, elementType);
  SmallVector<double> values(type.getNumElements(), value);
  return createConstant(graph::makeDoubleElements(type, values));
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeImporter::getAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

std::optional<int64_t> NodeImporter::getIntAttr(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->i();
  return std::nullopt;
}

std::optional<float> NodeImporter::getFloatAttr(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->f();
  return std::nullopt;
}

std::optional<std::string> NodeImporter::getStringAttr(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return attr->s();
  return std::nullopt;
}

std::optional<SmallVector<int64_t>>
NodeImporter::getIntsAttr(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
  return std::nullopt;
}

std::optional<SmallVector<float>>
NodeImporter::getFloatsAttr(StringRef name) const {
  if (const onnx::AttributeProto *attr = getAttr(name))
    return SmallVector<float>(attr->floats().begin(), attr->floats().end());
  return std::nullopt;
}

/// Attributes whose INT value is an ONNX data type: they become types.
static bool isDataTypeAttr(StringRef opType, StringRef name) {
  return name == "to" || name == "dtype" || name == "output_datatype" ||
         (opType == "LayerNormalization" && name == "stash_type");
}

FailureOr<SmallVector<NamedAttribute>>
NodeImporter::convertAttributes(ArrayRef<StringRef> skip) {
  // Only attributes the opset-17 op has carry over; attributes of older
  // versions are the business of that version's importer.
  const onnx::OpSchema *latest = onnx::OpSchemaRegistry::Schema(
      node.op_type(), int(kMaxSupportedOpset), "");
  SmallVector<NamedAttribute> out;
  for (const onnx::AttributeProto &attr : node.attribute()) {
    StringRef name = attr.name();
    if (llvm::is_contained(skip, name))
      continue;
    if (!latest || !latest->attributes().count(attr.name()))
      continue;
    Attribute value;
    switch (latest->attributes().at(attr.name()).type) {
    case onnx::AttributeProto::INT:
      if (isDataTypeAttr(getOpType(), name)) {
        FailureOr<Type> type = convertOnnxDataType(
            int32_t(attr.i()), getContext(), loc,
            ("attribute '" + name + "'").str());
        if (failed(type))
          return failure();
        value = TypeAttr::get(*type);
      } else {
        value = builder.getI64IntegerAttr(attr.i());
      }
      break;
    case onnx::AttributeProto::FLOAT:
      value = builder.getF32FloatAttr(attr.f());
      break;
    case onnx::AttributeProto::STRING:
      value = builder.getStringAttr(attr.s());
      break;
    case onnx::AttributeProto::INTS:
      value = builder.getDenseI64ArrayAttr(
          SmallVector<int64_t>(attr.ints().begin(), attr.ints().end()));
      break;
    case onnx::AttributeProto::FLOATS:
      value = builder.getDenseF32ArrayAttr(
          SmallVector<float>(attr.floats().begin(), attr.floats().end()));
      break;
    case onnx::AttributeProto::STRINGS: {
      SmallVector<Attribute> strings;
      for (const std::string &s : attr.strings())
        strings.push_back(builder.getStringAttr(s));
      value = builder.getArrayAttr(strings);
      break;
    }
    case onnx::AttributeProto::TENSOR: {
      FailureOr<ElementsAttr> tensor =
          graph.getTensorImporter().importTensor(
              attr.t(), getContext(), loc, ("attribute '" + name + "'").str());
      if (failed(tensor))
        return failure();
      value = *tensor;
      break;
    }
    case onnx::AttributeProto::GRAPH:
      continue; // Subgraphs become regions, in their op's importer.
    default:
      return emitError() << "attribute '" << name << "' is of kind "
                         << onnx::AttributeProto::AttributeType_Name(
                                latest->attributes().at(attr.name()).type)
                         << ", which Kiln does not support";
    }
    out.push_back(builder.getNamedAttr(name, value));
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Creating ops
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>> NodeImporter::createOp(
    StringRef mnemonic, ValueRange operands, ArrayRef<NamedAttribute> attributes,
    unsigned numResults, unsigned numRegions,
    std::function<LogicalResult(Operation *)> fillRegions) {
  OperationState state(loc, ("graph." + mnemonic).str());
  if (!state.name.isRegistered())
    return emitError() << "unsupported op '" << getOpType() << "'";
  state.addOperands(operands);
  state.addAttributes(attributes);
  // Placeholder result types: inference replaces them right below.
  Type placeholder = UnrankedTensorType::get(builder.getF32Type());
  state.addTypes(SmallVector<Type>(numResults, placeholder));
  for (unsigned i = 0; i < numRegions; ++i)
    state.addRegion();
  Operation *op = builder.create(state);
  auto eraseOnFailure = [&]() {
    op->dropAllUses();
    op->erase();
    return failure();
  };
  if (fillRegions && failed(fillRegions(op)))
    return eraseOnFailure();
  if (failed(graph::refineResultTypes(op)) || failed(mlir::verify(op)))
    return eraseOnFailure();

  SmallVector<Value> results(op->getResults());
  SmallVector<OpFoldResult> folded;
  if (op->hasTrait<OpTrait::ConstantLike>() || failed(op->fold(folded)) ||
      folded.empty())
    return results;
  // Replace by what folding gave: existing values or new constants.
  SmallVector<Value> replacements;
  for (auto [result, fold] : llvm::zip(op->getResults(), folded)) {
    if (auto value = dyn_cast<Value>(fold)) {
      replacements.push_back(value);
      continue;
    }
    Operation *constant = op->getDialect()->materializeConstant(
        builder, cast<Attribute>(fold), result.getType(), loc);
    if (!constant) {
      // Keep the op when one of its results cannot be a constant.
      for (Value v : replacements)
        if (Operation *def = v.getDefiningOp(); def && def->use_empty() &&
                                                  def != op &&
                                                  isa<graph::ConstantOp>(def))
          def->erase();
      return results;
    }
    replacements.push_back(constant->getResult(0));
  }
  op->erase();
  return replacements;
}

FailureOr<Value> NodeImporter::createOp1(StringRef mnemonic,
                                         ValueRange operands,
                                         ArrayRef<NamedAttribute> attributes) {
  FailureOr<SmallVector<Value>> results =
      createOp(mnemonic, operands, attributes, 1);
  if (failed(results))
    return failure();
  return (*results)[0];
}

LogicalResult NodeImporter::setOutputs(ValueRange results) {
  for (auto [i, name] : llvm::enumerate(node.output())) {
    if (name.empty())
      continue;
    if (i >= results.size())
      return emitError() << "output '" << name << "' is not produced";
    Value value = results[i];
    if (Type declared = graph.getDeclaredType(name)) {
      Type actual = value.getType();
      if (!graph::isRefinementOf(actual, declared) &&
          !graph::isRefinementOf(declared, actual))
        return emitError() << "output '" << name << "' has type " << actual
                           << ", but the model declares " << declared;
      // A declared static size refines what inference found, as for the
      // output of a data-dependent op. Only op results are retyped: block
      // arguments and constants keep their types.
      auto result = dyn_cast<OpResult>(value);
      if (result && declared != actual &&
          graph::isRefinementOf(declared, actual) &&
          !result.getOwner()->hasTrait<OpTrait::ConstantLike>())
        value.setType(declared);
    }
    if (failed(graph.define(name, value, loc)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The generic importer
//===----------------------------------------------------------------------===//

std::string getGraphMnemonic(StringRef opType) {
  static const llvm::StringMap<StringRef> exceptions = {
      {"IsNaN", "is_nan"},
      {"PRelu", "prelu"},
      {"QLinearConv", "qlinear_conv"},
      {"QLinearMatMul", "qlinear_mat_mul"},
  };
  auto it = exceptions.find(opType);
  if (it != exceptions.end())
    return it->second.str();
  std::string out;
  for (size_t i = 0; i < opType.size(); ++i) {
    char c = opType[i];
    bool upper = llvm::isUpper(c);
    if (upper && i > 0) {
      char prev = opType[i - 1];
      bool nextLower = i + 1 < opType.size() && llvm::isLower(opType[i + 1]);
      if (llvm::isLower(prev) || llvm::isDigit(prev) ||
          (llvm::isUpper(prev) && nextLower))
        out.push_back('_');
    }
    out.push_back(llvm::toLower(c));
  }
  return out;
}

LogicalResult importGenericNode(NodeImporter &node) {
  const onnx::OpSchema *latest = onnx::OpSchemaRegistry::Schema(
      node.getOpType().str(), int(kMaxSupportedOpset), "");
  if (!latest)
    return node.emitError() << "unsupported op '" << node.getOpType() << "'";
  SmallVector<Value> operands;
  const auto &formals = latest->inputs();
  for (auto [i, formal] : llvm::enumerate(formals)) {
    if (formal.GetOption() == onnx::OpSchema::Variadic) {
      for (unsigned j = i; j < node.getNumInputs(); ++j)
        operands.push_back(node.getInput(j));
      break;
    }
    operands.push_back(node.getInput(i));
  }
  unsigned numResults = latest->outputs().size();
  if (!latest->outputs().empty() &&
      latest->outputs().back().GetOption() == onnx::OpSchema::Variadic)
    numResults = std::max<unsigned>(node.getNode().output_size(),
                                    latest->outputs().size() - 1);
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  FailureOr<SmallVector<Value>> results =
      node.createOp(getGraphMnemonic(node.getOpType()), operands, *attrs,
                    numResults);
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

} // namespace kiln
