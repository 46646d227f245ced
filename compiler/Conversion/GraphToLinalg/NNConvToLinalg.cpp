//===- NNConvToLinalg.cpp - Lowering Conv and ConvTranspose ---------------===//
//
// Conv pads its input, convolves with a linalg named convolution where one
// fits (see buildConvolution) and adds the bias as an elementwise consumer.
// ConvTranspose becomes a stride-1 convolution of the input spread out by
// the strides (zeros in between) and padded by the kernel extent, with
// the kernel flipped and its channel dims swapped.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/Conversion/GraphToLinalg/NNBuilders.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

struct ConvLowering : OpConversionPattern<graph::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto wType = cast<RankedTensorType>(op.getW().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
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
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    Value x = convertElements(rewriter, loc, adaptor.getX(), ct);
    Value w = convertElements(rewriter, loc, adaptor.getW(), ct);
    Value y =
        buildConvolution(rewriter, loc, x, w, *geometry, resultType.clone(ct));
    if (!graph::isNone(op.getB()))
      y = addChannelBias(rewriter, loc, y, adaptor.getB());
    rewriter.replaceOp(op, convertElements(rewriter, loc, y, elt));
    return success();
  }
};

/// The kernel of the equivalent convolution: `[C, M/g, k...]` becomes
/// `[M, C/g, k...]` with every spatial dim reversed.
Value flipTransposedKernel(OpBuilder &b, Location loc, Value w,
                           int64_t group) {
  auto type = cast<RankedTensorType>(w.getType());
  int64_t ns = type.getRank() - 2;
  int64_t c = type.getDimSize(0), mg = type.getDimSize(1), cg = c / group;
  ArrayRef<int64_t> kernel = type.getShape().drop_front(2);
  SmallVector<int64_t> inShape = {group, cg, mg};
  llvm::append_range(inShape, kernel);
  SmallVector<int64_t> outShape = {group, mg, cg};
  llvm::append_range(outShape, kernel);
  Value grouped = reshapeTensor(b, loc, w, inShape);
  // out[g, m, c, k...] = in[g, c, m, K - 1 - k...], gathered in the body:
  // reversed affine maps upset later reshape folding.
  auto outType = RankedTensorType::get(outShape, type.getElementType());
  Value flipped = createElementwise(
      b, loc, {}, outType, [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> indices = {linalg::IndexOp::create(nb, nl, 0),
                                      linalg::IndexOp::create(nb, nl, 2),
                                      linalg::IndexOp::create(nb, nl, 1)};
        for (int64_t i = 0; i < ns; ++i) {
          Value k = linalg::IndexOp::create(nb, nl, 3 + i);
          Value last = arith::ConstantIndexOp::create(nb, nl, kernel[i] - 1);
          indices.push_back(arith::SubIOp::create(nb, nl, last, k));
        }
        return tensor::ExtractOp::create(nb, nl, grouped, indices)
            .getResult();
      });
  SmallVector<int64_t> shape = {group * mg, cg};
  llvm::append_range(shape, kernel);
  return reshapeTensor(b, loc, flipped, shape);
}

struct ConvTransposeLowering : OpConversionPattern<graph::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto wType = cast<RankedTensorType>(op.getW().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, wType)) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    if (op.getAutoPad() != "NOTSET" || op.getOutputShape())
      return rewriter.notifyMatchFailure(
          op, "auto_pad and output_shape must be canonicalized to pads");
    int64_t ns = xType.getRank() - 2;
    FailureOr<graph::ConvWindow> window = graph::getConvWindow(
        op, ns, op.getKernelShape(), wType.getShape().drop_front(2),
        op.getStrides(), op.getDilations(), op.getPads(), "NOTSET");
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "invalid window attributes");
    int64_t group = op.getGroup();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    Value x = convertElements(rewriter, loc, adaptor.getX(), ct);
    Value w = convertElements(rewriter, loc, adaptor.getW(), ct);

    // Spread the input out by the strides.
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> spreadShape(type.getShape());
    bool strided = false;
    for (int64_t i = 0; i < ns; ++i) {
      int64_t s = window->strides[i];
      spreadShape[2 + i] = (type.getDimSize(2 + i) - 1) * s + 1;
      strided |= s != 1;
    }
    if (strided) {
      auto spreadType = RankedTensorType::get(spreadShape, ct);
      Value zeros = createFilled(rewriter, loc, spreadType, 0.0);
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        offsets.push_back(rewriter.getIndexAttr(0));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
        strides.push_back(rewriter.getIndexAttr(
            i < 2 ? 1 : window->strides[i - 2]));
      }
      x = tensor::InsertSliceOp::create(rewriter, loc, x, zeros, offsets,
                                        sizes, strides);
    }

    // Pad by the kernel extent less the pads; the end pad also makes the
    // output as large as the result (output_padding). Negative pads crop.
    SmallVector<int64_t> low(2, 0), high(2, 0), cropLow(2, 0), sizes;
    for (int64_t i = 0; i < ns; ++i) {
      int64_t extent = window->dilations[i] * (window->kernel[i] - 1);
      int64_t lo = extent - window->pads[i];
      int64_t hi = resultType.getDimSize(2 + i) + extent - spreadShape[2 + i] -
                   lo;
      low.push_back(std::max<int64_t>(lo, 0));
      high.push_back(std::max<int64_t>(hi, 0));
      cropLow.push_back(std::max<int64_t>(-lo, 0));
    }
    Value zero = createScalarConstant(rewriter, loc, ct, 0.0);
    x = padTensor(rewriter, loc, x, low, high, zero);
    auto paddedType = cast<RankedTensorType>(x.getType());
    for (int64_t i = 0; i < xType.getRank(); ++i) {
      int64_t size = paddedType.getDimSize(i) - cropLow[i];
      if (i >= 2) {
        int64_t extent =
            window->dilations[i - 2] * (window->kernel[i - 2] - 1);
        size = std::min(size, resultType.getDimSize(i) + extent);
      }
      sizes.push_back(size);
    }
    if (ArrayRef<int64_t>(sizes) != paddedType.getShape())
      x = extractStaticSlice(rewriter, loc, x, cropLow, sizes);

    ConvGeometry geometry;
    geometry.group = group;
    geometry.strides.assign(ns, 1);
    geometry.dilations = window->dilations;
    geometry.padsBegin.assign(ns, 0);
    geometry.padsEnd.assign(ns, 0);
    Value kernel = flipTransposedKernel(rewriter, loc, w, group);
    Value y = buildConvolution(rewriter, loc, x, kernel, geometry,
                               resultType.clone(ct));
    if (!graph::isNone(op.getB()))
      y = addChannelBias(rewriter, loc, y, adaptor.getB());
    rewriter.replaceOp(op, convertElements(rewriter, loc, y, elt));
    return success();
  }
};

} // namespace

void populateNNConvPatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(converter,
                                                    patterns.getContext());
}

} // namespace kiln
