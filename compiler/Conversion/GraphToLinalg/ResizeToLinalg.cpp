//===- ResizeToLinalg.cpp - Lowering Resize -------------------------------===//
//
// Resize is one linalg.generic over the result. For each resized dimension
// the body maps the result index back to a source coordinate (by the
// coordinate transformation mode), then to one (nearest), two (linear) or
// four (cubic) source taps with weights; the result is the sum over the
// product of the dimensions' taps, each read with tensor.extract. Taps
// outside the input repeat its edge, as the ONNX reference pads.
//
// The arithmetic follows the ONNX reference implementation in double
// precision: a scale comes from `scales` (read at run time when not a
// constant) or is out / in for `sizes`, and the "output width" of the
// align_corners and crop modes is scale * in, as the reference computes it.
// Dimensions that provably map every index to itself (scale 1 in a mode
// without offset, or size 1 on both sides) are read directly.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/TensorLowering.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

/// Whether an optional Resize input is absent: `none`, or the empty tensor
/// opset 11 exporters write in its place.
bool isAbsent(Value graphValue) {
  if (graph::isNone(graphValue))
    return true;
  auto type = dyn_cast<RankedTensorType>(graphValue.getType());
  return type && type.hasStaticShape() && type.getNumElements() == 0;
}

/// One source position of a resized dimension and its weight (null for a
/// weight of exactly 1).
struct Tap {
  Value index;
  Value weight;
};

/// The taps of one dimension at one result index, and whether the source
/// coordinate falls outside the input (crop-and-resize extrapolates there).
struct DimTaps {
  SmallVector<Tap> taps;
  Value outside;
};

/// What the body needs to know about one dimension.
struct DimInfo {
  int64_t in, out;
  bool identity;
  Value scale;            // f64, the scale of the dimension
  Value roiStart, roiEnd; // f64, tf_crop_and_resize only
};

