//===- HipDeclarationsTest.cpp - Our HIP declarations match ROCm's --------===//
//
// The HIP device declares the runtime API itself and reads one field of
// hipDeviceProp_t at a fixed offset. Where the ROCm headers are installed,
// check both against them.
//
//===----------------------------------------------------------------------===//

#include "devices/hip/hip_runtime_api.h"

#include <gtest/gtest.h>

#ifdef KILN_HAVE_HIP_H
#include <cstddef>
#include <hip/hip_runtime_api.h>

namespace ours = kiln::rt::hip;

static_assert(ours::hipSuccess == ::hipSuccess);
static_assert(ours::hipErrorOutOfMemory == ::hipErrorOutOfMemory);
static_assert(ours::kHipStreamNonBlocking == hipStreamNonBlocking);
static_assert(offsetof(hipDeviceProp_t, gcnArchName) ==
              ours::kGcnArchNameOffset);
static_assert(sizeof(hipDeviceProp_t::gcnArchName) == ours::kGcnArchNameSize);
static_assert(sizeof(hipDeviceProp_t) <= ours::kDevicePropertiesBufferSize);
#endif

TEST(DriverDeclarations, HipMatchesItsHeader) {
#ifndef KILN_HAVE_HIP_H
  GTEST_SKIP() << "the ROCm headers are not installed";
#endif
}
