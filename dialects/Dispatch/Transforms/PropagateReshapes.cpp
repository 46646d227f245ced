//===- PropagateReshapes.cpp - Reshapes out of the way of fusion ----------===//
//
// Exported models reshape all the time: a MatMul on [1, 128, 768] is a
// collapse to two dimensions, a 2-D matmul and an expand back; attention
// heads are a reshape of a slice followed by a transpose. Each reshape sits
// between two ops that could share a kernel, and dispatch formation cannot
// group across it. This pass moves reshapes to where they cost nothing: it
// drops unit dimensions from generic ops, folds the remaining reshapes into
// the generic ops next to them (collapsing their loops), and moves a
// reshape of a slice above the slice, so that what is left is a reshape of
// a whole kernel result: a re-labelled buffer on the host.
//
// Generic ops attached to convolutions and pools keep their dimensions:
// those named ops work on 4-D NCHW tensors, and a reshape between them and
// their epilogue would split the pair.
//
//===----------------------------------------------------------------------===//

#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallBitVector.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHPROPAGATERESHAPESPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// Discardable attribute marking generic ops that keep their dimensions
/// while this pass runs.
constexpr llvm::StringLiteral kKeepDimsAttr = "dispatch.keep_dims";

/// Discardable attribute marking the generic ops around named contractions,
/// whose unit dimensions stay (reshapes may still fold into them): the bias
/// and softmax of a matmul with one row keep that row, so that they remain
/// the matmul's epilogue.
constexpr llvm::StringLiteral kKeepUnitDimsAttr = "dispatch.keep_unit_dims";

/// Marks with `attr` every op that `joins` accepts and that is connected
/// to a seed (an op `isSeed` accepts) through a chain of such ops,
/// producers or consumers.
void markNeighbours(func::FuncOp func, function_ref<bool(Operation *)> isSeed,
                    function_ref<bool(Operation *)> joins, StringRef attr) {
  SmallVector<Operation *> worklist;
  func.walk([&](Operation *op) {
    if (isSeed(op))
      worklist.push_back(op);
  });
  llvm::SmallPtrSet<Operation *, 32> seen(worklist.begin(), worklist.end());
  auto visit = [&](Operation *op) {
    if (!op || !joins(op) || !seen.insert(op).second)
      return;
    op->setAttr(attr, UnitAttr::get(op->getContext()));
    worklist.push_back(op);
  };
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Value operand : op->getOperands())
      visit(operand.getDefiningOp());
    for (Operation *user : op->getUsers())
      visit(user);
  }
}

/// Named contractions (not generic ones).
bool isNamedContraction(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && !isa<linalg::GenericOp>(op) &&
         linalg::isaContractionOpInterface(linalgOp);
}

/// Convolutions and pools: structured ops with a fixed tensor layout.
bool isWindowOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && !isa<linalg::GenericOp>(op) &&
         linalg::isaConvolutionOpInterface(linalgOp);
}

/// The generic ops connected to a named contraction through a chain of
/// generic ops (its epilogue, a softmax after it, the ops computing its
/// operands) keep their unit dims, so that the whole chain keeps one shape.
void markContractionNeighbours(func::FuncOp func) {
  markNeighbours(
      func, isNamedContraction,
      [](Operation *op) { return isa<linalg::GenericOp>(op); },
      kKeepUnitDimsAttr);
}

/// The generic ops and pads connected to a window op through a chain of
/// them keep their dims.
void markWindowNeighbours(func::FuncOp func) {
  markNeighbours(
      func, isWindowOp,
      [](Operation *op) { return isa<linalg::GenericOp, tensor::PadOp>(op); },
      kKeepDimsAttr);
}

