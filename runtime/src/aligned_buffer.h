//===- aligned_buffer.h - An owned, 64-byte aligned byte buffer -*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_ALIGNED_BUFFER_H
#define KILN_RUNTIME_SRC_ALIGNED_BUFFER_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace kiln::rt {

/// Host memory aligned to 64 bytes: a cache line, and the alignment the
/// artifact format promises for the constants pool and the arena. Unlike
/// std::vector it reports an allocation failure instead of aborting, which
/// matters because sizes come from untrusted artifacts.
class AlignedBuffer {
public:
  static constexpr std::size_t kAlignment = 64;
  /// Buffers of at least kPageAlignedBytes start on a page (an artifact's
  /// file): where they start within a page then no longer changes from one
  /// process to the next, and neither do the kernels' times that depend on
  /// it (aliasing between the constants and the arena).
  static constexpr std::size_t kPageAlignment = 4096;
  static constexpr std::size_t kPageAlignedBytes = 64 * 1024;

  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
  AlignedBuffer(AlignedBuffer &&other) noexcept { swap(other); }
  AlignedBuffer &operator=(AlignedBuffer &&other) noexcept {
    AlignedBuffer(std::move(other)).swap(*this);
    return *this;
  }
  ~AlignedBuffer() { std::free(data_); }

  /// Replaces the contents with `size` uninitialized bytes (at least one
  /// byte is allocated, so data() is never null after success). Returns
  /// false when memory is exhausted, leaving the buffer empty.
  bool allocate(std::size_t size) {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
    void *memory = nullptr;
    std::size_t rounded = size < kAlignment ? kAlignment : size;
    if (rounded > SIZE_MAX - kAlignment)
      return false;
    rounded = (rounded + kAlignment - 1) & ~(kAlignment - 1);
    std::size_t alignment =
        rounded >= kPageAlignedBytes ? kPageAlignment : kAlignment;
    if (posix_memalign(&memory, alignment, rounded) != 0)
      return false;
    data_ = static_cast<std::uint8_t *>(memory);
    size_ = size;
    return true;
  }

  std::uint8_t *data() { return data_; }
  const std::uint8_t *data() const { return data_; }
  std::size_t size() const { return size_; }

  void swap(AlignedBuffer &other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }

private:
  std::uint8_t *data_ = nullptr;
  std::size_t size_ = 0;
};

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_ALIGNED_BUFFER_H
