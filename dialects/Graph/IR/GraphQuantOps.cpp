//===- GraphQuantOps.cpp - Linear quantization ----------------------------===//
//
// Shape inference and canonicalization of the quantization ops. Nothing
// here folds: a DequantizeLinear of constant weights is what a quantized
// lowering matches, so it stays in the graph.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphQuantOps.cpp.inc"

namespace kiln::graph {

//===----------------------------------------------------------------------===//
// Scales and zero points
//===----------------------------------------------------------------------===//

/// Whether `type` holds exactly one element as far as its shape tells
/// (rank 0, or rank 1 of size 1 or unknown size).
static bool mayBeScalar(RankedTensorType type) {
  if (type.getRank() == 0)
    return true;
  return type.getRank() == 1 && (type.isDynamicDim(0) || type.getDimSize(0) == 1);
}

/// Checks a per-tensor quantization parameter: one element.
static LogicalResult checkPerTensor(Operation *op, Value v, StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (type && !mayBeScalar(type))
    return op->emitOpError() << name << " must be a scalar, got " << type;
  return success();
}

/// Checks that an optional zero point has the element type of the tensor it
/// belongs to.
static LogicalResult checkZeroPointType(Operation *op, Value zeroPoint,
                                        Type elt, StringRef name) {
  RankedTensorType type = getTensorType(zeroPoint);
  if (type && type.getElementType() != elt)
    return op->emitOpError() << name << " must have element type " << elt
                             << ", got " << type.getElementType();
  return success();
}

/// Checks the scale and optional zero point of QuantizeLinear and
/// DequantizeLinear against `x`: both scalars (per tensor), or both 1-D with
/// one entry per index of dim `axis` of `x` (per axis). A one-element 1-D
/// scale is per tensor, as ONNX Runtime treats it.
static LogicalResult checkLinearQuantParams(Operation *op, RankedTensorType x,
                                            Value scale, Value zeroPoint,
                                            int64_t axis, StringRef scaleName,
                                            StringRef zeroPointName) {
  auto scaleType = cast<RankedTensorType>(scale.getType());
  if (scaleType.getRank() > 1)
    return op->emitOpError() << scaleName << " must be a scalar or 1-D, got "
                             << scaleType;
  if (RankedTensorType zpType = getTensorType(zeroPoint)) {
    if (zpType.getRank() > 1)
      return op->emitOpError() << zeroPointName
                               << " must be a scalar or 1-D, got " << zpType;
    std::optional<int64_t> n = staticProduct(scaleType.getShape());
    std::optional<int64_t> m = staticProduct(zpType.getShape());
    if (n && m && *n != *m)
      return op->emitOpError()
             << zeroPointName << " has " << *m << " elements but "
             << scaleName << " has " << *n;
  }
  if (mayBeScalar(scaleType) &&
      (scaleType.getRank() == 0 || !scaleType.isDynamicDim(0)))
    return success();
  if (x.getRank() == 0)
    return op->emitOpError() << scaleName
                             << " is per axis but the input is a scalar";
  FailureOr<int64_t> dim = normalizeAxis(op, axis, x.getRank());
  if (failed(dim))
    return failure();
  int64_t n = scaleType.getDimSize(0), size = x.getDimSize(*dim);
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(size) && n != size)
    return op->emitOpError()
           << scaleName << " has " << n << " elements but dimension " << *dim
           << " of the input has size " << size;
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeLinearOp, DequantizeLinearOp, DynamicQuantizeLinearOp
//===----------------------------------------------------------------------===//

LogicalResult
QuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  if (failed(checkLinearQuantParams(*this, x, getYScale(), getYZeroPoint(),
                                    static_cast<int64_t>(getAxis()),
                                    "y_scale", "y_zero_point")))
    return failure();
  Type elt = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (RankedTensorType zp = getTensorType(getYZeroPoint()))
    elt = zp.getElementType();
  inferred.push_back(x.clone(elt));
  return success();
}

