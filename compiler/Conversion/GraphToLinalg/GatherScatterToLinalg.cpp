//===- GatherScatterToLinalg.cpp - Lowering indexed reads and writes ------===//
//
// Gathers are linalg.generic ops over the result: the index tensor enters
// as an input (or is read with tensor.extract), the body turns it into a
// position in the data and reads it with tensor.extract. Constant gathers
// of a contiguous run of indices are plain slices. Scatters are inherently
// ordered (with repeated indices the last write, or every reduction, must
// happen in ONNX order): a copy of the data updated element by element in
// an scf.for nest. ReverseSequence and OneHot are gathers as well.
//
// Indices outside the data are undefined in ONNX; reads and writes clamp
// them so that a bad model cannot touch memory outside its tensors.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/TensorLowering.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Builds the element at loop position `ivs` from the inputs' elements.
using IndexedBodyBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange ivs, ValueRange args)>;

/// An all-parallel linalg.generic writing a fresh tensor of `type`, with
/// `inputs` read through `maps`; the body sees the loop indices too.
Value createGeneric(OpBuilder &b, Location loc, RankedTensorType type,
                    ValueRange inputs, ArrayRef<AffineMap> maps,
                    IndexedBodyBuilder body) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> allMaps(maps.begin(), maps.end());
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = createEmptyTensor(b, loc, type);
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, allMaps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               SmallVector<Value> ivs;
               for (int64_t d = 0; d < rank; ++d)
                 ivs.push_back(linalg::IndexOp::create(nb, nl, d));
               Value v = body(nb, nl, ivs, args.drop_back());
               linalg::YieldOp::create(nb, nl, v);
             })
      .getResult(0);
}

/// A map from `numLoops` loops to the loops `dims`.
AffineMap selectDims(MLIRContext *ctx, int64_t numLoops,
                     ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(numLoops, 0, exprs, ctx);
}

/// An index read from an index tensor as a position along a dimension of
/// size `dim`: negative values count from the back, then it is clamped.
Value toPosition(OpBuilder &b, Location loc, Value index, int64_t dim) {
  if (!index.getType().isIndex())
    index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value size = arith::ConstantIndexOp::create(b, loc, dim);
  Value wrapped = wrapNegativeIndex(b, loc, index, size);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value last =
      arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(dim - 1, 0));
  Value low = arith::MaxSIOp::create(b, loc, wrapped, zero);
  return arith::MinSIOp::create(b, loc, low, last);
}

/// The converted static result type of `op`'s first result.
FailureOr<RankedTensorType> staticResult(ConversionPatternRewriter &rewriter,
                                         Operation *op, unsigned i = 0) {
  auto type = toSignless(cast<RankedTensorType>(op->getResult(i).getType()));
  if (failed(requireStaticShape(rewriter, op, type)))
    return failure();
  return type;
}

