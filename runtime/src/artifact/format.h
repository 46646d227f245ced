//===- format.h - The .kiln file header and its checksum --------*- C++ -*-===//
//
// The fixed 64-byte header in front of every `.kiln` flatbuffer, and XXH64,
// the checksum it carries. The runtime reads artifacts with this file and
// the compiler writes them with it, so it depends on nothing but the C++
// standard library and is header-only.
//
//   offset  size  field
//   0       8     magic "KILNART\0"
//   8       4     format_version (little-endian)
//   12      4     flags (none defined: 0)
//   16      8     payload_size: bytes of flatbuffer after the header
//   24      8     checksum: XXH64, seed 0, over the payload
//   32      32    reserved, zero
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_SRC_ARTIFACT_FORMAT_H
#define KILN_RUNTIME_SRC_ARTIFACT_FORMAT_H

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kiln::artifact {

inline constexpr std::size_t kFileHeaderSize = 64;
inline constexpr char kFileMagic[8] = {'K', 'I', 'L', 'N', 'A', 'R', 'T', '\0'};
inline constexpr std::uint32_t kFormatVersion = 1;
/// No header flag is defined yet; a reader refuses any bit it does not know.
inline constexpr std::uint32_t kKnownFileFlags = 0;

inline constexpr std::size_t kMagicOffset = 0;
inline constexpr std::size_t kVersionOffset = 8;
inline constexpr std::size_t kFlagsOffset = 12;
inline constexpr std::size_t kPayloadSizeOffset = 16;
inline constexpr std::size_t kChecksumOffset = 24;
inline constexpr std::size_t kReservedOffset = 32;
inline constexpr std::size_t kReservedSize = kFileHeaderSize - kReservedOffset;

/// Where the flatbuffer starts. It is 64-byte aligned in the file, so a
/// reader that keeps the file 64-byte aligned in memory keeps every
/// `force_align: 64` vector aligned too.
inline constexpr std::size_t kPayloadOffset = kFileHeaderSize;

//===----------------------------------------------------------------------===//
// Little-endian fields
//===----------------------------------------------------------------------===//

/// Byte-by-byte loads and stores, so that the header reads the same on any
/// host and from any alignment.
inline std::uint64_t loadLittleEndian(const unsigned char *bytes,
                                      std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i)
    value |= std::uint64_t(bytes[i]) << (8 * i);
  return value;
}

inline void storeLittleEndian(unsigned char *bytes, std::uint64_t value,
                              std::size_t width) {
  for (std::size_t i = 0; i < width; ++i)
    bytes[i] = static_cast<unsigned char>(value >> (8 * i));
}

//===----------------------------------------------------------------------===//
// XXH64
//===----------------------------------------------------------------------===//

