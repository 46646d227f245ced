//===- Pipeline.cpp - CUDA codegen pipeline -------------------------------===//
//
// The shared GPU codegen, then the NVVM lowering written pass by pass
// (upstream's gpu-lower-to-nvvm-pipeline defaults to PTX 6.0 and aborts for
// sm_80 and later). Bindings lower to bare pointers: one per buffer, the
// runtime's CUDA kernel ABI.
//
//===----------------------------------------------------------------------===//

#include "targets/CUDA/CUDATarget.h"

#include "targets/GPUCommon/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace kiln::cuda {

void buildCUDACodegenPipeline(OpPassManager &pm,
                              const gpu::GPUTargetInfo &target) {
  gpu::buildGPUCodegenPipeline(pm, target);
  static constexpr const char *kLowering =
      "gpu.module(expand-strided-metadata,"
      "           lower-affine,"
      "           arith-expand{include-bf16=true},"
      "           canonicalize, cse,"
      "           convert-scf-to-cf,"
      "           convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv=1},"
      "           convert-nvvm-to-llvm,"
      "           canonicalize, cse,"
      "           reconcile-unrealized-casts)";
  if (failed(parsePassPipeline(kLowering, pm)))
    llvm::report_fatal_error("invalid CUDA lowering pipeline");
}

} // namespace kiln::cuda
