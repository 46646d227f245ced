//===- DispatchOps.td - Dispatch dialect ops ---------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_TD
#define KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_TD

include "dialects/Dispatch/IR/DispatchBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Dispatch_RegionOp : Dispatch_Op<"region", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"ReturnOp">, RecursiveMemoryEffects]> {
  let summary = "One fusion group, which becomes one kernel";
  let description = [{
    The body computes the results from the operands, which it receives as
    block arguments: a region reads nothing from outside but its operands
    (small constants are cloned in). `name` names the kernel; its
    location fuses the locations of the ONNX nodes it computes.

    ```mlir
    %r = dispatch.region (%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
      %e = tensor.empty() : tensor<4xf32>
      %s = linalg.add ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
      dispatch.return %s : tensor<4xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $inputs `)` attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs)>
  ];
}

def Dispatch_ReturnOp : Dispatch_Op<"return", [Pure, Terminator, ReturnLike,
    HasParent<"RegionOp">]> {
  let summary = "Ends a dispatch region with its results";
  let description = [{
    ```mlir
    dispatch.return %s : tensor<4xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def Dispatch_LaunchOp : Dispatch_Op<"launch", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs an outlined kernel on tensors";
  let description = [{
    The host-side form of a dispatch after outlining: it names the kernel
    function in the nested `@kernels` module, passes the operands and
    receives the results. The execution planner turns each launch into an
    `exec.launch` over buffers.

    ```mlir
    %r = dispatch.launch @kernels::@dispatch_0(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins SymbolRefAttr:$kernel, Variadic<AnyRankedTensor>:$inputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kernel `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
  }];
}

def Dispatch_WorkgroupIdOp : Dispatch_Op<"workgroup_id", [Pure]> {
  let summary = "The index of the running workgroup along one grid axis";
  let description = [{
    ```mlir
    %x = dispatch.workgroup_id 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntMinValue<0>, IntMaxValue<2>]>:$dimension);
  let results = (outs Index:$result);
  let assemblyFormat = "$dimension attr-dict";
}

def Dispatch_WorkgroupCountOp : Dispatch_Op<"workgroup_count", [Pure]> {
  let summary = "The number of workgroups along one grid axis";
  let description = [{
    ```mlir
    %n = dispatch.workgroup_count 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntMinValue<0>, IntMaxValue<2>]>:$dimension);
  let results = (outs Index:$result);
  let assemblyFormat = "$dimension attr-dict";
}

#endif // KILN_DIALECTS_DISPATCH_IR_DISPATCHOPS_TD
