//===- GraphImporter.cpp - ONNX graphs to graph-dialect regions -----------===//
//
// Walks a ModelProto: checks the opsets, converts inputs and initializers,
// orders the nodes by their dependencies, checks each node against its
// opset's schema, and hands it to its op importer.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/GraphImporter.h"
#include "compiler/Import/GradientImporter.h"
#include "compiler/Import/NodeImporter.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/defs/schema.h>

#include <queue>

using namespace mlir;

namespace kiln {

GraphImporter::GraphImporter(MLIRContext *context, StringRef displayName,
                             StringRef modelDir, const ImportOptions &options)
    : context(context), displayName(displayName.str()), options(options),
      tensors(modelDir, options.maxTensorBytes) {}

int64_t GraphImporter::getOpsetVersion(StringRef domain) const {
  auto it = opsets.find(domain);
  return it == opsets.end() ? -1 : it->second;
}

Location GraphImporter::getNodeLoc(const onnx::NodeProto &node, int index) {
  std::string name = node.name();
  if (name.empty())
    name = node.op_type() + "_" + std::to_string(index);
  return NameLoc::get(StringAttr::get(context, name),
                      NameLoc::get(StringAttr::get(context, node.op_type())));
}

FailureOr<Value> GraphImporter::lookup(StringRef name) {
  for (Scope &scope : llvm::reverse(scopes)) {
    auto it = scope.values.find(name);
    if (it != scope.values.end())
      return it->second;
    auto init = scope.initializers.find(name);
    if (init == scope.initializers.end())
      continue;
    // First use of an initializer: its constant goes at the start of the
    // scope's block, where it dominates every use.
    Location loc = NameLoc::get(StringAttr::get(context, name));
    FailureOr<ElementsAttr> value = tensors.importTensor(
        *init->second, context, loc, ("initializer '" + name + "'").str());
    if (failed(value))
      return failure();
    OpBuilder builder = OpBuilder::atBlockBegin(scope.block);
    Value constant = graph::ConstantOp::create(builder, loc, *value);
    scope.values[name] = constant;
    scope.initializers.erase(init);
    return constant;
  }
  return Value();
}

Type GraphImporter::getDeclaredType(StringRef name) const {
  for (const Scope &scope : llvm::reverse(scopes)) {
    auto it = scope.declared.find(name);
    if (it != scope.declared.end())
      return it->second;
  }
  return nullptr;
}

LogicalResult GraphImporter::define(StringRef name, Value value, Location loc) {
  Scope &scope = scopes.back();
  if (scope.values.count(name) || scope.initializers.count(name))
    return emitError(loc) << "value '" << name << "' is defined twice";
  scope.values[name] = value;
  return success();
}

FailureOr<Type>
GraphImporter::convertValueType(const onnx::ValueInfoProto &info, Location loc,
                                StringRef what,
                                const SmallVector<int64_t> *shapeOverride) {
  if (!info.has_type())
    return emitError(loc) << what << " has no type";
  const onnx::TypeProto &type = info.type();
  if (type.has_sequence_type())
    return emitError(loc) << what
                          << " is a sequence, which Kiln does not support";
  if (type.has_optional_type())
    return emitError(loc) << what
                          << " is an optional, which Kiln does not support";
  if (!type.has_tensor_type())
    return emitError(loc) << what
                          << " is not a tensor, which Kiln does not support";
  const onnx::TypeProto::Tensor &tensor = type.tensor_type();
  FailureOr<Type> elt =
      convertOnnxDataType(tensor.elem_type(), context, loc, what);
  if (failed(elt))
    return failure();
  if (!tensor.has_shape()) {
    if (shapeOverride)
      return Type(RankedTensorType::get(*shapeOverride, *elt));
    return emitError(loc) << what
                          << " has no shape; give one with --input-shape";
  }
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0)
        return emitError(loc) << what << " has negative dimension "
                              << dim.dim_value();
      shape.push_back(dim.dim_value());
    } else {
      shape.push_back(ShapedType::kDynamic);
    }
  }
  if (shapeOverride) {
    if (shapeOverride->size() != shape.size())
      return emitError(loc) << "--input-shape gives " << what << " rank "
                            << shapeOverride->size()
                            << ", but the model declares rank "
                            << shape.size();
    for (auto [declared, given] : llvm::zip(shape, *shapeOverride))
      if (!ShapedType::isDynamic(declared) && declared != given)
        return emitError(loc) << "--input-shape gives " << what
                              << " a dimension " << given
                              << " where the model declares " << declared;
    shape.assign(shapeOverride->begin(), shapeOverride->end());
  }
  int64_t count = 1;
  bool empty = false;
  for (int64_t d : shape) {
    empty |= d == 0;
    if (ShapedType::isDynamic(d) || d == 0)
      continue;
    if (count > graph::kMaxElements / d)
      return emitError(loc) << what
                            << " has more elements than Kiln supports (2^48)";
    count *= d;
  }
  // Dynamic dimensions count as 1: the declared type alone already needs
  // this much.
  uint64_t bytes =
      empty ? 0 : uint64_t(count) * ((elt->getIntOrFloatBitWidth() + 7) / 8);
  if (bytes > options.maxTensorBytes)
    return emitError(loc) << what << " needs " << bytes
                          << " bytes, past the limit on tensor sizes ("
                          << options.maxTensorBytes
                          << " bytes; raise it with --max-tensor-bytes)";
  return Type(RankedTensorType::get(shape, *elt));
}

