// RUN: kiln-opt %s --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 --pass-pipeline='builtin.module(func.func(dispatch-pack-conv-weights{panel=4}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(dispatch-pack-conv-weights))' | FileCheck %s --check-prefix=NONE

// Constant weights (8 filters, weights[f, c, kh, kw] = 64 f + 4 c + 2 kh + kw)
// are packed into panels of 4 filters, filters innermost:
// packed[p, c, kh, kw, j] = weights[4 p + j, c, kh, kw]. The convolution
// becomes a generic op over the same loops reading the packed constant, and
// the original constant is gone. Without a panel width (the default: a
// target that reads weights as they are) nothing changes.
// NONE-LABEL: func.func @pack
// NONE: linalg.conv_2d_nchw_fchw
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1 floordiv 4, d4, d5, d6, d1 mod 4)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pack
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16x4x4xf32>, %[[O:[^:]+]]: tensor<1x8x3x3xf32>
// CHECK-NOT: tensor<8x16x2x2xf32>
// CHECK: %[[P:.+]] = arith.constant dense<{{\[\[\[\[\[}}0.000000e+00, 6.400000e+01, 1.280000e+02, 1.920000e+02], [1.000000e+00, 6.500000e+01, 1.290000e+02, 1.930000e+02]], [{{\[}}2.000000e+00, 6.600000e+01,
// CHECK-SAME: {{\[\[\[\[}}2.560000e+02, 3.200000e+02, 3.840000e+02, 4.480000e+02], [2.570000e+02,
// CHECK-SAME: : tensor<2x16x2x2x4xf32>
// CHECK-NOT: tensor<8x16x2x2xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[P]] : tensor<1x16x4x4xf32>, tensor<2x16x2x2x4xf32>) outs(%[[O]] : tensor<1x8x3x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @pack(%x: tensor<1x16x4x4xf32>, %o: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]], [[8.0, 9.0], [10.0, 11.0]], [[12.0, 13.0], [14.0, 15.0]], [[16.0, 17.0], [18.0, 19.0]], [[20.0, 21.0], [22.0, 23.0]], [[24.0, 25.0], [26.0, 27.0]], [[28.0, 29.0], [30.0, 31.0]], [[32.0, 33.0], [34.0, 35.0]], [[36.0, 37.0], [38.0, 39.0]], [[40.0, 41.0], [42.0, 43.0]], [[44.0, 45.0], [46.0, 47.0]], [[48.0, 49.0], [50.0, 51.0]], [[52.0, 53.0], [54.0, 55.0]], [[56.0, 57.0], [58.0, 59.0]], [[60.0, 61.0], [62.0, 63.0]]], [[[64.0, 65.0], [66.0, 67.0]], [[68.0, 69.0], [70.0, 71.0]], [[72.0, 73.0], [74.0, 75.0]], [[76.0, 77.0], [78.0, 79.0]], [[80.0, 81.0], [82.0, 83.0]], [[84.0, 85.0], [86.0, 87.0]], [[88.0, 89.0], [90.0, 91.0]], [[92.0, 93.0], [94.0, 95.0]], [[96.0, 97.0], [98.0, 99.0]], [[100.0, 101.0], [102.0, 103.0]], [[104.0, 105.0], [106.0, 107.0]], [[108.0, 109.0], [110.0, 111.0]], [[112.0, 113.0], [114.0, 115.0]], [[116.0, 117.0], [118.0, 119.0]], [[120.0, 121.0], [122.0, 123.0]], [[124.0, 125.0], [126.0, 127.0]]], [[[128.0, 129.0], [130.0, 131.0]], [[132.0, 133.0], [134.0, 135.0]], [[136.0, 137.0], [138.0, 139.0]], [[140.0, 141.0], [142.0, 143.0]], [[144.0, 145.0], [146.0, 147.0]], [[148.0, 149.0], [150.0, 151.0]], [[152.0, 153.0], [154.0, 155.0]], [[156.0, 157.0], [158.0, 159.0]], [[160.0, 161.0], [162.0, 163.0]], [[164.0, 165.0], [166.0, 167.0]], [[168.0, 169.0], [170.0, 171.0]], [[172.0, 173.0], [174.0, 175.0]], [[176.0, 177.0], [178.0, 179.0]], [[180.0, 181.0], [182.0, 183.0]], [[184.0, 185.0], [186.0, 187.0]], [[188.0, 189.0], [190.0, 191.0]]], [[[192.0, 193.0], [194.0, 195.0]], [[196.0, 197.0], [198.0, 199.0]], [[200.0, 201.0], [202.0, 203.0]], [[204.0, 205.0], [206.0, 207.0]], [[208.0, 209.0], [210.0, 211.0]], [[212.0, 213.0], [214.0, 215.0]], [[216.0, 217.0], [218.0, 219.0]], [[220.0, 221.0], [222.0, 223.0]], [[224.0, 225.0], [226.0, 227.0]], [[228.0, 229.0], [230.0, 231.0]], [[232.0, 233.0], [234.0, 235.0]], [[236.0, 237.0], [238.0, 239.0]], [[240.0, 241.0], [242.0, 243.0]], [[244.0, 245.0], [246.0, 247.0]], [[248.0, 249.0], [250.0, 251.0]], [[252.0, 253.0], [254.0, 255.0]]], [[[256.0, 257.0], [258.0, 259.0]], [[260.0, 261.0], [262.0, 263.0]], [[264.0, 265.0], [266.0, 267.0]], [[268.0, 269.0], [270.0, 271.0]], [[272.0, 273.0], [274.0, 275.0]], [[276.0, 277.0], [278.0, 279.0]], [[280.0, 281.0], [282.0, 283.0]], [[284.0, 285.0], [286.0, 287.0]], [[288.0, 289.0], [290.0, 291.0]], [[292.0, 293.0], [294.0, 295.0]], [[296.0, 297.0], [298.0, 299.0]], [[300.0, 301.0], [302.0, 303.0]], [[304.0, 305.0], [306.0, 307.0]], [[308.0, 309.0], [310.0, 311.0]], [[312.0, 313.0], [314.0, 315.0]], [[316.0, 317.0], [318.0, 319.0]]], [[[320.0, 321.0], [322.0, 323.0]], [[324.0, 325.0], [326.0, 327.0]], [[328.0, 329.0], [330.0, 331.0]], [[332.0, 333.0], [334.0, 335.0]], [[336.0, 337.0], [338.0, 339.0]], [[340.0, 341.0], [342.0, 343.0]], [[344.0, 345.0], [346.0, 347.0]], [[348.0, 349.0], [350.0, 351.0]], [[352.0, 353.0], [354.0, 355.0]], [[356.0, 357.0], [358.0, 359.0]], [[360.0, 361.0], [362.0, 363.0]], [[364.0, 365.0], [366.0, 367.0]], [[368.0, 369.0], [370.0, 371.0]], [[372.0, 373.0], [374.0, 375.0]], [[376.0, 377.0], [378.0, 379.0]], [[380.0, 381.0], [382.0, 383.0]]], [[[384.0, 385.0], [386.0, 387.0]], [[388.0, 389.0], [390.0, 391.0]], [[392.0, 393.0], [394.0, 395.0]], [[396.0, 397.0], [398.0, 399.0]], [[400.0, 401.0], [402.0, 403.0]], [[404.0, 405.0], [406.0, 407.0]], [[408.0, 409.0], [410.0, 411.0]], [[412.0, 413.0], [414.0, 415.0]], [[416.0, 417.0], [418.0, 419.0]], [[420.0, 421.0], [422.0, 423.0]], [[424.0, 425.0], [426.0, 427.0]], [[428.0, 429.0], [430.0, 431.0]], [[432.0, 433.0], [434.0, 435.0]], [[436.0, 437.0], [438.0, 439.0]], [[440.0, 441.0], [442.0, 443.0]], [[444.0, 445.0], [446.0, 447.0]]], [[[448.0, 449.0], [450.0, 451.0]], [[452.0, 453.0], [454.0, 455.0]], [[456.0, 457.0], [458.0, 459.0]], [[460.0, 461.0], [462.0, 463.0]], [[464.0, 465.0], [466.0, 467.0]], [[468.0, 469.0], [470.0, 471.0]], [[472.0, 473.0], [474.0, 475.0]], [[476.0, 477.0], [478.0, 479.0]], [[480.0, 481.0], [482.0, 483.0]], [[484.0, 485.0], [486.0, 487.0]], [[488.0, 489.0], [490.0, 491.0]], [[492.0, 493.0], [494.0, 495.0]], [[496.0, 497.0], [498.0, 499.0]], [[500.0, 501.0], [502.0, 503.0]], [[504.0, 505.0], [506.0, 507.0]], [[508.0, 509.0], [510.0, 511.0]]]]> : tensor<8x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x4x4xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}

