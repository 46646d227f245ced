//===- verify.cpp - The load-time checks of an artifact -------------------===//
//
// Every check an artifact passes before the runtime trusts it, in the order
// the format defines: the file header, the flatbuffers verifier, then the
// runtime's own bounds checks. Each failure names the check that failed.
//
//===----------------------------------------------------------------------===//

#include "artifact/artifact.h"
#include "artifact/format.h"
#include "status.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>

namespace kiln::rt {

using artifact::Segment;

//===----------------------------------------------------------------------===//
// The file header
//===----------------------------------------------------------------------===//

kiln_status_t checkFileHeader(const std::uint8_t *file, std::size_t size,
                              std::uint32_t loadFlags) {
  using namespace artifact;
  if (size == 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT, "artifact is empty");
  if (size < kFileHeaderSize)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact is %zu bytes, shorter than its %zu-byte header",
                      size, kFileHeaderSize);
  FileHeader header = decodeFileHeader(file);
  if (std::memcmp(header.magic, kFileMagic, sizeof(kFileMagic)) != 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "not a Kiln artifact (bad magic)");
  if (header.formatVersion != kFormatVersion)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "unsupported artifact format version %" PRIu32
                      " (this runtime reads %" PRIu32 ")",
                      header.formatVersion, kFormatVersion);
  if ((header.flags & ~kKnownFileFlags) != 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "unsupported artifact header flags 0x%" PRIx32,
                      header.flags);
  if (!header.reservedIsZero)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact header reserved bytes are not zero");
  std::uint64_t available = size - kFileHeaderSize;
  if (header.payloadSize != available)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact payload size mismatch: the header says %" PRIu64
                      " bytes, the file holds %" PRIu64 " after the header",
                      header.payloadSize, available);
  if (!(loadFlags & KILN_ARTIFACT_FLAG_SKIP_CHECKSUM)) {
    std::uint64_t actual = xxh64(file + kPayloadOffset, available);
    if (actual != header.checksum)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "artifact checksum mismatch (header 0x%016" PRIx64
                        ", payload 0x%016" PRIx64 ")",
                        header.checksum, actual);
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Bounds checks
//===----------------------------------------------------------------------===//

namespace {

/// The flatbuffers 2.0.8 verifier aligns every vector only to 4 bytes
/// (its length field), so a corrupt payload can hold a vector of 8-byte
/// elements at an address that is 4 mod 8. Reading such an element is
/// undefined behaviour, and the shape pointers the C API hands out must be
/// aligned: check before reading.
/// An empty vector is read nowhere, so flatbuffers need not align it (and
/// the builder does not, for a rank-0 shape).
template <typename T> bool isAligned(const flatbuffers::Vector<T> &vector) {
  return vector.size() == 0 ||
         reinterpret_cast<std::uintptr_t>(vector.Data()) % alignof(T) == 0;
}

const char *segmentName(Segment segment) {
  switch (segment) {
  case Segment::Arena:
    return "arena";
  case Segment::Constants:
    return "constants";
  }
  return "unknown segment";
}

/// Checks that `ref` names a known segment and lies inside it; `what`
/// names the reference in the message ("command 3 binding 1").
kiln_status_t checkBufferRef(const artifact::Artifact &root,
                             const artifact::BufferRef &ref, const char *what) {
  Segment segment = ref.segment();
  if (segment != Segment::Arena && segment != Segment::Constants)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s: unknown buffer segment %u", what, unsigned(segment));
  std::uint64_t limit = segmentSize(root, segment);
  // offset + size <= limit, written so that it cannot overflow.
  if (ref.offset() > limit || ref.size() > limit - ref.offset())
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s: buffer [offset %" PRIu64 ", size %" PRIu64
                      "] exceeds the %s (%" PRIu64 " bytes)",
                      what, ref.offset(), ref.size(), segmentName(segment),
                      limit);
  return nullptr;
}

/// Checks one signature entry: a known type, a shape whose byte size
/// matches its buffer, and a buffer inside its segment.
kiln_status_t checkTensor(const artifact::Artifact &root,
                          const artifact::Tensor &tensor, const char *role,
                          std::size_t index) {
  const char *name = tensor.name()->c_str();
  char what[96];
  std::snprintf(what, sizeof(what), "%s %zu", role, index);
  if (tensor.name()->size() == 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT, "%s has an empty name",
                      what);
  if (!isAligned(*tensor.shape()))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s ('%s'): misaligned shape vector", what, name);
  if (tensor.element_type() > artifact::ElementType::MAX)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s ('%s'): unknown element type %u", what, name,
                      unsigned(tensor.element_type()));
  for (std::int64_t dim : *tensor.shape())
    if (dim < 0)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "%s ('%s'): negative dimension %" PRId64, what, name,
                        dim);
  std::uint64_t bytes = 0;
  if (!denseByteSize(tensor.element_type(), *tensor.shape(), &bytes))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s ('%s'): byte size of its shape overflows 64 bits",
                      what, name);
  const artifact::BufferRef &buffer = *tensor.buffer();
  if (buffer.size() != bytes)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "%s ('%s'): buffer holds %" PRIu64
                      " bytes, its shape and type need %" PRIu64,
                      what, name, buffer.size(), bytes);
  std::snprintf(what, sizeof(what), "%s %zu ('%.40s')", role, index, name);
  return checkBufferRef(root, buffer, what);
}

