//===- GraphTensorOps.cpp - Reshapes, slices, gathers, broadcasts ---------===//
//
// Shape inference, folders and canonicalizations of the tensor ops that
// exported shape arithmetic runs through: Reshape and its relatives,
// Transpose, Concat, Split, Slice, the gathers, Expand, Tile and Pad. The
// rest of the family (scatters, block moves, data-dependent sizes, Resize)
// is in GraphTensorIndexOps.cpp.
//
// The folders copy elements of constants into new constants of at most
// 2^20 elements (reshapes only re-type and have no limit), and fold the
// small integer tensors that shape arithmetic makes known through
// getShapeElements, such as a Gather of the static part of a Shape.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphTensorOps.cpp.inc"

namespace kiln::graph {

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Folders that copy elements stop at this many result elements.
static constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

//===----------------------------------------------------------------------===//
// Checks shared by the ops of this file
//===----------------------------------------------------------------------===//

/// Checks that `v` is 1-D and returns its length, which may be dynamic.
static FailureOr<int64_t> vectorLength(Operation *op, Value v,
                                       StringRef name) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() != 1)
    return op->emitOpError() << name << " must be 1-D, got rank "
                             << type.getRank();
  return type.getDimSize(0);
}

/// Like vectorLength, for an operand whose length is a result rank.
static FailureOr<int64_t> staticVectorLength(Operation *op, Value v,
                                             StringRef name) {
  FailureOr<int64_t> n = vectorLength(op, v, name);
  if (succeeded(n) && ShapedType::isDynamic(*n))
    return op->emitOpError() << name << " must have a static length";
  return n;
}

/// The product of `dims`: 0 if one of them is 0, else dynamic if one is
/// dynamic. Fails with an error past kMaxElements, so that callers may
/// multiply further without overflowing.
static FailureOr<int64_t> productOf(Operation *op, ArrayRef<int64_t> dims) {
  if (llvm::is_contained(dims, 0))
    return 0;
  int64_t product = 1;
  bool dynamic = false;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d)) {
      dynamic = true;
      continue;
    }
    if (product > kMaxElements / d)
      return op->emitOpError("result shape has more than 2^48 elements");
    product *= d;
  }
  return dynamic ? kDynamic : product;
}

/// Maps `axis` of a tensor of rank `rank` >= 1 into [0, rank), or emits an
/// error (normalizeAxis alone lets axis 0 of a scalar through).
static FailureOr<int64_t> tensorAxis(Operation *op, int64_t axis, int64_t rank,
                                     StringRef what) {
  if (rank == 0)
    return op->emitOpError() << what << " " << axis
                             << " is out of range for a scalar input";
  return normalizeAxis(op, axis, rank, what);
}

/// Maps every entry of `axes` into [0, rank), rejecting repeats.
static FailureOr<SmallVector<int64_t>>
normalizeAxes(Operation *op, ArrayRef<int64_t> axes, int64_t rank,
              StringRef what) {
  SmallVector<int64_t> out;
  SmallVector<bool> seen(rank, false);
  for (int64_t a : axes) {
    FailureOr<int64_t> n = tensorAxis(op, a, rank, what);
    if (failed(n))
      return failure();
    if (seen[*n])
      return op->emitOpError() << what << " repeats axis " << *n;
    seen[*n] = true;
    out.push_back(*n);
  }
  return out;
}