/// The taps of dimension `info` at result index `x`.
DimTaps buildTaps(OpBuilder &b, Location loc, graph::ResizeOp op,
                  const DimInfo &info, Value x) {
  Type f64 = b.getF64Type();
  auto c = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  };
  Value xf = arith::SIToFPOp::create(
      b, loc, f64, arith::IndexCastOp::create(b, loc, b.getI64Type(), x));
  Value in = c(double(info.in));
  Value outWidth = arith::MulFOp::create(b, loc, info.scale, in);
  Value widthIsOne = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                           outWidth, c(1.0));
  Value inLast = c(double(info.in - 1));
  StringRef mode = op.getCoordinateTransformationMode();
  Value half = c(0.5);
  Value xo;
  DimTaps result;
  if (mode == "asymmetric") {
    xo = arith::DivFOp::create(b, loc, xf, info.scale);
  } else if (mode == "tf_half_pixel_for_nn") {
    xo = arith::DivFOp::create(b, loc, arith::AddFOp::create(b, loc, xf, half),
                               info.scale);
  } else if (mode == "align_corners") {
    Value scaled =
        arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, xf, inLast),
                              arith::SubFOp::create(b, loc, outWidth, c(1.0)));
    xo = arith::SelectOp::create(b, loc, widthIsOne, c(0.0), scaled);
  } else if (mode == "tf_crop_and_resize") {
    Value span = arith::SubFOp::create(b, loc, info.roiEnd, info.roiStart);
    Value spanIn = arith::MulFOp::create(b, loc, span, inLast);
    Value single = arith::DivFOp::create(b, loc, spanIn, c(2.0));
    Value many =
        arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, xf, spanIn),
                              arith::SubFOp::create(b, loc, outWidth, c(1.0)));
    xo = arith::SelectOp::create(b, loc, widthIsOne, single, many);
    xo = arith::AddFOp::create(
        b, loc, xo, arith::MulFOp::create(b, loc, info.roiStart, inLast));
    Value below =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, xo, c(0.0));
    Value above =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, xo, inLast);
    result.outside = arith::OrIOp::create(b, loc, below, above);
  } else {
    // half_pixel and pytorch_half_pixel.
    xo = arith::SubFOp::create(
        b, loc,
        arith::DivFOp::create(b, loc, arith::AddFOp::create(b, loc, xf, half),
                              info.scale),
        half);
    if (mode == "pytorch_half_pixel")
      xo = arith::SelectOp::create(b, loc, widthIsOne, c(-0.5), xo);
  }

  // Neighbours: k = floor(xo), ratio r in (0, 1]; an integral coordinate
  // counts as k - 1 with ratio 1, as the reference picks its neighbours.
  Value fl = math::FloorOp::create(b, loc, xo);
  Value ratio = arith::SubFOp::create(b, loc, xo, fl);
  Value integral =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, ratio, c(0.0));
  fl = arith::SelectOp::create(b, loc, integral,
                               arith::SubFOp::create(b, loc, fl, c(1.0)), fl);
  ratio = arith::SelectOp::create(b, loc, integral, c(1.0), ratio);
  Value k = arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      arith::FPToSIOp::create(b, loc, b.getI64Type(), fl));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value lastIndex = arith::ConstantIndexOp::create(b, loc, info.in - 1);
  auto at = [&](int64_t offset) {
    return arith::AddIOp::create(
        b, loc, k, arith::ConstantIndexOp::create(b, loc, offset));
  };
  auto clamp = [&](Value i) -> Value {
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, i, zero), lastIndex);
  };

  StringRef interp = op.getMode();
  if (interp == "nearest") {
    StringRef nearest = op.getNearestMode();
    Value second; // whether the upper neighbour k + 1 is taken
    if (nearest == "floor")
      second = integral;
    else if (nearest == "ceil")
      second = arith::ConstantIntOp::create(b, loc, 1, 1);
    else
      second = arith::CmpFOp::create(b, loc,
                                     nearest == "round_prefer_ceil"
                                         ? arith::CmpFPredicate::OGE
                                         : arith::CmpFPredicate::OGT,
                                     ratio, half);
    second = arith::OrIOp::create(b, loc, second, integral);
    Value index = arith::SelectOp::create(b, loc, second, at(1), k);
    result.taps.push_back({clamp(index), Value()});
    return result;
  }
  if (interp == "linear") {
    Value w0 = arith::SubFOp::create(b, loc, c(1.0), ratio);
    result.taps.push_back({clamp(k), w0});
    result.taps.push_back({clamp(at(1)), ratio});
    return result;
  }

  // Cubic: the Keys kernel with coefficient A at distances 1 + r, r,
  // 1 - r and 2 - r.
  double a = op.getCubicCoeffA().convertToDouble();
  Value av = c(a);
  auto far = [&](Value t) -> Value { // |t| in [1, 2]
    Value v = arith::SubFOp::create(
        b, loc, arith::MulFOp::create(b, loc, av, t), c(5 * a));
    v = arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, v, t),
                              c(8 * a));
    return arith::SubFOp::create(b, loc, arith::MulFOp::create(b, loc, v, t),
                                 c(4 * a));
  };
  auto near = [&](Value t) -> Value { // |t| in [0, 1]
    Value v = arith::SubFOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(a + 2), t), c(a + 3));
    v = arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, v, t), t);
    return arith::AddFOp::create(b, loc, v, c(1.0));
  };
  Value oneMinus = arith::SubFOp::create(b, loc, c(1.0), ratio);
  SmallVector<Value> weights = {
      far(arith::AddFOp::create(b, loc, ratio, c(1.0))), near(ratio),
      near(oneMinus), far(arith::AddFOp::create(b, loc, oneMinus, c(1.0)))};
  SmallVector<Value> raw = {at(-1), k, at(1), at(2)};
  if (op.getExcludeOutside() != 0) {
    Value sum = c(0.0);
    for (auto [w, i] : llvm::zip(weights, raw)) {
      Value ge =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, zero);
      Value le = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, i,
                                       lastIndex);
      Value inside = arith::AndIOp::create(b, loc, ge, le);
      w = arith::SelectOp::create(b, loc, inside, w, c(0.0));
      sum = arith::AddFOp::create(b, loc, sum, w);
    }
    for (Value &w : weights)
      w = arith::DivFOp::create(b, loc, w, sum);
  }
  for (auto [w, i] : llvm::zip(weights, raw))
    result.taps.push_back({clamp(i), w});
  return result;
}

