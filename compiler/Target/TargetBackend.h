//===- TargetBackend.h - The interface every backend implements -*- C++ -*-===//
//
// A target turns the outlined kernels of a model into binaries for one or
// more architectures, and names the runtime device that runs them. The
// rest of the compiler knows targets only through this interface and the
// registry: adding one touches targets/<Name>/ and one registration line.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_TARGET_TARGETBACKEND_H
#define KILN_COMPILER_TARGET_TARGETBACKEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

/// The binary formats the artifact knows (artifact.fbs ExecutableFormat).
enum class ExecutableFormat : uint8_t {
  ElfSharedObject = 0,
  Ptx = 1,
  Cubin = 2,
  Hsaco = 3,
};

/// How a target launches one kernel.
struct KernelLaunchInfo {
  std::string symbol;
  std::array<uint32_t, 3> grid = {1, 1, 1};
  std::array<uint32_t, 3> block = {1, 1, 1};
  uint32_t sharedMemoryBytes = 0;
};

/// The kernels of a model compiled for one architecture.
struct ExecutableBinary {
  /// Runtime device kind: "cpu", "cuda", "hip".
  std::string device;
  std::string arch;
  ExecutableFormat format = ExecutableFormat::ElfSharedObject;
  std::vector<uint8_t> data;
  /// One entry per kernel, in the order the compiler asked for.
  std::vector<KernelLaunchInfo> kernels;
};

/// Writes intermediate IR for `--dump-ir`: `dump(stage, text)` stores one
/// numbered file; a null dumper stores nothing.
using IRDumper = std::function<void(llvm::StringRef stage, llvm::StringRef text)>;

class TargetBackend {
public:
  virtual ~TargetBackend();

  /// The name users select it by (`--target=cpu`).
  virtual llvm::StringRef getName() const = 0;

  /// The runtime device kind that runs its kernels ("cpu", "cuda", "hip").
  virtual llvm::StringRef getDeviceKind() const = 0;

  /// Whether the target compiles kernels that the dispatch stage already
  /// tiled into workgroups (a top-level scf.forall without a mapping, as
  /// graph.attention lowers to). Targets that do not get such ops as
  /// separate kernels instead.
  virtual bool supportsPretiledKernels() const { return false; }

  /// How many consecutive filters the target's kernel for a full f32
  /// convolution reads together, where it wants constant weights packed
  /// into such panels at compile time (dispatch-pack-conv-weights, for
  /// convolutions whose output rows are not a multiple of half a panel or
  /// are strided along);
  /// 0 where the target reads the weights as they are.
  virtual int64_t getConvFilterPanel() const { return 0; }

  /// How many consecutive columns of B the target's matmul kernel reads
  /// together, where it wants a constant B packed into such panels at
  /// compile time (dispatch-pack-matmul-weights); 0 where the target reads
  /// B as it is.
  virtual int64_t getMatmulPanel() const { return 0; }

  /// Where the target computes 3x3 convolutions with Winograd's F(2x2,
  /// 3x3) (dispatch-winograd-conv): how many consecutive filters its
  /// kernel for the transformed products reads together, the panels the
  /// transformed weights are packed in; 0 where it computes them directly.
  virtual int64_t getWinogradFilterPanel() const { return 0; }

  /// Adds the target's codegen passes, from bound tensor kernels to the
  /// target's lowest IR dialect, to `pm` (which runs on a kernels module).
  /// `kiln-compile --compile-to=codegen` stops after these.
  virtual void buildCodegenPipeline(mlir::OpPassManager &pm) = 0;

  /// Compiles `kernels` (a module of kernel functions on tensors, which the
  /// target may change) to binaries. `order` gives the kernel symbols in
  /// dispatch order; every binary lists its kernels in that order.
  virtual mlir::FailureOr<std::vector<ExecutableBinary>>
  compile(mlir::ModuleOp kernels, llvm::ArrayRef<std::string> order,
          const IRDumper &dump) = 0;

  /// How the driver wants every pass manager set up (IR printing, timing:
  /// MLIR's command-line options). Backends call configurePassManager on
  /// each pass manager they create.
  using PassManagerConfigurator =
      std::function<mlir::LogicalResult(mlir::PassManager &)>;
  void setPassManagerConfigurator(PassManagerConfigurator configurator) {
    configure = std::move(configurator);
  }

protected:
  mlir::LogicalResult configurePassManager(mlir::PassManager &pm) const {
    return configure ? configure(pm) : mlir::success();
  }

private:
  PassManagerConfigurator configure;
};

/// The command-line category of every target's options (`--cpu=`,
/// `--cuda-arch=`, ...), so that tools list them together.
llvm::cl::OptionCategory &getTargetOptionsCategory();

/// Creates a backend; called once per compilation.
using TargetBackendFactory = std::function<std::unique_ptr<TargetBackend>()>;

/// Registers a target under `name`. Called from each target's registration
/// function.
void registerTargetBackend(llvm::StringRef name, TargetBackendFactory factory);

/// Creates the backend registered as `name`, or null.
std::unique_ptr<TargetBackend> createTargetBackend(llvm::StringRef name);

/// The names of every registered target, sorted.
std::vector<std::string> getRegisteredTargetNames();

} // namespace kiln

#endif // KILN_COMPILER_TARGET_TARGETBACKEND_H
