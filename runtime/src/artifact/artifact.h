//===- artifact.h - A loaded and verified artifact --------------*- C++ -*-===//
//
// The object behind kiln_artifact_t, and the checks that make every later
// access to its flatbuffer safe: once loadArtifact succeeds, every index
// and every buffer range in the artifact is known to be in bounds, so the
// session and the devices read it without checking again.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SRC_ARTIFACT_ARTIFACT_H
#define KILN_RUNTIME_SRC_ARTIFACT_ARTIFACT_H

#include "aligned_buffer.h"
#include "artifact_generated.h"
#include "kiln/runtime.h"

#include <atomic>
#include <vector>

struct kiln_artifact_s {
  std::atomic<std::uint32_t> references{1};
  /// The whole file, header included, 64-byte aligned so that the
  /// payload's aligned vectors are aligned in memory too.
  kiln::rt::AlignedBuffer file;
  const kiln::artifact::Artifact *root = nullptr;
  /// Signature descriptions handed out by the C API; names and shapes
  /// point into `file`.
  std::vector<kiln_tensor_info_t> inputs;
  std::vector<kiln_tensor_info_t> outputs;
};

namespace kiln::rt {

/// Checks the 64-byte header of the `size`-byte file at `file`: size,
/// magic, version, flags, reserved bytes, payload size and (unless
/// KILN_ARTIFACT_FLAG_SKIP_CHECKSUM is in `loadFlags`) the checksum.
kiln_status_t checkFileHeader(const std::uint8_t *file, std::size_t size,
                              std::uint32_t loadFlags);

/// Runs the flatbuffers verifier over the payload that follows a checked
/// header, then the runtime's own structural checks. `payload` must be
/// 8-byte aligned.
kiln_status_t verifyPayload(const std::uint8_t *payload, std::size_t size);

/// The bytes of `segment` in `artifact`. Zero for an unknown segment.
std::uint64_t segmentSize(const artifact::Artifact &artifact,
                          artifact::Segment segment);

/// Bytes of a dense tensor of `type` with `shape`; false when the product
/// overflows, a dimension is negative or the type is unknown.
bool denseByteSize(artifact::ElementType type,
                   const flatbuffers::Vector<std::int64_t> &shape,
                   std::uint64_t *out);

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_ARTIFACT_ARTIFACT_H
