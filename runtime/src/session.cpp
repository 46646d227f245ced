//===- session.cpp - Sessions: binding an artifact to a device ------------===//
//
// A session turns the artifact's command list into device operations once,
// at creation (arena, constants, kernels, prepared launches, an optional
// recording), so that a run only copies inputs in, issues the prepared
// steps and copies outputs out.
//
//===----------------------------------------------------------------------===//

#include "artifact/artifact.h"
#include "context.h"
#include "status.h"

#include <chrono>
#include <new>

using kiln::artifact::CommandKind;
using kiln::artifact::Segment;
using kiln::rt::DeviceAddress;

struct kiln_session_s {
  /// One command of the artifact, resolved to device operations.
  struct Step {
    CommandKind kind;
    std::uint32_t dispatch = 0;
    std::unique_ptr<kiln::rt::PreparedLaunch> launch;
    // Copy commands.
    DeviceAddress source = 0;
    DeviceAddress destination = 0;
    std::uint64_t size = 0;
  };

  /// Where one input or output lives on the device.
  struct Location {
    DeviceAddress address;
    /// In the read-only constants: never written by a run.
    bool readOnly;
  };

  std::atomic<std::uint32_t> references{1};
  kiln_context_t *context = nullptr;
  kiln_artifact_t *artifact = nullptr;
  std::uint32_t flags = 0;

  std::unique_ptr<kiln::rt::Device> device;
  bool hasArena = false;
  DeviceAddress arena = 0;
  bool hasConstants = false;
  DeviceAddress constants = 0;
  std::unique_ptr<kiln::rt::LoadedExecutable> executable;
  std::vector<Step> steps;
  std::vector<Location> inputs;
  std::vector<Location> outputs;
  /// Whether the steps were recorded for replay.
  bool recorded = false;
  /// With KILN_SESSION_FLAG_PROFILE: nanoseconds per dispatch, last run.
  std::vector<std::uint64_t> dispatchNanoseconds;

  /// Releases device resources in the reverse order of their creation,
  /// leaving the session ready to bind another device.
  void unbindDevice() {
    if (device)
      kiln_status_free(device->synchronize());
    steps.clear();
    inputs.clear();
    outputs.clear();
    executable.reset();
    if (hasConstants)
      device->releaseConstants(constants);
    if (hasArena)
      device->deallocate(arena);
    hasConstants = hasArena = recorded = false;
    device.reset();
  }

  ~kiln_session_s() {
    unbindDevice();
    kiln_artifact_release(artifact);
    kiln_context_release(context);
  }
};

namespace kiln::rt {
namespace {

constexpr std::uint32_t kKnownSessionFlags =
    KILN_SESSION_FLAG_PROFILE | KILN_SESSION_FLAG_CUDA_GRAPH;

DeviceAddress resolve(const kiln_session_s &session,
                      const artifact::BufferRef &ref) {
  DeviceAddress base =
      ref.segment() == Segment::Arena ? session.arena : session.constants;
  return base + ref.offset();
}

void locateTensors(
    const kiln_session_s &session,
    const flatbuffers::Vector<flatbuffers::Offset<artifact::Tensor>> &tensors,
    std::vector<kiln_session_s::Location> &out) {
  out.reserve(tensors.size());
  for (const artifact::Tensor *tensor : tensors)
    out.push_back({resolve(session, *tensor->buffer()),
                   tensor->buffer()->segment() == Segment::Constants});
}

/// Turns every command into a step: launches get their arguments bound
/// now, copies their addresses.
kiln_status_t prepareSteps(kiln_session_s &session) {
  const artifact::Artifact &root = *session.artifact->root;
  std::vector<DeviceAddress> bindings;
  session.steps.reserve(root.commands()->size());
  for (const artifact::Command *command : *root.commands()) {
    kiln_session_s::Step step;
    step.kind = command->kind();
    bindings.clear();
    for (const artifact::BufferRef *ref : *command->bindings())
      bindings.push_back(resolve(session, *ref));
    if (step.kind == CommandKind::Copy) {
      // Two bindings of equal size, checked at load.
      step.source = bindings[0];
      step.destination = bindings[1];
      step.size = command->bindings()->Get(0)->size();
    } else {
      step.dispatch = command->dispatch();
      LaunchArguments arguments;
      arguments.dispatch = command->dispatch();
      arguments.bindings = bindings.data();
      arguments.bindingCount = bindings.size();
      arguments.constants =
          command->constants() ? command->constants()->data() : nullptr;
      arguments.constantCount =
          command->constants() ? command->constants()->size() : 0;
      if (kiln_status_t status = session.device->prepareLaunch(
              *session.executable, arguments, &step.launch))
        return status;
    }
    session.steps.push_back(std::move(step));
  }
  return nullptr;
}

/// Issues every step in order, without waiting.
kiln_status_t issueSteps(kiln_session_s &session) {
  Device &device = *session.device;
  for (kiln_session_s::Step &step : session.steps) {
    kiln_status_t status =
        step.kind == CommandKind::Launch
            ? device.launch(*step.launch)
            : (step.size ? device.copyOnDevice(step.destination, step.source,
                                               step.size)
                         : nullptr);
    if (status)
      return status;
  }
  return nullptr;
}

/// Issues every step, waiting around each launch to time it on the host
/// clock. Waiting makes the times comparable across devices (a GPU's
/// queue would otherwise hide them) at the price of serializing the run,
/// which is what a per-dispatch profile wants anyway.
kiln_status_t issueStepsProfiled(kiln_session_s &session) {
  using Clock = std::chrono::steady_clock;
  Device &device = *session.device;
  for (std::uint64_t &time : session.dispatchNanoseconds)
    time = 0;
  if (kiln_status_t status = device.synchronize())
    return status;
  for (kiln_session_s::Step &step : session.steps) {
    if (step.kind != CommandKind::Launch) {
      if (step.size)
        if (kiln_status_t status =
                device.copyOnDevice(step.destination, step.source, step.size))
          return status;
      continue;
    }
    if (kiln_status_t status = device.synchronize())
      return status;
    Clock::time_point start = Clock::now();
    if (kiln_status_t status = device.launch(*step.launch))
      return status;
    if (kiln_status_t status = device.synchronize())
      return status;
    session.dispatchNanoseconds[step.dispatch] += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                             start)
            .count());
  }
  return nullptr;
}

