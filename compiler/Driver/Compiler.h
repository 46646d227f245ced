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

/// Compiles `module` (as imported) up to `options.stage`. Emits errors as
/// diagnostics and fails on the first one.
mlir::LogicalResult compile(mlir::ModuleOp module, const CompileOptions &options,
                            CompileResult &result);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_COMPILER_H