/// Signature names must be unique: kiln-run binds inputs by name.
kiln_status_t checkUniqueNames(
    const flatbuffers::Vector<flatbuffers::Offset<artifact::Tensor>> &tensors,
    const char *role) {
  std::vector<const char *> names;
  names.reserve(tensors.size());
  for (const artifact::Tensor *tensor : tensors)
    names.push_back(tensor->name()->c_str());
  std::sort(names.begin(), names.end(),
            [](const char *a, const char *b) { return std::strcmp(a, b) < 0; });
  for (std::size_t i = 1; i < names.size(); ++i)
    if (std::strcmp(names[i - 1], names[i]) == 0)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT, "two %ss are named '%s'",
                        role, names[i]);
  return nullptr;
}

/// A grid or block: exactly three entries, each at least one. The product
/// of a grid must fit in 64 bits: the CPU device counts workgroups in it.
kiln_status_t checkDimensions(const flatbuffers::Vector<std::uint32_t> &dims,
                              const char *what, std::size_t executable,
                              std::size_t kernel) {
  if (dims.size() != 3)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "executable %zu kernel %zu: %s has %u entries, not 3",
                      executable, kernel, what, dims.size());
  for (std::uint32_t dim : dims)
    if (dim == 0)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "executable %zu kernel %zu: %s has a zero entry",
                        executable, kernel, what);
  // Three 32-bit factors overflow 64 bits only when the first two already
  // exceed 32 bits and the third is large; check the product directly.
  std::uint64_t product = std::uint64_t(dims[0]) * dims[1];
  std::uint64_t total;
  if (__builtin_mul_overflow(product, std::uint64_t(dims[2]), &total))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "executable %zu kernel %zu: %s is too large", executable,
                      kernel, what);
  return nullptr;
}

kiln_status_t checkExecutable(const artifact::Artifact &root,
                              const artifact::Executable &executable,
                              std::size_t index) {
  if (executable.device()->size() == 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "executable %zu names no device", index);
  if (executable.format() > artifact::ExecutableFormat::MAX)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "executable %zu: unknown format %u", index,
                      unsigned(executable.format()));
  if (executable.data()->size() == 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT, "executable %zu is empty",
                      index);
  std::size_t dispatchCount = root.dispatches()->size();
  if (executable.kernels()->size() != dispatchCount)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "executable %zu ('%s' %s) has %u kernels for %zu "
                      "dispatches",
                      index, executable.device()->c_str(),
                      executable.arch()->c_str(), executable.kernels()->size(),
                      dispatchCount);
  for (std::size_t k = 0; k < dispatchCount; ++k) {
    const artifact::Kernel &kernel = *executable.kernels()->Get(k);
    if (kernel.symbol()->size() == 0)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "executable %zu kernel %zu has an empty symbol", index,
                        k);
    if (kiln_status_t status =
            checkDimensions(*kernel.grid(), "grid", index, k))
      return status;
    if (kernel.block())
      if (kiln_status_t status =
              checkDimensions(*kernel.block(), "block", index, k))
        return status;
  }
  return nullptr;
}