LogicalResult GraphImporter::declareGraph(const onnx::GraphProto &graph,
                                          Location loc) {
  Scope &scope = scopes.back();
  for (const onnx::TensorProto &init : graph.initializer()) {
    if (init.name().empty())
      return emitError(loc) << "an initializer has no name";
    if (scope.initializers.count(init.name()))
      return emitError(loc) << "initializer '" << init.name()
                            << "' is defined twice";
    scope.initializers[init.name()] = &init;
  }
  if (graph.sparse_initializer_size() > 0)
    return emitError(loc) << "sparse initializers are not supported";
  // Declared types refine what inference finds; a type Kiln cannot express
  // is simply not used.
  auto declare = [&](const onnx::ValueInfoProto &info) {
    if (!info.has_type() || !info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    ScopedDiagnosticHandler silence(context, [](Diagnostic &) {
      return success();
    });
    FailureOr<Type> type = convertValueType(info, loc, "value");
    if (succeeded(type))
      scope.declared[info.name()] = *type;
  };
  for (const onnx::ValueInfoProto &info : graph.value_info())
    declare(info);
  for (const onnx::ValueInfoProto &info : graph.output())
    declare(info);
  return success();
}

/// The names a node's subgraphs read from enclosing scopes.
static void collectFreeNames(const onnx::GraphProto &graph,
                             llvm::StringSet<> &out) {
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &in : graph.input())
    defined.insert(in.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &name : node.output())
      defined.insert(name);
  llvm::StringSet<> used;
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &name : node.input())
      if (!name.empty())
        used.insert(name);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectFreeNames(attr.g(), used);
      for (const onnx::GraphProto &g : attr.graphs())
        collectFreeNames(g, used);
    }
  }
  for (const auto &name : used)
    if (!defined.contains(name.getKey()))
      out.insert(name.getKey());
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph,
                                         OpBuilder &builder) {
  const onnx::GraphProto *outerGraph = currentGraph;
  currentGraph = &graph;
  auto restore = llvm::make_scope_exit([&] { currentGraph = outerGraph; });
  int numNodes = graph.node_size();
  int firstIndex = nextNodeIndex;
  nextNodeIndex += numNodes;
  // Order the nodes by their dependencies (ONNX requires a sorted graph;
  // this also accepts unsorted ones and finds cycles). Ready nodes go in
  // their original order.
  llvm::StringMap<int> producer;
  for (int i = 0; i < numNodes; ++i)
    for (const std::string &name : graph.node(i).output())
      if (!name.empty())
        producer.try_emplace(name, i);
  std::vector<std::vector<int>> users(numNodes);
  std::vector<int> pending(numNodes, 0);
  for (int i = 0; i < numNodes; ++i) {
    const onnx::NodeProto &node = graph.node(i);
    llvm::StringSet<> reads;
    for (const std::string &name : node.input())
      if (!name.empty())
        reads.insert(name);
    // A Gradient differentiates the nodes that compute its `y`: it comes
    // after them.
    if (node.op_type() == "Gradient" && node.domain() == kTrainingDomain)
      for (const onnx::AttributeProto &attr : node.attribute())
        if (attr.name() == "y")
          reads.insert(attr.s());
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectFreeNames(attr.g(), reads);
      for (const onnx::GraphProto &g : attr.graphs())
        collectFreeNames(g, reads);
    }
    for (const auto &name : reads) {
      auto it = producer.find(name.getKey());
      if (it == producer.end())
        continue;
      if (it->second == i)
        return emitError(getNodeLoc(node, firstIndex + i))
               << "node reads its own output '" << name.getKey()
               << "' (a cycle)";
      users[it->second].push_back(i);
      ++pending[i];
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < numNodes; ++i)
    if (pending[i] == 0)
      ready.push(i);
  int imported = 0;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    if (failed(importNode(graph.node(i), firstIndex + i, builder)))
      return failure();
    ++imported;
    for (int user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (imported != numNodes) {
    for (int i = 0; i < numNodes; ++i)
      if (pending[i] > 0)
        return emitError(getNodeLoc(graph.node(i), firstIndex + i))
               << "node is part of a cycle";
  }
  return success();
}

/// The kind of an attribute, inferred from its fields when an old model
/// left `type` unset.
static onnx::AttributeProto::AttributeType
getAttrKind(const onnx::AttributeProto &attr) {
  if (attr.type() != onnx::AttributeProto::UNDEFINED)
    return attr.type();
  if (attr.has_f())
    return onnx::AttributeProto::FLOAT;
  if (attr.has_i())
    return onnx::AttributeProto::INT;
  if (attr.has_s())
    return onnx::AttributeProto::STRING;
  if (attr.has_t())
    return onnx::AttributeProto::TENSOR;
  if (attr.has_g())
    return onnx::AttributeProto::GRAPH;
  if (attr.floats_size())
    return onnx::AttributeProto::FLOATS;
  if (attr.ints_size())
    return onnx::AttributeProto::INTS;
  if (attr.strings_size())
    return onnx::AttributeProto::STRINGS;
  if (attr.tensors_size())
    return onnx::AttributeProto::TENSORS;
  if (attr.graphs_size())
    return onnx::AttributeProto::GRAPHS;
  return onnx::AttributeProto::UNDEFINED;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index,
                                        OpBuilder &builder) {
  Location loc = getNodeLoc(node, index);
  StringRef domain = node.domain();
  if (domain == "ai.onnx")
    domain = "";
  if (domain == kTrainingDomain && node.op_type() == "Gradient") {
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
        "Gradient", int(getOpsetVersion(kTrainingDomain)), kTrainingDomain.str());
    if (!schema)
      return emitError(loc) << "unsupported op 'Gradient' of this version";
    SmallVector<Value> inputs;
    for (const std::string &name : node.input()) {
      FailureOr<Value> value = lookup(name);
      if (failed(value))
        return failure();
      if (!*value)
        return emitError(loc) << "input '" << name << "' names no value";
      inputs.push_back(*value);
    }
    NodeImporter importer(*this, node, *schema, builder, loc, inputs);
    return importGradient(importer, *currentGraph);
  }
  if (!domain.empty())
    return emitError(loc) << "unsupported domain '" << domain
                          << "' (Kiln imports the default ONNX domain only)";
  int64_t opset = getOpsetVersion("");
  const onnx::OpSchema *schema =
      onnx::OpSchemaRegistry::Schema(node.op_type(), int(opset), "");
  if (!schema)
    return emitError(loc) << "unsupported op '" << node.op_type()
                          << "': no such op in ONNX opset " << opset;

  // Counts of inputs and outputs, by the schema of this opset version.
  int numInputs = node.input_size(), numOutputs = node.output_size();
  if (numInputs < schema->min_input() || numInputs > schema->max_input())
    return emitError(loc) << "has " << numInputs << " inputs, but "
                          << node.op_type() << "-" << schema->since_version()
                          << " takes " << schema->min_input() << " to "
                          << schema->max_input();
  if (numOutputs < schema->min_output() || numOutputs > schema->max_output())
    return emitError(loc) << "has " << numOutputs << " outputs, but "
                          << node.op_type() << "-" << schema->since_version()
                          << " gives " << schema->min_output() << " to "
                          << schema->max_output();
  for (int i = 0; i < numOutputs; ++i)
    for (int j = 0; j < i; ++j)
      if (!node.output(i).empty() && node.output(i) == node.output(j))
        return emitError(loc) << "names output '" << node.output(i)
                              << "' twice";

  // Attributes: known to the schema, of the declared kind, required ones
  // present.
  llvm::StringSet<> seen;
  for (const onnx::AttributeProto &attr : node.attribute()) {
    auto it = schema->attributes().find(attr.name());
    if (it == schema->attributes().end())
      return emitError(loc) << "unknown attribute '" << attr.name() << "' for "
                            << node.op_type() << "-"
                            << schema->since_version();
    if (!seen.insert(attr.name()).second)
      return emitError(loc) << "attribute '" << attr.name()
                            << "' is given twice";
    onnx::AttributeProto::AttributeType kind = getAttrKind(attr);
    if (kind != it->second.type)
      return emitError(loc) << "attribute '" << attr.name() << "' must be "
                            << onnx::AttributeProto::AttributeType_Name(
                                   it->second.type)
                            << ", got "
                            << onnx::AttributeProto::AttributeType_Name(kind);
  }
  for (const auto &[name, attr] : schema->attributes())
    if (attr.required && !seen.contains(name))
      return emitError(loc) << "missing required attribute '" << name << "'";

  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(nullptr);
      continue;
    }
    FailureOr<Value> value = lookup(name);
    if (failed(value))
      return failure();
    if (!*value)
      return emitError(loc) << "input '" << name << "' names no value";
    inputs.push_back(*value);
  }

  NodeImporter importer(*this, node, *schema, builder, loc, inputs);
  OpImportFn fn = lookupOpImporter(node.op_type(), schema->since_version());
  return fn ? fn(importer) : importGenericNode(importer);
}

