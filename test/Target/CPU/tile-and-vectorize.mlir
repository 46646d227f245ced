// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-tile-and-vectorize{vector-bits=512},canonicalize,cse))' | FileCheck %s

// A matmul with enough rows reads B from a packed copy of each cache
// tile: panels of 32 columns (two vectors), contiguous over k. The copy
// is made once per cache tile of B, outside the loop over rows.
// CHECK-LABEL: func.func @packed_rhs
// CHECK-SAME: %[[A:[^:]+]]: tensor<64x256xf32>, %[[B:[^:]+]]: tensor<256x512xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<8x256x32xf32>
// CHECK: scf.for %[[N:.+]] = %{{.+}} to %{{.+}} step %c256
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[B]][0, %[[N]]] [256, 256]
// CHECK: %[[PANELS:.+]] = tensor.expand_shape %[[TILE]] {{\[\[}}0], [1, 2]] output_shape [256, 8, 32]
// CHECK: %[[PACKED:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[EMPTY]]) -> (tensor<8x256x32xf32>)
// CHECK: tensor.extract_slice %[[PANELS]]{{.+}} [1, 1, 16]
// CHECK: vector.transfer_write {{.+}} : vector<1x1x16xf32>, tensor<1x1x16xf32>
// CHECK: scf.for %{{.+}} step %c8
// CHECK: scf.for %[[COL:.+]] = %{{.+}} step %c32
// CHECK: %[[PANEL:.+]] = arith.divui %[[COL]], %c32
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %c256 step %c1
// CHECK: tensor.extract_slice %[[A]]
// CHECK: tensor.extract_slice %[[PACKED]][%[[PANEL]], %[[K]], 0] [1, 1, 32] [1, 1, 1] : tensor<8x256x32xf32> to tensor<1x32xf32>
// CHECK: vector.contract {{.+}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
func.func @packed_rhs(%a: tensor<64x256xf32>, %b: tensor<256x512xf32>, %c: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x512xf32>) outs(%c : tensor<64x512xf32>) -> tensor<64x512xf32>
  return %r : tensor<64x512xf32>
}

// -----

// With one register tile of rows, each piece of B is read once: no copy.
// CHECK-LABEL: func.func @unpacked_rhs
// CHECK-SAME: %[[A:[^:]+]]: tensor<8x256xf32>, %[[B:[^:]+]]: tensor<256x512xf32>
// CHECK-NOT: tensor.empty
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[B]]
// CHECK: tensor.extract_slice %[[TILE]][%{{.+}}, %{{.+}}] [1, 32] [1, 1] : tensor<256x256xf32> to tensor<1x32xf32>
// CHECK: vector.contract
func.func @unpacked_rhs(%a: tensor<8x256xf32>, %b: tensor<256x512xf32>, %c: tensor<8x512xf32>) -> tensor<8x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x256xf32>, tensor<256x512xf32>) outs(%c : tensor<8x512xf32>) -> tensor<8x512xf32>
  return %r : tensor<8x512xf32>
}