struct ResizeLowering : OpConversionPattern<graph::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = toSignless(cast<RankedTensorType>(op.getType()));
    Value input = adaptor.getX();
    if (failed(requireStaticShape(rewriter, op, type)) ||
        failed(requireStaticShape(rewriter, op, input.getType())))
      return failure();
    StringRef interp = op.getMode();
    StringRef mode = op.getCoordinateTransformationMode();
    if (interp != "nearest" && interp != "linear" && interp != "cubic")
      return rewriter.notifyMatchFailure(op, "unknown mode");
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    Location loc = op.getLoc();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createZeroSizeTensor(rewriter, loc, type));
      return success();
    }
    if (inType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "cannot resize an empty input");
    bool hasSizes = !isAbsent(op.getSizes());
    bool hasScales = !isAbsent(op.getScales());
    if (hasSizes == hasScales)
      return rewriter.notifyMatchFailure(op, "needs one of scales and sizes");
    bool crop = mode == "tf_crop_and_resize";
    if (crop && isAbsent(op.getRoi()))
      return rewriter.notifyMatchFailure(op, "crop and resize needs roi");
    std::optional<SmallVector<double>> knownScales;
    if (hasScales)
      knownScales = graph::getConstantDoubles(op.getScales());

    Type f64 = rewriter.getF64Type();
    auto f64Const = [&](double v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getF64FloatAttr(v));
    };
    auto readF64 = [&](Value tensor, int64_t i) -> Value {
      Value c = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value v = tensor::ExtractOp::create(rewriter, loc, tensor, c);
      return convertScalar(rewriter, loc, v, f64, false, false);
    };
    SmallVector<DimInfo> dims;
    for (int64_t d = 0; d < rank; ++d) {
      DimInfo info{inType.getDimSize(d), type.getDimSize(d), false, {}, {}, {}};
      std::optional<double> scale;
      if (hasSizes)
        scale = double(info.out) / double(info.in);
      else if (knownScales && int64_t(knownScales->size()) == rank)
        scale = (*knownScales)[d];
      bool shifted = mode == "tf_half_pixel_for_nn" || crop;
      info.identity =
          (info.in == 1 && info.out == 1) ||
          (scale && *scale == 1.0 && !shifted && info.in == info.out);
      if (!info.identity) {
        info.scale = scale ? f64Const(*scale) : readF64(adaptor.getScales(), d);
        if (crop) {
          info.roiStart = readF64(adaptor.getRoi(), d);
          info.roiEnd = readF64(adaptor.getRoi(), rank + d);
        }
      }
      dims.push_back(info);
    }

    Type elt = type.getElementType();
    bool isUnsigned = isUnsignedElement(op.getX());
    Value extrapolation =
        crop ? convertScalar(
                   rewriter, loc,
                   f64Const(op.getExtrapolationValue().convertToDouble()), elt,
                   false, isUnsigned)
             : Value();
    Value result = createElementwise(
        rewriter, loc, {}, type,
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<DimTaps> perDim;
          Value outside;
          for (int64_t d = 0; d < rank; ++d) {
            Value x = linalg::IndexOp::create(b, l, d);
            if (dims[d].identity) {
              perDim.push_back({{{x, Value()}}, Value()});
              continue;
            }
            perDim.push_back(buildTaps(b, l, op, dims[d], x));
            if (Value o = perDim.back().outside)
              outside = outside ? arith::OrIOp::create(b, l, outside, o) : o;
          }
          // Sum over every combination of taps.
          Value acc;
          SmallVector<size_t> choice(rank, 0);
          while (true) {
            SmallVector<Value> pos;
            Value weight;
            for (int64_t d = 0; d < rank; ++d) {
              const Tap &tap = perDim[d].taps[choice[d]];
              pos.push_back(tap.index);
              if (tap.weight)
                weight = weight
                             ? arith::MulFOp::create(b, l, weight, tap.weight)
                             : tap.weight;
            }
            Value v = tensor::ExtractOp::create(b, l, input, pos);
            if (weight) {
              v = convertScalar(b, l, v, f64, isUnsigned, false);
              v = arith::MulFOp::create(b, l, v, weight);
              acc = acc ? arith::AddFOp::create(b, l, acc, v) : v;
            } else {
              acc = v;
            }
            int64_t d = rank - 1;
            while (d >= 0 && ++choice[d] == perDim[d].taps.size()) {
              choice[d] = 0;
              --d;
            }
            if (d < 0)
              break;
          }
          if (acc.getType() != elt)
            acc = convertScalar(b, l, acc, elt, false, isUnsigned);
          if (outside)
            acc = arith::SelectOp::create(b, l, outside, extrapolation, acc);
          return acc;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphResizeToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}

} // namespace kiln
