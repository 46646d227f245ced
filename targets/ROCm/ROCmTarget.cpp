//===- ROCmTarget.cpp - The AMD backend -----------------------------------===//
//
// Compiles every kernel of a model into one HSA code object (HSACO, code
// object v5) for each architecture of --rocm-arch (default gfx90a, gfx942,
// gfx1100): the shared GPU codegen, run once per family of chips that share
// a wave size and matrix instructions; the ROCDL lowering per chip; LLVM's
// AMDGPU back end to assembly, with the ROCm device libraries linked for
// math functions; LLVM's assembler (in process, as llvm-mc would) to an
// object and ld.lld --no-undefined to the code object, so that a function
// the libraries lack is an error here, not at load time.
//
//===----------------------------------------------------------------------===//

#include "targets/ROCm/ROCmTarget.h"

#include "targets/GPUCommon/Passes.h"
#include "targets/GPUCommon/Serialization.h"

#include "compiler/Codegen/Passes.h"
#include "compiler/Target/TargetBackend.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/ROCDL/Target.h"
#include "mlir/Target/LLVMIR/Dialect/ROCDL/ROCDLToLLVMIRTranslation.h"
#include "llvm/MC/MCAsmBackend.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCCodeEmitter.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCObjectFileInfo.h"
#include "llvm/MC/MCObjectWriter.h"
#include "llvm/MC/MCParser/MCAsmParser.h"
#include "llvm/MC/MCParser/MCTargetAsmParser.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/TargetParser.h"

#include <map>

#ifndef KILN_ROCM_ROOT
#define KILN_ROCM_ROOT ""
#endif
#ifndef KILN_LLVM_TOOLS_DIR
#define KILN_LLVM_TOOLS_DIR "/usr/lib/llvm-22/bin"
#endif

using namespace mlir;

namespace kiln::rocm {
namespace {

//===----------------------------------------------------------------------===//
// Options and architectures
//===----------------------------------------------------------------------===//

struct Options {
  llvm::cl::list<std::string> archs{
      "rocm-arch",
      llvm::cl::desc("AMD GPU architectures to compile for (default: "
                     "gfx90a,gfx942,gfx1100); each gives one code object"),
      llvm::cl::CommaSeparated, llvm::cl::value_desc("gfxNNN,..."),
      llvm::cl::cat(getTargetOptionsCategory())};
  llvm::cl::opt<std::string> path{
      "rocm-path",
      llvm::cl::desc("ROCm folder with the device libraries in "
                     "amdgcn/bitcode (default: $ROCM_PATH, the layout the "
                     "build made of Debian's rocm-device-libs, /opt/rocm)"),
      llvm::cl::value_desc("dir"), llvm::cl::cat(getTargetOptionsCategory())};
};

Options &getOptions() {
  static Options options;
  return options;
}

/// One architecture and the shared codegen's view of it.
struct Arch {
  std::string name;
  gpu::GPUTargetInfo info;
  /// Architectures with equal keys share the shared codegen's output.
  std::string family;
};

/// The architecture called `name`; an error at `loc` (when given) if it
/// is not one.
FailureOr<Arch> describeArch(std::optional<Location> loc, StringRef name,
                             const MatrixInstructionNames &instructions) {
  if (!name.starts_with("gfx") ||
      llvm::AMDGPU::parseArchAMDGCN(name) == llvm::AMDGPU::GK_NONE) {
    if (loc)
      emitError(*loc) << "--rocm-arch: '" << name
                      << "' is not an AMD GPU architecture (gfxNNN)";
    return failure();
  }
  llvm::AMDGPU::IsaVersion isa = llvm::AMDGPU::getIsaVersion(name);
  Arch arch;
  arch.name = name.str();
  // GCN and CDNA run waves of 64, RDNA of 32 (LLVM's default there).
  arch.info.subgroupSize = isa.Major >= 10 ? 32 : 64;
  arch.info.maxThreads = 256;
  arch.info.sharedMemoryBytes = 64 * 1024;
  bool cdna = isa.Major == 9 && (name == "gfx90a" || isa.Minor >= 4);
  if (cdna)
    arch.info.intrinsics = instructions.mfma;
  else if (isa.Major == 11)
    arch.info.intrinsics = instructions.wmma;
  arch.family = std::to_string(arch.info.subgroupSize) + ":";
  for (const std::string &intrinsic : arch.info.intrinsics)
    arch.family += intrinsic + ",";
  return arch;
}

/// The architectures of --rocm-arch; without `loc`, invalid names are
/// left out silently.
FailureOr<std::vector<Arch>> parseArchs(std::optional<Location> loc) {
  static const MatrixInstructionNames instructions =
      registerMatrixInstructions();
  std::vector<std::string> names(getOptions().archs.begin(),
                                 getOptions().archs.end());
  if (names.empty())
    names = {"gfx90a", "gfx942", "gfx1100"};
  std::vector<Arch> archs;
  for (const std::string &name : names) {
    if (llvm::any_of(archs, [&](const Arch &a) { return a.name == name; }))
      continue;
    FailureOr<Arch> arch = describeArch(loc, name, instructions);
    if (failed(arch)) {
      if (loc)
        return failure();
      continue;
    }
    archs.push_back(std::move(*arch));
  }
  return archs;
}

//===----------------------------------------------------------------------===//
// Tools: the device libraries, the assembler, ld.lld
//===----------------------------------------------------------------------===//

/// The ROCm folder whose amdgcn/bitcode holds the device libraries, or
/// empty when none is found.
std::string findRocmRoot() {
  SmallVector<std::string> candidates;
  if (!getOptions().path.empty()) {
    candidates.push_back(getOptions().path);
  } else {
    for (const char *variable : {"ROCM_PATH", "ROCM_ROOT", "ROCM_HOME"})
      if (std::optional<std::string> value =
              llvm::sys::Process::GetEnv(variable))
        candidates.push_back(*value);
    candidates.push_back(KILN_ROCM_ROOT);
    candidates.push_back("/opt/rocm");
  }
  for (const std::string &root : candidates) {
    SmallString<256> ocml(root);
    llvm::sys::path::append(ocml, "amdgcn", "bitcode", "ocml.bc");
    if (!root.empty() && llvm::sys::fs::is_regular_file(ocml))
      return root;
  }
  return "";
}

std::string findLLVMTool(StringRef name) {
  if (llvm::ErrorOr<std::string> found =
          llvm::sys::findProgramByName(name, {KILN_LLVM_TOOLS_DIR}))
    return *found;
  return (KILN_LLVM_TOOLS_DIR "/" + name).str();
}

/// Assembles `isa` for `chip` into an ELF object, in process: what llvm-mc
/// -filetype=obj does, without starting a process per architecture.
FailureOr<SmallVector<char, 0>> assemble(Location loc, StringRef chip,
                                         StringRef isa) {
  static bool initialized = [] {
    LLVMInitializeAMDGPUTargetInfo();
    LLVMInitializeAMDGPUTargetMC();
    LLVMInitializeAMDGPUAsmParser();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple("amdgcn-amd-amdhsa");
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(loc) << "LLVM has no AMDGPU target: " << error;
  std::string messages;
  llvm::raw_string_ostream messageStream(messages);
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(isa),
                             llvm::SMLoc());
  sources.setDiagHandler(
      [](const llvm::SMDiagnostic &diag, void *stream) {
        diag.print(nullptr, *static_cast<llvm::raw_ostream *>(stream),
                   /*ShowColors=*/false);
      },
      &messageStream);
  llvm::MCTargetOptions options;
  std::unique_ptr<llvm::MCRegisterInfo> registers(
      target->createMCRegInfo(triple));
  std::unique_ptr<llvm::MCAsmInfo> asmInfo(
      target->createMCAsmInfo(*registers, triple, options));
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, chip, ""));
  std::unique_ptr<llvm::MCInstrInfo> instructions(target->createMCInstrInfo());
  if (!registers || !asmInfo || !subtarget || !instructions)
    return emitError(loc) << "LLVM's AMDGPU target lacks its MC layer";
  llvm::MCContext context(triple, asmInfo.get(), registers.get(),
                          subtarget.get(), &sources, &options);
  std::unique_ptr<llvm::MCObjectFileInfo> objectInfo(
      target->createMCObjectFileInfo(context, /*PIC=*/false));
  context.setObjectFileInfo(objectInfo.get());

  SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  std::unique_ptr<llvm::MCAsmBackend> backend(
      target->createMCAsmBackend(*subtarget, *registers, options));
  std::unique_ptr<llvm::MCCodeEmitter> emitter(
      target->createMCCodeEmitter(*instructions, context));
  if (!backend || !emitter)
    return emitError(loc) << "LLVM's AMDGPU target lacks an object writer";
  std::unique_ptr<llvm::MCObjectWriter> writer = backend->createObjectWriter(os);
  std::unique_ptr<llvm::MCStreamer> streamer(target->createMCObjectStreamer(
      triple, context, std::move(backend), std::move(writer),
      std::move(emitter), *subtarget));
  std::unique_ptr<llvm::MCAsmParser> parser(
      llvm::createMCAsmParser(sources, context, *streamer, *asmInfo));
  std::unique_ptr<llvm::MCTargetAsmParser> targetParser(
      target->createMCAsmParser(*subtarget, *parser, *instructions, options));
  if (!targetParser)
    return emitError(loc) << "LLVM's AMDGPU target has no assembly parser";
  parser->setTargetParser(*targetParser);
  // Run() finishes the streamer, which writes the object, when it succeeds.
  if (parser->Run(/*NoInitialTextSection=*/false))
    return emitError(loc) << "cannot assemble the kernels for " << chip << ": "
                          << StringRef(messages).trim();
  return object;
}

/// Assembles `isa` for `chip` and links it into a code object with every
/// symbol defined.
FailureOr<std::vector<uint8_t>> link(Location loc, StringRef chip,
                                     StringRef isa) {
  FailureOr<SmallVector<char, 0>> object = assemble(loc, chip, isa);
  if (failed(object))
    return failure();
  gpu::TemporaryFile objectFile, hsacoFile;
  if (failed(objectFile.create(loc, "rocm", "o",
                               StringRef(object->data(), object->size()))) ||
      failed(hsacoFile.create(loc, "rocm", "hsaco")))
    return failure();
  std::string lld = findLLVMTool("ld.lld");
  if (failed(gpu::runTool(loc, {lld, "-shared", "--no-undefined",
                                objectFile.path(), "-o", hsacoFile.path()})))
    return failure();
  return hsacoFile.read(loc, "ld.lld");
}

//===----------------------------------------------------------------------===//
// The backend
//===----------------------------------------------------------------------===//

class ROCmTargetBackend final : public TargetBackend {
public:
  StringRef getName() const override { return "rocm"; }
  StringRef getDeviceKind() const override { return "hip"; }

  /// For --compile-to=codegen: the first architecture's pipeline.
  void buildCodegenPipeline(OpPassManager &pm) override {
    FailureOr<std::vector<Arch>> archs = parseArchs(std::nullopt);
    if (failed(archs) || archs->empty())
      return;
    buildROCmCodegenPipeline(pm, archs->front().info, archs->front().name);
  }

