//===- NNPoolToLinalg.cpp - Lowering pooling ops --------------------------===//
//
// Windowed pools pad their input with the reduction's identity (-inf or
// the smallest integer for max, 0 for sums), including the extra end
// border that ceil_mode's last windows reach into, and reduce with
// linalg.pooling_nchw_max / pooling_nchw_sum (pooling_ncw_* in 1-D), or a
// linalg.generic over (n, c, o..., k...) otherwise. AveragePool divides by
// a per-position count known at compile time. MaxPool's Indices come from
// a generic that tracks the position of the maximum. Global pools are
// reductions over the spatial dims; MaxUnpool scatters in an scf.for.
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

//===----------------------------------------------------------------------===//
// Windows
//===----------------------------------------------------------------------===//

/// A pooling window with explicit pads; `padsEnd` includes the extra
/// border that ceil_mode windows reach.
struct PoolWindow {
  SmallVector<int64_t> kernel, strides, dilations, padsBegin, padsEnd;
  /// The pads the op asked for (what count_include_pad counts).
  SmallVector<int64_t> requestedEnd;
};

FailureOr<PoolWindow>
getPoolWindow(ConversionPatternRewriter &rewriter, Operation *op,
              RankedTensorType xType, RankedTensorType resultType,
              ArrayRef<int64_t> kernelShape,
              std::optional<ArrayRef<int64_t>> strides,
              std::optional<ArrayRef<int64_t>> dilations,
              std::optional<ArrayRef<int64_t>> pads, StringRef autoPad) {
  if (failed(requireStaticShape(rewriter, op, xType)) ||
      failed(requireStaticShape(rewriter, op, resultType)))
    return failure();
  ArrayRef<int64_t> inputSizes = xType.getShape().drop_front(2);
  FailureOr<ConvGeometry> geometry =
      getConvGeometry(rewriter, op, inputSizes, {}, 1, kernelShape, strides,
                      dilations, pads, autoPad);
  if (failed(geometry))
    return failure();
  PoolWindow window;
  window.kernel.assign(kernelShape.begin(), kernelShape.end());
  window.strides = geometry->strides;
  window.dilations = geometry->dilations;
  window.padsBegin = geometry->padsBegin;
  window.requestedEnd = geometry->padsEnd;
  window.padsEnd = geometry->padsEnd;
  for (size_t i = 0; i < inputSizes.size(); ++i) {
    int64_t out = resultType.getDimSize(2 + i);
    int64_t reach = (out - 1) * window.strides[i] +
                    (window.kernel[i] - 1) * window.dilations[i] + 1;
    int64_t padded = inputSizes[i] + window.padsBegin[i] + window.padsEnd[i];
    window.padsEnd[i] += std::max<int64_t>(reach - padded, 0);
  }
  return window;
}

/// `x` padded by the window with `value` on the spatial dims.
Value padForWindow(OpBuilder &b, Location loc, Value x,
                   const PoolWindow &window, Value value) {
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  llvm::append_range(low, window.padsBegin);
  llvm::append_range(high, window.padsEnd);
  return padTensor(b, loc, x, low, high, value);
}

/// The reduction of a window.
enum class PoolKind { Max, MaxUnsigned, Sum };

