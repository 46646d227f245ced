//===- TensorFiles.h - .npy and TensorProto files for kiln-run --*- C++ -*-===//
//
// Reading inputs and writing outputs of kiln-run: numpy's `.npy` format
// (versions 1 to 3) and ONNX TensorProto messages (`.pb`, as in the ONNX
// backend test data), read with a small protobuf wire-format parser so
// that kiln-run needs no protobuf library. Every failure is a message,
// never an abort: sizes come from untrusted files.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_RUN_TENSORFILES_H
#define KILN_TOOLS_KILN_RUN_TENSORFILES_H

#include "kiln/runtime.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace kiln::run {

/// Heap bytes whose allocation failure is reported, not fatal.
class ByteBuffer {
public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer &) = delete;
  ByteBuffer &operator=(const ByteBuffer &) = delete;
  ByteBuffer(ByteBuffer &&other) noexcept { swap(other); }
  ByteBuffer &operator=(ByteBuffer &&other) noexcept {
    ByteBuffer(static_cast<ByteBuffer &&>(other)).swap(*this);
    return *this;
  }
  ~ByteBuffer() { std::free(data_); }

  /// Replaces the contents with `size` zero bytes; false when out of
  /// memory.
  bool allocate(std::size_t size);
  std::uint8_t *data() { return data_; }
  const std::uint8_t *data() const { return data_; }
  std::size_t size() const { return size_; }
  void swap(ByteBuffer &other) noexcept;

private:
  std::uint8_t *data_ = nullptr;
  std::size_t size_ = 0;
};

/// A dense row-major tensor in host memory, little-endian.
struct HostTensor {
  kiln_element_type_t type = KILN_F32;
  std::vector<std::int64_t> shape;
  ByteBuffer data;
  /// The TensorProto's name; empty for .npy files.
  std::string name;
};

/// Reads the whole file at `path`.
bool readFile(const std::string &path, ByteBuffer &out, std::string &error);

/// Parses a .npy file held in `bytes`.
bool parseNpy(const std::uint8_t *bytes, std::size_t size, HostTensor &out,
              std::string &error);

/// Parses a serialized onnx.TensorProto held in `bytes`.
bool parseTensorProto(const std::uint8_t *bytes, std::size_t size,
                      HostTensor &out, std::string &error);

/// Reads a tensor file: `.npy` by its magic, anything else as a
/// TensorProto. Messages name the file.
bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string &error);

/// The numpy dtype descriptor kiln-run writes for `type` ("<f4", "|b1").
/// bfloat16, which numpy lacks, is written as its raw bits, "<u2".
const char *npyDescriptor(kiln_element_type_t type);

/// A version 1.0 .npy file (2.0 when the header needs it) of `size`
/// bytes at `data`.
bool encodeNpy(kiln_element_type_t type, const std::int64_t *shape,
               std::size_t rank, const void *data, std::size_t size,
               std::vector<std::uint8_t> &out, std::string &error);

/// "[2,3]", for messages.
std::string formatShape(const std::int64_t *shape, std::size_t rank);

/// IEEE half and bfloat16 bits as a float, for printing.
float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

} // namespace kiln::run

#endif // KILN_TOOLS_KILN_RUN_TENSORFILES_H