/// expand_shape(extract_slice(x)) -> extract_slice(expand_shape(x)) when the
/// slice is whole along every expanded group except at its outermost
/// dimension, whose offset and size the inner sizes divide. The expand of
/// `x` is then a reshape of a whole value, which costs nothing when `x` is
/// a kernel's result (the heads of Q, K and V cut from one QKV projection).
struct BubbleExpandAboveSlice
    : public OpRewritePattern<tensor::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExpandShapeOp expand,
                                PatternRewriter &rewriter) const override {
    auto slice = expand.getSrc().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || !slice.hasUnitStride() ||
        slice.getSourceType().getRank() != slice.getResultType().getRank())
      return failure();
    auto sourceType = slice.getSourceType();
    auto resultType = expand.getResultType();
    if (!sourceType.hasStaticShape() || !resultType.hasStaticShape())
      return failure();
    SmallVector<int64_t> offsets, sizes;
    for (OpFoldResult o : slice.getMixedOffsets()) {
      std::optional<int64_t> c = getConstantIntValue(o);
      if (!c)
        return failure();
      offsets.push_back(*c);
    }
    for (OpFoldResult s : slice.getMixedSizes())
      sizes.push_back(*getConstantIntValue(s));

    SmallVector<int64_t> expandedSource, newOffsets, newSizes;
    for (auto [dim, group] : llvm::enumerate(expand.getReassociationIndices())) {
      // Inner sizes of the group, which the source dimension carries too.
      int64_t inner = 1;
      for (int64_t d : llvm::drop_begin(group))
        inner *= resultType.getDimSize(d);
      if (offsets[dim] % inner != 0 || sizes[dim] % inner != 0 ||
          sourceType.getDimSize(dim) % inner != 0)
        return failure();
      expandedSource.push_back(sourceType.getDimSize(dim) / inner);
      newOffsets.push_back(offsets[dim] / inner);
      newSizes.push_back(resultType.getDimSize(group.front()));
      for (int64_t d : llvm::drop_begin(group)) {
        expandedSource.push_back(resultType.getDimSize(d));
        newOffsets.push_back(0);
        newSizes.push_back(resultType.getDimSize(d));
      }
    }
    auto expandedType =
        RankedTensorType::get(expandedSource, sourceType.getElementType());
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, expand.getLoc(), expandedType, slice.getSource(),
        expand.getReassociationIndices());
    SmallVector<int64_t> strides(newOffsets.size(), 1);
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        expand, resultType, expanded,
        getAsIndexOpFoldResult(rewriter.getContext(), newOffsets),
        getAsIndexOpFoldResult(rewriter.getContext(), newSizes),
        getAsIndexOpFoldResult(rewriter.getContext(), strides));
    return success();
  }
};

/// extract_slice(expand_shape(x)) -> extract_slice(x) when the expand only
/// adds unit dimensions and the slice drops exactly those: what dropping
/// unit dimensions leaves of a slice of a value that was expanded to 3-D
/// (the Split of a QKV projection).
struct FoldUnitExpandIntoSlice
    : public OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto expand = slice.getSource().getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand)
      return failure();
    RankedTensorType expandedType = expand.getResultType();
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (const ReassociationIndices &group :
         expand.getReassociationIndices()) {
      std::optional<int64_t> kept;
      for (int64_t d : group) {
        if (dropped.test(d)) {
          if (expandedType.getDimSize(d) != 1)
            return failure();
          continue;
        }
        if (kept)
          return failure();
        kept = d;
      }
      if (!kept)
        return failure();
      offsets.push_back(slice.getMixedOffsets()[*kept]);
      sizes.push_back(slice.getMixedSizes()[*kept]);
      strides.push_back(slice.getMixedStrides()[*kept]);
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        slice, slice.getResultType(), expand.getSrc(), offsets, sizes,
        strides);
    return success();
  }
};

struct DispatchPropagateReshapesPass
    : public impl::DispatchPropagateReshapesPassBase<
          DispatchPropagateReshapesPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    // Transposes as generic ops, so that their unit dimensions drop and
    // reshapes fold into them like into any other generic op.
    IRRewriter rewriter(ctx);
    SmallVector<linalg::TransposeOp> transposes;
    func.walk([&](linalg::TransposeOp op) { transposes.push_back(op); });
    for (linalg::TransposeOp op : transposes) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }

    markWindowNeighbours(func);
    markContractionNeighbours(func);
    auto keepsDims = [](Operation *op) {
      return op && op->hasAttr(kKeepDimsAttr);
    };

    linalg::ControlDropUnitDims unitDims;
    unitDims.controlFn = [&](Operation *op) -> SmallVector<unsigned> {
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!generic || keepsDims(op) || op->hasAttr(kKeepUnitDimsAttr))
        return {};
      return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
    };
    // Two rounds: dropping unit dimensions turns unit slices into
    // rank-reducing slices and reshapes, which the reshape folding of the
    // second round turns back; in one pattern set the two would cycle.
    RewritePatternSet unitDimPatterns(ctx);
    linalg::populateFoldUnitExtentDimsPatterns(unitDimPatterns, unitDims);
    linalg::populateFoldUnitExtentDimsCanonicalizationPatterns(
        unitDimPatterns, unitDims);
    if (failed(applyPatternsGreedily(func, std::move(unitDimPatterns))))
      return signalPassFailure();

    // Reshapes fold into the generic op on either side of them, unless
    // that op keeps its dimensions.
    RewritePatternSet patterns(ctx);
    linalg::populateFoldReshapeOpsByCollapsingPatterns(
        patterns, [&](OpOperand *operand) {
          return !keepsDims(operand->getOwner()) &&
                 !keepsDims(operand->get().getDefiningOp());
        });
    patterns.add<BubbleExpandAboveSlice, FoldUnitExpandIntoSlice>(ctx);
    tensor::populateReassociativeReshapeFoldingPatterns(patterns);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    func.walk([](Operation *op) {
      op->removeAttr(kKeepDimsAttr);
      op->removeAttr(kKeepUnitDimsAttr);
    });
  }
};

} // namespace
} // namespace kiln::dispatch
