//===- cuda_device.cpp - The CUDA device ----------------------------------===//
//
// Runs PTX and cubin kernels through the CUDA driver API, loaded with
// dlopen so that nothing links against CUDA. A session gets the device's
// primary context, one stream, one arena allocation and one allocation for
// the constants (uploaded at creation); every copy and launch of a run is
// asynchronous on the stream, and the run waits once at its end. With
// KILN_SESSION_FLAG_CUDA_GRAPH the command list is captured into a CUDA
// graph at creation and each run replays it with one cuGraphLaunch.
//
//===----------------------------------------------------------------------===//

#include "devices/cuda/cuda_device.h"

#include "devices/cuda/cuda_driver_api.h"
#include "dynamic_library.h"
#include "status.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace kiln::rt {
namespace {

using namespace cuda;

/// Above this much dynamic shared memory a kernel must opt in.
constexpr unsigned kDefaultSharedMemoryLimit = 48 * 1024;

/// A status for a failed driver call, in one line: "cuMemAlloc failed:
/// CUDA_ERROR_OUT_OF_MEMORY (out of memory)".
kiln_status_t cudaFailure(const DriverApi &api, CUresult result,
                          const char *call,
                          kiln_status_code_t code = KILN_STATUS_INTERNAL) {
  const char *name = nullptr;
  const char *text = nullptr;
  if (api.cuGetErrorName)
    api.cuGetErrorName(result, &name);
  if (api.cuGetErrorString)
    api.cuGetErrorString(result, &text);
  if (result == 2) // CUDA_ERROR_OUT_OF_MEMORY
    code = KILN_STATUS_RESOURCE_EXHAUSTED;
  return makeStatus(code, "%s failed: %s (%s)", call,
                    name ? name : "unknown CUDA error", text ? text : "");
}

/// Makes a context current on this thread for a scope: sessions may run on
/// any thread, and the driver's current context is per thread.
class ScopedContext {
public:
  ScopedContext(const DriverApi &api, CUcontext context) : api_(api) {
    pushed_ = api_.cuCtxPushCurrent(context) == CUDA_SUCCESS;
  }
  ~ScopedContext() {
    CUcontext popped;
    if (pushed_)
      api_.cuCtxPopCurrent(&popped);
  }

private:
  const DriverApi &api_;
  bool pushed_;
};

/// Parses "sm_86", "sm_90a", "sm_100f" into 86, 90, 100 and the suffix.
bool parseSmArch(const char *arch, int *version, char *suffix) {
  if (std::strncmp(arch, "sm_", 3) != 0)
    return false;
  char *end = nullptr;
  long value = std::strtol(arch + 3, &end, 10);
  if (end == arch + 3 || value <= 0 || value > 10000)
    return false;
  *version = static_cast<int>(value);
  *suffix = *end;
  return end[0] == '\0' || end[1] == '\0';
}

class CudaExecutable;

class CudaDevice final : public Device {
public:
  CudaDevice(const DriverApi &api, CUdevice device)
      : api_(api), device_(device) {}
  ~CudaDevice() override;

  kiln_status_t initialize();

  kiln_device_kind_t kind() const override { return KILN_DEVICE_CUDA; }

  kiln_status_t allocate(std::uint64_t size, DeviceAddress *out) override {
    ScopedContext scope(api_, context_);
    CUdeviceptr pointer = 0;
    std::size_t bytes =
        static_cast<std::size_t>(std::max<std::uint64_t>(size, 256));
    if (CUresult result = api_.cuMemAlloc(&pointer, bytes))
      return cudaFailure(api_, result, "cuMemAlloc");
    *out = pointer;
    return nullptr;
  }

  void deallocate(DeviceAddress address) override {
    ScopedContext scope(api_, context_);
    api_.cuMemFree(address);
  }

