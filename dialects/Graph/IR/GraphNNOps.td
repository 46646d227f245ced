//===- GraphNNOps.td - NN ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHNNOPS_TD
