//===- GraphControlFlowOps.td - If, Loop, Scan -------------*- tablegen -*-===//
//
// ONNX's control flow: subgraph attributes become regions. A region sees
// every value of the enclosing regions, as an ONNX subgraph sees the values
// of its enclosing graphs, and ends with `graph.yield`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD

include "dialects/Graph/IR/GraphBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Graph_YieldOp : Graph_Op<"yield", [Pure, Terminator, ReturnLike,
    ParentOneOf<["IfOp", "LoopOp", "ScanOp"]>]> {
  let summary = "Ends a control-flow region with its outputs";
  let description = [{
    The operands are the region's outputs, in the order of the ONNX
    subgraph's outputs.

    ```mlir
    graph.yield %a, %b : tensor<2xf32>, tensor<i1>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def Graph_IfOp : Graph_Op<"if", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "Runs one of two regions, chosen by a boolean";
  let description = [{
    `cond` holds one boolean. The results are the yielded values of the
    region that ran; where the two regions yield different sizes, the
    result's dimension is dynamic.

    ```mlir
    %r = graph.if %c : tensor<i1> -> tensor<2xf32> {
      graph.yield %a : tensor<2xf32>
    } else {
      graph.yield %b : tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$cond);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $cond `:` type($cond) (`->` type($outputs)^)? $then_branch `else`
    $else_branch attr-dict
  }];
}

def Graph_LoopOp : Graph_Op<"loop", [RecursiveMemoryEffects]> {
  let summary = "Runs a region up to a trip count while a condition holds";
  let description = [{
    ONNX's Loop. `M` (an i64 scalar) bounds the number of iterations and
    `cond` (a bool scalar) must hold before each; either may be `none`.
    The body's arguments are the iteration number (i64 scalar), the
    condition, and the loop-carried values; it yields the next condition,
    the next loop-carried values, then one slice per scan output. The
    results are the final loop-carried values, then each scan output: the
    slices of every iteration stacked along a new leading dimension.

    ```mlir
    %y, %scan = graph.loop %m, %c, %y0 : (tensor<i64>, tensor<i1>, tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
    ^bb0(%i: tensor<i64>, %cin: tensor<i1>, %yin: tensor<1xf32>):
      graph.yield %cin, %yin, %yin : tensor<i1>, tensor<1xf32>, tensor<1xf32>
    }
    ```
  }];
  let arguments = (ins Graph_Optional<Graph_I64Tensor>:$M,
                       Graph_Optional<Graph_BoolTensor>:$cond,
                       Variadic<Graph_Tensor>:$v_initial);
  let results = (outs Variadic<Graph_Tensor>:$v_final_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    operands attr-dict `:` functional-type(operands, results) $body
  }];
}

def Graph_ScanOp : Graph_Op<"scan", [RecursiveMemoryEffects]> {
  let summary = "Runs a region over slices of its scan inputs";
  let description = [{
    ONNX's Scan (opset 9 and later). The first operands are the initial
    states, the last `num_scan_inputs` the scan inputs, sliced along
    `scan_input_axes` (default 0), forward or backward by
    `scan_input_directions`. The body takes the states and one slice of
    each scan input, and yields the next states and one slice of each scan
    output. The results are the final states, then the scan outputs
    stacked along `scan_output_axes`.

    ```mlir
    %s, %o = graph.scan %s0, %x {num_scan_inputs = 1 : i64} : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
    ^bb0(%sin: tensor<2xf32>, %xin: tensor<2xf32>):
      graph.yield %sin, %xin : tensor<2xf32>, tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$initial_state_and_scan_inputs,
                       I64Attr:$num_scan_inputs,
                       OptionalAttr<DenseI64ArrayAttr>:$scan_input_axes,
                       OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                       OptionalAttr<DenseI64ArrayAttr>:$scan_output_axes,
                       OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions);
  let results = (outs Variadic<Graph_Tensor>:$final_state_and_scan_outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    operands attr-dict `:` functional-type(operands, results) $body
  }];
  let extraClassDeclaration = [{
    /// The number of states (operands that are not scan inputs).
    int64_t getNumStates() {
      return int64_t(getInitialStateAndScanInputs().size()) -
             getNumScanInputs();
    }
  }];
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHCONTROLFLOWOPS_TD
