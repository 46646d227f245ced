//===- GraphReductionOps.cpp - Reductions and normalizations --------------===//
//
// Shape inference of the reductions (which dimensions collapse, kept as 1
// or dropped), of the ops that work along one axis, and of the
// normalizations, whose parameter operands must match the channel or
// trailing dimensions of their input. ReduceSum, ReduceProd, ReduceMax and
// ReduceMin fold on constant integer tensors, which is how exported models
// compute flattened sizes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

namespace kiln::graph {

//===----------------------------------------------------------------------===//
// Shape inference helpers
//===----------------------------------------------------------------------===//

/// The ranked tensor type of operand `idx` of `op`, or an error naming the
/// operand when it is missing or not a ranked tensor.
static FailureOr<RankedTensorType> operandTensor(Operation *op, unsigned idx,
                                                 StringRef name) {
  if (idx >= op->getNumOperands())
    return op->emitOpError("requires operand ") << name;
  RankedTensorType type = getTensorType(op->getOperand(idx));
  if (!type)
    return op->emitOpError("operand ") << name << " must be a ranked tensor";
  return type;
}

/// Marks the dimensions of a rank-`rank` tensor that `axes` names. Each
/// axis must be in [-rank, rank) and appear once; errors name `what`.
static FailureOr<SmallVector<bool>> axesMask(Operation *op,
                                             ArrayRef<int64_t> axes,
                                             int64_t rank, StringRef what) {
  SmallVector<bool> mask(rank, false);
  for (int64_t axis : axes) {
    if (axis < -rank || axis >= rank)
      return op->emitOpError()
             << what << " value " << axis << " is out of range for rank "
             << rank;
    int64_t dim = axis < 0 ? axis + rank : axis;
    if (mask[dim])
      return op->emitOpError()
             << what << " names dimension " << dim << " more than once";
    mask[dim] = true;
  }
  return mask;
}

/// The shape left when the dimensions marked in `reduced` collapse: to 1
/// with `keepdims`, else dropped.
static SmallVector<int64_t> reduceShape(ArrayRef<int64_t> shape,
                                        ArrayRef<bool> reduced,
                                        bool keepdims) {
  SmallVector<int64_t> out;
  for (auto [dim, isReduced] : llvm::zip(shape, reduced)) {
    if (!isReduced)
      out.push_back(dim);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

/// Maps `axis` of a rank-`rank` operand named `what` to [0, rank); the
/// operand must have rank 1 or more.
static FailureOr<int64_t> checkedAxis(Operation *op, int64_t axis,
                                      int64_t rank, StringRef what) {
  if (rank == 0)
    return op->emitOpError()
           << what << " must have rank 1 or more to have an axis";
  return normalizeAxis(op, axis, rank);
}

/// The Reduce* ops with axes as an attribute: absent or empty axes reduce
/// every dimension.
static LogicalResult inferAttrReduction(Operation *op,
                                        std::optional<ArrayRef<int64_t>> axes,
                                        bool keepdims,
                                        SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> data = operandTensor(op, 0, "data");
  if (failed(data))
    return failure();
  int64_t rank = data->getRank();
  SmallVector<bool> reduced(rank, true);
  if (axes && !axes->empty()) {
    FailureOr<SmallVector<bool>> mask = axesMask(op, *axes, rank, "axes");
    if (failed(mask))
      return failure();
    reduced = std::move(*mask);
  }
  inferred.push_back(RankedTensorType::get(
      reduceShape(data->getShape(), reduced, keepdims),
      data->getElementType()));
  return success();
}

/// ArgMax and ArgMin: one axis collapses and the result holds i64 indices.
static LogicalResult inferArgReduction(Operation *op, int64_t axis,
                                       bool keepdims,
                                       SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> data = operandTensor(op, 0, "data");
  if (failed(data))
    return failure();
  FailureOr<int64_t> dim = checkedAxis(op, axis, data->getRank(), "data");
  if (failed(dim))
    return failure();
  SmallVector<bool> reduced(data->getRank(), false);
  reduced[*dim] = true;
  inferred.push_back(
      RankedTensorType::get(reduceShape(data->getShape(), reduced, keepdims),
                            IntegerType::get(op->getContext(), 64)));
  return success();
}

/// Ops that keep their input's type and only need `axis` to be valid.
static LogicalResult inferSameTypeAlongAxis(Operation *op, int64_t axis,
                                            SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input = operandTensor(op, 0, "input");
  if (failed(input))
    return failure();
  if (failed(checkedAxis(op, axis, input->getRank(), "input")))
    return failure();
  inferred.push_back(*input);
  return success();
}

//===----------------------------------------------------------------------===//
// Folding helpers
//===----------------------------------------------------------------------===//

/// Folders read and produce at most this many elements.
static constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

namespace {
/// How an integer reduction combines elements.
enum class IntReduction { Sum, Prod, Max, Min };
} // namespace

/// Reduces the constant integer tensor `data` over the dimensions marked
/// in `reduced`, with the wrap-around arithmetic of its element type, into
/// `op`'s static result type. Max and Min over an empty set are not folded.
static OpFoldResult foldIntReduction(Operation *op, Attribute data,
                                     ArrayRef<bool> reduced,
                                     IntReduction kind) {
  auto elements = dyn_cast_if_present<ElementsAttr>(data);
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!elements || !resultType || !resultType.hasStaticShape() ||
      resultType.getNumElements() > kMaxFoldElements)
    return {};
  auto type = dyn_cast<RankedTensorType>(elements.getShapedType());
  auto intType = dyn_cast<IntegerType>(resultType.getElementType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldElements || !intType ||
      intType.getWidth() == 1 || type.getElementType() != intType ||
      type.getRank() != int64_t(reduced.size()))
    return {};
  auto values = elements.tryGetValues<APInt>();
  if (!values)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank();
  // Row-major strides of the result over the dimensions that stay.
  SmallVector<int64_t> outStrides(rank, 0);
  int64_t outCount = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (reduced[d])
      continue;
    outStrides[d] = outCount;
    outCount *= shape[d];
  }
  if (outCount != resultType.getNumElements())
    return {};
  unsigned width = intType.getWidth();
  bool isUnsigned = intType.isUnsigned();
  APInt init(width, kind == IntReduction::Prod ? 1 : 0);
  SmallVector<APInt> acc(outCount, init);
  SmallVector<bool> seen(outCount, false);
  SmallVector<int64_t> index(rank, 0);
  int64_t out = 0;
  for (APInt v : *values) {
    APInt &a = acc[out];
    switch (kind) {
    case IntReduction::Sum:
      a += v;
      break;
    case IntReduction::Prod:
      a *= v;
      break;
    case IntReduction::Max:
      if (!seen[out] || (isUnsigned ? v.ugt(a) : v.sgt(a)))
        a = v;
      break;
    case IntReduction::Min:
      if (!seen[out] || (isUnsigned ? v.ult(a) : v.slt(a)))
        a = v;
      break;
    }
    seen[out] = true;
    // Step the row-major input index and the result offset with it.
    for (int64_t d = rank - 1; d >= 0; --d) {
      ++index[d];
      out += outStrides[d];
      if (index[d] < shape[d])
        break;
      out -= outStrides[d] * shape[d];
      index[d] = 0;
    }
  }
  if ((kind == IntReduction::Max || kind == IntReduction::Min) &&
      llvm::is_contained(seen, false))
    return {};
  return DenseElementsAttr::get(resultType, acc);
}

/// The dimensions an attribute-axes reduction collapses, for folding.
static std::optional<SmallVector<bool>>
attrReducedDims(Operation *op, std::optional<ArrayRef<int64_t>> axes) {
  RankedTensorType data = getTensorType(op->getOperand(0));
  if (!data)
    return std::nullopt;
  int64_t rank = data.getRank();
  if (!axes || axes->empty())
    return SmallVector<bool>(rank, true);
  SmallVector<bool> mask(rank, false);
  for (int64_t axis : *axes) {
    if (axis < -rank || axis >= rank)
      return std::nullopt;
    mask[axis < 0 ? axis + rank : axis] = true;
  }
  return mask;
}

} // namespace kiln::graph

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphReductionOps.cpp.inc"

