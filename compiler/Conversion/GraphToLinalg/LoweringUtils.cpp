//===- LoweringUtils.cpp - Helpers shared by graph lowerings --------------===//

#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace kiln {

Value createEmptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType(), dynamicSizes);
}

Value createElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                        RankedTensorType resultType, ScalarBodyBuilder body) {
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  SmallVector<Value> operands;
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    int64_t inRank = type.getRank();
    int64_t offset = rank - inRank;
    assert(offset >= 0 && "input rank exceeds the result rank");
    SmallVector<AffineExpr> exprs;
    SmallVector<int64_t> keptShape;
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (int64_t i = 0; i < inRank; ++i) {
      pending.push_back(i);
      bool broadcast = type.getDimSize(i) == 1 &&
                       resultType.getDimSize(offset + i) != 1;
      if (broadcast)
        continue;
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
      keptShape.push_back(type.getDimSize(i));
      groups.push_back(pending);
      pending.clear();
    }
    if (!pending.empty() && !groups.empty())
      llvm::append_range(groups.back(), pending);
    if (int64_t(keptShape.size()) != inRank) {
      auto collapsedType =
          RankedTensorType::get(keptShape, type.getElementType());
      input = tensor::CollapseShapeOp::create(b, loc, collapsedType, input,
                                              groups);
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    operands.push_back(input);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = createEmptyTensor(b, loc, resultType);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  if (type.isInteger(1))
    return arith::ConstantOp::create(b, loc, b.getBoolAttr(value != 0.0));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt(type.getIntOrFloatBitWidth(),
                                            int64_t(value), true)));
}

Value convertScalar(OpBuilder &b, Location loc, Value v, Type to,
                    bool fromUnsigned, bool toUnsigned) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, v);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, v);
    // f16 <-> bf16: through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (!fromFloat && toFloat) {
    if (fromUnsigned || from.isInteger(1))
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::SIToFPOp::create(b, loc, to, v);
  }
  if (fromFloat && !toFloat) {
    if (to.isInteger(1)) {
      Value zero = createScalarConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero);
    }
    unsigned width = to.getIntOrFloatBitWidth();
    if (width == 64)
      return toUnsigned ? arith::FPToUIOp::create(b, loc, to, v).getResult()
                        : arith::FPToSIOp::create(b, loc, to, v).getResult();
    // Narrow targets convert through i64 and wrap, as C casts do in
    // practice and numpy does.
    Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
    return arith::TruncIOp::create(b, loc, to, wide);
  }
  // Integer to integer.
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (toWidth == 1) {
    Value zero = createScalarConstant(b, loc, from, 0.0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero);
  }
  if (fromWidth < toWidth) {
    if (fromUnsigned || fromWidth == 1)
      return arith::ExtUIOp::create(b, loc, to, v);
    return arith::ExtSIOp::create(b, loc, to, v);
  }
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, v);
  return v;
}

bool isUnsignedElement(Value graphValue) {
  auto type = dyn_cast<ShapedType>(graphValue.getType());
  return type && type.getElementType().isUnsignedInteger();
}

RankedTensorType toSignless(RankedTensorType type) {
  Type elt = type.getElementType();
  if (auto it = dyn_cast<IntegerType>(elt); it && !it.isSignless())
    return type.clone(IntegerType::get(type.getContext(), it.getWidth()));
  return type;
}

LogicalResult requireStaticShape(ConversionPatternRewriter &rewriter,
                                 Operation *op, Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (shaped && shaped.hasStaticShape())
    return success();
  return rewriter.notifyMatchFailure(op, "needs a static shape");
}

Type getComputeType(Type type) {
  if (isa<Float16Type, BFloat16Type>(type))
    return Float32Type::get(type.getContext());
  return type;
}

} // namespace kiln
