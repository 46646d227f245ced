//===- KilnRunFixture.h - Running kiln-run from tests -----------*- C++ -*-===//
//
// A scratch folder with the add model (TestArtifacts.h) and its inputs,
// and a helper that runs the kiln-run binary with arguments and extra
// environment, capturing its exit code and output.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TEST_UNIT_RUNTIME_KILNRUNFIXTURE_H
#define KILN_TEST_UNIT_RUNTIME_KILNRUNFIXTURE_H

#include "TensorFiles.h"
#include "TestArtifacts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace kiln::test {

struct Result {
  int exitCode = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Writes a file of `bytes`.
inline void writeBytes(const std::string &path,
                       const std::vector<std::uint8_t> &bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

/// A scratch folder with the add model and inputs for it.
class KilnRunFixture : public testing::Test {
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

  /// Runs kiln-run with `arguments` and, added to this process's
  /// environment, `environment` ("NAME=value"), capturing its output.
  Result run(std::vector<std::string> arguments,
             std::vector<std::string> environment = {}) {
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
    std::vector<char *> envp;
    for (std::string &entry : environment)
      envp.push_back(entry.data());
    for (char **entry = environ; *entry; ++entry)
      envp.push_back(*entry);
    envp.push_back(nullptr);
    int spawned = posix_spawn(&pid, KILN_RUN_PATH, &actions, nullptr,
                              argv.data(), envp.data());
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
                   const std::string &part,
                   const std::vector<std::string> &environment = {}) {
    Result result = run(arguments, environment);
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

} // namespace kiln::test

#endif // KILN_TEST_UNIT_RUNTIME_KILNRUNFIXTURE_H
