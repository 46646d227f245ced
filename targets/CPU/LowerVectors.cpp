//===- LowerVectors.cpp - Vector ops toward LLVM --------------------------===//

#include "targets/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_CPULOWERVECTORSPASS
#include "targets/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;

namespace kiln::cpu {
namespace {

/// erf on f32 (scalars or vectors) as one rational function of x, no
/// branches: erf(x) = x P(x^2) / Q(x^2) with x clamped to [-4, 4] (where
/// erf is 1 to within f32's precision), P of degree 6 and Q of degree 4.
/// Its largest error over [-6, 6] is 4.2e-7 (about 3 ulp near +-1), and it
/// costs 12 FMAs and a division. Upstream's approximation selects among
/// three intervals with compares and blends (19 blends and 2 divisions per
/// vector of GELU), which made the GELU epilogue of the transformer's
/// feed-forward matmul 9% of its kernel.
struct ErfAsRational : public OpRewritePattern<math::ErfOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ErfOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    auto constant = [&](double value) -> Value {
      Attribute attr = rewriter.getF32FloatAttr(static_cast<float>(value));
      if (auto vector = dyn_cast<VectorType>(type))
        attr = DenseElementsAttr::get(vector, attr);
      return arith::ConstantOp::create(rewriter, loc, type,
                                       cast<TypedAttr>(attr));
    };
    // Coefficients of P and Q, highest degree first.
    static constexpr double kP[] = {
        -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
        -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
        -1.60960333262415e-02};
    static constexpr double kQ[] = {
        -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
        -7.37332916720468e-03, -1.42647390514189e-02};
    Value x = arith::MinimumFOp::create(
        rewriter, loc,
        arith::MaximumFOp::create(rewriter, loc, op.getOperand(),
                                  constant(-4.0)),
        constant(4.0));
    Value x2 = arith::MulFOp::create(rewriter, loc, x, x);
    auto horner = [&](ArrayRef<double> coefficients) {
      Value acc = constant(coefficients.front());
      for (double c : coefficients.drop_front())
        acc = math::FmaOp::create(rewriter, loc, acc, x2, constant(c));
      return acc;
    };
    Value p = arith::MulFOp::create(rewriter, loc, horner(kP), x);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, horner(kQ));
    return success();
  }
};

/// `maximumf(x, c)` and `minimumf(x, c)` against a constant `c` that is
/// no NaN (a Clip's or a Relu's bound) as `c > x ? c : x` and
/// `c < x ? c : x`: AVX-512's max and min in exactly that operand order,
/// one instruction. A NaN `x` still comes out NaN; the one difference from
/// maximumf is a -0.0 `x` against a 0.0 bound, which stays -0.0 (equal
/// in value). The generic lowering of maximumf, which orders the signed
/// zeros and propagates a NaN from either side, took two compares and two
/// blends, a fifth of the floating-point work of a depthwise
/// convolution's output.
template <typename MinMaxOp, arith::CmpFPredicate kPredicate>
struct MinMaxAgainstConstant : public OpRewritePattern<MinMaxOp> {
  using OpRewritePattern<MinMaxOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(MinMaxOp op,
                                PatternRewriter &rewriter) const override {
    auto isBound = [](Value v) {
      Attribute attr;
      if (!matchPattern(v, m_Constant(&attr)))
        return false;
      if (auto splat = dyn_cast<SplatElementsAttr>(attr))
        attr = splat.getSplatValue<Attribute>();
      auto scalar = dyn_cast<FloatAttr>(attr);
      return scalar && !scalar.getValue().isNaN();
    };
    Value x = op.getLhs(), bound = op.getRhs();
    if (!isBound(bound))
      std::swap(x, bound);
    if (!isBound(bound) || isBound(x))
      return rewriter.notifyMatchFailure(op, "no constant bound");
    Location loc = op.getLoc();
    Value takeBound =
        arith::CmpFOp::create(rewriter, loc, kPredicate, bound, x);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, takeBound, bound, x);
    return success();
  }
};

