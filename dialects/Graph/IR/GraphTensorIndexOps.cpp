//===- GraphTensorIndexOps.cpp - Scatters, block moves, Resize ------------===//
//
// Shape inference of the tensor ops that shape arithmetic does not run
// through: the scatters, DepthToSpace and SpaceToDepth, Trilu,
// ReverseSequence, the ops with data-dependent sizes (Compress, NonZero,
// Unique), OneHot, TopK and Resize. None of them folds. The op classes are
// generated into GraphTensorOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include <cmath>

using namespace mlir;

namespace kiln::graph {

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Checks that `v` is 1-D and returns its length, which may be dynamic.
static FailureOr<int64_t> vectorLength(Operation *op, Value v,
                                       StringRef name) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() != 1)
    return op->emitOpError() << name << " must be 1-D, got rank "
                             << type.getRank();
  return type.getDimSize(0);
}

/// Checks that `v` holds exactly one element: a scalar, or (as older
/// exporters write it) a 1-D tensor of length 1.
static LogicalResult checkOneElement(Operation *op, Value v, StringRef name) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() > 1 ||
      (type.getRank() == 1 && !ShapedType::isDynamic(type.getDimSize(0)) &&
       type.getDimSize(0) != 1))
    return op->emitOpError() << name << " must hold one element, got "
                             << type;
  return success();
}

/// Checks that `type` has at least `minRank` dimensions.
static LogicalResult checkMinRank(Operation *op, RankedTensorType type,
                                  int64_t minRank, StringRef name) {
  if (type.getRank() < minRank)
    return op->emitOpError() << name << " must have rank at least " << minRank
                             << ", got " << type.getRank();
  return success();
}

/// `a * b` for sizes that may be dynamic; fails past kMaxElements.
static FailureOr<int64_t> mulSizes(Operation *op, int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b))
    return kDynamic;
  if (a > kMaxElements / b)
    return op->emitOpError("result shape has more than 2^48 elements");
  return a * b;
}

/// Checks a scatter reduction attribute (opset 16: none, add, mul).
static LogicalResult checkReduction(Operation *op, StringRef reduction) {
  if (reduction != "none" && reduction != "add" && reduction != "mul")
    return op->emitOpError("reduction must be none, add or mul, got '")
           << reduction << "'";
  return success();
}

/// Checks that two sizes agree where both are static.
static bool sizesConflict(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

//===----------------------------------------------------------------------===//
// ScatterElementsOp, ScatterNDOp
//===----------------------------------------------------------------------===//

LogicalResult
ScatterElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  RankedTensorType updates = getUpdates().getType();
  if (failed(checkReduction(*this, getReduction())) ||
      failed(checkMinRank(*this, data, 1, "data")))
    return failure();
  if (failed(normalizeAxis(*this, getAxis(), data.getRank())))
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOpError("updates has element type ")
           << updates.getElementType() << " where data has "
           << data.getElementType();
  if (indices.getRank() != data.getRank() ||
      updates.getRank() != data.getRank())
    return emitOpError("data, indices and updates must have one rank");
  for (int64_t d = 0; d < data.getRank(); ++d)
    if (sizesConflict(indices.getDimSize(d), updates.getDimSize(d)))
      return emitOpError("indices and updates differ in dimension ") << d;
  inferred.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  RankedTensorType updates = getUpdates().getType();
  if (failed(checkReduction(*this, getReduction())) ||
      failed(checkMinRank(*this, data, 1, "data")) ||
      failed(checkMinRank(*this, indices, 1, "indices")))
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOpError("updates has element type ")
           << updates.getElementType() << " where data has "
           << data.getElementType();
  int64_t r = data.getRank(), q = indices.getRank();
  int64_t k = indices.getDimSize(q - 1);
  if (!ShapedType::isDynamic(k)) {
    if (k > r)
      return emitOpError("index tuples of length ")
             << k << " are too long for data of rank " << r;
    // updates: indices.shape[:-1] ++ data.shape[k:]
    SmallVector<int64_t> expected(indices.getShape().drop_back());
    llvm::append_range(expected, data.getShape().drop_front(k));
    if (updates.getRank() != int64_t(expected.size()))
      return emitOpError("updates has rank ")
             << updates.getRank() << " where indices and data need "
             << expected.size();
    for (auto [d, e] : llvm::enumerate(expected))
      if (sizesConflict(updates.getDimSize(d), e))
        return emitOpError("updates has size ")
               << updates.getDimSize(d) << " in dimension " << d
               << " where indices and data need " << e;
  }
  inferred.push_back(data);
  return success();
}

