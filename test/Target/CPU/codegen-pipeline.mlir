// The CPU codegen stage runs alone in kiln-opt on the kernels module of the
// dispatch stage: each kernel becomes an LLVM function with the kernel ABI
// (a table of bindings, the workgroup id and count), around the kernel body.
// RUN: kiln-compile %s --compile-to=dispatch | kiln-opt --pass-pipeline='builtin.module(builtin.module(kiln-cpu-codegen{vector-bits=256}))' | FileCheck %s
// REQUIRES: kiln-compile

// CHECK:       func.func @main
// CHECK:         dispatch.launch @kernels::@d0
// CHECK:       module @kernels
// CHECK:         llvm.func internal @d0.impl(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: i64, %{{.+}}: i64, %{{.+}}: i64)
// CHECK:           llvm.load {{.+}} -> vector<8xf32>
// CHECK:           llvm.fcmp "ogt" {{.+}} : vector<8xf32>
// CHECK:           llvm.select
// CHECK:         llvm.func @d0(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: i32, %{{.+}}: i32, %{{.+}}: i32, %{{.+}}: i32, %{{.+}}: i32, %{{.+}}: i32) attributes {kiln.grid = array<i64: 1, 1, 1>}
func.func @main(%x: tensor<64x64xf32> {graph.name = "x"}) -> (tensor<64x64xf32> {graph.name = "y"}) {
  %y = graph.relu %x : (tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
