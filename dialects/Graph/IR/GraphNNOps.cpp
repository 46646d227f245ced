//===- GraphNNOps.cpp - Convolutions and pooling --------------------------===//
//
// Shape inference, folders and canonicalization of the windowed NN ops:
// Conv, ConvTranspose, the pools and MaxUnpool. The window arithmetic they
// share (getConvWindow, inferConvOutputSizes, explicitConvPads) lives in
// GraphUtils because the quantized convolutions use it too. The other NN ops
// are in GraphNNLayerOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphNNOps.cpp.inc"

namespace kiln::graph {

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Checks that `x` is `[N, C, D1, ...]` with at least one spatial dim.
static LogicalResult checkSpatialInput(Operation *op, RankedTensorType x,
                                       StringRef name = "X") {
  if (x.getRank() < 3)
    return op->emitOpError() << name
                             << " must have rank >= 3 ([N, C, D1, ...]), got "
                             << x.getRank();
  return success();
}

/// Checks that an INT attribute that ONNX treats as a flag is 0 or 1.
static LogicalResult checkFlag(Operation *op, StringRef name, int64_t value) {
  if (value != 0 && value != 1)
    return op->emitOpError() << name << " must be 0 or 1, got " << value;
  return success();
}

/// Checks an optional 1-D bias of `size` elements and element type `elt`.
static LogicalResult checkBias(Operation *op, Value bias, int64_t size,
                               Type elt, StringRef name = "B") {
  RankedTensorType type = getTensorType(bias);
  if (!type)
    return success();
  if (type.getRank() != 1)
    return op->emitOpError() << name << " must be 1-D, got rank "
                             << type.getRank();
  if (type.getElementType() != elt)
    return op->emitOpError() << name << " must have element type " << elt
                             << ", got " << type.getElementType();
  int64_t n = type.getDimSize(0);
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(size) && n != size)
    return op->emitOpError() << name << " has " << n << " elements, expected "
                             << size;
  return success();
}

