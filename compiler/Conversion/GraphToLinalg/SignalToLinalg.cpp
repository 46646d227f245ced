//===- SignalToLinalg.cpp - Lowering DFT, STFT, windows and mel banks -----===//
//
// The transforms are direct O(n^2) sums: a linalg.generic over the output
// (the trailing dim picks the real or imaginary part) with the signal
// position as a reduction loop. Twiddle factors use the angle
// 2 pi ((k n) mod N) / N computed in f64, exact at the quarter turns, and
// the sums accumulate in f64, so that bins a float FFT gives as exact
// zeros come out as zeros. Windows and the mel filter bank that did not
// fold (their size or parameters are run-time inputs) are elementwise
// generics computing each element from its index.
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

#include <cmath>

using namespace mlir;

namespace kiln {
namespace {

/// cos and sin of 2 pi m / n for i64 `m` in [0, n) and i64 `n`, in f64;
/// exact where 4 m is a multiple of n.
std::pair<Value, Value> twiddle(OpBuilder &b, Location loc, Value m, Value n) {
  Type f64 = b.getF64Type(), i64 = b.getI64Type();
  auto ci = [&](int64_t v) { return createScalarConstant(b, loc, i64, v); };
  auto cf = [&](double v) { return createScalarConstant(b, loc, f64, v); };
  Value mf = arith::SIToFPOp::create(b, loc, f64, m);
  Value nf = arith::SIToFPOp::create(b, loc, f64, n);
  Value angle = arith::DivFOp::create(
      b, loc, arith::MulFOp::create(b, loc, mf, cf(2 * M_PI)), nf);
  Value cosv = math::CosOp::create(b, loc, angle);
  Value sinv = math::SinOp::create(b, loc, angle);
  // Quarter turns: q = 4 m / n when it divides.
  Value m4 = arith::MulIOp::create(b, loc, m, ci(4));
  Value quarter = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, arith::RemSIOp::create(b, loc, m4, n),
      ci(0));
  Value q = arith::DivSIOp::create(b, loc, m4, n);
  auto isQuarter = [&](int64_t k) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, q, ci(k));
  };
  auto pick = [&](double v0, double v1, double v2, double v3) {
    Value v = cf(v3);
    v = arith::SelectOp::create(b, loc, isQuarter(2), cf(v2), v);
    v = arith::SelectOp::create(b, loc, isQuarter(1), cf(v1), v);
    return arith::SelectOp::create(b, loc, isQuarter(0), cf(v0), v);
  };
  cosv = arith::SelectOp::create(b, loc, quarter, pick(1, 0, -1, 0), cosv);
  sinv = arith::SelectOp::create(b, loc, quarter, pick(0, 1, 0, -1), sinv);
  return {cosv, sinv};
}

/// The contribution of sample (re, im) to output component `c` (0 real, 1
/// imaginary) for the twiddle (cos, sin): the product with
/// exp(-i angle), or exp(+i angle) when `inverse`.
Value rotate(OpBuilder &b, Location loc, Value re, Value im, Value cosv,
             Value sinv, Value component, bool inverse) {
  auto mul = [&](Value x, Value y) {
    return arith::MulFOp::create(b, loc, x, y).getResult();
  };
  Value realPart, imagPart;
  if (inverse) {
    realPart = arith::SubFOp::create(b, loc, mul(re, cosv), mul(im, sinv));
    imagPart = arith::AddFOp::create(b, loc, mul(im, cosv), mul(re, sinv));
  } else {
    realPart = arith::AddFOp::create(b, loc, mul(re, cosv), mul(im, sinv));
    imagPart = arith::SubFOp::create(b, loc, mul(im, cosv), mul(re, sinv));
  }
  Value isReal = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, component,
      arith::ConstantIndexOp::create(b, loc, 0));
  return arith::SelectOp::create(b, loc, isReal, realPart, imagPart);
}

//===----------------------------------------------------------------------===//
// DFT
//===----------------------------------------------------------------------===//

