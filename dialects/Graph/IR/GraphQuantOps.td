//===- GraphQuantOps.td - Quant ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHQUANTOPS_TD
