//===- DistributeThreads.cpp - Thread loops onto a block's threads --------===//
//
// A thread loop's iterations are independent; linearized, they are dealt
// to the block's threads round-robin (thread t runs t, t + T, t + 2T...),
// so that neighbouring threads touch neighbouring elements and loads
// coalesce. The block is sized to the loop. What runs outside thread loops
// runs on every thread, which is right only while it writes nothing but
// the thread's own temporaries; a kernel that writes its bindings there
// runs on a single thread instead.
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/Passes.h"

#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace kiln::gpu {
#define GEN_PASS_DEF_GPUDISTRIBUTETHREADSPASS
#include "targets/GPUCommon/Passes.h.inc"
} // namespace kiln::gpu

using namespace mlir;

namespace kiln::gpu {
namespace {

bool isThreadLoop(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  return mapping && !mapping->empty() &&
         llvm::all_of(*mapping, [](Attribute a) {
           return isa<mlir::gpu::GPUThreadMappingAttr>(a);
         });
}

/// The buffer `value` is a view of.
Value getRootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def)) {
      value = view.getViewSource();
      continue;
    }
    if (auto cast = dyn_cast<CastOpInterface>(def)) {
      value = def->getOperand(0);
      continue;
    }
    break;
  }
  return value;
}

/// Whether `value` is (a view of) a temporary buffer of the kernel.
bool isTemporary(Value value) {
  Operation *def = getRootBuffer(value).getDefiningOp();
  return def && isa<memref::AllocOp, memref::AllocaOp>(def);
}

/// Whether `op` may write a buffer other than the kernel's temporaries.
bool writesNonTemporary(Operation *op) {
  if (auto effects = dyn_cast<MemoryEffectOpInterface>(op)) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write>(effect.getEffect()))
        continue;
      Value target = effect.getValue();
      if (!target || !isa<BaseMemRefType>(target.getType()) ||
          !isTemporary(target))
        return true;
    }
    return false;
  }
  // Ops whose effects are those of their regions are looked into by the
  // walk; any other op with a buffer operand may write it.
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return false;
  return llvm::any_of(op->getOperands(), [](Value v) {
    return isa<BaseMemRefType>(v.getType()) && !isTemporary(v);
  });
}

/// The most iterations `forall` has, or nullopt when unbounded.
std::optional<int64_t> getMaxIterations(scf::ForallOp forall) {
  int64_t total = 1;
  for (auto [lb, ub, step] :
       llvm::zip(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                 forall.getMixedStep())) {
    std::optional<int64_t> lower = getConstantIntValue(lb);
    std::optional<int64_t> stride = getConstantIntValue(step);
    if (!lower || !stride || *stride <= 0)
      return std::nullopt;
    std::optional<int64_t> upper = getConstantIntValue(ub);
    if (!upper) {
      FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
          presburger::BoundType::UB, ValueBoundsConstraintSet::Variable(
                                         cast<Value>(ub)),
          /*stopCondition=*/nullptr, /*closedUB=*/true);
      if (failed(bound))
        return std::nullopt;
      upper = *bound + 1;
    }
    total *= std::max<int64_t>(0, (*upper - *lower + *stride - 1) / *stride);
  }
  return total;
}

/// Whether `op` or an op inside it writes workgroup memory.
bool writesWorkgroupMemory(Operation *op) {
  WalkResult result = op->walk([](MemoryEffectOpInterface effects) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write>(effect.getEffect()) || !effect.getValue())
        continue;
      auto type = dyn_cast<BaseMemRefType>(effect.getValue().getType());
      auto space = type ? dyn_cast_or_null<mlir::gpu::AddressSpaceAttr>(
                              type.getMemorySpace())
                        : nullptr;
      if (space && space.getValue() == mlir::gpu::AddressSpace::Workgroup)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// Replaces `forall` (on buffers) by a loop over its linearized iterations
/// from `threadId` by `blockSize`.
void distribute(RewriterBase &rewriter, scf::ForallOp forall, Value threadId,
                int64_t blockSize) {
  Location loc = forall.getLoc();
  rewriter.setInsertionPoint(forall);
  SmallVector<Value> lbs = getValueOrCreateConstantIndexOp(
      rewriter, loc, forall.getMixedLowerBound());
  SmallVector<Value> ubs = getValueOrCreateConstantIndexOp(
      rewriter, loc, forall.getMixedUpperBound());
  SmallVector<Value> steps =
      getValueOrCreateConstantIndexOp(rewriter, loc, forall.getMixedStep());
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> counts;
  Value total = one;
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    Value extent = arith::SubIOp::create(rewriter, loc, ub, lb);
    Value count = arith::CeilDivUIOp::create(rewriter, loc, extent, step);
    counts.push_back(count);
    total = arith::MulIOp::create(rewriter, loc, total, count);
  }
  Value stride = arith::ConstantIndexOp::create(rewriter, loc, blockSize);
  auto loop = scf::ForOp::create(rewriter, loc, threadId, total, stride);
  rewriter.setInsertionPointToStart(loop.getBody());
  // Delinearize, the last dimension fastest.
  SmallVector<Value> ivs(counts.size());
  Value rest = loop.getInductionVar();
  for (int64_t d = int64_t(counts.size()) - 1; d >= 0; --d) {
    Value index = rest;
    if (d > 0) {
      index = arith::RemUIOp::create(rewriter, loc, rest, counts[d]);
      rest = arith::DivUIOp::create(rewriter, loc, rest, counts[d]);
    }
    Value scaled = arith::MulIOp::create(rewriter, loc, index, steps[d]);
    ivs[d] = arith::AddIOp::create(rewriter, loc, lbs[d], scaled);
  }
  Block *body = forall.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, loop.getBody()->getTerminator(), ivs);
  rewriter.eraseOp(forall);
}