/// The spatial dims of a `[N, C, D1, ...]` shape.
static ArrayRef<int64_t> spatialDims(RankedTensorType type) {
  return type.getShape().drop_front(2);
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

static FailureOr<ConvWindow> windowOf(ConvOp op) {
  RankedTensorType w = op.getW().getType();
  if (failed(checkSpatialInput(op, w, "W")))
    return failure();
  return getConvWindow(op, w.getRank() - 2, op.getKernelShape(),
                       spatialDims(w), op.getStrides(), op.getDilations(),
                       op.getPads(), op.getAutoPad());
}

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), w = getW().getType();
  Type elt = x.getElementType();
  if (w.getElementType() != elt)
    return emitOpError("X and W must have one element type");
  FailureOr<SmallVector<int64_t>> shape = inferConvShape(
      *this, x, w, static_cast<int64_t>(getGroup()), getKernelShape(),
      getStrides(), getDilations(), getPads(), getAutoPad());
  if (failed(shape) || failed(checkBias(*this, getB(), (*shape)[1], elt)))
    return failure();
  FailureOr<RankedTensorType> type = checkedTensorType(*this, *shape, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

static FailureOr<ConvWindow> windowOf(ConvTransposeOp op) {
  RankedTensorType w = op.getW().getType();
  if (failed(checkSpatialInput(op, w, "W")))
    return failure();
  return getConvWindow(op, w.getRank() - 2, op.getKernelShape(),
                       spatialDims(w), op.getStrides(), op.getDilations(),
                       op.getPads(), op.getAutoPad());
}

/// The spatial part of a ConvTranspose `output_shape`: n values, or the
/// last n of a full N+2 shape. Emits an error on any other length or a
/// negative size.
static FailureOr<SmallVector<int64_t>>
transposedOutputShape(ConvTransposeOp op, size_t n) {
  ArrayRef<int64_t> shape = *op.getOutputShape();
  if (shape.size() != n && shape.size() != n + 2)
    return op.emitOpError("output_shape has ")
           << shape.size() << " values, expected " << n << " (or " << n + 2
           << ")";
  shape = shape.take_back(n);
  for (int64_t s : shape)
    if (s < 0 || s > kMaxElements)
      return op.emitOpError("output_shape value ") << s << " is out of range";
  return SmallVector<int64_t>(shape);
}

/// The natural output size of a transposed convolution along one dim before
/// pads: stride * (in - 1) + output_padding + extent. Nullopt on overflow.
static std::optional<int64_t> transposedExtent(int64_t in, int64_t stride,
                                               int64_t outputPadding,
                                               int64_t kernel,
                                               int64_t dilation) {
  std::optional<int64_t> span = llvm::checkedMul<int64_t>(kernel - 1, dilation);
  std::optional<int64_t> step = llvm::checkedMul<int64_t>(stride, in - 1);
  if (!span || !step)
    return std::nullopt;
  std::optional<int64_t> sum = llvm::checkedAdd<int64_t>(*span, *step);
  if (!sum)
    return std::nullopt;
  return llvm::checkedAdd<int64_t>(*sum, outputPadding + 1);
}

LogicalResult
ConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), w = getW().getType();
  if (failed(checkSpatialInput(*this, x)))
    return failure();
  if (w.getRank() != x.getRank())
    return emitOpError("W must have the rank of X (")
           << x.getRank() << "), got " << w.getRank();
  Type elt = x.getElementType();
  if (w.getElementType() != elt)
    return emitOpError("X and W must have one element type");
  int64_t group = static_cast<int64_t>(getGroup());
  if (group < 1 || group > kMaxElements)
    return emitOpError("group must be positive, got ") << group;
  int64_t c = x.getDimSize(1), wc = w.getDimSize(0);
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(wc) && c != wc)
    return emitOpError("input has ")
           << c << " channels but the weight has " << wc;
  if (!ShapedType::isDynamic(wc) && wc % group != 0)
    return emitOpError("weight has ")
           << wc << " input channels, not a multiple of group " << group;
  int64_t m = ShapedType::kDynamic;
  if (!ShapedType::isDynamic(w.getDimSize(1))) {
    std::optional<int64_t> channels =
        llvm::checkedMul<int64_t>(w.getDimSize(1), group);
    if (!channels)
      return emitOpError("output channel count overflows");
    m = *channels;
  }
  if (failed(checkBias(*this, getB(), m, elt)))
    return failure();

  FailureOr<ConvWindow> window = windowOf(*this);
  if (failed(window))
    return failure();
  size_t n = x.getRank() - 2;
  SmallVector<int64_t> outputPadding;
  if (std::optional<ArrayRef<int64_t>> op = getOutputPadding()) {
    if (op->size() != n)
      return emitOpError("output_padding has ")
             << op->size() << " values, expected " << n;
    for (int64_t v : *op)
      if (v < 0 || v > kMaxElements)
        return emitOpError("output_padding value ") << v << " is out of range";
    outputPadding.assign(op->begin(), op->end());
  } else {
    outputPadding.assign(n, 0);
  }

  SmallVector<int64_t> shape = {x.getDimSize(0), m};
  if (getOutputShape()) {
    FailureOr<SmallVector<int64_t>> sizes = transposedOutputShape(*this, n);
    if (failed(sizes))
      return failure();
    shape.append(*sizes);
  } else {
    for (size_t i = 0; i < n; ++i) {
      int64_t in = x.getDimSize(2 + i), k = window->kernel[i];
      if (ShapedType::isDynamic(in) || in > kMaxElements) {
        shape.push_back(ShapedType::kDynamic);
        continue;
      }
      if (window->autoPad == AutoPad::SameUpper ||
          window->autoPad == AutoPad::SameLower) {
        std::optional<int64_t> size =
            llvm::checkedMul<int64_t>(in, window->strides[i]);
        if (!size)
          return emitOpError("output size overflows");
        shape.push_back(*size);
        continue;
      }
      if (ShapedType::isDynamic(k)) {
        shape.push_back(ShapedType::kDynamic);
        continue;
      }
      std::optional<int64_t> size =
          transposedExtent(in, window->strides[i], outputPadding[i], k,
                           window->dilations[i]);
      if (!size)
        return emitOpError("output size overflows");
      if (window->autoPad == AutoPad::NotSet)
        *size -= window->pads[i] + window->pads[n + i];
      if (*size < 0)
        return emitOpError("pads exceed the output size along spatial "
                           "dimension ")
               << i;
      shape.push_back(*size);
    }
  }
  FailureOr<RankedTensorType> type = checkedTensorType(*this, shape, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

/// The result shape `[N, C, O1, ...]` of a pool over `x`.
static FailureOr<SmallVector<int64_t>>
poolShape(Operation *op, RankedTensorType x, const ConvWindow &window,
          int64_t ceilMode) {
  if (failed(checkFlag(op, "ceil_mode", ceilMode)))
    return failure();
  FailureOr<SmallVector<int64_t>> sizes =
      inferConvOutputSizes(op, spatialDims(x), window, ceilMode == 1);
  if (failed(sizes))
    return failure();
  SmallVector<int64_t> shape = {x.getDimSize(0), x.getDimSize(1)};
  shape.append(*sizes);
  return shape;
}

static FailureOr<ConvWindow> windowOf(AveragePoolOp op) {
  if (failed(checkSpatialInput(op, op.getX().getType())))
    return failure();
  return getConvWindow(op, op.getX().getType().getRank() - 2,
                       op.getKernelShape(), {}, op.getStrides(),
                       std::nullopt, op.getPads(), op.getAutoPad());
}

static FailureOr<ConvWindow> windowOf(MaxPoolOp op) {
  if (failed(checkSpatialInput(op, op.getX().getType())))
    return failure();
  return getConvWindow(op, op.getX().getType().getRank() - 2,
                       op.getKernelShape(), {}, op.getStrides(),
                       op.getDilations(), op.getPads(), op.getAutoPad());
}

static FailureOr<ConvWindow> windowOf(LpPoolOp op) {
  if (failed(checkSpatialInput(op, op.getX().getType())))
    return failure();
  return getConvWindow(op, op.getX().getType().getRank() - 2,
                       op.getKernelShape(), {}, op.getStrides(),
                       std::nullopt, op.getPads(), op.getAutoPad());
}

LogicalResult AveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  FailureOr<ConvWindow> window = windowOf(*this);
  if (failed(window) ||
      failed(checkFlag(*this, "count_include_pad", getCountIncludePad())))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      poolShape(*this, x, *window, getCeilMode());
  if (failed(shape))
    return failure();
  inferred.push_back(x.clone(*shape));
  return success();
}

