//===- artifact.cpp - Loading artifacts: the C API ------------------------===//

#include "artifact/artifact.h"
#include "artifact/format.h"
#include "status.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln::rt {
namespace {

/// Fills the signature descriptions that the C API hands out.
void describeTensors(
    const flatbuffers::Vector<flatbuffers::Offset<artifact::Tensor>> &tensors,
    std::vector<kiln_tensor_info_t> &out) {
  out.reserve(tensors.size());
  for (const artifact::Tensor *tensor : tensors) {
    kiln_tensor_info_t info;
    info.name = tensor->name()->c_str();
    info.element_type =
        static_cast<kiln_element_type_t>(tensor->element_type());
    info.rank = tensor->shape()->size();
    info.shape = tensor->shape()->data();
    info.size_bytes = static_cast<std::size_t>(tensor->buffer()->size());
    out.push_back(info);
  }
}

/// Checks the file held by `file` and wraps it in an artifact object that
/// takes it over.
kiln_status_t loadArtifact(AlignedBuffer file, std::uint32_t loadFlags,
                           kiln_artifact_t **out) {
  if (kiln_status_t status =
          checkFileHeader(file.data(), file.size(), loadFlags))
    return status;
  const std::uint8_t *payload = file.data() + artifact::kPayloadOffset;
  std::size_t payloadSize = file.size() - artifact::kPayloadOffset;
  if (kiln_status_t status = verifyPayload(payload, payloadSize))
    return status;

  auto *loaded = new (std::nothrow) kiln_artifact_s;
  if (!loaded)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory loading an artifact");
  loaded->file = std::move(file);
  loaded->root =
      artifact::GetArtifact(loaded->file.data() + artifact::kPayloadOffset);
  describeTensors(*loaded->root->inputs(), loaded->inputs);
  describeTensors(*loaded->root->outputs(), loaded->outputs);
  *out = loaded;
  return nullptr;
}

kiln_status_t checkLoadArguments(const kiln_artifact_options_t *options,
                                 kiln_artifact_t **out, std::uint32_t *flags) {
  if (!out)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "out_artifact must not be NULL");
  *out = nullptr;
  *flags = options ? options->flags : 0;
  if (*flags & ~std::uint32_t(KILN_ARTIFACT_FLAG_SKIP_CHECKSUM))
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "unknown artifact load flags 0x%x", *flags);
  return nullptr;
}

kiln_status_t describeTensor(const std::vector<kiln_tensor_info_t> &tensors,
                             const char *role, std::size_t index,
                             kiln_tensor_info_t *out) {
  if (!out)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "out_info must not be NULL");
  if (index >= tensors.size())
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "%s index %zu is out of range (the model has %zu)", role,
                      index, tensors.size());
  *out = tensors[index];
  return nullptr;
}

} // namespace
} // namespace kiln::rt

using namespace kiln::rt;

extern "C" {

void kiln_artifact_options_initialize(kiln_artifact_options_t *options) {
  if (options)
    options->flags = KILN_ARTIFACT_FLAG_NONE;
}

kiln_status_t kiln_artifact_load_memory(const void *data, size_t size,
                                        const kiln_artifact_options_t *options,
                                        kiln_artifact_t **out_artifact) {
  std::uint32_t flags;
  if (kiln_status_t status = checkLoadArguments(options, out_artifact, &flags))
    return status;
  if (!data && size != 0)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "artifact data is NULL but its size is %zu", size);
  AlignedBuffer file;
  if (!file.allocate(size))
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory copying a %zu-byte artifact", size);
  if (size != 0)
    std::memcpy(file.data(), data, size);
  return loadArtifact(std::move(file), flags, out_artifact);
}

kiln_status_t kiln_artifact_load_file(const char *path,
                                      const kiln_artifact_options_t *options,
                                      kiln_artifact_t **out_artifact) {
  std::uint32_t flags;
  if (kiln_status_t status = checkLoadArguments(options, out_artifact, &flags))
    return status;
  if (!path)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT, "path must not be NULL");
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    return makeStatus(
        error == ENOENT ? KILN_STATUS_NOT_FOUND : KILN_STATUS_INVALID_ARGUMENT,
        "cannot open artifact '%s': %s", path, std::strerror(error));
  }
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "artifact '%s' is not a regular file", path);
  }
  std::size_t size = static_cast<std::size_t>(info.st_size);
  AlignedBuffer file;
  if (!file.allocate(size)) {
    ::close(fd);
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory reading the %zu-byte artifact '%s'", size,
                      path);
  }
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::read(fd, file.data() + done, size - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      int error = got < 0 ? errno : 0;
      ::close(fd);
      return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                        "cannot read artifact '%s': %s", path,
                        error ? std::strerror(error) : "file shrank");
    }
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return loadArtifact(std::move(file), flags, out_artifact);
}

void kiln_artifact_retain(kiln_artifact_t *artifact) {
  if (artifact)
    artifact->references.fetch_add(1, std::memory_order_relaxed);
}

void kiln_artifact_release(kiln_artifact_t *artifact) {
  if (artifact &&
      artifact->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete artifact;
}

size_t kiln_artifact_input_count(const kiln_artifact_t *artifact) {
  return artifact ? artifact->inputs.size() : 0;
}

size_t kiln_artifact_output_count(const kiln_artifact_t *artifact) {
  return artifact ? artifact->outputs.size() : 0;
}

kiln_status_t kiln_artifact_input_info(const kiln_artifact_t *artifact,
                                       size_t index,
                                       kiln_tensor_info_t *out_info) {
  if (!artifact)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "artifact must not be NULL");
  return describeTensor(artifact->inputs, "input", index, out_info);
}

kiln_status_t kiln_artifact_output_info(const kiln_artifact_t *artifact,
                                        size_t index,
                                        kiln_tensor_info_t *out_info) {
  if (!artifact)
    return makeStatus(KILN_STATUS_INVALID_ARGUMENT,
                      "artifact must not be NULL");
  return describeTensor(artifact->outputs, "output", index, out_info);
}

uint64_t kiln_artifact_arena_size(const kiln_artifact_t *artifact) {
  return artifact ? artifact->root->arena_size() : 0;
}

int kiln_artifact_has_device(const kiln_artifact_t *artifact,
                             const char *device) {
  if (!artifact || !device)
    return 0;
  for (const kiln::artifact::Executable *executable :
       *artifact->root->executables())
    if (std::strcmp(executable->device()->c_str(), device) == 0)
      return 1;
  return 0;
}

} // extern "C"
