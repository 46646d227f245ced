//===- NNLossToLinalg.cpp - Lowering NegativeLogLikelihoodLoss and SCE ----===//
//
// The per-element loss is a generic over the target's shape that gathers
// the log-probability of the target class with tensor.extract (ignored
// targets read class 0 and weigh 0). Sum and mean reduce it to a scalar;
// mean divides by the summed weights of the counted targets.
// SoftmaxCrossEntropyLoss computes the log-softmax over the class dim
// first (max, sum of exponentials, difference) and shares the rest.
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

/// Sums every element of `x` into a rank-0 tensor.
Value sumAll(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  auto scalarType = RankedTensorType::get({}, type.getElementType());
  Value init = createFilled(b, loc, scalarType, 0.0);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, scalarType, x, init, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl, arith::AddFOp::create(nb, nl, args[0], args[1])
                               .getResult());
             })
      .getResult(0);
}

/// The loss of `logProb` (`[N, C, d...]`, compute type) against `target`
/// (`[N, d...]`), reduced as `reduction` says, in `resultType`.
FailureOr<Value> buildNllLoss(ConversionPatternRewriter &rewriter,
                              Operation *op, Value logProb, Value target,
                              Value weight, std::optional<int64_t> ignoreIndex,
                              StringRef reduction,
                              RankedTensorType resultType) {
  OpBuilder &b = rewriter;
  Location loc = op->getLoc();
  auto lpType = cast<RankedTensorType>(logProb.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  Type ct = lpType.getElementType();
  int64_t classes = lpType.getDimSize(1);
  int64_t rank = targetType.getRank();
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return rewriter.notifyMatchFailure(op, "unknown reduction");

  auto lossType = RankedTensorType::get(targetType.getShape(), ct);
  SmallVector<AffineMap> maps(3, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value lossInit = createEmptyTensor(b, loc, lossType);
  Value weightInit = createEmptyTensor(b, loc, lossType);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{lossType, lossType}, target,
      ValueRange{lossInit, weightInit}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Type i64 = nb.getI64Type();
        Value t = convertScalar(nb, nl, args[0], i64, false, false);
        Value ignored = createScalarConstant(nb, nl, nb.getI1Type(), 0);
        if (ignoreIndex)
          ignored = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::eq, t,
              createScalarConstant(nb, nl, i64, double(*ignoreIndex)));
        // Out-of-range classes read class 0 rather than out of bounds.
        Value inRange = arith::AndIOp::create(
            nb, nl,
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, t,
                                  createScalarConstant(nb, nl, i64, 0)),
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, t,
                                  createScalarConstant(nb, nl, i64, classes)));
        Value safe = arith::SelectOp::create(
            nb, nl, inRange, t, createScalarConstant(nb, nl, i64, 0));
        Value cls = castIndex(nb, nl, safe, nb.getIndexType());
        SmallVector<Value> indices = {linalg::IndexOp::create(nb, nl, 0), cls};
        for (int64_t i = 1; i < rank; ++i)
          indices.push_back(linalg::IndexOp::create(nb, nl, i));
        Value v = tensor::ExtractOp::create(nb, nl, logProb, indices);
        Value w = createScalarConstant(nb, nl, ct, 1.0);
        if (weight)
          w = convertScalar(nb, nl,
                            tensor::ExtractOp::create(nb, nl, weight, cls), ct,
                            false, false);
        w = arith::SelectOp::create(nb, nl, ignored,
                                    createScalarConstant(nb, nl, ct, 0.0), w);
        Value loss = arith::NegFOp::create(
            nb, nl, arith::MulFOp::create(nb, nl, v, w));
        linalg::YieldOp::create(nb, nl, ValueRange{loss, w});
      });
  Value loss = generic.getResult(0);
  Type elt = resultType.getElementType();
  if (reduction == "none")
    return convertElements(b, loc, loss, elt);
  Value total = sumAll(b, loc, loss);
  SmallVector<Value> inputs = {total};
  if (reduction == "mean")
    inputs.push_back(sumAll(b, loc, generic.getResult(1)));
  return createElementwise(
      b, loc, inputs, RankedTensorType::get({}, elt),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = args[0];
        if (args.size() == 2)
          v = arith::DivFOp::create(nb, nl, v, args[1]);
        return convertScalar(nb, nl, v, elt, false, false);
      });
}

