// An elementwise model without math functions at the graph stage: 2x + 1.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @main(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
    %e = tensor.empty() : tensor<3x5xf32>
    %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<3x5xf32>) outs(%e : tensor<3x5xf32>) {
    ^bb0(%v: f32, %o: f32):
      %one = arith.constant 1.0 : f32
      %two = arith.constant 2.0 : f32
      %a = arith.mulf %v, %two : f32
      %b = arith.addf %a, %one : f32
      linalg.yield %b : f32
    } -> tensor<3x5xf32>
    return %r : tensor<3x5xf32>
  }
}
