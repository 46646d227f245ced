//===- TensorImporter.cpp - ONNX TensorProto to elements ------------------===//
//
// ONNX stores tensor values in one of several fields depending on the data
// type, or as little-endian bytes in `raw_data`, or in an external file.
// Everything here checks sizes before it allocates or reads.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/TensorImporter.h"
#include "compiler/Import/NodeImporter.h"

#include "dialects/Graph/IR/GraphUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace kiln {

//===----------------------------------------------------------------------===//
// Data types
//===----------------------------------------------------------------------===//

StringRef getOnnxDataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "an unknown data type";
}

FailureOr<Type> convertOnnxDataType(int32_t dataType, MLIRContext *context,
                                    Location loc, StringRef what) {
  Builder b(context);
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(context, width, IntegerType::Unsigned);
  };
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return Type(b.getF32Type());
  case onnx::TensorProto::DOUBLE:
    return Type(b.getF64Type());
  case onnx::TensorProto::FLOAT16:
    return Type(b.getF16Type());
  case onnx::TensorProto::BFLOAT16:
    return Type(b.getBF16Type());
  case onnx::TensorProto::INT8:
    return Type(b.getIntegerType(8));
  case onnx::TensorProto::INT16:
    return Type(b.getIntegerType(16));
  case onnx::TensorProto::INT32:
    return Type(b.getIntegerType(32));
  case onnx::TensorProto::INT64:
    return Type(b.getIntegerType(64));
  case onnx::TensorProto::UINT8:
    return Type(unsignedInt(8));
  case onnx::TensorProto::UINT16:
    return Type(unsignedInt(16));
  case onnx::TensorProto::UINT32:
    return Type(unsignedInt(32));
  case onnx::TensorProto::UINT64:
    return Type(unsignedInt(64));
  case onnx::TensorProto::BOOL:
    return Type(b.getI1Type());
  default:
    return emitError(loc) << what << " has element type "
                          << getOnnxDataTypeName(dataType)
                          << ", which Kiln does not support";
  }
}

