//===- Pipeline.cpp - ROCm codegen pipeline -------------------------------===//
//
// The shared GPU codegen, then the ROCDL lowering of the gpu.module for one
// chip: amdgpu matrix ops become the chip's intrinsics, gpu ops ROCDL, and
// bindings bare pointers (one per buffer, the runtime's HIP kernel ABI).
//
//===----------------------------------------------------------------------===//

#include "targets/ROCm/ROCmTarget.h"

#include "targets/GPUCommon/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace kiln::rocm {

void buildROCDLLoweringPipeline(OpPassManager &pm, const std::string &chip) {
  // Math functions become device library calls first: inside
  // convert-gpu-to-rocdl, the math dialect's generic LLVM patterns
  // (intrinsics the back end cannot lower, such as llvm.tanh) may otherwise
  // win, depending on what the context loaded before.
  std::string lowering =
      "convert-math-to-rocdl{chipset=" + chip + "},"
      "gpu.module(expand-strided-metadata,"
      "           lower-affine,"
      "           arith-expand{include-bf16=true},"
      "           canonicalize, cse,"
      "           convert-scf-to-cf,"
      "           convert-amdgpu-to-rocdl{chipset=" + chip + "},"
      "           convert-gpu-to-rocdl{chipset=" + chip +
      "                                runtime=HIP"
      "                                use-bare-ptr-memref-call-conv=1},"
      "           canonicalize, cse,"
      "           reconcile-unrealized-casts)";
  if (failed(parsePassPipeline(lowering, pm)))
    llvm::report_fatal_error("invalid ROCm lowering pipeline");
}

void buildROCmCodegenPipeline(OpPassManager &pm,
                              const gpu::GPUTargetInfo &target,
                              const std::string &chip) {
  gpu::buildGPUCodegenPipeline(pm, target);
  buildROCDLLoweringPipeline(pm, chip);
}

} // namespace kiln::rocm
