//===- ExecDialect.h - Exec dialect -----------------------------*- C++ -*-===//

#ifndef KILN_DIALECTS_EXEC_IR_EXECDIALECT_H
#define KILN_DIALECTS_EXEC_IR_EXECDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Exec/IR/ExecDialect.h.inc"

#endif // KILN_DIALECTS_EXEC_IR_EXECDIALECT_H
