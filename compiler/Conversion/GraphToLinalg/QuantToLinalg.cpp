//===- QuantToLinalg.cpp - Lowering linear quantization ops ---------------===//
//
// Quantize and dequantize are elementwise with per-tensor or per-axis
// scales and zero points broadcast along their axis. Quantization rounds
// half to even (math.roundeven) and saturates in f32 before the integer
// conversion. The integer products widen their 8-bit operands to i32 and
// subtract the zero points elementwise, then reuse the matmul and
// convolution builders of the NN family with an i32 accumulator; the
// QLinear ops requantize the accumulator with the combined scale.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/NNBuilders.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace kiln {
namespace {

/// The range of an 8-bit quantized type.
std::pair<double, double> quantRange(bool isUnsigned) {
  return isUnsigned ? std::make_pair(0.0, 255.0)
                    : std::make_pair(-128.0, 127.0);
}

/// saturate(roundeven(v) + zeroPoint) as an 8-bit integer; `v` and
/// `zeroPoint` are f32.
Value requantize(OpBuilder &b, Location loc, Value v, Value zeroPoint,
                 bool isUnsigned, Type resultElement) {
  Value q = math::RoundEvenOp::create(b, loc, v);
  if (zeroPoint)
    q = arith::AddFOp::create(b, loc, q, zeroPoint);
  auto [lo, hi] = quantRange(isUnsigned);
  Type f32 = b.getF32Type();
  q = arith::MaximumFOp::create(b, loc, q,
                                createScalarConstant(b, loc, f32, lo));
  q = arith::MinimumFOp::create(b, loc, q,
                                createScalarConstant(b, loc, f32, hi));
  Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), q);
  return arith::TruncIOp::create(b, loc, resultElement, wide);
}

/// The axis of a per-axis parameter in [0, rank).
int64_t normalizedAxis(uint64_t attr, int64_t rank) {
  int64_t axis = int64_t(attr);
  return axis < 0 ? axis + rank : axis;
}

/// Reshapes a zero point or scale of a matrix operand for broadcasting:
/// a 1-D one with several elements applies per row of the lhs (`perRow`)
/// or per column of the rhs; one element is per tensor.
Value alignMatrixParam(OpBuilder &b, Location loc, Value v, bool perRow) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 1)
    return reshapeTensor(b, loc, v, {});
  if (type.getRank() == 1 && perRow)
    return reshapeTensor(b, loc, v, {type.getDimSize(0), 1});
  return v;
}

/// `x - zeroPoint` in i32, with each side's signedness; `zeroPoint` may be
/// null and must broadcast to `x`.
Value widenMinusZeroPoint(OpBuilder &b, Location loc, Value x,
                          bool xUnsigned, Value zeroPoint, bool zpUnsigned) {
  auto type = cast<RankedTensorType>(x.getType());
  Type i32 = b.getI32Type();
  SmallVector<Value> inputs = {x};
  if (zeroPoint)
    inputs.push_back(zeroPoint);
  return createElementwise(
      b, loc, inputs, type.clone(i32),
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value v = convertScalar(nb, nl, args[0], i32, xUnsigned, false);
        if (args.size() == 1)
          return v;
        Value z = convertScalar(nb, nl, args[1], i32, zpUnsigned, false);
        return arith::SubIOp::create(nb, nl, v, z);
      });
}

//===----------------------------------------------------------------------===//
// Quantize and dequantize
//===----------------------------------------------------------------------===//

