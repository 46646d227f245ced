//===- SessionTest.cpp - Running artifacts on the CPU device --------------===//

#include "TestArtifacts.h"

#include <gtest/gtest.h>

#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <thread>

namespace {

using namespace kiln::test;

ContextPtr makeContext(std::uint32_t threads) {
  kiln_context_options_t options;
  kiln_context_options_initialize(&options);
  options.cpu_threads = threads;
  kiln_context_t *context = nullptr;
  Outcome outcome = take(kiln_context_create(&options, &context));
  EXPECT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  return ContextPtr(context);
}

ArtifactPtr loadSpec(const ArtifactSpec &spec) {
  ArtifactPtr artifact;
  Outcome outcome = loadArtifact(buildArtifact(spec), 0, &artifact);
  EXPECT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  return artifact;
}

Outcome createSession(kiln_context_t *context, kiln_artifact_t *artifact,
                      kiln_device_kind_t device, std::uint32_t flags,
                      SessionPtr *out) {
  kiln_session_options_t options;
  kiln_session_options_initialize(&options);
  options.device = device;
  options.flags = flags;
  kiln_session_t *session = nullptr;
  Outcome outcome =
      take(kiln_session_create(context, artifact, &options, &session));
  out->reset(session);
  return outcome;
}

/// The add model's inputs and outputs, with its expected results.
struct AddRun {
  std::vector<float> x, y, z, w, v;
  std::vector<std::int32_t> k;

  AddRun()
      : x(kAddElements), y(kAddElements), z(kAddElements), w(kAddElements),
        v(kAddElements), k(4) {
    for (std::uint32_t i = 0; i < kAddElements; ++i) {
      x[i] = float(i);
      y[i] = 1000.0f - float(i) * 3;
    }
  }

  Outcome run(kiln_session_t *session) {
    kiln_buffer_t inputs[] = {{x.data(), x.size() * 4},
                              {y.data(), y.size() * 4}};
    kiln_buffer_t outputs[] = {{z.data(), z.size() * 4},
                               {w.data(), w.size() * 4},
                               {v.data(), v.size() * 4},
                               {k.data(), k.size() * 4}};
    return take(kiln_session_run(session, inputs, 2, outputs, 4));
  }

  /// `bias`: what the kernels add on top (2 for the variant build).
  void expectCorrect(float bias = 0) const {
    for (std::uint32_t i = 0; i < kAddElements; ++i) {
      // Exact in f32: every term is a small multiple of 0.5.
      float expected = x[i] + float(i) / 2 + y[i] + bias;
      ASSERT_EQ(z[i], expected) << i;
      ASSERT_EQ(w[i], expected) << i;
      ASSERT_EQ(v[i], expected) << i;
    }
    EXPECT_EQ(k, (std::vector<std::int32_t>{7, 8, 9, 10}));
  }
};

TEST(Session, RunsTheAddModelOnTheCpu) {
  ContextPtr context = makeContext(2);
  ArtifactPtr artifact = loadSpec(addModel());
  SessionPtr session;
  Outcome created = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CPU, 0, &session);
  ASSERT_EQ(created.code, KILN_STATUS_OK) << created.message;
  EXPECT_EQ(kiln_session_device(session.get()), KILN_DEVICE_CPU);
  AddRun run;
  Outcome outcome = run.run(session.get());
  ASSERT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  run.expectCorrect();
  // A second run with other inputs reuses everything.
  for (float &value : run.x)
    value += 1;
  ASSERT_EQ(run.run(session.get()).code, KILN_STATUS_OK);
  run.expectCorrect();
}

