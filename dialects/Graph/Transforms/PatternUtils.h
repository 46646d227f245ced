//===- PatternUtils.h - Matching exported op chains -------------*- C++ -*-===//
//
// Helpers for the graph clean-up patterns, which recognize chains of ONNX
// ops the way exporters emit them: constants compared with a tolerance,
// commutative operands in either order, values used only inside the chain.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_TRANSFORMS_PATTERNUTILS_H
#define KILN_DIALECTS_GRAPH_TRANSFORMS_PATTERNUTILS_H

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/GraphUtils.h"

#include <cmath>

namespace kiln::graph {

/// Whether `v` is a constant whose every element is within a relative
/// tolerance of `expected`.
inline bool isConstantNear(mlir::Value v, double expected,
                           double tolerance = 1e-4) {
  std::optional<llvm::SmallVector<double>> values = getConstantDoubles(v);
  if (!values || values->empty())
    return false;
  return llvm::all_of(*values, [&](double x) {
    return std::abs(x - expected) <= tolerance * std::max(1.0, std::abs(expected));
  });
}

/// The single scalar value of constant `v`, if it has one element.
inline std::optional<double> getScalarConstant(mlir::Value v) {
  std::optional<llvm::SmallVector<double>> values = getConstantDoubles(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return (*values)[0];
}

/// The op of type OpTy defining `v`, or null.
template <typename OpTy> OpTy definedBy(mlir::Value v) {
  return v ? v.getDefiningOp<OpTy>() : OpTy();
}

/// For a binary op, `(operand matching pred, the other operand)` trying
/// both orders; a null pair when neither matches.
template <typename Pred>
std::pair<mlir::Value, mlir::Value> splitOperands(mlir::Operation *op,
                                                  Pred pred) {
  mlir::Value a = op->getOperand(0), b = op->getOperand(1);
  if (pred(a))
    return {a, b};
  if (pred(b))
    return {b, a};
  return {};
}

/// Whether every use of `v` is by `user`.
inline bool onlyUsedBy(mlir::Value v, mlir::Operation *user) {
  return llvm::all_of(v.getUsers(),
                      [&](mlir::Operation *u) { return u == user; });
}

} // namespace kiln::graph

#endif // KILN_DIALECTS_GRAPH_TRANSFORMS_PATTERNUTILS_H
