//===- LoweringUtils.h - Helpers shared by graph lowerings ------*- C++ -*-===//
//
// Building blocks every family's patterns use: empty tensors, elementwise
// linalg.generic ops with numpy broadcasting, scalar conversions with ONNX
// Cast semantics, constants.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H
#define KILN_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace kiln {

/// Builds the scalar body of an elementwise op from the scalar operands.
using ScalarBodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `tensor.empty` of `type`; dynamic sizes are taken from `dynamicSizes`.
mlir::Value createEmptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              mlir::ValueRange dynamicSizes = {});

/// A linalg.generic computing `resultType` elementwise from `inputs`, which
/// broadcast numpy-style to its shape (each input's dims align with the
/// result's trailing dims; a dim of size 1 repeats). Size-1 broadcast dims
/// are collapsed away so that every indexing map is a projected
/// permutation. Inputs and result must have static shapes.
mlir::Value createElementwise(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::ValueRange inputs,
                              mlir::RankedTensorType resultType,
                              ScalarBodyBuilder body);

/// Converts scalar `v` to `to` with ONNX Cast rules: float to int truncates
/// toward zero, anything to bool tests != 0, bool to anything gives 0/1.
/// Signedness comes from the flags since converted types are signless.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value v, mlir::Type to, bool fromUnsigned,
                          bool toUnsigned);

/// A scalar arith.constant of `type` (int, float or i1) holding `value`.
mlir::Value createScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Type type, double value);

/// Whether the graph-level element type of `v` (its type before conversion)
/// is an unsigned integer.
bool isUnsignedElement(mlir::Value graphValue);

/// The signless tensor type a graph tensor type converts to.
mlir::RankedTensorType toSignless(mlir::RankedTensorType type);

/// Fails the match with a message when `type` is not statically shaped;
/// lowerings that need static shapes call it first.
mlir::LogicalResult requireStaticShape(mlir::ConversionPatternRewriter &rewriter,
                                       mlir::Operation *op, mlir::Type type);

/// The element type to compute `type` in: f16 and bf16 widen to f32 (the
/// CPU has no arithmetic or math library for them, and ONNX references
/// compute them in f32 too); every other type computes in itself.
mlir::Type getComputeType(mlir::Type type);

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H
