//===- GraphTensorOps.cpp - Reshapes, slices, gathers, broadcasts ---------===//
//
// Shape inference of the tensor ops that exported shape arithmetic runs
// through: Reshape and its relatives, Transpose, Concat, Split, Slice, the
// gathers, Expand, Tile and Pad. Where a result size depends on an operand
// that is not a constant, getShapeElements still knows the entries that are
// constants or dimensions of other tensors, so that for instance a Reshape
// to [Shape(x)[0], -1] keeps every static size of x.
//
// The rest of the family's inference (scatters, block moves, data-dependent
// sizes, Resize) is in GraphTensorIndexOps.cpp, the folders and
// canonicalizations in GraphTensorFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphTensorOps.cpp.inc"

namespace kiln::graph {

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Largest result rank taken from an operand length. No model comes close;
/// the bound keeps a malformed one from sizing huge allocations.
static constexpr int64_t kMaxRank = 1024;

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
  if (failed(n))
    return failure();
  if (ShapedType::isDynamic(*n))
    return op->emitOpError() << name << " must have a static length";
  if (*n > kMaxRank)
    return op->emitOpError() << name << " has " << *n
                             << " entries, more than the largest supported "
                                "rank ("
                             << kMaxRank << ")";
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
  std::string entry = (what + " entry").str();
  for (int64_t a : axes) {
    FailureOr<int64_t> n = tensorAxis(op, a, rank, entry);
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

//===----------------------------------------------------------------------===//
// SplitOp
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  int64_t parts = getNumResults();
  if (parts == 0)
    return emitOpError("needs at least one result");
  FailureOr<int64_t> axis =
      tensorAxis(*this, getAxis(), type.getRank(), "axis");
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

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

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
    // Each sliced axis of static size resolves on its own; the others keep
    // their size.
    for (int64_t a : *axes)
      out[a] = kDynamic;
    std::optional<SmallVector<int64_t>> starts = getKnownInts(getStarts());
    std::optional<SmallVector<int64_t>> ends = getKnownInts(getEnds());
    bool stepsKnown = isNone(getSteps()) || steps.has_value();
    if (starts && ends && stepsKnown && starts->size() == axes->size() &&
        ends->size() == axes->size() &&
        (!steps || steps->size() == axes->size())) {
      for (auto [i, a] : llvm::enumerate(*axes)) {
        int64_t d = type.getDimSize(a);
        if (ShapedType::isDynamic(d))
          continue;
        int64_t step = steps ? (*steps)[i] : 1;
        out[a] = resolveSliceRange(d, (*starts)[i], (*ends)[i], step).count;
      }
    }
  }
  inferred.push_back(type.clone(out));
  return success();
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
  FailureOr<int64_t> axis =
      tensorAxis(*this, getAxis(), data.getRank(), "axis");
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

LogicalResult
GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  FailureOr<int64_t> axis =
      tensorAxis(*this, getAxis(), data.getRank(), "axis");
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
  SmallVector<ShapeElement> repeats =
      elementsOrUnknown(getRepeats(), type.getRank());
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

} // namespace kiln::graph