LogicalResult GraphImporter::importSubgraph(const onnx::GraphProto &graph,
                                            Region &region,
                                            ArrayRef<Type> argTypes,
                                            Location loc) {
  Block *block = new Block();
  region.push_back(block);
  scopes.emplace_back();
  scopes.back().block = block;
  auto popScope = llvm::make_scope_exit([&] { scopes.pop_back(); });
  if (failed(declareGraph(graph, loc)))
    return failure();
  if (!argTypes.empty() && size_t(graph.input_size()) != argTypes.size())
    return emitError(loc) << "subgraph '" << graph.name() << "' has "
                          << graph.input_size() << " inputs where "
                          << argTypes.size() << " are expected";
  for (auto [i, input] : llvm::enumerate(graph.input())) {
    Type type;
    if (!argTypes.empty()) {
      type = argTypes[i];
    } else {
      FailureOr<Type> converted = convertValueType(
          input, loc, ("subgraph input '" + input.name() + "'"));
      if (failed(converted))
        return failure();
      type = *converted;
    }
    BlockArgument arg = block->addArgument(type, loc);
    if (failed(define(input.name(), arg, loc)))
      return failure();
  }
  OpBuilder builder = OpBuilder::atBlockEnd(block);
  if (failed(importNodes(graph, builder)))
    return failure();
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Value> value = lookup(output.name());
    if (failed(value))
      return failure();
    if (!*value)
      return emitError(loc) << "subgraph output '" << output.name()
                            << "' names no value";
    results.push_back(*value);
  }
  builder.setInsertionPointToEnd(block);
  graph::YieldOp::create(builder, loc, results);
  return success();
}