LogicalResult MaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  FailureOr<ConvWindow> window = windowOf(*this);
  if (failed(window) ||
      failed(checkFlag(*this, "storage_order", getStorageOrder())))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      poolShape(*this, x, *window, getCeilMode());
  if (failed(shape))
    return failure();
  inferred.push_back(x.clone(*shape));
  inferred.push_back(
      RankedTensorType::get(*shape, IntegerType::get(getContext(), 64)));
  return success();
}

/// Checks the `p` of the Lp pools.
static LogicalResult checkNormOrder(Operation *op, int64_t p) {
  if (p < 1)
    return op->emitOpError("p must be positive, got ") << p;
  return success();
}

LogicalResult LpPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType();
  FailureOr<ConvWindow> window = windowOf(*this);
  if (failed(window) ||
      failed(checkNormOrder(*this, static_cast<int64_t>(getP()))))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = poolShape(*this, x, *window, 0);
  if (failed(shape))
    return failure();
  inferred.push_back(x.clone(*shape));
  return success();
}

/// `[N, C, 1, ..., 1]` for a global pool over `x`.
static LogicalResult inferGlobalPool(Operation *op, RankedTensorType x,
                                     SmallVectorImpl<Type> &inferred) {
  if (x.getRank() < 2)
    return op->emitOpError("X must have rank >= 2 ([N, C, ...]), got ")
           << x.getRank();
  SmallVector<int64_t> shape(x.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  inferred.push_back(x.clone(shape));
  return success();
}

/// A global pool over spatial dims that are all 1 returns its input.
static OpFoldResult foldGlobalPool(Value x, Type resultType) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type != resultType || type.getRank() < 2 ||
      !llvm::all_of(spatialDims(type), [](int64_t d) { return d == 1; }))
    return {};
  return x;
}

LogicalResult
GlobalAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(*this, getX().getType(), inferred);
}

OpFoldResult GlobalAveragePoolOp::fold(FoldAdaptor) {
  return foldGlobalPool(getX(), getType());
}

LogicalResult
GlobalMaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(*this, getX().getType(), inferred);
}

OpFoldResult GlobalMaxPoolOp::fold(FoldAdaptor) {
  return foldGlobalPool(getX(), getType());
}

LogicalResult GlobalLpPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkNormOrder(*this, static_cast<int64_t>(getP()))))
    return failure();
  return inferGlobalPool(*this, getX().getType(), inferred);
}

//===----------------------------------------------------------------------===//
// MaxUnpoolOp
//===----------------------------------------------------------------------===//