/// Turns every memref.copy into a linalg copy, which later becomes loops:
/// a GPU has no runtime function to copy strided buffers.
void rewriteCopies(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  func.walk([&](memref::CopyOp copy) {
    rewriter.setInsertionPoint(copy);
    linalg::makeMemRefCopyOp(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
    rewriter.eraseOp(copy);
  });
}

/// Turns temporary buffers into buffers private to each thread, allocated
/// once at the function's entry with their largest size.
LogicalResult privatizeTemporaries(func::FuncOp func) {
  SmallVector<memref::AllocOp> allocs;
  func.walk([&](memref::AllocOp alloc) {
    if (!alloc.getType().getMemorySpace())
      allocs.push_back(alloc);
  });
  MLIRContext *context = func.getContext();
  auto privateSpace = mlir::gpu::AddressSpaceAttr::get(
      context, mlir::gpu::AddressSpace::Private);
  IRRewriter rewriter(context);
  for (memref::AllocOp alloc : allocs) {
    MemRefType type = alloc.getType();
    if (!type.getLayout().isIdentity())
      return alloc.emitOpError("temporary buffer with a layout");
    SmallVector<int64_t> shape(type.getShape());
    for (auto [i, size] : llvm::enumerate(shape)) {
      if (!ShapedType::isDynamic(size))
        continue;
      FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
          presburger::BoundType::UB,
          ValueBoundsConstraintSet::Variable(alloc.getResult(), int64_t(i)),
          /*stopCondition=*/nullptr, /*closedUB=*/true);
      if (failed(bound))
        return alloc.emitOpError(
            "temporary buffer of unbounded size on the GPU");
      size = *bound;
    }
    rewriter.setInsertionPointToStart(&func.getBody().front());
    auto privateType = MemRefType::get(shape, type.getElementType(),
                                       MemRefLayoutAttrInterface(),
                                       privateSpace);
    Value buffer = memref::AllocaOp::create(rewriter, alloc.getLoc(),
                                            privateType,
                                            alloc.getAlignmentAttr());
    auto genericType = MemRefType::get(shape, type.getElementType());
    buffer = memref::MemorySpaceCastOp::create(rewriter, alloc.getLoc(),
                                               genericType, buffer);
    rewriter.setInsertionPoint(alloc);
    if (type.hasStaticShape()) {
      rewriter.replaceOp(alloc, buffer);
      continue;
    }
    // The dynamic shape, laid out densely in the first elements.
    SmallVector<OpFoldResult> sizes, strides;
    unsigned dynamic = 0;
    for (int64_t size : type.getShape())
      sizes.push_back(ShapedType::isDynamic(size)
                          ? OpFoldResult(alloc.getDynamicSizes()[dynamic++])
                          : OpFoldResult(rewriter.getIndexAttr(size)));
    Location loc = alloc.getLoc();
    OpFoldResult stride = rewriter.getIndexAttr(1);
    strides.resize(sizes.size());
    for (int64_t i = int64_t(sizes.size()) - 1; i >= 0; --i) {
      strides[i] = stride;
      Value a = getValueOrCreateConstantIndexOp(rewriter, loc, stride);
      Value b = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[i]);
      stride = arith::MulIOp::create(rewriter, loc, a, b).getResult();
    }
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        alloc, type, buffer, rewriter.getIndexAttr(0), sizes, strides);
  }
  // Their deallocations go with them.
  func.walk([&](memref::DeallocOp dealloc) {
    if (isa_and_nonnull<memref::ReinterpretCastOp, memref::MemorySpaceCastOp>(
            dealloc.getMemref().getDefiningOp()))
      dealloc.erase();
  });
  return success();
}

