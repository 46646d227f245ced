//===- DataDependentToLinalg.cpp - Compress, NonZero, Unique, TopK --------===//
//
// Ops whose output positions depend on the data. The model declares their
// result sizes (a compiled model has static shapes), so each lowering
// fills a tensor of that size with scf loops on tensors, in the order ONNX
// defines, assuming the data matches the declared size: writes past it
// are dropped and positions never written stay zero.
//
// TopK picks its k elements by repeated selection, which gives the ONNX
// order (larger first, or smaller first, ties by lower index) without a
// sort; Unique collects first occurrences and, when sorted, ranks them.
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

Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// A tensor of `type` filled with zeros.
Value createZeros(OpBuilder &b, Location loc, RankedTensorType type) {
  if (type.getNumElements() == 0)
    return createZeroSizeTensor(b, loc, type);
  Value init = createEmptyTensor(b, loc, type);
  Value zero = createScalarConstant(b, loc, type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, init).getResult(0);
}

/// An scf.for from `lb` to `ub` carrying `inits`.
SmallVector<Value> buildFor(
    OpBuilder &b, Location loc, Value lb, Value ub, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body) {
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, cst(b, loc, 1), inits,
      [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
        scf::YieldOp::create(nb, nl, body(nb, nl, iv, args));
      });
  return SmallVector<Value>(loop.getResults());
}

/// An scf.if yielding `then()` or `otherwise()`.
SmallVector<Value>
buildIf(OpBuilder &b, Location loc, Value cond,
        function_ref<SmallVector<Value>(OpBuilder &, Location)> then,
        function_ref<SmallVector<Value>(OpBuilder &, Location)> otherwise) {
  auto ifOp = scf::IfOp::create(
      b, loc, cond,
      [&](OpBuilder &nb, Location nl) {
        scf::YieldOp::create(nb, nl, then(nb, nl));
      },
      [&](OpBuilder &nb, Location nl) {
        scf::YieldOp::create(nb, nl, otherwise(nb, nl));
      });
  return SmallVector<Value>(ifOp.getResults());
}

/// Whether scalar `v` is non-zero (true for bool true, NaN included).
Value isNonZero(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isInteger(1))
    return v;
  Value zero = createScalarConstant(b, loc, v.getType(), 0.0);
  if (isa<FloatType>(v.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero);
}

Value toI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// The permutation moving dimension `axis` of a rank-`rank` tensor to
/// position `to` (0 or rank - 1), and its inverse.
std::pair<SmallVector<int64_t>, SmallVector<int64_t>>
moveAxis(int64_t rank, int64_t axis, bool toFront) {
  SmallVector<int64_t> perm;
  if (toFront)
    perm.push_back(axis);
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      perm.push_back(d);
  if (!toFront)
    perm.push_back(axis);
  SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[perm[i]] = i;
  return {perm, inverse};
}

/// Shape `shape` permuted by `perm`.
SmallVector<int64_t> permuted(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(shape[p]);
  return out;
}

//===----------------------------------------------------------------------===//
// Compress
//===----------------------------------------------------------------------===//

