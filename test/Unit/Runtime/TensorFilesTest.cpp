//===- TensorFilesTest.cpp - kiln-run's .npy and TensorProto files --------===//
//
// The readers against files written by numpy and the onnx package
// (Inputs/make_tensor_files.py), the .npy writer against numpy's own
// bytes, and malformed files of every kind.
//
//===----------------------------------------------------------------------===//

#include "TensorFiles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace {

using namespace kiln::run;

std::string inputPath(const char *name) {
  return std::string(KILN_TENSOR_FILES_DIR) + "/" + name;
}

std::vector<std::uint8_t> fileBytes(const char *name) {
  ByteBuffer buffer;
  std::string error;
  EXPECT_TRUE(readFile(inputPath(name), buffer, error)) << error;
  return std::vector<std::uint8_t>(buffer.data(),
                                   buffer.data() + buffer.size());
}

/// Reads fixture `name`; the error message when it fails.
std::string read(const char *name, HostTensor &tensor) {
  std::string error;
  if (readTensorFile(inputPath(name), tensor, error))
    return "";
  return error;
}

template <typename T> std::vector<T> values(const HostTensor &tensor) {
  std::vector<T> out(tensor.data.size() / sizeof(T));
  if (!out.empty())
    std::memcpy(out.data(), tensor.data.data(), tensor.data.size());
  return out;
}

std::string npyError(std::vector<std::uint8_t> bytes) {
  HostTensor tensor;
  std::string error;
  EXPECT_FALSE(parseNpy(bytes.data(), bytes.size(), tensor, error));
  return error;
}

std::string protoError(std::vector<std::uint8_t> bytes) {
  HostTensor tensor;
  std::string error;
  EXPECT_FALSE(parseTensorProto(bytes.data(), bytes.size(), tensor, error));
  return error;
}

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

