//===- ContractionLoops.h - The loops of a matmul-shaped op -----*- C++ -*-===//
//
// Both code generators (the CPU's register tiles, the GPU's tiled
// contraction path) handle contractions with one m, one n and one k loop
// and any batch loops; this finds those loops once for both.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CODEGEN_CONTRACTIONLOOPS_H
#define KILN_COMPILER_CODEGEN_CONTRACTIONLOOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

#include <optional>

namespace kiln {

/// The loops of a contraction: one m, one n and one k loop, any number of
/// batch loops.
struct ContractionLoops {
  llvm::SmallVector<unsigned> batch;
  unsigned m = 0, n = 0, k = 0;
};

/// The loops of `op` when it is a contraction (a multiply-accumulate body)
/// with exactly one m, n and k loop; nullopt otherwise.
inline std::optional<ContractionLoops>
getContractionLoops(mlir::linalg::LinalgOp op) {
  if (!mlir::linalg::isaContractionOpInterface(op))
    return std::nullopt;
  mlir::FailureOr<mlir::linalg::ContractionDimensions> dims =
      mlir::linalg::inferContractionDims(op);
  if (mlir::failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  ContractionLoops loops;
  loops.batch.assign(dims->batch.begin(), dims->batch.end());
  loops.m = dims->m[0];
  loops.n = dims->n[0];
  loops.k = dims->k[0];
  return loops;
}

} // namespace kiln

#endif // KILN_COMPILER_CODEGEN_CONTRACTIONLOOPS_H
