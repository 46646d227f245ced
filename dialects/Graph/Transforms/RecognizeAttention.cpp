//===- RecognizeAttention.cpp - Attention from its exported chain ---------===//
//
// torch 1.13 exports scaled dot-product attention as
//
//   MatMul(Q, Transpose(K)) -> Div(sqrt(d)) -> [Add(bias)]
//     -> [Where(mask, -inf, .)] -> Softmax(-1) -> MatMul(., V)
//
// (nn.MultiheadAttention scales Q instead: Div(Q, sqrt(d)) before the first
// MatMul), with Transposes that move the heads in front of Q, K and V and
// back after the result. The whole chain becomes one graph.attention, which
// lowers to a single kernel with an online softmax.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/Transforms/PatternUtils.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHRECOGNIZEATTENTIONPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {
namespace {

bool hasOneUse(Value v) { return v.hasOneUse(); }

/// Whether `type` is a static f32 tensor of rank at least 2.
bool isStaticF32(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.hasStaticShape() && ranked.getRank() >= 2 &&
         ranked.getElementType().isF32();
}

/// Whether `shape` broadcasts to `target` without growing it.
bool broadcastsTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target) {
  if (shape.size() > target.size())
    return false;
  size_t lead = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && shape[i] != target[lead + i])
      return false;
  return true;
}

/// A value multiplied or divided by a scalar constant: returns the other
/// operand and multiplies `scale` by the factor, or returns null.
Value peelScale(Value v, double &scale, SmallVectorImpl<Location> &locs) {
  if (auto div = definedBy<DivOp>(v)) {
    std::optional<double> c = getScalarConstant(div.getB());
    if (!c || *c == 0.0 || div.getType() != div.getA().getType())
      return nullptr;
    scale /= *c;
    locs.push_back(div.getLoc());
    return div.getA();
  }
  if (auto mul = definedBy<MulOp>(v)) {
    for (int i = 0; i < 2; ++i) {
      std::optional<double> c = getScalarConstant(mul->getOperand(i));
      Value other = mul->getOperand(1 - i);
      if (c && mul.getType() == other.getType()) {
        scale *= *c;
        locs.push_back(mul.getLoc());
        return other;
      }
    }
  }
  return nullptr;
}

/// Looks through a single-use Transpose feeding an operand: returns its
/// input and permutation, or `v` unchanged and no permutation.
std::pair<Value, DenseI64ArrayAttr>
peelTranspose(Value v, SmallVectorImpl<Location> &locs) {
  auto transpose = definedBy<TransposeOp>(v);
  if (!transpose || !hasOneUse(v) ||
      !transpose.getData().getType().hasStaticShape())
    return {v, nullptr};
  locs.push_back(transpose.getLoc());
  return {transpose.getData(),
          DenseI64ArrayAttr::get(v.getContext(), transpose.getEffectivePerm())};
}

