//===- FoldIntoReads.h - Producers a GPU kernel computes on read -*- C++ -*-===//
//
// Rewrites, on a bound kernel's tensors, that remove producers whose
// results a GPU would otherwise keep in temporaries: padding, and data
// movement in front of a contraction, become part of how the consumer
// reads its operand.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGETS_GPUCOMMON_FOLDINTOREADS_H
#define KILN_TARGETS_GPUCOMMON_FOLDINTOREADS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln::gpu {

/// Rewrites every structured op of `func` that reads a `tensor.pad` with a
/// constant padding value into a `linalg.generic` that reads the pad's
/// source itself, checking each position against the source's bounds and
/// taking the padding value outside them. Dead pads go.
void foldPaddingIntoReads(mlir::RewriterBase &rewriter, mlir::func::FuncOp func);

/// Folds producers of `contraction`'s operands that only move data (a
/// transposition, a broadcast: one input, all loops parallel, a body that
/// yields its input, written through a permutation) into the
/// contraction's indexing maps, so that it reads their sources directly.
/// Returns the contraction, generalized when anything was folded.
mlir::linalg::LinalgOp
foldDataMovementIntoOperands(mlir::RewriterBase &rewriter,
                             mlir::linalg::LinalgOp contraction);

} // namespace kiln::gpu

#endif // KILN_TARGETS_GPUCOMMON_FOLDINTOREADS_H
