//===- ReductionToLinalg.cpp - Lowering reductions and softmax ------------===//
//
// The Reduce* ops, ArgMax/ArgMin, CumSum and the softmax family become
// linalg.generic reductions (kept dims parallel and outer, reduced dims
// innermost) followed by all-parallel generics that broadcast the reduced
// values back over the input. Narrow floats accumulate in f32.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/ReductionBuilders.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

#include <limits>

using namespace mlir;

namespace kiln {

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

bool isFloat(Type type) { return isa<FloatType>(type); }

/// The smallest (`highest` false) or largest value of a scalar type:
/// infinities for floats, so that they are identities of max and min.
Value createExtreme(OpBuilder &b, Location loc, Type type, bool highest,
                    bool isUnsigned) {
  if (isFloat(type))
    return createScalarConstant(b, loc, type,
                                highest
                                    ? std::numeric_limits<double>::infinity()
                                    : -std::numeric_limits<double>::infinity());
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned ? (highest ? APInt::getMaxValue(width)
                                      : APInt::getMinValue(width))
                           : (highest ? APInt::getSignedMaxValue(width)
                                      : APInt::getSignedMinValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value createMax(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value createMin(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value createAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value createMul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// Widens a float element to the type it computes in.
Value widen(OpBuilder &b, Location loc, Value v) {
  return convertScalar(b, loc, v, getComputeType(v.getType()), false, false);
}

/// Maps `axis` in [-rank, rank) to [0, rank); fails the match otherwise.
FailureOr<int64_t> normalizeAxis(ConversionPatternRewriter &rewriter,
                                 Operation *op, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return rewriter.notifyMatchFailure(op, "axis out of range");
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Reduce*
//===----------------------------------------------------------------------===//

enum class ReduceKind {
  L1,
  L2,
  LogSum,
  LogSumExp,
  Max,
  Mean,
  Min,
  Prod,
  Sum,
  SumSquare
};

/// One reduction generic accumulating in the compute type (f64 for
/// integers whose result goes through a logarithm or root), then one
/// elementwise generic for the final root, logarithm or division and the
/// conversion back, which fuses with it.
Value createReduce(OpBuilder &b, Location loc, Value data,
                   ArrayRef<bool> reduced, bool keepdims, ReduceKind kind,
                   bool isUnsigned) {
  auto type = cast<RankedTensorType>(data.getType());
  Type elt = type.getElementType();
  bool viaFloat = kind == ReduceKind::L2 || kind == ReduceKind::LogSum ||
                  kind == ReduceKind::LogSumExp;
  Type accType = isFloat(elt) ? getComputeType(elt)
                 : viaFloat   ? b.getF64Type()
                              : elt;
  Value init;
  if (kind == ReduceKind::Max || kind == ReduceKind::Min)
    init = createExtreme(b, loc, accType, kind == ReduceKind::Min, isUnsigned);
  else
    init = createScalarConstant(b, loc, accType,
                                kind == ReduceKind::Prod ? 1.0 : 0.0);

  Value result = createReduction(
      b, loc, data, {}, reduced, init,
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value x = convertScalar(nb, nloc, args[0], accType, isUnsigned, false);
        Value acc = args[1];
        switch (kind) {
        case ReduceKind::L1:
          if (isFloat(accType))
            x = math::AbsFOp::create(nb, nloc, x);
          else if (!isUnsigned)
            x = math::AbsIOp::create(nb, nloc, x);
          break;
        case ReduceKind::L2:
        case ReduceKind::SumSquare:
          x = createMul(nb, nloc, x, x);
          break;
        case ReduceKind::LogSumExp:
          x = math::ExpOp::create(nb, nloc, x);
          break;
        default:
          break;
        }
        switch (kind) {
        case ReduceKind::Max:
          return createMax(nb, nloc, acc, x, isUnsigned);
        case ReduceKind::Min:
          return createMin(nb, nloc, acc, x, isUnsigned);
        case ReduceKind::Prod:
          return createMul(nb, nloc, acc, x);
        default:
          return createAdd(nb, nloc, acc, x);
        }
      });

  bool needsFinish = viaFloat || kind == ReduceKind::Mean || accType != elt;
  if (needsFinish) {
    int64_t count = getReducedCount(type.getShape(), reduced);
    auto keptType = cast<RankedTensorType>(result.getType()).clone(elt);
    result = createElementwise(
        b, loc, result, keptType,
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          Value v = args[0];
          switch (kind) {
          case ReduceKind::L2:
            v = math::SqrtOp::create(nb, nloc, v);
            break;
          case ReduceKind::LogSum:
          case ReduceKind::LogSumExp:
            v = math::LogOp::create(nb, nloc, v);
            break;
          case ReduceKind::Mean: {
            Value n = createScalarConstant(nb, nloc, accType, double(count));
            if (isFloat(accType))
              v = arith::DivFOp::create(nb, nloc, v, n);
            else if (isUnsigned)
              v = arith::DivUIOp::create(nb, nloc, v, n);
            else
              v = arith::DivSIOp::create(nb, nloc, v, n);
            break;
          }
          default:
            break;
          }
          return convertScalar(nb, nloc, v, elt, false, isUnsigned);
        });
  }
  if (keepdims)
    result = expandReducedDims(b, loc, result, reduced);
  return result;
}

/// The Reduce* ops of opset 13, whose axes are an attribute.
template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    SmallVector<int64_t> axes;
    if (std::optional<ArrayRef<int64_t>> attr = op.getAxes())
      axes.assign(attr->begin(), attr->end());
    auto type = cast<RankedTensorType>(adaptor.getData().getType());
    std::optional<SmallVector<bool>> reduced =
        getReducedDims(type.getRank(), axes);
    if (!reduced)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    rewriter.replaceOp(op,
                       createReduce(rewriter, op.getLoc(), adaptor.getData(),
                                    *reduced, op.getKeepdims() != 0, Kind,
                                    isUnsignedElement(op.getData())));
    return success();
  }
};

/// Builds `build(i)` for the first candidate i whose condition holds at run
/// time, or the last candidate when none does, as nested scf.if ops on
/// tensors. For axes that only arrive at run time: each candidate is a
/// static lowering, and all of them have the result type `type`.
Value createRuntimeChoice(
    OpBuilder &b, Location loc, ArrayRef<Value> conditions, Type type,
    function_ref<Value(OpBuilder &, Location, unsigned)> build,
    unsigned first = 0) {
  if (first == conditions.size())
    return build(b, loc, first);
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, conditions[first],
                                /*addThenBlock=*/true, /*addElseBlock=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, loc, build(b, loc, first));
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(
      b, loc, createRuntimeChoice(b, loc, conditions, type, build, first + 1));
  return ifOp.getResult(0);
}

/// The elements of a small static integer tensor as scalars, read at run
/// time.
SmallVector<Value> extractElements(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> elements;
  SmallVector<int64_t> strides = computeSuffixProduct(type.getShape());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    SmallVector<Value> indices;
    for (auto [d, stride] : llvm::enumerate(strides))
      indices.push_back(arith::ConstantIndexOp::create(
          b, loc, (i / stride) % type.getDimSize(d)));
    elements.push_back(tensor::ExtractOp::create(b, loc, tensor, indices));
  }
  return elements;
}

/// Whether the run-time `axis` (any integer type) names dim `dim` of a
/// rank-`rank` tensor, counting negative axes from the end.
Value namesDim(OpBuilder &b, Location loc, Value axis, int64_t dim,
               int64_t rank) {
  Type type = axis.getType();
  Value positive =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, axis,
                            createScalarConstant(b, loc, type, double(dim)));
  Value negative = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, axis,
      createScalarConstant(b, loc, type, double(dim - rank)));
  return arith::OrIOp::create(b, loc, positive, negative);
}

/// ReduceSum takes its axes as an input. Constant axes lower like the
/// attribute form. Axes known only at run time are pinned down by the
/// static shapes where possible: no axes at all, or keepdims (reducing a
/// dim that the result keeps at size 1 changes nothing, so every such dim
/// may be reduced). Otherwise each set of dims whose removal gives the
/// result shape is a candidate, and the axes choose one at run time.
struct ReduceSumLowering : OpConversionPattern<graph::ReduceSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ReduceSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto type = cast<RankedTensorType>(data.getType());
    auto resultType = cast<RankedTensorType>(
        toSignless(cast<RankedTensorType>(op.getType())));
    int64_t rank = type.getRank();
    bool keepdims = op.getKeepdims() != 0;
    bool isUnsigned = isUnsignedElement(op.getData());

    std::optional<SmallVector<int64_t>> axes;
    if (graph::isNone(op.getAxes()))
      axes.emplace();
    else if (!(axes = graph::getConstantInts(op.getAxes())))
      axes = graph::getConstantInts(adaptor.getAxes());
    if (!axes &&
        cast<RankedTensorType>(adaptor.getAxes().getType()).getNumElements() ==
            0)
      axes.emplace();
    if (axes && axes->empty() && op.getNoopWithEmptyAxes() != 0) {
      rewriter.replaceOp(op, data);
      return success();
    }
    auto lowerFor = [&](OpBuilder &b, Location nloc, ArrayRef<bool> reduced) {
      return createReduce(b, nloc, data, reduced, keepdims, ReduceKind::Sum,
                          isUnsigned);
    };
    if (axes) {
      std::optional<SmallVector<bool>> reduced = getReducedDims(rank, *axes);
      if (!reduced)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      rewriter.replaceOp(op, lowerFor(rewriter, loc, *reduced));
      return success();
    }
    if (keepdims) {
      SmallVector<bool> reduced;
      for (int64_t size : resultType.getShape())
        reduced.push_back(size == 1);
      rewriter.replaceOp(op, lowerFor(rewriter, loc, reduced));
      return success();
    }

    // The dim sets of the axes' length that leave the result shape.
    int64_t numAxes =
        cast<RankedTensorType>(adaptor.getAxes().getType()).getNumElements();
    if (rank > 16)
      return rewriter.notifyMatchFailure(op, "too many dims to search");
    SmallVector<SmallVector<bool>> candidates;
    for (uint32_t mask = 0; mask < (uint32_t(1) << rank); ++mask) {
      if (llvm::popcount(mask) != numAxes)
        continue;
      SmallVector<bool> reduced;
      SmallVector<int64_t> kept;
      for (int64_t i = 0; i < rank; ++i) {
        reduced.push_back((mask >> i) & 1);
        if (!reduced.back())
          kept.push_back(type.getDimSize(i));
      }
      if (ArrayRef<int64_t>(kept) == resultType.getShape())
        candidates.push_back(reduced);
    }
    if (candidates.empty())
      return rewriter.notifyMatchFailure(op, "no axes give the result shape");
    SmallVector<Value> axisValues =
        extractElements(rewriter, loc, adaptor.getAxes());
    SmallVector<Value> conditions;
    for (ArrayRef<bool> candidate : ArrayRef(candidates).drop_back()) {
      Value all = createScalarConstant(rewriter, loc, rewriter.getI1Type(), 1);
      for (int64_t d = 0; d < rank; ++d) {
        Value named =
            createScalarConstant(rewriter, loc, rewriter.getI1Type(), 0);
        for (Value axis : axisValues)
          named = arith::OrIOp::create(rewriter, loc, named,
                                       namesDim(rewriter, loc, axis, d, rank));
        if (!candidate[d])
          named = arith::XOrIOp::create(
              rewriter, loc, named,
              createScalarConstant(rewriter, loc, rewriter.getI1Type(), 1));
        all = arith::AndIOp::create(rewriter, loc, all, named);
      }
      conditions.push_back(all);
    }
    rewriter.replaceOp(
        op, createRuntimeChoice(rewriter, loc, conditions, resultType,
                                [&](OpBuilder &b, Location nloc, unsigned i) {
                                  return lowerFor(b, nloc, candidates[i]);
                                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin
//===----------------------------------------------------------------------===//

/// The i64 position of the largest (`isMax`) or smallest element along
/// `axis`, as a tensor of the other dims: one reduction generic carrying
/// the extreme value and its index. Ties go to the first position, or the
/// last with `selectLast`; a NaN beats every number, and the first NaN
/// wins, as numpy's argmax and argmin have it.
Value createArgExtreme(OpBuilder &b, Location loc, Value input, int64_t axis,
                       bool isMax, bool selectLast, bool isUnsigned) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  Type valueType = getComputeType(type.getElementType());
  Type i64 = b.getI64Type();

  SmallVector<AffineExpr> inputExprs, keptExprs;
  SmallVector<int64_t> keptShape;
  for (int64_t i = 0, next = 0; i < rank; ++i) {
    if (i == axis) {
      inputExprs.push_back(getAffineDimExpr(rank - 1, ctx));
      continue;
    }
    keptExprs.push_back(getAffineDimExpr(next, ctx));
    inputExprs.push_back(getAffineDimExpr(next++, ctx));
    keptShape.push_back(type.getDimSize(i));
  }
  AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, inputExprs, ctx),
                                 keptMap, keptMap};
  SmallVector<utils::IteratorType> iterators(rank - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);

  auto valuesType = RankedTensorType::get(keptShape, valueType);
  auto indicesType = RankedTensorType::get(keptShape, i64);
  Value start = createExtreme(b, loc, valueType, !isMax, isUnsigned);
  Value values =
      linalg::FillOp::create(b, loc, ValueRange{start},
                             ValueRange{createEmptyTensor(b, loc, valuesType)})
          .getResult(0);
  Value indices = linalg::FillOp::create(
                      b, loc, ValueRange{createScalarConstant(b, loc, i64, 0)},
                      ValueRange{createEmptyTensor(b, loc, indicesType)})
                      .getResult(0);

  arith::CmpIPredicate ipred = isMax ? (selectLast ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sgt)
                                     : (selectLast ? arith::CmpIPredicate::sle
                                                   : arith::CmpIPredicate::slt);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valuesType, indicesType}, input,
      ValueRange{values, indices}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = widen(nb, nloc, args[0]);
        Value best = args[1], bestIndex = args[2];
        Value better;
        if (isFloat(valueType)) {
          arith::CmpFPredicate fpred =
              isMax ? (selectLast ? arith::CmpFPredicate::OGE
                                  : arith::CmpFPredicate::OGT)
                    : (selectLast ? arith::CmpFPredicate::OLE
                                  : arith::CmpFPredicate::OLT);
          better = arith::CmpFOp::create(nb, nloc, fpred, x, best);
          Value xNaN =
              arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::UNO, x, x);
          Value bestNumber = arith::CmpFOp::create(
              nb, nloc, arith::CmpFPredicate::ORD, best, best);
          Value firstNaN = arith::AndIOp::create(nb, nloc, xNaN, bestNumber);
          better = arith::OrIOp::create(nb, nloc, better, firstNaN);
        } else {
          arith::CmpIPredicate pred = ipred;
          if (isUnsigned) {
            switch (ipred) {
            case arith::CmpIPredicate::sgt:
              pred = arith::CmpIPredicate::ugt;
              break;
            case arith::CmpIPredicate::sge:
              pred = arith::CmpIPredicate::uge;
              break;
            case arith::CmpIPredicate::slt:
              pred = arith::CmpIPredicate::ult;
              break;
            default:
              pred = arith::CmpIPredicate::ule;
              break;
            }
          }
          better = arith::CmpIOp::create(nb, nloc, pred, x, best);
        }
        Value position = arith::IndexCastOp::create(
            nb, nloc, i64, linalg::IndexOp::create(nb, nloc, rank - 1));
        linalg::YieldOp::create(
            nb, nloc,
            ValueRange{arith::SelectOp::create(nb, nloc, better, x, best),
                       arith::SelectOp::create(nb, nloc, better, position,
                                               bestIndex)});
      });
  return generic.getResult(1);
}

template <typename OpTy, bool IsMax>
struct ArgExtremeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    auto type = cast<RankedTensorType>(adaptor.getData().getType());
    if (type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    FailureOr<int64_t> axis =
        normalizeAxis(rewriter, op, op.getAxis(), type.getRank());
    if (failed(axis))
      return failure();
    Value result = createArgExtreme(rewriter, op.getLoc(), adaptor.getData(),
                                    *axis, IsMax, op.getSelectLastIndex() != 0,
                                    isUnsignedElement(op.getData()));
    if (op.getKeepdims() != 0) {
      SmallVector<bool> reduced(type.getRank(), false);
      reduced[*axis] = true;
      result = expandReducedDims(rewriter, op.getLoc(), result, reduced);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

/// y[..., i, ...] = sum of x[..., j, ...] over the j that precede i (or
/// follow it, with `reverse`), i itself included unless `exclusive`: one
/// generic with an extra reduction loop j, whose body masks the elements
/// outside the prefix. Quadratic in the axis length, but parallel and
/// structured.
Value createCumSum(OpBuilder &b, Location loc, Value x, int64_t axis,
                   bool exclusive, bool reverse) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Type elt = type.getElementType();
  Type accType = getComputeType(elt);
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> inputExprs;
  for (int64_t i = 0; i < rank; ++i)
    inputExprs.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank + 1, 0, inputExprs, ctx),
      AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);

  auto accTensorType = type.clone(accType);
  Value zero = createScalarConstant(b, loc, accType, 0.0);
  Value init = linalg::FillOp::create(
                   b, loc, ValueRange{zero},
                   ValueRange{createEmptyTensor(b, loc, accTensorType)})
                   .getResult(0);
  arith::CmpIPredicate pred =
      reverse
          ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
          : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
  auto generic = linalg::GenericOp::create(
      b, loc, accTensorType, x, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value i = linalg::IndexOp::create(nb, nloc, axis);
        Value j = linalg::IndexOp::create(nb, nloc, rank);
        Value inPrefix = arith::CmpIOp::create(nb, nloc, pred, j, i);
        Value term = arith::SelectOp::create(
            nb, nloc, inPrefix, widen(nb, nloc, args[0]),
            createScalarConstant(nb, nloc, accType, 0.0));
        linalg::YieldOp::create(nb, nloc, createAdd(nb, nloc, args[1], term));
      });
  Value result = generic.getResult(0);
  if (accType == elt)
    return result;
  return createElementwise(
      b, loc, result, type, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return convertScalar(nb, nloc, args[0], elt, false, false);
      });
}

/// A constant axis gives one cumulative sum; an axis known only at run
/// time chooses among the sums along each dim.
struct CumSumLowering : OpConversionPattern<graph::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    if (cast<RankedTensorType>(adaptor.getAxis().getType()).getNumElements() !=
        1)
      return rewriter.notifyMatchFailure(op, "axis is not one element");
    bool exclusive = op.getExclusive() != 0;
    bool reverse = op.getReverse() != 0;

    std::optional<SmallVector<int64_t>> axisValue =
        graph::getConstantInts(op.getAxis());
    if (!axisValue)
      axisValue = graph::getConstantInts(adaptor.getAxis());
    if (axisValue) {
      FailureOr<int64_t> axis =
          normalizeAxis(rewriter, op, (*axisValue)[0], rank);
      if (failed(axis))
        return failure();
      rewriter.replaceOp(
          op, createCumSum(rewriter, loc, x, *axis, exclusive, reverse));
      return success();
    }
    Value axis = extractElements(rewriter, loc, adaptor.getAxis())[0];
    SmallVector<Value> conditions;
    for (int64_t d = 0; d + 1 < rank; ++d)
      conditions.push_back(namesDim(rewriter, loc, axis, d, rank));
    rewriter.replaceOp(
        op, createRuntimeChoice(rewriter, loc, conditions, type,
                                [&](OpBuilder &b, Location nloc, unsigned d) {
                                  return createCumSum(b, nloc, x, d, exclusive,
                                                      reverse);
                                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

/// The max of `input` along `axis` in the compute type, in keepdims form.
Value createMaxAlong(OpBuilder &b, Location loc, Value input,
                     ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(input.getType());
  Type accType = getComputeType(type.getElementType());
  Value init = createExtreme(b, loc, accType, /*highest=*/false, false);
  Value max = createReduction(
      b, loc, input, {}, reduced, init,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return createMax(nb, nloc, args[1], widen(nb, nloc, args[0]), false);
      });
  return expandReducedDims(b, loc, max, reduced);
}

