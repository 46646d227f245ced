// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-lower-vectors))' | FileCheck %s

// A 16 x 16 transpose of f32 (a block of a packing copy) becomes shuffles
// of whole 16-lane rows, not 256 element extracts and inserts.
// CHECK-LABEL: func.func @transpose_16x16
// CHECK-NOT: vector.transpose
// CHECK: vector.shuffle {{.+}} : vector<16xf32>, vector<16xf32>
// CHECK-NOT: vector.extract {{.+}} : f32 from
func.func @transpose_16x16(%m: memref<16x16xf32>, %t: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%c0, %c0], %z {in_bounds = [true, true]} : memref<16x16xf32>, vector<16x16xf32>
  %r = vector.transpose %v, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
  vector.transfer_write %r, %t[%c0, %c0] {in_bounds = [true, true]} : vector<16x16xf32>, memref<16x16xf32>
  return
}

// -----

// Other transposes stay element-wise.
// CHECK-LABEL: func.func @transpose_8x16
// CHECK-NOT: vector.shuffle
// CHECK: vector.extract {{.+}} : f32 from vector<8x16xf32>
func.func @transpose_8x16(%m: memref<8x16xf32>, %t: memref<16x8xf32>) {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%c0, %c0], %z {in_bounds = [true, true]} : memref<8x16xf32>, vector<8x16xf32>
  %r = vector.transpose %v, [1, 0] : vector<8x16xf32> to vector<16x8xf32>
  vector.transfer_write %r, %t[%c0, %c0] {in_bounds = [true, true]} : vector<16x8xf32>, memref<16x8xf32>
  return
}

// -----

// The transcendentals of activations and softmax stay vector code as
// polynomial approximations; sqrt (an instruction) stays as it is, and
// the others would become libm calls.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.log
// CHECK-NOT: math.erf
// CHECK: math.sqrt
// CHECK: math.sin
func.func @approximated(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %e = math.exp %x : vector<16xf32>
  %t = math.tanh %x : vector<16xf32>
  %l = math.log %x : vector<16xf32>
  %f = math.erf %x : vector<16xf32>
  %s = math.sqrt %x : vector<16xf32>
  %n = math.sin %x : vector<16xf32>
  return %e, %t, %l, %f, %s, %n : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// -----

// erf on f32 is one rational function of x clamped to [-4, 4]: P(x^2) of
// degree 6 times x over Q(x^2) of degree 4, as FMAs and one division, with
// no compares or selects between intervals (the clamp's two are a max and
// a min instruction, below).
// CHECK-LABEL: func.func @erf_rational
// CHECK-SAME: %[[X:[^:]+]]: vector<16xf32>
// CHECK-DAG: %[[NEG4:.+]] = arith.constant dense<-4.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[POS4:.+]] = arith.constant dense<4.000000e+00> : vector<16xf32>
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[NEG4]], %[[X]] : vector<16xf32>
// CHECK: %[[LO:.+]] = arith.select %[[GT]], %[[NEG4]], %[[X]]
// CHECK: %[[LT:.+]] = arith.cmpf olt, %[[POS4]], %[[LO]] : vector<16xf32>
// CHECK: %[[C:.+]] = arith.select %[[LT]], %[[POS4]], %[[LO]]
// CHECK: %[[X2:.+]] = arith.mulf %[[C]], %[[C]]
// CHECK-COUNT-6: math.fma %{{.+}}, %[[X2]], %{{.+}} : vector<16xf32>
// CHECK: %[[P:.+]] = arith.mulf %{{.+}}, %[[C]]
// CHECK-COUNT-4: math.fma %{{.+}}, %[[X2]], %{{.+}} : vector<16xf32>
// CHECK: %[[R:.+]] = arith.divf %[[P]], %{{.+}} : vector<16xf32>
// CHECK-NOT: arith.select
// CHECK: return %[[R]]
func.func @erf_rational(%x: vector<16xf32>) -> vector<16xf32> {
  %f = math.erf %x : vector<16xf32>
  return %f : vector<16xf32>
}

