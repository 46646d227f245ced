// The CPU target vectorizes for the registers of the CPU it compiles for:
// 512 bits with AVX-512, 256 with AVX2, 128 without AVX.
// RUN: kiln-compile %s --cpu=skylake-avx512 --compile-to=codegen | FileCheck %s --check-prefix=AVX512
// RUN: kiln-compile %s --cpu=x86-64-v3 --compile-to=codegen | FileCheck %s --check-prefix=AVX2
// RUN: kiln-compile %s --cpu=x86-64 --compile-to=codegen | FileCheck %s --check-prefix=SSE
// REQUIRES: kiln-compile

// AVX512: vector<16xf32>
// AVX2-NOT: vector<16xf32>
// AVX2: vector<8xf32>
// AVX2-NOT: vector<16xf32>
// SSE-NOT: vector<8xf32>
// SSE: vector<4xf32>
// SSE-NOT: vector<8xf32>
func.func @main(%x: tensor<64x64xf32> {graph.name = "x"}) -> (tensor<64x64xf32> {graph.name = "y"}) {
  %y = graph.relu %x : (tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
