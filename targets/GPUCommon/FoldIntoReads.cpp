//===- FoldIntoReads.cpp - Producers a GPU kernel computes on read --------===//
//
// A GPU thread computes its output elements from scalars it loads; a
// producer fused in front of it (by workgroup or thread tiling) becomes a
// temporary: a private array per thread, or memory the kernel would have
// to allocate. Two kinds of producer need no storage at all, because they
// only say where (and whether) to load:
//
// - tensor.pad by a constant, which dispatch formation fuses into
//   convolutions and poolings: the consumer reads the pad's source with a
//   bounds check instead. Tiled per output element, the pad would
//   otherwise give each thread a private copy of its padded window.
// - transpositions and broadcasts in front of a contraction: the
//   contraction's indexing maps absorb them, and its shared-memory copies
//   read the source in the right order.
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/FoldIntoReads.h"

#include "targets/GPUCommon/Contraction.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace kiln::gpu {
namespace {

//===----------------------------------------------------------------------===//
// Padding
//===----------------------------------------------------------------------===//

/// The static low and high padding of `pad`, or nullopt.
std::optional<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>>
getStaticPadding(tensor::PadOp pad) {
  std::optional<SmallVector<int64_t>> low =
      getConstantIntValues(pad.getMixedLowPad());
  std::optional<SmallVector<int64_t>> high =
      getConstantIntValues(pad.getMixedHighPad());
  if (!low || !high)
    return std::nullopt;
  return std::make_pair(*low, *high);
}

/// Replaces `consumer`, which reads `pad` through its input `operand`, by a
/// generic that computes the padded value at each position it reads.
LogicalResult readThroughPad(RewriterBase &rewriter, tensor::PadOp pad,
                             ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                             linalg::LinalgOp consumer, OpOperand *operand) {
  unsigned operandNumber = operand->getOperandNumber();
  rewriter.setInsertionPoint(consumer);
  auto generic = dyn_cast<linalg::GenericOp>(consumer.getOperation());
  if (!generic) {
    FailureOr<linalg::GenericOp> generalized =
        linalg::generalizeNamedOp(rewriter, consumer);
    if (failed(generalized))
      return failure();
    generic = *generalized;
  }
  operand = &generic->getOpOperand(operandNumber);
  Location loc = generic.getLoc();

  // The source's extents, for the bounds checks.
  Value source = pad.getSource();
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<Value> extents;
  for (int64_t d = 0; d < sourceType.getRank(); ++d)
    extents.push_back(
        sourceType.isDynamicDim(d)
            ? tensor::DimOp::create(rewriter, loc, source, d).getResult()
            : arith::ConstantIndexOp::create(rewriter, loc,
                                             sourceType.getDimSize(d))
                  .getResult());

  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    if (input == operand)
      continue;
    inputs.push_back(input->get());
    maps.push_back(generic.getMatchingIndexingMap(input));
  }
  for (OpOperand &init : generic.getDpsInitsMutable())
    maps.push_back(generic.getMatchingIndexingMap(&init));
  AffineMap readMap = generic.getMatchingIndexingMap(operand);
  Value padValue = pad.getConstantPaddingValue();
  unsigned numLoops = generic.getNumLoops();

