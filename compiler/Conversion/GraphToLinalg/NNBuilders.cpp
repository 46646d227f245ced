//===- NNBuilders.cpp - Shared pieces of the NN, quant, signal lowerings --===//

#include "compiler/Conversion/GraphToLinalg/NNBuilders.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace kiln {

//===----------------------------------------------------------------------===//
// Tensor utilities
//===----------------------------------------------------------------------===//

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  Value empty = createEmptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   double value) {
  return createFilled(
      b, loc, type, createScalarConstant(b, loc, type.getElementType(), value));
}

Value padTensor(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < shape.size(); ++i)
    shape[i] += low[i] + high[i];
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lowFold, highFold;
  for (auto [l, h] : llvm::zip(low, high)) {
    lowFold.push_back(b.getIndexAttr(l));
    highFold.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, resultType, x, lowFold, highFold, value);
}

Value extractStaticSlice(OpBuilder &b, Location loc, Value x,
                         ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                         RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(x.getType());
  if (!resultType)
    resultType = RankedTensorType::get(sizes, type.getElementType());
  SmallVector<OpFoldResult> off, sz, st;
  for (auto [o, s] : llvm::zip(offsets, sizes)) {
    off.push_back(b.getIndexAttr(o));
    sz.push_back(b.getIndexAttr(s));
    st.push_back(b.getIndexAttr(1));
  }
  return tensor::ExtractSliceOp::create(b, loc, resultType, x, off, sz, st);
}

Value reshapeTensor(OpBuilder &b, Location loc, Value x,
                    ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (type == resultType)
    return x;
  // To or from rank 0 (every dim is a unit dim): no reassociation groups.
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, x,
                                           ArrayRef<ReassociationIndices>{});
  if (type.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, resultType, x,
                                         ArrayRef<ReassociationIndices>{});
  if (std::optional<SmallVector<ReassociationIndices>> groups =
          getReassociationIndicesForReshape(type, resultType)) {
    if (resultType.getRank() < type.getRank())
      return tensor::CollapseShapeOp::create(b, loc, resultType, x, *groups);
    return tensor::ExpandShapeOp::create(b, loc, resultType, x, *groups);
  }
  // No common refinement: through a flat vector.
  auto allDims = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    return SmallVector<ReassociationIndices>{group};
  };
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  Value flat = tensor::CollapseShapeOp::create(b, loc, flatType, x,
                                               allDims(type.getRank()));
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       allDims(resultType.getRank()));
}

Value createElementwiseInto(OpBuilder &b, Location loc, ValueRange inputs,
                            Value dest, ScalarBodyBuilder body) {
  auto resultType = cast<RankedTensorType>(dest.getType());
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  SmallVector<Value> operands;
  // Broadcasting as createElementwise does: trailing alignment, unit dims
  // that broadcast collapsed away.
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    int64_t offset = rank - type.getRank();
    SmallVector<AffineExpr> exprs;
    SmallVector<int64_t> kept;
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      pending.push_back(i);
      if (type.getDimSize(i) == 1 && resultType.getDimSize(offset + i) != 1)
        continue;
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
      kept.push_back(type.getDimSize(i));
      groups.push_back(pending);
      pending.clear();
    }
    if (!pending.empty() && !groups.empty())
      llvm::append_range(groups.back(), pending);
    if (int64_t(kept.size()) != type.getRank())
      input = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get(kept, type.getElementType()), input,
          groups);
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    operands.push_back(input);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, operands, dest, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args));
             })
      .getResult(0);
}

Value convertElements(OpBuilder &b, Location loc, Value x, Type elementType,
                      bool fromUnsigned, bool toUnsigned) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getElementType() == elementType)
    return x;
  return createElementwise(
      b, loc, x, type.clone(elementType),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return convertScalar(nb, nl, args[0], elementType, fromUnsigned,
                             toUnsigned);
      });
}

Type computeFloatType(Type storage) {
  if (storage.isF16() || storage.isBF16())
    return Float32Type::get(storage.getContext());
  return storage;
}

