//===- Passes.h - Exec dialect passes ---------------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_H
#define KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_H

#include "dialects/Exec/IR/ExecDialect.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>
#include <vector>

namespace kiln::exec {

#define GEN_PASS_DECL
#include "dialects/Exec/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Exec/Transforms/Passes.h.inc"

/// One buffer to place: `size` bytes live from step `first` to step `last`
/// (inclusive).
struct LiveRange {
  int64_t size;
  int64_t first;
  int64_t last;
};

/// Places every range at a 64-byte aligned offset so that ranges whose
/// lifetimes overlap never share a byte. Greedy best fit, largest first.
/// Returns the offsets (indexed like `ranges`) and sets `arenaSize`.
std::vector<int64_t> planArena(const std::vector<LiveRange> &ranges,
                               int64_t &arenaSize);

} // namespace kiln::exec

#endif // KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_H
