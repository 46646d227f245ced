//===- PackConstants.h - Replace constant operands by packed copies -*- C++ -*-===//
//
// The weight-packing passes (dispatch-pack-conv-weights,
// dispatch-pack-matmul-weights) share this walk: find the constants that
// structured ops of one kind read as one input, and replace each constant
// that no other op reads by a packed copy, each reader by a linalg.generic
// over the same loops that reads the copy.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_DISPATCH_TRANSFORMS_PACKCONSTANTS_H
#define KILN_DIALECTS_DISPATCH_TRANSFORMS_PACKCONSTANTS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"

namespace kiln::dispatch {

/// For every dense constant that ops of type `OpTy` (structured ops)
/// accepted by `accepts` read as their input `operand`: when every use of
/// the constant is such a read (the artifact then keeps one copy of it),
/// creates the constant `pack(value)` beside it, replaces each reader, in
/// program order, by a linalg.generic with the reader's loops, body and
/// other operands that reads the packed constant instead, through the
/// indexing maps `packedMaps(reader)`, and erases the original constant.
template <typename OpTy>
void packConstantOperands(
    mlir::func::FuncOp func, unsigned operand,
    llvm::function_ref<bool(OpTy)> accepts,
    llvm::function_ref<mlir::DenseElementsAttr(mlir::DenseElementsAttr)> pack,
    llvm::function_ref<llvm::SmallVector<mlir::AffineMap>(OpTy)>
        packedMaps) {
  using namespace mlir;
  llvm::MapVector<arith::ConstantOp, SmallVector<OpTy>> readers;
  func.walk([&](OpTy op) {
    auto cst = op->getOperand(operand).template getDefiningOp<arith::ConstantOp>();
    if (cst && isa<DenseElementsAttr>(cst.getValue()) && accepts(op))
      readers[cst].push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (auto &entry : readers) {
    arith::ConstantOp cst = entry.first;
    ArrayRef<OpTy> ops = entry.second;
    bool onlyPackedUses = llvm::all_of(cst->getUses(), [&](OpOperand &use) {
      auto op = dyn_cast<OpTy>(use.getOwner());
      return op && llvm::is_contained(ops, op) &&
             use.getOperandNumber() == operand &&
             llvm::count(op->getOperands(), cst.getResult()) == 1;
    });
    if (!onlyPackedUses)
      continue;
    DenseElementsAttr packedAttr = pack(cast<DenseElementsAttr>(cst.getValue()));
    rewriter.setInsertionPointAfter(cst);
    Value packed = arith::ConstantOp::create(rewriter, cst.getLoc(), packedAttr);
    for (OpTy op : ops) {
      SmallVector<Value> inputs(op.getDpsInputs());
      inputs[operand] = packed;
      rewriter.setInsertionPoint(op);
      auto generic = linalg::GenericOp::create(
          rewriter, op.getLoc(), op->getResultTypes(), inputs,
          op.getDpsInits(), packedMaps(op), op.getIteratorTypesArray());
      IRMapping mapping;
      rewriter.cloneRegionBefore(op->getRegion(0), generic.getRegion(),
                                 generic.getRegion().end(), mapping);
      rewriter.replaceOp(op, generic->getResults());
    }
    rewriter.eraseOp(cst);
  }
}

} // namespace kiln::dispatch

#endif // KILN_DIALECTS_DISPATCH_TRANSFORMS_PACKCONSTANTS_H
