//===- GradientImporter.h - The Gradient op ---------------------*- C++ -*-===//

#ifndef KILN_COMPILER_IMPORT_GRADIENTIMPORTER_H
#define KILN_COMPILER_IMPORT_GRADIENTIMPORTER_H

#include "compiler/Import/NodeImporter.h"

namespace kiln {

/// The domain of ONNX's training ops; Kiln imports `Gradient` from it.
constexpr llvm::StringLiteral kTrainingDomain = "ai.onnx.preview.training";

/// Imports a Gradient node of `graph` by differentiating its forward nodes.
mlir::LogicalResult importGradient(NodeImporter &node,
                                   const onnx::GraphProto &graph);

} // namespace kiln

#endif // KILN_COMPILER_IMPORT_GRADIENTIMPORTER_H
