//===- ReductionBuilders.h - Shared reduction builders ----------*- C++ -*-===//
//
// The structured reduction that the Reduce* ops, the softmax family and the
// normalizations all start from, and the reshape that gives its result
// back the reduced dimensions. Consumers then broadcast the reduced values
// over the input with createElementwise. Private to the Reduction family's
// files.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CONVERSION_GRAPHTOLINALG_REDUCTIONBUILDERS_H
#define KILN_COMPILER_CONVERSION_GRAPHTOLINALG_REDUCTIONBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace kiln {

/// Builds the next accumulator value from (input element, kept-shape
/// operand elements..., accumulator).
using ReductionBodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The dims of a rank-`rank` tensor that `axes` (each in [-rank, rank))
/// reduce, or nullopt when an axis is out of range. No axes reduce all.
std::optional<llvm::SmallVector<bool>>
getReducedDims(int64_t rank, llvm::ArrayRef<int64_t> axes);

/// A linalg.generic reducing `input` over the dims that `reduced` flags to
/// a tensor of the other (kept) dims, whose elements start at the scalar
/// `init` and have its type. The kept dims are the outer, parallel loops
/// and the reduced dims the inner, reduction loops, so a reduction over
/// trailing dims is a plain row loop and workgroup tiling splits the kept
/// dims. `keptInputs` have the kept shape and read the element of the
/// result position. Inside `body`, linalg.index of loop `numKept + i` is
/// the position along the i-th reduced dim.
mlir::Value createReduction(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input, mlir::ValueRange keptInputs,
                            llvm::ArrayRef<bool> reduced, mlir::Value init,
                            ReductionBodyBuilder body);

/// Reshapes a reduction result of the kept dims to the input's rank, with
/// size 1 at each reduced dim (ONNX's keepdims form, which broadcasts
/// numpy-style against the input).
mlir::Value expandReducedDims(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value kept, llvm::ArrayRef<bool> reduced);

/// The product of the sizes of the reduced dims of `shape`.
int64_t getReducedCount(llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<bool> reduced);

/// Fails the match unless every tensor operand and result of `op` has a
/// static shape.
mlir::LogicalResult
requireStaticOperands(mlir::ConversionPatternRewriter &rewriter,
                      mlir::Operation *op);

/// Patterns of the normalization ops, in NormalizationToLinalg.cpp.
void populateGraphNormalizationToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_GRAPHTOLINALG_REDUCTIONBUILDERS_H
