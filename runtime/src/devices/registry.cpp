//===- registry.cpp - Device selection and registration -------------------===//

#include "devices/registry.h"

#include "devices/cpu/cpu_device.h"
#include "devices/cuda/cuda_device.h"
#include "devices/hip/hip_device.h"
#include "status.h"

#include <cstring>

namespace kiln::rt {

bool isKnownDeviceKind(int kind) {
  return kind == KILN_DEVICE_AUTO || kind == KILN_DEVICE_CPU ||
         kind == KILN_DEVICE_CUDA || kind == KILN_DEVICE_HIP;
}

const char *deviceKindName(kiln_device_kind_t kind) {
  switch (kind) {
  case KILN_DEVICE_AUTO:
    return "auto";
  case KILN_DEVICE_CPU:
    return "cpu";
  case KILN_DEVICE_CUDA:
    return "cuda";
  case KILN_DEVICE_HIP:
    return "hip";
  }
  return "unknown";
}

kiln_status_t createDriver(kiln_device_kind_t kind,
                           const kiln_context_options_t &options,
                           std::unique_ptr<Driver> *out) {
  switch (kind) {
  case KILN_DEVICE_CPU:
    return createCpuDriver(options, out);
  case KILN_DEVICE_CUDA:
    return createCudaDriver(out);
  case KILN_DEVICE_HIP:
    return createHipDriver(out);
  case KILN_DEVICE_AUTO:
    break;
  }
  return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                    "no driver for device kind %d", int(kind));
}

static bool hasExecutableFor(const artifact::Artifact &artifact,
                             const char *device) {
  for (const artifact::Executable *executable : *artifact.executables())
    if (std::strcmp(executable->device()->c_str(), device) == 0)
      return true;
  return false;
}

std::size_t deviceCandidates(kiln_device_kind_t requested,
                             const artifact::Artifact &artifact,
                             kiln_device_kind_t out[kDeviceKindCount]) {
  if (requested != KILN_DEVICE_AUTO) {
    out[0] = requested;
    return 1;
  }
  std::size_t count = 0;
  for (kiln_device_kind_t gpu : {KILN_DEVICE_CUDA, KILN_DEVICE_HIP})
    if (hasExecutableFor(artifact, deviceKindName(gpu)))
      out[count++] = gpu;
  out[count++] = KILN_DEVICE_CPU;
  return count;
}

} // namespace kiln::rt
