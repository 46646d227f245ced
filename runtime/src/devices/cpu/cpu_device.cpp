//===- cpu_device.cpp - The CPU device ------------------------------------===//
//
// Runs ELF kernels on the context's thread pool. Device memory is host
// memory, so an address is a pointer and copies are memcpy; the constants
// pool is used in place, inside the artifact.
//
//===----------------------------------------------------------------------===//

#include "devices/cpu/cpu_device.h"

#include "devices/cpu/shared_object.h"
#include "devices/cpu/thread_pool.h"
#include "status.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kiln::rt {
namespace {

/// The CPU kernel ABI (artifact.fbs): called once per workgroup.
using CpuKernel = void (*)(void **bindings, const std::uint32_t *constants,
                           std::uint32_t workgroupX, std::uint32_t workgroupY,
                           std::uint32_t workgroupZ, std::uint32_t countX,
                           std::uint32_t countY, std::uint32_t countZ);

/// The ELF machine this runtime was built for; executables for another
/// machine are skipped.
#if defined(__x86_64__)
constexpr std::uint16_t kHostMachine = 62; // EM_X86_64
constexpr const char *kHostArchName = "x86-64";
#elif defined(__aarch64__)
constexpr std::uint16_t kHostMachine = 183; // EM_AARCH64
constexpr const char *kHostArchName = "aarch64";
#elif defined(__riscv) && __riscv_xlen == 64
constexpr std::uint16_t kHostMachine = 243; // EM_RISCV
constexpr const char *kHostArchName = "riscv64";
#else
#error "the CPU device does not know this host's ELF machine"
#endif

/// Whether `data` starts like a 64-bit little-endian ELF for this host.
bool isHostElf(const flatbuffers::Vector<std::uint8_t> &data) {
  if (data.size() < 64)
    return false;
  const std::uint8_t *bytes = data.data();
  bool isElf =
      bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
  bool is64BitLittleEndian = bytes[4] == 2 && bytes[5] == 1;
  std::uint16_t machine = std::uint16_t(bytes[18] | (bytes[19] << 8));
  return isElf && is64BitLittleEndian && machine == kHostMachine;
}

/// Reads the first unsigned number in file `path`; false when the file is
/// missing or holds something else ("max" in a cgroup file).
bool readNumber(const char *path, std::uint64_t *out) {
  std::FILE *file = std::fopen(path, "re");
  if (!file)
    return false;
  unsigned long long value = 0;
  bool read = std::fscanf(file, "%llu", &value) == 1;
  std::fclose(file);
  if (read)
    *out = value;
  return read;
}

/// The most memory this process may use: the machine's physical memory,
/// or its memory cgroup's limit (v2 or v1) when that is lower. An arena
/// beyond it cannot be backed, and zeroing it would bring the OOM killer
/// rather than an error. Read once.
std::uint64_t usableMemoryBytes() {
  static const std::uint64_t bytes = [] {
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    std::uint64_t limit = pages > 0 && pageSize > 0
                              ? std::uint64_t(pages) * std::uint64_t(pageSize)
                              : UINT64_MAX;
    // The process's own cgroup ("0::/path" in v2, "N:memory:/path" in v1),
    // and the cgroup root, which is the process's own inside a cgroup
    // namespace. Files that do not exist or say "max" do not count.
    std::vector<std::string> files = {
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes"};
    if (std::FILE *file = std::fopen("/proc/self/cgroup", "re")) {
      char line[512];
      while (std::fgets(line, sizeof(line), file)) {
        std::string text(line);
        if (!text.empty() && text.back() == '\n')
          text.pop_back();
        if (text.rfind("0::/", 0) == 0 && text.size() > 4)
          files.push_back("/sys/fs/cgroup" + text.substr(3) + "/memory.max");
        std::size_t memory = text.find(":memory:/");
        if (memory != std::string::npos && text.size() > memory + 9)
          files.push_back("/sys/fs/cgroup/memory" + text.substr(memory + 8) +
                          "/memory.limit_in_bytes");
      }
      std::fclose(file);
    }
    for (const std::string &path : files) {
      std::uint64_t cgroup;
      if (readNumber(path.c_str(), &cgroup) && cgroup < limit)
        limit = cgroup;
    }
    return limit;
  }();
  return bytes;
}

/// The arena starts on a page, as the artifact's constants do
/// (AlignedBuffer). From a 64-byte boundary anywhere in a page, the run's
/// time changed from one process to the next: mobilenet_v2's median run
/// took 7.1 to 8.9 ms over 12 processes (7.5 in the middle), against 7.0
/// to 8.0 (7.1) page-aligned; on a quieter machine the four networks
/// differed by less than 2% either way.
constexpr std::size_t kArenaAlignment = 4096;

/// A static zero so that a kernel without push constants still gets a
/// valid pointer.
const std::uint32_t kNoConstants[1] = {0};

class CpuExecutable final : public LoadedExecutable {
public:
  SharedObject object;
  const artifact::Executable *source = nullptr;
  /// Entry points indexed by dispatch.
  std::vector<CpuKernel> kernels;
};

class CpuLaunch final : public PreparedLaunch {
public:
  CpuKernel kernel = nullptr;
  std::vector<void *> bindings;
  std::vector<std::uint32_t> constants;
  std::uint32_t grid[3] = {1, 1, 1};
  std::uint64_t workgroupCount = 1;

  /// Runs workgroups [begin, end) in x-fastest order: the ThreadPool task.
  static void runWorkgroups(void *self, std::uint64_t begin,
                            std::uint64_t end) {
    const CpuLaunch &launch = *static_cast<const CpuLaunch *>(self);
    const std::uint64_t countX = launch.grid[0], countY = launch.grid[1];
    std::uint64_t x = begin % countX;
    std::uint64_t y = (begin / countX) % countY;
    std::uint64_t z = begin / countX / countY;
    void **bindings = const_cast<void **>(launch.bindings.data());
    const std::uint32_t *constants =
        launch.constants.empty() ? kNoConstants : launch.constants.data();
    for (std::uint64_t i = begin; i < end; ++i) {
      launch.kernel(bindings, constants, std::uint32_t(x), std::uint32_t(y),
                    std::uint32_t(z), launch.grid[0], launch.grid[1],
                    launch.grid[2]);
      if (++x == countX) {
        x = 0;
        if (++y == countY) {
          y = 0;
          ++z;
        }
      }
    }
  }
};

class CpuDevice final : public Device {
public:
  explicit CpuDevice(ThreadPool &pool) : pool_(pool) {}

  kiln_device_kind_t kind() const override { return KILN_DEVICE_CPU; }

  kiln_status_t allocate(std::uint64_t size, DeviceAddress *out) override {
    std::uint64_t usable = usableMemoryBytes();
    if (size > usable)
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "the artifact needs a %llu-byte arena, more than the "
                        "%llu bytes of memory this process may use",
                        static_cast<unsigned long long>(size),
                        static_cast<unsigned long long>(usable));
    void *memory = nullptr;
    std::uint64_t rounded = size == 0 ? 64 : (size + 63) & ~std::uint64_t(63);
    if (rounded < size || rounded > SIZE_MAX ||
        posix_memalign(&memory, kArenaAlignment,
                       static_cast<std::size_t>(rounded)) != 0)
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "cannot allocate a %llu-byte arena on the CPU",
                        static_cast<unsigned long long>(size));
    // Zeroed so that a run does not depend on what the allocator left.
    std::memset(memory, 0, static_cast<std::size_t>(rounded));
    *out = reinterpret_cast<std::uintptr_t>(memory);
    return nullptr;
  }

