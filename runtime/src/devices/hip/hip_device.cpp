//===- hip_device.cpp - The HIP device ------------------------------------===//
//
// Runs HSACO kernels on AMD GPUs through the HIP runtime, loaded with
// dlopen. The shape follows the CUDA device: one stream, one arena, the
// constants uploaded at creation, asynchronous copies and launches, one
// wait per run. The current HIP device is per thread, so every entry
// point selects the session's device for its duration.
//
//===----------------------------------------------------------------------===//

#include "devices/hip/hip_device.h"

#include "devices/hip/hip_runtime_api.h"
#include "dynamic_library.h"
#include "status.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace kiln::rt {
namespace {

using namespace hip;

/// A status for a failed HIP call, in one line.
kiln_status_t hipFailure(const RuntimeApi &api, hipError_t result,
                         const char *call,
                         kiln_status_code_t code = KILN_STATUS_INTERNAL) {
  const char *name =
      api.hipGetErrorName ? api.hipGetErrorName(result) : nullptr;
  const char *text =
      api.hipGetErrorString ? api.hipGetErrorString(result) : nullptr;
  if (result == hipErrorOutOfMemory)
    code = KILN_STATUS_RESOURCE_EXHAUSTED;
  return makeStatus(code, "%s failed: %s (%s)", call,
                    name ? name : "unknown HIP error", text ? text : "");
}

/// Selects the session's device on this thread for a scope, restoring the
/// caller's choice afterwards.
class ScopedDevice {
public:
  ScopedDevice(const RuntimeApi &api, int ordinal) : api_(api) {
    if (api_.hipGetDevice(&previous_) != hipSuccess)
      previous_ = -1;
    if (previous_ != ordinal)
      api_.hipSetDevice(ordinal);
    else
      previous_ = -1;
  }
  ~ScopedDevice() {
    if (previous_ >= 0)
      api_.hipSetDevice(previous_);
  }

private:
  const RuntimeApi &api_;
  int previous_ = -1;
};

class HipExecutable final : public LoadedExecutable {
public:
  HipExecutable(const RuntimeApi &api, int ordinal)
      : api(api), ordinal(ordinal) {}
  ~HipExecutable() override {
    if (module) {
      ScopedDevice scope(api, ordinal);
      api.hipModuleUnload(module);
    }
  }
  const RuntimeApi &api;
  int ordinal;
  hipModule_t module = nullptr;
  const artifact::Executable *source = nullptr;
  std::vector<hipFunction_t> functions;
};

class HipLaunch final : public PreparedLaunch {
public:
  hipFunction_t function = nullptr;
  unsigned grid[3] = {1, 1, 1};
  unsigned block[3] = {1, 1, 1};
  unsigned sharedMemoryBytes = 0;
  std::vector<hipDeviceptr_t> pointers;
  std::vector<std::uint32_t> constants;
  /// hipModuleLaunchKernel's kernelParams: binding pointers, then constants.
  std::vector<void *> parameters;
};

void *asPointer(DeviceAddress address) {
  return reinterpret_cast<void *>(static_cast<std::uintptr_t>(address));
}

class HipDevice final : public Device {
public:
  HipDevice(const RuntimeApi &api, int ordinal)
      : api_(api), ordinal_(ordinal) {}

  ~HipDevice() override {
    if (stream_) {
      ScopedDevice scope(api_, ordinal_);
      api_.hipStreamDestroy(stream_);
    }
  }

  kiln_status_t initialize() {
    ScopedDevice scope(api_, ordinal_);
    alignas(16) char properties[kDevicePropertiesBufferSize] = {};
    if (api_.hipGetDeviceProperties(properties, ordinal_) == hipSuccess) {
      const char *name = properties + kGcnArchNameOffset;
      std::size_t length = strnlen(name, kGcnArchNameSize);
      // "gfx90a:sramecc+:xnack-": the part before the first ':' names the
      // code object target.
      if (length < kGcnArchNameSize && std::strncmp(name, "gfx", 3) == 0)
        arch_.assign(name, std::find(name, name + length, ':'));
    }
    if (hipError_t result =
            api_.hipStreamCreateWithFlags(&stream_, kHipStreamNonBlocking))
      return hipFailure(api_, result, "hipStreamCreateWithFlags");
    return nullptr;
  }

