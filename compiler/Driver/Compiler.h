//===- Compiler.h - The whole compilation, stage by stage -------*- C++ -*-===//
//
// Runs the stages of the compiler on an imported module: graph, dispatch,
// codegen per target, exec, artifact. kiln-compile is a thin shell around
// it; tests and fuzzers call it directly.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_DRIVER_COMPILER_H
#define KILN_COMPILER_DRIVER_COMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <functional>
#include <string>
#include <vector>

namespace kiln {

enum class Stage { Graph, Dispatch, Codegen, Exec, Artifact };

struct CompileOptions {
  /// The last stage to run.
  Stage stage = Stage::Artifact;
  /// Targets to compile for, by registered name.
  std::vector<std::string> targets = {"cpu"};
  /// Where `--dump-ir` writes every stage as numbered files; empty: nowhere.
  std::string dumpDir;
  /// Where `--report` writes the dispatch report (JSON, or Markdown for a
  /// `.md` path); empty: no report.
  std::string reportPath;
  /// The most bytes any one tensor value, and the planned arena, may take
  /// (`--max-tensor-bytes`, which also caps the importer's tensor data).
  uint64_t maxTensorBytes = uint64_t(16) << 30;
  /// Applies the MLIR pass manager command-line options (IR printing,
  /// timing) to each pass manager the compiler creates.
  std::function<mlir::LogicalResult(mlir::PassManager &)> configurePassManager;
};

struct CompileResult {
  /// The IR of the last stage, for stages before the artifact.
  std::string ir;
  /// The `.kiln` file, for the artifact stage.
  std::vector<uint8_t> artifact;
};

/// Fails with an error at the op (or the block) that defines it when a
/// value of `module` has a static tensor type of more than `maxBytes`
/// bytes. Run after the graph stage, when every shape is known, so that a
/// model whose shapes grow past the limit stops before anything is
/// planned or compiled for them.
mlir::LogicalResult checkTensorSizes(mlir::ModuleOp module, uint64_t maxBytes);

/// Compiles `module` (as imported) up to `options.stage`. Emits errors as
/// diagnostics and fails on the first one.
mlir::LogicalResult compile(mlir::ModuleOp module, const CompileOptions &options,
                            CompileResult &result);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_COMPILER_H
