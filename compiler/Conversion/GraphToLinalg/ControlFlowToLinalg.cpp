//===- ControlFlowToLinalg.cpp - Lowering ControlFlow graph ops -----------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace kiln {

void populateGraphControlFlowToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {}

} // namespace kiln
