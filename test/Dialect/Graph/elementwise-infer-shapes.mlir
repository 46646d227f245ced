// RUN: kiln-opt %s -graph-infer-shapes -split-input-file | FileCheck %s

// Shape arithmetic folds away: Shape of a static tensor times a constant
// becomes a constant shape, and ConstantOfShape of it a static constant.
// CHECK-LABEL: func @shape_times_two
// CHECK-SAME: -> tensor<4x6xf32>
func.func @shape_times_two(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  // CHECK-NOT: graph.mul
  // CHECK: %[[C:.+]] = graph.constant dense<0.000000e+00> : tensor<4x6xf32>
  // CHECK-NEXT: return %[[C]]
  %s = graph.shape %x : (tensor<2x3xf32>) -> tensor<2xi64>
  %two = graph.constant dense<2> : tensor<i64>
  %d = graph.mul %s, %two : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %z = graph.constant_of_shape %d : (tensor<2xi64>) -> tensor<?x?xf32>
  return %z : tensor<?x?xf32>
}

// -----

// The exporters' "0 in a Reshape target copies the input dimension"
// pattern: Equal and Where on shapes fold to the final target.
// CHECK-LABEL: func @reshape_zero_pattern
// CHECK-SAME: -> tensor<2xi64>
func.func @reshape_zero_pattern(%x: tensor<5x7xf32>) -> tensor<?xi64> {
  // CHECK-NEXT: %[[C:.+]] = graph.constant dense<[5, -1]> : tensor<2xi64>
  // CHECK-NEXT: return %[[C]]
  %target = graph.constant dense<[0, -1]> : tensor<2xi64>
  %zero = graph.constant dense<0> : tensor<i64>
  %s = graph.shape %x : (tensor<5x7xf32>) -> tensor<2xi64>
  %isz = graph.equal %target, %zero : (tensor<2xi64>, tensor<i64>) -> tensor<?xi1>
  %r = graph.where %isz, %s, %target : (tensor<?xi1>, tensor<2xi64>, tensor<2xi64>) -> tensor<?xi64>
  return %r : tensor<?xi64>
}

// -----

// Integer Div truncates toward zero; Mod follows the divisor's sign, or
// the dividend's with fmod = 1; unsigned Mod is plain.
// CHECK-LABEL: func @int_division
func.func @int_division() -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xui8>) {
  // CHECK-DAG: %[[UMOD:.+]] = graph.constant dense<[1, 1, 0, 0]> : tensor<4xui8>
  // CHECK-DAG: %[[FMOD:.+]] = graph.constant dense<[1, -1, 1, -1]> : tensor<4xi32>
  // CHECK-DAG: %[[MOD:.+]] = graph.constant dense<[1, 1, -1, -1]> : tensor<4xi32>
  // CHECK-DAG: %[[DIV:.+]] = graph.constant dense<[3, -3, -3, 3]> : tensor<4xi32>
  // CHECK: return %[[DIV]], %[[MOD]], %[[FMOD]], %[[UMOD]]
  %a = graph.constant dense<[7, -7, 7, -7]> : tensor<4xi32>
  %b = graph.constant dense<[2, 2, -2, -2]> : tensor<4xi32>
  %div = graph.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %mod = graph.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %fmod = graph.mod %a, %b {fmod = 1 : i64} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %u = graph.constant dense<[250, 7, 0, 9]> : tensor<4xui8>
  %three = graph.constant dense<3> : tensor<ui8>
  %umod = graph.mod %u, %three : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  return %div, %mod, %fmod, %umod : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xui8>
}

// -----

// Splats fold to splats, whatever their size (2^21 elements here, past the
// 2^20 limit on materialized results).
// CHECK-LABEL: func @splat_fold
func.func @splat_fold() -> (tensor<2048x1024xi64>, tensor<2048x1024xi1>) {
  // CHECK-DAG: %[[MUL:.+]] = graph.constant dense<6> : tensor<2048x1024xi64>
  // CHECK-DAG: %[[LT:.+]] = graph.constant dense<true> : tensor<2048x1024xi1>
  // CHECK: return %[[MUL]], %[[LT]]
  %a = graph.constant dense<2> : tensor<2048x1024xi64>
  %b = graph.constant dense<3> : tensor<i64>
  %m = graph.mul %a, %b : (tensor<2048x1024xi64>, tensor<i64>) -> tensor<2048x1024xi64>
  %l = graph.less %a, %b : (tensor<2048x1024xi64>, tensor<i64>) -> tensor<2048x1024xi1>
  return %m, %l : tensor<2048x1024xi64>, tensor<2048x1024xi1>
}

