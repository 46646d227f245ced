//===- GraphTensorOps.td - Tensor ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHTENSOROPS_TD
