//===- GraphTensorFolds.cpp - Folders of the tensor ops -------------------===//
//
// Folders and canonicalization patterns of the data movement ops; their
// shape inference is in GraphTensorOps.cpp.
//
// The folders copy elements of constants into new constants of at most
// 2^20 elements (reshapes only re-type and have no limit; splats are always
// cheap), fold the small integer tensors that shape arithmetic makes known
// through getShapeElements (such as a Gather of the static part of a
// Shape), and drop ops that change nothing. An identity fold requires the
// result type to be the input type, since a fold may not change a type.
//
// Squeeze, Unsqueeze and Flatten are deliberately not canonicalized into
// Reshape with a constant shape: each maps directly onto one
// tensor.collapse_shape or tensor.expand_shape, dynamic dims included,
// whereas a general Reshape makes the lowering rediscover which dimensions
// merge. Only reshapes of reshapes collapse (into one Reshape).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace kiln::graph {

/// Folders that copy elements stop at this many result elements.
static constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

//===----------------------------------------------------------------------===//
// Folding helpers
//===----------------------------------------------------------------------===//

/// The static result type of a folded op, or null.
static RankedTensorType staticResultType(Value result) {
  auto type = dyn_cast<RankedTensorType>(result.getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

/// A constant of `type` with the elements of `input` in the same order, for
/// the reshape-like ops: any size, since nothing is copied.
static Attribute reshapeConstant(Attribute input, Value result) {
  RankedTensorType type = staticResultType(result);
  auto elements = dyn_cast_if_present<ElementsAttr>(input);
  if (!type || !elements ||
      elements.getElementType() != type.getElementType() ||
      elements.getNumElements() != type.getNumElements())
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(elements))
    return dense.reshape(type);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(elements))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return {};
}

/// The result as a constant when it is a small integer tensor whose every
/// element shape arithmetic knows (for example Gather of a Shape).
static Attribute foldKnownInts(Value result) {
  RankedTensorType type = staticResultType(result);
  if (!type)
    return {};
  std::optional<SmallVector<ShapeElement>> elems = getShapeElements(result);
  if (!elems)
    return {};
  SmallVector<int64_t> values;
  for (const ShapeElement &e : *elems) {
    if (!e.value)
      return {};
    values.push_back(*e.value);
  }
  return makeIntElements(type, values);
}

/// Row-major strides of a static shape.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// For each element of a tensor of static `shape`, in row-major order, the
/// source position that `map` computes from its coordinates.
static SmallVector<int64_t>
mapCoordinates(ArrayRef<int64_t> shape,
               function_ref<int64_t(ArrayRef<int64_t>)> map) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  SmallVector<int64_t> out;
  out.reserve(n);
  SmallVector<int64_t> coord(shape.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    out.push_back(map(coord));
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++coord[d] < shape[d])
        break;
      coord[d] = 0;
    }
  }
  return out;
}

template <typename T>
static DenseElementsAttr gatherAs(ArrayRef<DenseElementsAttr> sources,
                                  RankedTensorType type,
                                  ArrayRef<int64_t> positions) {
  using Iterator = decltype(sources.front().value_begin<T>());
  SmallVector<Iterator> begins;
  SmallVector<int64_t> offsets;
  int64_t total = 0;
  for (DenseElementsAttr s : sources) {
    begins.push_back(s.value_begin<T>());
    offsets.push_back(total);
    total += s.getNumElements();
  }
  SmallVector<T> values;
  values.reserve(positions.size());
  for (int64_t p : positions) {
    size_t k = llvm::upper_bound(offsets, p) - offsets.begin() - 1;
    values.push_back(*(begins[k] + (p - offsets[k])));
  }
  return DenseElementsAttr::get(type, values);
}

/// A constant of `type` whose element i is element `positions[i]` of the
/// elements of `sources` laid end to end. Every position must be valid.
static DenseElementsAttr gatherElements(ArrayRef<DenseElementsAttr> sources,
                                        RankedTensorType type,
                                        ArrayRef<int64_t> positions) {
  if (isa<FloatType>(type.getElementType()))
    return gatherAs<APFloat>(sources, type, positions);
  return gatherAs<APInt>(sources, type, positions);
}

/// The dense constant behind a folder operand, when its type is `elt`.
static DenseElementsAttr denseOperand(Attribute attr, Type elt) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || dense.getElementType() != elt)
    return nullptr;
  return dense;
}

