//===- shared_object.h - dlopen from memory ---------------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DEVICES_CPU_SHARED_OBJECT_H
#define KILN_RUNTIME_SRC_DEVICES_CPU_SHARED_OBJECT_H

#include "kiln/runtime.h"

#include <cstddef>
#include <cstdint>

namespace kiln::rt {

/// A shared object loaded from bytes in memory; dlclose'd on destruction.
class SharedObject {
public:
  SharedObject() = default;
  SharedObject(const SharedObject &) = delete;
  SharedObject &operator=(const SharedObject &) = delete;
  ~SharedObject();

  /// Loads the ELF shared object in `data[0..size)`. It goes through an
  /// anonymous memfd (dlopen of /proc/self/fd/N), so nothing touches the
  /// file system; where memfds or /proc are missing, through a private
  /// temporary file that is unlinked at once. Loading runs the object's
  /// initializers: the executable is trusted code.
  kiln_status_t load(const std::uint8_t *data, std::size_t size);

  /// The address of `name`, or null.
  void *symbol(const char *name) const;

private:
  void *handle_ = nullptr;
};

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_CPU_SHARED_OBJECT_H
