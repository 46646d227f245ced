// Workgroups of the CPU kernels that compute from whole planes or blocks of
// rows: a Winograd convolution whose transformed weights are small (64 x 64
// filters: 256 KiB) splits its output rows into bands of whole 2x2-block
// rows; one whose weights are large (256 x 256: 4 MiB) splits its filters
// into whole panels instead, two at most; a max pool with strides of 2
// over padded input splits its channels only (tiles of at least 8), each
// workgroup reading whole planes; a convolution with strides of 2 whose
// output rows are whole vectors (112 pixels) splits its rows only, whole
// rows of pixels in every workgroup.
// RUN: kiln-compile %s --cpu=skylake-avx512 --mlir-print-ir-after=kiln-tile-workgroups -o /dev/null 2>&1 | FileCheck %s
// CHECK-DAG: func.func @d0({{.+}}kiln.grid = array<i64: 4, 1, 1>
// CHECK-DAG: scf.forall (%{{.+}}) = (0) to (56) step (14)
// CHECK-DAG: func.func @d1({{.+}}kiln.grid = array<i64: 2, 1, 1>
// CHECK-DAG: scf.forall (%{{.+}}) = (0) to (256) step (128)
// CHECK-DAG: func.func @d2({{.+}}dispatch.root = "linalg.pooling_nchw_max", kiln.grid = array<i64: 8, 1, 1>
// CHECK-DAG: scf.forall (%{{.+}}) = (0) to (64) step (8)
// CHECK-DAG: func.func @d3({{.+}}kiln.grid = array<i64: 14, 1, 1>
// CHECK-DAG: scf.forall (%{{.+}}) = (0) to (112) step (8) shared_outs({{.+}}) -> (tensor<1x32x112x112xf32>)
func.func @main(%x: tensor<1x64x56x56xf32>, %y: tensor<1x256x14x14xf32>, %z: tensor<1x64x112x112xf32>, %image: tensor<1x3x224x224xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x256x14x14xf32>, tensor<1x64x56x56xf32>, tensor<1x32x112x112xf32>) {
  %w1 = graph.constant dense<0.5> : tensor<64x64x3x3xf32>
  %w3 = graph.constant dense<0.25> : tensor<256x256x3x3xf32>
  %none = graph.none
  %c1 = graph.conv %x, %w1, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, none) -> tensor<1x64x56x56xf32>
  %c3 = graph.conv %y, %w3, %none {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x256x14x14xf32>, tensor<256x256x3x3xf32>, none) -> tensor<1x256x14x14xf32>
  %p, %i = graph.max_pool %z {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xi64>)
  %w0 = graph.constant dense<0.125> : tensor<32x3x3x3xf32>
  %c0 = graph.conv %image, %w0, %none {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<32x3x3x3xf32>, none) -> tensor<1x32x112x112xf32>
  return %c1, %c3, %p, %c0 : tensor<1x64x56x56xf32>, tensor<1x256x14x14xf32>, tensor<1x64x56x56xf32>, tensor<1x32x112x112xf32>
}
