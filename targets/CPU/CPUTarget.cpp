//===- CPUTarget.cpp - The CPU backend ------------------------------------===//
//
// Compiles every kernel of a model into one ELF shared object for the host
// (or the CPU named by --cpu=): the shared codegen front, loops lowered to
// LLVM, LLVM's O3 pipeline for the chosen CPU, one object file, linked with
// ld.lld from LLVM 22.
//
//===----------------------------------------------------------------------===//

#include "targets/CPU/CPUTarget.h"
#include "targets/CPU/Passes.h"

#include "compiler/Codegen/Passes.h"
#include "compiler/Target/TargetBackend.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <unistd.h>

using namespace mlir;

namespace kiln::cpu {
namespace {

/// `--cpu=NAME`: the CPU to generate code for; "host" (the default) is the
/// machine running the compiler, with all its features.
llvm::cl::opt<std::string> &getCPUOption() {
  static llvm::cl::opt<std::string> option(
      "cpu",
      llvm::cl::desc("CPU to generate code for, as LLVM names it "
                     "(skylake-avx512, znver4, ...; default: host)"),
      llvm::cl::init("host"), llvm::cl::cat(getTargetOptionsCategory()));
  return option;
}

/// The LLVM TargetMachine for the selected CPU, or failure with an error.
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(Location loc, std::string &cpuName) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string tripleName = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(loc) << "no LLVM target for " << tripleName << ": "
                          << error;
  std::string features;
  cpuName = getCPUOption();
  // Check the name before LLVM sees it: LLVM only warns about an unknown
  // CPU and carries on with a generic one.
  if (cpuName != "host" && triple.isX86() &&
      llvm::X86::parseArchX86(cpuName, /*Only64Bit=*/true) ==
          llvm::X86::CK_None) {
    return emitError(loc) << "unknown CPU '" << cpuName
                          << "' (--cpu takes host or an LLVM CPU name such as "
                             "x86-64-v3, skylake-avx512, znver4)";
  }
  if (cpuName == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (feature.second ? "+" : "-") + feature.first().str() + ",";
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return emitError(loc) << "cannot create a target machine for CPU '"
                          << cpuName << "'";
  if (!target->getName() || cpuName.empty() ||
      !machine->getMCSubtargetInfo()->isCPUStringValid(cpuName))
    return emitError(loc) << "unknown CPU '" << getCPUOption() << "' for "
                          << tripleName;
  return machine;
}

/// Runs `program` with `args`; fails with its output on a non-zero exit.
LogicalResult runTool(Location loc, StringRef program,
                      ArrayRef<StringRef> args) {
  SmallString<128> log;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("kiln-link", "log", fd, log))
    return emitError(loc) << "cannot create a temporary file";
  ::close(fd);
  std::optional<StringRef> redirects[] = {std::nullopt, log.str(), log.str()};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(program, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/300, 0, &message);
  auto output = llvm::MemoryBuffer::getFile(log);
  llvm::sys::fs::remove(log);
  if (rc != 0)
    return emitError(loc) << program << " failed: " << message << " "
                          << (output ? (*output)->getBuffer() : "");
  return success();
}

class CPUTargetBackend final : public TargetBackend {
public:
  StringRef getName() const override { return "cpu"; }
  StringRef getDeviceKind() const override { return "cpu"; }
  bool supportsPretiledKernels() const override { return true; }
  /// The register tile along the filters (TileAndVectorize): two vectors.
  int64_t getConvFilterPanel() const override {
    return 2 * std::max<int64_t>(getVectorBits() / 32, 1);
  }
  /// The register tile's columns (TileAndVectorize): two vectors.
  int64_t getMatmulPanel() const override { return getConvFilterPanel(); }
  /// The transformed products' register tile: two vectors of filters.
  int64_t getWinogradFilterPanel() const override {
    return getConvFilterPanel();
  }

  void buildCodegenPipeline(OpPassManager &pm) override {
    buildCPUCodegenPipeline(pm, getVectorBits());
  }

  /// The widest vector registers of the selected CPU that LLVM uses well:
  /// 512 bits with AVX-512, 256 with AVX, else 128.
  static int64_t getVectorBits() {
    MLIRContext context;
    // An unknown CPU is reported when the kernels are compiled.
    ScopedDiagnosticHandler silence(&context,
                                    [](Diagnostic &) { return success(); });
    std::string cpuName;
    FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
        createTargetMachine(UnknownLoc::get(&context), cpuName);
    if (failed(machine))
      return 512;
    const llvm::MCSubtargetInfo *info = (*machine)->getMCSubtargetInfo();
    if (!(*machine)->getTargetTriple().isX86())
      return 128;
    if (info->checkFeatures("+avx512f"))
      return 512;
    if (info->checkFeatures("+avx"))
      return 256;
    return 128;
  }

