//===- Pipeline.cpp - The shared GPU codegen pipeline ---------------------===//

#include "targets/GPUCommon/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln::gpu {
namespace {

/// A GPU wants many small workgroups: enough to fill every multiprocessor
/// several times over, each still worth a block of threads.
constexpr int64_t kMaxWorkgroups = 65535;
constexpr int64_t kMinWorkPerWorkgroup = 4096;

/// `kiln-gpu-codegen`'s options: the GPUTargetInfo fields.
struct GPUCodegenPipelineOptions
    : public PassPipelineOptions<GPUCodegenPipelineOptions> {
  Option<int64_t> subgroupSize{*this, "subgroup-size",
                               llvm::cl::desc("Threads of a subgroup"),
                               llvm::cl::init(32)};
  Option<int64_t> maxThreads{*this, "max-threads",
                             llvm::cl::desc("Most threads of a block"),
                             llvm::cl::init(256)};
  Option<int64_t> sharedMemoryBytes{
      *this, "shared-memory",
      llvm::cl::desc("Static shared memory of a block, in bytes"),
      llvm::cl::init(48 * 1024)};
  ListOption<std::string> intrinsics{
      *this, "intrinsics",
      llvm::cl::desc("Matrix instructions by registered name, best first")};
  Option<bool> allowTF32{*this, "allow-tf32",
                         llvm::cl::desc("Let f32 contractions use TF32"),
                         llvm::cl::init(false)};
};

} // namespace

void buildGPUCodegenPipeline(OpPassManager &pm, const GPUTargetInfo &target) {
  CommonCodegenOptions common;
  common.maxWorkgroups = kMaxWorkgroups;
  common.minWorkPerWorkgroup = kMinWorkPerWorkgroup;
  // Threads take single elements: any tile size works, and contractions on
  // the threads path want as many workgroups as anything else.
  common.minTile = 1;
  common.maxContractionWorkgroups = kMaxWorkgroups;
  common.beforeWorkgroupTiling = [&](OpPassManager &func) {
    func.addPass(createGPUConfigureKernelsPass(
        target.toPassOptions<GPUConfigureKernelsPassOptions>()));
    func.addPass(createCanonicalizerPass());
    func.addPass(createCSEPass());
  };
  common.beforeBufferization = [&](OpPassManager &func) {
    func.addPass(createGPUTileThreadsPass(
        target.toPassOptions<GPUTileThreadsPassOptions>()));
  };
  buildCommonCodegenPipeline(pm, common);

  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createGPULowerContractionPass(
      target.toPassOptions<GPULowerContractionPassOptions>()));
  func.addPass(createGPUDistributeThreadsPass(
      target.toPassOptions<GPUDistributeThreadsPassOptions>()));
  func.addPass(createConvertLinalgToLoopsPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  func.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createGPUWrapKernelsPass());
}

void registerGPUCommon() {
  static bool once = [] {
    registerGPUCommonPasses();
    PassPipelineRegistration<GPUCodegenPipelineOptions>(
        "kiln-gpu-codegen",
        "Bound tensor kernels to a gpu.module of kernels on buffers (the "
        "part of GPU codegen every vendor shares)",
        [](OpPassManager &pm, const GPUCodegenPipelineOptions &options) {
          GPUTargetInfo target;
          target.subgroupSize = options.subgroupSize;
          target.maxThreads = options.maxThreads;
          target.sharedMemoryBytes = options.sharedMemoryBytes;
          target.intrinsics.assign(options.intrinsics.begin(),
                                   options.intrinsics.end());
          target.allowTF32 = options.allowTF32;
          buildGPUCodegenPipeline(pm, target);
        });
    return true;
  }();
  (void)once;
}

} // namespace kiln::gpu
