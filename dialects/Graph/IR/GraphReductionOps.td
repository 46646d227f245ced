//===- GraphReductionOps.td - Reduction ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHREDUCTIONOPS_TD