kiln_status_t checkCommand(const artifact::Artifact &root,
                           const artifact::Command &command,
                           std::size_t index) {
  const auto &bindings = *command.bindings();
  if (!isAligned(bindings))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "command %zu: misaligned bindings vector", index);
  char what[64];
  for (std::size_t b = 0; b < bindings.size(); ++b) {
    std::snprintf(what, sizeof(what), "command %zu binding %zu", index, b);
    if (kiln_status_t status = checkBufferRef(root, *bindings.Get(b), what))
      return status;
  }
  switch (command.kind()) {
  case artifact::CommandKind::Launch:
    if (command.dispatch() >= root.dispatches()->size())
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "command %zu launches dispatch %u, but the artifact "
                        "has %u",
                        index, command.dispatch(), root.dispatches()->size());
    return nullptr;
  case artifact::CommandKind::Copy:
    if (bindings.size() != 2)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "copy command %zu has %u bindings, not 2", index,
                        bindings.size());
    if (bindings.Get(0)->size() != bindings.Get(1)->size())
      return makeStatus(
          KILN_STATUS_INVALID_ARTIFACT,
          "copy command %zu copies %" PRIu64 " bytes into %" PRIu64, index,
          bindings.Get(0)->size(), bindings.Get(1)->size());
    if (bindings.Get(1)->segment() == Segment::Constants)
      return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                        "copy command %zu writes the read-only constants",
                        index);
    return nullptr;
  }
  return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                    "command %zu has unknown kind %u", index,
                    unsigned(command.kind()));
}

/// Everything the verifier cannot know: indices, ranges and sizes that
/// must agree with each other.
kiln_status_t checkStructure(const artifact::Artifact &root,
                             const std::uint8_t *payload) {
  const auto &inputs = *root.inputs();
  const auto &outputs = *root.outputs();
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (kiln_status_t status = checkTensor(root, *inputs.Get(i), "input", i))
      return status;
  for (std::size_t i = 0; i < outputs.size(); ++i)
    if (kiln_status_t status = checkTensor(root, *outputs.Get(i), "output", i))
      return status;
  if (kiln_status_t status = checkUniqueNames(inputs, "input"))
    return status;
  if (kiln_status_t status = checkUniqueNames(outputs, "output"))
    return status;

  // Kernels may load the pool with aligned vector loads.
  if (root.constants() && root.constants()->size() != 0 &&
      (root.constants()->data() - payload) % 64 != 0)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "the constants pool is not 64-byte aligned in the "
                      "payload (write it with force_align)");

  const auto &executables = *root.executables();
  for (std::size_t i = 0; i < executables.size(); ++i)
    if (kiln_status_t status = checkExecutable(root, *executables.Get(i), i))
      return status;
  const auto &commands = *root.commands();
  for (std::size_t i = 0; i < commands.size(); ++i)
    if (kiln_status_t status = checkCommand(root, *commands.Get(i), i))
      return status;
  return nullptr;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::uint64_t segmentSize(const artifact::Artifact &root, Segment segment) {
  switch (segment) {
  case Segment::Arena:
    return root.arena_size();
  case Segment::Constants:
    return root.constants() ? root.constants()->size() : 0;
  }
  return 0;
}

bool denseByteSize(artifact::ElementType type,
                   const flatbuffers::Vector<std::int64_t> &shape,
                   std::uint64_t *out) {
  std::size_t elementSize =
      kiln_element_size(static_cast<kiln_element_type_t>(type));
  if (elementSize == 0)
    return false;
  std::uint64_t bytes = elementSize;
  for (std::int64_t dim : shape) {
    if (dim < 0 || __builtin_mul_overflow(bytes, std::uint64_t(dim), &bytes))
      return false;
  }
  *out = bytes;
  return true;
}

kiln_status_t verifyPayload(const std::uint8_t *payload, std::size_t size) {
  // The verifier asserts on buffers of 2 GiB and more; refuse them first.
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact payload of %zu bytes exceeds the flatbuffers "
                      "limit of 2 GiB",
                      size);
  if (size < 8 || !artifact::ArtifactBufferHasIdentifier(payload))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact payload lacks the \"%s\" file identifier",
                      artifact::ArtifactIdentifier());
  flatbuffers::Verifier::Options options;
  // Every table takes at least 4 bytes, so this bound never refuses a
  // well-formed payload while still bounding the work.
  options.max_tables = static_cast<flatbuffers::uoffset_t>(
      std::max<std::size_t>(options.max_tables, size / 4));
  flatbuffers::Verifier verifier(payload, size, options);
  if (!artifact::VerifyArtifactBuffer(verifier))
    return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                      "artifact payload failed flatbuffers verification");
  return checkStructure(*artifact::GetArtifact(payload), payload);
}

} // namespace kiln::rt
