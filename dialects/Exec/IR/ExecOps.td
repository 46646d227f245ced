//===- ExecOps.td - Exec dialect ops -----------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_EXEC_IR_EXECOPS_TD
#define KILN_DIALECTS_EXEC_IR_EXECOPS_TD

include "dialects/Exec/IR/ExecBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

def Exec_ProgramOp : Exec_Op<"program", [Symbol, NoTerminator,
    SingleBlock, IsolatedFromAbove]> {
  let summary = "The host program of a model";
  let description = [{
    Holds, in order, the program's inputs, constants, steps and outputs.
    `arena_size` is the number of bytes every session allocates.

    ```mlir
    exec.program @main arena_size(128) {
      exec.input "x" : tensor<4xf32> at #exec.ref<arena, 0, 16>
      exec.launch 0 @d0_Relu bindings [#exec.ref<arena, 0, 16>, #exec.ref<arena, 64, 16>]
      exec.output "y" : tensor<4xf32> at #exec.ref<arena, 64, 16>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$arena_size);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name `arena_size` `(` $arena_size `)` attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def Exec_InputOp : Exec_Op<"input", [HasParent<"ProgramOp">]> {
  let summary = "An input of the model and where the runtime copies it";
  let description = [{
    ```mlir
    exec.input "x" : tensor<4xf32> at #exec.ref<arena, 0, 16>
    ```
  }];
  let arguments = (ins StrAttr:$name, TypeAttr:$type, Exec_BufferRefAttr:$ref);
  let assemblyFormat = "$name `:` $type `at` $ref attr-dict";
}

def Exec_OutputOp : Exec_Op<"output", [HasParent<"ProgramOp">]> {
  let summary = "An output of the model and where the runtime reads it";
  let description = [{
    ```mlir
    exec.output "y" : tensor<4xf32> at #exec.ref<arena, 64, 16>
    ```
  }];
  let arguments = (ins StrAttr:$name, TypeAttr:$type, Exec_BufferRefAttr:$ref);
  let assemblyFormat = "$name `:` $type `at` $ref attr-dict";
}

def Exec_ConstantOp : Exec_Op<"constant", [HasParent<"ProgramOp">]> {
  let summary = "A constant and its place in the constants pool";
  let description = [{
    ```mlir
    exec.constant dense<1.0> : tensor<4xf32> at #exec.ref<constants, 0, 16>
    ```
  }];
  let arguments = (ins ElementsAttr:$value, Exec_BufferRefAttr:$ref);
  let assemblyFormat = "$value `at` $ref attr-dict";
}

def Exec_LaunchOp : Exec_Op<"launch", [HasParent<"ProgramOp">]> {
  let summary = "Runs one dispatch over its bindings";
  let description = [{
    `dispatch` indexes the artifact's dispatch table (and every target's
    kernel table); `kernel` names it. Bindings are the kernel's inputs,
    then its outputs.

    ```mlir
    exec.launch 0 @d0_Relu bindings [#exec.ref<arena, 0, 16>, #exec.ref<arena, 64, 16>]
    ```
  }];
  let arguments = (ins I64Attr:$dispatch, FlatSymbolRefAttr:$kernel,
                       TypedArrayAttrBase<Exec_BufferRefAttr, "buffer refs">:$bindings);
  let assemblyFormat = "$dispatch $kernel `bindings` $bindings attr-dict";
}

def Exec_CopyOp : Exec_Op<"copy", [HasParent<"ProgramOp">]> {
  let summary = "Copies one buffer to another of the same size";
  let description = [{
    ```mlir
    exec.copy #exec.ref<arena, 0, 16> to #exec.ref<arena, 64, 16>
    ```
  }];
  let arguments = (ins Exec_BufferRefAttr:$source, Exec_BufferRefAttr:$target);
  let assemblyFormat = "$source `to` $target attr-dict";
  let hasVerifier = 1;
}

#endif // KILN_DIALECTS_EXEC_IR_EXECOPS_TD
