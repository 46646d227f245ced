//===- Registration.h - Every Kiln dialect, pass and pipeline ---*- C++ -*-===//
//
// One place that knows the whole compiler: the tools register through it,
// so that kiln-opt can run every pass and pipeline kiln-compile runs.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_PIPELINES_REGISTRATION_H
#define KILN_COMPILER_PIPELINES_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace kiln {

/// Adds Kiln's dialects, the upstream dialects the pipeline uses, and their
/// external interface models to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers Kiln's passes and named pipelines, and the upstream passes.
void registerAllPasses();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_REGISTRATION_H
