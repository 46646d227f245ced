//===- Pipeline.cpp - CPU codegen pipeline --------------------------------===//

#include "targets/CPU/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace kiln::cpu {

void buildCPUCodegenPipeline(OpPassManager &pm) {
  buildCommonCodegenPipeline(pm, [](OpPassManager &func) {
    func.addPass(createCPUTileAndVectorizePass());
  });
  pm.addNestedPass<func::FuncOp>(createCPULowerVectorsPass());
  pm.addNestedPass<func::FuncOp>(createCPUWorkgroupArgsPass());
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

} // namespace kiln::cpu
