//===- PlanBuffers.cpp - The host program over one arena ------------------===//
//
// Static shapes make the whole memory plan a compile-time matter: every
// intermediate tensor gets a fixed range of one arena, and tensors that are
// never alive at the same time share memory. The arena size is what a
// session allocates, once.
//
//===----------------------------------------------------------------------===//

#include "dialects/Exec/IR/ExecOps.h"
#include "dialects/Exec/Transforms/Passes.h"

#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln::exec {
#define GEN_PASS_DEF_EXECPLANPASS
#include "dialects/Exec/Transforms/Passes.h.inc"
} // namespace kiln::exec

using namespace mlir;

namespace kiln::exec {

static constexpr int64_t kAlignment = 64;

static int64_t alignUp(int64_t v) {
  return (v + kAlignment - 1) / kAlignment * kAlignment;
}

std::vector<int64_t> planArena(const std::vector<LiveRange> &ranges,
                               int64_t &arenaSize) {
  std::vector<size_t> order(ranges.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (ranges[a].size != ranges[b].size)
      return ranges[a].size > ranges[b].size;
    return ranges[a].first < ranges[b].first;
  });
  std::vector<int64_t> offsets(ranges.size(), -1);
  std::vector<size_t> placed;
  arenaSize = 0;
  for (size_t i : order) {
    const LiveRange &r = ranges[i];
    int64_t size = alignUp(std::max<int64_t>(r.size, 1));
    // The placed ranges alive at the same time, by offset.
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed) {
      const LiveRange &o = ranges[j];
      if (o.first <= r.last && r.first <= o.last)
        busy.push_back({offsets[j], offsets[j] + alignUp(std::max<int64_t>(
                                                     o.size, 1))});
    }
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap that holds the range.
    int64_t best = -1, bestGap = INT64_MAX, cursor = 0;
    for (auto [start, end] : busy) {
      if (start - cursor >= size && start - cursor < bestGap) {
        best = cursor;
        bestGap = start - cursor;
      }
      cursor = std::max(cursor, end);
    }
    if (best < 0)
      best = cursor;
    offsets[i] = best;
    placed.push_back(i);
    arenaSize = std::max(arenaSize, best + size);
  }
  return offsets;
}

namespace {

/// Bytes of a dense tensor (bool takes one byte per element).
int64_t byteSize(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  Type elt = tensor.getElementType();
  int64_t width = elt.isInteger(1) ? 1 : (elt.getIntOrFloatBitWidth() + 7) / 8;
  return tensor.getNumElements() * width;
}

struct ExecPlanPass : public impl::ExecPlanPassBase<ExecPlanPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main");
    if (!func) {
      module.emitError("no host function @main to plan");
      return signalPassFailure();
    }
    // Dispatch indices: the order of the kernels module.
    llvm::StringMap<int64_t> dispatchIndex;
    for (auto nested : module.getOps<ModuleOp>())
      if (nested.getSymName() == dispatch::kKernelsModuleName)
        for (auto kernel : nested.getOps<func::FuncOp>())
          dispatchIndex[kernel.getSymName()] = dispatchIndex.size();

    Block &body = func.getBody().front();
    constexpr int64_t kForever = INT64_MAX / 2;

