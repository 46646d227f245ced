//===- GraphElementwiseOps.cpp - Elementwise ops --------------------------===//
//
// Shape inference of the elementwise ops (the result is the operand type, or
// the numpy broadcast of the operand shapes) and their folders. The folders
// evaluate arithmetic, comparisons, logic and Where on constants exactly as
// the ONNX reference does, element type by element type: this is what makes
// the integer shape arithmetic of exported models disappear at import.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "llvm/ADT/APSInt.h"

#include <cstdlib>

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

/// A unary op's result: its operand's type, or a bool tensor of its shape.
static LogicalResult inferUnaryTypes(Operation *op, bool boolResult,
                                     SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> type = operandTensor(op, 0, "#0");
  if (failed(type))
    return failure();
  if (boolResult)
    inferred.push_back(type->clone(IntegerType::get(op->getContext(), 1)));
  else
    inferred.push_back(*type);
  return success();
}

/// Broadcasts `operands`, which must share one element type, and pushes the
/// result type: that element type, or bool when `boolResult` is set.
static LogicalResult inferBroadcastTypes(Operation *op, ValueRange operands,
                                         bool boolResult,
                                         SmallVectorImpl<Type> &inferred) {
  Type elementType;
  SmallVector<ArrayRef<int64_t>> shapes;
  for (auto [idx, value] : llvm::enumerate(operands)) {
    RankedTensorType type = getTensorType(value);
    if (!type)
      return op->emitOpError("operand #") << idx << " must be a ranked tensor";
    if (!elementType)
      elementType = type.getElementType();
    else if (type.getElementType() != elementType)
      return op->emitOpError("operand #")
             << idx << " has element type " << type.getElementType()
             << ", but operand #0 has " << elementType;
    shapes.push_back(type.getShape());
  }
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(op, shapes);
  if (failed(shape))
    return failure();
  if (boolResult)
    elementType = IntegerType::get(op->getContext(), 1);
  FailureOr<RankedTensorType> type =
      checkedTensorType(op, *shape, elementType);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Folding helpers
//===----------------------------------------------------------------------===//

/// Folders produce at most this many elements (and read at most this many
/// from each constant operand), unless every operand is a splat: then one
/// element is computed and the result is a splat of any size.
static constexpr int64_t kMaxFoldElements = int64_t(1) << 20;

namespace {
/// The elements of a constant operand, decoded once for folding: `ints`
/// for integer and bool types, `floats` for floating-point types. A splat
/// holds its one element.
struct ConstTensor {
  RankedTensorType type;
  SmallVector<APInt> ints;
  SmallVector<APFloat> floats;
  bool splat = false;

  bool isFloat() const { return isa<FloatType>(type.getElementType()); }
  bool isUnsigned() const { return type.getElementType().isUnsignedInteger(); }
};
} // namespace

/// Decodes a constant operand, or nullopt when it is not a small constant
/// of a numeric or bool type.
static std::optional<ConstTensor> decodeConstant(Attribute attr) {
  auto elements = dyn_cast_if_present<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(elements.getShapedType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  ConstTensor result{type, {}, {}};
  Type elt = type.getElementType();
  if (auto dense = dyn_cast<DenseElementsAttr>(elements);
      dense && dense.isSplat() && isa<FloatType, IntegerType>(elt)) {
    result.splat = true;
    if (isa<FloatType>(elt))
      result.floats.push_back(dense.getSplatValue<APFloat>());
    else
      result.ints.push_back(dense.getSplatValue<APInt>());
    return result;
  }
  if (type.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  if (isa<FloatType>(elt)) {
    auto values = elements.tryGetValues<APFloat>();
    if (!values)
      return std::nullopt;
    result.floats.assign(values->begin(), values->end());
  } else if (isa<IntegerType>(elt)) {
    auto values = elements.tryGetValues<APInt>();
    if (!values)
      return std::nullopt;
    result.ints.assign(values->begin(), values->end());
  } else {
    return std::nullopt;
  }
  return result;
}

/// Decodes every operand; nullopt unless all are small constants.
static std::optional<SmallVector<ConstTensor>>
decodeConstants(ArrayRef<Attribute> attrs) {
  SmallVector<ConstTensor> out;
  for (Attribute attr : attrs) {
    std::optional<ConstTensor> c = decodeConstant(attr);
    if (!c)
      return std::nullopt;
    out.push_back(std::move(*c));
  }
  return out;
}

/// Whether every decoded operand is a splat.
static bool allSplats(ArrayRef<ConstTensor> values) {
  return llvm::all_of(values, [](const ConstTensor &v) { return v.splat; });
}

/// The static result type of an op folding `values`, or null when the
/// result is not a static tensor of at most kMaxFoldElements elements (of
/// any size when it will be a splat).
static RankedTensorType foldResultType(Operation *op,
                                       ArrayRef<ConstTensor> values) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape() ||
      (!allSplats(values) && type.getNumElements() > kMaxFoldElements))
    return nullptr;
  return type;
}

/// The shape a fold iterates over: the result's, or a single element when
/// every operand is a splat.
static ArrayRef<int64_t> foldShape(RankedTensorType resultType,
                                   ArrayRef<ConstTensor> values) {
  return allSplats(values) ? ArrayRef<int64_t>() : resultType.getShape();
}

/// Calls `fn` once per element of `resultShape`, in row-major order, with
/// the offset of the element of each of `shapes` that numpy broadcasting
/// maps to it. Returns false, without calling `fn`, when a shape does not
/// broadcast to `resultShape`.
static bool forEachBroadcast(ArrayRef<int64_t> resultShape,
                             ArrayRef<ArrayRef<int64_t>> shapes,
                             function_ref<void(ArrayRef<int64_t>)> fn) {
  size_t rank = resultShape.size();
  // strides[k][d]: how far operand k's offset moves per step of result
  // dimension d (0 where operand k is broadcast along d).
  SmallVector<SmallVector<int64_t>> strides;
  for (ArrayRef<int64_t> shape : shapes) {
    if (shape.size() > rank)
      return false;
    SmallVector<int64_t> s(rank, 0);
    int64_t stride = 1;
    for (size_t i = shape.size(); i-- > 0;) {
      size_t d = rank - shape.size() + i;
      if (shape[i] != resultShape[d] && shape[i] != 1)
        return false;
      s[d] = shape[i] == 1 ? 0 : stride;
      stride *= shape[i];
    }
    strides.push_back(std::move(s));
  }
  int64_t count = 1;
  for (int64_t d : resultShape)
    count *= d;
  SmallVector<int64_t> index(rank, 0);
  SmallVector<int64_t> offsets(shapes.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    fn(offsets);
    // Step the row-major index, carrying into outer dimensions.
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      for (size_t k = 0; k < shapes.size(); ++k)
        offsets[k] += strides[k][d];
      if (index[d] < resultShape[d])
        break;
      for (size_t k = 0; k < shapes.size(); ++k)
        offsets[k] -= strides[k][d] * resultShape[d];
      index[d] = 0;
    }
  }
  return true;
}

