//===- element_type.cpp - Element types of the C API ----------------------===//

#include "kiln/runtime.h"

#include <cstring>

/// The caller's value as an int: a C caller may pass any int, and reading
/// an out-of-range value as the C++ enum is undefined.
static int rawType(kiln_element_type_t type) {
  int raw;
  std::memcpy(&raw, &type, sizeof(raw));
  return raw;
}

extern "C" {

size_t kiln_element_size(kiln_element_type_t type) {
  switch (rawType(type)) {
  case KILN_BOOL:
  case KILN_I8:
  case KILN_U8:
    return 1;
  case KILN_F16:
  case KILN_BF16:
  case KILN_I16:
  case KILN_U16:
    return 2;
  case KILN_F32:
  case KILN_I32:
  case KILN_U32:
    return 4;
  case KILN_F64:
  case KILN_I64:
  case KILN_U64:
    return 8;
  }
  return 0;
}

const char *kiln_element_type_name(kiln_element_type_t type) {
  switch (rawType(type)) {
  case KILN_F16:
    return "float16";
  case KILN_BF16:
    return "bfloat16";
  case KILN_F32:
    return "float32";
  case KILN_F64:
    return "float64";
  case KILN_BOOL:
    return "bool";
  case KILN_I8:
    return "int8";
  case KILN_I16:
    return "int16";
  case KILN_I32:
    return "int32";
  case KILN_I64:
    return "int64";
  case KILN_U8:
    return "uint8";
  case KILN_U16:
    return "uint16";
  case KILN_U32:
    return "uint32";
  case KILN_U64:
    return "uint64";
  }
  return "unknown";
}

} // extern "C"
