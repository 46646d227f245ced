//===- cpu_device.h - The CPU device ----------------------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DEVICES_CPU_CPU_DEVICE_H
#define KILN_RUNTIME_SRC_DEVICES_CPU_CPU_DEVICE_H

#include "devices/device.h"

namespace kiln::rt {

/// The CPU driver: a thread pool of `options.cpu_threads` threads shared
/// by every CPU session of the context, and ELF kernels run on it.
kiln_status_t createCpuDriver(const kiln_context_options_t &options,
                              std::unique_ptr<Driver> *out);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_CPU_CPU_DEVICE_H
