//===- GraphUtils.cpp - Helpers for graph shape inference -----------------===//

#include "dialects/Graph/IR/GraphUtils.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/CheckedArithmetic.h"

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

//===----------------------------------------------------------------------===//
// Convolution and pooling windows, matrix products
//===----------------------------------------------------------------------===//

/// The extent of a kernel of size `k` with dilation `d`: (k - 1) * d + 1, or
/// nullopt when that overflows.
static std::optional<int64_t> effectiveKernel(int64_t k, int64_t d) {
  std::optional<int64_t> span = llvm::checkedMul<int64_t>(k - 1, d);
  if (!span)
    return std::nullopt;
  return llvm::checkedAdd<int64_t>(*span, 1);
}

/// Reads one INTS window attribute: absent gives `count` copies of
/// `fallback`; present must have `count` values in [minValue, kMaxElements].
static LogicalResult readWindowInts(Operation *op, StringRef name,
                                    std::optional<ArrayRef<int64_t>> values,
                                    size_t count, int64_t minValue,
                                    int64_t fallback,
                                    SmallVectorImpl<int64_t> &out) {
  if (!values) {
    out.assign(count, fallback);
    return success();
  }
  if (values->size() != count)
    return op->emitOpError() << name << " has " << values->size()
                             << " values, expected " << count;
  for (int64_t v : *values) {
    if (v < minValue)
      return op->emitOpError()
             << name << " value " << v << " must be "
             << (minValue > 0 ? "positive" : "non-negative");
    if (v > kMaxElements)
      return op->emitOpError() << name << " value " << v << " is too large";
  }
  out.assign(values->begin(), values->end());
  return success();
}

FailureOr<ConvWindow>
getConvWindow(Operation *op, int64_t numSpatial,
              std::optional<ArrayRef<int64_t>> kernelShape,
              ArrayRef<int64_t> weightKernel,
              std::optional<ArrayRef<int64_t>> strides,
              std::optional<ArrayRef<int64_t>> dilations,
              std::optional<ArrayRef<int64_t>> pads, StringRef autoPad) {
  ConvWindow window;
  if (autoPad == "NOTSET" || autoPad.empty())
    window.autoPad = AutoPad::NotSet;
  else if (autoPad == "SAME_UPPER")
    window.autoPad = AutoPad::SameUpper;
  else if (autoPad == "SAME_LOWER")
    window.autoPad = AutoPad::SameLower;
  else if (autoPad == "VALID")
    window.autoPad = AutoPad::Valid;
  else
    return op->emitOpError("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER "
                           "or VALID, got '")
           << autoPad << "'";

  size_t n = numSpatial;
  if (kernelShape) {
    if (failed(readWindowInts(op, "kernel_shape", kernelShape, n, 1, 1,
                              window.kernel)))
      return failure();
    if (weightKernel.size() == n)
      for (auto [i, k, w] : llvm::enumerate(window.kernel, weightKernel))
        if (!ShapedType::isDynamic(w) && w != k)
          return op->emitOpError("kernel_shape value ")
                 << k << " does not match the weight's spatial dimension "
                 << i << " of size " << w;
  } else {
    if (weightKernel.size() != n)
      return op->emitOpError("kernel_shape is required");
    for (int64_t w : weightKernel)
      if (!ShapedType::isDynamic(w) && w < 1)
        return op->emitOpError("weight has an empty spatial dimension");
    window.kernel.assign(weightKernel.begin(), weightKernel.end());
  }
  if (failed(readWindowInts(op, "strides", strides, n, 1, 1,
                            window.strides)) ||
      failed(readWindowInts(op, "dilations", dilations, n, 1, 1,
                            window.dilations)) ||
      failed(readWindowInts(op, "pads", pads, 2 * n, 0, 0, window.pads)))
    return failure();
  return window;
}

FailureOr<SmallVector<int64_t>>
inferConvOutputSizes(Operation *op, ArrayRef<int64_t> inputSizes,
                     const ConvWindow &window, bool ceilMode) {
  size_t n = window.kernel.size();
  assert(inputSizes.size() == n && "one input size per spatial dim");
  SmallVector<int64_t> out;
  for (size_t i = 0; i < n; ++i) {
    int64_t in = inputSizes[i];
    int64_t stride = window.strides[i];
    if (ShapedType::isDynamic(in)) {
      out.push_back(ShapedType::kDynamic);
      continue;
    }
    if (in > kMaxElements)
      return op->emitOpError("spatial dimension ")
             << i << " of size " << in << " is too large";
    if (window.autoPad == AutoPad::SameUpper ||
        window.autoPad == AutoPad::SameLower) {
      out.push_back(in / stride + (in % stride != 0));
      continue;
    }
    int64_t k = window.kernel[i];
    if (ShapedType::isDynamic(k)) {
      out.push_back(ShapedType::kDynamic);
      continue;
    }
    bool valid = window.autoPad == AutoPad::Valid;
    int64_t begin = valid ? 0 : window.pads[i];
    int64_t end = valid ? 0 : window.pads[n + i];
    int64_t padded = in + begin + end;
    std::optional<int64_t> extent = effectiveKernel(k, window.dilations[i]);
    if (!extent || *extent > padded)
      return op->emitOpError("spatial dimension ")
             << i << " of size " << in << " (padded to " << padded
             << ") is smaller than the window extent "
             << (extent ? *extent : k);
    int64_t span = padded - *extent;
    int64_t positions = span / stride;
    if (ceilMode && span % stride != 0) {
      ++positions;
      // A last window that would start in the end padding is dropped.
      if (positions * stride >= in + begin)
        --positions;
    }
    out.push_back(positions + 1);
  }
  return out;
}

