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

#include "compiler/Codegen/ContractionLoops.h"
#include "compiler/Codegen/PackedWeights.h"
#include "compiler/Codegen/Winograd.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
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
/// `interchange`, when given, orders the loops (outermost first).
FailureOr<linalg::LinalgOp> tileWithLoops(RewriterBase &rewriter,
                                          linalg::LinalgOp op,
                                          ArrayRef<int64_t> sizes,
                                          ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  if (!interchange.empty())
    options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled) || tiled->tiledOps.empty())
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return dyn_cast<linalg::LinalgOp>(tiled->tiledOps.back());
}

/// Tiles `consumer` with scf.for loops of `sizes` (in `interchange`'s
/// order, when given), fusing the producers of its operands' slices into
/// its tiles; replaces its uses and erases it and the fused producers that
/// are dead then.
FailureOr<scf::SCFTileAndFuseResult>
tileAndFuseProducers(RewriterBase &rewriter, Operation *consumer,
                     ArrayRef<int64_t> sizes,
                     ArrayRef<int64_t> interchange = {}) {
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.tilingOptions.setTileSizes(
      getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  if (!interchange.empty())
    options.tilingOptions.setInterchange(interchange);
  rewriter.setInsertionPoint(consumer);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(consumer), options);
  if (failed(result))
    return failure();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  // The untiled ops are dead now, the consumer first.
  SmallVector<Operation *> dead = {consumer};
  llvm::append_range(dead, result->fusedProducers);
  for (bool erased = true; erased;) {
    erased = false;
    for (Operation *&op : dead)
      if (op && op->use_empty()) {
        rewriter.eraseOp(op);
        op = nullptr;
        erased = true;
      }
  }
  return result;
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


/// Replaces `tile`, one step of a reduction whose output tile is `column`'s
/// rows by `row`'s columns after unit dimensions, by the matmul of
/// `column` (rows x 1) by `row` (1 x cols) into that output, vectorized:
/// a register tile of outer products. Loop-invariant subset hoisting then
/// keeps the accumulators in registers across the reduction's loop.
void replaceByRegisterTile(RewriterBase &rewriter, linalg::LinalgOp tile,
                           Value column, Value row) {
  Location loc = tile.getLoc();
  auto columnType = cast<RankedTensorType>(column.getType());
  int64_t rows = columnType.getDimSize(0),
          cols = cast<RankedTensorType>(row.getType()).getDimSize(1);
  Value init = tile.getDpsInits()[0];
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  SmallVector<int64_t> shape(rank, 1);
  shape[rank - 2] = rows;
  shape[rank - 1] = cols;
  SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0)),
      ones(rank, rewriter.getIndexAttr(1)),
      sizes = getAsIndexOpFoldResult(rewriter.getContext(), shape);
  auto accType =
      RankedTensorType::get({rows, cols}, columnType.getElementType());
  rewriter.setInsertionPoint(tile);
  Value acc = tensor::ExtractSliceOp::create(rewriter, loc, accType, init,
                                             zeros, sizes, ones);
  auto matmul = linalg::MatmulOp::create(rewriter, loc, TypeRange{accType},
                                         ValueRange{column, row},
                                         ValueRange{acc});
  rewriter.replaceOp(tile, tensor::InsertSliceOp::create(
                               rewriter, loc, matmul.getResult(0), init,
                               zeros, sizes, ones));
  vectorizeOp(rewriter, matmul, {});
}

/// `v` without its unit dimensions, by a collapse_shape (or `v` itself).
Value dropUnitDims(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> kept;
  for (int64_t d : type.getShape())
    if (d != 1)
      kept.push_back(d);
  if (int64_t(kept.size()) == type.getRank())
    return v;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    pending.push_back(i);
    if (type.getDimSize(i) != 1) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    llvm::append_range(groups.back(), pending);
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(kept, type.getElementType()), v, groups);
}

/// The largest tile of at most `limit` that divides `range` and is a
/// multiple of `multiple`, or `otherwise` where none is.
int64_t fitTile(int64_t range, int64_t limit, int64_t multiple,
                int64_t otherwise) {
  for (int64_t t = std::min(range, limit); t >= multiple; --t)
    if (range % t == 0 && t % multiple == 0)
      return t;
  return otherwise;
}

/// The largest divisor of `n` of at most `limit` (1 where none is larger).
int64_t largestDivisor(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// `v` (a tensor shaped [a, b, c, d]) as the matrix [a * b, c * d].
Value collapseToMatrix(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  ArrayRef<int64_t> shape = type.getShape();
  return tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get({shape[0] * shape[1], shape[2] * shape[3]},
                            type.getElementType()),
      v, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
}

/// Elements in one vector transfer of a padded copy, at most: a block of
/// whole rows, which the vector lowering unrolls into row transfers. (A
/// whole 57 x 57 plane as one block came out as LLVM loading every row
/// into registers and spilling them: mobilenet_v2's d10 took 0.120 ms
/// with blocks of up to 4096 elements, 0.099 with 256.)
constexpr int64_t kMaxBlockElements = 256;
/// Elements of one row transfer of a padded copy, at most: a longer row is
/// left to become loops.
constexpr int64_t kMaxRowElements = 4096;
/// Lanes of one write of a row's padding columns, at most.
constexpr int64_t kPaddingChunk = 16;
/// Vector blocks of an output row that tileWindowRows unrolls, at most.
constexpr int64_t kMaxWindowRowBlocks = 32;

/// A mask of the first `valid` of `lanes` lanes, or null where that is all.
Value prefixMask(OpBuilder &b, Location loc, int64_t lanes, int64_t valid) {
  if (valid >= lanes)
    return Value();
  return vector::ConstantMaskOp::create(
      b, loc, VectorType::get({lanes}, b.getI1Type()),
      b.getDenseI64ArrayAttr({valid}));
}

/// A mask of the first `valid` (a dynamic count) of `lanes` lanes.
Value prefixMask(OpBuilder &b, Location loc, int64_t lanes, Value valid) {
  return vector::CreateMaskOp::create(
      b, loc, VectorType::get({lanes}, b.getI1Type()), ValueRange{valid});
}

/// A vector of `lanes` elements of `source` along its last dimension from
/// `indices`, the lanes off in `mask` (when given) zero.
Value readAlongRow(OpBuilder &b, Location loc, Value source,
                   ValueRange indices, int64_t lanes, Value mask) {
  Type elt = getElementTypeOrSelf(source);
  return vector::TransferReadOp::create(
      b, loc, VectorType::get({lanes}, elt), source, indices,
      AffineMap::getMinorIdentityMap(indices.size(), 1, b.getContext()),
      arith::ConstantOp::create(b, loc, elt, b.getZeroAttr(elt)), mask,
      b.getBoolArrayAttr({true}));
}

/// The same, masked to the first `valid` lanes.
Value readAlongRow(OpBuilder &b, Location loc, Value source,
                   ValueRange indices, int64_t lanes, int64_t valid) {
  return readAlongRow(b, loc, source, indices, lanes,
                      prefixMask(b, loc, lanes, valid));
}

/// `dest` with the lanes of `value` that `mask` (when given) keeps written
/// along its last dimension from `indices`.
Value writeAlongRow(OpBuilder &b, Location loc, Value value, Value dest,
                    ValueRange indices, Value mask) {
  return vector::TransferWriteOp::create(
             b, loc, dest.getType(), value, dest, indices,
             AffineMap::getMinorIdentityMap(indices.size(), 1, b.getContext()),
             mask, b.getBoolArrayAttr({true}))
      ->getResult(0);
}

/// The same, writing the first `valid` lanes.
Value writeAlongRow(OpBuilder &b, Location loc, Value value, Value dest,
                    ValueRange indices, int64_t valid) {
  int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
  return writeAlongRow(b, loc, value, dest, indices,
                       prefixMask(b, loc, lanes, valid));
}

/// Columns [from, from + lanes) of `source`'s row at `lead` (`from` at
/// least 0) as a vector; columns at or past `width` read as `padding`.
Value readPaddedRow(OpBuilder &b, Location loc, Value source, ValueRange lead,
                    int64_t from, int64_t width, int64_t lanes,
                    Value padding) {
  auto type = VectorType::get({lanes}, padding.getType());
  int64_t valid = std::min(lanes, width - from);
  if (valid <= 0)
    return vector::BroadcastOp::create(b, loc, type, padding);
  SmallVector<Value> at(lead);
  at.push_back(arith::ConstantIndexOp::create(b, loc, from));
  return vector::TransferReadOp::create(
      b, loc, type, source, at,
      AffineMap::getMinorIdentityMap(at.size(), 1, b.getContext()), padding,
      prefixMask(b, loc, lanes, valid), b.getBoolArrayAttr({true}));
}

/// Columns [from, from + 2 lanes) of `source`'s row at `lead`, as two
/// vectors of `lanes` (readPaddedRow).
std::pair<Value, Value> readTwoVectors(OpBuilder &b, Location loc,
                                       Value source, ValueRange lead,
                                       int64_t from, int64_t width,
                                       int64_t lanes, Value padding) {
  return {readPaddedRow(b, loc, source, lead, from, width, lanes, padding),
          readPaddedRow(b, loc, source, lead, from + lanes, width, lanes,
                        padding)};
}

/// The even (`parity` 0) or odd (1) elements of `low` then `high`, by one
/// shuffle.
Value pickParity(OpBuilder &b, Location loc, Value low, Value high,
                 int64_t parity) {
  int64_t lanes = cast<VectorType>(low.getType()).getNumElements();
  SmallVector<int64_t> picked;
  for (int64_t l = 0; l < lanes; ++l)
    picked.push_back(2 * l + parity);
  return vector::ShuffleOp::create(b, loc, low, high, picked);
}

/// The even and odd columns from `from` of `source`'s row at `lead`
/// (readTwoVectors, pickParity).
std::pair<Value, Value> readEvenOdd(OpBuilder &b, Location loc, Value source,
                                    ValueRange lead, int64_t from,
                                    int64_t width, int64_t lanes,
                                    Value padding) {
  auto [low, high] =
      readTwoVectors(b, loc, source, lead, from, width, lanes, padding);
  return {pickParity(b, loc, low, high, 0), pickParity(b, loc, low, high, 1)};
}

/// Writes into `dest` block by block over a region of `sizes` (one size
/// per dimension of `dest`): the innermost dimension (of at most
/// kMaxRowElements) and the static ones before it while the product is at
/// most kMaxBlockElements form one vector block, the others are loops. A dynamic innermost size takes `innermostBound`, a static bound
/// on it, as its block size, which `body` must then mask. `body` gets the
/// loop indices (zero for the block dimensions), the block's vector type,
/// whether the block is exactly the region along each dimension, and the
/// tensor to write into; it returns the updated tensor. Returns null where
/// the innermost size is dynamic without a bound.
Value writeBlocks(
    OpBuilder &b, Location loc, Value dest, ArrayRef<OpFoldResult> sizes,
    std::optional<int64_t> innermostBound, Type elt,
    function_ref<Value(OpBuilder &, ValueRange, VectorType, ArrayRef<bool>,
                       Value)>
        body) {
  int64_t rank = sizes.size();
  SmallVector<int64_t> block(rank, 1);
  SmallVector<bool> exact(rank, true);
  int64_t elements = 1, firstBlockDim = rank;
  for (int64_t d = rank - 1; d >= 0; --d) {
    std::optional<int64_t> size = getConstantIntValue(sizes[d]);
    if (!size && d == rank - 1 && innermostBound) {
      size = innermostBound;
      exact[d] = false;
    }
    if (!size ||
        *size * elements > (d == rank - 1 ? kMaxRowElements : kMaxBlockElements))
      break;
    elements *= *size;
    block[d] = *size;
    firstBlockDim = d;
  }
  if (firstBlockDim == rank)
    return Value();
  auto vectorType = VectorType::get(block, elt);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d = 0; d < firstBlockDim; ++d) {
    lbs.push_back(zero);
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[d]));
    steps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{dest},
      [&](OpBuilder &nb, Location nloc, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        SmallVector<Value> indices(ivs);
        indices.append(rank - firstBlockDim, zero);
        return {body(nb, indices, vectorType, exact, args.front())};
      });
  if (nest.results.empty())
    return Value();
  return nest.results.front();
}

/// A padded copy of a tensor padded along its last two dimensions only (an
/// NCHW tile with its halo), written row by row: the rows above and below
/// the source are written as padding, each source row is copied in
/// (masked to its length) with the padding before and after it written by
/// two short masked writes. Every element of the tile is written once,
/// where filling the whole tile first and copying over it wrote the
/// interior twice (the fill became a memset of the whole tile). Returns
/// false, leaving `pad` alone, where this does not apply.
bool vectorizePadByRows(RewriterBase &rewriter, tensor::PadOp pad,
                        Value padValue) {
  RankedTensorType resultType = pad.getResultType();
  int64_t rank = resultType.getRank();
  if (rank < 2)
    return false;
  Type elt = resultType.getElementType();
  int64_t height = resultType.getDimSize(rank - 2);
  int64_t width = resultType.getDimSize(rank - 1);
  if (width == 0 || width > kMaxRowElements)
    return false;
  SmallVector<OpFoldResult> low = pad.getMixedLowPad(),
                            high = pad.getMixedHighPad();
  for (int64_t d = 0; d < rank - 2; ++d)
    if (!isConstantIntValue(low[d], 0) || !isConstantIntValue(high[d], 0))
      return false;
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  SmallVector<OpFoldResult> sourceSizes =
      tensor::getMixedSizes(rewriter, loc, pad.getSource());
  auto index = [&](OpBuilder &b, OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  };
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // Padding over columns [from, to) of `row`, in pieces of at most
  // `chunk` lanes, the last masked (usually a single piece of a column or
  // two, or none).
  int64_t chunk = std::min<int64_t>(width, kPaddingChunk);
  Value chunkValue = arith::ConstantIndexOp::create(rewriter, loc, chunk);
  auto type = VectorType::get({chunk}, elt);
  auto paddingColumns = [&](OpBuilder &b, Value dest, ValueRange lead,
                            Value row, Value from, Value to) -> Value {
    auto loop = scf::ForOp::create(
        b, loc, from, to, chunkValue, ValueRange{dest},
        [&](OpBuilder &lb, Location, Value column, ValueRange iter) {
          Value left = arith::SubIOp::create(lb, loc, to, column);
          Value valid = arith::MinSIOp::create(lb, loc, left, chunkValue);
          Value splat = vector::BroadcastOp::create(lb, loc, type, padValue);
          SmallVector<Value> at(lead);
          at.append({row, column});
          scf::YieldOp::create(
              lb, loc,
              writeAlongRow(lb, loc, splat, iter.front(), at,
                            prefixMask(lb, loc, chunk, valid)));
        });
    return loop.getResult(0);
  };
  Value lowRows = index(rewriter, low[rank - 2]);
  Value sourceRows = index(rewriter, sourceSizes[rank - 2]);
  Value rowsEnd = arith::AddIOp::create(rewriter, loc, lowRows, sourceRows);
  Value lowCols = index(rewriter, low[rank - 1]);
  Value sourceCols = index(rewriter, sourceSizes[rank - 1]);
  Value colsEnd = arith::AddIOp::create(rewriter, loc, lowCols, sourceCols);
  Value heightValue = arith::ConstantIndexOp::create(rewriter, loc, height);
  Value widthValue = arith::ConstantIndexOp::create(rewriter, loc, width);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), elt);
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d = 0; d < rank - 2; ++d) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc,
                                                 resultType.getDimSize(d)));
    steps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{empty},
      [&](OpBuilder &b, Location, ValueRange lead,
          ValueRange args) -> scf::ValueVector {
        // Rows of padding over [from, to).
        auto paddingRows = [&](Value dest, Value from, Value to) -> Value {
          auto loop = scf::ForOp::create(
              b, loc, from, to, one, ValueRange{dest},
              [&](OpBuilder &lb, Location, Value row, ValueRange iter) {
                Value splat = vector::BroadcastOp::create(
                    lb, loc, VectorType::get({width}, elt), padValue);
                SmallVector<Value> at(lead);
                at.append({row, zero});
                scf::YieldOp::create(
                    lb, loc,
                    writeAlongRow(lb, loc, splat, iter.front(), at, width));
              });
          return loop.getResult(0);
        };
        Value tile = paddingRows(args.front(), zero, lowRows);
        auto copy = scf::ForOp::create(
            b, loc, lowRows, rowsEnd, one, ValueRange{tile},
            [&](OpBuilder &lb, Location, Value row, ValueRange iter) {
              Value dest =
                  paddingColumns(lb, iter.front(), lead, row, zero, lowCols);
              SmallVector<Value> from(lead);
              from.append(
                  {arith::SubIOp::create(lb, loc, row, lowRows), zero});
              // A row of a static length is copied whole, a row cut at
              // the border as long as the tile's, masked to its length.
              std::optional<int64_t> staticCols =
                  getConstantIntValue(sourceSizes[rank - 1]);
              int64_t lanes = staticCols.value_or(width);
              Value mask =
                  staticCols ? Value() : prefixMask(lb, loc, width, sourceCols);
              Value values = readAlongRow(lb, loc, pad.getSource(), from,
                                          lanes, mask);
              SmallVector<Value> at(lead);
              at.append({row, lowCols});
              dest = writeAlongRow(lb, loc, values, dest, at, mask);
              dest = paddingColumns(lb, dest, lead, row, colsEnd, widthValue);
              scf::YieldOp::create(lb, loc, dest);
            });
        return {paddingRows(copy.getResult(0), rowsEnd, heightValue)};
      });
  rewriter.replaceOp(pad, nest.results.front());
  return true;
}