/// The thread mapping of a loop of `rank` dimensions.
SmallVector<Attribute> getThreadMapping(MLIRContext *context, int64_t rank) {
  SmallVector<Attribute> mapping;
  for (int64_t i = 0; i < rank; ++i)
    mapping.push_back(mlir::gpu::GPUThreadMappingAttr::get(
        context, static_cast<mlir::gpu::MappingId>(
                     static_cast<uint64_t>(mlir::gpu::MappingId::LinearDim0) +
                     i)));
  return mapping;
}

/// A kernel that has no thread loop but is a straight sequence of
/// structured ops on its bindings (a concatenation's copies, several
/// outputs written one after the other) gets one thread loop per op, one
/// output element per iteration, with a barrier between consecutive ops:
/// a later op may read what an earlier one wrote. Only without
/// temporaries, which would have to be shared by the block.
void distributeStructuredOps(func::FuncOp func) {
  Block &body = func.getBody().front();
  SmallVector<linalg::LinalgOp> ops;
  bool temporaries = false;
  func.walk([&](Operation *op) {
    if (isa<memref::AllocOp, memref::AllocaOp>(op))
      temporaries = true;
  });
  if (temporaries)
    return;
  for (Operation &op : body.without_terminator()) {
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      if (!linalgOp.hasPureBufferSemantics() ||
          linalgOp.getNumParallelLoops() == 0)
        return;
      ops.push_back(linalgOp);
      continue;
    }
    // Index arithmetic, views and constants run on every thread.
    if (op.getNumRegions() != 0 || !isMemoryEffectFree(&op))
      return;
  }
  if (ops.empty())
    return;

  MLIRContext *context = func.getContext();
  IRRewriter rewriter(context);
  for (auto [index, op] : llvm::enumerate(ops)) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<int64_t> sizes;
    int64_t rank = 0;
    for (utils::IteratorType iterator : iterators) {
      bool parallel = iterator == utils::IteratorType::parallel;
      sizes.push_back(parallel && rank < 10 ? 1 : 0);
      rank += parallel && rank < 10;
    }
    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    tiling.setTileSizes(getAsIndexOpFoldResult(context, sizes));
    tiling.setMapping(getThreadMapping(context, rank));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), tiling);
    if (failed(tiled))
      return; // The op stays whole; the kernel runs on one thread.
    rewriter.eraseOp(op);
    if (index + 1 < ops.size()) {
      rewriter.setInsertionPointAfter(tiled->loops.back());
      mlir::gpu::BarrierOp::create(rewriter, func.getLoc());
    }
  }
}

struct GPUDistributeThreadsPass
    : public impl::GPUDistributeThreadsPassBase<GPUDistributeThreadsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func->hasAttr(kBlockAttr))
      return;
    rewriteCopies(func);
    bool hasThreadLoops = false;
    func.walk([&](scf::ForallOp forall) {
      hasThreadLoops |= isThreadLoop(forall);
    });
    if (!hasThreadLoops)
      distributeStructuredOps(func);

    SmallVector<scf::ForallOp> loops;
    bool serial = false;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto forall = dyn_cast<scf::ForallOp>(op); forall && isThreadLoop(forall)) {
        loops.push_back(forall);
        return WalkResult::skip();
      }
      if (writesNonTemporary(op))
        serial = true;
      return WalkResult::advance();
    });

    int64_t blockSize = 1;
    if (!serial) {
      for (scf::ForallOp forall : loops) {
        std::optional<int64_t> iterations = getMaxIterations(forall);
        int64_t wanted = iterations ? *iterations : maxThreads;
        wanted = (wanted + subgroupSize - 1) / subgroupSize * subgroupSize;
        blockSize = std::max(blockSize, std::min<int64_t>(wanted, maxThreads));
      }
    }

    IRRewriter rewriter(func.getContext());
    Value threadId;
    rewriter.setInsertionPointToStart(&func.getBody().front());
    if (blockSize == 1)
      threadId = arith::ConstantIndexOp::create(rewriter, func.getLoc(), 0);
    else
      threadId = mlir::gpu::ThreadIdOp::create(rewriter, func.getLoc(),
                                               mlir::gpu::Dimension::x);
    for (scf::ForallOp forall : loops) {
      // What a thread loop stages in workgroup memory, later loops read
      // at any position: every thread waits for the whole stage.
      bool stages = blockSize > 1 && writesWorkgroupMemory(forall);
      Location loc = forall.getLoc();
      Operation *next = forall->getNextNode();
      distribute(rewriter, forall, threadId, blockSize);
      if (stages) {
        rewriter.setInsertionPoint(next);
        mlir::gpu::BarrierOp::create(rewriter, loc);
      }
    }
    if (failed(privatizeTemporaries(func)))
      return signalPassFailure();
    func->setAttr(kBlockAttr,
                  rewriter.getDenseI64ArrayAttr({blockSize, 1, 1}));
  }
};

} // namespace
} // namespace kiln::gpu
