//===- DispatchBase.td - Dispatch dialect definition -------*- tablegen -*-===//

#ifndef KILN_DIALECTS_DISPATCH_IR_DISPATCHBASE_TD
#define KILN_DIALECTS_DISPATCH_IR_DISPATCHBASE_TD

include "mlir/IR/OpBase.td"

def Dispatch_Dialect : Dialect {
  let name = "dispatch";
  let cppNamespace = "::kiln::dispatch";
  let summary = "Fusion groups: the kernels of a model";
  let description = [{
    The `dispatch` dialect is where Kiln decides what becomes a kernel. A
    `dispatch.region` is one fusion group: it names its operands and
    results explicitly and holds the upstream ops (linalg, tensor, arith,
    math, scf on tensors) that compute them. Every region becomes one
    kernel, launched over a grid of workgroups, so a reader of the dispatch
    stage sees every kernel the model will run.

    Outlining turns each region into a kernel function (in the nested
    module `@kernels`) and a `dispatch.launch` of it in the host function.
    Inside a kernel, `dispatch.workgroup_id` and `dispatch.workgroup_count`
    give the position of the running workgroup; each target maps them to
    its own notion (a CPU thread pool's work items, a GPU's blocks).
  }];
}

class Dispatch_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dispatch_Dialect, mnemonic, traits>;

#endif // KILN_DIALECTS_DISPATCH_IR_DISPATCHBASE_TD
