//===- device.cpp - Defaults of the device interface ----------------------===//

#include "devices/device.h"
#include "status.h"

namespace kiln::rt {

kiln_status_t Device::beginRecording() {
  return makeStatus(KILN_STATUS_UNAVAILABLE,
                    "this device cannot record command lists");
}

kiln_status_t Device::endRecording() { return beginRecording(); }

kiln_status_t Device::replayRecording() { return beginRecording(); }

} // namespace kiln::rt
