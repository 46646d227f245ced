//===- GraphUtils.h - Helpers for graph shape inference ---------*- C++ -*-===//
//
// Shared by the shape inference and folders of every op family: constant
// operand access, axis normalization, broadcasting, checked type building.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHUTILS_H
#define KILN_DIALECTS_GRAPH_IR_GRAPHUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace kiln::graph {

/// Largest number of elements a tensor type may have. Shapes past it are
/// rejected as overflowing, so every later size computation fits in int64.
constexpr int64_t kMaxElements = int64_t(1) << 48;

/// Whether `v` is the `none` value of an absent optional input.
bool isNone(mlir::Value v);

/// The ranked tensor type of `v`, or null for `none` and anything else.
mlir::RankedTensorType getTensorType(mlir::Value v);

/// The value of `v` when it is a constant (a `graph.constant` or anything
/// with the ConstantLike trait), else null.
mlir::ElementsAttr getConstantValue(mlir::Value v);

/// The elements of a constant integer tensor (any width, signed or not) as
/// int64, or nullopt when `v` is not a constant integer tensor.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value v);

/// The elements of a constant tensor of any numeric type as double, or
/// nullopt when `v` is not constant.
std::optional<llvm::SmallVector<double>> getConstantDoubles(mlir::Value v);

/// The elements of an integer elements attribute as int64 (unsigned element
/// types are zero-extended).
llvm::SmallVector<int64_t> getInts(mlir::ElementsAttr attr);

/// Builds `tensor<shape x elementType>`, or emits an error on `op` and fails
/// when a dimension is negative (other than dynamic) or the element count
/// passes kMaxElements.
mlir::FailureOr<mlir::RankedTensorType>
checkedTensorType(mlir::Operation *op, llvm::ArrayRef<int64_t> shape,
                  mlir::Type elementType);

/// Maps `axis` in [-rank, rank) to [0, rank), or emits an error naming the
/// attribute `what` and fails.
mlir::FailureOr<int64_t> normalizeAxis(mlir::Operation *op, int64_t axis,
                                       int64_t rank,
                                       llvm::StringRef what = "axis");

/// Numpy-style broadcast of several shapes; emits an error and fails when
/// two static sizes differ and neither is 1.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(mlir::Operation *op,
                llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes);

/// The product of `dims`, or nullopt when a dim is dynamic or the product
/// passes kMaxElements.
std::optional<int64_t> staticProduct(llvm::ArrayRef<int64_t> dims);

/// Builds a dense elements attribute of `type` from int64 values, truncated
/// or extended to the element type (integer, bool or float).
mlir::DenseElementsAttr makeIntElements(mlir::RankedTensorType type,
                                        llvm::ArrayRef<int64_t> values);

/// Same from doubles; integer element types round toward zero.
mlir::DenseElementsAttr makeDoubleElements(mlir::RankedTensorType type,
                                           llvm::ArrayRef<double> values);

/// Whether an element type is an unsigned integer.
inline bool isUnsignedInt(mlir::Type t) { return t.isUnsignedInteger(); }

/// Checks that `shape` broadcasts to `target` in one direction (numpy rules
/// where the result must be `target`: no more dimensions, each 1 or equal)
/// and returns `target` with its dynamic dimensions replaced by the sizes
/// `shape` implies. Emits an error naming the operand `what` and fails
/// otherwise.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastOneWay(mlir::Operation *op, llvm::ArrayRef<int64_t> target,
                llvm::ArrayRef<int64_t> shape, llvm::StringRef what);

//===----------------------------------------------------------------------===//
// Convolution and pooling windows, matrix products (NN and Quant families)
//===----------------------------------------------------------------------===//

/// The ONNX `auto_pad` modes of convolution and pooling ops.
enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

/// The sliding window of a convolution or pooling op over its spatial
/// dimensions, with the ONNX defaults filled in (strides and dilations 1,
/// pads 0). `kernel` holds kDynamic where only a dynamic weight dimension
/// knows the size. `pads` is [begin_0, ..., begin_n-1, end_0, ..., end_n-1].
struct ConvWindow {
  AutoPad autoPad = AutoPad::NotSet;
  llvm::SmallVector<int64_t> kernel;
  llvm::SmallVector<int64_t> strides;
  llvm::SmallVector<int64_t> dilations;
  llvm::SmallVector<int64_t> pads;
};

/// Reads and checks the window attributes of a convolution or pooling op
/// with `numSpatial` spatial dimensions. The kernel comes from
/// `kernelShape` when present, else from `weightKernel` (the spatial dims of
/// a weight); when both are known they must agree. Emits an error naming the
/// attribute and fails on a wrong length, a non-positive kernel, stride or
/// dilation, a negative pad, a value past kMaxElements, or an unknown
/// `auto_pad`.
mlir::FailureOr<ConvWindow>
getConvWindow(mlir::Operation *op, int64_t numSpatial,
              std::optional<llvm::ArrayRef<int64_t>> kernelShape,
              llvm::ArrayRef<int64_t> weightKernel,
              std::optional<llvm::ArrayRef<int64_t>> strides,
              std::optional<llvm::ArrayRef<int64_t>> dilations,
              std::optional<llvm::ArrayRef<int64_t>> pads,
              llvm::StringRef autoPad);

