//===- TileAndVectorize.cpp - Cache and register tiling, vectorization ----===//
//
// The CPU's speed comes from keeping data in caches and registers and from
// the vector units. Inside a workgroup, a contraction is tiled twice: for
// the caches, then into a register tile of rows x vector lanes whose
// accumulators stay in registers across the reduction. Everything else is
// cut into vector-sized pieces along its innermost loop.
//
//===----------------------------------------------------------------------===//

#include "targets/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_CPUTILEANDVECTORIZEPASS
#include "targets/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;

namespace kiln::cpu {
namespace {

/// Static loop ranges of `op`, or nullopt when one is dynamic.
std::optional<SmallVector<int64_t>> getStaticRanges(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  return ranges;
}

/// Tiles `op` with scf.for loops; returns the tiled op (or `op` itself when
/// every tile size is zero), replacing the original's uses.
FailureOr<linalg::LinalgOp> tileWithLoops(RewriterBase &rewriter,
                                          linalg::LinalgOp op,
                                          ArrayRef<int64_t> sizes) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled) || tiled->tiledOps.empty())
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return dyn_cast<linalg::LinalgOp>(tiled->tiledOps.back());
}

/// Vectorizes `op` with vector sizes `sizes` (masked where a tile is
/// partial). Leaves `op` alone when it does not vectorize.
void vectorizeOp(RewriterBase &rewriter, linalg::LinalgOp op,
                 ArrayRef<int64_t> sizes) {
  // A bool tensor holds one byte per element, but a vector of i1 loads
  // and stores packed bits: leave ops that read or write bools scalar.
  auto isBool = [](Value v) { return getElementTypeOrSelf(v).isInteger(1); };
  if (llvm::any_of(op->getOperands(), isBool) ||
      llvm::any_of(op->getResults(), isBool))
    return;
  rewriter.setInsertionPoint(op);
  // Static tiles vectorize as they are; only partial (dynamic) tiles need
  // explicit vector sizes and masks.
  if (!op.hasDynamicShape())
    sizes = {};
  // Vector sizes come with a scalable flag per dimension; none is here.
  SmallVector<bool> scalable(sizes.size(), false);
  if (failed(linalg::vectorizeOpPrecondition(op, sizes, scalable)))
    return;
  // Contractions go straight to vector.contract.
  FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
      rewriter, op, sizes, scalable,
      /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/linalg::isaContractionOpInterface(op));
  if (failed(result))
    return;
  if (op->getNumResults() == 0)
    rewriter.eraseOp(op);
  else
    rewriter.replaceOp(op, result->replacements);
}

/// The m, n and k loops of a matmul-shaped contraction: one reduction loop
/// innermost in the iteration order of the output, two parallel loops (and
/// optional leading batch loops).
struct ContractionDims {
  SmallVector<unsigned> batch;
  unsigned m, n, k;
};

std::optional<ContractionDims> getMatmulDims(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  ContractionDims out{SmallVector<unsigned>(dims->batch.begin(),
                                            dims->batch.end()),
                      dims->m[0], dims->n[0], dims->k[0]};
  return out;
}

