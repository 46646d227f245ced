//===- NormalizationToLinalg.cpp - Lowering the normalization ops ---------===//
//
// BatchNormalization, InstanceNormalization, LayerNormalization, LRN,
// MeanVarianceNormalization and LpNormalization. The statistics are
// linalg.generic reductions (ReductionBuilders.h) with small elementwise
// finishes over the reduced shape, which dispatch formation fuses into the
// reduction's kernel; the normalization itself is one all-parallel generic
// over the input. Statistics use the two-pass variance, as the ONNX
// references do.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/ReductionBuilders.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value constant(OpBuilder &b, Location loc, Type type, double value) {
  return createScalarConstant(b, loc, type, value);
}

/// Converts a float element to `type` (both are floats).
Value toType(OpBuilder &b, Location loc, Value v, Type type) {
  return convertScalar(b, loc, v, type, false, false);
}

/// The sum of `input` (converted to `accType`) over the `reduced` dims.
Value createSum(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced,
                Type accType) {
  return createReduction(
      b, loc, input, {}, reduced, constant(b, loc, accType, 0.0),
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value x = toType(nb, nloc, args[0], accType);
        return arith::AddFOp::create(nb, nloc, args[1], x);
      });
}

/// The sum of (x - mean)^2 over the `reduced` dims, where `mean` has the
/// kept shape and type `accType`.
Value createSquaredDeviationSum(OpBuilder &b, Location loc, Value input,
                                Value mean, ArrayRef<bool> reduced) {
  Type accType = cast<RankedTensorType>(mean.getType()).getElementType();
  return createReduction(
      b, loc, input, mean, reduced, constant(b, loc, accType, 0.0),
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value x = toType(nb, nloc, args[0], accType);
        Value d = arith::SubFOp::create(nb, nloc, x, args[1]);
        Value sq = arith::MulFOp::create(nb, nloc, d, d);
        return arith::AddFOp::create(nb, nloc, args[2], sq);
      });
}

/// `sum / count` elementwise, for a mean from a sum.
Value createDivideByCount(OpBuilder &b, Location loc, Value sum,
                          int64_t count) {
  auto type = cast<RankedTensorType>(sum.getType());
  return createElementwise(
      b, loc, sum, type, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value n = constant(nb, nloc, type.getElementType(), double(count));
        return arith::DivFOp::create(nb, nloc, args[0], n).getResult();
      });
}

/// A 1-D per-channel tensor reshaped to [C, 1, ..., 1] so that it
/// broadcasts along dim 1 of a rank-`rank` tensor.
Value alongChannels(OpBuilder &b, Location loc, Value param, int64_t rank) {
  auto type = cast<RankedTensorType>(param.getType());
  if (rank <= 2)
    return param;
  SmallVector<int64_t> shape(rank - 1, 1);
  shape[0] = type.getDimSize(0);
  ReassociationIndices all;
  for (int64_t i = 0; i < rank - 1; ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), param,
      SmallVector<ReassociationIndices>{all});
}

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