struct CPULowerVectorsPass
    : public impl::CPULowerVectorsPassBase<CPULowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    if (tightenIfLayouts(func)) {
      // The casts back to the dynamic layout fold into their users
      // (subviews, reshapes, transfers), which get static strides.
      RewritePatternSet patterns(ctx);
      for (RegisteredOperationName name : ctx->getRegisteredOperations())
        if (name.getDialectNamespace() == "memref" ||
            name.getDialectNamespace() == "vector")
          name.getCanonicalizationPatterns(patterns, ctx);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    lowerStridedCopies(func);
    // Accumulators and invariant loads leave the reduction loops.
    hoistInvariants(func);
    linalg::hoistRedundantVectorTransfers(func);

    auto apply = [&](auto populate) {
      RewritePatternSet patterns(ctx);
      populate(patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    };
    // Multiply-reduce chains become contractions, contractions become
    // outer products, outer products FMAs.
    apply([](RewritePatternSet &p) {
      vector::populateVectorTransferPermutationMapLoweringPatterns(p);
      vector::populateVectorReductionToContractPatterns(p);
      vector::populateSinkVectorOpsPatterns(p);
    });
    apply([](RewritePatternSet &p) {
      vector::populateVectorContractLoweringPatterns(
          p, vector::VectorContractLowering::OuterProduct);
      vector::populateVectorTransferPermutationMapLoweringPatterns(p);
    });
    lowerSquareTransposes(func);
    apply([](RewritePatternSet &p) {
      vector::populateVectorOuterProductLoweringPatterns(p);
      vector::populateVectorMaskOpLoweringPatterns(p);
      vector::populateVectorMaskLoweringPatternsForSideEffectingOps(p);
      vector::populateVectorMultiReductionLoweringPatterns(
          p, vector::VectorMultiReductionLowering::InnerParallel);
      vector::populateVectorBroadcastLoweringPatterns(p);
      vector::populateVectorTransposeLoweringPatterns(
          p, vector::VectorTransposeLowering::EltWise);
      vector::populateVectorShapeCastLoweringPatterns(p);
      vector::populateVectorTransferLoweringPatterns(p, /*maxRank=*/1);
    });
    // The transcendental functions that dominate activations and
    // normalizations (GELU, softmax, sigmoid) stay vectorized as
    // polynomial approximations, computed in f32; the rest become libm
    // calls later.
    apply([](RewritePatternSet &p) {
      // The predicates see the full op name (`math.exp`).
      auto approximated = [](StringRef name) {
        return name.consume_front("math.") &&
               (name == "tanh" || name == "erf" || name == "exp" ||
                name == "log");
      };
      populateMathF32ExpansionPatterns(p, approximated);
      populateMathPolynomialApproximationPatterns(p, approximated);
      // erf's approximation is not among the predicate-driven ones: f32
      // takes Kiln's rational one, other types upstream's.
      p.add<ErfAsRational>(p.getContext(), /*benefit=*/2);
      populatePolynomialApproximateErfPattern(p);
    });
    apply([](RewritePatternSet &p) {
      p.add<MinMaxAgainstConstant<arith::MaximumFOp, arith::CmpFPredicate::OGT>,
            MinMaxAgainstConstant<arith::MinimumFOp, arith::CmpFPredicate::OLT>>(
          p.getContext());
    });
    hoistInvariants(func);
  }

  /// Bufferization gives an scf.if yielding buffers (a padded tile, which
  /// tiling guards against an empty slice) a fully dynamic layout, casting
  /// every yielded buffer to it, even where each branch yields a buffer of
  /// one static identity-layout type (two allocations). Vector reads of it
  /// then have a dynamic stride, which the lowering turns into one load
  /// per element. Such an scf.if yields the static type instead, cast back
  /// for its users. Returns whether any changed.
  static bool tightenIfLayouts(func::FuncOp func) {
    bool changed = false;
    func.walk([&](scf::IfOp ifOp) {
      if (ifOp.getNumResults() == 0 || ifOp.getElseRegion().empty())
        return;
      SmallVector<Type> types(ifOp.getResultTypes());
      SmallVector<unsigned> tightened;
      for (unsigned i = 0; i < ifOp.getNumResults(); ++i) {
        auto type = dyn_cast<MemRefType>(types[i]);
        if (!type || type.getLayout().isIdentity())
          continue;
        Type common;
        bool same = true;
        for (Block *block : {ifOp.thenBlock(), ifOp.elseBlock()}) {
          auto cast = block->getTerminator()
                          ->getOperand(i)
                          .getDefiningOp<memref::CastOp>();
          auto source =
              cast ? dyn_cast<MemRefType>(cast.getSource().getType()) : nullptr;
          if (!source || !source.getLayout().isIdentity() ||
              !source.hasStaticShape() || (common && common != source))
            same = false;
          else
            common = source;
        }
        if (same && common) {
          types[i] = common;
          tightened.push_back(i);
        }
      }
      if (tightened.empty())
        return;
      for (unsigned i : tightened) {
        for (Block *block : {ifOp.thenBlock(), ifOp.elseBlock()}) {
          Operation *yield = block->getTerminator();
          yield->setOperand(
              i, yield->getOperand(i).getDefiningOp<memref::CastOp>().getSource());
        }
        Value result = ifOp.getResult(i);
        Type dynamicType = result.getType();
        result.setType(types[i]);
        OpBuilder b(ifOp->getContext());
        b.setInsertionPointAfter(ifOp);
        auto back = memref::CastOp::create(b, ifOp.getLoc(), dynamicType, result);
        result.replaceAllUsesExcept(back, back);
      }
      changed = true;
    });
    return changed;
  }

  /// The LLVM lowering turns a copy between non-contiguous memrefs (a
  /// strided subview, as bufferizing tensor.pad or insert_slice makes) into
  /// a call to the `memrefCopy` runtime helper, which kernels cannot link.
  /// Such copies become linalg.copy, which the loop lowering expands.
  static void lowerStridedCopies(func::FuncOp func) {
    SmallVector<memref::CopyOp> copies;
    func.walk([&](memref::CopyOp copy) {
      auto contiguous = [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && memref::isStaticShapeAndContiguousRowMajor(type);
      };
      if (!contiguous(copy.getSource()) || !contiguous(copy.getTarget()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }

  /// Transposes of 16 x 16 32-bit elements (the blocks of a packing copy)
  /// become the sequence of unpacks and 128-bit lane shuffles of AVX-512:
  /// element by element, such a block is 256 extracts and inserts. Other
  /// transposes stay element-wise.
  static void lowerSquareTransposes(func::FuncOp func) {
    SmallVector<Operation *> square;
    func.walk([&](vector::TransposeOp op) {
      VectorType type = op.getSourceVectorType();
      SmallVector<int64_t> dims;
      for (int64_t d : type.getShape())
        if (d != 1)
          dims.push_back(d);
      if (dims == SmallVector<int64_t>{16, 16} &&
          type.getElementType().getIntOrFloatBitWidth() == 32)
        square.push_back(op);
    });
    if (square.empty())
      return;
    RewritePatternSet patterns(func.getContext());
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::Shuffle16x16);
    (void)applyOpPatternsGreedily(square, std::move(patterns));
  }

  static void hoistInvariants(func::FuncOp func) {
    func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
  }
};

} // namespace
} // namespace kiln::cpu
