//===- DispatchDialect.cpp - Dispatch dialect -----------------------------===//

#include "dialects/Dispatch/IR/DispatchDialect.h"
#include "dialects/Dispatch/IR/DispatchOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace kiln::dispatch;

#include "dialects/Dispatch/IR/DispatchDialect.cpp.inc"

void DispatchDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Dispatch/IR/DispatchOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// RegionOp
//===----------------------------------------------------------------------===//

void RegionOp::build(OpBuilder &builder, OperationState &state,
                     TypeRange resultTypes, ValueRange inputs) {
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  Region *region = state.addRegion();
  Block *block = new Block();
  region->push_back(block);
  for (Value input : inputs)
    block->addArgument(input.getType(), input.getLoc());
}

LogicalResult RegionOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments for "
           << getInputs().size() << " inputs";
  for (auto [arg, input] : llvm::zip(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError("body argument type ")
             << arg.getType() << " differs from input type "
             << input.getType();
  auto ret = cast<ReturnOp>(body.getTerminator());
  if (TypeRange(ret.getValues().getTypes()) != getResultTypes())
    return emitOpError("returns ")
           << ret.getValues().getTypes() << " for results of types "
           << getResultTypes();
  return success();
}

//===----------------------------------------------------------------------===//
// LaunchOp
//===----------------------------------------------------------------------===//

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto module = (*this)->getParentOfType<ModuleOp>();
  Operation *kernel = symbols.lookupSymbolIn(module, getKernel());
  auto func = dyn_cast_if_present<FunctionOpInterface>(kernel);
  if (!func)
    return emitOpError("names no kernel function ") << getKernel();
  auto type = dyn_cast<FunctionType>(func.getFunctionType());
  // Codegen gives kernels the binding signature of the kernel ABI (buffers,
  // results written into arguments), then lowers them (an LLVM function
  // type); the launch keeps its tensor form.
  if (!type ||
      llvm::any_of(type.getInputs(), llvm::IsaPred<BaseMemRefType>))
    return success();
  if (TypeRange(type.getInputs()) != getInputs().getTypes() ||
      TypeRange(type.getResults()) != getResultTypes())
    return emitOpError("operand or result types differ from kernel ")
           << getKernel();
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Dispatch/IR/DispatchOps.cpp.inc"