/// Copies slice i along the axis to the next free position whenever
/// condition[i] holds.
struct CompressLowering : OpConversionPattern<graph::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CompressOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    Value input = adaptor.getInput(), condition = adaptor.getCondition();
    for (Type t : {Type(type), input.getType(), condition.getType()})
      if (failed(requireStaticShape(rewriter, op, t)))
        return failure();
    Location loc = op.getLoc();
    if (cast<RankedTensorType>(condition.getType()).getRank() != 1)
      return rewriter.notifyMatchFailure(op, "condition must be 1-D");
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t axis = 0;
    if (std::optional<uint64_t> a = op.getAxis()) {
      axis = wrapAxis(*a, inType.getRank());
    } else {
      input = reshapeTo(rewriter, loc, input,
                        RankedTensorType::get({inType.getNumElements()},
                                              inType.getElementType()));
      inType = cast<RankedTensorType>(input.getType());
    }
    if (type.getRank() != inType.getRank())
      return rewriter.notifyMatchFailure(op, "result rank mismatch");
    Value out = createZeros(rewriter, loc, type);
    int64_t length =
        std::min(cast<RankedTensorType>(condition.getType()).getDimSize(0),
                 inType.getDimSize(axis));
    int64_t capacity = type.getDimSize(axis);
    if (type.getNumElements() == 0 || length == 0) {
      rewriter.replaceOp(op, out);
      return success();
    }
    int64_t rank = inType.getRank();
    SmallVector<int64_t> sliceShape(inType.getShape());
    sliceShape[axis] = 1;
    auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
    SmallVector<Value> results = buildFor(
        rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, length),
        {out, cst(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Value keep = tensor::ExtractOp::create(b, l, condition, i);
          Value room = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                             args[1], cst(b, l, capacity));
          Value write = arith::AndIOp::create(b, l, keep, room);
          return buildIf(
              b, l, write,
              [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                SmallVector<OpFoldResult> offsets(rank, tb.getIndexAttr(0));
                SmallVector<OpFoldResult> sizes,
                    strides(rank, tb.getIndexAttr(1));
                for (int64_t s : sliceShape)
                  sizes.push_back(tb.getIndexAttr(s));
                offsets[axis] = i;
                Value slice = tensor::ExtractSliceOp::create(
                    tb, tl, sliceType, input, offsets, sizes, strides);
                offsets[axis] = args[1];
                Value updated = tensor::InsertSliceOp::create(
                    tb, tl, slice, args[0], offsets, sizes, strides);
                Value next =
                    arith::AddIOp::create(tb, tl, args[1], cst(tb, tl, 1));
                return {updated, next};
              },
              [&](OpBuilder &, Location) -> SmallVector<Value> {
                return {args[0], args[1]};
              });
        });
    rewriter.replaceOp(op, results[0]);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// NonZero
//===----------------------------------------------------------------------===//

/// Visits the elements in row-major order and writes the coordinates of
/// each non-zero one into the next column.
struct NonZeroLowering : OpConversionPattern<graph::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::NonZeroOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    Value input = adaptor.getX();
    if (failed(requireStaticShape(rewriter, op, type)) ||
        failed(requireStaticShape(rewriter, op, input.getType())))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    int64_t capacity = type.getDimSize(1);
    Value out = createZeros(rewriter, loc, type);
    if (type.getNumElements() == 0 || inType.getNumElements() == 0) {
      rewriter.replaceOp(op, out);
      return success();
    }
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t s : inType.getShape()) {
      lbs.push_back(cst(rewriter, loc, 0));
      ubs.push_back(cst(rewriter, loc, s));
      steps.push_back(cst(rewriter, loc, 1));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, {out, cst(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange args) -> scf::ValueVector {
          Value x = tensor::ExtractOp::create(b, l, input, ivs);
          Value room = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                             args[1], cst(b, l, capacity));
          Value write = arith::AndIOp::create(b, l, isNonZero(b, l, x), room);
          SmallVector<Value> next = buildIf(
              b, l, write,
              [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                Value acc = args[0];
                for (int64_t d = 0; d < rank; ++d)
                  acc = tensor::InsertOp::create(
                      tb, tl, toI64(tb, tl, ivs[d]), acc,
                      ValueRange{cst(tb, tl, d), args[1]});
                return {acc,
                        arith::AddIOp::create(tb, tl, args[1], cst(tb, tl, 1))};
              },
              [&](OpBuilder &, Location) -> SmallVector<Value> {
                return {args[0], args[1]};
              });
          return scf::ValueVector(next.begin(), next.end());
        });
    rewriter.replaceOp(op, nest.results[0]);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Unique
//===----------------------------------------------------------------------===//

/// Compares row `i` of the 2-D `a` with row `j` of the 2-D `b`, `m`
/// elements long: whether they are equal, or (`less`) whether row i comes
/// first in lexicographic order.
Value compareRows(OpBuilder &b, Location loc, Value lhs, Value i, Value rhs,
                  Value j, int64_t m, bool less, bool isUnsigned) {
  Value t = arith::ConstantIntOp::create(b, loc, 1, 1);
  Value f = arith::ConstantIntOp::create(b, loc, 0, 1);
  // State: (decided, result). Equality starts undecided and true.
  SmallVector<Value> state = buildFor(
      b, loc, cst(b, loc, 0), cst(b, loc, m), {f, less ? f : t},
      [&](OpBuilder &nb, Location nl, Value e, ValueRange args) {
        Value x = tensor::ExtractOp::create(nb, nl, lhs, ValueRange{i, e});
        Value y = tensor::ExtractOp::create(nb, nl, rhs, ValueRange{j, e});
        Value lt = createLessThan(nb, nl, x, y, isUnsigned);
        Value gt = createLessThan(nb, nl, y, x, isUnsigned);
        Value differ = arith::OrIOp::create(nb, nl, lt, gt);
        Value decided = arith::OrIOp::create(nb, nl, args[0], differ);
        Value here =
            less ? lt : arith::XOrIOp::create(nb, nl, differ, t).getResult();
        Value result = arith::SelectOp::create(nb, nl, args[0], args[1], here);
        return SmallVector<Value>{decided, result};
      });
  return state[1];
}