LogicalResult MaxUnpoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  RankedTensorType x = getX().getType(), indices = getI().getType();
  if (failed(checkSpatialInput(*this, x)))
    return failure();
  if (indices.getRank() != x.getRank())
    return emitOpError("I must have the shape of X");
  for (auto [xd, id] : llvm::zip(x.getShape(), indices.getShape()))
    if (!ShapedType::isDynamic(xd) && !ShapedType::isDynamic(id) && xd != id)
      return emitOpError("I must have the shape of X");
  size_t n = x.getRank() - 2;
  FailureOr<ConvWindow> window =
      getConvWindow(*this, n, getKernelShape(), {}, getStrides(),
                    std::nullopt, getPads(), "NOTSET");
  if (failed(window))
    return failure();
  Type elt = x.getElementType();

  if (RankedTensorType shapeType = getTensorType(getOutputShape())) {
    if (shapeType.getRank() != 1)
      return emitOpError("output_shape must be 1-D, got rank ")
             << shapeType.getRank();
    int64_t length = shapeType.getDimSize(0);
    if (!ShapedType::isDynamic(length) && length != x.getRank())
      return emitOpError("output_shape has ")
             << length << " values for an input of rank " << x.getRank();
    SmallVector<int64_t> shape(x.getRank(), ShapedType::kDynamic);
    if (std::optional<SmallVector<int64_t>> values =
            getConstantInts(getOutputShape())) {
      if (values->size() != size_t(x.getRank()))
        return emitOpError("output_shape has ")
               << values->size() << " values for an input of rank "
               << x.getRank();
      shape = *values;
    }
    FailureOr<RankedTensorType> type = checkedTensorType(*this, shape, elt);
    if (failed(type))
      return failure();
    inferred.push_back(*type);
    return success();
  }

  SmallVector<int64_t> shape = {x.getDimSize(0), x.getDimSize(1)};
  for (size_t i = 0; i < n; ++i) {
    int64_t in = x.getDimSize(2 + i);
    if (ShapedType::isDynamic(in) || in > kMaxElements) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // Pads and the kernel are at most 2^48; only the product can overflow.
    std::optional<int64_t> span =
        llvm::checkedMul<int64_t>(in - 1, window->strides[i]);
    if (!span || *span > kMaxElements)
      return emitOpError("output size overflows");
    shape.push_back(*span + window->kernel[i] - window->pads[i] -
                    window->pads[n + i]);
  }
  FailureOr<RankedTensorType> type = checkedTensorType(*this, shape, elt);
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization: explicit pads
//===----------------------------------------------------------------------===//

namespace {
/// Replaces auto_pad SAME_UPPER, SAME_LOWER or VALID by the explicit pads it
/// amounts to, once the input's spatial sizes and the kernel are static.
/// SAME outputs do not depend on ceil_mode, and with the computed pads floor
/// rounding gives the same sizes, so ceil_mode is reset there; VALID keeps
/// it.
template <typename OpTy>
struct ExplicitWindowPads : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getAutoPad() == "NOTSET")
      return rewriter.notifyMatchFailure(op, "pads are already explicit");
    FailureOr<ConvWindow> window = windowOf(op);
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "invalid window");
    std::optional<SmallVector<int64_t>> pads =
        explicitConvPads(spatialDims(op.getX().getType()), *window);
    if (!pads)
      return rewriter.notifyMatchFailure(op, "dynamic spatial sizes");
    bool same = window->autoPad == AutoPad::SameUpper ||
                window->autoPad == AutoPad::SameLower;
    rewriter.modifyOpInPlace(op, [&] {
      op.setAutoPad("NOTSET");
      op.setPads(ArrayRef<int64_t>(*pads));
      if constexpr (std::is_same_v<OpTy, AveragePoolOp> ||
                    std::is_same_v<OpTy, MaxPoolOp>)
        if (same)
          op.setCeilMode(0);
    });
    return success();
  }
};

