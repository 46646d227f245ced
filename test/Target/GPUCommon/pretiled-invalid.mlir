// RUN: kiln-opt %s -split-input-file -verify-diagnostics \
// RUN:   -pass-pipeline='builtin.module(func.func(kiln-gpu-configure-kernels))'

// A kernel already tiled into workgroups (fused attention's loop nest) is
// refused with an error rather than compiled into wrong thread code.
func.func @pretiled(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %empty = tensor.empty() : tensor<4x16xf32>
  // expected-error@+1 {{kernel 'pretiled' is tiled into workgroups before code generation; the GPU targets do not compile such kernels}}
  %r = scf.forall (%i) in (4) shared_outs(%out = %empty) -> (tensor<4x16xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 16] [1, 1] : tensor<4x16xf32> to tensor<1x16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %row into %out[%i, 0] [1, 16] [1, 1] : tensor<1x16xf32> into tensor<4x16xf32>
    }
  }
  return %r : tensor<4x16xf32>
}
