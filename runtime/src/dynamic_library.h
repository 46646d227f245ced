//===- dynamic_library.h - Driver libraries opened at run time --*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DYNAMIC_LIBRARY_H
#define KILN_RUNTIME_SRC_DYNAMIC_LIBRARY_H

#include <cstddef>

namespace kiln::rt {

/// Opens the first library of `names` (sonames, searched like dlopen does)
/// that loads, and returns its handle, or null with the last loader error
/// in `error` (`errorSize` bytes). The handle is never closed: GPU driver
/// libraries do not support being unloaded while a process runs, and a
/// context may be created again later.
void *openFirstLibrary(const char *const *names, std::size_t count,
                       const char **openedName, char *error,
                       std::size_t errorSize);

/// Looks up `name` in `library` into the function pointer `slot`; false
/// when it is missing.
bool lookupSymbol(void *library, const char *name, void **slot);

template <typename Function>
bool lookupFunction(void *library, const char *name, Function *&slot) {
  void *address = nullptr;
  bool found = lookupSymbol(library, name, &address);
  slot = reinterpret_cast<Function *>(address);
  return found;
}

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DYNAMIC_LIBRARY_H
