//===- Report.cpp - The dispatch report of a compilation ------------------===//

#include "compiler/Driver/Report.h"

#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln {

/// Bytes of a dense tensor type (bool as one byte).
static int64_t tensorBytes(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return 0;
  Type elt = tensor.getElementType();
  int64_t width = elt.isIntOrFloat()
                      ? std::max<int64_t>(1, elt.getIntOrFloatBitWidth() / 8)
                      : 8;
  return tensor.getNumElements() * width;
}

std::vector<DispatchReport> describeDispatches(ModuleOp module) {
  std::vector<DispatchReport> out;
  for (auto nested : module.getOps<ModuleOp>()) {
    if (nested.getSymName() != dispatch::kKernelsModuleName)
      continue;
    for (auto func : nested.getOps<func::FuncOp>()) {
      DispatchReport report;
      report.name = func.getSymName().str();
      if (auto nodes = func->getAttrOfType<ArrayAttr>(dispatch::kOnnxNodesAttr))
        for (Attribute node : nodes)
          report.onnxNodes.push_back(cast<StringAttr>(node).str());
      if (auto root = func->getAttrOfType<StringAttr>(dispatch::kRootAttr))
        report.root = root.str();
      for (Type t : func.getFunctionType().getInputs())
        report.bytes += tensorBytes(t);
      for (Type t : func.getFunctionType().getResults())
        report.bytes += tensorBytes(t);
      func.walk([&](linalg::LinalgOp op) {
        SmallVector<int64_t> ranges = op.getStaticLoopRanges();
        int64_t iterations = 1;
        for (int64_t r : ranges)
          iterations *= ShapedType::isDynamic(r) ? 1 : r;
        int64_t scalarOps = 0;
        for (Operation &inner : op->getRegion(0).front())
          if (!isa<linalg::YieldOp, linalg::IndexOp>(inner))
            ++scalarOps;
        // An op inside loops of the kernel (a kernel the dispatch stage
        // tiled itself, as attention's) runs once per their iterations.
        for (Operation *parent = op->getParentOp(); parent && parent != func;
             parent = parent->getParentOp())
          if (auto loop = dyn_cast<LoopLikeOpInterface>(parent))
            if (std::optional<SmallVector<OpFoldResult>> lbs =
                    loop.getLoopLowerBounds())
              for (auto [lb, ub, step] :
                   llvm::zip(*lbs, *loop.getLoopUpperBounds(),
                             *loop.getLoopSteps())) {
                std::optional<int64_t> l = getConstantIntValue(lb),
                                       u = getConstantIntValue(ub),
                                       st = getConstantIntValue(step);
                if (l && u && st && *st > 0 && *u > *l)
                  iterations *= (*u - *l + *st - 1) / *st;
              }
        report.flops += iterations * scalarOps;
      });
      out.push_back(std::move(report));
    }
  }
  return out;
}

LogicalResult writeReport(const CompilationReport &report, StringRef path,
                          Location loc) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return emitError(loc) << "cannot write report '" << path
                          << "': " << ec.message();
  std::string targets = llvm::join(report.targets, ",");
  if (path.ends_with(".md")) {
    os << "# Kiln dispatch report\n\n"
       << report.dispatches.size() << " dispatches for " << targets;
    if (report.arenaBytes >= 0)
      os << "; arena " << report.arenaBytes << " bytes";
    os << ".\n\n| dispatch | root | MFLOP | KB moved | ONNX nodes |\n"
          "|---|---|---|---|---|\n";
    for (const DispatchReport &d : report.dispatches)
      os << "| " << d.name << " | " << d.root << " | "
         << llvm::format("%.3f", d.flops / 1e6) << " | "
         << llvm::format("%.1f", d.bytes / 1024.0) << " | "
         << llvm::join(d.onnxNodes, ", ") << " |\n";
    return success();
  }
  llvm::json::Array dispatches;
  for (const DispatchReport &d : report.dispatches) {
    llvm::json::Array nodes;
    for (const std::string &n : d.onnxNodes)
      nodes.push_back(n);
    dispatches.push_back(llvm::json::Object{{"name", d.name},
                                            {"onnx_nodes", std::move(nodes)},
                                            {"root", d.root},
                                            {"flops", d.flops},
                                            {"bytes", d.bytes},
                                            {"target", targets}});
  }
  llvm::json::Object root{{"dispatches", std::move(dispatches)}};
  if (report.arenaBytes >= 0)
    root["arena_bytes"] = report.arenaBytes;
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return success();
}

} // namespace kiln
