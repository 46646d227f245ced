//===- cuda_device.h - The CUDA device --------------------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DEVICES_CUDA_CUDA_DEVICE_H
#define KILN_RUNTIME_SRC_DEVICES_CUDA_CUDA_DEVICE_H

#include "devices/device.h"

namespace kiln::rt {

/// The CUDA driver: libcuda.so.1 opened with dlopen and initialized.
/// Fails with KILN_STATUS_UNAVAILABLE when the library or a GPU is absent.
kiln_status_t createCudaDriver(std::unique_ptr<Driver> *out);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_CUDA_CUDA_DEVICE_H
