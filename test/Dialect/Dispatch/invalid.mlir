// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @argument_count(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{body has 2 arguments for 1 inputs}}
  %r = dispatch.region(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    dispatch.return %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @argument_type(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{body argument type 'tensor<4xf16>' differs from input type 'tensor<4xf32>'}}
  %r = dispatch.region(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf16>):
    %e = tensor.empty() : tensor<4xf32>
    dispatch.return %e : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @result_type(%a: tensor<4xf32>) -> tensor<8xf32> {
  // expected-error @below {{returns}}
  %r = dispatch.region(%a) : (tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<4xf32>):
    dispatch.return %x : tensor<4xf32>
  }
  return %r : tensor<8xf32>
}

// -----

func.func @missing_kernel(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{names no kernel function @kernels::@nowhere}}
  %r = dispatch.launch @kernels::@nowhere(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
module @kernels {
}

// -----

func.func @kernel_types(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{operand or result types differ from kernel @kernels::@k}}
  %r = dispatch.launch @kernels::@k(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
module @kernels {
  func.func @k(%a: tensor<8xf32>) -> tensor<8xf32> {
    return %a : tensor<8xf32>
  }
}

// -----

func.func @workgroup_axis() -> index {
  // expected-error @below {{attribute 'dimension' failed to satisfy constraint}}
  %id = dispatch.workgroup_id 3
  return %id : index
}
