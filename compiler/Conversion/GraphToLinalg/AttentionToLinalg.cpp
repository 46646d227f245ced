//===- AttentionToLinalg.cpp - Attention as one tiled loop nest -----------===//
//
// graph.attention lowers to the loop nest of its kernel, already tiled: an
// scf.forall over (batch, block of queries) without a mapping, which the
// codegen pipeline turns into the workgroup grid, and inside it an scf.for
// over blocks of keys that keeps the online softmax's running state (the
// row maximum m, the row sum l and the unnormalized output acc):
//
//   for each block of keys:
//     s    = (Q_blk K_blk) * scale, + bias, masked          QB x KB
//     m'   = max(m, rowmax(s))
//     p    = exp(s - m')
//     c    = exp(m - m')
//     l    = l * c + rowsum(p)
//     acc  = acc * c + p V_blk
//     m    = m'
//   Y_blk = acc / l
//
// No tensor larger than QB x max(KB, Dv) exists: the score matrix is never
// materialized. Operands are read through their permutations, so the
// transposes that exporters put around attention cost nothing.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;

namespace kiln {
namespace {

/// Rows per workgroup and keys per step: the largest divisor of `size` up
/// to `preferred` that is at least 8, else the whole of `size`.
int64_t chooseBlock(int64_t size, int64_t preferred) {
  for (int64_t t = std::min(size, preferred); t >= 8; --t)
    if (size % t == 0)
      return t;
  return size;
}

/// The permutation `perm`, or the identity of `rank` when it is absent.
SmallVector<int64_t> permOrIdentity(std::optional<ArrayRef<int64_t>> perm,
                                    int64_t rank) {
  if (perm)
    return llvm::to_vector(*perm);
  return llvm::to_vector(llvm::seq<int64_t>(0, rank));
}

/// A 2-D tile as it lies in its operand: `transposed` when the operand
/// holds the tile's columns before its rows.
struct Tile {
  Value value;
  bool transposed;
};

class AttentionBuilder {
public:
  AttentionBuilder(OpBuilder &b, Location loc, int64_t batchRank)
      : b(b), loc(loc), batchRank(batchRank), f32(b.getF32Type()) {}

  /// The `rows` x `cols` tile at logical rows `row0`, columns `col0` and
  /// batch position `batch` of the operand `source` read through `perm`
  /// (logical dim i is source dim perm[i]), as a view in the operand's
  /// own order of the two dims.
  Tile readTile(Value source, ArrayRef<int64_t> perm, ValueRange batch,
                OpFoldResult row0, int64_t rows, OpFoldResult col0,
                int64_t cols) {
    int64_t rank = batchRank + 2;
    SmallVector<OpFoldResult> offsets(rank), sizes(rank),
        strides(rank, b.getIndexAttr(1));
    for (int64_t i = 0; i < batchRank; ++i) {
      offsets[perm[i]] = batch[i];
      sizes[perm[i]] = b.getIndexAttr(1);
    }
    offsets[perm[batchRank]] = row0;
    sizes[perm[batchRank]] = b.getIndexAttr(rows);
    offsets[perm[batchRank + 1]] = col0;
    sizes[perm[batchRank + 1]] = b.getIndexAttr(cols);
    bool transposed = perm[batchRank] > perm[batchRank + 1];
    auto sliceType = RankedTensorType::get(
        transposed ? SmallVector<int64_t>{cols, rows}
                   : SmallVector<int64_t>{rows, cols},
        getElementTypeOrSelf(source.getType()));
    return {tensor::ExtractSliceOp::create(b, loc, sliceType, source, offsets,
                                           sizes, strides),
            transposed};
  }

