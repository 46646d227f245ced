//===- InferShapes.cpp - Type propagation and folding ---------------------===//
//
// One forward sweep over a graph function: each op sees its operands'
// final types (and constant values) before its own inference runs, so a
// single pass settles shape-arithmetic chains such as
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Iterators.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/FoldUtils.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHINFERSHAPESPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {

/// Refines and folds every op nested in `region`, in order.
static LogicalResult inferRegion(Region &region, OperationFolder &folder) {
  for (Block &block : region) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      for (Region &nested : op.getRegions())
        if (failed(inferRegion(nested, folder)))
          return failure();
      if (failed(refineResultTypes(&op)))
        return failure();
      if (op.hasTrait<OpTrait::ConstantLike>())
        continue;
      // Fold; a folded op is replaced by constants or existing values.
      (void)folder.tryToFold(&op);
    }
  }
  return success();
}

LogicalResult inferShapes(func::FuncOp func) {
  OperationFolder folder(func.getContext());
  if (failed(inferRegion(func.getBody(), folder)))
    return failure();
  // Folding leaves constants and shape ops without users behind.
  func.getBody().walk<WalkOrder::PostOrder, ReverseIterator>(
      [](Operation *op) {
        if (isOpTriviallyDead(op))
          op->erase();
      });
  // Keep the signature in step with the returned values.
  auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<Type> results(ret.getOperandTypes());
  func.setFunctionType(FunctionType::get(
      func.getContext(), func.getArgumentTypes(), results));
  return success();
}

namespace {
struct GraphInferShapesPass
    : public impl::GraphInferShapesPassBase<GraphInferShapesPass> {
  void runOnOperation() override {
    if (failed(inferShapes(getOperation())))
      signalPassFailure();
  }
};
} // namespace

} // namespace kiln::graph
