//===- thread_pool.cpp - The CPU device's workers -------------------------===//

#include "devices/cpu/thread_pool.h"
#include "status.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <sched.h>
#include <unistd.h>

namespace kiln::rt {
namespace {

/// Spins before sleeping: long enough to bridge the host's bookkeeping
/// between two launches (a few microseconds), short enough not to steal
/// a core from other processes when the model is idle.
constexpr int kSpinIterations = 2000;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

} // namespace

std::uint32_t ThreadPool::defaultThreadCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0)
      return static_cast<std::uint32_t>(count);
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<std::uint32_t>(online) : 1;
}

kiln_status_t ThreadPool::create(std::uint32_t threads,
                                 std::unique_ptr<ThreadPool> *out) {
  if (threads == 0)
    threads = defaultThreadCount();
  std::unique_ptr<ThreadPool> pool(new (std::nothrow) ThreadPool);
  if (!pool)
    return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory creating the CPU thread pool");
  // Workers are started through pthreads rather than std::thread so that a
  // failure is a status, not an exception.
  pool->workers_.resize(threads - 1);
  for (std::uint32_t i = 0; i + 1 < threads; ++i) {
    Worker &worker = pool->workers_[i];
    worker.pool = pool.get();
    worker.index = i;
    int error = pthread_create(&worker.thread, nullptr, workerEntry, &worker);
    if (error != 0) {
      pool->workers_.resize(i); // The destructor joins those started.
      return makeStatus(KILN_STATUS_RESOURCE_EXHAUSTED,
                        "cannot start CPU worker thread %u of %u: %s", i + 1,
                        threads - 1, std::strerror(error));
    }
  }
  *out = std::move(pool);
  return nullptr;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  workAvailable_.notify_all();
  for (Worker &worker : workers_)
    pthread_join(worker.thread, nullptr);
}

void *ThreadPool::workerEntry(void *argument) {
  auto *worker = static_cast<Worker *>(argument);
  worker->pool->workerLoop(worker->index);
  return nullptr;
}

void ThreadPool::workerLoop(std::uint32_t index) {
  std::uint64_t seen = 0;
  for (;;) {
    std::uint64_t current = generation_.load(std::memory_order_acquire);
    for (int spin = 0; current == seen && spin < kSpinIterations; ++spin) {
      cpuRelax();
      current = generation_.load(std::memory_order_acquire);
    }
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      workAvailable_.wait(lock, [&] {
        return generation_.load(std::memory_order_relaxed) != seen;
      });
      seen = generation_.load(std::memory_order_relaxed);
      if (stopping_)
        return;
      // Join only a launch that still has items to hand out.
      if (index >= participants_ ||
          next_.load(std::memory_order_relaxed) >= job_.count)
        continue;
      job = job_;
      joined_.fetch_add(1, std::memory_order_relaxed);
    }
    runChunks(job);
    if (joined_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      workersLeft_.notify_all();
    }
  }
}

void ThreadPool::runChunks(const Job &job) {
  for (;;) {
    std::uint64_t begin = next_.fetch_add(job.chunk, std::memory_order_relaxed);
    if (begin >= job.count)
      return;
    std::uint64_t end = std::min(job.count, begin + job.chunk);
    job.task(job.context, begin, end);
    std::uint64_t done =
        completed_.fetch_add(end - begin, std::memory_order_acq_rel) +
        (end - begin);
    if (done == job.count) {
      std::lock_guard<std::mutex> lock(mutex_);
      launchDone_.notify_all();
    }
  }
}

void ThreadPool::parallelFor(std::uint64_t count, Task task, void *context) {
  if (count == 0)
    return;
  if (workers_.empty() || count == 1) {
    task(context, 0, count);
    return;
  }
  std::lock_guard<std::mutex> launchLock(launchMutex_);
  std::uint32_t participants = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(workers_.size(), count - 1));
  // About four chunks per thread: small enough to even out uneven
  // workgroups, large enough that the counter is not contended.
  std::uint64_t chunk =
      std::max<std::uint64_t>(1, count / (std::uint64_t(participants + 1) * 4));
  Job job = {task, context, count, chunk};
  {
    std::unique_lock<std::mutex> lock(mutex_);
    workersLeft_.wait(
        lock, [&] { return joined_.load(std::memory_order_acquire) == 0; });
    job_ = job;
    participants_ = participants;
    next_.store(0, std::memory_order_relaxed);
    completed_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  workAvailable_.notify_all();
  runChunks(job);

  for (int spin = 0; spin < kSpinIterations &&
                     completed_.load(std::memory_order_acquire) != count;
       ++spin)
    cpuRelax();
  if (completed_.load(std::memory_order_acquire) != count) {
    std::unique_lock<std::mutex> lock(mutex_);
    launchDone_.wait(lock, [&] {
      return completed_.load(std::memory_order_acquire) == count;
    });
  }
}

} // namespace kiln::rt
