//===- GraphQuantOps.cpp - Quant ops ------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

using namespace mlir;
using namespace kiln::graph;

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphQuantOps.cpp.inc"
