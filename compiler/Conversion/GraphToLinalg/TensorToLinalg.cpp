//===- TensorToLinalg.cpp - Lowering reshapes, slices, pads and moves -----===//
//
// The structural ops of the tensor family: reshapes become collapse and
// expand shapes (free on the host), Transpose a linalg.transpose, Concat a
// tensor.concat, Split and Slice tensor.extract_slice, Pad a tensor.pad,
// Expand and Tile broadcasting linalg.generic ops, the block moves a
// reshape-transpose-reshape. Result types are static (the model declares
// them), so shape-like operands that are not constants are read at run
// time only where the result shape does not already say everything.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/TensorLowering.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <numeric>

using namespace mlir;

namespace kiln {

//===----------------------------------------------------------------------===//
// Helpers shared by the family (declared in TensorLowering.h)
//===----------------------------------------------------------------------===//

Value createZeroSizeTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  assert(type.getNumElements() == 0 && "a tensor without elements");
  auto value = DenseElementsAttr::get(type, ArrayRef<Attribute>{});
  return arith::ConstantOp::create(b, loc, value);
}

Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType type) {
  auto inType = cast<RankedTensorType>(input.getType());
  assert(inType.hasStaticShape() && type.hasStaticShape() &&
         inType.getNumElements() == type.getNumElements() &&
         "reshape between static shapes of one size");
  if (inType == type)
    return input;
  if (type.getNumElements() == 0)
    return createZeroSizeTensor(b, loc, type);
  ArrayRef<int64_t> in = inType.getShape(), out = type.getShape();
  // Rank 0 on either side: every other dimension is 1.
  if (in.empty())
    return tensor::ExpandShapeOp::create(b, loc, type, input,
                                         ArrayRef<ReassociationIndices>{});
  if (out.empty())
    return tensor::CollapseShapeOp::create(b, loc, type, input,
                                           ArrayRef<ReassociationIndices>{});

  // Cut both shapes at every point where their prefix products agree: the
  // groups between two cuts hold the same elements on both sides.
  SmallVector<ReassociationIndices> inGroups, outGroups;
  size_t i = 0, j = 0;
  while (i < in.size() && j < out.size()) {
    ReassociationIndices gi{int64_t(i)}, gj{int64_t(j)};
    int64_t pi = in[i++], pj = out[j++];
    while (pi != pj) {
      if (pi < pj) {
        gi.push_back(i);
        pi *= in[i++];
      } else {
        gj.push_back(j);
        pj *= out[j++];
      }
    }
    inGroups.push_back(gi);
    outGroups.push_back(gj);
  }
  // What is left on either side is dimensions of size 1.
  for (; i < in.size(); ++i)
    inGroups.back().push_back(i);
  for (; j < out.size(); ++j)
    outGroups.back().push_back(j);

  auto single = [](ArrayRef<ReassociationIndices> groups) {
    return llvm::all_of(
        groups, [](const ReassociationIndices &g) { return g.size() == 1; });
  };
  if (single(outGroups))
    return tensor::CollapseShapeOp::create(b, loc, type, input, inGroups);
  if (single(inGroups))
    return tensor::ExpandShapeOp::create(b, loc, type, input, outGroups);
  SmallVector<int64_t> mid;
  for (const ReassociationIndices &g : inGroups) {
    int64_t size = 1;
    for (int64_t d : g)
      size *= in[d];
    mid.push_back(size);
  }
  auto midType = RankedTensorType::get(mid, type.getElementType());
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, midType, input, inGroups);
  return tensor::ExpandShapeOp::create(b, loc, type, collapsed, outGroups);
}

Value extractIndex(OpBuilder &b, Location loc, Value tensor,
                   ValueRange indices) {
  Value v = tensor::ExtractOp::create(b, loc, tensor, indices);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value extractIndexAt(OpBuilder &b, Location loc, Value tensor,
                     ArrayRef<int64_t> pos) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> indices;
  for (int64_t d = 0; d < type.getRank(); ++d)
    indices.push_back(
        arith::ConstantIndexOp::create(b, loc, pos.empty() ? 0 : pos[d]));
  return extractIndex(b, loc, tensor, indices);
}

