//===- FakeGpuTest.cpp - The CUDA and HIP devices on a stand-in driver ----===//
//
// Runs kiln-run with FakeGpuDriver.c in place of libcuda.so.1 and
// libamdhip64.so, so that the GPU devices' own code runs here: driver
// loading, executable choice, argument marshalling, copies, graphs,
// profiling and error reporting. The driver logs its calls; the tests read
// the log. What this cannot show is that real kernels and a real driver
// behave the same way.
//
//===----------------------------------------------------------------------===//

#include "KilnRunFixture.h"

namespace {

using namespace kiln::test;
using kiln::artifact::ExecutableFormat;

/// The expected first values of output z for x[i] = i, y[i] = 2.
const char *const kFirstOutput =
    "output 0 'z': float32[1000] = [2, 3.5, 5, 6.5, 8, 9.5, 11, 12.5, ...]";

class FakeGpu : public KilnRunFixture {
protected:
  void SetUp() override {
    KilnRunFixture::SetUp();
    ArtifactSpec spec = addModel();
    addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Ptx, "ptx80");
    addFakeGpuExecutable(spec, "cuda", "sm_90", ExecutableFormat::Cubin,
                         "cubin90");
    addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Cubin,
                         "cubin80");
    addFakeGpuExecutable(spec, "hip", "gfx90a", ExecutableFormat::Hsaco,
                         "hsaco90a");
    addFakeGpuExecutable(spec, "hip", "gfx942", ExecutableFormat::Hsaco,
                         "hsaco942");
    writeBytes(path("gpu.kiln"), buildArtifact(spec));
  }

  /// Runs kiln-run on `artifact` with both inputs and the fake drivers.
  Result runGpu(const std::string &artifact, std::vector<std::string> extra,
                std::vector<std::string> environment = {}) {
    std::vector<std::string> arguments = {
        path(artifact), "--input=" + path("x.npy"), "--input=" + path("y.npy")};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run(arguments, fakeEnvironment(environment));
  }

  std::vector<std::string>
  fakeEnvironment(std::vector<std::string> environment = {}) {
    environment.push_back(std::string("LD_LIBRARY_PATH=") + KILN_FAKE_GPU_DIR);
    environment.push_back("KILN_FAKE_GPU_LOG=" + path("gpu.log"));
    return environment;
  }

  std::string log() { return slurp(path("gpu.log")); }

  static int count(const std::string &text, const std::string &part) {
    int found = 0;
    for (std::size_t at = text.find(part); at != std::string::npos;
         at = text.find(part, at + 1))
      ++found;
    return found;
  }
};

