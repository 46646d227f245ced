// An elementwise model at the graph stage: log(1 + exp(x)).
#id2 = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @main(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
    %e = tensor.empty() : tensor<3x5xf32>
    %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<3x5xf32>) outs(%e : tensor<3x5xf32>) {
    ^bb0(%v: f32, %o: f32):
      %one = arith.constant 1.0 : f32
      %a = math.exp %v : f32
      %b = arith.addf %a, %one : f32
      %c = math.log %b : f32
      linalg.yield %c : f32
    } -> tensor<3x5xf32>
    return %r : tensor<3x5xf32>
  }
}