Value wrapNegativeIndex(OpBuilder &b, Location loc, Value index, Value size) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(b, loc, index, size);
  return arith::SelectOp::create(b, loc, negative, wrapped, index);
}

Value createLessThan(OpBuilder &b, Location loc, Value lhs, Value rhs,
                     bool isUnsigned) {
  if (isa<FloatType>(lhs.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, lhs, rhs);
  bool useUnsigned = isUnsigned || lhs.getType().isInteger(1);
  return arith::CmpIOp::create(b, loc,
                               useUnsigned ? arith::CmpIPredicate::ult
                                           : arith::CmpIPredicate::slt,
                               lhs, rhs);
}

/// Whether `perm` only moves dimensions of size 1 of `shape`: then the
/// transpose keeps the row-major order of the elements and is a reshape.
static bool isReshapeLikePermutation(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> perm) {
  int64_t last = -1;
  for (int64_t p : perm) {
    if (shape[p] == 1)
      continue;
    if (p < last)
      return false;
    last = p;
  }
  return true;
}

Value createTranspose(OpBuilder &b, Location loc, Value input,
                      ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (type.getNumElements() == 0 ||
      isReshapeLikePermutation(type.getShape(), perm))
    return reshapeTo(b, loc, input, resultType);
  Value init = createEmptyTensor(b, loc, resultType);
  return linalg::TransposeOp::create(b, loc, input, init, perm).getResult()[0];
}

namespace {

//===----------------------------------------------------------------------===//
// Helpers private to this file
//===----------------------------------------------------------------------===//

/// The converted static result type of `op`'s single result, or failure
/// with a match failure note.
FailureOr<RankedTensorType>
staticResultType(ConversionPatternRewriter &rewriter, Operation *op) {
  auto type = toSignless(cast<RankedTensorType>(op->getResult(0).getType()));
  if (failed(requireStaticShape(rewriter, op, type)))
    return failure();
  return type;
}

/// Fails unless the converted operand `v` is statically shaped.
LogicalResult requireStaticOperand(ConversionPatternRewriter &rewriter,
                                   Operation *op, Value v) {
  return requireStaticShape(rewriter, op, v.getType());
}

/// The integer values of a graph operand when they are known at compile
/// time; for an absent operand, `fallback`.
std::optional<SmallVector<int64_t>>
knownIntsOr(Value graphValue, std::optional<SmallVector<int64_t>> fallback) {
  if (graph::isNone(graphValue))
    return fallback;
  return graph::getKnownInts(graphValue);
}

/// A linalg.generic writing a fresh tensor of `type` whose body computes
/// each element from the loop indices alone (it reads other tensors with
/// tensor.extract).
Value createIndexedGeneric(
    OpBuilder &b, Location loc, RankedTensorType type,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  return createElementwise(
      b, loc, {}, type, [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> ivs;
        for (int64_t d = 0; d < type.getRank(); ++d)
          ivs.push_back(linalg::IndexOp::create(nb, nl, d));
        return body(nb, nl, ivs);
      });
}

/// Clamps index `v` into [lo, hi].
Value clampIndex(OpBuilder &b, Location loc, Value v, Value lo, Value hi) {
  Value low = arith::MaxSIOp::create(b, loc, v, lo);
  return arith::MinSIOp::create(b, loc, low, hi);
}

/// A scalar operand (rank 0 or one element) as a scalar.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// All four only re-label the elements: with static input and result
/// shapes the shape operands say nothing the types do not.
template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    if (failed(type))
      return failure();
    Value input = adaptor.getOperands()[0];
    if (failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    if (cast<RankedTensorType>(input.getType()).getNumElements() !=
        type->getNumElements())
      return rewriter.notifyMatchFailure(op, "element counts differ");
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), input, *type));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

struct TransposeLowering : OpConversionPattern<graph::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(staticResultType(rewriter, op)) ||
        failed(requireStaticOperand(rewriter, op, adaptor.getData())))
      return failure();
    rewriter.replaceOp(op,
                       createTranspose(rewriter, op.getLoc(), adaptor.getData(),
                                       op.getEffectivePerm()));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<graph::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    // Empty pieces contribute nothing (and tensor.concat needs one input).
    SmallVector<Value> inputs;
    for (Value input : adaptor.getInputs()) {
      if (failed(requireStaticOperand(rewriter, op, input)))
        return failure();
      if (cast<RankedTensorType>(input.getType()).getNumElements() != 0)
        inputs.push_back(input);
    }
    Location loc = op.getLoc();
    if (type->getNumElements() == 0 || inputs.empty()) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs[0]);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, *type, axis, inputs);
    return success();
  }
};

