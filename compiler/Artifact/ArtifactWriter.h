//===- ArtifactWriter.h - The .kiln file from a planned program -*- C++ -*-===//

#ifndef KILN_COMPILER_ARTIFACT_ARTIFACTWRITER_H
#define KILN_COMPILER_ARTIFACT_ARTIFACTWRITER_H

#include "compiler/Target/TargetBackend.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace kiln {

/// What the artifact records of each dispatch for profiles and reports.
struct DispatchInfo {
  std::string name;
  std::vector<std::string> onnxNodes;
};

/// Serializes the program `@main` of `module` (an `exec.program`), its
/// constants, the dispatch table and every target's binaries into a
/// `.kiln` file: the 64-byte header, then the flatbuffer.
mlir::FailureOr<std::vector<uint8_t>>
writeArtifact(mlir::ModuleOp module, llvm::ArrayRef<DispatchInfo> dispatches,
              llvm::ArrayRef<ExecutableBinary> binaries,
              llvm::StringRef producer);

} // namespace kiln

#endif // KILN_COMPILER_ARTIFACT_ARTIFACTWRITER_H
