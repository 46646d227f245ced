//===- Passes.h - Dispatch dialect passes -----------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_H
#define KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_H

#include "dialects/Dispatch/IR/DispatchDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln::dispatch {

#define GEN_PASS_DECL
#include "dialects/Dispatch/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Dispatch/Transforms/Passes.h.inc"

} // namespace kiln::dispatch

#endif // KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_H