/// The shapes of decoded constants, for forEachBroadcast. A splat is one
/// element that broadcasts everywhere.
static SmallVector<ArrayRef<int64_t>> shapesOf(ArrayRef<ConstTensor> values) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (const ConstTensor &v : values)
    shapes.push_back(v.splat ? ArrayRef<int64_t>() : v.type.getShape());
  return shapes;
}

/// Combines two integer elements; `isUnsigned` gives the signedness of the
/// element type. nullopt stops the fold (e.g. division by zero).
using IntFn = function_ref<std::optional<APInt>(const APInt &, const APInt &,
                                                bool isUnsigned)>;
/// Combines two float elements; nullopt stops the fold.
using FloatFn =
    function_ref<std::optional<APFloat>(const APFloat &, const APFloat &)>;

/// Folds an op whose constant operands share one element type with its
/// result, combining them left to right element by element after
/// broadcasting: `((a0 op a1) op a2) ...`.
static OpFoldResult foldNary(Operation *op, ArrayRef<Attribute> operands,
                             IntFn onInts, FloatFn onFloats) {
  if (operands.empty())
    return {};
  std::optional<SmallVector<ConstTensor>> values = decodeConstants(operands);
  if (!values)
    return {};
  RankedTensorType resultType = foldResultType(op, *values);
  if (!resultType)
    return {};
  Type elt = resultType.getElementType();
  for (const ConstTensor &v : *values)
    if (v.type.getElementType() != elt)
      return {};
  bool isFloat = isa<FloatType>(elt);
  bool isUnsigned = elt.isUnsignedInteger();
  SmallVector<APInt> ints;
  SmallVector<APFloat> floats;
  bool ok = true;
  bool shapesFit = forEachBroadcast(
      foldShape(resultType, *values), shapesOf(*values),
      [&](ArrayRef<int64_t> offsets) {
        if (!ok)
          return;
        if (isFloat) {
          APFloat acc = (*values)[0].floats[offsets[0]];
          for (size_t k = 1; k < values->size() && ok; ++k) {
            std::optional<APFloat> r =
                onFloats(acc, (*values)[k].floats[offsets[k]]);
            if (r)
              acc = *r;
            else
              ok = false;
          }
          floats.push_back(acc);
          return;
        }
        APInt acc = (*values)[0].ints[offsets[0]];
        for (size_t k = 1; k < values->size() && ok; ++k) {
          std::optional<APInt> r =
              onInts(acc, (*values)[k].ints[offsets[k]], isUnsigned);
          if (r)
            acc = *r;
          else
            ok = false;
        }
        ints.push_back(acc);
      });
  if (!shapesFit || !ok)
    return {};
  if (isFloat)
    return DenseElementsAttr::get(resultType, floats);
  return DenseElementsAttr::get(resultType, ints);
}

