//===- TensorFiles.cpp - .npy and TensorProto files for kiln-run ----------===//

#include "TensorFiles.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln::run {

//===----------------------------------------------------------------------===//
// Buffers and files
//===----------------------------------------------------------------------===//

bool ByteBuffer::allocate(std::size_t size) {
  std::free(data_);
  data_ = static_cast<std::uint8_t *>(std::calloc(size ? size : 1, 1));
  size_ = data_ ? size : 0;
  return data_ != nullptr;
}

void ByteBuffer::swap(ByteBuffer &other) noexcept {
  std::uint8_t *data = data_;
  data_ = other.data_;
  other.data_ = data;
  std::size_t size = size_;
  size_ = other.size_;
  other.size_ = size;
}

bool readFile(const std::string &path, ByteBuffer &out, std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    error = "'" + path + "' is not a regular file";
    return false;
  }
  std::size_t size = static_cast<std::size_t>(info.st_size);
  if (!out.allocate(size)) {
    ::close(fd);
    error = "out of memory reading '" + path + "'";
    return false;
  }
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::read(fd, out.data() + done, size - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      ::close(fd);
      error = "cannot read '" + path + "'";
      return false;
    }
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return true;
}

namespace {

/// Bytes of a dense tensor; false on a negative dimension or overflow.
bool byteSize(kiln_element_type_t type, const std::vector<std::int64_t> &shape,
              std::size_t *out) {
  std::size_t bytes = kiln_element_size(type);
  for (std::int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(bytes, std::size_t(dim), &bytes))
      return false;
  *out = bytes;
  return true;
}

/// Element count of a shape, known not to overflow (checked by byteSize).
std::size_t elementCount(const std::vector<std::int64_t> &shape) {
  std::size_t count = 1;
  for (std::int64_t dim : shape)
    count *= std::size_t(dim);
  return count;
}

//===----------------------------------------------------------------------===//
// .npy headers
//===----------------------------------------------------------------------===//

/// A reader of the Python dict literal in a .npy header, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class NpyHeaderParser {
public:
  NpyHeaderParser(const char *begin, const char *end) : at_(begin), end_(end) {}

  bool parse(std::string &descriptor, bool &fortranOrder,
             std::vector<std::int64_t> &shape, std::string &error) {
    bool sawDescriptor = false, sawOrder = false, sawShape = false;
    if (!consume('{'))
      return fail("it is not a dict", error);
    while (!consume('}')) {
      std::string key;
      if (!parseString(key) || !consume(':'))
        return fail("expected a quoted key and ':'", error);
      if (key == "descr") {
        if (peek() == '[')
          return fail("structured dtypes are not supported", error);
        if (!parseString(descriptor))
          return fail("'descr' is not a string", error);
        sawDescriptor = true;
      } else if (key == "fortran_order") {
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return fail("'fortran_order' is not True or False", error);
        sawOrder = true;
      } else if (key == "shape") {
        if (!parseShape(shape))
          return fail("'shape' is not a tuple of integers", error);
        sawShape = true;
      } else {
        return fail("unexpected key '" + key + "'", error);
      }
      if (!consume(',')) {
        if (!consume('}'))
          return fail("expected ',' or '}'", error);
        break;
      }
    }
    if (!sawDescriptor || !sawOrder || !sawShape)
      return fail("'descr', 'fortran_order' or 'shape' is missing", error);
    return true;
  }

private:
  static bool fail(const std::string &why, std::string &error) {
    error = "malformed .npy header: " + why;
    return false;
  }

  void skipSpace() {
    while (at_ < end_ &&
           (*at_ == ' ' || *at_ == '\t' || *at_ == '\n' || *at_ == '\r'))
      ++at_;
  }
  char peek() {
    skipSpace();
    return at_ < end_ ? *at_ : '\0';
  }
  bool consume(char c) {
    if (peek() != c)
      return false;
    ++at_;
    return true;
  }
  bool consumeWord(const char *word) {
    skipSpace();
    std::size_t length = std::strlen(word);
    if (std::size_t(end_ - at_) < length || std::memcmp(at_, word, length) != 0)
      return false;
    at_ += length;
    return true;
  }
  bool parseString(std::string &out) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return false;
    const char *start = ++at_;
    while (at_ < end_ && *at_ != quote)
      ++at_;
    if (at_ == end_)
      return false;
    out.assign(start, at_);
    ++at_;
    return true;
  }
  bool parseShape(std::vector<std::int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpace();
      std::int64_t value = 0;
      const char *digits = at_;
      while (at_ < end_ && *at_ >= '0' && *at_ <= '9') {
        if (__builtin_mul_overflow(value, 10, &value) ||
            __builtin_add_overflow(value, *at_ - '0', &value))
          return false;
        ++at_;
      }
      if (at_ == digits)
        return false;
      if (at_ < end_ && *at_ == 'L') // Python 2 longs.
        ++at_;
      shape.push_back(value);
      if (!consume(',')) {
        if (!consume(')'))
          return false;
        break;
      }
    }
    return true;
  }

  const char *at_;
  const char *end_;
};