Value extractFirstElement(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

Value indexAs(OpBuilder &b, Location loc, unsigned dim, Type type) {
  Value index = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, type, index);
}

Value castIndex(OpBuilder &b, Location loc, Value v, Type type) {
  return arith::IndexCastOp::create(b, loc, type, v);
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

namespace {

/// Converts an operand element to the accumulator type inside a body.
Value toAccumulator(OpBuilder &b, Location loc, Value v, Type acc) {
  return convertScalar(b, loc, v, acc, /*fromUnsigned=*/false,
                       /*toUnsigned=*/false);
}

/// `acc + a * b` in the accumulator type.
Value multiplyAdd(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  Value acc) {
  Type type = acc.getType();
  lhs = toAccumulator(b, loc, lhs, type);
  rhs = toAccumulator(b, loc, rhs, type);
  if (isa<FloatType>(type)) {
    Value product = arith::MulFOp::create(b, loc, lhs, rhs);
    return arith::AddFOp::create(b, loc, acc, product);
  }
  Value product = arith::MulIOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, acc, product);
}

/// Collapses the batch dims of a `[batch..., r, c]` operand into one.
Value collapseBatch(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  if (rank == 3)
    return x;
  ReassociationIndices batch;
  for (int64_t i = 0; i < rank - 2; ++i)
    batch.push_back(i);
  SmallVector<ReassociationIndices> groups = {batch, {rank - 2}, {rank - 1}};
  int64_t count = 1;
  for (int64_t i = 0; i < rank - 2; ++i)
    count *= type.getDimSize(i);
  auto resultType = RankedTensorType::get(
      {count, type.getDimSize(rank - 2), type.getDimSize(rank - 1)},
      type.getElementType());
  return tensor::CollapseShapeOp::create(b, loc, resultType, x, groups);
}

/// A contraction `out[batch..., m, n] += lhs[batch'..., m, k] *
/// rhs[batch''..., k, n]` where the operands' batch dims broadcast to
/// `resultType`'s. Unit batch dims that broadcast are collapsed away so
/// that every map stays a projected permutation.
Value buildBroadcastContraction(OpBuilder &b, Location loc, Value lhs,
                                Value rhs, RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  int64_t outRank = resultType.getRank();
  int64_t numBatch = outRank - 2;
  int64_t numLoops = outRank + 1;
  AffineExpr m = getAffineDimExpr(numBatch, ctx);
  AffineExpr n = getAffineDimExpr(numBatch + 1, ctx);
  AffineExpr k = getAffineDimExpr(numBatch + 2, ctx);

  auto prepare = [&](Value x, AffineExpr row,
                     AffineExpr col) -> std::pair<Value, AffineMap> {
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t batch = rank - 2;
    int64_t offset = numBatch - batch;
    SmallVector<AffineExpr> exprs;
    SmallVector<int64_t> kept;
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (int64_t i = 0; i < batch; ++i) {
      pending.push_back(i);
      if (type.getDimSize(i) == 1 &&
          resultType.getDimSize(offset + i) != 1)
        continue;
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
      kept.push_back(type.getDimSize(i));
      groups.push_back(pending);
      pending.clear();
    }
    for (int64_t i = batch; i < rank; ++i) {
      pending.push_back(i);
      kept.push_back(type.getDimSize(i));
      groups.push_back(pending);
      pending.clear();
    }
    exprs.push_back(row);
    exprs.push_back(col);
    if (int64_t(kept.size()) != rank)
      x = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get(kept, type.getElementType()), x,
          groups);
    return {x, AffineMap::get(numLoops, 0, exprs, ctx)};
  };
  auto [lhsValue, lhsMap] = prepare(lhs, m, k);
  auto [rhsValue, rhsMap] = prepare(rhs, k, n);
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < outRank; ++i)
    outExprs.push_back(getAffineDimExpr(i, ctx));
  AffineMap outMap = AffineMap::get(numLoops, 0, outExprs, ctx);
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  Value init = createFilled(b, loc, resultType, 0.0);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhsValue, rhsValue}, init,
      ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl,
                                multiplyAdd(nb, nl, args[0], args[1], args[2]));
      });
  return generic.getResult(0);
}

} // namespace