/// Compares two integer elements of the given signedness.
using IntPred =
    function_ref<bool(const APInt &, const APInt &, bool isUnsigned)>;
/// Compares two float elements.
using FloatPred = function_ref<bool(const APFloat &, const APFloat &)>;

/// Folds a two-operand op with a bool result over constant operands of one
/// element type (bool included, as a 1-bit integer).
static OpFoldResult foldCompare(Operation *op, ArrayRef<Attribute> operands,
                                IntPred onInts, FloatPred onFloats) {
  if (operands.size() != 2)
    return {};
  std::optional<SmallVector<ConstTensor>> values = decodeConstants(operands);
  if (!values)
    return {};
  RankedTensorType resultType = foldResultType(op, *values);
  if (!resultType)
    return {};
  const ConstTensor &a = (*values)[0];
  const ConstTensor &b = (*values)[1];
  if (a.type.getElementType() != b.type.getElementType())
    return {};
  bool isFloat = a.isFloat();
  bool isUnsigned = a.isUnsigned();
  SmallVector<APInt> bits;
  bool shapesFit = forEachBroadcast(
      foldShape(resultType, *values), shapesOf(*values),
      [&](ArrayRef<int64_t> offsets) {
        bool r = isFloat ? onFloats(a.floats[offsets[0]], b.floats[offsets[1]])
                         : onInts(a.ints[offsets[0]], b.ints[offsets[1]],
                                  isUnsigned);
        bits.push_back(APInt(1, r));
      });
  if (!shapesFit)
    return {};
  return DenseElementsAttr::get(resultType, bits);
}

/// Folds a one-operand op that keeps its operand's type.
static OpFoldResult
foldUnary(Operation *op, Attribute operand,
          function_ref<APInt(const APInt &, bool isUnsigned)> onInts,
          function_ref<APFloat(const APFloat &)> onFloats) {
  std::optional<ConstTensor> value = decodeConstant(operand);
  if (!value)
    return {};
  RankedTensorType resultType = foldResultType(op, *value);
  if (!resultType || value->type != resultType)
    return {};
  if (value->isFloat()) {
    SmallVector<APFloat> floats;
    for (const APFloat &f : value->floats)
      floats.push_back(onFloats(f));
    return DenseElementsAttr::get(resultType, floats);
  }
  SmallVector<APInt> ints;
  for (const APInt &i : value->ints)
    ints.push_back(onInts(i, value->isUnsigned()));
  return DenseElementsAttr::get(resultType, ints);
}

