//===- ControlFlowImporters.cpp - If, Loop and Scan nodes -----------------===//
//
// Subgraph attributes become regions. A subgraph's inputs become block
// arguments typed from the enclosing op (a Loop body's loop-carried values
// take the types of the initial values), and its nodes see every value of
// the enclosing graphs.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ControlFlowImporters.h"
#include "compiler/Import/GraphImporter.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;

namespace kiln {

/// The GRAPH attribute `name`, or an error.
static FailureOr<const onnx::GraphProto *> getGraphAttr(NodeImporter &node,
                                                        StringRef name) {
  const onnx::AttributeProto *attr = node.getAttr(name);
  if (!attr || !attr->has_g())
    return node.emitError() << "missing subgraph attribute '" << name << "'";
  return &attr->g();
}

LogicalResult importIf(NodeImporter &node) {
  FailureOr<const onnx::GraphProto *> thenGraph =
      getGraphAttr(node, "then_branch");
  FailureOr<const onnx::GraphProto *> elseGraph =
      getGraphAttr(node, "else_branch");
  if (failed(thenGraph) || failed(elseGraph))
    return failure();
  GraphImporter &graph = node.getGraphImporter();
  FailureOr<SmallVector<Value>> results = node.createOp(
      "if", {node.getInput(0)}, {}, node.getNode().output_size(), 2,
      [&](Operation *op) -> LogicalResult {
        if (failed(graph.importSubgraph(**thenGraph, op->getRegion(0), {},
                                        node.getLoc())))
          return failure();
        return graph.importSubgraph(**elseGraph, op->getRegion(1), {},
                                    node.getLoc());
      });
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

LogicalResult importLoop(NodeImporter &node) {
  FailureOr<const onnx::GraphProto *> body = getGraphAttr(node, "body");
  if (failed(body))
    return failure();
  Builder &b = node.getBuilder();
  SmallVector<Value> operands = {node.getInput(0), node.getInput(1)};
  SmallVector<Type> argTypes = {RankedTensorType::get({}, b.getI64Type()),
                                RankedTensorType::get({}, b.getI1Type())};
  for (unsigned i = 2; i < node.getNumInputs(); ++i) {
    Value v = node.getInput(i);
    if (isa<NoneType>(v.getType()))
      return node.emitError() << "Loop input " << i << " is absent";
    operands.push_back(v);
    argTypes.push_back(v.getType());
  }
  GraphImporter &graph = node.getGraphImporter();
  FailureOr<SmallVector<Value>> results = node.createOp(
      "loop", operands, {}, node.getNode().output_size(), 1,
      [&](Operation *op) {
        return graph.importSubgraph(**body, op->getRegion(0), argTypes,
                                    node.getLoc());
      });
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

/// The types of one slice of each scan input: the scan axis removed.
static FailureOr<SmallVector<Type>>
getScanBodyTypes(NodeImporter &node, ArrayRef<Value> inputs, int64_t numScan,
                 ArrayRef<int64_t> axes) {
  SmallVector<Type> types;
  int64_t numStates = int64_t(inputs.size()) - numScan;
  if (numScan < 1 || numStates < 0)
    return node.emitError() << "num_scan_inputs " << numScan
                            << " does not fit " << inputs.size() << " inputs";
  for (int64_t i = 0; i < int64_t(inputs.size()); ++i) {
    auto type = dyn_cast<RankedTensorType>(inputs[i].getType());
    if (!type)
      return node.emitError() << "Scan input " << i << " is absent";
    if (i < numStates) {
      types.push_back(type);
      continue;
    }
    int64_t j = i - numStates;
    int64_t axis = j < int64_t(axes.size()) ? axes[j] : 0;
    if (axis < 0)
      axis += type.getRank();
    if (axis < 0 || axis >= type.getRank())
      return node.emitError() << "scan input axis " << axis
                              << " is out of range for rank "
                              << type.getRank();
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + axis);
    types.push_back(RankedTensorType::get(shape, type.getElementType()));
  }
  return types;
}

LogicalResult importScan(NodeImporter &node) {
  FailureOr<const onnx::GraphProto *> body = getGraphAttr(node, "body");
  if (failed(body))
    return failure();
  int64_t numScan = node.getIntAttr("num_scan_inputs").value_or(0);
  SmallVector<int64_t> axes =
      node.getIntsAttr("scan_input_axes").value_or(SmallVector<int64_t>());
  SmallVector<Value> inputs(node.getInputs());
  for (Value &v : inputs)
    if (!v)
      return node.emitError() << "Scan inputs may not be absent";
  FailureOr<SmallVector<Type>> argTypes =
      getScanBodyTypes(node, inputs, numScan, axes);
  if (failed(argTypes))
    return failure();
  FailureOr<SmallVector<NamedAttribute>> attrs = node.convertAttributes();
  if (failed(attrs))
    return failure();
  GraphImporter &graph = node.getGraphImporter();
  FailureOr<SmallVector<Value>> results = node.createOp(
      "scan", inputs, *attrs, node.getNode().output_size(), 1,
      [&](Operation *op) {
        return graph.importSubgraph(**body, op->getRegion(0), *argTypes,
                                    node.getLoc());
      });
  if (failed(results))
    return failure();
  return node.setOutputs(*results);
}

/// Scan-8 has a leading batch dimension on every state and scan input and
/// an optional `sequence_lens` first input. With a batch of one and no
/// sequence lengths it is a Scan-9 of the squeezed operands.
LogicalResult importScanV8(NodeImporter &node) {
  if (node.hasInput(0))
    return node.emitError() << "Scan-8 with sequence_lens is not supported";
  FailureOr<const onnx::GraphProto *> body = getGraphAttr(node, "body");
  if (failed(body))
    return failure();
  int64_t numScan = node.getIntAttr("num_scan_inputs").value_or(0);
  Builder &b = node.getBuilder();
  Value zero = node.createI64Vector({0});
  SmallVector<Value> inputs;
  for (unsigned i = 1; i < node.getNumInputs(); ++i) {
    Value v = node.getInput(i);
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() < 1 || type.getDimSize(0) != 1)
      return node.emitError()
             << "Scan-8 is supported with a batch of one; input " << i
             << " has type " << v.getType();
    FailureOr<Value> squeezed = node.createOp1("squeeze", {v, zero});
    if (failed(squeezed))
      return failure();
    inputs.push_back(*squeezed);
  }
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("num_scan_inputs", b.getI64IntegerAttr(numScan))};
  if (std::optional<SmallVector<int64_t>> dirs = node.getIntsAttr("directions"))
    attrs.push_back(b.getNamedAttr("scan_input_directions",
                                   b.getDenseI64ArrayAttr(*dirs)));
  FailureOr<SmallVector<Type>> argTypes =
      getScanBodyTypes(node, inputs, numScan, {});
  if (failed(argTypes))
    return failure();
  GraphImporter &graph = node.getGraphImporter();
  FailureOr<SmallVector<Value>> results = node.createOp(
      "scan", inputs, attrs, node.getNode().output_size(), 1,
      [&](Operation *op) {
        return graph.importSubgraph(**body, op->getRegion(0), *argTypes,
                                    node.getLoc());
      });
  if (failed(results))
    return failure();
  SmallVector<Value> batched;
  for (Value v : *results) {
    FailureOr<Value> unsqueezed = node.createOp1("unsqueeze", {v, zero});
    if (failed(unsqueezed))
      return failure();
    batched.push_back(*unsqueezed);
  }
  return node.setOutputs(batched);
}

} // namespace kiln