/// Each piece is a slice at the running offset; the result types give the
/// lengths, so the `split` operand is never read.
struct SplitLowering : OpConversionPattern<graph::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    if (failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    Location loc = op.getLoc();
    SmallVector<Value> results;
    int64_t offset = 0;
    for (Value result : op.getOutputs()) {
      auto type = toSignless(cast<RankedTensorType>(result.getType()));
      if (failed(requireStaticShape(rewriter, op, type)))
        return failure();
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      for (int64_t s : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(s));
      offset += type.getDimSize(axis);
      if (type.getNumElements() == 0) {
        results.push_back(createZeroSizeTensor(rewriter, loc, type));
        continue;
      }
      if (type == inType) {
        results.push_back(input);
        continue;
      }
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, input, offsets, sizes, strides));
    }
    if (offset != inType.getDimSize(axis))
      return rewriter.notifyMatchFailure(op, "pieces do not cover the axis");
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// Resolves a start read at run time against a dimension of size `dim`
/// with the ONNX rules (negative counts from the back, then clamped to
/// [0, dim] for a positive step and [0, dim - 1] for a negative one).
Value resolveStart(OpBuilder &b, Location loc, Value start, int64_t dim,
                   Value stepPositive) {
  Value size = arith::ConstantIndexOp::create(b, loc, dim);
  Value wrapped = wrapNegativeIndex(b, loc, start, size);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value last =
      arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(dim - 1, 0));
  Value upper = arith::SelectOp::create(b, loc, stepPositive, size, last);
  return clampIndex(b, loc, wrapped, zero, upper);
}

/// The resolved start of a slice with a known step, as a constant.
int64_t resolveStaticStart(int64_t start, int64_t dim, int64_t step) {
  if (start < 0)
    start += dim;
  int64_t upper = step > 0 ? dim : std::max<int64_t>(dim - 1, 0);
  return std::clamp<int64_t>(start, 0, upper);
}

