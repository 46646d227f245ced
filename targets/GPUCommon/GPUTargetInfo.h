//===- GPUTargetInfo.h - What the shared GPU codegen asks of a target -*- C++ -*-===//
//
// The shared GPU passes know a vendor only through these facts: the
// subgroup size, the block and shared-memory budgets, and the matrix
// instructions it has, each described by an MmaIntrinsic (its shape, its
// element types, where each lane's fragment elements sit in the tile, and
// how to emit it). A backend registers its intrinsics by name, so that
// passes run alone in kiln-opt can name them in their options.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGETS_GPUCOMMON_GPUTARGETINFO_H
#define KILN_TARGETS_GPUCOMMON_GPUTARGETINFO_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Types.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kiln::gpu {

/// One subgroup-wide matrix instruction, D = A * B + C on an m x n x k tile
/// (A: m x k, B: k x n, C and D: m x n), each lane holding a fragment of
/// every operand. Fragments are 1-D vectors in the order `getCoordinates`
/// numbers their elements.
class MmaIntrinsic {
public:
  enum class Operand { A, B, C };

  virtual ~MmaIntrinsic();

  /// The name passes and users refer to it by ("nv_mma_m16n8k16_f16").
  virtual llvm::StringRef getName() const = 0;
  virtual int64_t getM() const = 0;
  virtual int64_t getN() const = 0;
  virtual int64_t getK() const = 0;
  /// Element types of A and B, and of C and D.
  virtual mlir::Type getInputType(mlir::MLIRContext *context) const = 0;
  virtual mlir::Type getAccumulatorType(mlir::MLIRContext *context) const = 0;
  /// Whether an f32 contraction with this instruction rounds its inputs
  /// (TF32): used only when the user allows it.
  virtual bool roundsF32Inputs() const { return false; }

  /// Elements of `operand` each lane holds.
  virtual int64_t getFragmentSize(Operand operand) const = 0;

  /// The (row, column) in `operand`'s tile of fragment element `index` of
  /// lane `lane` (an index value in [0, subgroup size)).
  virtual std::pair<mlir::Value, mlir::Value>
  getCoordinates(mlir::OpBuilder &builder, mlir::Location loc,
                 Operand operand, mlir::Value lane, int64_t index) const = 0;

  /// The dialects of the ops `buildMma` creates.
  virtual void getDependentDialects(mlir::DialectRegistry &registry) const = 0;

  /// Emits D = A * B + C on fragments (1-D vectors of the input and
  /// accumulator types) and returns D.
  virtual mlir::Value buildMma(mlir::OpBuilder &builder, mlir::Location loc,
                               mlir::Value a, mlir::Value b,
                               mlir::Value c) const = 0;
};

/// Makes `intrinsic` known by its name. Backends call it when they register.
void registerMmaIntrinsic(std::shared_ptr<const MmaIntrinsic> intrinsic);

/// The registered intrinsic called `name`, or null.
const MmaIntrinsic *lookupMmaIntrinsic(llvm::StringRef name);

/// The facts of one GPU architecture (or of a family of them that share
/// code) that the shared passes use.
struct GPUTargetInfo {
  /// Threads of a subgroup: 32 on NVIDIA, 64 or 32 on AMD.
  int64_t subgroupSize = 32;
  /// Most threads of one block that kernels are built for.
  int64_t maxThreads = 256;
  /// Static shared memory one block may use.
  int64_t sharedMemoryBytes = 48 * 1024;
  /// Matrix instructions by registered name, best first.
  std::vector<std::string> intrinsics;
  /// Whether f32 contractions may use TF32 instructions.
  bool allowTF32 = false;

  /// Fills the options of a pass declared with GPUTargetOptions.
  template <typename PassOptions>
  PassOptions toPassOptions() const {
    PassOptions options;
    options.subgroupSize = subgroupSize;
    options.maxThreads = maxThreads;
    options.sharedMemoryBytes = sharedMemoryBytes;
    options.intrinsics.assign(intrinsics.begin(), intrinsics.end());
    options.allowTF32 = allowTF32;
    return options;
  }

  /// The info spelled by a pass's GPUTargetOptions.
  template <typename Pass>
  static GPUTargetInfo fromPass(const Pass &pass) {
    GPUTargetInfo info;
    info.subgroupSize = pass.subgroupSize;
    info.maxThreads = pass.maxThreads;
    info.sharedMemoryBytes = pass.sharedMemoryBytes;
    info.intrinsics.assign(pass.intrinsics.begin(), pass.intrinsics.end());
    info.allowTF32 = pass.allowTF32;
    return info;
  }
};

} // namespace kiln::gpu

#endif // KILN_TARGETS_GPUCOMMON_GPUTARGETINFO_H
