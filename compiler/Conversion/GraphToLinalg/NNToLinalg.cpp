//===- NNToLinalg.cpp - Lowering matrix products, Det and Dropout ---------===//
//
// MatMul and Gemm become the contractions the CPU backend tiles into
// registers (linalg.matmul and friends, or a generic contraction whose
// maps carry Gemm's transposes); Gemm's alpha, beta and C follow as one
// elementwise consumer that dispatch formation fuses. Einsum is one
// generic contraction over all its labels. Det runs Gaussian elimination
// with partial pivoting in scf loops. The other NN sub-families live in
// NNConvToLinalg.cpp, NNPoolToLinalg.cpp, NNRecurrentToLinalg.cpp,
// NNLossToLinalg.cpp and NNDetectionToLinalg.cpp.
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
#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace kiln {
namespace {

/// Fails the match unless every tensor operand and result of `op` has a
/// static shape (`none` operands are skipped).
LogicalResult requireStaticOperands(ConversionPatternRewriter &rewriter,
                                    Operation *op) {
  for (Value v : op->getOperands())
    if (isa<RankedTensorType>(v.getType()) &&
        failed(requireStaticShape(rewriter, op, v.getType())))
      return failure();
  for (Type t : op->getResultTypes())
    if (failed(requireStaticShape(rewriter, op, t)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

struct MatMulLowering : OpConversionPattern<graph::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    auto resultType = toSignless(cast<RankedTensorType>(op.getType()));
    Type elt = resultType.getElementType();
    // 16-bit floats accumulate in f32.
    Type acc = isa<FloatType>(elt) ? computeFloatType(elt) : elt;
    Value y = buildMatMul(rewriter, op.getLoc(), adaptor.getA(),
                          adaptor.getB(), resultType.clone(acc));
    rewriter.replaceOp(op, convertElements(rewriter, op.getLoc(), y, elt));
    return success();
  }
};

/// alpha * op(A) * op(B) + beta * C: a contraction whose maps apply the
/// transposes, then one elementwise op for the scaling and the bias.
struct GemmLowering : OpConversionPattern<graph::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = toSignless(cast<RankedTensorType>(op.getType()));
    Type elt = resultType.getElementType();
    bool isFloat = isa<FloatType>(elt);
    Type acc = isFloat ? computeFloatType(elt) : elt;
    auto accType = resultType.clone(acc);
    Value a = adaptor.getA(), b = adaptor.getB();
    bool transA = op.getTransA() != 0, transB = op.getTransB() != 0;

    Value product;
    if (!transA && !transB) {
      Value init = createFilled(rewriter, loc, accType, 0.0);
      product = linalg::MatmulOp::create(rewriter, loc, TypeRange{accType},
                                         ValueRange{a, b}, ValueRange{init})
                    .getResult(0);
    } else {
      AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
                 k = getAffineDimExpr(2, ctx);
      auto map = [&](AffineExpr r, AffineExpr c) {
        return AffineMap::get(3, 0, {r, c}, ctx);
      };
      SmallVector<AffineMap> maps = {transA ? map(k, m) : map(m, k),
                                     transB ? map(n, k) : map(k, n),
                                     map(m, n)};
      SmallVector<utils::IteratorType> iterators = {
          utils::IteratorType::parallel, utils::IteratorType::parallel,
          utils::IteratorType::reduction};
      Value init = createFilled(rewriter, loc, accType, 0.0);
      product =
          linalg::GenericOp::create(
              rewriter, loc, accType, ValueRange{a, b}, init, maps, iterators,
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value l = convertScalar(nb, nl, args[0], acc, false, false);
                Value r = convertScalar(nb, nl, args[1], acc, false, false);
                Value p = isFloat
                              ? arith::MulFOp::create(nb, nl, l, r).getResult()
                              : arith::MulIOp::create(nb, nl, l, r).getResult();
                Value s =
                    isFloat
                        ? arith::AddFOp::create(nb, nl, args[2], p).getResult()
                        : arith::AddIOp::create(nb, nl, args[2], p).getResult();
                linalg::YieldOp::create(nb, nl, s);
              })
              .getResult(0);
    }

    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    bool hasC = !graph::isNone(op.getC()) && beta != 0.0;
    if (alpha == 1.0 && !hasC && acc == elt) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs = {product};
    if (hasC)
      inputs.push_back(adaptor.getC());
    auto mul = [&](OpBuilder &nb, Location nl, Value x, double factor) {
      Value f = createScalarConstant(nb, nl, acc, factor);
      return isFloat ? arith::MulFOp::create(nb, nl, x, f).getResult()
                     : arith::MulIOp::create(nb, nl, x, f).getResult();
    };
    Value y = createElementwise(
        rewriter, loc, inputs, resultType,
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          Value v = args[0];
          if (alpha != 1.0)
            v = mul(nb, nl, v, alpha);
          if (hasC) {
            Value c = convertScalar(nb, nl, args[1], acc, false, false);
            if (beta != 1.0)
              c = mul(nb, nl, c, beta);
            v = isFloat ? arith::AddFOp::create(nb, nl, v, c).getResult()
                        : arith::AddIOp::create(nb, nl, v, c).getResult();
          }
          return convertScalar(nb, nl, v, elt, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// A parsed einsum equation: one label list per operand and the output's.
/// Letters are labels by their character; the dims `...` stands for get
/// labels 256 + i, aligned to the right across operands as numpy does.
struct EinsumEquation {
  SmallVector<SmallVector<int>> inputs;
  SmallVector<int> output;
};

/// Parses `equation` for operands of the given ranks, or fails.
FailureOr<EinsumEquation> parseEinsum(StringRef equation,
                                      ArrayRef<int64_t> ranks) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);
  StringRef eq(text);
  auto [lhs, rhs] = eq.split("->");
  bool explicitOutput = eq.contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ranks.size())
    return failure();

