//===- Passes.h - CPU backend passes ----------------------------*- C++ -*-===//

#ifndef KILN_TARGETS_CPU_PASSES_H
#define KILN_TARGETS_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace kiln::cpu {

#define GEN_PASS_DECL
#include "targets/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "targets/CPU/Passes.h.inc"

/// The CPU codegen pipeline, from bound tensor kernels to the LLVM dialect
/// with the kernel ABI, for vector registers of `vectorBits` bits. Runs on
/// the kernels module.
void buildCPUCodegenPipeline(mlir::OpPassManager &pm,
                             int64_t vectorBits = 512);

/// Registers the pipeline as `kiln-cpu-codegen` (for kiln-opt).
void registerCPUCodegenPipeline();

} // namespace kiln::cpu

#endif // KILN_TARGETS_CPU_PASSES_H
