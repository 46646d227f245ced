//===- ROCmTarget.h - The AMD backend ---------------------------*- C++ -*-===//

#ifndef KILN_TARGETS_ROCM_ROCMTARGET_H
#define KILN_TARGETS_ROCM_ROCMTARGET_H

#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace kiln {

/// Registers the "rocm" target, its matrix instructions and its options
/// (`--rocm-arch=`, `--rocm-path=`).
void registerROCmTarget();

namespace gpu {
struct GPUTargetInfo;
} // namespace gpu

namespace rocm {

/// The registered names of the AMD matrix instructions, best first.
struct MatrixInstructionNames {
  std::vector<std::string> mfma;
  std::vector<std::string> wmma;
};

/// Registers MFMA and WMMA; returns their names.
MatrixInstructionNames registerMatrixInstructions();

/// The ROCm codegen pipeline for `chip`, from bound tensor kernels to a
/// gpu.module in the LLVM and ROCDL dialects. Runs on the kernels module.
void buildROCmCodegenPipeline(mlir::OpPassManager &pm,
                              const gpu::GPUTargetInfo &target,
                              const std::string &chip);

/// The part after the shared GPU codegen: the ROCDL lowering of the
/// gpu.module for `chip`.
void buildROCDLLoweringPipeline(mlir::OpPassManager &pm,
                                const std::string &chip);

} // namespace rocm
} // namespace kiln

#endif // KILN_TARGETS_ROCM_ROCMTARGET_H
