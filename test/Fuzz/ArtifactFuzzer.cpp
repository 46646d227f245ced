//===- ArtifactFuzzer.cpp - Fuzz target: artifact bytes to a session ------===//
//
// Feeds arbitrary bytes to the runtime as a `.kiln` file through the C API:
// load and verify, read back everything the API describes, and create a
// CPU session (arena, constants, kernels, prepared launches) without
// running it. A failure must be a status with a one-line message; anything
// else (a crash, a sanitizer report, a read outside the artifact) is a bug.
//
// Two choices keep the target deep and safe:
// - The checksum is skipped, or almost every mutation would stop there.
//   Each input that loads is loaded again with the checksum checked, and
//   the two must agree unless the checksum is what differs.
// - A session loads the artifact's CPU executable with dlopen, which runs
//   its code; the executable is trusted code (runtime.md). So a session is
//   created only when every CPU executable of the input is byte for byte
//   one of the executables of the artifacts named by KILN_FUZZ_TRUSTED
//   (colon-separated files or folders; `make fuzz` names the seeds), or
//   every executable when it is `*` (the replay of the saved regression
//   inputs, whose executables are the seeds'). Mutations of everything
//   around the kernels still reach the session.
//
// Built twice: with libFuzzer (`kiln-fuzz-artifact`) and with
// ReplayMain.cpp (`kiln-fuzz-artifact-replay`).
//
//===----------------------------------------------------------------------===//

#include "artifact/format.h"
#include "artifact_generated.h"
#include "kiln/runtime.h"

#include <dirent.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace {

/// The largest arena a fuzzed session may allocate: the session's limit
/// must turn bigger ones into a status, far below libFuzzer's RSS limit.
constexpr std::uint64_t kMaxArenaBytes = std::uint64_t(64) << 20;

kiln_context_t *context = nullptr;
/// XXH64 of the data of each trusted CPU executable.
std::set<std::uint64_t> *trusted = nullptr;
/// KILN_FUZZ_TRUSTED=*: every executable is trusted.
bool trustAll = false;

[[noreturn]] void bug(const char *what, const char *detail = "") {
  std::fprintf(stderr, "BUG: %s %s\n", what, detail);
  std::abort();
}

/// Frees `status`, after checking that a failure explains itself in one
/// line with a known code. Returns whether there was a failure.
bool failed(kiln_status_t status) {
  if (!status)
    return false;
  const char *message = kiln_status_message(status);
  if (!message || !*message)
    bug("a status without a message");
  if (std::strchr(message, '\n'))
    bug("a status message of several lines:", message);
  kiln_status_code_t code = kiln_status_code(status);
  if (code < KILN_STATUS_INVALID_ARGUMENT || code > KILN_STATUS_INTERNAL)
    bug("a status with an unknown code:", message);
  kiln_status_free(status);
  return true;
}

/// The payload of a loaded artifact, copied to 64-byte aligned memory as
/// the runtime keeps it, so that flatbuffers reads it aligned.
struct Payload {
  std::vector<std::uint8_t> storage;
  const kiln::artifact::Artifact *root = nullptr;

  /// `file` must have loaded (so its payload passed the verifier).
  explicit Payload(const std::uint8_t *file, std::size_t size) {
    std::size_t payloadSize = size - kiln::artifact::kFileHeaderSize;
    storage.resize(payloadSize + 64);
    auto address = reinterpret_cast<std::uintptr_t>(storage.data());
    std::uint8_t *aligned = storage.data() + ((64 - address % 64) % 64);
    std::memcpy(aligned, file + kiln::artifact::kFileHeaderSize, payloadSize);
    root = kiln::artifact::GetArtifact(aligned);
  }
};

std::uint64_t hashExecutable(const kiln::artifact::Executable &executable) {
  return kiln::artifact::xxh64(executable.data()->data(),
                               executable.data()->size());
}

bool isCpu(const kiln::artifact::Executable &executable) {
  return std::strcmp(executable.device()->c_str(), "cpu") == 0;
}

/// Records the CPU executables of the artifact in file `path`.
void trustArtifactFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  kiln_artifact_t *artifact = nullptr;
  if (failed(kiln_artifact_load_memory(bytes.data(), bytes.size(), nullptr,
                                       &artifact)))
    return; // Not an artifact, or a broken one: nothing to trust.
  kiln_artifact_release(artifact);
  Payload payload(bytes.data(), bytes.size());
  for (const kiln::artifact::Executable *executable :
       *payload.root->executables())
    if (isCpu(*executable))
      trusted->insert(hashExecutable(*executable));
}

