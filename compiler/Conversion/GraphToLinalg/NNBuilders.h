//===- NNBuilders.h - Shared by NN, quant and signal lowering ---*- C++ -*-===//
//
// Matrix products and convolutions appear in float form (MatMul, Gemm,
// Conv) and in integer form (MatMulInteger, ConvInteger, the QLinear ops);
// both build the same structured ops through these helpers, so that the
// CPU backend sees one shape of IR for each. The small tensor utilities
// (padding, slicing, filling, element conversion) serve every file of the
// three families.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CONVERSION_GRAPHTOLINALG_NNBUILDERS_H
#define KILN_COMPILER_CONVERSION_GRAPHTOLINALG_NNBUILDERS_H

#include "compiler/Conversion/GraphToLinalg/LoweringUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/SmallVector.h"

namespace kiln {

//===----------------------------------------------------------------------===//
// Tensor utilities
//===----------------------------------------------------------------------===//

/// A tensor of `type` filled with the scalar `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value);

/// A tensor of `type` filled with the constant `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, double value);

/// `x` padded with `value` by `low` / `high` elements per dim; `x` itself
/// when every pad is zero.
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      llvm::ArrayRef<int64_t> low,
                      llvm::ArrayRef<int64_t> high, mlir::Value value);

/// A static slice of `x` with unit strides. `resultType`, when given, may
/// drop unit dims (a rank-reducing slice).
mlir::Value extractStaticSlice(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value x, llvm::ArrayRef<int64_t> offsets,
                               llvm::ArrayRef<int64_t> sizes,
                               mlir::RankedTensorType resultType = nullptr);

/// Reshapes `x` to `shape` with a collapse, an expand, or a collapse to
/// 1-D followed by an expand; the element count must match.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x, llvm::ArrayRef<int64_t> shape);

/// Like createElementwise, but computed into `dest`, whose current element
/// the body receives after the inputs' (as the init of a linalg.generic).
/// A loop-carried state updated this way bufferizes in place even after
/// tiling, where reading the old state as an input would not.
mlir::Value createElementwiseInto(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::ValueRange inputs, mlir::Value dest,
                                  ScalarBodyBuilder body);

/// Converts every element of `x` to `elementType` (ONNX Cast rules, with
/// the source's signedness from `fromUnsigned`); `x` itself when the type
/// already matches.
mlir::Value convertElements(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, mlir::Type elementType,
                            bool fromUnsigned = false, bool toUnsigned = false);

/// The type in which a float lowering computes: f32 for the 16-bit floats,
/// else the type itself.
mlir::Type computeFloatType(mlir::Type storage);

/// The first element of a tensor with at most one element, as a scalar.
mlir::Value extractFirstElement(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value tensor);

/// `linalg.index` of dim `dim` as a signless integer of `type`.
mlir::Value indexAs(mlir::OpBuilder &b, mlir::Location loc, unsigned dim,
                    mlir::Type type);

/// An `index` value converted to `type` (an integer type) or back.
mlir::Value castIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                      mlir::Type type);

//===----------------------------------------------------------------------===//
// Matrix products and convolutions
//===----------------------------------------------------------------------===//

/// Numpy matmul of `lhs` and `rhs` into `resultType`, whose element type is
/// the accumulator. Operand elements are converted to it inside the
/// product (floats extend, integers sign-extend); callers subtract zero
/// points or widen unsigned values beforehand. 2-D x 2-D is linalg.matmul,
/// 1-D operands use matvec / vecmat (a dot product is a 1 x 1 matmul),
/// a batched lhs with a 2-D rhs
/// folds its batch into the rows of one matmul, equal batch dims become a
/// batch_matmul, and broadcasting batch dims a generic contraction.
mlir::Value buildMatMul(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value lhs, mlir::Value rhs,
                        mlir::RankedTensorType resultType);

/// Window geometry of a convolution with explicit pads.
struct ConvGeometry {
  int64_t group = 1;
  llvm::SmallVector<int64_t> strides;
  llvm::SmallVector<int64_t> dilations;
  llvm::SmallVector<int64_t> padsBegin;
  llvm::SmallVector<int64_t> padsEnd;
};

/// Convolution of `x` (`[N, C, D...]`) with `w` (`[M, C / group, k...]`)
/// into `resultType` (`[N, M, O...]`), all of one element type, padding
/// `x` with zeros. 2-D convolutions use linalg.conv_2d_nchw_fchw (group 1)
/// or linalg.depthwise_conv_2d_nchw_chw (one channel per group), 1-D and
/// 3-D ones with group 1 the matching named ops, and everything else a
/// linalg.generic over (n, g, m, o..., c, k...).
mlir::Value buildConvolution(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x, mlir::Value w,
                             const ConvGeometry &geometry,
                             mlir::RankedTensorType resultType);

/// Reads the window attributes of a convolution-like op whose weight has
/// spatial dims `weightKernel` over input spatial sizes `inputSizes`, with
/// auto_pad turned into explicit pads. Fails the match when they are not
/// static.
mlir::FailureOr<ConvGeometry>
getConvGeometry(mlir::ConversionPatternRewriter &rewriter, mlir::Operation *op,
                llvm::ArrayRef<int64_t> inputSizes,
                llvm::ArrayRef<int64_t> weightKernel, int64_t group,
                std::optional<llvm::ArrayRef<int64_t>> kernelShape,
                std::optional<llvm::ArrayRef<int64_t>> strides,
                std::optional<llvm::ArrayRef<int64_t>> dilations,
                std::optional<llvm::ArrayRef<int64_t>> pads,
                llvm::StringRef autoPad);

/// Adds `bias` (`[M]`) along dim 1 of `y` (`[N, M, ...]`) elementwise.
mlir::Value addChannelBias(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value y, mlir::Value bias);

/// `v` (`[C]`) reshaped so that it broadcasts along dim `axis` of a tensor
/// of rank `rank` (trailing unit dims appended); a scalar or one-element
/// `v` becomes rank 0.
mlir::Value alignToAxis(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                        int64_t axis, int64_t rank);

//===----------------------------------------------------------------------===//
// The NN family's files
//===----------------------------------------------------------------------===//

/// Conv and ConvTranspose (NNConvToLinalg.cpp).
void populateNNConvPatterns(const mlir::TypeConverter &converter,
                            mlir::RewritePatternSet &patterns);
/// Windowed and global pools, MaxUnpool (NNPoolToLinalg.cpp).
void populateNNPoolPatterns(const mlir::TypeConverter &converter,
                            mlir::RewritePatternSet &patterns);
/// RNN, GRU and LSTM (NNRecurrentToLinalg.cpp).
void populateNNRecurrentPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
/// The loss ops (NNLossToLinalg.cpp).
void populateNNLossPatterns(const mlir::TypeConverter &converter,
                            mlir::RewritePatternSet &patterns);
/// NonMaxSuppression, RoiAlign and GridSample (NNDetectionToLinalg.cpp).
void populateNNDetectionPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_GRAPHTOLINALG_NNBUILDERS_H
