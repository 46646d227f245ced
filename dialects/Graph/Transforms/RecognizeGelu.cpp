//===- RecognizeGelu.cpp - GELU from its exported chains ------------------===//
//
// torch 1.13 exports nn.GELU() as Div(x, 1.4142) -> Erf -> Add 1 ->
// Mul x -> Mul 0.5, and nn.GELU(approximate="tanh") as the cube, scale,
// Tanh, Add 1, Mul x, Mul 0.5 chain. Both become one graph.gelu. The
// patterns accept either operand order of the commutative ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/Transforms/PatternUtils.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHRECOGNIZEGELUPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {
namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kSqrt2OverPi = 0.7978845608028654;

/// Whether `v` is x / sqrt(2) or x * (1 / sqrt(2)).
bool isScaledForErf(Value v, Value x) {
  if (auto div = definedBy<DivOp>(v))
    return div.getA() == x && isConstantNear(div.getB(), kSqrt2);
  if (auto mul = definedBy<MulOp>(v)) {
    auto [c, other] = splitOperands(mul, [](Value o) {
      return isConstantNear(o, 1.0 / kSqrt2);
    });
    return c && other == x;
  }
  return false;
}

/// x * x * x as Mul(x, Mul(x, x)) in either order, or Pow(x, 3).
bool isCube(Value v, Value x) {
  if (auto pow = definedBy<PowOp>(v))
    return pow.getX() == x && isConstantNear(pow.getY(), 3.0);
  auto mul = definedBy<MulOp>(v);
  if (!mul)
    return false;
  auto [square, other] = splitOperands(mul, [&](Value o) {
    auto inner = definedBy<MulOp>(o);
    return inner && inner.getA() == x && inner.getB() == x;
  });
  return square && other == x;
}

/// sqrt(2 / pi) * (x + 0.044715 * x^3), the argument of tanh.
bool isTanhArgument(Value v, Value x) {
  auto mul = definedBy<MulOp>(v);
  if (!mul)
    return false;
  auto [c, sum] = splitOperands(
      mul, [](Value o) { return isConstantNear(o, kSqrt2OverPi); });
  auto add = c ? definedBy<AddOp>(sum) : AddOp();
  if (!add)
    return false;
  auto [xin, cubic] = splitOperands(add, [&](Value o) { return o == x; });
  auto scale = xin ? definedBy<MulOp>(cubic) : MulOp();
  if (!scale)
    return false;
  auto [k, cube] = splitOperands(
      scale, [](Value o) { return isConstantNear(o, 0.044715); });
  return k && isCube(cube, x);
}

/// Matches Mul(0.5, Mul(x, Add(1, f(x)))) in any operand order; returns x
/// and the inner f(x), or nulls.
std::pair<Value, Value> matchHalfXOnePlus(MulOp outer) {
  auto [half, product] =
      splitOperands(outer, [](Value o) { return isConstantNear(o, 0.5); });
  auto inner = half ? definedBy<MulOp>(product) : MulOp();
  if (!inner)
    return {};
  for (int i = 0; i < 2; ++i) {
    Value x = inner->getOperand(i);
    auto add = definedBy<AddOp>(inner->getOperand(1 - i));
    if (!add)
      continue;
    auto [one, f] =
        splitOperands(add, [](Value o) { return isConstantNear(o, 1.0); });
    if (one)
      return {x, f};
  }
  return {};
}

struct RecognizeGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp outer,
                                PatternRewriter &rewriter) const override {
    auto [x, f] = matchHalfXOnePlus(outer);
    if (!x)
      return rewriter.notifyMatchFailure(outer, "not 0.5 * x * (1 + f(x))");
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || type != outer.getType() ||
        !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(outer, "not a float elementwise op");
    StringRef mode;
    if (auto erf = definedBy<ErfOp>(f); erf && isScaledForErf(erf.getInput(), x))
      mode = "none";
    else if (auto tanh = definedBy<TanhOp>(f);
             tanh && isTanhArgument(tanh.getInput(), x))
      mode = "tanh";
    else
      return rewriter.notifyMatchFailure(outer, "inner function is not GELU's");
    rewriter.replaceOpWithNewOp<GeluOp>(outer, type, x,
                                        rewriter.getStringAttr(mode));
    return success();
  }
};

struct GraphRecognizeGeluPass
    : public impl::GraphRecognizeGeluPassBase<GraphRecognizeGeluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeGelu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::graph