/// Whether a folder may copy elements of `source` into `type`: a splat
/// source is always cheap, anything else up to kMaxFoldElements.
static bool mayCopyInto(DenseElementsAttr source, RankedTensorType type) {
  return source.isSplat() || type.getNumElements() <= kMaxFoldElements;
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Whether a reshape-like op from `from` to `to` can only be the identity:
/// equal types where the element count pins the one dynamic dimension.
static bool isIdentityReshape(RankedTensorType from, Type to) {
  if (from != to)
    return false;
  return from.getNumDynamicDims() == 0 ||
         (from.getNumDynamicDims() == 1 &&
          !llvm::is_contained(from.getShape(), 0));
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (isIdentityReshape(getData().getType(), getType()))
    return getData();
  if (Attribute folded = reshapeConstant(adaptor.getData(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

namespace {
/// reshape(reshape-like(x), s) -> reshape(x, s): the inner op only
/// re-typed x, and a constant s without copied (0) entries never looks at
/// the intermediate shape.
struct ReshapeOfReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Operation *inner = op.getData().getDefiningOp();
    if (!isa_and_present<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(inner))
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    std::optional<SmallVector<int64_t>> shape = getConstantInts(op.getShape());
    if (!shape)
      return rewriter.notifyMatchFailure(op, "shape is not a constant");
    if (op.getAllowzero() == 0 && llvm::is_contained(*shape, 0))
      return rewriter.notifyMatchFailure(op, "shape copies input dimensions");
    rewriter.modifyOpInPlace(
        op, [&] { op.getDataMutable().assign(inner->getOperand(0)); });
    return success();
  }
};

/// reshape(x, s) with a static result type and a non-constant s ->
/// reshape(x, constant): the type already says what s holds, and the shape
/// arithmetic behind s can go. allowzero becomes 1 so that static zeros
/// mean zero.
struct ReshapeToConstantShape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result is not static");
    if (getConstantValue(op.getShape()))
      return rewriter.notifyMatchFailure(op, "shape is already constant");
    RankedTensorType shapeType = op.getShape().getType();
    if (shapeType.getRank() != 1 || shapeType.getDimSize(0) != type.getRank())
      return rewriter.notifyMatchFailure(op, "shape length is not the rank");
    auto shape =
        ConstantOp::create(rewriter, op.getLoc(), shapeType,
                           makeIntElements(shapeType, type.getShape()));
    rewriter.modifyOpInPlace(op, [&] {
      op.getShapeMutable().assign(shape);
      op.setAllowzero(1);
    });
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ReshapeOfReshape, ReshapeToConstantShape>(context);
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getInput().getType();
  int64_t axis = getAxis();
  if (type.getRank() == 2 && (axis == 1 || axis == -1) && type == getType())
    return getInput();
  if (Attribute folded = reshapeConstant(adaptor.getInput(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getData().getType() == getType())
    return getData();
  if (Attribute folded = reshapeConstant(adaptor.getData(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  if (getData().getType() == getType())
    return getData();
  if (Attribute folded = reshapeConstant(adaptor.getData(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  SmallVector<int64_t> perm = getEffectivePerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto it) {
    return int64_t(it.index()) == it.value();
  });
  if (identity && getData().getType() == getType())
    return getData();
  RankedTensorType type = staticResultType(getResult());
  DenseElementsAttr input =
      denseOperand(adaptor.getData(), getData().getType().getElementType());
  if (!type || !input || !mayCopyInto(input, type))
    return {};
  if (input.isSplat())
    return input.resizeSplat(type);
  SmallVector<int64_t> strides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> positions =
      mapCoordinates(type.getShape(), [&](ArrayRef<int64_t> coord) {
        int64_t p = 0;
        for (auto [c, d] : llvm::zip(coord, perm))
          p += c * strides[d];
        return p;
      });
  return gatherElements(input, type, positions);
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2): result
/// dimension j is inner dimension p2[j], which is x dimension p1[p2[j]].
struct TransposeOfTranspose : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> p1 = inner.getEffectivePerm();
    SmallVector<int64_t> p2 = op.getEffectivePerm();
    SmallVector<int64_t> composed;
    for (int64_t j : p2) {
      if (j < 0 || j >= int64_t(p1.size()))
        return rewriter.notifyMatchFailure(op, "invalid perm");
      composed.push_back(p1[j]);
    }
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getData(),
        rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<TransposeOfTranspose>(context);
}

//===----------------------------------------------------------------------===//
// Concat, Split
//===----------------------------------------------------------------------===//

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  if (Attribute known = foldKnownInts(getResult()))
    return known;
  RankedTensorType type = staticResultType(getResult());
  if (!type || type.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<DenseElementsAttr> inputs;
  for (Attribute a : adaptor.getInputs()) {
    DenseElementsAttr dense = denseOperand(a, type.getElementType());
    if (!dense)
      return {};
    inputs.push_back(dense);
  }
  int64_t rank = type.getRank();
  int64_t axis = int64_t(getAxis()) < 0 ? int64_t(getAxis()) + rank
                                         : int64_t(getAxis());
  // Where each input starts along the axis and in the elements laid end to
  // end.
  SmallVector<int64_t> axisStart, flatStart;
  SmallVector<SmallVector<int64_t>> strides;
  int64_t along = 0, flat = 0;
  for (DenseElementsAttr input : inputs) {
    axisStart.push_back(along);
    flatStart.push_back(flat);
    strides.push_back(stridesOf(input.getType().getShape()));
    along += input.getType().getDimSize(axis);
    flat += input.getNumElements();
  }
  SmallVector<int64_t> positions =
      mapCoordinates(type.getShape(), [&](ArrayRef<int64_t> coord) {
        // The last input starting at or before the coordinate: empty
        // inputs share their start with the next one.
        size_t k =
            llvm::upper_bound(axisStart, coord[axis]) - axisStart.begin() - 1;
        int64_t p = flatStart[k];
        for (int64_t d = 0; d < rank; ++d)
          p += (d == axis ? coord[d] - axisStart[k] : coord[d]) * strides[k][d];
        return p;
      });
  return gatherElements(inputs, type, positions);
}

LogicalResult SplitOp::fold(FoldAdaptor adaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() == 1 && getInput().getType() == getResult(0).getType()) {
    results.push_back(getInput());
    return success();
  }
  RankedTensorType inputType = getInput().getType();
  DenseElementsAttr input =
      denseOperand(adaptor.getInput(), inputType.getElementType());
  if (!input || !inputType.hasStaticShape() ||
      (!input.isSplat() && input.getNumElements() > kMaxFoldElements))
    return failure();
  SmallVector<RankedTensorType> types;
  for (Value r : getResults()) {
    RankedTensorType t = staticResultType(r);
    if (!t)
      return failure();
    types.push_back(t);
  }
  int64_t rank = inputType.getRank();
  int64_t axis = int64_t(getAxis()) < 0 ? int64_t(getAxis()) + rank
                                         : int64_t(getAxis());
  SmallVector<int64_t> strides = stridesOf(inputType.getShape());
  int64_t offset = 0;
  for (RankedTensorType t : types) {
    if (input.isSplat()) {
      results.push_back(input.resizeSplat(t));
      continue;
    }
    SmallVector<int64_t> positions =
        mapCoordinates(t.getShape(), [&](ArrayRef<int64_t> coord) {
          int64_t p = 0;
          for (int64_t d = 0; d < rank; ++d)
            p += (d == axis ? coord[d] + offset : coord[d]) * strides[d];
          return p;
        });
    results.push_back(gatherElements(input, t, positions));
    offset += t.getDimSize(axis);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Slice, Gather
//===----------------------------------------------------------------------===//

/// The start, step and count of every axis of a slice of a tensor of static
/// `shape`, or nullopt when an operand is not known. Assumes a verified op.
static std::optional<SmallVector<SliceRange>>
sliceRanges(SliceOp op, ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  std::optional<SmallVector<int64_t>> starts = getKnownInts(op.getStarts());
  std::optional<SmallVector<int64_t>> ends = getKnownInts(op.getEnds());
  if (!starts || !ends || starts->size() != ends->size())
    return std::nullopt;
  size_t n = starts->size();
  SmallVector<int64_t> axes, steps(n, 1);
  if (isNone(op.getAxes())) {
    for (size_t i = 0; i < n; ++i)
      axes.push_back(i);
  } else {
    std::optional<SmallVector<int64_t>> known = getKnownInts(op.getAxes());
    if (!known || known->size() != n)
      return std::nullopt;
    axes = *known;
  }
  if (!isNone(op.getSteps())) {
    std::optional<SmallVector<int64_t>> known = getKnownInts(op.getSteps());
    if (!known || known->size() != n)
      return std::nullopt;
    steps = *known;
  }
  SmallVector<SliceRange> ranges;
  for (int64_t d : shape)
    ranges.push_back({0, 1, d});
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank || steps[i] == 0 ||
        ShapedType::isDynamic(shape[axis]))
      return std::nullopt;
    ranges[axis] =
        resolveSliceRange(shape[axis], (*starts)[i], (*ends)[i], steps[i]);
  }
  return ranges;
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType dataType = getData().getType();
  std::optional<SmallVector<int64_t>> steps;
  if (!isNone(getSteps()))
    steps = getKnownInts(getSteps());
  bool forward =
      isNone(getSteps()) ||
      (steps && llvm::all_of(*steps, [](int64_t s) { return s > 0; }));
  // With positive steps, keeping every size keeps every element.
  if (forward && dataType.hasStaticShape() && dataType == getType())
    return getData();
  if (Attribute known = foldKnownInts(getResult()))
    return known;
  RankedTensorType type = staticResultType(getResult());
  DenseElementsAttr input =
      denseOperand(adaptor.getData(), dataType.getElementType());
  if (!type || !input || !mayCopyInto(input, type))
    return {};
  if (input.isSplat())
    return input.resizeSplat(type);
  std::optional<SmallVector<SliceRange>> ranges =
      sliceRanges(*this, dataType.getShape());
  if (!ranges)
    return {};
  SmallVector<int64_t> strides = stridesOf(dataType.getShape());
  SmallVector<int64_t> positions =
      mapCoordinates(type.getShape(), [&](ArrayRef<int64_t> coord) {
        int64_t p = 0;
        for (auto [c, r, s] : llvm::zip(coord, *ranges, strides))
          p += (r.start + c * r.step) * s;
        return p;
      });
  return gatherElements(input, type, positions);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  if (Attribute known = foldKnownInts(getResult()))
    return known;
  RankedTensorType dataType = getData().getType();
  RankedTensorType type = staticResultType(getResult());
  DenseElementsAttr data =
      denseOperand(adaptor.getData(), dataType.getElementType());
  auto indices = dyn_cast_if_present<DenseElementsAttr>(adaptor.getIndices());
  if (!type || !data || !indices || !dataType.hasStaticShape() ||
      !mayCopyInto(data, type))
    return {};
  if (data.isSplat())
    return data.resizeSplat(type);
  int64_t rank = dataType.getRank();
  int64_t axis = int64_t(getAxis()) < 0 ? int64_t(getAxis()) + rank
                                         : int64_t(getAxis());
  ArrayRef<int64_t> shape = dataType.getShape();
  int64_t size = shape[axis];
  int64_t outer = 1, inner = 1;
  for (int64_t d : shape.take_front(axis))
    outer *= d;
  for (int64_t d : shape.drop_front(axis + 1))
    inner *= d;
  SmallVector<int64_t> picks = getInts(indices);
  SmallVector<int64_t> positions;
  positions.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i : picks) {
      if (i < -size || i >= size)
        return {};
      int64_t row = i < 0 ? i + size : i;
      for (int64_t k = 0; k < inner; ++k)
        positions.push_back((o * size + row) * inner + k);
    }
  }
  return gatherElements(data, type, positions);
}

//===----------------------------------------------------------------------===//
// Expand, Tile, Pad
//===----------------------------------------------------------------------===//

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType();
  if (inputType.hasStaticShape() && inputType == getType())
    return getInput();
  RankedTensorType type = staticResultType(getResult());
  DenseElementsAttr input =
      denseOperand(adaptor.getInput(), inputType.getElementType());
  if (!type || !input || !mayCopyInto(input, type))
    return {};
  if (input.isSplat())
    return input.resizeSplat(type);
  ArrayRef<int64_t> in = inputType.getShape();
  int64_t offset = type.getRank() - inputType.getRank();
  SmallVector<int64_t> strides = stridesOf(in);
  SmallVector<int64_t> positions =
      mapCoordinates(type.getShape(), [&](ArrayRef<int64_t> coord) {
        int64_t p = 0;
        for (auto [d, size] : llvm::enumerate(in))
          if (size != 1)
            p += coord[d + offset] * strides[d];
        return p;
      });
  return gatherElements(input, type, positions);
}

OpFoldResult TileOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType();
  std::optional<SmallVector<int64_t>> repeats = getKnownInts(getRepeats());
  if (repeats && llvm::all_of(*repeats, [](int64_t r) { return r == 1; }) &&
      inputType == getType())
    return getInput();
  RankedTensorType type = staticResultType(getResult());
  DenseElementsAttr input =
      denseOperand(adaptor.getInput(), inputType.getElementType());
  if (!type || !input || !mayCopyInto(input, type) ||
      !inputType.hasStaticShape())
    return {};
  if (input.isSplat())
    return input.resizeSplat(type);
  ArrayRef<int64_t> in = inputType.getShape();
  SmallVector<int64_t> strides = stridesOf(in);
  SmallVector<int64_t> positions =
      mapCoordinates(type.getShape(), [&](ArrayRef<int64_t> coord) {
        int64_t p = 0;
        for (auto [c, size, stride] : llvm::zip(coord, in, strides))
          p += (c % size) * stride;
        return p;
      });
  return gatherElements(input, type, positions);
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  std::optional<SmallVector<int64_t>> pads = getKnownInts(getPads());
  if (pads && llvm::all_of(*pads, [](int64_t p) { return p == 0; }) &&
      getData().getType() == getType())
    return getData();
  return {};
}

} // namespace kiln::graph