TEST(NpyFiles, ReadsEveryHeaderVersion) {
  for (const char *name : {"f32_2x3.npy", "f32_2x3_v2.npy", "f32_2x3_v3.npy"}) {
    HostTensor tensor;
    ASSERT_EQ(read(name, tensor), "") << name;
    EXPECT_EQ(tensor.type, KILN_F32);
    EXPECT_EQ(tensor.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(values<float>(tensor),
              (std::vector<float>{0, 0.5f, 1, 1.5f, 2, 2.5f}));
  }
}

TEST(NpyFiles, ReadsEachDtype) {
  HostTensor tensor;
  ASSERT_EQ(read("i64_scalar.npy", tensor), "");
  EXPECT_EQ(tensor.type, KILN_I64);
  EXPECT_TRUE(tensor.shape.empty());
  EXPECT_EQ(values<std::int64_t>(tensor), (std::vector<std::int64_t>{-7}));

  ASSERT_EQ(read("bool_4.npy", tensor), "");
  EXPECT_EQ(tensor.type, KILN_BOOL);
  EXPECT_EQ(values<std::uint8_t>(tensor),
            (std::vector<std::uint8_t>{1, 0, 1, 1}));

  ASSERT_EQ(read("f16_3.npy", tensor), "");
  EXPECT_EQ(tensor.type, KILN_F16);
  std::vector<std::uint16_t> halves = values<std::uint16_t>(tensor);
  ASSERT_EQ(halves.size(), 3u);
  EXPECT_EQ(halfToFloat(halves[0]), 1.0f);
  EXPECT_EQ(halfToFloat(halves[1]), -2.5f);
  EXPECT_EQ(halfToFloat(halves[2]), 65504.0f);

  ASSERT_EQ(read("u8_0x3.npy", tensor), "");
  EXPECT_EQ(tensor.type, KILN_U8);
  EXPECT_EQ(tensor.shape, (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(tensor.data.size(), 0u);

  ASSERT_EQ(read("i8_5.npy", tensor), "");
  EXPECT_EQ(tensor.type, KILN_I8);
  EXPECT_EQ(values<std::int8_t>(tensor),
            (std::vector<std::int8_t>{-128, -1, 0, 1, 127}));
}

TEST(NpyFiles, RejectsWhatItCannotRead) {
  HostTensor tensor;
  EXPECT_CONTAINS(read("f32_fortran.npy", tensor), "Fortran-order");
  EXPECT_CONTAINS(read("f64_big_endian.npy", tensor), "big-endian");
  EXPECT_CONTAINS(read("structured.npy", tensor), "structured dtypes");
  // Messages name the file.
  EXPECT_CONTAINS(read("structured.npy", tensor), "structured.npy: ");
  EXPECT_CONTAINS(read("missing.npy", tensor), "cannot open");
}

TEST(NpyFiles, RejectsMalformedFiles) {
  const std::vector<std::uint8_t> good = fileBytes("f32_2x3.npy");
  std::vector<std::uint8_t> bytes = good;
  bytes.pop_back();
  EXPECT_CONTAINS(npyError(bytes), ".npy data is 23 bytes, its <f4 shape "
                                   "[2,3] needs 24");
  bytes = good;
  bytes.push_back(0);
  EXPECT_CONTAINS(npyError(bytes), ".npy data is 25 bytes");
  bytes = good;
  bytes[1] = 'X';
  EXPECT_CONTAINS(npyError(bytes), "bad magic");
  bytes = good;
  bytes[6] = 9;
  EXPECT_CONTAINS(npyError(bytes), "unsupported .npy format version 9");
  bytes = good;
  bytes[8] = 0xFF;
  bytes[9] = 0x7F;
  EXPECT_CONTAINS(npyError(bytes), "truncated .npy header");
  EXPECT_CONTAINS(npyError({0x93, 'N', 'U'}), "bad magic");

  // Header texts, each broken one way.
  const char *headers[] = {
      "[]",
      "{'descr': '<f4', 'fortran_order': False}",
      "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': "
      "(99999999999999999999,)}",
      "{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}",
      ("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, "
       "4294967296, 4294967296)}"),
  };
  for (const char *header : headers) {
    std::vector<std::uint8_t> file = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    file.push_back(std::uint8_t(std::strlen(header)));
    file.push_back(0);
    file.insert(file.end(), header, header + std::strlen(header));
    file.resize(file.size() + 8, 0);
    EXPECT_NE(npyError(file), "") << header;
  }
}

// The writer produces numpy's exact bytes.
TEST(NpyFiles, WritesWhatNumpyWrites) {
  for (const char *name : {"f32_2x3.npy", "i64_scalar.npy", "bool_4.npy",
                           "f16_3.npy", "u8_0x3.npy", "i8_5.npy"}) {
    HostTensor tensor;
    ASSERT_EQ(read(name, tensor), "");
    std::vector<std::uint8_t> written;
    std::string error;
    ASSERT_TRUE(encodeNpy(tensor.type, tensor.shape.data(), tensor.shape.size(),
                          tensor.data.data(), tensor.data.size(), written,
                          error))
        << error;
    EXPECT_EQ(written, fileBytes(name)) << name;
  }
}

TEST(NpyFiles, RoundTripsEveryType) {
  const kiln_element_type_t types[] = {
      KILN_F16, KILN_BF16, KILN_F32, KILN_F64, KILN_BOOL, KILN_I8, KILN_I16,
      KILN_I32, KILN_I64,  KILN_U8,  KILN_U16, KILN_U32,  KILN_U64};
  const std::vector<std::int64_t> shapes[] = {{}, {5}, {2, 1, 3}};
  for (kiln_element_type_t type : types) {
    for (const std::vector<std::int64_t> &shape : shapes) {
      std::size_t count = 1;
      for (std::int64_t dim : shape)
        count *= std::size_t(dim);
      std::vector<std::uint8_t> data(count * kiln_element_size(type));
      for (std::size_t i = 0; i < data.size(); ++i)
        data[i] =
            type == KILN_BOOL ? std::uint8_t(i % 2) : std::uint8_t(i * 37);
      std::vector<std::uint8_t> file;
      std::string error;
      ASSERT_TRUE(encodeNpy(type, shape.data(), shape.size(), data.data(),
                            data.size(), file, error));
      HostTensor tensor;
      ASSERT_TRUE(parseNpy(file.data(), file.size(), tensor, error)) << error;
      // bfloat16 is written as its bits, and reads back as uint16.
      EXPECT_EQ(tensor.type, type == KILN_BF16 ? KILN_U16 : type);
      EXPECT_EQ(tensor.shape, shape);
      ASSERT_EQ(tensor.data.size(), data.size());
      EXPECT_EQ(std::memcmp(tensor.data.data(), data.data(), data.size()), 0);
      // The data starts 64-byte aligned, after a newline-terminated header.
      std::size_t headerEnd = file.size() - data.size();
      EXPECT_EQ(headerEnd % 64, 0u);
      EXPECT_EQ(file[headerEnd - 1], '\n');
    }
  }
}

//===----------------------------------------------------------------------===//
// TensorProto
//===----------------------------------------------------------------------===//

TEST(TensorProtoFiles, ReadsRawAndTypedFloats) {
  for (const char *name : {"f32_2x3_raw.pb", "f32_2x3_typed.pb"}) {
    HostTensor tensor;
    ASSERT_EQ(read(name, tensor), "") << name;
    EXPECT_EQ(tensor.name, "x");
    EXPECT_EQ(tensor.type, KILN_F32);
    EXPECT_EQ(tensor.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(values<float>(tensor),
              (std::vector<float>{0, 0.5f, 1, 1.5f, 2, 2.5f}));
  }
}

// int32_data carries the narrow types: sign-extended int8, float16 bits,
// bools; int64_data, double_data and uint64_data their own.
TEST(TensorProtoFiles, ReadsEachTypedField) {
  HostTensor tensor;
  ASSERT_EQ(read("i8_5_typed.pb", tensor), "");
  EXPECT_EQ(tensor.type, KILN_I8);
  EXPECT_EQ(values<std::int8_t>(tensor),
            (std::vector<std::int8_t>{-128, -1, 0, 1, 127}));

  ASSERT_EQ(read("f16_3_typed.pb", tensor), "");
  EXPECT_EQ(tensor.type, KILN_F16);
  std::vector<std::uint16_t> halves = values<std::uint16_t>(tensor);
  ASSERT_EQ(halves.size(), 3u);
  EXPECT_EQ(halfToFloat(halves[1]), -2.5f);
  EXPECT_EQ(halfToFloat(halves[2]), 65504.0f);

  ASSERT_EQ(read("bool_4_typed.pb", tensor), "");
  EXPECT_EQ(tensor.type, KILN_BOOL);
  EXPECT_EQ(values<std::uint8_t>(tensor),
            (std::vector<std::uint8_t>{1, 0, 1, 1}));

  ASSERT_EQ(read("i64_2_typed.pb", tensor), "");
  EXPECT_EQ(values<std::int64_t>(tensor),
            (std::vector<std::int64_t>{-5, std::int64_t(1) << 40}));

  ASSERT_EQ(read("f64_2_typed.pb", tensor), "");
  EXPECT_EQ(values<double>(tensor), (std::vector<double>{0.25, -1e300}));

  ASSERT_EQ(read("u32_2_typed.pb", tensor), "");
  EXPECT_EQ(tensor.type, KILN_U32);
  EXPECT_EQ(values<std::uint32_t>(tensor),
            (std::vector<std::uint32_t>{7, 4000000000u}));
}

TEST(TensorProtoFiles, RejectsWhatItCannotRead) {
  HostTensor tensor;
  EXPECT_CONTAINS(read("string_typed.pb", tensor), "ONNX data type 8 (string)");
  EXPECT_CONTAINS(read("external.pb", tensor), "external file");
}

/// A field key: number and wire type.
std::uint8_t key(unsigned field, unsigned wireType) {
  return std::uint8_t(field << 3 | wireType);
}

// Unpacked repeated fields, as proto2 writers emit them.
TEST(TensorProtoFiles, ReadsUnpackedRepeatedFields) {
  // dims [2], data_type FLOAT, float_data 1.0 and -2.0 as two fixed32s.
  std::vector<std::uint8_t> bytes = {
      key(1, 0), 2,    key(2, 0), 1,    key(4, 5), 0x00, 0x00,
      0x80,      0x3f, key(4, 5), 0x00, 0x00,      0x00, 0xc0};
  HostTensor tensor;
  std::string error;
  ASSERT_TRUE(parseTensorProto(bytes.data(), bytes.size(), tensor, error))
      << error;
  EXPECT_EQ(values<float>(tensor), (std::vector<float>{1.0f, -2.0f}));

  // int64_data -1 as a ten-byte varint, then 3; dims packed.
  bytes = {key(1, 2), 1,    2,    key(2, 0), 7,         key(7, 0),
           0xff,      0xff, 0xff, 0xff,      0xff,      0xff,
           0xff,      0xff, 0xff, 0x01,      key(7, 0), 3};
  ASSERT_TRUE(parseTensorProto(bytes.data(), bytes.size(), tensor, error))
      << error;
  EXPECT_EQ(values<std::int64_t>(tensor), (std::vector<std::int64_t>{-1, 3}));
}

TEST(TensorProtoFiles, RejectsMalformedMessages) {
  // dims [3], FLOAT, two values.
  EXPECT_CONTAINS(protoError({key(1, 0), 3, key(2, 0), 1, key(4, 2), 8, 0, 0, 0,
                              0, 0, 0, 0, 0}),
                  "has 2 values in float_data, its shape [3] needs 3");
  // raw_data of the wrong size.
  EXPECT_CONTAINS(
      protoError({key(1, 0), 2, key(2, 0), 1, key(9, 2), 4, 0, 0, 0, 0}),
      "4 bytes of raw_data, its shape [2] needs 8");
  // INT64 with float_data.
  EXPECT_CONTAINS(
      protoError({key(1, 0), 1, key(2, 0), 7, key(4, 5), 0, 0, 0, 0}),
      "does not match its data type int64");
  // A length running past the end, a truncated varint, a group.
  EXPECT_CONTAINS(protoError({key(8, 2), 9, 'x'}), "malformed TensorProto");
  EXPECT_CONTAINS(protoError({key(2, 0), 0x80}), "malformed TensorProto");
  EXPECT_CONTAINS(protoError({key(15, 3)}), "malformed TensorProto");
  // No data for a non-empty shape.
  EXPECT_CONTAINS(protoError({key(1, 0), 2, key(2, 0), 1}),
                  "has 0 values in float_data");
  // A shape whose byte size overflows.
  EXPECT_CONTAINS(protoError({key(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0x7f, key(1, 0), 4, key(2, 0), 1}),
                  "invalid shape");
  EXPECT_CONTAINS(protoError({key(2, 0), 14}), "ONNX data type 14 (complex64)");
  // Truncated at every offset: never a crash.
  std::vector<std::uint8_t> good = fileBytes("f32_2x3_typed.pb");
  for (std::size_t size = 0; size < good.size(); ++size) {
    HostTensor tensor;
    std::string error;
    parseTensorProto(good.data(), size, tensor, error);
  }
}

TEST(TensorFiles, ConvertsHalfPrecision) {
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // Smallest subnormal.
  EXPECT_EQ(halfToFloat(0x0200), std::ldexp(1.0f, -15));
  EXPECT_EQ(halfToFloat(0x8000), -0.0f);
  EXPECT_TRUE(std::isinf(halfToFloat(0x7c00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_EQ(bfloat16ToFloat(0x3fc0), 1.5f);
}

} // namespace
