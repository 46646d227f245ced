//===- hip_runtime_api.h - The slice of the HIP API used --------*- C++ -*-===//
//
// Types and function pointers of the HIP runtime API (ROCm 5 and 6),
// declared here so that the runtime builds without ROCm headers; the
// library is dlopen'ed at run time. Values match hip_runtime_api.h (a unit
// test checks them when the header is present).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SRC_DEVICES_HIP_HIP_RUNTIME_API_H
#define KILN_RUNTIME_SRC_DEVICES_HIP_HIP_RUNTIME_API_H

#include <cstddef>

namespace kiln::rt::hip {

using hipError_t = int;
using hipModule_t = struct ihipModule_t *;
using hipFunction_t = struct ihipModuleSymbol_t *;
using hipStream_t = struct ihipStream_t *;
using hipDeviceptr_t = void *;

inline constexpr hipError_t hipSuccess = 0;
inline constexpr hipError_t hipErrorOutOfMemory = 2;
/// hipStreamNonBlocking, a macro in the ROCm headers.
inline constexpr unsigned kHipStreamNonBlocking = 1;

/// hipGetDeviceProperties writes the ROCm 5 layout of hipDeviceProp_t
/// (ROCm 6 keeps that layout under the unversioned symbol). Only
/// gcnArchName is read, at this offset; the buffer is larger than any
/// known layout, and the name is used only if it looks like "gfx...".
inline constexpr std::size_t kDevicePropertiesBufferSize = 4096;
inline constexpr std::size_t kGcnArchNameOffset = 396;
inline constexpr std::size_t kGcnArchNameSize = 256;

struct RuntimeApi {
  hipError_t (*hipInit)(unsigned flags);
  const char *(*hipGetErrorName)(hipError_t error);
  const char *(*hipGetErrorString)(hipError_t error);
  hipError_t (*hipGetDeviceCount)(int *count);
  hipError_t (*hipGetDevice)(int *device);
  hipError_t (*hipSetDevice)(int device);
  hipError_t (*hipGetDeviceProperties)(void *properties, int device);
  hipError_t (*hipMalloc)(void **pointer, std::size_t size);
  hipError_t (*hipFree)(void *pointer);
  hipError_t (*hipMemcpyHtoD)(hipDeviceptr_t destination, void *source,
                              std::size_t size);
  hipError_t (*hipMemcpyHtoDAsync)(hipDeviceptr_t destination, void *source,
                                   std::size_t size, hipStream_t stream);
  hipError_t (*hipMemcpyDtoHAsync)(void *destination, hipDeviceptr_t source,
                                   std::size_t size, hipStream_t stream);
  hipError_t (*hipMemcpyDtoDAsync)(hipDeviceptr_t destination,
                                   hipDeviceptr_t source, std::size_t size,
                                   hipStream_t stream);
  hipError_t (*hipModuleLoadData)(hipModule_t *module, const void *image);
  hipError_t (*hipModuleUnload)(hipModule_t module);
  hipError_t (*hipModuleGetFunction)(hipFunction_t *function,
                                     hipModule_t module, const char *name);
  hipError_t (*hipModuleLaunchKernel)(hipFunction_t function, unsigned gridX,
                                      unsigned gridY, unsigned gridZ,
                                      unsigned blockX, unsigned blockY,
                                      unsigned blockZ,
                                      unsigned sharedMemoryBytes,
                                      hipStream_t stream, void **parameters,
                                      void **extra);
  hipError_t (*hipStreamCreateWithFlags)(hipStream_t *stream, unsigned flags);
  hipError_t (*hipStreamDestroy)(hipStream_t stream);
  hipError_t (*hipStreamSynchronize)(hipStream_t stream);
};

} // namespace kiln::rt::hip

#endif // KILN_RUNTIME_SRC_DEVICES_HIP_HIP_RUNTIME_API_H
