//===- CUDATarget.cpp - The NVIDIA backend --------------------------------===//
//
// Compiles every kernel of a model for each architecture of --cuda-arch
// (default sm_80 and sm_90): the shared GPU codegen, the NVVM lowering,
// LLVM's NVPTX backend to PTX (libdevice linked for math functions), then
// ptxas to a cubin when a CUDA toolkit is found. Each architecture gives a
// PTX executable, which the driver compiles for newer GPUs, and a cubin.
//
//===----------------------------------------------------------------------===//

#include "targets/CUDA/CUDATarget.h"

#include "targets/GPUCommon/Passes.h"
#include "targets/GPUCommon/Serialization.h"

#include "compiler/Codegen/Passes.h"
#include "compiler/Target/TargetBackend.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;

namespace kiln::cuda {
namespace {

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

struct Options {
  llvm::cl::list<std::string> archs{
      "cuda-arch",
      llvm::cl::desc("NVIDIA architectures to compile for (default: "
                     "sm_80,sm_90); each gives PTX and, with a CUDA toolkit, "
                     "a cubin"),
      llvm::cl::CommaSeparated, llvm::cl::value_desc("sm_XY,..."),
      llvm::cl::cat(getTargetOptionsCategory())};
  llvm::cl::opt<bool> allowTF32{
      "allow-tf32",
      llvm::cl::desc("Let f32 matmuls and convolutions use TF32 tensor cores "
                     "(inputs rounded to 10 mantissa bits)"),
      llvm::cl::init(false), llvm::cl::cat(getTargetOptionsCategory())};
  llvm::cl::opt<std::string> toolkit{
      "cuda-toolkit",
      llvm::cl::desc("CUDA toolkit folder with bin/ptxas and "
                     "nvvm/libdevice (default: $CUDA_HOME, /usr/local/cuda, "
                     "ptxas on PATH; 'none': PTX only)"),
      llvm::cl::value_desc("dir"), llvm::cl::cat(getTargetOptionsCategory())};
};

Options &getOptions() {
  static Options options;
  return options;
}

/// A parsed `sm_XY[a|f]`.
struct Arch {
  std::string name;
  int version = 0;
};

/// The lowest PTX ISA version that knows `arch` (PTX ISA release notes).
int getPtxVersion(int version, bool suffixed) {
  if (version >= 120)
    return 87;
  if (version >= 100)
    return 86;
  if (version >= 90)
    return suffixed ? 80 : 78;
  if (version >= 89)
    return 78;
  if (version >= 87)
    return 74;
  if (version >= 86)
    return 71;
  return 70;
}

FailureOr<std::vector<Arch>> parseArchs(Location loc) {
  std::vector<std::string> names(getOptions().archs.begin(),
                                 getOptions().archs.end());
  if (names.empty())
    names = {"sm_80", "sm_90"};
  std::vector<Arch> archs;
  for (const std::string &name : names) {
    StringRef rest(name);
    unsigned version = 0;
    if (!rest.consume_front("sm_") || rest.consumeInteger(10, version) ||
        !(rest.empty() || rest == "a" || rest == "f"))
      return emitError(loc) << "--cuda-arch: '" << name
                            << "' is not an NVIDIA architecture (sm_XY)";
    if (version < 80)
      return emitError(loc) << "--cuda-arch: " << name
                            << " is not supported (sm_80 or newer)";
    if (llvm::any_of(archs, [&](const Arch &a) { return a.name == name; }))
      continue;
    archs.push_back({name, int(version)});
  }
  return archs;
}

//===----------------------------------------------------------------------===//
// The CUDA toolkit: ptxas and libdevice
//===----------------------------------------------------------------------===//

struct Toolkit {
  /// The toolkit folder (libdevice is under it), or empty.
  std::string root;
  /// ptxas, or empty.
  std::string ptxas;
  bool hasLibdevice = false;
};

Toolkit findToolkit() {
  Toolkit found;
  std::string option = getOptions().toolkit;
  if (option == "none")
    return found;
  SmallVector<std::string> candidates;
  if (!option.empty()) {
    candidates.push_back(option);
  } else {
    for (const char *variable : {"CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"})
      if (std::optional<std::string> value =
              llvm::sys::Process::GetEnv(variable))
        candidates.push_back(*value);
    candidates.push_back("/usr/local/cuda");
    if (llvm::ErrorOr<std::string> ptxas =
            llvm::sys::findProgramByName("ptxas"))
      candidates.push_back(llvm::sys::path::parent_path(
                               llvm::sys::path::parent_path(*ptxas))
                               .str());
  }
  for (const std::string &root : candidates) {
    SmallString<256> ptxas(root), libdevice(root);
    llvm::sys::path::append(ptxas, "bin", "ptxas");
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    bool hasPtxas = llvm::sys::fs::can_execute(ptxas);
    bool hasLibdevice = llvm::sys::fs::is_regular_file(libdevice);
    if (!hasPtxas && !hasLibdevice)
      continue;
    found.root = root;
    found.ptxas = hasPtxas ? ptxas.str().str() : "";
    found.hasLibdevice = hasLibdevice;
    return found;
  }
  return found;
}

/// Runs ptxas on `ptx` for `arch`; returns the cubin.
FailureOr<std::vector<uint8_t>> assemble(Location loc, const Toolkit &toolkit,
                                         StringRef arch, StringRef ptx) {
  gpu::TemporaryFile ptxFile, cubinFile;
  if (failed(ptxFile.create(loc, "cuda", "ptx", ptx)) ||
      failed(cubinFile.create(loc, "cuda", "cubin")))
    return failure();
  std::string archFlag = ("-arch=" + arch).str();
  if (failed(gpu::runTool(loc, {toolkit.ptxas, archFlag, "-O3",
                                ptxFile.path(), "-o", cubinFile.path()})))
    return failure();
  return cubinFile.read(loc, "ptxas");
}

//===----------------------------------------------------------------------===//
// The backend
//===----------------------------------------------------------------------===//

/// The shared codegen's view of the NVIDIA GPUs Kiln compiles for: every
/// supported architecture (sm_80 and newer) has the same mma.sync
/// instructions, so one codegen serves them all.
gpu::GPUTargetInfo getTargetInfo() {
  static const std::vector<std::string> intrinsics = registerMmaSyncIntrinsics();
  gpu::GPUTargetInfo info;
  info.subgroupSize = 32;
  info.maxThreads = 256;
  info.sharedMemoryBytes = 48 * 1024;
  info.intrinsics = intrinsics;
  info.allowTF32 = getOptions().allowTF32;
  return info;
}

class CUDATargetBackend final : public TargetBackend {
public:
  StringRef getName() const override { return "cuda"; }
  StringRef getDeviceKind() const override { return "cuda"; }

