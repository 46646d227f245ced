//===- CUDATarget.h - The NVIDIA backend ------------------------*- C++ -*-===//

#ifndef KILN_TARGETS_CUDA_CUDATARGET_H
#define KILN_TARGETS_CUDA_CUDATARGET_H

#include <string>
#include <vector>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace kiln {

/// Registers the "cuda" target, its passes, its matrix instructions and its
/// options (`--cuda-arch=`, `--allow-tf32`, `--cuda-toolkit=`).
void registerCUDATarget();

namespace gpu {
struct GPUTargetInfo;
} // namespace gpu

namespace cuda {

/// Registers the mma.sync instructions; returns their names, best first.
std::vector<std::string> registerMmaSyncIntrinsics();

/// The CUDA codegen pipeline, from bound tensor kernels to a gpu.module in
/// the LLVM and NVVM dialects. Runs on the kernels module.
void buildCUDACodegenPipeline(mlir::OpPassManager &pm,
                              const gpu::GPUTargetInfo &target);

} // namespace cuda
} // namespace kiln

#endif // KILN_TARGETS_CUDA_CUDATARGET_H