  void deallocate(DeviceAddress address) override {
    std::free(reinterpret_cast<void *>(static_cast<std::uintptr_t>(address)));
  }

  kiln_status_t importConstants(const std::uint8_t *data, std::uint64_t,
                                DeviceAddress *out) override {
    *out = reinterpret_cast<std::uintptr_t>(data ? data : emptyPool_);
    return nullptr;
  }

  void releaseConstants(DeviceAddress) override {}

  kiln_status_t loadExecutable(const artifact::Artifact &artifact,
                               std::unique_ptr<LoadedExecutable> *out) override;

  kiln_status_t prepareLaunch(LoadedExecutable &executable,
                              const LaunchArguments &arguments,
                              std::unique_ptr<PreparedLaunch> *out) override;

  kiln_status_t launch(PreparedLaunch &prepared) override {
    auto &launch = static_cast<CpuLaunch &>(prepared);
    pool_.parallelFor(launch.workgroupCount, &CpuLaunch::runWorkgroups,
                      &launch);
    return nullptr;
  }

  kiln_status_t copyToDevice(DeviceAddress destination, const void *source,
                             std::size_t size) override {
    std::memcpy(pointer(destination), source, size);
    return nullptr;
  }

  kiln_status_t copyFromDevice(void *destination, DeviceAddress source,
                               std::size_t size) override {
    std::memcpy(destination, pointer(source), size);
    return nullptr;
  }

  kiln_status_t copyOnDevice(DeviceAddress destination, DeviceAddress source,
                             std::size_t size) override {
    // memmove: a corrupt but in-bounds artifact may overlap the two.
    std::memmove(pointer(destination), pointer(source), size);
    return nullptr;
  }

  kiln_status_t synchronize() override { return nullptr; }

private:
  static void *pointer(DeviceAddress address) {
    return reinterpret_cast<void *>(static_cast<std::uintptr_t>(address));
  }

  ThreadPool &pool_;
  /// The constants address of an artifact without constants.
  alignas(64) std::uint8_t emptyPool_[64] = {};
};

