//===- GraphCoreOps.cpp - Constants, casts and shapes ---------------------===//
//
// Shape inference and folders of the core ops. The folders here carry most
// of the shape arithmetic that exported models hold: `Shape` and `Size` of
// static tensors, `ConstantOfShape` and `Range` of constants, `Cast` of
// constants.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include <cmath>

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphCoreOps.cpp.inc"

namespace kiln::graph {

/// Whether `t` is one of the element types ONNX tensors may have here.
static bool isGraphElementType(Type t) {
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(t))
    return true;
  auto it = dyn_cast<IntegerType>(t);
  if (!it)
    return false;
  unsigned w = it.getWidth();
  if (w == 1)
    return it.isSignless();
  return (w == 8 || w == 16 || w == 32 || w == 64) &&
         (it.isSignless() || it.isUnsigned());
}

/// Converts every element of `attr` to `to`, with the rules of ONNX Cast.
static ElementsAttr castElements(ElementsAttr attr, Type to) {
  auto type = RankedTensorType::get(attr.getShapedType().getShape(), to);
  Type from = attr.getElementType();
  if (isa<FloatType>(from)) {
    SmallVector<double> values;
    values.reserve(attr.getNumElements());
    for (APFloat f : attr.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      double d = f.convertToDouble();
      if (isa<IntegerType>(to) && !to.isInteger(1) && !std::isfinite(d))
        return nullptr; // Undefined in ONNX: leave it to the kernel.
      values.push_back(d);
    }
    return makeDoubleElements(type, values);
  }
  SmallVector<int64_t> ints = getInts(attr);
  if (isa<FloatType>(to)) {
    SmallVector<double> values;
    values.reserve(ints.size());
    for (int64_t v : ints)
      values.push_back(from.isUnsignedInteger() ? double(uint64_t(v))
                                                : double(v));
    return makeDoubleElements(type, values);
  }
  if (to.isInteger(1))
    for (int64_t &v : ints)
      v = v != 0;
  return makeIntElements(type, ints);
}

//===----------------------------------------------------------------------===//
// ConstantOp, NoneOp, IdentityOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = dyn_cast<RankedTensorType>(getValue().getType());
  if (!type || !isGraphElementType(type.getElementType()))
    return emitOpError("value must be a ranked tensor of an ONNX element type");
  inferred.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult NoneOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(NoneType::get(getContext()));
  return success();
}

OpFoldResult NoneOp::fold(FoldAdaptor) { return UnitAttr::get(getContext()); }

LogicalResult IdentityOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getInput().getType());
  return success();
}

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type to = getTo();
  if (!isGraphElementType(to))
    return emitOpError("cannot cast to ") << to;
  inferred.push_back(getInput().getType().cloneWith(std::nullopt, to));
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto input = dyn_cast_if_present<ElementsAttr>(adaptor.getInput());
  if (!input || !getType().hasStaticShape())
    return {};
  return castElements(input, getTo());
}

//===----------------------------------------------------------------------===//
// ShapeOp, SizeOp
//===----------------------------------------------------------------------===//

/// The [start, end) dimension range of a ShapeOp, clamped to the rank.
static std::pair<int64_t, int64_t> shapeRange(ShapeOp op) {
  int64_t rank = op.getData().getType().getRank();
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::min(std::max<int64_t>(v, 0), rank);
  };
  int64_t start = clamp(op.getStart());
  int64_t end = op.getEnd() ? clamp(*op.getEnd()) : rank;
  return {start, std::max(start, end)};
}

LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto [start, end] = shapeRange(*this);
  inferred.push_back(RankedTensorType::get(
      {end - start}, IntegerType::get(getContext(), 64)));
  return success();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto [start, end] = shapeRange(*this);
  ArrayRef<int64_t> dims =
      getData().getType().getShape().slice(start, end - start);
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return {};
  return makeIntElements(cast<RankedTensorType>(getType()), dims);
}

LogicalResult SizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      RankedTensorType::get({}, IntegerType::get(getContext(), 64)));
  return success();
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  std::optional<int64_t> n = staticProduct(getData().getType().getShape());
  if (!n)
    return {};
  return makeIntElements(cast<RankedTensorType>(getType()), {*n});
}

