//===- GraphElementwiseOps.td - Elementwise ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHELEMENTWISEOPS_TD