/// The sum of `input` along `axis`, in keepdims form.
Value createSumAlong(OpBuilder &b, Location loc, Value input,
                     ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(input.getType());
  Type accType = getComputeType(type.getElementType());
  Value sum = createReduction(
      b, loc, input, {}, reduced, createScalarConstant(b, loc, accType, 0.0),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return createAdd(nb, nloc, args[1], widen(nb, nloc, args[0]));
      });
  return expandReducedDims(b, loc, sum, reduced);
}

/// Softmax as max-reduce, exp(x - max), sum-reduce, divide; LogSoftmax as
/// max-reduce, sum-reduce of exp(x - max), x - max - log(sum). Each step is
/// its own generic (reductions with the axis as the innermost reduction
/// loop, the rest all parallel) for a later fusion to combine.
template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    FailureOr<int64_t> axis =
        normalizeAxis(rewriter, op, op.getAxis(), type.getRank());
    if (failed(axis))
      return failure();
    SmallVector<bool> reduced(type.getRank(), false);
    reduced[*axis] = true;
    Type elt = type.getElementType();
    auto accType = type.clone(getComputeType(elt));

    Value max = createMaxAlong(rewriter, loc, x, reduced);
    Value shiftedExp = createElementwise(
        rewriter, loc, ValueRange{x, max}, accType,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value shifted =
              arith::SubFOp::create(b, nloc, widen(b, nloc, args[0]), args[1]);
          return math::ExpOp::create(b, nloc, shifted);
        });
    Value sum = createSumAlong(rewriter, loc, shiftedExp, reduced);
    Value result;
    if (IsLog) {
      result = createElementwise(
          rewriter, loc, ValueRange{x, max, sum}, type,
          [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
            Value shifted = arith::SubFOp::create(
                b, nloc, widen(b, nloc, args[0]), args[1]);
            Value logSum = math::LogOp::create(b, nloc, args[2]);
            Value v = arith::SubFOp::create(b, nloc, shifted, logSum);
            return convertScalar(b, nloc, v, elt, false, false);
          });
    } else {
      result = createElementwise(
          rewriter, loc, ValueRange{shiftedExp, sum}, type,
          [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
            Value v = arith::DivFOp::create(b, nloc, args[0], args[1]);
            return convertScalar(b, nloc, v, elt, false, false);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// 1 where linalg.index along the axis is the first maximum's position.
struct HardmaxLowering : OpConversionPattern<graph::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    FailureOr<int64_t> axis =
        normalizeAxis(rewriter, op, op.getAxis(), type.getRank());
    if (failed(axis))
      return failure();
    SmallVector<bool> reduced(type.getRank(), false);
    reduced[*axis] = true;
    Value position = createArgExtreme(rewriter, loc, x, *axis, /*isMax=*/true,
                                      /*selectLast=*/false, false);
    position = expandReducedDims(rewriter, loc, position, reduced);
    Type elt = type.getElementType();
    Value result = createElementwise(
        rewriter, loc, position, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value i = arith::IndexCastOp::create(
              b, nloc, b.getI64Type(), linalg::IndexOp::create(b, nloc, *axis));
          Value hit = arith::CmpIOp::create(b, nloc, arith::CmpIPredicate::eq,
                                            i, args[0]);
          return arith::SelectOp::create(
              b, nloc, hit, createScalarConstant(b, nloc, elt, 1.0),
              createScalarConstant(b, nloc, elt, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphReductionToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering<graph::ReduceL1Op, ReduceKind::L1>,
               ReduceLowering<graph::ReduceL2Op, ReduceKind::L2>,
               ReduceLowering<graph::ReduceLogSumOp, ReduceKind::LogSum>,
               ReduceLowering<graph::ReduceLogSumExpOp, ReduceKind::LogSumExp>,
               ReduceLowering<graph::ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<graph::ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<graph::ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<graph::ReduceProdOp, ReduceKind::Prod>,
               ReduceLowering<graph::ReduceSumSquareOp, ReduceKind::SumSquare>,
               ReduceSumLowering,
               ArgExtremeLowering<graph::ArgMaxOp, /*IsMax=*/true>,
               ArgExtremeLowering<graph::ArgMinOp, /*IsMax=*/false>,
               CumSumLowering, SoftmaxLowering<graph::SoftmaxOp, false>,
               SoftmaxLowering<graph::LogSoftmaxOp, true>, HardmaxLowering>(
      converter, ctx);
  populateGraphNormalizationToLinalgPatterns(converter, patterns);
}

} // namespace kiln