/// Reduces each window of the padded `x` into `init` (`[N, C, O...]`):
/// with a named pooling op for 1-D and 2-D floats, else with a generic
/// over (n, c, o..., k...) (integers, unsigned max, 3-D).
Value buildPool(OpBuilder &b, Location loc, Value padded,
                const PoolWindow &window, Value init, PoolKind kind) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(padded.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  Type elt = type.getElementType();
  int64_t ns = type.getRank() - 2;
  auto windowType = RankedTensorType::get(window.kernel, elt);
  Value windowTensor = createEmptyTensor(b, loc, windowType);
  auto strides = b.getI64TensorAttr(window.strides);
  auto dilations = b.getI64TensorAttr(window.dilations);
  auto named = [&](auto opTag) {
    using OpTy = decltype(opTag);
    return OpTy::create(b, loc, TypeRange{initType},
                        ValueRange{padded, windowTensor}, ValueRange{init},
                        strides, dilations)
        .getResult(0);
  };
  bool isFloat = isa<FloatType>(elt);
  if (isFloat && ns == 2)
    return kind == PoolKind::Sum ? named(linalg::PoolingNchwSumOp())
                                 : named(linalg::PoolingNchwMaxOp());
  if (isFloat && ns == 1)
    return kind == PoolKind::Sum ? named(linalg::PoolingNcwSumOp())
                                 : named(linalg::PoolingNcwMaxOp());

  // Loops n, c, o..., k....
  int64_t numLoops = 2 + 2 * ns;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs = {d(0), d(1)}, winExprs, outExprs = {d(0),
                                                                      d(1)};
  for (int64_t i = 0; i < ns; ++i) {
    inExprs.push_back(d(2 + i) * window.strides[i] +
                      d(2 + ns + i) * window.dilations[i]);
    winExprs.push_back(d(2 + ns + i));
    outExprs.push_back(d(2 + i));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inExprs, ctx),
                                 AffineMap::get(numLoops, 0, winExprs, ctx),
                                 AffineMap::get(numLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  for (int64_t i = 2 + ns; i < numLoops; ++i)
    iterators[i] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, initType, ValueRange{padded, windowTensor}, init, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = args[0], acc = args[2];
        Value r;
        switch (kind) {
        case PoolKind::Sum:
          r = isFloat ? arith::AddFOp::create(nb, nl, x, acc).getResult()
                      : arith::AddIOp::create(nb, nl, x, acc).getResult();
          break;
        case PoolKind::Max:
          r = isFloat ? arith::MaximumFOp::create(nb, nl, x, acc).getResult()
                      : arith::MaxSIOp::create(nb, nl, x, acc).getResult();
          break;
        case PoolKind::MaxUnsigned:
          r = arith::MaxUIOp::create(nb, nl, x, acc);
          break;
        }
        linalg::YieldOp::create(nb, nl, r);
      });
  return generic.getResult(0);
}

/// The identity of max for `elt`: -inf, or the smallest integer.
double lowestValue(Type elt, bool isUnsigned) {
  if (isa<FloatType>(elt))
    return -std::numeric_limits<double>::infinity();
  if (isUnsigned)
    return 0.0;
  return -std::ldexp(1.0, elt.getIntOrFloatBitWidth() - 1);
}

//===----------------------------------------------------------------------===//
// AveragePool, MaxPool, LpPool
//===----------------------------------------------------------------------===//

/// How many input positions window `o` of one spatial dim covers within
/// [lo, hi).
int64_t countInRange(int64_t o, int64_t dim, const PoolWindow &w, int64_t lo,
                     int64_t hi) {
  int64_t start = o * w.strides[dim] - w.padsBegin[dim];
  int64_t count = 0;
  for (int64_t k = 0; k < w.kernel[dim]; ++k) {
    int64_t p = start + k * w.dilations[dim];
    count += p >= lo && p < hi;
  }
  return count;
}