/// Fails unless every value in `values` is statically shaped.
LogicalResult requireStatic(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange values) {
  for (Value v : values)
    if (failed(requireStaticShape(rewriter, op, v.getType())))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Gather, GatherElements, GatherND
//===----------------------------------------------------------------------===//

struct GatherLowering : OpConversionPattern<graph::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (failed(type) || failed(requireStatic(rewriter, op, {data, indices})))
      return failure();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t rank = dataType.getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    int64_t q = indicesType.getRank();
    int64_t dim = dataType.getDimSize(axis);
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }

    // Constant indices that pick a contiguous run are a slice.
    if (std::optional<SmallVector<int64_t>> known =
            graph::getKnownInts(op.getIndices())) {
      SmallVector<int64_t> positions;
      for (int64_t i : *known)
        positions.push_back(i < 0 ? i + dim : i);
      bool contiguous =
          !positions.empty() && positions[0] >= 0 && positions.back() < dim;
      for (size_t i = 1; i < positions.size() && contiguous; ++i)
        contiguous = positions[i] == positions[i - 1] + 1;
      if (contiguous) {
        SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes,
            strides(rank, rewriter.getIndexAttr(1));
        SmallVector<int64_t> shape(dataType.getShape());
        shape[axis] = positions.size();
        offsets[axis] = rewriter.getIndexAttr(positions[0]);
        for (int64_t s : shape)
          sizes.push_back(rewriter.getIndexAttr(s));
        auto sliceType = RankedTensorType::get(shape, type->getElementType());
        Value slice = data;
        if (sliceType != dataType)
          slice = tensor::ExtractSliceOp::create(rewriter, loc, sliceType, data,
                                                 offsets, sizes, strides);
        rewriter.replaceOp(op, reshapeTo(rewriter, loc, slice, *type));
        return success();
      }
    }

    int64_t outRank = type->getRank();
    SmallVector<int64_t> indexDims;
    for (int64_t d = 0; d < q; ++d)
      indexDims.push_back(axis + d);
    AffineMap indexMap = selectDims(rewriter.getContext(), outRank, indexDims);
    Value result = createGeneric(
        rewriter, loc, *type, indices, indexMap,
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          SmallVector<Value> pos(ivs.take_front(axis));
          pos.push_back(toPosition(b, l, args[0], dim));
          llvm::append_range(pos, ivs.drop_front(axis + q));
          return tensor::ExtractOp::create(b, l, data, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<graph::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (failed(type) || failed(requireStatic(rewriter, op, {data, indices})))
      return failure();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = dataType.getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    Value result = createGeneric(
        rewriter, loc, *type, indices, rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          SmallVector<Value> pos(ivs);
          pos[axis] = toPosition(b, l, args[0], dataType.getDimSize(axis));
          return tensor::ExtractOp::create(b, l, data, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Result position [i_0 .. i_{q-2}, j...] reads data at [i_0 .. i_{b-1},
/// tuple(i), j...], the tuple being indices[i_0 .. i_{q-2}, :].
struct GatherNDLowering : OpConversionPattern<graph::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (failed(type) || failed(requireStatic(rewriter, op, {data, indices})))
      return failure();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t q = indicesType.getRank();
    if (q == 0)
      return rewriter.notifyMatchFailure(op, "indices must have rank 1+");
    int64_t batch = op.getBatchDims();
    int64_t k = indicesType.getDimSize(q - 1);
    if (batch + k > dataType.getRank())
      return rewriter.notifyMatchFailure(op, "index tuples are too long");
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    Value result = createGeneric(
        rewriter, loc, *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange) {
          SmallVector<Value> pos(ivs.take_front(batch));
          SmallVector<Value> at(ivs.take_front(q - 1));
          at.push_back(Value());
          for (int64_t t = 0; t < k; ++t) {
            at.back() = arith::ConstantIndexOp::create(b, l, t);
            Value index = tensor::ExtractOp::create(b, l, indices, at);
            pos.push_back(
                toPosition(b, l, index, dataType.getDimSize(batch + t)));
          }
          llvm::append_range(pos, ivs.drop_front(q - 1));
          return tensor::ExtractOp::create(b, l, data, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ScatterElements, ScatterND
//===----------------------------------------------------------------------===//

/// Combines the element already at a position with an update.
Value combine(OpBuilder &b, Location loc, StringRef reduction, Value old,
              Value update) {
  bool isFloat = isa<FloatType>(update.getType());
  bool isBool = update.getType().isInteger(1);
  if (reduction == "add") {
    if (isFloat)
      return arith::AddFOp::create(b, loc, old, update);
    if (isBool)
      return arith::OrIOp::create(b, loc, old, update);
    return arith::AddIOp::create(b, loc, old, update);
  }
  assert(reduction == "mul" && "checked by the pattern");
  if (isFloat)
    return arith::MulFOp::create(b, loc, old, update);
  if (isBool)
    return arith::AndIOp::create(b, loc, old, update);
  return arith::MulIOp::create(b, loc, old, update);
}

/// A copy of `data` updated, in row-major order of `updates`, at the
/// position `position(ivs)` computes for each element of `updates`.
Value scatterInOrder(
    OpBuilder &b, Location loc, Value data, Value updates, StringRef reduction,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        position) {
  auto updatesType = cast<RankedTensorType>(updates.getType());
  if (updatesType.getNumElements() == 0)
    return data;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t s : updatesType.getShape()) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, s));
    steps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, data,
      [&](OpBuilder &nb, Location nl, ValueRange ivs,
          ValueRange acc) -> scf::ValueVector {
        SmallVector<Value> pos = position(nb, nl, ivs);
        Value update = tensor::ExtractOp::create(nb, nl, updates, ivs);
        if (reduction != "none") {
          Value old = tensor::ExtractOp::create(nb, nl, acc[0], pos);
          update = combine(nb, nl, reduction, old, update);
        }
        return {tensor::InsertOp::create(nb, nl, update, acc[0], pos)};
      });
  return nest.results[0];
}

/// Element p of `updates` goes to p with its `axis` coordinate replaced by
/// indices[p].
struct ScatterElementsLowering : OpConversionPattern<graph::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    if (failed(type) ||
        failed(requireStatic(rewriter, op, {data, indices, updates})))
      return failure();
    StringRef reduction = op.getReduction();
    if (reduction != "none" && reduction != "add" && reduction != "mul")
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = dataType.getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    Value result = scatterInOrder(
        rewriter, op.getLoc(), data, updates, reduction,
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          SmallVector<Value> pos(ivs);
          Value index = tensor::ExtractOp::create(b, l, indices, ivs);
          pos[axis] = toPosition(b, l, index, dataType.getDimSize(axis));
          return pos;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Element [i..., j...] of `updates` (i over indices.shape[:-1]) goes to
/// data[tuple(i), j...].
struct ScatterNDLowering : OpConversionPattern<graph::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    if (failed(type) ||
        failed(requireStatic(rewriter, op, {data, indices, updates})))
      return failure();
    StringRef reduction = op.getReduction();
    if (reduction != "none" && reduction != "add" && reduction != "mul")
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t q = indicesType.getRank();
    if (q == 0)
      return rewriter.notifyMatchFailure(op, "indices must have rank 1+");
    int64_t k = indicesType.getDimSize(q - 1);
    if (k > dataType.getRank())
      return rewriter.notifyMatchFailure(op, "index tuples are too long");
    Value result = scatterInOrder(
        rewriter, op.getLoc(), data, updates, reduction,
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          SmallVector<Value> pos;
          SmallVector<Value> at(ivs.take_front(q - 1));
          at.push_back(Value());
          for (int64_t t = 0; t < k; ++t) {
            at.back() = arith::ConstantIndexOp::create(b, l, t);
            Value index = tensor::ExtractOp::create(b, l, indices, at);
            pos.push_back(toPosition(b, l, index, dataType.getDimSize(t)));
          }
          llvm::append_range(pos, ivs.drop_front(q - 1));
          return pos;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ReverseSequence, OneHot
//===----------------------------------------------------------------------===//

/// out[b, t] = in[b, t < len[b] ? len[b] - 1 - t : t].
struct ReverseSequenceLowering : OpConversionPattern<graph::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value input = adaptor.getInput(), lens = adaptor.getSequenceLens();
    if (failed(type) || failed(requireStatic(rewriter, op, {input, lens})))
      return failure();
    int64_t batchAxis = op.getBatchAxis(), timeAxis = op.getTimeAxis();
    int64_t rank = type->getRank();
    if (rank < 2 || batchAxis < 0 || batchAxis > 1 || timeAxis < 0 ||
        timeAxis > 1 || batchAxis == timeAxis)
      return rewriter.notifyMatchFailure(op, "axes must be 0 and 1");
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    int64_t steps = type->getDimSize(timeAxis);
    AffineMap lensMap = selectDims(rewriter.getContext(), rank, {batchAxis});
    Value result = createGeneric(
        rewriter, loc, *type, lens, lensMap,
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          Value len =
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value max = arith::ConstantIndexOp::create(b, l, steps);
          len = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, len, zero), max);
          Value t = ivs[timeAxis];
          Value inside =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value mirrored = arith::SubIOp::create(
              b, l, arith::SubIOp::create(b, l, len, one), t);
          SmallVector<Value> pos(ivs);
          pos[timeAxis] = arith::SelectOp::create(b, l, inside, mirrored, t);
          return tensor::ExtractOp::create(b, l, input, pos);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// out[..., j (at axis), ...] = index(...) == j ? on : off, where a
/// negative index counts from the depth (the static size of `axis`).
struct OneHotLowering : OpConversionPattern<graph::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResult(rewriter, op);
    Value indices = adaptor.getIndices(), values = adaptor.getValues();
    if (failed(type) || failed(requireStatic(rewriter, op, {indices, values})))
      return failure();
    int64_t rank = type->getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    bool indexUnsigned = isUnsignedElement(op.getIndices());
    int64_t depth = type->getDimSize(axis);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value off = tensor::ExtractOp::create(rewriter, loc, values, c0);
    Value on = tensor::ExtractOp::create(rewriter, loc, values, c1);
    SmallVector<int64_t> indexDims;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        indexDims.push_back(d);
    AffineMap indexMap = selectDims(rewriter.getContext(), rank, indexDims);
    Value result = createGeneric(
        rewriter, loc, *type, indices, indexMap,
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          Type i64 = b.getI64Type();
          Value index = convertScalar(b, l, args[0], i64, indexUnsigned,
                                      /*toUnsigned=*/false);
          Value zero = arith::ConstantIntOp::create(b, l, i64, 0);
          Value depthValue = arith::ConstantIntOp::create(b, l, i64, depth);
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, index, zero);
          Value wrapped = arith::AddIOp::create(b, l, index, depthValue);
          index = arith::SelectOp::create(b, l, negative, wrapped, index);
          Value j = arith::IndexCastOp::create(b, l, i64, ivs[axis]);
          Value hot =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, index, j);
          return arith::SelectOp::create(b, l, hot, on, off);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphGatherScatterToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<GatherLowering, GatherElementsLowering, GatherNDLowering,
               ScatterElementsLowering, ScatterNDLowering,
               ReverseSequenceLowering, OneHotLowering>(converter,
                                                        patterns.getContext());
}

} // namespace kiln
