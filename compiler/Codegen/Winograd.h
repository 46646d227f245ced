//===- Winograd.h - The ops of a Winograd convolution -----------*- C++ -*-===//
//
// dispatch-winograd-conv turns a 3x3 convolution into three structured ops
// (dialects/Dispatch/Transforms/WinogradConv.cpp has their definitions):
// the input transform, the 16 products in the transformed domain, and the
// output transform. Each carries kWinogradAttr naming its part; a code
// generator that sees the attribute may compute the part's fixed
// coefficients (the transforms of F(2x2, 3x3)) in code instead of reading
// them. The attribute is the pass's promise: nothing else sets it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CODEGEN_WINOGRAD_H
#define KILN_COMPILER_CODEGEN_WINOGRAD_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace kiln {

constexpr llvm::StringLiteral kWinogradAttr = "kiln.winograd";
constexpr llvm::StringLiteral kWinogradInput = "input";
constexpr llvm::StringLiteral kWinogradProduct = "product";
constexpr llvm::StringLiteral kWinogradOutput = "output";

/// The part of a Winograd convolution that `op` computes ("input",
/// "product", "output"), or an empty string.
inline llvm::StringRef getWinogradPart(mlir::Operation *op) {
  if (auto part = op->getAttrOfType<mlir::StringAttr>(kWinogradAttr))
    return part.getValue();
  return {};
}

} // namespace kiln

#endif // KILN_COMPILER_CODEGEN_WINOGRAD_H