struct QuantizeLinearLowering : OpConversionPattern<graph::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, op.getYScale().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Location loc = op.getLoc();
    bool isUnsigned = resultType.getElementType().isUnsignedInteger();
    bool hasZeroPoint = !graph::isNone(op.getYZeroPoint());
    bool zpUnsigned = hasZeroPoint && isUnsignedElement(op.getYZeroPoint());
    int64_t rank = xType.getRank();
    int64_t axis = normalizedAxis(op.getAxis(), rank);
    SmallVector<Value> inputs = {
        adaptor.getX(),
        alignToAxis(rewriter, loc, adaptor.getYScale(), axis, rank)};
    if (hasZeroPoint)
      inputs.push_back(
          alignToAxis(rewriter, loc, adaptor.getYZeroPoint(), axis, rank));
    auto signless = toSignless(resultType);
    Type f32 = rewriter.getF32Type();
    Value y = createElementwise(
        rewriter, loc, inputs, signless,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertScalar(b, l, args[0], f32, false, false);
          Value v = arith::DivFOp::create(b, l, x, args[1]);
          Value zp = hasZeroPoint
                         ? convertScalar(b, l, args[2], f32, zpUnsigned, false)
                         : Value();
          return requantize(b, l, v, zp, isUnsigned,
                            signless.getElementType());
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct DequantizeLinearLowering
    : OpConversionPattern<graph::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, op.getXScale().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Location loc = op.getLoc();
    bool xUnsigned = isUnsignedElement(op.getX());
    bool hasZeroPoint = !graph::isNone(op.getXZeroPoint());
    bool zpUnsigned = hasZeroPoint && isUnsignedElement(op.getXZeroPoint());
    int64_t rank = xType.getRank();
    int64_t axis = normalizedAxis(op.getAxis(), rank);
    SmallVector<Value> inputs = {
        adaptor.getX(),
        alignToAxis(rewriter, loc, adaptor.getXScale(), axis, rank)};
    if (hasZeroPoint)
      inputs.push_back(
          alignToAxis(rewriter, loc, adaptor.getXZeroPoint(), axis, rank));
    Type i32 = rewriter.getI32Type(), f32 = rewriter.getF32Type();
    Value y = createElementwise(
        rewriter, loc, inputs, resultType,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          // The difference is exact in i32 for every quantized type.
          Value x = convertScalar(b, l, args[0], i32, xUnsigned, false);
          if (hasZeroPoint)
            x = arith::SubIOp::create(
                b, l, x, convertScalar(b, l, args[2], i32, zpUnsigned, false));
          Value xf = arith::SIToFPOp::create(b, l, f32, x);
          return arith::MulFOp::create(b, l, xf, args[1]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The range [min(0, min x), max(0, max x)] maps onto [0, 255].
struct DynamicQuantizeLinearLowering
    : OpConversionPattern<graph::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    if (failed(requireStaticShape(rewriter, op, xType)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type(), i8 = rewriter.getI8Type();
    int64_t rank = xType.getRank();
    auto scalarF32 = RankedTensorType::get({}, f32);
    // min and max, starting from 0 (the range includes it). Two reductions:
    // one with two results would share its CSE'd init between them.
    AffineMap scalarMap = AffineMap::get(rank, 0, {}, ctx);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   scalarMap};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    auto reduce = [&](bool isMax) {
      Value init = createFilled(rewriter, loc, scalarF32, 0.0);
      return linalg::GenericOp::create(
                 rewriter, loc, scalarF32, adaptor.getX(), init, maps,
                 iterators,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   Value v =
                       isMax ? arith::MaximumFOp::create(b, l, args[0], args[1])
                                   .getResult()
                             : arith::MinimumFOp::create(b, l, args[0], args[1])
                                   .getResult();
                   linalg::YieldOp::create(b, l, v);
                 })
          .getResult(0);
    };
    Value minimum = reduce(false), maximum = reduce(true);
    Value scale = createElementwise(
        rewriter, loc, {minimum, maximum}, scalarF32,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value span = arith::SubFOp::create(b, l, args[1], args[0]);
          return arith::DivFOp::create(b, l, span,
                                       createScalarConstant(b, l, f32, 255.0));
        });
    auto scalarI8 = RankedTensorType::get({}, i8);
    Value zeroPoint = createElementwise(
        rewriter, loc, {minimum, scale}, scalarI8,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value q = arith::DivFOp::create(b, l, args[0], args[1]);
          q = arith::NegFOp::create(b, l, q);
          return requantize(b, l, q, Value(), /*isUnsigned=*/true, i8);
        });
    Value y = createElementwise(
        rewriter, loc, {adaptor.getX(), scale, zeroPoint}, xType.clone(i8),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value v = arith::DivFOp::create(b, l, args[0], args[1]);
          Value zp = convertScalar(b, l, args[2], f32, /*fromUnsigned=*/true,
                                   false);
          return requantize(b, l, v, zp, /*isUnsigned=*/true, i8);
        });
    rewriter.replaceOp(op, {y, scale, zeroPoint});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer products
