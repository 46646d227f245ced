//===- Passes.td - CPU backend passes ----------------------*- tablegen -*-===//

#ifndef KILN_TARGETS_CPU_PASSES_TD
#define KILN_TARGETS_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUWorkgroupArgsPass : Pass<"kiln-cpu-workgroup-args", "::mlir::func::FuncOp"> {
  let summary = "Passes the workgroup id to CPU kernels as arguments";
  let description = [{
    A CPU kernel learns which workgroup it runs from its caller, the
    runtime's thread pool. Appends three index arguments (x, y, z) to each
    kernel and replaces `dispatch.workgroup_id` by them;
    `dispatch.workgroup_count` becomes the constant grid size (`kiln.grid`).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def CPUKernelABIPass : Pass<"kiln-cpu-kernel-abi", "::mlir::ModuleOp"> {
  let summary = "Wraps each lowered kernel in the CPU kernel ABI";
  let description = [{
    Runs on the LLVM dialect. Each kernel `@k(ptr..., i64 x, i64 y, i64 z)`
    becomes the internal `@k.impl`, called from a new exported `@k` with the
    ABI of the runtime's CPU device:
    `void k(void **bindings, const uint32_t *constants, uint32_t x,
    uint32_t y, uint32_t z, uint32_t count_x, uint32_t count_y,
    uint32_t count_z)`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def CPUTileAndVectorizePass : Pass<"kiln-cpu-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tiles each workgroup's ops for the caches and registers, and vectorizes them";
  let description = [{
    Runs inside a workgroup, on tensors, before bufferization. Matmul-like
    contractions are tiled for the caches, then into register tiles
    (rows x vector lanes) that vectorize to `vector.contract`, which later
    lowers to outer products: broadcast FMAs over accumulators held in
    registers. A matmul whose constant B was packed at compile time
    (dispatch-pack-matmul-weights) takes the same tiles and reads each
    register tile's row of B in place from its panel. Convolutions get
    register tiles of filters by output pixels
    (1x1 ones as matrix products over their pixels); depthwise convolutions
    and pools, with the fill they start from and their elementwise
    epilogue, become straight-line vector code per tile of a few rows of
    output pixels; 3x3 ones with strides of 1 or 2 over whole planes are
    computed row by row from the unpadded input (docs/pipeline.md).
    Padded copies are filled and copied in whole rows. Other
    linalg ops are tiled to vector-sized pieces along their innermost loop
    and vectorized, with masks where the size does not divide. An op that
    does not vectorize is left to become loops.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "512",
           "Width of the vector registers of the target CPU">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def CPULowerVectorsPass : Pass<"kiln-cpu-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Hoists and lowers vector ops toward LLVM after bufferization";
  let description = [{
    Keeps accumulators in registers across reduction loops (hoisting
    redundant transfers), lowers `vector.contract` to outer products and
    those to FMAs, and lowers transfers, masks, multi-reductions,
    broadcasts and transposes to the forms the LLVM conversion accepts.
    Masked transfers (partial vector tiles) become transfers with a mask
    operand; copies between non-contiguous buffers become linalg.copy, left
    to the loop lowering. First, an scf.if whose branches all yield
    buffers of one static identity-layout type (cast to the fully dynamic
    layout bufferization gave it: a tiled pad's guard against an empty
    slice) yields that type, so that reads of it keep static strides.
    Last, maximumf and minimumf against a constant bound that is no NaN
    (Clip, Relu) become `bound > x ? bound : x` and `bound < x ? bound :
    x`, one AVX-512 max or min each.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // KILN_TARGETS_CPU_PASSES_TD