/// Inference: one elementwise generic over X with the per-channel inputs
/// broadcast along dim 1, after a per-channel one that folds the variance
/// into the scale. Training: the batch mean and variance (over every
/// dim but 1) replace input_mean and input_var, and the running statistics
/// blend them in with `momentum`.
struct BatchNormalizationLowering
    : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    Type elt = type.getElementType();
    Type accType = getComputeType(elt);
    double epsilon = op.getEpsilonAttr().getValueAsDouble();
    bool training = op.getTrainingMode() != 0;

    Value mean = adaptor.getInputMean(), var = adaptor.getInputVar();
    Value runningMean = mean, runningVar = var;
    if (training) {
      if (rank < 2)
        return rewriter.notifyMatchFailure(op, "training needs rank 2 or more");
      SmallVector<bool> reduced(rank, true);
      reduced[1] = false;
      int64_t count = getReducedCount(type.getShape(), reduced);
      Value batchMean = createDivideByCount(
          rewriter, loc, createSum(rewriter, loc, x, reduced, accType), count);
      Value batchVar = createDivideByCount(
          rewriter, loc,
          createSquaredDeviationSum(rewriter, loc, x, batchMean, reduced),
          count);
      double momentum = op.getMomentumAttr().getValueAsDouble();
      auto blend = [&](Value input, Value batch) {
        auto inputType = cast<RankedTensorType>(input.getType());
        Type inputElt = inputType.getElementType();
        return createElementwise(
            rewriter, loc, ValueRange{input, batch}, inputType,
            [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
              Value in = toType(b, nloc, args[0], accType);
              Value kept = arith::MulFOp::create(
                  b, nloc, in, constant(b, nloc, accType, momentum));
              Value added = arith::MulFOp::create(
                  b, nloc, args[1], constant(b, nloc, accType, 1.0 - momentum));
              Value v = arith::AddFOp::create(b, nloc, kept, added);
              return toType(b, nloc, v, inputElt);
            });
      };
      runningMean = blend(mean, batchMean);
      runningVar = blend(var, batchVar);
      mean = batchMean;
      var = batchVar;
    }

    // scale / sqrt(var + epsilon) once per channel, so that each element
    // costs a subtraction, a multiplication and an addition.
    auto channelType =
        cast<RankedTensorType>(adaptor.getScale().getType()).clone(accType);
    Value factor = createElementwise(
        rewriter, loc, ValueRange{adaptor.getScale(), var}, channelType,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value shifted =
              arith::AddFOp::create(b, nloc, toType(b, nloc, args[1], accType),
                                    constant(b, nloc, accType, epsilon));
          Value stddev = math::SqrtOp::create(b, nloc, shifted);
          return arith::DivFOp::create(
              b, nloc, toType(b, nloc, args[0], accType), stddev);
        });
    SmallVector<Value> operands = {x};
    for (Value param : {mean, factor, adaptor.getB()})
      operands.push_back(alongChannels(rewriter, loc, param, rank));
    Value y = createElementwise(
        rewriter, loc, operands, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          SmallVector<Value> v;
          for (Value arg : args)
            v.push_back(toType(b, nloc, arg, accType));
          Value centered = arith::SubFOp::create(b, nloc, v[0], v[1]);
          Value scaled = arith::MulFOp::create(b, nloc, centered, v[2]);
          Value result = arith::AddFOp::create(b, nloc, scaled, v[3]);
          return toType(b, nloc, result, elt);
        });
    rewriter.replaceOp(op, {y, runningMean, runningVar});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// InstanceNormalization, LayerNormalization
//===----------------------------------------------------------------------===//

/// The mean and 1 / sqrt(variance + epsilon) of `x` over the `reduced`
/// dims, in keepdims form and type `accType`: a sum, its mean, the sum of
/// squared deviations from it, and the inverse deviation.
std::pair<Value, Value> createMeanAndInvStdDev(OpBuilder &b, Location loc,
                                               Value x, ArrayRef<bool> reduced,
                                               Type accType, double epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t count = getReducedCount(type.getShape(), reduced);
  Value mean = createDivideByCount(
      b, loc, createSum(b, loc, x, reduced, accType), count);
  Value deviations = createSquaredDeviationSum(b, loc, x, mean, reduced);
  Value invStdDev = createElementwise(
      b, loc, deviations, cast<RankedTensorType>(deviations.getType()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value var = arith::DivFOp::create(
            nb, nloc, args[0], constant(nb, nloc, accType, double(count)));
        Value shifted = arith::AddFOp::create(
            nb, nloc, var, constant(nb, nloc, accType, epsilon));
        Value stddev = math::SqrtOp::create(nb, nloc, shifted);
        return arith::DivFOp::create(nb, nloc, constant(nb, nloc, accType, 1.0),
                                     stddev);
      });
  return {expandReducedDims(b, loc, mean, reduced),
          expandReducedDims(b, loc, invStdDev, reduced)};
}