/// Whether `attr` is a constant with every element equal to the integer
/// `value`.
static bool isIntSplat(Attribute attr, int64_t value) {
  auto dense = dyn_cast_if_present<DenseIntElementsAttr>(attr);
  if (!dense || !dense.isSplat() || dense.getElementType().isInteger(1))
    return false;
  APInt v = dense.getSplatValue<APInt>();
  return v == APInt(v.getBitWidth(), value, /*isSigned=*/true);
}

/// Whether `attr` is a constant with every element equal to the float
/// `value`, sign of zero included.
static bool isFloatSplat(Attribute attr, double value) {
  auto dense = dyn_cast_if_present<DenseFPElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  APFloat v = dense.getSplatValue<APFloat>();
  APFloat expected(value);
  bool lost;
  expected.convert(v.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return v.bitwiseIsEqual(expected);
}

/// `value` when its type is exactly `op`'s result type (so that it can
/// replace the result), else nothing.
static OpFoldResult sameTypeOrNull(Operation *op, Value value) {
  if (value.getType() == op->getResult(0).getType())
    return value;
  return {};
}

static constexpr APFloat::roundingMode kRound = APFloat::rmNearestTiesToEven;

} // namespace kiln::graph

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphElementwiseOps.cpp.inc"

namespace kiln::graph {

//===----------------------------------------------------------------------===//
// Unary folders
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      *this, adaptor.getX(), [](const APInt &i, bool) { return -i; },
      [](const APFloat &f) { return llvm::neg(f); });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      *this, adaptor.getX(),
      [](const APInt &i, bool isUnsigned) {
        return !isUnsigned && i.isNegative() ? -i : i;
      },
      [](const APFloat &f) { return llvm::abs(f); });
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      *this, adaptor.getX(), [](const APInt &i, bool) { return ~i; },
      [](const APFloat &f) { return f; });
}

//===----------------------------------------------------------------------===//
// Binary arithmetic: verification and folders
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  OpFoldResult folded = foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a + b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        r.add(b, kRound);
        return r;
      });
  if (folded)
    return folded;
  // x + 0 is x for integers; not for floats, where -0.0 + 0.0 is +0.0.
  if (isIntSplat(adaptor.getB(), 0))
    return sameTypeOrNull(*this, getA());
  if (isIntSplat(adaptor.getA(), 0))
    return sameTypeOrNull(*this, getB());
  return {};
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  OpFoldResult folded = foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a - b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        r.subtract(b, kRound);
        return r;
      });
  if (folded)
    return folded;
  // x - (+0.0) is x for every float x, -0.0 included.
  if (isIntSplat(adaptor.getB(), 0) || isFloatSplat(adaptor.getB(), 0.0))
    return sameTypeOrNull(*this, getA());
  return {};
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  OpFoldResult folded = foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a * b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        r.multiply(b, kRound);
        return r;
      });
  if (folded)
    return folded;
  if (isIntSplat(adaptor.getB(), 1) || isFloatSplat(adaptor.getB(), 1.0))
    return sameTypeOrNull(*this, getA());
  if (isIntSplat(adaptor.getA(), 1) || isFloatSplat(adaptor.getA(), 1.0))
    return sameTypeOrNull(*this, getB());
  return {};
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  OpFoldResult folded = foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b,
         bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.udiv(b);
        // INT_MIN / -1 overflows: leave it to the kernel.
        if (a.isMinSignedValue() && b.isAllOnes())
          return std::nullopt;
        return a.sdiv(b); // Truncates toward zero.
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        r.divide(b, kRound);
        return r;
      });
  if (folded)
    return folded;
  if (isIntSplat(adaptor.getB(), 1) || isFloatSplat(adaptor.getB(), 1.0))
    return sameTypeOrNull(*this, getA());
  return {};
}

