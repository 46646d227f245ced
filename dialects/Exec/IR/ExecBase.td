//===- ExecBase.td - Exec dialect definition ---------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_EXEC_IR_EXECBASE_TD
#define KILN_DIALECTS_EXEC_IR_EXECBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Exec_Dialect : Dialect {
  let name = "exec";
  let cppNamespace = "::kiln::exec";
  let summary = "The planned host program of a model";
  let description = [{
    The `exec` dialect is the host program after planning, one op per step
    of the artifact's command list. Tensors are gone: every value is a byte
    range (`#exec.ref`) in the session's arena or in the artifact's
    constants pool. An `exec.program` lists its inputs and outputs with
    their places, the constants with theirs, and the launches and copies in
    order; the artifact writer serializes it as is.
  }];
  let useDefaultAttributePrinterParser = 1;
}

def Exec_Segment : I32EnumAttr<"Segment", "where a buffer lives", [
    I32EnumAttrCase<"Arena", 0, "arena">,
    I32EnumAttrCase<"Constants", 1, "constants">]> {
  let cppNamespace = "::kiln::exec";
  let genSpecializedAttr = 0;
}

def Exec_SegmentAttr : EnumAttr<Exec_Dialect, Exec_Segment, "segment">;

def Exec_BufferRefAttr : AttrDef<Exec_Dialect, "BufferRef"> {
  let mnemonic = "ref";
  let summary = "A byte range in the arena or the constants pool";
  let description = [{
    `size` bytes starting `offset` bytes into a segment: the session's
    arena or the artifact's constants pool.

    ```mlir
    #exec.ref<arena, 128, 64>
    ```
  }];
  let parameters = (ins
    AttrParameter<"::kiln::exec::Segment", "arena or constants">:$segment,
    AttrParameter<"int64_t", "offset in bytes from the segment's start">:$offset,
    AttrParameter<"int64_t", "size in bytes">:$size);
  let assemblyFormat = "`<` $segment `,` $offset `,` $size `>`";
  let genVerifyDecl = 1;
}

class Exec_Op<string mnemonic, list<Trait> traits = []>
    : Op<Exec_Dialect, mnemonic, traits>;

#endif // KILN_DIALECTS_EXEC_IR_EXECBASE_TD
