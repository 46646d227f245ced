//===- KilnRunTest.cpp - The kiln-run command line ------------------------===//
//
// Runs the kiln-run binary on the add model (TestArtifacts.h) and checks
// its output, its files, and that every user error is exactly one
// `error: ...` line on stderr with exit code 1.
//
//===----------------------------------------------------------------------===//

#include "TensorFiles.h"
#include "TestArtifacts.h"

#include "artifact/format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

using namespace kiln::test;

struct Result {
  int exitCode = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Writes a file of `bytes`.
void writeBytes(const std::string &path,
                const std::vector<std::uint8_t> &bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

/// A scratch folder with the add model and inputs for it.
class KilnRun : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/kiln-run-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    writeBytes(path("add.kiln"), buildArtifact(addModel()));
    std::vector<float> x(kAddElements), y(kAddElements);
    for (std::uint32_t i = 0; i < kAddElements; ++i) {
      x[i] = float(i);
      y[i] = 2.0f;
    }
    writeNpy("x.npy", KILN_F32, {std::int64_t(kAddElements)}, x.data(), 4000);
    writeNpy("y.npy", KILN_F32, {std::int64_t(kAddElements)}, y.data(), 4000);
    std::vector<std::int64_t> wide(kAddElements, 1);
    writeNpy("y_int64.npy", KILN_I64, {std::int64_t(kAddElements)}, wide.data(),
             8000);
    writeNpy("y_2d.npy", KILN_F32, {2, std::int64_t(kAddElements / 2)},
             y.data(), 4000);
  }

  void TearDown() override {
    std::string command = "rm -rf '" + dir_ + "'";
    (void)std::system(command.c_str());
  }

  std::string path(const std::string &name) const { return dir_ + "/" + name; }

  void writeNpy(const std::string &name, kiln_element_type_t type,
                std::vector<std::int64_t> shape, const void *data,
                std::size_t size) {
    std::vector<std::uint8_t> bytes;
    std::string error;
    ASSERT_TRUE(kiln::run::encodeNpy(type, shape.data(), shape.size(), data,
                                     size, bytes, error));
    writeBytes(path(name), bytes);
  }

  /// Runs kiln-run with `arguments`, capturing its output in files.
  Result run(std::vector<std::string> arguments) {
    std::string outPath = path("stdout.txt"), errPath = path("stderr.txt");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    arguments.insert(arguments.begin(), KILN_RUN_PATH);
    std::vector<char *> argv;
    for (std::string &argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    pid_t pid;
    Result result;
    int spawned = posix_spawn(&pid, KILN_RUN_PATH, &actions, nullptr,
                              argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
      return result;
    int status = 0;
    waitpid(pid, &status, 0);
    // A signal leaves exitCode at -1: never expected.
    if (WIFEXITED(status))
      result.exitCode = WEXITSTATUS(status);
    result.out = slurp(outPath);
    result.err = slurp(errPath);
    return result;
  }

  /// Expects a user error: one line "error: ..." containing `part`.
  void expectError(const std::vector<std::string> &arguments,
                   const std::string &part) {
    Result result = run(arguments);
    std::string command;
    for (const std::string &argument : arguments)
      command += " " + argument;
    EXPECT_EQ(result.exitCode, 1) << command;
    EXPECT_EQ(result.err.rfind("error: ", 0), 0u) << command << "\n"
                                                  << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << command << "\n"
        << result.err;
    EXPECT_NE(result.err.find(part), std::string::npos) << command << "\n"
                                                        << result.err;
  }

  std::string dir_;
};

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
  for (const char *name : {"add_constant", "add_inputs", "copy_result", "%"})
    EXPECT_NE(result.out.find(name), std::string::npos) << result.out;
  std::string json = slurp(path("bench.json"));
  EXPECT_EQ(json.rfind("{\"runs\":5,\"median_ms\":", 0), 0u) << json;
  for (const char *part : {"\"min_ms\":", "\"p90_ms\":", "\"per_dispatch\":[",
                           "{\"name\":\"add_inputs\",\"median_ms\":"})
    EXPECT_NE(json.find(part), std::string::npos) << json;
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
