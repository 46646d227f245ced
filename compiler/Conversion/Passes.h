//===- Passes.h - Kiln conversion passes ------------------------*- C++ -*-===//

#ifndef KILN_COMPILER_CONVERSION_PASSES_H
#define KILN_COMPILER_CONVERSION_PASSES_H

#include "compiler/Conversion/GraphToLinalg/GraphToLinalg.h"

namespace kiln {

#define GEN_PASS_REGISTRATION
#include "compiler/Conversion/Passes.h.inc"

} // namespace kiln

#endif // KILN_COMPILER_CONVERSION_PASSES_H