LogicalResult ModOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(inferBroadcastTypes(*this, getOperation()->getOperands(),
                                 /*boolResult=*/false, inferred)))
    return failure();
  int64_t fmod = getFmod();
  if (fmod != 0 && fmod != 1)
    return emitOpError("fmod must be 0 or 1, got ") << fmod;
  Type elt = cast<RankedTensorType>(inferred.back()).getElementType();
  if (isa<FloatType>(elt) && fmod == 0)
    return emitOpError("fmod must be 1 for floating-point operands");
  return success();
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  bool cStyle = getFmod() != 0;
  return foldNary(
      *this, adaptor.getOperands(),
      [&](const APInt &a, const APInt &b,
          bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.urem(b);
        APInt r = a.srem(b); // Sign of the dividend, like C.
        // fmod = 0: move a non-zero remainder to the divisor's sign.
        if (!cStyle && !r.isZero() && r.isNegative() != b.isNegative())
          r += b;
        return r;
      },
      [&](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        if (!cStyle)
          return std::nullopt;
        APFloat r = a;
        r.mod(b); // C fmod: exact, sign of the dividend.
        return r;
      });
}

//===----------------------------------------------------------------------===//
// PowOp
//===----------------------------------------------------------------------===//

LogicalResult PowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  FailureOr<RankedTensorType> y = operandTensor(*this, 1, "Y");
  if (failed(x) || failed(y))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(*this, {x->getShape(), y->getShape()});
  if (failed(shape))
    return failure();
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, *shape, x->getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

/// `base` to the power `exponent`, wrapping around in the base's width.
static APInt powInt(APInt base, uint64_t exponent) {
  APInt result(base.getBitWidth(), 1);
  while (exponent) {
    if (exponent & 1)
      result *= base;
    base *= base;
    exponent >>= 1;
  }
  return result;
}

/// `base` to the integral power `exponent` when the result is exact in
/// `base`'s type: every correctly or faithfully rounded pow returns that
/// value, so the fold cannot differ from the kernel. nullopt otherwise.
static std::optional<APFloat> exactPow(const APFloat &base, int64_t exponent) {
  APFloat acc(base.getSemantics(), 1);
  for (int64_t i = 0; i < std::abs(exponent); ++i)
    if (acc.multiply(base, kRound) != APFloat::opOK)
      return std::nullopt;
  if (exponent >= 0)
    return acc;
  APFloat inverse(base.getSemantics(), 1);
  if (inverse.divide(acc, kRound) != APFloat::opOK)
    return std::nullopt;
  return inverse;
}

/// Integer powers fold with wrap-around; negative integer exponents and
/// integer bases with float exponents are left to the kernel. Float powers
/// are transcendental and libraries round them differently, so they fold
/// only for integral exponents up to 64 in magnitude with an exact result.
OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  std::optional<SmallVector<ConstTensor>> values =
      decodeConstants(adaptor.getOperands());
  if (!values)
    return {};
  RankedTensorType resultType = foldResultType(*this, *values);
  if (!resultType)
    return {};
  const ConstTensor &x = (*values)[0];
  const ConstTensor &y = (*values)[1];
  if (x.type.getElementType() != resultType.getElementType() ||
      (!x.isFloat() && y.isFloat()))
    return {};
  SmallVector<APInt> ints;
  SmallVector<APFloat> floats;
  bool ok = true;
  bool shapesFit = forEachBroadcast(
      foldShape(resultType, *values), shapesOf(*values),
      [&](ArrayRef<int64_t> offsets) {
        if (!ok)
          return;
        if (!x.isFloat()) {
          const APInt &e = y.ints[offsets[1]];
          if (!y.isUnsigned() && e.isNegative()) {
            ok = false;
            return;
          }
          ints.push_back(powInt(x.ints[offsets[0]], e.getZExtValue()));
          return;
        }
        // The exponent as an integer in [-64, 64], if it is one.
        std::optional<int64_t> exponent;
        if (y.isFloat()) {
          APFloat e = y.floats[offsets[1]];
          APSInt i(64, /*isUnsigned=*/false);
          bool exact = false;
          if (e.convertToInteger(i, APFloat::rmTowardZero, &exact) ==
                  APFloat::opOK &&
              exact)
            exponent = i.getSExtValue();
        } else {
          const APInt &e = y.ints[offsets[1]];
          if (y.isUnsigned() ? e.ule(64) : e.sge(-64) && e.sle(64))
            exponent = y.isUnsigned() ? int64_t(e.getZExtValue())
                                      : e.getSExtValue();
        }
        std::optional<APFloat> r;
        if (exponent && *exponent >= -64 && *exponent <= 64)
          r = exactPow(x.floats[offsets[0]], *exponent);
        if (!r) {
          ok = false;
          return;
        }
        floats.push_back(*r);
      });
  if (!shapesFit || !ok)
    return {};
  if (x.isFloat())
    return DenseElementsAttr::get(resultType, floats);
  return DenseElementsAttr::get(resultType, ints);
}

