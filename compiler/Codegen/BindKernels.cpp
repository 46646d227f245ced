//===- BindKernels.cpp - Kernels over buffers -----------------------------===//
//
// The kernel ABI passes a kernel one pointer per binding. This pass gives
// each kernel that signature while keeping its body on tensors: inputs are
// read through `to_tensor`, results are written with
// `materialize_in_destination`. One-shot bufferization then computes the
// results directly in the output bindings.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"

namespace kiln {
#define GEN_PASS_DEF_BINDKERNELSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A memref with the shape and element type of `type` and the identity
/// layout: bindings are dense, row-major buffers.
MemRefType bindingType(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return MemRefType::get(tensor.getShape(), tensor.getElementType());
}

LogicalResult bindKernel(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (!isa<RankedTensorType>(t) || !cast<RankedTensorType>(t).hasStaticShape())
      return func.emitError("kernel bindings need static tensor types, got ")
             << t;
  SmallVector<Type> bindings;
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    bindings.push_back(bindingType(t));

  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  OpBuilder builder(func.getContext());

  // New arguments: one per binding. Old tensor arguments become to_tensor
  // reads of the input bindings.
  unsigned numInputs = type.getNumInputs();
  SmallVector<BlockArgument> newArgs;
  for (Type t : bindings)
    newArgs.push_back(body.addArgument(t, func.getLoc()));
  builder.setInsertionPointToStart(&body);
  for (unsigned i = 0; i < numInputs; ++i) {
    Value tensor = bufferization::ToTensorOp::create(
        builder, func.getLoc(), type.getInput(i), newArgs[i],
        /*restrict=*/true, /*writable=*/false);
    body.getArgument(i).replaceAllUsesWith(tensor);
  }
  builder.setInsertionPoint(ret);
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        builder, ret.getLoc(), TypeRange(), value, newArgs[numInputs + i]);
    materialize.setRestrict(true);
    materialize.setWritable(true);
  }
  func::ReturnOp::create(builder, ret.getLoc());
  ret.erase();
  body.eraseArguments(0, numInputs);
  func.setFunctionType(builder.getFunctionType(bindings, {}));
  return success();
}

struct BindKernelsPass : public impl::BindKernelsPassBase<BindKernelsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(bindKernel(func)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace kiln
