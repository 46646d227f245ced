//===- Serialization.cpp - What the GPU back ends share around binaries ---===//

#include "targets/GPUCommon/Serialization.h"

#include "targets/GPUCommon/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace mlir;

namespace kiln::gpu {

FailureOr<std::vector<KernelLaunchInfo>>
collectLaunches(Location loc, mlir::gpu::GPUModuleOp module,
                ArrayRef<std::string> order) {
  std::vector<KernelLaunchInfo> launches;
  for (const std::string &name : order) {
    auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
    if (!kernel)
      return emitError(loc) << "internal error: kernel " << name
                            << " was not compiled";
    auto grid = kernel->getAttrOfType<DenseI64ArrayAttr>(kGridAttr);
    auto block = kernel->getAttrOfType<DenseI64ArrayAttr>(kBlockAttr);
    if (!grid || !block)
      return emitError(loc) << "internal error: kernel " << name
                            << " lost its grid or block size";
    KernelLaunchInfo info;
    info.symbol = name;
    for (int i = 0; i < 3; ++i) {
      info.grid[i] = uint32_t(grid[i]);
      info.block[i] = uint32_t(block[i]);
    }
    launches.push_back(info);
  }
  return launches;
}

void registerCommonTranslations(MLIRContext &context) {
  registerBuiltinDialectTranslation(context);
  registerGPUDialectTranslation(context);
  registerLLVMDialectTranslation(context);
}

void dumpOperation(const IRDumper &dump, StringRef stage, Operation *op) {
  if (!dump)
    return;
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  dump(stage, text);
}

TemporaryFile::~TemporaryFile() {
  if (!filePath.empty())
    llvm::sys::fs::remove(filePath);
}

LogicalResult TemporaryFile::create(Location loc, StringRef prefix,
                                    StringRef suffix, StringRef contents) {
  int fd;
  if (llvm::sys::fs::createTemporaryFile("kiln-" + prefix, suffix, fd,
                                         filePath))
    return emitError(loc) << "cannot create a temporary ." << suffix
                          << " file";
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  os << contents;
  return success();
}

FailureOr<std::vector<uint8_t>> TemporaryFile::read(Location loc,
                                                    StringRef what) const {
  auto buffer = llvm::MemoryBuffer::getFile(filePath, /*IsText=*/false);
  if (!buffer)
    return emitError(loc) << "cannot read the file " << what << " wrote";
  StringRef bytes = (*buffer)->getBuffer();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

EmptyFolder::~EmptyFolder() {
  if (!folderPath.empty())
    llvm::sys::fs::remove(folderPath);
}

LogicalResult EmptyFolder::create(Location loc, StringRef prefix) {
  if (llvm::sys::fs::createUniqueDirectory("kiln-" + prefix, folderPath))
    return emitError(loc) << "cannot create a temporary folder";
  return success();
}

LogicalResult runTool(Location loc, ArrayRef<StringRef> args) {
  TemporaryFile log;
  if (failed(log.create(loc, "tool", "log")))
    return failure();
  std::optional<StringRef> redirects[] = {std::nullopt, log.path(),
                                          log.path()};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(args[0], args, std::nullopt, redirects,
                                     /*SecondsToWait=*/600, 0, &message);
  if (rc == 0)
    return success();
  auto output = llvm::MemoryBuffer::getFile(log.path());
  std::string text = output ? (*output)->getBuffer().trim().str() : "";
  for (char &c : text)
    if (c == '\n')
      c = ' ';
  return emitError(loc) << llvm::sys::path::filename(args[0]) << " failed"
                        << (message.empty() ? "" : ": " + message) << ": "
                        << text;
}

} // namespace kiln::gpu