/// The elements of `v` as shape arithmetic knows them, or `n` unknowns.
static SmallVector<ShapeElement> elementsOrUnknown(Value v, int64_t n) {
  std::optional<SmallVector<ShapeElement>> elems = getShapeElements(v);
  if (elems && int64_t(elems->size()) == n)
    return *elems;
  if (std::optional<SmallVector<int64_t>> ints = getKnownInts(v);
      ints && int64_t(ints->size()) == n) {
    SmallVector<ShapeElement> out(n);
    for (auto [e, i] : llvm::zip(out, *ints))
      e.value = i;
    return out;
  }
  return SmallVector<ShapeElement>(n);
}

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
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType dataType = getData().getType();
  ArrayRef<int64_t> in = dataType.getShape();
  FailureOr<int64_t> rank = staticVectorLength(*this, getShape(), "shape");
  if (failed(rank))
    return failure();
  bool allowZero = getAllowzero() != 0;
  SmallVector<ShapeElement> elems = elementsOrUnknown(getShape(), *rank);

  // Input dimensions that a result dimension is known to equal; they cancel
  // out when the -1 entry is inferred.
  SmallVector<int64_t> consumed(in.size(), 0);
  SmallVector<int64_t> out;
  int64_t inferIndex = -1;
  bool hasZero = false, unknownEntry = false;
  // Product of the result dimensions that are not inferred or consumed.
  int64_t outProduct = 1;
  bool outProductKnown = true;
  auto multiplyOut = [&](int64_t d) -> LogicalResult {
    if (ShapedType::isDynamic(d)) {
      outProductKnown = false;
      return success();
    }
    if (d != 0 && outProduct > kMaxElements / d)
      return emitOpError("shape has more than 2^48 elements");
    outProduct *= d;
    return success();
  };
  for (auto [i, e] : llvm::enumerate(elems)) {
    int64_t pos = i;
    if (!e.value) {
      // A dimension of the input itself stays that dimension, whatever
      // its size.
      if (e.source == getData() && e.dim < int64_t(in.size())) {
        out.push_back(in[e.dim]);
        ++consumed[e.dim];
        continue;
      }
      out.push_back(kDynamic);
      unknownEntry = true;
      continue;
    }
    int64_t v = *e.value;
    if (v < -1)
      return emitOpError("shape entry ") << v << " is invalid";
    if (v == -1) {
      if (inferIndex >= 0)
        return emitOpError("shape may hold at most one -1");
      inferIndex = pos;
      out.push_back(kDynamic);
      continue;
    }
    if (v == 0 && !allowZero) {
      if (pos >= int64_t(in.size()))
        return emitOpError("shape entry 0 at position ")
               << pos << " has no input dimension to copy (input rank "
               << in.size() << ")";
      out.push_back(in[pos]);
      ++consumed[pos];
      continue;
    }
    hasZero |= v == 0;
    out.push_back(v);
    if (failed(multiplyOut(v)))
      return failure();
  }
  if (allowZero && hasZero && inferIndex >= 0)
    return emitOpError("shape may not hold both 0 and -1 when allowzero is 1");

  // The input dimensions that no result dimension equals.
  int64_t inProduct = 1;
  bool inProductKnown = true;
  bool multiplyConsumed = false;
  for (auto [d, c] : llvm::zip(in, consumed)) {
    multiplyConsumed |= c > 1;
    if (c == 1)
      continue;
    if (ShapedType::isDynamic(d)) {
      inProductKnown = false;
      continue;
    }
    if (d != 0 && inProduct > kMaxElements / d)
      return emitOpError("input has more than 2^48 elements");
    inProduct *= d;
  }
  // A result dimension that copies a static input dimension is a plain
  // factor on both sides; only dynamic copies need the cancellation, and a
  // dimension copied twice cannot cancel.
  bool exact = inProductKnown && outProductKnown && !unknownEntry &&
               !multiplyConsumed;
  if (exact && inferIndex >= 0) {
    if (outProduct == 0)
      return emitOpError("cannot infer the -1 entry of shape when the other "
                         "dimensions hold no elements");
    if (inProduct % outProduct != 0)
      return emitOpError("cannot reshape ")
             << inProduct << " elements into a multiple of " << outProduct;
    out[inferIndex] = inProduct / outProduct;
  } else if (exact && inProduct != outProduct) {
    return emitOpError("shape holds ")
           << outProduct << " elements where the input holds " << inProduct;
  }
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, out, dataType.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

