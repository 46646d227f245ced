//===- GraphOps.cpp - Shape inference contract of graph ops ---------------===//
//
// The verifier that every graph op shares: its result types must be the
// types its shape inference computes, or refinements of them.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

#include "dialects/Graph/IR/GraphInterfaces.cpp.inc"

namespace kiln::graph {

bool isRefinementOf(Type actual, Type inferred) {
  if (actual == inferred)
    return true;
  auto a = dyn_cast<ShapedType>(actual);
  auto i = dyn_cast<ShapedType>(inferred);
  if (!a || !i || a.getElementType() != i.getElementType())
    return false;
  if (!i.hasRank())
    return true;
  if (!a.hasRank() || a.getRank() != i.getRank())
    return false;
  for (auto [ad, id] : llvm::zip(a.getShape(), i.getShape()))
    if (!ShapedType::isDynamic(id) && ad != id)
      return false;
  return true;
}

static std::string typeToString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

namespace detail {
/// A result type is valid when it does not contradict inference: it may be
/// more precise (a declared static size) or less (IR written by hand before
/// graph-infer-shapes ran), but no static size may differ.
LogicalResult verifyInferredResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError("has ")
           << op->getNumResults() << " results but shape inference gave "
           << inferred.size();
  for (auto [idx, result, type] :
       llvm::enumerate(op->getResults(), inferred)) {
    if (!isRefinementOf(result.getType(), type) &&
        !isRefinementOf(type, result.getType()))
      return op->emitOpError("result #")
             << idx << " has type " << result.getType()
             << ", which contradicts the inferred type " << type;
  }
  return success();
}
} // namespace detail

LogicalResult refineResultTypes(Operation *op) {
  auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
  if (!iface)
    return success();
  SmallVector<Type> inferred;
  if (failed(iface.inferResultTypes(inferred)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError("shape inference gave ")
           << inferred.size() << " types for " << op->getNumResults()
           << " results";
  for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
    Type current = result.getType();
    if (isRefinementOf(current, type))
      continue;
    // A placeholder or a less precise type: take the inferred one.
    if (isRefinementOf(type, current) || !isa<RankedTensorType>(current)) {
      result.setType(type);
      continue;
    }
    return op->emitOpError("inferred result type ")
           << typeToString(type) << " contradicts the declared type "
           << typeToString(current);
  }
  return success();
}

} // namespace kiln::graph