LogicalResult
DequantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  if (failed(checkZeroPointType(*this, getXZeroPoint(), x.getElementType(),
                                "x_zero_point")) ||
      failed(checkLinearQuantParams(*this, x, getXScale(), getXZeroPoint(),
                                    static_cast<int64_t>(getAxis()),
                                    "x_scale", "x_zero_point")))
    return failure();
  if (x.getElementType().isInteger(32))
    if (std::optional<SmallVector<int64_t>> zp =
            getConstantInts(getXZeroPoint()))
      if (llvm::any_of(*zp, [](int64_t v) { return v != 0; }))
        return emitOpError("x_zero_point must be 0 for i32 input");
  inferred.push_back(x.clone(Float32Type::get(getContext())));
  return success();
}

LogicalResult
DynamicQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  inferred.push_back(getX().getType().clone(u8));
  inferred.push_back(RankedTensorType::get({}, Float32Type::get(getContext())));
  inferred.push_back(RankedTensorType::get({}, u8));
  return success();
}

//===----------------------------------------------------------------------===//
// QLinearConvOp, ConvIntegerOp
//===----------------------------------------------------------------------===//

/// Checks a per-tensor or per-output-channel parameter of a quantized
/// convolution weight: one element, or `[M]`.
static LogicalResult checkPerChannel(Operation *op, Value v, int64_t channels,
                                     StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (!type || type.getRank() == 0)
    return success();
  int64_t n = type.getDimSize(0);
  if (type.getRank() != 1 ||
      (!ShapedType::isDynamic(n) && n != 1 && !ShapedType::isDynamic(channels) &&
       n != channels))
    return op->emitOpError() << name << " must be a scalar or hold one value "
                             << "per output channel, got " << type;
  return success();
}

LogicalResult QLinearConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), w = getW().getType();
  if (failed(checkZeroPointType(*this, getXZeroPoint(), x.getElementType(),
                                "x_zero_point")) ||
      failed(checkZeroPointType(*this, getWZeroPoint(), w.getElementType(),
                                "w_zero_point")) ||
      failed(checkPerTensor(*this, getXScale(), "x_scale")) ||
      failed(checkPerTensor(*this, getXZeroPoint(), "x_zero_point")) ||
      failed(checkPerTensor(*this, getYScale(), "y_scale")) ||
      failed(checkPerTensor(*this, getYZeroPoint(), "y_zero_point")))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inferConvShape(
      *this, x, w, static_cast<int64_t>(getGroup()), getKernelShape(),
      getStrides(), getDilations(), getPads(), getAutoPad());
  if (failed(shape))
    return failure();
  int64_t m = (*shape)[1];
  if (failed(checkPerChannel(*this, getWScale(), m, "w_scale")) ||
      failed(checkPerChannel(*this, getWZeroPoint(), m, "w_zero_point")))
    return failure();
  if (RankedTensorType b = getTensorType(getB())) {
    int64_t n = b.getRank() == 1 ? b.getDimSize(0) : 0;
    if (b.getRank() != 1 || (!ShapedType::isDynamic(n) &&
                             !ShapedType::isDynamic(m) && n != m))
      return emitOpError("B must be [M] with M = ") << m << ", got " << b;
  }
  Type elt = getYZeroPoint().getType().getElementType();
  FailureOr<RankedTensorType> type = checkedTensorType(*this, *shape, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult ConvIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), w = getW().getType();
  if (failed(checkZeroPointType(*this, getXZeroPoint(), x.getElementType(),
                                "x_zero_point")) ||
      failed(checkZeroPointType(*this, getWZeroPoint(), w.getElementType(),
                                "w_zero_point")) ||
      failed(checkPerTensor(*this, getXZeroPoint(), "x_zero_point")))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inferConvShape(
      *this, x, w, static_cast<int64_t>(getGroup()), getKernelShape(),
      getStrides(), getDilations(), getPads(), getAutoPad());
  if (failed(shape) ||
      failed(checkPerChannel(*this, getWZeroPoint(), (*shape)[1],
                             "w_zero_point")))
    return failure();
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, *shape, IntegerType::get(getContext(), 32));
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// QLinearMatMulOp, MatMulIntegerOp
//===----------------------------------------------------------------------===//