/// Whether a reshape-like op from `from` to `to` can only be the identity:
/// equal types where the element count pins the one dynamic dimension.
static bool isIdentityReshape(RankedTensorType from, Type to) {
  if (from != to)
    return false;
  return from.getNumDynamicDims() == 0 ||
         (from.getNumDynamicDims() == 1 && !llvm::is_contained(from.getShape(), 0));
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
    auto shape = ConstantOp::create(rewriter, op.getLoc(), shapeType,
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

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  int64_t rank = type.getRank();
  int64_t axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError("axis ") << axis << " is out of range [" << -rank
                                << ", " << rank << "]";
  if (axis < 0)
    axis += rank;
  FailureOr<int64_t> outer = productOf(*this, type.getShape().take_front(axis));
  FailureOr<int64_t> inner = productOf(*this, type.getShape().drop_front(axis));
  if (failed(outer) || failed(inner))
    return failure();
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, {*outer, *inner}, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
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

//===----------------------------------------------------------------------===//
// SqueezeOp, UnsqueezeOp
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getData().getType();
  ArrayRef<int64_t> in = type.getShape();
  SmallVector<int64_t> out;
  if (isNone(getAxes())) {
    if (type.getNumDynamicDims() != 0)
      return emitOpError("without axes, every input dimension must be static "
                         "to know the result rank");
    for (int64_t d : in)
      if (d != 1)
        out.push_back(d);
    inferred.push_back(type.clone(out));
    return success();
  }
  FailureOr<int64_t> n = staticVectorLength(*this, getAxes(), "axes");
  if (failed(n))
    return failure();
  if (*n > type.getRank())
    return emitOpError("axes has ") << *n << " entries for input rank "
                                    << type.getRank();
  std::optional<SmallVector<int64_t>> axes = getKnownInts(getAxes());
  if (!axes) {
    inferred.push_back(
        type.clone(SmallVector<int64_t>(type.getRank() - *n, kDynamic)));
    return success();
  }
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(*this, *axes, type.getRank(), "axes");
  if (failed(normalized))
    return failure();
  for (int64_t a : *normalized)
    if (!ShapedType::isDynamic(in[a]) && in[a] != 1)
      return emitOpError("cannot squeeze dimension ")
             << a << " of size " << in[a];
  for (auto [i, d] : llvm::enumerate(in))
    if (!llvm::is_contained(*normalized, int64_t(i)))
      out.push_back(d);
  inferred.push_back(type.clone(out));
  return success();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getData().getType() == getType())
    return getData();
  if (Attribute folded = reshapeConstant(adaptor.getData(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getData().getType();
  auto axesType = cast<RankedTensorType>(getAxes().getType());
  // Opset 13 says 1-D; a scalar (one axis) is accepted too.
  int64_t n = 1;
  if (axesType.getRank() != 0) {
    FailureOr<int64_t> length = staticVectorLength(*this, getAxes(), "axes");
    if (failed(length))
      return failure();
    n = *length;
  }
  int64_t rank = type.getRank() + n;
  std::optional<SmallVector<int64_t>> axes = getKnownInts(getAxes());
  if (!axes) {
    inferred.push_back(type.clone(SmallVector<int64_t>(rank, kDynamic)));
    return success();
  }
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(*this, *axes, rank, "axes");
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> out;
  ArrayRef<int64_t> in = type.getShape();
  for (int64_t i = 0; i < rank; ++i) {
    if (llvm::is_contained(*normalized, i)) {
      out.push_back(1);
    } else {
      if (in.empty())
        return emitOpError("axes do not fit the result rank ") << rank;
      out.push_back(in.front());
      in = in.drop_front();
    }
  }
  inferred.push_back(type.clone(out));
  return success();
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  if (getData().getType() == getType())
    return getData();
  if (Attribute folded = reshapeConstant(adaptor.getData(), getResult()))
    return folded;
  return foldKnownInts(getResult());
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

SmallVector<int64_t> TransposeOp::getEffectivePerm() {
  if (std::optional<ArrayRef<int64_t>> perm = getPerm())
    return llvm::to_vector(*perm);
  int64_t rank = getData().getType().getRank();
  SmallVector<int64_t> perm;
  for (int64_t i = rank - 1; i >= 0; --i)
    perm.push_back(i);
  return perm;
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getData().getType();
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = getEffectivePerm();
  if (int64_t(perm.size()) != rank)
    return emitOpError("perm has ") << perm.size() << " entries for rank "
                                    << rank;
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> out;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank)
      return emitOpError("perm entry ") << p << " is out of range for rank "
                                        << rank;
    if (seen[p])
      return emitOpError("perm repeats dimension ") << p;
    seen[p] = true;
    out.push_back(type.getDimSize(p));
  }
  inferred.push_back(type.clone(out));
  return success();
}

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
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  auto first = cast<RankedTensorType>(getInputs().front().getType());
  int64_t rank = first.getRank();
  if (rank == 0)
    return emitOpError("inputs must have rank at least 1");
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> out(first.getShape());
  out[*axis] = 0;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getElementType() != first.getElementType())
      return emitOpError("input #") << i << " has element type "
                                    << type.getElementType()
                                    << " where input #0 has "
                                    << first.getElementType();
    if (type.getRank() != rank)
      return emitOpError("input #") << i << " has rank " << type.getRank()
                                    << " where input #0 has rank " << rank;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        if (ShapedType::isDynamic(size) || ShapedType::isDynamic(out[d]))
          out[d] = kDynamic;
        else if ((out[d] += size) > kMaxElements)
          return emitOpError("result shape has more than 2^48 elements");
        continue;
      }
      if (ShapedType::isDynamic(size))
        continue;
      if (ShapedType::isDynamic(out[d]))
        out[d] = size;
      else if (out[d] != size)
        return emitOpError("input #")
               << i << " has size " << size << " in dimension " << d
               << " where the others have " << out[d];
    }
  }
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, out, first.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

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

