//===- GraphSignalOps.td - Signal ops ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD

include "dialects/Graph/IR/GraphBase.td"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHSIGNALOPS_TD
