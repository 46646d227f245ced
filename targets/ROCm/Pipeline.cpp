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
  std::string lowering =
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