// -----

// Strides and dilations carry over into the input's indexing; two
// convolutions that share a constant share its one packed copy.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 * 2 + d5 * 3, d3 * 2 + d6 * 3)>
// CHECK-LABEL: func.func @strided_shared
// CHECK: %[[P:.+]] = arith.constant dense<5.000000e-01> : tensor<2x16x2x2x4xf32>
// CHECK-NOT: arith.constant
// CHECK: linalg.generic {indexing_maps = [#[[IN]],
// CHECK-SAME: ins(%{{.+}}, %[[P]] :
// CHECK: linalg.generic {indexing_maps = [#[[IN]],
// CHECK-SAME: ins(%{{.+}}, %[[P]] :
func.func @strided_shared(%x: tensor<1x16x9x9xf32>, %o: tensor<1x8x3x3xf32>) -> (tensor<1x8x3x3xf32>, tensor<1x8x3x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x16x2x2xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<3> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x9x9xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %b = linalg.conv_2d_nchw_fchw {dilations = dense<3> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x9x9xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %a, %b : tensor<1x8x3x3xf32>, tensor<1x8x3x3xf32>
}

// -----

// Weights that are not a constant stay where they are.
// CHECK-LABEL: func.func @not_constant
// CHECK: linalg.conv_2d_nchw_fchw
func.func @not_constant(%x: tensor<1x16x4x4xf32>, %w: tensor<8x16x2x2xf32>, %o: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x4x4xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}

// -----

// A constant that another op reads too is not packed: the artifact would
// hold both copies.
// CHECK-LABEL: func.func @other_use
// CHECK: %[[W:.+]] = arith.constant dense<5.000000e-01> : tensor<8x16x2x2xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.+}} ins(%{{.+}}, %[[W]] :
// CHECK: return {{.+}}, %[[W]]
func.func @other_use(%x: tensor<1x16x4x4xf32>, %o: tensor<1x8x3x3xf32>) -> (tensor<1x8x3x3xf32>, tensor<8x16x2x2xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x4x4xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r, %w : tensor<1x8x3x3xf32>, tensor<8x16x2x2xf32>
}

// -----

// Rows of output pixels that are a multiple of half a panel (4 here), with
// a unit stride along them, run another way on the CPU: not packed.
// CHECK-LABEL: func.func @whole_vector_rows
// CHECK: linalg.conv_2d_nchw_fchw
func.func @whole_vector_rows(%x: tensor<1x16x5x5xf32>, %o: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x5x5xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// The same rows with a stride of 2 along them run along the filters (the
// row tile would gather every other input pixel): packed.
// CHECK-LABEL: func.func @strided_whole_vector_rows
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic
// CHECK-SAME: tensor<2x16x2x2x4xf32>
func.func @strided_whole_vector_rows(%x: tensor<1x16x5x8xf32>, %o: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%x, %w : tensor<1x16x5x8xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// Filters that are not whole panels (6 of 4): not packed.
// CHECK-LABEL: func.func @partial_panel
// CHECK: linalg.conv_2d_nchw_fchw
func.func @partial_panel(%x: tensor<1x16x4x4xf32>, %o: tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %w = arith.constant dense<0.5> : tensor<6x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x4x4xf32>, tensor<6x16x2x2xf32>) outs(%o : tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %r : tensor<1x6x3x3xf32>
}

// -----

// A short reduction (C * KH * KW = 32 < 64): not packed.
// CHECK-LABEL: func.func @short_reduction
// CHECK: linalg.conv_2d_nchw_fchw
func.func @short_reduction(%x: tensor<1x8x4x4xf32>, %o: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %w = arith.constant dense<0.5> : tensor<8x8x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x4x4xf32>, tensor<8x8x2x2xf32>) outs(%o : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}

// -----

// Two images, and f16: not packed.
// CHECK-LABEL: func.func @batch_and_f16
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: linalg.conv_2d_nchw_fchw
func.func @batch_and_f16(%x: tensor<2x16x4x4xf32>, %o: tensor<2x8x3x3xf32>, %y: tensor<1x16x4x4xf16>, %p: tensor<1x8x3x3xf16>) -> (tensor<2x8x3x3xf32>, tensor<1x8x3x3xf16>) {
  %w = arith.constant dense<0.5> : tensor<8x16x2x2xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x16x4x4xf32>, tensor<8x16x2x2xf32>) outs(%o : tensor<2x8x3x3xf32>) -> tensor<2x8x3x3xf32>
  %h = arith.constant dense<0.5> : tensor<8x16x2x2xf16>
  %s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %h : tensor<1x16x4x4xf16>, tensor<8x16x2x2xf16>) outs(%p : tensor<1x8x3x3xf16>) -> tensor<1x8x3x3xf16>
  return %r, %s : tensor<2x8x3x3xf32>, tensor<1x8x3x3xf16>
}