  kiln_device_kind_t kind() const override { return KILN_DEVICE_HIP; }

  kiln_status_t allocate(std::uint64_t size, DeviceAddress *out) override {
    ScopedDevice scope(api_, ordinal_);
    void *pointer = nullptr;
    std::size_t bytes =
        static_cast<std::size_t>(std::max<std::uint64_t>(size, 256));
    if (hipError_t result = api_.hipMalloc(&pointer, bytes))
      return hipFailure(api_, result, "hipMalloc");
    *out = reinterpret_cast<std::uintptr_t>(pointer);
    return nullptr;
  }

  void deallocate(DeviceAddress address) override {
    ScopedDevice scope(api_, ordinal_);
    api_.hipFree(asPointer(address));
  }

  kiln_status_t importConstants(const std::uint8_t *data, std::uint64_t size,
                                DeviceAddress *out) override {
    if (kiln_status_t status = allocate(size, out))
      return status;
    if (size == 0)
      return nullptr;
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipMemcpyHtoD(
            asPointer(*out), const_cast<std::uint8_t *>(data),
            static_cast<std::size_t>(size))) {
      api_.hipFree(asPointer(*out));
      return hipFailure(api_, result, "hipMemcpyHtoD (constants)");
    }
    return nullptr;
  }

  void releaseConstants(DeviceAddress address) override { deallocate(address); }

  kiln_status_t loadExecutable(const artifact::Artifact &artifact,
                               std::unique_ptr<LoadedExecutable> *out) override;
  kiln_status_t prepareLaunch(LoadedExecutable &executable,
                              const LaunchArguments &arguments,
                              std::unique_ptr<PreparedLaunch> *out) override;

  kiln_status_t launch(PreparedLaunch &prepared) override {
    auto &launch = static_cast<HipLaunch &>(prepared);
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipModuleLaunchKernel(
            launch.function, launch.grid[0], launch.grid[1], launch.grid[2],
            launch.block[0], launch.block[1], launch.block[2],
            launch.sharedMemoryBytes, stream_, launch.parameters.data(),
            nullptr))
      return hipFailure(api_, result, "hipModuleLaunchKernel");
    return nullptr;
  }

  kiln_status_t copyToDevice(DeviceAddress destination, const void *source,
                             std::size_t size) override {
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipMemcpyHtoDAsync(
            asPointer(destination), const_cast<void *>(source), size, stream_))
      return hipFailure(api_, result, "hipMemcpyHtoDAsync");
    return nullptr;
  }

  kiln_status_t copyFromDevice(void *destination, DeviceAddress source,
                               std::size_t size) override {
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipMemcpyDtoHAsync(
            destination, asPointer(source), size, stream_))
      return hipFailure(api_, result, "hipMemcpyDtoHAsync");
    return nullptr;
  }

  kiln_status_t copyOnDevice(DeviceAddress destination, DeviceAddress source,
                             std::size_t size) override {
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipMemcpyDtoDAsync(
            asPointer(destination), asPointer(source), size, stream_))
      return hipFailure(api_, result, "hipMemcpyDtoDAsync");
    return nullptr;
  }

  kiln_status_t synchronize() override {
    ScopedDevice scope(api_, ordinal_);
    if (hipError_t result = api_.hipStreamSynchronize(stream_))
      return hipFailure(api_, result, "hipStreamSynchronize");
    return nullptr;
  }

private:
  kiln_status_t loadModule(const artifact::Artifact &artifact,
                           const artifact::Executable &executable,
                           std::unique_ptr<HipExecutable> *out);

  const RuntimeApi &api_;
  int ordinal_;
  hipStream_t stream_ = nullptr;
  /// "gfx942"; empty when the properties could not be read.
  std::string arch_;
};

