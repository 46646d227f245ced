// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// A broadcast operand indexes only the result dims it has.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %c = graph.add %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %c : tensor<3x4xf32>
}

// -----

// Unsigned division uses divui on the signless type, with a zero divisor
// replaced so that it cannot trap.
// CHECK-LABEL: func.func @div_unsigned
// CHECK-SAME: tensor<3xi8>
// CHECK: %[[ZERO:.+]] = arith.cmpi eq
// CHECK: %[[SAFE:.+]] = arith.select %[[ZERO]]
// CHECK: arith.divui %{{.+}}, %[[SAFE]] : i8
func.func @div_unsigned(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  %c = graph.div %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %c : tensor<3xui8>
}

// -----

// Mod with fmod = 0 moves a remainder whose sign differs from the
// divisor's by one divisor.
// CHECK-LABEL: func.func @mod_floored
// CHECK: %[[REM:.+]] = arith.remsi
// CHECK: %[[ADJ:.+]] = arith.andi
// CHECK: %[[SUM:.+]] = arith.addi %[[REM]]
// CHECK: arith.select %[[ADJ]], %[[SUM]], %[[REM]]
func.func @mod_floored(%a: tensor<6xi32>, %b: tensor<6xi32>) -> tensor<6xi32> {
  %c = graph.mod %a, %b : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  return %c : tensor<6xi32>
}

// -----

// f16 computes in f32 and rounds once at the end.
// CHECK-LABEL: func.func @sigmoid_f16
// CHECK: ^bb0(%[[IN:.+]]: f16, %{{.+}}: f16):
// CHECK: arith.extf %[[IN]] : f16 to f32
// CHECK: math.exp %{{.+}} : f32
// CHECK: %[[R:.+]] = arith.truncf %{{.+}} : f32 to f16
// CHECK: linalg.yield %[[R]] : f16
func.func @sigmoid_f16(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %y = graph.sigmoid %x : (tensor<2x3xf16>) -> tensor<2x3xf16>
  return %y : tensor<2x3xf16>
}

// -----

// Unsigned comparisons use the unsigned predicates.
// CHECK-LABEL: func.func @less_unsigned
// CHECK: arith.cmpi ult, %{{.+}}, %{{.+}} : i32
func.func @less_unsigned(%a: tensor<3xui32>, %b: tensor<3xui32>) -> tensor<3xi1> {
  %c = graph.less %a, %b : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  return %c : tensor<3xi1>
}

// -----

// An absent Clip bound is left out; a present one broadcasts as a scalar.
// CHECK-DAG: #[[$SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @clip_min_only
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[$SCALAR]], #{{.+}}]
// CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %[[LO:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[R:.+]] = arith.maximumf %[[X]], %[[LO]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @clip_min_only(%x: tensor<3x4xf32>, %lo: tensor<f32>) -> tensor<3x4xf32> {
  %none = graph.none
  %y = graph.clip %x, %lo, %none : (tensor<3x4xf32>, tensor<f32>, none) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Integer Pow is exact: repeated squaring over the exponent's bits.
// CHECK-LABEL: func.func @pow_int
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args({{.+}}) -> (i64, i64, i64)
// CHECK: arith.muli
// CHECK: arith.shrui
func.func @pow_int(%x: tensor<3xi64>, %y: tensor<3xi64>) -> tensor<3xi64> {
  %z = graph.pow %x, %y : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %z : tensor<3xi64>
}

// -----

// Variadic Max folds its inputs in order with NaN-propagating maximumf.
// CHECK-LABEL: func.func @max_variadic
// CHECK: ^bb0(%[[A:.+]]: f32, %[[B:.+]]: f32, %[[C:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[AB:.+]] = arith.maximumf %[[A]], %[[B]] : f32
// CHECK: arith.maximumf %[[AB]], %[[C]] : f32
func.func @max_variadic(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<f32>) -> tensor<3xf32> {
  %m = graph.max %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %m : tensor<3xf32>
}

// -----

// A constant square is a multiplication; the constant only lends its shape.
// CHECK-LABEL: func.func @pow_square
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}} : tensor<3xf32>) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[SQ:.+]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
func.func @pow_square(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = graph.constant dense<2.0> : tensor<2x1xf32>
  %z = graph.pow %x, %y : (tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %z : tensor<2x3xf32>
}
