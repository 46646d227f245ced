//===- Compiler.cpp - The whole compilation, stage by stage ---------------===//

#include "compiler/Driver/Compiler.h"
#include "compiler/Driver/Report.h"

#include "compiler/Artifact/ArtifactWriter.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/TargetBackend.h"
#include "dialects/Dispatch/IR/DispatchOps.h"
#include "dialects/Exec/IR/ExecOps.h"
#include "dialects/Exec/Transforms/Passes.h"
#include "targets/RegisterTargets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <iomanip>
#include <sstream>

using namespace mlir;

namespace kiln {
namespace {

/// Writes numbered stage files into the `--dump-ir` folder.
class StageDumper {
public:
  explicit StageDumper(std::string dir) : dir(std::move(dir)) {}

  LogicalResult init(Location loc) {
    if (dir.empty())
      return success();
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return emitError(loc) << "cannot create --dump-ir folder '" << dir
                            << "': " << ec.message();
    return success();
  }

  void dump(StringRef stage, StringRef text) {
    if (dir.empty())
      return;
    std::ostringstream name;
    name << std::setw(2) << std::setfill('0') << index++ << "-" << stage.str();
    SmallString<256> path(dir);
    llvm::sys::path::append(path, name.str());
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (!ec)
      os << text;
  }

  /// Dumps elide large constants (weights would repeat in every file);
  /// the printed result of --compile-to keeps them, as MLIR's printing
  /// flags say.
  void dump(StringRef stage, Operation *op) {
    if (dir.empty())
      return;
    dump(stage, print(op, OpPrintingFlags().elideLargeElementsAttrs(1024)));
  }

  static std::string print(Operation *op,
                           OpPrintingFlags flags = OpPrintingFlags()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->print(os, flags);
    return text;
  }

  IRDumper asIRDumper(StringRef target) {
    if (dir.empty())
      return nullptr;
    return [this, prefix = target.str()](StringRef stage, StringRef text) {
      dump(prefix + "-" + stage.str(), text);
    };
  }

private:
  std::string dir;
  int index = 0;
};

/// The nested module of outlined kernels, or null.
ModuleOp getKernels(ModuleOp module) {
  for (auto nested : module.getOps<ModuleOp>())
    if (nested.getSymName() == dispatch::kKernelsModuleName)
      return nested;
  return nullptr;
}

LogicalResult runPipeline(ModuleOp module, const CompileOptions &options,
                          function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  if (options.configurePassManager &&
      failed(options.configurePassManager(pm)))
    return failure();
  build(pm);
  return pm.run(module);
}

/// Bytes of a static tensor type (a byte per bool), or nullopt for other
/// types and for sizes that overflow 64 bits (which exceed any limit).
std::optional<uint64_t> getStaticTensorBytes(Type type, bool &overflow) {
  overflow = false;
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape() ||
      !tensor.getElementType().isIntOrFloat())
    return std::nullopt;
  uint64_t bytes = (tensor.getElementType().getIntOrFloatBitWidth() + 7) / 8;
  for (int64_t d : tensor.getShape())
    if (__builtin_mul_overflow(bytes, uint64_t(d), &bytes))
      overflow = true;
  return bytes;
}

} // namespace