//===----------------------------------------------------------------------===//
// BitShiftOp
//===----------------------------------------------------------------------===//

LogicalResult BitShiftOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  StringRef direction = getDirection();
  if (direction != "LEFT" && direction != "RIGHT")
    return emitOpError("direction must be \"LEFT\" or \"RIGHT\", got \"")
           << direction << "\"";
  return inferBroadcastTypes(*this, getOperation()->getOperands(),
                             /*boolResult=*/false, inferred);
}

OpFoldResult BitShiftOp::fold(FoldAdaptor adaptor) {
  bool left = getDirection() == "LEFT";
  return foldNary(
      *this, adaptor.getOperands(),
      [&](const APInt &x, const APInt &y, bool) -> std::optional<APInt> {
        // Shifting by the width or more is undefined in C: not folded.
        if (y.uge(x.getBitWidth()))
          return std::nullopt;
        unsigned amount = unsigned(y.getZExtValue());
        return left ? x.shl(amount) : x.lshr(amount);
      },
      [](const APFloat &, const APFloat &) -> std::optional<APFloat> {
        return std::nullopt;
      });
}

//===----------------------------------------------------------------------===//
// PReluOp
//===----------------------------------------------------------------------===//

/// The slope broadcasts to X, never X to the slope: the result is X's
/// shape, sharpened where X is dynamic and slope static (and not 1).
LogicalResult PReluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> x = operandTensor(*this, 0, "X");
  FailureOr<RankedTensorType> slope = operandTensor(*this, 1, "slope");
  if (failed(x) || failed(slope))
    return failure();
  if (x->getElementType() != slope->getElementType())
    return emitOpError("slope element type ")
           << slope->getElementType() << " differs from X's "
           << x->getElementType();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastOneWay(*this, x->getShape(), slope->getShape(), "slope");
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, x->getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Comparison and logic folders
//===----------------------------------------------------------------------===//

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) { return a == b; },
      [](const APFloat &a, const APFloat &b) {
        return a.compare(b) == APFloat::cmpEqual;
      });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) {
        return u ? a.ugt(b) : a.sgt(b);
      },
      [](const APFloat &a, const APFloat &b) {
        return a.compare(b) == APFloat::cmpGreaterThan;
      });
}

OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) {
        return u ? a.uge(b) : a.sge(b);
      },
      [](const APFloat &a, const APFloat &b) {
        APFloat::cmpResult r = a.compare(b);
        return r == APFloat::cmpGreaterThan || r == APFloat::cmpEqual;
      });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) {
        return u ? a.ult(b) : a.slt(b);
      },
      [](const APFloat &a, const APFloat &b) {
        return a.compare(b) == APFloat::cmpLessThan;
      });
}

OpFoldResult LessOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) {
        return u ? a.ule(b) : a.sle(b);
      },
      [](const APFloat &a, const APFloat &b) {
        APFloat::cmpResult r = a.compare(b);
        return r == APFloat::cmpLessThan || r == APFloat::cmpEqual;
      });
}

/// A float predicate for the bool-only logical ops, never called.
static bool noFloats(const APFloat &, const APFloat &) { return false; }

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) { return !(a & b).isZero(); },
      noFloats);
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) { return !(a | b).isZero(); },
      noFloats);
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  return foldCompare(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) { return !(a ^ b).isZero(); },
      noFloats);
}

//===----------------------------------------------------------------------===//
// Variadic folders
//===----------------------------------------------------------------------===//

