//===- registry.h - Device selection and registration -----------*- C++ -*-===//
//
// The one place that knows every device kind: which driver backs a kind,
// and which kinds KILN_DEVICE_AUTO tries. To add a device, add its folder
// under devices/ and a case here.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SRC_DEVICES_REGISTRY_H
#define KILN_RUNTIME_SRC_DEVICES_REGISTRY_H

#include "devices/device.h"

#include <cstring>

namespace kiln::rt {

/// The number of concrete device kinds plus AUTO: the size of tables
/// indexed by kiln_device_kind_t.
inline constexpr std::size_t kDeviceKindCount = 4;

/// Whether the caller's `kind` is a kiln_device_kind_t value this runtime
/// knows. Takes the raw integer: a C caller may store any int in the enum,
/// and reading an out-of-range value as the C++ enum is undefined.
bool isKnownDeviceKind(int kind);

/// The raw integer stored in a C enum field of the caller's.
template <typename Enum> int rawEnumValue(const Enum &value) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
  int raw;
  std::memcpy(&raw, &value, sizeof(raw));
  return raw;
}

/// The name of `kind` as executables and messages spell it ("cpu", ...).
const char *deviceKindName(kiln_device_kind_t kind);

/// Creates the driver of a concrete `kind`: loads its library, starts its
/// threads. Fails with KILN_STATUS_UNAVAILABLE when the hardware or driver
/// is absent.
kiln_status_t createDriver(kiln_device_kind_t kind,
                           const kiln_context_options_t &options,
                           std::unique_ptr<Driver> *out);

/// The kinds a session asking for `requested` tries, best first, into
/// `out`; returns how many. A concrete kind is tried alone. AUTO tries
/// each GPU kind whose kernels `artifact` carries, then the CPU.
std::size_t deviceCandidates(kiln_device_kind_t requested,
                             const artifact::Artifact &artifact,
                             kiln_device_kind_t out[kDeviceKindCount]);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_REGISTRY_H
