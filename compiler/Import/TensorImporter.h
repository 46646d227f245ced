//===- TensorImporter.h - ONNX TensorProto to elements ----------*- C++ -*-===//

#ifndef KILN_COMPILER_IMPORT_TENSORIMPORTER_H
#define KILN_COMPILER_IMPORT_TENSORIMPORTER_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringRef.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace kiln {

/// Reads tensor data from every TensorProto storage form: the typed fields,
/// `raw_data`, and external files resolved relative to the model's folder.
/// Counts the bytes it reads against a budget, so that a model cannot make
/// the compiler allocate without bound.
class TensorImporter {
public:
  /// `modelDir` is the folder external data paths are relative to; empty
  /// means external data is refused. `budgetBytes` caps the total.
  TensorImporter(llvm::StringRef modelDir, uint64_t budgetBytes)
      : modelDir(modelDir.str()), budgetBytes(budgetBytes) {}

  /// The value of `tensor` as a dense elements attribute, or failure with an
  /// error at `loc` that names `what` ("initializer 'w'").
  mlir::FailureOr<mlir::ElementsAttr>
  importTensor(const onnx::TensorProto &tensor, mlir::MLIRContext *context,
               mlir::Location loc, llvm::StringRef what);

private:
  /// Reads [offset, offset + length) of external file `location` into `out`.
  mlir::LogicalResult readExternal(llvm::StringRef location, uint64_t offset,
                                   uint64_t length, std::string &out,
                                   mlir::Location loc, llvm::StringRef what);

  std::string modelDir;
  uint64_t budgetBytes;
  uint64_t usedBytes = 0;
};

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_TENSORIMPORTER_H
