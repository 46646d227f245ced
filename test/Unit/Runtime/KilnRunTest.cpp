//===- KilnRunTest.cpp - The kiln-run command line ------------------------===//
//
// Runs the kiln-run binary on the add model (TestArtifacts.h) and checks
// its output, its files, and that every user error is exactly one
// `error: ...` line on stderr with exit code 1.
//
//===----------------------------------------------------------------------===//

#include "KilnRunFixture.h"

#include "artifact/format.h"

#include <dlfcn.h>

namespace {

using namespace kiln::test;

using KilnRun = KilnRunFixture;

TEST_F(KilnRun, RunsAndPrintsOutputs) {
  Result result =
      run({path("add.kiln"), "--input=" + path("x.npy"),
           "--input=" + path("y.npy"), "--device=cpu", "--threads=2"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("device: cpu\n"), std::string::npos) << result.out;
  // z[i] = i + i/2 + 2.
  EXPECT_NE(result.out.find("output 0 'z': float32[1000] = [2, 3.5, 5, 6.5, 8, "
                            "9.5, 11, 12.5, ...]"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("output 1 'w': float32[10,100] = [2, 3.5,"),
            std::string::npos);
  EXPECT_NE(result.out.find("output 3 'k': int32[4] = [7, 8, 9, 10]\n"),
            std::string::npos);
}

TEST_F(KilnRun, BindsInputsByName) {
  Result result = run({path("add.kiln"), "--input=y=" + path("y.npy"),
                       "--input=x=" + path("x.npy"), "--quiet"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, ""); // --quiet
}

TEST_F(KilnRun, WritesOutputFiles) {
  Result result = run({path("add.kiln"), "--input=" + path("x.npy"),
                       "--input=" + path("y.npy"),
                       "--output-dir=" + path("out"), "--quiet"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  kiln::run::HostTensor tensor;
  std::string error;
  ASSERT_TRUE(
      kiln::run::readTensorFile(path("out/output_1.npy"), tensor, error))
      << error;
  EXPECT_EQ(tensor.type, KILN_F32);
  EXPECT_EQ(tensor.shape, (std::vector<std::int64_t>{10, 100}));
  const float *w = reinterpret_cast<const float *>(tensor.data.data());
  for (std::uint32_t i = 0; i < kAddElements; ++i)
    ASSERT_EQ(w[i], float(i) + float(i) / 2 + 2) << i;
  ASSERT_TRUE(
      kiln::run::readTensorFile(path("out/output_3.npy"), tensor, error));
  EXPECT_EQ(tensor.type, KILN_I32);
}

TEST_F(KilnRun, Benchmarks) {
  Result result =
      run({path("add.kiln"), "--input=" + path("x.npy"),
           "--input=" + path("y.npy"), "--benchmark=5", "--per-dispatch",
           "--quiet", "--benchmark-json=" + path("bench.json")});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("benchmark: 5 runs, min "), std::string::npos)
      << result.out;
  for (const char *name :
       {"add_constant", "add_inputs", "copy_result", "%", "min ms"})
    EXPECT_NE(result.out.find(name), std::string::npos) << result.out;
  std::string json = slurp(path("bench.json"));
  EXPECT_EQ(json.rfind("{\"runs\":5,\"median_ms\":", 0), 0u) << json;
  for (const char *part : {"\"min_ms\":", "\"p90_ms\":", "\"per_dispatch\":[",
                           "{\"name\":\"add_inputs\",\"median_ms\":",
                           "},{\"name\":"})
    EXPECT_NE(json.find(part), std::string::npos) << json;
  // Each dispatch's minimum, after its median.
  EXPECT_NE(json.find("\"min_ms\":", json.find("\"per_dispatch\":[")),
            std::string::npos)
      << json;
}

TEST_F(KilnRun, SkipsTheChecksumWhenAsked) {
  std::vector<std::uint8_t> bytes = buildArtifact(addModel());
  bytes[kiln::artifact::kChecksumOffset] ^= 1;
  writeBytes(path("bad-checksum.kiln"), bytes);
  expectError({path("bad-checksum.kiln")}, "artifact checksum mismatch");
  Result result = run({path("bad-checksum.kiln"), "--skip-checksum",
                       "--input=" + path("x.npy"), "--input=" + path("y.npy")});
  EXPECT_EQ(result.exitCode, 0) << result.err;
}

TEST_F(KilnRun, ReportsUserErrors) {
  const std::string art = path("add.kiln");
  const std::string x = "--input=" + path("x.npy");
  const std::string y = "--input=" + path("y.npy");
  expectError({}, "no artifact given");
  expectError({art, "--frobnicate"}, "unknown option '--frobnicate'");
  expectError({art, art}, "more than one artifact");
  expectError({path("missing.kiln")}, "cannot open artifact");
  expectError({path("x.npy")}, "not a Kiln artifact (bad magic)");
  expectError({art, x}, "missing input 1 'y' (float32[1000]); pass "
                        "--input=y=FILE");
  expectError({art, x, y, x}, "3 inputs given, the model has 2");
  expectError({art, x, "--input=" + path("y_int64.npy")},
              "input 'y' is float32, but " + path("y_int64.npy") +
                  " holds int64");
  expectError({art, x, "--input=" + path("y_2d.npy")},
              "input 'y' has shape [1000], but " + path("y_2d.npy") +
                  " holds [2,500]");
  expectError({art, "--input=q=" + path("x.npy")},
              "unknown input name 'q' (the model's inputs: x, y)");
  expectError({art, "--input=x=" + path("x.npy"), y}, "mix of named");
  expectError({art, "--input=x=" + path("x.npy"), "--input=x=" + path("x.npy")},
              "input 'x' given twice");
  expectError({art, x, "--input=" + path("nothing.npy")}, "cannot open");
  expectError({art, "--device=tpu"}, "unknown device 'tpu'");
  expectError({art, "--threads=many"}, "--threads expects a number");
  expectError({art, "--benchmark=0"}, "--benchmark expects a number of runs");
  expectError({art, "--benchmark-json=" + path("b.json")},
              "--benchmark-json needs --benchmark=N");
  expectError({art, x, y, "--output-dir=" + path("x.npy")},
              "is not a directory");
  expectError({art, x, y, "--device=hip"}, "HIP");
  void *cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (cuda)
    dlclose(cuda);
  else
    expectError({art, x, y, "--device=cuda"},
                "CUDA driver libcuda.so.1 not found");
}

TEST_F(KilnRun, PrintsHelp) {
  Result result = run({"--help"});
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_EQ(result.out.rfind("usage: kiln-run ART.kiln", 0), 0u);
}

} // namespace
