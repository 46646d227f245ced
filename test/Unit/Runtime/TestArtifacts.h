//===- TestArtifacts.h - Building artifacts for the tests -------*- C++ -*-===//
//
// Plain descriptions of artifacts that tests edit freely (to break one
// field at a time), and a writer that turns them into `.kiln` bytes with
// the flatbuffers builder and the format header, as the compiler does.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TEST_UNIT_RUNTIME_TESTARTIFACTS_H
#define KILN_TEST_UNIT_RUNTIME_TESTARTIFACTS_H

#include "artifact_generated.h"
#include "kiln/runtime.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::test {

struct BufferSpec {
  artifact::Segment segment = artifact::Segment::Arena;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

inline BufferSpec inArena(std::uint64_t offset, std::uint64_t size) {
  return {artifact::Segment::Arena, offset, size};
}
inline BufferSpec inConstants(std::uint64_t offset, std::uint64_t size) {
  return {artifact::Segment::Constants, offset, size};
}

struct TensorSpec {
  std::string name;
  artifact::ElementType type = artifact::ElementType::F32;
  std::vector<std::int64_t> shape;
  BufferSpec buffer;
};

struct KernelSpec {
  std::string symbol;
  std::vector<std::uint32_t> grid = {1, 1, 1};
  /// Empty: no block vector.
  std::vector<std::uint32_t> block;
  std::uint32_t sharedMemoryBytes = 0;
};

struct ExecutableSpec {
  std::string device = "cpu";
  std::string arch = "x86-64";
  artifact::ExecutableFormat format =
      artifact::ExecutableFormat::ElfSharedObject;
  std::vector<std::uint8_t> data;
  std::vector<KernelSpec> kernels;
};

struct CommandSpec {
  artifact::CommandKind kind = artifact::CommandKind::Launch;
  std::uint32_t dispatch = 0;
  std::vector<BufferSpec> bindings;
  std::vector<std::uint32_t> constants;
};

struct ArtifactSpec {
  std::string producer = "kiln-runtime-tests";
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::uint64_t arenaSize = 0;
  std::vector<std::uint8_t> constants;
  std::vector<std::string> dispatches;
  std::vector<ExecutableSpec> executables;
  std::vector<CommandSpec> commands;
};

/// The flatbuffer of `spec`, finished with the "KILN" identifier unless
/// `withIdentifier` is false.
std::vector<std::uint8_t> buildPayload(const ArtifactSpec &spec,
                                       bool withIdentifier = true);

/// A complete `.kiln` file: the 64-byte header, then `payload`.
std::vector<std::uint8_t> wrapPayload(const std::vector<std::uint8_t> &payload);

/// buildPayload then wrapPayload.
std::vector<std::uint8_t> buildArtifact(const ArtifactSpec &spec);

/// The bytes of the TestKernels.c shared object built beside the tests;
/// with `variant`, of the build whose add kernel adds 1 to every sum.
const std::vector<std::uint8_t> &testKernels(bool variant = false);

/// Elements of the add model's tensors.
inline constexpr std::uint32_t kAddElements = 1000;

/// A model over the test kernels that exercises every command kind and
/// both segments:
///   t = x + c        (c: a constant; launch, grid 16x1x1)
///   z = t + y        (launch, grid 4x2x2)
///   w = z            (Copy command)
///   v = z            (launch of a copy kernel)
/// Inputs x, y: f32[1000]. Outputs z: f32[1000], w: f32[10,100],
/// v: f32[1000], k: i32[4] = {7, 8, 9, 10} read straight from the constants.
/// c[i] = i / 2.
/// With `variant`, the executable is the variant build: z, w and v are 2
/// larger.
ArtifactSpec addModel(bool variant = false);

/// A model with one launch of kiln_test_count_workgroups over the grid
/// (x, y, z), each workgroup spinning `busyIterations`. Outputs: visits
/// u32[x*y*z] and errors u32[1].
ArtifactSpec gridModel(std::uint32_t x, std::uint32_t y, std::uint32_t z,
                       std::uint32_t busyIterations = 0);

/// Adds to `spec` a GPU executable for FakeGpuDriver.c: the image names
/// `tag`, the kernels are those of the CPU executable with 64-thread
/// blocks.
void addFakeGpuExecutable(ArtifactSpec &spec, const std::string &device,
                          const std::string &arch,
                          artifact::ExecutableFormat format,
                          const std::string &tag);

/// A small artifact whose executable is 256 bytes of filler rather than a
/// real shared object: it loads, and is cheap to corrupt byte by byte.
ArtifactSpec tinyModel();

//===----------------------------------------------------------------------===//
// C API helpers
//===----------------------------------------------------------------------===//

/// A status turned into values (and freed), for EXPECT_EQ and messages.
struct Outcome {
  kiln_status_code_t code;
  std::string message;
};
inline Outcome take(kiln_status_t status) {
  Outcome outcome{kiln_status_code(status), kiln_status_message(status)};
  kiln_status_free(status);
  return outcome;
}

struct ArtifactRelease {
  void operator()(kiln_artifact_t *artifact) const {
    kiln_artifact_release(artifact);
  }
};
struct ContextRelease {
  void operator()(kiln_context_t *context) const {
    kiln_context_release(context);
  }
};
struct SessionRelease {
  void operator()(kiln_session_t *session) const {
    kiln_session_release(session);
  }
};
using ArtifactPtr = std::unique_ptr<kiln_artifact_t, ArtifactRelease>;
using ContextPtr = std::unique_ptr<kiln_context_t, ContextRelease>;
using SessionPtr = std::unique_ptr<kiln_session_t, SessionRelease>;

/// Loads `bytes` with `flags`; the artifact is null on failure.
inline Outcome loadArtifact(const std::vector<std::uint8_t> &bytes,
                            std::uint32_t flags, ArtifactPtr *out = nullptr) {
  kiln_artifact_options_t options;
  kiln_artifact_options_initialize(&options);
  options.flags = flags;
  kiln_artifact_t *artifact = nullptr;
  Outcome outcome = take(kiln_artifact_load_memory(bytes.data(), bytes.size(),
                                                   &options, &artifact));
  if (out)
    out->reset(artifact);
  else
    kiln_artifact_release(artifact);
  return outcome;
}

} // namespace kiln::test

#endif // KILN_TEST_UNIT_RUNTIME_TESTARTIFACTS_H
