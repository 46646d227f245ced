//===- FoldBatchNorm.cpp - BatchNormalization into Conv weights -----------===//

#include "dialects/Graph/Transforms/PatternUtils.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHFOLDBATCHNORMPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {
namespace {

struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormalizationOp bn,
                                PatternRewriter &rewriter) const override {
    if (bn.getTrainingMode() != 0)
      return rewriter.notifyMatchFailure(bn, "training mode");
    if (!bn.getRunningMean().use_empty() || !bn.getRunningVar().use_empty())
      return rewriter.notifyMatchFailure(bn, "running statistics are used");
    auto conv = definedBy<ConvOp>(bn.getX());
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use conv");
    auto wType = dyn_cast<RankedTensorType>(conv.getW().getType());
    if (!wType || !wType.hasStaticShape() || wType.getRank() < 1)
      return rewriter.notifyMatchFailure(bn, "weights are not static");
    std::optional<SmallVector<double>> w = getConstantDoubles(conv.getW());
    std::optional<SmallVector<double>> scale = getConstantDoubles(bn.getScale());
    std::optional<SmallVector<double>> shift = getConstantDoubles(bn.getB());
    std::optional<SmallVector<double>> mean =
        getConstantDoubles(bn.getInputMean());
    std::optional<SmallVector<double>> var =
        getConstantDoubles(bn.getInputVar());
    if (!w || !scale || !shift || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "operands are not constant");
    int64_t filters = wType.getDimSize(0);
    if (int64_t(scale->size()) != filters || int64_t(shift->size()) != filters ||
        int64_t(mean->size()) != filters || int64_t(var->size()) != filters)
      return rewriter.notifyMatchFailure(bn, "statistics do not match filters");
    SmallVector<double> bias(filters, 0.0);
    if (!isNone(conv.getB())) {
      std::optional<SmallVector<double>> b = getConstantDoubles(conv.getB());
      if (!b || int64_t(b->size()) != filters)
        return rewriter.notifyMatchFailure(bn, "conv bias is not constant");
      bias = *b;
    }
    double epsilon = bn.getEpsilon().convertToDouble();
    int64_t perFilter = wType.getNumElements() / std::max<int64_t>(filters, 1);
    SmallVector<double> newW(*w), newB(filters);
    for (int64_t f = 0; f < filters; ++f) {
      double s = (*scale)[f] / std::sqrt((*var)[f] + epsilon);
      for (int64_t i = 0; i < perFilter; ++i)
        newW[f * perFilter + i] *= s;
      newB[f] = (bias[f] - (*mean)[f]) * s + (*shift)[f];
    }
    Location loc = rewriter.getFusedLoc({conv.getLoc(), bn.getLoc()});
    auto bType = RankedTensorType::get({filters}, wType.getElementType());
    Value weights =
        ConstantOp::create(rewriter, loc, makeDoubleElements(wType, newW));
    Value biases =
        ConstantOp::create(rewriter, loc, makeDoubleElements(bType, newB));
    auto folded = cast<ConvOp>(rewriter.clone(*conv));
    folded->setLoc(loc);
    folded->setOperand(1, weights);
    folded->setOperand(2, biases);
    rewriter.replaceAllUsesWith(bn.getY(), folded.getResult());
    rewriter.eraseOp(bn);
    rewriter.eraseOp(conv);
    return success();
  }
};

struct GraphFoldBatchNormPass
    : public impl::GraphFoldBatchNormPassBase<GraphFoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::graph