namespace kiln::graph {

//===----------------------------------------------------------------------===//
// Reduce* folders
//===----------------------------------------------------------------------===//

OpFoldResult ReduceProdOp::fold(FoldAdaptor adaptor) {
  std::optional<SmallVector<bool>> reduced =
      attrReducedDims(*this, getAxes());
  if (!reduced)
    return {};
  return foldIntReduction(*this, adaptor.getData(), *reduced,
                          IntReduction::Prod);
}

OpFoldResult ReduceMaxOp::fold(FoldAdaptor adaptor) {
  std::optional<SmallVector<bool>> reduced =
      attrReducedDims(*this, getAxes());
  if (!reduced)
    return {};
  return foldIntReduction(*this, adaptor.getData(), *reduced,
                          IntReduction::Max);
}

OpFoldResult ReduceMinOp::fold(FoldAdaptor adaptor) {
  std::optional<SmallVector<bool>> reduced =
      attrReducedDims(*this, getAxes());
  if (!reduced)
    return {};
  return foldIntReduction(*this, adaptor.getData(), *reduced,
                          IntReduction::Min);
}

//===----------------------------------------------------------------------===//
// ReduceSumOp
//===----------------------------------------------------------------------===//

namespace {
/// What a ReduceSum reduces, as far as its operands tell.
struct SumAxes {
  /// The op returns its input (empty axes with noop_with_empty_axes).
  bool noop = false;
  /// The reduced dimensions, when the axes are known.
  std::optional<SmallVector<bool>> reduced;
  /// The number of axes, when only the length of a non-constant axes
  /// operand is known.
  std::optional<int64_t> count;
};
} // namespace

/// Reads the axes operand of a ReduceSum over a rank-`rank` input. Emits
/// errors only when `op` is given (the folder asks quietly).
static FailureOr<SumAxes> getSumAxes(ReduceSumOp sum, int64_t rank,
                                     Operation *op) {
  SumAxes result;
  auto all = [&]() {
    if (sum.getNoopWithEmptyAxes() != 0)
      result.noop = true;
    else
      result.reduced = SmallVector<bool>(rank, true);
    return result;
  };
  Value axes = sum->getOperand(1);
  if (isNone(axes))
    return all();
  RankedTensorType type = getTensorType(axes);
  if (!type || type.getRank() != 1) {
    if (op)
      op->emitOpError("axes must be a 1-D tensor or none");
    return failure();
  }
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(axes)) {
    if (values->empty())
      return all();
    if (!op) {
      // Quiet variant of axesMask for the folder.
      SmallVector<bool> mask(rank, false);
      for (int64_t axis : *values) {
        if (axis < -rank || axis >= rank)
          return failure();
        mask[axis < 0 ? axis + rank : axis] = true;
      }
      result.reduced = std::move(mask);
      return result;
    }
    FailureOr<SmallVector<bool>> mask = axesMask(op, *values, rank, "axes");
    if (failed(mask))
      return failure();
    result.reduced = std::move(*mask);
    return result;
  }
  if (!type.isDynamicDim(0)) {
    if (type.getDimSize(0) == 0)
      return all();
    result.count = type.getDimSize(0);
  }
  return result;
}

