//===- TileThreads.cpp - One output element per thread --------------------===//
//
// The general mapping of a workgroup onto a block: its output tile is cut
// into single elements, each computed by one iteration of a thread loop,
// with every producer fused into the iteration. Temporaries then shrink to
// scalars, which keeps the per-thread state small and needs no
// communication between threads. Reductions stay whole inside the
// iteration (one thread reduces each output element). A reduction that
// every thread would otherwise compute whole again is staged in workgroup
// memory by a thread loop of its own first.
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

/// Tiles `root` into one thread loop, one element of its parallel loops
/// per iteration (the innermost ones when there are too many), fusing its
/// producers, and replaces its results. Returns the thread loop.
FailureOr<scf::ForallOp> tileToThreads(RewriterBase &rewriter,
                                       TilingInterface root) {
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
    return failure();
  MLIRContext *context = root->getContext();
  SmallVector<Attribute> mapping;
  for (int64_t i = 0; i < rank; ++i)
    mapping.push_back(mlir::gpu::GPUThreadMappingAttr::get(
        context,
        static_cast<mlir::gpu::MappingId>(
            static_cast<uint64_t>(mlir::gpu::MappingId::LinearDim0) + i)));

  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(context, sizes));
  tiling.setMapping(mapping);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // A staged value's thread loop stays where it is: the loops that read
  // it must not compute it again.
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer,
         bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isa<scf::ForallOp>(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result) || result->loops.empty())
    return failure();
  for (OpResult r : root->getResults())
    if (Value replacement = result->replacements.lookup(r))
      rewriter.replaceAllUsesWith(r, replacement);
  auto forall = dyn_cast<scf::ForallOp>(result->loops.front().getOperation());
  if (!forall)
    return failure();
  return forall;
}

/// The ops of `root`'s block to stage in workgroup memory, in order: a
/// reduction with one static result that another op of the block reads
/// along one of that op's reduction loops (directly or through elementwise
/// ops), small enough to share.
SmallVector<linalg::LinalgOp> findStagedOps(Operation *root,
                                            int64_t budgetBytes) {
  SmallVector<linalg::LinalgOp> staged;
  int64_t bytes = 0;
  for (Operation &op : *root->getBlock()) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || &op == root || !linalgOp.hasPureTensorSemantics() ||
        linalgOp.getNumReductionLoops() == 0 ||
        linalgOp.getNumParallelLoops() == 0 || op.getNumResults() != 1)
      continue;
    auto type = dyn_cast<RankedTensorType>(op.getResult(0).getType());
    if (!type || !type.hasStaticShape() ||
        !type.getElementType().isIntOrFloat())
      continue;
    // Through elementwise consumers (a bias, a scaling), whose results
    // carry the value on.
    bool readAlongReduction = false;
    SmallVector<Value> values = {op.getResult(0)};
    while (!values.empty() && !readAlongReduction) {
      Value value = values.pop_back_val();
      for (OpOperand &use : value.getUses()) {
        auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
        if (!consumer || !consumer.isDpsInput(&use))
          continue;
        SmallVector<utils::IteratorType> iterators =
            consumer.getIteratorTypesArray();
        AffineMap map = consumer.getMatchingIndexingMap(&use);
        for (AffineExpr expr : map.getResults())
          expr.walk([&](AffineExpr e) {
            if (auto dim = dyn_cast<AffineDimExpr>(e))
              readAlongReduction |= iterators[dim.getPosition()] ==
                                    utils::IteratorType::reduction;
          });
        if (consumer.getNumReductionLoops() == 0 && map.isPermutation() &&
            consumer->getNumResults() == 1)
          values.push_back(consumer->getResult(0));
      }
    }
    if (!readAlongReduction)
      continue;
    int64_t size = type.getNumElements() *
                   llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    if (bytes + size > budgetBytes)
      continue;
    bytes += size;
    staged.push_back(linalgOp);
  }
  return staged;
}

/// Makes the thread loop `forall` (one result) write a fresh tensor in
/// workgroup memory: its shared output becomes a
/// `bufferization.alloc_tensor` there. Done after tiling, so that no fusion
/// clones the allocation.
void writeToWorkgroupMemory(RewriterBase &rewriter, scf::ForallOp forall) {
  OpOperand &output = forall.getOutputsMutable()[0];
  auto type = cast<RankedTensorType>(output.get().getType());
  rewriter.setInsertionPoint(forall);
  auto alloc = bufferization::AllocTensorOp::create(rewriter, forall.getLoc(),
                                                    type, ValueRange{});
  alloc.setMemorySpaceAttr(mlir::gpu::AddressSpaceAttr::get(
      forall.getContext(), mlir::gpu::AddressSpace::Workgroup));
  rewriter.modifyOpInPlace(forall, [&] { output.set(alloc.getResult()); });
}

struct GPUTileThreadsPass
    : public impl::GPUTileThreadsPassBase<GPUTileThreadsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto strategy = func->getAttrOfType<StringAttr>(kStrategyAttr);
    if (func.isExternal() || (strategy && strategy != kThreadsStrategy))
      return;
    TilingInterface root = getWorkgroupRoot(func);
    if (!root)
      return;

    IRRewriter rewriter(func.getContext());
    for (linalg::LinalgOp op : findStagedOps(root, sharedMemoryBytes / 2)) {
      FailureOr<scf::ForallOp> forall =
          tileToThreads(rewriter, cast<TilingInterface>(op.getOperation()));
      if (succeeded(forall) && forall->getNumResults() == 1)
        writeToWorkgroupMemory(rewriter, *forall);
    }
    // A root that does not tile runs whole on one thread.
    (void)tileToThreads(rewriter, root);
  }
};

} // namespace
} // namespace kiln::gpu
