//===- WorkgroupArgs.cpp - Workgroup ids as kernel arguments --------------===//

#include "targets/CPU/Passes.h"

#include "compiler/Codegen/Passes.h"
#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/IR/Builders.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_CPUWORKGROUPARGSPASS
#include "targets/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;

namespace kiln::cpu {
namespace {

struct CPUWorkgroupArgsPass
    : public impl::CPUWorkgroupArgsPassBase<CPUWorkgroupArgsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func->hasAttr(kGridAttr))
      return;
    auto grid = func->getAttrOfType<DenseI64ArrayAttr>(kGridAttr);
    Block &body = func.getBody().front();
    OpBuilder builder(func.getContext());
    SmallVector<Value> ids;
    for (int i = 0; i < 3; ++i)
      ids.push_back(body.addArgument(builder.getIndexType(), func.getLoc()));
    func.walk([&](dispatch::WorkgroupIdOp op) {
      op.replaceAllUsesWith(ids[op.getDimension()]);
      op.erase();
    });
    func.walk([&](dispatch::WorkgroupCountOp op) {
      builder.setInsertionPoint(op);
      Value count = arith::ConstantIndexOp::create(
          builder, op.getLoc(), grid[op.getDimension()]);
      op.replaceAllUsesWith(count);
      op.erase();
    });
    SmallVector<Type> inputs(func.getArgumentTypes());
    inputs.append(3, builder.getIndexType());
    func.setFunctionType(builder.getFunctionType(inputs, {}));
  }
};

} // namespace
} // namespace kiln::cpu
