// RUN: kiln-opt %s --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 --pass-pipeline='builtin.module(func.func(dispatch-pack-matmul-weights{panel=4}))' | FileCheck %s
// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(dispatch-pack-matmul-weights))' | FileCheck %s --check-prefix=NONE

// A constant B (64 x 8, b[k, n] = 8 k + n) is packed into panels of 4
// columns, each contiguous over k: packed[p, k, j] = b[k, 4 p + j]. The
// matmul becomes a generic op over the same loops reading the packed
// constant, and the original constant is gone. Without a panel width (the
// default: a target that reads B as it is) nothing changes.
// NONE-LABEL: func.func @pack
// NONE: linalg.matmul
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (d1 floordiv 4, d2, d1 mod 4)>
// CHECK-DAG: #[[C:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @pack
// CHECK-SAME: %[[X:[^:]+]]: tensor<8x64xf32>, %[[O:[^:]+]]: tensor<8x8xf32>
// CHECK-NOT: tensor<64x8xf32>
// CHECK: %[[P:.+]] = arith.constant dense<{{\[\[\[}}0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01],
// CHECK-SAME: {{\[\[}}4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00], [1.200000e+01,
// CHECK-SAME: : tensor<2x64x4xf32>
// CHECK-NOT: tensor<64x8xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[P]] : tensor<8x64xf32>, tensor<2x64x4xf32>) outs(%[[O]] : tensor<8x8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @pack(%x: tensor<8x64xf32>, %o: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0], [24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0], [32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0], [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0], [48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0], [56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0], [64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0], [72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0], [80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0], [88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0], [96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0], [104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0], [112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0], [120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0], [128.0, 129.0, 130.0, 131.0, 132.0, 133.0, 134.0, 135.0], [136.0, 137.0, 138.0, 139.0, 140.0, 141.0, 142.0, 143.0], [144.0, 145.0, 146.0, 147.0, 148.0, 149.0, 150.0, 151.0], [152.0, 153.0, 154.0, 155.0, 156.0, 157.0, 158.0, 159.0], [160.0, 161.0, 162.0, 163.0, 164.0, 165.0, 166.0, 167.0], [168.0, 169.0, 170.0, 171.0, 172.0, 173.0, 174.0, 175.0], [176.0, 177.0, 178.0, 179.0, 180.0, 181.0, 182.0, 183.0], [184.0, 185.0, 186.0, 187.0, 188.0, 189.0, 190.0, 191.0], [192.0, 193.0, 194.0, 195.0, 196.0, 197.0, 198.0, 199.0], [200.0, 201.0, 202.0, 203.0, 204.0, 205.0, 206.0, 207.0], [208.0, 209.0, 210.0, 211.0, 212.0, 213.0, 214.0, 215.0], [216.0, 217.0, 218.0, 219.0, 220.0, 221.0, 222.0, 223.0], [224.0, 225.0, 226.0, 227.0, 228.0, 229.0, 230.0, 231.0], [232.0, 233.0, 234.0, 235.0, 236.0, 237.0, 238.0, 239.0], [240.0, 241.0, 242.0, 243.0, 244.0, 245.0, 246.0, 247.0], [248.0, 249.0, 250.0, 251.0, 252.0, 253.0, 254.0, 255.0], [256.0, 257.0, 258.0, 259.0, 260.0, 261.0, 262.0, 263.0], [264.0, 265.0, 266.0, 267.0, 268.0, 269.0, 270.0, 271.0], [272.0, 273.0, 274.0, 275.0, 276.0, 277.0, 278.0, 279.0], [280.0, 281.0, 282.0, 283.0, 284.0, 285.0, 286.0, 287.0], [288.0, 289.0, 290.0, 291.0, 292.0, 293.0, 294.0, 295.0], [296.0, 297.0, 298.0, 299.0, 300.0, 301.0, 302.0, 303.0], [304.0, 305.0, 306.0, 307.0, 308.0, 309.0, 310.0, 311.0], [312.0, 313.0, 314.0, 315.0, 316.0, 317.0, 318.0, 319.0], [320.0, 321.0, 322.0, 323.0, 324.0, 325.0, 326.0, 327.0], [328.0, 329.0, 330.0, 331.0, 332.0, 333.0, 334.0, 335.0], [336.0, 337.0, 338.0, 339.0, 340.0, 341.0, 342.0, 343.0], [344.0, 345.0, 346.0, 347.0, 348.0, 349.0, 350.0, 351.0], [352.0, 353.0, 354.0, 355.0, 356.0, 357.0, 358.0, 359.0], [360.0, 361.0, 362.0, 363.0, 364.0, 365.0, 366.0, 367.0], [368.0, 369.0, 370.0, 371.0, 372.0, 373.0, 374.0, 375.0], [376.0, 377.0, 378.0, 379.0, 380.0, 381.0, 382.0, 383.0], [384.0, 385.0, 386.0, 387.0, 388.0, 389.0, 390.0, 391.0], [392.0, 393.0, 394.0, 395.0, 396.0, 397.0, 398.0, 399.0], [400.0, 401.0, 402.0, 403.0, 404.0, 405.0, 406.0, 407.0], [408.0, 409.0, 410.0, 411.0, 412.0, 413.0, 414.0, 415.0], [416.0, 417.0, 418.0, 419.0, 420.0, 421.0, 422.0, 423.0], [424.0, 425.0, 426.0, 427.0, 428.0, 429.0, 430.0, 431.0], [432.0, 433.0, 434.0, 435.0, 436.0, 437.0, 438.0, 439.0], [440.0, 441.0, 442.0, 443.0, 444.0, 445.0, 446.0, 447.0], [448.0, 449.0, 450.0, 451.0, 452.0, 453.0, 454.0, 455.0], [456.0, 457.0, 458.0, 459.0, 460.0, 461.0, 462.0, 463.0], [464.0, 465.0, 466.0, 467.0, 468.0, 469.0, 470.0, 471.0], [472.0, 473.0, 474.0, 475.0, 476.0, 477.0, 478.0, 479.0], [480.0, 481.0, 482.0, 483.0, 484.0, 485.0, 486.0, 487.0], [488.0, 489.0, 490.0, 491.0, 492.0, 493.0, 494.0, 495.0], [496.0, 497.0, 498.0, 499.0, 500.0, 501.0, 502.0, 503.0], [504.0, 505.0, 506.0, 507.0, 508.0, 509.0, 510.0, 511.0]]> : tensor<64x8xf32>
  %r = linalg.matmul ins(%x, %b : tensor<8x64xf32>, tensor<64x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// Two matmuls that share a constant share its one packed copy.
// CHECK-LABEL: func.func @shared
// CHECK: %[[P:.+]] = arith.constant dense<5.000000e-01> : tensor<2x64x4xf32>
// CHECK-NOT: arith.constant
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %[[P]] :
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %[[P]] :
func.func @shared(%x: tensor<8x64xf32>, %y: tensor<16x64xf32>, %o: tensor<8x8xf32>, %p: tensor<16x8xf32>) -> (tensor<8x8xf32>, tensor<16x8xf32>) {
  %b = arith.constant dense<0.5> : tensor<64x8xf32>
  %r = linalg.matmul ins(%x, %b : tensor<8x64xf32>, tensor<64x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.matmul ins(%y, %b : tensor<16x64xf32>, tensor<64x8xf32>) outs(%p : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r, %s : tensor<8x8xf32>, tensor<16x8xf32>
}

// -----

// A constant that another op also reads is not packed: the artifact keeps
// one copy of it.
// CHECK-LABEL: func.func @other_use
// CHECK: linalg.matmul
func.func @other_use(%x: tensor<8x64xf32>, %o: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<64x8xf32>) {
  %b = arith.constant dense<0.5> : tensor<64x8xf32>
  %r = linalg.matmul ins(%x, %b : tensor<8x64xf32>, tensor<64x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r, %b : tensor<8x8xf32>, tensor<64x8xf32>
}

// -----

// Left alone: B not a constant, fewer than 8 rows, a reduction shorter than
// 64, columns that are not whole panels, a transposed B (user-defined
// indexing maps), f16.
// CHECK-LABEL: func.func @not_packed
// CHECK-NOT: linalg.generic
// CHECK-COUNT-6: linalg.matmul
// CHECK-NOT: linalg.generic
func.func @not_packed(%x: tensor<8x64xf32>, %b: tensor<64x8xf32>, %o: tensor<8x8xf32>, %x4: tensor<4x64xf32>, %o4: tensor<4x8xf32>, %x32: tensor<8x32xf32>, %o6: tensor<8x6xf32>, %xh: tensor<8x64xf16>, %oh: tensor<8x8xf16>) -> (tensor<8x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x6xf32>, tensor<8x8xf32>, tensor<8x8xf16>) {
  %c = arith.constant dense<0.5> : tensor<64x8xf32>
  %c32 = arith.constant dense<0.5> : tensor<32x8xf32>
  %c6 = arith.constant dense<0.5> : tensor<64x6xf32>
  %ct = arith.constant dense<0.5> : tensor<8x64xf32>
  %ch = arith.constant dense<0.5> : tensor<64x8xf16>
  %r0 = linalg.matmul ins(%x, %b : tensor<8x64xf32>, tensor<64x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r1 = linalg.matmul ins(%x4, %c : tensor<4x64xf32>, tensor<64x8xf32>) outs(%o4 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r2 = linalg.matmul ins(%x32, %c32 : tensor<8x32xf32>, tensor<32x8xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r3 = linalg.matmul ins(%x, %c6 : tensor<8x64xf32>, tensor<64x6xf32>) outs(%o6 : tensor<8x6xf32>) -> tensor<8x6xf32>
  %r4 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%x, %ct : tensor<8x64xf32>, tensor<8x64xf32>) outs(%o : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r5 = linalg.matmul ins(%xh, %ch : tensor<8x64xf16>, tensor<64x8xf16>) outs(%oh : tensor<8x8xf16>) -> tensor<8x8xf16>
  return %r0, %r1, %r2, %r3, %r4, %r5 : tensor<8x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x6xf32>, tensor<8x8xf32>, tensor<8x8xf16>
}
