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
|*    last *_release. *_retain and *_release are thread-safe; *_release     *|
|*    accepts NULL.                                                         *|
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

/*===----------------------------------------------------------------------===*
 * Element types and tensors
 *===----------------------------------------------------------------------===*/

/// Element types, numbered as in the artifact schema.
typedef enum kiln_element_type_e {
  KILN_F16 = 0,
  KILN_BF16 = 1,
  KILN_F32 = 2,
  KILN_F64 = 3,
  KILN_BOOL = 4,
  KILN_I8 = 5,
  KILN_I16 = 6,
  KILN_I32 = 7,
  KILN_I64 = 8,
  KILN_U8 = 9,
  KILN_U16 = 10,
  KILN_U32 = 11,
  KILN_U64 = 12,
} kiln_element_type_t;

/// Bytes per element of `type`; 0 for an unknown value.
KILN_API size_t kiln_element_size(kiln_element_type_t type);

/// The name of `type` as numpy spells it ("float32", "bool", ...);
/// "unknown" for an unknown value.
KILN_API const char *kiln_element_type_name(kiln_element_type_t type);

/// A description of one input or output of a model. Pointers stay valid as
/// long as the artifact they came from.
typedef struct kiln_tensor_info_t {
  const char *name;
  kiln_element_type_t element_type;
  size_t rank;
  const int64_t *shape;
  /// Bytes of the dense row-major value.
  size_t size_bytes;
} kiln_tensor_info_t;

/// A host buffer holding (or receiving) one dense row-major tensor.
typedef struct kiln_buffer_t {
  void *data;
  size_t size_bytes;
} kiln_buffer_t;

/*===----------------------------------------------------------------------===*
 * Context
 *===----------------------------------------------------------------------===*/

/// Process-wide state shared by sessions: the CPU thread pool and the GPU
/// drivers loaded so far. Thread-safe: sessions on several threads may
/// share one context. CPU launches from several sessions take turns on the
/// pool, so a context never runs more CPU threads than it was given. A GPU
/// driver that failed to load is not retried by the same context. Driver
/// libraries stay loaded until the process exits.
typedef struct kiln_context_s kiln_context_t;

typedef struct kiln_context_options_t {
  /// Threads of the CPU device's pool, the calling thread included;
  /// 0 means one per core in the process's CPU affinity mask. At most
  /// 1024. The pool starts with the first CPU session.
  uint32_t cpu_threads;
} kiln_context_options_t;

KILN_API void kiln_context_options_initialize(kiln_context_options_t *options);

/// Creates a context. `options` may be NULL for the defaults.
KILN_API kiln_status_t kiln_context_create(const kiln_context_options_t *options,
                                           kiln_context_t **out_context);
KILN_API void kiln_context_retain(kiln_context_t *context);
KILN_API void kiln_context_release(kiln_context_t *context);

/*===----------------------------------------------------------------------===*
 * Artifacts
 *===----------------------------------------------------------------------===*/

/// A loaded, verified `.kiln` artifact. Immutable once loaded: thread-safe.
typedef struct kiln_artifact_s kiln_artifact_t;

typedef enum kiln_artifact_flags_e {
  KILN_ARTIFACT_FLAG_NONE = 0,
  /// Skip the XXH64 checksum of the payload (for very large artifacts).
  /// Every other check, the flatbuffers verifier and the bounds checks
  /// included, still runs.
  KILN_ARTIFACT_FLAG_SKIP_CHECKSUM = 1u << 0,
} kiln_artifact_flags_t;

typedef struct kiln_artifact_options_t {
  uint32_t flags; /* kiln_artifact_flags_t bits */
} kiln_artifact_options_t;

KILN_API void kiln_artifact_options_initialize(kiln_artifact_options_t *options);

/// Loads and verifies the artifact in file `path`. `options` may be NULL.
/// The file is read into memory; it may change or go away afterwards.
/// Fails with KILN_STATUS_NOT_FOUND for a missing file and
/// KILN_STATUS_INVALID_ARTIFACT, naming the failed check, for a corrupt
/// or unsupported one.
KILN_API kiln_status_t kiln_artifact_load_file(
    const char *path, const kiln_artifact_options_t *options,
    kiln_artifact_t **out_artifact);

/// Loads and verifies an artifact from `size` bytes at `data`. The bytes are
/// copied; the caller keeps ownership of `data`.
KILN_API kiln_status_t kiln_artifact_load_memory(
    const void *data, size_t size, const kiln_artifact_options_t *options,
    kiln_artifact_t **out_artifact);

KILN_API void kiln_artifact_retain(kiln_artifact_t *artifact);
KILN_API void kiln_artifact_release(kiln_artifact_t *artifact);

KILN_API size_t kiln_artifact_input_count(const kiln_artifact_t *artifact);
KILN_API size_t kiln_artifact_output_count(const kiln_artifact_t *artifact);

/// Describes input (or output) `index`. Fails for an index out of range.
KILN_API kiln_status_t kiln_artifact_input_info(const kiln_artifact_t *artifact,
                                                size_t index,
                                                kiln_tensor_info_t *out_info);
