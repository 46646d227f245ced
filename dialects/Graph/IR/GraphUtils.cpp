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
  if (!attr || !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  return getInts(attr);
}

std::optional<SmallVector<double>> getConstantDoubles(Value v) {
  ElementsAttr attr = getConstantValue(v);
  if (!attr)
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

} // namespace kiln::graph

//===----------------------------------------------------------------------===//
// Shape arithmetic (added with the tensor ops)
//===----------------------------------------------------------------------===//

namespace kiln::graph {

SliceRange resolveSliceRange(int64_t dim, int64_t start, int64_t end,
                             int64_t step) {
  assert(step != 0 && dim >= 0 && "slice of a static dimension");
  // Adding dim to a negative value cannot overflow.
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    int64_t span = end - start;
    return {start, step, span > 0 ? (span - 1) / step + 1 : 0};
  }
  start = std::clamp<int64_t>(start, 0, std::max<int64_t>(dim - 1, 0));
  end = std::clamp<int64_t>(end, -1, dim - 1);
  int64_t span = dim == 0 ? 0 : start - end;
  // -step may not be representable: compare before negating.
  int64_t count = span <= 0 ? 0 : (step <= -span ? 1 : (span - 1) / -step + 1);
  return {start, step, count};
}

/// Depth of the producer chains getShapeElements follows; exported shape
/// arithmetic is a handful of ops deep.
static constexpr unsigned kMaxShapeDepth = 16;
/// Integer tensors up to this size are followed as shape arithmetic.
static constexpr int64_t kMaxShapeElements = 64;

static std::optional<SmallVector<ShapeElement>>
shapeElements(Value v, unsigned depth);

/// The elements of `v` as shapeElements gives them, or `n` unknown ones.
static SmallVector<ShapeElement> shapeElementsOrUnknown(Value v, int64_t n,
                                                        unsigned depth) {
  std::optional<SmallVector<ShapeElement>> elems = shapeElements(v, depth);
  if (elems && int64_t(elems->size()) == n)
    return *elems;
  return SmallVector<ShapeElement>(n);
}

/// The elements of the 1-D `data` at the given indices, which count from
/// the back when negative; unknown where an index is out of range.
static SmallVector<ShapeElement> pickElements(ArrayRef<ShapeElement> data,
                                              ArrayRef<int64_t> indices) {
  SmallVector<ShapeElement> out;
  int64_t n = data.size();
  for (int64_t i : indices) {
    if (i < -n || i >= n)
      out.push_back({});
    else
      out.push_back(data[i < 0 ? i + n : i]);
  }
  return out;
}

