//===- PackedWeights.h - Contractions over packed weights -------*- C++ -*-===//
//
// Constant weights packed at compile time into panels of P consecutive
// output channels, channels innermost:
// - a full convolution (NCHW input, FCHW weights; dispatch-pack-conv-
//   weights) is a linalg.generic with the loops of
//   linalg.conv_2d_nchw_fchw (n, f, oh, ow, c, kh, kw) that reads its
//   weights as `packed[f floordiv P, c, kh, kw, f mod P]`;
// - a matmul (dispatch-pack-matmul-weights) is a linalg.generic with the
//   loops of linalg.matmul (m, n, k) that reads B as
//   `packed[n floordiv P, k, n mod P]`.
// The dispatch stage builds them; the workgroup tiling and the CPU's
// kernels recognize them here. In both, loop 1 runs along the panels, and
// tiles along it must be whole panels for slices of the packed weights to
// be right.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CODEGEN_PACKEDWEIGHTS_H
#define KILN_COMPILER_CODEGEN_PACKEDWEIGHTS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"

#include <optional>

namespace kiln {

/// What a packed convolution's indexing says: its panel width, strides and
/// dilations (along rows, then columns).
struct PackedConv {
  int64_t panel = 0;
  std::array<int64_t, 2> strides = {1, 1}, dilations = {1, 1};
};

/// The indexing maps of a packed convolution (input, packed weights,
/// output) over the loops n, f, oh, ow, c, kh, kw.
inline llvm::SmallVector<mlir::AffineMap>
getPackedConvMaps(mlir::MLIRContext *ctx, const PackedConv &conv) {
  auto d = [&](unsigned i) { return mlir::getAffineDimExpr(i, ctx); };
  return {mlir::AffineMap::get(
              7, 0,
              {d(0), d(4), d(2) * conv.strides[0] + d(5) * conv.dilations[0],
               d(3) * conv.strides[1] + d(6) * conv.dilations[1]},
              ctx),
          mlir::AffineMap::get(
              7, 0,
              {d(1).floorDiv(conv.panel), d(4), d(5), d(6), d(1) % conv.panel},
              ctx),
          mlir::AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)};
}

/// Whether `generic` (two inputs, one init) computes `out + in * w`, in
/// either order of each operation.
inline bool isMultiplyAccumulate(mlir::linalg::GenericOp generic) {
  using namespace mlir;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(body.front());
  auto add = dyn_cast<arith::AddFOp>(*std::next(body.begin()));
  auto yield = dyn_cast<linalg::YieldOp>(body.back());
  if (!mul || !add || !yield || yield.getValues().size() != 1 ||
      yield.getValues()[0] != add.getResult())
    return false;
  Value in = body.getArgument(0), w = body.getArgument(1),
        out = body.getArgument(2);
  bool mulOk = (mul.getLhs() == in && mul.getRhs() == w) ||
               (mul.getLhs() == w && mul.getRhs() == in);
  bool addOk = (add.getLhs() == out && add.getRhs() == mul.getResult()) ||
               (add.getLhs() == mul.getResult() && add.getRhs() == out);
  return mulOk && addOk;
}

/// `op` as the generic op of a packed contraction, before its maps are
/// checked: two inputs and one init, all of one float element type, on
/// tensors; `parallel` parallel loops, then `reductions` reduction loops;
/// packed weights (input 1) of rank `weightsRank` whose innermost
/// dimension, the panel, is static. Null for anything else.
inline mlir::linalg::GenericOp matchPackedGeneric(mlir::linalg::LinalgOp op,
                                                  unsigned parallel,
                                                  unsigned reductions,
                                                  int64_t weightsRank) {
  using namespace mlir;
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != parallel + reductions ||
      !generic.hasPureTensorSemantics())
    return nullptr;
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  for (unsigned i = 0; i < iterators.size(); ++i)
    if (iterators[i] != (i < parallel ? utils::IteratorType::parallel
                                      : utils::IteratorType::reduction))
      return nullptr;
  auto weights = dyn_cast<RankedTensorType>(generic.getInputs()[1].getType());
  if (!weights || weights.getRank() != weightsRank ||
      ShapedType::isDynamic(weights.getDimSize(weightsRank - 1)) ||
      weights.getDimSize(weightsRank - 1) < 1)
    return nullptr;
  Type elt = weights.getElementType();
  if (!isa<FloatType>(elt) ||
      llvm::any_of(generic->getOperandTypes(),
                   [&](Type t) { return getElementTypeOrSelf(t) != elt; }))
    return nullptr;
  return generic;
}