    // Roots own memory; reshapes alias their root.
    llvm::DenseMap<Value, Value> rootOf;
    llvm::MapVector<Value, LiveRange> arenaRoots;
    llvm::MapVector<Value, Attribute> constantRoots;
    auto use = [&](Value v, int64_t step) {
      Value root = rootOf.lookup(v);
      auto it = arenaRoots.find(root);
      if (it != arenaRoots.end())
        it->second.last = std::max(it->second.last, step);
    };
    for (BlockArgument arg : body.getArguments()) {
      rootOf[arg] = arg;
      arenaRoots[arg] = {byteSize(arg.getType()), -1, -1};
    }
    int64_t step = 0;
    for (Operation &op : body) {
      if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
        rootOf[cst] = cst;
        constantRoots[cst] = cst.getValue();
      } else if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op)) {
        rootOf[op.getResult(0)] = rootOf.lookup(op.getOperand(0));
      } else if (auto launch = dyn_cast<dispatch::LaunchOp>(op)) {
        for (Value input : launch.getInputs())
          use(input, step);
        for (Value result : launch.getResults()) {
          rootOf[result] = result;
          arenaRoots[result] = {byteSize(result.getType()), step, step};
        }
        ++step;
      } else if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (Value v : ret.getOperands())
          use(v, kForever);
      } else {
        op.emitError("cannot plan host op ") << op.getName();
        return signalPassFailure();
      }
      for (Value v : op.getResults())
        if (!rootOf.lookup(v)) {
          op.emitError("host op result has no buffer");
          return signalPassFailure();
        }
    }

    std::vector<LiveRange> ranges;
    for (auto &[value, range] : arenaRoots)
      ranges.push_back(range);
    int64_t arenaSize = 0;
    std::vector<int64_t> offsets = planArena(ranges, arenaSize);

    MLIRContext *ctx = &getContext();
    llvm::DenseMap<Value, BufferRefAttr> refOf;
    for (auto [i, entry] : llvm::enumerate(arenaRoots))
      refOf[entry.first] = BufferRefAttr::get(ctx, Segment::Arena, offsets[i],
                                              entry.second.size);
    // Constants: 64-byte aligned in the pool, identical values once.
    llvm::DenseMap<Attribute, BufferRefAttr> constantRefs;
    int64_t poolSize = 0;
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto program = ProgramOp::create(builder, func.getLoc(), "main", 0);
    Block *programBody = new Block();
    program.getBody().push_back(programBody);
    builder.setInsertionPointToStart(programBody);

    for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
      auto name = func.getArgAttrOfType<StringAttr>(i, "graph.name");
      auto type = func.getArgAttrOfType<TypeAttr>(i, "graph.type");
      InputOp::create(builder, func.getLoc(),
                      name ? name : builder.getStringAttr("input" +
                                                          std::to_string(i)),
                      type ? type : TypeAttr::get(arg.getType()),
                      refOf.lookup(arg));
    }
    for (auto &[value, attr] : constantRoots) {
      auto it = constantRefs.find(attr);
      if (it == constantRefs.end()) {
        int64_t size = byteSize(value.getType());
        auto ref = BufferRefAttr::get(ctx, Segment::Constants, poolSize, size);
        ConstantOp::create(builder, value.getLoc(), cast<ElementsAttr>(attr),
                           ref);
        poolSize = alignUp(poolSize + std::max<int64_t>(size, 1));
        it = constantRefs.insert({attr, ref}).first;
      }
      refOf[value] = it->second;
    }
    auto refFor = [&](Value v) { return refOf.lookup(rootOf.lookup(v)); };
    for (Operation &op : body) {
      auto launch = dyn_cast<dispatch::LaunchOp>(op);
      if (!launch)
        continue;
      SmallVector<Attribute> bindings;
      for (Value v : launch.getInputs())
        bindings.push_back(refFor(v));
      for (Value v : launch.getResults())
        bindings.push_back(refFor(v));
      StringRef kernel = launch.getKernel().getLeafReference();
      auto index = dispatchIndex.find(kernel);
      if (index == dispatchIndex.end()) {
        launch.emitError("launches unknown kernel ") << kernel;
        return signalPassFailure();
      }
      LaunchOp::create(builder, launch.getLoc(),
                       builder.getI64IntegerAttr(index->second),
                       FlatSymbolRefAttr::get(ctx, kernel),
                       builder.getArrayAttr(bindings));
    }
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "graph.name");
      auto type = func.getResultAttrOfType<TypeAttr>(i, "graph.type");
      OutputOp::create(builder, func.getLoc(),
                       name ? name : builder.getStringAttr("output" +
                                                           std::to_string(i)),
                       type ? type : TypeAttr::get(v.getType()), refFor(v));
    }
    program.setArenaSize(arenaSize);
    func.erase();
  }
};

} // namespace
} // namespace kiln::exec
