//===- hip_device.h - The HIP device ----------------------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DEVICES_HIP_HIP_DEVICE_H
#define KILN_RUNTIME_SRC_DEVICES_HIP_HIP_DEVICE_H

#include "devices/device.h"

namespace kiln::rt {

/// The HIP driver: libamdhip64 (.so, .so.6 or .so.5) opened with dlopen
/// and initialized. Fails with KILN_STATUS_UNAVAILABLE when the library or
/// a GPU is absent.
kiln_status_t createHipDriver(std::unique_ptr<Driver> *out);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_HIP_HIP_DEVICE_H