LogicalResult ReduceSumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> data = operandTensor(*this, 0, "data");
  if (failed(data))
    return failure();
  if (getOperation()->getNumOperands() < 2)
    return emitOpError("requires operand axes");
  int64_t rank = data->getRank();
  FailureOr<SumAxes> axes = getSumAxes(*this, rank, *this);
  if (failed(axes))
    return failure();
  bool keepdims = getKeepdims() != 0;
  Type elt = data->getElementType();
  if (axes->noop) {
    inferred.push_back(*data);
    return success();
  }
  if (axes->reduced) {
    inferred.push_back(RankedTensorType::get(
        reduceShape(data->getShape(), *axes->reduced, keepdims), elt));
    return success();
  }
  // Axes known only at run time: any dimension may collapse.
  if (keepdims) {
    SmallVector<int64_t> shape;
    for (int64_t d : data->getShape())
      shape.push_back(d == 1 ? 1 : ShapedType::kDynamic);
    inferred.push_back(RankedTensorType::get(shape, elt));
    return success();
  }
  if (!axes->count)
    return emitOpError("axes must be constant or have a static length when "
                       "keepdims is 0, or the result rank is unknown");
  if (*axes->count > rank)
    return emitOpError("axes has ")
           << *axes->count << " entries, more than the data rank " << rank;
  inferred.push_back(RankedTensorType::get(
      SmallVector<int64_t>(rank - *axes->count, ShapedType::kDynamic), elt));
  return success();
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor adaptor) {
  RankedTensorType data = getTensorType(getOperation()->getOperand(0));
  if (!data)
    return {};
  FailureOr<SumAxes> axes = getSumAxes(*this, data.getRank(), nullptr);
  if (failed(axes))
    return {};
  if (axes->noop)
    return getData().getType() == getType() ? getData() : Value();
  if (!axes->reduced)
    return {};
  return foldIntReduction(*this, adaptor.getData(), *axes->reduced,
                          IntReduction::Sum);
}

