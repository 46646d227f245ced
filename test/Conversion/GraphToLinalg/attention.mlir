// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// graph.attention lowers to its kernel's loop nest: a workgroup loop over
// (batch, 16 queries), inside it a loop over blocks of 64 keys carrying the
// running maximum, sum and output of an online softmax. Tiles are
// transposed (keys x queries, features x queries) so that vectors run
// along the queries; no tensor holds more than one block of scores.
// CHECK-LABEL: func @attention
// CHECK:         scf.forall (%[[B:.+]], %[[QB:.+]]) in (2, 1) shared_outs(%[[OUT:.+]] = %{{.+}}) -> (tensor<2x16x4xf32>)
// CHECK:           %[[Q:.+]] = tensor.extract_slice %arg0[%{{.+}}, %{{.+}}, 0] [1, 16, 8] [1, 1, 1] : tensor<2x16x8xf32> to tensor<16x8xf32>
// CHECK:           %[[QT:.+]] = linalg.transpose ins(%[[Q]] : tensor<16x8xf32>) outs(%{{.+}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK:           %[[STATE:.+]]:3 = scf.for %[[K0:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[M:.+]] = %{{.+}}, %[[L:.+]] = %{{.+}}, %[[ACC:.+]] = %{{.+}}) -> (tensor<16xf32>, tensor<16xf32>, tensor<4x16xf32>)
// CHECK:             %[[KT:.+]] = tensor.extract_slice %arg1[%{{.+}}, 0, %[[K0]]] [1, 8, 64] [1, 1, 1] : tensor<2x8x128xf32> to tensor<8x64xf32>
// CHECK:             %[[V:.+]] = tensor.extract_slice %arg2[%{{.+}}, %[[K0]], 0] [1, 64, 4] [1, 1, 1] : tensor<2x128x4xf32> to tensor<64x4xf32>
// CHECK:             %[[S:.+]] = linalg.matmul indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}] ins(%[[KT]], %[[QT]] : tensor<8x64xf32>, tensor<8x16xf32>) outs(%{{.+}} : tensor<64x16xf32>)
// The mask is read at the block's queries and keys; the scale and the mask
// apply in one elementwise op.
// CHECK:             %[[MASK:.+]] = tensor.extract_slice %arg3[%{{.+}}, %[[K0]]] [16, 64] [1, 1] : tensor<16x128xi1> to tensor<16x64xi1>
// CHECK:             %[[ADJ:.+]] = linalg.generic {{.+}} ins(%[[S]], %[[MASK]] : tensor<64x16xf32>, tensor<16x64xi1>)
// CHECK:               arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK:               arith.select
// CHECK:             %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[ADJ]] : tensor<64x16xf32>) outs(%[[M]] : tensor<16xf32>)
// CHECK:               arith.maximumf
// CHECK:             %[[P:.+]] = linalg.generic {{.+}} ins(%[[ADJ]], %[[MAX]] : tensor<64x16xf32>, tensor<16xf32>)
// CHECK:               math.exp
// CHECK:             %[[CORR:.+]] = linalg.generic {{.+}} ins(%[[M]], %[[MAX]] : tensor<16xf32>, tensor<16xf32>)
// CHECK:               math.exp
// CHECK:             %[[LS:.+]] = linalg.generic {{.+}} ins(%[[L]], %[[CORR]]
// CHECK:             %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[P]] : tensor<64x16xf32>) outs(%[[LS]] : tensor<16xf32>)
// CHECK:               arith.addf
// CHECK:             %[[AS:.+]] = linalg.generic {{.+}} ins(%[[ACC]], %[[CORR]] : tensor<4x16xf32>, tensor<16xf32>)
// CHECK:             %[[NACC:.+]] = linalg.matmul indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}] ins(%[[V]], %[[P]] : tensor<64x4xf32>, tensor<64x16xf32>) outs(%[[AS]] : tensor<4x16xf32>)
// CHECK:             scf.yield %[[MAX]], %[[SUM]], %[[NACC]]
// CHECK:           %[[Y:.+]] = linalg.generic {{.+}} ins(%[[STATE]]#2, %[[STATE]]#1 : tensor<4x16xf32>, tensor<16xf32>)
// CHECK:             arith.divf
// CHECK:           %[[YT:.+]] = linalg.transpose ins(%[[Y]] : tensor<4x16xf32>) outs(%{{.+}} : tensor<16x4xf32>) permutation = [1, 0]
// CHECK:           scf.forall.in_parallel
// CHECK-NEXT:        tensor.parallel_insert_slice %[[YT]] into %[[OUT]][%{{.+}}, %{{.+}}, 0] [1, 16, 4] [1, 1, 1] : tensor<16x4xf32> into tensor<2x16x4xf32>
func.func @attention(%q: tensor<2x16x8xf32>, %kt: tensor<2x8x128xf32>, %v: tensor<2x128x4xf32>, %mask: tensor<16x128xi1>) -> tensor<2x16x4xf32> {
  %none = graph.none
  %y = graph.attention %q, %kt, %v, %none, %mask {scale = 0.5 : f32, mask_value = -1.0e+04 : f32} : (tensor<2x16x8xf32>, tensor<2x8x128xf32>, tensor<2x128x4xf32>, none, tensor<16x128xi1>) -> tensor<2x16x4xf32>
  return %y : tensor<2x16x4xf32>
}

// -----

// Transposed operands are read in place: K given as [batch, keys, heads,
// features] (k_perm) is sliced keys x features without a copy, the output
// tile is written at its permuted place, and a constant mask becomes
// bytes stored keys-first.
// CHECK-LABEL: func @permuted_operands
// CHECK:         arith.constant dense<{{.+}}> : tensor<1x1x16x16xi8>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) in (2, 1)
// CHECK:           scf.for
// CHECK:             tensor.extract_slice %arg1[%{{.+}}, %{{.+}}, %{{.+}}, 0] [1, 16, 1, 8] [1, 1, 1, 1] : tensor<1x16x2x8xf32> to tensor<16x8xf32>
// CHECK:             linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<16x8xf32>, tensor<8x16xf32>)
// CHECK:             tensor.extract_slice %{{.+}}[0, 0, %{{.+}}, %{{.+}}] [1, 1, 16, 16] [1, 1, 1, 1] : tensor<1x1x16x16xi8> to tensor<16x16xi8>
// CHECK:             arith.cmpi ne
// CHECK:           tensor.parallel_insert_slice %{{.+}} into %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}, 0] [1, 16, 1, 8] [1, 1, 1, 1] : tensor<16x8xf32> into tensor<1x16x2x8xf32>
func.func @permuted_operands(%q: tensor<1x16x2x8xf32>, %k: tensor<1x16x2x8xf32>, %v: tensor<1x16x2x8xf32>) -> tensor<1x16x2x8xf32> {
  %none = graph.none
  %mask = graph.constant dense<true> : tensor<1x1x16x16xi1>
  %y = graph.attention %q, %k, %v, %none, %mask {q_perm = array<i64: 0, 2, 1, 3>, k_perm = array<i64: 0, 2, 3, 1>, v_perm = array<i64: 0, 2, 1, 3>, out_perm = array<i64: 0, 2, 1, 3>, mask_value = 0xFF800000 : f32} : (tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, tensor<1x16x2x8xf32>, none, tensor<1x1x16x16xi1>) -> tensor<1x16x2x8xf32>
  return %y : tensor<1x16x2x8xf32>
}