/// Reverses `input` along the dimensions flagged in `reversed`, with an
/// affine read map (count - 1 - i) the tiling and loops handle as any other.
Value reverseDims(OpBuilder &b, Location loc, Value input,
                  ArrayRef<bool> reversed) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d) {
    AffineExpr e = b.getAffineDimExpr(d);
    exprs.push_back(reversed[d] ? type.getDimSize(d) - 1 - e : e);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = createEmptyTensor(b, loc, type);
  return linalg::GenericOp::create(
             b, loc, type, input, init, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}

/// With known axes and steps, a tensor.extract_slice (offsets read at run
/// time when the starts are not constants), followed by a reversal of the
/// axes with negative steps. Otherwise a gather-like linalg.generic whose
/// per-dimension start and step are computed at run time; the result type
/// gives every count, so `ends` is never read.
struct SliceLowering : OpConversionPattern<graph::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value data = adaptor.getData();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, data)))
      return failure();
    auto startsType = cast<RankedTensorType>(adaptor.getStarts().getType());
    if (!startsType.hasStaticShape() || startsType.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "starts needs a static length");
    Location loc = op.getLoc();
    int64_t n = startsType.getDimSize(0);
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }

    SmallVector<int64_t> iota(n);
    std::iota(iota.begin(), iota.end(), 0);
    std::optional<SmallVector<int64_t>> axes = knownIntsOr(op.getAxes(), iota);
    std::optional<SmallVector<int64_t>> steps =
        knownIntsOr(op.getSteps(), SmallVector<int64_t>(n, 1));
    std::optional<SmallVector<int64_t>> starts =
        graph::getKnownInts(op.getStarts());
    if ((axes && int64_t(axes->size()) != n) ||
        (steps && int64_t(steps->size()) != n) ||
        (starts && int64_t(starts->size()) != n))
      return rewriter.notifyMatchFailure(op, "operand lengths differ");

    Value result;
    if (axes && steps) {
      FailureOr<Value> sliced =
          sliceStatically(rewriter, loc, data, *type, adaptor.getStarts(),
                          *axes, *steps, starts);
      if (failed(sliced))
        return rewriter.notifyMatchFailure(op, "invalid axes or steps");
      result = *sliced;
    } else {
      result =
          sliceDynamically(rewriter, loc, data, *type, adaptor, axes, steps, n);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  static FailureOr<Value>
  sliceStatically(OpBuilder &b, Location loc, Value data, RankedTensorType type,
                  Value startsTensor, ArrayRef<int64_t> axes,
                  ArrayRef<int64_t> steps,
                  const std::optional<SmallVector<int64_t>> &starts) {
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    SmallVector<int64_t> entryOf(rank, -1);
    for (auto [i, a] : llvm::enumerate(axes)) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank || steps[i] == 0)
        return failure();
      entryOf[axis] = i;
    }
    SmallVector<OpFoldResult> offsets, sizes, strides;
    SmallVector<bool> reversed(rank, false);
    Value trueValue = arith::ConstantIntOp::create(b, loc, 1, 1);
    Value falseValue = arith::ConstantIntOp::create(b, loc, 0, 1);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = inType.getDimSize(d);
      int64_t count = type.getDimSize(d);
      sizes.push_back(b.getIndexAttr(count));
      if (entryOf[d] < 0) {
        offsets.push_back(b.getIndexAttr(0));
        strides.push_back(b.getIndexAttr(1));
        continue;
      }
      int64_t i = entryOf[d];
      int64_t step = steps[i];
      // The lowest index read: the start itself for a positive step, the
      // last element read for a negative one.
      int64_t back = step > 0 ? 0 : (count - 1) * step;
      if (starts) {
        int64_t start = resolveStaticStart((*starts)[i], dim, step);
        offsets.push_back(b.getIndexAttr(start + back));
      } else {
        Value start =
            resolveStart(b, loc, extractIndexAt(b, loc, startsTensor, {i}), dim,
                         step > 0 ? trueValue : falseValue);
        if (back != 0)
          start = arith::AddIOp::create(
              b, loc, start, arith::ConstantIndexOp::create(b, loc, back));
        offsets.push_back(start);
      }
      strides.push_back(b.getIndexAttr(step > 0 ? step : -step));
      reversed[d] = step < 0 && count > 1;
    }
    Value sliced = data;
    if (type != inType)
      sliced = tensor::ExtractSliceOp::create(b, loc, type, data, offsets,
                                              sizes, strides);
    if (llvm::is_contained(reversed, true))
      sliced = reverseDims(b, loc, sliced, reversed);
    return sliced;
  }

  static Value sliceDynamically(
      OpBuilder &b, Location loc, Value data, RankedTensorType type,
      OpAdaptor adaptor, const std::optional<SmallVector<int64_t>> &axes,
      const std::optional<SmallVector<int64_t>> &steps, int64_t n) {
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value rankValue = arith::ConstantIndexOp::create(b, loc, rank);
    SmallVector<Value> start(rank, zero), step(rank, one);
    SmallVector<bool> sliced(rank, false);
    for (int64_t i = 0; i < n; ++i) {
      Value s = extractIndexAt(b, loc, adaptor.getStarts(), {i});
      Value st = steps ? arith::ConstantIndexOp::create(b, loc, (*steps)[i])
                       : extractIndexAt(b, loc, adaptor.getSteps(), {i});
      if (axes) {
        int64_t a = (*axes)[i] < 0 ? (*axes)[i] + rank : (*axes)[i];
        if (a < 0 || a >= rank)
          continue;
        start[a] = s;
        step[a] = st;
        sliced[a] = true;
        continue;
      }
      Value a = wrapNegativeIndex(
          b, loc, extractIndexAt(b, loc, adaptor.getAxes(), {i}), rankValue);
      for (int64_t d = 0; d < rank; ++d) {
        Value match =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a,
                                  arith::ConstantIndexOp::create(b, loc, d));
        start[d] = arith::SelectOp::create(b, loc, match, s, start[d]);
        step[d] = arith::SelectOp::create(b, loc, match, st, step[d]);
        sliced[d] = true;
      }
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (!sliced[d])
        continue;
      Value positive = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                             step[d], zero);
      start[d] = resolveStart(b, loc, start[d], inType.getDimSize(d), positive);
    }
    return createIndexedGeneric(
        b, loc, type, [&](OpBuilder &nb, Location nl, ValueRange ivs) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value offset = arith::MulIOp::create(nb, nl, ivs[d], step[d]);
            indices.push_back(arith::AddIOp::create(nb, nl, start[d], offset));
          }
          return tensor::ExtractOp::create(nb, nl, data, indices);
        });
  }
};

