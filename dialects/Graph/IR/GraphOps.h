//===- GraphOps.h - Graph dialect ops ---------------------------*- C++ -*-===//
//
// Declares every op of the `graph` dialect, grouped by family, and the
// helpers their shape inference and folders share.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHOPS_H
#define KILN_DIALECTS_GRAPH_IR_GRAPHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Graph/IR/GraphDialect.h"

namespace kiln::graph::detail {
/// Checks that no result type of `op` contradicts its inferred type (a
/// different element type, rank or static size). The verifier of
/// ShapeInferenceOpInterface.
mlir::LogicalResult verifyInferredResultTypes(mlir::Operation *op);
} // namespace kiln::graph::detail

#include "dialects/Graph/IR/GraphInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphCoreOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphReductionOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphTensorOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphNNOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphQuantOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphSignalOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphControlFlowOps.h.inc"
#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphFusedOps.h.inc"

namespace kiln::graph {

/// Whether `actual` is `inferred` or a refinement of it: same element type,
/// and where `inferred` is ranked, the same rank and the same size in every
/// dimension that `inferred` knows.
bool isRefinementOf(mlir::Type actual, mlir::Type inferred);

/// Runs shape inference on `op` and sets each result to the inferred type,
/// or keeps the current type where it refines the inferred one. Emits an
/// error and returns failure where the current type contradicts inference.
mlir::LogicalResult refineResultTypes(mlir::Operation *op);

} // namespace kiln::graph

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHOPS_H