  auto updated = linalg::GenericOp::create(
      rewriter, loc, generic->getResultTypes(), inputs, generic.getDpsInits(),
      maps, generic.getIteratorTypesArray(),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Block &old = generic.getRegion().front();
        IRMapping mapping;
        unsigned next = 0;
        for (OpOperand &use : generic->getOpOperands())
          if (&use != operand)
            mapping.map(old.getArgument(use.getOperandNumber()),
                        args[next++]);

        // The position read, in the source's coordinates; out of bounds,
        // element 0 is read and the padding value taken instead.
        SmallVector<Value> loops;
        for (unsigned d = 0; d < numLoops; ++d)
          loops.push_back(linalg::IndexOp::create(b, l, d));
        Value zero = arith::ConstantIndexOp::create(b, l, 0);
        Value inside;
        SmallVector<Value> indices;
        for (auto [r, expr] : llvm::enumerate(readMap.getResults())) {
          Value position =
              affine::expandAffineExpr(b, l, expr, loops, ValueRange{});
          if (low[r] == 0 && high[r] == 0) {
            indices.push_back(position);
            continue;
          }
          if (low[r] != 0)
            position = arith::SubIOp::create(
                b, l, position, arith::ConstantIndexOp::create(b, l, low[r]));
          // Unsigned: a position before the start wraps past the end.
          Value in = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                           position, extents[r]);
          inside = inside ? arith::AndIOp::create(b, l, inside, in).getResult()
                          : in;
          indices.push_back(arith::SelectOp::create(b, l, in, position, zero));
        }
        Value value = tensor::ExtractOp::create(b, l, source, indices);
        if (inside) {
          Value padding = padValue;
          if (Operation *def = padding.getDefiningOp();
              def && pad->isAncestor(def))
            padding = b.clone(*def)->getResult(0);
          value = arith::SelectOp::create(b, l, inside, value, padding);
        }
        mapping.map(old.getArgument(operandNumber), value);
        for (Operation &bodyOp : old)
          b.clone(bodyOp, mapping);
      });
  updated->setAttrs(generic->getDiscardableAttrDictionary());
  rewriter.replaceOp(generic, updated->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement in front of contractions
//===----------------------------------------------------------------------===//

/// Whether `op` only moves its one input's elements: every loop parallel,
/// written through a permutation, read through a projected permutation,
/// its body yielding the input element.
bool isDataMovement(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumReductionLoops() != 0)
    return false;
  if (!op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isPermutation() ||
      !op.getMatchingIndexingMap(op.getDpsInputOperand(0))
           .isProjectedPermutation())
    return false;
  Block *body = op.getBlock();
  if (!llvm::hasSingleElement(*body))
    return false;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  return yield.getNumOperands() == 1 &&
         yield.getOperand(0) == body->getArgument(0);
}

} // namespace

void foldPaddingIntoReads(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<tensor::PadOp> pads;
  func.walk([&](tensor::PadOp pad) { pads.push_back(pad); });
  for (tensor::PadOp pad : pads) {
    if (pad.getNofold() || !pad.getConstantPaddingValue())
      continue;
    auto padding = getStaticPadding(pad);
    if (!padding)
      continue;
    // One use at a time: rewriting a consumer replaces it.
    while (true) {
      OpOperand *use = nullptr;
      for (OpOperand &candidate : pad.getResult().getUses()) {
        auto consumer = dyn_cast<linalg::LinalgOp>(candidate.getOwner());
        if (consumer && consumer.hasPureTensorSemantics() &&
            consumer.isDpsInput(&candidate)) {
          use = &candidate;
          break;
        }
      }
      if (!use || failed(readThroughPad(
                      rewriter, pad, padding->first, padding->second,
                      cast<linalg::LinalgOp>(use->getOwner()), use)))
        break;
    }
    if (pad->use_empty())
      rewriter.eraseOp(pad);
  }
}

linalg::LinalgOp foldDataMovementIntoOperands(RewriterBase &rewriter,
                                              linalg::LinalgOp op) {
  for (unsigned i = 0; i < op.getNumDpsInputs(); ++i) {
    auto producer =
        op.getDpsInputOperand(i)->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !isDataMovement(producer))
      continue;
    // Operand position p = read(loops) holds source[in(out^-1(p))].
    AffineMap out =
        producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
    AffineMap in =
        producer.getMatchingIndexingMap(producer.getDpsInputOperand(0));
    AffineMap read = op.getMatchingIndexingMap(op.getDpsInputOperand(i));
    AffineMap folded = in.compose(inversePermutation(out)).compose(read);
    if (!folded.isProjectedPermutation())
      continue;
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    maps[op.getDpsInputOperand(i)->getOperandNumber()] = folded;
    // The contraction must keep one m, n and k loop (a broadcast batch
    // loop would turn into a second m or n loop).
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(maps);
    if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
        dims->k.size() != 1 || dims->batch.size() + 3 != op.getNumLoops())
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generalized =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return op;
      generic = *generalized;
      op = generic;
    }
    Value source = producer.getDpsInputOperand(0)->get();
    rewriter.modifyOpInPlace(generic, [&] {
      generic.getDpsInputOperand(i)->set(source);
      generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
    if (producer->use_empty())
      rewriter.eraseOp(producer);
  }
  return op;
}

} // namespace kiln::gpu
