//===- GradientImporter.cpp - The Gradient op by reverse differentiation --===//
//
// `Gradient` (domain ai.onnx.preview.training) asks for the derivatives of
// one value `y` of the graph with respect to some of its inputs `xs`. The
// importer differentiates the forward nodes between them symbolically, in
// reverse order, into ordinary graph ops: every gradient is computed when
// the model runs, like any other value. Nodes whose derivative Kiln does
// not know make the Gradient unsupported.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/GradientImporter.h"
#include "compiler/Import/GraphImporter.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace kiln {
namespace {

class Differentiator {
public:
  explicit Differentiator(NodeImporter &node) : node(node) {}

  /// Adds `g` to the gradient of the value named `name`, summing it down
  /// to that value's shape where broadcasting spread it.
  LogicalResult accumulate(StringRef name, Value g) {
    FailureOr<Value> value = node.getGraphImporter().lookup(name);
    if (failed(value) || !*value)
      return node.emitError() << "Gradient: '" << name << "' names no value";
    FailureOr<Value> fitted = reduceTo(g, (*value).getType());
    if (failed(fitted))
      return failure();
    auto it = grads.find(name);
    if (it == grads.end()) {
      grads[name] = *fitted;
      return success();
    }
    FailureOr<Value> sum = node.createOp1("add", {it->second, *fitted});
    if (failed(sum))
      return failure();
    it->second = *sum;
    return success();
  }

  Value get(StringRef name) const { return grads.lookup(name); }

  /// The gradient flowing into one node's inputs from its output's.
  LogicalResult backward(const onnx::NodeProto &n, Value g) {
    StringRef op = n.op_type();
    auto input = [&](int i) -> Value {
      FailureOr<Value> v = node.getGraphImporter().lookup(n.input(i));
      return succeeded(v) ? *v : Value();
    };
    auto call = [&](StringRef mnemonic, ValueRange operands) -> Value {
      FailureOr<Value> v = node.createOp1(mnemonic, operands);
      return succeeded(v) ? *v : Value();
    };
    if (op == "Identity")
      return accumulate(n.input(0), g);
    if (op == "Add") {
      if (failed(accumulate(n.input(0), g)))
        return failure();
      return accumulate(n.input(1), g);
    }
    if (op == "Sub") {
      Value negated = call("neg", {g});
      if (!negated || failed(accumulate(n.input(0), g)))
        return failure();
      return accumulate(n.input(1), negated);
    }
    if (op == "Neg") {
      Value negated = call("neg", {g});
      return negated ? accumulate(n.input(0), negated) : failure();
    }
    if (op == "Mul") {
      Value a = input(0), b = input(1);
      Value ga = a && b ? call("mul", {g, b}) : Value();
      Value gb = ga ? call("mul", {g, a}) : Value();
      if (!gb || failed(accumulate(n.input(0), ga)))
        return failure();
      return accumulate(n.input(1), gb);
    }
    if (op == "Div") {
      Value a = input(0), b = input(1);
      Value ga = a && b ? call("div", {g, b}) : Value();
      Value quotient = ga ? call("div", {ga, b}) : Value();
      Value scaled = quotient ? call("mul", {quotient, a}) : Value();
      Value gb = scaled ? call("neg", {scaled}) : Value();
      if (!gb || failed(accumulate(n.input(0), ga)))
        return failure();
      return accumulate(n.input(1), gb);
    }
    return node.emitError() << "Gradient: differentiating " << op
                            << " is not supported";
  }

private:
  /// Sums `g` over the dimensions broadcasting added, to `type`'s shape.
  FailureOr<Value> reduceTo(Value g, Type type) {
    auto gType = cast<RankedTensorType>(g.getType());
    auto target = dyn_cast<RankedTensorType>(type);
    if (!target || !target.hasStaticShape() || !gType.hasStaticShape())
      return node.emitError() << "Gradient needs static shapes";
    if (gType.getShape() == target.getShape())
      return g;
    int64_t lead = gType.getRank() - target.getRank();
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < gType.getRank(); ++i)
      if (i < lead || (target.getDimSize(i - lead) == 1 &&
                       gType.getDimSize(i) != 1))
        axes.push_back(i);
    FailureOr<Value> summed =
        node.createOp1("reduce_sum", {g, node.createI64Vector(axes)});
    if (failed(summed))
      return failure();
    return node.createOp1(
        "reshape", {*summed, node.createI64Vector(target.getShape())});
  }

  NodeImporter &node;
  llvm::StringMap<Value> grads;
};

} // namespace

LogicalResult importGradient(NodeImporter &node,
                             const onnx::GraphProto &graph) {
  const onnx::AttributeProto *xsAttr = node.getAttr("xs");
  std::optional<std::string> y = node.getStringAttr("y");
  if (!xsAttr || !y)
    return node.emitError() << "Gradient needs attributes 'xs' and 'y'";
  FailureOr<Value> yValue = node.getGraphImporter().lookup(*y);
  if (failed(yValue) || !*yValue)
    return node.emitError() << "Gradient: y '" << *y << "' names no value";
  auto yType = dyn_cast<RankedTensorType>((*yValue).getType());
  if (!yType || !yType.hasStaticShape())
    return node.emitError() << "Gradient needs a static y";

  // The forward nodes on the way to y, in reverse order.
  llvm::StringMap<const onnx::NodeProto *> producer;
  for (const onnx::NodeProto &n : graph.node())
    for (const std::string &out : n.output())
      producer[out] = &n;
  SmallVector<const onnx::NodeProto *> order;
  llvm::SmallPtrSet<const onnx::NodeProto *, 16> seen;
  std::function<void(StringRef)> visit = [&](StringRef name) {
    auto it = producer.find(name);
    if (it == producer.end() || !seen.insert(it->second).second)
      return;
    for (const std::string &in : it->second->input())
      if (!in.empty())
        visit(in);
    order.push_back(it->second);
  };
  visit(*y);

  Differentiator diff(node);
  SmallVector<double> ones(yType.getNumElements(), 1.0);
  if (failed(diff.accumulate(*y, node.createScalarConstant(
                                     yType.getElementType(), 1.0,
                                     yType.getShape()))))
    return failure();
  for (const onnx::NodeProto *n : llvm::reverse(order)) {
    if (n->output_size() != 1)
      return node.emitError() << "Gradient: differentiating "
                              << n->op_type() << " is not supported";
    Value g = diff.get(n->output(0));
    if (g && failed(diff.backward(*n, g)))
      return failure();
  }
  SmallVector<Value> results;
  for (const std::string &x : xsAttr->strings()) {
    Value g = diff.get(x);
    if (!g) {
      FailureOr<Value> value = node.getGraphImporter().lookup(x);
      auto type = succeeded(value) && *value
                      ? dyn_cast<RankedTensorType>((*value).getType())
                      : RankedTensorType();
      if (!type)
        return node.emitError() << "Gradient: xs '" << x << "' names no value";
      g = node.createScalarConstant(type.getElementType(), 0.0,
                                    type.getShape());
    }
    results.push_back(g);
  }
  return node.setOutputs(results);
}

} // namespace kiln