struct AveragePoolLowering : OpConversionPattern<graph::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<PoolWindow> window =
        getPoolWindow(rewriter, op, xType, resultType, op.getKernelShape(),
                      op.getStrides(), std::nullopt, op.getPads(),
                      op.getAutoPad());
    if (failed(window))
      return failure();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    Value x = convertElements(rewriter, loc, adaptor.getX(), ct);
    Value padded = padForWindow(rewriter, loc, x, *window,
                                createScalarConstant(rewriter, loc, ct, 0.0));
    Value init = createFilled(rewriter, loc, resultType.clone(ct), 0.0);
    Value sum = buildPool(rewriter, loc, padded, *window, init, PoolKind::Sum);

    // The divisor of each output position: the window's positions inside
    // the input, or inside the requested padding with count_include_pad.
    ArrayRef<int64_t> outSizes = resultType.getShape().drop_front(2);
    int64_t ns = outSizes.size();
    bool includePad = op.getCountIncludePad() != 0;
    SmallVector<SmallVector<int64_t>> perDim;
    for (int64_t i = 0; i < ns; ++i) {
      int64_t in = xType.getDimSize(2 + i);
      int64_t lo = includePad ? -window->padsBegin[i] : 0;
      int64_t hi = includePad ? in + window->requestedEnd[i] : in;
      perDim.emplace_back();
      for (int64_t o = 0; o < outSizes[i]; ++o)
        perDim.back().push_back(countInRange(o, i, *window, lo, hi));
    }
    int64_t total = 1;
    for (int64_t s : outSizes)
      total *= s;
    SmallVector<double> divisors;
    divisors.reserve(total);
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rest = flat, count = 1;
      for (int64_t i = ns - 1; i >= 0; --i) {
        count *= perDim[i][rest % outSizes[i]];
        rest /= outSizes[i];
      }
      divisors.push_back(double(std::max<int64_t>(count, 1)));
    }
    bool uniform = llvm::all_equal(divisors);
    SmallVector<Value> inputs = {sum};
    if (!uniform) {
      auto divType = RankedTensorType::get(outSizes, ct);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, graph::makeDoubleElements(divType, divisors)));
    }
    double single = divisors.empty() ? 1.0 : divisors.front();
    Value y = createElementwise(
        rewriter, loc, inputs, resultType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value div = uniform ? createScalarConstant(b, l, ct, single)
                              : args[1];
          Value q = arith::DivFOp::create(b, l, args[0], div);
          return convertScalar(b, l, q, elt, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The values and flat input positions of each window's maximum.
std::pair<Value, Value> buildArgMaxPool(OpBuilder &b, Location loc,
                                        Value padded, const PoolWindow &window,
                                        RankedTensorType xType,
                                        RankedTensorType valueType,
                                        RankedTensorType indexType,
                                        bool isUnsigned, bool columnMajor) {
  MLIRContext *ctx = b.getContext();
  Type elt = valueType.getElementType();
  int64_t ns = xType.getRank() - 2;
  int64_t numLoops = 2 + 2 * ns;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs = {d(0), d(1)}, winExprs, outExprs = {d(0),
                                                                      d(1)};
  for (int64_t i = 0; i < ns; ++i) {
    inExprs.push_back(d(2 + i) * window.strides[i] +
                      d(2 + ns + i) * window.dilations[i]);
    winExprs.push_back(d(2 + ns + i));
    outExprs.push_back(d(2 + i));
  }
  AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, inExprs, ctx),
                                 AffineMap::get(numLoops, 0, winExprs, ctx),
                                 outMap, outMap};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  for (int64_t i = 2 + ns; i < numLoops; ++i)
    iterators[i] = utils::IteratorType::reduction;
  Value windowTensor = createEmptyTensor(
      b, loc, RankedTensorType::get(window.kernel, b.getI1Type()));
  Value valueInit =
      createFilled(b, loc, valueType, lowestValue(elt, isUnsigned));
  Value indexInit = createFilled(b, loc, indexType, -1.0);
  Type i64 = b.getI64Type();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType},
      ValueRange{padded, windowTensor}, ValueRange{valueInit, indexInit}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = args[0], best = args[2], bestIndex = args[3];
        auto cst = [&](int64_t v) {
          return createScalarConstant(nb, nl, i64, v);
        };
        // The position in the unpadded input, and whether it is inside.
        Value inside = createScalarConstant(nb, nl, nb.getI1Type(), 1);
        SmallVector<Value> positions;
        for (int64_t i = 0; i < ns; ++i) {
          Value o = indexAs(nb, nl, 2 + i, i64);
          Value k = indexAs(nb, nl, 2 + ns + i, i64);
          Value p = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, o, cst(window.strides[i])),
              arith::MulIOp::create(nb, nl, k, cst(window.dilations[i])));
          p = arith::SubIOp::create(nb, nl, p, cst(window.padsBegin[i]));
          Value geZero = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::sge, p, cst(0));
          Value ltSize =
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, p,
                                    cst(xType.getDimSize(2 + i)));
          inside = arith::AndIOp::create(nb, nl, inside, geZero);
          inside = arith::AndIOp::create(nb, nl, inside, ltSize);
          positions.push_back(p);
        }
        // Flat index over [N, C, D...]; storage_order 1 makes the spatial
        // part column-major.
        Value n = indexAs(nb, nl, 0, i64), c = indexAs(nb, nl, 1, i64);
        int64_t spatial = 1;
        for (int64_t i = 0; i < ns; ++i)
          spatial *= xType.getDimSize(2 + i);
        Value flat = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, n, cst(xType.getDimSize(1))),
            c);
        flat = arith::MulIOp::create(nb, nl, flat, cst(spatial));
        Value offset = cst(0);
        if (columnMajor) {
          int64_t stride = 1;
          for (int64_t i = 0; i < ns; ++i) {
            offset = arith::AddIOp::create(
                nb, nl, offset,
                arith::MulIOp::create(nb, nl, positions[i], cst(stride)));
            stride *= xType.getDimSize(2 + i);
          }
        } else {
          for (int64_t i = 0; i < ns; ++i) {
            offset = arith::MulIOp::create(nb, nl, offset,
                                           cst(xType.getDimSize(2 + i)));
            offset = arith::AddIOp::create(nb, nl, offset, positions[i]);
          }
        }
        flat = arith::AddIOp::create(nb, nl, flat, offset);
        Value greater;
        if (isa<FloatType>(elt))
          greater = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                          x, best);
        else
          greater = arith::CmpIOp::create(
              nb, nl,
              isUnsigned ? arith::CmpIPredicate::ugt
                         : arith::CmpIPredicate::sgt,
              x, best);
        Value first = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                            bestIndex, cst(0));
        Value take = arith::OrIOp::create(nb, nl, greater, first);
        take = arith::AndIOp::create(nb, nl, take, inside);
        Value v = arith::SelectOp::create(nb, nl, take, x, best);
        Value idx = arith::SelectOp::create(nb, nl, take, flat, bestIndex);
        linalg::YieldOp::create(nb, nl, ValueRange{v, idx});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