// -----

// Integer division by zero is left to the kernel.
// CHECK-LABEL: func @div_by_zero_kept
func.func @div_by_zero_kept() -> tensor<2xi64> {
  // CHECK: graph.div
  %a = graph.constant dense<[4, 5]> : tensor<2xi64>
  %b = graph.constant dense<[2, 0]> : tensor<2xi64>
  %c = graph.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %c : tensor<2xi64>
}

// -----

// Integers wrap around in their width; unsigned types compare unsigned.
// CHECK-LABEL: func @wrap_and_unsigned
func.func @wrap_and_unsigned() -> (tensor<3xui8>, tensor<3xi1>, tensor<3xi8>, tensor<3xi8>) {
  // CHECK-DAG: %[[ABS:.+]] = graph.constant dense<[-128, 127, 5]> : tensor<3xi8>
  // CHECK-DAG: %[[NEG:.+]] = graph.constant dense<[-128, -127, 5]> : tensor<3xi8>
  // CHECK-DAG: %[[GT:.+]] = graph.constant dense<[true, false, true]> : tensor<3xi1>
  // CHECK-DAG: %[[ADD:.+]] = graph.constant dense<[44, 101, 99]> : tensor<3xui8>
  // CHECK: return %[[ADD]], %[[GT]], %[[NEG]], %[[ABS]]
  %u = graph.constant dense<[200, 1, 255]> : tensor<3xui8>
  %h = graph.constant dense<100> : tensor<ui8>
  %add = graph.add %u, %h : (tensor<3xui8>, tensor<ui8>) -> tensor<3xui8>
  %gt = graph.greater %u, %h : (tensor<3xui8>, tensor<ui8>) -> tensor<3xi1>
  %s = graph.constant dense<[-128, 127, -5]> : tensor<3xi8>
  %neg = graph.neg %s : (tensor<3xi8>) -> tensor<3xi8>
  %abs = graph.abs %s : (tensor<3xi8>) -> tensor<3xi8>
  return %add, %gt, %neg, %abs : tensor<3xui8>, tensor<3xi1>, tensor<3xi8>, tensor<3xi8>
}

// -----

// Logic folds, with broadcasting.
// CHECK-LABEL: func @logic
func.func @logic() -> (tensor<?x?xi1>, tensor<?x?xi1>, tensor<?x?xi1>, tensor<2xi1>) {
  // CHECK-DAG: %[[NOT:.+]] = graph.constant dense<[false, true]> : tensor<2xi1>
  // CHECK-DAG: %[[XOR:.+]] = graph.constant dense<{{\[\[}}false, true], [true, false]]> : tensor<2x2xi1>
  // CHECK-DAG: %[[OR:.+]] = graph.constant dense<{{\[\[}}true, true], [true, false]]> : tensor<2x2xi1>
  // CHECK-DAG: %[[AND:.+]] = graph.constant dense<{{\[\[}}true, false], [false, false]]> : tensor<2x2xi1>
  // CHECK: return %[[AND]], %[[OR]], %[[XOR]], %[[NOT]]
  %a = graph.constant dense<[[true], [false]]> : tensor<2x1xi1>
  %b = graph.constant dense<[true, false]> : tensor<2xi1>
  %and = graph.and %a, %b : (tensor<2x1xi1>, tensor<2xi1>) -> tensor<?x?xi1>
  %or = graph.or %a, %b : (tensor<2x1xi1>, tensor<2xi1>) -> tensor<?x?xi1>
  %xor = graph.xor %a, %b : (tensor<2x1xi1>, tensor<2xi1>) -> tensor<?x?xi1>
  %not = graph.not %b : (tensor<2xi1>) -> tensor<2xi1>
  return %and, %or, %xor, %not : tensor<?x?xi1>, tensor<?x?xi1>, tensor<?x?xi1>, tensor<2xi1>
}

