// RUN: sed s/ELT/f16/g %S/../CUDA/Inputs/linear.mlir > %t.f16.mlir
// RUN: kiln-compile %t.f16.mlir --target=rocm --compile-to=codegen | FileCheck %s --check-prefix=MFMA
// RUN: kiln-compile %t.f16.mlir --target=rocm --rocm-arch=gfx1100 --compile-to=codegen | FileCheck %s --check-prefix=WMMA
// RUN: sed s/ELT/bf16/g %S/../CUDA/Inputs/linear.mlir > %t.bf16.mlir
// RUN: kiln-compile %t.bf16.mlir --target=rocm --rocm-arch=gfx942 --compile-to=codegen | FileCheck %s --check-prefix=BF16
// RUN: sed s/ELT/f32/g %S/../CUDA/Inputs/linear.mlir > %t.f32.mlir
// RUN: kiln-compile %t.f32.mlir --target=rocm --compile-to=codegen | FileCheck %s --check-prefix=F32

// The lowest IR of the ROCm target (for the first --rocm-arch): a
// gpu.module of LLVM functions in the ROCDL dialect, one per kernel,
// taking one pointer per binding (the runtime's HIP kernel ABI), with
// their exact block size as the flat and required work-group sizes.

// gfx90a (the first default): waves of 64; the f16 linear layer is one
// kernel on MFMA 16x16x16 with f32 accumulators; tanh comes from the
// device libraries.
// MFMA:       gpu.module @kiln_kernels
// MFMA:         llvm.func @__ocml_tanh_f16(f16) -> f16
// MFMA:         llvm.func @[[K:.+]](%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// MFMA-SAME:      rocdl.flat_work_group_size = "64,64", rocdl.kernel, rocdl.reqd_work_group_size = array<i32: 64, 1, 1>
// MFMA:           rocdl.barrier
// MFMA:           rocdl.mfma.f32.16x16x16f16 {{.*}} : (vector<4xf16>, vector<4xf16>, vector<4xf32>, i32, i32, i32) -> vector<4xf32>
// MFMA:           llvm.call @__ocml_tanh_f16

// gfx1100: waves of 32 and WMMA, 16 values of A and B per lane.
// WMMA:       llvm.func @{{.+}}rocdl.reqd_work_group_size = array<i32: 32, 1, 1>
// WMMA:         rocdl.wmma.f32.16x16x16.f16 {{.*}} : (vector<16xf16>, vector<16xf16>, vector<8xf32>) -> vector<8xf32>

// bf16 on gfx942: the bf16_1k MFMA.
// BF16:       rocdl.mfma.f32.16x16x16bf16.1k

// f32 on CDNA: the full-precision f32 MFMA (16x16x4, one value of A and B
// per lane), not a reduced-precision format.
// F32:        rocdl.mfma.f32.16x16x4f32 {{.*}} : (f32, f32, vector<4xf32>, i32, i32, i32) -> vector<4xf32>
