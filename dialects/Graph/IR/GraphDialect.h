//===- GraphDialect.h - Graph dialect declaration ---------------*- C++ -*-===//
//
// The `graph` dialect: tensor graphs with ONNX semantics.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
#define KILN_DIALECTS_GRAPH_IR_GRAPHDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "dialects/Graph/IR/GraphDialect.h.inc"

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
