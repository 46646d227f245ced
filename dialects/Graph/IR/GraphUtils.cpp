//===- GraphUtils.cpp - Helpers for graph shape inference -----------------===//

#include "dialects/Graph/IR/GraphUtils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace kiln::graph {

bool isNone(Value v) { return isa<NoneType>(v.getType()); }

RankedTensorType getTensorType(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}

ElementsAttr getConstantValue(Value v) {
  ElementsAttr attr;
  if (v && matchPattern(v, m_Constant(&attr)))
    return attr;
  return nullptr;
}

SmallVector<int64_t> getInts(ElementsAttr attr) {
  SmallVector<int64_t> out;
  out.reserve(attr.getNumElements());
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  for (APInt v : attr.getValues<APInt>())
    out.push_back(isUnsigned || v.getBitWidth() == 1 ? int64_t(v.getZExtValue())
                                                     : v.getSExtValue());
  return out;
}

std::optional<SmallVector<int64_t>> getConstantInts(Value v) {
  ElementsAttr attr = getConstantValue(v);
  if (!attr || !isa<IntegerType>(attr.getElementType()) ||
      !attr.tryGetValues<APInt>()) // e.g. dense_resource: not readable here
    return std::nullopt;
  return getInts(attr);
}

std::optional<SmallVector<double>> getConstantDoubles(Value v) {
  ElementsAttr attr = getConstantValue(v);
  if (!attr || (!attr.tryGetValues<APInt>() && !attr.tryGetValues<APFloat>()))
    return std::nullopt;
  SmallVector<double> out;
  out.reserve(attr.getNumElements());
  Type elt = attr.getElementType();
  if (isa<FloatType>(elt)) {
    for (APFloat f : attr.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      out.push_back(f.convertToDouble());
    }
    return out;
  }
  if (isa<IntegerType>(elt)) {
    for (int64_t i : getInts(attr))
      out.push_back(elt.isUnsignedInteger() ? double(uint64_t(i)) : double(i));
    return out;
  }
  return std::nullopt;
}

FailureOr<RankedTensorType> checkedTensorType(Operation *op,
                                              ArrayRef<int64_t> shape,
                                              Type elementType) {
  int64_t product = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    if (d < 0)
      return op->emitOpError("result dimension ") << d << " is negative";
    if (d != 0 && product > kMaxElements / d)
      return op->emitOpError("result shape has more than 2^48 elements");
    product *= d;
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 StringRef what) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return op->emitOpError() << what << " " << axis
                             << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
broadcastShapes(Operation *op, ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> out(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t &o = out[rank - s.size() + i];
      int64_t d = s[i];
      if (d == 1)
        continue;
      if (o == 1) {
        o = d;
      } else if (ShapedType::isDynamic(o)) {
        if (!ShapedType::isDynamic(d))
          o = d;
      } else if (!ShapedType::isDynamic(d) && d != o) {
        auto diag = op->emitOpError("operand shapes do not broadcast: ");
        llvm::interleave(
            shapes, diag,
            [&](ArrayRef<int64_t> sh) {
              diag << "[";
              llvm::interleaveComma(sh, diag, [&](int64_t x) {
                if (ShapedType::isDynamic(x))
                  diag << "?";
                else
                  diag << x;
              });
              diag << "]";
            },
            " vs ");
        return failure();
      }
    }
  }
  return out;
}

std::optional<int64_t> staticProduct(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d) || d < 0)
      return std::nullopt;
    if (d != 0 && product > kMaxElements / d)
      return std::nullopt;
    product *= d;
  }
  return product;
}

DenseElementsAttr makeIntElements(RankedTensorType type,
                                  ArrayRef<int64_t> values) {
  Type elt = type.getElementType();
  if (auto it = dyn_cast<IntegerType>(elt)) {
    SmallVector<APInt> ints;
    ints.reserve(values.size());
    for (int64_t v : values)
      ints.push_back(it.getWidth() == 1 ? APInt(1, v != 0)
                                        : APInt(64, v, /*isSigned=*/true)
                                              .trunc(it.getWidth()));
    return DenseElementsAttr::get(type, ints);
  }
  SmallVector<double> doubles(values.begin(), values.end());
  return makeDoubleElements(type, doubles);
}

DenseElementsAttr makeDoubleElements(RankedTensorType type,
                                     ArrayRef<double> values) {
  Type elt = type.getElementType();
  if (auto ft = dyn_cast<FloatType>(elt)) {
    SmallVector<APFloat> floats;
    floats.reserve(values.size());
    for (double v : values) {
      APFloat f(v);
      bool lost;
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      floats.push_back(f);
    }
    return DenseElementsAttr::get(type, floats);
  }
  SmallVector<int64_t> ints;
  ints.reserve(values.size());
  for (double v : values) {
    if (elt.isInteger(1))
      ints.push_back(v != 0.0);
    else if (elt.isUnsignedInteger())
      ints.push_back(int64_t(uint64_t(v)));
    else
      ints.push_back(int64_t(v));
  }
  return makeIntElements(type, ints);
}

FailureOr<SmallVector<int64_t>> broadcastOneWay(Operation *op,
                                                ArrayRef<int64_t> target,
                                                ArrayRef<int64_t> shape,
                                                StringRef what) {
  if (shape.size() > target.size())
    return op->emitOpError()
           << what << " has rank " << shape.size()
           << ", more than the rank " << target.size() << " it broadcasts to";
  SmallVector<int64_t> out(target);
  size_t lead = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t s = shape[i];
    int64_t &d = out[lead + i];
    if (ShapedType::isDynamic(s) || s == 1)
      continue;
    if (ShapedType::isDynamic(d))
      d = s;
    else if (d != s)
      return op->emitOpError()
             << what << " dimension " << i << " has size " << s
             << ", which does not broadcast to " << d;
  }
  return out;
}

} // namespace kiln::graph