// Two sessions alive at once with different executables each run their
// own kernels (the loader must not confuse the two in-memory files).
TEST(Session, KeepsConcurrentExecutablesApart) {
  ContextPtr context = makeContext(2);
  ArtifactPtr plainArtifact = loadSpec(addModel(false));
  ArtifactPtr variantArtifact = loadSpec(addModel(true));
  SessionPtr plain, variant;
  ASSERT_EQ(createSession(context.get(), plainArtifact.get(), KILN_DEVICE_CPU,
                          0, &plain)
                .code,
            KILN_STATUS_OK);
  ASSERT_EQ(createSession(context.get(), variantArtifact.get(), KILN_DEVICE_CPU,
                          0, &variant)
                .code,
            KILN_STATUS_OK);
  AddRun plainRun, variantRun;
  ASSERT_EQ(plainRun.run(plain.get()).code, KILN_STATUS_OK);
  ASSERT_EQ(variantRun.run(variant.get()).code, KILN_STATUS_OK);
  plainRun.expectCorrect();
  variantRun.expectCorrect(2);
}

/// Mappings of in-memory executables in this process.
int countLoadedExecutables() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  int count = 0;
  while (std::getline(maps, line))
    count += line.find("kiln-executable") != std::string::npos;
  return count;
}

TEST(Session, UnloadsItsExecutableWhenReleased) {
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(addModel());
  int before = countLoadedExecutables();
  for (int i = 0; i < 3; ++i) {
    SessionPtr session;
    ASSERT_EQ(createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0,
                            &session)
                  .code,
              KILN_STATUS_OK);
    EXPECT_GT(countLoadedExecutables(), before);
    session.reset();
    EXPECT_EQ(countLoadedExecutables(), before);
  }
}

TEST(Session, KeepsItsArtifactAndContextAlive) {
  ContextPtr context = makeContext(2);
  ArtifactPtr artifact = loadSpec(addModel());
  SessionPtr session;
  ASSERT_EQ(
      createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0, &session)
          .code,
      KILN_STATUS_OK);
  context.reset();
  artifact.reset();
  AddRun run;
  ASSERT_EQ(run.run(session.get()).code, KILN_STATUS_OK);
  run.expectCorrect();
}

// Every workgroup of 3-D grids runs exactly once with the right ids, on
// pools of 1, 2 and 4 threads.
TEST(Session, CoversTheWholeGrid) {
  const std::uint32_t grids[][3] = {{1, 1, 1}, {7, 1, 1},  {5, 3, 2},
                                    {1, 9, 4}, {37, 5, 3}, {2, 2, 300}};
  for (std::uint32_t threads : {1u, 2u, 4u}) {
    ContextPtr context = makeContext(threads);
    for (const auto &grid : grids) {
      SCOPED_TRACE(testing::Message() << threads << " threads, grid " << grid[0]
                                      << "x" << grid[1] << "x" << grid[2]);
      ArtifactPtr artifact = loadSpec(gridModel(grid[0], grid[1], grid[2]));
      SessionPtr session;
      ASSERT_EQ(createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0,
                              &session)
                    .code,
                KILN_STATUS_OK);
      std::vector<std::uint32_t> visits(std::size_t(grid[0]) * grid[1] *
                                        grid[2]);
      std::uint32_t errors = 0;
      kiln_buffer_t outputs[] = {{visits.data(), visits.size() * 4},
                                 {&errors, 4}};
      for (std::uint32_t round = 1; round <= 2; ++round) {
        Outcome outcome =
            take(kiln_session_run(session.get(), nullptr, 0, outputs, 2));
        ASSERT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
        EXPECT_EQ(errors, 0u);
        // The arena persists across runs: the counts accumulate.
        for (std::size_t i = 0; i < visits.size(); ++i)
          ASSERT_EQ(visits[i], round) << "workgroup " << i;
      }
    }
  }
}

