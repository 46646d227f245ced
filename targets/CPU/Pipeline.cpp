//===- Pipeline.cpp - CPU codegen pipeline --------------------------------===//

#include "targets/CPU/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace kiln::cpu {

void buildCPUCodegenPipeline(OpPassManager &pm, int64_t vectorBits) {
  CommonCodegenOptions common;
  // Convolutions whose rows are not whole vectors run along panels of two
  // vectors of filters (kiln-cpu-tile-and-vectorize).
  common.filterTileMultiple = 2 * std::max<int64_t>(vectorBits / 32, 1);
  // 3x3 windows with strides of 1 or 2 computed from the unpadded input,
  // plane by plane (kiln-cpu-tile-and-vectorize).
  common.wholeWindowPlanes = true;
  common.beforeBufferization = [vectorBits](OpPassManager &func) {
    CPUTileAndVectorizePassOptions options;
    options.vectorBits = vectorBits;
    func.addPass(createCPUTileAndVectorizePass(options));
  };
  buildCommonCodegenPipeline(pm, common);
  pm.addNestedPass<func::FuncOp>(createCPULowerVectorsPass());
  pm.addNestedPass<func::FuncOp>(createCPUWorkgroupArgsPass());
  // Buffers that bufferization allocates inside a kernel (temporaries,
  // loop-carried tensors) are freed before the kernel returns; without
  // this every launch leaked them.
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocations that depend on run-time ownership call a helper function
  // the pipeline adds (`dealloc_helper`), whose dynamic memref arguments
  // the bare-pointer calling convention cannot lower: inline it, drop it.
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  // Upstream lowering to the LLVM dialect. Kernel memrefs are static and
  // dense, so bindings lower to bare pointers.
  static constexpr const char *kLowering =
      "func.func(convert-linalg-to-loops, arith-expand{include-bf16=true},"
      "          convert-vector-to-scf{full-unroll=true}, canonicalize),"
      "convert-math-to-llvm,"
      "convert-math-to-libm,"
      "expand-strided-metadata,"
      "lower-affine,"
      "finalize-memref-to-llvm,"
      "convert-scf-to-cf,"
      "convert-vector-to-llvm{enable-x86vector=1},"
      "convert-arith-to-llvm,"
      "convert-index-to-llvm,"
      "convert-cf-to-llvm,"
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
      "convert-ub-to-llvm,"
      "reconcile-unrealized-casts";
  if (failed(parsePassPipeline(kLowering, pm)))
    llvm::report_fatal_error("invalid CPU lowering pipeline");
  pm.addPass(createCPUKernelABIPass());
}

namespace {
struct CPUCodegenPipelineOptions
    : public PassPipelineOptions<CPUCodegenPipelineOptions> {
  Option<int64_t> vectorBits{*this, "vector-bits",
                             llvm::cl::desc("Vector register width in bits"),
                             llvm::cl::init(512)};
};
} // namespace

void registerCPUCodegenPipeline() {
  PassPipelineRegistration<CPUCodegenPipelineOptions>(
      "kiln-cpu-codegen",
      "The CPU codegen stage: outlined kernels to the LLVM dialect",
      [](OpPassManager &pm, const CPUCodegenPipelineOptions &options) {
        buildCPUCodegenPipeline(pm, options.vectorBits);
      });
}

} // namespace kiln::cpu
