//===- Contraction.h - The matmul-like ops of the GPU fast path -*- C++ -*-===//
//
// Shared by the pass that chooses a kernel's strategy (on tensors) and the
// one that generates its code (on buffers): which linalg ops the tiled
// contraction path computes, and the shape of its block tile.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGETS_GPUCOMMON_CONTRACTION_H
#define KILN_TARGETS_GPUCOMMON_CONTRACTION_H

#include "targets/GPUCommon/GPUTargetInfo.h"

#include "compiler/Codegen/ContractionLoops.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace kiln::gpu {


/// The loops of `op` when it is a contraction the fast path computes: a
/// multiply-accumulate body, operands indexed by projected permutations,
/// one result, and exactly one m, n and k loop.
std::optional<ContractionLoops> matchContraction(mlir::linalg::LinalgOp op);

/// Whether `op` is an elementwise epilogue the fast path can apply to the
/// accumulators of a contraction's result, which `op` reads through
/// `operand`: all loops parallel, one result, the contraction's result read
/// through a permutation and the output written through a permutation.
/// `operand` may be `op`'s destination: an epilogue that updates the
/// contraction's result in place (kiln-tile-workgroups makes those).
bool isEpilogueOf(mlir::linalg::GenericOp op, mlir::OpOperand &operand);

/// The block tile of a contraction kernel.
struct ContractionConfig {
  /// The block's tile of the m, n and k loops (k: one step of the shared
  /// memory loop).
  int64_t tileM = 0, tileN = 0, tileK = 0;
  /// One subgroup's part of the m x n tile.
  int64_t subgroupM = 0, subgroupN = 0;
  /// The matrix instruction, or kScalarIntrinsicName.
  std::string intrinsic;
  /// For the scalar path: outputs per thread along m and n.
  int64_t threadM = 0, threadN = 0;

  int64_t getNumSubgroups() const {
    return (tileM / subgroupM) * (tileN / subgroupN);
  }

  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;
  static std::optional<ContractionConfig> fromAttr(mlir::DictionaryAttr attr);
};

/// The m x n x k shape of one step of the scalar path's "instruction" for
/// a subgroup: lanes in a grid, each with threadM x threadN outputs.
void getScalarStepShape(int64_t subgroupSize, int64_t threadM,
                        int64_t threadN, int64_t &m, int64_t &n,
                        int64_t &lanesM, int64_t &lanesN);

} // namespace kiln::gpu

#endif // KILN_TARGETS_GPUCOMMON_CONTRACTION_H
