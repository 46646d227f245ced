//===- Passes.td - Dispatch dialect passes -----------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_TD
#define KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DispatchPropagateReshapesPass
    : Pass<"dispatch-propagate-reshapes", "::mlir::func::FuncOp"> {
  let summary = "Moves reshapes to where they cost nothing";
  let description = [{
    Runs on linalg before dispatch formation. A reshape between two ops
    keeps them in separate kernels; one of a whole kernel result is free
    (the host re-labels the buffer). The pass drops unit dimensions from
    generic ops, folds reshapes into the generic ops beside them by
    collapsing their loops, and moves the reshape of a slice above the
    slice when the slice is whole along the new inner dimensions. Transposes
    become generic ops on the way. Generic ops connected to convolutions or
    pools keep their dimensions, so that they stay next to them.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DispatchFuseElementwisePass
    : Pass<"dispatch-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Merges chains of elementwise generic ops";
  let description = [{
    Merges an elementwise `linalg.generic` into the generic op that
    consumes it when it has no other use, so that a chain (a bias add and
    an activation, a scale and a mask) computes each element once instead
    of writing a buffer per op.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def DispatchPackConvWeightsPass
    : Pass<"dispatch-pack-conv-weights", "::mlir::func::FuncOp"> {
  let summary = "Packs the constant weights of convolutions into filter panels";
  let description = [{
    Runs on linalg just before dispatch formation, for targets whose
    convolution kernels read weights by panels of consecutive filters
    (TargetBackend::getConvFilterPanel). A `linalg.conv_2d_nchw_fchw` on
    f32 with one image, `F % panel == 0` filters, output rows that are not
    a multiple of `panel / 2` pixels, a reduction of at least 64 (`C * KH *
    KW`) and constant weights becomes a `linalg.generic` with the same
    loops that reads the weights packed at compile time:
    `packed[f floordiv P, c, kh, kw, f mod P] = w[f, c, kh, kw]`
    (compiler/Codegen/PackedWeights.h). The kernel then reads each panel as
    one stream instead of copying it at run time. A constant is packed only
    when every use of it is such a convolution, so that the artifact holds
    one copy of the weights.

    ```mlir
    %r = linalg.generic {indexing_maps = [
        affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>,
        affine_map<(n, f, oh, ow, c, kh, kw) -> (f floordiv 32, c, kh, kw, f mod 32)>,
        affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>], ...}
      ins(%x, %packed : tensor<1x64x9x9xf32>, tensor<2x64x3x3x32xf32>) ...
    ```
  }];
  let options = [
    Option<"panel", "panel", "int64_t", "0",
           "Filters per panel (0: pack nothing)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def DispatchPackMatmulWeightsPass
    : Pass<"dispatch-pack-matmul-weights", "::mlir::func::FuncOp"> {
  let summary = "Packs the constant B operands of matmuls into column panels";
  let description = [{
    Runs on linalg just before dispatch formation, for targets whose matmul
    kernels read B by panels of consecutive columns
    (TargetBackend::getMatmulPanel). A `linalg.matmul` on f32 (without
    user-defined indexing maps) with static shapes, at least 8 rows, a
    reduction of at least 64, `N % panel == 0` columns and a constant B
    becomes a `linalg.generic` with the same loops that reads B packed at
    compile time: `packed[n floordiv P, k, n mod P] = B[k, n]`
    (compiler/Codegen/PackedWeights.h). The kernel's register tiles then
    stream through each panel in place, where they would otherwise copy
    B's cache tiles into panels in every run, once per workgroup along the
    rows. A constant is packed only when every use of it is such a
    matmul's B, so that the artifact holds one copy of it.

    ```mlir
    %r = linalg.generic {indexing_maps = [
        affine_map<(m, n, k) -> (m, k)>,
        affine_map<(m, n, k) -> (n floordiv 32, k, n mod 32)>,
        affine_map<(m, n, k) -> (m, n)>],
        iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %packed : tensor<128x768xf32>, tensor<96x768x32xf32>) ...
    ```
  }];
  let options = [
    Option<"panel", "panel", "int64_t", "0",
           "Columns per panel (0: pack nothing)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def DispatchWinogradConvPass
    : Pass<"dispatch-winograd-conv", "::mlir::func::FuncOp"> {
  let summary = "Computes 3x3 convolutions with Winograd's F(2x2, 3x3)";
  let description = [{
    Runs on linalg just before the weight-packing passes, for targets that
    ask for it (TargetBackend::getWinogradFilterPanel). A
    `linalg.conv_2d_nchw_fchw` on f32 with one image, 3x3 filters, unit
    strides and dilations, an input padded by one zero on each side (a
    `tensor.pad`), constant weights, a multiple of `panel` filters and at
    least 16 channels becomes three ops, each tagged `kiln.winograd`, which
    dispatch formation keeps in one kernel:

    - `"input"`: `V[c, p, th, tw] = sum_ij B[p, i, j] x[0, c, 2 th + i, 2 tw + j]`,
      each 4x4 block of input (overlapping by two pixels) transformed;
    - `"product"`: `M[p, th, tw, k] = sum_c V[c, p, th, tw] U[p, k / P, c, k % P]`,
      16 matrix products with the filters transformed at compile time
      (`U = G g G^T` per filter and channel, packed in panels of `P`);
    - `"output"`: `Y[0, k, y, x] += sum_p A[p, y % 2, x % 2] M[p, y / 2, x / 2, k]`,
      each 2x2 block of output, into the convolution's output.

    `p = 4 r + s` is the position in the 4x4 domain, `B[p, i, j] = Bt[r, i]
    Bt[s, j]` and `A[p, i, j] = At[i, r] At[j, s]` with F(2x2, 3x3)'s
    matrices. An odd output height or width takes blocks half outside it,
    over one more row or column of zero padding. The products take 16
    multiply-adds per 2x2 block, filter and channel where the convolution
    takes 36. The CPU computes the transforms with additions (the tag says
    their coefficients are these).

    ```mlir
    %v = linalg.generic {indexing_maps = [
        affine_map<(c, p, th, tw, i, j) -> (0, c, th * 2 + i, tw * 2 + j)>,
        affine_map<(c, p, th, tw, i, j) -> (p, i, j)>,
        affine_map<(c, p, th, tw, i, j) -> (c, p, th, tw)>], ...,
        kiln.winograd = "input"}
      ins(%padded, %b : tensor<1x64x58x58xf32>, tensor<16x4x4xf32>) ...
    ```
  }];
  let options = [
    Option<"panel", "panel", "int64_t", "0",
           "Filters per panel of the transformed weights (0: rewrite nothing)">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def DispatchFormRegionsPass : Pass<"dispatch-form-regions", "::mlir::func::FuncOp"> {
  let summary = "Groups the computation of a function into dispatch regions";
  let description = [{
    Every op that computes a tensor ends up in exactly one
    `dispatch.region`; constants and static reshapes stay on the host
    (reshapes only re-label a buffer). Each region grows from one op,
    roots first (contractions, convolutions, pools, reductions), then
    whatever they left. Consumers join while the region keeps a single
    output: elementwise ops (whose other operands may broadcast),
    transposes and reductions other than contractions, so that a matmul
    or a convolution carries its bias and activation and a softmax is one
    kernel. Producers join when all their uses are inside: elementwise ops,
    transposes, static slices, and the constant padding of a convolution's
    or a pool's input. Empty tensors, fills, scalars and small or splat
    constants are cloned into the regions that use them rather than
    passed in.
  }];
  let options = [
    Option<"fuseElementwise", "fuse-elementwise", "bool", "true",
           "Fuse elementwise producers and consumers into their neighbours">,
  ];
  let dependentDialects = ["::kiln::dispatch::DispatchDialect"];
}

def DispatchOutlineRegionsPass : Pass<"dispatch-outline-regions", "::mlir::ModuleOp"> {
  let summary = "Turns each dispatch region into a kernel and a launch";
  let description = [{
    Moves the body of every `dispatch.region` into a kernel function in the
    nested module `@kernels`, and replaces the region with a
    `dispatch.launch` of it. Kernels are named after their order and the
    ONNX op types they compute (`d3_Conv_Relu`) and carry the names of
    their ONNX nodes (`dispatch.onnx_nodes`) and their root op.
  }];
  let dependentDialects = ["::kiln::dispatch::DispatchDialect"];
}

#endif // KILN_DIALECTS_DISPATCH_TRANSFORMS_PASSES_TD
