//===- RecognizeLayerNorm.cpp - LayerNorm from its exported chain ---------===//
//
// Before opset 17 ONNX has no LayerNormalization, and torch exports
// nn.LayerNorm as
//   mean = ReduceMean(x); d = Sub(x, mean); var = ReduceMean(Pow(d, 2))
//   y = Div(d, Sqrt(Add(var, eps))); y = Mul(y, weight); y = Add(y, bias)
// over the trailing axes (Mul and Add are left out when the export folded
// a weight of ones or kept a bias of zeros: both are optional here).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/Transforms/PatternUtils.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHRECOGNIZELAYERNORMPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {
namespace {

/// The first axis of a keepdims mean over the trailing axes of `rank`, or
/// nullopt when the axes are not a trailing run.
std::optional<int64_t> trailingAxes(ReduceMeanOp op, int64_t rank) {
  if (op.getKeepdims() != 1 || !op.getAxes())
    return std::nullopt;
  // getAxes() returns an optional by value: keep the ArrayRef, not a
  // reference into the temporary.
  ArrayRef<int64_t> given = *op.getAxes();
  SmallVector<int64_t> axes;
  for (int64_t a : given)
    axes.push_back(a < 0 ? a + rank : a);
  llvm::sort(axes);
  if (axes.empty() || axes.back() != rank - 1)
    return std::nullopt;
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return std::nullopt;
  return axes.front();
}

struct RecognizeLayerNorm : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto sub = definedBy<SubOp>(div.getA());
    auto sqrt = definedBy<SqrtOp>(div.getB());
    if (!sub || !sqrt)
      return rewriter.notifyMatchFailure(div, "not (x - mean) / sqrt(...)");
    Value x = sub.getA();
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || type != div.getType() ||
        !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(div, "not a float tensor");
    int64_t rank = type.getRank();
    auto mean = definedBy<ReduceMeanOp>(sub.getB());
    if (!mean || mean.getData() != x)
      return rewriter.notifyMatchFailure(div, "no mean of x");
    auto addEps = definedBy<AddOp>(sqrt.getX());
    if (!addEps)
      return rewriter.notifyMatchFailure(div, "no variance + epsilon");
    auto [varValue, epsValue] = splitOperands(
        addEps, [](Value v) { return bool(definedBy<ReduceMeanOp>(v)); });
    std::optional<double> eps =
        epsValue ? getScalarConstant(epsValue) : std::nullopt;
    auto var = varValue ? definedBy<ReduceMeanOp>(varValue) : ReduceMeanOp();
    auto pow = var ? definedBy<PowOp>(var.getData()) : PowOp();
    if (!eps || !pow || pow.getX() != sub.getResult() ||
        !isConstantNear(pow.getY(), 2.0))
      return rewriter.notifyMatchFailure(div, "no mean of squares");
    std::optional<int64_t> axis = trailingAxes(mean, rank);
    if (!axis || trailingAxes(var, rank) != axis)
      return rewriter.notifyMatchFailure(div, "means not over trailing axes");

    // Every intermediate value stays inside the chain.
    Operation *chainOps[] = {mean, sub, pow, var, addEps, sqrt};
    llvm::SmallPtrSet<Operation *, 8> chain(std::begin(chainOps),
                                            std::end(chainOps));
    chain.insert(div);
    for (Operation *op : chainOps)
      if (!llvm::all_of(op->getUsers(),
                        [&](Operation *u) { return chain.contains(u); }))
        return rewriter.notifyMatchFailure(div, "a partial result escapes");

    // Optional weight and bias after the division.
    ArrayRef<int64_t> normalized = type.getShape().drop_front(*axis);
    auto fitsNormalized = [&](Value v) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      return t && t.getElementType() == type.getElementType() &&
             t.getRank() <= int64_t(normalized.size()) &&
             llvm::equal(t.getShape(),
                         normalized.take_back(t.getRank()));
    };
    Operation *last = div;
    Value weight, bias;
    if (div->hasOneUse())
      if (auto mul = dyn_cast<MulOp>(*div->getUsers().begin())) {
        auto [d, w] = splitOperands(mul, [&](Value v) { return v == div; });
        if (d && fitsNormalized(w) && mul.getType() == type) {
          weight = w;
          last = mul;
        }
      }
    if (last->hasOneUse())
      if (auto add = dyn_cast<AddOp>(*last->getUsers().begin())) {
        Value lastValue = last->getResult(0);
        auto [y, b] =
            splitOperands(add, [&](Value v) { return v == lastValue; });
        if (y && fitsNormalized(b) && add.getType() == type) {
          bias = b;
          last = add;
        }
      }

    Location loc = last->getLoc();
    rewriter.setInsertionPoint(last);
    if (!weight) {
      auto ones = RankedTensorType::get(normalized, type.getElementType());
      SmallVector<double> values(ones.getNumElements(), 1.0);
      weight = ConstantOp::create(rewriter, loc, makeDoubleElements(ones, values));
    }
    if (!bias)
      bias = NoneOp::create(rewriter, loc);
    OperationState state(loc, LayerNormalizationOp::getOperationName());
    state.addOperands({x, weight, bias});
    state.addAttribute("axis", rewriter.getI64IntegerAttr(*axis));
    state.addAttribute("epsilon", rewriter.getF32FloatAttr(float(*eps)));
    Type placeholder = UnrankedTensorType::get(type.getElementType());
    state.addTypes({placeholder, placeholder, placeholder});
    Operation *norm = rewriter.create(state);
    if (failed(refineResultTypes(norm))) {
      rewriter.eraseOp(norm);
      return rewriter.notifyMatchFailure(div, "layer norm does not infer");
    }
    rewriter.replaceOp(last, norm->getResult(0));
    return success();
  }
};

struct GraphRecognizeLayerNormPass
    : public impl::GraphRecognizeLayerNormPassBase<
          GraphRecognizeLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeLayerNorm>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::graph
