//===- status.h - Building status objects -----------------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_STATUS_H
#define KILN_RUNTIME_SRC_STATUS_H

#include "kiln/runtime.h"

namespace kiln::rt {

/// Creates a status with `code` and a printf-formatted message, newlines
/// turned into spaces. Never returns NULL for a code other than OK.
kiln_status_t makeStatus(kiln_status_code_t code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_STATUS_H