struct MaxPoolLowering : OpConversionPattern<graph::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getY().getType());
    auto indexType = cast<RankedTensorType>(op.getIndices().getType());
    if (failed(requireStaticShape(rewriter, op, indexType)))
      return failure();
    FailureOr<PoolWindow> window =
        getPoolWindow(rewriter, op, xType, resultType, op.getKernelShape(),
                      op.getStrides(), op.getDilations(), op.getPads(),
                      op.getAutoPad());
    if (failed(window))
      return failure();
    bool isUnsigned = isUnsignedElement(op.getX());
    auto signless = toSignless(resultType);
    Type elt = signless.getElementType();
    // Max is exact in the storage type, f16 included.
    Value lowest = createScalarConstant(rewriter, loc, elt,
                                        lowestValue(elt, isUnsigned));
    Value padded = padForWindow(rewriter, loc, adaptor.getX(), *window, lowest);
    if (op.getIndices().use_empty()) {
      Value init = createFilled(rewriter, loc, signless, lowest);
      Value y = buildPool(rewriter, loc, padded, *window, init,
                          isUnsigned ? PoolKind::MaxUnsigned : PoolKind::Max);
      Value unusedIndices = createFilled(rewriter, loc, indexType, 0.0);
      rewriter.replaceOp(op, {y, unusedIndices});
      return success();
    }
    auto [y, indices] = buildArgMaxPool(
        rewriter, loc, padded, *window, toSignless(xType), signless, indexType,
        isUnsigned, op.getStorageOrder() == 1);
    rewriter.replaceOp(op, {y, indices});
    return success();
  }
};

/// |x|^p for the integer p of LpPool, with the cheap forms of 1 and 2.
Value powerOfAbs(OpBuilder &b, Location loc, Value x, int64_t p) {
  Value a = math::AbsFOp::create(b, loc, x);
  if (p == 1)
    return a;
  if (p == 2)
    return arith::MulFOp::create(b, loc, x, x);
  return math::PowFOp::create(
      b, loc, a, createScalarConstant(b, loc, x.getType(), double(p)));
}