//===----------------------------------------------------------------------===//
// DepthToSpaceOp, SpaceToDepthOp
//===----------------------------------------------------------------------===//

/// Checks the input and blocksize of DepthToSpace and SpaceToDepth, and
/// returns blocksize squared.
static FailureOr<int64_t> checkBlocks(Operation *op, RankedTensorType type,
                                      int64_t blocksize) {
  if (type.getRank() != 4)
    return op->emitOpError("input must be 4-D, got rank ") << type.getRank();
  if (blocksize <= 0)
    return op->emitOpError("blocksize must be positive, got ") << blocksize;
  // A block of more than 2^48 elements cannot fit any valid tensor.
  if (blocksize > (int64_t(1) << 24))
    return op->emitOpError("blocksize ") << blocksize << " is too large";
  return blocksize * blocksize;
}

LogicalResult
DepthToSpaceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  int64_t b = getBlocksize();
  FailureOr<int64_t> area = checkBlocks(*this, type, b);
  if (failed(area))
    return failure();
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError("mode must be DCR or CRD, got '") << getMode() << "'";
  int64_t c = type.getDimSize(1);
  if (!ShapedType::isDynamic(c) && c % *area != 0)
    return emitOpError("channels (") << c << ") must be a multiple of "
                                     << *area;
  FailureOr<int64_t> h = mulSizes(*this, type.getDimSize(2), b);
  FailureOr<int64_t> w = mulSizes(*this, type.getDimSize(3), b);
  if (failed(h) || failed(w))
    return failure();
  SmallVector<int64_t> out = {type.getDimSize(0),
                              ShapedType::isDynamic(c) ? c : c / *area, *h,
                              *w};
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

LogicalResult
SpaceToDepthOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  int64_t b = getBlocksize();
  FailureOr<int64_t> area = checkBlocks(*this, type, b);
  if (failed(area))
    return failure();
  SmallVector<int64_t> out = {type.getDimSize(0)};
  FailureOr<int64_t> c = mulSizes(*this, type.getDimSize(1), *area);
  if (failed(c))
    return failure();
  out.push_back(*c);
  for (int64_t d : {2, 3}) {
    int64_t size = type.getDimSize(d);
    if (!ShapedType::isDynamic(size) && size % b != 0)
      return emitOpError("dimension ") << d << " (" << size
                                       << ") must be a multiple of blocksize "
                                       << b;
    out.push_back(ShapedType::isDynamic(size) ? size : size / b);
  }
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

//===----------------------------------------------------------------------===//
// TriluOp, ReverseSequenceOp
//===----------------------------------------------------------------------===//

LogicalResult TriluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  if (failed(checkMinRank(*this, type, 2, "input")))
    return failure();
  if (!isNone(getK()) && failed(checkOneElement(*this, getK(), "k")))
    return failure();
  inferred.push_back(type);
  return success();
}

LogicalResult
ReverseSequenceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  if (failed(checkMinRank(*this, type, 2, "input")))
    return failure();
  int64_t batch = getBatchAxis(), time = getTimeAxis();
  if ((batch != 0 && batch != 1) || (time != 0 && time != 1) || batch == time)
    return emitOpError("batch_axis and time_axis must be 0 and 1, got ")
           << batch << " and " << time;
  FailureOr<int64_t> n =
      vectorLength(*this, getSequenceLens(), "sequence_lens");
  if (failed(n))
    return failure();
  if (sizesConflict(*n, type.getDimSize(batch)))
    return emitOpError("sequence_lens has ")
           << *n << " entries for a batch of " << type.getDimSize(batch);
  inferred.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// CompressOp, NonZeroOp, UniqueOp
//===----------------------------------------------------------------------===//