//===----------------------------------------------------------------------===//
// ConstantOfShapeOp
//===----------------------------------------------------------------------===//

/// The fill value of a ConstantOfShapeOp as a one-element attribute.
static ElementsAttr fillValue(ConstantOfShapeOp op) {
  if (std::optional<ElementsAttr> v = op.getValue())
    return *v;
  auto type = RankedTensorType::get({1}, Float32Type::get(op.getContext()));
  return DenseElementsAttr::get(type, 0.0f);
}

LogicalResult
ConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ElementsAttr value = fillValue(*this);
  if (value.getNumElements() != 1 ||
      !isGraphElementType(value.getElementType()))
    return emitOpError("value must hold exactly one element of an ONNX type");
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() != 1)
    return emitOpError("shape input must be 1-D, got rank ")
           << inputType.getRank();
  Type elt = value.getElementType();
  if (std::optional<SmallVector<int64_t>> shape = getConstantInts(getInput())) {
    FailureOr<RankedTensorType> type = checkedTensorType(*this, *shape, elt);
    if (failed(type))
      return failure();
    inferred.push_back(*type);
    return success();
  }
  int64_t rank = inputType.getDimSize(0);
  if (ShapedType::isDynamic(rank))
    return emitOpError("shape input must have a static length");
  inferred.push_back(RankedTensorType::get(
      SmallVector<int64_t>(rank, ShapedType::kDynamic), elt));
  return success();
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape())
    return {};
  ElementsAttr value = fillValue(*this);
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
  return {};
}

//===----------------------------------------------------------------------===//
// RangeOp
//===----------------------------------------------------------------------===//

/// The number of elements of a range, or nullopt when an input is not
/// constant or delta is zero.
static std::optional<int64_t> rangeLength(RangeOp op, double &start,
                                          double &delta) {
  std::optional<SmallVector<double>> s = getConstantDoubles(op.getStart());
  std::optional<SmallVector<double>> l = getConstantDoubles(op.getLimit());
  std::optional<SmallVector<double>> d = getConstantDoubles(op.getDelta());
  if (!s || !l || !d || s->size() != 1 || l->size() != 1 || d->size() != 1 ||
      (*d)[0] == 0.0)
    return std::nullopt;
  start = (*s)[0];
  delta = (*d)[0];
  double n = std::ceil(((*l)[0] - start) / delta);
  if (!(n < double(kMaxElements)))
    return std::nullopt;
  return std::max<int64_t>(int64_t(n), 0);
}

LogicalResult RangeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getStart().getType().getElementType();
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getElementType() != elt)
      return emitOpError("start, limit and delta must have one element type");
    if (t.getNumElements() != 1 && t.hasStaticShape())
      return emitOpError("start, limit and delta must be scalars");
  }
  double start, delta;
  std::optional<int64_t> n = rangeLength(*this, start, delta);
  inferred.push_back(
      RankedTensorType::get({n ? *n : ShapedType::kDynamic}, elt));
  return success();
}

OpFoldResult RangeOp::fold(FoldAdaptor) {
  double start, delta;
  std::optional<int64_t> n = rangeLength(*this, start, delta);
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!n || *n > (1 << 20) || !type || !type.hasStaticShape())
    return {};
  Type elt = type.getElementType();
  if (isa<IntegerType>(elt)) {
    SmallVector<int64_t> values;
    for (int64_t i = 0; i < *n; ++i)
      values.push_back(int64_t(start) + i * int64_t(delta));
    return makeIntElements(type, values);
  }
  SmallVector<double> values;
  for (int64_t i = 0; i < *n; ++i)
    values.push_back(start + double(i) * delta);
  return makeDoubleElements(type, values);
}

//===----------------------------------------------------------------------===//
// EyeLikeOp
//===----------------------------------------------------------------------===//

LogicalResult EyeLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType input = getInput().getType();
  if (input.getRank() != 2)
    return emitOpError("input must be 2-D, got rank ") << input.getRank();
  Type elt = getDtype() ? *getDtype() : input.getElementType();
  if (!isGraphElementType(elt))
    return emitOpError("dtype ") << elt << " is not an ONNX element type";
  inferred.push_back(input.clone(elt));
  return success();
}

} // namespace kiln::graph
