/*===- kiln/runtime.h - The Kiln runtime C API ------------------*- C -*-===*\
|*                                                                          *|
|* Loads `.kiln` artifacts produced by kiln-compile and runs them.          *|
|*                                                                          *|
|* Conventions, for every function here:                                    *|
|*  - A function that can fail returns a kiln_status_t: NULL on success,    *|
|*    else a status object that the caller owns and frees with              *|
|*    kiln_status_free. Its message says what failed.                       *|
|*  - Objects are opaque handles, created by *_create with their initial    *|
|*    reference held by the caller, shared with *_retain and freed by the   *|
|*    last *_release.                                                       *|
|*  - No exceptions cross this API; nothing here aborts on bad input.       *|
|*                                                                          *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define KILN_API __attribute__((visibility("default")))
#else
#define KILN_API
#endif

/*===----------------------------------------------------------------------===*
 * Status
 *===----------------------------------------------------------------------===*/

/// What kind of failure a status reports.
typedef enum kiln_status_code_e {
  KILN_STATUS_OK = 0,
  KILN_STATUS_INVALID_ARGUMENT = 1, /* a bad argument from the caller */
  KILN_STATUS_INVALID_ARTIFACT = 2, /* a corrupt or unsupported artifact */
  KILN_STATUS_NOT_FOUND = 3,        /* a missing file, name or device */
  KILN_STATUS_UNAVAILABLE = 4,      /* a device or driver that is absent */
  KILN_STATUS_RESOURCE_EXHAUSTED = 5,
  KILN_STATUS_INTERNAL = 6,
} kiln_status_code_t;

/// A failure with a message; NULL means success.
typedef struct kiln_status_s *kiln_status_t;

/// The code of `status`; KILN_STATUS_OK for NULL.
KILN_API kiln_status_code_t kiln_status_code(kiln_status_t status);

/// The message of `status`, owned by the status; "" for NULL.
KILN_API const char *kiln_status_message(kiln_status_t status);

/// Frees `status`. Accepts NULL.
KILN_API void kiln_status_free(kiln_status_t status);

/// The runtime's version, as "MAJOR.MINOR.PATCH". A static string.
KILN_API const char *kiln_runtime_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KILN_RUNTIME_H */