KILN_API kiln_status_t kiln_artifact_output_info(const kiln_artifact_t *artifact,
                                                 size_t index,
                                                 kiln_tensor_info_t *out_info);

/// Bytes of arena a session of this artifact allocates.
KILN_API uint64_t kiln_artifact_arena_size(const kiln_artifact_t *artifact);

/// Whether the artifact holds kernels for `device` ("cpu", "cuda", "hip"):
/// 1 or 0.
KILN_API int kiln_artifact_has_device(const kiln_artifact_t *artifact,
                                      const char *device);

/*===----------------------------------------------------------------------===*
 * Sessions
 *===----------------------------------------------------------------------===*/

/// An artifact bound to one device, with its arena allocated and its
/// kernels loaded. Not thread-safe: one run at a time per session.
typedef struct kiln_session_s kiln_session_t;

typedef enum kiln_device_kind_e {
  /// CUDA when the artifact has CUDA kernels and a GPU is usable, else HIP
  /// likewise, else the CPU.
  KILN_DEVICE_AUTO = 0,
  KILN_DEVICE_CPU = 1,
  KILN_DEVICE_CUDA = 2,
  KILN_DEVICE_HIP = 3,
} kiln_device_kind_t;

typedef enum kiln_session_flags_e {
  KILN_SESSION_FLAG_NONE = 0,
  /// Time every dispatch of every run (see kiln_session_dispatch_time).
  /// Each launch is timed alone on the host's steady clock, waiting for
  /// the device before and after it, so on a GPU this serializes the run.
  KILN_SESSION_FLAG_PROFILE = 1u << 0,
  /// On CUDA, capture the command list once, at session creation, as a
  /// CUDA graph and replay it on every run. Ignored on other devices and
  /// together with KILN_SESSION_FLAG_PROFILE.
  KILN_SESSION_FLAG_CUDA_GRAPH = 1u << 1,
} kiln_session_flags_t;

typedef struct kiln_session_options_t {
  kiln_device_kind_t device;
  /// Which GPU of its kind; ignored on the CPU.
  uint32_t device_ordinal;
  uint32_t flags; /* kiln_session_flags_t bits */
  /// The largest arena the session may allocate, in bytes; a bigger one
  /// fails with KILN_STATUS_RESOURCE_EXHAUSTED before anything is
  /// allocated. 0 (the default) leaves the limit to the device: the CPU
  /// refuses an arena larger than the memory the process may use (the
  /// machine's physical memory, or its cgroup's limit when lower); a GPU
  /// allocates what its driver grants.
  uint64_t max_arena_bytes;
} kiln_session_options_t;

KILN_API void kiln_session_options_initialize(kiln_session_options_t *options);

/// Creates a session: picks the device, allocates the arena, uploads the
/// constants and loads the kernels. All allocation happens here, none
/// during a run. The session retains `context` and `artifact`. `options`
/// may be NULL (KILN_DEVICE_AUTO, ordinal 0, no flags, the device's arena
/// limit).
///
/// With KILN_DEVICE_AUTO, each GPU kind whose kernels the artifact has is
/// tried in turn (CUDA, then HIP); a GPU whose driver, device or kernels
/// cannot be loaded is skipped, and the CPU is the last resort. A device
/// asked for by name that is absent fails with KILN_STATUS_UNAVAILABLE.
/// The CPU arena starts zeroed; GPU arenas are not cleared.
KILN_API kiln_status_t kiln_session_create(kiln_context_t *context,
                                           kiln_artifact_t *artifact,
                                           const kiln_session_options_t *options,
                                           kiln_session_t **out_session);
KILN_API void kiln_session_retain(kiln_session_t *session);
KILN_API void kiln_session_release(kiln_session_t *session);

/// The device the session runs on (never KILN_DEVICE_AUTO).
KILN_API kiln_device_kind_t kiln_session_device(const kiln_session_t *session);

/// Runs the model once. `inputs` and `outputs` are host buffers in
/// signature order, each exactly the size of its tensor. Blocks until the
/// outputs are written. The arena persists between runs. An input that the
/// artifact places in the read-only constants is size-checked and not
/// copied: the runtime never writes the constants.
KILN_API kiln_status_t kiln_session_run(kiln_session_t *session,
                                        const kiln_buffer_t *inputs,
                                        size_t input_count,
                                        const kiln_buffer_t *outputs,
                                        size_t output_count);

/// With KILN_SESSION_FLAG_PROFILE: the number of dispatches (0 without the
/// flag), and the name and time in nanoseconds of dispatch `index` summed
/// over every launch of it in the last run. The name lives as long as the
/// session. Without the flag kiln_session_dispatch_time fails.
KILN_API size_t kiln_session_dispatch_count(const kiln_session_t *session);
KILN_API kiln_status_t kiln_session_dispatch_time(const kiln_session_t *session,
                                                  size_t index,
                                                  const char **out_name,
                                                  uint64_t *out_nanoseconds);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KILN_RUNTIME_H */
