//===- OutlineDispatchRegions.cpp - Regions to kernels and launches -------===//

#include "dialects/Dispatch/IR/DispatchOps.h"
#include "dialects/Dispatch/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace kiln::dispatch {
#define GEN_PASS_DEF_DISPATCHOUTLINEREGIONSPASS
#include "dialects/Dispatch/Transforms/Passes.h.inc"
} // namespace kiln::dispatch

using namespace mlir;

namespace kiln::dispatch {
namespace {

/// The ONNX nodes (name, op type) named by `loc`, in order, without
/// repeats: locations of the form loc("name"("OpType")).
void collectNodes(Location loc,
                  SmallVectorImpl<std::pair<std::string, std::string>> &out) {
  loc->walk([&](Location inner) {
    auto name = dyn_cast<NameLoc>(inner);
    if (!name)
      return WalkResult::advance();
    auto child = dyn_cast<NameLoc>(name.getChildLoc());
    if (!child || !isa<UnknownLoc>(child.getChildLoc()))
      return WalkResult::advance();
    std::pair<std::string, std::string> node = {name.getName().str(),
                                                child.getName().str()};
    if (!llvm::is_contained(out, node))
      out.push_back(node);
    return WalkResult::advance();
  });
}

/// The op that names a kernel: the first op with reduction loops or a
/// named linalg op, else the last op of the body.
Operation *findRoot(Block &body) {
  Operation *root = nullptr;
  for (Operation &op : body) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    StringRef name = op.getName().getStringRef();
    if (name.starts_with("linalg.") && name != "linalg.generic" &&
        name != "linalg.fill")
      return &op;
    if (auto iface = dyn_cast<TilingInterface>(&op))
      for (utils::IteratorType t : iface.getLoopIteratorTypes())
        if (t == utils::IteratorType::reduction)
          return &op;
    root = &op;
  }
  return root;
}

struct DispatchOutlineRegionsPass
    : public impl::DispatchOutlineRegionsPassBase<DispatchOutlineRegionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<RegionOp> regions;
    module.walk([&](RegionOp op) { regions.push_back(op); });
    if (regions.empty())
      return;

    // The nested module of kernels, created once.
    ModuleOp kernels;
    for (auto nested : module.getOps<ModuleOp>())
      if (nested.getSymName() == kKernelsModuleName)
        kernels = nested;
    OpBuilder builder(module.getContext());
    if (!kernels) {
      builder.setInsertionPointToEnd(module.getBody());
      kernels = ModuleOp::create(builder, module.getLoc(),
                                 StringRef(kKernelsModuleName));
    }
    SymbolTable symbols(kernels);

    unsigned index = 0;
    for (RegionOp region : regions) {
      SmallVector<std::pair<std::string, std::string>> nodes;
      collectNodes(region.getLoc(), nodes);
      std::string name = "d" + std::to_string(index++);
      SmallVector<std::string> opTypes;
      for (auto &[node, opType] : nodes)
        if (!llvm::is_contained(opTypes, opType) && opTypes.size() < 4)
          opTypes.push_back(opType);
      for (const std::string &opType : opTypes)
        name += "_" + opType;

      builder.setInsertionPointToEnd(kernels.getBody());
      auto type = builder.getFunctionType(region.getInputs().getTypes(),
                                          region.getResultTypes());
      auto func = func::FuncOp::create(builder, region.getLoc(), name, type);
      func.getBody().takeBody(region.getBody());
      Block &body = func.getBody().front();
      auto ret = cast<ReturnOp>(body.getTerminator());
      builder.setInsertionPoint(ret);
      func::ReturnOp::create(builder, ret.getLoc(), ret.getValues());
      ret.erase();
      symbols.insert(func);

      SmallVector<Attribute> nodeNames;
      for (auto &[node, opType] : nodes)
        nodeNames.push_back(builder.getStringAttr(node));
      func->setAttr(kOnnxNodesAttr, builder.getArrayAttr(nodeNames));
      if (Operation *root = findRoot(body))
        func->setAttr(kRootAttr,
                      builder.getStringAttr(root->getName().getStringRef()));

      builder.setInsertionPoint(region);
      auto symbol = SymbolRefAttr::get(
          builder.getStringAttr(kKernelsModuleName),
          {FlatSymbolRefAttr::get(func.getSymNameAttr())});
      auto launch = LaunchOp::create(builder, region.getLoc(),
                                     region.getResultTypes(), symbol,
                                     region.getInputs());
      region.replaceAllUsesWith(launch.getResults());
      region.erase();
    }
  }
};

} // namespace
} // namespace kiln::dispatch