//===----------------------------------------------------------------------===//
// SplitOp
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  int64_t parts = getNumResults();
  if (parts == 0)
    return emitOpError("needs at least one result");
  FailureOr<int64_t> axis = tensorAxis(*this, getAxis(), type.getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  SmallVector<int64_t> sizes(parts, kDynamic);
  if (!isNone(getSplit())) {
    FailureOr<int64_t> n = vectorLength(*this, getSplit(), "split");
    if (failed(n))
      return failure();
    if (!ShapedType::isDynamic(*n) && *n != parts)
      return emitOpError("split has ") << *n << " entries for " << parts
                                       << " results";
    if (std::optional<SmallVector<int64_t>> split = getKnownInts(getSplit())) {
      int64_t sum = 0;
      for (int64_t s : *split) {
        if (s < 0)
          return emitOpError("split entry ") << s << " is negative";
        if (s > kMaxElements || (sum += s) > kMaxElements)
          return emitOpError("split entries are too large");
      }
      if (!ShapedType::isDynamic(dim) && sum != dim)
        return emitOpError("split entries sum to ")
               << sum << " but dimension " << *axis << " has size " << dim;
      sizes.assign(split->begin(), split->end());
    }
  } else if (!ShapedType::isDynamic(dim)) {
    if (dim % parts != 0)
      return emitOpError("dimension ") << *axis << " of size " << dim
                                       << " does not split into " << parts
                                       << " equal parts";
    sizes.assign(parts, dim / parts);
  }
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(type.getShape());
    shape[*axis] = size;
    inferred.push_back(type.clone(shape));
  }
  return success();
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
// SliceOp
//===----------------------------------------------------------------------===//

