//===- TileWorkgroups.cpp - Kernels into workgroups -----------------------===//
//
// A kernel's grid comes from tiling the op that writes its output along its
// parallel loops. The tile sizes aim for enough workgroups to keep a thread
// pool (or a GPU's blocks) busy while giving each workgroup enough work to
// amortize its start.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace kiln {
#define GEN_PASS_DEF_TILEWORKGROUPSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The op whose result the kernel writes to its single output, or null.
TilingInterface findOutputOp(func::FuncOp func) {
  SmallVector<bufferization::MaterializeInDestinationOp> writes;
  func.walk([&](bufferization::MaterializeInDestinationOp op) {
    writes.push_back(op);
  });
  if (writes.size() != 1)
    return nullptr;
  Operation *def = writes[0].getSource().getDefiningOp();
  if (!def || def->getBlock() != &func.getBody().front())
    return nullptr;
  return dyn_cast<TilingInterface>(def);
}

struct TileWorkgroupsPass
    : public impl::TileWorkgroupsPassBase<TileWorkgroupsPass> {
  using Base::Base;

  /// Tiles the rows `m` and columns `n` of a contraction's output into at
  /// most `wanted` tiles along at most `loopsLeft` loops. Each tile's size
  /// divides its loop and is a multiple of `minTile` (or the whole loop).
  /// Among the tilings with at least half the wanted tiles (or the most
  /// tiles, where none has that many), the one that reads the least
  /// operand data per multiply-add wins: the largest m*n / (m+n).
  void tileMatrix(ArrayRef<int64_t> ranges, unsigned m, unsigned n,
                  int64_t wanted, size_t loopsLeft,
                  SmallVectorImpl<int64_t> &tileSizes,
                  SmallVectorImpl<int64_t> &tiledLoops) {
    auto candidates = [&](int64_t range) {
      SmallVector<int64_t> sizes;
      for (int64_t t = 1; t <= range; ++t)
        if (range % t == 0 && (t % minTile == 0 || t == range))
          sizes.push_back(t);
      return sizes;
    };
    int64_t bestM = ranges[m], bestN = ranges[n], bestTiles = 1;
    double bestReuse = 0;
    for (int64_t tm : candidates(ranges[m])) {
      for (int64_t tn : candidates(ranges[n])) {
        int64_t tiles = (ranges[m] / tm) * (ranges[n] / tn);
        int64_t loops = (tm < ranges[m]) + (tn < ranges[n]);
        if (tiles > wanted || static_cast<size_t>(loops) > loopsLeft)
          continue;
        double reuse = double(tm) * tn / double(tm + tn);
        bool enough = 2 * tiles >= wanted;
        bool bestEnough = 2 * bestTiles >= wanted;
        bool better = enough != bestEnough
                          ? enough
                          : (enough ? reuse > bestReuse
                                    : tiles > bestTiles ||
                                          (tiles == bestTiles &&
                                           reuse > bestReuse));
        if (better) {
          bestM = tm;
          bestN = tn;
          bestTiles = tiles;
          bestReuse = reuse;
        }
      }
    }
    if (bestM < ranges[m]) {
      tileSizes[m] = bestM;
      tiledLoops.push_back(m);
    }
    if (bestN < ranges[n]) {
      tileSizes[n] = bestN;
      tiledLoops.push_back(n);
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder builder(func.getContext());
    SmallVector<int64_t> grid = {1, 1, 1};
    auto setGrid = [&] {
      func->setAttr(kGridAttr, builder.getDenseI64ArrayAttr(grid));
    };
    TilingInterface op = findOutputOp(func);
    if (!op)
      return setGrid();

    // The loop ranges, which must be static.
    IRRewriter rewriter(func.getContext());
    rewriter.setInsertionPoint(op);
    SmallVector<Range> domain = op.getIterationDomain(rewriter);
    SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
    SmallVector<int64_t> ranges;
    for (Range r : domain) {
      std::optional<int64_t> size = getConstantIntValue(r.size);
      std::optional<int64_t> offset = getConstantIntValue(r.offset);
      if (!size || !offset || *offset != 0)
        return setGrid();
      ranges.push_back(*size);
    }

    // Work: the iterations of every structured op of the kernel (the
    // output op may be a cheap epilogue of a convolution).
    int64_t work = 0;
    func.walk([&](linalg::LinalgOp linalgOp) {
      int64_t iterations = 1;
      for (int64_t r : linalgOp.getStaticLoopRanges())
        iterations *= ShapedType::isDynamic(r) ? 1 : std::max<int64_t>(r, 1);
      work += iterations;
    });
    int64_t wanted = std::clamp<int64_t>(work / minWorkPerWorkgroup, 1,
                                         maxWorkgroups);
    if (wanted <= 1)
      return setGrid();

    // A contraction's rows and columns (the two innermost parallel loops
    // of the output op) are tiled together, below.
    bool hasContraction = false;
    func.walk([&](linalg::LinalgOp linalgOp) {
      if (linalgOp.getNumReductionLoops() > 0 &&
          linalg::isaContractionOpInterface(linalgOp))
        hasContraction = true;
    });
    SmallVector<unsigned> parallelLoops;
    for (size_t i = 0; i < ranges.size(); ++i)
      if (iterators[i] == utils::IteratorType::parallel)
        parallelLoops.push_back(i);
    std::optional<std::pair<unsigned, unsigned>> matrixLoops;
    if (hasContraction && parallelLoops.size() >= 2) {
      matrixLoops = {parallelLoops[parallelLoops.size() - 2],
                     parallelLoops.back()};
      wanted = std::min(wanted, maxContractionWorkgroups.getValue());
    }

    // Split the outermost parallel loops until `wanted` tiles exist.
    SmallVector<int64_t> tileSizes(ranges.size(), 0);
    SmallVector<int64_t> tiledLoops;
    int64_t remaining = wanted;
    for (size_t i = 0; i < ranges.size() && remaining > 1; ++i) {
      if (iterators[i] != utils::IteratorType::parallel || ranges[i] <= 1)
        continue;
      if (matrixLoops && i == matrixLoops->first) {
        tileMatrix(ranges, matrixLoops->first, matrixLoops->second,
                   remaining, 3 - tiledLoops.size(), tileSizes, tiledLoops);
        break;
      }
      if (tiledLoops.size() == 3)
        break;
      // Keep tiles at least a few iterations wide: inner tiling wants rows
      // (and filters) to work on, not single iterations.
      int64_t parts = std::min(ranges[i], remaining);
      int64_t tile = std::max<int64_t>((ranges[i] + parts - 1) / parts,
                                       std::min<int64_t>(minTile, ranges[i]));
      // Tiles that divide the loop keep every workgroup's shapes static,
      // which vectorization inside the workgroup relies on.
      while (ranges[i] % tile != 0)
        ++tile;
      if (tile >= ranges[i])
        continue; // One tile: not a loop.
      parts = (ranges[i] + tile - 1) / tile;
      tileSizes[i] = tile;
      tiledLoops.push_back(i);
      remaining = (remaining + parts - 1) / parts;
    }
    if (tiledLoops.empty())
      return setGrid();

    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setTileSizes(getAsIndexOpFoldResult(func.getContext(), tileSizes));
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
    if (failed(result))
      return setGrid();
    for (OpResult r : op->getResults())
      if (Value replacement = result->replacements.lookup(r))
        rewriter.replaceAllUsesWith(r, replacement);

    // Grid: the last tiled loop is x.
    for (auto [axis, loop] : llvm::enumerate(llvm::reverse(tiledLoops)))
      grid[axis] = (ranges[loop] + tileSizes[loop] - 1) / tileSizes[loop];
    setGrid();
  }
};

} // namespace
} // namespace kiln
