//===- Passes.h - Target-independent codegen passes -------------*- C++ -*-===//

#ifndef KILN_COMPILER_CODEGEN_PASSES_H
#define KILN_COMPILER_CODEGEN_PASSES_H

#include "dialects/Dispatch/IR/DispatchDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

/// Name of the function attribute holding a kernel's grid (x, y, z).
constexpr llvm::StringLiteral kGridAttr = "kiln.grid";

#define GEN_PASS_DECL
#include "compiler/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/Passes.h.inc"

/// Adds the shared front of every target's codegen pipeline to `pm`, which
/// runs on the kernels module: bindings, workgroup tiling, then what the
/// target adds inside workgroups on tensors (`beforeBufferization`, on each
/// kernel function), bufferization, workgroup distribution.
void buildCommonCodegenPipeline(
    mlir::OpPassManager &pm,
    llvm::function_ref<void(mlir::OpPassManager &)> beforeBufferization = {});

} // namespace kiln

#endif // KILN_COMPILER_CODEGEN_PASSES_H
