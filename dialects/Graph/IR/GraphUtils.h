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
