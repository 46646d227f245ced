// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s
// Lowering of the tensor (data movement) family: reshapes are collapse and
// expand shapes only, slices are extract_slice, gathers and resizes are
// linalg.generic ops reading with tensor.extract, scatters are loops.

// A reshape that regroups dims goes through the coarsest common grouping.
// CHECK-LABEL: func @reshape_regroup
func.func @reshape_regroup(%x: tensor<2x3x4xf32>, %shape: tensor<3xi64>) -> tensor<2x4x3xf32> {
  // CHECK: %[[C:.+]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
  // CHECK: tensor.expand_shape %[[C]] {{\[}}[0], [1, 2]] output_shape [2, 4, 3] : tensor<2x12xf32> into tensor<2x4x3xf32>
  %r = graph.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x4x3xf32>
  return %r : tensor<2x4x3xf32>
}

// -----

// Unsqueeze with runtime axes needs only the static result type.
// CHECK-LABEL: func @unsqueeze_runtime_axes
func.func @unsqueeze_runtime_axes(%x: tensor<3x4x5xf32>, %axes: tensor<2xi64>) -> tensor<3x1x4x5x1xf32> {
  // CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4]] output_shape [3, 1, 4, 5, 1]
  // CHECK-NOT: tensor.extract
  %r = graph.unsqueeze %x, %axes : (tensor<3x4x5xf32>, tensor<2xi64>) -> tensor<3x1x4x5x1xf32>
  return %r : tensor<3x1x4x5x1xf32>
}

// -----

// A transpose is linalg.transpose, unless it only moves unit dims.
// CHECK-LABEL: func @transpose
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<1x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<3x1x4xf32>) {
  // CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
  %t = graph.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<1x3x4xf32> into tensor<3x4xf32>
  // CHECK: tensor.expand_shape
  // CHECK-NOT: linalg.transpose
  %u = graph.transpose %y {perm = array<i64: 1, 0, 2>} : (tensor<1x3x4xf32>) -> tensor<3x1x4xf32>
  return %t, %u : tensor<4x2x3xf32>, tensor<3x1x4xf32>
}

// -----

// Concat with a negative axis is tensor.concat; Split takes its lengths
// from the result types.
// CHECK-LABEL: func @concat_split
func.func @concat_split(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %split: tensor<2xi64>)
    -> (tensor<2x2xf32>, tensor<2x6xf32>) {
  // CHECK: %[[CAT:.+]] = tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %c = graph.concat %a, %b {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: tensor.extract_slice %[[CAT]][0, 0] [2, 2] [1, 1]
  // CHECK: tensor.extract_slice %[[CAT]][0, 2] [2, 6] [1, 1]
  %s:2 = graph.split %c, %split {axis = 1} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<2x6xf32>)
  return %s#0, %s#1 : tensor<2x2xf32>, tensor<2x6xf32>
}

// -----

// A negative step slices with the positive stride from the last element
// read, then reverses with an affine read map.
// CHECK-DAG: #[[REV:.+]] = affine_map<(d0, d1, d2) -> (d0, -d1 + 2, d2)>
// CHECK-LABEL: func @slice_negative_step
func.func @slice_negative_step(%x: tensor<20x10x5xf32>) -> tensor<20x3x5xf32> {
  %starts = graph.constant dense<[8]> : tensor<1xi64>
  %ends = graph.constant dense<[1]> : tensor<1xi64>
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %steps = graph.constant dense<[-3]> : tensor<1xi64>
  // CHECK: %[[S:.+]] = tensor.extract_slice %{{.*}}[0, 2, 0] [20, 3, 5] [1, 3, 1]
  // CHECK: linalg.generic {indexing_maps = [#[[REV]], {{.*}}]{{.*}} ins(%[[S]]
  %s = graph.slice %x, %starts, %ends, %axes, %steps : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<20x3x5xf32>
  return %s : tensor<20x3x5xf32>
}

// -----

// Starts read at run time become a dynamic offset; sizes stay static.
// CHECK-LABEL: func @slice_runtime_starts
func.func @slice_runtime_starts(%x: tensor<20x10x5xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>) -> tensor<20x4x5xf32> {
  %axes = graph.constant dense<[1]> : tensor<1xi64>
  %none = graph.none
  // CHECK: tensor.extract %{{.*}} : tensor<1xi64>
  // CHECK: %[[OFF:.+]] = arith.minsi
  // CHECK: tensor.extract_slice %{{.*}}[0, %[[OFF]], 0] [20, 4, 5] [1, 1, 1]
  %s = graph.slice %x, %starts, %ends, %axes, %none : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<20x4x5xf32>
  return %s : tensor<20x4x5xf32>
}

