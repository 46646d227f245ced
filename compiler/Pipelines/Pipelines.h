//===- Pipelines.h - Kiln's named pass pipelines ----------------*- C++ -*-===//
//
// Each stage of the compiler is a named pipeline, runnable on its own in
// kiln-opt (`--pass-pipeline=builtin.module(kiln-graph-pipeline)`) and
// selected by `kiln-compile --compile-to=`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_PIPELINES_PIPELINES_H
#define KILN_COMPILER_PIPELINES_PIPELINES_H

#include <cstdint>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace kiln {

/// Choices of the graph stage that depend on the targets.
struct GraphPipelineOptions {
  /// Recognize attention as one graph.attention, which lowers to a kernel
  /// already tiled into workgroups; only targets that run such kernels
  /// (TargetBackend::supportsPretiledKernels) want it.
  bool fuseAttention = true;
};

/// The graph stage: shape inference and folding, canonicalization, CSE,
/// dead code removal, the clean-ups exported models need. Runs on a module
/// of graph functions.
void buildGraphPipeline(mlir::OpPassManager &pm,
                        const GraphPipelineOptions &options = {});

/// Choices of the dispatch stage that depend on the targets.
struct DispatchPipelineOptions {
  /// Filters per panel to pack constant convolution weights into
  /// (dispatch-pack-conv-weights), when every target reads them so
  /// (TargetBackend::getConvFilterPanel); 0 packs nothing.
  int64_t convFilterPanel = 0;
  /// Columns per panel to pack a constant matmul B into
  /// (dispatch-pack-matmul-weights), when every target reads it so
  /// (TargetBackend::getMatmulPanel); 0 packs nothing.
  int64_t matmulPanel = 0;
  /// Filters per panel of the transformed weights of 3x3 convolutions
  /// computed with Winograd's F(2x2, 3x3) (dispatch-winograd-conv), when
  /// every target asks for it (TargetBackend::getWinogradFilterPanel); 0
  /// keeps every convolution direct.
  int64_t winogradPanel = 0;
};

/// The dispatch stage: lowers the graph to linalg on tensors, groups the
/// computation into dispatch regions and outlines each as a kernel.
void buildDispatchPipeline(mlir::OpPassManager &pm,
                           const DispatchPipelineOptions &options = {});

/// Registers every named pipeline with the pass registry.
void registerPipelines();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_PIPELINES_H