kiln_status_t HipDevice::loadModule(const artifact::Artifact &artifact,
                                    const artifact::Executable &executable,
                                    std::unique_ptr<HipExecutable> *out) {
  std::unique_ptr<HipExecutable> loaded(new (std::nothrow)
                                            HipExecutable(api_, ordinal_));
  if (!loaded)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory loading a HIP executable");
  loaded->source = &executable;
  ScopedDevice scope(api_, ordinal_);
  if (hipError_t result =
          api_.hipModuleLoadData(&loaded->module, executable.data()->data())) {
    loaded->module = nullptr;
    return hipFailure(api_, result, "hipModuleLoadData",
                      KILN_STATUS_INVALID_ARTIFACT);
  }
  const auto &kernels = *executable.kernels();
  loaded->functions.reserve(kernels.size());
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const artifact::Kernel &kernel = *kernels.Get(i);
    const char *name = kernel.symbol()->c_str();
    if (!kernel.block())
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "HIP kernel '%s' has no block size", name);
    hipFunction_t function = nullptr;
    if (api_.hipModuleGetFunction(&function, loaded->module, name) !=
        hipSuccess)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "the HIP executable has no kernel '%s' (dispatch %zu, "
                        "'%s')",
                        name, i,
                        artifact.dispatches()->Get(i)->name()->c_str());
    loaded->functions.push_back(function);
  }
  *out = std::move(loaded);
  return nullptr;
}

kiln_status_t
HipDevice::loadExecutable(const artifact::Artifact &artifact,
                          std::unique_ptr<LoadedExecutable> *out) {
  // A code object runs only on its own architecture. When the device's is
  // known, only matching ones are tried; otherwise each in turn.
  std::vector<const artifact::Executable *> candidates;
  std::string available;
  for (const artifact::Executable *executable : *artifact.executables()) {
    if (std::strcmp(executable->device()->c_str(), "hip") != 0 ||
        executable->format() != artifact::ExecutableFormat::Hsaco)
      continue;
    available += available.empty() ? "" : ", ";
    available += executable->arch()->str();
    std::string arch = executable->arch()->str();
    arch = arch.substr(0, arch.find(':'));
    if (arch_.empty() || arch == arch_)
      candidates.push_back(executable);
  }
  if (candidates.empty())
    return makeStatus(KILN_STATUS_NOT_FOUND,
                      "the artifact has no HIP executable for %s (it has: %s)",
                      arch_.c_str(),
                      available.empty() ? "none" : available.c_str());
  kiln_status_t firstFailure = nullptr;
  for (const artifact::Executable *candidate : candidates) {
    std::unique_ptr<HipExecutable> loaded;
    kiln_status_t status = loadModule(artifact, *candidate, &loaded);
    if (!status) {
      kiln_status_free(firstFailure);
      *out = std::move(loaded);
      return nullptr;
    }
    if (!firstFailure)
      firstFailure = status;
    else
      kiln_status_free(status);
  }
  return firstFailure;
}

kiln_status_t HipDevice::prepareLaunch(LoadedExecutable &executable,
                                       const LaunchArguments &arguments,
                                       std::unique_ptr<PreparedLaunch> *out) {
  auto &loaded = static_cast<HipExecutable &>(executable);
  std::unique_ptr<HipLaunch> launch(new (std::nothrow) HipLaunch);
  if (!launch)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory preparing a HIP launch");
  const artifact::Kernel &kernel =
      *loaded.source->kernels()->Get(arguments.dispatch);
  launch->function = loaded.functions[arguments.dispatch];
  for (flatbuffers::uoffset_t i = 0; i < 3; ++i) {
    launch->grid[i] = kernel.grid()->Get(i);
    launch->block[i] = kernel.block()->Get(i);
  }
  launch->sharedMemoryBytes = kernel.shared_memory_bytes();
  for (std::size_t i = 0; i < arguments.bindingCount; ++i)
    launch->pointers.push_back(asPointer(arguments.bindings[i]));
  launch->constants.assign(arguments.constants,
                           arguments.constants + arguments.constantCount);
  launch->parameters.reserve(launch->pointers.size() +
                             launch->constants.size());
  for (hipDeviceptr_t &pointer : launch->pointers)
    launch->parameters.push_back(&pointer);
  for (std::uint32_t &constant : launch->constants)
    launch->parameters.push_back(&constant);
  *out = std::move(launch);
  return nullptr;
}

class HipDriver final : public Driver {
public:
  HipDriver(const RuntimeApi &api, int deviceCount)
      : api_(api), deviceCount_(deviceCount) {}
  kiln_device_kind_t kind() const override { return KILN_DEVICE_HIP; }
  const char *name() const override { return "hip"; }

