//===- kiln/runtime.hpp - C++ wrappers of the runtime C API -----*- C++ -*-===//
//
// Header-only RAII handles over runtime.h for C++ callers: each owns one
// reference and releases it, and Status owns a status. No exceptions: every
// fallible call returns a Status to test.
//
//   kiln::Context context;
//   kiln::Status status = kiln::Context::create(nullptr, context);
//   kiln::Artifact artifact;
//   if (status.ok())
//     status = kiln::Artifact::loadFile("model.kiln", nullptr, artifact);
//   if (!status.ok())
//     std::fprintf(stderr, "error: %s\n", status.message());
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_HPP
#define KILN_RUNTIME_HPP

#include "kiln/runtime.h"

#include <utility>

namespace kiln {

/// An owned kiln_status_t; ok() when it holds none.
class Status {
public:
  Status() = default;
  /// Takes ownership of `status`.
  explicit Status(kiln_status_t status) : status_(status) {}
  Status(const Status &) = delete;
  Status &operator=(const Status &) = delete;
  Status(Status &&other) noexcept : status_(other.release()) {}
  Status &operator=(Status &&other) noexcept {
    if (this != &other) {
      kiln_status_free(status_);
      status_ = other.release();
    }
    return *this;
  }
  ~Status() { kiln_status_free(status_); }

  bool ok() const { return status_ == nullptr; }
  kiln_status_code_t code() const { return kiln_status_code(status_); }
  /// Valid while this Status lives.
  const char *message() const { return kiln_status_message(status_); }
  kiln_status_t release() { return std::exchange(status_, nullptr); }

private:
  kiln_status_t status_ = nullptr;
};

namespace detail {

/// A shared handle: copy retains, destruction releases.
template <typename T, void (*Retain)(T *), void (*Release)(T *)> class Handle {
public:
  Handle() = default;
  /// Adopts the caller's reference to `handle`.
  explicit Handle(T *handle) : handle_(handle) {}
  Handle(const Handle &other) : handle_(other.handle_) {
    if (handle_)
      Retain(handle_);
  }
  Handle &operator=(const Handle &other) {
    Handle(other).swap(*this);
    return *this;
  }
  Handle(Handle &&other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)) {}
  Handle &operator=(Handle &&other) noexcept {
    Handle(std::move(other)).swap(*this);
    return *this;
  }
  ~Handle() {
    if (handle_)
      Release(handle_);
  }

  T *get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }
  void swap(Handle &other) noexcept { std::swap(handle_, other.handle_); }

protected:
  T *handle_ = nullptr;
};

} // namespace detail

class Context : public detail::Handle<kiln_context_t, kiln_context_retain,
                                      kiln_context_release> {
public:
  using Handle::Handle;
  static Status create(const kiln_context_options_t *options, Context &out) {
    kiln_context_t *context = nullptr;
    Status status(kiln_context_create(options, &context));
    out = Context(context);
    return status;
  }
};

class Artifact : public detail::Handle<kiln_artifact_t, kiln_artifact_retain,
                                       kiln_artifact_release> {
public:
  using Handle::Handle;
  static Status loadFile(const char *path,
                         const kiln_artifact_options_t *options,
                         Artifact &out) {
    kiln_artifact_t *artifact = nullptr;
    Status status(kiln_artifact_load_file(path, options, &artifact));
    out = Artifact(artifact);
    return status;
  }
  static Status loadMemory(const void *data, size_t size,
                           const kiln_artifact_options_t *options,
                           Artifact &out) {
    kiln_artifact_t *artifact = nullptr;
    Status status(kiln_artifact_load_memory(data, size, options, &artifact));
    out = Artifact(artifact);
    return status;
  }
  size_t inputCount() const { return kiln_artifact_input_count(handle_); }
  size_t outputCount() const { return kiln_artifact_output_count(handle_); }
  Status inputInfo(size_t index, kiln_tensor_info_t &info) const {
    return Status(kiln_artifact_input_info(handle_, index, &info));
  }
  Status outputInfo(size_t index, kiln_tensor_info_t &info) const {
    return Status(kiln_artifact_output_info(handle_, index, &info));
  }
};

class Session : public detail::Handle<kiln_session_t, kiln_session_retain,
                                      kiln_session_release> {
public:
  using Handle::Handle;
  static Status create(const Context &context, const Artifact &artifact,
                       const kiln_session_options_t *options, Session &out) {
    kiln_session_t *session = nullptr;
    Status status(
        kiln_session_create(context.get(), artifact.get(), options, &session));
    out = Session(session);
    return status;
  }
  kiln_device_kind_t device() const { return kiln_session_device(handle_); }
  Status run(const kiln_buffer_t *inputs, size_t inputCount,
             const kiln_buffer_t *outputs, size_t outputCount) {
    return Status(
        kiln_session_run(handle_, inputs, inputCount, outputs, outputCount));
  }
};

} // namespace kiln

#endif // KILN_RUNTIME_HPP
