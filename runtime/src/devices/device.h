//===- device.h - The interface every device implements ---------*- C++ -*-===//
//
// A device runs an artifact's commands on one kind of hardware. The session
// (session.cpp) drives it and never names a backend; each backend lives in
// its own folder under devices/ and is reachable only through the registry
// (registry.cpp).
//
// Lifetimes: a context owns one Driver per device kind (created on first
// use); a session owns one Device, one LoadedExecutable and one
// PreparedLaunch per Launch command. Everything that can allocate happens
// at session creation; during a run the session calls only copy*, launch,
// synchronize and replayRecording.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SRC_DEVICES_DEVICE_H
#define KILN_RUNTIME_SRC_DEVICES_DEVICE_H

#include "artifact_generated.h"
#include "kiln/runtime.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace kiln::rt {

/// An address in a device's memory: a host pointer on the CPU, a
/// CUdeviceptr or hipDeviceptr_t on a GPU.
using DeviceAddress = std::uint64_t;

/// A device's kernels for one artifact, loaded (a dlopen'ed shared object,
/// a CUDA or HIP module). Opaque to the session.
class LoadedExecutable {
public:
  virtual ~LoadedExecutable() = default;
};

/// One Launch command with its arguments in the form its device passes
/// them, built once so that launching allocates nothing.
class PreparedLaunch {
public:
  virtual ~PreparedLaunch() = default;
};

/// What a Launch command passes to its kernel, resolved to addresses.
struct LaunchArguments {
  std::uint32_t dispatch;
  const DeviceAddress *bindings;
  std::size_t bindingCount;
  const std::uint32_t *constants;
  std::size_t constantCount;
};

/// One device of one kind, owned by one session: not shared between
/// threads, so implementations need no locking of their own.
class Device {
public:
  virtual ~Device() = default;

  virtual kiln_device_kind_t kind() const = 0;

  /// Allocates `size` bytes (at least 64-byte aligned). A zero size still
  /// yields a valid, distinct address.
  virtual kiln_status_t allocate(std::uint64_t size, DeviceAddress *out) = 0;
  virtual void deallocate(DeviceAddress address) = 0;

  /// Makes the artifact's constants pool readable by kernels. `data` lives
  /// as long as the device (the session retains the artifact), so a host
  /// device may use it in place.
  virtual kiln_status_t importConstants(const std::uint8_t *data,
                                        std::uint64_t size,
                                        DeviceAddress *out) = 0;
  virtual void releaseConstants(DeviceAddress address) = 0;

  /// Picks this device's executable among `artifact`'s and loads the
  /// kernel of every dispatch. Fails when none fits the device.
  virtual kiln_status_t
  loadExecutable(const artifact::Artifact &artifact,
                 std::unique_ptr<LoadedExecutable> *out) = 0;

  /// Binds the arguments of one Launch command to a kernel of `executable`.
  virtual kiln_status_t prepareLaunch(LoadedExecutable &executable,
                                      const LaunchArguments &arguments,
                                      std::unique_ptr<PreparedLaunch> *out) = 0;

  /// Runs a prepared launch over its whole grid. It may return before the
  /// kernel finished; later operations on this device run after it.
  virtual kiln_status_t launch(PreparedLaunch &launch) = 0;

  /// Copies, ordered after everything issued before. copyFromDevice's
  /// destination is written once synchronize() returns.
  virtual kiln_status_t copyToDevice(DeviceAddress destination,
                                     const void *source, std::size_t size) = 0;
  virtual kiln_status_t copyFromDevice(void *destination, DeviceAddress source,
                                       std::size_t size) = 0;
  virtual kiln_status_t copyOnDevice(DeviceAddress destination,
                                     DeviceAddress source,
                                     std::size_t size) = 0;

  /// Waits for everything issued so far.
  virtual kiln_status_t synchronize() = 0;

  /// Optional recording of the command list for cheap replay (CUDA graphs).
  /// The session records launches and device copies between
  /// beginRecording and endRecording once, at creation, and replays them
  /// on every run. Devices without it keep the defaults.
  virtual bool supportsRecording() const { return false; }
  virtual kiln_status_t beginRecording();
  virtual kiln_status_t endRecording();
  virtual kiln_status_t replayRecording();
};

/// Per-context state of one device kind: a loaded driver library, the
/// CPU's thread pool. Shared by every session of its context, so it is
/// thread-safe.
class Driver {
public:
  virtual ~Driver() = default;
  virtual kiln_device_kind_t kind() const = 0;
  /// The device name executables carry: "cpu", "cuda", "hip".
  virtual const char *name() const = 0;
  /// Opens device `ordinal` of this kind for one session.
  virtual kiln_status_t createDevice(std::uint32_t ordinal,
                                     std::unique_ptr<Device> *out) = 0;
};

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_DEVICE_H