std::optional<SmallVector<int64_t>>
explicitConvPads(ArrayRef<int64_t> inputSizes, const ConvWindow &window) {
  size_t n = window.kernel.size();
  if (window.autoPad == AutoPad::NotSet)
    return window.pads;
  SmallVector<int64_t> pads(2 * n, 0);
  if (window.autoPad == AutoPad::Valid)
    return pads;
  for (size_t i = 0; i < n; ++i) {
    int64_t in = inputSizes[i];
    int64_t k = window.kernel[i];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k) ||
        in > kMaxElements)
      return std::nullopt;
    int64_t stride = window.strides[i];
    int64_t out = in / stride + (in % stride != 0);
    std::optional<int64_t> extent = effectiveKernel(k, window.dilations[i]);
    if (!extent || *extent > kMaxElements)
      return std::nullopt;
    int64_t total = std::max<int64_t>((out - 1) * stride + *extent - in, 0);
    int64_t small = total / 2;
    bool upper = window.autoPad == AutoPad::SameUpper;
    pads[i] = upper ? small : total - small;
    pads[n + i] = upper ? total - small : small;
  }
  return pads;
}

FailureOr<SmallVector<int64_t>>
inferConvShape(Operation *op, RankedTensorType x, RankedTensorType w,
               int64_t group, std::optional<ArrayRef<int64_t>> kernelShape,
               std::optional<ArrayRef<int64_t>> strides,
               std::optional<ArrayRef<int64_t>> dilations,
               std::optional<ArrayRef<int64_t>> pads, StringRef autoPad) {
  if (x.getRank() < 3)
    return op->emitOpError("input must have rank >= 3 ([N, C, D1, ...]), got ")
           << x.getRank();
  if (w.getRank() != x.getRank())
    return op->emitOpError("weight must have the input's rank (")
           << x.getRank() << "), got " << w.getRank();
  if (group < 1 || group > kMaxElements)
    return op->emitOpError("group must be positive, got ") << group;
  int64_t c = x.getDimSize(1), m = w.getDimSize(0), wc = w.getDimSize(1);
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(wc)) {
    std::optional<int64_t> expected = llvm::checkedMul<int64_t>(wc, group);
    if (!expected || *expected != c)
      return op->emitOpError("input has ")
             << c << " channels but the weight expects " << wc << " * group "
             << group;
  }
  if (!ShapedType::isDynamic(m) && m % group != 0)
    return op->emitOpError("weight has ")
           << m << " output channels, not a multiple of group " << group;
  ArrayRef<int64_t> weightKernel = w.getShape().drop_front(2);
  FailureOr<ConvWindow> window =
      getConvWindow(op, x.getRank() - 2, kernelShape, weightKernel, strides,
                    dilations, pads, autoPad);
  if (failed(window))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes = inferConvOutputSizes(
      op, x.getShape().drop_front(2), *window, /*ceilMode=*/false);
  if (failed(sizes))
    return failure();
  SmallVector<int64_t> shape = {x.getDimSize(0), m};
  shape.append(*sizes);
  return shape;
}

FailureOr<SmallVector<int64_t>> inferMatMulShape(Operation *op,
                                                 ArrayRef<int64_t> a,
                                                 ArrayRef<int64_t> b) {
  if (a.empty() || b.empty())
    return op->emitOpError("matrix product operands must have rank >= 1");
  SmallVector<int64_t> lhs(a), rhs(b);
  bool vectorLhs = lhs.size() == 1, vectorRhs = rhs.size() == 1;
  if (vectorLhs)
    lhs.insert(lhs.begin(), 1);
  if (vectorRhs)
    rhs.push_back(1);
  int64_t kLhs = lhs.back(), kRhs = rhs[rhs.size() - 2];
  if (!ShapedType::isDynamic(kLhs) && !ShapedType::isDynamic(kRhs) &&
      kLhs != kRhs)
    return op->emitOpError("contraction dimensions differ: ")
           << kLhs << " vs " << kRhs;
  ArrayRef<int64_t> batchLhs = ArrayRef(lhs).drop_back(2);
  ArrayRef<int64_t> batchRhs = ArrayRef(rhs).drop_back(2);
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(op, {batchLhs, batchRhs});
  if (failed(shape))
    return failure();
  if (!vectorLhs)
    shape->push_back(lhs[lhs.size() - 2]);
  if (!vectorRhs)
    shape->push_back(rhs.back());
  return shape;
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
