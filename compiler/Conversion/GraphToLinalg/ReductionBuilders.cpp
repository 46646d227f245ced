//===- ReductionBuilders.cpp - Shared reduction builders ------------------===//
//
// The structured reduction and keepdims reshape of ReductionBuilders.h.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/GraphToLinalg/ReductionBuilders.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {

std::optional<SmallVector<bool>> getReducedDims(int64_t rank,
                                                ArrayRef<int64_t> axes) {
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    if (axis < -rank || axis >= rank)
      return std::nullopt;
    reduced[axis < 0 ? axis + rank : axis] = true;
  }
  return reduced;
}

Value createReduction(OpBuilder &b, Location loc, Value input,
                      ValueRange keptInputs, ArrayRef<bool> reduced, Value init,
                      ReductionBodyBuilder body) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  int64_t numKept = llvm::count(reduced, false);
  SmallVector<AffineExpr> inputExprs, keptExprs;
  SmallVector<int64_t> keptShape;
  int64_t nextKept = 0, nextReduced = numKept;
  for (int64_t i = 0; i < rank; ++i) {
    if (reduced[i]) {
      inputExprs.push_back(getAffineDimExpr(nextReduced++, ctx));
      continue;
    }
    keptExprs.push_back(getAffineDimExpr(nextKept, ctx));
    inputExprs.push_back(getAffineDimExpr(nextKept++, ctx));
    keptShape.push_back(type.getDimSize(i));
  }
  AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, inputExprs, ctx)};
  SmallVector<Value> inputs = {input};
  for (Value kept : keptInputs) {
    inputs.push_back(kept);
    maps.push_back(keptMap);
  }
  maps.push_back(keptMap);
  SmallVector<utils::IteratorType> iterators(numKept,
                                             utils::IteratorType::parallel);
  iterators.append(rank - numKept, utils::IteratorType::reduction);

  auto resultType = RankedTensorType::get(keptShape, init.getType());
  Value empty = createEmptyTensor(b, loc, resultType);
  Value filled =
      linalg::FillOp::create(b, loc, ValueRange{init}, ValueRange{empty})
          .getResult(0);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, filled, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value expandReducedDims(OpBuilder &b, Location loc, Value kept,
                        ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(kept.getType());
  SmallVector<int64_t> shape;
  // Each reduced dim joins the group of the kept dim before it (the
  // first kept dim's group for leading ones).
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  int64_t next = 0;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    if (isReduced) {
      shape.push_back(1);
      if (groups.empty())
        leading.push_back(i);
      else
        groups.back().push_back(i);
      continue;
    }
    shape.push_back(type.getDimSize(next++));
    ReassociationIndices group = leading;
    leading.clear();
    group.push_back(i);
    groups.push_back(group);
  }
  auto expandedType = RankedTensorType::get(shape, type.getElementType());
  if (expandedType == type)
    return kept;
  return tensor::ExpandShapeOp::create(b, loc, expandedType, kept, groups);
}

int64_t getReducedCount(ArrayRef<int64_t> shape, ArrayRef<bool> reduced) {
  int64_t count = 1;
  for (auto [size, isReduced] : llvm::zip(shape, reduced))
    if (isReduced)
      count *= size;
  return count;
}

LogicalResult requireStaticOperands(ConversionPatternRewriter &rewriter,
                                    Operation *op) {
  auto check = [&](Type type) {
    return !isa<RankedTensorType>(type) ||
           succeeded(requireStaticShape(rewriter, op, type));
  };
  if (!llvm::all_of(op->getOperandTypes(), check) ||
      !llvm::all_of(op->getResultTypes(), check))
    return failure();
  return success();
}

} // namespace kiln
