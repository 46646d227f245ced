//===- Passes.td - Target-independent codegen passes -------*- tablegen -*-===//
//
// The steps of kernel code generation that every target shares: kernels
// take buffers (bindings), are tiled into workgroups, bufferized, and have
// their workgroup loop replaced by the workgroup id.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_CODEGEN_PASSES_TD
#define KILN_COMPILER_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def BindKernelsPass : Pass<"kiln-bind-kernels", "::mlir::ModuleOp"> {
  let summary = "Gives every kernel the binding signature of the kernel ABI";
  let description = [{
    Rewrites each kernel `func.func` from tensors in, tensors out, to one
    memref argument per binding: its inputs, then its outputs. The body
    reads inputs through `bufferization.to_tensor` and writes each result
    with `bufferization.materialize_in_destination` into its output
    binding, so that bufferization computes in place. Runs on the module
    holding the kernels.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def TileWorkgroupsPass : Pass<"kiln-tile-workgroups", "::mlir::func::FuncOp"> {
  let summary = "Tiles a kernel into workgroups";
  let description = [{
    Tiles the op that produces the kernel's output along up to three of
    its parallel loops with `scf.forall`, fusing its producers into the
    tile, and records the number of tiles per loop as the kernel's grid
    (`kiln.grid`, x y z). Kernels with several outputs, or whose output op
    cannot be tiled, get a grid of one workgroup.

    The work of a kernel is the iteration count of all its linalg ops.
    Loops along which a value computed in the kernel is broadcast (the row
    statistics of a softmax or a normalization) stay whole, so that no
    tile computes it again; loops along which a padded operand would be
    padded again (the filters of a convolution) are split last. An
    elementwise epilogue that is the only reader of the contraction or
    convolution before it updates that op's result in place, so that
    both write the output binding.

    In a kernel that holds a matrix contraction, each workgroup reads a
    panel of rows of one operand and of columns of the other: the two
    innermost parallel loops are then tiled together, choosing among the
    tilings that divide them the one whose tiles read the least per
    multiply-add, with enough workgroups to share out.

    With `filter-tile-multiple`, a convolution's filters are split into
    tiles that are multiples of it where they divide, when its rows of
    output pixels are not a multiple of half of it or are strided along
    (the CPU sets two vectors: its register tile then runs along panels
    of filters). A 1x1
    convolution of one image with unit strides, whose pixels are a
    multiple of it, keeps its rows whole instead, with its filters in
    tiles of `min-tile` and its rows in groups whose pixels are multiples
    of it (the CPU computes such a tile as a matrix product over its
    pixels). Otherwise, the output op's innermost loop, where its range
    is a multiple of half of it (a vector on the CPU), is split into
    tiles of whole vectors only; for a convolution along the filters
    (strided, or rows that are not whole vectors) whose rows are whole
    vectors, the rows are not split at all.

    A kernel holding a Winograd convolution (compiler/Codegen/Winograd.h)
    splits its output rows into bands of whole 2x2-block rows (at most 4)
    where its transformed weights take at most 256 KiB, else its filters
    into whole panels (at most 2). With `whole-window-planes`, a
    kernel holding a 3x3 max pool or depthwise convolution with strides of
    1 or 2 and unit dilations over a padded input is split along its
    channels only.

    A target may choose the tiles itself with a `kiln.workgroup_tiles`
    array on the output op (one size per loop, 0 for a whole loop); the
    heuristics above are then skipped.
  }];
  let options = [
    Option<"maxWorkgroups", "max-workgroups", "int64_t", "64",
           "Upper bound on the number of workgroups of one kernel">,
    Option<"minWorkPerWorkgroup", "min-work", "int64_t", "65536",
           "Smallest amount of work (output elements times reduction size) "
           "worth a workgroup">,
    Option<"minTile", "min-tile", "int64_t", "8",
           "Smallest tile along a tiled loop (smaller loops stay whole)">,
    Option<"maxContractionWorkgroups", "max-contraction-workgroups",
           "int64_t", "16",
           "Upper bound on the workgroups of a kernel holding a matrix "
           "contraction, whose tiles are kept close to square">,
    Option<"filterTileMultiple", "filter-tile-multiple", "int64_t", "1",
           "Workgroup tiles of a convolution's filters are multiples of this "
           "where the filters allow (a CPU's register tile runs along whole "
           "panels of filters)">,
    Option<"wholeWindowPlanes", "whole-window-planes", "bool",
           "false",
           "Tile a kernel holding a 3x3 max pool or depthwise convolution "
           "with strides of 1 or 2 over a padded input along its channels "
           "only (the CPU computes such windows plane by plane from the "
           "unpadded input)">,
    Option<"maxPaddedCopies", "max-padded-copies", "int64_t", "4",
           "Upper bound on the workgroups along loops that do not index a "
           "padded operand computed in the kernel (each pads it again)">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DistributeWorkgroupsPass : Pass<"kiln-distribute-workgroups", "::mlir::func::FuncOp"> {
  let summary = "Replaces the workgroup loop by the workgroup id";
  let description = [{
    After bufferization, the outermost `scf.forall` of a kernel without a
    `mapping` iterates over its workgroups (loops that a target mapped to
    something else, such as threads, are left alone). Each workgroup runs
    one iteration: the loop is replaced by its body, with the induction
    variables computed from `dispatch.workgroup_id` (the last loop is x,
    the one before y, then z).
  }];
  let dependentDialects = [
    "::kiln::dispatch::DispatchDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif // KILN_COMPILER_CODEGEN_PASSES_TD
