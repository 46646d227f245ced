//===- FuseElementwise.cpp - Elementwise chains into single generic ops ---===//
//
// Inside a kernel, every linalg op writes its whole result before the next
// one reads it. A chain of elementwise ops (a bias add and the three or four
// ops of an activation) therefore costs one buffer and one pass over memory
// per op. Merged into one generic op, the chain computes each element once,
// in registers. Only producers with a single use merge: one with several
// would be computed once per consumer.
//
//===----------------------------------------------------------------------===//

#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHFUSEELEMENTWISEPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

struct DispatchFuseElementwisePass
    : public impl::DispatchFuseElementwisePassBase<
          DispatchFuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          Operation *producer = operand->get().getDefiningOp();
          return producer && producer->hasOneUse();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::dispatch
