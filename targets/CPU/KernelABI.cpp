//===- KernelABI.cpp - The CPU kernel entry points ------------------------===//
//
// The runtime calls every CPU kernel the same way, whatever its bindings:
// an array of binding pointers, the push constants, the workgroup id and
// the grid. The lowered kernel takes one pointer per binding and its id as
// i64 values; this pass adds the ABI entry point that unpacks one into the
// other.
//
//===----------------------------------------------------------------------===//

#include "targets/CPU/Passes.h"

#include "compiler/Codegen/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_CPUKERNELABIPASS
#include "targets/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;

namespace kiln::cpu {
namespace {

struct CPUKernelABIPass
    : public impl::CPUKernelABIPassBase<CPUKernelABIPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    auto i64 = IntegerType::get(ctx, 64);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    SmallVector<LLVM::LLVMFuncOp> kernels;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (!func.isExternal() && func->hasAttr(kGridAttr))
        kernels.push_back(func);

    for (LLVM::LLVMFuncOp impl : kernels) {
      std::string name = impl.getSymName().str();
      LLVM::LLVMFunctionType implType = impl.getFunctionType();
      unsigned numBindings = implType.getNumParams() - 3;
      for (unsigned i = 0; i < numBindings; ++i)
        if (implType.getParamType(i) != ptr) {
          impl.emitError("kernel binding ")
              << i << " was not lowered to a bare pointer";
          return signalPassFailure();
        }
      impl.setSymName(name + ".impl");
      impl.setLinkage(LLVM::Linkage::Internal);
      impl.setAlwaysInline(true);

      OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
      auto entryType = LLVM::LLVMFunctionType::get(
          voidType, {ptr, ptr, i32, i32, i32, i32, i32, i32});
      auto entry =
          LLVM::LLVMFuncOp::create(builder, impl.getLoc(), name, entryType);
      entry->setAttr(kGridAttr, impl->getAttr(kGridAttr));
      impl->removeAttr(kGridAttr);
      Block *block = entry.addEntryBlock(builder);
      builder.setInsertionPointToStart(block);
      Location loc = impl.getLoc();
      SmallVector<Value> args;
      Value bindings = block->getArgument(0);
      for (unsigned i = 0; i < numBindings; ++i) {
        Value slot = LLVM::GEPOp::create(builder, loc, ptr, ptr, bindings,
                                         ArrayRef<LLVM::GEPArg>{int32_t(i)});
        args.push_back(LLVM::LoadOp::create(builder, loc, ptr, slot));
      }
      for (unsigned i = 0; i < 3; ++i)
        args.push_back(
            LLVM::ZExtOp::create(builder, loc, i64, block->getArgument(2 + i)));
      LLVM::CallOp::create(builder, loc, impl, args);
      LLVM::ReturnOp::create(builder, loc, ValueRange());
    }
  }
};

} // namespace
} // namespace kiln::cpu