//===----------------------------------------------------------------------===//
// Expand, Tile
//===----------------------------------------------------------------------===//

/// A broadcast to the static result shape; when no element repeats it is a
/// reshape (leading unit dimensions only).
struct ExpandLowering : OpConversionPattern<graph::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value input = adaptor.getInput();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    auto inType = cast<RankedTensorType>(input.getType());
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    if (inType.getNumElements() == type->getNumElements()) {
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, input, *type));
      return success();
    }
    rewriter.replaceOp(
        op, createElementwise(rewriter, loc, input, *type,
                              [](OpBuilder &, Location, ValueRange args) {
                                return args[0];
                              }));
    return success();
  }
};

/// Each repeated dimension d of size s becomes two loops [repeats, s] of
/// which the input reads only the second; the result collapses them.
struct TileLowering : OpConversionPattern<graph::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value input = adaptor.getInput();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    auto inType = cast<RankedTensorType>(input.getType());
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    if (*type == inType) {
      rewriter.replaceOp(op, input);
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<int64_t> loopShape;
    SmallVector<AffineExpr> inputExprs;
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      int64_t size = inType.getDimSize(d);
      int64_t repeats = type->getDimSize(d) / size;
      if (repeats * size != type->getDimSize(d))
        return rewriter.notifyMatchFailure(op, "result is not a multiple");
      ReassociationIndices group;
      if (repeats != 1) {
        group.push_back(loopShape.size());
        loopShape.push_back(repeats);
      }
      group.push_back(loopShape.size());
      inputExprs.push_back(getAffineDimExpr(loopShape.size(), ctx));
      loopShape.push_back(size);
      groups.push_back(group);
    }
    int64_t loops = loopShape.size();
    auto loopType = RankedTensorType::get(loopShape, type->getElementType());
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inputExprs, ctx),
                                   rewriter.getMultiDimIdentityMap(loops)};
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    Value init = createEmptyTensor(rewriter, loc, loopType);
    Value tiled = linalg::GenericOp::create(
                      rewriter, loc, loopType, input, init, maps, iterators,
                      [](OpBuilder &nb, Location nl, ValueRange args) {
                        linalg::YieldOp::create(nb, nl, args[0]);
                      })
                      .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, *type, tiled,
                                                         groups);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Constant padding with known pads is a tensor.pad (after a crop for
/// negative pads). Edge and reflect padding, and pads read at run time,
/// are a linalg.generic that maps each result index back into the input.
struct PadLowering : OpConversionPattern<graph::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value data = adaptor.getData();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, data)))
      return failure();
    StringRef mode = op.getMode();
    if (mode != "constant" && mode != "edge" && mode != "reflect")
      return rewriter.notifyMatchFailure(op, "unknown mode");
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    Location loc = op.getLoc();
    Type elt = type->getElementType();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    Value padValue =
        graph::isNone(op.getConstantValue()) ||
                cast<RankedTensorType>(adaptor.getConstantValue().getType())
                        .getNumElements() == 0
            ? createScalarConstant(rewriter, loc, elt, 0.0)
            : extractScalar(rewriter, loc, adaptor.getConstantValue());
    if (inType.getNumElements() == 0) {
      if (mode != "constant")
        return rewriter.notifyMatchFailure(op, "cannot extend an empty input");
      Value init = createEmptyTensor(rewriter, loc, *type);
      rewriter.replaceOpWithNewOp<linalg::FillOp>(op, padValue, init);
      return success();
    }

    std::optional<SmallVector<int64_t>> pads =
        graph::getKnownInts(op.getPads());
    if (pads && int64_t(pads->size()) != 2 * rank)
      return rewriter.notifyMatchFailure(op, "pads length is not 2 * rank");
    if (pads && mode == "constant") {
      rewriter.replaceOp(
          op, padConstant(rewriter, loc, data, *type, *pads, padValue));
      return success();
    }

    // The low pad of each dimension, known or read at run time.
    SmallVector<Value> low;
    for (int64_t d = 0; d < rank; ++d)
      low.push_back(
          pads ? arith::ConstantIndexOp::create(rewriter, loc, (*pads)[d])
                     .getResult()
               : extractIndexAt(rewriter, loc, adaptor.getPads(), {d}));
    Value result = createIndexedGeneric(
        rewriter, loc, *type, [&](OpBuilder &b, Location l, ValueRange ivs) {
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value inside;
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t dim = inType.getDimSize(d);
            Value last = arith::ConstantIndexOp::create(b, l, dim - 1);
            Value src = arith::SubIOp::create(b, l, ivs[d], low[d]);
            if (mode == "reflect" && dim > 1)
              src = reflectIndex(b, l, src, dim);
            if (mode == "constant") {
              Value ge = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                               src, zero);
              Value le = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle,
                                               src, last);
              Value in = arith::AndIOp::create(b, l, ge, le);
              inside = inside ? arith::AndIOp::create(b, l, inside, in) : in;
            }
            indices.push_back(clampIndex(b, l, src, zero, last));
          }
          Value v = tensor::ExtractOp::create(b, l, data, indices);
          if (!inside)
            return v;
          return arith::SelectOp::create(b, l, inside, v, padValue).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// Mirrors `src` into [0, dim) without repeating the edge, periodically
  /// as numpy does for pads longer than the dimension.
  static Value reflectIndex(OpBuilder &b, Location loc, Value src,
                            int64_t dim) {
    Value period = arith::ConstantIndexOp::create(b, loc, 2 * (dim - 1));
    Value rem = arith::RemSIOp::create(b, loc, src, period);
    Value wrapped = arith::AddIOp::create(b, loc, rem, period);
    Value m = arith::RemSIOp::create(b, loc, wrapped, period);
    Value dimValue = arith::ConstantIndexOp::create(b, loc, dim);
    Value inFirstHalf =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, m, dimValue);
    Value mirrored = arith::SubIOp::create(b, loc, period, m);
    return arith::SelectOp::create(b, loc, inFirstHalf, m, mirrored);
  }

  static Value padConstant(OpBuilder &b, Location loc, Value data,
                           RankedTensorType type, ArrayRef<int64_t> pads,
                           Value padValue) {
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    // Negative pads crop first.
    SmallVector<OpFoldResult> offsets, sizes, strides;
    SmallVector<int64_t> croppedShape;
    bool crop = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = pads[d], hi = pads[rank + d];
      int64_t size = inType.getDimSize(d) + std::min<int64_t>(lo, 0) +
                     std::min<int64_t>(hi, 0);
      crop |= lo < 0 || hi < 0;
      offsets.push_back(b.getIndexAttr(std::max<int64_t>(-lo, 0)));
      sizes.push_back(b.getIndexAttr(size));
      strides.push_back(b.getIndexAttr(1));
      croppedShape.push_back(size);
    }
    Value source = data;
    if (crop)
      source = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get(croppedShape, type.getElementType()),
          data, offsets, sizes, strides);
    SmallVector<OpFoldResult> low, high;
    bool any = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = std::max<int64_t>(pads[d], 0);
      int64_t hi = std::max<int64_t>(pads[rank + d], 0);
      any |= lo != 0 || hi != 0;
      low.push_back(b.getIndexAttr(lo));
      high.push_back(b.getIndexAttr(hi));
    }
    if (!any)
      return source;
    return tensor::PadOp::create(b, loc, type, source, low, high, padValue);
  }
};