//===----------------------------------------------------------------------===//

struct MatMulIntegerLowering : OpConversionPattern<graph::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    for (Value v : op->getOperands())
      if (isa<RankedTensorType>(v.getType()) &&
          failed(requireStaticShape(rewriter, op, v.getType())))
        return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Location loc = op.getLoc();
    auto zeroPoint = [&](Value original, Value converted, bool perRow) {
      return graph::isNone(original)
                 ? Value()
                 : alignMatrixParam(rewriter, loc, converted, perRow);
    };
    Value a = widenMinusZeroPoint(
        rewriter, loc, adaptor.getA(), isUnsignedElement(op.getA()),
        zeroPoint(op.getAZeroPoint(), adaptor.getAZeroPoint(), true),
        isUnsignedElement(op.getAZeroPoint()));
    Value b = widenMinusZeroPoint(
        rewriter, loc, adaptor.getB(), isUnsignedElement(op.getB()),
        zeroPoint(op.getBZeroPoint(), adaptor.getBZeroPoint(), false),
        isUnsignedElement(op.getBZeroPoint()));
    rewriter.replaceOp(op, buildMatMul(rewriter, loc, a, b, resultType));
    return success();
  }
};

struct QLinearMatMulLowering : OpConversionPattern<graph::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    for (Value v : op->getOperands())
      if (failed(requireStaticShape(rewriter, op, v.getType())))
        return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Location loc = op.getLoc();
    Value a = widenMinusZeroPoint(
        rewriter, loc, adaptor.getA(), isUnsignedElement(op.getA()),
        alignMatrixParam(rewriter, loc, adaptor.getAZeroPoint(), true),
        isUnsignedElement(op.getAZeroPoint()));
    Value b = widenMinusZeroPoint(
        rewriter, loc, adaptor.getB(), isUnsignedElement(op.getB()),
        alignMatrixParam(rewriter, loc, adaptor.getBZeroPoint(), false),
        isUnsignedElement(op.getBZeroPoint()));
    auto accType = resultType.clone(rewriter.getI32Type());
    Value acc = buildMatMul(rewriter, loc, a, b, accType);
    bool isUnsigned = resultType.getElementType().isUnsignedInteger();
    bool zpUnsigned = isUnsignedElement(op.getYZeroPoint());
    Type f32 = rewriter.getF32Type();
    Type i8 = rewriter.getI8Type();
    Value y = createElementwise(
        rewriter, loc,
        {acc, alignMatrixParam(rewriter, loc, adaptor.getAScale(), true),
         alignMatrixParam(rewriter, loc, adaptor.getBScale(), false),
         reshapeTensor(rewriter, loc, adaptor.getYScale(), {}),
         reshapeTensor(rewriter, loc, adaptor.getYZeroPoint(), {})},
        toSignless(resultType),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value scale = arith::DivFOp::create(
              nb, l, arith::MulFOp::create(nb, l, args[1], args[2]), args[3]);
          Value v = arith::SIToFPOp::create(nb, l, f32, args[0]);
          v = arith::MulFOp::create(nb, l, v, scale);
          Value zp = convertScalar(nb, l, args[4], f32, zpUnsigned, false);
          return requantize(nb, l, v, zp, isUnsigned, i8);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The i32 convolution of ConvInteger and QLinearConv: operands minus zero
/// points (the weight's per output channel or per tensor).
template <typename OpTy, typename AdaptorTy>
FailureOr<Value> buildIntegerConv(ConversionPatternRewriter &rewriter,
                                  OpTy op, AdaptorTy adaptor, Value xZeroPoint,
                                  Value wZeroPoint) {
  Location loc = op.getLoc();
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (failed(requireStaticShape(rewriter, op, xType)) ||
      failed(requireStaticShape(rewriter, op, wType)) ||
      failed(requireStaticShape(rewriter, op, resultType)))
    return failure();
  FailureOr<ConvGeometry> geometry = getConvGeometry(
      rewriter, op, xType.getShape().drop_front(2),
      wType.getShape().drop_front(2), op.getGroup(), op.getKernelShape(),
      op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad());
  if (failed(geometry))
    return failure();
  int64_t rank = xType.getRank();
  Value xzp = xZeroPoint ? reshapeTensor(rewriter, loc, xZeroPoint, {})
                         : Value();
  Value wzp = wZeroPoint ? alignToAxis(rewriter, loc, wZeroPoint, 0, rank)
                         : Value();
  Value x = widenMinusZeroPoint(rewriter, loc, adaptor.getX(),
                                isUnsignedElement(op.getX()), xzp,
                                isUnsignedElement(op.getX()));
  Value w = widenMinusZeroPoint(rewriter, loc, adaptor.getW(),
                                isUnsignedElement(op.getW()), wzp,
                                isUnsignedElement(op.getW()));
  auto accType = RankedTensorType::get(resultType.getShape(),
                                       rewriter.getI32Type());
  return buildConvolution(rewriter, loc, x, w, *geometry, accType);
}

struct ConvIntegerLowering : OpConversionPattern<graph::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xzp = graph::isNone(op.getXZeroPoint()) ? Value()
                                                  : adaptor.getXZeroPoint();
    Value wzp = graph::isNone(op.getWZeroPoint()) ? Value()
                                                  : adaptor.getWZeroPoint();
    FailureOr<Value> y = buildIntegerConv(rewriter, op, adaptor, xzp, wzp);
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

struct QLinearConvLowering : OpConversionPattern<graph::QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    for (Value v : op->getOperands())
      if (isa<RankedTensorType>(v.getType()) &&
          failed(requireStaticShape(rewriter, op, v.getType())))
        return failure();
    FailureOr<Value> acc =
        buildIntegerConv(rewriter, op, adaptor, adaptor.getXZeroPoint(),
                         adaptor.getWZeroPoint());
    if (failed(acc))
      return failure();
    Location loc = op.getLoc();
    if (!graph::isNone(op.getB()))
      acc = addChannelBias(rewriter, loc, *acc, adaptor.getB());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    bool isUnsigned = resultType.getElementType().isUnsignedInteger();
    bool zpUnsigned = isUnsignedElement(op.getYZeroPoint());
    Type f32 = rewriter.getF32Type(), i8 = rewriter.getI8Type();
    Value y = createElementwise(
        rewriter, loc,
        {*acc, reshapeTensor(rewriter, loc, adaptor.getXScale(), {}),
         alignToAxis(rewriter, loc, adaptor.getWScale(), 1, rank),
         reshapeTensor(rewriter, loc, adaptor.getYScale(), {}),
         reshapeTensor(rewriter, loc, adaptor.getYZeroPoint(), {})},
        toSignless(resultType),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value scale = arith::DivFOp::create(
              b, l, arith::MulFOp::create(b, l, args[1], args[2]), args[3]);
          Value v = arith::SIToFPOp::create(b, l, f32, args[0]);
          v = arith::MulFOp::create(b, l, v, scale);
          Value zp = convertScalar(b, l, args[4], f32, zpUnsigned, false);
          return requantize(b, l, v, zp, isUnsigned, i8);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateGraphQuantToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering, MatMulIntegerLowering,
               QLinearMatMulLowering, ConvIntegerLowering,
               QLinearConvLowering>(converter, patterns.getContext());
}

} // namespace kiln