Value buildMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType resultType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
  Type acc = resultType.getElementType();
  auto product = [&](auto opTag, RankedTensorType type, Value l, Value r) {
    using OpTy = decltype(opTag);
    Value init = createFilled(b, loc, type, 0.0);
    return OpTy::create(b, loc, TypeRange{type}, ValueRange{l, r},
                        ValueRange{init})
        .getResult(0);
  };
  if (lhsRank <= 2 && rhsRank <= 2) {
    if (lhsRank == 2 && rhsRank == 2)
      return product(linalg::MatmulOp(), resultType, lhs, rhs);
    if (lhsRank == 2)
      return product(linalg::MatvecOp(), resultType, lhs, rhs);
    if (rhsRank == 2)
      return product(linalg::VecmatOp(), resultType, lhs, rhs);
    // A dot product as a 1 x 1 matmul: the CPU backend vectorizes
    // contractions with matrix-shaped results.
    int64_t k = lhsType.getDimSize(0);
    Value row = reshapeTensor(b, loc, lhs, {1, k});
    Value col = reshapeTensor(b, loc, rhs, {k, 1});
    Value one = product(linalg::MatmulOp(),
                        RankedTensorType::get({1, 1}, acc), row, col);
    return reshapeTensor(b, loc, one, {});
  }

  // Vectors become a one-row / one-column matrix; the unit dim leaves the
  // result at the end.
  if (lhsRank == 1) {
    lhs = reshapeTensor(b, loc, lhs, {1, lhsType.getDimSize(0)});
    lhsType = cast<RankedTensorType>(lhs.getType());
    lhsRank = 2;
  }
  if (rhsRank == 1) {
    rhs = reshapeTensor(b, loc, rhs, {rhsType.getDimSize(0), 1});
    rhsType = cast<RankedTensorType>(rhs.getType());
    rhsRank = 2;
  }
  int64_t rows = lhsType.getDimSize(lhsRank - 2);
  int64_t cols = rhsType.getDimSize(rhsRank - 1);
  int64_t numBatch = std::max(lhsRank, rhsRank) - 2;
  SmallVector<int64_t> batch(numBatch, 1);
  for (int64_t i = 0; i < lhsRank - 2; ++i)
    batch[numBatch - (lhsRank - 2) + i] = lhsType.getDimSize(i);
  for (int64_t i = 0; i < rhsRank - 2; ++i) {
    int64_t &d = batch[numBatch - (rhsRank - 2) + i];
    d = std::max(d, rhsType.getDimSize(i));
  }
  SmallVector<int64_t> fullShape(batch);
  fullShape.push_back(rows);
  fullShape.push_back(cols);
  auto fullType = RankedTensorType::get(fullShape, acc);
  int64_t batchCount = 1;
  for (int64_t d : batch)
    batchCount *= d;

  Value full;
  if (rhsRank == 2) {
    // A shared rhs: the lhs batch folds into the rows of one matmul.
    int64_t k = lhsType.getDimSize(lhsRank - 1);
    Value flatLhs = reshapeTensor(b, loc, lhs, {batchCount * rows, k});
    auto flatType = RankedTensorType::get({batchCount * rows, cols}, acc);
    Value flat = product(linalg::MatmulOp(), flatType, flatLhs, rhs);
    full = reshapeTensor(b, loc, flat, fullShape);
  } else if (lhsRank == rhsRank &&
             lhsType.getShape().drop_back(2) == ArrayRef<int64_t>(batch) &&
             rhsType.getShape().drop_back(2) == ArrayRef<int64_t>(batch)) {
    Value l = collapseBatch(b, loc, lhs);
    Value r = collapseBatch(b, loc, rhs);
    auto batchedType = RankedTensorType::get({batchCount, rows, cols}, acc);
    Value batched = product(linalg::BatchMatmulOp(), batchedType, l, r);
    full = reshapeTensor(b, loc, batched, fullShape);
  } else {
    full = buildBroadcastContraction(b, loc, lhs, rhs, fullType);
  }
  return reshapeTensor(b, loc, full, resultType.getShape());
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