  void buildCodegenPipeline(OpPassManager &pm) override {
    buildCUDACodegenPipeline(pm, getTargetInfo());
  }

  FailureOr<std::vector<ExecutableBinary>>
  compile(ModuleOp kernels, ArrayRef<std::string> order,
          const IRDumper &dump) override {
    Location loc = kernels.getLoc();
    FailureOr<std::vector<Arch>> archs = parseArchs(loc);
    if (failed(archs))
      return failure();
    MLIRContext *context = kernels.getContext();
    NVVM::registerNVVMTargetInterfaceExternalModels(*context);
    gpu::registerCommonTranslations(*context);
    registerNVVMDialectTranslation(*context);

    PassManager pm(context, ModuleOp::getOperationName());
    if (failed(configurePassManager(pm)))
      return failure();
    buildCodegenPipeline(pm);
    if (failed(pm.run(kernels)))
      return failure();
    auto gpuModule = kernels.lookupSymbol<mlir::gpu::GPUModuleOp>(
        gpu::kGPUModuleName);
    if (!gpuModule)
      return emitError(loc) << "internal error: no gpu.module after codegen";
    gpu::dumpOperation(dump, "nvvm.mlir", kernels);
    FailureOr<std::vector<KernelLaunchInfo>> launches =
        gpu::collectLaunches(loc, gpuModule, order);
    if (failed(launches))
      return failure();

    Toolkit toolkit = findToolkit();
    std::vector<ExecutableBinary> binaries;
    for (const Arch &arch : *archs) {
      FailureOr<std::string> ptx = serialize(gpuModule, arch, toolkit);
      if (failed(ptx))
        return failure();
      if (dump)
        dump(arch.name + ".ptx", *ptx);
      ExecutableBinary binary;
      binary.device = "cuda";
      binary.arch = arch.name;
      binary.kernels = *launches;
      binary.format = ExecutableFormat::Ptx;
      binary.data.assign(ptx->begin(), ptx->end());
      binary.data.push_back('\0');
      binaries.push_back(binary);
      if (toolkit.ptxas.empty())
        continue;
      FailureOr<std::vector<uint8_t>> cubin =
          assemble(loc, toolkit, arch.name, *ptx);
      if (failed(cubin))
        return failure();
      if (dump)
        dump(arch.name + ".cubin",
             StringRef(reinterpret_cast<const char *>(cubin->data()),
                       cubin->size()));
      binary.format = ExecutableFormat::Cubin;
      binary.data = std::move(*cubin);
      binaries.push_back(std::move(binary));
    }
    if (toolkit.ptxas.empty())
      emitWarning(loc)
          << "no CUDA toolkit with ptxas found: the artifact carries PTX "
             "only, which the driver compiles when it loads (set CUDA_HOME "
             "or --cuda-toolkit for cubins)";
    return binaries;
  }

private:
  /// PTX of `module` for `arch`, libdevice linked when the toolkit has it.
  FailureOr<std::string> serialize(mlir::gpu::GPUModuleOp module,
                                   const Arch &arch, const Toolkit &toolkit) {
    MLIRContext *context = module.getContext();
    Location loc = module.getLoc();
    bool suffixed = !llvm::isDigit(arch.name.back());
    std::string features =
        "+ptx" + std::to_string(getPtxVersion(arch.version, suffixed));
    auto target = NVVM::NVVMTargetAttr::get(context, /*optLevel=*/3,
                                            "nvptx64-nvidia-cuda", arch.name,
                                            features);
    // Without libdevice, an empty folder keeps MLIR from looking for one in
    // its own places (CUDA_HOME...): the toolkit is chosen here only.
    gpu::EmptyFolder emptyFolder;
    std::string toolkitPath = toolkit.root;
    if (!toolkit.hasLibdevice) {
      if (failed(emptyFolder.create(loc, "no-libdevice")))
        return failure();
      toolkitPath = emptyFolder.path().str();
    }
    mlir::gpu::TargetOptions options(toolkitPath, {}, "", "",
                                     mlir::gpu::CompilationTarget::Assembly);
    // MLIR's serializer reports a missing libdevice as an error even when
    // no math function needs it; that case is checked below instead.
    std::string errors;
    std::optional<SmallVector<char, 0>> object;
    {
      ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
        if (diag.getSeverity() != DiagnosticSeverity::Error)
          return failure();
        std::string message = diag.str();
        if (!toolkit.hasLibdevice &&
            (StringRef(message).contains("LibDevice") ||
             StringRef(message).contains("CUDA path")))
          return success();
        errors += (errors.empty() ? "" : "; ") + message;
        return success();
      });
      object = cast<mlir::gpu::TargetAttrInterface>(target).serializeToObject(
          module, options);
    }
    if (!object || !errors.empty())
      return emitError(loc) << "cannot compile the kernels to PTX for "
                            << arch.name << ": " << errors;
    std::string ptx(object->begin(), object->end());
    while (!ptx.empty() && ptx.back() == '\0')
      ptx.pop_back();
    size_t external = ptx.find(".extern .func");
    if (external != std::string::npos &&
        StringRef(ptx).substr(external).contains("__nv_"))
      return emitError(loc)
             << "the kernels call libdevice math functions, but no CUDA "
                "toolkit with nvvm/libdevice was found (set CUDA_HOME or "
                "--cuda-toolkit)";
    return ptx;
  }
};

} // namespace
} // namespace kiln::cuda

namespace kiln {

void registerCUDATarget() {
  (void)cuda::getOptions();
  gpu::registerGPUCommon();
  (void)cuda::getTargetInfo();
  registerTargetBackend("cuda", [] {
    return std::make_unique<cuda::CUDATargetBackend>();
  });
}

} // namespace kiln