/// Replaces the auto_pad and output_shape of a ConvTranspose by explicit
/// pads, with the split the ONNX spec gives (SAME_UPPER puts the odd pad at
/// the end, every other mode at the beginning). An output larger than the
/// natural size (a negative end pad) becomes output_padding. Skipped where
/// that would need a negative begin pad.
struct ExplicitTransposedPads : public OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getAutoPad() == "NOTSET" && !op.getOutputShape())
      return rewriter.notifyMatchFailure(op, "pads are already explicit");
    FailureOr<ConvWindow> window = windowOf(op);
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "invalid window");
    RankedTensorType x = op.getX().getType();
    size_t n = x.getRank() - 2;
    SmallVector<int64_t> outputPadding(n, 0);
    if (std::optional<ArrayRef<int64_t>> given = op.getOutputPadding())
      outputPadding.assign(given->begin(), given->end());
    SmallVector<int64_t> pads(2 * n, 0);
    if (!op.getOutputShape() && window->autoPad == AutoPad::NotSet)
      pads = window->pads;
    else if (op.getOutputShape() || window->autoPad != AutoPad::Valid) {
      SmallVector<int64_t> outputs;
      if (op.getOutputShape()) {
        FailureOr<SmallVector<int64_t>> sizes = transposedOutputShape(op, n);
        if (failed(sizes))
          return rewriter.notifyMatchFailure(op, "invalid output_shape");
        outputs = *sizes;
      }
      for (size_t i = 0; i < n; ++i) {
        int64_t in = x.getDimSize(2 + i), k = window->kernel[i];
        if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k) ||
            in > kMaxElements)
          return rewriter.notifyMatchFailure(op, "dynamic spatial sizes");
        std::optional<int64_t> out =
            op.getOutputShape()
                ? outputs[i]
                : llvm::checkedMul<int64_t>(in, window->strides[i]);
        std::optional<int64_t> natural =
            transposedExtent(in, window->strides[i], outputPadding[i], k,
                             window->dilations[i]);
        if (!natural || !out)
          return rewriter.notifyMatchFailure(op, "overflow");
        int64_t total = *natural - *out;
        // Floor division, as the spec's formula means for negative totals.
        int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
        bool upper = window->autoPad == AutoPad::SameUpper;
        int64_t begin = upper ? half : total - half;
        int64_t end = upper ? total - half : half;
        if (begin < 0)
          return rewriter.notifyMatchFailure(op, "negative begin pad");
        if (end < 0) {
          outputPadding[i] -= end;
          end = 0;
        }
        pads[i] = begin;
        pads[n + i] = end;
      }
    }
    rewriter.modifyOpInPlace(op, [&] {
      op.setAutoPad("NOTSET");
      op.removeOutputShapeAttr();
      op.setPads(ArrayRef<int64_t>(pads));
      if (llvm::any_of(outputPadding, [](int64_t v) { return v != 0; }))
        op.setOutputPadding(ArrayRef<int64_t>(outputPadding));
    });
    return success();
  }
};
} // namespace

namespace {
/// Gemm with transB = 1 on a constant B (nn.Linear as torch exports it) and
/// more than one row:
/// the weight is transposed once, here, so that the kernel reads B's rows
/// along the output columns it vectorizes, rather than gathering a column
/// of B^T per vector. The transpose folds into a new constant.
struct TransposeConstantGemmWeight : public OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Transposes larger than this stay as they are rather than leave a
  /// transpose to run at every inference (folders stop at 2^20 elements).
  static constexpr int64_t kMaxElements = int64_t(1) << 20;

  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getTransB() == 0)
      return rewriter.notifyMatchFailure(op, "B is not transposed");
    auto weight = op.getB().getDefiningOp<ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(op.getB().getType());
    if (!weight || !type ||
        !type.hasStaticShape() || type.getRank() != 2 ||
        type.getNumElements() > kMaxElements)
      return rewriter.notifyMatchFailure(op, "B is not a small constant");
    // One row (a classifier at batch 1) is a matrix-vector product, which
    // reads B^T's rows in order as it is.
    auto aType = dyn_cast<RankedTensorType>(op.getA().getType());
    int64_t rowDim = op.getTransA() != 0 ? 1 : 0;
    if (!aType || aType.getRank() != 2 || aType.getDimSize(rowDim) == 1)
      return rewriter.notifyMatchFailure(op, "a matrix-vector product");
    auto transposedType = RankedTensorType::get(
        {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
    Value transposed = TransposeOp::create(
        rewriter, weight.getLoc(), transposedType, op.getB(),
        rewriter.getDenseI64ArrayAttr({1, 0}));
    rewriter.modifyOpInPlace(op, [&] {
      op.getBMutable().assign(transposed);
      op.setTransB(0);
    });
    return success();
  }
};
} // namespace

void GemmOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<TransposeConstantGemmWeight>(context);
}

void ConvOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<ExplicitWindowPads<ConvOp>>(context);
}

void ConvTransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                  MLIRContext *context) {
  results.add<ExplicitTransposedPads>(context);
}

void AveragePoolOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                MLIRContext *context) {
  results.add<ExplicitWindowPads<AveragePoolOp>>(context);
}

void MaxPoolOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ExplicitWindowPads<MaxPoolOp>>(context);
}

void LpPoolOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ExplicitWindowPads<LpPoolOp>>(context);
}

} // namespace kiln::graph
