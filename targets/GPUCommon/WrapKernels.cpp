//===- WrapKernels.cpp - Kernels as gpu.funcs in a gpu.module -------------===//
//
// The vendor lowerings (NVVM, ROCDL) and serializers work on gpu.module and
// gpu.func. Kernels are moved there as they are: bindings stay memrefs,
// which the bare-pointer calling convention turns into one pointer each,
// the kernel ABI of the runtime's GPU devices.
//
//===----------------------------------------------------------------------===//

#include "targets/GPUCommon/Passes.h"

#include "compiler/Codegen/Passes.h"
#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/IR/PatternMatch.h"

namespace kiln::gpu {
#define GEN_PASS_DEF_GPUWRAPKERNELSPASS
#include "targets/GPUCommon/Passes.h.inc"
} // namespace kiln::gpu

using namespace mlir;

namespace kiln::gpu {
namespace {

/// Alignment of workgroup buffers: the widest vector access.
constexpr int64_t kSharedAlignment = 16;

bool isWorkgroupMemory(MemRefType type) {
  auto space = dyn_cast_or_null<mlir::gpu::AddressSpaceAttr>(
      type.getMemorySpace());
  return space && space.getValue() == mlir::gpu::AddressSpace::Workgroup;
}

DenseI32ArrayAttr toI32Array(Builder &builder, DenseI64ArrayAttr sizes) {
  SmallVector<int32_t> values;
  for (int64_t v : sizes.asArrayRef())
    values.push_back(int32_t(v));
  return builder.getDenseI32ArrayAttr(values);
}

LogicalResult wrap(func::FuncOp func, mlir::gpu::GPUModuleOp gpuModule) {
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitError("kernel body with several blocks");
  auto grid = func->getAttrOfType<DenseI64ArrayAttr>(kGridAttr);
  auto block = func->getAttrOfType<DenseI64ArrayAttr>(kBlockAttr);
  if (!grid || grid.size() != 3 || !block || block.size() != 3)
    return func.emitError("kernel without a grid and a block size");

  // Workgroup buffers become module globals in workgroup memory, aligned
  // for 16-byte vector accesses (attributions only get their element's
  // alignment).
  IRRewriter rewriter(func.getContext());
  SmallVector<memref::AllocOp> shared;
  func.walk([&](memref::AllocOp alloc) {
    if (isWorkgroupMemory(alloc.getType()))
      shared.push_back(alloc);
  });
  for (auto [index, alloc] : llvm::enumerate(shared)) {
    if (!alloc.getType().hasStaticShape())
      return alloc.emitOpError("workgroup buffer of dynamic size");
    std::string name =
        ("__shared_" + func.getSymName() + "_" + Twine(index)).str();
    rewriter.setInsertionPointToStart(gpuModule.getBody());
    memref::GlobalOp::create(rewriter, alloc.getLoc(), name,
                             rewriter.getStringAttr("private"),
                             alloc.getType(), rewriter.getUnitAttr(),
                             /*constant=*/false,
                             rewriter.getI64IntegerAttr(kSharedAlignment));
    rewriter.setInsertionPoint(alloc);
    rewriter.replaceOpWithNewOp<memref::GetGlobalOp>(alloc, alloc.getType(),
                                                     name);
  }

  rewriter.setInsertionPointToEnd(gpuModule.getBody());
  auto kernel = mlir::gpu::GPUFuncOp::create(
      rewriter, func.getLoc(), func.getSymName(), func.getFunctionType(),
      TypeRange(), TypeRange());
  kernel->setAttr(mlir::gpu::GPUDialect::getKernelFuncAttrName(),
                  rewriter.getUnitAttr());
  kernel.setKnownBlockSizeAttr(toI32Array(rewriter, block));
  kernel.setKnownGridSizeAttr(toI32Array(rewriter, grid));
  kernel->setAttr(kGridAttr, grid);
  kernel->setAttr(kBlockAttr, block);

  Block &entry = kernel.getBody().front();
  unsigned numInputs = func.getNumArguments();
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  rewriter.setInsertionPoint(ret);
  mlir::gpu::ReturnOp::create(rewriter, ret.getLoc());
  rewriter.eraseOp(ret);
  rewriter.mergeBlocks(&body, &entry,
                       entry.getArguments().take_front(numInputs));

  kernel.walk([&](dispatch::WorkgroupIdOp op) {
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<mlir::gpu::BlockIdOp>(
        op, static_cast<mlir::gpu::Dimension>(op.getDimension()));
  });
  kernel.walk([&](dispatch::WorkgroupCountOp op) {
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<arith::ConstantIndexOp>(
        op, grid[op.getDimension()]);
  });
  rewriter.eraseOp(func);
  return success();
}

struct GPUWrapKernelsPass
    : public impl::GPUWrapKernelsPassBase<GPUWrapKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && func->hasAttr(kGridAttr))
        kernels.push_back(func);
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    module->setAttr(mlir::gpu::GPUDialect::getContainerModuleAttrName(),
                    builder.getUnitAttr());
    auto gpuModule = mlir::gpu::GPUModuleOp::create(builder, module.getLoc(),
                                                    kGPUModuleName);
    for (func::FuncOp func : kernels)
      if (failed(wrap(func, gpuModule)))
        return signalPassFailure();

    // Constant buffers (memref.global) move with the kernels that use them.
    SymbolTable outer(module);
    SymbolTable inner(gpuModule);
    gpuModule.walk([&](memref::GetGlobalOp get) {
      if (inner.lookup(get.getName()))
        return;
      if (auto global = outer.lookup<memref::GlobalOp>(get.getName())) {
        Operation *moved = global->clone();
        inner.insert(moved, gpuModule.getBody()->begin());
      }
    });
    for (auto global :
         llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
      if (inner.lookup(global.getSymName()) &&
          SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
  }
};

} // namespace
} // namespace kiln::gpu