/// A padded copy as whole vector blocks: the padded tile is filled with the
/// padding value, then the source is copied into it block by block. Kept
/// as tensor.pad, it bufferizes to an element-by-element copy whose bounds
/// are computed for every element. A source whose rows are cut at the
/// border of the image (a dynamic innermost size) is copied in rows as
/// long as the padded tile's, masked to the source's row length. Returns
/// false, leaving `pad` alone, where this does not apply (a padding value
/// computed per element, a dynamic result).
bool vectorizePad(RewriterBase &rewriter, tensor::PadOp pad) {
  RankedTensorType resultType = pad.getResultType();
  Value padValue = pad.getConstantPaddingValue();
  Type elt = resultType.getElementType();
  int64_t rank = resultType.getRank();
  // Bools are stored a byte each but transferred as packed bits.
  if (!padValue || !resultType.hasStaticShape() || rank == 0 ||
      !elt.isIntOrFloat() || elt.isInteger(1))
    return false;
  if (vectorizePadByRows(rewriter, pad, padValue))
    return true;
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), elt);
  SmallVector<OpFoldResult> resultSizes =
      getAsIndexOpFoldResult(rewriter.getContext(), resultType.getShape());
  Value filled = writeBlocks(
      rewriter, loc, empty, resultSizes, std::nullopt, elt,
      [&](OpBuilder &b, ValueRange indices, VectorType type,
          ArrayRef<bool> exact, Value dest) {
        Value splat = vector::BroadcastOp::create(b, loc, type, padValue);
        return vector::TransferWriteOp::create(b, loc, splat, dest, indices,
                                               exact)
            ->getResult(0);
      });
  if (!filled)
    return false;
  SmallVector<OpFoldResult> sourceSizes =
      tensor::getMixedSizes(rewriter, loc, pad.getSource());
  SmallVector<OpFoldResult> low = pad.getMixedLowPad();
  Value copied = writeBlocks(
      rewriter, loc, filled, sourceSizes, resultType.getShape().back(), elt,
      [&](OpBuilder &b, ValueRange indices, VectorType type,
          ArrayRef<bool> exact, Value dest) {
        // Rows cut at the border: masked to the source's row length (an
        // explicit mask: one materialized from the tensor's size late in
        // the lowering would query the buffer after its lowering to LLVM).
        Value mask;
        if (!exact.back()) {
          SmallVector<Value> maskSizes;
          for (int64_t size : type.getShape().drop_back())
            maskSizes.push_back(arith::ConstantIndexOp::create(b, loc, size));
          maskSizes.push_back(
              getValueOrCreateConstantIndexOp(b, loc, sourceSizes.back()));
          mask = vector::CreateMaskOp::create(
              b, loc, VectorType::get(type.getShape(), b.getI1Type()),
              maskSizes);
        }
        AffineMap identity =
            AffineMap::getMultiDimIdentityMap(rank, b.getContext());
        ArrayAttr allInBounds =
            b.getBoolArrayAttr(SmallVector<bool>(rank, true));
        Value row = vector::TransferReadOp::create(
            b, loc, type, pad.getSource(), indices, identity, padValue, mask,
            allInBounds);
        SmallVector<Value> at;
        for (auto [index, offset] : llvm::zip(indices, low)) {
          std::optional<int64_t> constant = getConstantIntValue(offset);
          at.push_back(constant && *constant == 0
                           ? index
                           : arith::AddIOp::create(
                                 b, loc, index,
                                 getValueOrCreateConstantIndexOp(b, loc,
                                                                 offset)));
        }
        return vector::TransferWriteOp::create(b, loc, dest.getType(), row,
                                               dest, at, identity, mask,
                                               allInBounds)
            ->getResult(0);
      });
  if (!copied)
    return false;
  rewriter.replaceOp(pad, copied);
  return true;
}

/// `input` (NCHW, static) with each row split into its even and its odd
/// columns: [n, c, h, 2, ceil(w / 2)], [.., 0, j] = input[.., 2j] and
/// [.., 1, j] = input[.., 2j + 1] (the last odd element of an odd row is
/// left undefined). Every other column of a row is then a contiguous read;
/// a window with a stride of 2 along the rows reads these halves instead of
/// de-interleaving every input row once per window position. Each row is
/// read in pairs of vectors and shuffled once. Returns null where `input`
/// is not a static NCHW tensor of floats.
Value splitEvenOddColumns(OpBuilder &b, Location loc, Value input,
                          int64_t vec) {
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type || !type.hasStaticShape() || type.getRank() != 4 ||
      !isa<FloatType>(type.getElementType()))
    return Value();
  Type elt = type.getElementType();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t width = shape[3], evens = (width + 1) / 2, odds = width / 2;
  Value split = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{shape[0], shape[1], shape[2], 2, evens}, elt);
  auto index = [&](OpBuilder &nb, int64_t i) -> Value {
    return arith::ConstantIndexOp::create(nb, loc, i);
  };
  SmallVector<Value> lbs(3, index(b, 0)), steps(3, index(b, 1)), ubs;
  for (int64_t d : shape.drop_back())
    ubs.push_back(index(b, d));
  Value zero = arith::ConstantOp::create(b, loc, elt, b.getZeroAttr(elt));
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{split},
      [&](OpBuilder &nb, Location, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        Value dest = args.front();
        for (int64_t at = 0; at < evens; at += vec) {
          // Input columns [2 * at, 2 * at + 2 * vec), in two reads.
          auto [low, high] =
              readTwoVectors(nb, loc, input, ivs, 2 * at, width, vec, zero);
          for (int64_t parity : {0, 1}) {
            int64_t valid = std::min(vec, (parity ? odds : evens) - at);
            if (valid <= 0)
              continue;
            Value half = pickParity(nb, loc, low, high, parity);
            SmallVector<Value> indices(ivs);
            indices.push_back(index(nb, parity));
            indices.push_back(index(nb, at));
            dest = writeAlongRow(nb, loc, half, dest, indices, valid);
          }
        }
        return {dest};
      });
  return nest.results.front();
}

/// The float element type that all of `op`'s operands and its first
/// result share, or null.
FloatType sharedFloatType(Operation *op) {
  auto elt = dyn_cast<FloatType>(getElementTypeOrSelf(op->getResult(0)));
  if (!elt || llvm::any_of(op->getOperandTypes(), [&](Type t) {
        return getElementTypeOrSelf(t) != elt;
      }))
    return nullptr;
  return elt;
}

/// Clones `block`'s ops, elementwise on scalars, onto vectors of `lanes`
/// lanes: its arguments become `args` (null for arguments it does not use),
/// scalars from outside it (a clip's bounds) are broadcast; with
/// `contract`, a multiply feeding an add may fuse into one FMA. Returns the
/// vector the block yields.
Value applyToVectors(OpBuilder &b, Location loc, Block &block,
                     ArrayRef<Value> args, int64_t lanes, bool contract) {
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip(block.getArguments(), args))
    if (value)
      mapping.map(arg, value);
  for (Operation &inner : block.without_terminator()) {
    for (Value operand : inner.getOperands())
      if (!mapping.contains(operand) && operand.getParentBlock() != &block)
        mapping.map(operand,
                    vector::BroadcastOp::create(
                        b, loc, VectorType::get({lanes}, operand.getType()),
                        operand));
    Operation *clone = b.clone(inner, mapping);
    for (OpResult result : clone->getResults())
      result.setType(VectorType::get({lanes}, result.getType()));
    if (contract && isa<arith::MulFOp, arith::AddFOp>(clone))
      clone->setAttr("fastmath",
                     arith::FastMathFlagsAttr::get(
                         b.getContext(), arith::FastMathFlags::contract));
  }
  return mapping.lookupOrDefault(block.getTerminator()->getOperand(0));
}

/// Whether every op of `owner`'s body maps elementwise onto vectors.
bool hasElementwiseBody(Operation *owner) {
  for (Operation &inner : owner->getRegion(0).front().without_terminator())
    if (inner.getNumRegions() != 0 ||
        !OpTrait::hasElementwiseMappableTraits(&inner) ||
        !llvm::all_of(inner.getResultTypes(),
                      [](Type t) { return t.isIntOrFloat(); }))
      return false;
  return true;
}

/// Whether `epilogue` is elementwise over NCHW and updates `result` in
/// place, its other inputs of the same shape or one value per channel.
bool isChannelEpilogue(linalg::GenericOp epilogue, Value result) {
  if (epilogue.getNumDpsInits() != 1 ||
      epilogue.getDpsInits()[0] != result || epilogue.getNumLoops() != 4 ||
      epilogue.getNumReductionLoops() != 0 ||
      epilogue->getResult(0).getType() != result.getType() ||
      !epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0))
           .isIdentity() ||
      !hasElementwiseBody(epilogue))
    return false;
  MLIRContext *ctx = epilogue.getContext();
  AffineMap perChannel = AffineMap::get(4, 0, {getAffineDimExpr(1, ctx)}, ctx);
  Type elt = getElementTypeOrSelf(result);
  return llvm::all_of(epilogue.getDpsInputOperands(), [&](OpOperand *in) {
    AffineMap map = epilogue.getMatchingIndexingMap(in);
    return getElementTypeOrSelf(in->get()) == elt &&
           (map.isIdentity() || map == perChannel);
  });
}

/// The fill that `op` (of one NCHW result) starts from and the epilogue
/// that updates its result in place (isChannelEpilogue), where each exists
/// and `op` is its only user or producer.
std::pair<linalg::FillOp, linalg::GenericOp>
findFillAndEpilogue(linalg::LinalgOp op) {
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (fill && !fill->hasOneUse())
    fill = nullptr;
  linalg::GenericOp epilogue;
  if (op->getResult(0).hasOneUse())
    epilogue =
        dyn_cast<linalg::GenericOp>(*op->getResult(0).getUsers().begin());
  if (epilogue && !isChannelEpilogue(epilogue, op->getResult(0)))
    epilogue = nullptr;
  return {fill, epilogue};
}

