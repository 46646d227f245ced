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
/// an atomic counter, so fast threads take more; the call returns once
/// every item finished (the barrier that orders launches). The caller never
/// waits for a worker that has not started: on a busy machine a woken
/// worker may not run for a while, and the caller simply takes its chunks.
/// Workers spin briefly between launches, because a model issues launches
/// back to back, then sleep on a condition variable. Nothing is allocated
/// per launch. Calls from several threads take turns, so a pool never runs
/// more threads than it was created with.
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
  /// What a thread needs to run chunks of one launch, copied when it joins
  /// so that the next launch can reuse the shared fields.
  struct Job {
    Task task;
    void *context;
    std::uint64_t count;
    std::uint64_t chunk;
  };

  ThreadPool() = default;
  static void *workerEntry(void *argument);
  void workerLoop(std::uint32_t index);
  /// Takes chunks of `job` until none is left.
  void runChunks(const Job &job);

  /// Serializes parallelFor callers.
  std::mutex launchMutex_;

  /// Guards sleeping, waking and joining; the current launch below is
  /// written under it before generation_ changes.
  std::mutex mutex_;
  std::condition_variable workAvailable_;
  std::condition_variable launchDone_;
  std::condition_variable workersLeft_;
  std::atomic<std::uint64_t> generation_{0};
  bool stopping_ = false;

  // The current launch.
  Job job_ = {};
  std::uint32_t participants_ = 0;
  /// The next item to hand out; past job_.count once all are taken.
  std::atomic<std::uint64_t> next_{0};
  /// Items finished; the launch is over when it reaches job_.count.
  std::atomic<std::uint64_t> completed_{0};
  /// Workers inside the current launch. A new launch waits for zero
  /// before it resets next_, so that a late worker never takes an item of
  /// the wrong launch.
  std::atomic<std::uint32_t> joined_{0};

  struct Worker {
    ThreadPool *pool;
    std::uint32_t index;
    pthread_t thread;
  };
  std::vector<Worker> workers_;
};

} // namespace kiln::rt

#endif // KILN_RUNTIME_SRC_DEVICES_CPU_THREAD_POOL_H