  kiln_status_t importConstants(const std::uint8_t *data, std::uint64_t size,
                                DeviceAddress *out) override {
    if (kiln_status_t status = allocate(size, out))
      return status;
    if (size == 0)
      return nullptr;
    ScopedContext scope(api_, context_);
    CUresult result =
        api_.cuMemcpyHtoD(*out, data, static_cast<std::size_t>(size));
    if (result != CUDA_SUCCESS) {
      api_.cuMemFree(*out);
      return cudaFailure(api_, result, "cuMemcpyHtoD (constants)");
    }
    return nullptr;
  }

  void releaseConstants(DeviceAddress address) override { deallocate(address); }

  kiln_status_t loadExecutable(const artifact::Artifact &artifact,
                               std::unique_ptr<LoadedExecutable> *out) override;
  kiln_status_t prepareLaunch(LoadedExecutable &executable,
                              const LaunchArguments &arguments,
                              std::unique_ptr<PreparedLaunch> *out) override;
  kiln_status_t launch(PreparedLaunch &prepared) override;

  kiln_status_t copyToDevice(DeviceAddress destination, const void *source,
                             std::size_t size) override {
    ScopedContext scope(api_, context_);
    if (CUresult result =
            api_.cuMemcpyHtoDAsync(destination, source, size, stream_))
      return cudaFailure(api_, result, "cuMemcpyHtoDAsync");
    return nullptr;
  }

  kiln_status_t copyFromDevice(void *destination, DeviceAddress source,
                               std::size_t size) override {
    ScopedContext scope(api_, context_);
    if (CUresult result =
            api_.cuMemcpyDtoHAsync(destination, source, size, stream_))
      return cudaFailure(api_, result, "cuMemcpyDtoHAsync");
    return nullptr;
  }

  kiln_status_t copyOnDevice(DeviceAddress destination, DeviceAddress source,
                             std::size_t size) override {
    ScopedContext scope(api_, context_);
    if (CUresult result =
            api_.cuMemcpyDtoDAsync(destination, source, size, stream_))
      return cudaFailure(api_, result, "cuMemcpyDtoDAsync");
    return nullptr;
  }

  kiln_status_t synchronize() override {
    ScopedContext scope(api_, context_);
    if (CUresult result = api_.cuStreamSynchronize(stream_))
      return cudaFailure(api_, result, "cuStreamSynchronize");
    return nullptr;
  }

  bool supportsRecording() const override {
    return api_.cuStreamBeginCapture && api_.cuStreamEndCapture &&
           api_.cuGraphInstantiateWithFlags && api_.cuGraphLaunch &&
           api_.cuGraphExecDestroy && api_.cuGraphDestroy;
  }

  kiln_status_t beginRecording() override {
    ScopedContext scope(api_, context_);
    // Thread-local mode: other threads' CUDA work is not affected.
    if (CUresult result = api_.cuStreamBeginCapture(
            stream_, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL))
      return cudaFailure(api_, result, "cuStreamBeginCapture");
    return nullptr;
  }

  kiln_status_t endRecording() override {
    ScopedContext scope(api_, context_);
    if (CUresult result = api_.cuStreamEndCapture(stream_, &graph_))
      return cudaFailure(api_, result, "cuStreamEndCapture");
    if (CUresult result =
            api_.cuGraphInstantiateWithFlags(&graphExec_, graph_, 0))
      return cudaFailure(api_, result, "cuGraphInstantiateWithFlags");
    return nullptr;
  }

  kiln_status_t replayRecording() override {
    ScopedContext scope(api_, context_);
    if (CUresult result = api_.cuGraphLaunch(graphExec_, stream_))
      return cudaFailure(api_, result, "cuGraphLaunch");
    return nullptr;
  }

  const DriverApi &api() const { return api_; }
  CUcontext context() const { return context_; }

private:
  /// Loads one executable's module and looks up every kernel.
  kiln_status_t loadModule(const artifact::Artifact &artifact,
                           const artifact::Executable &executable,
                           std::unique_ptr<CudaExecutable> *out);