  // The number of dims each operand's ellipsis stands for.
  SmallVector<int64_t> ellipsisDims;
  int64_t maxEllipsis = 0;
  for (auto [term, rank] : llvm::zip(terms, ranks)) {
    size_t letters = 0;
    for (char c : term)
      letters += llvm::isAlpha(c);
    int64_t dims = term.contains("...") ? rank - int64_t(letters) : 0;
    if (dims < 0 || (!term.contains("...") && int64_t(letters) != rank))
      return failure();
    ellipsisDims.push_back(dims);
    maxEllipsis = std::max(maxEllipsis, dims);
  }

  auto parseTerm = [&](StringRef term, int64_t dims,
                       SmallVector<int> &labels) -> LogicalResult {
    for (size_t i = 0; i < term.size();) {
      if (term.substr(i).starts_with("...")) {
        for (int64_t j = 0; j < dims; ++j)
          labels.push_back(256 + int(maxEllipsis - dims + j));
        i += 3;
        continue;
      }
      if (!llvm::isAlpha(term[i]))
        return failure();
      labels.push_back(term[i]);
      ++i;
    }
    return success();
  };
  EinsumEquation result;
  for (auto [term, dims] : llvm::zip(terms, ellipsisDims)) {
    result.inputs.emplace_back();
    if (failed(parseTerm(term, dims, result.inputs.back())))
      return failure();
  }
  if (explicitOutput) {
    if (failed(parseTerm(rhs, maxEllipsis, result.output)))
      return failure();
  } else {
    for (int64_t j = 0; j < maxEllipsis; ++j)
      result.output.push_back(256 + int(j));
    std::map<int, int> counts;
    for (auto &labels : result.inputs)
      for (int l : labels)
        if (l < 256)
          ++counts[l];
    for (auto [label, count] : counts)
      if (count == 1)
        result.output.push_back(label);
  }
  return result;
}

