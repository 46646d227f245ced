//===- DistributeWorkgroups.cpp - One loop iteration per workgroup --------===//

#include "compiler/Codegen/Passes.h"

#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_DISTRIBUTEWORKGROUPSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct DistributeWorkgroupsPass
    : public impl::DistributeWorkgroupsPassBase<DistributeWorkgroupsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<scf::ForallOp> loops;
    // A target may add loops of its own (threads) with a mapping; the
    // workgroup loop has none.
    for (Operation &op : func.getBody().front())
      if (auto forall = dyn_cast<scf::ForallOp>(op))
        if (!forall.getMapping())
          loops.push_back(forall);
    OpBuilder attrBuilder(func.getContext());
    if (loops.empty()) {
      func->setAttr(kGridAttr, attrBuilder.getDenseI64ArrayAttr({1, 1, 1}));
      return;
    }
    if (loops.size() > 1 || loops[0].getNumResults() != 0) {
      loops[0].emitError("kernel has more than one workgroup loop, or one "
                         "that was not bufferized");
      return signalPassFailure();
    }
    scf::ForallOp forall = loops[0];
    int64_t rank = forall.getRank();
    if (rank > 3) {
      forall.emitError("workgroup loop has more than three dimensions");
      return signalPassFailure();
    }
    // The grid is the loop's trip counts, the last loop being x: set it
    // here, from the loop that canonicalization left, not from the tiling.
    std::optional<SmallVector<OpFoldResult>> lowers =
        forall.getLoopLowerBounds();
    std::optional<SmallVector<OpFoldResult>> uppers =
        forall.getLoopUpperBounds();
    std::optional<SmallVector<OpFoldResult>> stepSizes = forall.getLoopSteps();
    SmallVector<int64_t> grid = {1, 1, 1};
    for (int64_t i = 0; i < rank; ++i) {
      std::optional<int64_t> lb = getConstantIntValue((*lowers)[i]);
      std::optional<int64_t> ub = getConstantIntValue((*uppers)[i]);
      std::optional<int64_t> step = getConstantIntValue((*stepSizes)[i]);
      if (!lb || !ub || !step || *step <= 0) {
        forall.emitError("workgroup loop has a dynamic trip count");
        return signalPassFailure();
      }
      grid[rank - 1 - i] = (*ub - *lb + *step - 1) / *step;
    }
    func->setAttr(kGridAttr, attrBuilder.getDenseI64ArrayAttr(grid));
    IRRewriter rewriter(forall);
    Location loc = forall.getLoc();
    SmallVector<Value> ivs;
    std::optional<SmallVector<OpFoldResult>> lbs = forall.getLoopLowerBounds();
    std::optional<SmallVector<OpFoldResult>> steps = forall.getLoopSteps();
    if (!lbs || !steps) {
      forall.emitError("workgroup loop has no bounds");
      return signalPassFailure();
    }
    for (int64_t i = 0; i < rank; ++i) {
      // The last loop dimension is x.
      Value id = dispatch::WorkgroupIdOp::create(rewriter, loc, rank - 1 - i);
      Value lb = getValueOrCreateConstantIndexOp(rewriter, loc, (*lbs)[i]);
      Value step = getValueOrCreateConstantIndexOp(rewriter, loc, (*steps)[i]);
      Value scaled = arith::MulIOp::create(rewriter, loc, id, step);
      ivs.push_back(arith::AddIOp::create(rewriter, loc, lb, scaled));
    }
    // The terminator holds nothing once the loop is on buffers.
    Block *body = forall.getBody();
    rewriter.eraseOp(body->getTerminator());
    rewriter.inlineBlockBefore(body, forall, ivs);
    rewriter.eraseOp(forall);
  }
};

} // namespace
} // namespace kiln
