//===- Passes.h - Graph dialect passes --------------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
#define KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_H

#include "dialects/Graph/IR/GraphDialect.h"
#include "mlir/Pass/Pass.h"

namespace kiln::graph {

#define GEN_PASS_DECL
#include "dialects/Graph/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Graph/Transforms/Passes.h.inc"

/// Propagates types through `func` in program order, refining each op's
/// result types and folding ops whose operands are constant. Emits an error
/// and fails where an op's operands do not fit it.
mlir::LogicalResult inferShapes(mlir::func::FuncOp func);

} // namespace kiln::graph

#endif // KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
