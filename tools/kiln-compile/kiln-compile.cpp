//===- kiln-compile.cpp - Compile an ONNX model ---------------------------===//
//
// kiln-compile MODEL.onnx [-o OUT] [--compile-to=STAGE] [--input-shape=...]
//
// Imports the model and runs the compiler's stages up to the one asked
// for, printing that stage's IR (to stdout without -o). Every user error is
// one `error:` line and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Compiler.h"
#include "compiler/Driver/Diagnostics.h"
#include "compiler/Import/OnnxImporter.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Pipelines/Registration.h"
#include "compiler/Target/TargetBackend.h"
#include "targets/RegisterTargets.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {

cl::OptionCategory kilnCategory("Kiln options");

cl::opt<std::string> inputFile(cl::Positional,
                               cl::desc("<model.onnx or graph IR .mlir>"),
                               cl::Required, cl::cat(kilnCategory));
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: MODEL.kiln in the working folder for an "
                 "artifact, stdout for IR)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(kilnCategory));

using kiln::Stage;
cl::opt<Stage> compileTo(
    "compile-to", cl::desc("Stop after this stage and print its IR"),
    cl::values(clEnumValN(Stage::Graph, "graph",
                          "the imported, verified, canonicalized graph"),
               clEnumValN(Stage::Dispatch, "dispatch",
                          "linalg on tensors, grouped into kernels"),
               clEnumValN(Stage::Codegen, "codegen",
                          "each target's kernels in its lowest IR"),
               clEnumValN(Stage::Exec, "exec",
                          "the planned host program"),
               clEnumValN(Stage::Artifact, "artifact",
                          "the .kiln file (the default)")),
    cl::init(Stage::Artifact), cl::cat(kilnCategory));

cl::list<std::string> targets(
    "target", cl::desc("Targets to compile for (default: cpu)"),
    cl::CommaSeparated, cl::value_desc("name,..."), cl::cat(kilnCategory));

cl::opt<std::string> reportPath(
    "report",
    cl::desc("Write the dispatch report: FILE.json, or FILE.md for people"),
    cl::value_desc("file"), cl::cat(kilnCategory));

cl::opt<std::string> dumpIR(
    "dump-ir", cl::desc("Write every stage's IR as numbered files into DIR"),
    cl::value_desc("dir"), cl::cat(kilnCategory));

cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix an input's shape: NAME:D0xD1x... (repeatable; NAME: for a "
             "scalar)"),
    cl::value_desc("name:dims"), cl::cat(kilnCategory));

cl::opt<uint64_t> maxTensorBytes(
    "max-tensor-bytes",
    cl::desc("Most bytes of tensor data a model may declare, and that any "
             "one value or the planned arena may take (default 16 GiB)"),
    cl::init(uint64_t(16) << 30), cl::cat(kilnCategory));

/// Prints `message` as the tool's one error line and returns exit code 1.
int fail(const Twine &message) {
  errs() << "error: " << message << "\n";
  return 1;
}

/// Parses `--input-shape=NAME:D0xD1`, the dims after the last colon.
bool parseInputShape(StringRef spec, kiln::ImportOptions &options,
                     std::string &error) {
  size_t colon = spec.rfind(':');
  if (colon == StringRef::npos || colon == 0) {
    error = ("--input-shape '" + spec + "' is not NAME:D0xD1x...").str();
    return false;
  }
  StringRef name = spec.take_front(colon);
  StringRef dims = spec.drop_front(colon + 1);
  SmallVector<int64_t> shape;
  if (!dims.empty()) {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t d;
      if (part.getAsInteger(10, d) || d < 0) {
        error = ("--input-shape '" + spec + "': '" + part +
                 "' is not a dimension")
                    .str();
        return false;
      }
      shape.push_back(d);
    }
  }
  options.inputShapes[name] = shape;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // Passes first: --mlir-print-ir-after=PASS looks them up by name.
  kiln::registerAllPasses();
  kiln::registerAllTargets();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  // List Kiln's options, the targets' and MLIR's IR-inspection options;
  // hide the hundreds of LLVM internals.
  static cl::OptionCategory mlirCategory("MLIR options (IR printing, timing)");
  for (auto &entry : cl::getRegisteredOptions()) {
    StringRef name = entry.first;
    if (name.starts_with("mlir-print-ir") || name == "mlir-timing" ||
        name == "mlir-elide-elementsattrs-if-larger" ||
        name == "mlir-print-debuginfo" || name == "mlir-print-op-generic") {
      entry.second->addCategory(mlirCategory);
      entry.second->setHiddenFlag(cl::NotHidden);
    }
  }
  cl::HideUnrelatedOptions(
      {&kilnCategory, &kiln::getTargetOptionsCategory(), &mlirCategory});

  std::string parseErrors;
  raw_string_ostream parseErrorStream(parseErrors);
  if (!cl::ParseCommandLineOptions(argc, argv, "Kiln ONNX compiler\n",
                                   &parseErrorStream)) {
    StringRef first = StringRef(parseErrors).split('\n').first.trim();
    // cl prefixes its messages with the program name.
    size_t colon = first.find(": ");
    if (colon != StringRef::npos && first.starts_with("kiln-compile"))
      first = first.drop_front(colon + 2);
    return fail(first);
  }

  kiln::ImportOptions importOptions;
  importOptions.maxTensorBytes = maxTensorBytes;
  for (const std::string &spec : inputShapes) {
    std::string error;
    if (!parseInputShape(spec, importOptions, error))
      return fail(error);
  }

  mlir::DialectRegistry registry;
  kiln::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.allowUnregisteredDialects(false);
  kiln::UserDiagnosticHandler diagnostics(&context, errs());

  // A model, or graph-stage IR (`.mlir`) to start from.
  mlir::OwningOpRef<mlir::ModuleOp> module;
  if (StringRef(inputFile).ends_with(".mlir")) {
    if (!importOptions.inputShapes.empty())
      return fail("--input-shape applies to ONNX models, not to .mlir input");
    llvm::SourceMgr sourceMgr;
    std::string openError;
    std::unique_ptr<MemoryBuffer> buffer =
        mlir::openInputFile(inputFile, &openError);
    if (!buffer)
      return fail(openError);
    sourceMgr.AddNewSourceBuffer(std::move(buffer), SMLoc());
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  } else {
    module = kiln::importOnnxModelFile(inputFile, importOptions, &context);
  }
  if (!module)
    return 1;

  kiln::CompileOptions options;
  options.stage = compileTo;
  if (!targets.empty())
    options.targets.assign(targets.begin(), targets.end());
  options.dumpDir = dumpIR;
  options.reportPath = reportPath;
  options.maxTensorBytes = maxTensorBytes;
  options.configurePassManager = [](mlir::PassManager &pm) {
    mlir::applyDefaultTimingPassManagerCLOptions(pm);
    return mlir::applyPassManagerCLOptions(pm);
  };
  kiln::CompileResult result;
  if (failed(kiln::compile(*module, options, result)))
    return 1;

  std::string path = outputFile;
  if (compileTo == Stage::Artifact && path == "-") {
    // An artifact goes next to the working folder, named after the model.
    path = sys::path::stem(inputFile).str() + ".kiln";
  }
  std::string openError;
  std::unique_ptr<ToolOutputFile> output =
      mlir::openOutputFile(path, &openError);
  if (!output)
    return fail(openError);
  if (compileTo == Stage::Artifact)
    output->os().write(reinterpret_cast<const char *>(result.artifact.data()),
                       result.artifact.size());
  else {
    output->os() << result.ir;
    if (!result.ir.empty() && result.ir.back() != '\n')
      output->os() << '\n';
  }
  output->keep();
  return diagnostics.hadError() ? 1 : 0;
}