namespace {

/// The grouped convolution as one linalg.generic over
/// (n, g, m, o..., c, k...).
Value buildGenericConvolution(OpBuilder &b, Location loc, Value x, Value w,
                              const ConvGeometry &geometry,
                              RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type elt = resultType.getElementType();
  int64_t ns = xType.getRank() - 2;
  int64_t group = geometry.group;
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1);
  int64_t m = wType.getDimSize(0);
  int64_t cg = c / group, mg = m / group;

  SmallVector<int64_t> xShape = {n, group, cg};
  llvm::append_range(xShape, xType.getShape().drop_front(2));
  SmallVector<int64_t> wShape = {group, mg, cg};
  llvm::append_range(wShape, wType.getShape().drop_front(2));
  SmallVector<int64_t> outShape = {n, group, mg};
  llvm::append_range(outShape, resultType.getShape().drop_front(2));
  Value xg = reshapeTensor(b, loc, x, xShape);
  Value wg = reshapeTensor(b, loc, w, wShape);
  auto outType = RankedTensorType::get(outShape, elt);

  // Loops: n, g, m, o_0..o_{ns-1}, c, k_0..k_{ns-1}.
  int64_t numLoops = 4 + 2 * ns;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr dn = d(0), dg = d(1), dm = d(2), dc = d(3 + ns);
  SmallVector<AffineExpr> xExprs = {dn, dg, dc}, wExprs = {dg, dm, dc},
                          outExprs = {dn, dg, dm};
  for (int64_t i = 0; i < ns; ++i) {
    AffineExpr o = d(3 + i), k = d(4 + ns + i);
    xExprs.push_back(o * geometry.strides[i] + k * geometry.dilations[i]);
    wExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xExprs, ctx),
                                 AffineMap::get(numLoops, 0, wExprs, ctx),
                                 AffineMap::get(numLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  for (int64_t i = 3 + ns; i < numLoops; ++i)
    iterators[i] = utils::IteratorType::reduction;
  Value init = createFilled(b, loc, outType, 0.0);
  auto generic = linalg::GenericOp::create(
      b, loc, outType, ValueRange{xg, wg}, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl,
                                multiplyAdd(nb, nl, args[0], args[1], args[2]));
      });
  return reshapeTensor(b, loc, generic.getResult(0), resultType.getShape());
}

} // namespace

