// A linear layer on linalg at the graph stage: out = tanh(a x b + bias).
// The element type is substituted by the tests (sed s/ELT/f16/).
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
module {
  func.func @main(%a: tensor<200x96xELT>, %b: tensor<96x130xELT>, %bias: tensor<130xELT>) -> tensor<200x130xELT> {
    %z = arith.constant 0.0 : ELT
    %e = tensor.empty() : tensor<200x130xELT>
    %f = linalg.fill ins(%z : ELT) outs(%e : tensor<200x130xELT>) -> tensor<200x130xELT>
    %m = linalg.matmul ins(%a, %b : tensor<200x96xELT>, tensor<96x130xELT>) outs(%f : tensor<200x130xELT>) -> tensor<200x130xELT>
    %r = linalg.generic {indexing_maps = [#id2, #bias, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<200x130xELT>, tensor<130xELT>) outs(%e : tensor<200x130xELT>) {
    ^bb0(%x: ELT, %y: ELT, %o: ELT):
      %s = arith.addf %x, %y : ELT
      %t = math.tanh %s : ELT
      linalg.yield %t : ELT
    } -> tensor<200x130xELT>
    return %r : tensor<200x130xELT>
  }
}
