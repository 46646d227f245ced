// RUN: sed s/ELT/f16/g %S/Inputs/linear.mlir > %t.f16.mlir
// RUN: kiln-compile %t.f16.mlir --target=cuda --compile-to=codegen | FileCheck %s --check-prefix=F16
// RUN: sed s/ELT/f32/g %S/Inputs/linear.mlir > %t.f32.mlir
// RUN: kiln-compile %t.f32.mlir --target=cuda --compile-to=codegen | FileCheck %s --check-prefix=F32
// RUN: kiln-compile %t.f32.mlir --target=cuda --compile-to=codegen --allow-tf32 | FileCheck %s --check-prefix=TF32
// RUN: sed s/ELT/bf16/g %S/Inputs/linear.mlir > %t.bf16.mlir
// RUN: kiln-compile %t.bf16.mlir --target=cuda --compile-to=codegen | FileCheck %s --check-prefix=BF16

// The lowest IR of the CUDA target: a gpu.module of LLVM functions in the
// NVVM dialect, one per kernel, taking one pointer per binding (the
// runtime's kernel ABI), with their block size as nvvm.maxntid.

// An f16 matmul with its bias and tanh epilogue is one kernel on the
// tensor cores (mma.sync m16n8k16, f32 accumulators); tanh comes from
// libdevice.
// F16:       gpu.module @kiln_kernels
// F16:         llvm.func @__nv_tanhf(f32) -> f32
// F16:         llvm.func @[[K:.+]](%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// F16-SAME:      nvvm.kernel
// F16-SAME:      nvvm.maxntid
// F16:           nvvm.barrier0
// F16:           nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32)
// F16:           llvm.call @__nv_tanhf

// f32 uses plain multiply-adds unless TF32 is allowed.
// F32:       llvm.func @{{.+}}nvvm.kernel
// F32-NOT:     nvvm.mma.sync
// F32:         llvm.fmul {{.*}}contract
// TF32:      nvvm.convert.float.to.tf32
// TF32:      nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 8>} : (i32, i32, f32)

// bf16 pairs travel packed in 32-bit registers.
// BF16:      nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>{{.*}} : (i32, i32, f32)
