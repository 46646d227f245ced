// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of the data movement and indexing ops: each prints in a form
// that parses back to itself. The examples are those of the op docs.

// CHECK-LABEL: func @reshapes
func.func @reshapes(%x: tensor<2x3xf32>, %shape: tensor<2xi64>, %x4: tensor<2x3x4x5xf32>,
                    %x1: tensor<1x3x1x5xf32>, %axes1: tensor<1xi64>, %m: tensor<3x4xf32>,
                    %axes2: tensor<2xi64>)
    -> (tensor<?x?xf32>, tensor<6x20xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>) {
  // CHECK: graph.reshape %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %r = graph.reshape %x, %shape : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK: graph.flatten %{{.*}} {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  %f = graph.flatten %x4 {axis = 2} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  // CHECK: graph.squeeze %{{.*}}, %{{.*}} : (tensor<1x3x1x5xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  %s = graph.squeeze %x1, %axes1 : (tensor<1x3x1x5xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  // CHECK: graph.unsqueeze %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  %u = graph.unsqueeze %m, %axes2 : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<?x?x?x?xf32>
  return %r, %f, %s, %u : tensor<?x?xf32>, tensor<6x20xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>
}

// CHECK-LABEL: func @allowzero_and_no_axes
func.func @allowzero_and_no_axes(%x: tensor<0x3x4xf32>, %shape: tensor<3xi64>, %y: tensor<1x3x1xf32>)
    -> (tensor<?x?x?xf32>, tensor<3xf32>) {
  // CHECK: graph.reshape %{{.*}}, %{{.*}} {allowzero = 1 : i64}
  %r = graph.reshape %x, %shape {allowzero = 1} : (tensor<0x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %none = graph.none
  // CHECK: graph.squeeze %{{.*}}, %{{.*}} : (tensor<1x3x1xf32>, none) -> tensor<3xf32>
  %s = graph.squeeze %y, %none : (tensor<1x3x1xf32>, none) -> tensor<3xf32>
  return %r, %s : tensor<?x?x?xf32>, tensor<3xf32>
}

// CHECK-LABEL: func @transpose_concat_split
func.func @transpose_concat_split(%x: tensor<2x3x4xf32>, %a: tensor<2x3xf32>, %b: tensor<2x5xf32>,
                                  %s: tensor<2x6xf32>, %lens: tensor<2xi64>)
    -> (tensor<3x4x2xf32>, tensor<4x3x2xf32>, tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x?xf32>, tensor<2x?xf32>) {
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %t = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  // CHECK: graph.transpose %{{.*}} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %r = graph.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  // CHECK: graph.concat %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %c = graph.concat %a, %b {axis = -1} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %none = graph.none
  // CHECK: %{{.*}}:2 = graph.split %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x6xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  %p, %q = graph.split %s, %none {axis = 1} : (tensor<2x6xf32>, none) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  // CHECK: graph.split %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  %v, %w = graph.split %s, %lens {axis = 1} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return %t, %r, %c, %p, %q, %v, %w : tensor<3x4x2xf32>, tensor<4x3x2xf32>, tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x?xf32>, tensor<2x?xf32>
}

// CHECK-LABEL: func @slice_and_gathers
func.func @slice_and_gathers(%x: tensor<20x10x5xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>,
                             %axes: tensor<1xi64>, %m: tensor<3x3xf32>, %i: tensor<1x2xi64>,
                             %e: tensor<2x2xf32>, %ei: tensor<2x2xi64>, %nd: tensor<2x2x2xi32>,
                             %ndi: tensor<2x1xi64>)
    -> (tensor<20x?x5xf32>, tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xi32>) {
  %none = graph.none
  // CHECK: graph.slice %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<20x?x5xf32>
  %s = graph.slice %x, %starts, %ends, %axes, %none : (tensor<20x10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<20x?x5xf32>
  // CHECK: graph.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<3x3xf32>, tensor<1x2xi64>) -> tensor<3x1x2xf32>
  %g = graph.gather %m, %i {axis = 1} : (tensor<3x3xf32>, tensor<1x2xi64>) -> tensor<3x1x2xf32>
  // CHECK: graph.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %ge = graph.gather_elements %e, %ei {axis = 1} : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  // CHECK: graph.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
  %gn = graph.gather_nd %nd, %ndi {batch_dims = 1} : (tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>
  return %s, %g, %ge, %gn : tensor<20x?x5xf32>, tensor<3x1x2xf32>, tensor<2x2xf32>, tensor<2x2xi32>
}

// CHECK-LABEL: func @scatters
func.func @scatters(%x: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>,
                    %d: tensor<4x4x4xf32>, %ni: tensor<2x1xi64>, %nu: tensor<2x4x4xf32>)
    -> (tensor<1x5xf32>, tensor<4x4x4xf32>) {
  // CHECK: graph.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  %a = graph.scatter_elements %x, %i, %u {axis = 1, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
  // CHECK: graph.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
  %b = graph.scatter_nd %d, %ni, %nu : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
  return %a, %b : tensor<1x5xf32>, tensor<4x4x4xf32>
}

// CHECK-LABEL: func @broadcast_and_pad
func.func @broadcast_and_pad(%x: tensor<3x1xf32>, %shape: tensor<3xi64>, %t: tensor<2x2xf32>,
                             %repeats: tensor<2xi64>, %p: tensor<1x3x4x5xf32>, %pads: tensor<8xi64>,
                             %v: tensor<f32>, %q: tensor<1x3x4x5xi32>)
    -> (tensor<?x3x?xf32>, tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xi32>) {
  // CHECK: graph.expand %{{.*}}, %{{.*}} : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x3x?xf32>
  %e = graph.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<?x3x?xf32>
  // CHECK: graph.tile %{{.*}}, %{{.*}} : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %r = graph.tile %t, %repeats : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  // The default mode is not printed.
  // CHECK: graph.pad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x3x4x5xf32>, tensor<8xi64>, tensor<f32>) -> tensor<?x?x?x?xf32>
  %c = graph.pad %p, %pads, %v {mode = "constant"} : (tensor<1x3x4x5xf32>, tensor<8xi64>, tensor<f32>) -> tensor<?x?x?x?xf32>
  %none = graph.none
  // CHECK: graph.pad %{{.*}}, %{{.*}}, %{{.*}} {mode = "reflect"} : (tensor<1x3x4x5xi32>, tensor<8xi64>, none) -> tensor<?x?x?x?xi32>
  %f = graph.pad %q, %pads, %none {mode = "reflect"} : (tensor<1x3x4x5xi32>, tensor<8xi64>, none) -> tensor<?x?x?x?xi32>
  return %e, %r, %c, %f : tensor<?x3x?xf32>, tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xi32>
}

// CHECK-LABEL: func @blocks_and_triangles
func.func @blocks_and_triangles(%x: tensor<1x8x2x3xf32>, %y: tensor<1x1x4x6xf32>, %m: tensor<4x5xi64>,
                                %k: tensor<i64>, %s: tensor<4x4xf32>, %lens: tensor<4xi64>)
    -> (tensor<1x2x4x6xf32>, tensor<1x4x2x3xf32>, tensor<4x5xi64>, tensor<4x4xf32>) {
  // CHECK: graph.depth_to_space %{{.*}} {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %d = graph.depth_to_space %x {blocksize = 2, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  // CHECK: graph.space_to_depth %{{.*}} {blocksize = 2 : i64} : (tensor<1x1x4x6xf32>) -> tensor<1x4x2x3xf32>
  %sd = graph.space_to_depth %y {blocksize = 2} : (tensor<1x1x4x6xf32>) -> tensor<1x4x2x3xf32>
  // CHECK: graph.trilu %{{.*}}, %{{.*}} {upper = 0 : i64} : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
  %t = graph.trilu %m, %k {upper = 0} : (tensor<4x5xi64>, tensor<i64>) -> tensor<4x5xi64>
  // CHECK: graph.reverse_sequence %{{.*}}, %{{.*}} {batch_axis = 0 : i64, time_axis = 1 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  %r = graph.reverse_sequence %s, %lens {batch_axis = 0, time_axis = 1} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  return %d, %sd, %t, %r : tensor<1x2x4x6xf32>, tensor<1x4x2x3xf32>, tensor<4x5xi64>, tensor<4x4xf32>
}

// CHECK-LABEL: func @data_dependent
func.func @data_dependent(%x: tensor<3x2xf32>, %c: tensor<3xi1>, %b: tensor<2x2xi1>, %u: tensor<6xf32>)
    -> (tensor<?x2xf32>, tensor<2x?xi64>, tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>) {
  // CHECK: graph.compress %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
  %y = graph.compress %x, %c {axis = 0} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
  // CHECK: graph.non_zero %{{.*}} : (tensor<2x2xi1>) -> tensor<2x?xi64>
  %n = graph.non_zero %b : (tensor<2x2xi1>) -> tensor<2x?xi64>
  // CHECK: %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} = graph.unique %{{.*}} {sorted = 0 : i64} : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  %v, %i, %inv, %cnt = graph.unique %u {sorted = 0} : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  return %y, %n, %v, %i, %inv, %cnt : tensor<?x2xf32>, tensor<2x?xi64>, tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
}

// CHECK-LABEL: func @one_hot_top_k
func.func @one_hot_top_k(%i: tensor<2x2xf32>, %depth: tensor<f32>, %values: tensor<2xf32>,
                         %x: tensor<3x4xf32>, %k: tensor<1xi64>)
    -> (tensor<2x?x2xf32>, tensor<3x?xf32>, tensor<3x?xi64>) {
  // CHECK: graph.one_hot %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<2x?x2xf32>
  %o = graph.one_hot %i, %depth, %values {axis = 1} : (tensor<2x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<2x?x2xf32>
  // CHECK: %{{.*}}, %{{.*}} = graph.top_k %{{.*}}, %{{.*}} {axis = 1 : i64, largest = 0 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  %v, %ix = graph.top_k %x, %k {axis = 1, largest = 0} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %o, %v, %ix : tensor<2x?x2xf32>, tensor<3x?xf32>, tensor<3x?xi64>
}

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<1x1x2x2xf32>, %scales: tensor<4xf32>, %roi: tensor<8xf32>, %sizes: tensor<4xi64>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %none = graph.none
  // CHECK: graph.resize %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  %a = graph.resize %x, %none, %scales, %none {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  // CHECK: graph.resize
  // CHECK-SAME: coordinate_transformation_mode = "tf_crop_and_resize"
  // CHECK-SAME: cubic_coeff_a = -5.000000e-01 : f32
  // CHECK-SAME: exclude_outside = 1 : i64
  // CHECK-SAME: extrapolation_value = 1.000000e+01 : f32
  // CHECK-SAME: nearest_mode = "ceil"
  %b = graph.resize %x, %roi, %none, %sizes {coordinate_transformation_mode = "tf_crop_and_resize", cubic_coeff_a = -0.5 : f32, exclude_outside = 1, extrapolation_value = 10.0 : f32, mode = "cubic", nearest_mode = "ceil"} : (tensor<1x1x2x2xf32>, tensor<8xf32>, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %a, %b : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}