/// s^(1/p).
Value rootOf(OpBuilder &b, Location loc, Value s, int64_t p) {
  if (p == 1)
    return s;
  if (p == 2)
    return math::SqrtOp::create(b, loc, s);
  return math::PowFOp::create(
      b, loc, s, createScalarConstant(b, loc, s.getType(), 1.0 / double(p)));
}

struct LpPoolLowering : OpConversionPattern<graph::LpPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LpPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<PoolWindow> window =
        getPoolWindow(rewriter, op, xType, resultType, op.getKernelShape(),
                      op.getStrides(), std::nullopt, op.getPads(),
                      op.getAutoPad());
    if (failed(window))
      return failure();
    int64_t p = op.getP();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    Value powered = createElementwise(
        rewriter, loc, adaptor.getX(), xType.clone(ct),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertScalar(b, l, args[0], ct, false, false);
          return powerOfAbs(b, l, x, p);
        });
    Value padded = padForWindow(rewriter, loc, powered, *window,
                                createScalarConstant(rewriter, loc, ct, 0.0));
    Value init = createFilled(rewriter, loc, resultType.clone(ct), 0.0);
    Value sum = buildPool(rewriter, loc, padded, *window, init, PoolKind::Sum);
    Value y = createElementwise(
        rewriter, loc, sum, resultType,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return convertScalar(b, l, rootOf(b, l, args[0], p), elt, false,
                               false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Global pools
//===----------------------------------------------------------------------===//

/// Reduces `x` (`[N, C, D...]`, already in the compute type) over its
/// spatial dims to `[N, C]`.
Value reduceSpatial(OpBuilder &b, Location loc, Value x, Value init,
                    function_ref<Value(OpBuilder &, Location, Value, Value)>
                        combine) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0,
                     {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)},
                     ctx)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  iterators[0] = iterators[1] = utils::IteratorType::parallel;
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), x, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, combine(nb, nl, args[0], args[1]));
      });
  return generic.getResult(0);
}

enum class GlobalKind { Average, Max, Lp };

