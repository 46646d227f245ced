//===- CoreToLinalg.cpp - Lowering constants, casts and shapes ------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

/// Re-types an elements attribute to signless integers (same bits).
ElementsAttr toSignlessElements(ElementsAttr value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType signless = toSignless(type);
  if (signless == type)
    return value;
  auto dense = cast<DenseElementsAttr>(value);
  return DenseElementsAttr::getFromRawBuffer(signless, dense.getRawData());
}

struct ConstantLowering : OpConversionPattern<graph::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(toSignlessElements(op.getValue()));
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant is not typed");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<graph::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

struct CastLowering : OpConversionPattern<graph::CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    bool fromUnsigned = isUnsignedElement(op.getInput());
    bool toUnsigned = resultType.getElementType().isUnsignedInteger();
    RankedTensorType signless = toSignless(resultType);
    Type to = signless.getElementType();
    Value result = createElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), signless,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value v = args[0];
          // ONNX (up to opset 17) casts to bfloat16 by dropping the low 16
          // bits of the f32 value, not by rounding.
          if (to.isBF16() && isa<FloatType>(v.getType())) {
            if (!v.getType().isF32())
              v = convertScalar(b, loc, v, b.getF32Type(), false, false);
            Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), v);
            Value high = arith::ShRUIOp::create(
                b, loc, bits,
                arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(16)));
            Value half = arith::TruncIOp::create(b, loc, b.getI16Type(), high);
            return arith::BitcastOp::create(b, loc, to, half);
          }
          return convertScalar(b, loc, v, to, fromUnsigned, toUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Ones on diagonal k: out[i, j] = (j - i == k).
struct EyeLikeLowering : OpConversionPattern<graph::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::EyeLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    if (failed(requireStaticShape(rewriter, op, type)))
      return failure();
    int64_t k = op.getK();
    Type elt = type.getElementType();
    Value result = createElementwise(
        rewriter, op.getLoc(), {}, type,
        [&](OpBuilder &b, Location loc, ValueRange) -> Value {
          Value i = linalg::IndexOp::create(b, loc, 0);
          Value j = linalg::IndexOp::create(b, loc, 1);
          Value diff = arith::SubIOp::create(b, loc, j, i);
          Value kv = arith::ConstantIndexOp::create(b, loc, k);
          Value on = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           diff, kv);
          return arith::SelectOp::create(
              b, loc, on, createScalarConstant(b, loc, elt, 1.0),
              createScalarConstant(b, loc, elt, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// out[i] = start + i * delta, with start and delta read at run time.
struct RangeLowering : OpConversionPattern<graph::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    if (failed(requireStaticShape(rewriter, op, type)))
      return failure();
    Type elt = type.getElementType();
    // The scalars enter as rank-0 (or one-element) operands.
    auto asScalar = [&](Value v) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      if (t.getRank() == 0)
        return v;
      return tensor::CollapseShapeOp::create(
          rewriter, op.getLoc(), RankedTensorType::get({}, t.getElementType()),
          v, SmallVector<ReassociationIndices>{});
    };
    Value start = asScalar(adaptor.getStart());
    Value delta = asScalar(adaptor.getDelta());
    Value result = createElementwise(
        rewriter, op.getLoc(), {start, delta}, type,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value i = linalg::IndexOp::create(b, loc, 0);
          Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
          if (isa<FloatType>(elt)) {
            Value fi = arith::SIToFPOp::create(b, loc, elt, i64);
            Value step = arith::MulFOp::create(b, loc, fi, args[1]);
            return arith::AddFOp::create(b, loc, args[0], step);
          }
          Value ii = convertScalar(b, loc, i64, elt, false, false);
          Value step = arith::MulIOp::create(b, loc, ii, args[1]);
          return arith::AddIOp::create(b, loc, args[0], step);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A static result shape means the shape input only restates it.
struct ConstantOfShapeLowering
    : OpConversionPattern<graph::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConstantOfShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    if (failed(requireStaticShape(rewriter, op, type)))
      return failure();
    ElementsAttr fill = op.getValue()
                            ? toSignlessElements(*op.getValue())
                            : ElementsAttr(DenseElementsAttr::get(
                                  RankedTensorType::get({1},
                                                        rewriter.getF32Type()),
                                  0.0f));
    auto dense = cast<DenseElementsAttr>(fill);
    auto splat = DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, splat);
    return success();
  }
};

/// Shape and Size of static tensors normally fold at import; lower the
/// rest the same way.
template <typename OpTy>
struct StaticShapeQueryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Attribute> folded;
    OpFoldResult result = op.fold(typename OpTy::FoldAdaptor({}, op));
    auto value = dyn_cast_if_present<Attribute>(result);
    auto typed = dyn_cast_if_present<TypedAttr>(value);
    if (!typed)
      return rewriter.notifyMatchFailure(op, "needs static input dims");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, typed);
    return success();
  }
};

} // namespace

void populateGraphCoreToLinalgPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, IdentityLowering, CastLowering,
               EyeLikeLowering, RangeLowering, ConstantOfShapeLowering,
               StaticShapeQueryLowering<graph::ShapeOp>,
               StaticShapeQueryLowering<graph::SizeOp>>(
      converter, patterns.getContext());
}

} // namespace kiln