  FailureOr<std::vector<ExecutableBinary>>
  compile(ModuleOp kernels, ArrayRef<std::string> order,
          const IRDumper &dump) override {
    Location loc = kernels.getLoc();
    PassManager pm(kernels.getContext(), ModuleOp::getOperationName());
    if (failed(configurePassManager(pm)))
      return failure();
    buildCodegenPipeline(pm);
    if (failed(pm.run(kernels)))
      return failure();
    if (dump) {
      std::string text;
      llvm::raw_string_ostream os(text);
      kernels.print(os);
      dump("cpu-llvm-dialect.mlir", text);
    }

    ExecutableBinary binary;
    binary.device = "cpu";
    binary.format = ExecutableFormat::ElfSharedObject;
    for (const std::string &name : order) {
      auto func = kernels.lookupSymbol<LLVM::LLVMFuncOp>(name);
      if (!func)
        return emitError(loc) << "internal error: kernel " << name
                              << " was not compiled";
      KernelLaunchInfo info;
      info.symbol = name;
      auto grid = func->getAttrOfType<DenseI64ArrayAttr>(kGridAttr);
      for (int i = 0; i < 3 && grid; ++i)
        info.grid[i] = uint32_t(grid[i]);
      binary.kernels.push_back(info);
    }

    std::string cpuName;
    FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
        createTargetMachine(loc, cpuName);
    if (failed(machine))
      return failure();
    binary.arch = cpuName;

    registerBuiltinDialectTranslation(*kernels.getContext());
    registerLLVMDialectTranslation(*kernels.getContext());
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> module =
        translateModuleToLLVMIR(kernels, llvmContext, "kiln_kernels");
    if (!module)
      return emitError(loc) << "cannot translate the kernels to LLVM IR";
    module->setTargetTriple((*machine)->getTargetTriple());
    module->setDataLayout((*machine)->createDataLayout());
    auto optimize = makeOptimizingTransformer(3, 0, machine->get());
    if (llvm::Error error = optimize(module.get()))
      return emitError(loc) << "LLVM optimization failed: "
                            << llvm::toString(std::move(error));
    if (dump) {
      std::string text;
      llvm::raw_string_ostream os(text);
      module->print(os, nullptr);
      dump("cpu.ll", text);
    }

    // Object file, then a shared object linked by ld.lld.
    SmallString<128> objectPath, sharedPath;
    int objectFd, sharedFd;
    if (llvm::sys::fs::createTemporaryFile("kiln-kernels", "o", objectFd,
                                           objectPath) ||
        llvm::sys::fs::createTemporaryFile("kiln-kernels", "so", sharedFd,
                                           sharedPath))
      return emitError(loc) << "cannot create temporary files";
    auto cleanup = llvm::make_scope_exit([&] {
      llvm::sys::fs::remove(objectPath);
      llvm::sys::fs::remove(sharedPath);
    });
    {
      llvm::raw_fd_ostream object(objectFd, /*shouldClose=*/true);
      ::close(sharedFd);
      llvm::legacy::PassManager codegen;
      if ((*machine)->addPassesToEmitFile(codegen, object, nullptr,
                                          llvm::CodeGenFileType::ObjectFile))
        return emitError(loc) << "the CPU target cannot emit object files";
      codegen.run(*module);
    }
    std::string lld = getLinkerPath();
    SmallVector<StringRef> args = {lld,       "-shared",       "--as-needed",
                                   "-o",      sharedPath,      objectPath,
                                   "-lm",     "-L/lib/x86_64-linux-gnu",
                                   "-L/usr/lib/x86_64-linux-gnu",
                                   "--gc-sections", "-O2"};
    if (failed(runTool(loc, lld, args)))
      return failure();
    auto shared = llvm::MemoryBuffer::getFile(sharedPath, /*IsText=*/false);
    if (!shared)
      return emitError(loc) << "cannot read the linked kernels";
    StringRef bytes = (*shared)->getBuffer();
    binary.data.assign(bytes.begin(), bytes.end());
    return std::vector<ExecutableBinary>{std::move(binary)};
  }

private:
  static std::string getLinkerPath() {
    if (auto found = llvm::sys::findProgramByName(
            "ld.lld", {"/usr/lib/llvm-22/bin"}))
      return *found;
    return "/usr/lib/llvm-22/bin/ld.lld";
  }
};

} // namespace
} // namespace kiln::cpu

namespace kiln {

void registerCPUTarget() {
  (void)cpu::getCPUOption();
  cpu::registerCPUPasses();
  cpu::registerCPUCodegenPipeline();
  registerTargetBackend("cpu", [] {
    return std::make_unique<cpu::CPUTargetBackend>();
  });
}

} // namespace kiln
