//===- FusedToLinalg.cpp - Lowering the ops Kiln recognizes ---------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace kiln {
namespace {

/// GELU elementwise, computed in f32 for f16 and bf16.
struct GeluLowering : OpConversionPattern<graph::GeluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, type)))
      return failure();
    bool tanhForm = op.getApproximate() == "tanh";
    Value result = createElementwise(
        rewriter, op.getLoc(), adaptor.getX(), type,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type elt = args[0].getType();
          Type compute = elt.getIntOrFloatBitWidth() < 32 ? b.getF32Type() : elt;
          Value x = convertScalar(b, loc, args[0], compute, false, false);
          auto c = [&](double v) {
            return createScalarConstant(b, loc, compute, v);
          };
          Value inner;
          if (tanhForm) {
            Value x3 = arith::MulFOp::create(
                b, loc, x, arith::MulFOp::create(b, loc, x, x));
            Value sum = arith::AddFOp::create(
                b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), x3));
            Value arg =
                arith::MulFOp::create(b, loc, c(0.7978845608028654), sum);
            inner = math::TanhOp::create(b, loc, arg);
          } else {
            Value arg = arith::MulFOp::create(b, loc, x, c(0.7071067811865476));
            inner = math::ErfOp::create(b, loc, arg);
          }
          Value onePlus = arith::AddFOp::create(b, loc, c(1.0), inner);
          Value half = arith::MulFOp::create(b, loc, c(0.5), x);
          Value y = arith::MulFOp::create(b, loc, half, onePlus);
          return convertScalar(b, loc, y, elt, false, false);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphFusedToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<GeluLowering>(converter, patterns.getContext());
}

} // namespace kiln
