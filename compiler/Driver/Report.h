//===- Report.h - The dispatch report of a compilation ----------*- C++ -*-===//
//
// `kiln-compile --report=FILE.json` (or `.md`): one row per dispatch with
// the ONNX nodes fused into it, its root op, its arithmetic and the bytes
// its bindings move, and the arena size of the plan.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_DRIVER_REPORT_H
#define KILN_COMPILER_DRIVER_REPORT_H

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct DispatchReport {
  std::string name;
  std::vector<std::string> onnxNodes;
  std::string root;
  /// Arithmetic operations: loop iterations times scalar ops per iteration
  /// (a multiply-add counts two), summed over the dispatch's linalg ops.
  int64_t flops = 0;
  /// Bytes of the dispatch's inputs and outputs.
  int64_t bytes = 0;
};

struct CompilationReport {
  std::vector<DispatchReport> dispatches;
  std::vector<std::string> targets;
  int64_t arenaBytes = -1;
};

/// Describes every kernel of the nested `@kernels` module of `module`
/// (after the dispatch stage).
std::vector<DispatchReport> describeDispatches(mlir::ModuleOp module);

/// Writes `report` as JSON, or as a Markdown table when `path` ends in
/// ".md". Emits an error at `loc` and fails when it cannot write.
mlir::LogicalResult writeReport(const CompilationReport &report,
                                llvm::StringRef path, mlir::Location loc);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_REPORT_H
