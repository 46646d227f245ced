//===- Diagnostics.h - One-line diagnostics for users -----------*- C++ -*-===//
//
// Kiln's tools print each diagnostic as one line that names the ONNX node
// it is about: `error: node 'conv1' (Conv): ...`. Only the first error is
// printed; later ones are usually consequences of it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_DRIVER_DIAGNOSTICS_H
#define KILN_COMPILER_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace kiln {

/// The ONNX node a location comes from, when it has one.
struct OnnxNodeRef {
  std::string name;
  std::string opType;
};

/// Finds the first ONNX node location (`loc("name"("OpType"))`) inside
/// `loc`, looking through fused and call-site locations.
std::optional<OnnxNodeRef> findOnnxNode(mlir::Location loc);

/// Every ONNX node named in `loc`, in order, without duplicates.
void collectOnnxNodes(mlir::Location loc,
                      llvm::SmallVectorImpl<OnnxNodeRef> &nodes);

/// Formats `diag` as the one line Kiln's tools print, without the
/// "error: " prefix.
std::string formatDiagnostic(mlir::Diagnostic &diag);

/// Prints diagnostics to `os` in Kiln's one-line form for as long as it
/// lives: the first error, every warning, no notes.
class UserDiagnosticHandler {
public:
  UserDiagnosticHandler(mlir::MLIRContext *context, llvm::raw_ostream &os);
  ~UserDiagnosticHandler();

  bool hadError() const { return errors > 0; }

private:
  mlir::MLIRContext *context;
  llvm::raw_ostream &os;
  mlir::DiagnosticEngine::HandlerID id;
  unsigned errors = 0;
};

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_DIAGNOSTICS_H
