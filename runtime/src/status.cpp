//===- status.cpp - Status objects of the C API ---------------------------===//

#include "status.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

struct kiln_status_s {
  kiln_status_code_t code;
  char message[1]; // Allocated to the message's length.
};

namespace kiln::rt {

/// Returned when allocating a status fails: never freed, never written.
static kiln_status_s outOfMemory = {KILN_STATUS_RESOURCE_EXHAUSTED, ""};

kiln_status_t makeStatus(kiln_status_code_t code, const char *format, ...) {
  if (code == KILN_STATUS_OK)
    return nullptr;
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (length < 0)
    length = 0;
  auto *status = static_cast<kiln_status_s *>(
      std::malloc(sizeof(kiln_status_s) + size_t(length)));
  if (!status) {
    va_end(args);
    return &outOfMemory;
  }
  status->code = code;
  std::vsnprintf(status->message, size_t(length) + 1, format, args);
  va_end(args);
  // Messages are one line, whatever a driver's log or dlerror() held.
  for (char *c = status->message; *c; ++c)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  return status;
}

} // namespace kiln::rt

extern "C" {

kiln_status_code_t kiln_status_code(kiln_status_t status) {
  return status ? status->code : KILN_STATUS_OK;
}

const char *kiln_status_message(kiln_status_t status) {
  return status ? status->message : "";
}

void kiln_status_free(kiln_status_t status) {
  if (status && status != &kiln::rt::outOfMemory)
    std::free(status);
}

const char *kiln_runtime_version(void) { return KILN_RUNTIME_VERSION; }

} // extern "C"