struct DFTLowering : OpConversionPattern<graph::DFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = xType.getRank();
    int64_t axis = int64_t(op.getAxis());
    if (axis < 0)
      axis += rank;
    if (axis < 1 || axis >= rank - 1)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    bool inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
    bool complex = xType.getDimSize(rank - 1) == 2;
    int64_t length = xType.getDimSize(axis);
    // The transform length n: static, or (a run-time dft_length with a
    // one-sided result) read in the body, with the sum running over the
    // largest n the result allows and masked beyond the actual one.
    int64_t n = length;
    Value runtimeLength;
    if (!graph::isNone(op.getDftLength())) {
      int64_t bins = resultType.getDimSize(axis);
      if (auto v = graph::getConstantInts(op.getDftLength()))
        n = v->front();
      else if (!onesided)
        n = bins;
      else {
        runtimeLength = adaptor.getDftLength();
        n = 2 * bins - 1;
      }
    }
    if (n < 1)
      return rewriter.notifyMatchFailure(op, "empty transform");

    // Cut or zero-pad the signal to n along the axis, in f64.
    Type f64 = rewriter.getF64Type();
    Value x = convertElements(rewriter, loc, adaptor.getInput(), f64);
    if (n < length) {
      SmallVector<int64_t> offsets(rank, 0), sizes(xType.getShape());
      sizes[axis] = n;
      x = extractStaticSlice(rewriter, loc, x, offsets, sizes);
    } else if (n > length) {
      SmallVector<int64_t> low(rank, 0), high(rank, 0);
      high[axis] = n - length;
      x = padTensor(rewriter, loc, x, low, high,
                    createScalarConstant(rewriter, loc, f64, 0.0));
    }

    // Loops: the output dims, then the signal position (reduction).
    int64_t numLoops = rank + 1;
    auto inputMap = [&](int64_t component) {
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < rank - 1; ++i)
        exprs.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
      exprs.push_back(getAffineConstantExpr(component, ctx));
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    SmallVector<Value> inputs = {x};
    SmallVector<AffineMap> maps = {inputMap(0)};
    if (complex) {
      inputs.push_back(x);
      maps.push_back(inputMap(1));
    }
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    auto accType = resultType.clone(f64);
    Value init = createFilled(rewriter, loc, accType, 0.0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, inputs, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i64 = b.getI64Type();
          Value k = indexAs(b, l, axis, i64);
          Value pos = indexAs(b, l, rank, i64);
          Value nv = runtimeLength
                         ? convertScalar(b, l,
                                         extractFirstElement(b, l,
                                                             runtimeLength),
                                         i64, false, false)
                         : createScalarConstant(b, l, i64, n);
          Value m = arith::RemSIOp::create(
              b, l, arith::MulIOp::create(b, l, k, pos), nv);
          auto [cosv, sinv] = twiddle(b, l, m, nv);
          Value re = args[0];
          Value im = complex ? args[1] : createScalarConstant(b, l, f64, 0.0);
          Value component = linalg::IndexOp::create(b, l, rank - 1);
          Value v = rotate(b, l, re, im, cosv, sinv, component, inverse);
          if (runtimeLength) {
            Value inside = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::slt, pos, nv);
            v = arith::SelectOp::create(b, l, inside, v,
                                        createScalarConstant(b, l, f64, 0.0));
          }
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args.back(), v).getResult());
        });
    Type elt = resultType.getElementType();
    Value y = createElementwise(
        rewriter, loc, generic.getResult(0), resultType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0];
          if (inverse) {
            Value scale = createScalarConstant(b, l, f64, double(n));
            if (runtimeLength)
              scale = convertScalar(
                  b, l, extractFirstElement(b, l, runtimeLength), f64, false,
                  false);
            v = arith::DivFOp::create(b, l, v, scale);
          }
          return convertScalar(b, l, v, elt, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// STFT
//===----------------------------------------------------------------------===//

struct STFTLowering : OpConversionPattern<graph::STFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::STFTOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto signalType = cast<RankedTensorType>(op.getSignal().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, signalType)) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    if (signalType.getRank() != 3 || resultType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "unexpected ranks");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    bool complex = signalType.getDimSize(2) == 2;
    bool onesided = op.getOnesided() != 0;
    int64_t length = signalType.getDimSize(1);
    int64_t bins = resultType.getDimSize(2);
    bool hasWindow = !graph::isNone(op.getWindow());
    // The frame length: the window's, a constant, or (one-sided) a run-time
    // value below 2 * bins, which the loop masks.
    std::optional<int64_t> frame;
    if (hasWindow) {
      auto windowType = cast<RankedTensorType>(op.getWindow().getType());
      if (failed(requireStaticShape(rewriter, op, windowType)))
        return failure();
      frame = windowType.getDimSize(0);
    } else if (auto v = graph::getConstantInts(op.getFrameLength())) {
      frame = v->front();
    } else if (!onesided) {
      frame = bins;
    } else if (graph::isNone(op.getFrameLength())) {
      return rewriter.notifyMatchFailure(op, "needs a frame length");
    }
    int64_t span = frame ? *frame : 2 * bins - 1;
    Value frameLength = graph::isNone(op.getFrameLength())
                            ? Value()
                            : adaptor.getFrameLength();
    Value step = adaptor.getFrameStep();
    Value signal = adaptor.getSignal();
    Type f64 = rewriter.getF64Type();

    // Loops (b, f, k, c, n); n reads the window, or a placeholder of its
    // extent.
    int64_t numLoops = 5;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    Value window = hasWindow
                       ? adaptor.getWindow()
                       : createEmptyTensor(
                             rewriter, loc,
                             RankedTensorType::get({span}, f64));
    SmallVector<AffineMap> maps = {
        AffineMap::get(numLoops, 0, {d(4)}, ctx),
        AffineMap::get(numLoops, 0, {d(0), d(1), d(2), d(3)}, ctx)};
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    auto accType = resultType.clone(f64);
    Value init = createFilled(rewriter, loc, accType, 0.0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, window, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i64 = b.getI64Type();
          auto ci = [&](int64_t v) {
            return createScalarConstant(b, l, i64, v);
          };
          Value nv = frame ? ci(*frame)
                           : convertScalar(
                                 b, l, extractFirstElement(b, l, frameLength),
                                 i64, false, false);
          Value hop = convertScalar(b, l, extractFirstElement(b, l, step), i64,
                                    false, false);
          Value f = indexAs(b, l, 1, i64), k = indexAs(b, l, 2, i64);
          Value pos = indexAs(b, l, 4, i64);
          Value at = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, f, hop), pos);
          Value valid = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, pos, nv),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, at,
                                    ci(length)));
          Value safeAt = arith::SelectOp::create(b, l, valid, at, ci(0));
          Value atIndex = castIndex(b, l, safeAt, b.getIndexType());
          Value batch = linalg::IndexOp::create(b, l, 0);
          auto sample = [&](int64_t component) {
            Value v = tensor::ExtractOp::create(
                b, l, signal,
                ValueRange{batch, atIndex,
                           arith::ConstantIndexOp::create(b, l, component)});
            return convertScalar(b, l, v, f64, false, false);
          };
          Value re = sample(0);
          Value im = complex ? sample(1) : createScalarConstant(b, l, f64, 0.0);
          if (hasWindow) {
            Value w = convertScalar(b, l, args[0], f64, false, false);
            re = arith::MulFOp::create(b, l, re, w);
            im = arith::MulFOp::create(b, l, im, w);
          }
          Value m = arith::RemSIOp::create(
              b, l, arith::MulIOp::create(b, l, k, pos), nv);
          auto [cosv, sinv] = twiddle(b, l, m, nv);
          Value component = linalg::IndexOp::create(b, l, 3);
          Value v = rotate(b, l, re, im, cosv, sinv, component, false);
          v = arith::SelectOp::create(b, l, valid, v,
                                      createScalarConstant(b, l, f64, 0.0));
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args.back(), v).getResult());
        });
    rewriter.replaceOp(op, convertElements(rewriter, loc, generic.getResult(0),
                                           resultType.getElementType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Windows and the mel filter bank
//===----------------------------------------------------------------------===//

/// A cosine-sum window `sum_k (-1)^k a_k cos(2 pi k n / N)`.
template <typename OpTy>
struct WindowLowering : OpConversionPattern<OpTy> {
  WindowLowering(const TypeConverter &converter, MLIRContext *ctx,
                 SmallVector<double> coefficients)
      : OpConversionPattern<OpTy>(converter, ctx),
        coefficients(std::move(coefficients)) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = toSignless(cast<RankedTensorType>(op.getType()));
    if (failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    int64_t size = resultType.getDimSize(0);
    double n = op.getPeriodic() != 0 ? double(size) : double(size - 1);
    bool toUnsigned = cast<RankedTensorType>(op.getType())
                          .getElementType()
                          .isUnsignedInteger();
    Type elt = resultType.getElementType();
    Value y = createElementwise(
        rewriter, op.getLoc(), {}, resultType,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Type f64 = b.getF64Type();
          Value i = arith::SIToFPOp::create(b, l, f64,
                                            indexAs(b, l, 0, b.getI64Type()));
          Value sum = createScalarConstant(b, l, f64, coefficients[0]);
          for (size_t k = 1; k < coefficients.size(); ++k) {
            double factor = 2.0 * M_PI * double(k) / n;
            Value angle = arith::MulFOp::create(
                b, l, i, createScalarConstant(b, l, f64, factor));
            Value term = arith::MulFOp::create(
                b, l, math::CosOp::create(b, l, angle),
                createScalarConstant(b, l, f64,
                                     (k % 2 ? -1.0 : 1.0) * coefficients[k]));
            sum = arith::AddFOp::create(b, l, sum, term);
          }
          return convertScalar(b, l, sum, elt, false, toUnsigned);
        });
    rewriter.replaceOp(op, y);
    return success();
  }

  SmallVector<double> coefficients;
};

/// Each element (bin j, mel band i) from the band's three edge bins, as
/// the ONNX reference computes them: rising from the lower edge to the
/// center, falling to the upper edge.
struct MelWeightMatrixLowering
    : OpConversionPattern<graph::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MelWeightMatrixOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = toSignless(cast<RankedTensorType>(op.getType()));
    if (failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    bool toUnsigned = cast<RankedTensorType>(op.getType())
                          .getElementType()
                          .isUnsignedInteger();
    Type elt = resultType.getElementType();
    Value numMel = adaptor.getNumMelBins(), dftLength = adaptor.getDftLength();
    Value rate = adaptor.getSampleRate();
    Value lower = adaptor.getLowerEdgeHertz();
    Value upper = adaptor.getUpperEdgeHertz();
    Value y = createElementwise(
        rewriter, op.getLoc(), {}, resultType,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Type f64 = b.getF64Type();
          auto cf = [&](double v) {
            return createScalarConstant(b, l, f64, v);
          };
          auto scalar = [&](Value t) {
            return convertScalar(b, l, extractFirstElement(b, l, t), f64, false,
                                 false);
          };
          auto add = [&](Value x, Value z) {
            return arith::AddFOp::create(b, l, x, z).getResult();
          };
          auto sub = [&](Value x, Value z) {
            return arith::SubFOp::create(b, l, x, z).getResult();
          };
          auto mul = [&](Value x, Value z) {
            return arith::MulFOp::create(b, l, x, z).getResult();
          };
          auto div = [&](Value x, Value z) {
            return arith::DivFOp::create(b, l, x, z).getResult();
          };
          auto toMel = [&](Value hz) {
            Value v = math::Log10Op::create(b, l,
                                            add(cf(1.0), div(hz, cf(700.0))));
            return mul(cf(2595.0), v);
          };
          Value melLow = toMel(scalar(lower));
          Value melHigh = toMel(scalar(upper));
          Value step = div(sub(melHigh, melLow), add(scalar(numMel), cf(2.0)));
          Value dftPlusOne = add(scalar(dftLength), cf(1.0));
          Value sampleRate = scalar(rate);
          Value j = arith::SIToFPOp::create(b, l, f64,
                                            indexAs(b, l, 0, b.getI64Type()));
          Value i = arith::SIToFPOp::create(b, l, f64,
                                            indexAs(b, l, 1, b.getI64Type()));
          // The bin of mel point p: floor((dft + 1) * hz(p) / rate).
          auto edge = [&](double offset) {
            Value mel = add(melLow, mul(add(i, cf(offset)), step));
            Value hz = mul(cf(700.0),
                           sub(math::PowFOp::create(b, l, cf(10.0),
                                                    div(mel, cf(2595.0))),
                               cf(1.0)));
            return math::FloorOp::create(b, l,
                                         div(mul(dftPlusOne, hz), sampleRate))
                .getResult();
          };
          Value lo = edge(0), center = edge(1), hi = edge(2);
          auto cmp = [&](arith::CmpFPredicate p, Value x, Value z) {
            return arith::CmpFOp::create(b, l, p, x, z).getResult();
          };
          auto band = [&](Value x, Value z) {
            return arith::AndIOp::create(b, l, x, z).getResult();
          };
          Value zero = cf(0.0);
          Value rise = sub(center, lo), fall = sub(hi, center);
          // Rising edge, [lo, center]; a zero-width one is 1 at the center.
          Value inRise = band(cmp(arith::CmpFPredicate::OGE, j, lo),
                              cmp(arith::CmpFPredicate::OLE, j, center));
          Value riseWidthZero = cmp(arith::CmpFPredicate::OEQ, rise, zero);
          Value riseValue = arith::SelectOp::create(
              b, l, riseWidthZero,
              arith::SelectOp::create(
                  b, l, cmp(arith::CmpFPredicate::OEQ, j, center), cf(1.0),
                  zero),
              arith::SelectOp::create(b, l, inRise, div(sub(j, lo), rise),
                                      zero));
          // Falling edge, [center, hi), overrides.
          Value inFall = band(band(cmp(arith::CmpFPredicate::OGE, j, center),
                                   cmp(arith::CmpFPredicate::OLT, j, hi)),
                              cmp(arith::CmpFPredicate::OGT, fall, zero));
          Value v = arith::SelectOp::create(b, l, inFall,
                                            div(sub(hi, j), fall), riseValue);
          return convertScalar(b, l, v, elt, false, toUnsigned);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateGraphSignalToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<DFTLowering, STFTLowering, MelWeightMatrixLowering>(converter,
                                                                   ctx);
  patterns.add<WindowLowering<graph::HannWindowOp>>(
      converter, ctx, SmallVector<double>{0.5, 0.5});
  patterns.add<WindowLowering<graph::HammingWindowOp>>(
      converter, ctx, SmallVector<double>{25.0 / 46.0, 21.0 / 46.0});
  patterns.add<WindowLowering<graph::BlackmanWindowOp>>(
      converter, ctx, SmallVector<double>{0.42, 0.5, 0.08});
}

} // namespace kiln
