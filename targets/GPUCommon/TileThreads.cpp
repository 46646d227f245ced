//===- TileThreads.cpp - One output element per thread --------------------===//
//
// The general mapping of a workgroup onto a block: its output tile is cut
// into single elements, each computed by one iteration of a thread loop,
// with every producer fused into the iteration. Temporaries then shrink to
// scalars, which keeps the per-thread state small and needs no
// communication between threads. Reductions stay whole inside the
// iteration (one thread reduces each output element).
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace kiln::gpu {
#define GEN_PASS_DEF_GPUTILETHREADSPASS
#include "targets/GPUCommon/Passes.h.inc"
} // namespace kiln::gpu

using namespace mlir;

namespace kiln::gpu {
namespace {

/// The scf.forall mapping ids run out after ten dimensions.
constexpr int64_t kMaxThreadLoopRank = 10;

/// The kernel's workgroup loop: the top-level scf.forall without mapping.
scf::ForallOp getWorkgroupLoop(func::FuncOp func) {
  for (Operation &op : func.getBody().front())
    if (auto forall = dyn_cast<scf::ForallOp>(op))
      if (!forall.getMapping())
        return forall;
  return nullptr;
}

/// The op that computes a workgroup's tile of the output: the source of the
/// workgroup loop's one parallel_insert_slice, or, when the kernel has no
/// workgroup loop, its output op.
TilingInterface getWorkgroupRoot(func::FuncOp func) {
  scf::ForallOp forall = getWorkgroupLoop(func);
  if (!forall) {
    if (TilingInterface output = getKernelOutputOp(func))
      return output;
    // Several outputs written by one op (a value and its index).
    Operation *writer = nullptr;
    bool single = true;
    func.walk([&](bufferization::MaterializeInDestinationOp write) {
      Operation *def = write.getSource().getDefiningOp();
      if (!def || def->getBlock() != &func.getBody().front() ||
          (writer && writer != def))
        single = false;
      writer = def;
    });
    return single ? dyn_cast_or_null<TilingInterface>(writer)
                  : TilingInterface();
  }
  SmallVector<tensor::ParallelInsertSliceOp> inserts;
  for (Operation &op : forall.getTerminator().getYieldingOps())
    if (auto insert = dyn_cast<tensor::ParallelInsertSliceOp>(op))
      inserts.push_back(insert);
  if (inserts.size() != 1)
    return nullptr;
  Operation *def = inserts[0].getSource().getDefiningOp();
  if (!def || def->getParentOp() != forall)
    return nullptr;
  return dyn_cast<TilingInterface>(def);
}

struct GPUTileThreadsPass
    : public impl::GPUTileThreadsPassBase<GPUTileThreadsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto strategy = func->getAttrOfType<StringAttr>(kStrategyAttr);
    if (func.isExternal() || (strategy && strategy != kThreadsStrategy))
      return;
    TilingInterface root = getWorkgroupRoot(func);
    if (!root)
      return;

    // One element per iteration along the parallel loops (the innermost
    // ones if there are too many); reductions whole.
    SmallVector<utils::IteratorType> iterators = root.getLoopIteratorTypes();
    SmallVector<int64_t> sizes(iterators.size(), 0);
    int64_t rank = 0;
    for (int64_t i = int64_t(iterators.size()) - 1; i >= 0; --i) {
      if (iterators[i] != utils::IteratorType::parallel ||
          rank == kMaxThreadLoopRank)
        continue;
      sizes[i] = 1;
      ++rank;
    }
    if (rank == 0)
      return;
    MLIRContext *context = func.getContext();
    SmallVector<Attribute> mapping;
    for (int64_t i = 0; i < rank; ++i)
      mapping.push_back(mlir::gpu::GPUThreadMappingAttr::get(
          context, static_cast<mlir::gpu::MappingId>(
                       static_cast<uint64_t>(
                           mlir::gpu::MappingId::LinearDim0) +
                       i)));

    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setTileSizes(getAsIndexOpFoldResult(context, sizes));
    tiling.setMapping(mapping);
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    IRRewriter rewriter(context);
    rewriter.setInsertionPoint(root);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
    // A root that does not tile runs whole on one thread.
    if (failed(result))
      return;
    for (OpResult r : root->getResults())
      if (Value replacement = result->replacements.lookup(r))
        rewriter.replaceAllUsesWith(r, replacement);
  }
};

} // namespace
} // namespace kiln::gpu