/// Sets the session up on one device kind: the device, the arena, the
/// constants, the kernels and the prepared steps.
kiln_status_t bindDevice(kiln_session_s &session, kiln_device_kind_t kind,
                         std::uint32_t ordinal) {
  const artifact::Artifact &root = *session.artifact->root;
  Driver *driver = nullptr;
  if (kiln_status_t status = getDriver(*session.context, kind, &driver))
    return status;
  if (kiln_status_t status = driver->createDevice(ordinal, &session.device))
    return status;
  Device &device = *session.device;

  if (kiln_status_t status = device.allocate(root.arena_size(), &session.arena))
    return status;
  session.hasArena = true;
  const std::uint8_t *constants =
      root.constants() ? root.constants()->data() : nullptr;
  std::uint64_t constantsSize = segmentSize(root, Segment::Constants);
  if (kiln_status_t status =
          device.importConstants(constants, constantsSize, &session.constants))
    return status;
  session.hasConstants = true;

  if (kiln_status_t status = device.loadExecutable(root, &session.executable))
    return status;
  if (kiln_status_t status = prepareSteps(session))
    return status;
  locateTensors(session, *root.inputs(), session.inputs);
  locateTensors(session, *root.outputs(), session.outputs);

  // Profiling times each launch alone, which a recording cannot.
  if ((session.flags & KILN_SESSION_FLAG_CUDA_GRAPH) &&
      !(session.flags & KILN_SESSION_FLAG_PROFILE) &&
      device.supportsRecording()) {
    if (kiln_status_t status = device.beginRecording())
      return status;
    kiln_status_t issued = issueSteps(session);
    kiln_status_t ended = device.endRecording();
    if (issued) {
      kiln_status_free(ended);
      return issued;
    }
    if (ended)
      return ended;
    session.recorded = true;
  }
  return device.synchronize();
}

kiln_status_t checkBuffers(const kiln_buffer_t *buffers, std::size_t count,
                           const std::vector<kiln_tensor_info_t> &tensors,
                           const char *role) {
  if (count != tensors.size())
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "the model has %zu %ss, the run passed %zu",
                      tensors.size(), role, count);
  if (count != 0 && !buffers)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT, "%ss must not be NULL",
                      role);
  for (std::size_t i = 0; i < count; ++i) {
    const kiln_tensor_info_t &tensor = tensors[i];
    if (buffers[i].size_bytes != tensor.size_bytes)
      return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                        "%s %zu ('%s') is %zu bytes, the model needs %zu", role,
                        i, tensor.name, buffers[i].size_bytes,
                        tensor.size_bytes);
    if (!buffers[i].data && tensor.size_bytes != 0)
      return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                        "%s %zu ('%s') has no data", role, i, tensor.name);
  }
  return nullptr;
}

kiln_status_t runSession(kiln_session_s &session, const kiln_buffer_t *inputs,
                         std::size_t inputCount, const kiln_buffer_t *outputs,
                         std::size_t outputCount) {
  const kiln_artifact_s &artifact = *session.artifact;
  if (kiln_status_t status =
          checkBuffers(inputs, inputCount, artifact.inputs, "input"))
    return status;
  if (kiln_status_t status =
          checkBuffers(outputs, outputCount, artifact.outputs, "output"))
    return status;
  Device &device = *session.device;

  for (std::size_t i = 0; i < inputCount; ++i) {
    // The runtime never writes the constants: an input placed there is
    // one no command reads.
    if (session.inputs[i].readOnly || inputs[i].size_bytes == 0)
      continue;
    if (kiln_status_t status = device.copyToDevice(
            session.inputs[i].address, inputs[i].data, inputs[i].size_bytes))
      return status;
  }

  kiln_status_t status;
  if (session.flags & KILN_SESSION_FLAG_PROFILE)
    status = issueStepsProfiled(session);
  else if (session.recorded)
    status = device.replayRecording();
  else
    status = issueSteps(session);
  if (status)
    return status;

  for (std::size_t i = 0; i < outputCount; ++i) {
    if (outputs[i].size_bytes == 0)
      continue;
    if (kiln_status_t status = device.copyFromDevice(
            outputs[i].data, session.outputs[i].address, outputs[i].size_bytes))
      return status;
  }
  return device.synchronize();
}

} // namespace
} // namespace kiln::rt