  const DriverApi &api_;
  CUdevice device_;
  CUcontext context_ = nullptr;
  CUstream stream_ = nullptr;
  int computeMajor_ = 0;
  int computeMinor_ = 0;
  CUgraph graph_ = nullptr;
  CUgraphExec graphExec_ = nullptr;
};

class CudaExecutable final : public LoadedExecutable {
public:
  CudaExecutable(const DriverApi &api, CUcontext context)
      : api(api), context(context) {}
  ~CudaExecutable() override {
    if (module) {
      ScopedContext scope(api, context);
      api.cuModuleUnload(module);
    }
  }
  const DriverApi &api;
  CUcontext context;
  CUmodule module = nullptr;
  const artifact::Executable *source = nullptr;
  std::vector<CUfunction> functions;
};

class CudaLaunch final : public PreparedLaunch {
public:
  CUfunction function = nullptr;
  unsigned grid[3] = {1, 1, 1};
  unsigned block[3] = {1, 1, 1};
  unsigned sharedMemoryBytes = 0;
  std::vector<CUdeviceptr> pointers;
  std::vector<std::uint32_t> constants;
  /// cuLaunchKernel's kernelParams: the address of each argument, the
  /// binding pointers first, then the push constants.
  std::vector<void *> parameters;
};

CudaDevice::~CudaDevice() {
  if (context_) {
    {
      ScopedContext scope(api_, context_);
      if (graphExec_)
        api_.cuGraphExecDestroy(graphExec_);
      if (graph_)
        api_.cuGraphDestroy(graph_);
      if (stream_)
        api_.cuStreamDestroy(stream_);
    }
    api_.cuDevicePrimaryCtxRelease(device_);
  }
}

kiln_status_t CudaDevice::initialize() {
  if (CUresult result = api_.cuDeviceGetAttribute(
          &computeMajor_, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
          device_))
    return cudaFailure(api_, result, "cuDeviceGetAttribute");
  if (CUresult result = api_.cuDeviceGetAttribute(
          &computeMinor_, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
          device_))
    return cudaFailure(api_, result, "cuDeviceGetAttribute");
  if (CUresult result = api_.cuDevicePrimaryCtxRetain(&context_, device_))
    return cudaFailure(api_, result, "cuDevicePrimaryCtxRetain");
  ScopedContext scope(api_, context_);
  if (CUresult result = api_.cuStreamCreate(&stream_, CU_STREAM_NON_BLOCKING))
    return cudaFailure(api_, result, "cuStreamCreate");
  return nullptr;
}

kiln_status_t CudaDevice::loadModule(const artifact::Artifact &artifact,
                                     const artifact::Executable &executable,
                                     std::unique_ptr<CudaExecutable> *out) {
  std::unique_ptr<CudaExecutable> loaded(new (std::nothrow)
                                             CudaExecutable(api_, context_));
  if (!loaded)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory loading a CUDA executable");
  loaded->source = &executable;
  const std::uint8_t *image = executable.data()->data();
  std::size_t imageSize = executable.data()->size();
  // The driver reads PTX as a C string; the schema asks for the NUL, but
  // add one rather than read past the vector.
  std::string terminated;
  if (executable.format() == artifact::ExecutableFormat::Ptx &&
      image[imageSize - 1] != '\0') {
    terminated.assign(reinterpret_cast<const char *>(image), imageSize);
    image = reinterpret_cast<const std::uint8_t *>(terminated.c_str());
  }

  ScopedContext scope(api_, context_);
  char log[2048] = {};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUresult result =
      api_.cuModuleLoadDataEx(&loaded->module, image, 2, options, values);
  if (result != CUDA_SUCCESS) {
    loaded->module = nullptr;
    // Keep the message on one line.
    for (char &c : log)
      if (c == '\n' || c == '\r')
        c = ' ';
    kiln_status_t failure = cudaFailure(api_, result, "cuModuleLoadDataEx",
                                        KILN_STATUS_INVALID_ARTIFACT);
    kiln_status_t status =
        makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                   "cannot load the CUDA executable for %s: %s%s%s",
                   executable.arch()->c_str(), kiln_status_message(failure),
                   log[0] ? ": " : "", log);
    kiln_status_free(failure);
    return status;
  }