/// A variadic op of a single input is that input.
static OpFoldResult foldSingleInput(Operation *op) {
  if (op->getNumOperands() == 1)
    return sameTypeOrNull(op, op->getOperand(0));
  return {};
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult single = foldSingleInput(*this))
    return single;
  return foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        return (u ? a.ult(b) : a.slt(b)) ? b : a;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        if (a.isNaN())
          return a;
        if (b.isNaN())
          return b;
        return a.compare(b) == APFloat::cmpLessThan ? b : a;
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult single = foldSingleInput(*this))
    return single;
  return foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        return (u ? b.ult(a) : b.slt(a)) ? b : a;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        if (a.isNaN())
          return a;
        if (b.isNaN())
          return b;
        return b.compare(a) == APFloat::cmpLessThan ? b : a;
      });
}

OpFoldResult SumOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult single = foldSingleInput(*this))
    return single;
  return foldNary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a + b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        r.add(b, kRound);
        return r;
      });
}

//===----------------------------------------------------------------------===//
// WhereOp
//===----------------------------------------------------------------------===//

LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> cond = operandTensor(*this, 0, "condition");
  FailureOr<RankedTensorType> x = operandTensor(*this, 1, "X");
  FailureOr<RankedTensorType> y = operandTensor(*this, 2, "Y");
  if (failed(cond) || failed(x) || failed(y))
    return failure();
  if (!cond->getElementType().isInteger(1))
    return emitOpError("condition must be a bool tensor, got ") << *cond;
  if (x->getElementType() != y->getElementType())
    return emitOpError("X and Y element types differ: ")
           << x->getElementType() << " vs " << y->getElementType();
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(
      *this, {cond->getShape(), x->getShape(), y->getShape()});
  if (failed(shape))
    return failure();
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, *shape, x->getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  // A uniform condition picks one operand whole, when it needs no
  // broadcasting.
  if (auto cond = dyn_cast_if_present<DenseIntElementsAttr>(
          adaptor.getCondition());
      cond && cond.isSplat())
    if (OpFoldResult picked = sameTypeOrNull(
            *this, cond.getSplatValue<APInt>().isZero() ? getY() : getX()))
      return picked;
  std::optional<SmallVector<ConstTensor>> values =
      decodeConstants(adaptor.getOperands());
  if (!values)
    return {};
  RankedTensorType resultType = foldResultType(*this, *values);
  if (!resultType)
    return {};
  const ConstTensor &cond = (*values)[0];
  const ConstTensor &x = (*values)[1];
  const ConstTensor &y = (*values)[2];
  if (x.type.getElementType() != resultType.getElementType() ||
      y.type.getElementType() != resultType.getElementType())
    return {};
  SmallVector<APInt> ints;
  SmallVector<APFloat> floats;
  bool shapesFit = forEachBroadcast(
      foldShape(resultType, *values), shapesOf(*values),
      [&](ArrayRef<int64_t> offsets) {
        bool pickX = !cond.ints[offsets[0]].isZero();
        if (x.isFloat())
          floats.push_back(pickX ? x.floats[offsets[1]] : y.floats[offsets[2]]);
        else
          ints.push_back(pickX ? x.ints[offsets[1]] : y.ints[offsets[2]]);
      });
  if (!shapesFit)
    return {};
  if (x.isFloat())
    return DenseElementsAttr::get(resultType, floats);
  return DenseElementsAttr::get(resultType, ints);
}

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input = operandTensor(*this, 0, "input");
  if (failed(input))
    return failure();
  const char *names[] = {"min", "max"};
  for (unsigned pos = 1; pos <= 2; ++pos) {
    const char *name = names[pos - 1];
    if (pos >= getOperation()->getNumOperands())
      return emitOpError("requires operand ") << name;
    Value bound = getOperation()->getOperand(pos);
    if (isNone(bound))
      continue;
    RankedTensorType type = getTensorType(bound);
    if (!type)
      return emitOpError(name) << " must be a ranked tensor or none";
    if (type.getElementType() != input->getElementType())
      return emitOpError(name)
             << " element type " << type.getElementType()
             << " differs from the input's " << input->getElementType();
    // ONNX asks for a scalar; a one-element 1-D tensor means the same.
    bool scalarLike =
        type.getRank() == 0 ||
        (type.getRank() == 1 &&
         (type.isDynamicDim(0) || type.getDimSize(0) == 1));
    if (!scalarLike)
      return emitOpError(name) << " must be a scalar, got " << type;
  }
  inferred.push_back(*input);
  return success();
}

} // namespace kiln::graph
