//===- FuseMatMulAdd.cpp - MatMul + Add into Gemm -------------------------===//

#include "dialects/Graph/Transforms/PatternUtils.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::graph {
#define GEN_PASS_DEF_GRAPHFUSEMATMULADDPASS
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace kiln::graph

using namespace mlir;

namespace kiln::graph {
namespace {

struct FuseMatMulAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    auto [product, bias] = splitOperands(add, [](Value v) {
      auto mm = definedBy<MatMulOp>(v);
      return mm && mm->hasOneUse();
    });
    if (!product)
      return rewriter.notifyMatchFailure(add, "no single-use MatMul operand");
    auto matmul = definedBy<MatMulOp>(product);
    auto aType = cast<RankedTensorType>(matmul.getA().getType());
    auto bType = cast<RankedTensorType>(matmul.getB().getType());
    auto outType = cast<RankedTensorType>(product.getType());
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (aType.getRank() != 2 || bType.getRank() != 2 ||
        add.getType() != outType || biasType.getRank() > 2 ||
        !isa<FloatType>(outType.getElementType()))
      return rewriter.notifyMatchFailure(add, "not a 2-D float product");
    Location loc = rewriter.getFusedLoc({matmul.getLoc(), add.getLoc()});
    OperationState state(loc, GemmOp::getOperationName());
    state.addOperands({matmul.getA(), matmul.getB(), bias});
    state.addTypes(outType);
    Operation *gemm = rewriter.create(state);
    if (failed(refineResultTypes(gemm))) {
      rewriter.eraseOp(gemm);
      return rewriter.notifyMatchFailure(add, "bias does not broadcast");
    }
    rewriter.replaceOp(add, gemm->getResults());
    rewriter.eraseOp(matmul);
    return success();
  }
};

struct GraphFuseMatMulAddPass
    : public impl::GraphFuseMatMulAddPassBase<GraphFuseMatMulAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseMatMulAdd>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace kiln::graph
