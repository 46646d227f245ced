//===- shared_object.cpp - dlopen from memory -----------------------------===//

#include "devices/cpu/shared_object.h"
#include "status.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

namespace kiln::rt {
namespace {

bool writeAll(int fd, const std::uint8_t *data, std::size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

/// An anonymous in-memory file. Called through syscall() so that the
/// library does not need a glibc new enough to wrap memfd_create.
int createMemoryFile() {
#ifdef SYS_memfd_create
  return static_cast<int>(
      ::syscall(SYS_memfd_create, "kiln-executable", MFD_CLOEXEC));
#else
  errno = ENOSYS;
  return -1;
#endif
}

kiln_status_t dlopenFailure(const char *how) {
  const char *reason = dlerror();
  return makeStatus(KILN_STATUS_INVALID_ARTIFACT,
                    "cannot load the CPU executable (%s): %s", how,
                    reason ? reason : "unknown error");
}

} // namespace

SharedObject::~SharedObject() {
  if (handle_)
    dlclose(handle_);
}

/// Gives the memfd `*fd` a number whose /proc/self/fd path names no loaded
/// object. The dynamic loader matches objects by path before it looks at
/// the file, so dlopen of a reused /proc/self/fd/N would return whatever
/// object was loaded earlier under that name (another session's kernels, or
/// one the loader kept after dlclose). Holding the fd open across the check
/// and the dlopen makes the name ours alone meanwhile.
static bool claimUnusedPath(int *fd, char *path, std::size_t pathSize) {
  for (int attempt = 0; attempt < 4096; ++attempt) {
    std::snprintf(path, pathSize, "/proc/self/fd/%d", *fd);
    void *existing = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!existing)
      return true;
    dlclose(existing);
    int renumbered = ::fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1);
    if (renumbered < 0)
      return false;
    ::close(*fd);
    *fd = renumbered;
  }
  return false;
}

kiln_status_t SharedObject::load(const std::uint8_t *data, std::size_t size) {
  int fd = createMemoryFile();
  if (fd >= 0) {
    char path[64];
    std::snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    bool usable = writeAll(fd, data, size) && ::access(path, R_OK) == 0 &&
                  claimUnusedPath(&fd, path, sizeof(path));
    if (usable) {
      handle_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
      ::close(fd);
      return handle_ ? nullptr : dlopenFailure("from a memfd");
    }
    ::close(fd);
  }

  // No memfd, or no /proc: a private temporary file, gone once loaded.
  const char *directory = std::getenv("TMPDIR");
  if (!directory || !*directory)
    directory = "/tmp";
  char path[4096];
  int length =
      std::snprintf(path, sizeof(path), "%s/kiln-executable-XXXXXX", directory);
  if (length < 0 || std::size_t(length) >= sizeof(path))
    return makeStatus(KILN_STATUS_INTERNAL, "TMPDIR is too long");
  fd = ::mkstemp(path);
  if (fd < 0)
    return makeStatus(KILN_STATUS_INTERNAL,
                      "cannot create a temporary file for the CPU "
                      "executable in %s: %s",
                      directory, std::strerror(errno));
  bool written = writeAll(fd, data, size);
  ::close(fd);
  if (!written) {
    ::unlink(path);
    return makeStatus(KILN_STATUS_INTERNAL,
                      "cannot write the CPU executable to %s", path);
  }
  handle_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  ::unlink(path);
  return handle_ ? nullptr : dlopenFailure("from a temporary file");
}

void *SharedObject::symbol(const char *name) const {
  return handle_ ? dlsym(handle_, name) : nullptr;
}

} // namespace kiln::rt
