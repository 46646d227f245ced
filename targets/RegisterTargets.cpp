//===- RegisterTargets.cpp - Every backend, registered --------------------===//
//
// The one place that lists the backends: adding a target adds its folder
// under targets/ and one line here.
//
//===----------------------------------------------------------------------===//

#include "targets/RegisterTargets.h"

#include "targets/CPU/CPUTarget.h"
#include "targets/CUDA/CUDATarget.h"
#include "targets/ROCm/ROCmTarget.h"

namespace kiln {

void registerAllTargets() {
  static bool once = [] {
    registerCPUTarget();
    registerCUDATarget();
    registerROCmTarget();
    return true;
  }();
  (void)once;
}

} // namespace kiln