TEST_F(FakeGpu, CudaRunsTheModel) {
  Result result = runGpu("gpu.kiln", {"--device=cuda"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("device: cuda\n"), std::string::npos);
  EXPECT_NE(result.out.find(kFirstOutput), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("output 3 'k': int32[4] = [7, 8, 9, 10]"),
            std::string::npos);
  std::string calls = log();
  // The cubin for exactly sm_80 wins over PTX and the sm_90 cubin.
  EXPECT_EQ(count(calls, "cuModuleLoadDataEx "), 1) << calls;
  EXPECT_EQ(count(calls, "cuModuleLoadDataEx cubin80"), 1) << calls;
  // One arena and one constants allocation, nothing per run.
  EXPECT_EQ(count(calls, "cuMemAlloc "), 2) << calls;
  // Grids and blocks from the kernel table; the Copy command is a device
  // copy, not a launch.
  EXPECT_EQ(count(calls, "cuLaunchKernel kiln_test_add_f32 grid 16x1x1 block "
                         "64x1x1 shared 0\n"),
            1)
      << calls;
  EXPECT_EQ(count(calls, "cuLaunchKernel kiln_test_add_f32 grid 4x2x2 block "
                         "64x1x1 shared 0\n"),
            1);
  EXPECT_EQ(count(calls, "cuLaunchKernel kiln_test_copy_bytes grid 1x1x1"), 1);
  EXPECT_EQ(count(calls, "cuStreamCreate flags 1"), 1);
  // Released at exit.
  EXPECT_EQ(count(calls, "cuModuleUnload cubin80"), 1);
  EXPECT_EQ(count(calls, "cuDevicePrimaryCtxRelease"), 1);
}

TEST_F(FakeGpu, CudaPicksTheExecutableForTheArchitecture) {
  // sm_86: the sm_80 cubin runs (same major, lower minor).
  ASSERT_EQ(runGpu("gpu.kiln", {"--device=cuda", "--quiet"},
                   {"KILN_FAKE_CUDA_ARCH=86"})
                .exitCode,
            0);
  EXPECT_EQ(count(log(), "cuModuleLoadDataEx cubin80"), 1) << log();
  // sm_90: its own cubin.
  ASSERT_EQ(runGpu("gpu.kiln", {"--device=cuda", "--quiet"},
                   {"KILN_FAKE_CUDA_ARCH=90"})
                .exitCode,
            0);
  EXPECT_EQ(count(log(), "cuModuleLoadDataEx cubin90"), 1) << log();
  // sm_75: no cubin fits and the PTX is for a newer GPU.
  expectError({path("gpu.kiln"), "--input=" + path("x.npy"),
               "--input=" + path("y.npy"), "--device=cuda"},
              "the artifact has no CUDA executable for sm_75 (it has: sm_80, "
              "sm_90, sm_80)",
              fakeEnvironment({"KILN_FAKE_CUDA_ARCH=75"}));

  // Only PTX: JIT-compiled on a newer GPU.
  ArtifactSpec spec = addModel();
  addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Ptx, "ptx80");
  writeBytes(path("ptx.kiln"), buildArtifact(spec));
  Result result =
      runGpu("ptx.kiln", {"--device=cuda"}, {"KILN_FAKE_CUDA_ARCH=90"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find(kFirstOutput), std::string::npos);
  EXPECT_EQ(count(log(), "cuModuleLoadDataEx ptx80"), 1);
}

TEST_F(FakeGpu, CudaReplaysAGraph) {
  Result result =
      runGpu("gpu.kiln", {"--device=cuda", "--cuda-graph", "--benchmark=3"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find(kFirstOutput), std::string::npos) << result.out;
  std::string calls = log();
  EXPECT_EQ(count(calls, "cuStreamBeginCapture mode 1"), 1) << calls;
  // Three launches and the Copy command, captured once at creation.
  EXPECT_EQ(count(calls, "cuStreamEndCapture 4 operations"), 1) << calls;
  EXPECT_EQ(count(calls, "(captured)"), 3);
  EXPECT_EQ(count(calls, "cuLaunchKernel"), 3);
  // One replay per run: the first run and three timed ones.
  EXPECT_EQ(count(calls, "cuGraphLaunch 4 operations"), 4) << calls;
  EXPECT_EQ(count(calls, "cuMemAlloc "), 2);
}

TEST_F(FakeGpu, CudaProfilesWithoutAGraph) {
  Result result = runGpu("gpu.kiln", {"--device=cuda", "--cuda-graph",
                                      "--per-dispatch", "--benchmark=2"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("add_constant"), std::string::npos);
  std::string calls = log();
  EXPECT_EQ(count(calls, "cuStreamBeginCapture"), 0);
  EXPECT_EQ(count(calls, "cuLaunchKernel kiln_test_add_f32"), 2 * 3);
}

TEST_F(FakeGpu, CudaRequestsLargeSharedMemory) {
  ArtifactSpec spec = addModel();
  addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Cubin, "big");
  spec.executables[1].kernels[0].sharedMemoryBytes = 100 * 1024;
  writeBytes(path("shared.kiln"), buildArtifact(spec));
  Result result = runGpu("shared.kiln", {"--device=cuda", "--quiet"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, then the launch.
  EXPECT_EQ(count(log(), "cuFuncSetAttribute kiln_test_add_f32 8 102400"), 1)
      << log();
  EXPECT_EQ(count(log(), "grid 16x1x1 block 64x1x1 shared 102400"), 1);
}

TEST_F(FakeGpu, CudaReportsLoadFailuresOnOneLine) {
  ArtifactSpec spec = addModel();
  addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Ptx,
                       "broken-ptx");
  writeBytes(path("broken.kiln"), buildArtifact(spec));
  expectError({path("broken.kiln"), "--input=" + path("x.npy"),
               "--input=" + path("y.npy"), "--device=cuda"},
              "cannot load the CUDA executable for sm_80: cuModuleLoadDataEx "
              "failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed): "
              "ptxas fatal : broken image",
              fakeEnvironment());

  spec = addModel();
  addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Cubin, "ok");
  spec.executables[1].kernels[1].symbol = "no_such_kernel";
  writeBytes(path("symbol.kiln"), buildArtifact(spec));
  expectError({path("symbol.kiln"), "--input=" + path("x.npy"),
               "--input=" + path("y.npy"), "--device=cuda"},
              "the CUDA executable has no kernel 'no_such_kernel' (dispatch "
              "1, 'add_inputs')",
              fakeEnvironment());
}

TEST_F(FakeGpu, AutoPrefersAWorkingGpu) {
  Result result = runGpu("gpu.kiln", {});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("device: cuda\n"), std::string::npos);

  // CUDA kernels that do not load: AUTO moves on to HIP.
  ArtifactSpec spec = addModel();
  addFakeGpuExecutable(spec, "cuda", "sm_80", ExecutableFormat::Ptx,
                       "broken-ptx");
  addFakeGpuExecutable(spec, "hip", "gfx942", ExecutableFormat::Hsaco,
                       "hsaco942");
  writeBytes(path("fallback.kiln"), buildArtifact(spec));
  result = runGpu("fallback.kiln", {});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("device: hip\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(kFirstOutput), std::string::npos);
}

TEST_F(FakeGpu, HipRunsTheModel) {
  Result result = runGpu("gpu.kiln", {"--device=hip", "--benchmark=2"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("device: hip\n"), std::string::npos);
  EXPECT_NE(result.out.find(kFirstOutput), std::string::npos) << result.out;
  std::string calls = log();
  // gcnArchName "gfx942:sramecc+:xnack-" selects the gfx942 code object.
  EXPECT_EQ(count(calls, "hipModuleLoadData "), 1) << calls;
  EXPECT_EQ(count(calls, "hipModuleLoadData hsaco942"), 1) << calls;
  EXPECT_EQ(count(calls, "hipMalloc "), 2) << calls;
  EXPECT_EQ(count(calls, "hipModuleLaunchKernel kiln_test_add_f32 grid 4x2x2 "
                         "block 64x1x1"),
            3);
  EXPECT_EQ(count(calls, "hipModuleUnload hsaco942"), 1);

  expectError({path("gpu.kiln"), "--input=" + path("x.npy"),
               "--input=" + path("y.npy"), "--device=hip"},
              "the artifact has no HIP executable for gfx1100 (it has: "
              "gfx90a, gfx942)",
              fakeEnvironment({"KILN_FAKE_HIP_ARCH=gfx1100"}));
}

} // namespace
