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
#include "llvm/ADT/ScopeExit.h"

namespace kiln {
#define GEN_PASS_DEF_TILEWORKGROUPSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {

TilingInterface getKernelOutputOp(func::FuncOp func) {
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

namespace {

/// The tile sizes a target pinned on `op` (kWorkgroupTilesAttr), when they
/// follow the rules: one per loop, at most three tiled loops, all parallel.
/// Sizes of a loop's whole range or more leave the loop untiled.
std::optional<SmallVector<int64_t>>
getPinnedTiles(Operation *op, ArrayRef<int64_t> ranges,
               ArrayRef<utils::IteratorType> iterators) {
  auto pinned = op->getAttrOfType<DenseI64ArrayAttr>(kWorkgroupTilesAttr);
  if (!pinned || pinned.size() != int64_t(ranges.size()))
    return std::nullopt;
  SmallVector<int64_t> sizes(pinned.asArrayRef());
  int64_t tiled = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 0)
      return std::nullopt;
    if (sizes[i] >= ranges[i])
      sizes[i] = 0;
    if (sizes[i] == 0)
      continue;
    if (iterators[i] != utils::IteratorType::parallel)
      return std::nullopt;
    ++tiled;
  }
  if (tiled > 3)
    return std::nullopt;
  return sizes;
}

struct TileWorkgroupsPass
    : public impl::TileWorkgroupsPassBase<TileWorkgroupsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder builder(func.getContext());
    SmallVector<int64_t> grid = {1, 1, 1};
    auto setGrid = [&] {
      func->setAttr(kGridAttr, builder.getDenseI64ArrayAttr(grid));
    };
    // A target's choice is used once, then dropped from every op.
    auto dropPinnedTiles = llvm::make_scope_exit([&] {
      func.walk([](Operation *op) { op->removeAttr(kWorkgroupTilesAttr); });
    });
    TilingInterface op = getKernelOutputOp(func);
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

    SmallVector<int64_t> tileSizes(ranges.size(), 0);
    SmallVector<int64_t> tiledLoops;
    if (std::optional<SmallVector<int64_t>> pinned =
            getPinnedTiles(op, ranges, iterators)) {
      tileSizes = *pinned;
      for (size_t i = 0; i < tileSizes.size(); ++i)
        if (tileSizes[i] != 0)
          tiledLoops.push_back(i);
      if (tiledLoops.empty())
        return setGrid();
      grid = tileIntoWorkgroups(op, ranges, tileSizes, tiledLoops);
      return setGrid();
    }

    // Work: output elements times reduction size.
    int64_t outputElements = 1, reductionSize = 1;
    for (auto [range, it] : llvm::zip(ranges, iterators))
      (it == utils::IteratorType::parallel ? outputElements : reductionSize) *=
          std::max<int64_t>(range, 1);
    int64_t work = outputElements * reductionSize;
    int64_t wanted = std::clamp<int64_t>(work / minWorkPerWorkgroup, 1,
                                         maxWorkgroups);
    if (wanted <= 1)
      return setGrid();

    // Split the outermost parallel loops until `wanted` tiles exist.
    int64_t remaining = wanted;
    for (size_t i = 0; i < ranges.size() && remaining > 1; ++i) {
      if (iterators[i] != utils::IteratorType::parallel || ranges[i] <= 1)
        continue;
      if (tiledLoops.size() == 3)
        break;
      int64_t parts = std::min(ranges[i], remaining);
      int64_t tile = (ranges[i] + parts - 1) / parts;
      parts = (ranges[i] + tile - 1) / tile;
      tileSizes[i] = tile;
      tiledLoops.push_back(i);
      remaining = (remaining + parts - 1) / parts;
    }
    if (tiledLoops.empty())
      return setGrid();
    grid = tileIntoWorkgroups(op, ranges, tileSizes, tiledLoops);
    setGrid();
  }

  /// Tiles `op` into a workgroup loop, fusing its producers, and returns
  /// the grid (one workgroup when tiling fails).
  static SmallVector<int64_t> tileIntoWorkgroups(TilingInterface op,
                                                 ArrayRef<int64_t> ranges,
                                                 ArrayRef<int64_t> tileSizes,
                                                 ArrayRef<int64_t> tiledLoops) {
    SmallVector<int64_t> grid = {1, 1, 1};
    IRRewriter rewriter(op->getContext());
    rewriter.setInsertionPoint(op);
    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tileSizes));
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
    if (failed(result))
      return grid;
    for (OpResult r : op->getResults())
      if (Value replacement = result->replacements.lookup(r))
        rewriter.replaceAllUsesWith(r, replacement);

    // Grid: the last tiled loop is x.
    for (auto [axis, loop] : llvm::enumerate(llvm::reverse(tiledLoops)))
      grid[axis] = (ranges[loop] + tileSizes[loop] - 1) / tileSizes[loop];
    return grid;
  }
};

} // namespace
} // namespace kiln
