//===- ElementwiseToLinalg.cpp - Lowering Elementwise graph ops -----------------------===//

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/IR/GraphOps.h"

using namespace mlir;

namespace kiln {

void populateGraphElementwiseToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {}

} // namespace kiln