/// scale * (x - mean) / sqrt(var + epsilon) + B, statistics over dims 2 and
/// up of each (n, c).
struct InstanceNormalizationLowering
    : OpConversionPattern<graph::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::InstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    if (rank < 3)
      return rewriter.notifyMatchFailure(op, "needs rank 3 or more");
    Type elt = type.getElementType();
    Type accType = getComputeType(elt);
    SmallVector<bool> reduced(rank, true);
    reduced[0] = reduced[1] = false;
    auto [mean, invStdDev] =
        createMeanAndInvStdDev(rewriter, loc, x, reduced, accType,
                               op.getEpsilonAttr().getValueAsDouble());
    Value scale = alongChannels(rewriter, loc, adaptor.getScale(), rank);
    Value bias = alongChannels(rewriter, loc, adaptor.getB(), rank);
    Value y = createElementwise(
        rewriter, loc, ValueRange{x, mean, invStdDev, scale, bias}, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(
              b, nloc, toType(b, nloc, args[0], accType), args[1]);
          Value scaled = arith::MulFOp::create(
              b, nloc, toType(b, nloc, args[3], accType), centered);
          Value normalized = arith::MulFOp::create(b, nloc, scaled, args[2]);
          Value result = arith::AddFOp::create(
              b, nloc, normalized, toType(b, nloc, args[4], accType));
          return toType(b, nloc, result, elt);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// Statistics over dims `axis` and up in `stash_type` (f16 and bf16 stashes
/// compute in f32); the normalized value is rounded to X's type before
/// Scale and B apply, as the reference does. Mean and InvStdDev are built
/// only when used.
struct LayerNormalizationLowering
    : OpConversionPattern<graph::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    Type elt = type.getElementType();
    Type stashType = op.getStashType();
    if (!isa<FloatType>(stashType))
      return rewriter.notifyMatchFailure(op, "stash_type is not a float");
    Type accType = getComputeType(stashType);
    Type eltCompute = getComputeType(elt);
    SmallVector<bool> reduced(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      reduced[i] = true;
    auto [mean, invStdDev] =
        createMeanAndInvStdDev(rewriter, loc, x, reduced, accType,
                               op.getEpsilonAttr().getValueAsDouble());

    SmallVector<Value> operands = {x, mean, invStdDev, adaptor.getScale()};
    bool hasBias = !graph::isNone(adaptor.getB());
    if (hasBias)
      operands.push_back(adaptor.getB());
    Value y = createElementwise(
        rewriter, loc, operands, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(
              b, nloc, toType(b, nloc, args[0], accType), args[1]);
          Value normalized = arith::MulFOp::create(b, nloc, centered, args[2]);
          if (accType != elt)
            normalized =
                toType(b, nloc, toType(b, nloc, normalized, elt), eltCompute);
          Value result = arith::MulFOp::create(
              b, nloc, normalized, toType(b, nloc, args[3], eltCompute));
          if (hasBias)
            result = arith::AddFOp::create(
                b, nloc, result, toType(b, nloc, args[4], eltCompute));
          return toType(b, nloc, result, elt);
        });

    auto asStash = [&](Value stat, Value graphResult) -> Value {
      if (graphResult.use_empty())
        return stat;
      auto resultType = cast<RankedTensorType>(graphResult.getType());
      if (resultType.getElementType() == accType)
        return stat;
      return createElementwise(
          rewriter, loc, stat, resultType,
          [&](OpBuilder &b, Location nloc, ValueRange args) {
            return toType(b, nloc, args[0], resultType.getElementType());
          });
    };
    rewriter.replaceOp(op, {y, asStash(mean, op.getMean()),
                            asStash(invStdDev, op.getInvStdDev())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// LRN, MeanVarianceNormalization, LpNormalization
//===----------------------------------------------------------------------===//

/// One elementwise generic: each element reads its `size` channel
/// neighbours with tensor.extract (positions outside [0, C) are clamped
/// for the read and masked out of the sum), then divides x by
/// (bias + alpha / size * square_sum) ^ beta.
struct LRNLowering : OpConversionPattern<graph::LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t size = op.getSize();
    if (rank < 2)
      return rewriter.notifyMatchFailure(op, "needs rank 2 or more");
    if (size < 1)
      return rewriter.notifyMatchFailure(op, "size must be positive");
    Type elt = type.getElementType();
    Type accType = getComputeType(elt);
    int64_t channels = type.getDimSize(1);
    int64_t before = (size - 1) / 2;
    double alpha = op.getAlphaAttr().getValueAsDouble();
    double beta = op.getBetaAttr().getValueAsDouble();
    double bias = op.getBiasAttr().getValueAsDouble();
    Value y = createElementwise(
        rewriter, op.getLoc(), x, type,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          SmallVector<Value> indices;
          for (int64_t i = 0; i < rank; ++i)
            indices.push_back(linalg::IndexOp::create(b, loc, i));
          Value c = indices[1];
          Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
          Value last = arith::ConstantIndexOp::create(b, loc, channels - 1);
          Value zero = constant(b, loc, accType, 0.0);
          Value sum = zero;
          for (int64_t k = 0; k < size; ++k) {
            Value offset = arith::ConstantIndexOp::create(b, loc, k - before);
            Value neighbour = arith::AddIOp::create(b, loc, c, offset);
            Value inRange = arith::AndIOp::create(
                b, loc,
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                      neighbour, zeroIndex),
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                      neighbour, last));
            Value clamped = arith::MinSIOp::create(
                b, loc, arith::MaxSIOp::create(b, loc, neighbour, zeroIndex),
                last);
            SmallVector<Value> at = indices;
            at[1] = clamped;
            Value v = toType(b, loc, tensor::ExtractOp::create(b, loc, x, at),
                             accType);
            Value sq = arith::MulFOp::create(b, loc, v, v);
            sum = arith::AddFOp::create(
                b, loc, sum,
                arith::SelectOp::create(b, loc, inRange, sq, zero));
          }
          Value scaled = arith::MulFOp::create(
              b, loc, constant(b, loc, accType, alpha / double(size)), sum);
          Value base = arith::AddFOp::create(
              b, loc, constant(b, loc, accType, bias), scaled);
          Value denominator = math::PowFOp::create(
              b, loc, base, constant(b, loc, accType, beta));
          Value result = arith::DivFOp::create(
              b, loc, toType(b, loc, args[0], accType), denominator);
          return toType(b, loc, result, elt);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// (X - E[X]) / (sqrt(E[X^2] - E[X]^2) + 1e-9) over `axes`, as the ONNX
/// function body computes it.
struct MeanVarianceNormalizationLowering
    : OpConversionPattern<graph::MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MeanVarianceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    std::optional<SmallVector<bool>> reduced =
        getReducedDims(type.getRank(), op.getAxes());
    if (!reduced)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Type elt = type.getElementType();
    Type accType = getComputeType(elt);
    int64_t count = getReducedCount(type.getShape(), *reduced);
    Value sum = createSum(rewriter, loc, x, *reduced, accType);
    Value squares = createReduction(
        rewriter, loc, x, {}, *reduced, constant(rewriter, loc, accType, 0.0),
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value v = toType(b, nloc, args[0], accType);
          return arith::AddFOp::create(b, nloc, args[1],
                                       arith::MulFOp::create(b, nloc, v, v));
        });
    Value mean = createDivideByCount(rewriter, loc, sum, count);
    Value stddev = createElementwise(
        rewriter, loc, ValueRange{mean, squares},
        cast<RankedTensorType>(mean.getType()),
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value meanOfSquares = arith::DivFOp::create(
              b, nloc, args[1], constant(b, nloc, accType, double(count)));
          Value squaredMean = arith::MulFOp::create(b, nloc, args[0], args[0]);
          Value var =
              arith::SubFOp::create(b, nloc, meanOfSquares, squaredMean);
          return math::SqrtOp::create(b, nloc, var);
        });
    Value meanK = expandReducedDims(rewriter, loc, mean, *reduced);
    Value stddevK = expandReducedDims(rewriter, loc, stddev, *reduced);
    Value y = createElementwise(
        rewriter, loc, ValueRange{x, meanK, stddevK}, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(
              b, nloc, toType(b, nloc, args[0], accType), args[1]);
          Value denominator = arith::AddFOp::create(
              b, nloc, args[2], constant(b, nloc, accType, 1e-9));
          Value result = arith::DivFOp::create(b, nloc, centered, denominator);
          return toType(b, nloc, result, elt);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// x / (sum |x|^p)^(1/p) along `axis`, with p = 1 and 2 spelled out.
struct LpNormalizationLowering : OpConversionPattern<graph::LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LpNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "needs rank 1 or more");
    std::optional<SmallVector<bool>> reduced =
        getReducedDims(rank, {int64_t(op.getAxis())});
    if (!reduced)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    int64_t p = op.getP();
    if (p < 1)
      return rewriter.notifyMatchFailure(op, "p must be positive");
    Type elt = type.getElementType();
    Type accType = getComputeType(elt);
    Value sum = createReduction(
        rewriter, loc, x, {}, *reduced, constant(rewriter, loc, accType, 0.0),
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value v =
              math::AbsFOp::create(b, nloc, toType(b, nloc, args[0], accType));
          if (p == 2)
            v = arith::MulFOp::create(b, nloc, v, v);
          else if (p != 1)
            v = math::PowFOp::create(b, nloc, v,
                                     constant(b, nloc, accType, double(p)));
          return arith::AddFOp::create(b, nloc, args[1], v);
        });
    Value norm = expandReducedDims(rewriter, loc, sum, *reduced);
    Value y = createElementwise(
        rewriter, loc, ValueRange{x, norm}, type,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value n = args[1];
          if (p == 2)
            n = math::SqrtOp::create(b, nloc, n);
          else if (p != 1)
            n = math::PowFOp::create(
                b, nloc, n, constant(b, nloc, accType, 1.0 / double(p)));
          Value result = arith::DivFOp::create(
              b, nloc, toType(b, nloc, args[0], accType), n);
          return toType(b, nloc, result, elt);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateGraphNormalizationToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<BatchNormalizationLowering, InstanceNormalizationLowering,
               LayerNormalizationLowering, LRNLowering,
               MeanVarianceNormalizationLowering, LpNormalizationLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