struct RecognizeAttention : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp pv,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(pv.getType());
    if (!isStaticF32(resultType) || !isStaticF32(pv.getA().getType()) ||
        !isStaticF32(pv.getB().getType()))
      return rewriter.notifyMatchFailure(pv, "not a static f32 matmul");
    int64_t rank = resultType.getRank();
    auto softmax = definedBy<SoftmaxOp>(pv.getA());
    if (!softmax || !hasOneUse(pv.getA()))
      return rewriter.notifyMatchFailure(pv, "A is not a softmax used once");
    if (softmax.getAxis() != -1 && softmax.getAxis() != rank - 1)
      return rewriter.notifyMatchFailure(pv, "softmax not over the last axis");
    SmallVector<Location> locs = {pv.getLoc(), softmax.getLoc()};

    // Backwards from the softmax: the mask, the bias, the scale.
    Value scores = softmax.getInput();
    auto scoresType = cast<RankedTensorType>(scores.getType());
    Value mask, bias;
    double maskValue = 0.0;
    if (auto where = definedBy<WhereOp>(scores)) {
      std::optional<double> fill = getScalarConstant(where.getX());
      if (!fill || !hasOneUse(scores) || where.getY().getType() != scoresType ||
          !broadcastsTo(where.getCondition().getType().getShape(),
                        scoresType.getShape()))
        return rewriter.notifyMatchFailure(pv, "unsupported mask");
      mask = where.getCondition();
      maskValue = *fill;
      locs.push_back(where.getLoc());
      scores = where.getY();
    }
    if (auto add = definedBy<AddOp>(scores)) {
      if (!hasOneUse(scores))
        return rewriter.notifyMatchFailure(pv, "bias add has other uses");
      // The scores are the operand of the scores' type that a matmul
      // (maybe scaled) computes; the other one is the bias.
      for (int i = 0; i < 2 && !bias; ++i) {
        Value candidate = add->getOperand(i), other = add->getOperand(1 - i);
        double unused = 1.0;
        SmallVector<Location> ignored;
        Value inner = peelScale(candidate, unused, ignored);
        if (candidate.getType() != scoresType ||
            !definedBy<MatMulOp>(inner ? inner : candidate))
          continue;
        auto otherType = cast<RankedTensorType>(other.getType());
        if (!otherType.getElementType().isF32() ||
            !otherType.hasStaticShape() ||
            !broadcastsTo(otherType.getShape(), scoresType.getShape()))
          continue;
        bias = other;
        scores = candidate;
      }
      if (!bias)
        return rewriter.notifyMatchFailure(pv, "unsupported bias add");
      locs.push_back(add.getLoc());
    }
    double scale = 1.0;
    if (!definedBy<MatMulOp>(scores)) {
      if (!hasOneUse(scores))
        return rewriter.notifyMatchFailure(pv, "scale has other uses");
      scores = peelScale(scores, scale, locs);
    }
    auto qk = definedBy<MatMulOp>(scores);
    if (!qk || !hasOneUse(scores) || qk.getType() != scoresType ||
        !isStaticF32(qk.getA().getType()) || !isStaticF32(qk.getB().getType()))
      return rewriter.notifyMatchFailure(pv, "no Q K^T matmul");
    locs.push_back(qk.getLoc());

    Value q = qk.getA();
    if (hasOneUse(q))
      if (Value unscaled = peelScale(q, scale, locs))
        q = unscaled;
    auto [qSource, qPerm] = peelTranspose(q, locs);
    auto [kSource, kPerm] = peelTranspose(qk.getB(), locs);
    auto [vSource, vPerm] = peelTranspose(pv.getB(), locs);

    // The result's transpose, when it is the only user.
    Operation *replaced = pv;
    DenseI64ArrayAttr outPerm;
    if (pv->hasOneUse())
      if (auto transpose = dyn_cast<TransposeOp>(*pv->getUsers().begin())) {
        replaced = transpose;
        outPerm = rewriter.getDenseI64ArrayAttr(transpose.getEffectivePerm());
        locs.push_back(transpose.getLoc());
      }

    // Q', K' and V' must share their batch dimensions (broadcasting ones
    // are left to the MatMuls) and be Lq x D, D x Lk, Lk x Dv.
    auto logical = [](Value v, DenseI64ArrayAttr perm) {
      ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
      SmallVector<int64_t> out;
      if (!perm)
        return llvm::to_vector(shape);
      for (int64_t p : perm.asArrayRef())
        out.push_back(shape[p]);
      return out;
    };
    SmallVector<int64_t> qShape = logical(qSource, qPerm),
                         kShape = logical(kSource, kPerm),
                         vShape = logical(vSource, vPerm);
    if (int64_t(qShape.size()) != rank || int64_t(kShape.size()) != rank ||
        int64_t(vShape.size()) != rank ||
        ArrayRef(qShape).drop_back(2) != ArrayRef(kShape).drop_back(2) ||
        ArrayRef(qShape).drop_back(2) != ArrayRef(vShape).drop_back(2))
      return rewriter.notifyMatchFailure(pv, "batch dimensions broadcast");

    rewriter.setInsertionPoint(replaced);
    Value none;
    auto getNone = [&]() {
      if (!none)
        none = NoneOp::create(rewriter, pv.getLoc());
      return none;
    };
    Value biasOperand = bias ? bias : getNone();
    Value maskOperand = mask ? mask : getNone();
    auto attention = AttentionOp::create(
        rewriter, rewriter.getFusedLoc(locs),
        cast<RankedTensorType>(replaced->getResult(0).getType()), qSource,
        kSource, vSource, biasOperand, maskOperand,
        rewriter.getF32FloatAttr(scale), rewriter.getF32FloatAttr(maskValue),
        qPerm, kPerm, vPerm, outPerm);
    rewriter.replaceOp(replaced, attention.getResult());
    return success();
  }
};

struct GraphRecognizeAttentionPass
    : public impl::GraphRecognizeAttentionPassBase<
          GraphRecognizeAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeAttention>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::graph