void trustPath(const std::string &path) {
  DIR *dir = opendir(path.c_str());
  if (!dir) {
    trustArtifactFile(path);
    return;
  }
  while (dirent *entry = readdir(dir))
    if (entry->d_name[0] != '.')
      trustArtifactFile(path + "/" + entry->d_name);
  closedir(dir);
}

/// Reads everything the C API describes of a loaded artifact, touching
/// every byte of names and shapes.
void describe(const kiln_artifact_t *artifact) {
  volatile std::size_t sink = 0;
  for (int outputs = 0; outputs < 2; ++outputs) {
    std::size_t count = outputs ? kiln_artifact_output_count(artifact)
                                : kiln_artifact_input_count(artifact);
    for (std::size_t i = 0; i <= count; ++i) {
      kiln_tensor_info_t info;
      kiln_status_t status =
          outputs ? kiln_artifact_output_info(artifact, i, &info)
                  : kiln_artifact_input_info(artifact, i, &info);
      if (failed(status)) {
        if (i < count)
          bug("the info of a tensor in range fails");
        continue;
      }
      if (i == count)
        bug("the info of a tensor out of range succeeds");
      sink = sink + std::strlen(info.name) + kiln_element_size(info.element_type);
      for (std::size_t d = 0; d < info.rank; ++d)
        sink = sink + std::size_t(info.shape[d]);
    }
  }
  sink = sink + kiln_artifact_arena_size(artifact);
  for (const char *device : {"cpu", "cuda", "hip", ""})
    sink = sink + std::size_t(kiln_artifact_has_device(artifact, device));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  kiln_context_options_t options;
  kiln_context_options_initialize(&options);
  options.cpu_threads = 1;
  if (failed(kiln_context_create(&options, &context)))
    bug("cannot create a context");
  trusted = new std::set<std::uint64_t>();
  const char *paths = std::getenv("KILN_FUZZ_TRUSTED");
  if (paths && std::strcmp(paths, "*") == 0) {
    trustAll = true;
  } else if (paths) {
    std::string list(paths);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t end = list.find(':', start);
      if (end == std::string::npos)
        end = list.size();
      if (end > start)
        trustPath(list.substr(start, end - start));
      start = end + 1;
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  if (!context)
    LLVMFuzzerInitialize(nullptr, nullptr);
  kiln_artifact_options_t options;
  kiln_artifact_options_initialize(&options);
  options.flags = KILN_ARTIFACT_FLAG_SKIP_CHECKSUM;
  kiln_artifact_t *artifact = nullptr;
  bool loaded =
      !failed(kiln_artifact_load_memory(data, size, &options, &artifact));

  // With the checksum: the same outcome, or a checksum mismatch.
  options.flags = 0;
  kiln_artifact_t *checked = nullptr;
  kiln_status_t status =
      kiln_artifact_load_memory(data, size, &options, &checked);
  if (status && loaded &&
      !std::strstr(kiln_status_message(status), "checksum mismatch"))
    bug("the checksum makes a difference other than its own check:",
        kiln_status_message(status));
  if (!status && !loaded)
    bug("an artifact loads with the checksum but not without it");
  failed(status);
  kiln_artifact_release(checked);
  if (!loaded)
    return 0;

  describe(artifact);

  // A session, when every CPU executable is trusted.
  Payload payload(data, size);
  bool allTrusted = true;
  for (const kiln::artifact::Executable *executable :
       *payload.root->executables())
    if (isCpu(*executable) && !trustAll &&
        !trusted->count(hashExecutable(*executable)))
      allTrusted = false;
  if (allTrusted) {
    kiln_session_options_t sessionOptions;
    kiln_session_options_initialize(&sessionOptions);
    sessionOptions.device = KILN_DEVICE_CPU;
    sessionOptions.max_arena_bytes = kMaxArenaBytes;
    kiln_session_t *session = nullptr;
    if (!failed(kiln_session_create(context, artifact, &sessionOptions,
                                    &session))) {
      if (kiln_session_device(session) != KILN_DEVICE_CPU)
        bug("a CPU session on another device");
      kiln_session_release(session);
    }
  }
  kiln_artifact_release(artifact);
  return 0;
}