//===----------------------------------------------------------------------===//
// DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------===//

/// [N, C, H, W] split into blocks, permuted, and merged back: the two
/// reshapes are free, the transpose is the only data movement.
Value moveBlocks(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> splitShape, ArrayRef<int64_t> perm,
                 RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  Value split = reshapeTo(
      b, loc, input, RankedTensorType::get(splitShape, type.getElementType()));
  Value moved = createTranspose(b, loc, split, perm);
  return reshapeTo(b, loc, moved, resultType);
}

struct DepthToSpaceLowering : OpConversionPattern<graph::DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DepthToSpaceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value input = adaptor.getInput();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    auto inType = cast<RankedTensorType>(input.getType());
    if (inType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "needs a 4-D input");
    int64_t b = op.getBlocksize();
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1),
            h = inType.getDimSize(2), w = inType.getDimSize(3);
    if (b <= 0 || c % (b * b) != 0)
      return rewriter.notifyMatchFailure(op, "blocksize does not divide C");
    int64_t cOut = c / (b * b);
    Value result;
    if (op.getMode() == "CRD")
      // [N, C', b1, b2, H, W] -> [N, C', H, b1, W, b2]
      result = moveBlocks(rewriter, op.getLoc(), input, {n, cOut, b, b, h, w},
                          {0, 1, 4, 2, 5, 3}, *type);
    else
      // [N, b1, b2, C', H, W] -> [N, C', H, b1, W, b2]
      result = moveBlocks(rewriter, op.getLoc(), input, {n, b, b, cOut, h, w},
                          {0, 3, 4, 1, 5, 2}, *type);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SpaceToDepthLowering : OpConversionPattern<graph::SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SpaceToDepthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    Value input = adaptor.getInput();
    if (failed(type) || failed(requireStaticOperand(rewriter, op, input)))
      return failure();
    auto inType = cast<RankedTensorType>(input.getType());
    if (inType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "needs a 4-D input");
    int64_t b = op.getBlocksize();
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1),
            h = inType.getDimSize(2), w = inType.getDimSize(3);
    if (b <= 0 || h % b != 0 || w % b != 0)
      return rewriter.notifyMatchFailure(op, "blocksize does not divide H, W");
    // [N, C, H', b1, W', b2] -> [N, b1, b2, C, H', W']
    rewriter.replaceOp(op, moveBlocks(rewriter, op.getLoc(), input,
                                      {n, c, h / b, b, w / b, b},
                                      {0, 3, 5, 1, 2, 4}, *type));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Trilu
