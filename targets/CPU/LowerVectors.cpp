//===- LowerVectors.cpp - Vector ops toward LLVM --------------------------===//

#include "targets/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
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

struct CPULowerVectorsPass
    : public impl::CPULowerVectorsPassBase<CPULowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

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
    apply([](RewritePatternSet &p) {
      vector::populateVectorOuterProductLoweringPatterns(p);
      vector::populateVectorMaskOpLoweringPatterns(p);
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
      auto approximated = [](StringRef name) {
        return name == "tanh" || name == "erf" || name == "exp" ||
               name == "log";
      };
      populateMathF32ExpansionPatterns(p, approximated);
      populateMathPolynomialApproximationPatterns(p, approximated);
    });
    hoistInvariants(func);
  }

  static void hoistInvariants(func::FuncOp func) {
    func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
  }
};

} // namespace
} // namespace kiln::cpu