struct CPUTileAndVectorizePass
    : public impl::CPUTileAndVectorizePassBase<CPUTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(func.getContext());
    for (linalg::LinalgOp op : ops) {
      std::optional<SmallVector<int64_t>> ranges = getStaticRanges(op);
      if (!ranges)
        continue;
      if (std::optional<ContractionDims> dims = getMatmulDims(op))
        tileContraction(rewriter, op, *ranges, *dims);
      else
        tileElementwise(rewriter, op, *ranges);
    }
    // Accumulator tiles read and written at the same place in every
    // iteration of a loop leave it: they stay in registers across the
    // reduction. Innermost loops first, so that hoisting cascades.
    SmallVector<LoopLikeOpInterface> loops;
    func.walk<WalkOrder::PostOrder>(
        [&](scf::ForOp loop) { loops.push_back(loop); });
    for (LoopLikeOpInterface loop : loops) {
      moveLoopInvariantCode(loop);
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    }
  }

  /// Lanes of a vector register for `elementType`.
  int64_t lanes(Type elementType) const {
    unsigned bits = elementType.isIntOrFloat()
                        ? std::max(8u, elementType.getIntOrFloatBitWidth())
                        : 32;
    return std::max<int64_t>(vectorBits / bits, 1);
  }

  /// Cache tiles, then a register tile of `rows` x 2 vectors, vectorized.
  void tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                       ArrayRef<int64_t> ranges, const ContractionDims &dims) {
    Type elt = cast<ShapedType>(op.getDpsInits()[0].getType()).getElementType();
    int64_t vec = lanes(elt);
    const int64_t rows = 8, cols = 2 * vec;
    SmallVector<int64_t> cache(ranges.size(), 0), reg(ranges.size(), 0);
    for (unsigned b : dims.batch)
      cache[b] = 1;
    cache[dims.m] = 64;
    cache[dims.n] = 8 * vec;
    cache[dims.k] = 256;
    reg[dims.m] = rows;
    reg[dims.n] = cols;
    reg[dims.k] = 1;
    for (unsigned b : dims.batch)
      reg[b] = 1;
    // Do not tile a loop beyond its size.
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (cache[i] >= ranges[i])
        cache[i] = 0;
      if (reg[i] >= ranges[i] && i != dims.k)
        reg[i] = 0;
    }
    FailureOr<linalg::LinalgOp> tiled = tileWithLoops(rewriter, op, cache);
    if (failed(tiled))
      return;
    FailureOr<linalg::LinalgOp> inner = tileWithLoops(rewriter, *tiled, reg);
    if (failed(inner))
      return;
    SmallVector<int64_t> sizes(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i)
      sizes[i] = reg[i] ? reg[i] : (cache[i] ? cache[i] : ranges[i]);
    vectorizeOp(rewriter, *inner, sizes);
  }

  /// One vector along the innermost loop, one element along the others.
  void tileElementwise(RewriterBase &rewriter, linalg::LinalgOp op,
                       ArrayRef<int64_t> ranges) {
    if (ranges.empty())
      return;
    Type elt = getElementTypeOrSelf(op->getResult(0).getType());
    int64_t vec = lanes(elt);
    size_t innermost = ranges.size() - 1;
    SmallVector<int64_t> tiles(ranges.size(), 1), sizes(ranges.size(), 1);
    // Reduction loops other than the innermost stay whole: tiling them
    // would need partial results.
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (op.getIteratorTypesArray()[i] == utils::IteratorType::reduction) {
        tiles[i] = 0;
        sizes[i] = ranges[i];
      }
    }
    // A width that divides the loop keeps every tile full. Partial tiles
    // would need masked vectorization, which upstream gets wrong for
    // broadcast operands and for outputs the body does not read.
    int64_t width = ranges[innermost];
    if (width > vec) {
      width = vec;
      while (ranges[innermost] % width != 0)
        width /= 2;
    }
    if (op.getIteratorTypesArray()[innermost] ==
        utils::IteratorType::parallel) {
      tiles[innermost] = width >= ranges[innermost] ? 0 : width;
      sizes[innermost] = width;
    }
    // Large whole loops would make huge vectors: leave those as loops.
    int64_t elements = 1;
    for (int64_t s : sizes)
      elements *= std::max<int64_t>(s, 1);
    if (elements > 4096)
      return;
    for (size_t i = 0; i < ranges.size(); ++i)
      if (tiles[i] != 0 && tiles[i] >= ranges[i])
        tiles[i] = 0;
    FailureOr<linalg::LinalgOp> tiled = tileWithLoops(rewriter, op, tiles);
    if (failed(tiled))
      return;
    vectorizeOp(rewriter, *tiled, sizes);
  }
};

} // namespace
} // namespace kiln::cpu