kiln_status_t
CpuDevice::loadExecutable(const artifact::Artifact &artifact,
                          std::unique_ptr<LoadedExecutable> *out) {
  const artifact::Executable *chosen = nullptr;
  std::string available;
  for (const artifact::Executable *executable : *artifact.executables()) {
    if (!available.empty())
      available += ", ";
    available += executable->device()->str() + " " + executable->arch()->str();
    if (!chosen && std::strcmp(executable->device()->c_str(), "cpu") == 0 &&
        executable->format() == artifact::ExecutableFormat::ElfSharedObject &&
        isHostElf(*executable->data()))
      chosen = executable;
  }
  if (!chosen)
    return makeStatus(KILN_STATUS_NOT_FOUND,
                      "the artifact has no CPU executable for this %s host "
                      "(it has: %s)",
                      kHostArchName,
                      available.empty() ? "none" : available.c_str());

  std::unique_ptr<CpuExecutable> loaded(new (std::nothrow) CpuExecutable);
  if (!loaded)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory loading the CPU executable");
  loaded->source = chosen;
  if (kiln_status_t status =
          loaded->object.load(chosen->data()->data(), chosen->data()->size()))
    return status;
  const auto &kernels = *chosen->kernels();
  loaded->kernels.reserve(kernels.size());
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const char *name = kernels.Get(i)->symbol()->c_str();
    void *entry = loaded->object.symbol(name);
    if (!entry)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "the CPU executable has no kernel '%s' (dispatch %zu, "
                        "'%s')",
                        name, i,
                        artifact.dispatches()->Get(i)->name()->c_str());
    loaded->kernels.push_back(reinterpret_cast<CpuKernel>(entry));
  }
  *out = std::move(loaded);
  return nullptr;
}

kiln_status_t CpuDevice::prepareLaunch(LoadedExecutable &executable,
                                       const LaunchArguments &arguments,
                                       std::unique_ptr<PreparedLaunch> *out) {
  auto &loaded = static_cast<CpuExecutable &>(executable);
  std::unique_ptr<CpuLaunch> launch(new (std::nothrow) CpuLaunch);
  if (!launch)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory preparing a CPU launch");
  // The dispatch index and the grid were checked when the artifact loaded.
  const artifact::Kernel &kernel =
      *loaded.source->kernels()->Get(arguments.dispatch);
  launch->kernel = loaded.kernels[arguments.dispatch];
  for (std::size_t i = 0; i < 3; ++i)
    launch->grid[i] =
        kernel.grid()->Get(static_cast<flatbuffers::uoffset_t>(i));
  launch->workgroupCount =
      std::uint64_t(launch->grid[0]) * launch->grid[1] * launch->grid[2];
  // The pool's counter must not wrap while handing out chunks.
  if (launch->workgroupCount > (std::uint64_t(1) << 62))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "dispatch %u launches %llu workgroups, too many for the "
                      "CPU",
                      arguments.dispatch,
                      static_cast<unsigned long long>(launch->workgroupCount));
  launch->bindings.reserve(arguments.bindingCount);
  for (std::size_t i = 0; i < arguments.bindingCount; ++i)
    launch->bindings.push_back(reinterpret_cast<void *>(
        static_cast<std::uintptr_t>(arguments.bindings[i])));
  launch->constants.assign(arguments.constants,
                           arguments.constants + arguments.constantCount);
  *out = std::move(launch);
  return nullptr;
}

class CpuDriver final : public Driver {
public:
  explicit CpuDriver(std::unique_ptr<ThreadPool> pool)
      : pool_(std::move(pool)) {}
  kiln_device_kind_t kind() const override { return KILN_DEVICE_CPU; }
  const char *name() const override { return "cpu"; }
  kiln_status_t createDevice(std::uint32_t,
                             std::unique_ptr<Device> *out) override {
    out->reset(new (std::nothrow) CpuDevice(*pool_));
    if (!*out)
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "out of memory creating a CPU device");
    return nullptr;
  }

private:
  std::unique_ptr<ThreadPool> pool_;
};

/// Kernels allocate their temporaries (a Winograd convolution's
/// transformed blocks, megabytes) with malloc and free them before they
/// return, in every run. glibc serves blocks of more than 128 KiB (or a
/// threshold it raises as such blocks are freed) with fresh mmaps and
/// returns the top of its heap past 128 KiB to the system, so each run
/// faulted in those pages again: 1200 page faults per resnet18 run, 5 to
/// 9% of its time. Kernel-sized blocks are kept in the heap instead.
/// This is process-wide; it changes no result, only where glibc finds
/// memory.
void keepKernelScratchInHeap() {
#if defined(__GLIBC__)
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return true;
  }();
  (void)done;
#endif
}

} // namespace

kiln_status_t createCpuDriver(const kiln_context_options_t &options,
                              std::unique_ptr<Driver> *out) {
  keepKernelScratchInHeap();
  std::unique_ptr<ThreadPool> pool;
  if (kiln_status_t status = ThreadPool::create(options.cpu_threads, &pool))
    return status;
  out->reset(new (std::nothrow) CpuDriver(std::move(pool)));
  if (!*out)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating the CPU driver");
  return nullptr;
}

} // namespace kiln::rt
