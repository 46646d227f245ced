//===- ReplayMain.cpp - Runs a fuzz target over saved inputs --------------===//
//
// A main() for a libFuzzer target in a build without libFuzzer: each
// argument is a file, or a folder whose files are each one input. Prints
// one line per input and exits 0 when all of them ran; a bug aborts, as it
// would under the fuzzer. The tests replay the regression inputs this way.
//
//===----------------------------------------------------------------------===//

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size);

namespace {

/// The files named by `path`: itself, or a folder's files in name order.
std::vector<std::string> expand(const std::string &path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    return {path};
  std::vector<std::string> files;
  if (DIR *dir = opendir(path.c_str())) {
    while (dirent *entry = readdir(dir))
      if (entry->d_name[0] != '.')
        files.push_back(path + "/" + entry->d_name);
    closedir(dir);
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
    return 2;
  }
  LLVMFuzzerInitialize(&argc, &argv);
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::string &file : expand(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "error: cannot read %s\n", file.c_str());
        return 1;
      }
      std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
      // A copy of exactly the input's size, as libFuzzer passes it, so
      // that a read past the end is caught.
      std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[bytes.size()]);
      std::copy(bytes.begin(), bytes.end(), data.get());
      LLVMFuzzerTestOneInput(data.get(), bytes.size());
      std::printf("ran %s (%zu bytes)\n", file.c_str(), bytes.size());
      std::fflush(stdout);
      ++count;
    }
  }
  std::printf("ran %zu inputs\n", count);
  return 0;
}
