//===- TensorLowering.h - Shared by the tensor lowerings --------*- C++ -*-===//
//
// The tensor (data movement) family lowers in four files: structural moves
// (TensorToLinalg.cpp), gathers and scatters (GatherScatterToLinalg.cpp),
// ops with data-dependent sizes and sorting (DataDependentToLinalg.cpp) and
// Resize (ResizeToLinalg.cpp). This header holds what they share; nothing
// outside the family includes it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CONVERSION_GRAPHTOLINALG_TENSORLOWERING_H
#define KILN_COMPILER_CONVERSION_GRAPHTOLINALG_TENSORLOWERING_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

/// Maps an axis attribute in [-rank, rank) to [0, rank). ODS returns I64Attr
/// values as uint64_t; the parameter type makes them signed again.
inline int64_t wrapAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// A tensor of `type`, which has no elements, as a constant: it needs no
/// kernel to produce it.
mlir::Value createZeroSizeTensor(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::RankedTensorType type);

/// Gives `input` the static shape of `type` (same element count, row-major
/// order kept) with tensor.collapse_shape and tensor.expand_shape only: a
/// pure grouping of dimensions becomes a single collapse or expand, any
/// other reshape a collapse to the coarsest common grouping followed by an
/// expand. The host treats both ops as free aliases of the buffer.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                      mlir::RankedTensorType type);

/// Permutes the dimensions of `input` (result dimension i is input
/// dimension perm[i]) with linalg.transpose, or with reshapeTo when the
/// permutation only moves dimensions of size 1.
mlir::Value createTranspose(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input, llvm::ArrayRef<int64_t> perm);

/// Reads the integer element of `tensor` at `indices` and casts it to
/// index (sign-extending).
mlir::Value extractIndex(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value tensor, mlir::ValueRange indices);

/// Reads the integer element of `tensor` at the constant position `pos`
/// (all zeros when empty) as an index.
mlir::Value extractIndexAt(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value tensor,
                           llvm::ArrayRef<int64_t> pos = {});

/// `index < 0 ? index + size : index`: ONNX's negative indices count from
/// the back.
mlir::Value wrapNegativeIndex(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value index, mlir::Value size);

/// `a < b` for scalars of any element type; `isUnsigned` picks the
/// unsigned integer order (bool compares as unsigned).
mlir::Value createLessThan(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value lhs, mlir::Value rhs, bool isUnsigned);

void populateGraphGatherScatterToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateGraphDataDependentToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
void populateGraphResizeToLinalgPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_GRAPHTOLINALG_TENSORLOWERING_H
