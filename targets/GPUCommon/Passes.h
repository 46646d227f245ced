//===- Passes.h - Codegen shared by the GPU backends ------------*- C++ -*-===//

#ifndef KILN_TARGETS_GPUCOMMON_PASSES_H
#define KILN_TARGETS_GPUCOMMON_PASSES_H

#include "targets/GPUCommon/GPUTargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace kiln::gpu {

/// Function attribute: how a kernel maps to the GPU, "contraction" or
/// "threads" (kiln-gpu-configure-kernels).
constexpr llvm::StringLiteral kStrategyAttr = "kiln.gpu.strategy";
constexpr llvm::StringLiteral kContractionStrategy = "contraction";
constexpr llvm::StringLiteral kThreadsStrategy = "threads";
/// Function attribute of a contraction kernel: its block tile, a dictionary
/// {tile = [m, n, k], subgroup_tile = [m, n], intrinsic = "name"}.
constexpr llvm::StringLiteral kContractionConfigAttr = "kiln.gpu.contraction";
/// Function attribute: the block size a kernel was built for (x, y, z).
constexpr llvm::StringLiteral kBlockAttr = "kiln.block";
/// The gpu.module that kiln-gpu-wrap-kernels creates.
constexpr llvm::StringLiteral kGPUModuleName = "kiln_kernels";
/// The name of the multiply-add "instruction" of the contraction path
/// without matrix instructions: several outputs per thread, scalar math.
constexpr llvm::StringLiteral kScalarIntrinsicName = "scalar";

#define GEN_PASS_DECL
#include "targets/GPUCommon/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/GPUCommon/Passes.h.inc"

/// Adds the shared GPU codegen to `pm` (on the kernels module): from bound
/// tensor kernels to a gpu.module of kernel gpu.funcs on buffers, with
/// scf, arith, math, memref, vector and gpu ops left for the vendor's
/// lowering (NVVM, ROCDL).
void buildGPUCodegenPipeline(mlir::OpPassManager &pm,
                             const GPUTargetInfo &target);

/// Registers the passes and the pipeline `kiln-gpu-codegen`, once.
void registerGPUCommon();

} // namespace kiln::gpu

#endif // KILN_TARGETS_GPUCOMMON_PASSES_H