/// First pass: for each row of the flattened input, find an equal row among
/// those collected so far; count it, or append it. With `sorted`, a second
/// pass ranks the collected rows and reorders every output by rank.
struct UniqueLowering : OpConversionPattern<graph::UniqueOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::UniqueOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<RankedTensorType> types;
    for (Value r : op->getResults()) {
      types.push_back(toSignless(cast<RankedTensorType>(r.getType())));
      if (failed(requireStaticShape(rewriter, op, types.back())))
        return failure();
    }
    Value input = adaptor.getX();
    if (failed(requireStaticShape(rewriter, op, input.getType())))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(input.getType());
    Type elt = inType.getElementType();
    bool isUnsigned = isUnsignedElement(op.getX());
    int64_t rank = inType.getRank();

    // The input as rows [n, m]: slices along the axis, or single elements.
    std::optional<uint64_t> axis = op.getAxis();
    SmallVector<int64_t> perm, inverse, movedShape;
    int64_t n, m;
    Value rows;
    if (axis) {
      int64_t a = wrapAxis(*axis, rank);
      if (a < 0 || a >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      std::tie(perm, inverse) = moveAxis(rank, a, /*toFront=*/true);
      movedShape = permuted(inType.getShape(), perm);
      n = movedShape[0];
      m = n == 0 ? 0 : inType.getNumElements() / n;
      Value moved = createTranspose(rewriter, loc, input, perm);
      rows =
          reshapeTo(rewriter, loc, moved, RankedTensorType::get({n, m}, elt));
    } else {
      n = inType.getNumElements();
      m = 1;
      rows =
          reshapeTo(rewriter, loc, input, RankedTensorType::get({n, 1}, elt));
    }
    int64_t u = types[1].getDimSize(0);
    if (types[2].getNumElements() != n || types[3].getDimSize(0) != u)
      return rewriter.notifyMatchFailure(op, "result sizes do not agree");

    auto i64Vector = [&](int64_t size) {
      return RankedTensorType::get({size}, rewriter.getI64Type());
    };
    auto rowsType = RankedTensorType::get({u, m}, elt);
    Value y = createZeros(rewriter, loc, rowsType);
    Value first = createZeros(rewriter, loc, i64Vector(u));
    Value inv = createZeros(rewriter, loc, i64Vector(n));
    Value counts = createZeros(rewriter, loc, i64Vector(u));
    if (n > 0 && u > 0) {
      // The number of values found so far travels as a rank-0 tensor: a
      // scalar cannot pass from one kernel to the next.
      Type i64 = rewriter.getI64Type();
      Value count = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, i64),
                                 rewriter.getI64IntegerAttr(0)));
      SmallVector<Value> state =
          buildFor(rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, n),
                   {y, first, inv, counts, count},
                   [&](OpBuilder &b, Location l, Value i, ValueRange args) {
                     SmallVector<Value> next(args);
                     next[4] = readCount(b, l, args[4]);
                     next = collectRow(b, l, rows, i, next, m, u, isUnsigned);
                     next[4] = tensor::InsertOp::create(
                         b, l, toI64(b, l, next[4]), args[4], ValueRange{});
                     return next;
                   });
      y = state[0];
      first = state[1];
      inv = state[2];
      counts = state[3];
      if (op.getSorted() != 0)
        std::tie(y, first, inv, counts) =
            sortByRank(rewriter, loc, y, first, inv, counts,
                       readCount(rewriter, loc, state[4]), n, m, u, isUnsigned);
    }

    // Rows back to the result shape.
    Value result;
    if (axis) {
      SmallVector<int64_t> shape(movedShape);
      shape[0] = u;
      Value expanded =
          reshapeTo(rewriter, loc, y, RankedTensorType::get(shape, elt));
      result = createTranspose(rewriter, loc, expanded, inverse);
    } else {
      result = reshapeTo(rewriter, loc, y, types[0]);
    }
    if (cast<RankedTensorType>(result.getType()) != types[0])
      return rewriter.notifyMatchFailure(op, "result shape mismatch");
    rewriter.replaceOp(op, {result, first, inv, counts});
    return success();
  }

  /// The count held by a rank-0 i64 tensor, as an index.
  static Value readCount(OpBuilder &b, Location loc, Value tensor) {
    Value v = tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  }

  /// One step of the first pass for row `i`; `args` is (y, first, inv,
  /// counts, count).
  static SmallVector<Value> collectRow(OpBuilder &b, Location loc, Value rows,
                                       Value i, ValueRange args, int64_t m,
                                       int64_t u, bool isUnsigned) {
    Value y = args[0], first = args[1], inv = args[2], counts = args[3],
          count = args[4];
    Value none = cst(b, loc, -1);
    Value found =
        buildFor(b, loc, cst(b, loc, 0), count, none,
                 [&](OpBuilder &nb, Location nl, Value j, ValueRange f) {
                   Value equal = compareRows(nb, nl, rows, i, y, j, m,
                                             /*less=*/false, isUnsigned);
                   Value unset = arith::CmpIOp::create(
                       nb, nl, arith::CmpIPredicate::slt, f[0], cst(nb, nl, 0));
                   Value take = arith::AndIOp::create(nb, nl, equal, unset);
                   return SmallVector<Value>{
                       arith::SelectOp::create(nb, nl, take, j, f[0])};
                 })[0];
    Value seen = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, found,
                                       cst(b, loc, 0));
    Value one64 = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 1);
    return buildIf(
        b, loc, seen,
        [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
          Value c = tensor::ExtractOp::create(tb, tl, counts, found);
          Value c1 = arith::AddIOp::create(tb, tl, c, one64);
          Value newCounts = tensor::InsertOp::create(tb, tl, c1, counts, found);
          Value newInv =
              tensor::InsertOp::create(tb, tl, toI64(tb, tl, found), inv, i);
          return {y, first, newInv, newCounts, count};
        },
        [&](OpBuilder &eb, Location el) -> SmallVector<Value> {
          Value room = arith::CmpIOp::create(eb, el, arith::CmpIPredicate::slt,
                                             count, cst(eb, el, u));
          return buildIf(
              eb, el, room,
              [&](OpBuilder &tb, Location tl) -> SmallVector<Value> {
                Value newY = buildFor(
                    tb, tl, cst(tb, tl, 0), cst(tb, tl, m), y,
                    [&](OpBuilder &nb, Location nl, Value e, ValueRange acc) {
                      Value x = tensor::ExtractOp::create(nb, nl, rows,
                                                          ValueRange{i, e});
                      return SmallVector<Value>{tensor::InsertOp::create(
                          nb, nl, x, acc[0], ValueRange{count, e})};
                    })[0];
                Value newFirst = tensor::InsertOp::create(
                    tb, tl, toI64(tb, tl, i), first, count);
                Value newCounts =
                    tensor::InsertOp::create(tb, tl, one64, counts, count);
                Value newInv = tensor::InsertOp::create(
                    tb, tl, toI64(tb, tl, count), inv, i);
                Value next =
                    arith::AddIOp::create(tb, tl, count, cst(tb, tl, 1));
                return {newY, newFirst, newInv, newCounts, next};
              },
              [&](OpBuilder &, Location) -> SmallVector<Value> {
                return {y, first, inv, counts, count};
              });
        });
  }

  /// Ranks each of the `count` collected rows by how many others precede
  /// it, and moves every output to its rank.
  static std::tuple<Value, Value, Value, Value>
  sortByRank(OpBuilder &b, Location loc, Value y, Value first, Value inv,
             Value counts, Value count, int64_t n, int64_t m, int64_t u,
             bool isUnsigned) {
    Type i64 = b.getI64Type();
    Value zero = cst(b, loc, 0);
    Value ranks = createZeros(b, loc, RankedTensorType::get({u}, i64));
    ranks = buildFor(
        b, loc, zero, count, ranks,
        [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
          Value rank = buildFor(
              nb, nl, cst(nb, nl, 0), count, cst(nb, nl, 0),
              [&](OpBuilder &ib, Location il, Value j2, ValueRange r) {
                Value before = compareRows(ib, il, y, j2, y, j, m,
                                           /*less=*/true, isUnsigned);
                Value plus =
                    arith::AddIOp::create(ib, il, r[0], cst(ib, il, 1));
                return SmallVector<Value>{
                    arith::SelectOp::create(ib, il, before, plus, r[0])};
              })[0];
          return SmallVector<Value>{
              tensor::InsertOp::create(nb, nl, toI64(nb, nl, rank), acc[0], j)};
        })[0];
    auto rankAt = [&](OpBuilder &nb, Location nl, Value j) -> Value {
      Value r = tensor::ExtractOp::create(nb, nl, ranks, j);
      return arith::IndexCastOp::create(nb, nl, nb.getIndexType(), r);
    };
    Value sortedY = createZeros(b, loc, cast<RankedTensorType>(y.getType()));
    Value sortedFirst = createZeros(b, loc, RankedTensorType::get({u}, i64));
    Value sortedCounts = createZeros(b, loc, RankedTensorType::get({u}, i64));
    SmallVector<Value> moved =
        buildFor(b, loc, zero, count, {sortedY, sortedFirst, sortedCounts},
                 [&](OpBuilder &nb, Location nl, Value j, ValueRange acc) {
                   Value r = rankAt(nb, nl, j);
                   Value row = buildFor(
                       nb, nl, cst(nb, nl, 0), cst(nb, nl, m), acc[0],
                       [&](OpBuilder &ib, Location il, Value e, ValueRange a) {
                         Value x = tensor::ExtractOp::create(ib, il, y,
                                                             ValueRange{j, e});
                         return SmallVector<Value>{tensor::InsertOp::create(
                             ib, il, x, a[0], ValueRange{r, e})};
                       })[0];
                   Value f = tensor::ExtractOp::create(nb, nl, first, j);
                   Value c = tensor::ExtractOp::create(nb, nl, counts, j);
                   return SmallVector<Value>{
                       row, tensor::InsertOp::create(nb, nl, f, acc[1], r),
                       tensor::InsertOp::create(nb, nl, c, acc[2], r)};
                 });
    Value sortedInv = buildFor(
        b, loc, zero, cst(b, loc, n), inv,
        [&](OpBuilder &nb, Location nl, Value i, ValueRange acc) {
          Value old = tensor::ExtractOp::create(nb, nl, acc[0], i);
          Value j = arith::IndexCastOp::create(nb, nl, nb.getIndexType(), old);
          Value r = tensor::ExtractOp::create(nb, nl, ranks, j);
          return SmallVector<Value>{
              tensor::InsertOp::create(nb, nl, r, acc[0], i)};
        })[0];
    return {moved[0], moved[1], sortedInv, moved[2]};
  }
};

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// Each row (the axis moved last) picks its k results one at a time: the
/// next result is the first element, in the order (larger value first, or
/// smaller with `largest` 0; lower index first among equals), that comes
/// after the previous result. O(k * n) per row, and the order of ties is
/// the one ONNX specifies.
struct TopKLowering : OpConversionPattern<graph::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto valuesType =
        toSignless(cast<RankedTensorType>(op.getValues().getType()));
    auto indicesType =
        toSignless(cast<RankedTensorType>(op.getIndices().getType()));
    Value input = adaptor.getX();
    for (Type t : {Type(valuesType), Type(indicesType), input.getType()})
      if (failed(requireStaticShape(rewriter, op, t)))
        return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    int64_t axis = wrapAxis(op.getAxis(), rank);
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    int64_t k = valuesType.getDimSize(axis);
    int64_t n = inType.getDimSize(axis);
    if (k > n)
      return rewriter.notifyMatchFailure(op, "k exceeds the axis");
    Type elt = inType.getElementType();
    bool isUnsigned = isUnsignedElement(op.getX());
    bool largest = op.getLargest() != 0;

    SmallVector<int64_t> perm, inverse;
    std::tie(perm, inverse) = moveAxis(rank, axis, /*toFront=*/false);
    SmallVector<int64_t> movedShape = permuted(inType.getShape(), perm);
    int64_t rowsCount = 1;
    for (int64_t s : ArrayRef<int64_t>(movedShape).drop_back())
      rowsCount *= s;
    auto valuesRows = RankedTensorType::get({rowsCount, k}, elt);
    auto indicesRows =
        RankedTensorType::get({rowsCount, k}, rewriter.getI64Type());
    Value values = createZeros(rewriter, loc, valuesRows);
    Value indices = createZeros(rewriter, loc, indicesRows);
    if (valuesRows.getNumElements() != 0) {
      Value rows =
          reshapeTo(rewriter, loc, createTranspose(rewriter, loc, input, perm),
                    RankedTensorType::get({rowsCount, n}, elt));
      SmallVector<Value> out = buildFor(
          rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, rowsCount),
          {values, indices},
          [&](OpBuilder &b, Location l, Value r, ValueRange acc) {
            return selectRow(b, l, rows, r, acc, n, k, largest, isUnsigned);
          });
      values = out[0];
      indices = out[1];
    }
    // Rows back to the result layout.
    auto back = [&](Value v, Type t) {
      SmallVector<int64_t> shape(movedShape);
      shape.back() = k;
      Value expanded =
          reshapeTo(rewriter, loc, v, RankedTensorType::get(shape, t));
      return createTranspose(rewriter, loc, expanded, inverse);
    };
    rewriter.replaceOp(
        op, {back(values, elt), back(indices, rewriter.getI64Type())});
    return success();
  }

  /// Fills row `r` of the two [rows, k] results in `acc`.
  static SmallVector<Value> selectRow(OpBuilder &b, Location loc, Value rows,
                                      Value r, ValueRange acc, int64_t n,
                                      int64_t k, bool largest,
                                      bool isUnsigned) {
    Type elt = cast<RankedTensorType>(rows.getType()).getElementType();
    // Whether (v1, i1) comes before (v2, i2) in the result order.
    auto before = [&](OpBuilder &nb, Location nl, Value v1, Value i1, Value v2,
                      Value i2) -> Value {
      Value better = largest ? createLessThan(nb, nl, v2, v1, isUnsigned)
                             : createLessThan(nb, nl, v1, v2, isUnsigned);
      Value worse = largest ? createLessThan(nb, nl, v1, v2, isUnsigned)
                            : createLessThan(nb, nl, v2, v1, isUnsigned);
      Value lowerIndex =
          arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, i1, i2);
      Value tie = arith::AndIOp::create(
          nb, nl,
          arith::XOrIOp::create(nb, nl, worse,
                                arith::ConstantIntOp::create(nb, nl, 1, 1)),
          lowerIndex);
      return arith::OrIOp::create(nb, nl, better, tie);
    };
    Value none = cst(b, loc, -1);
    Value zeroValue = createScalarConstant(b, loc, elt, 0.0);
    SmallVector<Value> state = buildFor(
        b, loc, cst(b, loc, 0), cst(b, loc, k),
        {acc[0], acc[1], zeroValue, none},
        [&](OpBuilder &pb, Location pl, Value p, ValueRange s) {
          Value prevV = s[2], prevI = s[3];
          Value noPrev = arith::CmpIOp::create(
              pb, pl, arith::CmpIPredicate::slt, prevI, cst(pb, pl, 0));
          SmallVector<Value> best = buildFor(
              pb, pl, cst(pb, pl, 0), cst(pb, pl, n), {zeroValue, none},
              [&](OpBuilder &jb, Location jl, Value j, ValueRange cur) {
                Value x =
                    tensor::ExtractOp::create(jb, jl, rows, ValueRange{r, j});
                Value after = arith::OrIOp::create(
                    jb, jl, noPrev, before(jb, jl, prevV, prevI, x, j));
                Value noBest = arith::CmpIOp::create(
                    jb, jl, arith::CmpIPredicate::slt, cur[1], cst(jb, jl, 0));
                Value better = arith::OrIOp::create(
                    jb, jl, noBest, before(jb, jl, x, j, cur[0], cur[1]));
                Value take = arith::AndIOp::create(jb, jl, after, better);
                return SmallVector<Value>{
                    arith::SelectOp::create(jb, jl, take, x, cur[0]),
                    arith::SelectOp::create(jb, jl, take, j, cur[1])};
              });
          Value values =
              tensor::InsertOp::create(pb, pl, best[0], s[0], ValueRange{r, p});
          Value indices = tensor::InsertOp::create(
              pb, pl, toI64(pb, pl, best[1]), s[1], ValueRange{r, p});
          return SmallVector<Value>{values, indices, best[0], best[1]};
        });
    return {state[0], state[1]};
  }
};

} // namespace

void populateGraphDataDependentToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<CompressLowering, NonZeroLowering, UniqueLowering, TopKLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