  /// The tile of a bias or mask that broadcasts to the scores
  /// [batch..., Lq, Lk], for the queries at `q0` and keys at `k0`, with
  /// the broadcast dims dropped; `map` receives its indexing in the loops
  /// (key, query) of a transposed score tile.
  Value readBroadcastTile(Value source, ValueRange batch, Value q0,
                          int64_t queries, Value k0, int64_t keys,
                          bool keysFirst, AffineMap &map) {
    auto type = cast<RankedTensorType>(source.getType());
    int64_t rank = type.getRank(), lead = batchRank + 2 - rank;
    SmallVector<OpFoldResult> offsets, sizes,
        strides(rank, b.getIndexAttr(1));
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < rank; ++j) {
      int64_t i = j + lead, size = type.getDimSize(j);
      if (size == 1) {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(b.getIndexAttr(1));
        continue;
      }
      if (i < batchRank) {
        offsets.push_back(batch[i]);
        sizes.push_back(b.getIndexAttr(1));
      } else {
        bool query = (i == batchRank) != keysFirst;
        offsets.push_back(query ? q0 : k0);
        sizes.push_back(b.getIndexAttr(query ? queries : keys));
        kept.push_back(query ? queries : keys);
        exprs.push_back(b.getAffineDimExpr(query ? 1 : 0));
      }
    }
    map = AffineMap::get(2, 0, exprs, b.getContext());
    auto sliceType = RankedTensorType::get(kept, type.getElementType());
    return tensor::ExtractSliceOp::create(b, loc, sliceType, source, offsets,
                                          sizes, strides);
  }

  Value empty(ArrayRef<int64_t> shape) {
    return tensor::EmptyOp::create(b, loc, shape, f32);
  }

  Value filled(ArrayRef<int64_t> shape, double value) {
    Value scalar = createScalarConstant(b, loc, f32, value);
    return linalg::FillOp::create(b, loc, scalar, empty(shape)).getResult(0);
  }

  /// `t` as a `rows` x `cols` tensor, copied transposed when it lies the
  /// other way.
  Value asRowMajor(Tile t, int64_t rows, int64_t cols) {
    if (!t.transposed)
      return t.value;
    return linalg::TransposeOp::create(b, loc, t.value, empty({rows, cols}),
                                       ArrayRef<int64_t>{1, 0})
        .getResult()[0];
  }

  /// A linalg.generic over two loops with the given inputs and init, their
  /// indexing maps and iterator types.
  Value generic(ValueRange inputs, ArrayRef<AffineMap> maps, Value init,
                AffineMap initMap, ArrayRef<utils::IteratorType> iterators,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    SmallVector<AffineMap> allMaps(maps);
    allMaps.push_back(initMap);
    return linalg::GenericOp::create(
               b, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
               allMaps, iterators,
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
               })
        .getResult(0);
  }

  /// C[m, n] += sum_k A[m, k] B[k, n], with A given as a tile that may lie
  /// transposed ([k, m]) and B as [k, n]: a linalg.matmul (with indexing
  /// maps for a transposed A), which the CPU code generation turns into
  /// register tiles vectorized along n.
  Value contract(Tile a, Value bMatrix, Value acc) {
    SmallVector<NamedAttribute> attrs;
    if (a.transposed) {
      AffineExpr m = b.getAffineDimExpr(0), n = b.getAffineDimExpr(1),
                 k = b.getAffineDimExpr(2);
      MLIRContext *ctx = b.getContext();
      attrs.push_back(b.getNamedAttr(
          "indexing_maps",
          b.getAffineMapArrayAttr({AffineMap::get(3, 0, {k, m}, ctx),
                                   AffineMap::get(3, 0, {k, n}, ctx),
                                   AffineMap::get(3, 0, {m, n}, ctx)})));
    }
    return linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                    ValueRange{a.value, bMatrix},
                                    ValueRange{acc}, attrs)
        .getResult(0);
  }

  AffineMap map2(ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(2, 0, exprs, b.getContext());
  }

  OpBuilder &b;
  Location loc;
  int64_t batchRank;
  Type f32;
};

