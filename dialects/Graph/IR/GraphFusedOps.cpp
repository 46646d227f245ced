//===- GraphFusedOps.cpp - Ops Kiln recognizes in graphs ------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphFusedOps.cpp.inc"

namespace kiln::graph {

LogicalResult GeluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  StringRef mode = getApproximate();
  if (mode != "none" && mode != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", got \"")
           << mode << "\"";
  inferred.push_back(getX().getType());
  return success();
}

} // namespace kiln::graph
