// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// The DFT is a direct sum: a generic over the output with the signal
// position as a reduction, accumulated in f64, then truncated.
// CHECK-LABEL: func.func @dft
// CHECK: arith.extf %{{.+}} : f32 to f64
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK: math.cos %{{.+}} : f64
// CHECK: math.sin %{{.+}} : f64
// CHECK: arith.truncf %{{.+}} : f64 to f32
func.func @dft(%x: tensor<1x10x10x1xf32>) -> tensor<1x10x10x2xf32> {
  %none = graph.none
  %y = graph.dft %x, %none {axis = 2} : (tensor<1x10x10x1xf32>, none) -> tensor<1x10x10x2xf32>
  return %y : tensor<1x10x10x2xf32>
}

// -----

// A window with a run-time size takes its length from the static result.
// CHECK-LABEL: func.func @hann_window
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: math.cos
// CHECK: arith.truncf %{{.+}} : f64 to f32
func.func @hann_window(%n: tensor<i64>) -> tensor<10xf32> {
  %w = graph.hann_window %n : (tensor<i64>) -> tensor<10xf32>
  return %w : tensor<10xf32>
}