// -----

// Variadic Max/Min/Sum fold over broadcast constants.
// CHECK-LABEL: func @variadic
func.func @variadic() -> (tensor<?xi64>, tensor<?xi64>, tensor<?x?xi64>) {
  // CHECK-DAG: %[[SUM:.+]] = graph.constant dense<{{\[\[}}11, 15, 10], [21, 25, 20]]> : tensor<2x3xi64>
  // CHECK-DAG: %[[MIN:.+]] = graph.constant dense<[1, 4, 2]> : tensor<3xi64>
  // CHECK-DAG: %[[MAX:.+]] = graph.constant dense<[5, 6, 5]> : tensor<3xi64>
  // CHECK: return %[[MAX]], %[[MIN]], %[[SUM]]
  %a = graph.constant dense<[1, 6, 2]> : tensor<3xi64>
  %b = graph.constant dense<[5, 4, 3]> : tensor<3xi64>
  %c = graph.constant dense<5> : tensor<i64>
  %t = graph.constant dense<[[5], [15]]> : tensor<2x1xi64>
  %max = graph.max %a, %b, %c : (tensor<3xi64>, tensor<3xi64>, tensor<i64>) -> tensor<?xi64>
  %min = graph.min %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<?xi64>
  %sum = graph.sum %a, %b, %t : (tensor<3xi64>, tensor<3xi64>, tensor<2x1xi64>) -> tensor<?x?xi64>
  return %max, %min, %sum : tensor<?xi64>, tensor<?xi64>, tensor<?x?xi64>
}

// -----

// Float folds round once per operation in the element type; Max
// propagates NaN; float division by zero gives infinity.
// CHECK-LABEL: func @floats
func.func @floats() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf16>, tensor<2xi1>) {
  // CHECK-DAG: %[[EQ:.+]] = graph.constant dense<[true, false]> : tensor<2xi1>
  // CHECK-DAG: %[[SUM:.+]] = graph.constant dense<[2.048000e+03, 1.000000e+00]> : tensor<2xf16>
  // CHECK-DAG: %[[MAX:.+]] = graph.constant dense<[0x7FC00000, 3.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: %[[DIV:.+]] = graph.constant dense<[0x7F800000, 5.000000e-01]> : tensor<2xf32>
  // CHECK: return %[[DIV]], %[[MAX]], %[[SUM]], %[[EQ]]
  %a = graph.constant dense<[1.0, 1.5]> : tensor<2xf32>
  %b = graph.constant dense<[0.0, 3.0]> : tensor<2xf32>
  %div = graph.div %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %n = graph.constant dense<[0x7FC00000, 2.0]> : tensor<2xf32>
  %max = graph.max %n, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // 2048 + 1 is not representable in f16 and rounds to even.
  %h = graph.constant dense<[2048.0, 0.5]> : tensor<2xf16>
  %k = graph.constant dense<[1.0, 0.5]> : tensor<2xf16>
  %sum = graph.sum %h, %k : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  %z = graph.constant dense<[-0.0, 0x7FC00000]> : tensor<2xf32>
  %zz = graph.constant dense<[0.0, 0x7FC00000]> : tensor<2xf32>
  %eq = graph.equal %z, %zz : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  return %div, %max, %sum, %eq : tensor<2xf32>, tensor<2xf32>, tensor<2xf16>, tensor<2xi1>
}

// -----

// Integer powers wrap around; BitShift shifts in the element width.
// CHECK-LABEL: func @pow_and_shift
func.func @pow_and_shift() -> (tensor<3xi32>, tensor<3xui8>, tensor<3xf32>) {
  // CHECK-DAG: %[[FPOW:.+]] = graph.constant dense<[1.000000e+00, 8.000000e+00, 2.500000e-01]> : tensor<3xf32>
  // CHECK-DAG: %[[SHL:.+]] = graph.constant dense<[2, 128, 0]> : tensor<3xui8>
  // CHECK-DAG: %[[POW:.+]] = graph.constant dense<[1, -8, 0]> : tensor<3xi32>
  // CHECK: return %[[POW]], %[[SHL]], %[[FPOW]]
  %x = graph.constant dense<[1, -2, 65536]> : tensor<3xi32>
  %e = graph.constant dense<[5, 3, 2]> : tensor<3xi64>
  %pow = graph.pow %x, %e : (tensor<3xi32>, tensor<3xi64>) -> tensor<3xi32>
  %u = graph.constant dense<[1, 64, 128]> : tensor<3xui8>
  %one = graph.constant dense<1> : tensor<ui8>
  %shl = graph.bit_shift %u, %one {direction = "LEFT"} : (tensor<3xui8>, tensor<ui8>) -> tensor<3xui8>
  %f = graph.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %fe = graph.constant dense<[7, 3, 2]> : tensor<3xi64>
  %fpow = graph.pow %f, %fe : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return %pow, %shl, %fpow : tensor<3xi32>, tensor<3xui8>, tensor<3xf32>
}

