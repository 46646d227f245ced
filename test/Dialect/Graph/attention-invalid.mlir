// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// K' must be D x Lk: here its rows are 4, Q's features 8.
func.func @attention_depth(%q: tensor<2x16x8xf32>, %k: tensor<2x4x16xf32>, %v: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  %none = graph.none
  // expected-error@+1 {{K' must be DxLk and V' LkxDv}}
  %y = graph.attention %q, %k, %v, %none, %none : (tensor<2x16x8xf32>, tensor<2x4x16xf32>, tensor<2x16x8xf32>, none, none) -> tensor<2x16x8xf32>
  return %y : tensor<2x16x8xf32>
}

// -----

func.func @attention_batch(%q: tensor<2x16x8xf32>, %k: tensor<3x8x16xf32>, %v: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  %none = graph.none
  // expected-error@+1 {{Q, K and V must have the same batch dimensions}}
  %y = graph.attention %q, %k, %v, %none, %none : (tensor<2x16x8xf32>, tensor<3x8x16xf32>, tensor<2x16x8xf32>, none, none) -> tensor<2x16x8xf32>
  return %y : tensor<2x16x8xf32>
}

// -----

func.func @attention_perm(%q: tensor<2x16x8xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  %none = graph.none
  // expected-error@+1 {{q_perm is not a permutation}}
  %y = graph.attention %q, %k, %v, %none, %none {q_perm = array<i64: 0, 1, 1>} : (tensor<2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x16x8xf32>, none, none) -> tensor<2x16x8xf32>
  return %y : tensor<2x16x8xf32>
}

// -----

func.func @attention_mask(%q: tensor<2x16x8xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x16x8xf32>, %m: tensor<16x8xi1>) -> tensor<2x16x8xf32> {
  %none = graph.none
  // expected-error@+1 {{mask dimension 1 has size 8, which does not broadcast to 16}}
  %y = graph.attention %q, %k, %v, %none, %m : (tensor<2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x16x8xf32>, none, tensor<16x8xi1>) -> tensor<2x16x8xf32>
  return %y : tensor<2x16x8xf32>
}

// -----

// The result type follows out_perm.
func.func @attention_result(%q: tensor<2x16x8xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x16x4xf32>) -> tensor<2x16x8xf32> {
  %none = graph.none
  // expected-error@+1 {{result #0 has type 'tensor<2x16x8xf32>', which contradicts the inferred type 'tensor<2x16x4xf32>'}}
  %y = graph.attention %q, %k, %v, %none, %none : (tensor<2x16x8xf32>, tensor<2x8x16xf32>, tensor<2x16x4xf32>, none, none) -> tensor<2x16x8xf32>
  return %y : tensor<2x16x8xf32>
}