/// The start, step and count of every axis of a slice of a tensor of static
/// `shape`, or nullopt when an operand is not known. Assumes a verified op.
static std::optional<SmallVector<SliceRange>> sliceRanges(SliceOp op,
                                                          ArrayRef<int64_t> shape) {
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

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getData().getType();
  int64_t rank = type.getRank();
  // starts, ends, axes and steps: one element type, one length.
  Type indexType = getStarts().getType().getElementType();
  int64_t length = kDynamic;
  std::pair<Value, StringRef> params[] = {{getStarts(), "starts"},
                                          {getEnds(), "ends"},
                                          {getAxes(), "axes"},
                                          {getSteps(), "steps"}};
  for (auto [v, name] : params) {
    if (isNone(v))
      continue;
    if (cast<RankedTensorType>(v.getType()).getElementType() != indexType)
      return emitOpError("starts, ends, axes and steps must have one element "
                         "type");
    FailureOr<int64_t> n = vectorLength(*this, v, name);
    if (failed(n))
      return failure();
    if (ShapedType::isDynamic(*n))
      continue;
    if (!ShapedType::isDynamic(length) && length != *n)
      return emitOpError("starts, ends, axes and steps must have one length");
    length = *n;
  }
  if (!ShapedType::isDynamic(length) && length > rank)
    return emitOpError("slices ") << length << " axes of a rank " << rank
                                  << " tensor";

  // Which axes are sliced, when known.
  std::optional<SmallVector<int64_t>> axes;
  if (isNone(getAxes())) {
    if (!ShapedType::isDynamic(length))
      axes = llvm::to_vector(llvm::seq<int64_t>(0, length));
  } else if ((axes = getKnownInts(getAxes()))) {
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeAxes(*this, *axes, rank, "axes");
    if (failed(normalized))
      return failure();
    axes = *normalized;
  }
  std::optional<SmallVector<int64_t>> steps;
  if (!isNone(getSteps()) && (steps = getKnownInts(getSteps())))
    if (llvm::is_contained(*steps, 0))
      return emitOpError("steps may not hold 0");

  SmallVector<int64_t> out(type.getShape());
  if (!axes) {
    out.assign(rank, kDynamic);
  } else {
    for (int64_t a : *axes)
      out[a] = kDynamic;
    if (std::optional<SmallVector<SliceRange>> ranges =
            sliceRanges(*this, type.getShape())) {
      for (int64_t a : *axes)
        out[a] = (*ranges)[a].count;
    } else {
      // Sliced axes of known static size may still resolve one by one.
      std::optional<SmallVector<int64_t>> starts = getKnownInts(getStarts());
      std::optional<SmallVector<int64_t>> ends = getKnownInts(getEnds());
      bool stepsKnown = isNone(getSteps()) || steps.has_value();
      if (starts && ends && stepsKnown && starts->size() == axes->size() &&
          ends->size() == axes->size()) {
        for (auto [i, a] : llvm::enumerate(*axes)) {
          int64_t d = type.getDimSize(a);
          if (ShapedType::isDynamic(d))
            continue;
          int64_t step = steps ? (*steps)[i] : 1;
          out[a] = resolveSliceRange(d, (*starts)[i], (*ends)[i], step).count;
        }
      }
    }
  }
  inferred.push_back(type.clone(out));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType dataType = getData().getType();
  std::optional<SmallVector<int64_t>> steps;
  if (!isNone(getSteps()))
    steps = getKnownInts(getSteps());
  bool forward = isNone(getSteps()) ||
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

//===----------------------------------------------------------------------===//
// GatherOp, GatherElementsOp, GatherNDOp
//===----------------------------------------------------------------------===//

/// Checks constant indices against an axis of static size `size`.
static LogicalResult checkIndices(Operation *op, Value indices, int64_t size) {
  if (ShapedType::isDynamic(size))
    return success();
  std::optional<SmallVector<int64_t>> values = getKnownInts(indices);
  if (!values)
    return success();
  for (int64_t i : *values)
    if (i < -size || i >= size)
      return op->emitOpError("index ")
             << i << " is out of range for an axis of size " << size;
  return success();
}

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  FailureOr<int64_t> axis = tensorAxis(*this, getAxis(), data.getRank(), "axis");
  if (failed(axis))
    return failure();
  if (failed(checkIndices(*this, getIndices(), data.getDimSize(*axis))))
    return failure();
  SmallVector<int64_t> out(data.getShape().take_front(*axis));
  llvm::append_range(out, indices.getShape());
  llvm::append_range(out, data.getShape().drop_front(*axis + 1));
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, out, data.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
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

LogicalResult
GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  FailureOr<int64_t> axis = tensorAxis(*this, getAxis(), data.getRank(), "axis");
  if (failed(axis))
    return failure();
  if (indices.getRank() != data.getRank())
    return emitOpError("indices has rank ")
           << indices.getRank() << " where data has rank " << data.getRank();
  if (failed(checkIndices(*this, getIndices(), data.getDimSize(*axis))))
    return failure();
  inferred.push_back(indices.clone(data.getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  int64_t r = data.getRank(), q = indices.getRank();
  int64_t b = getBatchDims();
  if (r < 1 || q < 1)
    return emitOpError("data and indices must have rank at least 1");
  if (b < 0 || b >= std::min(r, q))
    return emitOpError("batch_dims ")
           << b << " must be in [0, " << std::min(r, q) << ")";
  int64_t k = indices.getDimSize(q - 1);
  if (ShapedType::isDynamic(k))
    return emitOpError("the last dimension of indices must be static");
  if (k > r - b)
    return emitOpError("index tuples of length ")
           << k << " are too long for data of rank " << r
           << " with batch_dims " << b;
  SmallVector<int64_t> out(indices.getShape().drop_back());
  for (int64_t i = 0; i < b; ++i) {
    int64_t dd = data.getDimSize(i), id = indices.getDimSize(i);
    if (ShapedType::isDynamic(out[i]))
      out[i] = dd;
    else if (!ShapedType::isDynamic(dd) && dd != id)
      return emitOpError("batch dimension ")
             << i << " has size " << id << " in indices and " << dd
             << " in data";
  }
  llvm::append_range(out, data.getShape().drop_front(b + k));
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, out, data.getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// ExpandOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  FailureOr<int64_t> n = staticVectorLength(*this, getShape(), "shape");
  if (failed(n))
    return failure();
  SmallVector<ShapeElement> shape = elementsOrUnknown(getShape(), *n);
  int64_t rank = std::max(type.getRank(), *n);
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t inPos = i - (rank - type.getRank());
    int64_t shapePos = i - (rank - *n);
    int64_t in = inPos >= 0 ? type.getDimSize(inPos) : 1;
    std::optional<int64_t> s = int64_t(1);
    if (shapePos >= 0)
      s = shape[shapePos].value;
    if (!s) {
      // The result has the input size unless that is 1 (or unknown).
      out.push_back(in == 1 ? kDynamic : in);
      continue;
    }
    if (*s < 0)
      return emitOpError("shape entry ") << *s << " is negative";
    if (*s == 1 || *s == in)
      out.push_back(in);
    else if (in == 1 || ShapedType::isDynamic(in))
      out.push_back(*s);
    else
      return emitOpError("cannot broadcast dimension ")
             << inPos << " of size " << in << " to " << *s;
  }
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

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

//===----------------------------------------------------------------------===//
// TileOp
//===----------------------------------------------------------------------===//

LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  FailureOr<int64_t> n = vectorLength(*this, getRepeats(), "repeats");
  if (failed(n))
    return failure();
  if (!ShapedType::isDynamic(*n) && *n != type.getRank())
    return emitOpError("repeats has ") << *n << " entries for rank "
                                       << type.getRank();
  SmallVector<ShapeElement> repeats = elementsOrUnknown(getRepeats(), type.getRank());
  SmallVector<int64_t> out;
  for (auto [d, e] : llvm::zip(type.getShape(), repeats)) {
    if (e.value && *e.value < 0)
      return emitOpError("repeats entry ") << *e.value << " is negative";
    if (d == 0 || (e.value && *e.value == 0)) {
      out.push_back(0);
    } else if (!e.value || ShapedType::isDynamic(d)) {
      out.push_back(e.value && *e.value == 1 ? d : kDynamic);
    } else {
      if (*e.value > kMaxElements / d)
        return emitOpError("result shape has more than 2^48 elements");
      out.push_back(d * *e.value);
    }
  }
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
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

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getData().getType();
  int64_t rank = type.getRank();
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("mode must be constant, reflect or edge, got '")
           << mode << "'";
  FailureOr<int64_t> n = vectorLength(*this, getPads(), "pads");
  if (failed(n))
    return failure();
  if (!ShapedType::isDynamic(*n) && *n != 2 * rank)
    return emitOpError("pads has ") << *n << " entries for rank " << rank
                                    << " (needs " << 2 * rank << ")";
  if (RankedTensorType value = getTensorType(getConstantValue())) {
    if (value.getElementType() != type.getElementType())
      return emitOpError("constant_value has element type ")
             << value.getElementType() << " where data has "
             << type.getElementType();
    if (value.hasStaticShape() && value.getNumElements() != 1)
      return emitOpError("constant_value must hold one element, got ")
             << value.getNumElements();
  }
  SmallVector<ShapeElement> pads = elementsOrUnknown(getPads(), 2 * rank);
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = type.getDimSize(i);
    std::optional<int64_t> begin = pads[i].value, end = pads[i + rank].value;
    for (std::optional<int64_t> p : {begin, end}) {
      if (p && (*p > kMaxElements || *p < -kMaxElements))
        return emitOpError("pads entry ") << *p << " is out of range";
      if (!p || ShapedType::isDynamic(d) || *p <= 0)
        continue;
      if (mode == "reflect" && *p >= d)
        return emitOpError("reflect pad of ")
               << *p << " needs dimension " << i << " (of size " << d
               << ") to be larger";
      if (mode == "edge" && d == 0)
        return emitOpError("edge pad of an empty dimension ") << i;
    }
    if (!begin || !end || ShapedType::isDynamic(d)) {
      out.push_back(kDynamic);
      continue;
    }
    int64_t size = d + *begin + *end;
    if (size < 0)
      return emitOpError("pads remove more than the ")
             << d << " elements of dimension " << i;
    out.push_back(size);
  }
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  std::optional<SmallVector<int64_t>> pads = getKnownInts(getPads());
  if (pads && llvm::all_of(*pads, [](int64_t p) { return p == 0; }) &&
      getData().getType() == getType())
    return getData();
  return {};
}

} // namespace kiln::graph