// Sessions on several threads share one context and its pool.
TEST(Session, SharesAContextAcrossThreads) {
  ContextPtr context = makeContext(3);
  ArtifactPtr artifact = loadSpec(addModel());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      SessionPtr session;
      if (createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0,
                        &session)
              .code != KILN_STATUS_OK) {
        ++failures;
        return;
      }
      AddRun run;
      for (int i = 0; i < 25; ++i) {
        if (run.run(session.get()).code != KILN_STATUS_OK)
          ++failures;
        for (std::uint32_t j = 0; j < kAddElements; ++j)
          if (run.v[j] != run.x[j] + float(j) / 2 + run.y[j])
            ++failures;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Session, ValidatesRunArguments) {
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(addModel());
  SessionPtr session;
  ASSERT_EQ(
      createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0, &session)
          .code,
      KILN_STATUS_OK);
  AddRun run;
  kiln_buffer_t inputs[] = {{run.x.data(), 4000}, {run.y.data(), 4000}};
  kiln_buffer_t outputs[] = {{run.z.data(), 4000},
                             {run.w.data(), 4000},
                             {run.v.data(), 4000},
                             {run.k.data(), 16}};
  Outcome tooFew = take(kiln_session_run(session.get(), inputs, 1, outputs, 4));
  EXPECT_EQ(tooFew.code, KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(tooFew.message, "the model has 2 inputs, the run passed 1");

  inputs[1].size_bytes = 3996;
  Outcome wrongSize =
      take(kiln_session_run(session.get(), inputs, 2, outputs, 4));
  EXPECT_EQ(wrongSize.message,
            "input 1 ('y') is 3996 bytes, the model needs 4000");
  inputs[1].size_bytes = 4000;

  outputs[3].data = nullptr;
  Outcome noData = take(kiln_session_run(session.get(), inputs, 2, outputs, 4));
  EXPECT_EQ(noData.message, "output 3 ('k') has no data");
  outputs[3].data = run.k.data();

  EXPECT_EQ(take(kiln_session_run(session.get(), inputs, 2, nullptr, 4)).code,
            KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(take(kiln_session_run(nullptr, inputs, 2, outputs, 4)).code,
            KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(take(kiln_session_run(session.get(), inputs, 2, outputs, 4)).code,
            KILN_STATUS_OK);
}

TEST(Session, ValidatesContextOptions) {
  kiln_context_options_t options;
  kiln_context_options_initialize(&options);
  EXPECT_EQ(options.cpu_threads, 0u);
  options.cpu_threads = 5000;
  kiln_context_t *context = nullptr;
  Outcome outcome = take(kiln_context_create(&options, &context));
  EXPECT_EQ(outcome.code, KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(outcome.message, "cpu_threads 5000 is more than 1024");
  EXPECT_EQ(context, nullptr);
  EXPECT_EQ(take(kiln_context_create(nullptr, nullptr)).code,
            KILN_STATUS_INVALID_ARGUMENT);
}

TEST(Session, ValidatesCreateArguments) {
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(addModel());
  SessionPtr session;
  // A C caller may store any int in the enum field.
  kiln_session_options_t options;
  kiln_session_options_initialize(&options);
  const int bogusDevice = 9;
  std::memcpy(&options.device, &bogusDevice, sizeof(bogusDevice));
  kiln_session_t *raw = nullptr;
  Outcome unknownDevice =
      take(kiln_session_create(context.get(), artifact.get(), &options, &raw));
  EXPECT_EQ(unknownDevice.code, KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(unknownDevice.message, "unknown device kind 9");
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(createSession(context.get(), artifact.get(), KILN_DEVICE_CPU,
                          1u << 9, &session)
                .code,
            KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(
      createSession(nullptr, artifact.get(), KILN_DEVICE_CPU, 0, &session).code,
      KILN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(session, nullptr);
}

TEST(Session, ProfilesEachDispatch) {
  ContextPtr context = makeContext(2);
  ArtifactPtr artifact = loadSpec(addModel());
  SessionPtr plain, profiled;
  ASSERT_EQ(
      createSession(context.get(), artifact.get(), KILN_DEVICE_CPU, 0, &plain)
          .code,
      KILN_STATUS_OK);
  EXPECT_EQ(kiln_session_dispatch_count(plain.get()), 0u);
  EXPECT_EQ(
      take(kiln_session_dispatch_time(plain.get(), 0, nullptr, nullptr)).code,
      KILN_STATUS_INVALID_ARGUMENT);

  ASSERT_EQ(createSession(context.get(), artifact.get(), KILN_DEVICE_CPU,
                          KILN_SESSION_FLAG_PROFILE, &profiled)
                .code,
            KILN_STATUS_OK);
  AddRun run;
  ASSERT_EQ(run.run(profiled.get()).code, KILN_STATUS_OK);
  run.expectCorrect();
  ASSERT_EQ(kiln_session_dispatch_count(profiled.get()), 3u);
  const char *names[] = {"add_constant", "add_inputs", "copy_result"};
  for (std::size_t i = 0; i < 3; ++i) {
    const char *name = nullptr;
    std::uint64_t nanoseconds = 0;
    ASSERT_EQ(
        kiln_session_dispatch_time(profiled.get(), i, &name, &nanoseconds),
        nullptr);
    EXPECT_STREQ(name, names[i]);
  }
  EXPECT_EQ(
      take(kiln_session_dispatch_time(profiled.get(), 3, nullptr, nullptr))
          .code,
      KILN_STATUS_INVALID_ARGUMENT);
}

TEST(Session, ReportsAMissingKernelSymbol) {
  ArtifactSpec spec = addModel();
  spec.executables[0].kernels[2].symbol = "kiln_test_no_such_kernel";
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(spec);
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CPU, 0, &session);
  EXPECT_EQ(outcome.code, KILN_STATUS_INVALID_ARTIFACT);
  EXPECT_EQ(outcome.message, "the CPU executable has no kernel "
                             "'kiln_test_no_such_kernel' (dispatch 2, "
                             "'copy_result')");
  EXPECT_EQ(session, nullptr);
}

TEST(Session, ReportsAnUnloadableExecutable) {
  ArtifactSpec spec = addModel();
  // An ELF header for this host followed by garbage: dlopen refuses it.
  std::vector<std::uint8_t> &data = spec.executables[0].data;
  std::fill(data.begin() + 64, data.end(), 0xAB);
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(spec);
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CPU, 0, &session);
  EXPECT_EQ(outcome.code, KILN_STATUS_INVALID_ARTIFACT);
  EXPECT_NE(outcome.message.find("cannot load the CPU executable"),
            std::string::npos)
      << outcome.message;
}

TEST(Session, ReportsAMissingCpuExecutable) {
  ArtifactSpec spec = addModel();
  spec.executables[0].device = "cuda";
  spec.executables[0].arch = "sm_90";
  spec.executables[0].format = kiln::artifact::ExecutableFormat::Ptx;
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(spec);
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CPU, 0, &session);
  EXPECT_EQ(outcome.code, KILN_STATUS_NOT_FOUND);
  EXPECT_NE(outcome.message.find("has no CPU executable"), std::string::npos);
  EXPECT_NE(outcome.message.find("(it has: cuda sm_90)"), std::string::npos)
      << outcome.message;
}

TEST(Session, RefusesAnArenaPastItsLimit) {
  ArtifactSpec spec = addModel();
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(spec);
  kiln_session_options_t options;
  kiln_session_options_initialize(&options);
  EXPECT_EQ(options.max_arena_bytes, 0u);
  options.device = KILN_DEVICE_CPU;
  options.max_arena_bytes = spec.arenaSize - 1;
  kiln_session_t *session = nullptr;
  Outcome outcome = take(
      kiln_session_create(context.get(), artifact.get(), &options, &session));
  EXPECT_EQ(outcome.code, KILN_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(outcome.message,
            "the artifact needs a " + std::to_string(spec.arenaSize) +
                "-byte arena, more than the limit of " +
                std::to_string(spec.arenaSize - 1) +
                " bytes (max_arena_bytes)");
  EXPECT_EQ(session, nullptr);
  // Exactly the limit is fine.
  options.max_arena_bytes = spec.arenaSize;
  outcome = take(
      kiln_session_create(context.get(), artifact.get(), &options, &session));
  EXPECT_EQ(outcome.code, KILN_STATUS_OK) << outcome.message;
  kiln_session_release(session);
}

TEST(Session, RefusesAnArenaLargerThanMemory) {
  // A petabyte: more than any machine this runs on, and than the memory a
  // sanitizer lets a process allocate; the check comes before either.
  ArtifactSpec spec = addModel();
  spec.arenaSize = std::uint64_t(1) << 50;
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(spec);
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CPU, 0, &session);
  EXPECT_EQ(outcome.code, KILN_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_NE(outcome.message.find("the artifact needs a 1125899906842624-byte "
                                 "arena, more than the "),
            std::string::npos)
      << outcome.message;
  EXPECT_NE(outcome.message.find("bytes of memory this process may use"),
            std::string::npos)
      << outcome.message;
  EXPECT_EQ(session, nullptr);
}

//===----------------------------------------------------------------------===//
// GPU devices on a machine without them
//===----------------------------------------------------------------------===//

bool libraryLoads(const char *name) {
  void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (handle)
    dlclose(handle);
  return handle != nullptr;
}

/// The add model plus GPU executables (filler bytes: they are never
/// loaded where no GPU exists).
ArtifactSpec addModelWithGpuExecutables() {
  ArtifactSpec spec = addModel();
  ExecutableSpec cuda;
  cuda.device = "cuda";
  cuda.arch = "sm_80";
  cuda.format = kiln::artifact::ExecutableFormat::Ptx;
  cuda.data.assign(128, ' ');
  cuda.kernels = spec.executables[0].kernels;
  for (KernelSpec &kernel : cuda.kernels)
    kernel.block = {128, 1, 1};
  ExecutableSpec hip = cuda;
  hip.device = "hip";
  hip.arch = "gfx942";
  hip.format = kiln::artifact::ExecutableFormat::Hsaco;
  spec.executables.push_back(cuda);
  spec.executables.push_back(hip);
  return spec;
}

TEST(GpuDevices, CudaReportsItsAbsence) {
  if (libraryLoads("libcuda.so.1"))
    GTEST_SKIP() << "a CUDA driver is installed";
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(addModelWithGpuExecutables());
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_CUDA, 0, &session);
  EXPECT_EQ(outcome.code, KILN_STATUS_UNAVAILABLE);
  EXPECT_NE(outcome.message.find("CUDA driver libcuda.so.1 not found"),
            std::string::npos)
      << outcome.message;
  EXPECT_EQ(session, nullptr);
  // The failure is remembered by the context and reported the same way.
  Outcome again = createSession(context.get(), artifact.get(), KILN_DEVICE_CUDA,
                                0, &session);
  EXPECT_EQ(again.message, outcome.message);
}

TEST(GpuDevices, HipReportsItsAbsence) {
  ContextPtr context = makeContext(1);
  ArtifactPtr artifact = loadSpec(addModelWithGpuExecutables());
  SessionPtr session;
  Outcome outcome = createSession(context.get(), artifact.get(),
                                  KILN_DEVICE_HIP, 0, &session);
  if (outcome.code == KILN_STATUS_OK)
    GTEST_SKIP() << "a HIP device is present";
  EXPECT_EQ(outcome.code, KILN_STATUS_UNAVAILABLE) << outcome.message;
  EXPECT_TRUE(outcome.message.find("libamdhip64") != std::string::npos ||
              outcome.message.find("HIP") != std::string::npos ||
              outcome.message.find("hip") != std::string::npos)
      << outcome.message;
}

TEST(GpuDevices, AutoFallsBackToTheCpu) {
  if (libraryLoads("libcuda.so.1"))
    GTEST_SKIP() << "a CUDA driver is installed";
  ContextPtr context = makeContext(2);
  ArtifactPtr artifact = loadSpec(addModelWithGpuExecutables());
  for (std::uint32_t flags :
       {0u, unsigned(KILN_SESSION_FLAG_CUDA_GRAPH | KILN_SESSION_FLAG_PROFILE),
        unsigned(KILN_SESSION_FLAG_CUDA_GRAPH)}) {
    SessionPtr session;
    Outcome created = createSession(context.get(), artifact.get(),
                                    KILN_DEVICE_AUTO, flags, &session);
    ASSERT_EQ(created.code, KILN_STATUS_OK) << created.message;
    EXPECT_EQ(kiln_session_device(session.get()), KILN_DEVICE_CPU);
    AddRun run;
    ASSERT_EQ(run.run(session.get()).code, KILN_STATUS_OK);
    run.expectCorrect();
  }
}

} // namespace