template <typename OpTy, GlobalKind kind>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    Type elt = resultType.getElementType();
    Type ct = computeFloatType(elt);
    int64_t p = 1;
    if constexpr (kind == GlobalKind::Lp)
      p = op.getP();
    Value x = adaptor.getX();
    if constexpr (kind == GlobalKind::Lp)
      x = createElementwise(
          rewriter, loc, x, xType.clone(ct),
          [&](OpBuilder &b, Location l, ValueRange args) {
            return powerOfAbs(
                b, l, convertScalar(b, l, args[0], ct, false, false), p);
          });
    else
      x = convertElements(rewriter, loc, x, ct);
    auto reducedType = RankedTensorType::get(
        {xType.getDimSize(0), xType.getDimSize(1)}, ct);
    double initValue =
        kind == GlobalKind::Max ? -std::numeric_limits<double>::infinity() : 0;
    Value init = createFilled(rewriter, loc, reducedType, initValue);
    Value reduced = reduceSpatial(
        rewriter, loc, x, init,
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          if (kind == GlobalKind::Max)
            return arith::MaximumFOp::create(b, l, v, acc);
          return arith::AddFOp::create(b, l, v, acc);
        });
    int64_t count = 1;
    for (int64_t d : xType.getShape().drop_front(2))
      count *= d;
    Value y = createElementwise(
        rewriter, loc, reduced, reducedType.clone(elt),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0];
          if (kind == GlobalKind::Average)
            v = arith::DivFOp::create(
                b, l, v, createScalarConstant(b, l, ct, double(count)));
          if (kind == GlobalKind::Lp)
            v = rootOf(b, l, v, p);
          return convertScalar(b, l, v, elt, false, false);
        });
    rewriter.replaceOp(op,
                       reshapeTensor(rewriter, loc, y, resultType.getShape()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MaxUnpool
//===----------------------------------------------------------------------===//

/// Zeros, then each value of X stored at its flat index (indices out of
/// range are skipped).
struct MaxUnpoolLowering : OpConversionPattern<graph::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, xType)) ||
        failed(requireStaticShape(rewriter, op, op.getI().getType())) ||
        failed(requireStaticShape(rewriter, op, resultType)))
      return failure();
    // Indices address the natural output ([N, C, (D - 1) * s + k - pads]);
    // an output_shape that differs pads or crops it at the end, as the
    // ONNX reference does.
    int64_t ns = xType.getRank() - 2;
    ArrayRef<int64_t> kernel = op.getKernelShape();
    if (int64_t(kernel.size()) != ns)
      return rewriter.notifyMatchFailure(op, "kernel_shape rank mismatch");
    SmallVector<int64_t> natural = {xType.getDimSize(0), xType.getDimSize(1)};
    for (int64_t i = 0; i < ns; ++i) {
      int64_t stride = op.getStrides() ? (*op.getStrides())[i] : 1;
      int64_t padBegin = op.getPads() ? (*op.getPads())[i] : 0;
      int64_t padEnd = op.getPads() ? (*op.getPads())[ns + i] : 0;
      natural.push_back((xType.getDimSize(2 + i) - 1) * stride + kernel[i] -
                        padBegin - padEnd);
    }
    int64_t count = xType.getNumElements();
    int64_t total = 1;
    for (int64_t d : natural)
      total *= d;
    Type elt = resultType.getElementType();
    Value x = reshapeTensor(rewriter, loc, adaptor.getX(), {count});
    Value indices = reshapeTensor(rewriter, loc, adaptor.getI(), {count});
    Value out = createFilled(rewriter, loc,
                             RankedTensorType::get({total}, elt), 0.0);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value cCount = arith::ConstantIndexOp::create(rewriter, loc, count);
    auto loop = scf::ForOp::create(
        rewriter, loc, c0, cCount, c1, ValueRange{out},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Value v = tensor::ExtractOp::create(b, l, x, i);
          Value flat = tensor::ExtractOp::create(b, l, indices, i);
          Type i64 = b.getI64Type();
          Value inRange = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, flat,
                                    createScalarConstant(b, l, i64, 0)),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, flat,
                                    createScalarConstant(b, l, i64, total)));
          auto ifOp = scf::IfOp::create(
              b, l, inRange,
              [&](OpBuilder &tb, Location tl) {
                Value at = castIndex(tb, tl, flat, tb.getIndexType());
                Value t = tensor::InsertOp::create(tb, tl, v, args[0], at);
                scf::YieldOp::create(tb, tl, t);
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, args[0]);
              });
          scf::YieldOp::create(b, l, ifOp.getResult(0));
        });
    Value y = reshapeTensor(rewriter, loc, loop.getResult(0), natural);
    if (ArrayRef<int64_t>(natural) != resultType.getShape()) {
      SmallVector<int64_t> low(natural.size(), 0), high, sizes;
      for (auto [n, r] : llvm::zip(natural, resultType.getShape())) {
        high.push_back(std::max<int64_t>(r - n, 0));
        sizes.push_back(std::min(n, r));
      }
      if (ArrayRef<int64_t>(sizes) != ArrayRef<int64_t>(natural))
        y = extractStaticSlice(rewriter, loc, y, low, sizes);
      y = padTensor(rewriter, loc, y, low, high,
                    createScalarConstant(rewriter, loc, elt, 0.0));
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNNPoolPatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns) {
  patterns.add<
      AveragePoolLowering, MaxPoolLowering, LpPoolLowering,
      GlobalPoolLowering<graph::GlobalAveragePoolOp, GlobalKind::Average>,
      GlobalPoolLowering<graph::GlobalMaxPoolOp, GlobalKind::Max>,
      GlobalPoolLowering<graph::GlobalLpPoolOp, GlobalKind::Lp>,
      MaxUnpoolLowering>(converter, patterns.getContext());
}

} // namespace kiln