// -----

// A float power folds only when its result is exact: libraries round
// transcendental results differently, and the fold must match the kernel.
// CHECK-LABEL: func @float_pow_inexact_kept
func.func @float_pow_inexact_kept() -> tensor<2xf32> {
  // CHECK: graph.pow
  %x = graph.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %y = graph.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %p = graph.pow %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %p : tensor<2xf32>
}

// -----

// Identity folds: integer x + 0, x * 1.0, x - (+0.0), and Where with a
// uniform condition. Float x + 0.0 is not x (for x = -0.0) and stays.
// CHECK-LABEL: func @identities
// CHECK-SAME: (%[[I:[^:]+]]: tensor<3xi64>, %[[F:[^:]+]]: tensor<3xf32>, %[[G:[^:]+]]: tensor<3xf32>)
func.func @identities(%i: tensor<3xi64>, %f: tensor<3xf32>, %g: tensor<3xf32>) -> (tensor<3xi64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[ADDF:.+]] = graph.add %[[F]]
  // CHECK-NEXT: return %[[I]], %[[F]], %[[F]], %[[G]], %[[ADDF]]
  %zi = graph.constant dense<0> : tensor<i64>
  %addi = graph.add %zi, %i : (tensor<i64>, tensor<3xi64>) -> tensor<3xi64>
  %one = graph.constant dense<1.0> : tensor<3xf32>
  %mulf = graph.mul %f, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %zf = graph.constant dense<0.0> : tensor<3xf32>
  %subf = graph.sub %f, %zf : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %no = graph.constant dense<false> : tensor<3xi1>
  %w = graph.where %no, %f, %g : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %addf = graph.add %f, %zf : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %addi, %mulf, %subf, %w, %addf : tensor<3xi64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Shapes of non-constant operands: broadcasting fills in static sizes,
// unary ops keep their operand's type, tests return bool tensors, PRelu's
// slope sharpens a dynamic X dimension.
// CHECK-LABEL: func @broadcast_shapes
func.func @broadcast_shapes(%a: tensor<2x1x?xf32>, %b: tensor<3x1xf32>, %x: tensor<?x3xf32>, %s: tensor<4x1xf32>, %c: tensor<?x1xi1>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi1>, tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?x?xf32>) {
  // CHECK: graph.add {{.*}} -> tensor<2x3x?xf32>
  %add = graph.add %a, %b : (tensor<2x1x?xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // CHECK: graph.greater_or_equal {{.*}} -> tensor<2x3x?xi1>
  %ge = graph.greater_or_equal %a, %b : (tensor<2x1x?xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: graph.sigmoid {{.*}} -> tensor<?x3xf32>
  %sig = graph.sigmoid %x : (tensor<?x3xf32>) -> tensor<?x?xf32>
  // CHECK: graph.is_nan {{.*}} -> tensor<?x3xi1>
  %nan = graph.is_nan %x : (tensor<?x3xf32>) -> tensor<?x?xi1>
  // CHECK: graph.prelu {{.*}} -> tensor<4x3xf32>
  %pr = graph.prelu %x, %s : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<?x?xf32>
  // CHECK: graph.where {{.*}} -> tensor<?x3xf32>
  %w = graph.where %c, %x, %x : (tensor<?x1xi1>, tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x?xf32>
  return %add, %ge, %sig, %nan, %pr, %w : tensor<?x?x?xf32>, tensor<?x?x?xi1>, tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?x?xf32>
}