struct CPUTileAndVectorizePass
    : public impl::CPUTileAndVectorizePassBase<CPUTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter padRewriter(func.getContext());
    SmallVector<tensor::PadOp> pads;
    func.walk([&](tensor::PadOp pad) { pads.push_back(pad); });
    for (tensor::PadOp pad : pads) {
      // The padding a strided window reads in place stays.
      if (pad->hasOneUse())
        if (auto user = dyn_cast<linalg::LinalgOp>(*pad->getUsers().begin());
            user && matchWindowRows(user))
          continue;
      vectorizePad(padRewriter, pad);
    }
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(func.getContext());
    // Pointwise convolutions, depthwise convolutions and pools that take
    // their fill and their epilogue into their register tiles go first,
    // before the fill is tiled alone.
    llvm::SmallPtrSet<Operation *, 8> fused;
    for (linalg::LinalgOp op : ops) {
      if (fused.contains(op.getOperation()))
        continue;
      std::optional<SmallVector<int64_t>> ranges = getStaticRanges(op);
      if (!ranges)
        continue;
      if (tilePointwisePlanes(rewriter, op, *ranges, fused))
        continue;
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(*op))
        tilePointwiseConvWithEpilogue(rewriter, conv, *ranges, fused);
      else if (!tileWindowRows(rewriter, op, fused))
        tileWindowWithEpilogue(rewriter, op, *ranges, fused);
    }
    // Fills that a convolution starts from wait for it: one running along
    // the filters starts its accumulators from the fill's value instead of
    // reading the filled output back through a transpose.
    SmallVector<linalg::FillOp> deferredFills;
    for (linalg::LinalgOp op : ops) {
      if (fused.contains(op.getOperation()))
        continue;
      if (auto fill = dyn_cast<linalg::FillOp>(op.getOperation());
          fill && llvm::any_of(fill->getUsers(), [](Operation *user) {
            auto linalgUser = dyn_cast<linalg::LinalgOp>(user);
            return isa<linalg::Conv2DNchwFchwOp>(user) ||
                   (linalgUser && matchPackedConv(linalgUser)) ||
                   !getWinogradPart(user).empty();
          })) {
        deferredFills.push_back(fill);
        continue;
      }
      std::optional<SmallVector<int64_t>> ranges = getStaticRanges(op);
      if (!ranges)
        continue;
      if (tileMatrixVector(rewriter, op, *ranges))
        continue;
      if (StringRef part = getWinogradPart(op);
          (part == kWinogradInput && tileWinogradInput(rewriter, op, *ranges)) ||
          (part == kWinogradProduct &&
           tileWinogradProduct(rewriter, op, *ranges)) ||
          (part == kWinogradOutput && tileWinogradOutput(rewriter, op, *ranges)))
        continue;
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(*op);
          conv && tilePointwiseConv(rewriter, conv, *ranges))
        continue;
      if (std::optional<ContractionLoops> dims = getContractionLoops(op))
        tileContraction(rewriter, op, *ranges, *dims);
      else if (std::optional<int64_t> panel = matchPackedMatmul(op))
        tileContraction(rewriter, op, *ranges, ContractionLoops{{}, 0, 1, 2},
                        *panel);
      else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(*op);
               conv && tileConvAlongFilters(rewriter, conv, *ranges))
        continue;
      else if (std::optional<PackedConv> packed = matchPackedConv(op))
        // Its weights are already in panels; where the panels are not the
        // register tile's, it is left to become loops.
        (void)tileConvAlongFilters(rewriter, op, *ranges, packed);
      else if (isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp,
                   linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op))
        tileWindowOp(rewriter, op, *ranges);
      else
        tileElementwise(rewriter, op, *ranges);
    }
    for (linalg::FillOp fill : deferredFills) {
      if (fill->use_empty())
        rewriter.eraseOp(fill);
      else if (std::optional<SmallVector<int64_t>> ranges =
                   getStaticRanges(fill))
        tileElementwise(rewriter, fill, *ranges);
    }
    // Accumulator tiles read and written at the same place in every
    // iteration of a loop leave it: they stay in registers across the
    // reduction. Innermost loops first, so that hoisting cascades.
    SmallVector<LoopLikeOpInterface> loops;
    func.walk<WalkOrder::PostOrder>(
        [&](scf::ForOp loop) { loops.push_back(loop); });
    for (LoopLikeOpInterface loop : loops) {
      hoistInvariantCode(loop);
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    }
  }

  /// Upstream's loop-invariant code motion, which also moves loops on
  /// tensors (a packed copy): they have no side effects, and running one
  /// in a loop that runs zero times costs nothing but time.
  static void hoistInvariantCode(LoopLikeOpInterface loop) {
    moveLoopInvariantCode(
        loop.getLoopRegions(),
        [&](Value value, Region *) {
          return loop.isDefinedOutsideOfLoop(value);
        },
        [&](Operation *op, Region *) {
          if (!isMemoryEffectFree(op))
            return false;
          return isSpeculatable(op) ||
                 (isa<scf::ForOp>(op) && op->getNumResults() != 0 &&
                  llvm::all_of(op->getResultTypes(), [](Type t) {
                    return isa<RankedTensorType>(t);
                  }));
        },
        [&](Operation *op, Region *) { loop.moveOutOfLoop(op); });
  }

  /// Lanes of a vector register for `elementType`.
  int64_t lanes(Type elementType) const {
    unsigned bits = elementType.isIntOrFloat()
                        ? std::max(8u, elementType.getIntOrFloatBitWidth())
                        : 32;
    return std::max<int64_t>(vectorBits / bits, 1);
  }

  /// Cache tiles, then a register tile of `rows` x 2 vectors, vectorized.
  /// A matmul over packed weights (`packedPanel` columns per panel,
  /// compiler/Codegen/PackedWeights.h) reads each register tile's row of B
  /// in place from its panel; where its panels are not the register tile's
  /// columns, it is left to become loops.
  void tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                       ArrayRef<int64_t> ranges, const ContractionLoops &dims,
                       int64_t packedPanel = 0) {
    Type elt = cast<ShapedType>(op.getDpsInits()[0].getType()).getElementType();
    int64_t vec = lanes(elt);
    const int64_t rows = 8, cols = 2 * vec;
    if (packedPanel && (packedPanel != cols || ranges[dims.n] % cols != 0))
      return;
    SmallVector<int64_t> cache(ranges.size(), 0), reg(ranges.size(), 0);
    for (unsigned b : dims.batch)
      cache[b] = 1;
    // Cache tiles that divide the loops (in whole register tiles where the
    // loop allows): a partial tile would leave masked vectors in the inner
    // kernel, and those run at a fraction of the speed.
    auto fit = [](int64_t range, int64_t limit, int64_t multiple) {
      return fitTile(range, limit, multiple, limit);
    };
    cache[dims.m] = fit(ranges[dims.m], 64, rows);
    cache[dims.n] = fit(ranges[dims.n], 16 * vec, cols);
    // With B packed at compile time no copy bounds the reduction's tile: a
    // longer one reloads the accumulators less often (GPT-2's matmuls, 768
    // and 3072 deep: 3% faster with 1024 than with 256).
    cache[dims.k] = fit(ranges[dims.k], packedPanel ? 1024 : 256, 1);
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
    // Packing pays when each packed tile is read by several register
    // tiles: the cache loop over rows then runs innermost, so that a
    // packed tile of B serves every row block of the workgroup.
    bool pack = !packedPanel && dims.batch.empty() &&
                ranges[dims.m] >= 4 * rows && ranges[dims.k] >= 64 &&
                cache[dims.n] != 0 && ranges[dims.n] % cols == 0;
    SmallVector<int64_t> interchange;
    if (pack || (packedPanel && cache[dims.n] != 0))
      interchange = {dims.n, dims.k, dims.m};
    FailureOr<linalg::LinalgOp> tiled =
        tileWithLoops(rewriter, op, cache, interchange);
    if (failed(tiled))
      return;
    FailureOr<linalg::LinalgOp> inner = tileWithLoops(rewriter, *tiled, reg);
    if (failed(inner))
      return;
    if (pack)
      packRhs(rewriter, *inner, dims, cols);
    if (packedPanel) {
      // The tile reads B's panel as [1, 1, cols]: as a matmul of its rows
      // of A by that row of B, it takes the register tile's lowering.
      auto panelRow =
          dyn_cast<RankedTensorType>(inner->getDpsInputs()[1].getType());
      if (!panelRow || panelRow.getShape() != ArrayRef<int64_t>{1, 1, cols})
        return;
      Location loc = inner->getLoc();
      rewriter.setInsertionPoint(*inner);
      Value row = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({1, cols}, elt),
          inner->getDpsInputs()[1],
          ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      auto matmul = linalg::MatmulOp::create(
          rewriter, loc, inner->getOperation()->getResultTypes(),
          ValueRange{inner->getDpsInputs()[0], row},
          ValueRange{inner->getDpsInits()[0]});
      rewriter.replaceOp(*inner, matmul->getResults());
      inner = cast<linalg::LinalgOp>(matmul.getOperation());
    }
    SmallVector<int64_t> sizes(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i)
      sizes[i] = reg[i] ? reg[i] : (cache[i] ? cache[i] : ranges[i]);
    vectorizeOp(rewriter, *inner, sizes);
  }

  /// Makes the register tile `inner` read its B operand (k x n) from a
  /// packed copy of B's cache tile: panels of `cols` columns, each
  /// contiguous over k, so that the register tile streams through
  /// consecutive addresses. Read in place, B's rows lie a whole row of the
  /// matrix apart (4 KB for 1024 columns): the lines of one cache tile
  /// fall into a few L1 sets and evict each other, and the prefetchers
  /// see many short streams. The copy is made where B's cache tile is
  /// taken, and hoisted out of the loop over row blocks later.
  void packRhs(RewriterBase &rewriter, linalg::LinalgOp inner,
               const ContractionLoops &dims, int64_t cols) {
    OpOperand *rhs = inner.getDpsInputOperand(1);
    AffineMap map = inner.getMatchingIndexingMap(rhs);
    MLIRContext *ctx = rewriter.getContext();
    if (map != AffineMap::get(map.getNumDims(), 0,
                              {getAffineDimExpr(dims.k, ctx),
                               getAffineDimExpr(dims.n, ctx)},
                              ctx))
      return;
    auto regSlice = rhs->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!regSlice || !regSlice.hasUnitStride() ||
        regSlice.getStaticSizes() != ArrayRef<int64_t>{1, cols})
      return;
    Value cacheTile = regSlice.getSource();
    auto cacheType = cast<RankedTensorType>(cacheTile.getType());
    if (!cacheType.hasStaticShape() || cacheType.getDimSize(1) % cols != 0)
      return;
    int64_t kc = cacheType.getDimSize(0);
    int64_t panels = cacheType.getDimSize(1) / cols;
    Type elt = cacheType.getElementType();
    Location loc = inner.getLoc();

    // packed[p, k, j] = tile[k, p * cols + j]
    rewriter.setInsertionPointAfterValue(cacheTile);
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({kc, panels, cols}, elt),
        cacheTile, ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, {panels, kc, cols}, elt);
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, expanded, empty, ArrayRef<int64_t>{1, 0, 2});

    // The register tile's slice: panel n / cols, row k.
    rewriter.setInsertionPoint(regSlice);
    SmallVector<OpFoldResult> offsets = regSlice.getMixedOffsets();
    Value column = getValueOrCreateConstantIndexOp(rewriter, loc, offsets[1]);
    Value panel = arith::DivUIOp::create(
        rewriter, loc, column,
        arith::ConstantIndexOp::create(rewriter, loc, cols));
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, loc, cast<RankedTensorType>(rhs->get().getType()),
        transpose->getResult(0),
        ArrayRef<OpFoldResult>{panel, offsets[0], rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(cols)},
        SmallVector<OpFoldResult>(3, rewriter.getIndexAttr(1)));
    rhs->set(slice);
    // The copy runs along B's rows (k outermost, then the panels): each
    // row of the cache tile is read once, contiguously, and its pieces go
    // to the panels. Panel by panel, it read 32 columns from every row
    // (rows 4 KB apart at 1024 columns): 1024^3 1%, 2048^3 2.6% and
    // GPT-2's 128 x 3072 x 768 4.6% slower.
    int64_t vec = lanes(elt);
    SmallVector<int64_t> piece = {1, 1, std::min(vec, cols)};
    FailureOr<linalg::LinalgOp> copy = tileWithLoops(
        rewriter, cast<linalg::LinalgOp>(transpose.getOperation()), piece,
        {1, 0, 2});
    if (succeeded(copy))
      vectorizeOp(rewriter, *copy, piece);
  }

  /// Whether `conv` is a 1x1 convolution with unit strides over whole rows
  /// of pixels, whole pairs of vectors in all, filters in whole register
  /// tiles: a matrix product over its pixels (tilePointwiseConv).
  bool isPointwiseTile(linalg::Conv2DNchwFchwOp conv, ArrayRef<int64_t> ranges) {
    FloatType elt = sharedFloatType(conv);
    if (!elt)
      return false;
    int64_t vec = lanes(elt);
    // Loops: n, f, oh, ow, c, kh, kw.
    Value input = conv.getInputs()[0];
    auto inputType = cast<RankedTensorType>(input.getType());
    if (ranges[0] != 1 || ranges[5] != 1 || ranges[6] != 1 ||
        ranges[1] % 8 != 0 || (ranges[2] * ranges[3]) % (2 * vec) != 0 ||
        !llvm::all_of(conv.getStrides().getValues<int64_t>(),
                      [](int64_t s) { return s == 1; }) ||
        inputType.getDimSize(3) != ranges[3] ||
        inputType.getDimSize(2) != ranges[2])
      return false;
    // The input tile must be whole rows of its tensor for its pixels to be
    // consecutive: a slice that keeps the rows' full width.
    if (auto slice = input.getDefiningOp<tensor::ExtractSliceOp>())
      if (slice.getSourceType().getDimSize(3) != ranges[3])
        return false;
    return true;
  }

  /// The pointwise convolution `conv` (isPointwiseTile) as the matrix
  /// product of its weights [filters x channels] by its input's pixels
  /// [channels x pixels], accumulating into `acc` [filters x pixels].
  linalg::MatmulOp buildPixelProduct(RewriterBase &rewriter,
                                     linalg::Conv2DNchwFchwOp conv,
                                     Value acc) {
    Location loc = conv.getLoc();
    Value weights = conv.getInputs()[1];
    auto weightType = cast<RankedTensorType>(weights.getType());
    Value a = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(
            {weightType.getDimSize(0), weightType.getDimSize(1)},
            weightType.getElementType()),
        weights, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    Value b = collapseToMatrix(rewriter, loc, conv.getInputs()[0]);
    return linalg::MatmulOp::create(rewriter, loc, TypeRange{acc.getType()},
                                    ValueRange{a, b}, ValueRange{acc});
  }

  /// A pointwise convolution (isPointwiseTile) that starts from a fill and
  /// whose only reader is an elementwise epilogue updating its result in
  /// place (bias and clip, a residual add), with a reduction short enough
  /// to run whole in each register tile: the convolution, its fill and its
  /// epilogue become a matrix product over the pixels, its fill and its
  /// epilogue on [filters x pixels], tiled together, so that each register
  /// tile starts from zero, runs the whole reduction and applies the
  /// epilogue in registers. Apart, the fill and the epilogue are passes of
  /// their own over the output. Adds the replaced ops to `fused`.
  void tilePointwiseConvWithEpilogue(RewriterBase &rewriter,
                                     linalg::Conv2DNchwFchwOp conv,
                                     ArrayRef<int64_t> ranges,
                                     llvm::SmallPtrSetImpl<Operation *> &fused) {
    if (!isPointwiseTile(conv, ranges) || ranges[4] > 256)
      return;
    linalg::FillOp fill;
    linalg::GenericOp epilogue;
    std::tie(fill, epilogue) = findFillAndEpilogue(conv);
    if (!fill || !epilogue)
      return;
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    // The epilogue's inputs over [filters x pixels]: whole tensors like the
    // output, collapsed the same way, or one value per filter.
    Location loc = conv.getLoc();
    rewriter.setInsertionPoint(epilogue);
    Value dest = collapseToMatrix(rewriter, loc, fill.getOutputs()[0]);
    auto fill2 = linalg::FillOp::create(rewriter, loc, fill.value(), dest);
    linalg::MatmulOp matmul =
        buildPixelProduct(rewriter, conv, fill2.getResult(0));
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    AffineMap identity2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    for (OpOperand *input : epilogue.getDpsInputOperands()) {
      if (epilogue.getMatchingIndexingMap(input).isIdentity()) {
        inputs.push_back(collapseToMatrix(rewriter, loc, input->get()));
        maps.push_back(identity2);
      } else {
        inputs.push_back(input->get());
        maps.push_back(AffineMap::get(2, 0, {d(0)}, ctx));
      }
    }
    maps.push_back(identity2);
    auto epilogue2 = linalg::GenericOp::create(
        rewriter, loc, TypeRange{dest.getType()}, inputs,
        ValueRange{matmul.getResult(0)}, maps,
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel));
    IRMapping mapping;
    rewriter.cloneRegionBefore(epilogue.getRegion(), epilogue2.getRegion(),
                               epilogue2.getRegion().end(), mapping);
    Value result = tensor::ExpandShapeOp::create(
        rewriter, loc, epilogue->getResult(0).getType(),
        epilogue2.getResult(0),
        ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
    rewriter.replaceOp(epilogue, result);
    rewriter.eraseOp(conv);
    rewriter.eraseOp(fill);
    fused.insert(epilogue.getOperation());
    fused.insert(conv.getOperation());
    fused.insert(fill.getOperation());
    fuseIntoRegisterTiles(rewriter, matmul, fill2, epilogue2);
  }

  /// The padding of `op`'s input where tileWindowRows computes `op`: a
  /// 3x3 max pool or depthwise convolution of one image of floats with
  /// strides of 1 or 2 and unit dilations, over a static input padded by
  /// one element before its rows and columns with a constant, whose output
  /// rows are at least a vector (a stride of 1) or half a vector (2), and
  /// at most kMaxWindowRowBlocks vectors. Shorter rows keep the window
  /// tiles, which cover several rows of a padded copy: rows of 7 with a
  /// stride of 2 (mobilenet_v2's d40) took 0.043 ms from the input against
  /// 0.029, rows of 14 with a stride of 1 (d22, all of whose reads are
  /// masked) 0.034 against 0.027.
  tensor::PadOp matchWindowRows(linalg::LinalgOp op) const {
    if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp>(*op))
      return nullptr;
    std::optional<SmallVector<int64_t>> ranges = getStaticRanges(op);
    auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
    auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
    if (!sharedFloatType(op) || !ranges || !strides || !dilations ||
        ranges->size() != 6 || (*ranges)[0] != 1 || (*ranges)[4] != 3 ||
        (*ranges)[5] != 3 ||
        !(llvm::all_of(strides.getValues<int64_t>(),
                       [](int64_t s) { return s == 2; }) ||
          llvm::all_of(strides.getValues<int64_t>(),
                       [](int64_t s) { return s == 1; })) ||
        !llvm::all_of(dilations.getValues<int64_t>(),
                      [](int64_t d) { return d == 1; }) ||
        !hasElementwiseBody(op))
      return nullptr;
    auto pad = op.getDpsInputs()[0].getDefiningOp<tensor::PadOp>();
    auto outType = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (!pad || !pad->hasOneUse() ||
        pad.getStaticLow() != ArrayRef<int64_t>{0, 0, 1, 1} ||
        !pad.getConstantPaddingValue() ||
        !pad.getSourceType().hasStaticShape() || !outType ||
        !outType.hasStaticShape() ||
        pad.getSourceType().getDimSize(1) != outType.getDimSize(1))
      return nullptr;
    // Each row's blocks are unrolled: rows of up to kMaxWindowRowBlocks
    // vectors, so that wide images keep their code size.
    int64_t stride = strides.getValues<int64_t>()[0];
    int64_t vec = lanes(outType.getElementType());
    if (stride * outType.getDimSize(3) < vec ||
        outType.getDimSize(3) > kMaxWindowRowBlocks * vec)
      return nullptr;
    return pad;
  }

  /// A 3x3 window with strides of 1 or 2 (a max pool, a depthwise
  /// convolution) over an input padded by one element around its rows and
  /// columns (zeros, or the lowest value of a max pool), whose workgroup
  /// holds whole planes (TileWorkgroups), computed straight from the
  /// unpadded input with its fill and its epilogue; the padding's elements
  /// are taken as the padding value. Each output row reads its three input
  /// rows: with a stride of 2, as pairs of vectors split into their even
  /// and odd columns (window columns 1 and 2), the odd ones shifted by a
  /// lane for window column 0; with a stride of 1, as three unaligned
  /// vectors from one column before to one after. Apart, the padded copy
  /// (an even/odd split) and the windows were two (three) passes over the
  /// input; mobilenet_v2's depthwise convolutions with a stride of 1 over
  /// rows of 112, 56 and 28 took 0.207, 0.144 and 0.068 ms against 0.098,
  /// 0.123 and 0.040.
  bool tileWindowRows(RewriterBase &rewriter, linalg::LinalgOp op,
                      llvm::SmallPtrSetImpl<Operation *> &fused) {
    tensor::PadOp pad = matchWindowRows(op);
    if (!pad)
      return false;
    FloatType elt = sharedFloatType(op);
    Value source = pad.getSource();
    ArrayRef<int64_t> inShape = pad.getSourceType().getShape();
    // The output's shape, NCHW; the loops are in another order for a
    // depthwise convolution (n, oh, ow, c, kh, kw) than for a pool.
    ArrayRef<int64_t> outShape =
        cast<RankedTensorType>(op.getDpsInits()[0].getType()).getShape();
    int64_t channels = outShape[1], outRows = outShape[2], outCols = outShape[3];
    int64_t height = inShape[2], width = inShape[3], vec = lanes(elt);
    linalg::FillOp fill;
    linalg::GenericOp epilogue;
    std::tie(fill, epilogue) = findFillAndEpilogue(op);
    if (epilogue && fused.contains(epilogue.getOperation()))
      epilogue = nullptr;
    Location loc = op.getLoc();
    int64_t stride = op->getAttrOfType<DenseIntElementsAttr>("strides")
                         .getValues<int64_t>()[0];
    rewriter.setInsertionPoint(epilogue ? epilogue.getOperation()
                                        : op.getOperation());
    auto index = [&](OpBuilder &b, int64_t i) -> Value {
      return arith::ConstantIndexOp::create(b, loc, i);
    };
    auto vectorType = VectorType::get({vec}, elt);
    Value padValue = pad.getConstantPaddingValue();
    Value weights = isa<linalg::DepthwiseConv2DNchwChwOp>(*op)
                        ? op.getDpsInputs()[1]
                        : Value();
    Block &body = op->getRegion(0).front();
    Value init = op.getDpsInits()[0];
    Value out = fill ? fill.getOutputs()[0] : init;
    // Lane l: the previous vector's last lane, then this one's first.
    SmallVector<int64_t> previous;
    for (int64_t l = 0; l < vec; ++l)
      previous.push_back(vec - 1 + l);
    // One output row `row` (of static index `staticRow` where it is a
    // boundary row, whose input rows may lie in the padding).
    auto emitRow = [&](OpBuilder &b, Value c, Value row,
                       std::optional<int64_t> staticRow,
                       ArrayRef<Value> taps, Value result) -> Value {
      Value padVector = vector::BroadcastOp::create(b, loc, vectorType, padValue);
      Value top = arith::SubIOp::create(
          b, loc,
          stride == 1 ? row
                      : Value(arith::MulIOp::create(b, loc, row, index(b, 2))),
          index(b, 1));
      // Per input row, the vector before this block: the odd columns' (a
      // stride of 2) or the columns' (a stride of 1).
      SmallVector<Value> before(3, padVector);
      for (int64_t col0 = 0; col0 < outCols; col0 += vec) {
        int64_t count = std::min(vec, outCols - col0);
        Value acc;
        SmallVector<Value> at = {index(b, 0), c, row, index(b, col0)};
        if (fill)
          acc = vector::BroadcastOp::create(b, loc, vectorType,
                                            fill.getInputs()[0]);
        else
          acc = readAlongRow(b, loc, result, at, vec, count);
        for (int64_t i = 0; i < 3; ++i) {
          // This block's window columns 0, 1 and 2.
          Value column[3] = {padVector, padVector, padVector};
          bool inside = !staticRow || (stride * *staticRow - 1 + i >= 0 &&
                                       stride * *staticRow - 1 + i < height);
          Value first = padVector, second = padVector;
          Value r = inside ? Value(arith::AddIOp::create(b, loc, top,
                                                          index(b, i)))
                           : Value();
          if (inside && stride == 2)
            std::tie(first, second) =
                readEvenOdd(b, loc, source, {index(b, 0), c, r}, 2 * col0,
                            width, vec, padValue);
          if (stride == 1) {
            // The columns from col0 - 1, col0 and col0 + 1, read as they
            // are (unaligned reads cost less than shuffles); the first
            // block's first column is the padding, shifted in.
            if (inside) {
              SmallVector<Value> lead = {index(b, 0), c, r};
              column[1] = readPaddedRow(b, loc, source, lead, col0, width,
                                        vec, padValue);
              column[0] = col0 == 0
                              ? Value(vector::ShuffleOp::create(
                                    b, loc, padVector, column[1], previous))
                              : readPaddedRow(b, loc, source, lead, col0 - 1,
                                              width, vec, padValue);
              column[2] = readPaddedRow(b, loc, source, lead, col0 + 1, width,
                                        vec, padValue);
            }
          } else {
            // The even and odd columns from 2 col0; the odd ones shifted
            // back a lane are the window's first column.
            column[0] =
                vector::ShuffleOp::create(b, loc, before[i], second, previous);
            column[1] = first;
            column[2] = second;
            before[i] = second;
          }
          for (int64_t j = 0; j < 3; ++j)
            acc = applyToVectors(b, loc, body,
                                 {column[j], weights ? taps[3 * i + j] : Value(),
                                  acc},
                                 vec, /*contract=*/true);
        }
        if (epilogue)
          acc = applyEpilogue(b, loc, epilogue, op->getResult(0), acc, c, at,
                              count);
        result = writeAlongRow(b, loc, acc, result, at, count);
      }
      return result;
    };
    // Rows whose three input rows all lie inside the input.
    int64_t firstInside = 1,
            lastInside = std::min(outRows - 1, (height - 2) / stride);
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, {index(rewriter, 0)}, {index(rewriter, channels)},
        {index(rewriter, 1)}, ValueRange{out},
        [&](OpBuilder &b, Location, ValueRange ivs,
            ValueRange args) -> scf::ValueVector {
          Value c = ivs[0];
          SmallVector<Value> taps;
          if (weights)
            for (int64_t k = 0; k < 9; ++k) {
              Value w = tensor::ExtractOp::create(
                  b, loc, weights, ValueRange{c, index(b, k / 3), index(b, k % 3)});
              taps.push_back(vector::BroadcastOp::create(b, loc, vectorType, w));
            }
          Value result = args.front();
          for (int64_t r = 0; r < std::min(firstInside, outRows); ++r)
            result = emitRow(b, c, index(b, r), r, taps, result);
          // Rows of fewer than 4 blocks take several rows per iteration:
          // each block is one chain of 9 dependent multiply-adds, and a
          // row of 14 (one block) waited on its chain's latency (d22,
          // 0.027 -> 0.060 ms one row at a time).
          int64_t blocks = llvm::divideCeil(outCols, vec);
          int64_t unroll = std::max<int64_t>(1, llvm::divideCeil(4, blocks));
          int64_t inside = std::max<int64_t>(0, lastInside - firstInside + 1);
          int64_t looped = inside / unroll * unroll;
          if (looped > 0) {
            auto rows = scf::ForOp::create(
                b, loc, index(b, firstInside), index(b, firstInside + looped),
                index(b, unroll), ValueRange{result},
                [&](OpBuilder &nb, Location, Value row, ValueRange rowArgs) {
                  Value updated = rowArgs.front();
                  for (int64_t k = 0; k < unroll; ++k)
                    updated = emitRow(
                        nb, c,
                        k == 0 ? row
                               : Value(arith::AddIOp::create(nb, loc, row,
                                                             index(nb, k))),
                        std::nullopt, taps, updated);
                  scf::YieldOp::create(nb, loc, updated);
                });
            result = rows.getResult(0);
          }
          for (int64_t r = firstInside + looped; r <= lastInside; ++r)
            result = emitRow(b, c, index(b, r), std::nullopt, taps, result);
          for (int64_t r = std::max(lastInside + 1, firstInside); r < outRows;
               ++r)
            result = emitRow(b, c, index(b, r), r, taps, result);
          return {result};
        });
    Value result = nest.results.front();
    fused.insert(op.getOperation());
    if (fill)
      fused.insert(fill.getOperation());
    if (epilogue) {
      fused.insert(epilogue.getOperation());
      rewriter.replaceOp(epilogue, result);
      rewriter.eraseOp(op);
    } else {
      rewriter.replaceOp(op, result);
    }
    if (fill && fill->use_empty())
      rewriter.eraseOp(fill);
    if (pad->use_empty())
      rewriter.eraseOp(pad);
    return true;
  }

  /// `epilogue`'s body (isChannelEpilogue, updating `result` in place)
  /// applied to `values`, the row of `result` from `at` (`pixels` of them)
  /// of channel `channel`: its other inputs read along the same row or,
  /// one per channel, broadcast.
  static Value applyEpilogue(OpBuilder &b, Location loc,
                             linalg::GenericOp epilogue, Value result,
                             Value values, Value channel, ValueRange at,
                             int64_t pixels) {
    int64_t lanes = cast<VectorType>(values.getType()).getNumElements();
    SmallVector<Value> args;
    for (OpOperand *input : epilogue.getDpsInputOperands()) {
      if (input->get() == result) {
        args.push_back(values);
      } else if (epilogue.getMatchingIndexingMap(input).isIdentity()) {
        args.push_back(readAlongRow(b, loc, input->get(), at, lanes, pixels));
      } else {
        Value scalar = tensor::ExtractOp::create(b, loc, input->get(),
                                                 ValueRange{channel});
        args.push_back(vector::BroadcastOp::create(
            b, loc, VectorType::get({lanes}, scalar.getType()), scalar));
      }
    }
    args.push_back(values);
    return applyToVectors(b, loc, epilogue.getRegion().front(), args, lanes,
                          /*contract=*/false);
  }

  /// A depthwise convolution or a pool (NCHW) with the fill it starts from
  /// and the elementwise epilogue that updates its result in place, where
  /// these exist, tiled together over channel planes, rows and columns.
  /// Each tile of a few rows of output pixels is then straight-line vector
  /// code (vectorizeWindowTile): its accumulators start from the fill's
  /// value, take every window position in registers, and the epilogue is
  /// applied before the one store. Apart, the fill and the epilogue are
  /// passes of their own over the output, and the window loops' reads
  /// and writes of the accumulators stay around each step. Adds the
  /// replaced ops to `fused`; returns false, leaving the ops alone, where
  /// this does not apply.
  bool tileWindowWithEpilogue(RewriterBase &rewriter, linalg::LinalgOp op,
                              ArrayRef<int64_t> ranges,
                              llvm::SmallPtrSetImpl<Operation *> &fused) {
    if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
             linalg::PoolingNchwSumOp>(op) ||
        op.getNumDpsInits() != 1)
      return false;
    FloatType elt = sharedFloatType(op);
    if (!elt)
      return false;
    int64_t vec = lanes(elt);
    // The output's loops: n, c, oh, ow.
    AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    SmallVector<unsigned> outputLoops;
    for (AffineExpr e : outputMap.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(e);
      if (!dim)
        return false;
      outputLoops.push_back(dim.getPosition());
    }
    if (outputLoops.size() != 4)
      return false;
    int64_t height = ranges[outputLoops[2]], width = ranges[outputLoops[3]];
    SmallVector<unsigned> reductions;
    op.getReductionDims(reductions);
    int64_t windowSize = 1;
    for (unsigned r : reductions)
      windowSize *= ranges[r];
    if (windowSize > kMaxWindowPositions)
      return false;
    linalg::FillOp fill;
    linalg::GenericOp epilogue;
    std::tie(fill, epilogue) = findFillAndEpilogue(op);
    if (!hasElementwiseBody(op))
      return false;

    auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
    auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
    bool strided = strides && llvm::any_of(strides.getValues<int64_t>(),
                                           [](int64_t s) { return s != 1; });
    // A stride of 2 along the rows (unit dilation): the input's rows split
    // once into even and odd columns, which the tiles read contiguously,
    // where that measured faster than de-interleaving the rows in each
    // tile: tiles of fewer than 4 rows (14-row workgroups) of rows longer
    // than a vector (mobilenet_v2's d4, 0.50 -> 0.41 ms; resnet18's max
    // pool, 0.46 -> 0.40). Where the tiles have 4 rows or the rows are
    // shorter, the split pass cost more than it saved (d10, 28 x 28: 0.12
    // -> 0.15 ms; d19, 14 x 14: 0.040 -> 0.051).
    Value input = op.getDpsInputs()[0], split;
    if (strides && strides.getValues<int64_t>()[1] == 2 &&
        (!dilations || dilations.getValues<int64_t>()[1] == 1) &&
        largestDivisor(height, kStridedRows) < kStridedRows && width > vec) {
      rewriter.setInsertionPoint(op);
      split = splitEvenOddColumns(rewriter, op.getLoc(), input, vec);
      if (split && strides.getValues<int64_t>()[0] == 1)
        strided = false;
    }
    // A row of up to a vector whole, else vector-sized pieces of it: rows
    // of 14 or 7 pixels take one register each, masked. Read with unit
    // strides, rows of whole half vectors (56 pixels: 7 x 8) rather than
    // masked vectors (4 x 14 of 16 lanes) where the row allows: unmasked
    // reads (on AVX-512, a half vector's FMA costs the same per lane).
    int64_t columns =
        width <= vec                             ? width
        : width % vec == 0                       ? vec
        : !strided && width % (vec / 2) == 0     ? vec / 2
                                                 : largestDivisor(width, vec);
    // Up to 8 rows: their chains of FMAs interleave. Rows read with a
    // stride of 2 take two reads and two shuffles each: 4 rows, whose
    // values fit the registers.
    int64_t rows = largestDivisor(height, strided ? kStridedRows : kWindowRows);

    // Tile the last op of the chain over [1, 1, rows, columns], fusing the
    // others into its tiles, channel planes outermost.
    Operation *consumer = epilogue ? epilogue.getOperation() : op.getOperation();
    SmallVector<int64_t> tileSizes, interchange;
    if (epilogue) {
      tileSizes = {1, 1, rows, columns};
    } else {
      tileSizes.assign(ranges.size(), 0);
      int64_t outputTile[4] = {1, 1, rows, columns};
      for (auto [loop, size] : llvm::zip(outputLoops, outputTile))
        tileSizes[loop] = size;
      interchange.assign(outputLoops.begin(), outputLoops.end());
      llvm::append_range(interchange, reductions);
    }
    FailureOr<scf::SCFTileAndFuseResult> tiled =
        tileAndFuseProducers(rewriter, consumer, tileSizes, interchange);
    if (failed(tiled))
      return false;
    fused.insert(op.getOperation());
    if (fill)
      fused.insert(fill.getOperation());
    if (epilogue)
      fused.insert(epilogue.getOperation());
    linalg::LinalgOp tileWindow;
    linalg::FillOp tileFill;
    linalg::GenericOp tileEpilogue;
    for (Operation *tiledOp : tiled->tiledAndFusedOps) {
      if (isa<linalg::FillOp>(tiledOp))
        tileFill = cast<linalg::FillOp>(tiledOp);
      else if (isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
                   linalg::PoolingNchwSumOp>(tiledOp))
        tileWindow = cast<linalg::LinalgOp>(tiledOp);
      else if (epilogue && isa<linalg::GenericOp>(tiledOp))
        tileEpilogue = cast<linalg::GenericOp>(tiledOp);
    }
    // The fill only counts where it fused into the tile, as the window's
    // accumulators.
    if (tileFill && tileWindow &&
        tileWindow.getDpsInits()[0] != tileFill->getResult(0))
      tileFill = nullptr;
    if (tileWindow && (!epilogue || tileEpilogue))
      vectorizeWindowTile(rewriter, tileWindow, tileFill, tileEpilogue,
                          rows, columns,
                          std::min<int64_t>(llvm::PowerOf2Ceil(columns), vec),
                          input, split);
    return true;
  }

  /// A 1x1 convolution with unit strides over whole planes whose pixels
  /// are not whole pairs of vectors (14 x 14 = 196: 6 pairs and 4 pixels),
  /// with the fill it starts from and its elementwise epilogue, if any, as
  /// straight-line register tiles of 8 filters by two vectors of pixels
  /// (the last pixels one or two vectors, masked): each tile starts from
  /// the fill's value, runs the whole reduction over the channels in an
  /// scf.for that carries its accumulators, and applies the epilogue
  /// before its one store. Along the filters instead, such a convolution
  /// zeroes, transposes and re-transposes its output around the register
  /// tile, and applies the epilogue in a pass of its own. Adds the
  /// replaced ops to `fused`; returns false, leaving the ops alone, where
  /// this does not apply.
  bool tilePointwisePlanes(RewriterBase &rewriter, linalg::LinalgOp conv,
                           ArrayRef<int64_t> ranges,
                           llvm::SmallPtrSetImpl<Operation *> &fused) {
    // Loops: n, f, oh, ow, c, kh, kw.
    std::optional<PackedConv> packed = matchPackedConv(conv);
    auto named = dyn_cast<linalg::Conv2DNchwFchwOp>(conv.getOperation());
    if ((!named && !packed) || ranges.size() != 7 || ranges[0] != 1 ||
        ranges[5] != 1 || ranges[6] != 1)
      return false;
    if (named && !llvm::all_of(named.getStrides().getValues<int64_t>(),
                               [](int64_t s) { return s == 1; }))
      return false;
    if (packed && (packed->strides[0] != 1 || packed->strides[1] != 1))
      return false;
    FloatType elt = sharedFloatType(conv);
    if (!elt)
      return false;
    int64_t vec = lanes(elt);
    int64_t filters = ranges[1], height = ranges[2], width = ranges[3],
            channels = ranges[4], pixels = height * width;
    // Pixels in whole vectors but for at most an eighth, which the last
    // vector of each row of tiles masks; pixel counts in whole pairs of
    // vectors take the matmul over the pixels (tilePointwiseConv).
    // Reductions of at most 256 channels: deeper ones (mobilenet_v2's
    // projections over 384 to 960 channels) measured no faster than along
    // the filters, and as much as 5% slower.
    int64_t padded = llvm::alignTo(pixels, vec);
    if (filters % kPlaneFilters != 0 || filters > 16 * kPlaneFilters ||
        channels > 256 ||
        pixels % (2 * vec) == 0 || pixels < 4 * vec ||
        8 * (padded - pixels) > pixels)
      return false;
    // The input tile is whole planes of its tensor: its pixels consecutive.
    Value input = conv.getDpsInputs()[0];
    auto inputType = cast<RankedTensorType>(input.getType());
    if (!inputType.hasStaticShape() || inputType.getDimSize(2) != height ||
        inputType.getDimSize(3) != width)
      return false;
    if (auto slice = input.getDefiningOp<tensor::ExtractSliceOp>())
      if (slice.getSourceType().getDimSize(2) != height ||
          slice.getSourceType().getDimSize(3) != width)
        return false;
    linalg::FillOp fill;
    linalg::GenericOp epilogue;
    std::tie(fill, epilogue) = findFillAndEpilogue(conv);
    // The weights of filter f and channel c: each index of the weights'
    // map a constant for a given filter, or the channel itself.
    AffineMap weightMap =
        conv.getMatchingIndexingMap(conv.getDpsInputOperand(1));
    SmallVector<SmallVector<std::optional<int64_t>>> weightIndices;
    for (int64_t f = 0; f < filters; ++f) {
      SmallVector<int64_t> at0(7, 0), at1(7, 0);
      at0[1] = at1[1] = f;
      at1[4] = 1;
      SmallVector<std::optional<int64_t>> &indices =
          weightIndices.emplace_back();
      for (auto [x, y] :
           llvm::zip(weightMap.compose(at0), weightMap.compose(at1))) {
        if (x == y)
          indices.push_back(x);
        else if (x == 0 && y == 1)
          indices.push_back(std::nullopt);
        else
          return false;
      }
    }

    Location loc = conv.getLoc();
    Operation *last = epilogue ? epilogue.getOperation() : conv.getOperation();
    rewriter.setInsertionPoint(last);
    auto index = [&](int64_t i) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, i);
    };
    // [1, x, h, w] as [1, x, h * w].
    auto flatten = [&](Value v) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      return tensor::CollapseShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({type.getDimSize(0), type.getDimSize(1),
                                 pixels},
                                type.getElementType()),
          v, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    };
    Value flatInput = flatten(input);
    Value dest = flatten(fill ? fill.getOutputs()[0] : conv.getDpsInits()[0]);
    SmallVector<Value> epilogueInputs;
    if (epilogue)
      for (OpOperand *in : epilogue.getDpsInputOperands())
        epilogueInputs.push_back(
            epilogue.getMatchingIndexingMap(in).isIdentity()
                ? flatten(in->get())
                : in->get());
    auto vectorType = VectorType::get({vec}, elt);
    auto readAt = [&](OpBuilder &b, Value source, ValueRange at,
                      int64_t valid) -> Value {
      return readAlongRow(b, loc, source, at, vec, valid);
    };
    Block &body = conv->getRegion(0).front();
    Block *epilogueBody = epilogue ? &epilogue.getRegion().front() : nullptr;
    // One tile: filters [f0, f0 + 8), `count` vectors of pixels from p0,
    // the last with `lastValid` lanes.
    auto tile = [&](OpBuilder &b, Value into, int64_t f0, Value p0,
                    int64_t count, int64_t lastValid) -> Value {
      SmallVector<Value> offsets;
      SmallVector<int64_t> lanesOf;
      for (int64_t j = 0; j < count; ++j) {
        offsets.push_back(j == 0 ? p0
                                 : arith::AddIOp::create(
                                       b, loc, p0,
                                       arith::ConstantIndexOp::create(
                                           b, loc, j * vec))
                                       .getResult());
        lanesOf.push_back(j + 1 == count ? lastValid : vec);
      }
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      SmallVector<Value> init;
      for (int64_t i = 0; i < kPlaneFilters; ++i)
        for (int64_t j = 0; j < count; ++j)
          init.push_back(
              fill ? vector::BroadcastOp::create(b, loc, vectorType,
                                                 fill.value())
                         .getResult()
                   : readAt(b, into,
                            {zero,
                             arith::ConstantIndexOp::create(b, loc, f0 + i),
                             offsets[j]},
                            lanesOf[j]));
      auto reduction = scf::ForOp::create(
          b, loc, zero, arith::ConstantIndexOp::create(b, loc, channels),
          arith::ConstantIndexOp::create(b, loc, 1), init,
          [&](OpBuilder &nb, Location, Value c, ValueRange acc) {
            Value nzero = arith::ConstantIndexOp::create(nb, loc, 0);
            SmallVector<Value> x;
            for (int64_t j = 0; j < count; ++j)
              x.push_back(readAt(nb, flatInput, {nzero, c, offsets[j]},
                                 lanesOf[j]));
            SmallVector<Value> next;
            for (int64_t i = 0; i < kPlaneFilters; ++i) {
              SmallVector<Value> at;
              for (std::optional<int64_t> v : weightIndices[f0 + i])
                at.push_back(v ? arith::ConstantIndexOp::create(nb, loc, *v)
                                     .getResult()
                               : c);
              Value w = vector::BroadcastOp::create(
                  nb, loc, vectorType,
                  tensor::ExtractOp::create(nb, loc, conv.getDpsInputs()[1],
                                            at));
              for (int64_t j = 0; j < count; ++j)
                next.push_back(applyToVectors(nb, loc, body,
                                              {x[j], w, acc[i * count + j]},
                                              vec, /*contract=*/true));
            }
            scf::YieldOp::create(nb, loc, next);
          });
      Value result = into;
      for (int64_t i = 0; i < kPlaneFilters; ++i) {
        Value f = arith::ConstantIndexOp::create(b, loc, f0 + i);
        for (int64_t j = 0; j < count; ++j) {
          Value value = reduction.getResult(i * count + j);
          if (epilogue) {
            SmallVector<Value> args;
            for (auto [k, in] :
                 llvm::enumerate(epilogue.getDpsInputOperands()))
              args.push_back(
                  epilogue.getMatchingIndexingMap(in).isIdentity()
                      ? readAt(b, epilogueInputs[k], {zero, f, offsets[j]},
                               lanesOf[j])
                      : vector::BroadcastOp::create(
                            b, loc, vectorType,
                            tensor::ExtractOp::create(
                                b, loc, epilogueInputs[k],
                                ValueRange{arith::ConstantIndexOp::create(
                                    b, loc, f0 + i)}))
                            .getResult());
            args.push_back(value);
            value = applyToVectors(b, loc, *epilogueBody, args, vec,
                                   /*contract=*/false);
          }
          result = writeAlongRow(b, loc, value, result,
                                 ValueRange{zero, f, offsets[j]}, lanesOf[j]);
        }
      }
      return result;
    };

    int64_t pairs = pixels / (2 * vec), rest = pixels % (2 * vec);
    Value result = dest;
    for (int64_t f0 = 0; f0 < filters; f0 += kPlaneFilters) {
      if (pairs > 0) {
        auto loop = scf::ForOp::create(
            rewriter, loc, index(0), index(pairs * 2 * vec), index(2 * vec),
            ValueRange{result},
            [&](OpBuilder &b, Location, Value p0, ValueRange args) {
              scf::YieldOp::create(b, loc,
                                   tile(b, args.front(), f0, p0, 2, vec));
            });
        result = loop.getResult(0);
      }
      if (rest > 0)
        result = tile(rewriter, result, f0, index(pairs * 2 * vec),
                      (rest + vec - 1) / vec,
                      rest % vec == 0 ? vec : rest % vec);
    }
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, last->getResult(0).getType(), result,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    rewriter.replaceOp(last, expanded);
    if (epilogue)
      rewriter.eraseOp(conv);
    if (fill)
      rewriter.eraseOp(fill);
    fused.insert(conv.getOperation());
    if (fill)
      fused.insert(fill.getOperation());
    if (epilogue)
      fused.insert(epilogue.getOperation());
    return true;
  }

  /// Filters per register tile of tilePointwisePlanes.
  static constexpr int64_t kPlaneFilters = 8;

  /// Straight-line vector code for one tile of a depthwise convolution or
  /// a pool, `window`, of `rows` rows of `columns` output pixels, each row
  /// one vector of `width` lanes (masked past `columns`): for every window
  /// position, every row's accumulator is updated by the op's own body
  /// with the input row (read contiguously, or twice as wide and
  /// de-interleaved for stride 2) and the broadcast weight. The
  /// accumulators start from `fill`'s value (or the window's output
  /// tile); `epilogue`, when given, is applied to them before they are
  /// written. Replaces the last op's result and erases the tile's ops;
  /// returns false, leaving them alone, where an operand is not of this
  /// form.
  bool vectorizeWindowTile(RewriterBase &rewriter, linalg::LinalgOp window,
                           linalg::FillOp fill, linalg::GenericOp epilogue,
                           int64_t rows, int64_t columns, int64_t width,
                           Value input, Value split) {
    std::optional<SmallVector<int64_t>> ranges = getStaticRanges(window);
    if (!ranges)
      return false;
    unsigned numLoops = ranges->size();
    AffineMap outputMap =
        window.getMatchingIndexingMap(window.getDpsInitOperand(0));
    auto outputType =
        dyn_cast<RankedTensorType>(window.getDpsInits()[0].getType());
    if (!outputType || !outputType.hasStaticShape())
      return false;
    unsigned ohLoop = cast<AffineDimExpr>(outputMap.getResult(2)).getPosition();
    unsigned owLoop = cast<AffineDimExpr>(outputMap.getResult(3)).getPosition();
    if ((*ranges)[ohLoop] != rows || (*ranges)[owLoop] != columns ||
        outputType.getShape() != ArrayRef<int64_t>{1, 1, rows, columns})
      return false;
    SmallVector<unsigned> reductions;
    window.getReductionDims(reductions);
    // A loop point: every parallel loop at 0 but the row's.
    auto at = [&](int64_t row, ArrayRef<int64_t> position, int64_t column) {
      SmallVector<int64_t> point(numLoops, 0);
      point[ohLoop] = row;
      point[owLoop] = column;
      for (auto [loop, p] : llvm::zip(reductions, position))
        point[loop] = p;
      return point;
    };
    // How an operand's indices move along the output's columns and rows.
    auto step = [&](AffineMap map, unsigned loop) {
      SmallVector<int64_t> zero(numLoops, 0), one(numLoops, 0);
      one[loop] = 1;
      SmallVector<int64_t> a = map.compose(zero), b = map.compose(one);
      SmallVector<int64_t> d;
      for (auto [x, y] : llvm::zip(a, b))
        d.push_back(y - x);
      return d;
    };
    // The input moves along its last dimension only, by 1 or 2 per column;
    // the weights not at all.
    OpOperand *inputOperand = window.getDpsInputOperand(0);
    AffineMap inputMap = window.getMatchingIndexingMap(inputOperand);
    SmallVector<int64_t> inputColumnStep = step(inputMap, owLoop);
    int64_t stride = inputColumnStep.back();
    if (stride != 1 && stride != 2)
      return false;
    for (int64_t d : ArrayRef(inputColumnStep).drop_back())
      if (d != 0)
        return false;
    auto inputType = cast<RankedTensorType>(inputOperand->get().getType());
    if (!inputType.hasStaticShape())
      return false;
    // With the input's rows split into even and odd columns, the tile's
    // slice of them: the tile's input slice, its columns halved.
    auto inputSlice =
        inputOperand->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (stride != 2 || !inputSlice || inputSlice.getSource() != input ||
        inputType.getRank() != 4 || !inputSlice.hasUnitStride())
      split = Value();
    OpOperand *weightOperand = window.getDpsInputOperand(1);
    AffineMap weightMap = window.getMatchingIndexingMap(weightOperand);
    for (unsigned loop : {ohLoop, owLoop})
      if (llvm::any_of(step(weightMap, loop), [](int64_t d) { return d != 0; }))
        return false;
    Block &body = window->getRegion(0).front();
    if (body.getNumArguments() != 3)
      return false;

    Location loc = window.getLoc();
    rewriter.setInsertionPoint(epilogue ? epilogue.getOperation()
                                        : window.getOperation());
    Type elt = outputType.getElementType();
    auto vectorType = VectorType::get({width}, elt);
    auto index = [&](int64_t i) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, i);
    };
    auto indices = [&](ArrayRef<int64_t> values) {
      SmallVector<Value> result;
      for (int64_t v : values)
        result.push_back(index(v));
      return result;
    };
    // A row of `lanes` elements from `source` at `at`, masked to `valid`.
    auto readRow = [&](Value source, ArrayRef<int64_t> at, int64_t lanes,
                       int64_t valid) -> Value {
      return readAlongRow(rewriter, loc, source, indices(at), lanes, valid);
    };
    auto broadcastAt = [&](Value source, ArrayRef<int64_t> at) -> Value {
      Value scalar = tensor::ExtractOp::create(rewriter, loc, source,
                                               indices(at));
      return vector::BroadcastOp::create(rewriter, loc, vectorType, scalar);
    };
    // Applies `block`'s ops to vector operands; with `contract`, a multiply
    // feeding an add may fuse into one FMA.
    auto apply = [&](Block &block, ArrayRef<Value> args,
                     bool contract) -> Value {
      return applyToVectors(rewriter, loc, block, args, width, contract);
    };

    // The accumulators' start.
    SmallVector<Value> acc;
    for (int64_t r = 0; r < rows; ++r)
      acc.push_back(fill ? vector::BroadcastOp::create(
                               rewriter, loc, vectorType, fill.value())
                               .getResult()
                         : readRow(window.getDpsInits()[0], {0, 0, r, 0},
                                   width, columns));
    // Window positions, the last loop fastest; de-interleaved input rows
    // are shared by the positions of one step of the outer loops.
    SmallVector<int64_t> windowRanges;
    for (unsigned loop : reductions)
      windowRanges.push_back((*ranges)[loop]);
    int64_t positions = 1;
    for (int64_t n : windowRanges)
      positions *= n;
    Value pixelsIn = inputOperand->get();
    int64_t inputColumns = inputType.getShape().back();
    Value splitTile;
    if (split) {
      SmallVector<OpFoldResult> offsets = inputSlice.getMixedOffsets();
      Value column =
          getValueOrCreateConstantIndexOp(rewriter, loc, offsets[3]);
      offsets[3] = rewriter.getIndexAttr(0);
      offsets.push_back(
          arith::DivUIOp::create(rewriter, loc, column, index(2)).getResult());
      SmallVector<int64_t> shape(inputType.getShape());
      shape.back() = 2;
      shape.push_back((inputColumns + 1) / 2);
      SmallVector<OpFoldResult> sizes =
          getAsIndexOpFoldResult(rewriter.getContext(), shape);
      splitTile = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(shape, elt), split, offsets,
          sizes, SmallVector<OpFoldResult>(5, rewriter.getIndexAttr(1)));
    }
    bool usesWeight = !body.getArgument(1).use_empty();
    DenseMap<std::pair<int64_t, int64_t>, std::pair<Value, Value>> halves;
    for (int64_t p = 0; p < positions; ++p) {
      SmallVector<int64_t> position(windowRanges.size());
      int64_t rest = p;
      for (int64_t i = windowRanges.size() - 1; i >= 0; --i) {
        position[i] = rest % windowRanges[i];
        rest /= windowRanges[i];
      }
      if (!position.empty() && position.back() == 0)
        halves.clear();
      Value weight;
      if (usesWeight)
        weight = broadcastAt(weightOperand->get(),
                             weightMap.compose(at(0, position, 0)));
      for (int64_t r = 0; r < rows; ++r) {
        SmallVector<int64_t> start = inputMap.compose(at(r, position, 0));
        Value pixels;
        if (stride == 1) {
          pixels = readRow(pixelsIn, start, width, columns);
        } else if (splitTile) {
          // Column 2j + k of the row is element j + k / 2 of its half k % 2.
          SmallVector<int64_t> at(start);
          int64_t column = at.back();
          at.back() = column % 2;
          at.push_back(column / 2);
          pixels = readRow(splitTile, at, width, columns);
        } else {
          // Every other element, from a read of twice the width that starts
          // at an even column.
          int64_t column = start.back();
          int64_t even = column - column % 2;
          auto key = std::make_pair(
              static_cast<int64_t>(inputMap.compose(at(r, position, 0))
                                       [start.size() - 2]),
              even);
          auto it = halves.find(key);
          if (it == halves.end()) {
            // Two reads of one vector each. Where the row holds a vector,
            // both stay inside it, moved back from its end as needed, and
            // need no mask: LLVM turns masked reads of a buffer it knows
            // into plain reads and selects, which it then splits into
            // pieces around the shuffles.
            SmallVector<int64_t> from(start);
            int64_t lowAt = even, highAt = even + width;
            Value low, high;
            if (inputColumns >= width) {
              lowAt = std::min(lowAt, inputColumns - width);
              highAt = std::min(highAt, inputColumns - width);
              from.back() = lowAt;
              low = readRow(pixelsIn, from, width, width);
              from.back() = highAt;
              high = readRow(pixelsIn, from, width, width);
            } else {
              from.back() = even;
              low = high = readRow(pixelsIn, from, width, inputColumns - even);
            }
            // Lanes past the row take its last element: they are not
            // stored. (Poison lets LLVM narrow the reads into pieces.)
            auto lanesFrom = [&](int64_t first) {
              SmallVector<int64_t> lanes;
              for (int64_t i = 0; i < width; ++i) {
                int64_t c = std::min(first + 2 * i, inputColumns - 1);
                lanes.push_back(c < lowAt + width ? c - lowAt
                                                  : width + c - highAt);
              }
              return lanes;
            };
            auto pick = [&](int64_t first) -> Value {
              return vector::ShuffleOp::create(rewriter, loc, low, high,
                                               lanesFrom(first));
            };
            it = halves.try_emplace(key, pick(even), pick(even + 1)).first;
          }
          pixels = column % 2 == 0 ? it->second.first : it->second.second;
        }
        acc[r] = apply(body, {pixels, weight, acc[r]}, /*contract=*/true);
      }
    }

    // The epilogue, then one store per row.
    Value dest = fill ? fill.getOutputs()[0] : window.getDpsInits()[0];
    Value result = dest;
    for (int64_t r = 0; r < rows; ++r) {
      Value value = acc[r];
      if (epilogue) {
        SmallVector<Value> args;
        for (OpOperand *in : epilogue.getDpsInputOperands()) {
          AffineMap map = epilogue.getMatchingIndexingMap(in);
          args.push_back(map.isIdentity()
                             ? readRow(in->get(), {0, 0, r, 0}, width, columns)
                             : broadcastAt(in->get(), {0}));
        }
        args.push_back(value);
        value = apply(epilogue.getRegion().front(), args, /*contract=*/false);
      }
      result = writeAlongRow(rewriter, loc, value, result,
                             indices({0, 0, r, 0}), columns);
    }
    Operation *last = epilogue ? epilogue.getOperation() : window.getOperation();
    rewriter.replaceOp(last, result);
    if (epilogue)
      rewriter.eraseOp(window);
    if (fill)
      rewriter.eraseOp(fill);
    return true;
  }

  /// The most window positions unrolled into a tile's straight-line code.
  static constexpr int64_t kMaxWindowPositions = 49;
  /// The most rows of output pixels in a depthwise or pool tile, and in one
  /// whose rows are read with a stride.
  static constexpr int64_t kWindowRows = 8;
  static constexpr int64_t kStridedRows = 4;

  /// Tiles `epilogue` (elementwise, in place on the result of `product`, a
  /// matrix product [m x k] by [k x n] starting from `fill`) into cache
  /// tiles and then register tiles of 8 rows by two vectors, each time
  /// fusing the product and the fill into the tile; the product's whole
  /// reduction then runs one step at a time inside each register tile.
  void fuseIntoRegisterTiles(RewriterBase &rewriter, linalg::MatmulOp product,
                             linalg::FillOp fill, linalg::GenericOp epilogue) {
    auto type = cast<RankedTensorType>(product->getResult(0).getType());
    int64_t vec = lanes(type.getElementType());
    const int64_t rows = 8, cols = 2 * vec;
    int64_t m = type.getDimSize(0), n = type.getDimSize(1);
    int64_t cacheRows = fitTile(m, 64, rows, m);
    int64_t cacheCols = fitTile(n, 16 * vec, cols, n);
    auto tileAndFuse = [&](linalg::GenericOp consumer, int64_t tm,
                           int64_t tn) {
      return tileAndFuseProducers(rewriter, consumer, {tm, tn});
    };
    auto find = [](const scf::SCFTileAndFuseResult &result,
                   auto predicate) -> Operation * {
      for (Operation *op : result.tiledAndFusedOps)
        if (predicate(op))
          return op;
      return nullptr;
    };
    linalg::GenericOp consumer = epilogue;
    if (cacheRows < m || cacheCols < n) {
      FailureOr<scf::SCFTileAndFuseResult> cacheTiles =
          tileAndFuse(consumer, cacheRows < m ? cacheRows : 0,
                      cacheCols < n ? cacheCols : 0);
      if (failed(cacheTiles))
        return;
      consumer =
          dyn_cast<linalg::GenericOp>(cacheTiles->tiledAndFusedOps.front());
      if (!consumer)
        return;
    }
    FailureOr<scf::SCFTileAndFuseResult> regTiles =
        tileAndFuse(consumer, rows < cacheRows ? rows : 0,
                    cols < cacheCols ? cols : 0);
    if (failed(regTiles))
      return;
    auto tileEpilogue =
        dyn_cast<linalg::GenericOp>(regTiles->tiledAndFusedOps.front());
    auto tileProduct = dyn_cast_if_present<linalg::LinalgOp>(find(
        *regTiles, [](Operation *op) { return isa<linalg::MatmulOp>(op); }));
    auto tileFill = dyn_cast_if_present<linalg::LinalgOp>(find(
        *regTiles, [](Operation *op) { return isa<linalg::FillOp>(op); }));
    if (!tileEpilogue || !tileProduct || !tileFill)
      return;
    // The reduction one step at a time, each step an outer product.
    FailureOr<linalg::LinalgOp> step =
        tileWithLoops(rewriter, tileProduct, {0, 0, 1});
    if (failed(step))
      return;
    vectorizeOp(rewriter, tileFill, {rows, cols});
    vectorizeOp(rewriter, *step, {rows, cols, 1});
    vectorizeOp(rewriter, tileEpilogue, {rows, cols});
  }

  /// A 1x1 convolution with unit strides over whole rows of pixels (the
  /// workgroup tiles of such a convolution keep its rows whole) is a
  /// matrix product of the filters' weights [f x c] by the input's pixels
  /// [c x pixels], the rows of each channel consecutive: rewritten as
  /// linalg.matmul over the collapsed tile, it takes the matmul register
  /// tile (8 filters by two vectors of pixels) instead of a tile of one
  /// row, which leaves vectors partly used where a row is 28 or 56 pixels.
  /// Returns false, leaving `conv` alone, where this does not apply: the
  /// tile's pixels are not whole pairs of vectors, or its rows are cut.
  bool tilePointwiseConv(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv,
                         ArrayRef<int64_t> ranges) {
    if (!isPointwiseTile(conv, ranges))
      return false;
    Value out = conv.getOutputs()[0];
    Location loc = conv.getLoc();
    rewriter.setInsertionPoint(conv);
    linalg::MatmulOp matmul =
        buildPixelProduct(rewriter, conv, collapseToMatrix(rewriter, loc, out));
    rewriter.replaceOp(
        conv, tensor::ExpandShapeOp::create(
                  rewriter, loc, out.getType(), matmul.getResult(0),
                  ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}}));
    linalg::LinalgOp product = matmul;
    if (std::optional<ContractionLoops> dims = getContractionLoops(product))
      tileContraction(rewriter, product, getStaticRanges(product).value(),
                      *dims);
    return true;
  }

  //===------------------------------------------------------------------===//
  // Winograd convolutions (dispatch-winograd-conv, compiler/Codegen/Winograd.h)
  //===------------------------------------------------------------------===//

  /// The zero fill that `init` is, or null.
  static linalg::FillOp getZeroFill(Value init) {
    auto fill = init.getDefiningOp<linalg::FillOp>();
    if (!fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
      return nullptr;
    return fill;
  }

  /// Whether `init` holds zeros: a zero fill, or a slice of one.
  static bool isZeroFilled(Value init) {
    while (auto slice = init.getDefiningOp<tensor::ExtractSliceOp>())
      init = slice.getSource();
    return getZeroFill(init) != nullptr;
  }

  /// The input transform (loops c, p, th, tw, i, j): for each channel and
  /// row of tiles, the four input rows of a vector of tiles are read as
  /// pairs of vectors and split into their even and odd columns (the 4x4
  /// blocks' columns j), then B^T d B takes 32 additions per 16 values.
  /// The transform overwrites the zero-filled output, whose fill is then
  /// dead.
  bool tileWinogradInput(RewriterBase &rewriter, linalg::LinalgOp op,
                         ArrayRef<int64_t> ranges) {
    FloatType elt = sharedFloatType(op);
    linalg::FillOp fill = getZeroFill(op.getDpsInits()[0]);
    if (!elt || !fill || ranges.size() != 6 || ranges[1] != 16 ||
        ranges[4] != 4 || ranges[5] != 4)
      return false;
    Value input = op.getDpsInputs()[0];
    auto inType = dyn_cast<RankedTensorType>(input.getType());
    int64_t channels = ranges[0], tileRows = ranges[2], tileCols = ranges[3];
    if (!inType || !inType.hasStaticShape() || inType.getRank() != 4 ||
        inType.getDimSize(1) != channels ||
        inType.getDimSize(2) < 2 * tileRows + 2 ||
        inType.getDimSize(3) < 2 * tileCols + 2)
      return false;
    int64_t width = inType.getDimSize(3), vec = lanes(elt);
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    auto index = [&](OpBuilder &b, int64_t i) -> Value {
      return arith::ConstantIndexOp::create(b, loc, i);
    };
    Value zero = arith::ConstantOp::create(rewriter, loc, elt,
                                           rewriter.getZeroAttr(elt));
    SmallVector<Value> lbs(2, index(rewriter, 0)), steps(2, index(rewriter, 1));
    SmallVector<Value> ubs = {index(rewriter, channels),
                              index(rewriter, tileRows)};
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{fill.getOutputs()[0]},
        [&](OpBuilder &b, Location, ValueRange ivs,
            ValueRange args) -> scf::ValueVector {
          Value c = ivs[0], th = ivs[1], out = args.front();
          Value top = arith::MulIOp::create(b, loc, th, index(b, 2));
          auto add = [&](Value x, Value y) -> Value {
            return arith::AddFOp::create(b, loc, x, y);
          };
          auto sub = [&](Value x, Value y) -> Value {
            return arith::SubFOp::create(b, loc, x, y);
          };
          for (int64_t tw = 0; tw < tileCols; tw += vec) {
            int64_t count = std::min(vec, tileCols - tw);
            // d[i][j]: the blocks' element (i, j), a vector of tiles.
            Value d[4][4];
            for (int64_t i = 0; i < 4; ++i) {
              Value row = arith::AddIOp::create(b, loc, top, index(b, i));
              for (int64_t j : {0, 2})
                std::tie(d[i][j], d[i][j + 1]) =
                    readEvenOdd(b, loc, input, {index(b, 0), c, row},
                                2 * tw + j, width, vec, zero);
            }
            // B^T d: rows r of the transform.
            Value t[4][4];
            for (int64_t j = 0; j < 4; ++j) {
              t[0][j] = sub(d[0][j], d[2][j]);
              t[1][j] = add(d[1][j], d[2][j]);
              t[2][j] = sub(d[2][j], d[1][j]);
              t[3][j] = sub(d[1][j], d[3][j]);
            }
            // (B^T d) B: columns s.
            for (int64_t r = 0; r < 4; ++r) {
              Value v[4] = {sub(t[r][0], t[r][2]), add(t[r][1], t[r][2]),
                            sub(t[r][2], t[r][1]), sub(t[r][1], t[r][3])};
              for (int64_t s = 0; s < 4; ++s)
                out = writeAlongRow(b, loc, v[s], out,
                                    {c, index(b, 4 * r + s), th, index(b, tw)},
                                    count);
            }
          }
          return {out};
        });
    rewriter.replaceOp(op, nest.results.front());
    return true;
  }

  /// The 16 products (loops p, th, tw, k, c): register tiles of up to 8
  /// tiles along a row by a panel of filters (two vectors), over all the
  /// channels, the panel's transformed weights read in place. Where the
  /// output is zero-filled, the accumulators start from zero.
  bool tileWinogradProduct(RewriterBase &rewriter, linalg::LinalgOp op,
                           ArrayRef<int64_t> ranges) {
    FloatType elt = sharedFloatType(op);
    if (!elt || ranges.size() != 5)
      return false;
    int64_t vec = lanes(elt), cols = 2 * vec;
    auto weights = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    if (ranges[3] % cols != 0 || !weights || weights.getRank() != 4 ||
        weights.getDimSize(3) != cols)
      return false;
    int64_t rows = largestDivisor(ranges[2], 8);
    // Rows of at most 4 blocks (resnet18's layer 4: 4 x 4 blocks) take
    // several rows of blocks per register tile, so that it holds 8 blocks.
    int64_t blockRows =
        rows == ranges[2] && rows <= 4 ? largestDivisor(ranges[1], 8 / rows) : 1;
    bool zeroInit = isZeroFilled(op.getDpsInits()[0]);
    // Every tile overwrites its part of a zero-filled output: the fill
    // itself is dead.
    if (linalg::FillOp fill = getZeroFill(op.getDpsInits()[0]))
      op.getDpsInitsMutable()[0].set(fill.getOutputs()[0]);
    // Loops p, then the filter panels, then the tiles: a panel's weights
    // (channels x cols) serve every tile of the image.
    FailureOr<linalg::LinalgOp> tiled = tileWithLoops(
        rewriter, op, {1, blockRows, rows, cols, 0}, {0, 3, 1, 2, 4});
    if (failed(tiled))
      return true;
    Location loc = op.getLoc();
    if (zeroInit) {
      // Zeros written over the tile's own slice of the output (a fresh
      // tensor would be a buffer of its own, copied into the output element
      // by element: a quarter of the time of resnet18's first layer).
      rewriter.setInsertionPoint(*tiled);
      Value zero = arith::ConstantOp::create(rewriter, loc, elt,
                                             rewriter.getZeroAttr(elt));
      auto fill = linalg::FillOp::create(rewriter, loc, zero,
                                         tiled->getDpsInits()[0]);
      tiled->getDpsInitsMutable()[0].set(fill.getResult(0));
      vectorizeOp(rewriter, cast<linalg::LinalgOp>(fill.getOperation()), {});
    }
    FailureOr<linalg::LinalgOp> inner =
        tileWithLoops(rewriter, *tiled, {0, 0, 0, 0, 1});
    if (failed(inner) || inner->hasDynamicShape())
      return true;
    linalg::LinalgOp tile = *inner;
    rewriter.setInsertionPoint(tile);
    Value row = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, cols}, elt),
        dropUnitDims(rewriter, loc, tile.getDpsInputs()[1]),
        ArrayRef<ReassociationIndices>{{0, 1}});
    auto column = RankedTensorType::get({rows, 1}, elt);
    // One matmul of a row of blocks by the weights' row per row of blocks,
    // each into its own slice of the accumulators (the weights' row read
    // once).
    Value init = tile.getDpsInits()[0];
    Value blocks = tile.getDpsInputs()[0];
    SmallVector<linalg::MatmulOp> matmuls;
    auto ones = SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1));
    for (int64_t g = 0; g < blockRows; ++g) {
      // The row of blocks g: [1, 1, 1, rows] of [c, p, th, tw].
      Value pixels = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({rows}, elt), blocks,
          getAsIndexOpFoldResult(rewriter.getContext(), {0, 0, g, 0}),
          getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, rows}),
          ones);
      pixels = tensor::ExpandShapeOp::create(
          rewriter, loc, column, pixels,
          rows > 1 ? ArrayRef<ReassociationIndices>{{0, 1}}
                   : ArrayRef<ReassociationIndices>{});
      SmallVector<OpFoldResult> at =
          getAsIndexOpFoldResult(rewriter.getContext(), {0, g, 0, 0});
      SmallVector<OpFoldResult> sizes =
          getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, rows, cols});
      auto accType = RankedTensorType::get({rows, cols}, elt);
      Value acc = tensor::ExtractSliceOp::create(rewriter, loc, accType, init,
                                                 at, sizes, ones);
      auto matmul = linalg::MatmulOp::create(rewriter, loc,
                                             TypeRange{accType},
                                             ValueRange{pixels, row},
                                             ValueRange{acc});
      matmuls.push_back(matmul);
      init = tensor::InsertSliceOp::create(rewriter, loc, matmul.getResult(0),
                                           init, at, sizes, ones);
    }
    rewriter.replaceOp(tile, init);
    for (linalg::MatmulOp matmul : matmuls)
      vectorizeOp(rewriter, matmul, {});
    return true;
  }

  /// `rows` (n vectors of n lanes, n a power of two) transposed: lane l of
  /// result i is lane i of rows[l]. Each of log2(n) stages swaps the
  /// off-diagonal blocks of pairs of rows with two-source shuffles (one
  /// instruction each on AVX-512), which canonicalization leaves as they
  /// are (a transpose of a vector built by inserts it scalarizes).
  static SmallVector<Value> transposeSquare(OpBuilder &b, Location loc,
                                            ArrayRef<Value> rows) {
    SmallVector<Value> r(rows);
    int64_t n = r.size();
    for (int64_t half = n / 2; half >= 1; half /= 2) {
      SmallVector<int64_t> low, high;
      for (int64_t l = 0; l < n; ++l) {
        bool upper = (l & half) != 0;
        low.push_back(upper ? n + l - half : l);
        high.push_back(upper ? n + l : l + half);
      }
      for (int64_t i = 0; i < n; ++i) {
        if (i & half)
          continue;
        Value a = r[i], c = r[i + half];
        r[i] = vector::ShuffleOp::create(b, loc, a, c, low);
        r[i + half] = vector::ShuffleOp::create(b, loc, a, c, high);
      }
    }
    return r;
  }

  /// The output transform (loops n, k, y, x, p): for each vector of
  /// filters and row of 2x2 blocks, A^T m A of up to vec / 2 blocks (24
  /// additions each, the filters along the lanes), then each of the
  /// blocks' two output rows transposed in a vec x vec block into a row of
  /// pixels. An output that is not a zero fill is added to.
  bool tileWinogradOutput(RewriterBase &rewriter, linalg::LinalgOp op,
                          ArrayRef<int64_t> ranges) {
    FloatType elt = sharedFloatType(op);
    if (!elt || ranges.size() != 5 || ranges[0] != 1 || ranges[4] != 16)
      return false;
    int64_t vec = lanes(elt), filters = ranges[1], height = ranges[2],
            width = ranges[3];
    int64_t blockRows = (height + 1) / 2, blockCols = (width + 1) / 2;
    // Blocks per transpose: vec / 2, two pixels each.
    int64_t perTranspose = vec / 2;
    if (filters % vec != 0 || perTranspose < 1 || !llvm::isPowerOf2_64(vec))
      return false;
    Value products = op.getDpsInputs()[0];
    auto productType = dyn_cast<RankedTensorType>(products.getType());
    if (!productType ||
        productType.getShape() !=
            ArrayRef<int64_t>{16, blockRows, blockCols, filters})
      return false;
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value init = op.getDpsInits()[0];
    linalg::FillOp fill = getZeroFill(init);
    auto index = [&](OpBuilder &b, int64_t i) -> Value {
      return arith::ConstantIndexOp::create(b, loc, i);
    };
    auto vectorType = VectorType::get({vec}, elt);
    Value zero = arith::ConstantOp::create(rewriter, loc, elt,
                                           rewriter.getZeroAttr(elt));
    // The rows of blocks whole in the output, then (for an odd height)
    // the last one's first row.
    auto transformRows = [&](OpBuilder &b, Value k, Value blockRow,
                             int64_t outputRows, Value result) -> Value {
      auto add = [&](Value x, Value y) -> Value {
        return arith::AddFOp::create(b, loc, x, y);
      };
      auto sub = [&](Value x, Value y) -> Value {
        return arith::SubFOp::create(b, loc, x, y);
      };
      Value zeroVector = vector::BroadcastOp::create(b, loc, vectorType, zero);
      Value top = arith::MulIOp::create(b, loc, blockRow, index(b, 2));
      for (int64_t col0 = 0; col0 < blockCols; col0 += perTranspose) {
        int64_t count = std::min(perTranspose, blockCols - col0);
        int64_t pixels = std::min(2 * count, width - 2 * col0);
        // rows[i][x]: output row i of the blocks, pixel x, the filters
        // along the lanes.
        SmallVector<Value> rows[2];
        for (int64_t i = 0; i < 2; ++i)
          rows[i].assign(vec, zeroVector);
        for (int64_t l = 0; l < count; ++l) {
          Value m[16];
          for (int64_t p = 0; p < 16; ++p)
            m[p] = readAlongRow(b, loc, products,
                                {index(b, p), blockRow, index(b, col0 + l), k},
                                vec, vec);
          for (int64_t i = 0; i < outputRows; ++i) {
            Value a[4];
            for (int64_t s = 0; s < 4; ++s)
              a[s] = i == 0 ? add(add(m[s], m[4 + s]), m[8 + s])
                            : sub(sub(m[4 + s], m[8 + s]), m[12 + s]);
            rows[i][2 * l] = add(add(a[0], a[1]), a[2]);
            rows[i][2 * l + 1] = sub(sub(a[1], a[2]), a[3]);
          }
        }
        for (int64_t i = 0; i < outputRows; ++i) {
          SmallVector<Value> byFilter = transposeSquare(b, loc, rows[i]);
          Value row = arith::AddIOp::create(b, loc, top, index(b, i));
          for (int64_t f = 0; f < vec; ++f) {
            Value values = byFilter[f];
            Value filter = arith::AddIOp::create(b, loc, k, index(b, f));
            SmallVector<Value> at = {index(b, 0), filter, row,
                                     index(b, 2 * col0)};
            if (!fill)
              values = add(values,
                           readAlongRow(b, loc, result, at, vec, pixels));
            result = writeAlongRow(b, loc, values, result, at, pixels);
          }
        }
      }
      return result;
    };
    Value out = fill ? fill.getOutputs()[0] : init;
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, {index(rewriter, 0), index(rewriter, 0)},
        {index(rewriter, filters), index(rewriter, height / 2)},
        {index(rewriter, vec), index(rewriter, 1)}, ValueRange{out},
        [&](OpBuilder &b, Location, ValueRange ivs,
            ValueRange args) -> scf::ValueVector {
          return {transformRows(b, ivs[0], ivs[1], 2, args.front())};
        });
    Value result = nest.results.front();
    if (height % 2 != 0) {
      scf::LoopNest last = scf::buildLoopNest(
          rewriter, loc, {index(rewriter, 0)}, {index(rewriter, filters)},
          {index(rewriter, vec)}, ValueRange{result},
          [&](OpBuilder &b, Location, ValueRange ivs,
              ValueRange args) -> scf::ValueVector {
            return {transformRows(b, ivs[0], index(b, blockRows - 1), 1,
                                  args.front())};
          });
      result = last.results.front();
    }
    rewriter.replaceOp(op, result);
    return true;
  }



  /// Full convolutions whose rows of output pixels are not whole vectors
  /// (7, 14, 28 or 56 pixels) get a register tile along the filters
  /// instead: up to 8 output pixels of a row by two vectors of filters,
  /// each step of the reduction an outer product of broadcast input pixels
  /// and 32 consecutive filters' weights. Each panel of 32 filters has its
  /// weights copied filters innermost
  /// (`packed[c, kh, kw, j] = w[32 p + j, c, kh, kw]`) before its rows are
  /// computed, so that the register tile reads one stream of 128-byte
  /// pieces; the output is accumulated in the same layout and transposed
  /// back once. Returns false, leaving `conv` alone, where this does not
  /// apply (the filters are not whole panels, or a row is whole vectors).
  ///
  /// A packed convolution (`packed`, compiler/Codegen/PackedWeights.h) has
  /// its weights in such panels already, packed at compile time: the
  /// kernel reads them in place, when its panels are the register tile's.
  bool tileConvAlongFilters(RewriterBase &rewriter, linalg::LinalgOp conv,
                            ArrayRef<int64_t> ranges,
                            std::optional<PackedConv> packed = std::nullopt) {
    Type elt = getElementTypeOrSelf(conv->getResult(0).getType());
    int64_t vec = lanes(elt);
    int64_t cols = 2 * vec;
    if (packed && packed->panel != cols)
      return false;
    // Loops: n, f, oh, ow, c, kh, kw. Strided rows of whole vectors run
    // here too: the row tile would gather every stride-th input pixel into
    // its vectors, where this tile broadcasts them one at a time.
    int64_t strideW =
        packed ? packed->strides[1]
               : cast<linalg::Conv2DNchwFchwOp>(*conv)
                     .getStrides()
                     .getValues<int64_t>()[1];
    if (!isa<FloatType>(elt) || ranges[0] != 1 || ranges[1] % cols != 0 ||
        (ranges[3] % vec == 0 && strideW == 1) ||
        llvm::any_of(conv->getOperandTypes(), [&](Type t) {
          return getElementTypeOrSelf(t) != elt;
        }))
      return false;
    int64_t panels = ranges[1] / cols, oh = ranges[2], ow = ranges[3];
    int64_t c = ranges[4], kh = ranges[5], kw = ranges[6];
    // A short reduction does not pay for the output's two transposes.
    if (c * kh * kw < 64)
      return false;
    // Pixels per register tile: up to 8, dividing the row.
    int64_t pixels = 1;
    for (int64_t d = std::min<int64_t>(ow, 8); d > 1 && pixels == 1; --d)
      if (ow % d == 0)
        pixels = d;
    Location loc = conv.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    rewriter.setInsertionPoint(conv);
    Value weights = conv.getDpsInputs()[1], out = conv.getDpsInits()[0];
    // The copies are vectorized once their results are in use.
    SmallVector<linalg::LinalgOp> copies;
    auto transpose = [&](Value v, ArrayRef<int64_t> perm, Value dest) {
      auto op = linalg::TransposeOp::create(rewriter, loc, v, dest, perm);
      copies.push_back(op);
      return op->getResult(0);
    };
    // The weights, filters split into panels: [panels, cols, c, kh, kw]
    // (or, packed, [panels, c, kh, kw, cols]).
    Value weightPanels =
        packed ? weights
               : Value(tensor::ExpandShapeOp::create(
                     rewriter, loc,
                     RankedTensorType::get({panels, cols, c, kh, kw}, elt),
                     weights,
                     ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}}));
    // The output, filters split into panels: [1, panels, cols, oh, ow].
    // Where the convolution starts from a fill, the accumulators start
    // from the fill's value, and the output is only written, at the end:
    // reading the filled output back into the accumulators' layout
    // gathered every element from a different channel plane.
    auto fill = out.getDefiningOp<linalg::FillOp>();
    Value outByPanel = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, panels, cols, oh, ow}, elt),
        fill ? fill.getOutputs()[0] : out,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    Value accEmpty =
        tensor::EmptyOp::create(rewriter, loc, {1, panels, oh, ow, cols}, elt);
    Value accInit;
    if (fill) {
      auto accFill = linalg::FillOp::create(rewriter, loc,
                                            fill.getInputs()[0], accEmpty);
      copies.push_back(cast<linalg::LinalgOp>(accFill.getOperation()));
      accInit = accFill->getResult(0);
    } else {
      accInit = transpose(outByPanel, {0, 1, 3, 4, 2}, accEmpty);
    }

    // Loops n, p, oh, ow, j, c, kh, kw.
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<int64_t> strides, dilations;
    if (packed) {
      strides.assign(packed->strides.begin(), packed->strides.end());
      dilations.assign(packed->dilations.begin(), packed->dilations.end());
    } else {
      auto named = cast<linalg::Conv2DNchwFchwOp>(*conv);
      strides.assign(named.getStrides().getValues<int64_t>().begin(),
                     named.getStrides().getValues<int64_t>().end());
      dilations.assign(named.getDilations().getValues<int64_t>().begin(),
                       named.getDilations().getValues<int64_t>().end());
    }
    AffineMap packedMap =
        AffineMap::get(8, 0, {d(1), d(5), d(6), d(7), d(4)}, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(8, 0,
                       {d(0), d(5), d(2) * strides[0] + d(6) * dilations[0],
                        d(3) * strides[1] + d(7) * dilations[1]},
                       ctx),
        packed ? packedMap
               : AffineMap::get(8, 0, {d(1), d(4), d(5), d(6), d(7)}, ctx),
        AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
    SmallVector<utils::IteratorType> iterators(5,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accInit.getType(),
        ValueRange{conv.getDpsInputs()[0], weightPanels}, ValueRange{accInit},
        maps, iterators);
    IRMapping mapping;
    rewriter.cloneRegionBefore(conv->getRegion(0), generic.getRegion(),
                               generic.getRegion().end(), mapping);
    Value result =
        hasWholeRows(fill ? fill.getOutputs()[0] : out, ow)
            ? transposeToPlanes(rewriter, loc, generic.getResult(0),
                                outByPanel, vec)
            : transpose(generic.getResult(0), {0, 1, 4, 2, 3}, outByPanel);
    rewriter.replaceOp(conv, tensor::CollapseShapeOp::create(
                                 rewriter, loc, out.getType(), result,
                                 ArrayRef<ReassociationIndices>{
                                     {0}, {1, 2}, {3}, {4}}));
    for (linalg::LinalgOp copy : copies)
      tileElementwise(rewriter, copy, getStaticRanges(copy).value());

    // One panel of filters at a time, its weights packed in the loop
    // (unless packed at compile time): the packed panel (cols x c x kh x
    // kw) stays in L2 while every row of pixels reads it.
    FailureOr<linalg::LinalgOp> panelLoop = tileWithLoops(
        rewriter, generic, {0, panels > 1 ? 1 : 0, 0, 0, 0, 0, 0, 0});
    auto panel = dyn_cast_if_present<linalg::GenericOp>(
        succeeded(panelLoop) ? panelLoop->getOperation() : nullptr);
    if (!panel)
      return true;
    if (!packed &&
        failed(packPanel(rewriter, panel, c * kh * kw, packedMap, vec)))
      return true;

    // One panel, one row of pixels, one step of the reduction per tile.
    FailureOr<linalg::LinalgOp> tiled =
        tileWithLoops(rewriter, panel, {0, 0, 1, pixels, 0, 1, 1, 1});
    if (failed(tiled) || tiled->hasDynamicShape())
      return true;
    linalg::LinalgOp tile = *tiled;
    rewriter.setInsertionPoint(tile);
    // The tile's pixels, every stride-th input element, as a column; its
    // weights as a row; the accumulators as a rank-reducing slice of the
    // output tile, which loop-invariant subset hoisting keeps in registers.
    Value input = dropUnitDims(rewriter, loc, tile.getDpsInputs()[0]);
    if (cast<RankedTensorType>(input.getType()).getRank() != 1 && pixels > 1)
      return true;
    if (pixels > 1 && strides[1] != 1)
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({pixels}, elt), input,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(pixels)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(strides[1])});
    auto column = RankedTensorType::get({pixels, 1}, elt);
    input = pixels > 1
                ? Value(tensor::ExpandShapeOp::create(
                      rewriter, loc, column, input,
                      ArrayRef<ReassociationIndices>{{0, 1}}))
                : Value(tensor::ExpandShapeOp::create(
                      rewriter, loc, column, input,
                      ArrayRef<ReassociationIndices>{}));
    Value row = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, cols}, elt),
        dropUnitDims(rewriter, loc, tile.getDpsInputs()[1]),
        ArrayRef<ReassociationIndices>{{0, 1}});
    replaceByRegisterTile(rewriter, tile, input, row);
    return true;
  }

  /// Whether `out`'s rows of `width` pixels follow one another in memory:
  /// it is a new tensor, or a slice of whole rows of the workgroup's or the
  /// kernel's output.
  static bool hasWholeRows(Value out, int64_t width) {
    while (auto slice = out.getDefiningOp<tensor::ExtractSliceOp>()) {
      auto source = cast<RankedTensorType>(slice.getSourceType());
      if (source.getRank() != 4 || source.getDimSize(3) != width ||
          !slice.hasUnitStride())
        return false;
      out = slice.getSource();
    }
    if (auto argument = dyn_cast<BlockArgument>(out))
      return isa<scf::ForallOp, func::FuncOp>(
          argument.getOwner()->getParentOp());
    return out.getDefiningOp<tensor::EmptyOp>() != nullptr;
  }

  /// Writes a convolution's accumulators, `acc` ([1, panels, oh, ow, cols],
  /// filters innermost), into `dest` ([1, panels, cols, oh, ow]), whose
  /// oh x ow pixels follow one another: each panel is a matrix of pixels
  /// by filters transposed in vec x vec blocks (register shuffles), the
  /// pixels that do not fill a block element by element. Transposed a row
  /// of pixels at a time, a row of 7 or 14 gathered every element.
  Value transposeToPlanes(RewriterBase &rewriter, Location loc, Value acc,
                          Value dest, int64_t vec) {
    auto accType = cast<RankedTensorType>(acc.getType());
    Type elt = accType.getElementType();
    int64_t panels = accType.getDimSize(1), cols = accType.getDimSize(4);
    int64_t pixels = accType.getDimSize(2) * accType.getDimSize(3);
    int64_t whole = pixels / vec * vec;
    Value accFlat = tensor::CollapseShapeOp::create(
        rewriter, loc, acc,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
    Value planes = tensor::CollapseShapeOp::create(
        rewriter, loc, dest,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    auto index = [&](int64_t i) -> OpFoldResult {
      return rewriter.getIndexAttr(i);
    };
    SmallVector<OpFoldResult> ones(4, index(1));
    for (auto [start, count] : {std::pair(int64_t(0), whole),
                                std::pair(whole, pixels - whole)}) {
      if (count == 0)
        continue;
      SmallVector<OpFoldResult> sourceOffsets = {index(0), index(0),
                                                 index(start), index(0)},
                                sourceSizes = {index(1), index(panels),
                                               index(count), index(cols)},
                                destOffsets = {index(0), index(0), index(0),
                                               index(start)},
                                destSizes = {index(1), index(panels),
                                             index(cols), index(count)};
      Value source = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({1, panels, count, cols}, elt),
          accFlat, sourceOffsets, sourceSizes, ones);
      Value into = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({1, panels, cols, count}, elt),
          planes, destOffsets, destSizes, ones);
      auto op = linalg::TransposeOp::create(rewriter, loc, source, into,
                                            ArrayRef<int64_t>{0, 1, 3, 2});
      planes = tensor::InsertSliceOp::create(rewriter, loc, op->getResult(0),
                                             planes, destOffsets, destSizes,
                                             ones);
      transposeInBlocks(rewriter, cast<linalg::LinalgOp>(op.getOperation()),
                        vec);
      rewriter.setInsertionPointAfter(planes.getDefiningOp());
    }
    return tensor::ExpandShapeOp::create(
        rewriter, loc, dest.getType(), planes,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  }

  /// Makes one panel of a convolution along the filters (`panel`, loops
  /// n, p, oh, ow, j, c, kh, kw, its weights [1, cols, c, kh, kw]) read a
  /// copy of its weights packed filters innermost, [1, c, kh, kw, cols],
  /// through `packedMap`. The copy is transposed in vec x vec blocks, which
  /// the vector lowering turns into register shuffles.
  LogicalResult packPanel(RewriterBase &rewriter, linalg::GenericOp panel,
                          int64_t depth, AffineMap packedMap, int64_t vec) {
    OpOperand *panelWeights = panel.getDpsInputOperand(1);
    auto type = dyn_cast<RankedTensorType>(panelWeights->get().getType());
    if (!type || type.getRank() != 5 || !type.hasStaticShape())
      return failure();
    Type elt = type.getElementType();
    int64_t cols = type.getDimSize(1), c = type.getDimSize(2),
            kh = type.getDimSize(3), kw = type.getDimSize(4);
    Location loc = panel.getLoc();
    rewriter.setInsertionPoint(panel);
    Value flat = tensor::CollapseShapeOp::create(
        rewriter, loc, panelWeights->get(),
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3, 4}});
    auto packOp = linalg::TransposeOp::create(
        rewriter, loc, flat,
        tensor::EmptyOp::create(rewriter, loc, {1, depth, cols}, elt),
        ArrayRef<int64_t>{0, 2, 1});
    Value packed = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({1, c, kh, kw, cols}, elt),
        packOp->getResult(0),
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4}});
    rewriter.modifyOpInPlace(panel, [&] {
      panelWeights->set(packed);
      SmallVector<AffineMap> panelMaps = panel.getIndexingMapsArray();
      panelMaps[1] = packedMap;
      panel.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(panelMaps));
    });
    transposeInBlocks(rewriter, cast<linalg::LinalgOp>(packOp.getOperation()),
                      vec);
    return success();
  }

  /// Tiles `transpose` (a linalg.transpose of its two innermost dimensions,
  /// static) into vec x vec blocks of its two innermost loops, vectorized:
  /// 16 x 16 blocks of 32-bit elements become register shuffles
  /// (kiln-cpu-lower-vectors). Where those loops are not whole blocks, it
  /// is copied element by element.
  void transposeInBlocks(RewriterBase &rewriter, linalg::LinalgOp transpose,
                         int64_t vec) {
    SmallVector<int64_t> ranges = transpose.getStaticLoopRanges();
    size_t n = ranges.size();
    if (n >= 2 && ranges[n - 1] % vec == 0 && ranges[n - 2] % vec == 0) {
      SmallVector<int64_t> block(n, 1);
      block[n - 2] = block[n - 1] = vec;
      FailureOr<linalg::LinalgOp> blocks =
          tileWithLoops(rewriter, transpose, block);
      if (succeeded(blocks))
        vectorizeOp(rewriter, *blocks, block);
    } else {
      tileElementwise(rewriter, transpose, ranges);
    }
  }

  /// Convolutions and pools (NCHW). Tiled so that each innermost tile
  /// covers one window position, one input channel and one output row:
  /// what remains is an outer product of a few filters and a row of
  /// output pixels (or an elementwise update for depthwise convolutions
  /// and pools), which becomes a linalg.generic with plain indexing and
  /// vectorizes to broadcast FMAs. The reduction loops (channels, window)
  /// stay innermost, so the output tile's accumulators stay in registers.
  void tileWindowOp(RewriterBase &rewriter, linalg::LinalgOp op,
                    ArrayRef<int64_t> ranges) {
    Type elt = getElementTypeOrSelf(op->getResult(0).getType());
    if (elt.isInteger(1))
      return;
    int64_t vec = lanes(elt);
    // The loop of output columns, and of filters for a full convolution.
    bool isConv = isa<linalg::Conv2DNchwFchwOp>(op);
    bool isDepthwise = isa<linalg::DepthwiseConv2DNchwChwOp>(op);
    unsigned owLoop = isDepthwise ? 2 : 3;
    SmallVector<int64_t> tiles(ranges.size(), 1);
    // Rows of output pixels as whole vector registers: two registers when
    // 2 * lanes divides the row, else one (possibly partial) register. Rows
    // such as 28 split as 16 + 12 make LLVM legalize every accumulator
    // badly; 14 + 14 runs at full speed.
    int64_t columns = ranges[owLoop] % (2 * vec) == 0
                          ? 2 * vec
                          : largestDivisor(ranges[owLoop], vec);
    // With one register per row, more filters keep the FMA units busy.
    int64_t filters =
        isConv ? largestDivisor(ranges[1], columns > vec ? 8 : 16) : 1;
    tiles[owLoop] = columns;
    if (isConv)
      tiles[1] = filters;
    for (size_t i = 0; i < ranges.size(); ++i)
      if (tiles[i] >= ranges[i])
        tiles[i] = 0;
    // Input channels in blocks first: a register tile walks every channel
    // of its input window, and whole channel planes apart; a few planes at
    // a time keep those pages in the TLB and the rows in cache.
    linalg::LinalgOp blocked = op;
    if (isConv && ranges[4] > 16) {
      SmallVector<int64_t> channelBlock(ranges.size(), 0);
      channelBlock[4] = largestDivisor(ranges[4], 16);
      FailureOr<linalg::LinalgOp> outer =
          tileWithLoops(rewriter, op, channelBlock);
      if (failed(outer))
        return;
      blocked = *outer;
      tiles[4] = 1;
    }
    FailureOr<linalg::LinalgOp> tiled = tileWithLoops(rewriter, blocked, tiles);
    if (failed(tiled))
      return;
    linalg::LinalgOp tile = *tiled;
    if (tile.hasDynamicShape())
      return;

    // The stride along the columns.
    auto strides = tile->getAttrOfType<DenseIntElementsAttr>("strides");
    int64_t stride = strides ? strides.getValues<int64_t>()[1] : 1;
    Location loc = tile.getLoc();
    rewriter.setInsertionPoint(tile);
    auto collapseAll = [&](Value v) { return dropUnitDims(rewriter, loc, v); };
    // The input row of the tile, every `stride`-th element.
    Value input = collapseAll(tile.getDpsInputs()[0]);
    auto inputType = cast<RankedTensorType>(input.getType());
    if (inputType.getRank() != (columns > 1 ? 1 : 0))
      return;
    Value row = input; // Every element of the row the tile reads.
    if (stride != 1 && columns > 1)
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({columns}, inputType.getElementType()),
          input, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(columns)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(stride)});
    Value weights = collapseAll(tile.getDpsInputs()[1]);
    // The accumulator tile as a rank-reducing slice of the output tile
    // (not a reshape): slices of loop-carried values are what loop-invariant
    // subset hoisting lifts out of the reduction loops, keeping the
    // accumulators in registers.
    Value init = tile.getDpsInits()[0];
    auto initType = cast<RankedTensorType>(init.getType());
    SmallVector<int64_t> accShape;
    for (int64_t d : initType.getShape())
      if (d != 1)
        accShape.push_back(d);
    auto accType = RankedTensorType::get(accShape, initType.getElementType());
    SmallVector<OpFoldResult> zeros(initType.getRank(),
                                    rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, ones(initType.getRank(),
                                          rewriter.getIndexAttr(1));
    for (int64_t d : initType.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    Value acc = tensor::ExtractSliceOp::create(rewriter, loc, accType, init,
                                               zeros, sizes, ones);
    auto putBack = [&](Value value) -> Value {
      return tensor::InsertSliceOp::create(rewriter, loc, value, init, zeros,
                                           sizes, ones);
    };

    // A convolution tile is an outer product: a contraction over a unit
    // loop k, out[f, col] += w[f, k] * x[k, col], so that it vectorizes to
    // vector.contract and lowers like a matmul register tile. Depthwise
    // convolutions and pools are elementwise over the columns.
    MLIRContext *ctx = rewriter.getContext();
    auto weightType = cast<RankedTensorType>(weights.getType());
    unsigned accRank = accType.getRank();
    if (accRank != unsigned((filters > 1 ? 1 : 0) + (columns > 1 ? 1 : 0)))
      return;
    auto dims = [&](unsigned rank, ArrayRef<unsigned> which) {
      SmallVector<AffineExpr> exprs;
      for (unsigned d : which)
        exprs.push_back(getAffineDimExpr(d, ctx));
      return AffineMap::get(rank, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps;
    SmallVector<utils::IteratorType> iterators;
    if (isConv && filters > 1 && columns > 1) {
      // The outer product as a matmul of [f x 1] by [1 x col]: it takes the
      // matmul register-tile path (vector.contract, outer products, FMAs).
      auto expand = [&](Value v, ArrayRef<int64_t> shape,
                        ArrayRef<ReassociationIndices> groups) -> Value {
        auto type = RankedTensorType::get(
            shape, cast<RankedTensorType>(v.getType()).getElementType());
        return tensor::ExpandShapeOp::create(rewriter, loc, type, v, groups);
      };
      Type wElt = cast<RankedTensorType>(weights.getType()).getElementType();
      Type xElt = cast<RankedTensorType>(input.getType()).getElementType();
      if (!isa<FloatType>(elt) || wElt != elt || xElt != elt)
        return;
      weights = expand(weights, {filters, 1}, {{0, 1}});
      // A row read with a stride of 2 as whole vectors: for each vector of
      // the row, two contiguous vectors of the input row (elements 0-15 and
      // 15-30 from its start: both whole, in bounds; a masked read of
      // 16-31 made LLVM load the even elements one by one), their even
      // lanes picked by one shuffle; written to a tile the matmul's read of
      // it folds into. Read as a slice with a stride of 2, the row was
      // gathered element by element (16 inserts per 16 FMAs in
      // mobilenet_v2's first convolution).
      auto rowType = cast<RankedTensorType>(row.getType());
      if (stride == 2 && columns % vec == 0 && columns <= 2 * vec &&
          rowType.getRank() == 1 && rowType.hasStaticShape() &&
          rowType.getDimSize(0) == 2 * columns - 1) {
        SmallVector<int64_t> picked;
        for (int64_t l = 0; l < vec; ++l)
          picked.push_back(2 * l < vec ? 2 * l : 2 * l + 1);
        SmallVector<Value> evens;
        for (int64_t from = 0; from < 2 * columns; from += 2 * vec) {
          Value lowAt = arith::ConstantIndexOp::create(rewriter, loc, from);
          Value highAt =
              arith::ConstantIndexOp::create(rewriter, loc, from + vec - 1);
          Value low = readAlongRow(rewriter, loc, row, ValueRange{lowAt}, vec,
                                   vec);
          Value high = readAlongRow(rewriter, loc, row, ValueRange{highAt},
                                    vec, vec);
          evens.push_back(
              vector::ShuffleOp::create(rewriter, loc, low, high, picked));
        }
        Value even = evens.front();
        if (evens.size() == 2)
          even = vector::ShuffleOp::create(
              rewriter, loc, evens[0], evens[1],
              llvm::to_vector(llvm::seq<int64_t>(0, 2 * vec)));
        auto rowVector = VectorType::get({1, columns}, elt);
        Value shaped =
            vector::ShapeCastOp::create(rewriter, loc, rowVector, even);
        Value empty = tensor::EmptyOp::create(rewriter, loc, {1, columns}, elt);
        Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Operation *stridedSlice = input.getDefiningOp();
        input = vector::TransferWriteOp::create(
                    rewriter, loc, shaped, empty, ValueRange{zero, zero},
                    ArrayRef<bool>{true, true})
                    ->getResult(0);
        if (stridedSlice && stridedSlice->use_empty())
          rewriter.eraseOp(stridedSlice);
      } else {
        input = expand(input, {1, columns}, {{0, 1}});
      }
      auto matmul = linalg::MatmulOp::create(
          rewriter, loc, TypeRange{accType}, ValueRange{weights, input},
          ValueRange{acc});
      rewriter.replaceOp(tile, putBack(matmul.getResult(0)));
      vectorizeOp(rewriter, matmul, {});
      return;
    } else {
      unsigned columnDim = accRank == 2 ? 1 : 0;
      AffineMap inputMap = columns > 1 ? dims(accRank, {columnDim})
                                       : dims(accRank, {});
      AffineMap weightMap;
      if (isConv && filters > 1)
        weightMap = dims(accRank, {0});
      else if (weightType.getRank() == 0)
        weightMap = dims(accRank, {});
      else
        return;
      maps = {inputMap, weightMap,
              AffineMap::getMultiDimIdentityMap(accRank, ctx)};
      iterators.assign(accRank, utils::IteratorType::parallel);
    }
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, ValueRange{input, weights}, ValueRange{acc},
        maps, iterators);
    // The scalar body is the named op's own.
    IRMapping mapping;
    rewriter.cloneRegionBefore(tile->getRegion(0), generic.getRegion(),
                               generic.getRegion().end(), mapping);
    // A multiply feeding an add may fuse into one FMA.
    generic.getRegion().walk([](Operation *inner) {
      if (isa<arith::MulFOp, arith::AddFOp>(inner))
        inner->setAttr("fastmath", arith::FastMathFlagsAttr::get(
                                       inner->getContext(),
                                       arith::FastMathFlags::contract));
    });
    rewriter.replaceOp(tile, putBack(generic.getResult(0)));
    vectorizeOp(rewriter, generic, {});
  }

  /// A matrix-vector product (one parallel loop longer than 1, one
  /// reduction loop innermost, along which every operand that it indexes
  /// is contiguous): a classifier on one row, possibly with a global
  /// average pool's division in its body. The matmul tiles would read the
  /// matrix across its rows, and whole-row vectors reduce element by
  /// element. Instead, up to 8 rows at a time are multiplied in vector-wide
  /// pieces of the reduction into as many vector accumulators, which are
  /// summed across their lanes once, after the loop (upstream's partial
  /// reduction tiling). Returns false, leaving `op` alone, where this does
  /// not apply.
  bool tileMatrixVector(RewriterBase &rewriter, linalg::LinalgOp op,
                        ArrayRef<int64_t> ranges) {
    if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1 ||
        ranges.size() < 2)
      return false;
    unsigned k = ranges.size() - 1;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    Type elt = getElementTypeOrSelf(op->getResult(0).getType());
    int64_t vec = lanes(elt);
    if (iterators[k] != utils::IteratorType::reduction || !isa<FloatType>(elt) ||
        ranges[k] % vec != 0 || ranges[k] < 4 * vec)
      return false;
    // The one parallel loop longer than 1: the matrix's rows.
    std::optional<unsigned> n;
    for (unsigned i = 0; i < k; ++i) {
      if (ranges[i] == 1)
        continue;
      if (n)
        return false;
      n = i;
    }
    if (!n)
      return false;
    // The reduction loop is each operand's innermost dimension, and only
    // there; a matrix operand runs along the rows and the reduction.
    bool matrix = false;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (!map.isProjectedPermutation())
        return false;
      for (unsigned r = 0; r < map.getNumResults(); ++r)
        if (map.getDimPosition(r) == k && r + 1 != map.getNumResults())
          return false;
      if (map.getNumResults() >= 2 &&
          map.getDimPosition(map.getNumResults() - 1) == k &&
          map.getDimPosition(map.getNumResults() - 2) == *n)
        matrix = true;
    }
    if (!matrix)
      return false;
    // One combiner with a neutral element (add, max...): what the partial
    // reduction tiling can start its accumulators from.
    SmallVector<Operation *, 4> combiners;
    if (!isa<PartialReductionOpInterface>(op.getOperation()) ||
        !matchReduction(op.getRegionOutputArgs(), 0, combiners) ||
        combiners.size() != 1 || !arith::getNeutralElement(combiners[0]))
      return false;

    int64_t rows = 1;
    for (int64_t d = std::min<int64_t>(ranges[*n], 8); d > 1 && rows == 1; --d)
      if (ranges[*n] % d == 0)
        rows = d;
    SmallVector<int64_t> tiles(ranges.size(), 0);
    tiles[*n] = rows < ranges[*n] ? rows : 0;
    FailureOr<linalg::LinalgOp> tiled = tileWithLoops(rewriter, op, tiles);
    if (failed(tiled))
      return false;
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
    options.setReductionTilingStrategy(
        ReductionTilingStrategy::PartialReductionOuterReduction);
    options.setReductionDims({k});
    SmallVector<int64_t> pieces(ranges.size(), 0);
    pieces[k] = vec;
    options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), pieces));
    rewriter.setInsertionPoint(*tiled);
    FailureOr<scf::SCFTilingResult> split = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(tiled->getOperation()), options);
    if (failed(split)) {
      tileElementwise(rewriter, *tiled, getStaticRanges(*tiled).value());
      return true;
    }
    rewriter.replaceOp(*tiled, split->replacements);
    SmallVector<Operation *> rest(split->tiledOps);
    llvm::append_range(rest, split->mergeOps);
    for (Value init : split->initialValues)
      if (Operation *def = init.getDefiningOp())
        rest.push_back(def);
    for (Operation *piece : rest)
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(piece))
        if (std::optional<SmallVector<int64_t>> shape =
                getStaticRanges(linalgOp))
          vectorizeOp(rewriter, linalgOp, *shape);
    return true;
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