  const auto &kernels = *executable.kernels();
  loaded->functions.reserve(kernels.size());
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const artifact::Kernel &kernel = *kernels.Get(i);
    const char *name = kernel.symbol()->c_str();
    if (!kernel.block())
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "CUDA kernel '%s' has no block size", name);
    CUfunction function = nullptr;
    if (api_.cuModuleGetFunction(&function, loaded->module, name) !=
        CUDA_SUCCESS)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "the CUDA executable has no kernel '%s' (dispatch "
                        "%zu, '%s')",
                        name, i,
                        artifact.dispatches()->Get(i)->name()->c_str());
    if (kernel.shared_memory_bytes() > kDefaultSharedMemoryLimit)
      if (CUresult result = api_.cuFuncSetAttribute(
              function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
              int(kernel.shared_memory_bytes())))
        return cudaFailure(api_, result, "cuFuncSetAttribute");
    loaded->functions.push_back(function);
  }
  *out = std::move(loaded);
  return nullptr;
}

kiln_status_t
CudaDevice::loadExecutable(const artifact::Artifact &artifact,
                           std::unique_ptr<LoadedExecutable> *out) {
  // Rank what the device can run: a cubin for exactly this architecture,
  // then a cubin of the same major version and a lower minor one (binary
  // compatible), then PTX for the newest architecture not above the
  // device's, which the driver compiles.
  struct Candidate {
    int rank;
    const artifact::Executable *executable;
  };
  const int deviceVersion = computeMajor_ * 10 + computeMinor_;
  std::vector<Candidate> candidates;
  std::string available;
  for (const artifact::Executable *executable : *artifact.executables()) {
    if (std::strcmp(executable->device()->c_str(), "cuda") != 0)
      continue;
    available += available.empty() ? "" : ", ";
    available += executable->arch()->str();
    int version = 0;
    char suffix = 0;
    bool parsed = parseSmArch(executable->arch()->c_str(), &version, &suffix);
    switch (executable->format()) {
    case artifact::ExecutableFormat::Cubin:
      if (!parsed || version / 10 != computeMajor_)
        break;
      if (version == deviceVersion)
        candidates.push_back({30000, executable});
      else if (version < deviceVersion && suffix == '\0')
        candidates.push_back({20000 + version, executable});
      break;
    case artifact::ExecutableFormat::Ptx:
      if (!parsed)
        candidates.push_back({1, executable});
      else if (version <= deviceVersion)
        candidates.push_back({10000 + version, executable});
      break;
    default:
      break;
    }
  }
  if (candidates.empty())
    return makeStatus(KILN_STATUS_NOT_FOUND,
                      "the artifact has no CUDA executable for sm_%d (it has: "
                      "%s)",
                      deviceVersion,
                      available.empty() ? "none" : available.c_str());
  // Best first; among equals, the artifact's order.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate &a, const Candidate &b) {
              return a.rank != b.rank ? a.rank > b.rank
                                      : a.executable < b.executable;
            });
  // The best candidate's failure is the one worth reporting.
  kiln_status_t firstFailure = nullptr;
  for (const Candidate &candidate : candidates) {
    std::unique_ptr<CudaExecutable> loaded;
    kiln_status_t status = loadModule(artifact, *candidate.executable, &loaded);
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

kiln_status_t CudaDevice::prepareLaunch(LoadedExecutable &executable,
                                        const LaunchArguments &arguments,
                                        std::unique_ptr<PreparedLaunch> *out) {
  auto &loaded = static_cast<CudaExecutable &>(executable);
  std::unique_ptr<CudaLaunch> launch(new (std::nothrow) CudaLaunch);
  if (!launch)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory preparing a CUDA launch");
  const artifact::Kernel &kernel =
      *loaded.source->kernels()->Get(arguments.dispatch);
  launch->function = loaded.functions[arguments.dispatch];
  for (flatbuffers::uoffset_t i = 0; i < 3; ++i) {
    launch->grid[i] = kernel.grid()->Get(i);
    launch->block[i] = kernel.block()->Get(i);
  }
  launch->sharedMemoryBytes = kernel.shared_memory_bytes();
  launch->pointers.assign(arguments.bindings,
                          arguments.bindings + arguments.bindingCount);
  launch->constants.assign(arguments.constants,
                           arguments.constants + arguments.constantCount);
  // Both vectors are final, so addresses into them stay valid.
  launch->parameters.reserve(launch->pointers.size() +
                             launch->constants.size());
  for (CUdeviceptr &pointer : launch->pointers)
    launch->parameters.push_back(&pointer);
  for (std::uint32_t &constant : launch->constants)
    launch->parameters.push_back(&constant);
  *out = std::move(launch);
  return nullptr;
}

kiln_status_t CudaDevice::launch(PreparedLaunch &prepared) {
  auto &launch = static_cast<CudaLaunch &>(prepared);
  ScopedContext scope(api_, context_);
  if (CUresult result = api_.cuLaunchKernel(
          launch.function, launch.grid[0], launch.grid[1], launch.grid[2],
          launch.block[0], launch.block[1], launch.block[2],
          launch.sharedMemoryBytes, stream_, launch.parameters.data(), nullptr))
    return cudaFailure(api_, result, "cuLaunchKernel");
  return nullptr;
}

class CudaDriver final : public Driver {
public:
  CudaDriver(const DriverApi &api, int deviceCount)
      : api_(api), deviceCount_(deviceCount) {}
  kiln_device_kind_t kind() const override { return KILN_DEVICE_CUDA; }
  const char *name() const override { return "cuda"; }

  kiln_status_t createDevice(std::uint32_t ordinal,
                             std::unique_ptr<Device> *out) override {
    if (ordinal >= std::uint32_t(deviceCount_))
      return makeStatus(KILN_STATUS_NOT_FOUND,
                        "CUDA device %u does not exist (%d found)", ordinal,
                        deviceCount_);
    CUdevice device = 0;
    if (CUresult result = api_.cuDeviceGet(&device, int(ordinal)))
      return cudaFailure(api_, result, "cuDeviceGet");
    std::unique_ptr<CudaDevice> created(new (std::nothrow)
                                            CudaDevice(api_, device));
    if (!created)
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "out of memory creating a CUDA device");
    if (kiln_status_t status = created->initialize())
      return status;
    *out = std::move(created);
    return nullptr;
  }

private:
  DriverApi api_;
  int deviceCount_;
};

