//===- context.h - The object behind kiln_context_t -------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_CONTEXT_H
#define KILN_RUNTIME_SRC_CONTEXT_H

#include "devices/registry.h"

#include <atomic>
#include <mutex>
#include <string>

struct kiln_context_s {
  std::atomic<std::uint32_t> references{1};
  kiln_context_options_t options;

  /// One driver per device kind, created on first use. A driver that
  /// failed to come up is not retried: its failure is kept and reported
  /// again, so a missing GPU driver costs one dlopen per context.
  struct DriverSlot {
    bool attempted = false;
    std::unique_ptr<kiln::rt::Driver> driver;
    kiln_status_code_t failureCode = KILN_STATUS_OK;
    std::string failureMessage;
  };
  std::mutex driversMutex;
  DriverSlot drivers[kiln::rt::kDeviceKindCount];
};

namespace kiln::rt {

/// The driver of a concrete `kind` in `context`, created on first use.
/// Thread-safe. The driver lives as long as the context.
kiln_status_t getDriver(kiln_context_s &context, kiln_device_kind_t kind,
                        Driver **out);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_CONTEXT_H
