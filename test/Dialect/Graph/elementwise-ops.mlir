// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// Round trip of the elementwise ops. One function per op holds the example
// from the op's description; the cases at the end cover attribute defaults,
// optional operands and the variadic forms.

// CHECK-LABEL: func @abs
func.func @abs(%x: tensor<3xi32>) -> tensor<3xi32> {
  // CHECK: graph.abs %{{.*}} : (tensor<3xi32>) -> tensor<3xi32>
  %y = graph.abs %x : (tensor<3xi32>) -> tensor<3xi32>
  return %y : tensor<3xi32>
}

// CHECK-LABEL: func @neg
func.func @neg(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.neg %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @sign
func.func @sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.sign %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.sign %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @reciprocal
func.func @reciprocal(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.reciprocal %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.reciprocal %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @ceil
func.func @ceil(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.ceil %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.ceil %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @floor
func.func @floor(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.floor %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.floor %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @round
func.func @round(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.round %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.round %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @sqrt
func.func @sqrt(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.sqrt %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @exp
func.func @exp(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.exp %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @log
func.func @log(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.log %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.log %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @erf
func.func @erf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.erf %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.erf %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @sin
func.func @sin(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.sin %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.sin %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @cos
func.func @cos(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.cos %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.cos %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @tan
func.func @tan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.tan %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.tan %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @asin
func.func @asin(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.asin %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.asin %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @acos
func.func @acos(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.acos %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.acos %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @atan
func.func @atan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.atan %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.atan %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @sinh
func.func @sinh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.sinh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.sinh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @cosh
func.func @cosh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.cosh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.cosh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @tanh
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.tanh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @asinh
func.func @asinh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.asinh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.asinh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @acosh
func.func @acosh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.acosh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.acosh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @atanh
func.func @atanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: graph.atanh %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  %y = graph.atanh %x : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func @not
func.func @not(%x: tensor<4xi1>) -> tensor<4xi1> {
  // CHECK: graph.not %{{.*}} : (tensor<4xi1>) -> tensor<4xi1>
  %y = graph.not %x : (tensor<4xi1>) -> tensor<4xi1>
  return %y : tensor<4xi1>
}

// CHECK-LABEL: func @is_nan
func.func @is_nan(%x: tensor<4xf32>) -> tensor<4xi1> {
  // CHECK: graph.is_nan %{{.*}} : (tensor<4xf32>) -> tensor<4xi1>
  %y = graph.is_nan %x : (tensor<4xf32>) -> tensor<4xi1>
  return %y : tensor<4xi1>
}

// CHECK-LABEL: func @is_inf
func.func @is_inf(%x: tensor<4xf32>) -> tensor<4xi1> {
  // CHECK: graph.is_inf %{{.*}} {detect_negative = 0 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  %y = graph.is_inf %x {detect_negative = 0 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  return %y : tensor<4xi1>
}

// CHECK-LABEL: func @relu
func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.relu %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @leaky_relu
func.func @leaky_relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.leaky_relu %x {alpha = 1.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @elu
func.func @elu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.elu %{{.*}} {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.elu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @celu
func.func @celu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.celu %{{.*}} {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.celu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @selu
func.func @selu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.selu %{{.*}} {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.selu %x {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @hard_sigmoid
func.func @hard_sigmoid(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.hard_sigmoid %{{.*}} {alpha = 5.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.hard_sigmoid %x {alpha = 5.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @hard_swish
func.func @hard_swish(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.hard_swish %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.hard_swish %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @sigmoid
func.func @sigmoid(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.sigmoid %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @thresholded_relu
func.func @thresholded_relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.thresholded_relu %{{.*}} {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.thresholded_relu %x {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @shrink
func.func @shrink(%x: tensor<5xf32>) -> tensor<5xf32> {
  // CHECK: graph.shrink %{{.*}} {bias = 1.500000e+00 : f32, lambd = 1.500000e+00 : f32} : (tensor<5xf32>) -> tensor<5xf32>
  %y = graph.shrink %x {bias = 1.500000e+00 : f32, lambd = 1.500000e+00 : f32} : (tensor<5xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}

// CHECK-LABEL: func @softplus
func.func @softplus(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.softplus %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.softplus %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @softsign
func.func @softsign(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: graph.softsign %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = graph.softsign %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func @add
func.func @add(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  %c = graph.add %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %c : tensor<3x4xf32>
}

// CHECK-LABEL: func @sub
func.func @sub(%a: tensor<3x4xi64>, %b: tensor<1xi64>) -> tensor<3x4xi64> {
  // CHECK: graph.sub %{{.*}}, %{{.*}} : (tensor<3x4xi64>, tensor<1xi64>) -> tensor<3x4xi64>
  %c = graph.sub %a, %b : (tensor<3x4xi64>, tensor<1xi64>) -> tensor<3x4xi64>
  return %c : tensor<3x4xi64>
}

// CHECK-LABEL: func @mul
func.func @mul(%a: tensor<2x1xf32>, %b: tensor<1x5xf32>) -> tensor<2x5xf32> {
  // CHECK: graph.mul %{{.*}}, %{{.*}} : (tensor<2x1xf32>, tensor<1x5xf32>) -> tensor<2x5xf32>
  %c = graph.mul %a, %b : (tensor<2x1xf32>, tensor<1x5xf32>) -> tensor<2x5xf32>
  return %c : tensor<2x5xf32>
}

// CHECK-LABEL: func @div
func.func @div(%a: tensor<3xi64>, %b: tensor<i64>) -> tensor<3xi64> {
  // CHECK: graph.div %{{.*}}, %{{.*}} : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %c = graph.div %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  return %c : tensor<3xi64>
}

// CHECK-LABEL: func @mod
func.func @mod(%a: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<6xf32> {
  // CHECK: graph.mod %{{.*}}, %{{.*}} {fmod = 1 : i64} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  %c = graph.mod %a, %b {fmod = 1 : i64} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  return %c : tensor<6xf32>
}

// CHECK-LABEL: func @pow
func.func @pow(%x: tensor<3xf32>, %y: tensor<i64>) -> tensor<3xf32> {
  // CHECK: graph.pow %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<i64>) -> tensor<3xf32>
  %z = graph.pow %x, %y : (tensor<3xf32>, tensor<i64>) -> tensor<3xf32>
  return %z : tensor<3xf32>
}

// CHECK-LABEL: func @bit_shift
func.func @bit_shift(%x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  // CHECK: graph.bit_shift %{{.*}}, %{{.*}} {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %z = graph.bit_shift %x, %y {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %z : tensor<3xui8>
}

// CHECK-LABEL: func @prelu
func.func @prelu(%x: tensor<2x3x4xf32>, %slope: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  // CHECK: graph.prelu %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %y = graph.prelu %x, %slope : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// CHECK-LABEL: func @equal
func.func @equal(%a: tensor<2xi64>, %b: tensor<2xi64>) -> tensor<2xi1> {
  // CHECK: graph.equal %{{.*}}, %{{.*}} : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  %c = graph.equal %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  return %c : tensor<2xi1>
}

// CHECK-LABEL: func @greater
func.func @greater(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xi1> {
  // CHECK: graph.greater %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
  %c = graph.greater %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
  return %c : tensor<3x4xi1>
}

// CHECK-LABEL: func @greater_or_equal
func.func @greater_or_equal(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xi1> {
  // CHECK: graph.greater_or_equal %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
  %c = graph.greater_or_equal %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xi1>
  return %c : tensor<3x4xi1>
}

// CHECK-LABEL: func @less
func.func @less(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xi1> {
  // CHECK: graph.less %{{.*}}, %{{.*}} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xi1>
  %c = graph.less %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xi1>
  return %c : tensor<3xi1>
}

// CHECK-LABEL: func @less_or_equal
func.func @less_or_equal(%a: tensor<3xf32>, %b: tensor<f32>) -> tensor<3xi1> {
  // CHECK: graph.less_or_equal %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %c = graph.less_or_equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %c : tensor<3xi1>
}

// CHECK-LABEL: func @and
func.func @and(%a: tensor<3x4xi1>, %b: tensor<4xi1>) -> tensor<3x4xi1> {
  // CHECK: graph.and %{{.*}}, %{{.*}} : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %c = graph.and %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  return %c : tensor<3x4xi1>
}

// CHECK-LABEL: func @or
func.func @or(%a: tensor<3x4xi1>, %b: tensor<4xi1>) -> tensor<3x4xi1> {
  // CHECK: graph.or %{{.*}}, %{{.*}} : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %c = graph.or %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  return %c : tensor<3x4xi1>
}

// CHECK-LABEL: func @xor
func.func @xor(%a: tensor<3x4xi1>, %b: tensor<4xi1>) -> tensor<3x4xi1> {
  // CHECK: graph.xor %{{.*}}, %{{.*}} : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %c = graph.xor %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  return %c : tensor<3x4xi1>
}

// CHECK-LABEL: func @max
func.func @max(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<f32>) -> tensor<3xf32> {
  // CHECK: graph.max %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %m = graph.max %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %m : tensor<3xf32>
}

// CHECK-LABEL: func @min
func.func @min(%a: tensor<2x3xi64>, %b: tensor<3xi64>) -> tensor<2x3xi64> {
  // CHECK: graph.min %{{.*}}, %{{.*}} : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %m = graph.min %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  return %m : tensor<2x3xi64>
}

// CHECK-LABEL: func @mean
func.func @mean(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK: graph.mean %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %m = graph.mean %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %m : tensor<3xf32>
}

// CHECK-LABEL: func @sum
func.func @sum(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK: graph.sum %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %s = graph.sum %a, %b, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// CHECK-LABEL: func @where
func.func @where(%cond: tensor<2x2xi1>, %x: tensor<2x2xi64>, %y: tensor<i64>) -> tensor<2x2xi64> {
  // CHECK: graph.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x2xi1>, tensor<2x2xi64>, tensor<i64>) -> tensor<2x2xi64>
  %r = graph.where %cond, %x, %y : (tensor<2x2xi1>, tensor<2x2xi64>, tensor<i64>) -> tensor<2x2xi64>
  return %r : tensor<2x2xi64>
}

// CHECK-LABEL: func @clip
func.func @clip(%x: tensor<3x4xf32>, %lo: tensor<f32>) -> tensor<3x4xf32> {
  // CHECK: graph.none
  %none = graph.none
  // CHECK: graph.clip %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<f32>, none) -> tensor<3x4xf32>
  %y = graph.clip %x, %lo, %none : (tensor<3x4xf32>, tensor<f32>, none) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// Attributes equal to their ONNX defaults are not printed.
// CHECK-LABEL: func @defaults_elided
func.func @defaults_elided(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi1>, tensor<2xf32>) {
  // CHECK: graph.leaky_relu %{{[^ ]+}} : (tensor<2xf32>)
  %a = graph.leaky_relu %x {alpha = 0.00999999977 : f32} : (tensor<2xf32>) -> tensor<2xf32>
  // CHECK: graph.selu %{{[^ ]+}} : (tensor<2xf32>)
  %b = graph.selu %x {alpha = 1.67326319 : f32, gamma = 1.05070102 : f32} : (tensor<2xf32>) -> tensor<2xf32>
  // CHECK: graph.is_inf %{{[^ ]+}} : (tensor<2xf32>)
  %c = graph.is_inf %x {detect_negative = 1 : i64, detect_positive = 1 : i64} : (tensor<2xf32>) -> tensor<2xi1>
  // CHECK: graph.hard_sigmoid %{{[^ ]+}} {beta = 6.000000e-01 : f32}
  %d = graph.hard_sigmoid %x {alpha = 0.200000003 : f32, beta = 0.6 : f32} : (tensor<2xf32>) -> tensor<2xf32>
  return %a, %b, %c, %d : tensor<2xf32>, tensor<2xf32>, tensor<2xi1>, tensor<2xf32>
}

// Dynamic dimensions: the result may be more precise than inference.
// CHECK-LABEL: func @dynamic_broadcast
func.func @dynamic_broadcast(%a: tensor<?x4xf32>, %b: tensor<3x1xf32>) -> (tensor<3x4xf32>, tensor<?x4xi1>) {
  // CHECK: graph.add %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  %c = graph.add %a, %b : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  // CHECK: graph.less %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<?x4xi1>
  %d = graph.less %a, %b : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<?x4xi1>
  return %c, %d : tensor<3x4xf32>, tensor<?x4xi1>
}

// Integer forms used by the ONNX node tests.
// CHECK-LABEL: func @integer_forms
func.func @integer_forms(%u: tensor<3xui64>, %i: tensor<3xi32>, %f: tensor<3xf32>, %p: tensor<6xi8>, %q: tensor<6xi8>) -> (tensor<3xui64>, tensor<3xi32>, tensor<6xi8>, tensor<3xui64>) {
  // CHECK: graph.bit_shift %{{.*}}, %{{.*}} {direction = "RIGHT"}
  %r = graph.bit_shift %u, %u {direction = "RIGHT"} : (tensor<3xui64>, tensor<3xui64>) -> tensor<3xui64>
  // CHECK: graph.pow %{{.*}}, %{{.*}} : (tensor<3xi32>, tensor<3xf32>) -> tensor<3xi32>
  %w = graph.pow %i, %f : (tensor<3xi32>, tensor<3xf32>) -> tensor<3xi32>
  // CHECK: graph.mod %{{[^ ]+}}, %{{[^ ]+}} : (tensor<6xi8>, tensor<6xi8>)
  %m = graph.mod %p, %q : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  // CHECK: graph.max %{{[^ ]+}} : (tensor<3xui64>) -> tensor<3xui64>
  %x = graph.max %u : (tensor<3xui64>) -> tensor<3xui64>
  return %r, %w, %m, %x : tensor<3xui64>, tensor<3xi32>, tensor<6xi8>, tensor<3xui64>
}

// Bool operands of Equal, a three-way Where broadcast, a variadic Sum of
// integers.
// CHECK-LABEL: func @bool_and_variadic
func.func @bool_and_variadic(%c: tensor<2x1xi1>, %d: tensor<3xi1>, %x: tensor<1x3xf32>, %y: tensor<f32>, %i: tensor<2xi64>) -> (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2xi64>) {
  // CHECK: graph.equal %{{.*}}, %{{.*}} : (tensor<2x1xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %e = graph.equal %c, %d : (tensor<2x1xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  // CHECK: graph.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x1xi1>, tensor<1x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %w = graph.where %c, %x, %y : (tensor<2x1xi1>, tensor<1x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: graph.sum %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %s = graph.sum %i, %i, %i : (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %e, %w, %s : tensor<2x3xi1>, tensor<2x3xf32>, tensor<2xi64>
}

// Clip with both bounds, with none, and with a one-element 1-D bound.
// CHECK-LABEL: func @clip_bounds
func.func @clip_bounds(%x: tensor<3xi8>, %lo: tensor<i8>, %hi: tensor<1xi8>) -> (tensor<3xi8>, tensor<3xi8>) {
  // CHECK: %[[NONE:.+]] = graph.none
  %none = graph.none
  // CHECK: graph.clip %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3xi8>, tensor<i8>, tensor<1xi8>) -> tensor<3xi8>
  %a = graph.clip %x, %lo, %hi : (tensor<3xi8>, tensor<i8>, tensor<1xi8>) -> tensor<3xi8>
  // CHECK: graph.clip %{{.*}}, %[[NONE]], %[[NONE]] : (tensor<3xi8>, none, none) -> tensor<3xi8>
  %b = graph.clip %x, %none, %none : (tensor<3xi8>, none, none) -> tensor<3xi8>
  return %a, %b : tensor<3xi8>, tensor<3xi8>
}