/// Looks up every entry point; the graph ones are optional (without them
/// KILN_SESSION_FLAG_CUDA_GRAPH is ignored).
kiln_status_t bindDriverApi(void *library, DriverApi &api) {
  struct Entry {
    const char *symbol;
    void **slot;
    bool required;
  };
#define KILN_CUDA_ENTRY(field, symbol, required)                               \
  Entry { symbol, reinterpret_cast<void **>(&api.field), required }
  const Entry entries[] = {
      KILN_CUDA_ENTRY(cuInit, "cuInit", true),
      KILN_CUDA_ENTRY(cuGetErrorName, "cuGetErrorName", true),
      KILN_CUDA_ENTRY(cuGetErrorString, "cuGetErrorString", true),
      KILN_CUDA_ENTRY(cuDeviceGetCount, "cuDeviceGetCount", true),
      KILN_CUDA_ENTRY(cuDeviceGet, "cuDeviceGet", true),
      KILN_CUDA_ENTRY(cuDeviceGetAttribute, "cuDeviceGetAttribute", true),
      KILN_CUDA_ENTRY(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",
                      true),
      KILN_CUDA_ENTRY(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2",
                      true),
      KILN_CUDA_ENTRY(cuCtxPushCurrent, "cuCtxPushCurrent_v2", true),
      KILN_CUDA_ENTRY(cuCtxPopCurrent, "cuCtxPopCurrent_v2", true),
      KILN_CUDA_ENTRY(cuMemAlloc, "cuMemAlloc_v2", true),
      KILN_CUDA_ENTRY(cuMemFree, "cuMemFree_v2", true),
      KILN_CUDA_ENTRY(cuMemcpyHtoD, "cuMemcpyHtoD_v2", true),
      KILN_CUDA_ENTRY(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2", true),
      KILN_CUDA_ENTRY(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2", true),
      KILN_CUDA_ENTRY(cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2", true),
      KILN_CUDA_ENTRY(cuModuleLoadDataEx, "cuModuleLoadDataEx", true),
      KILN_CUDA_ENTRY(cuModuleUnload, "cuModuleUnload", true),
      KILN_CUDA_ENTRY(cuModuleGetFunction, "cuModuleGetFunction", true),
      KILN_CUDA_ENTRY(cuFuncSetAttribute, "cuFuncSetAttribute", true),
      KILN_CUDA_ENTRY(cuLaunchKernel, "cuLaunchKernel", true),
      KILN_CUDA_ENTRY(cuStreamCreate, "cuStreamCreate", true),
      KILN_CUDA_ENTRY(cuStreamDestroy, "cuStreamDestroy_v2", true),
      KILN_CUDA_ENTRY(cuStreamSynchronize, "cuStreamSynchronize", true),
      KILN_CUDA_ENTRY(cuStreamBeginCapture, "cuStreamBeginCapture_v2", false),
      KILN_CUDA_ENTRY(cuStreamEndCapture, "cuStreamEndCapture", false),
      KILN_CUDA_ENTRY(cuGraphInstantiateWithFlags,
                      "cuGraphInstantiateWithFlags", false),
      KILN_CUDA_ENTRY(cuGraphLaunch, "cuGraphLaunch", false),
      KILN_CUDA_ENTRY(cuGraphExecDestroy, "cuGraphExecDestroy", false),
      KILN_CUDA_ENTRY(cuGraphDestroy, "cuGraphDestroy", false),
  };
#undef KILN_CUDA_ENTRY
  for (const Entry &entry : entries)
    if (!lookupSymbol(library, entry.symbol, entry.slot) && entry.required)
      return makeStatus(KILN_STATUS_UNAVAILABLE,
                        "the CUDA driver lacks %s (driver too old?)",
                        entry.symbol);
  return nullptr;
}

} // namespace

kiln_status_t createCudaDriver(std::unique_ptr<Driver> *out) {
  static const char *const names[] = {"libcuda.so.1"};
  char error[512];
  void *library = openFirstLibrary(names, 1, nullptr, error, sizeof(error));
  if (!library)
    return makeStatus(KILN_STATUS_UNAVAILABLE,
                      "CUDA driver libcuda.so.1 not found (%s)", error);
  DriverApi api = {};
  if (kiln_status_t status = bindDriverApi(library, api))
    return status;
  CUresult result = api.cuInit(0);
  if (result != CUDA_SUCCESS)
    return cudaFailure(api, result, "cuInit", KILN_STATUS_UNAVAILABLE);
  int count = 0;
  result = api.cuDeviceGetCount(&count);
  if (result != CUDA_SUCCESS)
    return cudaFailure(api, result, "cuDeviceGetCount",
                       KILN_STATUS_UNAVAILABLE);
  if (count <= 0)
    return makeStatus(KILN_STATUS_UNAVAILABLE, "no CUDA device found");
  out->reset(new (std::nothrow) CudaDriver(api, count));
  if (!*out)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating the CUDA driver");
  return nullptr;
}

} // namespace kiln::rt
