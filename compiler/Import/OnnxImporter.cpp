//===- OnnxImporter.cpp - ONNX models to the graph dialect ----------------===//

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/GraphImporter.h"

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

using namespace mlir;

namespace kiln {

void loadImporterDialects(MLIRContext &context) {
  context.loadDialect<graph::GraphDialect, func::FuncDialect>();
}

OwningOpRef<ModuleOp> importOnnxModelBytes(StringRef bytes, StringRef modelDir,
                                           StringRef displayName,
                                           const ImportOptions &options,
                                           MLIRContext *context) {
  loadImporterDialects(*context);
  Location fileLoc = FileLineColLoc::get(context, displayName, 0, 0);
  if (bytes.empty()) {
    emitError(fileLoc) << "the model file is empty";
    return nullptr;
  }
  if (bytes.size() > size_t(INT32_MAX)) {
    emitError(fileLoc) << "the model file is larger than 2 GiB; keep large "
                          "weights as external data";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), int(bytes.size()))) {
    emitError(fileLoc) << "not a valid ONNX model (the protobuf does not "
                          "parse; the file may be truncated or corrupt)";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  GraphImporter importer(context, displayName, modelDir, options);
  if (failed(importer.importModel(model, *module)))
    return nullptr;
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> importOnnxModelFile(StringRef path,
                                          const ImportOptions &options,
                                          MLIRContext *context) {
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  if (llvm::sys::fs::is_directory(path)) {
    emitError(fileLoc) << "is a directory, not a model file";
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(fileLoc) << "cannot read the model: "
                       << buffer.getError().message();
    return nullptr;
  }
  SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  return importOnnxModelBytes((*buffer)->getBuffer(), dir, path, options,
                              context);
}

} // namespace kiln