/// One linalg.generic over every label: output labels are parallel loops,
/// the others reductions; the body multiplies the operands' elements.
struct EinsumLowering : OpConversionPattern<graph::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = toSignless(cast<RankedTensorType>(op.getType()));
    Type elt = resultType.getElementType();
    bool isFloat = isa<FloatType>(elt);
    Type acc = isFloat ? computeFloatType(elt) : elt;
    ValueRange inputs = adaptor.getInputs();
    SmallVector<int64_t> ranks;
    for (Value v : inputs)
      ranks.push_back(cast<RankedTensorType>(v.getType()).getRank());
    FailureOr<EinsumEquation> eq = parseEinsum(op.getEquation(), ranks);
    if (failed(eq))
      return rewriter.notifyMatchFailure(op, "cannot parse the equation");
    if (eq->output.size() != size_t(resultType.getRank()))
      return rewriter.notifyMatchFailure(op, "output rank mismatch");

    // Loops: output labels first, then the summed ones.
    llvm::MapVector<int, int64_t> sizes;
    for (int label : eq->output)
      sizes.insert({label, 1});
    for (auto [labels, v] : llvm::zip(eq->inputs, inputs)) {
      auto type = cast<RankedTensorType>(v.getType());
      for (auto [i, label] : llvm::enumerate(labels)) {
        int64_t &size = sizes.insert({label, 1}).first->second;
        size = std::max(size, type.getDimSize(i));
      }
    }
    DenseMap<int, unsigned> loopOf;
    for (auto [i, entry] : llvm::enumerate(sizes))
      loopOf[entry.first] = i;
    unsigned numLoops = sizes.size();

    SmallVector<AffineMap> maps;
    for (auto [labels, v] : llvm::zip(eq->inputs, inputs)) {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<AffineExpr> exprs;
      for (auto [i, label] : llvm::enumerate(labels)) {
        bool broadcast = type.getDimSize(i) == 1 && sizes[label] != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(loopOf[label], ctx));
      }
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int label : eq->output)
      outExprs.push_back(getAffineDimExpr(loopOf[label], ctx));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::reduction);
    for (size_t i = 0; i < eq->output.size(); ++i)
      iterators[i] = utils::IteratorType::parallel;

    auto accType = resultType.clone(acc);
    Value init = createFilled(rewriter, loc, accType, 0.0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, inputs, init, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value product;
          for (Value arg : args.drop_back()) {
            Value v = convertScalar(nb, nl, arg, acc, false, false);
            if (!product)
              product = v;
            else
              product = isFloat
                            ? arith::MulFOp::create(nb, nl, product, v)
                                  .getResult()
                            : arith::MulIOp::create(nb, nl, product, v)
                                  .getResult();
          }
          Value sum =
              isFloat
                  ? arith::AddFOp::create(nb, nl, args.back(), product)
                        .getResult()
                  : arith::AddIOp::create(nb, nl, args.back(), product)
                        .getResult();
          linalg::YieldOp::create(nb, nl, sum);
        });
    rewriter.replaceOp(op, convertElements(rewriter, loc,
                                           generic.getResult(0), elt));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