namespace detail {

inline constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
inline constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
inline constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
inline constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
inline constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

inline std::uint64_t rotateLeft(std::uint64_t value, unsigned bits) {
  return (value << bits) | (value >> (64 - bits));
}

/// Folds one 8-byte lane into an accumulator.
inline std::uint64_t accumulateLane(std::uint64_t accumulator,
                                    std::uint64_t lane) {
  accumulator += lane * kPrime2;
  return rotateLeft(accumulator, 31) * kPrime1;
}

/// Folds one of the four stripe accumulators into the final hash.
inline std::uint64_t mergeAccumulator(std::uint64_t hash,
                                      std::uint64_t accumulator) {
  hash ^= accumulateLane(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

} // namespace detail

/// XXH64 of `size` bytes at `data` (the published algorithm by Yann
/// Collet). Chosen for the file checksum because it runs at memory speed,
/// so checking a large artifact costs little next to reading it.
inline std::uint64_t xxh64(const void *data, std::size_t size,
                           std::uint64_t seed = 0) {
  using namespace detail;
  const auto *bytes = static_cast<const unsigned char *>(data);
  const unsigned char *end = bytes + size;
  std::uint64_t hash;
  if (size >= 32) {
    std::uint64_t acc1 = seed + kPrime1 + kPrime2;
    std::uint64_t acc2 = seed + kPrime2;
    std::uint64_t acc3 = seed;
    std::uint64_t acc4 = seed - kPrime1;
    const unsigned char *lastStripe = end - 32;
    do {
      acc1 = accumulateLane(acc1, loadLittleEndian(bytes, 8));
      acc2 = accumulateLane(acc2, loadLittleEndian(bytes + 8, 8));
      acc3 = accumulateLane(acc3, loadLittleEndian(bytes + 16, 8));
      acc4 = accumulateLane(acc4, loadLittleEndian(bytes + 24, 8));
      bytes += 32;
    } while (bytes <= lastStripe);
    hash = rotateLeft(acc1, 1) + rotateLeft(acc2, 7) + rotateLeft(acc3, 12) +
           rotateLeft(acc4, 18);
    hash = mergeAccumulator(hash, acc1);
    hash = mergeAccumulator(hash, acc2);
    hash = mergeAccumulator(hash, acc3);
    hash = mergeAccumulator(hash, acc4);
  } else {
    hash = seed + kPrime5;
  }
  hash += static_cast<std::uint64_t>(size);

  while (end - bytes >= 8) {
    hash ^= accumulateLane(0, loadLittleEndian(bytes, 8));
    hash = rotateLeft(hash, 27) * kPrime1 + kPrime4;
    bytes += 8;
  }
  if (end - bytes >= 4) {
    hash ^= loadLittleEndian(bytes, 4) * kPrime1;
    hash = rotateLeft(hash, 23) * kPrime2 + kPrime3;
    bytes += 4;
  }
  while (bytes < end) {
    hash ^= std::uint64_t(*bytes) * kPrime5;
    hash = rotateLeft(hash, 11) * kPrime1;
    ++bytes;
  }

  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

//===----------------------------------------------------------------------===//
// The header
//===----------------------------------------------------------------------===//

/// The header's fields, decoded. Decoding checks nothing: the reader's
/// checks live in the runtime so that each failure gets its own message.
struct FileHeader {
  char magic[8];
  std::uint32_t formatVersion;
  std::uint32_t flags;
  std::uint64_t payloadSize;
  std::uint64_t checksum;
  /// Whether the 32 reserved bytes are all zero.
  bool reservedIsZero;
};

/// Decodes the first kFileHeaderSize bytes of `bytes`.
inline FileHeader decodeFileHeader(const unsigned char *bytes) {
  FileHeader header;
  std::memcpy(header.magic, bytes + kMagicOffset, sizeof(header.magic));
  header.formatVersion =
      static_cast<std::uint32_t>(loadLittleEndian(bytes + kVersionOffset, 4));
  header.flags =
      static_cast<std::uint32_t>(loadLittleEndian(bytes + kFlagsOffset, 4));
  header.payloadSize = loadLittleEndian(bytes + kPayloadSizeOffset, 8);
  header.checksum = loadLittleEndian(bytes + kChecksumOffset, 8);
  header.reservedIsZero = true;
  for (std::size_t i = 0; i < kReservedSize; ++i)
    header.reservedIsZero &= bytes[kReservedOffset + i] == 0;
  return header;
}

/// Writes the header of a file whose flatbuffer is `payloadSize` bytes at
/// `payload` into `out[0..kFileHeaderSize)`: what a writer puts in front of
/// `FlatBufferBuilder::GetBufferPointer()` after `FinishArtifactBuffer`.
inline void encodeFileHeader(const void *payload, std::uint64_t payloadSize,
                             unsigned char *out) {
  std::memset(out, 0, kFileHeaderSize);
  std::memcpy(out + kMagicOffset, kFileMagic, sizeof(kFileMagic));
  storeLittleEndian(out + kVersionOffset, kFormatVersion, 4);
  storeLittleEndian(out + kFlagsOffset, 0, 4);
  storeLittleEndian(out + kPayloadSizeOffset, payloadSize, 8);
  storeLittleEndian(out + kChecksumOffset,
                    xxh64(payload, static_cast<std::size_t>(payloadSize)), 8);
}

} // namespace kiln::artifact

#endif // KILN_RUNTIME_SRC_ARTIFACT_FORMAT_H
