//===- NNDetectionToLinalg.cpp - Lowering NMS, RoiAlign and GridSample ----===//
//
// NonMaxSuppression is a greedy, data-dependent selection: nested scf.for
// loops on tensors pick the best remaining candidate of each batch and
// class and keep it unless it overlaps a kept box too much. Its result has
// the static row count the model declares; rows past the selected boxes
// stay zero. RoiAlign and GridSample are gathers: linalg.generic ops over
// the output whose bodies read the input with tensor.extract at computed
// positions (RoiAlign's sampling grid is an scf.for inside the body).
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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace kiln {
namespace {

/// Scalar arithmetic helpers bound to one builder and location.
struct Scalars {
  OpBuilder &b;
  Location loc;
  Value f(Type t, double v) { return createScalarConstant(b, loc, t, v); }
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value min(Value x, Value y) {
    return arith::MinimumFOp::create(b, loc, x, y);
  }
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value icmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value and_(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value or_(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value extract(Value t, ValueRange indices) {
    return tensor::ExtractOp::create(b, loc, t, indices);
  }
};

//===----------------------------------------------------------------------===//
// NonMaxSuppression
//===----------------------------------------------------------------------===//

struct NonMaxSuppressionLowering
    : OpConversionPattern<graph::NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::NonMaxSuppressionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto boxesType = cast<RankedTensorType>(op.getBoxes().getType());
    auto scoresType = cast<RankedTensorType>(op.getScores().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, boxesType)) ||
        failed(requireStaticShape(rewriter, op, scoresType)))
      return failure();
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(
          op, "the number of selected boxes must be declared statically");
    Location loc = op.getLoc();
    OpBuilder &b0 = rewriter;
    Scalars s0{b0, loc};
    Type f32 = rewriter.getF32Type(), i64 = rewriter.getI64Type();
    Type indexType = rewriter.getIndexType();
    int64_t numBatches = scoresType.getDimSize(0);
    int64_t numClasses = scoresType.getDimSize(1);
    int64_t numBoxes = scoresType.getDimSize(2);
    int64_t capacity = resultType.getDimSize(0);
    bool centerPoint = op.getCenterPointBox() != 0;
    bool hasScoreThreshold = !graph::isNone(op.getScoreThreshold());
    Value boxes = adaptor.getBoxes(), scores = adaptor.getScores();
    Value maxOutTensor = graph::isNone(op.getMaxOutputBoxesPerClass())
                             ? Value()
                             : adaptor.getMaxOutputBoxesPerClass();
    Value iouTensor = graph::isNone(op.getIouThreshold())
                          ? Value()
                          : adaptor.getIouThreshold();
    Value scoreTensor =
        hasScoreThreshold ? adaptor.getScoreThreshold() : Value();

    Value out = createFilled(rewriter, loc, resultType, 0.0);
    Value count0 = s0.idx(0);
    // Candidates already taken, as i8: vector stores of i1 pack bits, which
    // scalar i1 loads would then misread.
    auto usedType = RankedTensorType::get({numBoxes}, rewriter.getI8Type());

    auto batchLoop = scf::ForOp::create(
        b0, loc, s0.idx(0), s0.idx(numBatches), s0.idx(1),
        ValueRange{out, count0},
        [&](OpBuilder &b1, Location l, Value bi, ValueRange batchState) {
          Scalars s{b1, l};
          // Read the scalars inside the loop nest (one kernel).
          Value maxOut = maxOutTensor
                             ? extractFirstElement(b1, l, maxOutTensor)
                             : createScalarConstant(b1, l, i64, 0);
          Value iouThreshold = iouTensor
                                   ? extractFirstElement(b1, l, iouTensor)
                                   : s.f(f32, 0.0);
          Value scoreThreshold =
              scoreTensor ? extractFirstElement(b1, l, scoreTensor) : Value();
          auto classLoop = scf::ForOp::create(
              b1, l, s.idx(0), s.idx(numClasses), s.idx(1), batchState,
              [&](OpBuilder &b2, Location l, Value ci, ValueRange classState) {
                Scalars s{b2, l};
                Value used = createFilled(b2, l, usedType, 0.0);
                Value start = classState[1];
                auto pickLoop = scf::ForOp::create(
                    b2, l, s.idx(0), s.idx(numBoxes), s.idx(1),
                    ValueRange{classState[0], classState[1], used},
                    [&](OpBuilder &b3, Location l, Value, ValueRange st) {
                      Scalars s{b3, l};
                      // The best unused candidate above the threshold;
                      // ties go to the lower index.
                      Value none = createScalarConstant(b3, l, i64, -1);
                      auto search = scf::ForOp::create(
                          b3, l, s.idx(0), s.idx(numBoxes), s.idx(1),
                          ValueRange{s.f(f32, 0.0), none},
                          [&](OpBuilder &b4, Location l, Value i,
                              ValueRange best) {
                            Scalars s{b4, l};
                            Value score = s.extract(scores, {bi, ci, i});
                            Value ok = s.icmp(
                                arith::CmpIPredicate::eq,
                                s.extract(st[2], {i}),
                                createScalarConstant(b4, l, b4.getI8Type(), 0));
                            if (scoreThreshold)
                              ok = s.and_(ok,
                                          s.cmp(arith::CmpFPredicate::OGT,
                                                score, scoreThreshold));
                            Value first = s.icmp(arith::CmpIPredicate::eq,
                                                 best[1], none);
                            Value better = s.or_(
                                first, s.cmp(arith::CmpFPredicate::OGT, score,
                                             best[0]));
                            Value take = s.and_(ok, better);
                            Value i64v = castIndex(b4, l, i, i64);
                            scf::YieldOp::create(
                                b4, l,
                                ValueRange{s.select(take, score, best[0]),
                                           s.select(take, i64v, best[1])});
                          });
                      Value candidate = search.getResult(1);
                      Value selectedHere = arith::SubIOp::create(
                          b3, l, st[1], start);
                      Value found = s.and_(
                          s.icmp(arith::CmpIPredicate::sge, candidate,
                                 createScalarConstant(b3, l, i64, 0)),
                          s.icmp(arith::CmpIPredicate::slt,
                                 castIndex(b3, l, selectedHere, i64), maxOut));
                      found = s.and_(found,
                                     s.icmp(arith::CmpIPredicate::slt, st[1],
                                            s.idx(capacity)));
                      auto ifFound = scf::IfOp::create(
                          b3, l, found,
                          [&](OpBuilder &b4, Location l) {
                            Scalars s{b4, l};
                            Value cIndex = castIndex(b4, l, candidate,
                                                     indexType);
                            Value used2 = tensor::InsertOp::create(
                                b4, l,
                                createScalarConstant(b4, l, b4.getI8Type(), 1),
                                st[2], cIndex);
                            auto corners = [&](OpBuilder &bb, Location ll,
                                               Value boxIndex) {
                              Scalars s{bb, ll};
                              SmallVector<Value> v;
                              for (int64_t k = 0; k < 4; ++k)
                                v.push_back(
                                    s.extract(boxes, {bi, boxIndex, s.idx(k)}));
                              Value x0, x1, y0, y1;
                              if (centerPoint) {
                                Value half = s.f(f32, 0.5);
                                Value hw = s.mul(v[2], half);
                                Value hh = s.mul(v[3], half);
                                x0 = s.sub(v[0], hw);
                                x1 = s.add(v[0], hw);
                                y0 = s.sub(v[1], hh);
                                y1 = s.add(v[1], hh);
                              } else {
                                y0 = s.min(v[0], v[2]);
                                y1 = s.max(v[0], v[2]);
                                x0 = s.min(v[1], v[3]);
                                x1 = s.max(v[1], v[3]);
                              }
                              return SmallVector<Value>{x0, y0, x1, y1};
                            };
                            SmallVector<Value> a = corners(b4, l, cIndex);
                            // Suppressed by a box already kept for this
                            // batch and class?
                            auto check = scf::ForOp::create(
                                b4, l, start, st[1], s.idx(1),
                                ValueRange{createScalarConstant(
                                    b4, l, b4.getI1Type(), 0)},
                                [&](OpBuilder &b5, Location l, Value row,
                                    ValueRange sup) {
                                  Scalars s{b5, l};
                                  Value j = castIndex(
                                      b5, l, s.extract(st[0], {row, s.idx(2)}),
                                      indexType);
                                  SmallVector<Value> c = corners(b5, l, j);
                                  Value ix = s.sub(s.min(a[2], c[2]),
                                                   s.max(a[0], c[0]));
                                  Value iy = s.sub(s.min(a[3], c[3]),
                                                   s.max(a[1], c[1]));
                                  Value zero = s.f(f32, 0.0);
                                  Value inter = s.mul(ix, iy);
                                  Value areaA = s.mul(s.sub(a[2], a[0]),
                                                      s.sub(a[3], a[1]));
                                  Value areaC = s.mul(s.sub(c[2], c[0]),
                                                      s.sub(c[3], c[1]));
                                  Value uni = s.sub(s.add(areaA, areaC), inter);
                                  auto gt = [&](Value x) {
                                    return s.cmp(arith::CmpFPredicate::OGT, x,
                                                 zero);
                                  };
                                  Value valid = s.and_(
                                      s.and_(gt(ix), gt(iy)),
                                      s.and_(s.and_(gt(areaA), gt(areaC)),
                                             gt(uni)));
                                  Value over = s.cmp(arith::CmpFPredicate::OGT,
                                                     s.div(inter, uni),
                                                     iouThreshold);
                                  scf::YieldOp::create(
                                      b5, l,
                                      s.or_(sup[0], s.and_(valid, over)));
                                });
                            Value suppressed = check.getResult(0);
                            auto ifKeep = scf::IfOp::create(
                                b4, l, suppressed,
                                [&](OpBuilder &b5, Location l) {
                                  scf::YieldOp::create(
                                      b5, l, ValueRange{st[0], st[1]});
                                },
                                [&](OpBuilder &b5, Location l) {
                                  Scalars s{b5, l};
                                  Value row = st[0];
                                  Value fields[3] = {
                                      castIndex(b5, l, bi, i64),
                                      castIndex(b5, l, ci, i64), candidate};
                                  for (int64_t k = 0; k < 3; ++k)
                                    row = tensor::InsertOp::create(
                                        b5, l, fields[k], row,
                                        ValueRange{st[1], s.idx(k)});
                                  Value next = arith::AddIOp::create(
                                      b5, l, st[1], s.idx(1));
                                  scf::YieldOp::create(b5, l,
                                                       ValueRange{row, next});
                                });
                            scf::YieldOp::create(
                                b4, l,
                                ValueRange{ifKeep.getResult(0),
                                           ifKeep.getResult(1), used2});
                          },
                          [&](OpBuilder &b4, Location l) {
                            scf::YieldOp::create(b4, l, st);
                          });
                      scf::YieldOp::create(b3, l, ifFound.getResults());
                    });
                scf::YieldOp::create(
                    b2, l,
                    ValueRange{pickLoop.getResult(0), pickLoop.getResult(1)});
              });
          scf::YieldOp::create(b1, l, classLoop.getResults());
        });
    rewriter.replaceOp(op, batchLoop.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// RoiAlign
//===----------------------------------------------------------------------===//

struct RoiAlignLowering : OpConversionPattern<graph::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, op.getRois().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    StringRef mode = op.getMode();
    StringRef transform = op.getCoordinateTransformationMode();
    if ((mode != "avg" && mode != "max") ||
        (transform != "half_pixel" && transform != "output_half_pixel"))
      return rewriter.notifyMatchFailure(op, "unknown mode");
    bool isMax = mode == "max";
    bool halfPixel = transform == "half_pixel";
    Location loc = op.getLoc();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
    int64_t outH = resultType.getDimSize(2), outW = resultType.getDimSize(3);
    int64_t ratio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble();
    Value x = adaptor.getX(), rois = adaptor.getRois();
    Value batchIndices = adaptor.getBatchIndices();

    Value y = createElementwise(
        rewriter, loc, {}, resultType,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Scalars s{b, l};
          Type index = b.getIndexType();
          Value r = linalg::IndexOp::create(b, l, 0);
          Value c = linalg::IndexOp::create(b, l, 1);
          Value ph = convertScalar(b, l, indexAs(b, l, 2, b.getI64Type()), ct,
                                   false, false);
          Value pw = convertScalar(b, l, indexAs(b, l, 3, b.getI64Type()), ct,
                                   false, false);
          auto coord = [&](int64_t k) {
            Value v = convertScalar(b, l, s.extract(rois, {r, s.idx(k)}), ct,
                                    false, false);
            v = s.mul(v, s.f(ct, scale));
            return halfPixel ? s.sub(v, s.f(ct, 0.5)) : v;
          };
          Value x1 = coord(0), y1 = coord(1), x2 = coord(2), y2 = coord(3);
          Value roiW = s.sub(x2, x1), roiH = s.sub(y2, y1);
          if (!halfPixel) {
            roiW = s.max(roiW, s.f(ct, 1.0));
            roiH = s.max(roiH, s.f(ct, 1.0));
          }
          Value binH = s.div(roiH, s.f(ct, double(outH)));
          Value binW = s.div(roiW, s.f(ct, double(outW)));
          // Samples per bin: the attribute, or ceil(roi / out).
          auto gridSize = [&](Value bin) -> Value {
            if (ratio > 0)
              return s.idx(ratio);
            Value g = math::CeilOp::create(b, l, bin);
            Value gi = arith::FPToSIOp::create(b, l, b.getI64Type(), g);
            return castIndex(b, l, gi, index);
          };
          Value gridH = gridSize(binH), gridW = gridSize(binW);
          Value gridHf = convertScalar(
              b, l, castIndex(b, l, gridH, b.getI64Type()), ct, false, false);
          Value gridWf = convertScalar(
              b, l, castIndex(b, l, gridW, b.getI64Type()), ct, false, false);
          Value count = s.max(s.mul(gridHf, gridWf), s.f(ct, 1.0));
          Value batch = castIndex(b, l, s.extract(batchIndices, {r}), index);
          Value baseY = s.add(y1, s.mul(ph, binH));
          Value baseX = s.add(x1, s.mul(pw, binW));
          Value stepY = s.div(binH, gridHf), stepX = s.div(binW, gridWf);
          Value init = isMax ? s.f(ct, -std::numeric_limits<double>::infinity())
                             : s.f(ct, 0.0);
          auto rows = scf::ForOp::create(
              b, l, s.idx(0), gridH, s.idx(1), ValueRange{init},
              [&](OpBuilder &b, Location l, Value iy, ValueRange acc) {
                Scalars s{b, l};
                Value iyf = convertScalar(
                    b, l, castIndex(b, l, iy, b.getI64Type()), ct, false,
                    false);
                Value yy = s.add(baseY, s.mul(s.add(iyf, s.f(ct, 0.5)), stepY));
                auto cols = scf::ForOp::create(
                    b, l, s.idx(0), gridW, s.idx(1), acc,
                    [&](OpBuilder &b, Location l, Value ix, ValueRange acc) {
                      Scalars s{b, l};
                      Value ixf = convertScalar(
                          b, l, castIndex(b, l, ix, b.getI64Type()), ct,
                          false, false);
                      Value xx = s.add(baseX,
                                       s.mul(s.add(ixf, s.f(ct, 0.5)), stepX));
                      // Bilinear interpolation as ONNX Runtime does it.
                      Value outside = s.or_(
                          s.or_(s.cmp(arith::CmpFPredicate::OLT, yy,
                                      s.f(ct, -1.0)),
                                s.cmp(arith::CmpFPredicate::OGT, yy,
                                      s.f(ct, double(height)))),
                          s.or_(s.cmp(arith::CmpFPredicate::OLT, xx,
                                      s.f(ct, -1.0)),
                                s.cmp(arith::CmpFPredicate::OGT, xx,
                                      s.f(ct, double(width)))));
                      auto axis = [&](Value v, int64_t size) {
                        v = s.max(v, s.f(ct, 0.0));
                        Value low = math::FloorOp::create(b, l, v);
                        Value atEnd = s.cmp(arith::CmpFPredicate::OGE, low,
                                            s.f(ct, double(size - 1)));
                        Value last = s.f(ct, double(size - 1));
                        low = s.select(atEnd, last, low);
                        v = s.select(atEnd, last, v);
                        Value high = s.select(atEnd, last,
                                              s.add(low, s.f(ct, 1.0)));
                        Value frac = s.sub(v, low);
                        auto toIndex = [&](Value f) {
                          Value i = arith::FPToSIOp::create(
                              b, l, b.getI64Type(), f);
                          return castIndex(b, l, i, b.getIndexType());
                        };
                        return std::make_tuple(toIndex(low), toIndex(high),
                                               frac);
                      };
                      auto [yl, yh, ly] = axis(yy, height);
                      auto [xl, xh, lx] = axis(xx, width);
                      Value hy = s.sub(s.f(ct, 1.0), ly);
                      Value hx = s.sub(s.f(ct, 1.0), lx);
                      auto at = [&](Value yi, Value xi) {
                        return convertScalar(b, l,
                                             s.extract(x, {batch, c, yi, xi}),
                                             ct, false, false);
                      };
                      Value t1 = s.mul(s.mul(hy, hx), at(yl, xl));
                      Value t2 = s.mul(s.mul(hy, lx), at(yl, xh));
                      Value t3 = s.mul(s.mul(ly, hx), at(yh, xl));
                      Value t4 = s.mul(s.mul(ly, lx), at(yh, xh));
                      Value sample;
                      if (isMax)
                        sample = s.max(s.max(t1, t2), s.max(t3, t4));
                      else
                        sample = s.add(s.add(t1, t2), s.add(t3, t4));
                      sample = s.select(outside, s.f(ct, 0.0), sample);
                      Value next = isMax ? s.max(acc[0], sample)
                                         : s.add(acc[0], sample);
                      scf::YieldOp::create(b, l, next);
                    });
                scf::YieldOp::create(b, l, cols.getResults());
              });
          Value v = rows.getResult(0);
          if (!isMax)
            v = s.div(v, count);
          return convertScalar(b, l, v, elt, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GridSample
//===----------------------------------------------------------------------===//

/// PyTorch's grid_sample (which the ONNX reference follows): unnormalize,
/// then pad by clamping or reflecting coordinates, then interpolate.
struct GridSampleLowering : OpConversionPattern<graph::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, op.getGrid().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    if (xType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "only 2-D sampling");
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    if ((mode != "bilinear" && mode != "nearest" && mode != "bicubic") ||
        (padding != "zeros" && padding != "border" && padding != "reflection"))
      return rewriter.notifyMatchFailure(op, "unknown mode");
    bool alignCorners = op.getAlignCorners() != 0;
    Location loc = op.getLoc();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
    Value x = adaptor.getX(), grid = adaptor.getGrid();

    Value y = createElementwise(
        rewriter, loc, {}, resultType,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Scalars s{b, l};
          Type i64 = b.getI64Type();
          Value n = linalg::IndexOp::create(b, l, 0);
          Value c = linalg::IndexOp::create(b, l, 1);
          Value ho = linalg::IndexOp::create(b, l, 2);
          Value wo = linalg::IndexOp::create(b, l, 3);
          auto gridAt = [&](int64_t k) {
            return convertScalar(b, l, s.extract(grid, {n, ho, wo, s.idx(k)}),
                                 ct, false, false);
          };
          auto unnormalize = [&](Value g, int64_t size) {
            Value one = s.f(ct, 1.0);
            if (alignCorners)
              return s.mul(s.mul(s.add(g, one), s.f(ct, 0.5)),
                           s.f(ct, double(size - 1)));
            return s.mul(s.sub(s.mul(s.add(g, one), s.f(ct, double(size))),
                               one),
                         s.f(ct, 0.5));
          };
          auto clip = [&](Value v, int64_t size) {
            return s.min(s.max(v, s.f(ct, 0.0)), s.f(ct, double(size - 1)));
          };
          // Reflects v into [low2 / 2, high2 / 2].
          auto reflect = [&](Value v, int64_t low2, int64_t high2) -> Value {
            if (low2 == high2)
              return s.f(ct, 0.0);
            double lo = low2 / 2.0, span = (high2 - low2) / 2.0;
            Value a = math::AbsFOp::create(b, l, s.sub(v, s.f(ct, lo)));
            Value spanV = s.f(ct, span);
            Value extra = arith::RemFOp::create(b, l, a, spanV);
            Value flips = math::FloorOp::create(b, l, s.div(a, spanV));
            Value half = s.mul(flips, s.f(ct, 0.5));
            Value even = s.cmp(arith::CmpFPredicate::OEQ,
                               math::FloorOp::create(b, l, half), half);
            return s.select(even, s.add(extra, s.f(ct, lo)),
                            s.add(s.sub(spanV, extra), s.f(ct, lo)));
          };
          auto pad = [&](Value v, int64_t size) -> Value {
            if (padding == "border")
              return clip(v, size);
            if (padding == "reflection") {
              v = alignCorners ? reflect(v, 0, 2 * (size - 1))
                               : reflect(v, -1, 2 * size - 1);
              return clip(v, size);
            }
            return v;
          };
          // The pixel at integer coordinates (as floats); 0 outside.
          auto pixel = [&](Value yf, Value xf) {
            Value yi = arith::FPToSIOp::create(b, l, i64, yf);
            Value xi = arith::FPToSIOp::create(b, l, i64, xf);
            Value inside = s.and_(
                s.and_(s.icmp(arith::CmpIPredicate::sge, yi,
                              createScalarConstant(b, l, i64, 0)),
                       s.icmp(arith::CmpIPredicate::slt, yi,
                              createScalarConstant(b, l, i64, height))),
                s.and_(s.icmp(arith::CmpIPredicate::sge, xi,
                              createScalarConstant(b, l, i64, 0)),
                       s.icmp(arith::CmpIPredicate::slt, xi,
                              createScalarConstant(b, l, i64, width))));
            auto safe = [&](Value i, int64_t size) {
              i = arith::MaxSIOp::create(b, l, i,
                                         createScalarConstant(b, l, i64, 0));
              i = arith::MinSIOp::create(
                  b, l, i, createScalarConstant(b, l, i64, size - 1));
              return castIndex(b, l, i, b.getIndexType());
            };
            Value v = convertScalar(
                b, l,
                s.extract(x, {n, c, safe(yi, height), safe(xi, width)}), ct,
                false, false);
            return s.select(inside, v, s.f(ct, 0.0));
          };
          Value gx = unnormalize(gridAt(0), width);
          Value gy = unnormalize(gridAt(1), height);
          Value result;
          if (mode == "nearest") {
            Value px = math::RoundEvenOp::create(b, l, pad(gx, width));
            Value py = math::RoundEvenOp::create(b, l, pad(gy, height));
            result = pixel(py, px);
          } else if (mode == "bilinear") {
            Value px = pad(gx, width), py = pad(gy, height);
            Value x0 = math::FloorOp::create(b, l, px);
            Value y0 = math::FloorOp::create(b, l, py);
            Value one = s.f(ct, 1.0);
            Value x1 = s.add(x0, one), y1 = s.add(y0, one);
            Value wx1 = s.sub(px, x0), wy1 = s.sub(py, y0);
            Value wx0 = s.sub(one, wx1), wy0 = s.sub(one, wy1);
            result = s.add(
                s.add(s.mul(s.mul(wy0, wx0), pixel(y0, x0)),
                      s.mul(s.mul(wy0, wx1), pixel(y0, x1))),
                s.add(s.mul(s.mul(wy1, wx0), pixel(y1, x0)),
                      s.mul(s.mul(wy1, wx1), pixel(y1, x1))));
          } else {
            // Bicubic convolution (A = -0.75) over a 4 x 4 neighbourhood;
            // padding applies to each tap's coordinates.
            Value x0 = math::FloorOp::create(b, l, gx);
            Value y0 = math::FloorOp::create(b, l, gy);
            Value tx = s.sub(gx, x0), ty = s.sub(gy, y0);
            double a = -0.75;
            auto near = [&](Value t) {
              // ((A + 2) t - (A + 3)) t t + 1
              Value v = s.sub(s.mul(s.f(ct, a + 2), t), s.f(ct, a + 3));
              return s.add(s.mul(s.mul(v, t), t), s.f(ct, 1.0));
            };
            auto far = [&](Value t) {
              // ((A t - 5A) t + 8A) t - 4A
              Value v = s.sub(s.mul(s.f(ct, a), t), s.f(ct, 5 * a));
              v = s.add(s.mul(v, t), s.f(ct, 8 * a));
              return s.sub(s.mul(v, t), s.f(ct, 4 * a));
            };
            auto coefficients = [&](Value t) {
              Value one = s.f(ct, 1.0), two = s.f(ct, 2.0);
              return SmallVector<Value>{far(s.add(t, one)), near(t),
                                        near(s.sub(one, t)),
                                        far(s.sub(two, t))};
            };
            SmallVector<Value> cx = coefficients(tx), cy = coefficients(ty);
            result = s.f(ct, 0.0);
            for (int64_t i = 0; i < 4; ++i) {
              Value yi = pad(s.add(y0, s.f(ct, double(i - 1))), height);
              Value row = s.f(ct, 0.0);
              for (int64_t j = 0; j < 4; ++j) {
                Value xj = pad(s.add(x0, s.f(ct, double(j - 1))), width);
                row = s.add(row, s.mul(cx[j], pixel(yi, xj)));
              }
              result = s.add(result, s.mul(cy[i], row));
            }
          }
          return convertScalar(b, l, result, elt, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNNDetectionPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<NonMaxSuppressionLowering, RoiAlignLowering,
               GridSampleLowering>(converter, patterns.getContext());
}

} // namespace kiln
