//===- OnnxImporter.h - ONNX models to the graph dialect --------*- C++ -*-===//
//
// Turns an ONNX ModelProto into a module holding one `func.func @main` of
// graph ops. Every op carries the location of its ONNX node, so that any
// error, and later any kernel, names the node it came from.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_IMPORT_ONNXIMPORTER_H
#define KILN_COMPILER_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace kiln {

struct ImportOptions {
  /// Static shapes for inputs, by name (`--input-shape=NAME:D0xD1`). They
  /// replace the declared dims, which must agree where they are static.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// The most bytes of tensor data (initializers, constants and external
  /// data together) a model may declare, checked before each tensor is
  /// read; also the most bytes one input's declared type may take.
  uint64_t maxTensorBytes = uint64_t(16) << 30;
};

/// The newest ONNX opset of the default domain the importer knows.
constexpr int64_t kMaxSupportedOpset = 17;

/// Imports the model in file `path`. Emits diagnostics (one error, at the
/// location of the node at fault where there is one) and returns null on
/// failure. External data is resolved relative to the model's folder.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelFile(llvm::StringRef path, const ImportOptions &options,
                    mlir::MLIRContext *context);

/// Imports a serialized ModelProto held in memory. `modelDir` resolves
/// external data (empty: external data is refused); `displayName` names the
/// model in messages.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelBytes(llvm::StringRef bytes, llvm::StringRef modelDir,
                     llvm::StringRef displayName, const ImportOptions &options,
                     mlir::MLIRContext *context);

/// Registers what the importer's output needs in `context`.
void loadImporterDialects(mlir::MLIRContext &context);

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_ONNXIMPORTER_H