static std::optional<SmallVector<ShapeElement>>
shapeElements(Value v, unsigned depth) {
  RankedTensorType type = getTensorType(v);
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxShapeElements)
    return std::nullopt;
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType || intType.getWidth() == 1)
    return std::nullopt;
  int64_t n = type.getNumElements();
  SmallVector<ShapeElement> elems(n);
  if (std::optional<SmallVector<int64_t>> ints = getConstantInts(v)) {
    for (auto [e, i] : llvm::zip(elems, *ints))
      e.value = i;
    return elems;
  }
  Operation *def = v.getDefiningOp();
  if (!def || depth >= kMaxShapeDepth)
    return elems;
  ++depth;

  if (auto shape = dyn_cast<ShapeOp>(def)) {
    RankedTensorType data = shape.getData().getType();
    int64_t rank = data.getRank();
    auto clamp = [&](int64_t d) {
      if (d < 0)
        d += rank;
      return std::clamp<int64_t>(d, 0, rank);
    };
    int64_t start = clamp(int64_t(shape.getStart()));
    int64_t end = shape.getEnd() ? clamp(int64_t(*shape.getEnd())) : rank;
    if (end - start != n)
      return elems;
    for (int64_t i = 0; i < n; ++i) {
      int64_t d = data.getDimSize(start + i);
      if (ShapedType::isDynamic(d))
        elems[i] = {std::nullopt, shape.getData(), start + i};
      else
        elems[i].value = d;
    }
    return elems;
  }

  // Reshape-like ops keep the elements in order.
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, IdentityOp>(def))
    return shapeElementsOrUnknown(def->getOperand(0), n, depth);

  if (auto cast = dyn_cast<CastOp>(def)) {
    RankedTensorType from = cast.getInput().getType();
    if (!isa<IntegerType>(from.getElementType()) ||
        from.getElementType().isInteger(1))
      return elems;
    elems = shapeElementsOrUnknown(cast.getInput(), n, depth);
    unsigned width = intType.getWidth();
    for (ShapeElement &e : elems) {
      if (width >= 64)
        continue;
      // Narrowing casts keep only what certainly fits.
      int64_t limit = int64_t(1) << (width - 1);
      if (e.value && (*e.value < -limit || *e.value >= limit))
        e = {};
      if (!e.value && width < 32)
        e = {};
    }
    return elems;
  }

  if (auto concat = dyn_cast<ConcatOp>(def)) {
    if (type.getRank() != 1)
      return elems;
    SmallVector<ShapeElement> out;
    for (Value input : concat.getInputs()) {
      RankedTensorType t = getTensorType(input);
      if (!t || t.getRank() != 1 || !t.hasStaticShape())
        return elems;
      llvm::append_range(out,
                         shapeElementsOrUnknown(input, t.getNumElements(),
                                                depth));
    }
    if (int64_t(out.size()) != n)
      return elems;
    return out;
  }

  if (auto gather = dyn_cast<GatherOp>(def)) {
    RankedTensorType data = getTensorType(gather.getData());
    if (!data || data.getRank() != 1 || !data.hasStaticShape())
      return elems;
    std::optional<SmallVector<int64_t>> indices =
        getConstantInts(gather.getIndices());
    if (!indices || int64_t(indices->size()) != n)
      return elems;
    SmallVector<ShapeElement> source =
        shapeElementsOrUnknown(gather.getData(), data.getNumElements(), depth);
    return pickElements(source, *indices);
  }

  if (auto slice = dyn_cast<SliceOp>(def)) {
    RankedTensorType data = getTensorType(slice.getData());
    if (!data || data.getRank() != 1 || !data.hasStaticShape())
      return elems;
    std::optional<SmallVector<int64_t>> starts =
        getConstantInts(slice.getStarts());
    std::optional<SmallVector<int64_t>> ends = getConstantInts(slice.getEnds());
    if (!starts || !ends || starts->size() != 1 || ends->size() != 1)
      return elems;
    int64_t step = 1;
    if (!isNone(slice.getSteps())) {
      std::optional<SmallVector<int64_t>> steps =
          getConstantInts(slice.getSteps());
      if (!steps || steps->size() != 1 || (*steps)[0] == 0)
        return elems;
      step = (*steps)[0];
    }
    if (!isNone(slice.getAxes())) {
      std::optional<SmallVector<int64_t>> axes =
          getConstantInts(slice.getAxes());
      if (!axes || axes->size() != 1 || ((*axes)[0] != 0 && (*axes)[0] != -1))
        return elems;
    }
    SliceRange range = resolveSliceRange(data.getNumElements(), (*starts)[0],
                                         (*ends)[0], step);
    if (range.count != n)
      return elems;
    SmallVector<int64_t> indices;
    for (int64_t i = 0; i < n; ++i)
      indices.push_back(range.start + i * range.step);
    SmallVector<ShapeElement> source =
        shapeElementsOrUnknown(slice.getData(), data.getNumElements(), depth);
    return pickElements(source, indices);
  }
  return elems;
}

std::optional<SmallVector<ShapeElement>> getShapeElements(Value v) {
  return shapeElements(v, 0);
}

std::optional<SmallVector<int64_t>> getKnownInts(Value v) {
  if (!v || isNone(v))
    return std::nullopt;
  if (std::optional<SmallVector<int64_t>> ints = getConstantInts(v))
    return ints;
  std::optional<SmallVector<ShapeElement>> elems = getShapeElements(v);
  if (!elems)
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const ShapeElement &e : *elems) {
    if (!e.value)
      return std::nullopt;
    out.push_back(*e.value);
  }
  return out;
}

} // namespace kiln::graph