LogicalResult CompressOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getInput().getType();
  if (failed(checkMinRank(*this, type, 1, "input")))
    return failure();
  FailureOr<int64_t> n = vectorLength(*this, getCondition(), "condition");
  if (failed(n))
    return failure();
  // The length the condition selects from.
  int64_t length = kDynamic;
  std::optional<int64_t> axis;
  if (std::optional<uint64_t> a = getAxis()) {
    FailureOr<int64_t> normalized = normalizeAxis(*this, *a, type.getRank());
    if (failed(normalized))
      return failure();
    axis = *normalized;
    length = type.getDimSize(*axis);
  } else if (std::optional<int64_t> numel =
                 staticProduct(type.getShape())) {
    length = *numel;
  }
  if (!ShapedType::isDynamic(*n) && !ShapedType::isDynamic(length) &&
      *n > length)
    return emitOpError("condition has ")
           << *n << " entries for a selection of " << length;
  int64_t selected = kDynamic;
  if (std::optional<SmallVector<int64_t>> cond =
          getConstantInts(getCondition()))
    selected = llvm::count_if(*cond, [](int64_t c) { return c != 0; });
  SmallVector<int64_t> out = {selected};
  if (axis) {
    out.assign(type.getShape().begin(), type.getShape().end());
    out[*axis] = selected;
  }
  inferred.push_back(type.clone(out));
  return success();
}

