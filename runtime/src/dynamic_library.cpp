//===- dynamic_library.cpp - Driver libraries opened at run time ----------===//

#include "dynamic_library.h"

#include <cstdio>
#include <dlfcn.h>

namespace kiln::rt {

void *openFirstLibrary(const char *const *names, std::size_t count,
                       const char **openedName, char *error,
                       std::size_t errorSize) {
  if (errorSize)
    error[0] = '\0';
  for (std::size_t i = 0; i < count; ++i) {
    if (void *handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) {
      if (openedName)
        *openedName = names[i];
      return handle;
    }
    const char *reason = dlerror();
    if (errorSize)
      std::snprintf(error, errorSize, "%s", reason ? reason : "unknown error");
  }
  return nullptr;
}

bool lookupSymbol(void *library, const char *name, void **slot) {
  *slot = dlsym(library, name);
  return *slot != nullptr;
}

} // namespace kiln::rt