LogicalResult checkTensorSizes(ModuleOp module, uint64_t maxBytes) {
  auto check = [&](Value value, Location loc) -> LogicalResult {
    bool overflow;
    std::optional<uint64_t> bytes = getStaticTensorBytes(value.getType(),
                                                         overflow);
    if (!bytes || (!overflow && *bytes <= maxBytes))
      return success();
    InFlightDiagnostic diag = emitError(loc) << "a value of type "
                                             << value.getType() << " needs ";
    if (overflow)
      diag << "more than 2^64";
    else
      diag << *bytes;
    return diag << " bytes, past the limit on tensor sizes (" << maxBytes
                << " bytes; raise it with --max-tensor-bytes)";
  };
  WalkResult walk = module.walk([&](Operation *op) {
    for (Value result : op->getResults())
      if (failed(check(result, op->getLoc())))
        return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (failed(check(arg, arg.getLoc())))
            return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult compile(ModuleOp module, const CompileOptions &options,
                      CompileResult &result) {
  registerAllTargets();
  Location loc = module.getLoc();
  StageDumper dumper(options.dumpDir);
  if (failed(dumper.init(loc)))
    return failure();
  dumper.dump("import.mlir", module);

  // What the stages do for every target at once: attention fuses into one
  // pre-tiled kernel only when every target compiles such kernels (the GPU
  // targets do not yet map its loop nest onto threads), and constant
  // convolution weights are packed into filter panels only when every
  // target reads them in panels of the same width (constant matmul
  // operands likewise).
  GraphPipelineOptions graphOptions;
  DispatchPipelineOptions dispatchOptions;
  for (auto [i, name] : llvm::enumerate(options.targets)) {
    std::unique_ptr<TargetBackend> target = createTargetBackend(name);
    if (!target || !target->supportsPretiledKernels())
      graphOptions.fuseAttention = false;
    // A width every target asks for, else 0.
    bool first = i == 0;
    auto agree = [&](int64_t &chosen, int64_t asked) {
      chosen = first || asked == chosen ? asked : 0;
    };
    agree(dispatchOptions.convFilterPanel,
          target ? target->getConvFilterPanel() : 0);
    agree(dispatchOptions.matmulPanel, target ? target->getMatmulPanel() : 0);
    agree(dispatchOptions.winogradPanel,
          target ? target->getWinogradFilterPanel() : 0);
  }
  if (failed(runPipeline(module, options, [&](OpPassManager &pm) {
        buildGraphPipeline(pm, graphOptions);
      })))
    return failure();
  dumper.dump("graph.mlir", module);
  if (failed(checkTensorSizes(module, options.maxTensorBytes)))
    return failure();
  if (options.stage == Stage::Graph) {
    result.ir = StageDumper::print(module);
    return success();
  }

  if (failed(runPipeline(module, options, [&](OpPassManager &pm) {
        buildDispatchPipeline(pm, dispatchOptions);
      })))
    return failure();
  dumper.dump("dispatch.mlir", module);
  if (options.stage == Stage::Dispatch) {
    result.ir = StageDumper::print(module);
    if (!options.reportPath.empty()) {
      CompilationReport report{describeDispatches(module), options.targets};
      return writeReport(report, options.reportPath, loc);
    }
    return success();
  }

  CompilationReport report;
  report.dispatches = describeDispatches(module);
  report.targets = options.targets;
  auto writeReportIfAsked = [&]() -> LogicalResult {
    if (options.reportPath.empty())
      return success();
    return writeReport(report, options.reportPath, loc);
  };

  // Kernels in dispatch order, and what the artifact says of each.
  ModuleOp kernels = getKernels(module);
  std::vector<std::string> order;
  std::vector<DispatchInfo> dispatches;
  if (kernels) {
    for (auto func : kernels.getOps<func::FuncOp>()) {
      order.push_back(func.getSymName().str());
      DispatchInfo info;
      info.name = func.getSymName().str();
      if (auto nodes = func->getAttrOfType<ArrayAttr>(dispatch::kOnnxNodesAttr))
        for (Attribute node : nodes)
          info.onnxNodes.push_back(cast<StringAttr>(node).str());
      dispatches.push_back(std::move(info));
    }
  }

  std::vector<ExecutableBinary> binaries;
  std::string codegenIR;
  for (const std::string &name : options.targets) {
    std::unique_ptr<TargetBackend> target = createTargetBackend(name);
    if (!target) {
      std::string known;
      for (const std::string &t : getRegisteredTargetNames())
        known += (known.empty() ? "" : ", ") + t;
      return emitError(loc) << "unknown target '" << name << "' (known: "
                            << known << ")";
    }
    target->setPassManagerConfigurator(options.configurePassManager);
    OwningOpRef<ModuleOp> clone =
        kernels ? cast<ModuleOp>(kernels->clone())
                : ModuleOp::create(loc, StringRef(dispatch::kKernelsModuleName));
    if (options.stage == Stage::Codegen) {
      if (failed(runPipeline(*clone, options, [&](OpPassManager &pm) {
            target->buildCodegenPipeline(pm);
          })))
        return failure();
      codegenIR += "// target: " + name + "\n" + StageDumper::print(*clone);
      continue;
    }
    FailureOr<std::vector<ExecutableBinary>> compiled =
        target->compile(*clone, order, dumper.asIRDumper(name));
    if (failed(compiled))
      return failure();
    for (ExecutableBinary &binary : *compiled)
      binaries.push_back(std::move(binary));
  }
  if (options.stage == Stage::Codegen) {
    result.ir = codegenIR;
    return writeReportIfAsked();
  }

  if (failed(runPipeline(module, options, [](OpPassManager &pm) {
        pm.addPass(exec::createExecPlanPass());
      })))
    return failure();
  auto program = module.lookupSymbol<exec::ProgramOp>("main");
  dumper.dump("exec.mlir", program);
  report.arenaBytes = program.getArenaSize();
  if (program.getArenaSize() > options.maxTensorBytes)
    return emitError(loc) << "the planned arena needs "
                          << program.getArenaSize()
                          << " bytes, past the limit on tensor sizes ("
                          << options.maxTensorBytes
                          << " bytes; raise it with --max-tensor-bytes)";
  if (failed(writeReportIfAsked()))
    return failure();
  if (options.stage == Stage::Exec) {
    result.ir = StageDumper::print(program);
    return success();
  }

  FailureOr<std::vector<uint8_t>> bytes =
      writeArtifact(module, dispatches, binaries, "kiln-compile 0.1.0");
  if (failed(bytes))
    return failure();
  result.artifact = std::move(*bytes);
  return success();
}

} // namespace kiln