// -----

// A constant scalar index is a slice and a collapse, negative counted
// from the back.
// CHECK-LABEL: func @gather_constant
func.func @gather_constant(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %i = graph.constant dense<-1> : tensor<i64>
  // CHECK: %[[S:.+]] = tensor.extract_slice %{{.*}}[0, 7] [4, 1] [1, 1]
  // CHECK: tensor.collapse_shape %[[S]] {{\[}}[0, 1]] : tensor<4x1xf32> into tensor<4xf32>
  %g = graph.gather %x, %i {axis = 1} : (tensor<4x8xf32>, tensor<i64>) -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// Runtime indices enter the generic as an input; the body reads the data.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @gather_runtime
// CHECK-SAME: %[[DATA:[^:]+]]: tensor<100x16xf32>
func.func @gather_runtime(%x: tensor<100x16xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x16xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[IDX]], {{.*}}]
  // CHECK: %[[J:.+]] = linalg.index 2 : index
  // CHECK: tensor.extract %[[DATA]][%{{.*}}, %[[J]]] : tensor<100x16xf32>
  %g = graph.gather %x, %i {axis = 0} : (tensor<100x16xf32>, tensor<2x3xi64>) -> tensor<2x3x16xf32>
  return %g : tensor<2x3x16xf32>
}

// -----

// Constant padding with constant pads is tensor.pad of the runtime value.
// CHECK-LABEL: func @pad_constant
func.func @pad_constant(%x: tensor<1x3x4x5xf32>, %v: tensor<f32>) -> tensor<1x3x7x12xf32> {
  %pads = graph.constant dense<[0, 0, 1, 3, 0, 0, 2, 4]> : tensor<8xi64>
  // CHECK: %[[V:.+]] = tensor.extract %{{.*}}[] : tensor<f32>
  // CHECK: tensor.pad %{{.*}} low[0, 0, 1, 3] high[0, 0, 2, 4]
  // CHECK: tensor.yield %[[V]] : f32
  %p = graph.pad %x, %pads, %v {mode = "constant"} : (tensor<1x3x4x5xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x3x7x12xf32>
  return %p : tensor<1x3x7x12xf32>
}

// -----

// Expand broadcasts to the static result shape without reading the shape.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func @expand
func.func @expand(%x: tensor<3x1xf32>, %shape: tensor<3xi64>) -> tensor<2x3x6xf32> {
  // CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<3x1xf32> into tensor<3xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel"]}
  %e = graph.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x6xf32>
  return %e : tensor<2x3x6xf32>
}

// -----

// ScatterND with a reduction updates a copy element by element, in order.
// CHECK-LABEL: func @scatter_nd_add
// CHECK-SAME: %[[D:[^:]+]]: tensor<4x4xf32>
func.func @scatter_nd_add(%d: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x4xf32> {
  // CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[D]])
  // CHECK: scf.for {{.*}} iter_args(%[[ACC:.+]] = %{{.*}})
  // CHECK: %[[OLD:.+]] = tensor.extract %[[ACC]]
  // CHECK: %[[NEW:.+]] = arith.addf %[[OLD]]
  // CHECK: tensor.insert %[[NEW]] into %[[ACC]]
  %s = graph.scatter_nd %d, %i, %u {reduction = "add"} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}

// -----

// TopK selects k times along the (last) axis; the result type gives k.
// CHECK-LABEL: func @top_k
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: arith.cmpf olt
  // CHECK-NOT: linalg.transpose
  %v, %i = graph.top_k %x, %k {axis = -1} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// Nearest resize with runtime scales reads them outside the generic and
// leaves the unit dims alone.
// CHECK-LABEL: func @resize_nearest
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x1x2x2xf32>
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>, %scales: tensor<4xf32>) -> tensor<1x1x4x6xf32> {
  %none = graph.none
  // CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK: %[[N:.+]] = linalg.index 0 : index
  // CHECK: %[[C:.+]] = linalg.index 1 : index
  // CHECK: math.floor
  // CHECK: math.floor
  // CHECK: tensor.extract %[[X]][%[[N]], %[[C]], %{{.*}}, %{{.*}}] : tensor<1x1x2x2xf32>
  %y = graph.resize %x, %none, %scales, %none {mode = "nearest"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x6xf32>
  return %y : tensor<1x1x4x6xf32>
}