/// The element type of a numpy descriptor such as "<f4"; false, with a
/// message, for what kiln-run does not read.
bool typeOfDescriptor(const std::string &descriptor, kiln_element_type_t *out,
                      std::string &error) {
  if (descriptor.size() < 2) {
    error = "unsupported .npy dtype '" + descriptor + "'";
    return false;
  }
  char order = descriptor[0];
  std::string code = descriptor.substr(1);
  if (order == '>' && code != "b1" && code != "i1" && code != "u1") {
    error = "big-endian .npy data ('" + descriptor + "') is not supported";
    return false;
  }
  if (order != '<' && order != '|' && order != '=' && order != '>') {
    error = "unsupported .npy dtype '" + descriptor + "'";
    return false;
  }
  static const struct {
    const char *code;
    kiln_element_type_t type;
  } kCodes[] = {{"f2", KILN_F16},  {"f4", KILN_F32}, {"f8", KILN_F64},
                {"b1", KILN_BOOL}, {"?", KILN_BOOL}, {"i1", KILN_I8},
                {"i2", KILN_I16},  {"i4", KILN_I32}, {"i8", KILN_I64},
                {"u1", KILN_U8},   {"u2", KILN_U16}, {"u4", KILN_U32},
                {"u8", KILN_U64},  {"V2", KILN_BF16}};
  for (const auto &entry : kCodes)
    if (code == entry.code) {
      *out = entry.type;
      return true;
    }
  error = "unsupported .npy dtype '" + descriptor + "'";
  return false;
}

//===----------------------------------------------------------------------===//
// Protobuf wire format
//===----------------------------------------------------------------------===//

/// A cursor over protobuf wire-format bytes.
class WireReader {
public:
  WireReader(const std::uint8_t *begin, const std::uint8_t *end)
      : at_(begin), end_(end) {}

  bool done() const { return at_ == end_; }

  bool readVarint(std::uint64_t &value) {
    value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ == end_)
        return false;
      std::uint8_t byte = *at_++;
      value |= std::uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return true;
    }
    return false;
  }
  bool readFixed(unsigned width, std::uint64_t &value) {
    if (std::size_t(end_ - at_) < width)
      return false;
    value = 0;
    for (unsigned i = 0; i < width; ++i)
      value |= std::uint64_t(at_[i]) << (8 * i);
    at_ += width;
    return true;
  }
  /// A length-delimited field's bytes.
  bool readBytes(const std::uint8_t *&begin, const std::uint8_t *&end) {
    std::uint64_t length;
    if (!readVarint(length) || length > std::uint64_t(end_ - at_))
      return false;
    begin = at_;
    end = at_ + length;
    at_ = end;
    return true;
  }
  /// Skips a field of `wireType` (groups, long deprecated, are refused).
  bool skip(unsigned wireType) {
    std::uint64_t ignored;
    const std::uint8_t *begin, *end;
    switch (wireType) {
    case 0:
      return readVarint(ignored);
    case 1:
      return readFixed(8, ignored);
    case 2:
      return readBytes(begin, end);
    case 5:
      return readFixed(4, ignored);
    default:
      return false;
    }
  }

private:
  const std::uint8_t *at_;
  const std::uint8_t *end_;
};

/// Appends the values of a repeated scalar field, packed (wire type 2) or
/// not: varints (`fixedWidth` 0) or fixed 4- or 8-byte values.
bool readRepeated(WireReader &reader, unsigned wireType, unsigned fixedWidth,
                  std::vector<std::uint64_t> &values) {
  unsigned scalarWireType = fixedWidth == 0 ? 0 : fixedWidth == 4 ? 5 : 1;
  std::uint64_t value;
  if (wireType == scalarWireType) {
    if (!(fixedWidth ? reader.readFixed(fixedWidth, value)
                     : reader.readVarint(value)))
      return false;
    values.push_back(value);
    return true;
  }
  if (wireType != 2)
    return false;
  const std::uint8_t *begin, *end;
  if (!reader.readBytes(begin, end))
    return false;
  WireReader packed(begin, end);
  while (!packed.done()) {
    if (!(fixedWidth ? packed.readFixed(fixedWidth, value)
                     : packed.readVarint(value)))
      return false;
    values.push_back(value);
  }
  return true;
}