/// A bool mask that is a constant, as i8 (0 or 1) with its last two dims
/// swapped (keys before queries, the order of the transposed score
/// tiles): the CPU code generation vectorizes bytes along the queries but
/// leaves i1 tensors scalar. Null otherwise.
Value maskAsBytes(OpBuilder &b, Location loc, Value mask) {
  DenseElementsAttr values;
  auto type = cast<RankedTensorType>(mask.getType());
  if (type.getRank() < 2 || !matchPattern(mask, m_Constant(&values)))
    return nullptr;
  SmallVector<int64_t> shape(type.getShape());
  int64_t rank = shape.size(), rows = shape[rank - 2], cols = shape[rank - 1];
  std::swap(shape[rank - 2], shape[rank - 1]);
  SmallVector<bool> flags(values.getValues<bool>());
  SmallVector<int8_t> bytes(flags.size());
  for (int64_t base = 0; base < int64_t(flags.size()); base += rows * cols)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        bytes[base + c * rows + r] = flags[base + r * cols + c] ? 1 : 0;
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, b.getI8Type()),
                             ArrayRef<int8_t>(bytes)));
}

struct AttentionLowering : OpConversionPattern<graph::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto outType = cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShape(rewriter, op, outType)))
      return failure();
    if (!outType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "attention is lowered for f32");
    Location loc = op.getLoc();
    SmallVector<int64_t> qShape = op.getLogicalShape(0),
                         kShape = op.getLogicalShape(1),
                         vShape = op.getLogicalShape(2);
    int64_t rank = qShape.size(), batchRank = rank - 2;
    int64_t lq = qShape[rank - 2], d = qShape[rank - 1];
    int64_t lk = kShape[rank - 1], dv = vShape[rank - 1];
    SmallVector<int64_t> batchSizes(qShape.begin(), qShape.end() - 2);
    int64_t batchCount = 1;
    for (int64_t s : batchSizes)
      batchCount *= s;
    int64_t qBlock = chooseBlock(lq, 32), kBlock = chooseBlock(lk, 64);
    SmallVector<int64_t> qPerm = permOrIdentity(op.getQPerm(), rank),
                         kPerm = permOrIdentity(op.getKPerm(), rank),
                         vPerm = permOrIdentity(op.getVPerm(), rank),
                         outPerm = permOrIdentity(op.getOutPerm(), rank);
    Value q = adaptor.getQ(), k = adaptor.getK(), v = adaptor.getV();
    Value bias = graph::isNone(op.getBias()) ? Value() : adaptor.getBias();
    Value mask;
    bool maskKeysFirst = false;
    if (!graph::isNone(op.getMask())) {
      mask = maskAsBytes(rewriter, loc, adaptor.getMask());
      maskKeysFirst = mask != nullptr;
      if (!mask)
        mask = adaptor.getMask();
    }
    float scale = op.getScale().convertToFloat();
    float maskValue = op.getMaskValue().convertToFloat();

    Value result = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                           outType.getElementType());
    auto forall = scf::ForallOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batchCount),
                               rewriter.getIndexAttr(lq / qBlock)},
        ValueRange{result}, std::nullopt);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getBody()->getTerminator());
    AttentionBuilder ab(rewriter, loc, batchRank);
    OpBuilder &b = rewriter;
    using utils::IteratorType;
    const IteratorType par = IteratorType::parallel,
                       red = IteratorType::reduction;

    // The batch position of this workgroup, from its linear index.
    Value linear = forall.getInductionVar(0);
    SmallVector<Value> batch(batchRank);
    for (int64_t i = batchRank - 1; i >= 0; --i) {
      Value size = arith::ConstantIndexOp::create(b, loc, batchSizes[i]);
      batch[i] = arith::RemUIOp::create(b, loc, linear, size);
      linear = arith::DivUIOp::create(b, loc, linear, size);
    }
    Value q0 = arith::MulIOp::create(
        b, loc, forall.getInductionVar(1),
        arith::ConstantIndexOp::create(b, loc, qBlock));
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    // The queries as D x QB: every per-query quantity below is a row of QB
    // values, so that vectors run along the queries.
    Tile qTile = ab.readTile(q, qPerm, batch, q0, qBlock, b.getIndexAttr(0), d);
    Value queriesT = ab.asRowMajor({qTile.value, !qTile.transposed}, d, qBlock);

    double negInf = -std::numeric_limits<double>::infinity();
    Value m0 = ab.filled({qBlock}, negInf);
    Value l0 = ab.filled({qBlock}, 0.0);
    Value acc0 = ab.filled({dv, qBlock}, 0.0);
    auto loop = scf::ForOp::create(
        b, loc, zero, arith::ConstantIndexOp::create(b, loc, lk),
        arith::ConstantIndexOp::create(b, loc, kBlock),
        ValueRange{m0, l0, acc0},
        [&](OpBuilder &lb, Location lloc, Value k0, ValueRange state) {
          AttentionBuilder in(lb, lloc, batchRank);
          Value m = state[0], l = state[1], acc = state[2];
          // K' is D x Lk: its tile read as keys x D is the transpose.
          Tile kTile = in.readTile(k, kPerm, batch, lb.getIndexAttr(0), d,
                                   k0, kBlock);
          kTile.transposed = !kTile.transposed;
          Tile vTile = in.readTile(v, vPerm, batch, k0, kBlock,
                                   lb.getIndexAttr(0), dv);
          // Scores, transposed: KB x QB.
          Value scores =
              in.contract(kTile, queriesT, in.filled({kBlock, qBlock}, 0.0));

          // Scale, bias, mask.
          SmallVector<Value> inputs = {scores};
          SmallVector<AffineMap> maps = {in.map2({0, 1})};
          for (auto [extra, keysFirst] :
               {std::pair(bias, false), std::pair(mask, maskKeysFirst)}) {
            if (!extra)
              continue;
            AffineMap map;
            inputs.push_back(in.readBroadcastTile(extra, batch, q0, qBlock,
                                                  k0, kBlock, keysFirst, map));
            maps.push_back(map);
          }
          Value adjusted = in.generic(
              inputs, maps, in.empty({kBlock, qBlock}), in.map2({0, 1}),
              {par, par},
              [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                Value s = args[0];
                if (scale != 1.0f)
                  s = arith::MulFOp::create(
                      nb, nloc, s,
                      createScalarConstant(nb, nloc, in.f32, scale));
                unsigned next = 1;
                if (bias)
                  s = arith::AddFOp::create(nb, nloc, s, args[next++]);
                if (mask) {
                  Value flag = args[next++];
                  if (!flag.getType().isInteger(1))
                    flag = arith::CmpIOp::create(
                        nb, nloc, arith::CmpIPredicate::ne, flag,
                        arith::ConstantOp::create(
                            nb, nloc, nb.getIntegerAttr(flag.getType(), 0)));
                  s = arith::SelectOp::create(
                      nb, nloc, flag,
                      createScalarConstant(nb, nloc, in.f32, maskValue), s);
                }
                return s;
              });

          // The online softmax step, over the keys (loop 0).
          Value newMax = in.generic(
              {adjusted}, {in.map2({0, 1})}, m, in.map2({1}), {red, par},
              [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                return arith::MaximumFOp::create(nb, nloc, args[0], args[1]);
              });
          auto expOfDifference = [&](OpBuilder &nb, Location nloc, Value x,
                                     Value max) -> Value {
            // A query whose keys are all masked so far has max -inf: its
            // terms are 0 rather than exp(-inf - -inf).
            Value ninf = createScalarConstant(nb, nloc, in.f32, negInf);
            Value none = arith::CmpFOp::create(
                nb, nloc, arith::CmpFPredicate::OEQ, max, ninf);
            Value e = math::ExpOp::create(
                nb, nloc, arith::SubFOp::create(nb, nloc, x, max));
            return arith::SelectOp::create(
                nb, nloc, none, createScalarConstant(nb, nloc, in.f32, 0.0), e);
          };
          Value probs = in.generic(
              {adjusted, newMax}, {in.map2({0, 1}), in.map2({1})},
              in.empty({kBlock, qBlock}), in.map2({0, 1}), {par, par},
              [&](OpBuilder &nb, Location nloc, ValueRange args) {
                return expOfDifference(nb, nloc, args[0], args[1]);
              });
          AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, lb.getContext());
          auto generic1 =
              [&](ValueRange ins,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
                return linalg::GenericOp::create(
                           lb, lloc, TypeRange{RankedTensorType::get({qBlock}, in.f32)},
                           ins, ValueRange{in.empty({qBlock})},
                           SmallVector<AffineMap>(ins.size() + 1, id1),
                           ArrayRef<IteratorType>{par},
                           [&](OpBuilder &nb, Location nloc, ValueRange args) {
                             linalg::YieldOp::create(nb, nloc,
                                                     body(nb, nloc, args));
                           })
                    .getResult(0);
              };
          Value correction =
              generic1({m, newMax}, [&](OpBuilder &nb, Location nloc,
                                        ValueRange args) {
                return expOfDifference(nb, nloc, args[0], args[1]);
              });
          Value scaledSum = generic1(
              {l, correction},
              [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                return arith::MulFOp::create(nb, nloc, args[0], args[1]);
              });
          Value newSum = in.generic(
              {probs}, {in.map2({0, 1})}, scaledSum, in.map2({1}), {red, par},
              [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                return arith::AddFOp::create(nb, nloc, args[0], args[1]);
              });
          Value scaledAcc = in.generic(
              {acc, correction}, {in.map2({0, 1}), in.map2({1})},
              in.empty({dv, qBlock}), in.map2({0, 1}), {par, par},
              [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                return arith::MulFOp::create(nb, nloc, args[0], args[1]);
              });
          // acc (Dv x QB) += V_blk^T P^T: V's tile is KB x Dv, the
          // transposed A operand.
          Value newAcc = in.contract({vTile.value, !vTile.transposed}, probs,
                                     scaledAcc);
          scf::YieldOp::create(lb, lloc, ValueRange{newMax, newSum, newAcc});
        });

    // Y'^T = acc / l, Dv x QB.
    Value tileT = ab.generic(
        {loop.getResult(2), loop.getResult(1)},
        {ab.map2({0, 1}), ab.map2({1})}, ab.empty({dv, qBlock}),
        ab.map2({0, 1}), {par, par},
        [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return arith::DivFOp::create(nb, nloc, args[0], args[1]);
        });

    // Y' [batch..., q0 : q0 + QB, 0 : Dv] into the result, Y = Y' permuted by
    // out_perm (result dim i is Y' dim outPerm[i]).
    SmallVector<OpFoldResult> offsets(rank), sizes(rank),
        strides(rank, b.getIndexAttr(1));
    int64_t rowDim = 0, colDim = 0;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t logical = outPerm[i];
      if (logical < batchRank) {
        offsets[i] = batch[logical];
        sizes[i] = b.getIndexAttr(1);
      } else if (logical == batchRank) {
        offsets[i] = q0;
        sizes[i] = b.getIndexAttr(qBlock);
        rowDim = i;
      } else {
        offsets[i] = b.getIndexAttr(0);
        sizes[i] = b.getIndexAttr(dv);
        colDim = i;
      }
    }
    // The result holds queries before features unless out_perm swaps them.
    Value tile = ab.asRowMajor({tileT, rowDim < colDim},
                               rowDim < colDim ? qBlock : dv,
                               rowDim < colDim ? dv : qBlock);
    rewriter.setInsertionPointToEnd(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(b, loc, tile,
                                          forall.getRegionIterArgs()[0],
                                          offsets, sizes, strides);
    rewriter.replaceOp(op, forall.getResult(0));
    return success();
  }
};

} // namespace

void populateGraphAttentionToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<AttentionLowering>(converter, patterns.getContext());
}

} // namespace kiln