  kiln_status_t createDevice(std::uint32_t ordinal,
                             std::unique_ptr<Device> *out) override {
    if (ordinal >= std::uint32_t(deviceCount_))
      return makeStatus(KILN_STATUS_NOT_FOUND,
                        "HIP device %u does not exist (%d found)", ordinal,
                        deviceCount_);
    std::unique_ptr<HipDevice> created(new (std::nothrow)
                                           HipDevice(api_, int(ordinal)));
    if (!created)
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "out of memory creating a HIP device");
    if (kiln_status_t status = created->initialize())
      return status;
    *out = std::move(created);
    return nullptr;
  }

private:
  RuntimeApi api_;
  int deviceCount_;
};

kiln_status_t bindRuntimeApi(void *library, const char *libraryName,
                             RuntimeApi &api) {
  struct Entry {
    const char *symbol;
    void **slot;
  };
#define KILN_HIP_ENTRY(field)                                                  \
  Entry { #field, reinterpret_cast < void **>(&api.field) }
  const Entry entries[] = {
      KILN_HIP_ENTRY(hipInit),
      KILN_HIP_ENTRY(hipGetErrorName),
      KILN_HIP_ENTRY(hipGetErrorString),
      KILN_HIP_ENTRY(hipGetDeviceCount),
      KILN_HIP_ENTRY(hipGetDevice),
      KILN_HIP_ENTRY(hipSetDevice),
      KILN_HIP_ENTRY(hipGetDeviceProperties),
      KILN_HIP_ENTRY(hipMalloc),
      KILN_HIP_ENTRY(hipFree),
      KILN_HIP_ENTRY(hipMemcpyHtoD),
      KILN_HIP_ENTRY(hipMemcpyHtoDAsync),
      KILN_HIP_ENTRY(hipMemcpyDtoHAsync),
      KILN_HIP_ENTRY(hipMemcpyDtoDAsync),
      KILN_HIP_ENTRY(hipModuleLoadData),
      KILN_HIP_ENTRY(hipModuleUnload),
      KILN_HIP_ENTRY(hipModuleGetFunction),
      KILN_HIP_ENTRY(hipModuleLaunchKernel),
      KILN_HIP_ENTRY(hipStreamCreateWithFlags),
      KILN_HIP_ENTRY(hipStreamDestroy),
      KILN_HIP_ENTRY(hipStreamSynchronize),
  };
#undef KILN_HIP_ENTRY
  for (const Entry &entry : entries)
    if (!lookupSymbol(library, entry.symbol, entry.slot))
      return makeStatus(KILN_STATUS_UNAVAILABLE, "%s lacks %s", libraryName,
                        entry.symbol);
  return nullptr;
}

} // namespace

kiln_status_t createHipDriver(std::unique_ptr<Driver> *out) {
  static const char *const names[] = {"libamdhip64.so", "libamdhip64.so.6",
                                      "libamdhip64.so.5"};
  const char *opened = nullptr;
  char error[512];
  void *library = openFirstLibrary(names, 3, &opened, error, sizeof(error));
  if (!library)
    return makeStatus(KILN_STATUS_UNAVAILABLE,
                      "HIP runtime libamdhip64.so not found (%s)", error);
  RuntimeApi api = {};
  if (kiln_status_t status = bindRuntimeApi(library, opened, api))
    return status;
  // With no GPU, ROCm 5 fails hipInit with hipErrorInvalidDevice and
  // hipGetDeviceCount with hipErrorNoDevice; report both.
  hipError_t initResult = api.hipInit(0);
  int count = 0;
  hipError_t countResult = api.hipGetDeviceCount(&count);
  if (initResult != hipSuccess || countResult != hipSuccess || count <= 0)
    return makeStatus(KILN_STATUS_UNAVAILABLE,
                      "no usable HIP device (%s: hipInit gave %s, "
                      "hipGetDeviceCount gave %s and %d devices)",
                      opened, api.hipGetErrorName(initResult),
                      api.hipGetErrorName(countResult), count);
  out->reset(new (std::nothrow) HipDriver(api, count));
  if (!*out)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating the HIP driver");
  return nullptr;
}

} // namespace kiln::rt
