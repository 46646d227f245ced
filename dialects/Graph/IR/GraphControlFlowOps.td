//===- GraphControlFlowOps.td - ControlFlow ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD
