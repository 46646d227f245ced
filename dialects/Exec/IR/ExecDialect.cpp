//===- ExecDialect.cpp - Exec dialect -------------------------------------===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::exec;

#include "dialects/Exec/IR/ExecDialect.cpp.inc"
#include "dialects/Exec/IR/ExecEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Exec/IR/ExecAttrs.cpp.inc"

void ExecDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Exec/IR/ExecAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/Exec/IR/ExecOps.cpp.inc"
      >();
}

LogicalResult
BufferRefAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      Segment segment, int64_t offset, int64_t size) {
  if (offset < 0 || size < 0)
    return emitError() << "buffer range has a negative offset or size";
  return success();
}

/// Every arena range a program names lies inside its arena.
LogicalResult ProgramOp::verify() {
  int64_t arenaSize = getArenaSize();
  if (arenaSize < 0)
    return emitOpError("has a negative arena size");
  for (Operation &op : getBody().front()) {
    auto check = [&](BufferRefAttr ref) -> LogicalResult {
      if (ref.getSegment() == Segment::Arena &&
          ref.getOffset() > arenaSize - ref.getSize())
        return op.emitOpError("names bytes [")
               << ref.getOffset() << ", " << ref.getOffset() + ref.getSize()
               << ") past the arena's " << arenaSize;
      return success();
    };
    for (NamedAttribute attr : op.getAttrs()) {
      if (auto ref = dyn_cast<BufferRefAttr>(attr.getValue())) {
        if (failed(check(ref)))
          return failure();
      } else if (auto array = dyn_cast<ArrayAttr>(attr.getValue())) {
        for (Attribute element : array)
          if (auto ref = dyn_cast<BufferRefAttr>(element))
            if (failed(check(ref)))
              return failure();
      }
    }
  }
  return success();
}

LogicalResult CopyOp::verify() {
  if (getSource().getSize() != getTarget().getSize())
    return emitOpError("copies ")
           << getSource().getSize() << " bytes into a buffer of "
           << getTarget().getSize();
  if (getTarget().getSegment() != Segment::Arena)
    return emitOpError("cannot write the constants pool");
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Exec/IR/ExecOps.cpp.inc"
