//===- GraphToLinalg.h - Lowering graph ops to linalg on tensors -*- C++ -*-===//
//
// Lowers the graph dialect to upstream ops on tensors: linalg for the
// structured computation, tensor for data movement, arith and math for
// scalars, scf for what is inherently sequential. Element types become the
// signless ones upstream dialects use; patterns read signedness from the
// graph types they replace. One file per op family holds its patterns.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
#define KILN_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

#include <memory>

namespace kiln {

/// Converts graph types: unsigned integers become signless of the same
/// width; everything else is unchanged.
class GraphTypeConverter : public mlir::TypeConverter {
public:
  GraphTypeConverter();
};

void populateGraphCoreToLinalgPatterns(const mlir::TypeConverter &converter,
                                       mlir::RewritePatternSet &patterns);
void populateGraphElementwiseToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateGraphReductionToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateGraphTensorToLinalgPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
void populateGraphNNToLinalgPatterns(const mlir::TypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);
void populateGraphQuantToLinalgPatterns(const mlir::TypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
void populateGraphSignalToLinalgPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
void populateGraphAttentionToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateGraphFusedToLinalgPatterns(const mlir::TypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
void populateGraphControlFlowToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

/// Every pattern of every family.
void populateGraphToLinalgPatterns(const mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL_CONVERTGRAPHTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