std::optional<int64_t> readIgnoreIndex(std::optional<uint64_t> attr) {
  if (!attr)
    return std::nullopt;
  return int64_t(*attr);
}

struct NegativeLogLikelihoodLossLowering
    : OpConversionPattern<graph::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, inputType)) ||
        failed(requireStaticShape(rewriter, op, op.getTarget().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Type ct = computeFloatType(inputType.getElementType());
    Value input =
        convertElements(rewriter, op.getLoc(), adaptor.getInput(), ct);
    Value weight =
        graph::isNone(op.getWeight()) ? Value() : adaptor.getWeight();
    FailureOr<Value> loss = buildNllLoss(
        rewriter, op, input, adaptor.getTarget(), weight,
        readIgnoreIndex(op.getIgnoreIndex()), op.getReduction(), resultType);
    if (failed(loss))
      return failure();
    rewriter.replaceOp(op, *loss);
    return success();
  }
};

/// Reduces `x` (`[N, C, d...]`) over dim 1 into `[N, 1, d...]`.
Value reduceClasses(OpBuilder &b, Location loc, Value x, double initValue,
                    function_ref<Value(OpBuilder &, Location, Value, Value)>
                        combine) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 1);
  auto reducedType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != 1)
      exprs.push_back(getAffineDimExpr(i, ctx));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, exprs, ctx)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[1] = utils::IteratorType::reduction;
  Value init = createFilled(b, loc, reducedType, initValue);
  Value reduced =
      linalg::GenericOp::create(
          b, loc, reducedType, x, init, maps, iterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(nb, nl, combine(nb, nl, args[0], args[1]));
          })
          .getResult(0);
  shape.insert(shape.begin() + 1, 1);
  return reshapeTensor(b, loc, reduced, shape);
}

struct SoftmaxCrossEntropyLossLowering
    : OpConversionPattern<graph::SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto scoresType = cast<RankedTensorType>(op.getScores().getType());
    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    auto logProbType = cast<RankedTensorType>(op.getLogProb().getType());
    if (failed(requireStaticShape(rewriter, op, scoresType)) ||
        failed(requireStaticShape(rewriter, op, op.getLabels().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)) ||
        failed(requireStaticShape(rewriter, op, logProbType)))
      return failure();
    Type elt = scoresType.getElementType();
    Type ct = computeFloatType(elt);
    Value x = convertElements(rewriter, loc, adaptor.getScores(), ct);
    auto xType = cast<RankedTensorType>(x.getType());
    Value max = reduceClasses(
        rewriter, loc, x, -std::numeric_limits<double>::infinity(),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, v, acc);
        });
    Value shifted = createElementwise(
        rewriter, loc, {x, max}, xType,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0], args[1]);
        });
    Value sumExp = reduceClasses(
        rewriter, loc, shifted, 0.0,
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, math::ExpOp::create(b, l, v),
                                       acc);
        });
    Value logProb = createElementwise(
        rewriter, loc, {shifted, sumExp}, xType,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0],
                                       math::LogOp::create(b, l, args[1]));
        });
    Value weight =
        graph::isNone(op.getWeights()) ? Value() : adaptor.getWeights();
    FailureOr<Value> loss = buildNllLoss(
        rewriter, op, logProb, adaptor.getLabels(), weight,
        readIgnoreIndex(op.getIgnoreIndex()), op.getReduction(), resultType);
    if (failed(loss))
      return failure();
    rewriter.replaceOp(op, {*loss, convertElements(rewriter, loc, logProb,
                                                   elt)});
    return success();
  }
};

} // namespace

void populateNNLossPatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns) {
  patterns.add<NegativeLogLikelihoodLossLowering,
               SoftmaxCrossEntropyLossLowering>(converter,
                                                patterns.getContext());
}

} // namespace kiln