using namespace kiln::rt;

extern "C" {

void kiln_session_options_initialize(kiln_session_options_t *options) {
  if (!options)
    return;
  options->device = KILN_DEVICE_AUTO;
  options->device_ordinal = 0;
  options->flags = KILN_SESSION_FLAG_NONE;
  options->max_arena_bytes = 0;
}

kiln_status_t kiln_session_create(kiln_context_t *context,
                                  kiln_artifact_t *artifact,
                                  const kiln_session_options_t *options,
                                  kiln_session_t **out_session) {
  if (!out_session)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "out_session must not be NULL");
  *out_session = nullptr;
  if (!context || !artifact)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "context and artifact must not be NULL");
  kiln_session_options_t defaults;
  kiln_session_options_initialize(&defaults);
  const kiln_session_options_t &chosen = options ? *options : defaults;
  if (!isKnownDeviceKind(rawEnumValue(chosen.device)))
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT, "unknown device kind %d",
                      rawEnumValue(chosen.device));
  if (chosen.flags & ~kKnownSessionFlags)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "unknown session flags 0x%x", chosen.flags);

  // Before anything is allocated: an artifact may declare any arena size.
  std::uint64_t arenaSize = artifact->root->arena_size();
  if (chosen.max_arena_bytes != 0 && arenaSize > chosen.max_arena_bytes)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "the artifact needs a %llu-byte arena, more than the "
                      "limit of %llu bytes (max_arena_bytes)",
                      static_cast<unsigned long long>(arenaSize),
                      static_cast<unsigned long long>(chosen.max_arena_bytes));

  auto *session = new (std::nothrow) kiln_session_s;
  if (!session)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating a session");
  kiln_context_retain(context);
  kiln_artifact_retain(artifact);
  session->context = context;
  session->artifact = artifact;
  session->flags = chosen.flags;
  session->dispatchNanoseconds.assign(artifact->root->dispatches()->size(), 0);

  kiln_device_kind_t candidates[kDeviceKindCount];
  std::size_t candidateCount =
      deviceCandidates(chosen.device, *artifact->root, candidates);
  for (std::size_t i = 0; i < candidateCount; ++i) {
    kiln_status_t status =
        bindDevice(*session, candidates[i], chosen.device_ordinal);
    if (!status)
      break;
    session->unbindDevice();
    if (i + 1 == candidateCount) {
      delete session;
      return status;
    }
    // AUTO moves on to the next kind, ending with the CPU.
    kiln_status_free(status);
  }
  *out_session = session;
  return nullptr;
}

void kiln_session_retain(kiln_session_t *session) {
  if (session)
    session->references.fetch_add(1, std::memory_order_relaxed);
}

void kiln_session_release(kiln_session_t *session) {
  if (session &&
      session->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete session;
}

kiln_device_kind_t kiln_session_device(const kiln_session_t *session) {
  return session && session->device ? session->device->kind()
                                    : KILN_DEVICE_AUTO;
}

kiln_status_t kiln_session_run(kiln_session_t *session,
                               const kiln_buffer_t *inputs, size_t input_count,
                               const kiln_buffer_t *outputs,
                               size_t output_count) {
  if (!session)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT, "session must not be NULL");
  return runSession(*session, inputs, input_count, outputs, output_count);
}

size_t kiln_session_dispatch_count(const kiln_session_t *session) {
  if (!session || !(session->flags & KILN_SESSION_FLAG_PROFILE))
    return 0;
  return session->dispatchNanoseconds.size();
}

kiln_status_t kiln_session_dispatch_time(const kiln_session_t *session,
                                         size_t index, const char **out_name,
                                         uint64_t *out_nanoseconds) {
  if (!session)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT, "session must not be NULL");
  if (!(session->flags & KILN_SESSION_FLAG_PROFILE))
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "the session was created without "
                      "KILN_SESSION_FLAG_PROFILE");
  if (index >= session->dispatchNanoseconds.size())
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "dispatch index %zu is out of range (the model has %zu)",
                      index, session->dispatchNanoseconds.size());
  if (out_name)
    *out_name =
        session->artifact->root->dispatches()->Get(index)->name()->c_str();
  if (out_nanoseconds)
    *out_nanoseconds = session->dispatchNanoseconds[index];
  return nullptr;
}

} // extern "C"