LogicalResult NonZeroOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // ONNX shape inference gives [rank, ?], [0, ?] for a scalar.
  inferred.push_back(RankedTensorType::get(
      {getX().getType().getRank(), kDynamic},
      IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult UniqueOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getX().getType();
  if (getSorted() != 0 && getSorted() != 1)
    return emitOpError("sorted must be 0 or 1, got ") << int64_t(getSorted());
  auto i64 = IntegerType::get(getContext(), 64);
  // At most one distinct value when there is at most one to begin with.
  auto distinct = [](int64_t n) { return n == 0 || n == 1 ? n : kDynamic; };
  if (std::optional<uint64_t> a = getAxis()) {
    if (failed(checkMinRank(*this, type, 1, "X")))
      return failure();
    FailureOr<int64_t> axis = normalizeAxis(*this, *a, type.getRank());
    if (failed(axis))
      return failure();
    int64_t size = type.getDimSize(*axis);
    SmallVector<int64_t> shape(type.getShape());
    shape[*axis] = distinct(size);
    inferred.push_back(type.clone(shape));
    inferred.push_back(RankedTensorType::get({distinct(size)}, i64));
    inferred.push_back(RankedTensorType::get({size}, i64));
    inferred.push_back(RankedTensorType::get({distinct(size)}, i64));
    return success();
  }
  std::optional<int64_t> numel = staticProduct(type.getShape());
  int64_t n = numel ? *numel : kDynamic;
  inferred.push_back(
      RankedTensorType::get({distinct(n)}, type.getElementType()));
  inferred.push_back(RankedTensorType::get({distinct(n)}, i64));
  inferred.push_back(RankedTensorType::get({n}, i64));
  inferred.push_back(RankedTensorType::get({distinct(n)}, i64));
  return success();
}

//===----------------------------------------------------------------------===//
// OneHotOp
//===----------------------------------------------------------------------===//

LogicalResult OneHotOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType indices = getIndices().getType();
  auto values = cast<RankedTensorType>(getValues().getType());
  if (failed(checkOneElement(*this, getDepth(), "depth")))
    return failure();
  FailureOr<int64_t> n = vectorLength(*this, getValues(), "values");
  if (failed(n))
    return failure();
  if (!ShapedType::isDynamic(*n) && *n != 2)
    return emitOpError("values must hold [off_value, on_value], got ")
           << *n << " entries";
  int64_t rank = indices.getRank() + 1;
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range [" << -rank
                                << ", " << rank - 1 << "]";
  if (axis < 0)
    axis += rank;
  int64_t depth = kDynamic;
  if (std::optional<SmallVector<int64_t>> d = getKnownInts(getDepth());
      d && d->size() == 1) {
    if (d->front() < 0 || d->front() > kMaxElements)
      return emitOpError("depth ") << d->front() << " is out of range";
    depth = d->front();
  } else if (std::optional<SmallVector<double>> d =
                 getConstantDoubles(getDepth());
             d && d->size() == 1) {
    double v = std::trunc((*d)[0]);
    if (!(v >= 0.0 && v <= double(kMaxElements)))
      return emitOpError("depth ") << (*d)[0] << " is out of range";
    depth = int64_t(v);
  }
  SmallVector<int64_t> out(indices.getShape());
  out.insert(out.begin() + axis, depth);
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, values.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getX().getType();
  if (failed(checkMinRank(*this, type, 1, "X")) ||
      failed(checkOneElement(*this, getK(), "K")))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  int64_t size = type.getDimSize(*axis);
  int64_t k = kDynamic;
  if (std::optional<SmallVector<int64_t>> known = getKnownInts(getK());
      known && known->size() == 1) {
    k = known->front();
    if (k < 0)
      return emitOpError("K must not be negative, got ") << k;
    if (!ShapedType::isDynamic(size) && k > size)
      return emitOpError("K (") << k << ") is larger than dimension " << *axis
                                << " (" << size << ")";
  }
  SmallVector<int64_t> out(type.getShape());
  out[*axis] = k;
  inferred.push_back(type.clone(out));
  inferred.push_back(type.clone(out, IntegerType::get(getContext(), 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

/// Whether an optional Resize input is absent: `none`, or the empty tensor
/// that opset 11 exporters pass for an unused input.
static bool isAbsentInput(Value v) {
  if (isNone(v))
    return true;
  RankedTensorType type = getTensorType(v);
  return type && type.hasStaticShape() && type.getNumElements() == 0;
}

LogicalResult ResizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType type = getX().getType();
  int64_t rank = type.getRank();
  StringRef mode = getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("mode must be nearest, linear or cubic, got '")
           << mode << "'";
  StringRef transform = getCoordinateTransformationMode();
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_crop_and_resize",
                           "tf_half_pixel_for_nn"},
                          transform))
    return emitOpError("unknown coordinate_transformation_mode '")
           << transform << "'";
  StringRef nearest = getNearestMode();
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          nearest))
    return emitOpError("unknown nearest_mode '") << nearest << "'";

  bool hasScales = !isAbsentInput(getScales());
  bool hasSizes = !isAbsentInput(getSizes());
  if (hasScales == hasSizes)
    return emitOpError(hasScales ? "scales and sizes may not both be given"
                                 : "one of scales and sizes must be given");
  for (auto [v, name, expected] :
       {std::make_tuple(getRoi(), StringRef("roi"), 2 * rank),
        std::make_tuple(getScales(), StringRef("scales"), rank),
        std::make_tuple(getSizes(), StringRef("sizes"), rank)}) {
    if (isAbsentInput(v))
      continue;
    FailureOr<int64_t> n = vectorLength(*this, v, name);
    if (failed(n))
      return failure();
    if (sizesConflict(*n, expected))
      return emitOpError() << name << " has " << *n << " entries for rank "
                           << rank << " (needs " << expected << ")";
  }
  if (transform == "tf_crop_and_resize" && isAbsentInput(getRoi()))
    return emitOpError("tf_crop_and_resize needs roi");

  SmallVector<int64_t> out(rank, kDynamic);
  if (hasSizes) {
    if (std::optional<SmallVector<int64_t>> sizes = getKnownInts(getSizes());
        sizes && int64_t(sizes->size()) == rank) {
      for (auto [o, s] : llvm::zip(out, *sizes)) {
        if (s < 0)
          return emitOpError("sizes entry ") << s << " is negative";
        o = s;
      }
    }
  } else if (std::optional<SmallVector<double>> scales =
                 getConstantDoubles(getScales());
             scales && int64_t(scales->size()) == rank) {
    for (auto [o, s, d] : llvm::zip(out, *scales, type.getShape())) {
      if (!(s > 0.0) || !std::isfinite(s))
        return emitOpError("scales must be positive, got ") << s;
      if (s == 1.0) {
        o = d;
        continue;
      }
      if (ShapedType::isDynamic(d))
        continue;
      // In single precision, as ONNX shape inference and onnxruntime do
      // (the two can differ by one when the exact product is just below an
      // integer).
      double size = std::floor(double(float(d) * float(s)));
      if (size > double(kMaxElements))
        return emitOpError("result shape has more than 2^48 elements");
      o = int64_t(size);
    }
  }
  FailureOr<RankedTensorType> result =
      checkedTensorType(*this, out, type.getElementType());
  if (failed(result))
    return failure();
  inferred.push_back(*result);
  return success();
}

} // namespace kiln::graph