//===----------------------------------------------------------------------===//
// CumSumOp
//===----------------------------------------------------------------------===//

LogicalResult CumSumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "x");
  FailureOr<RankedTensorType> axis = operandTensor(*this, 1, "axis");
  if (failed(x) || failed(axis))
    return failure();
  if (x->getRank() == 0)
    return emitOpError("x must have rank 1 or more to have an axis");
  // ONNX asks for a scalar; a one-element 1-D tensor means the same.
  bool scalarLike = axis->getRank() == 0 ||
                    (axis->getRank() == 1 && (axis->isDynamicDim(0) ||
                                              axis->getDimSize(0) == 1));
  if (!scalarLike)
    return emitOpError("axis must be a scalar, got ") << *axis;
  if (std::optional<SmallVector<int64_t>> value =
          getConstantInts(getOperation()->getOperand(1))) {
    if (value->size() != 1)
      return emitOpError("axis must hold one value");
    if (failed(normalizeAxis(*this, value->front(), x->getRank())))
      return failure();
  }
  inferred.push_back(*x);
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormalizationOp, InstanceNormalizationOp
//===----------------------------------------------------------------------===//

/// Checks that operand `idx` (named `name`) is 1-D with `channels`
/// elements, and learns the channel count from it when it was unknown.
static LogicalResult checkChannelVector(Operation *op, unsigned idx,
                                        StringRef name, int64_t &channels,
                                        Type &elementType) {
  FailureOr<RankedTensorType> type = operandTensor(op, idx, name);
  if (failed(type))
    return failure();
  if (type->getRank() != 1)
    return op->emitOpError()
           << name << " must be 1-D, got rank " << type->getRank();
  int64_t size = type->getDimSize(0);
  if (!ShapedType::isDynamic(size)) {
    if (ShapedType::isDynamic(channels))
      channels = size;
    else if (size != channels)
      return op->emitOpError()
             << name << " has " << size << " elements, but the input has "
             << channels << " channels";
  }
  elementType = type->getElementType();
  return success();
}

