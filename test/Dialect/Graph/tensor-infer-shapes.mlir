// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s
// Shape inference and folding of the data movement and indexing ops:
// results declared with `?` get the static shapes ONNX shape inference
// gives, and shape arithmetic on constants and static dims folds away.

// The exported Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain of a
// static tensor folds into one constant shape.
// CHECK-LABEL: func @shape_chain_static
// CHECK-SAME: -> tensor<2x12xf32>
func.func @shape_chain_static(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  // CHECK-NOT: graph.shape
  // CHECK-NOT: graph.gather
  // CHECK: %[[S:.+]] = graph.constant dense<[2, -1]> : tensor<2xi64>
  // CHECK-NEXT: graph.reshape %{{.*}}, %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %s = graph.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i0 = graph.constant dense<0> : tensor<i64>
  %b = graph.gather %s, %i0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %ax = graph.constant dense<[0]> : tensor<1xi64>
  %b1 = graph.unsqueeze %b, %ax : (tensor<i64>, tensor<1xi64>) -> tensor<?xi64>
  %m1 = graph.constant dense<[-1]> : tensor<1xi64>
  %shape = graph.concat %b1, %m1 {axis = 0} : (tensor<?xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// With a dynamic batch the same chain does not fold, but Reshape sees that
// its first entry is the input's own dimension 0, so the -1 entry is
// 7 * 7 * 64.
// CHECK-LABEL: func @shape_chain_dynamic_batch
// CHECK-SAME: -> tensor<?x3136xf32>
func.func @shape_chain_dynamic_batch(%x: tensor<?x7x7x64xf32>) -> tensor<?x?xf32> {
  // CHECK: graph.reshape {{.*}} -> tensor<?x3136xf32>
  %s = graph.shape %x : (tensor<?x7x7x64xf32>) -> tensor<4xi64>
  %i0 = graph.constant dense<0> : tensor<i64>
  %b = graph.gather %s, %i0 : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %ax = graph.constant dense<[0]> : tensor<1xi64>
  %b1 = graph.unsqueeze %b, %ax : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %m1 = graph.constant dense<[-1]> : tensor<1xi64>
  %shape = graph.concat %b1, %m1 {axis = 0} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.reshape %x, %shape : (tensor<?x7x7x64xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Slicing and gathering the static part of a partly dynamic shape folds.
// CHECK-LABEL: func @static_part_of_shape
// CHECK-SAME: -> (tensor<2xi64>, tensor<i64>)
func.func @static_part_of_shape(%x: tensor<?x3x4xf32>) -> (tensor<?xi64>, tensor<i64>) {
  // CHECK-DAG: %[[A:.+]] = graph.constant dense<[3, 4]> : tensor<2xi64>
  // CHECK-DAG: %[[B:.+]] = graph.constant dense<4> : tensor<i64>
  // CHECK: return %[[A]], %[[B]]
  %s = graph.shape %x : (tensor<?x3x4xf32>) -> tensor<3xi64>
  %st = graph.constant dense<[1]> : tensor<1xi64>
  %en = graph.constant dense<[9223372036854775807]> : tensor<1xi64>
  %none = graph.none
  %y = graph.slice %s, %st, %en, %none, %none : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?xi64>
  %m1 = graph.constant dense<-1> : tensor<i64>
  %z = graph.gather %s, %m1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %y, %z : tensor<?xi64>, tensor<i64>
}

// -----

// Reshape: 0 copies an input dimension, -1 takes the rest; allowzero keeps
// a literal 0.
// CHECK-LABEL: func @reshape_entries
// CHECK-SAME: -> (tensor<2x3x1x4xf32>, tensor<3x4x0xf32>, tensor<?x?x?xf32>)
func.func @reshape_entries(%x: tensor<2x3x4xf32>, %z: tensor<0x3x4xf32>, %s: tensor<3xi64>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %s1 = graph.constant dense<[2, 0, 1, -1]> : tensor<4xi64>
  %a = graph.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %s2 = graph.constant dense<[3, 4, 0]> : tensor<3xi64>
  %b = graph.reshape %z, %s2 {allowzero = 1} : (tensor<0x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  // A shape that is not known gives its rank only.
  %c = graph.reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %a, %b, %c : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Reshapes of constants re-type the data; a reshape to the same type goes.
// CHECK-LABEL: func @reshape_folds
func.func @reshape_folds(%x: tensor<2x3xf32>) -> (tensor<?xf32>, tensor<?x?x?xi64>, tensor<2x3xf32>) {
  %c = graph.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %n = graph.constant dense<[-1]> : tensor<1xi64>
  // CHECK-DAG: graph.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
  %a = graph.reshape %c, %n : (tensor<2x2xf32>, tensor<1xi64>) -> tensor<?xf32>
  %i = graph.constant dense<[1, 2, 3]> : tensor<3xi64>
  %ax = graph.constant dense<[0, -1]> : tensor<2xi64>
  // CHECK-DAG: graph.constant dense<{{\[\[\[}}1], [2], [3]]]> : tensor<1x3x1xi64>
  %b = graph.unsqueeze %i, %ax : (tensor<3xi64>, tensor<2xi64>) -> tensor<?x?x?xi64>
  %s = graph.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK-NOT: graph.reshape
  %d = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  // CHECK: return %{{.*}}, %{{.*}}, %arg0
  return %a, %b, %d : tensor<?xf32>, tensor<?x?x?xi64>, tensor<2x3xf32>
}

// -----

// Flatten, Squeeze and Unsqueeze of static and dynamic shapes.
// CHECK-LABEL: func @flatten_squeeze_unsqueeze
// CHECK-SAME: -> (tensor<1x120xf32>, tensor<?x20xf32>, tensor<3x5xf32>, tensor<?x3x1x1x5xf32>, tensor<?x?xf32>)
func.func @flatten_squeeze_unsqueeze(%x: tensor<2x3x4x5xf32>, %d: tensor<?x1x4x5xf32>, %y: tensor<1x3x1x5xf32>,
                                     %w: tensor<?x3x1x5xf32>, %axes: tensor<2xi64>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?x?x?xf32>, tensor<?x?xf32>) {
  %a = graph.flatten %x {axis = 0} : (tensor<2x3x4x5xf32>) -> tensor<?x?xf32>
  %b = graph.flatten %d {axis = -2} : (tensor<?x1x4x5xf32>) -> tensor<?x?xf32>
  %none = graph.none
  %c = graph.squeeze %y, %none : (tensor<1x3x1x5xf32>, none) -> tensor<?x?xf32>
  %m2 = graph.constant dense<[-2]> : tensor<1xi64>
  %e = graph.unsqueeze %w, %m2 : (tensor<?x3x1x5xf32>, tensor<1xi64>) -> tensor<?x?x?x?x?xf32>
  // Axes that are not known give the rank only.
  %f = graph.squeeze %y, %axes : (tensor<1x3x1x5xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %a, %b, %c, %e, %f : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?x?x?xf32>, tensor<?x?xf32>
}

// -----

// Transpose permutes dims (reversing them by default) and folds constants
// and identity permutations.
// CHECK-LABEL: func @transposes
// CHECK-SAME: -> (tensor<4x?x2xf32>, tensor<3x2xi32>, tensor<2x?xf32>)
func.func @transposes(%x: tensor<2x?x4xf32>, %y: tensor<2x?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<2x?xf32>) {
  %a = graph.transpose %x : (tensor<2x?x4xf32>) -> tensor<?x?x?xf32>
  %c = graph.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  // CHECK: graph.constant dense<{{\[\[}}1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
  %b = graph.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<?x?xi32>
  // CHECK-NOT: perm = array<i64: 0, 1>
  %d = graph.transpose %y {perm = array<i64: 0, 1>} : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %a, %b, %d : tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<2x?xf32>
}

// -----

// Concat adds up the axis (dynamic if one part is) and takes the other dims
// from whichever input knows them; constants fold.
// CHECK-LABEL: func @concats
// CHECK-SAME: -> (tensor<2x8xf32>, tensor<?x3xf32>, tensor<5xi64>)
func.func @concats(%a: tensor<?x3xf32>, %b: tensor<2x5xf32>, %c: tensor<?x3xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xi64>) {
  %x = graph.concat %a, %b {axis = 1} : (tensor<?x3xf32>, tensor<2x5xf32>) -> tensor<?x?xf32>
  %y = graph.concat %a, %c {axis = 0} : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x?xf32>
  %k1 = graph.constant dense<[1, 2]> : tensor<2xi64>
  %k2 = graph.constant dense<[3, 4, 5]> : tensor<3xi64>
  // CHECK: graph.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
  %z = graph.concat %k1, %k2 {axis = -1} : (tensor<2xi64>, tensor<3xi64>) -> tensor<?xi64>
  return %x, %y, %z : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xi64>
}

// -----

// Split: explicit lengths (including empty parts), equal parts, and folds.
// CHECK-LABEL: func @splits
// CHECK-SAME: -> (tensor<2x2xf32>, tensor<2x4xf32>, tensor<0xf32>, tensor<0xf32>, tensor<2xi64>, tensor<1xi64>)
func.func @splits(%x: tensor<2x6xf32>, %e: tensor<0xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?xi64>) {
  %l = graph.constant dense<[2, 4]> : tensor<2xi64>
  %a, %b = graph.split %x, %l {axis = -1} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  %z = graph.constant dense<[0, 0]> : tensor<2xi64>
  %c, %d = graph.split %e, %z : (tensor<0xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  %k = graph.constant dense<[7, 8, 9]> : tensor<3xi64>
  %l2 = graph.constant dense<[2, 1]> : tensor<2xi64>
  // CHECK-DAG: graph.constant dense<[7, 8]> : tensor<2xi64>
  // CHECK-DAG: graph.constant dense<9> : tensor<1xi64>
  %f, %g = graph.split %k, %l2 : (tensor<3xi64>, tensor<2xi64>) -> (tensor<?xi64>, tensor<?xi64>)
  return %a, %b, %c, %d, %f, %g : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi64>, tensor<?xi64>
}

// -----

// Slice clamps starts and ends, counts negative steps backwards, and leaves
// unsliced axes alone (even dynamic ones).
// CHECK-LABEL: func @slices
// CHECK-SAME: -> (tensor<19x3x2xf32>, tensor<20x0x5xf32>, tensor<?x9x5xf32>)
func.func @slices(%x: tensor<20x10x5xf32>, %d: tensor<?x10x5xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %none = graph.none
  %s1 = graph.constant dense<[20, 10, 4]> : tensor<3xi64>
  %e1 = graph.constant dense<[0, 0, 1]> : tensor<3xi64>
  %t1 = graph.constant dense<[-1, -3, -2]> : tensor<3xi64>
  %a = graph.slice %x, %s1, %e1, %none, %t1 : (tensor<20x10x5xf32>, tensor<3xi64>, tensor<3xi64>, none, tensor<3xi64>) -> tensor<?x?x?xf32>
  %s2 = graph.constant dense<[1000]> : tensor<1xi32>
  %e2 = graph.constant dense<[1000]> : tensor<1xi32>
  %a2 = graph.constant dense<[1]> : tensor<1xi32>
  %b = graph.slice %x, %s2, %e2, %a2, %none : (tensor<20x10x5xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, none) -> tensor<?x?x?xf32>
  %s3 = graph.constant dense<[0]> : tensor<1xi64>
  %e3 = graph.constant dense<[-1]> : tensor<1xi64>
  %a3 = graph.constant dense<[-2]> : tensor<1xi64>
  %c = graph.slice %d, %s3, %e3, %a3, %none : (tensor<?x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<?x?x?xf32>
  return %a, %b, %c : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Slice of a constant with a negative step folds.
// CHECK-LABEL: func @slice_fold
// CHECK: graph.constant dense<[5, 3, 1]> : tensor<3xi64>
func.func @slice_fold() -> tensor<?xi64> {
  %c = graph.constant dense<[0, 1, 2, 3, 4, 5]> : tensor<6xi64>
  %s = graph.constant dense<[-1]> : tensor<1xi64>
  %e = graph.constant dense<[-9223372036854775808]> : tensor<1xi64>
  %t = graph.constant dense<[-2]> : tensor<1xi64>
  %none = graph.none
  %y = graph.slice %c, %s, %e, %none, %t : (tensor<6xi64>, tensor<1xi64>, tensor<1xi64>, none, tensor<1xi64>) -> tensor<?xi64>
  return %y : tensor<?xi64>
}

// -----

// Gather puts the shape of indices in place of the axis; constants fold,
// negative indices count from the back.
// CHECK-LABEL: func @gathers
// CHECK-SAME: -> (tensor<5x1x2x3x2xf32>, tensor<2xf32>, tensor<2x3xf32>, tensor<2x1x2xf32>, tensor<2x2xi32>)
func.func @gathers(%x: tensor<5x4x3x2xf32>, %i: tensor<1x2xi64>, %e: tensor<3x3xf32>, %ei: tensor<2x3xi64>,
                   %nd: tensor<2x2x2xf32>, %ndi: tensor<2x1x2xi64>, %b: tensor<2x2x2xi32>, %bi: tensor<2x1xi64>)
    -> (tensor<?x?x?x?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xi32>) {
  %a = graph.gather %x, %i {axis = 1} : (tensor<5x4x3x2xf32>, tensor<1x2xi64>) -> tensor<?x?x?x?x?xf32>
  %c = graph.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %ci = graph.constant dense<[-1, 0]> : tensor<2xi32>
  // CHECK: graph.constant dense<[3.000000e+00, 1.000000e+00]> : tensor<2xf32>
  %g = graph.gather %c, %ci : (tensor<3xf32>, tensor<2xi32>) -> tensor<?xf32>
  %ge = graph.gather_elements %e, %ei : (tensor<3x3xf32>, tensor<2x3xi64>) -> tensor<?x?xf32>
  %n = graph.gather_nd %nd, %ndi : (tensor<2x2x2xf32>, tensor<2x1x2xi64>) -> tensor<?x?x?xf32>
  %m = graph.gather_nd %b, %bi {batch_dims = 1} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<?x?xi32>
  return %a, %g, %ge, %n, %m : tensor<?x?x?x?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xi32>
}

// -----

// Scatters keep the shape of data.
// CHECK-LABEL: func @scatters
// CHECK-SAME: -> (tensor<1x5xf32>, tensor<4x4x4xf32>)
func.func @scatters(%x: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>,
                    %d: tensor<4x4x4xf32>, %ni: tensor<2x1xi64>, %nu: tensor<2x4x4xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %a = graph.scatter_elements %x, %i, %u {axis = 1, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<?x?xf32>
  %b = graph.scatter_nd %d, %ni, %nu {reduction = "mul"} : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<?x?x?xf32>
  return %a, %b : tensor<?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Expand broadcasts both ways: a 1 in shape keeps the input size. With an
// unknown shape, only input dims other than 1 are known.
// CHECK-LABEL: func @expands
// CHECK-SAME: -> (tensor<2x3x6xf32>, tensor<3x4xf32>, tensor<?x3x?xf32>, tensor<2x2x2xi64>)
func.func @expands(%x: tensor<3x1xf32>, %s: tensor<3xi64>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xi64>) {
  %s1 = graph.constant dense<[2, 1, 6]> : tensor<3xi64>
  %a = graph.expand %x, %s1 : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %s2 = graph.constant dense<[3, 4]> : tensor<2xi64>
  %b = graph.expand %x, %s2 : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %c = graph.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %k = graph.constant dense<[7, 8]> : tensor<2xi64>
  %s3 = graph.constant dense<[2, 2, 1]> : tensor<3xi64>
  // CHECK: graph.constant dense<{{\[\[\[}}7, 8], [7, 8]], {{\[\[}}7, 8], [7, 8]]]> : tensor<2x2x2xi64>
  %d = graph.expand %k, %s3 : (tensor<2xi64>, tensor<3xi64>) -> tensor<?x?x?xi64>
  return %a, %b, %c, %d : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xi64>
}

// -----

// Tile multiplies each dim; constants fold; all-ones repeats go.
// CHECK-LABEL: func @tiles
// CHECK-SAME: -> (tensor<14x18x16x10xf32>, tensor<2x4xi64>, tensor<?x3xf32>)
func.func @tiles(%x: tensor<2x3x4x5xf32>, %d: tensor<?x3xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?xi64>, tensor<?x3xf32>) {
  %r = graph.constant dense<[7, 6, 4, 2]> : tensor<4xi64>
  %a = graph.tile %x, %r : (tensor<2x3x4x5xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %c = graph.constant dense<[[1, 2]]> : tensor<1x2xi64>
  %r2 = graph.constant dense<[2, 2]> : tensor<2xi64>
  // CHECK: graph.constant dense<{{\[\[}}1, 2, 1, 2], [1, 2, 1, 2]]> : tensor<2x4xi64>
  %b = graph.tile %c, %r2 : (tensor<1x2xi64>, tensor<2xi64>) -> tensor<?x?xi64>
  %ones = graph.constant dense<1> : tensor<2xi64>
  // CHECK: return %{{.*}}, %{{.*}}, %arg1
  %e = graph.tile %d, %ones : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %a, %b, %e : tensor<?x?x?x?xf32>, tensor<?x?xi64>, tensor<?x3xf32>
}

// -----

// Pad adds begin and end counts (negative ones crop).
// CHECK-LABEL: func @pads
// CHECK-SAME: -> (tensor<1x3x7x12xf32>, tensor<1x3x6x7xi32>, tensor<?x1xf32>)
func.func @pads(%x: tensor<1x3x4x5xf32>, %y: tensor<1x3x4x5xi32>, %d: tensor<?x3xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xi32>, tensor<?x?xf32>) {
  %p = graph.constant dense<[0, 0, 1, 3, 0, 0, 2, 4]> : tensor<8xi64>
  %v = graph.constant dense<1.2> : tensor<f32>
  %a = graph.pad %x, %p, %v : (tensor<1x3x4x5xf32>, tensor<8xi64>, tensor<f32>) -> tensor<?x?x?x?xf32>
  %q = graph.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
  %none = graph.none
  %b = graph.pad %y, %q, %none {mode = "reflect"} : (tensor<1x3x4x5xi32>, tensor<8xi64>, none) -> tensor<?x?x?x?xi32>
  %r = graph.constant dense<[0, -1, 0, -1]> : tensor<4xi64>
  %c = graph.pad %d, %r, %none {mode = "edge"} : (tensor<?x3xf32>, tensor<4xi64>, none) -> tensor<?x?xf32>
  return %a, %b, %c : tensor<?x?x?x?xf32>, tensor<?x?x?x?xi32>, tensor<?x?xf32>
}

// -----

// Block moves between channels and space.
// CHECK-LABEL: func @blocks
// CHECK-SAME: -> (tensor<2x2x6x6xf32>, tensor<?x8x3x3xf32>)
func.func @blocks(%x: tensor<2x8x3x3xf32>, %y: tensor<?x2x6x6xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %a = graph.depth_to_space %x {blocksize = 2, mode = "CRD"} : (tensor<2x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  %b = graph.space_to_depth %y {blocksize = 2} : (tensor<?x2x6x6xf32>) -> tensor<?x?x?x?xf32>
  return %a, %b : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Trilu and ReverseSequence keep their input type.
// CHECK-LABEL: func @same_shape
// CHECK-SAME: -> (tensor<3x0x5xi64>, tensor<4x?xf32>)
func.func @same_shape(%x: tensor<3x0x5xi64>, %s: tensor<4x?xf32>, %l: tensor<4xi64>) -> (tensor<?x?x?xi64>, tensor<?x?xf32>) {
  %k = graph.constant dense<6> : tensor<i64>
  %a = graph.trilu %x, %k {upper = 0} : (tensor<3x0x5xi64>, tensor<i64>) -> tensor<?x?x?xi64>
  %b = graph.reverse_sequence %s, %l {batch_axis = 0, time_axis = 1} : (tensor<4x?xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return %a, %b : tensor<?x?x?xi64>, tensor<?x?xf32>
}

// -----

// Data-dependent sizes stay dynamic unless the data that decides them is a
// constant (Compress's condition).
// CHECK-LABEL: func @data_dependent
// CHECK-SAME: -> (tensor<?x2xf32>, tensor<2xf32>, tensor<3x?xi64>, tensor<2x?x2xf32>, tensor<?xi64>, tensor<4xi64>)
func.func @data_dependent(%x: tensor<3x2xf32>, %c: tensor<3xi1>, %n: tensor<2x2x2xf32>, %u: tensor<2x4x2xf32>)
    -> (tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xi64>, tensor<?x?x?xf32>, tensor<?xi64>, tensor<?xi64>) {
  %a = graph.compress %x, %c {axis = 0} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x?xf32>
  %k = graph.constant dense<[false, true, false, false, true]> : tensor<5xi1>
  %b = graph.compress %x, %k : (tensor<3x2xf32>, tensor<5xi1>) -> tensor<?xf32>
  %z = graph.non_zero %n : (tensor<2x2x2xf32>) -> tensor<?x?xi64>
  %y, %i, %inv, %cnt = graph.unique %u {axis = 1} : (tensor<2x4x2xf32>) -> (tensor<?x?x?xf32>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>)
  return %a, %b, %z, %y, %i, %inv : tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xi64>, tensor<?x?x?xf32>, tensor<?xi64>, tensor<?xi64>
}

// -----

// OneHot inserts depth (of any numeric type) at axis; TopK replaces the
// axis by K.
// CHECK-LABEL: func @one_hot_top_k
// CHECK-SAME: -> (tensor<2x10x2xf32>, tensor<3x12xi32>, tensor<3x3xf32>, tensor<3x3xi64>)
func.func @one_hot_top_k(%i: tensor<2x2xf32>, %j: tensor<3xi64>, %x: tensor<3x4xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>, tensor<?x?xi64>) {
  %d = graph.constant dense<10.0> : tensor<f32>
  %v = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %a = graph.one_hot %i, %d, %v {axis = -2} : (tensor<2x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<?x?x?xf32>
  %d2 = graph.constant dense<[12]> : tensor<1xi64>
  %v2 = graph.constant dense<[2, 5]> : tensor<2xi32>
  %b = graph.one_hot %j, %d2, %v2 : (tensor<3xi64>, tensor<1xi64>, tensor<2xi32>) -> tensor<?x?xi32>
  %k = graph.constant dense<[3]> : tensor<1xi64>
  %tv, %ti = graph.top_k %x, %k {largest = 0} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<?x?xf32>, tensor<?x?xi64>)
  return %a, %b, %tv, %ti : tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>, tensor<?x?xi64>
}

// -----

// Resize: floor(d * scale) from scales, sizes as given; an empty scales
// tensor (opset 11 style) counts as absent.
// CHECK-LABEL: func @resizes
// CHECK-SAME: -> (tensor<1x1x1x2xf32>, tensor<1x1x4x6xf32>, tensor<1x1x3x2xf32>, tensor<?x?x?x?xf32>)
func.func @resizes(%x: tensor<1x1x2x4xf32>, %y: tensor<1x1x2x2xf32>, %z: tensor<1x1x4x4xf32>, %d: tensor<?x3x8x8xf32>,
                   %s: tensor<4xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  %down = graph.constant dense<[1.0, 1.0, 0.6, 0.6]> : tensor<4xf32>
  %a = graph.resize %x, %none, %down, %none {mode = "linear"} : (tensor<1x1x2x4xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  %up = graph.constant dense<[1.0, 1.0, 2.0, 3.0]> : tensor<4xf32>
  %b = graph.resize %y, %none, %up, %none : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  %empty = graph.constant dense<> : tensor<0xf32>
  %sizes = graph.constant dense<[1, 1, 3, 2]> : tensor<4xi64>
  %c = graph.resize %z, %empty, %empty, %sizes {coordinate_transformation_mode = "tf_half_pixel_for_nn"} : (tensor<1x1x4x4xf32>, tensor<0xf32>, tensor<0xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  // Scales that are not known may change every size.
  %e = graph.resize %d, %none, %s, %none : (tensor<?x3x8x8xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  return %a, %b, %c, %e : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// A shape operand that is only partly known still gives the sizes it knows:
// Expand to the shape of a tensor with a dynamic dimension.
// CHECK-LABEL: func @expand_to_partial_shape
// CHECK-SAME: -> tensor<3x?x5xf32>
func.func @expand_to_partial_shape(%x: tensor<1x1x5xf32>, %y: tensor<3x?x5xf32>) -> tensor<?x?x?xf32> {
  %s = graph.shape %y : (tensor<3x?x5xf32>) -> tensor<3xi64>
  // CHECK: graph.expand {{.*}} -> tensor<3x?x5xf32>
  %e = graph.expand %x, %s : (tensor<1x1x5xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %e : tensor<?x?x?xf32>
}
