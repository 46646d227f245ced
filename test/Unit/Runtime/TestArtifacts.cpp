//===- TestArtifacts.cpp - Building artifacts for the tests ---------------===//

#include "TestArtifacts.h"

#include "artifact/format.h"

#include <cstdio>
#include <cstring>

namespace kiln::test {
namespace {

using namespace flatbuffers;

artifact::BufferRef toRef(const BufferSpec &spec) {
  return artifact::BufferRef(spec.segment, spec.offset, spec.size);
}

Offset<Vector<Offset<artifact::Tensor>>>
buildTensors(FlatBufferBuilder &builder, const std::vector<TensorSpec> &specs) {
  std::vector<Offset<artifact::Tensor>> tensors;
  for (const TensorSpec &spec : specs) {
    artifact::BufferRef buffer = toRef(spec.buffer);
    tensors.push_back(artifact::CreateTensorDirect(
        builder, spec.name.c_str(), spec.type, &spec.shape, &buffer));
  }
  return builder.CreateVector(tensors);
}

/// A byte vector placed 64-byte aligned, as the schema's force_align asks.
Offset<Vector<std::uint8_t>>
buildAlignedBytes(FlatBufferBuilder &builder,
                  const std::vector<std::uint8_t> &bytes) {
  builder.ForceVectorAlignment(bytes.size(), sizeof(std::uint8_t), 64);
  return builder.CreateVector(bytes);
}

std::uint64_t paddedSize(std::uint64_t bytes) { return (bytes + 63) & ~63ull; }

} // namespace

std::vector<std::uint8_t> buildPayload(const ArtifactSpec &spec,
                                       bool withIdentifier) {
  FlatBufferBuilder builder;
  auto inputs = buildTensors(builder, spec.inputs);
  auto outputs = buildTensors(builder, spec.outputs);
  Offset<Vector<std::uint8_t>> constants;
  if (!spec.constants.empty())
    constants = buildAlignedBytes(builder, spec.constants);

  std::vector<Offset<artifact::Dispatch>> dispatches;
  for (const std::string &name : spec.dispatches)
    dispatches.push_back(artifact::CreateDispatchDirect(builder, name.c_str()));

  std::vector<Offset<artifact::Executable>> executables;
  for (const ExecutableSpec &executable : spec.executables) {
    std::vector<Offset<artifact::Kernel>> kernels;
    for (const KernelSpec &kernel : executable.kernels)
      kernels.push_back(artifact::CreateKernelDirect(
          builder, kernel.symbol.c_str(), &kernel.grid,
          kernel.block.empty() ? nullptr : &kernel.block,
          kernel.sharedMemoryBytes));
    auto data = buildAlignedBytes(builder, executable.data);
    executables.push_back(artifact::CreateExecutable(
        builder, builder.CreateString(executable.device),
        builder.CreateString(executable.arch), executable.format, data,
        builder.CreateVector(kernels)));
  }

  std::vector<Offset<artifact::Command>> commands;
  for (const CommandSpec &command : spec.commands) {
    std::vector<artifact::BufferRef> bindings;
    for (const BufferSpec &binding : command.bindings)
      bindings.push_back(toRef(binding));
    commands.push_back(artifact::CreateCommandDirect(
        builder, command.kind, command.dispatch, &bindings,
        command.constants.empty() ? nullptr : &command.constants));
  }

  auto root = artifact::CreateArtifact(
      builder, builder.CreateString(spec.producer),
      builder.CreateString("test-model"), inputs, outputs, spec.arenaSize,
      constants, builder.CreateVector(dispatches),
      builder.CreateVector(executables), builder.CreateVector(commands));
  if (withIdentifier)
    artifact::FinishArtifactBuffer(builder, root);
  else
    builder.Finish(root);
  return std::vector<std::uint8_t>(builder.GetBufferPointer(),
                                   builder.GetBufferPointer() +
                                       builder.GetSize());
}

std::vector<std::uint8_t>
wrapPayload(const std::vector<std::uint8_t> &payload) {
  std::vector<std::uint8_t> file(artifact::kFileHeaderSize + payload.size());
  artifact::encodeFileHeader(payload.data(), payload.size(), file.data());
  if (!payload.empty())
    std::memcpy(file.data() + artifact::kFileHeaderSize, payload.data(),
                payload.size());
  return file;
}

std::vector<std::uint8_t> buildArtifact(const ArtifactSpec &spec) {
  return wrapPayload(buildPayload(spec));
}

static std::vector<std::uint8_t> readFile(const char *path) {
  std::vector<std::uint8_t> data;
  if (std::FILE *file = std::fopen(path, "rb")) {
    std::uint8_t chunk[4096];
    std::size_t got;
    while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
      data.insert(data.end(), chunk, chunk + got);
    std::fclose(file);
  }
  return data;
}

const std::vector<std::uint8_t> &testKernels(bool variant) {
  static const std::vector<std::uint8_t> plain =
      readFile(KILN_TEST_KERNELS_PATH);
  static const std::vector<std::uint8_t> biased =
      readFile(KILN_TEST_KERNELS_VARIANT_PATH);
  return variant ? biased : plain;
}

ArtifactSpec addModel(bool variant) {
  using artifact::CommandKind;
  using artifact::ElementType;
  const std::uint64_t bytes = kAddElements * sizeof(float);
  const std::uint64_t slot = paddedSize(bytes);
  BufferSpec x = inArena(0 * slot, bytes), y = inArena(1 * slot, bytes),
             t = inArena(2 * slot, bytes), z = inArena(3 * slot, bytes),
             w = inArena(4 * slot, bytes), v = inArena(5 * slot, bytes);
  BufferSpec c = inConstants(0, bytes), k = inConstants(slot, 16);

  ArtifactSpec spec;
  spec.arenaSize = 6 * slot;
  spec.constants.resize(slot + 16);
  for (std::uint32_t i = 0; i < kAddElements; ++i) {
    float value = float(i) / 2;
    std::memcpy(spec.constants.data() + i * sizeof(float), &value,
                sizeof(float));
  }
  const std::int32_t kValues[4] = {7, 8, 9, 10};
  std::memcpy(spec.constants.data() + slot, kValues, sizeof(kValues));

  const std::int64_t n = kAddElements;
  spec.inputs = {{"x", ElementType::F32, {n}, x},
                 {"y", ElementType::F32, {n}, y}};
  spec.outputs = {{"z", ElementType::F32, {n}, z},
                  {"w", ElementType::F32, {10, n / 10}, w},
                  {"v", ElementType::F32, {n}, v},
                  {"k", ElementType::I32, {4}, k}};
  spec.dispatches = {"add_constant", "add_inputs", "copy_result"};
  ExecutableSpec cpu;
  cpu.data = testKernels(variant);
  cpu.kernels = {{"kiln_test_add_f32", {16, 1, 1}, {}},
                 {"kiln_test_add_f32", {4, 2, 2}, {}},
                 {"kiln_test_copy_bytes", {1, 1, 1}, {}}};
  spec.executables = {cpu};
  const std::uint32_t count = kAddElements, perWorkgroup = 64;
  spec.commands = {
      {CommandKind::Launch, 0, {x, c, t}, {count, perWorkgroup}},
      {CommandKind::Launch, 1, {t, y, z}, {count, perWorkgroup}},
      {CommandKind::Copy, 0, {z, w}, {}},
      {CommandKind::Launch, 2, {z, v}, {std::uint32_t(bytes)}},
  };
  return spec;
}

ArtifactSpec gridModel(std::uint32_t x, std::uint32_t y, std::uint32_t z,
                       std::uint32_t busyIterations) {
  using artifact::ElementType;
  const std::uint64_t workgroups = std::uint64_t(x) * y * z;
  BufferSpec visits = inArena(0, workgroups * 4);
  BufferSpec errors = inArena(paddedSize(workgroups * 4), 4);
  ArtifactSpec spec;
  spec.arenaSize = errors.offset + 64;
  spec.outputs = {
      {"visits", ElementType::U32, {std::int64_t(workgroups)}, visits},
      {"errors", ElementType::U32, {1}, errors}};
  spec.dispatches = {"count_workgroups"};
  ExecutableSpec cpu;
  cpu.data = testKernels();
  cpu.kernels = {{"kiln_test_count_workgroups", {x, y, z}, {}}};
  spec.executables = {cpu};
  spec.commands = {{artifact::CommandKind::Launch,
                    0,
                    {visits, errors},
                    {x, y, z, busyIterations}}};
  return spec;
}

void addFakeGpuExecutable(ArtifactSpec &spec, const std::string &device,
                          const std::string &arch,
                          artifact::ExecutableFormat format,
                          const std::string &tag) {
  ExecutableSpec gpu;
  gpu.device = device;
  gpu.arch = arch;
  gpu.format = format;
  std::string image = "kiln-fake-image " + tag;
  gpu.data.assign(image.begin(), image.end());
  gpu.data.push_back('\0');
  gpu.kernels = spec.executables[0].kernels;
  for (KernelSpec &kernel : gpu.kernels)
    kernel.block = {64, 1, 1};
  spec.executables.push_back(gpu);
}

ArtifactSpec tinyModel() {
  using artifact::CommandKind;
  using artifact::ElementType;
  ArtifactSpec spec;
  spec.arenaSize = 192;
  spec.constants.assign(64, 1);
  spec.inputs = {{"a", ElementType::F32, {2, 4}, inArena(0, 32)}};
  spec.outputs = {{"b", ElementType::F32, {2, 4}, inArena(64, 32)},
                  {"c", ElementType::U8, {64}, inConstants(0, 64)}};
  spec.dispatches = {"scale"};
  ExecutableSpec cpu;
  cpu.data.assign(256, 0xCC);
  cpu.kernels = {{"scale_kernel", {2, 1, 1}, {32, 1, 1}}};
  spec.executables = {cpu};
  spec.commands = {
      {CommandKind::Launch, 0, {inArena(0, 32), inArena(64, 32)}, {8}},
      {CommandKind::Copy, 0, {inArena(64, 32), inArena(128, 32)}, {}}};
  return spec;
}

} // namespace kiln::test