// -----

// maximumf and minimumf against a constant bound (a Clip, a Relu) become
// `bound > x ? bound : x` and `bound < x ? bound : x`, the operand order of
// AVX-512's max and min: one instruction each, a NaN x still NaN. Two
// variable operands, or a NaN bound, keep the generic lowering.
// CHECK-LABEL: func.func @clip_bounds
// CHECK-SAME: %[[X:[^:,]+]]: vector<16xf32>, %[[Y:[^:,]+]]: vector<16xf32>
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[SIX:.+]] = arith.constant dense<6.000000e+00> : vector<16xf32>
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[ZERO]], %[[X]] : vector<16xf32>
// CHECK: %[[LO:.+]] = arith.select %[[GT]], %[[ZERO]], %[[X]]
// CHECK: %[[LT:.+]] = arith.cmpf olt, %[[SIX]], %[[LO]] : vector<16xf32>
// CHECK: %[[HI:.+]] = arith.select %[[LT]], %[[SIX]], %[[LO]]
// CHECK: %[[XY:.+]] = arith.maximumf %[[X]], %[[Y]] : vector<16xf32>
// CHECK: %[[NAN:.+]] = arith.maximumf %[[X]], %{{.+}} : vector<16xf32>
// CHECK: return %[[HI]], %[[XY]], %[[NAN]]
func.func @clip_bounds(%x: vector<16xf32>, %y: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %six = arith.constant dense<6.0> : vector<16xf32>
  %nan = arith.constant dense<0x7FC00000> : vector<16xf32>
  %lo = arith.maximumf %zero, %x : vector<16xf32>
  %hi = arith.minimumf %lo, %six : vector<16xf32>
  %xy = arith.maximumf %x, %y : vector<16xf32>
  %n = arith.maximumf %x, %nan : vector<16xf32>
  return %hi, %xy, %n : vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// -----

// An scf.if whose branches each yield an allocation of one static type,
// cast to the fully dynamic layout bufferization gave it (a padded tile
// guarded against an empty slice), yields that type instead: the subview
// and the vector read of it get static strides, and the read stays one
// vector load rather than one load per element.
// CHECK-LABEL: func.func @static_if_layout
// CHECK: %[[IF:.+]] = scf.if %{{.+}} -> (memref<4x32xf32>)
// CHECK-NOT: memref.cast
// CHECK: memref.subview %[[IF]][1, 0] [1, 32] [1, 1] : memref<4x32xf32> to memref<32xf32, strided<[1], offset: 32>>
// CHECK: vector.load {{.+}} : memref<32xf32, strided<[1], offset: 32>>, vector<16xf32>
func.func @static_if_layout(%c: i1, %m: memref<4x32xf32>) -> vector<16xf32> {
  %r = scf.if %c -> (memref<4x32xf32, strided<[?, ?], offset: ?>>) {
    %a = memref.alloc() : memref<4x32xf32>
    %ca = memref.cast %a : memref<4x32xf32> to memref<4x32xf32, strided<[?, ?], offset: ?>>
    scf.yield %ca : memref<4x32xf32, strided<[?, ?], offset: ?>>
  } else {
    %b = memref.alloc() : memref<4x32xf32>
    memref.copy %m, %b : memref<4x32xf32> to memref<4x32xf32>
    %cb = memref.cast %b : memref<4x32xf32> to memref<4x32xf32, strided<[?, ?], offset: ?>>
    scf.yield %cb : memref<4x32xf32, strided<[?, ?], offset: ?>>
  }
  %row = memref.subview %r[1, 0] [1, 32] [1, 1] : memref<4x32xf32, strided<[?, ?], offset: ?>> to memref<32xf32, strided<[?], offset: ?>>
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %v = vector.transfer_read %row[%c0], %z {in_bounds = [true]} : memref<32xf32, strided<[?], offset: ?>>, vector<16xf32>
  return %v : vector<16xf32>
}