/// ONNX TensorProto.DataType to kiln; false for types kiln lacks.
bool typeOfOnnx(std::uint64_t dataType, kiln_element_type_t *out) {
  switch (dataType) {
  case 1:
    *out = KILN_F32;
    return true;
  case 2:
    *out = KILN_U8;
    return true;
  case 3:
    *out = KILN_I8;
    return true;
  case 4:
    *out = KILN_U16;
    return true;
  case 5:
    *out = KILN_I16;
    return true;
  case 6:
    *out = KILN_I32;
    return true;
  case 7:
    *out = KILN_I64;
    return true;
  case 9:
    *out = KILN_BOOL;
    return true;
  case 10:
    *out = KILN_F16;
    return true;
  case 11:
    *out = KILN_F64;
    return true;
  case 12:
    *out = KILN_U32;
    return true;
  case 13:
    *out = KILN_U64;
    return true;
  case 16:
    *out = KILN_BF16;
    return true;
  default:
    return false;
  }
}

const char *onnxTypeName(std::uint64_t dataType) {
  switch (dataType) {
  case 0:
    return "undefined";
  case 8:
    return "string";
  case 14:
    return "complex64";
  case 15:
    return "complex128";
  default:
    return dataType >= 17 && dataType <= 23 ? "8-bit or 4-bit float/int"
                                            : "unknown";
  }
}

/// Writes `count` values, each the low bytes of a 64-bit integer, as
/// elements of `width` bytes.
void storeIntegers(const std::vector<std::uint64_t> &values, unsigned width,
                   std::uint8_t *out) {
  for (std::size_t i = 0; i < values.size(); ++i)
    for (unsigned b = 0; b < width; ++b)
      out[i * width + b] = std::uint8_t(values[i] >> (8 * b));
}

} // namespace

//===----------------------------------------------------------------------===//
// Readers
//===----------------------------------------------------------------------===//

bool parseNpy(const std::uint8_t *bytes, std::size_t size, HostTensor &out,
              std::string &error) {
  static const std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, kMagic, sizeof(kMagic)) != 0) {
    error = "not a .npy file (bad magic)";
    return false;
  }
  unsigned major = bytes[6];
  std::size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = bytes[8] | (std::size_t(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) {
      error = "truncated .npy header";
      return false;
    }
    headerLength = bytes[8] | (std::size_t(bytes[9]) << 8) |
                   (std::size_t(bytes[10]) << 16) |
                   (std::size_t(bytes[11]) << 24);
    headerStart = 12;
  } else {
    error = "unsupported .npy format version " + std::to_string(major);
    return false;
  }
  if (headerLength > size - headerStart) {
    error = "truncated .npy header";
    return false;
  }
  const char *header = reinterpret_cast<const char *>(bytes + headerStart);
  std::string descriptor;
  bool fortranOrder = false;
  std::vector<std::int64_t> shape;
  if (!NpyHeaderParser(header, header + headerLength)
           .parse(descriptor, fortranOrder, shape, error))
    return false;
  kiln_element_type_t type;
  if (!typeOfDescriptor(descriptor, &type, error))
    return false;
  // Fortran order differs from C order only with two dimensions above 1.
  std::size_t nontrivialDims = 0;
  for (std::int64_t dim : shape)
    nontrivialDims += dim > 1;
  if (fortranOrder && nontrivialDims > 1) {
    error = "Fortran-order .npy arrays are not supported (save "
            "np.ascontiguousarray(a))";
    return false;
  }
  std::size_t dataBytes;
  if (!byteSize(type, shape, &dataBytes)) {
    error = ".npy shape is too large";
    return false;
  }
  std::size_t available = size - headerStart - headerLength;
  if (available != dataBytes) {
    error = ".npy data is " + std::to_string(available) + " bytes, its " +
            descriptor + " shape " + formatShape(shape.data(), shape.size()) +
            " needs " + std::to_string(dataBytes);
    return false;
  }
  if (!out.data.allocate(dataBytes)) {
    error = "out of memory reading a .npy file";
    return false;
  }
  if (dataBytes)
    std::memcpy(out.data.data(), bytes + headerStart + headerLength, dataBytes);
  out.type = type;
  out.shape = std::move(shape);
  out.name.clear();
  return true;
}