std::optional<int32_t> getOnnxDataType(Type type) {
  if (type.isF32())
    return onnx::TensorProto::FLOAT;
  if (type.isF64())
    return onnx::TensorProto::DOUBLE;
  if (type.isF16())
    return onnx::TensorProto::FLOAT16;
  if (type.isBF16())
    return onnx::TensorProto::BFLOAT16;
  auto it = dyn_cast<IntegerType>(type);
  if (!it)
    return std::nullopt;
  bool isUnsigned = it.isUnsigned();
  switch (it.getWidth()) {
  case 1:
    return onnx::TensorProto::BOOL;
  case 8:
    return isUnsigned ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8;
  case 16:
    return isUnsigned ? onnx::TensorProto::UINT16 : onnx::TensorProto::INT16;
  case 32:
    return isUnsigned ? onnx::TensorProto::UINT32 : onnx::TensorProto::INT32;
  case 64:
    return isUnsigned ? onnx::TensorProto::UINT64 : onnx::TensorProto::INT64;
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Tensor values
//===----------------------------------------------------------------------===//

/// Bytes per element of a supported element type (1 for bool).
static unsigned byteWidth(Type type) {
  if (type.isInteger(1))
    return 1;
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

/// Appends the low `bytes` bytes of `value`, little-endian.
static void appendLittleEndian(std::string &out, uint64_t value,
                               unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i)
    out.push_back(char((value >> (8 * i)) & 0xff));
}

LogicalResult TensorImporter::readExternal(StringRef location, uint64_t offset,
                                           uint64_t length, std::string &out,
                                           Location loc, StringRef what) {
  if (modelDir.empty())
    return emitError(loc) << what
                          << " uses external data, but the model was not "
                             "loaded from a folder";
  if (location.empty() || llvm::sys::path::is_absolute(location))
    return emitError(loc) << what << " names external data file '"
                          << location << "', which is not a relative path";
  SmallString<256> relative(location);
  llvm::sys::path::remove_dots(relative, /*remove_dot_dot=*/true);
  if (relative.starts_with("..") || llvm::sys::path::is_absolute(relative))
    return emitError(loc) << what << " names external data file '"
                          << location << "', outside the model's folder";
  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, relative);
  // Symbolic links must not lead out of the folder either.
  SmallString<256> realDir, realPath;
  if (llvm::sys::fs::real_path(modelDir, realDir) ||
      llvm::sys::fs::real_path(path, realPath))
    return emitError(loc) << what << ": cannot open external data file '"
                          << location << "'";
  if (!StringRef(realPath).starts_with(realDir) ||
      (realPath.size() > realDir.size() &&
       !llvm::sys::path::is_separator(realPath[realDir.size()])))
    return emitError(loc) << what << " names external data file '"
                          << location << "', outside the model's folder";
  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(realPath, fileSize))
    return emitError(loc) << what << ": cannot read external data file '"
                          << location << "'";
  if (offset > fileSize || length > fileSize - offset) {
    InFlightDiagnostic diag = emitError(loc)
                              << what << ": external data range [" << offset
                              << ", ";
    // The end, unless it wraps around 64 bits.
    if (length > UINT64_MAX - offset)
      diag << offset << " + " << length;
    else
      diag << offset + length;
    return diag << ") is past the end of '" << location << "' (" << fileSize
                << " bytes)";
  }
  if (length == 0) {
    out.clear();
    return success();
  }
  auto buffer = llvm::MemoryBuffer::getFileSlice(realPath, length, offset);
  if (!buffer)
    return emitError(loc) << what << ": cannot read external data file '"
                          << location << "'";
  out.assign((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  return success();
}

FailureOr<ElementsAttr>
TensorImporter::importTensor(const onnx::TensorProto &tensor,
                             MLIRContext *context, Location loc,
                             StringRef what) {
  FailureOr<Type> elt =
      convertOnnxDataType(tensor.data_type(), context, loc, what);
  if (failed(elt))
    return failure();
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return emitError(loc) << what << " has negative dimension " << d;
    if (d != 0 && count > graph::kMaxElements / d)
      return emitError(loc) << what
                            << " has more elements than Kiln supports (2^48)";
    count *= d;
    shape.push_back(d);
  }
  unsigned width = byteWidth(*elt);
  uint64_t bytes = uint64_t(count) * width;
  // The limit is on the model's tensor data in all, checked before this
  // tensor is read or allocated.
  if (bytes > budgetBytes - std::min(usedBytes, budgetBytes)) {
    InFlightDiagnostic diag = emitError(loc) << what << " needs " << bytes
                                             << " bytes";
    if (usedBytes > 0)
      diag << ", which with the " << usedBytes
           << " bytes of tensor data before it is";
    else
      diag << ",";
    return diag << " past the limit on tensor data (" << budgetBytes
                << " bytes; raise it with --max-tensor-bytes)";
  }
  usedBytes += bytes;
  auto type = RankedTensorType::get(shape, *elt);

  // Gather the little-endian bytes of every element.
  std::string raw;
  auto checkCount = [&](int64_t have) -> LogicalResult {
    if (have != count)
      return emitError(loc) << what << " has " << have << " values for "
                            << count << " elements";
    return success();
  };
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0, length = bytes;
    bool hasLength = false;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      StringRef key = entry.key(), value = entry.value();
      if (key == "location") {
        location = entry.value();
      } else if (key == "offset" || key == "length") {
        uint64_t parsed;
        if (value.getAsInteger(10, parsed))
          return emitError(loc) << what << " has external data " << key
                                << " '" << value << "', not a number";
        (key == "offset" ? offset : length) = parsed;
        hasLength |= key == "length";
      }
    }
    if (hasLength && length != bytes)
      return emitError(loc) << what << " has external data of " << length
                            << " bytes for " << bytes << " bytes of elements";
    if (failed(readExternal(location, offset, bytes, raw, loc, what)))
      return failure();
  } else if (tensor.has_raw_data()) {
    raw = tensor.raw_data();
    if (raw.size() != bytes)
      return emitError(loc) << what << " has " << raw.size()
                            << " bytes of raw data for " << bytes
                            << " bytes of elements";
  } else {
    raw.reserve(bytes);
    switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (failed(checkCount(tensor.float_data_size())))
        return failure();
      for (float f : tensor.float_data()) {
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        appendLittleEndian(raw, bits, 4);
      }
      break;
    case onnx::TensorProto::DOUBLE:
      if (failed(checkCount(tensor.double_data_size())))
        return failure();
      for (double f : tensor.double_data()) {
        uint64_t bits;
        std::memcpy(&bits, &f, 8);
        appendLittleEndian(raw, bits, 8);
      }
      break;
    case onnx::TensorProto::INT64:
      if (failed(checkCount(tensor.int64_data_size())))
        return failure();
      for (int64_t v : tensor.int64_data())
        appendLittleEndian(raw, uint64_t(v), 8);
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      if (failed(checkCount(tensor.uint64_data_size())))
        return failure();
      for (uint64_t v : tensor.uint64_data())
        appendLittleEndian(raw, v, width);
      break;
    default:
      // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16 and BFLOAT16 values
      // (the latter two as bit patterns) live in int32_data.
      if (failed(checkCount(tensor.int32_data_size())))
        return failure();
      for (int32_t v : tensor.int32_data())
        appendLittleEndian(raw, uint64_t(uint32_t(v)), width);
      break;
    }
  }

  if (elt->isInteger(1)) {
    SmallVector<bool> values;
    values.reserve(count);
    for (char c : raw)
      values.push_back(c != 0);
    return ElementsAttr(DenseElementsAttr::get(type, values));
  }
  ArrayRef<char> buffer(raw.data(), raw.size());
  if (count == 0)
    return ElementsAttr(DenseElementsAttr::get(type, ArrayRef<Attribute>()));
  return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, buffer));
}

} // namespace kiln
