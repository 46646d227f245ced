//===- GraphOps.td - Every graph op, for the reference page -*- tablegen -*-===//
//
// Includes every op family so that one dialect reference page lists them
// all. The C++ for each family is generated from its own file.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHOPS_TD

include "dialects/Graph/IR/GraphCoreOps.td"
include "dialects/Graph/IR/GraphElementwiseOps.td"
include "dialects/Graph/IR/GraphReductionOps.td"
include "dialects/Graph/IR/GraphTensorOps.td"
include "dialects/Graph/IR/GraphNNOps.td"
include "dialects/Graph/IR/GraphQuantOps.td"
include "dialects/Graph/IR/GraphSignalOps.td"
include "dialects/Graph/IR/GraphControlFlowOps.td"
include "dialects/Graph/IR/GraphFusedOps.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHOPS_TD
