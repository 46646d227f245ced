//===- CudaDeclarationsTest.cpp - Our CUDA declarations match cuda.h ------===//
//
// The CUDA device declares the driver API itself so that the runtime builds
// without the toolkit. Where cuda.h is installed, check those declarations
// against it.
//
//===----------------------------------------------------------------------===//

#include "devices/cuda/cuda_driver_api.h"

#include <gtest/gtest.h>

#ifdef KILN_HAVE_CUDA_H
#include <cuda.h>

namespace ours = kiln::rt::cuda;

static_assert(sizeof(ours::CUdeviceptr) == sizeof(::CUdeviceptr));
static_assert(sizeof(ours::CUresult) == sizeof(::CUresult));
static_assert(ours::CUDA_SUCCESS == ::CUDA_SUCCESS);
static_assert(ours::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ==
              ::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
static_assert(ours::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR ==
              ::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
static_assert(ours::CU_STREAM_NON_BLOCKING == ::CU_STREAM_NON_BLOCKING);
static_assert(ours::CU_STREAM_CAPTURE_MODE_THREAD_LOCAL ==
              ::CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
static_assert(ours::CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES ==
              ::CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES);
static_assert(ours::CU_JIT_ERROR_LOG_BUFFER == ::CU_JIT_ERROR_LOG_BUFFER);
static_assert(ours::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES ==
              ::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
static_assert(::CUDA_ERROR_OUT_OF_MEMORY == 2);
#endif

TEST(DriverDeclarations, CudaMatchesItsHeader) {
#ifndef KILN_HAVE_CUDA_H
  GTEST_SKIP() << "cuda.h is not installed";
#endif
}