Value buildConvolution(OpBuilder &b, Location loc, Value x, Value w,
                       const ConvGeometry &geometry,
                       RankedTensorType resultType) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type elt = resultType.getElementType();
  int64_t ns = xType.getRank() - 2;
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  llvm::append_range(low, geometry.padsBegin);
  llvm::append_range(high, geometry.padsEnd);
  Value zero = createScalarConstant(b, loc, xType.getElementType(), 0.0);
  Value padded = padTensor(b, loc, x, low, high, zero);

  int64_t c = xType.getDimSize(1), m = wType.getDimSize(0);
  int64_t group = geometry.group;
  auto strides = b.getI64TensorAttr(geometry.strides);
  auto dilations = b.getI64TensorAttr(geometry.dilations);
  auto named = [&](auto opTag, RankedTensorType type, Value input,
                   Value filter) {
    using OpTy = decltype(opTag);
    Value init = createFilled(b, loc, type, 0.0);
    return OpTy::create(b, loc, TypeRange{type}, ValueRange{input, filter},
                        ValueRange{init}, strides, dilations)
        .getResult(0);
  };
  if (ns == 2 && group == 1)
    return named(linalg::Conv2DNchwFchwOp(), resultType, padded, w);
  if (ns == 2 && group == c && m == c) {
    // One input channel per output channel: drop W's unit dim 1.
    Value filter = reshapeTensor(
        b, loc, w,
        {wType.getDimSize(0), wType.getDimSize(2), wType.getDimSize(3)});
    return named(linalg::DepthwiseConv2DNchwChwOp(), resultType, padded,
                 filter);
  }
  if (ns == 2) {
    // Grouped: [N, G, C/G, H, W] with [G, M/G, C/G, kh, kw].
    auto pType = cast<RankedTensorType>(padded.getType());
    Value input = reshapeTensor(
        b, loc, padded,
        {pType.getDimSize(0), group, c / group, pType.getDimSize(2),
         pType.getDimSize(3)});
    Value filter = reshapeTensor(
        b, loc, w,
        {group, m / group, wType.getDimSize(1), wType.getDimSize(2),
         wType.getDimSize(3)});
    auto groupedType = RankedTensorType::get(
        {resultType.getDimSize(0), group, m / group, resultType.getDimSize(2),
         resultType.getDimSize(3)},
        elt);
    Value grouped =
        named(linalg::Conv2DNgchwGfchwOp(), groupedType, input, filter);
    return reshapeTensor(b, loc, grouped, resultType.getShape());
  }
  if (ns == 1 && group == 1)
    return named(linalg::Conv1DNcwFcwOp(), resultType, padded, w);
  if (ns == 3 && group == 1)
    return named(linalg::Conv3DNcdhwFcdhwOp(), resultType, padded, w);
  return buildGenericConvolution(b, loc, padded, w, geometry, resultType);
}

FailureOr<ConvGeometry>
getConvGeometry(ConversionPatternRewriter &rewriter, Operation *op,
                ArrayRef<int64_t> inputSizes, ArrayRef<int64_t> weightKernel,
                int64_t group, std::optional<ArrayRef<int64_t>> kernelShape,
                std::optional<ArrayRef<int64_t>> strides,
                std::optional<ArrayRef<int64_t>> dilations,
                std::optional<ArrayRef<int64_t>> pads, StringRef autoPad) {
  FailureOr<graph::ConvWindow> window =
      graph::getConvWindow(op, inputSizes.size(), kernelShape, weightKernel,
                           strides, dilations, pads, autoPad);
  if (failed(window))
    return rewriter.notifyMatchFailure(op, "invalid window attributes");
  std::optional<SmallVector<int64_t>> explicitPads =
      graph::explicitConvPads(inputSizes, *window);
  if (!explicitPads)
    return rewriter.notifyMatchFailure(op, "needs static spatial sizes");
  ConvGeometry geometry;
  size_t n = inputSizes.size();
  geometry.group = group;
  geometry.strides = window->strides;
  geometry.dilations = window->dilations;
  geometry.padsBegin.assign(explicitPads->begin(), explicitPads->begin() + n);
  geometry.padsEnd.assign(explicitPads->begin() + n, explicitPads->end());
  return geometry;
}

Value addChannelBias(OpBuilder &b, Location loc, Value y, Value bias) {
  auto type = cast<RankedTensorType>(y.getType());
  Value aligned = alignToAxis(b, loc, bias, 1, type.getRank());
  Type elt = type.getElementType();
  return createElementwise(
      b, loc, {y, aligned}, type,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value v = convertScalar(nb, nl, args[1], elt, false, false);
        if (isa<FloatType>(elt))
          return arith::AddFOp::create(nb, nl, args[0], v);
        return arith::AddIOp::create(nb, nl, args[0], v);
      });
}

Value alignToAxis(OpBuilder &b, Location loc, Value v, int64_t axis,
                  int64_t rank) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 1 &&
      (type.getRank() == 0 || type.getRank() == 1))
    return reshapeTensor(b, loc, v, {});
  if (type.getRank() != 1)
    return v;
  SmallVector<int64_t> shape = {type.getDimSize(0)};
  shape.append(rank - axis - 1, 1);
  return reshapeTensor(b, loc, v, shape);
}

} // namespace kiln
