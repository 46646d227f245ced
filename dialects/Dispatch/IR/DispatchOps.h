//===- DispatchOps.h - Dispatch dialect ops ---------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_H
#define KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Dispatch/IR/DispatchDialect.h"

#define GET_OP_CLASSES
#include "dialects/Dispatch/IR/DispatchOps.h.inc"

namespace kiln::dispatch {

/// Name of the nested module that holds the outlined kernels.
constexpr llvm::StringLiteral kKernelsModuleName = "kernels";

/// Attributes outlining puts on a kernel function: the ONNX nodes it
/// computes and its root op, for reports and profiles.
constexpr llvm::StringLiteral kOnnxNodesAttr = "dispatch.onnx_nodes";
constexpr llvm::StringLiteral kRootAttr = "dispatch.root";

} // namespace kiln::dispatch

#endif // KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_H
