//===- Passes.td - Codegen shared by the GPU backends ------*- tablegen -*-===//
//
// The steps that map a bound, workgroup-tiled kernel onto a GPU, the same
// for every GPU vendor: kernel preparation and tile choice, thread tiling,
// the tiled contraction with shared memory (and matrix instructions where
// the target has them), thread distribution, and wrapping into gpu.func.
// Vendor facts come from a GPUTargetInfo (subgroup size, matrix
// instructions), given to each pass by name through its options.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGETS_GPUCOMMON_PASSES_TD
#define KILN_TARGETS_GPUCOMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

// Options every pass that needs target facts takes; they spell a
// GPUTargetInfo (see GPUTargetInfo.h).
defvar GPUTargetOptions = [
  Option<"subgroupSize", "subgroup-size", "int64_t", "32",
         "Threads of a subgroup (warp, wavefront)">,
  Option<"maxThreads", "max-threads", "int64_t", "256",
         "Most threads of a block this backend launches">,
  Option<"sharedMemoryBytes", "shared-memory", "int64_t", "49152",
         "Static shared memory a block may use, in bytes">,
  ListOption<"intrinsics", "intrinsics", "std::string",
             "Matrix instructions the target has, by registered name, best "
             "first">,
  Option<"allowTF32", "allow-tf32", "bool", "false",
         "Let f32 contractions use instructions that round inputs to TF32">,
];

def GPUConfigureKernelsPass
    : Pass<"kiln-gpu-configure-kernels", "::mlir::func::FuncOp"> {
  let summary = "Prepares a bound kernel for the GPU and chooses its workgroup tile";
  let description = [{
    Runs on each bound kernel, on tensors, before workgroup tiling. Reads
    padding through bounds checks (an op reading a `tensor.pad` by a
    constant becomes a generic that reads the pad's source), folds
    transpositions and broadcasts into a contraction's indexing maps, fuses
    chains of elementwise ops, moves a contraction's non-zero initial value
    into an elementwise epilogue (so the contraction starts from a
    constant), and chooses how the kernel maps to the GPU:

    - `contraction`: a matmul-like op (one m, n and k loop each, static
      shapes), maybe followed by one elementwise epilogue, computed in
      block tiles through shared memory by kiln-gpu-lower-contraction. Its
      workgroup tile is pinned (`kiln.workgroup_tiles`) to the block tile.
    - `threads`: everything else (a contraction whose operands are
      computed in the kernel too); kiln-gpu-tile-threads gives each thread
      one output element. Its workgroup tile is pinned to about a block of
      output elements, unless the kernel reads a computed value along a
      loop it does not vary with (then the workgroup tiling heuristics,
      which keep such loops whole, choose).

    The choice is recorded as `kiln.gpu.strategy` (with the block tile as
    `kiln.gpu.tile`) on the function.
  }];
  let options = GPUTargetOptions;
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def GPUTileThreadsPass : Pass<"kiln-gpu-tile-threads", "::mlir::func::FuncOp"> {
  let summary = "Tiles each workgroup's output op to one element per thread";
  let description = [{
    Runs on tensors after workgroup tiling. The op that writes a
    workgroup's tile of the output is tiled again with an `scf.forall`
    whose iterations each compute one output element (reduction loops stay
    whole), fusing its producers, so that temporaries shrink to scalars.
    The loop is mapped to `#gpu.thread<linear_dim_N>`;
    kiln-gpu-distribute-threads later deals its iterations to the block's
    threads. Kernels of the `contraction` strategy are left alone.

    A reduction whose result another op of the workgroup reads along one of
    its own reduction loops, directly or through elementwise ops (pooled
    values feeding a matmul, a matmul's row feeding a softmax or a layer
    normalization) would be computed whole again by every thread that
    fuses it. When its tile fits in half the shared memory, it is staged
    instead: computed first by a thread loop of its own into a workgroup
    buffer (`bufferization.alloc_tensor` in workgroup memory), which the
    later thread loops read (kiln-gpu-distribute-threads puts a barrier
    between them).
  }];
  let options = GPUTargetOptions;
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def GPULowerContractionPass
    : Pass<"kiln-gpu-lower-contraction", "::mlir::func::FuncOp"> {
  let summary = "Computes a workgroup's contraction tile through shared memory";
  let description = [{
    Runs on buffers, after workgroup distribution, on kernels of the
    `contraction` strategy. Replaces the tile's fill, contraction and
    epilogue by explicit code: the reduction loop steps through the
    operands in slices that the block copies to shared memory; each
    subgroup computes a part of the tile with the best matrix instruction
    the target has for the element types (or with scalar multiply-adds,
    several outputs per thread); the accumulators stay in registers, and
    the epilogue is applied to them before the one store to the output.
    Records the block size (`kiln.block`).
  }];
  let options = GPUTargetOptions;
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def GPUDistributeThreadsPass
    : Pass<"kiln-gpu-distribute-threads", "::mlir::func::FuncOp"> {
  let summary = "Deals thread loops to the threads of a block";
  let description = [{
    Runs on buffers. Each `scf.forall` mapped to threads becomes a loop
    over its linearized iterations that starts at the thread id and steps
    by the block size, so consecutive threads touch consecutive elements.
    The block size is the loop's size rounded up to the subgroup size, at
    most `max-threads`. A kernel that writes its bindings outside such a
    loop (serial kernels: loops, sorting, a tile that could not be split)
    runs on one thread, unless it is a straight sequence of structured ops
    without temporaries (a concatenation's copies): then each op gets a
    thread loop, with barriers between them. Temporary buffers become
    private to each thread, except workgroup buffers (staged by
    kiln-gpu-tile-threads): a barrier follows each thread loop that writes
    one. Records the block size as `kiln.block`.
  }];
  let options = GPUTargetOptions;
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def GPUWrapKernelsPass : Pass<"kiln-gpu-wrap-kernels", "::mlir::ModuleOp"> {
  let summary = "Moves every kernel into a gpu.module as a gpu.func";
  let description = [{
    Each kernel `func.func` (one with `kiln.grid`) becomes a kernel
    `gpu.func` of the same name and bindings in the gpu.module
    `kiln_kernels`: the workgroup id becomes the block id, the workgroup
    count the constant grid, buffers allocated in workgroup memory become
    16-byte aligned globals of the module in workgroup memory, constant
    buffers (`memref.global`) move into the module, and the grid and block
    become the function's known sizes.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

#endif // KILN_TARGETS_GPUCOMMON_PASSES_TD
