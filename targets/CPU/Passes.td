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

#endif // KILN_TARGETS_CPU_PASSES_TD
