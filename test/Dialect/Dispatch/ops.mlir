// RUN: kiln-opt %s | FileCheck %s
// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @region
// CHECK:         %[[R:.+]] = dispatch.region(%{{.+}}, %{{.+}}) {name = "d0_Add"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
// CHECK:         ^bb0(%[[X:.+]]: tensor<4xf32>, %[[Y:.+]]: tensor<4xf32>):
// CHECK:           %[[S:.+]] = linalg.add ins(%[[X]], %[[Y]]
// CHECK:           dispatch.return %[[S]] : tensor<4xf32>
// CHECK:         return %[[R]]
func.func @region(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = dispatch.region(%a, %b) {name = "d0_Add"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    %e = tensor.empty() : tensor<4xf32>
    %s = linalg.add ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
    dispatch.return %s : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// CHECK-LABEL: func.func @launch
// CHECK:         dispatch.launch @kernels::@d0_Add(%{{.+}}, %{{.+}}) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @launch(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = dispatch.launch @kernels::@d0_Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

module @kernels {
  // CHECK-LABEL: func.func @d0_Add
  // CHECK:         dispatch.workgroup_id 0
  // CHECK:         dispatch.workgroup_count 2
  func.func @d0_Add(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
    %id = dispatch.workgroup_id 0
    %count = dispatch.workgroup_count 2
    %e = tensor.empty() : tensor<4xf32>
    %s = linalg.add ins(%a, %b : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
    return %s : tensor<4xf32>
  }
}
