//===- DispatchDialect.h - Dispatch dialect ---------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_DISPATCH_IR_DISPATCHDIALECT_H
#define KILN_DIALECTS_DISPATCH_IR_DISPATCHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Dispatch/IR/DispatchDialect.h.inc"

#endif // KILN_DIALECTS_DISPATCH_IR_DISPATCHDIALECT_H