LogicalResult GraphImporter::importModel(const onnx::ModelProto &model,
                                         ModuleOp module) {
  Location modelLoc = FileLineColLoc::get(context, displayName, 0, 0);
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
    opsets[domain] = opset.version();
  }
  if (!opsets.count(""))
    return emitError(modelLoc) << "the model imports no opset of the default "
                                  "ONNX domain";
  int64_t opset = getOpsetVersion("");
  if (opset > kMaxSupportedOpset)
    return emitError(modelLoc)
           << "the model uses ONNX opset " << opset
           << ", newer than the opsets Kiln supports (1 to "
           << kMaxSupportedOpset << ")";
  if (opset < 1)
    return emitError(modelLoc) << "invalid ONNX opset version " << opset;
  if (!model.has_graph())
    return emitError(modelLoc) << "the model has no graph";
  if (model.functions_size() > 0)
    return emitError(modelLoc) << "model-local functions are not supported";
  const onnx::GraphProto &graph = model.graph();

  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module.getBody());
  module->setAttr("graph.opset", builder.getI64IntegerAttr(opset));
  if (!model.producer_name().empty())
    module->setAttr("graph.producer",
                    builder.getStringAttr(model.producer_name() + " " +
                                          model.producer_version()));
  if (!graph.name().empty())
    module->setAttr("graph.model_name", builder.getStringAttr(graph.name()));

  auto func = func::FuncOp::create(builder, modelLoc, "main",
                                   builder.getFunctionType({}, {}));
  Block *entry = func.addEntryBlock();
  scopes.emplace_back();
  scopes.back().block = entry;
  if (failed(declareGraph(graph, modelLoc)))
    return failure();

  // Inputs: graph inputs that no initializer names (an initializer listed
  // as an input, as IR version 3 models do, is a constant).
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  llvm::StringSet<> overridden;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    std::string what = "input '" + input.name() + "'";
    const SmallVector<int64_t> *shape = nullptr;
    auto it = options.inputShapes.find(input.name());
    if (it != options.inputShapes.end()) {
      shape = &it->second;
      overridden.insert(input.name());
    }
    FailureOr<Type> type = convertValueType(input, modelLoc, what, shape);
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  for (const auto &entry : options.inputShapes)
    if (!overridden.contains(entry.getKey()))
      return emitError(modelLoc) << "--input-shape names '" << entry.getKey()
                                 << "', which is not an input of the model";
  for (auto [name, type] : llvm::zip(argNames, argTypes)) {
    BlockArgument arg = entry->addArgument(type, modelLoc);
    if (failed(define(name, arg, modelLoc)))
      return failure();
  }

  builder.setInsertionPointToEnd(entry);
  if (failed(importNodes(graph, builder)))
    return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Value> value = lookup(output.name());
    if (failed(value))
      return failure();
    if (!*value)
      return emitError(modelLoc)
             << "graph output '" << output.name() << "' names no value";
    if (isa<NoneType>(value->getType()))
      return emitError(modelLoc)
             << "graph output '" << output.name() << "' is an absent value";
    results.push_back(*value);
  }
  builder.setInsertionPointToEnd(entry);
  func::ReturnOp::create(builder, modelLoc, results);
  SmallVector<Type> resultTypes;
  for (Value v : results)
    resultTypes.push_back(v.getType());
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, name] : llvm::enumerate(argNames))
    func.setArgAttr(i, graph::GraphDialect::kNameAttr,
                    builder.getStringAttr(name));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, graph::GraphDialect::kNameAttr,
                       builder.getStringAttr(output.name()));
  return success();
}

} // namespace kiln