/// `op` as a packed convolution: a linalg.generic on float tensors with the
/// maps of getPackedConvMaps, parallel loops n, f, oh, ow, reduction loops
/// c, kh, kw, and a multiply-accumulate body. nullopt for anything else.
inline std::optional<PackedConv> matchPackedConv(mlir::linalg::LinalgOp op) {
  using namespace mlir;
  auto generic = matchPackedGeneric(op, /*parallel=*/4, /*reductions=*/3,
                                    /*weightsRank=*/5);
  if (!generic)
    return std::nullopt;
  auto weights = cast<RankedTensorType>(generic.getInputs()[1].getType());
  // Strides and dilations: the coefficients of the input's row and column
  // expressions; the maps must then be exactly the packed ones.
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (maps[0].getNumResults() != 4)
    return std::nullopt;
  MLIRContext *ctx = generic.getContext();
  auto coefficient = [&](AffineExpr expr, unsigned dim) -> int64_t {
    SmallVector<AffineExpr> dims(7, getAffineConstantExpr(0, ctx));
    dims[dim] = getAffineConstantExpr(1, ctx);
    auto value =
        dyn_cast<AffineConstantExpr>(expr.replaceDimsAndSymbols(dims, {}));
    return value ? value.getValue() : 0;
  };
  PackedConv conv;
  conv.panel = weights.getDimSize(4);
  conv.strides = {coefficient(maps[0].getResult(2), 2),
                  coefficient(maps[0].getResult(3), 3)};
  conv.dilations = {coefficient(maps[0].getResult(2), 5),
                    coefficient(maps[0].getResult(3), 6)};
  if (conv.panel <= 0 || conv.strides[0] <= 0 || conv.strides[1] <= 0 ||
      conv.dilations[0] <= 0 || conv.dilations[1] <= 0 ||
      maps != getPackedConvMaps(ctx, conv))
    return std::nullopt;
  if (!isMultiplyAccumulate(generic))
    return std::nullopt;
  return conv;
}

/// The indexing maps of a packed matmul (A, packed B, C) over the loops
/// m, n, k, for panels of `panel` columns.
inline llvm::SmallVector<mlir::AffineMap>
getPackedMatmulMaps(mlir::MLIRContext *ctx, int64_t panel) {
  auto d = [&](unsigned i) { return mlir::getAffineDimExpr(i, ctx); };
  return {mlir::AffineMap::get(3, 0, {d(0), d(2)}, ctx),
          mlir::AffineMap::get(3, 0, {d(1).floorDiv(panel), d(2), d(1) % panel},
                               ctx),
          mlir::AffineMap::get(3, 0, {d(0), d(1)}, ctx)};
}

/// The panel width of `op` as a packed matmul: a linalg.generic on float
/// tensors with the maps of getPackedMatmulMaps, loops m, n parallel and
/// k a reduction, and a multiply-accumulate body. nullopt for anything
/// else.
inline std::optional<int64_t> matchPackedMatmul(mlir::linalg::LinalgOp op) {
  using namespace mlir;
  auto generic = matchPackedGeneric(op, /*parallel=*/2, /*reductions=*/1,
                                    /*weightsRank=*/3);
  if (!generic)
    return std::nullopt;
  auto packed = cast<RankedTensorType>(generic.getInputs()[1].getType());
  int64_t panel = packed.getDimSize(2);
  if (generic.getIndexingMapsArray() !=
          getPackedMatmulMaps(generic.getContext(), panel) ||
      !isMultiplyAccumulate(generic))
    return std::nullopt;
  return panel;
}

/// The panel width of `op` where it reads packed weights (a packed
/// convolution or matmul), along its loop 1; nullopt otherwise.
inline std::optional<int64_t> getPackedPanel(mlir::linalg::LinalgOp op) {
  if (std::optional<PackedConv> conv = matchPackedConv(op))
    return conv->panel;
  return matchPackedMatmul(op);
}

} // namespace kiln

#endif // KILN_COMPILER_CODEGEN_PACKEDWEIGHTS_H