/// LU decomposition with partial pivoting of each matrix, as LAPACK (and so
/// numpy) does: the determinant is the product of the pivots, negated per
/// row swap.
struct DetLowering : OpConversionPattern<graph::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(adaptor.getX().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elt = xType.getElementType();
    Type ct = computeFloatType(elt);
    int64_t rank = xType.getRank();
    int64_t size = xType.getDimSize(rank - 1);
    int64_t batch = 1;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch *= xType.getDimSize(i);
    Value x = convertElements(rewriter, loc, adaptor.getX(), ct);
    x = reshapeTensor(rewriter, loc, x, {batch, size, size});

    OpBuilder &b = rewriter;
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    Value cBatch = arith::ConstantIndexOp::create(b, loc, batch);
    Value cSize = arith::ConstantIndexOp::create(b, loc, size);
    Value zero = createScalarConstant(b, loc, ct, 0.0);
    Value one = createScalarConstant(b, loc, ct, 1.0);
    auto matType = RankedTensorType::get({size, size}, ct);
    Value dets = createEmptyTensor(b, loc, RankedTensorType::get({batch}, ct));

    auto outer = scf::ForOp::create(
        b, loc, c0, cBatch, c1, ValueRange{dets},
        [&](OpBuilder &b, Location loc, Value bi, ValueRange outerArgs) {
          SmallVector<OpFoldResult> offsets = {bi, b.getIndexAttr(0),
                                               b.getIndexAttr(0)};
          SmallVector<OpFoldResult> sizes = {
              b.getIndexAttr(1), b.getIndexAttr(size), b.getIndexAttr(size)};
          SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
          Value mat = tensor::ExtractSliceOp::create(b, loc, matType, x,
                                                     offsets, sizes, strides);
          // The running determinant lives in the result tensor, so that no
          // loop hands a scalar out (even when a one-iteration loop folds).
          Value start =
              tensor::InsertOp::create(b, loc, one, outerArgs[0], bi);
          auto columns = scf::ForOp::create(
              b, loc, c0, cSize, c1, ValueRange{mat, start},
              [&](OpBuilder &b, Location loc, Value j, ValueRange args) {
                Value m = args[0];
                Value det = tensor::ExtractOp::create(b, loc, args[1], bi);
                // The pivot: the largest magnitude at or below the diagonal.
                Value diag = tensor::ExtractOp::create(b, loc, m,
                                                       ValueRange{j, j});
                Value diagAbs = math::AbsFOp::create(b, loc, diag);
                auto search = scf::ForOp::create(
                    b, loc, j, cSize, c1, ValueRange{diagAbs, j},
                    [&](OpBuilder &b, Location loc, Value i, ValueRange best) {
                      Value v = tensor::ExtractOp::create(b, loc, m,
                                                          ValueRange{i, j});
                      Value a = math::AbsFOp::create(b, loc, v);
                      Value better = arith::CmpFOp::create(
                          b, loc, arith::CmpFPredicate::OGT, a, best[0]);
                      Value nv =
                          arith::SelectOp::create(b, loc, better, a, best[0]);
                      Value ni =
                          arith::SelectOp::create(b, loc, better, i, best[1]);
                      scf::YieldOp::create(b, loc, ValueRange{nv, ni});
                    });
                Value p = search.getResult(1);
                // Swap rows j and p (a no-op when they are the same).
                auto swap = scf::ForOp::create(
                    b, loc, c0, cSize, c1, ValueRange{m},
                    [&](OpBuilder &b, Location loc, Value k, ValueRange s) {
                      Value rj = tensor::ExtractOp::create(b, loc, s[0],
                                                           ValueRange{j, k});
                      Value rp = tensor::ExtractOp::create(b, loc, s[0],
                                                           ValueRange{p, k});
                      Value t = tensor::InsertOp::create(b, loc, rp, s[0],
                                                         ValueRange{j, k});
                      t = tensor::InsertOp::create(b, loc, rj, t,
                                                   ValueRange{p, k});
                      scf::YieldOp::create(b, loc, t);
                    });
                m = swap.getResult(0);
                Value swapped = arith::CmpIOp::create(
                    b, loc, arith::CmpIPredicate::ne, p, j);
                Value negDet = arith::NegFOp::create(b, loc, det);
                det = arith::SelectOp::create(b, loc, swapped, negDet, det);
                Value pivot = tensor::ExtractOp::create(b, loc, m,
                                                        ValueRange{j, j});
                det = arith::MulFOp::create(b, loc, det, pivot);
                Value singular = arith::CmpFOp::create(
                    b, loc, arith::CmpFPredicate::OEQ, pivot, zero);
                // Eliminate below the pivot (nothing to do when it is 0).
                Value next = arith::AddIOp::create(b, loc, j, c1);
                auto rows = scf::ForOp::create(
                    b, loc, next, cSize, c1, ValueRange{m},
                    [&](OpBuilder &b, Location loc, Value i, ValueRange r) {
                      Value below = tensor::ExtractOp::create(
                          b, loc, r[0], ValueRange{i, j});
                      Value q = arith::DivFOp::create(b, loc, below, pivot);
                      Value f =
                          arith::SelectOp::create(b, loc, singular, zero, q);
                      auto cols = scf::ForOp::create(
                          b, loc, j, cSize, c1, ValueRange{r[0]},
                          [&](OpBuilder &b, Location loc, Value k,
                              ValueRange c) {
                            Value top = tensor::ExtractOp::create(
                                b, loc, c[0], ValueRange{j, k});
                            Value cur = tensor::ExtractOp::create(
                                b, loc, c[0], ValueRange{i, k});
                            Value d = arith::MulFOp::create(b, loc, f, top);
                            Value nv = arith::SubFOp::create(b, loc, cur, d);
                            Value t = tensor::InsertOp::create(
                                b, loc, nv, c[0], ValueRange{i, k});
                            scf::YieldOp::create(b, loc, t);
                          });
                      scf::YieldOp::create(b, loc, cols.getResult(0));
                    });
                Value dets =
                    tensor::InsertOp::create(b, loc, det, args[1], bi);
                scf::YieldOp::create(b, loc,
                                     ValueRange{rows.getResult(0), dets});
              });
          scf::YieldOp::create(b, loc, columns.getResult(1));
        });
    Value result = reshapeTensor(rewriter, loc, outer.getResult(0),
                                 resultType.getShape());
    rewriter.replaceOp(op, convertElements(rewriter, loc, result, elt));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

/// Inference mode (the usual case) folds away before lowering. In training
/// mode, known only at run time here, elements are kept where a hash of
/// their position and the seed, as a uniform number in [0, 1), reaches
/// `ratio`. ONNX leaves the random stream to the implementation, so only
/// ratio 0 (keep everything) has a defined result.
struct DropoutLowering : OpConversionPattern<graph::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticOperands(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getData().getType());
    auto maskType = cast<RankedTensorType>(op.getMask().getType());
    Type elt = type.getElementType();
    Type ct = computeFloatType(elt);

    bool inference = graph::isNone(op.getTrainingMode());
    if (auto training = graph::getConstantInts(op.getTrainingMode()))
      inference = llvm::all_of(*training, [](int64_t v) { return v == 0; });
    if (auto ratio = graph::getConstantDoubles(op.getRatio()))
      inference |= llvm::all_of(*ratio, [](double v) { return v == 0.0; });
    if (inference) {
      Value mask = createFilled(rewriter, loc, maskType, 1.0);
      rewriter.replaceOp(op, {adaptor.getData(), mask});
      return success();
    }

    Value training = extractFirstElement(rewriter, loc,
                                         adaptor.getTrainingMode());
    Value ratio = graph::isNone(op.getRatio())
                      ? createScalarConstant(rewriter, loc, ct, 0.5)
                      : convertScalar(rewriter, loc,
                                      extractFirstElement(rewriter, loc,
                                                          adaptor.getRatio()),
                                      ct, false, false);
    uint64_t seed = op.getSeed().value_or(0);
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps(3, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value outInit = createEmptyTensor(rewriter, loc, type);
    Value maskInit = createEmptyTensor(rewriter, loc, maskType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type, maskType}, adaptor.getData(),
        ValueRange{outInit, maskInit}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          // The flat position, mixed with the seed (SplitMix64 finalizer).
          Type i64 = b.getI64Type();
          Value flat = createScalarConstant(b, l, i64, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value size = createScalarConstant(b, l, i64, type.getDimSize(d));
            flat = arith::MulIOp::create(b, l, flat, size);
            flat = arith::AddIOp::create(b, l, flat, indexAs(b, l, d, i64));
          }
          auto constant = [&](uint64_t v) {
            return arith::ConstantOp::create(
                b, l, IntegerAttr::get(i64, APInt(64, v)));
          };
          Value z = arith::AddIOp::create(
              b, l, flat, constant(seed * 0x9E3779B97F4A7C15ULL));
          auto mix = [&](Value v, unsigned shift, uint64_t mul) {
            Value s = arith::ShRUIOp::create(b, l, v, constant(shift));
            Value x = arith::XOrIOp::create(b, l, v, s);
            return mul ? arith::MulIOp::create(b, l, x, constant(mul))
                             .getResult()
                       : x;
          };
          z = mix(z, 30, 0xBF58476D1CE4E5B9ULL);
          z = mix(z, 27, 0x94D049BB133111EBULL);
          z = mix(z, 31, 0);
          // The top 24 bits as a float in [0, 1).
          Value top = arith::ShRUIOp::create(b, l, z, constant(40));
          Value f = arith::UIToFPOp::create(b, l, b.getF32Type(), top);
          Value scale = createScalarConstant(b, l, b.getF32Type(),
                                             1.0 / double(1 << 24));
          Value u = arith::MulFOp::create(b, l, f, scale);
          u = convertScalar(b, l, u, ct, false, false);
          Value keep = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                             u, ratio);
          Value notTraining = arith::XOrIOp::create(
              b, l, training, createScalarConstant(b, l, b.getI1Type(), 1));
          keep = arith::OrIOp::create(b, l, keep, notTraining);
          Value x = convertScalar(b, l, args[0], ct, false, false);
          Value oneMinus = arith::SubFOp::create(
              b, l, createScalarConstant(b, l, ct, 1.0), ratio);
          Value scaled = arith::DivFOp::create(b, l, x, oneMinus);
          Value out = arith::SelectOp::create(
              b, l, training, scaled, x);
          out = arith::SelectOp::create(b, l, keep, out,
                                        createScalarConstant(b, l, ct, 0.0));
          out = convertScalar(b, l, out, elt, false, false);
          linalg::YieldOp::create(b, l, ValueRange{out, keep});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphNNToLinalgPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering, EinsumLowering, DetLowering,
               DropoutLowering>(converter, patterns.getContext());
  populateNNConvPatterns(converter, patterns);
  populateNNPoolPatterns(converter, patterns);
  populateNNRecurrentPatterns(converter, patterns);
  populateNNLossPatterns(converter, patterns);
  populateNNDetectionPatterns(converter, patterns);
}

} // namespace kiln