/// Checks a per-tensor, per-row or per-column matmul quantization parameter:
/// it may not have more dims than the operand it belongs to.
static LogicalResult checkMatMulParam(Operation *op, Value v,
                                      RankedTensorType operand,
                                      StringRef name) {
  RankedTensorType type = getTensorType(v);
  if (type && type.getRank() > std::max<int64_t>(operand.getRank(), 1))
    return op->emitOpError() << name << " has rank " << type.getRank()
                             << ", more than its operand";
  return success();
}

LogicalResult
QLinearMatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = getA().getType(), b = getB().getType();
  if (failed(checkZeroPointType(*this, getAZeroPoint(), a.getElementType(),
                                "a_zero_point")) ||
      failed(checkZeroPointType(*this, getBZeroPoint(), b.getElementType(),
                                "b_zero_point")) ||
      failed(checkMatMulParam(*this, getAScale(), a, "a_scale")) ||
      failed(checkMatMulParam(*this, getAZeroPoint(), a, "a_zero_point")) ||
      failed(checkMatMulParam(*this, getBScale(), b, "b_scale")) ||
      failed(checkMatMulParam(*this, getBZeroPoint(), b, "b_zero_point")) ||
      failed(checkPerTensor(*this, getYScale(), "y_scale")) ||
      failed(checkPerTensor(*this, getYZeroPoint(), "y_zero_point")))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      inferMatMulShape(*this, a.getShape(), b.getShape());
  if (failed(shape))
    return failure();
  FailureOr<RankedTensorType> type = checkedTensorType(
      *this, *shape, getYZeroPoint().getType().getElementType());
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult
MatMulIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType a = getA().getType(), b = getB().getType();
  if (failed(checkZeroPointType(*this, getAZeroPoint(), a.getElementType(),
                                "a_zero_point")) ||
      failed(checkZeroPointType(*this, getBZeroPoint(), b.getElementType(),
                                "b_zero_point")) ||
      failed(checkMatMulParam(*this, getAZeroPoint(), a, "a_zero_point")) ||
      failed(checkMatMulParam(*this, getBZeroPoint(), b, "b_zero_point")))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      inferMatMulShape(*this, a.getShape(), b.getShape());
  if (failed(shape))
    return failure();
  FailureOr<RankedTensorType> type =
      checkedTensorType(*this, *shape, IntegerType::get(getContext(), 32));
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization: explicit pads
//===----------------------------------------------------------------------===//

namespace {
/// Replaces auto_pad SAME_UPPER, SAME_LOWER or VALID of a quantized
/// convolution by explicit pads once the spatial sizes are static, as the
/// float `conv` canonicalization does.
template <typename OpTy>
struct ExplicitQuantConvPads : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getAutoPad() == "NOTSET")
      return rewriter.notifyMatchFailure(op, "pads are already explicit");
    RankedTensorType x = op.getX().getType(), w = op.getW().getType();
    if (x.getRank() < 3 || w.getRank() != x.getRank())
      return rewriter.notifyMatchFailure(op, "invalid ranks");
    FailureOr<ConvWindow> window = getConvWindow(
        op, x.getRank() - 2, op.getKernelShape(), w.getShape().drop_front(2),
        op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad());
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "invalid window");
    std::optional<SmallVector<int64_t>> pads =
        explicitConvPads(x.getShape().drop_front(2), *window);
    if (!pads)
      return rewriter.notifyMatchFailure(op, "dynamic spatial sizes");
    rewriter.modifyOpInPlace(op, [&] {
      op.setAutoPad("NOTSET");
      op.setPads(ArrayRef<int64_t>(*pads));
    });
    return success();
  }
};
} // namespace

void QLinearConvOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                MLIRContext *context) {
  results.add<ExplicitQuantConvPads<QLinearConvOp>>(context);
}

void ConvIntegerOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                MLIRContext *context) {
  results.add<ExplicitQuantConvPads<ConvIntegerOp>>(context);
}

} // namespace kiln::graph
