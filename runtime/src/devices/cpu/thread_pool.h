//===- thread_pool.h - The CPU device's workers -----------------*- C++ -*-===//

#ifndef KILN_RUNTIME_SRC_DEVICES_CPU_THREAD_POOL_H
#define KILN_RUNTIME_SRC_DEVICES_CPU_THREAD_POOL_H

#include "kiln/runtime.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace kiln::rt {

/// A fixed set of persistent worker threads that, together with the
/// calling thread, run the workgroups of one launch at a time.
///
/// One launch is a range of items [0, count) handed out in chunks through
/// an atomic counter, so fast threads take more; the call returns after
/// the last item finished (the barrier that orders launches). Workers spin
/// briefly between launches, because a model issues launches back to back,
/// then sleep on a condition variable. Nothing is allocated per launch.
/// Calls from several threads take turns, so a pool never runs more
/// threads than it was created with.
class ThreadPool {
public:
  /// Runs items [begin, end) of a launch.
  using Task = void (*)(void *context, std::uint64_t begin, std::uint64_t end);

  /// Starts `threads - 1` workers (the caller of parallelFor is the last
  /// thread); `threads` 0 means one per core this process may run on.
  static kiln_status_t create(std::uint32_t threads,
                              std::unique_ptr<ThreadPool> *out);
  ~ThreadPool();

  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Threads that run a launch, the calling thread included.
  std::uint32_t threadCount() const {
    return static_cast<std::uint32_t>(workers_.size()) + 1;
  }

  /// Runs `task` over [0, count) and returns when every item ran.
  void parallelFor(std::uint64_t count, Task task, void *context);

  /// One per core in this process's CPU affinity mask.
  static std::uint32_t defaultThreadCount();

private:
  ThreadPool() = default;
  static void *workerEntry(void *argument);
  void workerLoop(std::uint32_t index);
  /// Takes chunks of the current launch until none is left.
  void runChunks();

  /// Serializes parallelFor callers.
  std::mutex launchMutex_;

  /// Guards sleeping and waking; the job fields below are written under it
  /// before generation_ changes, and read after seeing the change.
  std::mutex mutex_;
  std::condition_variable workAvailable_;
  std::condition_variable workDone_;
  std::atomic<std::uint64_t> generation_{0};
  bool stopping_ = false;

  // The current launch.
  Task task_ = nullptr;
  void *context_ = nullptr;
  std::uint64_t count_ = 0;
  std::uint64_t chunk_ = 1;
  std::uint32_t participants_ = 0;
  std::atomic<std::uint64_t> next_{0};
  std::atomic<std::uint32_t> busyWorkers_{0};

  struct Worker {
    ThreadPool *pool;
    std::uint32_t index;
    pthread_t thread;
  };
  std::vector<Worker> workers_;
};

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_CPU_THREAD_POOL_H
