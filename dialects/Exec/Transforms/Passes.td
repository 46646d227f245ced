//===- Passes.td - Exec dialect passes ---------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_TD
#define KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExecPlanPass : Pass<"exec-plan", "::mlir::ModuleOp"> {
  let summary = "Plans the host function's buffers into one arena";
  let description = [{
    Turns the host function `@main` (dispatch launches, constants and
    reshapes on tensors) into an `exec.program`. Each tensor that a launch
    produces, and each input, gets a 64-byte aligned range of the arena,
    live from the step that writes it to the last step that reads it;
    ranges whose lifetimes do not overlap share memory (greedy best fit,
    largest first). Reshapes alias their source. Constants get ranges of
    the constants pool, identical ones once.
  }];
  let dependentDialects = ["::kiln::exec::ExecDialect"];
}

#endif // KILN_DIALECTS_EXEC_TRANSFORMS_PASSES_TD
