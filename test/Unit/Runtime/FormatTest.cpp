//===- FormatTest.cpp - The file header and XXH64 -------------------------===//

#include "artifact/format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using namespace kiln::artifact;

/// The bytes the reference values below were computed over:
/// byte i = (i * 7 + 3) mod 256.
std::vector<unsigned char> patternBytes(std::size_t size) {
  std::vector<unsigned char> bytes(size);
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<unsigned char>(i * 7 + 3);
  return bytes;
}

// Full 64-bit values published with the reference implementation (and
// used by the python-xxhash documentation).
TEST(ArtifactFormat, Xxh64KnownValues) {
  EXPECT_EQ(xxh64("", 0), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(xxh64("a", 1), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(xxh64("abc", 3), 0x44BC2CF5AD770999ULL);
  const char *sentence = "Nobody inspects the spammish repetition";
  EXPECT_EQ(xxh64(sentence, std::strlen(sentence)), 0xFBCEA83C8A378BF1ULL);
}

// The low 32 bits against an independent implementation: a zstd frame's
// content checksum is the low 32 bits of XXH64 (seed 0) of the content.
// Values from `zstd --check` 1.5 over patternBytes(size), one per length
// that takes a different path (tail of 1, 4, 8 bytes; one or more stripes).
TEST(ArtifactFormat, Xxh64MatchesZstdChecksums) {
  const struct {
    std::size_t size;
    std::uint32_t low32;
  } cases[] = {{0, 0x51d8e999},   {1, 0xbc1f4bb6},  {3, 0x52e564c9},
               {4, 0x66ee9fda},   {8, 0xc6f90092},  {31, 0xcc4a6119},
               {32, 0xf790fd97},  {33, 0xba588784}, {100, 0x170fe531},
               {1000, 0x33f1a3fb}};
  for (const auto &c : cases) {
    std::vector<unsigned char> bytes = patternBytes(c.size);
    EXPECT_EQ(std::uint32_t(xxh64(bytes.data(), bytes.size())), c.low32)
        << "size " << c.size;
  }
}

TEST(ArtifactFormat, Xxh64SeedChangesTheHash) {
  std::vector<unsigned char> bytes = patternBytes(64);
  EXPECT_NE(xxh64(bytes.data(), bytes.size(), 0),
            xxh64(bytes.data(), bytes.size(), 1));
}

TEST(ArtifactFormat, HeaderRoundTrip) {
  std::vector<unsigned char> payload = patternBytes(200);
  unsigned char header[kFileHeaderSize];
  encodeFileHeader(payload.data(), payload.size(), header);
  EXPECT_EQ(std::memcmp(header, "KILNART\0", 8), 0);
  FileHeader decoded = decodeFileHeader(header);
  EXPECT_EQ(decoded.formatVersion, kFormatVersion);
  EXPECT_EQ(decoded.flags, 0u);
  EXPECT_EQ(decoded.payloadSize, payload.size());
  EXPECT_EQ(decoded.checksum, xxh64(payload.data(), payload.size()));
  EXPECT_TRUE(decoded.reservedIsZero);
  // Little-endian on every host.
  EXPECT_EQ(header[kPayloadSizeOffset], 200);
  EXPECT_EQ(header[kPayloadSizeOffset + 1], 0);
  header[kReservedOffset + 5] = 1;
  EXPECT_FALSE(decodeFileHeader(header).reservedIsZero);
}

} // namespace