bool parseTensorProto(const std::uint8_t *bytes, std::size_t size,
                      HostTensor &out, std::string &error) {
  WireReader reader(bytes, bytes + size);
  std::vector<std::uint64_t> dims, floats, int32s, int64s, doubles, uint64s;
  std::uint64_t dataType = 0;
  const std::uint8_t *raw = nullptr, *rawEnd = nullptr;
  std::string name;
  bool external = false, segmented = false, strings = false;
  while (!reader.done()) {
    std::uint64_t key;
    if (!reader.readVarint(key)) {
      error = "malformed TensorProto: truncated field key";
      return false;
    }
    unsigned field = unsigned(key >> 3), wireType = unsigned(key & 7);
    bool ok = true;
    const std::uint8_t *begin, *end;
    switch (field) {
    case 1:
      ok = readRepeated(reader, wireType, 0, dims);
      break;
    case 2:
      ok = wireType == 0 && reader.readVarint(dataType);
      break;
    case 3:
      segmented = true;
      ok = reader.skip(wireType);
      break;
    case 4:
      ok = readRepeated(reader, wireType, 4, floats);
      break;
    case 5:
      ok = readRepeated(reader, wireType, 0, int32s);
      break;
    case 6:
      strings = true;
      ok = reader.skip(wireType);
      break;
    case 7:
      ok = readRepeated(reader, wireType, 0, int64s);
      break;
    case 8:
      ok = wireType == 2 && reader.readBytes(begin, end);
      if (ok)
        name.assign(reinterpret_cast<const char *>(begin), end - begin);
      break;
    case 9:
      ok = wireType == 2 && reader.readBytes(raw, rawEnd);
      break;
    case 10:
      ok = readRepeated(reader, wireType, 8, doubles);
      break;
    case 11:
      ok = readRepeated(reader, wireType, 0, uint64s);
      break;
    case 13:
      external = true;
      ok = reader.skip(wireType);
      break;
    case 14: {
      std::uint64_t location = 0;
      ok = wireType == 0 && reader.readVarint(location);
      external |= location == 1;
      break;
    }
    default:
      ok = reader.skip(wireType);
      break;
    }
    if (!ok) {
      error = "malformed TensorProto: bad field " + std::to_string(field) +
              " (wire type " + std::to_string(wireType) + ")";
      return false;
    }
  }
  std::string what =
      name.empty() ? "TensorProto" : "TensorProto '" + name + "'";
  if (external) {
    error =
        what + " keeps its data in an external file, which is not supported";
    return false;
  }
  if (segmented) {
    error = what + " is segmented, which is not supported";
    return false;
  }
  kiln_element_type_t type;
  if (strings || !typeOfOnnx(dataType, &type)) {
    error = what + " has ONNX data type " + std::to_string(dataType) + " (" +
            (strings ? "string" : onnxTypeName(dataType)) +
            "), which kiln-run does not read";
    return false;
  }
  std::vector<std::int64_t> shape;
  for (std::uint64_t dim : dims)
    shape.push_back(std::int64_t(dim));
  std::size_t dataBytes;
  if (!byteSize(type, shape, &dataBytes)) {
    error = what + " has an invalid shape " +
            formatShape(shape.data(), shape.size());
    return false;
  }
  std::size_t count = elementCount(shape);
  unsigned width = unsigned(kiln_element_size(type));

  // Exactly one representation holds the values: raw_data, or the typed
  // field the ONNX rules assign to the type.
  const std::vector<std::uint64_t> *typed = nullptr;
  const char *typedName = "";
  switch (type) {
  case KILN_F32:
    typed = &floats;
    typedName = "float_data";
    break;
  case KILN_F64:
    typed = &doubles;
    typedName = "double_data";
    break;
  case KILN_I64:
    typed = &int64s;
    typedName = "int64_data";
    break;
  case KILN_U32:
  case KILN_U64:
    typed = &uint64s;
    typedName = "uint64_data";
    break;
  default:
    typed = &int32s;
    typedName = "int32_data";
    break;
  }
  for (const std::vector<std::uint64_t> *field :
       {&floats, &doubles, &int64s, &uint64s, &int32s})
    if (field != typed && !field->empty()) {
      error = what +
              " holds its values in a field that does not match its "
              "data type " +
              kiln_element_type_name(type);
      return false;
    }
  if (!out.data.allocate(dataBytes)) {
    error = "out of memory reading " + what;
    return false;
  }
  if (raw) {
    if (std::size_t(rawEnd - raw) != dataBytes) {
      error = what + " has " + std::to_string(rawEnd - raw) +
              " bytes of raw_data, its shape " +
              formatShape(shape.data(), shape.size()) + " needs " +
              std::to_string(dataBytes);
      return false;
    }
    if (dataBytes)
      std::memcpy(out.data.data(), raw, dataBytes);
  } else {
    if (typed->size() != count) {
      error = what + " has " + std::to_string(typed->size()) + " values in " +
              typedName + ", its shape " +
              formatShape(shape.data(), shape.size()) + " needs " +
              std::to_string(count);
      return false;
    }
    if (type == KILN_BOOL) {
      for (std::size_t i = 0; i < count; ++i)
        out.data.data()[i] = (*typed)[i] != 0;
    } else {
      // Varints and fixed-width values alike: the element's low bytes (a
      // float's fixed32 bits, an int8's sign-extended varint, a float16's
      // bits in int32_data).
      storeIntegers(*typed, width, out.data.data());
    }
  }
  out.type = type;
  out.shape = std::move(shape);
  out.name = std::move(name);
  return true;
}

bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string &error) {
  ByteBuffer bytes;
  if (!readFile(path, bytes, error))
    return false;
  bool isNpy =
      bytes.size() >= 6 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0;
  bool ok = isNpy ? parseNpy(bytes.data(), bytes.size(), out, error)
                  : parseTensorProto(bytes.data(), bytes.size(), out, error);
  if (!ok)
    error = path + ": " + error;
  return ok;
}

//===----------------------------------------------------------------------===//
// Writers and formatting
//===----------------------------------------------------------------------===//

const char *npyDescriptor(kiln_element_type_t type) {
  switch (type) {
  case KILN_F16:
    return "<f2";
  case KILN_BF16:
    return "<u2";
  case KILN_F32:
    return "<f4";
  case KILN_F64:
    return "<f8";
  case KILN_BOOL:
    return "|b1";
  case KILN_I8:
    return "|i1";
  case KILN_I16:
    return "<i2";
  case KILN_I32:
    return "<i4";
  case KILN_I64:
    return "<i8";
  case KILN_U8:
    return "|u1";
  case KILN_U16:
    return "<u2";
  case KILN_U32:
    return "<u4";
  case KILN_U64:
    return "<u8";
  }
  return "|V1";
}

bool encodeNpy(kiln_element_type_t type, const std::int64_t *shape,
               std::size_t rank, const void *data, std::size_t size,
               std::vector<std::uint8_t> &out, std::string &error) {
  std::string header = std::string("{'descr': '") + npyDescriptor(type) +
                       "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < rank; ++i)
    header += std::to_string(shape[i]) +
              (rank == 1 || i + 1 < rank ? "," : "") +
              (i + 1 < rank ? " " : "");
  header += "), }";
  // numpy pads with spaces so that the data starts 64-byte aligned, and
  // ends the header with a newline.
  std::size_t prefix = header.size() + 1 + 10 > 65535 ? 12 : 10;
  std::size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::uint8_t version = prefix == 10 ? 1 : 2;
  std::size_t length = header.size();
  out.clear();
  if (size > out.max_size() - prefix - length) {
    error = "tensor too large for a .npy file";
    return false;
  }
  out.reserve(prefix + length + size);
  const std::uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y', version, 0};
  out.insert(out.end(), magic, magic + sizeof(magic));
  for (std::size_t b = 0; b < prefix - 8; ++b)
    out.push_back(std::uint8_t(length >> (8 * b)));
  out.insert(out.end(), header.begin(), header.end());
  const auto *bytes = static_cast<const std::uint8_t *>(data);
  out.insert(out.end(), bytes, bytes + size);
  return true;
}

std::string formatShape(const std::int64_t *shape, std::size_t rank) {
  std::string text = "[";
  for (std::size_t i = 0; i < rank; ++i)
    text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

float halfToFloat(std::uint16_t bits) {
  std::uint32_t sign = std::uint32_t(bits & 0x8000) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1f;
  std::uint32_t mantissa = bits & 0x3ff;
  std::uint32_t result;
  if (exponent == 0x1f) { // Inf or NaN.
    result = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent != 0) {
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    result = sign;
  } else { // Subnormal: normalize.
    exponent = 113;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      --exponent;
    }
    result = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

float bfloat16ToFloat(std::uint16_t bits) {
  std::uint32_t widened = std::uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &widened, sizeof(value));
  return value;
}

} // namespace kiln::run
