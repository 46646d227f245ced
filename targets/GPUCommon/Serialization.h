//===- Serialization.h - What the GPU back ends share around binaries -----===//
//
// The CUDA and ROCm back ends both serialize a gpu.module with MLIR's
// target attributes, run external tools (ptxas, ld.lld) on temporary
// files and read each kernel's grid and block back from the compiled
// module. Those steps live here once.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGETS_GPUCOMMON_SERIALIZATION_H
#define KILN_TARGETS_GPUCOMMON_SERIALIZATION_H

#include "compiler/Target/TargetBackend.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallString.h"

#include <string>
#include <vector>

namespace kiln::gpu {

/// The launch of each kernel of `order` in `module` (the gpu.module after
/// the lowering): its symbol, and the grid and block the GPU codegen
/// recorded on it. An internal error at `loc` when one is missing.
mlir::FailureOr<std::vector<KernelLaunchInfo>>
collectLaunches(mlir::Location loc, mlir::gpu::GPUModuleOp module,
                llvm::ArrayRef<std::string> order);

/// Registers the LLVM IR translations every GPU serialization needs
/// (builtin, gpu, llvm); each back end adds its own dialect's.
void registerCommonTranslations(mlir::MLIRContext &context);

/// Prints `op` into `dump` as `stage`, when there is a dumper.
void dumpOperation(const IRDumper &dump, llvm::StringRef stage,
                   mlir::Operation *op);

/// A temporary file, removed when this goes out of scope.
class TemporaryFile {
public:
  TemporaryFile() = default;
  TemporaryFile(const TemporaryFile &) = delete;
  TemporaryFile &operator=(const TemporaryFile &) = delete;
  ~TemporaryFile();

  /// Creates the file (`kiln-<prefix>-*.<suffix>`) holding `contents`; an
  /// error at `loc` when it cannot.
  mlir::LogicalResult create(mlir::Location loc, llvm::StringRef prefix,
                             llvm::StringRef suffix,
                             llvm::StringRef contents = {});
  llvm::StringRef path() const { return filePath; }
  /// The file's bytes; an error at `loc` naming `what` wrote it otherwise.
  mlir::FailureOr<std::vector<uint8_t>> read(mlir::Location loc,
                                             llvm::StringRef what) const;

private:
  llvm::SmallString<128> filePath;
};

/// An empty temporary folder, removed when this goes out of scope: given
/// to MLIR's serializers as the toolkit when none was found, so that they
/// do not look for one in places of their own.
class EmptyFolder {
public:
  EmptyFolder() = default;
  EmptyFolder(const EmptyFolder &) = delete;
  EmptyFolder &operator=(const EmptyFolder &) = delete;
  ~EmptyFolder();

  mlir::LogicalResult create(mlir::Location loc, llvm::StringRef prefix);
  llvm::StringRef path() const { return folderPath; }

private:
  llvm::SmallString<128> folderPath;
};

/// Runs `args` (args[0] the program) and waits for it; on failure, one
/// error at `loc` with the program's name and its output on one line.
mlir::LogicalResult runTool(mlir::Location loc,
                            llvm::ArrayRef<llvm::StringRef> args);

} // namespace kiln::gpu

#endif // KILN_TARGETS_GPUCOMMON_SERIALIZATION_H
