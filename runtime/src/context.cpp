//===- context.cpp - Contexts: the C API ----------------------------------===//

#include "context.h"
#include "status.h"

#include <new>

namespace kiln::rt {

kiln_status_t getDriver(kiln_context_s &context, kiln_device_kind_t kind,
                        Driver **out) {
  if (kind == KILN_DEVICE_AUTO || !isKnownDeviceKind(rawEnumValue(kind)))
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "no driver for device kind %d", int(kind));
  std::lock_guard<std::mutex> lock(context.driversMutex);
  kiln_context_s::DriverSlot &slot = context.drivers[kind];
  if (!slot.attempted) {
    slot.attempted = true;
    if (kiln_status_t status =
            createDriver(kind, context.options, &slot.driver)) {
      slot.failureCode = kiln_status_code(status);
      slot.failureMessage = kiln_status_message(status);
      kiln_status_free(status);
    }
  }
  if (!slot.driver)
    return makeStatus(slot.failureCode, "%s", slot.failureMessage.c_str());
  *out = slot.driver.get();
  return nullptr;
}

} // namespace kiln::rt

using namespace kiln::rt;

/// A bound on the pool size, far above any machine's core count, so that
/// a garbage value does not try to start millions of threads.
static constexpr std::uint32_t kMaxCpuThreads = 1024;

extern "C" {

void kiln_context_options_initialize(kiln_context_options_t *options) {
  if (options)
    options->cpu_threads = 0;
}

kiln_status_t kiln_context_create(const kiln_context_options_t *options,
                                  kiln_context_t **out_context) {
  if (!out_context)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "out_context must not be NULL");
  *out_context = nullptr;
  if (options && options->cpu_threads > kMaxCpuThreads)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "cpu_threads %u is more than %u", options->cpu_threads,
                      kMaxCpuThreads);
  auto *context = new (std::nothrow) kiln_context_s;
  if (!context)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating a context");
  kiln_context_options_initialize(&context->options);
  if (options)
    context->options = *options;
  *out_context = context;
  return nullptr;
}

void kiln_context_retain(kiln_context_t *context) {
  if (context)
    context->references.fetch_add(1, std::memory_order_relaxed);
}

void kiln_context_release(kiln_context_t *context) {
  if (context &&
      context->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete context;
}

} // extern "C"