  FailureOr<std::vector<ExecutableBinary>>
  compile(ModuleOp kernels, ArrayRef<std::string> order,
          const IRDumper &dump) override {
    Location loc = kernels.getLoc();
    FailureOr<std::vector<Arch>> archs = parseArchs(loc);
    if (failed(archs))
      return failure();
    MLIRContext *context = kernels.getContext();
    ROCDL::registerROCDLTargetInterfaceExternalModels(*context);
    gpu::registerCommonTranslations(*context);
    registerROCDLDialectTranslation(*context);
    std::string root = findRocmRoot();
    if (root.empty() && !getOptions().path.empty())
      return emitError(loc) << "--rocm-path: '" << getOptions().path
                            << "' has no device libraries "
                               "(amdgcn/bitcode/ocml.bc)";

    // The shared codegen once per family, then each chip's lowering.
    std::map<std::string, OwningOpRef<ModuleOp>> families;
    std::vector<ExecutableBinary> binaries;
    for (const Arch &arch : *archs) {
      OwningOpRef<ModuleOp> &family = families[arch.family];
      if (!family) {
        family = cast<ModuleOp>(kernels->clone());
        PassManager pm(context, ModuleOp::getOperationName());
        if (failed(configurePassManager(pm)))
          return failure();
        gpu::buildGPUCodegenPipeline(pm, arch.info);
        if (failed(pm.run(*family)))
          return failure();
      }
      OwningOpRef<ModuleOp> module = cast<ModuleOp>((*family)->clone());
      PassManager pm(context, ModuleOp::getOperationName());
      if (failed(configurePassManager(pm)))
        return failure();
      buildROCDLLoweringPipeline(pm, arch.name);
      if (failed(pm.run(*module)))
        return failure();
      gpu::dumpOperation(dump, arch.name + "-rocdl.mlir", *module);
      auto gpuModule = module->lookupSymbol<mlir::gpu::GPUModuleOp>(
          gpu::kGPUModuleName);
      if (!gpuModule)
        return emitError(loc) << "internal error: no gpu.module after codegen";
      FailureOr<std::vector<KernelLaunchInfo>> launches =
          gpu::collectLaunches(loc, gpuModule, order);
      if (failed(launches))
        return failure();
      ExecutableBinary binary;
      binary.device = "hip";
      binary.arch = arch.name;
      binary.format = ExecutableFormat::Hsaco;
      binary.kernels = std::move(*launches);

      FailureOr<std::string> isa = serialize(gpuModule, arch, root);
      if (failed(isa))
        return failure();
      if (dump)
        dump(arch.name + ".s", *isa);
      FailureOr<std::vector<uint8_t>> hsaco = link(loc, arch.name, *isa);
      if (failed(hsaco))
        return failure();
      if (dump)
        dump(arch.name + ".hsaco",
             StringRef(reinterpret_cast<const char *>(hsaco->data()),
                       hsaco->size()));
      binary.data = std::move(*hsaco);
      binaries.push_back(std::move(binary));
    }
    return binaries;
  }

private:
  /// The AMDGPU assembly of `module` for `arch`, the device libraries
  /// linked in (code object v5).
  FailureOr<std::string> serialize(mlir::gpu::GPUModuleOp module,
                                   const Arch &arch, StringRef root) {
    MLIRContext *context = module.getContext();
    Location loc = module.getLoc();
    Builder b(context);
    SmallVector<NamedAttribute> flags;
    if (arch.info.subgroupSize == 32)
      flags.push_back(b.getNamedAttr("no_wave64", b.getUnitAttr()));
    auto target = ROCDL::ROCDLTargetAttr::get(
        context, /*optLevel=*/3, "amdgcn-amd-amdhsa", arch.name, "", "500",
        b.getDictionaryAttr(flags));
    // Without device libraries, an empty folder keeps MLIR from looking
    // for them in its own places; ld.lld then names what is missing.
    gpu::EmptyFolder emptyFolder;
    std::string toolkit = root.str();
    if (toolkit.empty()) {
      if (failed(emptyFolder.create(loc, "no-rocm")))
        return failure();
      toolkit = emptyFolder.path().str();
    }
    mlir::gpu::TargetOptions options(toolkit, {}, "", "",
                                     mlir::gpu::CompilationTarget::Assembly);
    std::string errors;
    std::optional<SmallVector<char, 0>> object;
    {
      ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
        std::string message = diag.str();
        // Without libraries MLIR complains of the empty folder; whether a
        // kernel needed them is checked below.
        if (diag.getSeverity() == DiagnosticSeverity::Error &&
            !(root.empty() && StringRef(message).contains("bitcode")))
          errors += (errors.empty() ? "" : "; ") + message;
        return success();
      });
      object = cast<mlir::gpu::TargetAttrInterface>(target).serializeToObject(
          module, options);
    }
    if (!object || !errors.empty())
      return emitError(loc) << "cannot compile the kernels for " << arch.name
                            << ": " << errors;
    std::string isa(object->begin(), object->end());
    while (!isa.empty() && isa.back() == '\0')
      isa.pop_back();
    if (root.empty() && StringRef(isa).contains("__ocml_"))
      return emitError(loc)
             << "the kernels call ROCm device library functions (__ocml_*), "
                "but no device libraries were found (install "
                "rocm-device-libs, set ROCM_PATH or --rocm-path)";
    return isa;
  }
};

} // namespace
} // namespace kiln::rocm

namespace kiln {

void registerROCmTarget() {
  (void)rocm::getOptions();
  gpu::registerGPUCommon();
  registerTargetBackend("rocm", [] {
    return std::make_unique<rocm::ROCmTargetBackend>();
  });
}

} // namespace kiln