LogicalResult
BatchNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  if (rank == 0)
    return emitOpError("X must have rank 1 or more");
  // A 1-D X is N samples of one channel.
  int64_t channels = rank > 1 ? x->getDimSize(1) : 1;
  const char *names[] = {"scale", "B", "input_mean", "input_var"};
  Type elts[4];
  for (unsigned i = 0; i < 4; ++i)
    if (failed(checkChannelVector(*this, i + 1, names[i], channels, elts[i])))
      return failure();
  if (elts[0] != elts[1])
    return emitOpError("scale and B element types differ: ")
           << elts[0] << " vs " << elts[1];
  if (elts[2] != elts[3])
    return emitOpError("input_mean and input_var element types differ: ")
           << elts[2] << " vs " << elts[3];
  SmallVector<int64_t> shape(x->getShape());
  if (rank > 1)
    shape[1] = channels;
  inferred.push_back(RankedTensorType::get(shape, x->getElementType()));
  auto stats = RankedTensorType::get({channels}, elts[2]);
  inferred.push_back(stats);
  inferred.push_back(stats);
  return success();
}

LogicalResult
InstanceNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input = operandTensor(*this, 0, "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 3)
    return emitOpError("input must have rank 3 or more (N x C x D1 ...), "
                       "got rank ")
           << input->getRank();
  int64_t channels = input->getDimSize(1);
  const char *names[] = {"scale", "B"};
  for (unsigned i = 0; i < 2; ++i) {
    Type elt;
    if (failed(checkChannelVector(*this, i + 1, names[i], channels, elt)))
      return failure();
    if (elt != input->getElementType())
      return emitOpError()
             << names[i] << " element type " << elt
             << " differs from the input's " << input->getElementType();
  }
  SmallVector<int64_t> shape(input->getShape());
  shape[1] = channels;
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNormalizationOp
//===----------------------------------------------------------------------===//

LogicalResult
LayerNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  FailureOr<int64_t> axis = checkedAxis(*this, getAxis(), rank, "X");
  if (failed(axis))
    return failure();
  Type stash = getStashType();
  if (!isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(stash))
    return emitOpError("stash_type must be a floating-point type, got ")
           << stash;
  SmallVector<int64_t> shape(x->getShape());
  const char *names[] = {"Scale", "B"};
  for (unsigned i = 0; i < 2; ++i) {
    if (i + 1 >= getOperation()->getNumOperands())
      return emitOpError("requires operand ") << names[i];
    Value v = getOperation()->getOperand(i + 1);
    if (i == 1 && isNone(v))
      continue;
    FailureOr<RankedTensorType> type = operandTensor(*this, i + 1, names[i]);
    if (failed(type))
      return failure();
    if (type->getElementType() != x->getElementType())
      return emitOpError()
             << names[i] << " element type " << type->getElementType()
             << " differs from X's " << x->getElementType();
    FailureOr<SmallVector<int64_t>> refined =
        broadcastOneWay(*this, shape, type->getShape(), names[i]);
    if (failed(refined))
      return failure();
    shape = std::move(*refined);
  }
  inferred.push_back(RankedTensorType::get(shape, x->getElementType()));
  SmallVector<int64_t> statsShape(shape.begin(), shape.begin() + *axis);
  statsShape.append(rank - *axis, 1);
  auto stats = RankedTensorType::get(statsShape, stash);
  inferred.push_back(stats);
  inferred.push_back(stats);
  return success();
}

//===----------------------------------------------------------------------===//
// LRNOp, MeanVarianceNormalizationOp, LpNormalizationOp
//===----------------------------------------------------------------------===//

LogicalResult LRNOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  if (failed(x))
    return failure();
  if (x->getRank() < 2)
    return emitOpError("X must have rank 2 or more (N x C x ...), got rank ")
           << x->getRank();
  int64_t size = getSize();
  if (size < 1)
    return emitOpError("size must be positive, got ") << size;
  inferred.push_back(*x);
  return success();
}

LogicalResult
MeanVarianceNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  if (failed(x))
    return failure();
  if (failed(axesMask(*this, getAxes(), x->getRank(), "axes")))
    return failure();
  inferred.push_back(*x);
  return success();
}

LogicalResult
LpNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t p = getP();
  if (p != 1 && p != 2)
    return emitOpError("p must be 1 or 2, got ") << p;
  return inferSameTypeAlongAxis(*this, getAxis(), inferred);
}

} // namespace kiln::graph
