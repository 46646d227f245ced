//===- ImportFuzzer.cpp - Fuzz target: ONNX bytes to the graph stage ------===//
//
// Feeds arbitrary bytes to the importer as a serialized ModelProto, and a
// module that imports to the graph pipeline, as kiln-compile does. A
// failure must come with an error diagnostic (the one line kiln-compile
// prints); anything else (a crash, a sanitizer report, an assertion, a
// failure without an error) is a bug.
//
// Built twice: with libFuzzer (`kiln-fuzz-import`, in the sanitizer build
// of `make fuzz`) and with ReplayMain.cpp (`kiln-fuzz-import-replay`, in
// every build), which runs saved inputs through the same code.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Compiler.h"
#include "compiler/Import/OnnxImporter.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Pipelines/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

/// The limit on tensor data the target imports with: far below
/// libFuzzer's default RSS limit (2 GiB), so that a model declaring large
/// weights meets the importer's check rather than the fuzzer's.
constexpr std::uint64_t kMaxTensorBytes = std::uint64_t(16) << 20;

mlir::DialectRegistry *registry = nullptr;
/// A folder with small files that models may name as external data.
std::string *modelDir = nullptr;

void writeFile(const llvm::Twine &path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path.str(), ec);
  if (ec) {
    std::fprintf(stderr, "cannot write %s: %s\n", path.str().c_str(),
                 ec.message().c_str());
    std::abort();
  }
  os << bytes;
}

/// Aborts, so that the fuzzer reports the input, when the code under test
/// failed without saying why.
void requireError(unsigned errors, const char *stage) {
  if (errors > 0)
    return;
  std::fprintf(stderr, "BUG: %s failed without an error diagnostic\n", stage);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  registry = new mlir::DialectRegistry();
  kiln::registerAllDialects(*registry);
  // External data: a folder with a 64-byte file, the names the seed models
  // and the mutations are likely to use.
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("kiln-fuzz-import", dir)) {
    std::fprintf(stderr, "cannot create a temporary folder\n");
    std::abort();
  }
  modelDir = new std::string(dir.str());
  std::string bytes(64, '\0');
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = char(i * 7);
  writeFile(dir + "/weights.bin", bytes);
  writeFile(dir + "/w", bytes);
  writeFile(dir + "/empty.bin", "");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  if (!registry)
    LLVMFuzzerInitialize(nullptr, nullptr);
  // A fresh context per input: nothing carries over between inputs, so
  // every crash reproduces from its input alone.
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  unsigned errors = 0;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++errors;
    return mlir::success();
  });

  kiln::ImportOptions options;
  options.maxTensorBytes = kMaxTensorBytes;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module = kiln::importOnnxModelBytes(
      bytes, *modelDir, "fuzz.onnx", options, &context);
  if (!module) {
    requireError(errors, "import");
    return 0;
  }

  mlir::PassManager pm(&context, mlir::ModuleOp::getOperationName());
  kiln::buildGraphPipeline(pm);
  if (mlir::failed(pm.run(*module))) {
    requireError(errors, "the graph pipeline");
    return 0;
  }
  if (mlir::failed(kiln::checkTensorSizes(*module, kMaxTensorBytes)))
    requireError(errors, "the tensor size check");
  return 0;
}
