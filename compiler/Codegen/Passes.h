//===- Passes.h - Target-independent codegen passes -------------*- C++ -*-===//

#ifndef KILN_COMPILER_CODEGEN_PASSES_H
#define KILN_COMPILER_CODEGEN_PASSES_H

#include "dialects/Dispatch/IR/DispatchDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Pass/Pass.h"

#include <functional>

namespace kiln {

/// Name of the function attribute holding a kernel's grid (x, y, z).
constexpr llvm::StringLiteral kGridAttr = "kiln.grid";

/// Name of an attribute a target may put on a kernel's output op before
/// kiln-tile-workgroups to choose its workgroup tile: one size per loop of
/// the op, 0 for a loop left whole. At most three loops, all parallel, may
/// be tiled; the tiler ignores a choice that breaks these rules.
constexpr llvm::StringLiteral kWorkgroupTilesAttr = "kiln.workgroup_tiles";

#define GEN_PASS_DECL
#include "compiler/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/Passes.h.inc"

/// The op whose result a bound kernel writes to its single output (through
/// `materialize_in_destination`), or null when the kernel has several
/// outputs or that op is not tileable. Workgroup tiling starts from it.
mlir::TilingInterface getKernelOutputOp(mlir::func::FuncOp kernel);

/// What a target chooses in the shared front of codegen.
struct CommonCodegenOptions {
  /// kiln-tile-workgroups' bounds: the most workgroups of one kernel, and
  /// the least work (output elements times reduction size) per workgroup.
  /// A CPU wants a few large workgroups, a GPU many small ones.
  int64_t maxWorkgroups = 64;
  int64_t minWorkPerWorkgroup = 65536;
  /// The smallest tile along a loop, and the most workgroups of a kernel
  /// holding a contraction (whose tiles are near-square panels). A CPU
  /// vectorizes inside workgroups and wants wide tiles and few large
  /// panels; a GPU gives each output element a thread and wants many
  /// workgroups.
  int64_t minTile = 8;
  int64_t maxContractionWorkgroups = 16;
  /// Workgroup tiles of a convolution's filters are multiples of this where
  /// the filters allow: a CPU's register tile may run along whole panels of
  /// filters.
  int64_t filterTileMultiple = 1;
  /// Kernels holding a 3x3 max pool or depthwise convolution with strides
  /// of 1 or 2 over a padded input are tiled along their channels only (the
  /// CPU computes those windows plane by plane from the unpadded input).
  bool wholeWindowPlanes = false;
  /// Target passes on each kernel function after it is bound and before
  /// workgroup tiling: they may rewrite the kernel on tensors and choose its
  /// tiles (kWorkgroupTilesAttr).
  std::function<void(mlir::OpPassManager &)> beforeWorkgroupTiling;
  /// Target passes on each kernel function inside workgroups, on tensors,
  /// before bufferization.
  std::function<void(mlir::OpPassManager &)> beforeBufferization;
};

/// Adds the shared front of every target's codegen pipeline to `pm`, which
/// runs on the kernels module: bindings, the target's own preparation,
/// workgroup tiling, then what the target adds inside workgroups on tensors,
/// bufferization, workgroup distribution.
void buildCommonCodegenPipeline(mlir::OpPassManager &pm,
                                const CommonCodegenOptions &options);

/// The same with the default (CPU-sized) workgroups and one hook.
void buildCommonCodegenPipeline(
    mlir::OpPassManager &pm,
    llvm::function_ref<void(mlir::OpPassManager &)> beforeBufferization = {});

} // namespace kiln

#endif // KILN_COMPILER_CODEGEN_PASSES_H