//===----------------------------------------------------------------------===//

/// Elementwise select on the diagonal offset of each element's position.
struct TriluLowering : OpConversionPattern<graph::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(rewriter, op);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank();
    if (rank < 2)
      return rewriter.notifyMatchFailure(op, "needs rank 2 or more");
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, *type));
      return success();
    }
    Value k = graph::isNone(op.getK())
                  ? arith::ConstantIndexOp::create(rewriter, loc, 0).getResult()
                  : extractIndexAt(rewriter, loc, adaptor.getK());
    bool upper = op.getUpper() != 0;
    Type elt = type->getElementType();
    Value result = createElementwise(
        rewriter, loc, adaptor.getInput(), *type,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value i = linalg::IndexOp::create(b, l, rank - 2);
          Value j = linalg::IndexOp::create(b, l, rank - 1);
          Value diff = arith::SubIOp::create(b, l, j, i);
          Value keep = arith::CmpIOp::create(b, l,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diff, k);
          return arith::SelectOp::create(b, l, keep, args[0],
                                         createScalarConstant(b, l, elt, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphTensorToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<ReshapeLikeLowering<graph::ReshapeOp>,
               ReshapeLikeLowering<graph::FlattenOp>,
               ReshapeLikeLowering<graph::SqueezeOp>,
               ReshapeLikeLowering<graph::UnsqueezeOp>, TransposeLowering,
               ConcatLowering, SplitLowering, SliceLowering, ExpandLowering,
               TileLowering, PadLowering, DepthToSpaceLowering,
               SpaceToDepthLowering, TriluLowering>(converter,
                                                    patterns.getContext());
  populateGraphGatherScatterToLinalgPatterns(converter, patterns);
  populateGraphDataDependentToLinalgPatterns(converter, patterns);
  populateGraphResizeToLinalgPatterns(converter, patterns);
}

} // namespace kiln