/// The output sizes of a convolution or pooling window over `inputSizes`
/// (kDynamic where unknown). SAME_* gives ceil(in / stride); otherwise
/// (in + pads - effective kernel) / stride + 1, rounded down, or up with
/// `ceilMode` (where, as in PyTorch and current ONNX, a last window that
/// would start in the end padding is dropped). Emits an error and fails
/// when the padded input is smaller than the window.
mlir::FailureOr<llvm::SmallVector<int64_t>>
inferConvOutputSizes(mlir::Operation *op, llvm::ArrayRef<int64_t> inputSizes,
                     const ConvWindow &window, bool ceilMode);

/// The explicit pads that a SAME_UPPER, SAME_LOWER or VALID window amounts
/// to over static `inputSizes`, or nullopt when an input or kernel size is
/// dynamic. With these pads and auto_pad NOTSET (floor mode) the output
/// sizes are unchanged, which lets canonicalization drop auto_pad.
std::optional<llvm::SmallVector<int64_t>>
explicitConvPads(llvm::ArrayRef<int64_t> inputSizes, const ConvWindow &window);

/// The result shape `[N, M, O1, ..., On]` of a convolution of `x`
/// (`[N, C, D1, ..., Dn]`) with `w` (`[M, C / group, k1, ..., kn]`), float
/// or quantized. Checks the ranks, the channel and group arithmetic and the
/// window attributes; emits an error and fails on any mismatch.
mlir::FailureOr<llvm::SmallVector<int64_t>>
inferConvShape(mlir::Operation *op, mlir::RankedTensorType x,
               mlir::RankedTensorType w, int64_t group,
               std::optional<llvm::ArrayRef<int64_t>> kernelShape,
               std::optional<llvm::ArrayRef<int64_t>> strides,
               std::optional<llvm::ArrayRef<int64_t>> dilations,
               std::optional<llvm::ArrayRef<int64_t>> pads,
               llvm::StringRef autoPad);

/// The result shape of numpy matmul of operands shaped `a` and `b`: 1-D
/// operands get a 1 prepended (a) or appended (b) that the result drops,
/// batch dimensions broadcast. Emits an error and fails on a rank-0
/// operand, a contraction size mismatch or batch dims that do not
/// broadcast.
mlir::FailureOr<llvm::SmallVector<int64_t>>
inferMatMulShape(mlir::Operation *op, llvm::ArrayRef<int64_t> a,
                 llvm::ArrayRef<int64_t> b);

//===----------------------------------------------------------------------===//
// Shape arithmetic (added with the tensor ops)
//===----------------------------------------------------------------------===//

/// What compile-time shape arithmetic knows about one element of a small
/// integer tensor that holds a shape, an index or a count: its value, or
/// that it is the (dynamic) size of dimension `dim` of `source`, or nothing.
struct ShapeElement {
  std::optional<int64_t> value;
  mlir::Value source;
  int64_t dim = 0;

  /// Whether this is the size of dimension `d` of `v`.
  bool isDimOf(mlir::Value v, int64_t d) const {
    return !value && source && source == v && dim == d;
  }
};

/// The elements of `v`, an integer tensor of static shape with at most 64
/// elements, as far as constants and the static sizes of other tensors tell:
/// follows `shape`, `concat`, `gather` and `slice` of 1-D values, integer
/// casts and reshape-like ops back to constants and `shape` ops. Nullopt
/// when `v` is not such a tensor.
std::optional<llvm::SmallVector<ShapeElement>> getShapeElements(mlir::Value v);

/// The values of an integer tensor when every one is known at compile time:
/// a constant of any size, or shape arithmetic (getShapeElements) whose
/// elements are all values. Nullopt otherwise, and for `none`.
std::optional<llvm::SmallVector<int64_t>> getKnownInts(mlir::Value v);

/// One axis of an ONNX Slice after its start and end are resolved against
/// the dimension size: the first index read, the step, and how many
/// elements are read.
struct SliceRange {
  int64_t start;
  int64_t step;
  int64_t count;
};

/// Resolves a Slice axis of static size `dim` with the ONNX rules: negative
/// start and end count from the back, then are clamped to [0, dim] for a
/// positive step and to [0, dim - 1] (start) and [-1, dim - 1] (end) for a
/// negative one. `step` must not be 0. Safe for any int64 inputs.
SliceRange resolveSliceRange(int64_t dim, int64_t start, int64_t end,
                             int64_t step);

} // namespace kiln::graph

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHUTILS_H
