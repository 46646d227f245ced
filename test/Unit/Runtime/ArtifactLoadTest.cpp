//===- ArtifactLoadTest.cpp - Loading and rejecting artifacts -------------===//
//
// Every load-time check, one broken field at a time, and byte-level
// corruption (truncation, flipped bytes) that must end in a status, never
// a crash.
//
//===----------------------------------------------------------------------===//

#include "TestArtifacts.h"

#include "aligned_buffer.h"
#include "artifact/format.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

namespace {

using namespace kiln::test;
using kiln::artifact::CommandKind;
using kiln::artifact::ElementType;
using kiln::artifact::Segment;

constexpr std::uint32_t kSkipChecksum = KILN_ARTIFACT_FLAG_SKIP_CHECKSUM;

/// Loads an artifact built from `spec` and returns the outcome.
Outcome loadSpec(const ArtifactSpec &spec) {
  return loadArtifact(buildArtifact(spec), 0);
}

#define EXPECT_REJECTED(outcome, substring)                                    \
  do {                                                                         \
    Outcome kilnOutcome = (outcome);                                           \
    EXPECT_EQ(kilnOutcome.code, KILN_STATUS_INVALID_ARTIFACT)                  \
        << kilnOutcome.message;                                                \
    EXPECT_NE(kilnOutcome.message.find(substring), std::string::npos)          \
        << "message: " << kilnOutcome.message;                                 \
  } while (false)

/// Touches everything the C API exposes about a loaded artifact, so that a
/// corrupt one that loaded is read in full (and AddressSanitizer builds
/// see any out-of-bounds access).
void readEverything(kiln_artifact_t *artifact) {
  for (std::size_t i = 0; i < kiln_artifact_input_count(artifact); ++i) {
    kiln_tensor_info_t info;
    ASSERT_EQ(kiln_artifact_input_info(artifact, i, &info), nullptr);
    volatile std::size_t sink = std::strlen(info.name) + info.size_bytes;
    for (std::size_t d = 0; d < info.rank; ++d)
      sink = sink + std::size_t(info.shape[d]);
    (void)sink;
  }
  for (std::size_t i = 0; i < kiln_artifact_output_count(artifact); ++i) {
    kiln_tensor_info_t info;
    ASSERT_EQ(kiln_artifact_output_info(artifact, i, &info), nullptr);
    volatile std::size_t sink = std::strlen(info.name);
    (void)sink;
  }
  (void)kiln_artifact_arena_size(artifact);
  (void)kiln_artifact_has_device(artifact, "cpu");
}

//===----------------------------------------------------------------------===//
// Valid artifacts
//===----------------------------------------------------------------------===//

TEST(ArtifactLoad, DescribesTheSignature) {
  ArtifactPtr artifact;
  Outcome outcome = loadArtifact(buildArtifact(addModel()), 0, &artifact);
  ASSERT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  ASSERT_EQ(kiln_artifact_input_count(artifact.get()), 2u);
  ASSERT_EQ(kiln_artifact_output_count(artifact.get()), 4u);
  kiln_tensor_info_t info;
  ASSERT_EQ(kiln_artifact_output_info(artifact.get(), 1, &info), nullptr);
  EXPECT_STREQ(info.name, "w");
  EXPECT_EQ(info.element_type, KILN_F32);
  ASSERT_EQ(info.rank, 2u);
  EXPECT_EQ(info.shape[0], 10);
  EXPECT_EQ(info.shape[1], 100);
  EXPECT_EQ(info.size_bytes, kAddElements * sizeof(float));
  ASSERT_EQ(kiln_artifact_output_info(artifact.get(), 3, &info), nullptr);
  EXPECT_EQ(info.element_type, KILN_I32);
  EXPECT_EQ(kiln_artifact_arena_size(artifact.get()), 6u * 4032u);
  EXPECT_TRUE(kiln_artifact_has_device(artifact.get(), "cpu"));
  EXPECT_FALSE(kiln_artifact_has_device(artifact.get(), "cuda"));

  Outcome outOfRange = take(kiln_artifact_input_info(artifact.get(), 2, &info));
  EXPECT_EQ(outOfRange.code, KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(outOfRange.message.find("out of range"), std::string::npos);
}

TEST(ArtifactLoad, FromFile) {
  std::vector<std::uint8_t> bytes = buildArtifact(addModel());
  char path[] = "/tmp/kiln-artifact-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()), ssize_t(bytes.size()));
  close(fd);
  kiln_artifact_t *artifact = nullptr;
  Outcome outcome = take(kiln_artifact_load_file(path, nullptr, &artifact));
  EXPECT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  EXPECT_EQ(kiln_artifact_input_count(artifact), 2u);
  kiln_artifact_release(artifact);
  unlink(path);

  Outcome missing = take(
      kiln_artifact_load_file("/nonexistent/model.kiln", nullptr, &artifact));
  EXPECT_EQ(missing.code, KILN_STATUS_NOT_FOUND);
  EXPECT_NE(missing.message.find("/nonexistent/model.kiln"), std::string::npos);
  EXPECT_EQ(artifact, nullptr);
  Outcome directory = take(kiln_artifact_load_file("/tmp", nullptr, &artifact));
  EXPECT_EQ(directory.code, KILN_STATUS_INVALID_ARGUMENT);
}

TEST(ArtifactLoad, RejectsBadArguments) {
  kiln_artifact_t *artifact = nullptr;
  EXPECT_EQ(
      take(kiln_artifact_load_memory(nullptr, 10, nullptr, &artifact)).code,
      KILN_STATUS_INVALID_ARGUMENT);
  std::vector<std::uint8_t> bytes = buildArtifact(addModel());
  EXPECT_EQ(take(kiln_artifact_load_memory(bytes.data(), bytes.size(), nullptr,
                                           nullptr))
                .code,
            KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(loadArtifact(bytes, 1u << 7).code, KILN_STATUS_INVALID_ARGUMENT);
}

//===----------------------------------------------------------------------===//
// The header, in the order it is checked
//===----------------------------------------------------------------------===//

TEST(ArtifactLoad, RejectsEmptyAndShortFiles) {
  EXPECT_REJECTED(loadArtifact({}, 0), "artifact is empty");
  EXPECT_REJECTED(loadArtifact(std::vector<std::uint8_t>(10, 0), 0),
                  "shorter than its 64-byte header");
  std::vector<std::uint8_t> bytes = buildArtifact(addModel());
  bytes.resize(63);
  EXPECT_REJECTED(loadArtifact(bytes, 0), "shorter than its 64-byte header");
}

TEST(ArtifactLoad, RejectsHeaderFields) {
  const std::vector<std::uint8_t> good = buildArtifact(tinyModel());
  using namespace kiln::artifact;

  std::vector<std::uint8_t> bytes = good;
  bytes[3] = 'X';
  EXPECT_REJECTED(loadArtifact(bytes, 0), "bad magic");

  bytes = good;
  storeLittleEndian(bytes.data() + kVersionOffset, 7, 4);
  EXPECT_REJECTED(
      loadArtifact(bytes, 0),
      "unsupported artifact format version 7 (this runtime reads 1)");

  bytes = good;
  storeLittleEndian(bytes.data() + kFlagsOffset, 4, 4);
  EXPECT_REJECTED(loadArtifact(bytes, 0),
                  "unsupported artifact header flags 0x4");

  bytes = good;
  bytes[kReservedOffset + 31] = 1;
  EXPECT_REJECTED(loadArtifact(bytes, 0), "reserved bytes");

  bytes = good;
  storeLittleEndian(bytes.data() + kPayloadSizeOffset, good.size(), 8);
  EXPECT_REJECTED(loadArtifact(bytes, 0), "payload size mismatch");

  bytes = good;
  bytes.push_back(0);
  EXPECT_REJECTED(loadArtifact(bytes, 0), "payload size mismatch");

  bytes = good;
  bytes[kChecksumOffset] ^= 1;
  EXPECT_REJECTED(loadArtifact(bytes, 0), "artifact checksum mismatch");
  // Skipping the checksum skips only that check.
  EXPECT_EQ(loadArtifact(bytes, kSkipChecksum).code, KILN_STATUS_OK);
}

TEST(ArtifactLoad, RejectsPayloadsTheVerifierRefuses) {
  std::vector<std::uint8_t> payload = buildPayload(tinyModel(), false);
  EXPECT_REJECTED(loadArtifact(wrapPayload(payload), 0), "file identifier");

  // The identifier, then garbage offsets.
  std::vector<std::uint8_t> garbage(128, 0xEE);
  std::memcpy(garbage.data() + 4, "KILN", 4);
  EXPECT_REJECTED(loadArtifact(wrapPayload(garbage), 0),
                  "failed flatbuffers verification");

  // Required fields missing: an empty root table, built with the raw
  // builder (the generated one asserts that required fields are set).
  flatbuffers::FlatBufferBuilder builder;
  flatbuffers::uoffset_t start = builder.StartTable();
  flatbuffers::Offset<kiln::artifact::Artifact> offset(builder.EndTable(start));
  kiln::artifact::FinishArtifactBuffer(builder, offset);
  std::vector<std::uint8_t> empty(builder.GetBufferPointer(),
                                  builder.GetBufferPointer() +
                                      builder.GetSize());
  EXPECT_REJECTED(loadArtifact(wrapPayload(empty), 0),
                  "failed flatbuffers verification");
}

//===----------------------------------------------------------------------===//
// Bounds checks
//===----------------------------------------------------------------------===//

TEST(ArtifactLoad, RejectsTensorsOutsideTheirSegment) {
  ArtifactSpec spec = addModel();
  spec.inputs[1].buffer.offset = spec.arenaSize - 64;
  EXPECT_REJECTED(loadSpec(spec), "input 1 ('y'): buffer [offset 24128, size "
                                  "4000] exceeds the arena (24192 bytes)");

  spec = addModel();
  spec.outputs[3].buffer.offset = spec.constants.size();
  EXPECT_REJECTED(loadSpec(spec), "exceeds the constants");

  // offset + size wraps around 2^64.
  spec = addModel();
  spec.inputs[0].buffer.offset = ~std::uint64_t(0) - 8;
  EXPECT_REJECTED(loadSpec(spec), "exceeds the arena");

  spec = addModel();
  spec.inputs[0].buffer.segment = static_cast<Segment>(9);
  EXPECT_REJECTED(loadSpec(spec), "unknown buffer segment 9");
}

TEST(ArtifactLoad, RejectsTensorsWhoseSizeDisagreesWithTheirShape) {
  ArtifactSpec spec = addModel();
  spec.inputs[0].buffer.size -= 4;
  EXPECT_REJECTED(loadSpec(spec), "buffer holds 3996 bytes, its shape and type "
                                  "need 4000");

  spec = addModel();
  spec.inputs[0].shape = {-1000};
  EXPECT_REJECTED(loadSpec(spec), "negative dimension -1000");

  spec = addModel();
  spec.inputs[0].shape = {std::int64_t(1) << 40, std::int64_t(1) << 30};
  EXPECT_REJECTED(loadSpec(spec), "overflows 64 bits");

  spec = addModel();
  spec.inputs[0].type = static_cast<ElementType>(42);
  EXPECT_REJECTED(loadSpec(spec), "unknown element type 42");
}

TEST(ArtifactLoad, RejectsBadNames) {
  ArtifactSpec spec = addModel();
  spec.inputs[1].name = "x";
  EXPECT_REJECTED(loadSpec(spec), "two inputs are named 'x'");
  spec = addModel();
  spec.outputs[0].name = "";
  EXPECT_REJECTED(loadSpec(spec), "output 0 has an empty name");
}

TEST(ArtifactLoad, RejectsBadExecutables) {
  ArtifactSpec spec = addModel();
  spec.executables[0].kernels.pop_back();
  EXPECT_REJECTED(loadSpec(spec), "has 2 kernels for 3 dispatches");

  spec = addModel();
  spec.executables[0].kernels[1].grid = {4, 2};
  EXPECT_REJECTED(loadSpec(spec), "executable 0 kernel 1: grid has 2 entries");

  spec = addModel();
  spec.executables[0].kernels[0].grid = {4, 0, 1};
  EXPECT_REJECTED(loadSpec(spec), "grid has a zero entry");

  spec = addModel();
  spec.executables[0].kernels[0].grid = {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF};
  EXPECT_REJECTED(loadSpec(spec), "grid is too large");

  spec = addModel();
  spec.executables[0].kernels[0].block = {32, 1};
  EXPECT_REJECTED(loadSpec(spec), "block has 2 entries");

  spec = addModel();
  spec.executables[0].kernels[0].symbol = "";
  EXPECT_REJECTED(loadSpec(spec), "empty symbol");

  spec = addModel();
  spec.executables[0].format =
      static_cast<kiln::artifact::ExecutableFormat>(77);
  EXPECT_REJECTED(loadSpec(spec), "unknown format 77");

  spec = addModel();
  spec.executables[0].data.clear();
  EXPECT_REJECTED(loadSpec(spec), "executable 0 is empty");

  spec = addModel();
  spec.executables[0].device = "";
  EXPECT_REJECTED(loadSpec(spec), "names no device");
}

TEST(ArtifactLoad, RejectsBadCommands) {
  ArtifactSpec spec = addModel();
  spec.commands[1].dispatch = 3;
  EXPECT_REJECTED(loadSpec(spec), "command 1 launches dispatch 3, but the "
                                  "artifact has 3");

  spec = addModel();
  spec.commands[0].bindings[2].offset = spec.arenaSize;
  EXPECT_REJECTED(loadSpec(spec), "command 0 binding 2");

  spec = addModel();
  spec.commands[0].bindings[1].size = spec.constants.size() + 1;
  EXPECT_REJECTED(loadSpec(spec), "exceeds the constants");

  spec = addModel();
  spec.commands[2].bindings.push_back(inArena(0, 4));
  EXPECT_REJECTED(loadSpec(spec), "copy command 2 has 3 bindings, not 2");

  spec = addModel();
  spec.commands[2].bindings[1].size = 8;
  EXPECT_REJECTED(loadSpec(spec), "copy command 2 copies 4000 bytes into 8");

  spec = addModel();
  spec.commands[2].bindings[1] = inConstants(0, 4000);
  EXPECT_REJECTED(loadSpec(spec), "writes the read-only constants");

  spec = addModel();
  spec.commands[0].kind = static_cast<CommandKind>(5);
  EXPECT_REJECTED(loadSpec(spec), "command 0 has unknown kind 5");
}

//===----------------------------------------------------------------------===//
// Byte-level corruption
//===----------------------------------------------------------------------===//

// Every prefix of a small artifact: the header's payload size catches it.
TEST(ArtifactCorruption, TruncatedAtEveryOffset) {
  const std::vector<std::uint8_t> good = buildArtifact(tinyModel());
  for (std::size_t size = 0; size < good.size(); ++size) {
    std::vector<std::uint8_t> bytes(good.begin(), good.begin() + size);
    EXPECT_NE(loadArtifact(bytes, 0).code, KILN_STATUS_OK) << size;
    EXPECT_NE(loadArtifact(bytes, kSkipChecksum).code, KILN_STATUS_OK) << size;
  }
}

// Every prefix of the payload under a header rewritten to match it, so
// that the verifier and the bounds checks see the truncated flatbuffer.
// Only cutting trailing padding may load (the builder writes the payload
// back to front, so its last bytes are the padding after the first
// string it wrote).
TEST(ArtifactCorruption, TruncatedPayloadWithAConsistentHeader) {
  const std::vector<std::uint8_t> payload = buildPayload(tinyModel());
  std::size_t accepted = 0;
  for (std::size_t size = 0; size < payload.size(); ++size) {
    std::vector<std::uint8_t> truncated(payload.begin(),
                                        payload.begin() + size);
    ArtifactPtr artifact;
    if (loadArtifact(wrapPayload(truncated), 0, &artifact).code ==
        KILN_STATUS_OK) {
      EXPECT_GE(size, payload.size() - 3);
      readEverything(artifact.get());
      ++accepted;
    }
  }
  EXPECT_LE(accepted, 3u);
}

// With the checksum on, any flipped byte is caught; with it skipped the
// verifier and the bounds checks must reject or safely accept each one.
TEST(ArtifactCorruption, FlippedBytesAtEveryOffset) {
  const std::vector<std::uint8_t> good = buildArtifact(tinyModel());
  std::size_t acceptedWithoutChecksum = 0;
  for (std::size_t offset = 0; offset < good.size(); ++offset) {
    for (std::uint8_t mask :
         {std::uint8_t(0x01), std::uint8_t(0x80), std::uint8_t(0xFF)}) {
      std::vector<std::uint8_t> bytes = good;
      bytes[offset] ^= mask;
      EXPECT_NE(loadArtifact(bytes, 0).code, KILN_STATUS_OK) << offset;
      ArtifactPtr artifact;
      if (loadArtifact(bytes, kSkipChecksum, &artifact).code ==
          KILN_STATUS_OK) {
        ++acceptedWithoutChecksum;
        readEverything(artifact.get());
      }
    }
  }
  // Flips inside data (the filler executable, the constants) are harmless.
  EXPECT_GT(acceptedWithoutChecksum, 0u);
}

// The same over the real add model, at a stride (it is larger).
TEST(ArtifactCorruption, FlippedBytesInARealArtifact) {
  const std::vector<std::uint8_t> good = buildArtifact(addModel());
  for (std::size_t offset = 0; offset < good.size(); offset += 7) {
    std::vector<std::uint8_t> bytes = good;
    bytes[offset] ^= 0xFF;
    EXPECT_NE(loadArtifact(bytes, 0).code, KILN_STATUS_OK) << offset;
    ArtifactPtr artifact;
    if (loadArtifact(bytes, kSkipChecksum, &artifact).code == KILN_STATUS_OK)
      readEverything(artifact.get());
  }
}

// Buffers of 64 KiB and more (an artifact's file) start on a page, so that
// their place within a page does not change from one process to the next;
// smaller ones on 64 bytes.
TEST(AlignedBuffer, LargeBuffersStartOnAPage) {
  for (std::size_t size : {std::size_t(64) << 10, std::size_t(3) << 20}) {
    kiln::rt::AlignedBuffer buffer;
    ASSERT_TRUE(buffer.allocate(size));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % 4096, 0u)
        << size;
  }
  kiln::rt::AlignedBuffer small;
  ASSERT_TRUE(small.allocate(100));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data()) % 64, 0u);
}

} // namespace
